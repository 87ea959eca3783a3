"""``smartcity template``: the command line of :mod:`smartcity_analysis.input.template`."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from ..errors import Bilingual, Location, OptionError
from ..input.template import write_template

#: The first assessment cycle of Gerakan Menuju 100 Smart City.
FIRST_CYCLE = 2017


def template_command(args: argparse.Namespace) -> int:
    from ..input.framework import load_framework

    out = Path(args.output)
    if out.exists() and not args.force:
        raise OptionError.single(
            "SC401", Location(str(out)),
            detail=Bilingual("berkas sudah ada; pakai --force untuk menimpa", "the file exists; use --force to overwrite"),
        )
    first, last = FIRST_CYCLE, datetime.date.today().year + 1
    if not first <= args.cycle <= last:  # the programme began in 2017; next year's forms are fine
        raise OptionError.single("SC409", Location(), cycle=args.cycle, first=first, last=last)
    framework = load_framework(args.framework)
    written = write_template(
        out, args.region, args.cycle, framework,
        respondent=args.respondent, province=args.province, lang=args.lang or "id",
    )
    print(f"Template written: {written}" if args.lang == "en" else f"Templat ditulis: {written}")
    return 0


def register_cli(sub) -> None:
    parser = sub.add_parser(
        "template", help="write the Excel form a regional office fills in",
        description="Write the fill-in form (xlsx) for one region and cycle; never overwrites "
                    "an existing file unless --force.",
    )
    parser.add_argument("--region", required=True, help="region name, e.g. 'Kabupaten Gianyar'")
    parser.add_argument("--cycle", required=True, type=int, help="assessment year, e.g. 2025")
    parser.add_argument("--framework", metavar="FILE", default=None,
                        help="instrument as CSV or xlsx (sheet 'framework'); default: built-in")
    parser.add_argument("--respondent", default=None, help="prefill the respondent (OPD)")
    parser.add_argument("--province", default=None, help="prefill the province")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="file to write")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(handler=template_command)
