"""Bimtek decks: one PowerPoint per region, ready to present without touching up.

:func:`build_deck` makes a 16:9 deck with python-pptx: a title slide (region, cycle, date), one
chart per slide, each with a title and a one-line finding written from the numbers ("Smart
Branding terendah: 42 dari 100, 18 poin di bawah median kohort"), speaker notes carrying the
figures, and a closing slide of the top quick wins. Charts that PowerPoint can draw natively
(bar, radar) are native, editable charts in the dimension colours; the others are the package's
matplotlib charts as pictures, drawn as slide bodies (:func:`~.charts.slide_body`): at the size
of the slide's chart box, without the title and footnote the slide already has.

The findings come from :func:`findings`, a pure function over the scores and the gap analysis,
so they are tested on their own and reused by the notebooks.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.compare import changes, cohort_statistics, ranks
from ..errors import Location, RunError
from ..i18n import format_number, term
from ..model.maturity import SPBE_LADDER, MaturityLadder

SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
INK = "1A1A1A"
ACCENT = "1F4E79"
MUTED = "595959"
HIGHLIGHT = "0072B2"
OTHERS = "BFBFBF"

WORDS = {
    "id": {
        "title": "Analisis Kesiapan Smart City",
        "subtitle": "Siklus {cycle} · {date}",
        "ranking": "Peringkat indeks kesiapan",
        "heatmap": "Tingkat kematangan per dimensi",
        "radar_grid": "Profil dimensi seluruh kohort",
        "rank_changes": "Perubahan peringkat",
        "radar": "Skor per dimensi dibanding kohort",
        "readiness": "Matriks kesiapan: dimensi x aspek",
        "gap_dimension": "Kesenjangan per dimensi",
        "gap_sub_dimension": "Kesenjangan per sub-dimensi",
        "pareto": "Indikator yang paling menaikkan indeks",
        "priority": "Matriks prioritas: dampak dan upaya",
        "trend": "Tren skor dimensi",
        "closing": "Quick win teratas",
        "closing_none": "Belum ada quick win: semua indikator berdampak tinggi membutuhkan upaya besar.",
        "median": "Median kohort",
        "target": "Target",
        "current": "Saat ini",
        "points": "poin indeks",
        "synthetic": "data sintetis",
    },
    "en": {
        "title": "Smart City Readiness Analysis",
        "subtitle": "Cycle {cycle} · {date}",
        "ranking": "Readiness index ranking",
        "heatmap": "Maturity level by dimension",
        "radar_grid": "Dimension profiles of the cohort",
        "rank_changes": "Rank changes",
        "radar": "Dimension scores against the cohort",
        "readiness": "Readiness matrix: dimension x aspect",
        "gap_dimension": "Gaps by dimension",
        "gap_sub_dimension": "Gaps by sub-dimension",
        "pareto": "Indicators that lift the index most",
        "priority": "Priority matrix: impact and effort",
        "trend": "Dimension score trends",
        "closing": "Top quick wins",
        "closing_none": "No quick wins yet: every high-impact indicator needs a large effort.",
        "median": "Cohort median",
        "target": "Target",
        "current": "Current",
        "points": "index points",
        "synthetic": "synthetic data",
    },
}

_MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember")


@dataclass(frozen=True)
class Finding:
    """One slide's words: title, the one-line finding, and the speaker notes."""

    key: str
    title: str
    finding: str
    notes: str


def _num(value: float, lang: str, decimals: int = 1) -> str:
    return format_number(float(value), decimals, lang)


def _date_text(date: dt.date, lang: str) -> str:
    if lang == "en":
        return date.strftime("%d %B %Y").lstrip("0")
    return f"{date.day} {_MONTHS_ID[date.month - 1]} {date.year}"


def findings(scores, gaps, region: str, *, lang: str = "id", ladder: MaturityLadder = SPBE_LADDER
             ) -> dict[str, Finding]:
    """The finding of every slide, written from the numbers.

    Parameters
    ----------
    scores : Scores
    gaps : GapAnalysis
        Its cycle is the one described.
    region : str
        A canonical region name present in ``gaps``.
    lang : {"id", "en"}

    Returns
    -------
    dict of str to Finding
        Keys ``ranking, heatmap, radar_grid, rank_changes, radar, readiness, gap_dimension,
        gap_sub_dimension, pareto, priority, trend, closing`` (those the data allow).
    """
    w = WORDS[lang]
    fw = scores.framework
    cycle = gaps.cycle
    lo, hi = scores.scale_range
    of = f"{term('of', lang)} {_num(hi, lang, 0)}"
    names = fw.names(lang)
    short = {d: fw.table.at[d, "name_en"] if isinstance(fw.table.at[d, "name_en"], str) else d for d in fw.dimensions}
    out: dict[str, Finding] = {}

    # Ranking.
    rk = ranks(scores, ("index",))
    rk = rk[rk["cycle"] == cycle].sort_values("rank")
    mine = rk[rk["region"] == region].iloc[0]
    maturity = ladder.name_of([mine["score"]], scores.scale_range, lang)[0]
    n = int(mine["n_ranked"])
    if lang == "en":
        text = f"{region} ranks {mine['rank']} of {n}: index {_num(mine['score'], lang)} {of} ({maturity})"
    else:
        text = f"{region} peringkat {mine['rank']} dari {n}: indeks {_num(mine['score'], lang)} {of} ({maturity})"
    notes = "\n".join(f"{int(r['rank'])}. {r['region']}: {_num(r['score'], lang)}" for _, r in rk.iterrows())
    out["ranking"] = Finding("ranking", w["ranking"], text, notes)

    # Dimensions of the region against the cohort.
    dims = scores.level("dimension", cycle)
    stats = cohort_statistics(scores).query("cycle == @cycle").set_index("code")
    own = dims.loc[region]
    median = stats.loc[fw.dimensions, "median"]
    weakest = own.idxmin()
    strongest = own.idxmax()
    diff = own[weakest] - median[weakest]
    side = ("below" if diff < 0 else "above") if lang == "en" else ("di bawah" if diff < 0 else "di atas")
    if lang == "en":
        text = (f"{short[weakest]} lowest: {_num(own[weakest], lang, 0)} {of}, "
                f"{_num(abs(diff), lang, 0)} points {side} the cohort median")
    else:
        text = (f"{short[weakest]} terendah: {_num(own[weakest], lang, 0)} {of}, "
                f"{_num(abs(diff), lang, 0)} poin {side} median kohort")
    notes = "\n".join(
        f"{names[d]}: {_num(own[d], lang)} ({w['median'].lower()} {_num(median[d], lang)})" for d in fw.dimensions)
    out["radar"] = Finding("radar", w["radar"], text, notes)

    levels = pd.Series(ladder.name_of(own.to_numpy(), scores.scale_range, lang), index=own.index)
    if lang == "en":
        text = (f"Strongest: {short[strongest]} ({_num(own[strongest], lang)}, {levels[strongest]}); "
                f"weakest: {short[weakest]} ({_num(own[weakest], lang)}, {levels[weakest]})")
    else:
        text = (f"Terkuat: {short[strongest]} ({_num(own[strongest], lang)}, {levels[strongest]}); "
                f"terlemah: {short[weakest]} ({_num(own[weakest], lang)}, {levels[weakest]})")
    notes = "\n".join(f"{names[d]}: {_num(own[d], lang)} - {levels[d]}" for d in fw.dimensions)
    out["heatmap"] = Finding("heatmap", w["heatmap"], text, notes)

    n_regions = dims.shape[0]
    best_dim_region = {d: dims[d].idxmax() for d in fw.dimensions}
    if lang == "en":
        text = f"{n_regions} regions, cycle {cycle}: each profile against the cohort median"
    else:
        text = f"{n_regions} daerah, siklus {cycle}: tiap profil dibanding median kohort"
    notes = "\n".join(f"{names[d]}: {'best' if lang == 'en' else 'terbaik'} {best_dim_region[d]}"
                      for d in fw.dimensions)
    out["radar_grid"] = Finding("radar_grid", w["radar_grid"], text, notes)

    # Readiness aspects.
    weak = gaps.weakest_aspects(region)
    counts = weak["aspect"].value_counts()
    aspect = counts.index[0]
    if lang == "en":
        text = f"Weakest aspect: {aspect} in {counts.iloc[0]} of {len(fw.dimensions)} dimensions"
    else:
        text = f"Aspek terlemah: {aspect} di {counts.iloc[0]} dari {len(fw.dimensions)} dimensi"
    notes = "\n".join(f"{names[r['dimension']]}: {r['aspect']} {_num(r['current'], lang)}" for _, r in weak.iterrows())
    out["readiness"] = Finding("readiness", w["readiness"], text, notes)

    # Gaps.
    g = gaps.gaps[(gaps.gaps["region"] == region)]
    for level, key in (("dimension", "gap_dimension"), ("sub-dimension", "gap_sub_dimension")):
        rows = g[g["level"] == level].sort_values("gap", ascending=False)
        if rows.empty:
            continue
        top = rows.iloc[0]
        label = names[top["code"]] if level == "dimension" else f"{names[top['code']]} ({fw.ancestor_at(1)[top['code']]})"
        if lang == "en":
            text = (f"Largest gap: {label}, {_num(top['gap'], lang)} points to its target "
                    f"{_num(top['target'], lang)}")
        else:
            text = (f"Kesenjangan terbesar: {label}, {_num(top['gap'], lang)} poin menuju target "
                    f"{_num(top['target'], lang)}")
        notes = "\n".join(f"{names[r['code']]}: {_num(r['current'], lang)} -> {_num(r['target'], lang)} "
                          f"({w['target'].lower()}; {r['target_rule']})" for _, r in rows.iterrows())
        out[key] = Finding(key, w[key], text, notes)

    top10 = gaps.top(10, region).sort_values("rank")
    if not top10.empty and top10["index_points"].sum() > 0:
        first, last = top10.iloc[0], top10.iloc[-1]
        gain = f"+{_num(first['index_points'], lang, 2)}"
        spread = f"+{_num(last['index_points'], lang, 2)}"
        if lang == "en":
            text = (f"One indicator alone lifts the index by up to {gain} points: {names[first['code']]}; "
                    f"each of the top {len(top10)}: {spread} or more")
        else:
            text = (f"Satu indikator saja menaikkan indeks hingga {gain} poin: {names[first['code']]}; "
                    f"tiap indikator 10 teratas: {spread} atau lebih")
        notes = "\n".join(f"{int(r['rank'])}. {r['code']} {names[r['code']]}: +{_num(r['index_points'], lang, 2)}"
                          for _, r in top10.iterrows())
        out["pareto"] = Finding("pareto", w["pareto"], text, notes)

    pri = gaps.priorities[gaps.priorities["region"] == region]
    quick = pri[pri["priority"] == "quick_win"].sort_values("index_points", ascending=False)
    with_gap = int((pri["priority"] != "no_gap").sum())
    if lang == "en":
        text = f"{len(quick)} quick wins among {with_gap} indicators with a gap"
    else:
        text = f"{len(quick)} quick win dari {with_gap} indikator yang masih memiliki kesenjangan"
    notes = "\n".join(f"{r['code']} {names[r['code']]}: +{_num(r['index_points'], lang, 2)}, "
                      f"{term('effort', lang).lower()} {int(r['effort'])}" for _, r in quick.iterrows())
    out["priority"] = Finding("priority", w["priority"], text, notes)
    out["closing"] = Finding("closing", w["closing"], "", notes)

    # Trends.
    ch = changes(scores, ("index", "dimension"))
    now = ch[(ch["cycle"] == cycle) & (ch["region"] == region)].set_index("code")
    if not now.empty and now["previous_cycle"].notna().any():
        idx = now.loc[fw.root]
        ups = int((now.loc[fw.dimensions, "score_change"] > 0).sum())
        prev = int(idx["previous_cycle"])
        change = ("+" if idx["score_change"] >= 0 else "") + _num(idx["score_change"], lang)
        if lang == "en":
            text = f"Index {change} points since {prev}; up in {ups} of {len(fw.dimensions)} dimensions"
        else:
            text = f"Indeks {change} poin sejak {prev}; naik di {ups} dari {len(fw.dimensions)} dimensi"
        notes = "\n".join(f"{names[c]}: {_num(now.loc[c, 'previous_score'], lang)} -> {_num(now.loc[c, 'score'], lang)}"
                          for c in [fw.root, *fw.dimensions])
        out["trend"] = Finding("trend", w["trend"], text, notes)
        before, after = int(idx["previous_rank"]), int(idx["rank"])
        if lang == "en":
            text = (f"Rank unchanged at {after} since {prev}" if before == after
                    else f"Rank {before} -> {after} since {prev}")
        else:
            text = (f"Peringkat tetap {after} sejak {prev}" if before == after
                    else f"Peringkat {before} -> {after} sejak {prev}")
        allch = ch[(ch["cycle"] == cycle) & (ch["code"] == fw.root)].sort_values("rank")
        notes = "\n".join(f"{r['region']}: {r['previous_rank']} -> {r['rank']}" for _, r in allch.iterrows())
        out["rank_changes"] = Finding("rank_changes", w["rank_changes"], text, notes)
    return out


# --- the deck ------------------------------------------------------------------------------------

#: Slide order: (finding key, chart_set key, native chart kind or None for a picture)
SLIDES = (
    ("ranking", "01_ranking", "ranking"),
    ("heatmap", "02_heatmap", None),
    ("radar_grid", "03_radar_grid", None),
    ("rank_changes", "04_rank_changes", None),
    ("radar", "05_radar", "radar"),
    ("readiness", "06_readiness", None),
    ("gap_dimension", "07_gap_dimension", "gap_bars"),
    ("gap_sub_dimension", "08_gap_sub_dimension", None),
    ("pareto", "09_pareto", "pareto"),
    ("priority", "10_priority", None),
    ("trend", "11_trend", None),
)


def build_deck(scores, gaps, region: str, *, uncertainty=None, lang: str = "id",
               date: dt.date | None = None, synthetic: bool = False, source: str | None = None,
               figures: dict | None = None):
    """A python-pptx ``Presentation`` for one region (see the module docstring).

    Parameters
    ----------
    scores, gaps
        A scoring run and its gap analysis (whose cycle the deck describes).
    region : str
        Region of the workshop (any spelling the alias table knows).
    uncertainty : UncertaintyResult, optional
        Rank intervals, for a ranking drawn as a picture (the deck's ranking is native).
    lang : {"id", "en"}
    date : date, optional
        On the title slide; default today.
    synthetic : bool
        Mark the deck "data sintetis" (title slide and every footnote).
    figures : dict, optional
        Picture charts of this region already drawn as slide bodies (``chart_set`` inside
        ``slide_body(CHART_BOX[2:])``), reused rather than drawn again. Figures of any other
        size, such as the standalone 13.33 x 7.5 in charts, are not used: a picture is drawn
        at the size it is shown, so its labels are fitted to the room they get.
    """
    from pptx import Presentation
    from pptx.util import Inches

    region = gaps.resolve_region(region)
    cycle = gaps.cycle
    texts = findings(scores, gaps, region, lang=lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    footnote = _footnote(scores, cycle, lang, synthetic, source)
    _title_slide(prs, region, cycle, date or dt.date.today(), lang, synthetic)
    from .charts.export import close_figure, png_images
    from .charts.theme import DPI

    figures, drawn = _picture_figures(scores, gaps, uncertainty, region, lang, cycle, texts, figures or {})
    try:
        pictures = png_images(figures, DPI)
    finally:
        for fig in drawn.values():
            close_figure(fig)
    for key, chart_key, native in SLIDES:
        if key not in texts or (native is None and chart_key not in pictures):
            continue
        slide = _content_slide(prs, texts[key], footnote)
        if native == "ranking":
            _native_ranking(slide, scores, cycle, region, lang)
        elif native == "radar":
            _native_radar(slide, scores, gaps, cycle, region, lang)
        elif native == "gap_bars":
            _native_gap_bars(slide, scores, gaps, region, lang)
        elif native == "pareto":
            _native_pareto(slide, scores, gaps, region, lang)
        else:
            _picture(slide, pictures[chart_key])
    _closing_slide(prs, scores, gaps, region, lang, texts["closing"], footnote)
    return prs


def write_deck(prs, path: str | Path) -> Path:
    """Save a deck atomically."""
    from .workbook import atomic_write

    path = Path(path)
    try:
        with atomic_write(path, "wb") as handle:
            prs.save(handle)
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return path


def _footnote(scores, cycle: int, lang: str, synthetic: bool, source: str | None) -> str:
    from .charts.theme import source_line

    source = source or (f"asesmen kesiapan smart city {cycle}" if lang == "id"
                        else f"smart city readiness assessment {cycle}")
    return source_line(source, synthetic, lang)


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _textbox(slide, left, top, width, height, text, size, *, bold=False, colour=INK, align=None):
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    if align is not None:
        paragraph.alignment = align
    font = paragraph.runs[0].font if paragraph.runs else paragraph.font
    font.size, font.bold = Pt(size), bold
    font.color.rgb = _rgb(colour)
    return box


def _blank(prs):
    return prs.slides.add_slide(prs.slide_layouts[6])


def _title_slide(prs, region: str, cycle: int, date: dt.date, lang: str, synthetic: bool) -> None:
    w = WORDS[lang]
    slide = _blank(prs)
    band = slide.shapes.add_shape(1, 0, 0, prs.slide_width, int(prs.slide_height * 0.58))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(ACCENT)
    band.line.fill.background()
    _textbox(slide, 0.8, 1.3, 11.7, 0.8, w["title"], 24, colour="FFFFFF")
    _textbox(slide, 0.8, 2.1, 11.7, 1.2, region, 44, bold=True, colour="FFFFFF")
    subtitle = w["subtitle"].format(cycle=cycle, date=_date_text(date, lang))
    _textbox(slide, 0.8, 4.75, 11.7, 0.6, subtitle, 22, colour=INK)
    if synthetic:
        _textbox(slide, 0.8, 5.45, 11.7, 0.5, w["synthetic"].upper(), 16, bold=True, colour="C00000")
    slide.notes_slide.notes_text_frame.text = f"{w['title']}: {region}, {subtitle}"


def _content_slide(prs, finding: Finding, footnote: str):
    slide = _blank(prs)
    _textbox(slide, 0.5, 0.25, 12.3, 0.7, finding.title, 28, bold=True)
    _textbox(slide, 0.5, 0.95, 12.3, 0.6, finding.finding, 18, colour=ACCENT)
    if footnote:
        _textbox(slide, 0.5, 7.0, 12.3, 0.35, footnote, 10, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = f"{finding.finding}\n\n{finding.notes}".strip()
    return slide


#: Where a chart goes on a content slide: left, top, width, height in inches. Its size is
#: ``charts.SLIDE_BODY_SIZE`` (not imported here: this module loads without matplotlib).
CHART_BOX = (0.5, 1.6, 12.3, 5.35)


def _is_body_figure(figure) -> bool:
    return bool(np.allclose(figure.get_size_inches(), CHART_BOX[2:], atol=0.01))


def _picture_figures(scores, gaps, uncertainty, region: str, lang: str, cycle: int, texts: dict,
                     given: dict) -> tuple[dict, dict]:
    """``(figures, drawn)``: the deck's picture charts as slide bodies at the chart box size (the
    slide has its own title and footnote), and those of them drawn here, for the deck to
    close. Figures handed in are used when they were drawn so, and only then."""
    from .charts import chart_set, slide_body

    wanted = [chart_key for key, chart_key, native in SLIDES if native is None and key in texts]
    reused = {k: fig for k, fig in given.items() if k in wanted and _is_body_figure(fig)}
    drawn = {}
    if missing := [k for k in wanted if k not in reused]:
        with slide_body(CHART_BOX[2:]):
            drawn = chart_set(scores, gaps=gaps, uncertainty=uncertainty, region=region, lang=lang,
                              cycle=cycle, keys=missing)
    figures = {**reused, **drawn}
    return {k: figures[k] for k in wanted if k in figures}, drawn


def _picture(slide, png: bytes) -> None:
    """A slide-body chart (as PNG bytes) filling the chart box, at its true size."""
    from pptx.util import Inches

    left, top, width, height = CHART_BOX
    slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), Inches(width), Inches(height))


def _add_chart(slide, kind, data, *, legend: bool = False):
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    left, top, width, height = CHART_BOX
    frame = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width), Inches(height), data)
    chart = frame.chart
    chart.font.size = Pt(14)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)
    return chart


def _value_axis(chart, lo: float, hi: float, lang: str) -> None:
    from pptx.util import Pt

    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale = lo, hi
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb("D9D9D9")
    axis.tick_labels.font.size = Pt(14)
    axis.tick_labels.number_format = "0" if hi - lo > 10 else "0.0"
    axis.tick_labels.number_format_is_linked = False


def _bar_labels(chart, lang: str, decimals: int = 1) -> None:
    from pptx.util import Pt

    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(12)
    labels.number_format = "0." + "0" * decimals if decimals else "0"
    labels.number_format_is_linked = False


def _native_ranking(slide, scores, cycle: int, region: str, lang: str) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    index = scores.index(cycle).dropna().sort_values()  # bar charts draw bottom-up
    data = CategoryChartData()
    data.categories = list(index.index)
    data.add_series(term("index", lang), [round(float(v), 2) for v in index.to_numpy()])
    chart = _add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data)
    _value_axis(chart, *scores.scale_range, lang)
    chart.category_axis.tick_labels.font.size = Pt(14)
    _bar_labels(chart, lang)
    chart.plots[0].gap_width = 40
    series = chart.plots[0].series[0]
    for i, name in enumerate(index.index):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(HIGHLIGHT if name == region else OTHERS)


def _native_radar(slide, scores, gaps, cycle: int, region: str, lang: str) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    from .charts.theme import dimension_colors

    fw = scores.framework
    w = WORDS[lang]
    dims = scores.level("dimension", cycle)
    own = dims.loc[region]
    median = dims.median()
    g = gaps.gaps[(gaps.gaps["region"] == region) & (gaps.gaps["level"] == "dimension")].set_index("code")
    data = CategoryChartData()
    data.categories = [fw.table.at[d, "name_en"] if isinstance(fw.table.at[d, "name_en"], str) else d
                       for d in fw.dimensions]
    data.add_series(region, [round(float(own[d]), 2) for d in fw.dimensions])
    data.add_series(w["median"], [round(float(median[d]), 2) for d in fw.dimensions])
    if not g.empty:
        data.add_series(w["target"], [round(float(g.loc[d, "target"]), 2) for d in fw.dimensions])
    chart = _add_chart(slide, XL_CHART_TYPE.RADAR_MARKERS, data, legend=True)
    _value_axis(chart, *scores.scale_range, lang)
    colours = [dimension_colors(fw)[fw.dimensions[0]], "7F7F7F", "D55E00"]
    for series, colour in zip(chart.plots[0].series, colours, strict=False):
        series.format.line.color.rgb = _rgb(colour)
        series.format.line.width = Pt(3 if series.name == region else 2)
        series.smooth = False
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)


def _native_gap_bars(slide, scores, gaps, region: str, lang: str) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    fw = scores.framework
    w = WORDS[lang]
    g = gaps.gaps[(gaps.gaps["region"] == region) & (gaps.gaps["level"] == "dimension")].set_index("code")
    g = g.reindex(fw.dimensions)
    data = CategoryChartData()
    data.categories = [fw.table.at[d, "name_en"] if isinstance(fw.table.at[d, "name_en"], str) else d
                       for d in fw.dimensions]
    data.add_series(w["current"], [round(float(v), 2) for v in g["current"].to_numpy()])
    data.add_series(w["target"], [round(float(v), 2) for v in g["target"].to_numpy()])
    chart = _add_chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, data, legend=True)
    _value_axis(chart, *scores.scale_range, lang)
    _bar_labels(chart, lang)
    from .charts.theme import dimension_colors

    colours = dimension_colors(fw)
    current, target = chart.plots[0].series
    for i, d in enumerate(fw.dimensions):
        point = current.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colours[d])
    target.format.fill.solid()
    target.format.fill.fore_color.rgb = _rgb("D9D9D9")


def _native_pareto(slide, scores, gaps, region: str, lang: str) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    from .charts.theme import dimension_colors

    fw = scores.framework
    top = gaps.top(10, region).sort_values("rank", ascending=False)  # bottom-up
    names = fw.names(lang)
    data = CategoryChartData()
    data.categories = [f"{c} {_shorten(names[c], 48)}" for c in top["code"]]
    data.add_series(WORDS[lang]["points"], [round(float(v), 3) for v in top["index_points"].to_numpy()])
    chart = _add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart.category_axis.tick_labels.font.size = Pt(12)
    axis = chart.value_axis
    axis.minimum_scale = 0  # bars start at zero, always
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb("D9D9D9")
    axis.tick_labels.number_format = "0.00"
    axis.tick_labels.number_format_is_linked = False
    _bar_labels(chart, lang, 2)
    chart.plots[0].gap_width = 40
    colours = dimension_colors(fw)
    series = chart.plots[0].series[0]
    for i, dim in enumerate(top["dimension"]):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colours.get(dim, OTHERS))


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _closing_slide(prs, scores, gaps, region: str, lang: str, finding: Finding, footnote: str) -> None:
    from pptx.util import Inches, Pt

    from ..analysis.gaps import LABELS

    w = WORDS[lang]
    fw = scores.framework
    names = fw.names(lang)
    pri = gaps.priorities[(gaps.priorities["region"] == region) & (gaps.priorities["priority"] == "quick_win")]
    pri = pri.sort_values("index_points", ascending=False).head(8)
    slide = _blank(prs)
    _textbox(slide, 0.5, 0.25, 12.3, 0.7, w["closing"], 28, bold=True)
    if footnote:
        _textbox(slide, 0.5, 7.0, 12.3, 0.35, footnote, 10, colour=MUTED)
    if pri.empty:
        _textbox(slide, 0.5, 1.2, 12.3, 1.0, w["closing_none"], 20, colour=ACCENT)
        slide.notes_slide.notes_text_frame.text = w["closing_none"]
        return
    labels = LABELS[lang]
    headers = [term("code", lang), term("indicator", lang), term("dimension", lang), "+" + w["points"],
               term("horizon", lang)]
    rows, cols = len(pri) + 1, len(headers)
    table = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(1.2), Inches(12.3), Inches(0.5 * rows)).table
    widths = (1.4, 6.3, 2.0, 1.2, 1.4)
    for j, width in enumerate(widths):
        table.columns[j].width = Inches(width)
    for j, header in enumerate(headers):
        cell = table.cell(0, j)
        cell.text = header
        cell.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
        cell.text_frame.paragraphs[0].runs[0].font.bold = True
    for i, (_, r) in enumerate(pri.iterrows(), start=1):
        values = [r["code"], names[r["code"]], fw.table.at[r["dimension"], "name_en"]
                  if isinstance(fw.table.at[r["dimension"], "name_en"], str) else r["dimension"],
                  "+" + _num(r["index_points"], lang, 2), labels.get(r["horizon"], r["horizon"])]
        for j, value in enumerate(values):
            cell = table.cell(i, j)
            cell.text = str(value)
            cell.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    slide.notes_slide.notes_text_frame.text = finding.notes
