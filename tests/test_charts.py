"""Charts: what is drawn (bars, heights, labels, colours), slide size, language, layout, export.

The cohort is synthetic (10 regions, 2 cycles, 3 respondents, fixed seed) and scored with
``scoring.score`` over the built-in instrument, so these tests never depend on data/raw.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.container import ErrorbarContainer
from matplotlib.text import Annotation, Text

from smartcity_analysis.analysis.gaps import gap_analysis
from smartcity_analysis.analysis.sensitivity import weight_uncertainty
from smartcity_analysis.input.framework import default_framework
from smartcity_analysis.input.regions import COHORT_2024
from smartcity_analysis.model.maturity import SPBE_LADDER
from smartcity_analysis.model.scoring import score
from smartcity_analysis.presentation import charts
from smartcity_analysis.presentation.charts import _base
from smartcity_analysis.presentation.charts import export as chart_export
from smartcity_analysis.presentation.charts.theme import number, text_color_on
from smartcity_analysis.presentation.deck import SLIDES

#: A glyph missing from the font is drawn as a box: a failure, as it would be on the projector.
pytestmark = pytest.mark.filterwarnings("error:Glyph:UserWarning")

LANGS = ("id", "en")
REGION = "Kabupaten Flores Timur"
OKABE_ITO_6 = {"SG": "#0072b2", "SB": "#e69f00", "SE": "#009e73", "SL": "#d55e00",
               "SS": "#cc79a7", "SV": "#56b4e9"}


# --- data --------------------------------------------------------------------------------------


def synthetic_answers(seed: int = 20240917) -> pd.DataFrame:
    """Tidy answers [cycle, region, respondent, indicator, value]: 10 regions, 2 cycles."""
    fw = default_framework()
    rng = np.random.default_rng(seed)
    dimension = fw.lineage["dimension"]
    rows = []
    level = {r: rng.uniform(1.8, 4.0) for r in COHORT_2024}
    tilt = {(r, d): rng.normal(0, 0.5) for r in COHORT_2024 for d in fw.dimensions}
    for cycle in (2023, 2024):
        for region in COHORT_2024:
            growth = (cycle - 2023) * rng.uniform(-0.2, 0.6)
            for respondent in ("Bappeda", "Diskominfo", "OPD teknis"):
                for code in fw.indicators:
                    value = level[region] + tilt[(region, dimension[code])] + growth + rng.normal(0, 0.8)
                    rows.append((cycle, region, respondent, code, float(np.clip(np.round(value), 1, 5))))
    return pd.DataFrame(rows, columns=["cycle", "region", "respondent", "indicator", "value"])


@pytest.fixture(scope="module")
def scores():
    return score(synthetic_answers(), default_framework())


@pytest.fixture(scope="module")
def analysis(scores):
    return gap_analysis(scores)


@pytest.fixture(scope="module")
def uncertainty(scores):
    return weight_uncertainty(scores, n_samples=60, seed=1)


# --- helpers -----------------------------------------------------------------------------------


def legends_of(fig) -> list:
    return [*fig.legends, *(ax.get_legend() for ax in fig.axes
                            if ax.get_visible() and ax.get_legend() is not None)]


def texts_of(fig, legends: bool = True) -> list[Text]:
    """Every text the figure draws: titles, tick labels in view, annotations (and legends')."""
    out = list(fig.texts)
    for legend in legends_of(fig) if legends else []:
        out += [*legend.get_texts(), legend.get_title()]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out += [*ax.texts, ax.title, ax._left_title, ax._right_title]
        if not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            out.append(axis.label)
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    out += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def all_text(fig) -> str:
    return "\n".join(t.get_text() for t in texts_of(fig))


def boxes(artists, renderer) -> np.ndarray:
    # Text's own extent: an Annotation's would include its leader line (and is placed first).
    for a in artists:
        if isinstance(a, Annotation):
            a.update_positions(renderer)
    return np.array([list((Text.get_window_extent(a, renderer) if isinstance(a, Text)
                           else a.get_window_extent(renderer)).extents) for a in artists]).reshape(-1, 4)


def name_of(artist) -> str:
    if isinstance(artist, Text):
        return artist.get_text()
    return "legend: " + (artist.get_title().get_text() or artist.get_texts()[0].get_text())


def overlapping_pairs(artists, renderer, tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts (or legends) whose boxes intersect by more than ``tolerance`` px each way."""
    b = boxes(artists, renderer)
    dx = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    dy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    hit = np.triu((dx > tolerance) & (dy > tolerance), k=1)
    return [(name_of(artists[i]), name_of(artists[j])) for i, j in zip(*np.nonzero(hit), strict=True)]


def assert_readable(fig) -> None:
    """No text overlaps another (tick labels included) or a legend; nothing is cut at the edge.

    A legend counts as one box: its entries are placed only when it is drawn, and they cannot
    overlap one another. Nothing is drawn here; the layout is final once a chart is returned.
    """
    renderer = fig.canvas.get_renderer()
    artists = [*texts_of(fig, legends=False), *legends_of(fig)]
    pairs = overlapping_pairs(artists, renderer)
    assert not pairs, f"texts overlap: {pairs[:5]}"
    b = boxes(artists, renderer)
    width, height = fig.bbox.width, fig.bbox.height
    inside = (b[:, 0] >= -1) & (b[:, 1] >= -1) & (b[:, 2] <= width + 1) & (b[:, 3] <= height + 1)
    cut = [name_of(a) for a, ok in zip(artists, inside, strict=True) if not ok]
    assert not cut, f"texts cut at the slide edge: {cut}"


def region_charts(scores, analysis, region, lang):
    return {
        "radar": charts.radar_chart(scores, region, targets=analysis, lang=lang),
        "readiness": charts.readiness_heatmap(analysis, region, lang=lang),
        "gap_dimension": charts.gap_dumbbell(analysis, region, lang=lang),
        "gap_sub_dimension": charts.gap_dumbbell(analysis, region, level="sub-dimension", lang=lang),
        "pareto": charts.contribution_pareto(analysis, region, lang=lang),
        "priority": charts.priority_matrix(analysis, region, lang=lang),
        "trend": charts.trend_slope(scores, region, lang=lang),
    }


def cohort_charts(scores, uncertainty, lang, highlight=None):
    return {
        "ranking": charts.ranking_bars(scores, uncertainty=uncertainty, highlight=highlight, lang=lang),
        "heatmap": charts.maturity_heatmap(scores, highlight=highlight, lang=lang),
        "radar_grid": charts.radar_grid(scores, highlight=highlight, lang=lang),
        "rank_changes": charts.rank_changes(scores, highlight=highlight, lang=lang),
    }


# --- theme -------------------------------------------------------------------------------------


def test_dimension_colors_are_okabe_ito_in_framework_order(framework):
    assert charts.dimension_colors(framework) == {k: v.upper() for k, v in OKABE_ITO_6.items()}
    many = charts.dimension_colors([f"D{i}" for i in range(9)])
    assert len(set(many.values())) == 9  # extended without repeating
    assert "#F0E442" not in many.values()  # yellow is unreadable on white


def test_maturity_colors_run_light_to_dark():
    def luminance(c):
        return float(np.dot(mpl.colors.to_rgb(c), [0.2126, 0.7152, 0.0722]))

    for n in (5, 4, 7):
        lum = [luminance(c) for c in charts.maturity_colors(n)]
        assert len(lum) == n and lum == sorted(lum, reverse=True)


def test_theme_restores_rcparams_and_ships_style_file():
    before = dict(mpl.rcParams)
    with charts.theme():
        assert mpl.rcParams["font.size"] == 17
        assert mpl.rcParams["figure.dpi"] == 200
    assert dict(mpl.rcParams) == before
    with pytest.raises(RuntimeError), charts.theme():
        raise RuntimeError
    assert dict(mpl.rcParams) == before
    assert charts.style_path().name == "smartcity.mplstyle" and charts.style_path().is_file()


def test_chart_keeps_its_fonts_when_drawn_outside_the_theme(scores):
    fig = charts.ranking_bars(scores)
    with mpl.rc_context({"xtick.labelsize": 6, "ytick.labelsize": 6, "font.size": 6}):
        fig.canvas.draw()
        sizes = {t.get_fontsize() for t in fig.axes[0].get_yticklabels() + fig.axes[0].get_xticklabels()}
    assert min(sizes) >= 14


def test_slide_size_survives_savefig(scores):
    fig = charts.radar_chart(scores, REGION)
    assert tuple(np.round(fig.get_size_inches(), 2)) == (13.33, 7.5) and fig.dpi == 200
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert tuple(np.round(fig.get_size_inches(), 2)) == (13.33, 7.5)
    buffer.seek(0)
    height, width = mpl.image.imread(buffer).shape[:2]
    assert (width, height) == (int(13.333 * 200), 1500)


def test_footnote_and_decimal_comma(scores):
    note = charts.source_line("Asesmen 2024", synthetic=True)
    assert note == "Sumber: Asesmen 2024; data sintetis"
    assert charts.source_line("Assessment 2024", synthetic=True, lang="en") == "Source: Assessment 2024; synthetic data"
    fig = charts.ranking_bars(scores, footnote=note)
    assert note in all_text(fig)
    values = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "value"]
    assert all("," in v and "." not in v for v in values)
    values_dot = [t.get_text() for t in charts.ranking_bars(scores, decimal_comma=False).axes[0].texts
                  if t.get_gid() == "value"]
    assert all("." in v and "," not in v for v in values_dot)


# --- what each chart draws -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_ranking_bars_heights_labels_bands_and_intervals(scores, uncertainty, lang):
    fig = charts.ranking_bars(scores, uncertainty=uncertainty, highlight=REGION, lang=lang)
    ax = fig.axes[0]
    index = scores.index(scores.latest_cycle).sort_values(ascending=False)
    bars = ax.containers[0]
    assert len(bars) == 10
    np.testing.assert_allclose([b.get_width() for b in bars], index.to_numpy())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{i + 1}. {r}" for i, r in enumerate(index.index)]
    bands = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "band_label"]
    assert bands == list(SPBE_LADDER.names(lang))
    errorbars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(errorbars) == 1 and len(errorbars[0].lines[2][0].get_segments()) == 10
    highlighted = next(t for t in ax.get_yticklabels() if REGION in t.get_text())
    assert highlighted.get_fontweight() == "bold"
    assert ("Indeks" if lang == "id" else "Index") in ax.get_xlabel()


@pytest.mark.parametrize("lang", LANGS)
def test_radar_chart_draws_the_region_median_and_targets(scores, analysis, framework, lang):
    fig = charts.radar_chart(scores, REGION, targets=analysis, lang=lang)
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines()}
    dims = framework.dimensions
    expected = scores.level("dimension", scores.latest_cycle).loc[REGION, dims].to_numpy()
    np.testing.assert_allclose(lines["region"].get_ydata()[:-1], expected)
    median = scores.level("dimension", scores.latest_cycle)[dims].median().to_numpy()
    np.testing.assert_allclose(lines["median"].get_ydata()[:-1], median)
    gaps = analysis.gaps.set_index(["region", "code"]).loc[REGION]["target"]
    np.testing.assert_allclose(lines["target"].get_ydata()[:-1], gaps[dims].to_numpy())
    vertices = next(c for c in ax.collections if c.get_gid() == "vertices")
    assert [to_hex(c) for c in vertices.get_facecolors()] == [OKABE_ITO_6[d] for d in dims]
    text = all_text(fig)
    for name in framework.names(lang)[dims]:
        assert name.split()[0] in text
    assert "target" not in {line.get_gid() for line in charts.radar_chart(scores, REGION).axes[0].get_lines()}


def test_radar_grid_has_one_panel_per_region(scores, framework):
    fig = charts.radar_grid(scores, highlight=REGION)
    area = next(ax for ax in fig.axes if any(t.get_gid() == "panel_title" for t in ax.texts))
    index = scores.index(scores.latest_cycle).sort_values(ascending=False)
    titles = [t for t in area.texts if t.get_gid() == "panel_title"]
    assert [t.get_text().split("\n")[0].split(".")[0] for t in titles] == [str(k) for k in range(1, 11)]
    assert [" ".join(t.get_text().replace("\n", " ").split()[1:-2]) for t in titles] == list(index.index)
    assert [t.get_fontweight() == "bold" for t in titles] == [r == REGION for r in index.index]
    spokes = [t for t in area.texts if t.get_gid() == "spoke_label"]
    assert [t.get_text() for t in spokes[:6]] == framework.dimensions and len(spokes) == 60
    assert [to_hex(t.get_color()) for t in spokes[:6]] == list(OKABE_ITO_6.values())
    # Each region's polygon: radius = score on the 0-100 scale, clockwise from 12 o'clock.
    dims = scores.level("dimension", scores.latest_cycle)[framework.dimensions]
    for region in index.index:
        ring = next(c for c in area.collections if c.get_gid() == f"grid:{region}").get_segments()[-1]
        center, radius = (ring.min(axis=0) + ring.max(axis=0)) / 2, np.ptp(ring[:, 0]) / 2
        line = next(line for line in area.get_lines() if line.get_gid() == f"region:{region}")
        x, y = line.get_xdata() - center[0], line.get_ydata() - center[1]
        np.testing.assert_allclose(np.hypot(x, y)[:-1] / radius * 100, dims.loc[region].to_numpy(), atol=1e-6)
        assert abs(x[0]) < 1e-9 < x[1]  # SG on top, SB to its right
    # Panels never overlap: the titles and the labels around the circles stay apart.
    assert_readable(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_maturity_heatmap_cells_annotations_and_colours(scores, framework, lang):
    fig = charts.maturity_heatmap(scores, lang=lang)
    ax = fig.axes[0]
    cycle = scores.latest_cycle
    table = pd.concat([scores.index(cycle), scores.level("dimension", cycle)], axis=1)
    table = table.sort_values(framework.root, ascending=False)
    values = table.to_numpy()
    annotations = [t.get_text() for t in ax.texts if t.get_gid() == "annotation"]
    assert annotations == [number(v, 1, lang) for v in values.ravel()]
    levels = SPBE_LADDER.level_of(values, (0, 100))
    cells = sorted((p for p in ax.patches if str(p.get_gid()).startswith("cell:")),
                   key=lambda p: tuple(int(k) for k in p.get_gid().split(":")[1:]))
    palette = charts.maturity_colors()
    assert [to_hex(p.get_facecolor()) for p in cells] == [palette[k - 1].lower() for k in levels.ravel()]
    strips = {p.get_gid().split(":")[1]: to_hex(p.get_facecolor()) for p in ax.patches
              if str(p.get_gid()).startswith("strip:")}
    assert strips == OKABE_ITO_6
    headers = " ".join(t.get_text().replace("\n", " ") for t in ax.get_xticklabels())
    assert ("Indeks" if lang == "id" else "Index") in headers
    assert ("Pemasaran Daerah" if lang == "id" else "Smart Branding") in headers


@pytest.mark.parametrize("lang", LANGS)
def test_readiness_heatmap_marks_the_weakest_aspect(analysis, lang):
    fig = charts.readiness_heatmap(analysis, REGION, lang=lang)
    ax = fig.axes[0]
    cells = [p for p in ax.patches if str(p.get_gid()).startswith("cell:")]
    assert len(cells) == 18
    marked = {p.get_gid().split(":", 1)[1] for p in ax.patches if str(p.get_gid()).startswith("weakest:")}
    weakest = analysis.weakest_aspects(REGION)
    assert marked == {f"{d}:{a}" for d, a in zip(weakest["dimension"], weakest["aspect"], strict=True)}
    aspects = [t.get_text() for t in ax.get_xticklabels()]
    assert aspects == (["Struktur", "Infrastruktur", "Suprastruktur"] if lang == "id"
                       else ["Structure", "Infrastructure", "Superstructure"])
    word = "terlemah" if lang == "id" else "weakest"
    assert sum(word in t.get_text() for t in ax.texts) == len(marked)
    # annotations are readable on their cell colour
    for t in (t for t in ax.texts if t.get_gid() == "annotation"):
        i = round(t.get_position()[1])
        j = round(t.get_position()[0])
        cell = next(p for p in cells if p.get_gid() == f"cell:{i}:{j}")
        assert to_hex(t.get_color()) == to_hex(text_color_on(to_hex(cell.get_facecolor())))


def test_readiness_heatmap_from_scores_or_tidy_matrix(scores):
    from smartcity_analysis.analysis.gaps import readiness_matrix

    tidy = readiness_matrix(scores)
    fig = charts.readiness_heatmap(tidy, REGION, framework=scores.framework)
    assert len([t for t in fig.axes[0].texts if t.get_gid() == "annotation"]) == 18
    assert len(charts.readiness_heatmap(scores, REGION).axes[0].texts) == len(fig.axes[0].texts)


@pytest.mark.parametrize("level, n", [("dimension", 6), ("sub-dimension", 18)])
def test_gap_dumbbell_points_colours_and_gaps(analysis, framework, level, n):
    fig = charts.gap_dumbbell(analysis, REGION, level=level)
    ax = fig.axes[0]
    current = next(c for c in ax.collections if c.get_gid() == "current")
    target = next(c for c in ax.collections if c.get_gid() == "target")
    rows = analysis.gaps[(analysis.gaps["region"] == REGION) & (analysis.gaps["level"] == level)]
    np.testing.assert_allclose(current.get_offsets()[:, 0], rows["current"].to_numpy())
    np.testing.assert_allclose(target.get_offsets()[:, 0], rows["target"].to_numpy())
    dims = framework.ancestor_at(1)[rows["code"]].to_numpy()
    assert [to_hex(c) for c in current.get_facecolors()] == [OKABE_ITO_6[d] for d in dims]
    gap_labels = [t.get_text() for t in ax.texts if t.get_gid() == "gap_label"]
    assert len(gap_labels) == n
    expected = ["+" + number(g, 1) if g > 0 else "✓" for g in rows["gap"]]
    assert gap_labels == expected
    names = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert names == framework.names("id")[rows["code"]].tolist()


@pytest.mark.parametrize("lang", LANGS)
def test_contribution_pareto_bars_and_cumulative_line(analysis, framework, lang):
    fig = charts.contribution_pareto(analysis, REGION, top=8, lang=lang)
    ax = fig.axes[0]
    bars = ax.containers[0]
    rows = analysis.contributions[analysis.contributions["region"] == REGION]
    rows = rows[rows["index_points"] > 0].sort_values("index_points", ascending=False, kind="stable")
    top = rows.head(8)
    assert len(bars) == 8
    np.testing.assert_allclose([b.get_width() for b in bars], top["index_points"].to_numpy())
    assert [to_hex(b.get_facecolor()) for b in bars] == [OKABE_ITO_6[d] for d in top["dimension"]]
    line = next(line for a in fig.axes for line in a.get_lines() if line.get_gid() == "cumulative")
    cumulative = line.get_xdata()
    assert np.all(np.diff(cumulative) >= 0) and cumulative[-1] <= 100 + 1e-9
    np.testing.assert_allclose(cumulative[-1], top["index_points"].sum() / rows["index_points"].sum() * 100)
    labels = " ".join(t.get_text().replace("\n", " ") for t in ax.get_yticklabels())
    assert framework.name(top["code"].iloc[0], lang) in labels


@pytest.mark.parametrize("lang, words", [
    ("id", ["QUICK WIN", "PROYEK BESAR", "PELENGKAP", "PRIORITAS RENDAH"]),
    ("en", ["QUICK WIN", "MAJOR PROJECT", "FILL-IN", "LOW PRIORITY"]),
])
def test_priority_matrix_quadrants_points_and_numbers(analysis, lang, words):
    fig = charts.priority_matrix(analysis, REGION, label_top=7, lang=lang)
    ax = fig.axes[0]
    quadrants = [t.get_text() for t in ax.texts if str(t.get_gid()).startswith("quadrant:")]
    assert quadrants == words
    p = analysis.priorities
    p = p[(p["region"] == REGION) & p["priority"].isin(["quick_win", "major_project", "fill_in", "low_priority"])]
    drawn = sum(len(c.get_offsets()) for c in ax.collections if c.get_gid() in ("indicators", "top_indicators"))
    assert drawn == len(p)
    numbers = sorted(int(t.get_text()) for t in ax.texts if t.get_gid() == "number")
    assert numbers == list(range(1, 8))
    # quick wins sit in the shaded corner: low effort, impact at or above the threshold
    big = next(c for c in ax.collections if c.get_gid() == "top_indicators").get_offsets()
    assert np.all(big[:, 0] > 0.45) and np.all(big[:, 0] < 3.55)


def test_trend_slope_lines_in_dimension_colours(scores, framework):
    fig = charts.trend_slope(scores, REGION)
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines() if str(line.get_gid()).startswith("line:")}
    assert set(lines) == {f"line:{c}" for c in [*framework.dimensions, framework.root]}
    for d, color in OKABE_ITO_6.items():
        assert to_hex(lines[f"line:{d}"].get_color()) == color
        expected = scores.values.xs(REGION, level="region")[d].to_numpy()
        np.testing.assert_allclose(lines[f"line:{d}"].get_ydata(), expected)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023", "2024"]


def test_rank_changes_bars(scores):
    from smartcity_analysis.analysis.compare import changes

    fig = charts.rank_changes(scores, highlight=REGION, lang="en")
    ax = fig.axes[0]
    table = changes(scores, ("index",))
    table = table[table["cycle"] == 2024].sort_values(["rank", "region"])
    bars = ax.containers[0]
    assert len(bars) == 10
    np.testing.assert_allclose([b.get_width() for b in bars], table["rank_change"].astype(float).to_numpy())
    assert "→" in all_text(fig) and "Rank change" in ax.get_xlabel()


def test_charts_take_tidy_frames(scores, framework):
    tidy = scores.table()[["cycle", "region", "code", "score"]]
    fig = charts.ranking_bars(tidy)
    assert len(fig.axes[0].containers[0]) == 10
    fig = charts.radar_chart(tidy, "Kab. Flores Timur", targets={"SG": 80, "SB": 70})
    assert REGION in all_text(fig)
    gaps = pd.DataFrame({"region": REGION, "code": ["SG", "SB"], "current": [40.0, 70.0],
                         "target": [62.5, 60.0]})
    fig = charts.gap_dumbbell(gaps, REGION, framework=framework)
    assert [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "gap_label"] == ["+22,5", "✓"]


def test_unknown_region_is_a_clear_error(scores):
    from smartcity_analysis.errors import OptionError

    with pytest.raises(OptionError) as info:
        charts.radar_chart(scores, "Kota Atlantis")
    assert info.value.codes == ["SC403"]


# --- slide bodies, layout kept -----------------------------------------------------------------


def test_slide_body_draws_at_the_chart_box_without_title_and_footnote(scores):
    note = charts.source_line("Asesmen 2024", synthetic=True)
    with charts.slide_body():
        fig = charts.radar_chart(scores, REGION, footnote=note)
        with charts.slide_body((8.0, 4.5)):  # nested: the inner size holds inside
            inner = charts.trend_slope(scores, REGION)
        after_inner = charts.rank_changes(scores)
    outside = charts.radar_chart(scores, REGION, footnote=note)
    assert tuple(np.round(fig.get_size_inches(), 2)) == charts.SLIDE_BODY_SIZE == (12.3, 5.35)
    assert tuple(inner.get_size_inches()) == (8.0, 4.5)
    assert tuple(np.round(after_inner.get_size_inches(), 2)) == (12.3, 5.35)
    assert tuple(np.round(outside.get_size_inches(), 2)) == (13.33, 7.5)
    gids = {t.get_gid() for t in fig.texts}
    assert gids == {"subtitle"}  # the slide has the title and the footnote
    assert {t.get_gid() for t in outside.texts} == {"title", "subtitle", "footnote"}
    # The subtitle (the reading key) is on top, and the title is still known to the caller.
    subtitle = next(t for t in fig.texts if t.get_gid() == "subtitle")
    top_of_axes = max(ax.get_window_extent().y1 for ax in fig.axes)
    assert subtitle.get_window_extent().y0 >= top_of_axes - 1
    assert _base.title_of(fig) == _base.title_of(outside) and REGION in _base.title_of(fig)
    with pytest.raises(ValueError), charts.slide_body((0, 5)):
        pass


def test_slide_body_is_scoped_to_its_thread(scores):
    import threading

    sizes = []
    with charts.slide_body():
        worker = threading.Thread(target=lambda: sizes.append(charts.rank_changes(scores).get_size_inches()))
        worker.start()
        worker.join()
    assert tuple(np.round(sizes[0], 2)) == (13.33, 7.5)  # another thread draws full slides


def test_layout_is_kept_once_finished(scores):
    fig = charts.maturity_heatmap(scores)
    assert fig.get_layout_engine() is None  # drawing and saving do not lay it out again
    before = [ax.get_position().bounds for ax in fig.axes]
    with mpl.rc_context({"figure.constrained_layout.use": True}):
        fig.savefig(io.BytesIO(), format="png")
    assert [ax.get_position().bounds for ax in fig.axes] == before


@pytest.mark.slow
def test_png_bytes_are_the_pixels_savefig_draws(scores):
    from PIL import Image

    def pixels(data: bytes) -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(data)))

    with charts.slide_body():  # 2460 px wide: RGB rows whose length is a multiple of 4
        body = charts.rank_changes(scores)
    for fig, dpi in ((charts.rank_changes(scores), 200), (body, 200), (body, 72)):
        ours = chart_export.png_bytes(fig, dpi)
        reference = io.BytesIO()
        fig.savefig(reference, format="png", dpi=dpi)
        expected = pixels(reference.getvalue())
        assert pixels(ours).shape[:2] == expected.shape[:2]
        np.testing.assert_array_equal(pixels(ours), expected[..., :3])  # opaque: stored as RGB
        assert Image.open(io.BytesIO(ours)).info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
    body.patch.set_alpha(0.5)  # not opaque: alpha is kept
    assert pixels(chart_export.png_bytes(body, 72)).shape[2] == 4


def test_text_is_measured_and_drawn_as_matplotlibs_agg_does():
    """The charts' canvas measures each text once and rasterises it once (``charts._canvas``): the
    same boxes as matplotlib's Agg canvas, the same ink within a pixel's shift, also for text
    at an angle and for the glyphs from the fallback font."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from smartcity_analysis.presentation.charts._canvas import SlideCanvas

    def draw(canvas):
        with charts.theme():
            fig = Figure(figsize=(5, 2.5), dpi=200)
            canvas(fig)
            texts = [fig.text(0.05, 0.8, "Kabupaten Bangli gjpqy \u2605 \u25bc", fontsize=16),
                     fig.text(0.05, 0.45, "Tata Kelola 42,5", fontsize=24, fontweight="bold", color="#0072B2"),
                     fig.text(0.9, 0.1, "Indeks (skor 0-100)", fontsize=14, rotation=90),
                     fig.text(0.6, 0.2, "siklus 2024", fontsize=12, rotation=30)]
            fig.canvas.draw()
            boxes = [t.get_window_extent().bounds for t in texts]
            return boxes, 255 - np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int).mean(axis=2)

    boxes, theirs = draw(FigureCanvasAgg)
    assert draw(SlideCanvas)[0] == boxes
    for _ in range(2):  # measured and drawn from the caches the second time: the same again
        our_boxes, ours = draw(SlideCanvas)
        assert our_boxes == boxes
        assert ours.sum() == pytest.approx(theirs.sum(), rel=0.02)
        rows, cols = np.nonzero(ours > 40)
        their_rows, their_cols = np.nonzero(theirs > 40)
        for mine, reference in ((rows, their_rows), (cols, their_cols)):
            assert abs(mine.min() - reference.min()) <= 1 and abs(mine.max() - reference.max()) <= 1


# --- every chart, every region, both languages: readable ----------------------------------------

#: Charts a deck shows as pictures, drawn as slide bodies.
DECK_PICTURES = [chart for _, chart, native in SLIDES if native is None]


def assert_all_readable(figures: dict, size: tuple[float, float], what: str) -> None:
    for name, fig in figures.items():
        assert tuple(np.round(fig.get_size_inches(), 2)) == size, (what, name)
        try:
            assert_readable(fig)
        except AssertionError as exc:  # name the chart in the failure
            raise AssertionError(f"{name} ({what}): {exc}") from None


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_cohort_chart(scores, analysis, uncertainty, lang):
    # With a region highlighted (its label in bold), as in every region's chart set and deck.
    assert_all_readable(cohort_charts(scores, uncertainty, lang, highlight=REGION), (13.33, 7.5), lang)
    with charts.slide_body():
        pictures = charts.chart_set(scores, analysis, uncertainty, region=REGION, lang=lang,
                                    keys=[k for k in DECK_PICTURES if k in chart_export.COHORT_CHARTS])
    assert_all_readable(pictures, (12.3, 5.35), f"{lang}, slide body")


@pytest.mark.slow
@pytest.mark.parametrize("region", COHORT_2024)
@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_for_every_region(scores, analysis, lang, region):
    # Each region once per language: its own charts on full slides, and those a deck shows as
    # pictures as slide bodies. Drawn, not saved: the layout is final once a chart returns.
    own = region_charts(scores, analysis, region, lang)
    for name, fig in own.items():
        assert region in _base.title_of(fig), name
    assert_all_readable(own, (13.33, 7.5), lang)
    with charts.slide_body():
        pictures = charts.chart_set(scores, analysis, region=region, lang=lang,
                                    keys=[k for k in DECK_PICTURES if k in chart_export.REGION_CHARTS])
    assert list(pictures) == ["06_readiness", "08_gap_sub_dimension", "10_priority", "11_trend"]
    assert_all_readable(pictures, (12.3, 5.35), f"{lang}, slide body")


# --- export --------------------------------------------------------------------------------------


def test_slug_is_safe_everywhere():
    assert chart_export.slug("Kabupaten Flores Timur") == "kabupaten-flores-timur"
    assert chart_export.slug("Kota Parepare / Ümbrella: 2024?") == "kota-parepare-umbrella-2024"
    assert chart_export.slug("01_radar") == "01-radar"


@pytest.fixture
def stub_charts(monkeypatch):
    """Chart functions replaced by empty figures that record their calls (tests of the plumbing)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    calls = []

    def stub(name):
        def draw(*args, **kwargs):
            calls.append((name, args, kwargs))
            fig = Figure(figsize=(1, 1), dpi=10)
            FigureCanvasAgg(fig)
            return fig
        return draw

    for name in ("ranking_bars", "maturity_heatmap", "radar_grid", "rank_changes", "radar_chart",
                 "readiness_heatmap", "gap_dumbbell", "contribution_pareto", "priority_matrix",
                 "trend_slope"):
        monkeypatch.setattr(chart_export, name, stub(name))
    return calls


def test_chart_set_keys_are_stable(scores, analysis, uncertainty, stub_charts):
    cohort = charts.chart_set(scores, analysis, uncertainty)
    assert list(cohort) == ["01_ranking", "02_heatmap", "03_radar_grid", "04_rank_changes"]
    stub_charts.clear()
    full = charts.chart_set(scores, analysis, uncertainty, region="kab. flores timur", lang="en")
    assert list(full) == [*chart_export.COHORT_CHARTS, *chart_export.REGION_CHARTS]
    assert all(k.isascii() and k == k.lower() for k in full)
    ranking = next(kw for name, _, kw in stub_charts if name == "ranking_bars")
    assert ranking["highlight"] == REGION and ranking["uncertainty"] is uncertainty and ranking["lang"] == "en"
    radar = next(args for name, args, _ in stub_charts if name == "radar_chart")
    assert radar[1] == REGION
    without_gaps = charts.chart_set(scores, region=REGION)
    assert "05_radar" in without_gaps and "07_gap_dimension" not in without_gaps
    one_cycle = score(synthetic_answers().query("cycle == 2024"), default_framework())
    assert "11_trend" not in charts.chart_set(one_cycle, region=REGION)
    stub_charts.clear()
    some = charts.chart_set(scores, analysis, region=REGION, keys=["10_priority", "02_heatmap"])
    assert list(some) == ["02_heatmap", "10_priority"]  # slide order; nothing else drawn
    assert [name for name, _, _ in stub_charts] == ["maturity_heatmap", "priority_matrix"]
    with pytest.raises(ValueError, match="99_pie"):
        charts.chart_set(scores, keys=["99_pie"])


def test_close_figure_lets_the_pixels_go(scores):
    fig = charts.rank_changes(scores)
    fig.savefig(io.BytesIO(), format="png")
    assert fig.canvas.get_renderer() is not None and fig.canvas._lastKey is not None
    chart_export.close_figure(fig)
    assert getattr(fig.canvas, "renderer", None) is None  # a fresh canvas, no 16 MB buffer


def test_export_charts_writes_safe_names_at_200_dpi(tmp_path, scores):
    figures = {"01_ranking": charts.ranking_bars(scores), "05_radar": charts.radar_chart(scores, REGION)}
    written = charts.export_charts(figures, tmp_path, formats="png,svg")
    assert sorted(p.name for p in written) == ["01-ranking.png", "01-ranking.svg", "05-radar.png", "05-radar.svg"]
    height, width = mpl.image.imread(tmp_path / "01-ranking.png").shape[:2]
    assert (width, height) == (int(13.333 * 200), 1500)
    assert tuple(np.round(figures["01_ranking"].get_size_inches(), 2)) == (13.33, 7.5)


def test_export_charts_from_scores_by_region(tmp_path, scores, analysis, stub_charts):
    written = charts.export_charts(scores, tmp_path, formats=("svg", "pdf"), gaps=analysis, region=REGION)
    assert len(written) == 22
    assert {p.parent.name for p in written} == {"kabupaten-flores-timur"}
    assert sorted(p.name for p in written)[:2] == ["kabupaten-flores-timur-01-ranking.pdf",
                                                 "kabupaten-flores-timur-01-ranking.svg"]
    everyone = charts.export_charts(scores, tmp_path / "all", gaps=analysis)
    folders = sorted({p.parent.name for p in everyone})
    assert folders == sorted(["cohort", *(chart_export.slug(r) for r in COHORT_2024)])
    assert all(p.name.startswith(p.parent.name + "-") and p.suffix == ".png" for p in everyone)


def test_cli_charts_command(tmp_path, scores):
    from smartcity_analysis.cli.main import build_parser, main

    answers = synthetic_answers().pivot_table(index=["cycle", "region", "respondent"], columns="indicator",
                                              values="value").reset_index()
    answers = answers[["cycle", "region", "respondent", *default_framework().indicators]]
    path = tmp_path / "answers.csv"
    answers.to_csv(path, index=False)
    args = build_parser().parse_args(["--lang", "en", "charts", str(path), "--region", "Kota Solok", "-o", "x"])
    assert args.format == "png" and args.region == "Kota Solok" and args.lang == "en"
    out = tmp_path / "out"
    code = main(["--lang", "en", "charts", str(path), "--region", "kota solok", "--format", "svg",
                 "--samples", "20", "--source", "test", "-o", str(out)])
    assert code == 0
    files = sorted(p.name for p in (out / "kota-solok").iterdir())
    assert len(files) == 11 and files[0] == "kota-solok-01-ranking.svg"
    svg = (out / "kota-solok" / "kota-solok-05-radar.svg").read_text(encoding="utf-8")
    assert "Kota Solok: scores by dimension" in svg and "Source: test" in svg
    assert main(["charts", str(path), "--format", "gif", "-o", str(out)]) == 1


def test_rank_changes_of_a_large_cohort_show_its_own_ranks(scores, monkeypatch):
    """Above the cohort limit the chart draws the top regions with their ranks in the whole
    cohort (old -> new), not their ranks among the few drawn."""
    from smartcity_analysis.analysis.compare import changes

    monkeypatch.setattr(chart_export, "COHORT_LIMIT", 4)
    table = changes(scores, ("index",))
    table = table[table["cycle"] == 2024].set_index("region")
    last = table["rank"].idxmax()  # the last region, drawn because it is highlighted
    fig = charts.chart_set(scores, region=last, keys=["04_rank_changes"])["04_rank_changes"]
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 4 and labels[-1] == f"{int(table.at[last, 'rank'])}. {last}"
    for label in labels:
        rank, region = label.split(". ", 1)
        assert int(rank) == table.at[region, "rank"]
    values = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    expected = [f"({int(table.at[label.split('. ', 1)[1], 'previous_rank'])} → {int(label.split('.')[0])})"
                for label in labels]
    assert [v.split("   ")[-1] for v in values] == expected
    np.testing.assert_allclose([b.get_width() for b in ax.containers[0]],
                               [table.at[label.split(". ", 1)[1], "rank_change"] for label in labels])


def test_heatmap_rows_never_touch_with_thirty_regions(framework):
    """30 regions on one slide: row labels and cell numbers are fitted to the row height."""
    rng = np.random.default_rng(3)
    regions = [f"Kabupaten Contoh Nomor {k:02d}" for k in range(30)]
    codes = [framework.root, *framework.dimensions]
    tidy = pd.DataFrame([(2024, r, c, float(rng.uniform(20, 95))) for r in regions for c in codes],
                        columns=["cycle", "region", "code", "score"])
    fig = charts.maturity_heatmap(tidy, highlight=regions[7])
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in ax.get_yticklabels()), key=lambda b: b.y0)
    assert len(boxes) == 30
    assert all(upper.y0 >= lower.y1 - 0.5 for lower, upper in zip(boxes, boxes[1:], strict=False))
    pitch = ax.bbox.height / 30
    numbers = [t for t in ax.texts if t.get_gid() == "annotation"]
    assert len(numbers) == 30 * len(codes)
    assert max(t.get_window_extent(renderer).height for t in numbers) <= pitch
    assert min(t.get_fontsize() for t in ax.get_yticklabels()) >= 8  # small, still legible


@pytest.mark.parametrize("lang", LANGS)
def test_gap_charts_of_a_region_with_no_gap_say_so(framework, lang):
    """A region at or above every target (the top region of a national cohort) draws an empty
    priority matrix and Pareto that say why, instead of failing."""
    from smartcity_analysis.i18n import term

    codes = list(framework.indicators)
    table = pd.DataFrame({"cycle": 2024, "region": REGION, "code": codes, "index_points": 0.0,
                          "effort": 1.0, "priority": "no_gap"})
    message = term("chart:no_gaps", lang)
    matrix = charts.priority_matrix(table, REGION, lang=lang, framework=framework)
    assert [t.get_text().replace("\n", " ") for t in matrix.findobj(Text) if t.get_gid() == "no_gaps"] == [message]
    assert not any(c.get_offsets().size for ax in matrix.axes for c in ax.collections
                   if c.get_gid() in ("indicators", "top_indicators"))
    pareto = charts.contribution_pareto(table, REGION, lang=lang, framework=framework)
    assert message in all_text(pareto).replace("\n", " ")
    assert not len(pareto.axes[0].containers[0])
