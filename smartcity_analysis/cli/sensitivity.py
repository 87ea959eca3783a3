"""``smartcity sensitivity``: the command line of :mod:`smartcity_analysis.analysis.sensitivity`."""

from __future__ import annotations

import argparse

import pandas as pd

from ..analysis.sensitivity import (
    DEFAULT_NOISE,
    UncertaintyResult,
    _resolve_cycle,
    bootstrap_respondents,
    method_uncertainty,
    weight_uncertainty,
    write_sensitivity,
)
from ..model.scoring import Scores, score
from ._args import add_common_input_args, add_scoring_args, options_from_args


def analysed_cycle(args: argparse.Namespace, scores: Scores) -> int:
    """``--analyse-cycle``; else ``--cycle`` when the data hold that cycle; else the latest."""
    if getattr(args, "analyse_cycle", None) is not None:
        return _resolve_cycle(scores, args.analyse_cycle)
    if args.cycle is not None and int(args.cycle) in scores.cycles:
        return int(args.cycle)
    return _resolve_cycle(scores, None)


def sensitivity_command(args: argparse.Namespace) -> int:
    from ..input.framework import load_framework
    from ..input.loading import load_answers

    # As scoring.scores_from_args, keeping the answers for the bootstrap.
    framework = load_framework(args.framework)
    answers = load_answers(args.paths, framework, cycle=args.cycle, region_aliases=args.aliases)
    options = options_from_args(args)
    scores = score(answers, framework, options)
    cycle = analysed_cycle(args, scores)
    level: str | int = int(args.level) if str(args.level).isdigit() else args.level
    common = {"n_samples": args.samples, "noise": args.noise, "seed": args.seed, "cycle": cycle, "level": level}
    results: list[UncertaintyResult | pd.DataFrame] = [
        weight_uncertainty(scores, **common),
        method_uncertainty(scores, **common),
    ]
    if args.bootstrap:
        results.append(bootstrap_respondents(answers, framework, options, n_boot=args.bootstrap,
                                             seed=args.seed, level=1, cycle=cycle))
    for path in write_sensitivity(results, args.output, lang=args.lang, framework=framework):
        print(path)
    return 0


def register_cli(sub) -> None:

    parser = sub.add_parser(
        "sensitivity",
        help="rank intervals under weight and method uncertainty; respondent bootstrap",
        description=(
            "Monte Carlo uncertainty of the ranks of one cycle (the latest, or --analyse-cycle, "
            "or --cycle when the data hold it): weights perturbed by +/- NOISE, and normalisation "
            "x aggregation varied. Writes ranks_uncertainty.csv, sensitivity_inputs.csv and, with "
            "--bootstrap, bootstrap_ci.csv (dimension and index scores)."
        ),
    )
    add_common_input_args(parser)
    add_scoring_args(parser)
    parser.add_argument("--analyse-cycle", type=int, default=None, metavar="C",
                        help="cycle to analyse (default: --cycle if in the data, else the latest)")
    parser.add_argument("--level", default="index",
                        help="level whose ranks are analysed: index, dimension, ... or a depth")
    parser.add_argument("--samples", type=int, default=1000, metavar="N", help="Monte Carlo weight samples")
    parser.add_argument("--noise", type=float, default=DEFAULT_NOISE, metavar="F",
                        help="weight noise factor: each weight times 1 +/- F (default 0.25)")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument("--bootstrap", type=int, default=0, metavar="B",
                        help="respondent bootstrap replicates (0: skip)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR")
    parser.set_defaults(handler=sensitivity_command)
