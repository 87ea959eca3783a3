"""``smartcity deck``: the command line of :mod:`smartcity_analysis.presentation.deck`."""

from __future__ import annotations

import argparse

from ..presentation.deck import build_deck, open_template, write_deck
from ._args import add_common_input_args, add_scoring_args, assessment_from_args


def deck_command(args: argparse.Namespace) -> int:
    if args.template:
        open_template(args.template)  # a template that cannot be used fails before any scoring
    a = assessment_from_args(args, targets=args.targets)
    prs = build_deck(a.scores, a.gaps, a.resolve_region(args.region), lang=args.lang, synthetic=a.synthetic,
                     template=args.template)
    path = write_deck(prs, args.output)
    print(path)
    return 0


def register_cli(sub) -> None:

    parser = sub.add_parser("deck", help="a Bimtek PowerPoint deck for one region")
    add_common_input_args(parser)
    add_scoring_args(parser)
    parser.add_argument("--region", required=True)
    parser.add_argument("--targets", default=None, metavar="FILE|RULE")
    parser.add_argument("--template", default=None, metavar="FILE.pptx",
                        help="an office's PowerPoint template (.pptx or .potx): the deck uses its slide "
                             "master and layouts (default: the package's own)")
    parser.add_argument("--analyse-cycle", type=int, default=None, help=argparse.SUPPRESS)  # older spelling of --cycle
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pptx")
    parser.set_defaults(handler=deck_command)
