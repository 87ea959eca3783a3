"""Peta Jalan: the ten-year roadmap, as a Word document and as a workbook the team edits.

Horizons: jangka pendek (the year after the assessed cycle), menengah (years 2-5), panjang
(years 6-10). Each dimension's target path runs from its score in the analysed cycle to its
target in the target year (:func:`~._facts.target_paths`); each indicator with a gap is scheduled
in the horizon the priority matrix proposes (:func:`~._facts.scheduled_indicators`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...analysis.gaps import HORIZONS
from ...i18n import term
from ._common import (
    Context,
    add_figure,
    close_document,
    horizon_counts_table,
    horizon_title,
    open_document,
    paths_table,
    roadmap_intro,
)
from ._facts import scheduled_indicators, target_paths

KIND = "roadmap"


def document(ctx: Context):
    """The document as a python-docx ``Document`` (see the module docstring)."""
    f = ctx.facts
    w = open_document(ctx, KIND)
    w.heading(ctx.t("doc:h:roadmap_intro"))
    roadmap_intro(ctx, w)
    w.paragraph(ctx.s("doc:roadmap_xlsx_note", file=ctx.file_name("roadmap", ".xlsx")))
    horizon_counts_table(ctx, w, by="aspect")
    done = int((f.indicators["priority"] == "no_gap").sum())
    if done:
        w.paragraph(ctx.s("doc:no_gap_note", n=done))

    w.heading(ctx.t("doc:h:paths"))
    paths_table(ctx, w)
    add_figure(ctx, w, "07_gap_dimension")
    horizon_counts_table(ctx, w)

    w.heading(ctx.t("doc:h:schedule"))
    scheduled = scheduled_indicators(f)
    for horizon in HORIZONS:
        rows = scheduled[scheduled["horizon"] == horizon]
        title = horizon_title(ctx, horizon)
        w.heading(title, 2)
        if rows.empty:
            w.paragraph(ctx.t("doc:horizon_none"))
            continue
        by_aspect = rows["aspect"].value_counts()
        w.paragraph(ctx.s("doc:horizon_sentence", n=len(rows), structure=int(by_aspect.get("Struktur", 0)),
                          infrastructure=int(by_aspect.get("Infrastruktur", 0)),
                          superstructure=int(by_aspect.get("Suprastruktur", 0))))
        body = [[f"{c} {r['name']}", r["dimension"], ctx.aspect(r["aspect"]), ctx.to_target(r["score"], r["target"]),
                 f.points(r["index_points"]), ctx.priority(r["priority"])] for c, r in rows.iterrows()]
        w.table([term("indicator", ctx.lang), term("dimension", ctx.lang), term("aspect", ctx.lang),
                 ctx.t("doc:col:to_target"), ctx.t("doc:col:points"), term("priority", ctx.lang)], body,
                align="lclrrl", caption=ctx.s("doc:schedule_table", horizon=title))
    return close_document(ctx, w, KIND)


def roadmap_sheets(ctx: Context) -> dict[str, pd.DataFrame]:
    """The roadmap workbook's sheets: target paths by year, and the indicator schedule with the
    columns the team fills in (programme, responsible office, notes)."""
    f = ctx.facts
    paths = target_paths(f)
    codes = [ctx.fw.root, *f.dimensions.index]
    horizon = paths["horizon"].map(lambda h: ctx.t("doc:baseline") if h == "baseline" else ctx.labels[h])
    sheet_paths = pd.DataFrame({ctx.t("doc:col:year"): paths["year"].astype(int), "horizon": horizon})
    for code in codes:
        label = term("index", ctx.lang) if code == ctx.fw.root else ctx.name(code)
        sheet_paths[label] = paths[code].round(2)

    rows = scheduled_indicators(f)
    schedule = pd.DataFrame({
        "code": rows.index,
        "indicator": rows["name"].to_numpy(),
        "dimension": [ctx.name(d) for d in rows["dimension"]],
        "sub_dimension": [ctx.name(s) if isinstance(s, str) else "" for s in rows["sub_dimension"]],
        "aspect": [ctx.aspect(a) for a in rows["aspect"]],
        "current": rows["score"].to_numpy(dtype=float),
        "target": rows["target"].to_numpy(dtype=float),
        "gap": rows["gap"].to_numpy(dtype=float),
        "index_points": rows["index_points"].to_numpy(dtype=float),
        "priority": [ctx.priority(p) for p in rows["priority"]],
        "horizon": [ctx.priority(h) for h in rows["horizon"]],
        ctx.t("doc:col:start_year"): rows["start_year"].astype(int).to_numpy(),
        ctx.t("doc:col:end_year"): rows["end_year"].astype(int).to_numpy(),
        ctx.t("doc:col:respondents_short"): [", ".join(who for who, _ in a) for a in rows["answers"]],
        ctx.t("doc:col:programme"): "",
        ctx.t("doc:col:owner"): "",
        ctx.t("doc:col:notes"): "",
    })
    return {"doc:sheet:paths": sheet_paths, "doc:sheet:schedule": schedule}


def write_xlsx(ctx: Context, path: str | Path) -> Path:
    """``peta_jalan_<region>.xlsx``: the formatted workbook of :func:`roadmap_sheets`."""
    from ..workbook import write_workbook

    f = ctx.facts
    about = {term("region", ctx.lang): f.region, term("cycle", ctx.lang): str(f.cycle),
             **ctx.assessment.recipe()}
    return write_workbook(roadmap_sheets(ctx), path, lang=ctx.lang, about=about)
