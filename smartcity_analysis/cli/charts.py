"""``smartcity charts``: the command line of :mod:`smartcity_analysis.presentation.charts.export`."""

from __future__ import annotations

import argparse

from ..i18n import term
from ..presentation.charts.export import export_charts
from ..presentation.charts.theme import source_line
from ._args import add_common_input_args, add_scoring_args, assessment_from_args


def charts_command(args: argparse.Namespace) -> int:
    from ..analysis.gaps import gap_analysis

    a = assessment_from_args(args)
    cycle = a.cycle
    region = a.resolve_region(args.region) if args.region else None
    # several --targets rules mix, and fixed targets may name their scale: not the assessment's one rule
    gaps = gap_analysis(a.scores, args.targets or None, cycle=cycle, target_scale=args.target_scale,
                        aliases=args.aliases)
    uncertainty = a.weight_uncertainty(args.samples) if args.samples > 0 else None
    source = args.source or term("chart:default_source", args.lang).format(cycle=cycle)
    footnote = source_line(source, args.synthetic or a.synthetic, args.lang)
    for path in export_charts(a.scores, args.output, args.format, gaps=gaps, uncertainty=uncertainty,
                              region=region, lang=args.lang, footnote=footnote):
        print(path)
    return 0


def register_cli(sub) -> None:
    """``smartcity charts PATH... [--region NAME] [--format png,svg,pdf] -o DIR`` (``--lang`` is global)."""

    parser = sub.add_parser(
        "charts", help="slide-ready charts (PNG, SVG, PDF) for the cohort and each region",
        description=("Draws the workshop charts: DIR/cohort/ (ranking, maturity heatmap, radars, rank "
                     "changes) and DIR/<region>/ (the cohort charts with the region highlighted, its "
                     "radar, readiness matrix, gaps, Pareto, priority matrix, trend). "
                     "Use 'smartcity --lang en charts ...' for English."),
    )
    add_common_input_args(parser)
    add_scoring_args(parser)
    parser.add_argument("--region", default=None, metavar="NAME", help="only this region (default: every region)")
    parser.add_argument("--format", default="png", metavar="LIST", help="png, svg and/or pdf, comma-separated")
    parser.add_argument("--targets", action="append", default=[], metavar="FILE|RULE",
                        help="targets for the gap charts, as 'smartcity gaps' (default: next-level)")
    parser.add_argument("--target-scale", choices=("native", "percent"), default=None)
    parser.add_argument("--samples", type=int, default=300, metavar="N",
                        help="Monte Carlo weight samples for the ranking intervals (0: none)")
    parser.add_argument("--source", default=None, metavar="TEXT", help="source line under every chart")
    parser.add_argument("--synthetic", action="store_true",
                        help="mark the charts 'data sintetis' (automatic for the sample data)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR")
    parser.set_defaults(handler=charts_command)
