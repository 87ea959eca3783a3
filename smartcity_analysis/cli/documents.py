"""``smartcity documents``: the command line of :mod:`smartcity_analysis.presentation.documents`."""

from __future__ import annotations

import argparse

from ._args import add_common_input_args, add_scoring_args, assessment_from_args


def documents_command(args: argparse.Namespace) -> int:
    from ..presentation.documents import open_template, write_documents

    if args.template:
        open_template(args.template)  # a template that cannot be used fails before any scoring
    a = assessment_from_args(args, targets=args.targets)
    for path in write_documents(a, a.resolve_region(args.region), args.output, template=args.template,
                                lang=args.lang):
        print(path)
    return 0


def register_cli(sub) -> None:
    parser = sub.add_parser(
        "documents", help="the masterplan documents of one region as Word files (and the roadmap workbook)",
        description="Analisis Kesiapan, Profil Quick Win, Ringkasan Eksekutif and Peta Jalan (.docx), and "
                    "peta_jalan_<region>.xlsx for the team to edit. PATH may also be a saved assessment folder.")
    add_common_input_args(parser)
    add_scoring_args(parser)
    parser.add_argument("--region", required=True, metavar="NAME", help="the region (e.g. 'Kab. Pekalongan')")
    parser.add_argument("--template", default=None, metavar="FILE.docx",
                        help="an office's Word template (.docx or .dotx): its styles and cover "
                             "(default: the package's own)")
    parser.add_argument("--targets", default=None, metavar="FILE|RULE",
                        help="targets table or rule of the gap analysis (default: the next maturity level)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR")
    parser.set_defaults(handler=documents_command)
