"""``smartcity score``: the command line of :mod:`smartcity_analysis.model.scoring`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._args import add_common_input_args, add_scoring_args, scores_from_args


def score_command(args: argparse.Namespace) -> int:
    from ..presentation.workbook import write_scores

    scores = scores_from_args(args)
    out = Path(args.output)
    written = write_scores(scores, out, lang=args.lang)
    for path in written:
        print(path)
    return 0


def register_cli(sub) -> None:

    parser = sub.add_parser("score", help="score dimensions, sub-dimensions and the index")
    add_common_input_args(parser)
    add_scoring_args(parser)
    parser.add_argument("-o", "--output", required=True, metavar="DIR")
    parser.set_defaults(handler=score_command)
