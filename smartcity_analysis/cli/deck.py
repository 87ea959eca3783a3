"""``smartcity deck``: the command line of :mod:`smartcity_analysis.presentation.deck`."""

from __future__ import annotations

import argparse

from ..presentation.deck import build_deck, write_deck
from ._args import add_common_input_args, add_scoring_args, scores_from_args


def deck_command(args: argparse.Namespace) -> int:
    from ..analysis.gaps import gap_analysis
    from ..paths import looks_synthetic

    scores = scores_from_args(args)
    gaps = gap_analysis(scores, args.targets, cycle=args.analyse_cycle)
    synthetic = looks_synthetic(*args.paths)
    prs = build_deck(scores, gaps, args.region, lang=args.lang, synthetic=synthetic)
    path = write_deck(prs, args.output)
    print(path)
    return 0


def register_cli(sub) -> None:

    parser = sub.add_parser("deck", help="a Bimtek PowerPoint deck for one region")
    add_common_input_args(parser)
    add_scoring_args(parser)
    parser.add_argument("--region", required=True)
    parser.add_argument("--targets", default=None, metavar="FILE|RULE")
    parser.add_argument("--analyse-cycle", type=int, default=None, help="cycle to present (default: latest)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pptx")
    parser.set_defaults(handler=deck_command)

