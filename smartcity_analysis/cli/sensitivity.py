"""``smartcity sensitivity``: the command line of :mod:`smartcity_analysis.analysis.sensitivity`."""

from __future__ import annotations

import argparse

import pandas as pd

from ..analysis.sensitivity import DEFAULT_NOISE, UncertaintyResult, write_sensitivity
from ._args import add_common_input_args, add_scoring_args, assessment_from_args


def sensitivity_command(args: argparse.Namespace) -> int:
    a = assessment_from_args(args)
    level: str | int = int(args.level) if str(args.level).isdigit() else args.level
    common = {"noise": args.noise, "level": level}
    if args.seed is not None:
        a.seed = args.seed
    results: list[UncertaintyResult | pd.DataFrame] = [
        a.weight_uncertainty(args.samples, **common),
        a.method_uncertainty(args.samples, **common),
    ]
    if args.bootstrap:
        results.append(a.bootstrap(args.bootstrap, level=1))
    for path in write_sensitivity(results, args.output, lang=args.lang, framework=a.framework):
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
                        help=argparse.SUPPRESS)  # older spelling of --cycle
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
