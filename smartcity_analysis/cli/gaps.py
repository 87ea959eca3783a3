"""``smartcity gaps``: the command line of :mod:`smartcity_analysis.analysis.gaps`."""

from __future__ import annotations

import argparse

from ..analysis.gaps import DEFAULT_RULE, TARGET_SCALES, gap_analysis
from ..presentation.narrative import gap_summary
from ..presentation.workbook import write_gaps
from ._args import add_common_input_args, add_scoring_args, scores_from_args


def gaps_command(args: argparse.Namespace) -> int:

    scores = scores_from_args(args)
    analysis = gap_analysis(scores, args.targets or None, cycle=args.cycle, region=args.region,
                            target_scale=args.target_scale, aliases=args.aliases)
    for path in write_gaps(analysis, args.output, lang=args.lang):
        print(path)
    if args.region:
        print()
        print(gap_summary(analysis, args.region, lang=args.lang))
    return 0


def register_cli(sub) -> None:

    parser = sub.add_parser("gaps", help="gap analysis: targets, index points, priorities, progress")
    add_common_input_args(parser)
    parser.add_argument(
        "--targets", action="append", default=[], metavar="FILE|RULE",
        help=f"targets table (CSV/xlsx) or rule such as 'cohort-p75' or 'dimension=cohort-best,SG=80'; "
             f"repeat to mix (default: {DEFAULT_RULE} at every level)",
    )
    parser.add_argument("--target-scale", choices=TARGET_SCALES, default=None,
                        help="scale of fixed targets and table rows without a scale column")
    parser.add_argument("--region", default=None, metavar="NAME",
                        help="analyse one region and print its summary")
    add_scoring_args(parser)
    parser.add_argument("-o", "--output", required=True, metavar="DIR")
    parser.set_defaults(handler=gaps_command)
