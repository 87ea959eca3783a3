"""Arguments the analysis commands share, and the one way a command line becomes scores."""

from __future__ import annotations

import argparse

from ..assessment import Assessment, open_assessment
from ..model.aggregate import AGGREGATIONS, MISSING_RULES
from ..model.normalise import NORMALISERS
from ..model.scoring import DEFAULT_SCREEN, IMPUTATIONS, RESPONDENT_RULES, Scores, ScoringOptions


def add_common_input_args(parser: argparse.ArgumentParser) -> None:
    """The input arguments every analysis command shares."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="answer files or folders")
    parser.add_argument("--framework", metavar="FILE", default=None,
                        help="instrument as CSV or xlsx (sheet 'framework'); default: built-in")
    parser.add_argument("--cycle", type=int, default=None,
                        help="the cycle analysed (default: the latest); inputs that carry none are of it")
    parser.add_argument("--aliases", metavar="FILE", default=None,
                        help="extra region alias table (alias, region)")



def add_scoring_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--normalise", choices=tuple(NORMALISERS), default="scale")
    parser.add_argument("--aggregate", choices=AGGREGATIONS, default="arithmetic")
    parser.add_argument("--missing", choices=MISSING_RULES, default="available")
    parser.add_argument("--min-coverage", type=float, default=0.5, metavar="X")
    parser.add_argument("--respondents", choices=RESPONDENT_RULES, default="mean")
    gaps = parser.add_argument_group("units and gaps in the data (off by default; recorded in the recipe)")
    gaps.add_argument("--screen", type=float, default=None, metavar="X",
                      help=f"drop regions with less than this share of indicators answered "
                           f"(COINr's audit threshold: {DEFAULT_SCREEN})")
    gaps.add_argument("--impute", choices=IMPUTATIONS, default="none",
                      help="fill missing indicator values within the cycle: indicator mean or "
                           "median, or the mean of the peer group (--impute-group)")
    gaps.add_argument("--impute-group", default="region_type", metavar="COLUMN",
                      help="peer group of --impute group_mean: region_type (default) or province")
    gaps.add_argument("--treat-outliers", action="store_true",
                      help="COINr's outlier treatment: winsorise up to 5 points, else log")


def options_from_args(args: argparse.Namespace) -> ScoringOptions:
    return ScoringOptions(
        normalise=args.normalise, aggregate=args.aggregate, missing=args.missing,
        min_coverage=args.min_coverage, respondents=args.respondents,
        screen=getattr(args, "screen", None), impute=getattr(args, "impute", "none"),
        impute_group=getattr(args, "impute_group", "region_type"),
        treat_outliers=bool(getattr(args, "treat_outliers", False)),
    )


def assessment_from_args(args: argparse.Namespace, *, targets: str | None = None) -> Assessment:
    """The assessment a command line names: a saved assessment folder, or answers loaded and
    scored once with its instrument, aliases, cycle and scoring options (every command's way)."""
    paths = args.paths[0] if len(args.paths) == 1 else args.paths
    # --analyse-cycle is the older spelling of --cycle: one cycle, analysed, and the cycle of
    # inputs that carry none
    cycle = getattr(args, "analyse_cycle", None) or args.cycle
    return open_assessment(paths, framework=args.framework, aliases=args.aliases,
                           options=options_from_args(args), cycle=cycle, targets=targets)


def scores_from_args(args: argparse.Namespace) -> Scores:
    """The scores of :func:`assessment_from_args`."""
    return assessment_from_args(args).scores

