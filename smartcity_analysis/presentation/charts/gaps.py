"""Gap-analysis charts: how far each part is from its target, what lifts the index, what first.

The inputs are the tables of :func:`smartcity_analysis.analysis.gaps.gap_analysis` (pass the
``GapAnalysis`` itself, or its tables filtered as you like):

* :func:`gap_dumbbell` reads ``gaps`` (``region, code, current, target``; ``cycle`` optional);
* :func:`contribution_pareto` reads ``contributions`` (``region, code, index_points``;
  ``dimension``, ``rank`` and ``cycle`` optional);
* :func:`priority_matrix` reads ``priorities`` (``region, code, index_points, effort``;
  ``priority``, ``impact_threshold``, ``dimension`` and ``cycle`` optional).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ...i18n import term
from ...model.maturity import SPBE_LADDER, MaturityLadder
from ._base import (
    finish,
    fit_yticklabels,
    label_bands,
    names,
    pick_cycle,
    resolve_region,
    shared_docs,
    slide_figure,
    table_of,
    text_size,
    wrap_to_width,
)
from .theme import (
    ANNOTATION_SIZE,
    INK,
    LIGHT,
    MUTED,
    SMALL_SIZE,
    code_colors,
    default_decimals,
    dimension_colors,
    number,
    number_formatter,
    scale_label,
    text_color_on,
    theme,
    wrap,
)

#: Quadrant keys as :mod:`smartcity_analysis.analysis.gaps` writes them in ``priority``.
QUADRANTS = ("quick_win", "major_project", "fill_in", "low_priority")
#: ``effort <= LOW_EFFORT_MAX`` is low effort (as :data:`smartcity_analysis.analysis.gaps.LOW_EFFORT_MAX`).
LOW_EFFORT_MAX = 1.5


def _framework_and_scale(source, framework, scale):
    if framework is None:
        from ...input.framework import default_framework

        framework = getattr(source, "framework", None) or default_framework()
    if scale is None:
        params = getattr(source, "parameters", None) or {}
        scale = tuple(params.get("score_scale", (0.0, 100.0)))
    return framework, tuple(scale)


def _region_rows(table: pd.DataFrame, region: str, cycle: int | None) -> tuple[pd.DataFrame, str, int | None]:
    table, cycle = pick_cycle(table, cycle)
    region = resolve_region(region, table["region"])
    return table[table["region"] == region], region, cycle


def _dimension_legend(ax, framework, dims: list[str], lang: str, width: int = 22, **kwargs) -> None:
    colors = dimension_colors(framework)
    handles = [Line2D([], [], linestyle="none", marker="s", markersize=13, color=colors[d],
                      label=wrap(framework.name(d, lang), width)) for d in dims]
    ax.legend(handles=handles, title=term("dimension", lang), alignment="left",
              fontsize=SMALL_SIZE, title_fontsize=SMALL_SIZE, labelspacing=0.7, **kwargs)


# --- gap dumbbell -----------------------------------------------------------------------------


@shared_docs
def gap_dumbbell(gaps, region: str, *, level: str = "dimension", cycle: int | None = None,
                 ladder: MaturityLadder = SPBE_LADDER, framework=None,
                 scale: tuple[float, float] | None = None, lang: str = "id",
                 decimal_comma: bool | None = None, footnote: str | None = None,
                 title: str | None = None) -> Figure:
    """Dumbbells from the current score to the target, per dimension or per sub-dimension.

    Answers: *how far is each dimension (or element) from its target, and where is the gap
    widest?* Dots and bars take the dimension's colour; the gap is printed at the right end;
    grey dotted lines mark the maturity bands.

    Parameters
    ----------
    gaps : GapAnalysis or DataFrame
        ``GapAnalysis`` (its ``gaps`` table is used) or a table with the columns
        ``region, code, current, target`` and optionally ``cycle``.
    region : str
        The region to draw.
    level : str
        ``"dimension"`` (default) or ``"sub-dimension"`` (grouped by dimension).
    {cycle}
    ladder : MaturityLadder
        The bands marked on the score axis.
    {framework}
    scale : (float, float), optional
        The score range; default the analysis' ``score_scale``, else (0, 100).
    {common}

    {returns}
    """
    framework, scale = _framework_and_scale(gaps, framework, scale)
    table = table_of(gaps, "gaps", "gaps", ("region", "code", "current", "target"))
    rows, region, cycle = _region_rows(table, region, cycle)
    codes = [c for c in framework.codes_at(level) if c in set(rows["code"])]
    rows = rows.drop_duplicates("code", keep="last").set_index("code").reindex(codes)
    current = rows["current"].astype(float).to_numpy()
    target = rows["target"].astype(float).to_numpy()
    gap = np.fmax(target - current, 0.0)
    colors = code_colors(framework)
    color = [colors.get(c, INK) for c in codes]
    decimals = default_decimals(scale)
    n = len(codes)
    y = np.arange(n)
    sub_level = level != "dimension"

    key = "chart:gap_dimension" if not sub_level else "chart:gap_sub_dimension"
    subtitle = f"{term('chart:gap_sub', lang)}; {scale_label(scale, lang)}"
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    label_size = ANNOTATION_SIZE if n <= 8 else (SMALL_SIZE if n <= 20 else 10)
    marker = 300 if n <= 8 else 150
    with theme():
        fig = slide_figure(title or term(key, lang).format(region=region), subtitle, footnote)
        if sub_level:
            grid = fig.add_gridspec(1, 2, width_ratios=[4, 1])
            ax = fig.add_subplot(grid[0, 0])
        else:
            ax = fig.add_subplot()
        bands = ladder.bands(scale, lang)
        for _, band in bands.iterrows():
            if band["lower"] > scale[0]:
                ax.axvline(band["lower"], color="#B0B0B0", linestyle=":", linewidth=1.5, zorder=0)
        bar = ~np.isnan(current) & ~np.isnan(target) & (target > current)
        ax.hlines(y[bar], current[bar], target[bar], colors=np.asarray(color, dtype=object)[bar].tolist(),
                  linewidth=5 if n <= 8 else 3.5, alpha=0.45, capstyle="butt", zorder=1, gid="gap_bars")
        ax.scatter(target, y, s=marker, facecolors="white", edgecolors=color, linewidths=3, zorder=3,
                   gid="target")
        ax.scatter(current, y, s=marker, c=color, edgecolors="white", linewidths=1, zorder=4,
                   gid="current")
        right = np.fmax(np.nan_to_num(current, nan=scale[0]), np.nan_to_num(target, nan=scale[0]))
        pad = 0.025 * (scale[1] - scale[0])
        for i in range(n):
            if np.isnan(gap[i]):
                text = "-"
            elif gap[i] > 0:
                text = "+" + number(gap[i], decimals, lang, decimal_comma)
            else:
                text = "✓"
            ax.text(right[i] + pad, i, text, va="center", ha="left", fontsize=label_size,
                    fontweight="bold", color=INK, gid="gap_label")
        width = 26 if not sub_level else 36
        ax.set_yticks(y, [wrap(label, width) for label in names(framework, codes, lang)],
                      fontsize=label_size)
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(scale[0], scale[1] + 0.09 * (scale[1] - scale[0]))
        ax.set_xticks(np.linspace(scale[0], scale[1], 6))
        ax.set_xlabel(scale_label(scale, lang).capitalize())
        ax.xaxis.set_major_formatter(number_formatter(None, lang, decimal_comma))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="y", color="#EEEEEE", linewidth=1)
        if sub_level:
            dims = list(dict.fromkeys(framework.ancestor_at(1)[codes]))
            legend_ax = fig.add_subplot(grid[0, 1])
            legend_ax.axis("off")
            _dimension_legend(legend_ax, framework, dims, lang, loc="center left", borderaxespad=0)
            # A thin rule between dimensions keeps the groups apart.
            group = framework.ancestor_at(1)[codes].to_numpy()
            for i in range(1, n):
                if group[i] != group[i - 1]:
                    ax.axhline(i - 0.5, color="#C8C8C8", linewidth=1.2)

        def fit_rows() -> None:
            # Names and gaps one row each: as large as the row pitch the axes got allows
            # (a slide body is shorter than a slide), never below 9 pt.
            pitch_pt = ax.bbox.height / abs(np.diff(ax.get_ylim())[0]) / fig.dpi * 72
            size = min(label_size, max(9, int(pitch_pt / 1.3)))
            if size < label_size:
                ax.tick_params(axis="y", labelsize=size)
                for text in ax.texts:
                    if text.get_gid() == "gap_label":
                        text.set_fontsize(size)
            label_bands(ax, bands, SMALL_SIZE - 1, color="#707070")

        return finish(fig, fit_rows)


# --- Pareto of contributions --------------------------------------------------------------------


@shared_docs
def contribution_pareto(contributions, region: str, *, top: int = 10, cycle: int | None = None,
                        framework=None, lang: str = "id", decimal_comma: bool | None = None,
                        footnote: str | None = None, title: str | None = None) -> Figure:
    """Pareto bars of the indicators that lift the index most, with the cumulative share.

    Answers: *which few indicators would raise our index most if each reached its target?*
    Bars are the index points each indicator alone adds (coloured by dimension); the line is
    the running total as a share of what all indicators together could add one by one.

    Parameters
    ----------
    contributions : GapAnalysis or DataFrame
        ``GapAnalysis`` (its ``contributions`` table is used) or a table with the columns
        ``region, code, index_points`` and optionally ``cycle`` and ``dimension``.
    region : str
        The region to draw.
    top : int
        How many indicators to show (default 10).
    {cycle}
    {framework}
    {common}

    {returns}
    """
    framework, _ = _framework_and_scale(contributions, framework, None)
    table = table_of(contributions, "contributions", "contributions", ("region", "code", "index_points"))
    rows, region, cycle = _region_rows(table, region, cycle)
    points = rows.drop_duplicates("code", keep="last").set_index("code")["index_points"].astype(float)
    points = points[points > 0].sort_values(ascending=False, kind="stable")
    total = float(points.sum())
    shown = points.iloc[:top]
    codes = shown.index.tolist()
    dim_of = framework.ancestor_at(1)
    dims_shown = list(dict.fromkeys(d for d in framework.dimensions if d in set(dim_of[codes])))
    colors = code_colors(framework)
    cumulative = shown.cumsum() / total * 100 if total > 0 else shown * np.nan
    n = len(codes)
    y = np.arange(n)

    subtitle = term("chart:pareto_sub", lang).format(n=n) if n else term("chart:no_gaps", lang)
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    with theme():
        fig = slide_figure(title or term("chart:pareto", lang).format(region=region), subtitle, footnote)
        grid = fig.add_gridspec(1, 2, width_ratios=[5, 1])
        ax = fig.add_subplot(grid[0, 0])
        ax.barh(y, shown.to_numpy(), height=0.66, color=[colors.get(c, INK) for c in codes],
                zorder=2, gid="bars")
        vmax = float(shown.max()) if n else 1.0
        for i, v in enumerate(shown):
            ax.text(v + 0.012 * vmax, i, "+" + number(v, 2, lang, decimal_comma), va="center",
                    ha="left", fontsize=SMALL_SIZE, color=INK, gid="value", in_layout=False)
        labels = names(framework, codes, lang)
        ax.set_yticks(y, [wrap(label, 44) for label in labels], fontsize=SMALL_SIZE)
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(0, vmax * 1.18)
        ax.set_xlabel(term("index_points", lang))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.xaxis.set_major_formatter(number_formatter(None, lang, decimal_comma))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x")
        share = ax.twiny()
        share.plot(cumulative.to_numpy(), y, color=INK, marker="o", markersize=9, linewidth=2.4,
                   markeredgecolor="white", markeredgewidth=1.5, zorder=5, gid="cumulative")
        if n:
            share.annotate(number(cumulative.iloc[-1], 0, lang, decimal_comma) + "%",
                           (cumulative.iloc[-1], y[-1]), xytext=(10, 0), textcoords="offset points",
                           ha="left", va="center", fontsize=SMALL_SIZE, fontweight="bold", color=INK,
                           bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": INK,
                                 "linewidth": 1}, zorder=6, gid="cumulative_label", in_layout=False)
        share.set_xlim(0, 100)
        share.set_xlabel(term("chart:cumulative", lang), fontsize=SMALL_SIZE + 1)
        share.xaxis.set_major_formatter(number_formatter(0, lang, decimal_comma, suffix="%"))
        share.tick_params(axis="x", labelsize=SMALL_SIZE)
        share.spines["top"].set_visible(True)
        share.spines["right"].set_visible(False)
        legend_ax = fig.add_subplot(grid[0, 1])
        legend_ax.axis("off")
        if n:
            _dimension_legend(legend_ax, framework, dims_shown, lang, loc="center left", borderaxespad=0)
        else:  # a region at or above every target: an empty chart says why
            ax.text(0.5, 0.5, wrap(term("chart:no_gaps", lang), 40), ha="center", va="center",
                    fontsize=SMALL_SIZE + 4, color=INK, transform=ax.transAxes, gid="no_gaps")
        return finish(fig, lambda: fit_yticklabels(ax, labels, SMALL_SIZE + 1, max_width_in=4.4))


# --- priority matrix ----------------------------------------------------------------------------


def _priority_rows(priorities, region, cycle, framework):
    if not isinstance(priorities, pd.DataFrame) and hasattr(priorities, "priorities"):
        analysis = priorities
        table = analysis.priorities
        if "rank" not in table.columns and hasattr(analysis, "contributions"):
            extra = analysis.contributions[["cycle", "region", "code", "rank"]]
            table = table.merge(extra, on=["cycle", "region", "code"], how="left")
    else:
        table = table_of(priorities, "priorities", "priorities", ("region", "code", "index_points", "effort"))
    rows, region, cycle = _region_rows(table, region, cycle)
    rows = rows.drop_duplicates("code", keep="last").copy()
    rows["index_points"] = rows["index_points"].astype(float)
    rows["effort"] = rows["effort"].astype(float)
    if "priority" in rows.columns:
        rows = rows[rows["priority"].isin(QUADRANTS)]
    else:
        rows = rows[rows["index_points"] > 0]
    rows = rows.dropna(subset=["index_points", "effort"])
    rows["dimension"] = rows["code"].map(framework.ancestor_at(1))
    return rows, region, cycle


def _swarm(groups: np.ndarray, y: np.ndarray, x_unit: float, y_unit: float, diameter: float,
           max_offset: float) -> np.ndarray:
    """Horizontal offsets (data units) so markers of equal x never overlap: a small beeswarm.

    ``x_unit`` and ``y_unit`` are inches per data unit, ``diameter`` the marker size in inches.
    """
    offsets = np.zeros(len(y))
    for value in np.unique(groups):
        idx = np.flatnonzero(groups == value)
        placed: list[tuple[float, float]] = []
        for i in idx[np.argsort(-y[idx], kind="stable")]:
            yi = y[i] * y_unit
            best = 0.0
            for k in range(0, 60):
                candidate = (k + 1) // 2 * diameter * (1 if k % 2 else -1) if k else 0.0
                if abs(candidate) / x_unit > max_offset:
                    break
                if all((candidate - px) ** 2 + (yi - py) ** 2 >= (0.98 * diameter) ** 2 for px, py in placed):
                    best = candidate
                    break
            placed.append((best, yi))
            offsets[i] = best / x_unit
    return offsets


@shared_docs
def priority_matrix(priorities, region: str, *, cycle: int | None = None, label_top: int = 10,
                    low_effort_max: float = LOW_EFFORT_MAX, framework=None, lang: str = "id",
                    decimal_comma: bool | None = None, footnote: str | None = None,
                    title: str | None = None) -> Figure:
    """Impact (index points) against effort, in four labelled quadrants.

    Answers: *which programmes are quick wins (high impact, low effort), which are major
    projects, fill-ins, or low priority?* Each dot is an indicator with a gap, coloured by its
    dimension; the ``label_top`` highest-impact ones are numbered and named on the right.
    The lines are the quadrant thresholds of the analysis: impact at the region's
    ``impact_threshold`` (default the median positive index points), effort at
    ``low_effort_max``.

    Parameters
    ----------
    priorities : GapAnalysis or DataFrame
        ``GapAnalysis`` (its ``priorities`` table is used) or a table with the columns
        ``region, code, index_points, effort`` (1 low, 2 medium, 3 high) and optionally
        ``cycle``, ``priority`` (rows outside the four quadrants, e.g. ``no_gap``, are left out),
        ``impact_threshold`` and ``rank``.
    region : str
        The region to draw.
    {cycle}
    label_top : int
        How many of the highest-impact indicators to number and name (default 10).
    low_effort_max : float
        Efforts up to this are "low" (default 1.5: effort 1 only, as the gap analysis).
    {framework}
    {common}

    {returns}
    """
    framework, _ = _framework_and_scale(priorities, framework, None)
    rows, region, cycle = _priority_rows(priorities, region, cycle, framework)
    points = rows["index_points"].to_numpy()
    effort = rows["effort"].to_numpy()
    if "impact_threshold" in rows.columns and rows["impact_threshold"].notna().any():
        threshold = float(rows["impact_threshold"].dropna().iloc[0])
    else:
        threshold = float(np.median(points[points > 0])) if (points > 0).any() else 0.0
    order = rows.sort_values(["index_points"], ascending=False, kind="stable").index
    if "rank" in rows.columns and rows["rank"].notna().all():
        order = rows.sort_values("rank", kind="stable").index
    labelled = list(order[:label_top])
    number_of = {idx: k + 1 for k, idx in enumerate(labelled)}
    colors = dimension_colors(framework)
    ymax = max(float(points.max()) if len(points) else 1.0, threshold, 1e-9)
    ylim = (-0.2 * ymax, 1.22 * ymax)
    efforts = [1.0, 2.0, 3.0]
    xlim = (0.45, 3.55)

    subtitle = term("chart:priority_sub", lang)
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    with theme():
        fig = slide_figure(title or term("chart:priority", lang).format(region=region), subtitle, footnote)
        grid = fig.add_gridspec(1, 2, width_ratios=[1.1, 1])
        ax = fig.add_subplot(grid[0, 0])
        side = fig.add_subplot(grid[0, 1])
        side.axis("off")
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_xticks(efforts, [f"{int(e)}\n{term(f'effort:{int(e)}', lang)}" for e in efforts])
        ax.set_xlabel(term("chart:effort_axis", lang))
        ax.set_ylabel(term("chart:impact", lang))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.yaxis.set_major_formatter(number_formatter(None, lang, decimal_comma))
        ax.spines["left"].set_bounds(0, ylim[1])
        # Quick wins: the shaded corner (high impact, low effort).
        ax.fill_between([xlim[0], low_effort_max], threshold, ylim[1], color=LIGHT, zorder=0, linewidth=0)
        ax.axvline(low_effort_max, color="#8C8C8C", linewidth=1.8, zorder=1)
        ax.axhline(threshold, color="#8C8C8C", linewidth=1.8, zorder=1)
        ax.axhline(0, color="#D0D0D0", linewidth=1, zorder=1)
        quadrant_text = {
            "quick_win": ((xlim[0] + low_effort_max) / 2, ylim[1] - 0.045 * (ylim[1] - ylim[0])),
            "major_project": ((low_effort_max + xlim[1]) / 2, ylim[1] - 0.045 * (ylim[1] - ylim[0])),
            "fill_in": ((xlim[0] + low_effort_max) / 2, ylim[0] + 0.07 * (ylim[1] - ylim[0])),
            "low_priority": ((low_effort_max + xlim[1]) / 2, ylim[0] + 0.07 * (ylim[1] - ylim[0])),
        }
        for key, (qx, qy) in quadrant_text.items():
            ax.text(qx, qy, term(f"quadrant:{key}", lang).upper(), ha="center", va="center",
                    fontsize=ANNOTATION_SIZE, fontweight="bold",
                    color=INK if key == "quick_win" else "#6B6B6B", gid=f"quadrant:{key}")
        # Markers are placed once the axes have their size: a beeswarm within each effort
        # column, so equal impacts sit side by side instead of on top of each other.
        def place() -> None:
            x_unit = ax.bbox.width / fig.dpi / (xlim[1] - xlim[0])
            y_unit = ax.bbox.height / fig.dpi / (ylim[1] - ylim[0])
            big, small = 0.30, 0.17  # marker diameters, inches
            offsets = _swarm(effort, points, x_unit, y_unit, big, max_offset=0.47)
            x = effort + offsets
            is_big = np.array([idx in number_of for idx in rows.index], dtype=bool)  # bool when empty too
            dot_colors = [colors.get(d, INK) for d in rows["dimension"]]
            size_pt2 = (np.where(is_big, big, small) * 72) ** 2
            ax.scatter(x[~is_big], points[~is_big], s=size_pt2[~is_big],
                       c=[c for c, b in zip(dot_colors, is_big, strict=True) if not b],
                       alpha=0.55, linewidths=0, zorder=3, gid="indicators")
            ax.scatter(x[is_big], points[is_big], s=size_pt2[is_big],
                       c=[c for c, b in zip(dot_colors, is_big, strict=True) if b],
                       edgecolors=INK, linewidths=1.2, zorder=4, gid="top_indicators")
            for pos, idx in enumerate(rows.index):
                if idx in number_of:
                    ax.text(x[pos], points[pos], str(number_of[idx]), ha="center", va="center",
                            fontsize=12, fontweight="bold", color=text_color_on(dot_colors[pos]),
                            zorder=5, gid="number", in_layout=False)
            # The key: number, dimension colour, name and quadrant of each numbered indicator.
            by_code = rows.set_index(rows.index)
            entries = [(number_of[idx], by_code.at[idx, "code"], by_code.at[idx, "dimension"],
                        by_code.at[idx, "priority"] if "priority" in by_code.columns else None)
                       for idx in labelled]
            legend_dims = [d for d in framework.dimensions if d in set(rows["dimension"])]
            if entries:
                _priority_key(side, framework, entries, legend_dims, colors, lang)
            else:  # a region at or above every target: an empty matrix says why
                side.text(0.0, 0.5, wrap(term("chart:no_gaps", lang), 34), ha="left", va="center",
                          fontsize=SMALL_SIZE + 2, color=INK, transform=side.transAxes, gid="no_gaps")

        return finish(fig, place, relayout=False)  # place() draws inside its two axes only


def _priority_key(ax, framework, entries, dims, colors, lang) -> None:
    """The side panel: numbered list of the labelled indicators (quick wins starred) and the
    dimension colours. Call after the figure is laid out: text is fitted to the panel's size,
    every block measured as the renderer sets it."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax.set_ylim(0, 1)
    ax.set_xlim(0, 1)
    panel_px = ax.bbox.height
    text_px = ax.bbox.width * 0.88
    # A no-break space keeps the star on the last word's line.
    names_ = [framework.name(code, lang) + ("\u00a0★" if q == "quick_win" else "") for _, code, _, q in entries]
    starred = any(q == "quick_win" for *_, q in entries)
    note = f"★ {term('quadrant:quick_win', lang)}" if starred else None
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=11, color=colors[d], label=d)
               for d in dims]
    legend = ax.legend(handles=handles, loc="lower left", ncols=len(handles), fontsize=SMALL_SIZE,
                       handletextpad=0.15, columnspacing=0.9, borderaxespad=0, borderpad=0)
    legend_px = legend.get_window_extent(renderer).height
    size = SMALL_SIZE + 2
    while True:
        props = FontProperties(size=size)
        texts = [wrap_to_width(t, text_px, renderer, props, max_chars=60) for t in names_]
        heights = [text_size(fig, t, props, linespacing=1.0)[1] for t in texts]
        line = text_size(fig, "lp", props, linespacing=1.0)[1]  # one line of the list, pixels
        gap = 0.4 * line
        note_px = text_size(fig, note, props)[1] + gap if note else 0.0
        total = sum(heights) + gap * len(texts) + note_px + 1.2 * line + legend_px
        if total <= panel_px or size <= 10:
            break
        size -= 1
    # Number discs as large as a one-line row allows (0.27 in at most), never touching.
    full_disc_pt = 0.27 * 72
    disc_pt = min(full_disc_pt, 0.92 * (line + gap) / fig.dpi * 72)
    y = 1.0
    for (num, _code, dim, _q), text, block in zip(entries, texts, heights, strict=True):
        color = colors.get(dim, MUTED)
        middle = y - line / 2 / panel_px  # on the first line
        ax.scatter([0.035], [middle], s=disc_pt ** 2, color=color, edgecolors=INK,
                   linewidths=1, clip_on=False, transform=ax.transAxes)
        ax.text(0.035, middle, str(num), ha="center", va="center",
                fontsize=max(8, round(11 * disc_pt / full_disc_pt)), fontweight="bold",
                color=text_color_on(color), transform=ax.transAxes)
        ax.text(0.1, y, text, ha="left", va="top", fontsize=size, color=INK,
                transform=ax.transAxes, linespacing=1.0, gid="key", in_layout=False)
        y -= (block + gap) / panel_px
    if note:
        ax.text(0.1, y, note, ha="left", va="top",
                fontsize=size, color="#505050", transform=ax.transAxes, gid="key_note")
