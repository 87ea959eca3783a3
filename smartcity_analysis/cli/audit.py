"""``smartcity audit``: the command line of :mod:`smartcity_analysis.analysis.audit` and
:mod:`smartcity_analysis.analysis.variance` (the JRC / COINr statistical audit, Sobol indices)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._args import add_common_input_args, add_scoring_args, assessment_from_args


def audit_command(args: argparse.Namespace) -> int:
    from ..presentation.audit_tables import audit_sheets, findings_table, sobol_summary
    from ..presentation.workbook import write_workbook

    a = assessment_from_args(args)
    if args.seed is not None:
        a.seed = int(args.seed)
    audit = a.audit
    if args.samples:
        audit = audit.with_sobol(a.sobol(args.samples, n_boot=args.bootstrap or None))
    out = Path(args.output)
    written = audit.write(out)
    about = {"cycle": audit.cycle, **audit.parameters["thresholds"], **a.recipe()}
    written.append(write_workbook(audit_sheets(audit, args.lang), out / "audit.xlsx", lang=args.lang,
                                  about=about))
    if args.charts:
        written += _write_charts(a, audit, out / "charts", args.lang)
    for path in written:
        print(path)
    print()
    for row in findings_table(audit, args.lang).itertuples(index=False):
        print(f"- {row.finding} ({row.n}): {row.where}")
    if audit.sobol is not None:
        print(sobol_summary(audit.sobol, args.lang))
    return 0


def _write_charts(a, audit, folder: Path, lang: str) -> list[Path]:
    from ..presentation.charts import correlation_heatmap, reliability_bars, sobol_bars
    from ..presentation.charts.export import save_figures
    from ..presentation.display import chart_footnote

    footnote = chart_footnote(a, audit.cycle, lang)
    figures = {"reliability": reliability_bars(audit, lang=lang, footnote=footnote)}
    for dimension in audit.framework.dimensions:
        figures[f"correlation_{dimension}"] = correlation_heatmap(audit, dimension, lang=lang, footnote=footnote)
    if audit.sobol is not None:
        figures["sobol"] = sobol_bars(audit.sobol, lang=lang, footnote=footnote)
    return save_figures(figures, folder, prefix="audit", close=True)


def register_cli(sub) -> None:

    parser = sub.add_parser(
        "audit",
        help="statistical audit (JRC / COINr): indicator statistics, correlations, alpha, PCA, Sobol",
        description=(
            "The statistical audit of one cycle (the latest, or --cycle), as COINr and the JRC "
            "audits: indicator statistics and flags, correlations with the parent and within each "
            "dimension, Cronbach's alpha and the first principal component's share, data "
            "availability per region, and Sobol indices of the scoring choices (weights, "
            "normalisation, aggregation, imputation, outlier treatment) on the ranks. PATH may be a "
            "saved assessment folder. Writes audit_*.csv, audit_recipe.json and audit.xlsx."
        ),
    )
    add_common_input_args(parser)
    add_scoring_args(parser)
    parser.add_argument("--samples", type=int, default=1000, metavar="N",
                        help="base samples of the Sobol design: N x 7 variants of the index (0: skip)")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="B",
                        help="bootstrap resamples of the Sobol intervals (0: none)")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="seed of the Sobol design (default: the assessment's)")
    parser.add_argument("--charts", action="store_true", help="also save the audit charts as PNG")
    parser.add_argument("-o", "--output", required=True, metavar="DIR")
    parser.set_defaults(handler=audit_command)
