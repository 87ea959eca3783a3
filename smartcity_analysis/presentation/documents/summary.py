"""Ringkasan Eksekutif: at most two pages for the regent (bupati/wali kota).

Index, rank and maturity, the strongest and weakest dimension, the dimension scores, the five
actions that lift the index most, and the progress since the last cycle. No cover page and no
table of contents (they would take a page of two); the title block opens the first page.
"""

from __future__ import annotations

from ...i18n import term
from ._common import (
    Context,
    add_figure,
    change_text,
    close_document,
    index_paragraphs,
    open_document,
    scores_table,
    top_indicators,
)

KIND = "summary"
ACTIONS = 5


def document(ctx: Context):
    """The document as a python-docx ``Document`` (see the module docstring)."""
    f = ctx.facts
    w = open_document(ctx, KIND, cover_page=False, toc=False)
    w.heading(ctx.t("doc:h:position"))
    index_paragraphs(ctx, w)
    scores_table(ctx, w, compact=True)

    w.heading(ctx.t("doc:h:actions"))
    top = top_indicators(f, ACTIONS)
    body = [[str(k), f"{c} {r['name']}", r["dimension"], ctx.to_target(r["score"], r["target"]),
             f.points(r["index_points"]), ctx.priority(r["horizon"])]
            for k, (c, r) in enumerate(top.iterrows(), start=1)]
    w.table([ctx.t("doc:col:no"), term("indicator", ctx.lang), term("dimension", ctx.lang), ctx.t("doc:col:to_target"),
             ctx.t("doc:col:points"), term("horizon", ctx.lang)], body,
            align="rlcrrl", caption=ctx.t("doc:actions_table"))
    quick = int((f.indicators["priority"] == "quick_win").sum())
    w.paragraph(f"{ctx.t('doc:actions_note')} {ctx.s('doc:quick_win_count', n=quick)}")

    text = change_text(ctx)
    if text is None:
        w.heading(ctx.t("doc:h:progress_none"))
        w.paragraph(ctx.t("doc:no_previous"))
    else:
        w.heading(ctx.s("doc:h:progress", previous=str(f.previous_cycle)))
        w.paragraph(text)
    add_figure(ctx, w, "05_radar", width_cm=14.0)
    return close_document(ctx, w, KIND)
