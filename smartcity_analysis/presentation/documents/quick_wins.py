"""Profil Quick Win: every quick win of the priority matrix, in one table and one block each.

A block states the indicator's dimension, sub-dimension and aspect, current score and target,
the index points it gains, its horizon and year, the instrument's question, the offices that
answered it (with their answers) and the evidence already given.
"""

from __future__ import annotations

from ...i18n import term
from ._common import (
    Context,
    add_figure,
    answers_text,
    close_document,
    evidence_lines,
    open_document,
)
from ._facts import HORIZON_YEARS

KIND = "quick_wins"


def quick_win_rows(ctx: Context):
    """The region's quick wins, strongest lift first (the gap analysis' impact rank)."""
    rows = ctx.facts.indicators
    return rows[rows["priority"] == "quick_win"].sort_values("rank", kind="stable")


def document(ctx: Context):
    """The document as a python-docx ``Document`` (see the module docstring)."""
    f = ctx.facts
    w = open_document(ctx, KIND)
    rows = quick_win_rows(ctx)
    with_gap = int(f.indicators["priority"].isin(["quick_win", "major_project", "fill_in", "low_priority"]).sum())
    w.heading(ctx.t("doc:h:qw_intro"))
    w.paragraph(ctx.s("doc:qw_intro", with_gap=with_gap, region=f.region, n=len(rows)))
    threshold = ctx.assessment.gaps.priorities
    threshold = threshold[threshold["region"] == f.region]["impact_threshold"].dropna()
    if len(threshold):
        w.paragraph(ctx.s("doc:qw_rule", threshold=f.points(float(threshold.iloc[0]), False)))
    add_figure(ctx, w, "10_priority")
    if rows.empty:
        w.paragraph(ctx.t("doc:qw_none"))
        return close_document(ctx, w, KIND)

    w.heading(ctx.t("doc:h:qw_list"))
    body = [[f"{c} {r['name']}", r["dimension"], ctx.aspect(r["aspect"]), ctx.to_target(r["score"], r["target"]),
             f.points(r["index_points"]), ctx.s("doc:evidence_count", n=len({who for who, _ in r["evidence"]}),
                                                of=len(r["answers"]))]
            for c, r in rows.iterrows()]
    w.table([term("indicator", ctx.lang), term("dimension", ctx.lang), term("aspect", ctx.lang),
             ctx.t("doc:col:to_target"), ctx.t("doc:col:points"), term("evidence", ctx.lang)], body,
            align="lclrrl", caption=ctx.s("doc:qw_table", region=f.region))

    w.heading(ctx.t("doc:h:qw_each"))
    n_ranked = int(f.indicators["rank"].notna().sum())
    for code, r in rows.iterrows():
        w.heading(f"{code} {r['name']}", 2)
        sub = ctx.name(r["sub_dimension"]) if isinstance(r["sub_dimension"], str) else "-"
        w.paragraph(ctx.s("doc:qw_position", dimension=ctx.name(r["dimension"]), sub=sub, aspect=ctx.aspect(r["aspect"]),
                          score=f.score(r["score"]), maturity=r["maturity"] or "-", target=f.score(r["target"]),
                          target_maturity=r["target_maturity"], year=str(int(r["target_year"])),
                          points=f.points(r["index_points"], False), rank=int(r["rank"]), n=n_ranked))
        horizon = r["horizon"] if isinstance(r["horizon"], str) else "short"
        first, last = HORIZON_YEARS[horizon]
        years = ctx.year(first) if first == last else f"{ctx.year(first)}-{ctx.year(last)}"
        w.paragraph(ctx.s("doc:qw_horizon", horizon=ctx.labels[horizon], years=ctx.labels[f"{horizon}_years"],
                          year=years), bold_lead=ctx.t("doc:label:horizon"))
        if isinstance(r["question"], str) and r["question"].strip():
            w.paragraph(r["question"].strip(), bold_lead=ctx.t("doc:label:question"))
        w.paragraph(answers_text(ctx, r), bold_lead=ctx.t("doc:label:answered_by"))
        w.paragraph("; ".join(evidence_lines(ctx, r["evidence"])), bold_lead=ctx.t("doc:label:evidence"))
    return close_document(ctx, w, KIND)
