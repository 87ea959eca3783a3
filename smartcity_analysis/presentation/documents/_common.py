"""What the four documents share: the context of one region, the cover, figures and tables.

A :class:`Context` carries the facts of the region (:mod:`._facts`), the language and the
figures drawn once for all documents; the ``*_table`` and ``*_paragraphs`` functions write the
pieces two documents have in common, so the same numbers are written the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ...analysis.gaps import HORIZONS, LABELS
from ...i18n import format_number, sentence, term
from ._facts import HORIZON_YEARS, RegionFacts, region_facts
from ._word import WordWriter

#: Size charts are drawn at (inches) for a page: a slide body, so labels are fitted to it, then
#: placed at the text width (16 cm on A4), which makes the 14 pt slide labels about 8 pt.
FIGURE_SIZE: tuple[float, float] = (11.0, 6.2)
#: 180 dpi at 11 in is about 310 dpi at the 16 cm it is printed: print resolution.
FIGURE_DPI = 180
#: Charts the documents use (``chart_set`` keys).
FIGURE_KEYS = ("01_ranking", "05_radar", "06_readiness", "07_gap_dimension", "09_pareto", "10_priority",
               "11_trend")


@dataclass
class Context:
    """One region's documents: facts, language, date, synthetic flag, template and figures."""

    assessment: object
    facts: RegionFacts
    lang: str = "id"
    date: dt.date = field(default_factory=dt.date.today)
    synthetic: bool = False
    template: str | Path | None = None
    figures: dict[str, bytes] = field(default_factory=dict)
    file_stem: str | None = None  # the region's part of the file names (default: its slug)

    def t(self, key: str) -> str:
        return term(key, self.lang)

    def s(self, key: str, **values) -> str:
        return sentence(key, self.lang, decimals=self.facts.decimals, **values)

    @property
    def fw(self):
        return self.assessment.framework

    @property
    def labels(self) -> dict[str, str]:
        """Quadrant and horizon words, the workbook's own (:data:`~.gaps.LABELS`)."""
        return LABELS["en" if self.lang == "en" else "id"]

    def name(self, code: str) -> str:
        return self.fw.name(code, self.lang)

    def aspect(self, aspect: object) -> str:
        return term(f"aspect:{aspect}", self.lang) if isinstance(aspect, str) else "-"

    def year(self, offset: int = 0) -> str:
        return str(self.facts.cycle + offset)

    def horizon_years(self, horizon: str) -> str:
        lo, hi = HORIZON_YEARS[horizon]
        return self.year(lo) if lo == hi else f"{self.year(lo)}-{self.year(hi)}"

    def to_target(self, score: float, target: float) -> str:
        return f"{self.facts.score(score)} → {self.facts.score(target)}"

    def priority(self, value: object) -> str:
        return self.labels.get(value, "-") if isinstance(value, str) else "-"

    def file_name(self, kind: str, suffix: str = ".docx") -> str:
        return document_path("", kind, self.file_stem or self.facts.region, self.lang, suffix).name

    def region_type(self) -> str | None:
        value = self.facts.profile.get("region_type")
        if value is None:
            return None
        key = f"doc:region_type:{value.lower()}"
        return self.t(key) if key != self.t(key) else value


def document_path(out_dir: str | Path, kind: str, region: str, lang: str = "id", suffix: str = ".docx") -> Path:
    """``out_dir/analisis_kesiapan_kabupaten-pekalongan.docx``: ascii, lowercase, safe on Windows
    (``region`` is a region's name or the file-name part chosen for it)."""
    from ..charts.export import slug

    return Path(out_dir) / f"{term(f'doc:file:{kind}', lang)}_{slug(region)}{suffix}"


def make_context(assessment, region: str, *, lang: str = "id", date: dt.date | None = None,
                 synthetic: bool | None = None, template=None, figures: dict | None = None,
                 file_stem: str | None = None) -> Context:
    facts = region_facts(assessment, region, lang)
    return Context(assessment, facts, lang, date or dt.date.today(),
                   bool(assessment.synthetic if synthetic is None else synthetic), template, dict(figures or {}),
                   file_stem)


def draw_figures(assessment, region: str, lang: str = "id", keys=FIGURE_KEYS) -> dict[str, bytes]:
    """The documents' charts for one region as PNG bytes at print resolution (drawn once)."""
    from ..charts import chart_set, slide_body
    from ..charts.export import close_figure, png_images

    region = assessment.resolve_region(region)
    with slide_body(FIGURE_SIZE):
        figures = chart_set(assessment.scores, gaps=assessment.gaps, region=region, lang=lang,
                            cycle=assessment.cycle, keys=keys)
    try:
        return png_images(figures, FIGURE_DPI)
    finally:
        for fig in figures.values():
            close_figure(fig)


def date_text(date: dt.date, lang: str) -> str:
    return sentence("doc:date", lang, day=str(date.day), month=term(f"doc:month:{date.month}", lang),
                    year=str(date.year))


# --- the frame of a document -------------------------------------------------------------------


def open_document(ctx: Context, kind: str, *, cover_page: bool = True, toc: bool = True) -> WordWriter:
    """A writer on the template with the cover (or title block), footer and table of contents."""
    f = ctx.facts
    title = ctx.t(f"doc:title:{kind}")
    writer = WordWriter(ctx.template, ctx.lang, {"figure": ctx.t("doc:figure"), "table": ctx.t("doc:table"),
                                                 "toc": ctx.t("doc:toc")})
    details = []
    if f.profile.get("province"):
        details.append(ctx.s("doc:province", province=f.profile["province"]))
    if f.profile.get("region_code"):
        details.append(ctx.s("doc:region_code", code=f.profile["region_code"]))
    note = ctx.t("doc:synthetic_note") if ctx.synthetic else ""
    footer = ctx.s("doc:footer_synthetic" if ctx.synthetic else "doc:footer", title=title, region=f.region)
    values = {
        "programme": ctx.t("doc:programme"), "title": title, "region": f.region, "details": " · ".join(details),
        "cycle": ctx.s("doc:cycle", cycle=str(f.cycle)), "date": date_text(ctx.date, ctx.lang), "note": note,
        "footer": footer,
    }
    block = [("Subtitle", values["programme"]), ("Title", title), ("Subtitle", f.region),
             ("Normal", values["details"]), ("Normal", f"{values['cycle']} · {values['date']}")]
    if note:
        block.append(("Normal", note, True))
    writer.cover(values, block, page=cover_page)
    writer.footer(footer, cover_page=cover_page)
    if toc:
        writer.toc()
    return writer


def close_document(ctx: Context, writer: WordWriter, kind: str):
    f = ctx.facts
    title = ctx.t(f"doc:title:{kind}")
    return writer.finish({
        "title": f"{title}: {f.region}",
        "subject": ctx.s("doc:subject", region=f.region, cycle=str(f.cycle)),
        "author": "smartcity_analysis",
        "keywords": "; ".join([ctx.t("doc:programme"), f.region, str(f.cycle)]),
        "language": "en-GB" if ctx.lang == "en" else "id-ID",
        "comments": ctx.t("doc:synthetic_note") if ctx.synthetic else "",
        "created": dt.datetime.combine(ctx.date, dt.time(0, 0)),
        "modified": dt.datetime.combine(ctx.date, dt.time(0, 0)),
        "last_modified_by": "smartcity_analysis",
        "revision": 1,
    })


# --- figures --------------------------------------------------------------------------------------


def add_figure(ctx: Context, writer: WordWriter, key: str, *, width_cm: float | None = None) -> bool:
    """The chart ``key`` with its caption and an alt text that states its numbers; False if absent."""
    png = ctx.figures.get(key)
    if png is None:
        return False
    caption_key, alt = _FIGURE_TEXTS[key]
    writer.figure(png, ctx.t(caption_key), alt(ctx), width_cm=width_cm)
    return True


def _joined(parts) -> str:
    return "; ".join(parts) + "."


def _alt_radar(ctx: Context) -> str:
    f = ctx.facts
    values = [ctx.s("doc:alt:radar_value", name=ctx.name(c), score=f.score(r["score"]), median=f.score(r["median"]),
                    target=f.score(r["target"])) for c, r in f.dimensions.iterrows()]
    return ctx.s("doc:alt:radar", region=f.region, values=_joined(values))


def _alt_readiness(ctx: Context) -> str:
    f = ctx.facts
    weak = f.aspects[f.aspects["weakest"]]
    values = [f"{ctx.name(r['dimension'])} {ctx.aspect(r['aspect'])} {f.score(r['current'])}"
              for _, r in weak.iterrows()]
    return ctx.s("doc:alt:readiness", region=f.region, values=_joined(values))


def _alt_ranking(ctx: Context) -> str:
    f = ctx.facts
    return ctx.s("doc:alt:ranking", n=f.n_regions, region=f.region, rank=int(f.index["rank"]),
                 score=f.score(f.index["score"]), best_region=f.index["best_region"], best=f.score(f.index["best"]))


def _alt_trend(ctx: Context) -> str:
    f = ctx.facts
    values = [ctx.s("doc:alt:change_value", name=ctx.name(c), before=f.score(r["previous_score"]),
                    after=f.score(r["score"])) for c, r in f.dimensions.iterrows()]
    return ctx.s("doc:alt:trend", region=f.region, previous=str(f.previous_cycle), cycle=str(f.cycle),
                 values=_joined(values))


def _gap_values(ctx: Context) -> str:
    f = ctx.facts
    return _joined(ctx.s("doc:alt:gap_value", name=ctx.name(c), score=f.score(r["score"]), target=f.score(r["target"]))
                   for c, r in f.dimensions.iterrows())


def _alt_pareto(ctx: Context) -> str:
    top = top_indicators(ctx.facts, 10)
    values = [ctx.s("doc:alt:points_value", name=r["name"], points=ctx.facts.points(r["index_points"]))
              for _, r in top.iterrows()]
    return ctx.s("doc:alt:pareto", n=len(top), region=ctx.facts.region, values=_joined(values))


def _alt_priority(ctx: Context) -> str:
    quick = int((ctx.facts.indicators["priority"] == "quick_win").sum())
    return ctx.s("doc:alt:priority", region=ctx.facts.region, quick=quick)


_FIGURE_TEXTS = {
    "05_radar": ("doc:fig:radar", _alt_radar),
    "06_readiness": ("doc:fig:readiness", _alt_readiness),
    "01_ranking": ("doc:fig:ranking", _alt_ranking),
    "11_trend": ("doc:fig:trend", _alt_trend),
    "07_gap_dimension": ("doc:fig:gap_dimension",
                         lambda ctx: ctx.s("doc:alt:gap_dimension", region=ctx.facts.region, values=_gap_values(ctx))),
    "09_pareto": ("doc:fig:pareto", _alt_pareto),
    "10_priority": ("doc:fig:priority", _alt_priority),
}


# --- shared pieces ----------------------------------------------------------------------------------


def top_indicators(facts: RegionFacts, n: int) -> pd.DataFrame:
    """The ``n`` indicators that lift the index most (the gap analysis' ranking), with a gain."""
    rows = facts.indicators[facts.indicators["index_points"] > 0]
    return rows.sort_values("rank").head(n)


def index_paragraphs(ctx: Context, writer: WordWriter) -> None:
    """The index sentence and the strongest and weakest dimension."""
    f = ctx.facts
    writer.paragraph(ctx.s("doc:index_sentence", region=f.region, cycle=str(f.cycle), score=f.score(f.index["score"]),
                           top=format_number(f.scale[1], 0, ctx.lang), maturity=f.index["maturity"],
                           rank=int(f.index["rank"]), n=int(f.index["n_ranked"]), median=f.score(f.index["median"])))
    dims = f.dimensions.dropna(subset=["score"])
    if len(dims):
        strong, weak = dims["score"].idxmax(), dims["score"].idxmin()
        writer.paragraph(ctx.s(
            "doc:strong_weak_sentence", strong=ctx.name(strong), strong_score=f.score(dims.at[strong, "score"]),
            strong_maturity=dims.at[strong, "maturity"], weak=ctx.name(weak), weak_score=f.score(dims.at[weak, "score"]),
            weak_maturity=dims.at[weak, "maturity"]))


def scores_table(ctx: Context, writer: WordWriter, *, compact: bool = False) -> None:
    """Index and dimension scores with maturity, rank and the cohort median (the workbook's numbers).

    ``compact``: score, maturity and the change since the previous cycle only (the summary).
    """
    f = ctx.facts
    rows = [(term("index", ctx.lang), f.index)] + [(ctx.name(c), r) for c, r in f.dimensions.iterrows()]
    if compact:
        headers = [term("dimension", ctx.lang), term("score", ctx.lang), term("maturity", ctx.lang)]
        if f.previous_cycle is not None:
            headers.append(ctx.s("doc:col:change") + f" ({f.previous_cycle}-{f.cycle})")
        body = []
        for label, r in rows:
            line = [label, f.score(r["score"]), r["maturity"]]
            if f.previous_cycle is not None:
                line.append(f.change(r["score_change"]))
            body.append(line)
        writer.table(headers, body, align="lrlr"[: len(headers)],
                     caption=ctx.t("doc:summary_table"), bold_first_column=False)
        return
    headers = [term("dimension", ctx.lang), term("score", ctx.lang), term("maturity", ctx.lang), term("rank", ctx.lang),
               term("median", ctx.lang), term("to_median", ctx.lang)]
    body = [[label, f.score(r["score"]), r["maturity"], _int(r["rank"]), f.score(r["median"]), f.change(r["to_median"])]
            for label, r in rows]
    writer.table(headers, body, align="lrlrrr",
                 caption=ctx.s("doc:scores_table", cycle=str(f.cycle)))


def change_text(ctx: Context) -> str | None:
    """The change since the previous cycle (index, rank, dimensions up) and the on-track check;
    None without a previous cycle."""
    f = ctx.facts
    i = f.index
    if f.previous_cycle is None or not finite(i["previous_score"]):
        return None
    before, after = int(i["previous_rank"]), int(i["rank"])
    rank_text = (ctx.s("doc:rank_same", rank=after) if before == after
                 else ctx.s("doc:rank_moved", before=before, after=after))
    ups = int((f.dimensions["score_change"] > 0).sum())
    texts = [ctx.s("doc:change_sentence", previous=str(f.previous_cycle), change=f.change(i["score_change"]),
                   before=f.score(i["previous_score"]), after=f.score(i["score"]), rank_text=rank_text, ups=ups,
                   n=len(f.dimensions))]
    progress = ctx.assessment.gaps.progress
    base = progress[(progress["region"] == f.region) & (progress["code"] == ctx.fw.root)]
    if len(base) and finite(i.get("expected")) and not pd.isna(i.get("on_track")):
        status = ctx.t("doc:status:on_track" if bool(i["on_track"]) else "doc:status:behind")
        texts.append(ctx.s("doc:on_track_sentence", baseline=str(int(base["baseline_cycle"].iloc[0])),
                           target_year=str(int(i["target_year"])), status=status, current=f.score(i["score"]),
                           expected=f.score(i["expected"])))
    return " ".join(texts)


def _int(value) -> str:
    return "-" if value is None or pd.isna(value) else str(int(value))


def horizon_title(ctx: Context, horizon: str) -> str:
    return ctx.s("doc:h:horizon", horizon=ctx.labels[horizon].capitalize(), years=ctx.horizon_years(horizon))


def roadmap_intro(ctx: Context, writer: WordWriter) -> None:
    writer.paragraph(ctx.s("doc:roadmap_intro", short=ctx.horizon_years("short"), medium=ctx.horizon_years("medium"),
                           long=ctx.horizon_years("long"), cycle=str(ctx.facts.cycle)))


def paths_table(ctx: Context, writer: WordWriter) -> None:
    """The target path of the index and each dimension, year by year (:func:`~._facts.target_paths`)."""
    from ._facts import target_paths

    f = ctx.facts
    paths = target_paths(f)
    codes = [ctx.fw.root, *f.dimensions.index]
    headers = [ctx.t("doc:col:year"), term("horizon", ctx.lang), term("index", ctx.lang), *f.dimensions.index]
    body = []
    for _, row in paths.iterrows():
        horizon = ctx.t("doc:baseline") if row["horizon"] == "baseline" else ctx.labels[row["horizon"]]
        body.append([str(int(row["year"])), horizon, *(f.score(row[c]) for c in codes)])
    legend = ", ".join(f"{c} {ctx.name(c)}" for c in f.dimensions.index)
    writer.paragraph(ctx.s("doc:paths_legend", legend=legend))
    writer.table(headers, body, align="ll" + "r" * len(codes),
                 caption=ctx.t("doc:paths_table"))


def horizon_counts_table(ctx: Context, writer: WordWriter, by: str = "dimension") -> None:
    """How many indicators each dimension (or aspect) has in each horizon."""
    from ._facts import scheduled_indicators

    f = ctx.facts
    rows = scheduled_indicators(f)
    if by == "dimension":
        keys, label = list(f.dimensions.index), ctx.name
        first, caption = term("dimension", ctx.lang), ctx.t("doc:horizon_counts_table")
    else:
        keys = [a for a in ("Struktur", "Infrastruktur", "Suprastruktur") if (f.indicators["aspect"] == a).any()]
        label, first, caption = ctx.aspect, term("aspect", ctx.lang), ctx.t("doc:aspect_counts_table")
    counts = rows.groupby([by, "horizon"]).size()
    headers = [first, *(f"{ctx.labels[h].capitalize()} ({ctx.horizon_years(h)})" for h in HORIZONS)]
    body = [[label(k), *(str(int(counts.get((k, h), 0))) for h in HORIZONS)] for k in keys]
    writer.table(headers, body, align="lrrr", caption=caption)


def evidence_lines(ctx: Context, evidence: list[tuple[str, str]]) -> list[str]:
    return [f"{who}: {text}" for who, text in evidence] or [ctx.t("doc:no_evidence")]


def answers_text(ctx: Context, indicator: pd.Series) -> str:
    """Each office's answer (``Bappeda 4; Diskominfo 3``); the mean answer where only the scores
    were kept; ``tidak dijawab`` where nobody answered."""
    from ._facts import answer_text

    if indicator["answers"]:
        return "; ".join(f"{who} {value}" for who, value in indicator["answers"])
    if finite(indicator["raw"]):
        return f"{ctx.t('doc:col:answer_mean')} {answer_text(indicator['raw'], ctx.lang)}"
    return ctx.t("doc:not_answered")


def finite(value) -> bool:
    return value is not None and not pd.isna(value) and np.isfinite(float(value))
