"""Arguments the analysis commands share, and the one way a command line becomes scores."""

from __future__ import annotations

import argparse

from ..input.framework import load_framework
from ..input.loading import load_answers
from ..model.aggregate import AGGREGATIONS, MISSING_RULES
from ..model.normalise import METHODS
from ..model.scoring import RESPONDENT_RULES, Scores, ScoringOptions, score


def add_common_input_args(parser: argparse.ArgumentParser) -> None:
    """The input arguments every analysis command shares."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="answer files or folders")
    parser.add_argument("--framework", metavar="FILE", default=None,
                        help="instrument as CSV or xlsx (sheet 'framework'); default: built-in")
    parser.add_argument("--cycle", type=int, default=None,
                        help="cycle for inputs that carry none / cycle to analyse")
    parser.add_argument("--aliases", metavar="FILE", default=None,
                        help="extra region alias table (alias, region)")



def add_scoring_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--normalise", choices=METHODS, default="scale")
    parser.add_argument("--aggregate", choices=AGGREGATIONS, default="arithmetic")
    parser.add_argument("--missing", choices=MISSING_RULES, default="available")
    parser.add_argument("--min-coverage", type=float, default=0.5, metavar="X")
    parser.add_argument("--respondents", choices=RESPONDENT_RULES, default="mean")


def options_from_args(args: argparse.Namespace) -> ScoringOptions:
    return ScoringOptions(args.normalise, args.aggregate, args.missing, args.min_coverage, args.respondents)


def scores_from_args(args: argparse.Namespace) -> Scores:
    """Load and score the inputs named on a command line (shared by several subcommands)."""
    framework = load_framework(args.framework)
    answers = load_answers(args.paths, framework, cycle=args.cycle, region_aliases=args.aliases)
    return score(answers, framework, options_from_args(args))

