"""Radar charts: the shape of a region's readiness across the dimensions.

:func:`radar_chart` puts one region against the cohort median (and its targets);
:func:`radar_grid` draws every region of the cohort as small multiples, best index first.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ...i18n import term
from ._base import (
    cycle_frame,
    finish,
    names,
    resolve_region,
    shared_docs,
    slide_figure,
    target_series,
    wide,
)
from .theme import (
    ANNOTATION_SIZE,
    INK,
    MEDIAN,
    SMALL_SIZE,
    TARGET,
    default_decimals,
    dimension_colors,
    number,
    scale_label,
    theme,
    wrap,
)


def _angles(n: int) -> np.ndarray:
    return np.linspace(0.0, 2 * np.pi, n, endpoint=False)


def _closed(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.append(values, values[:1])


def _prepare_polar(ax, scale: tuple[float, float], n: int, *, ring_labels: bool, lang: str,
                   decimal_comma: bool | None, ring_size: float = SMALL_SIZE) -> np.ndarray:
    """Start at 12 o'clock, run clockwise, grey rings, no default tick labels."""
    theta = _angles(n)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(*scale)
    ax.set_xticks(theta)
    ax.set_xticklabels([])
    rings = np.linspace(scale[0], scale[1], 6)[1:]
    ax.set_yticks(rings)
    decimals = 0 if float(rings[0]).is_integer() else 1
    ax.set_yticklabels([])
    if ring_labels:
        # Between the first two spokes, on a white patch so the lines never run through them.
        for r in rings:
            ax.text(np.pi / n, r, number(r, decimals, lang, decimal_comma), ha="center", va="center",
                    fontsize=ring_size, color="#707070", zorder=6, gid="ring_label",
                    bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
                          "alpha": 0.85})
    ax.grid(True, color="#D0D0D0", linewidth=0.9)
    ax.spines["polar"].set_color("#A0A0A0")
    return theta


def _label_spokes(ax, theta: np.ndarray, labels: list[str], radius: float, size: float,
                  colors: list[str] | None = None, weight: str = "normal") -> None:
    """Spoke labels outside the circle, aligned away from it so long names never cross it."""
    for i, (t, label) in enumerate(zip(theta, labels, strict=True)):
        # Screen angle, clockwise from 12 o'clock: right half aligns left, left half aligns right.
        x, y = math.sin(t), math.cos(t)
        ha = "center" if abs(x) < 0.2 else ("left" if x > 0 else "right")
        va = "bottom" if y > 0.5 else ("top" if y < -0.5 else "center")
        ax.text(t, radius, label, ha=ha, va=va, fontsize=size, fontweight=weight,
                color=(colors[i] if colors else INK), linespacing=1.15)


#: Points from the outer ring to the centre of a panel's spoke label, and the room they take
#: above the panel (what a polar axes' theta labels at ``pad=1`` take).
_PANEL_LABEL_OFFSET = 13.5
_PANEL_LABEL_ROOM = 21.0


def _radar_panel(ax, center: tuple[float, float], radius: float, theta: np.ndarray, values, median,
                 scale: tuple[float, float], dims: list[str], colors: dict[str, str], region: str) -> None:
    """A small radar drawn on ``ax`` in figure inches: 12 o'clock first, clockwise.

    Looks like :func:`_prepare_polar`'s radar (grey rings at each fifth of the scale, spokes,
    the cohort median dashed, the region filled and outlined) from precomputed coordinates:
    a grid of polar axes costs more to create, lay out and draw than the rest of the slide.
    """
    inches = ax.figure.dpi_scale_trans
    cx, cy = center

    def xy(points) -> tuple[np.ndarray, np.ndarray]:
        r = (np.asarray(points, dtype=float) - scale[0]) / (scale[1] - scale[0]) * radius
        return _closed(cx + r * np.sin(theta)), _closed(cy + r * np.cos(theta))

    # Rings, spokes and the outer circle: one artist.
    circle = np.linspace(0.0, 2 * np.pi, 181)
    rings = [np.column_stack([cx + f * radius * np.sin(circle), cy + f * radius * np.cos(circle)])
             for f in (0.2, 0.4, 0.6, 0.8, 1.0)]
    spokes = [np.array([[cx, cy], [cx + radius * np.sin(t), cy + radius * np.cos(t)]]) for t in theta]
    ax.add_collection(LineCollection(
        [*rings[:-1], *spokes, rings[-1]], colors=["#D0D0D0"] * (4 + len(spokes)) + ["#A0A0A0"],
        linewidths=[0.9] * (4 + len(spokes)) + [1.0], transform=inches, zorder=1, gid=f"grid:{region}"),
        autolim=False)
    ax.plot(*xy(median), color=MEDIAN, linestyle="--", linewidth=1.6, zorder=2, transform=inches)
    values = np.asarray(values, dtype=float)
    ax.fill(*xy(np.where(np.isnan(values), scale[0], values)), color=INK, alpha=0.10, linewidth=0, zorder=2,
            transform=inches)
    x, y = xy(values)
    ax.plot(x, y, color=INK, linewidth=2.2, zorder=3, transform=inches, gid=f"region:{region}")
    ax.scatter(x[:-1], y[:-1], s=45, c=[colors[d] for d in dims], zorder=4, linewidths=0, clip_on=False,
               transform=inches)


def _draw_panels(area, panels: list[tuple[str, str, object]], ncols: int, theta: np.ndarray, median,
                 scale: tuple[float, float], dims: list[str], colors: dict[str, str],
                 highlight: str | None) -> None:
    """The radar grid in ``area`` (laid out already), on equal cells: each circle as large as its
    cell allows once its title (above) and spoke labels (around) have their room.

    ``panels`` holds ``(region, title, dimension scores)`` in reading order. Everything is drawn
    on the one axes: ten small axes would cost more than all they draw.
    """
    fig = area.figure
    renderer = fig.canvas.get_renderer()
    inches = fig.dpi_scale_trans
    titles, spoke_labels = [], []
    for region, head, _ in panels:
        titles.append(area.text(0, 0, head, transform=inches, ha="center", va="bottom", fontsize=14,
                                fontweight="bold" if region == highlight else "normal",
                                color=INK if highlight in (None, region) else "#404040", gid="panel_title"))
        spoke_labels.append([area.text(0, 0, d, transform=inches, ha="center", va="center", fontsize=12,
                                       fontweight="bold", color=colors[d], gid="spoke_label") for d in dims])
    title_h = max(t.get_window_extent(renderer).height for t in titles) / fig.dpi
    label_boxes = [t.get_window_extent(renderer) for t in spoke_labels[0]]
    label_w = max(b.width for b in label_boxes) / fig.dpi
    label_h = max(b.height for b in label_boxes) / fig.dpi
    x0, y0, width, height = area.get_window_extent(renderer).transformed(inches.inverted()).bounds
    nrows = -(-len(panels) // ncols)
    cell_w, cell_h = width / ncols, height / nrows
    offset = _PANEL_LABEL_OFFSET / 72
    above = title_h + (6 + _PANEL_LABEL_ROOM) / 72  # the title and its pad over the circle
    below = offset + label_h / 2
    side = offset * np.sin(np.pi / 3) + label_w / 2  # labels at 60 degrees stick out most
    radius = max(min(cell_w - 2 * side, cell_h - above - below), 0.1) / 2
    for k, ((region, _, values), title, labels) in enumerate(zip(panels, titles, spoke_labels, strict=True)):
        row, col = divmod(k, ncols)
        cx = x0 + (col + 0.5) * cell_w
        top = y0 + height - row * cell_h - (cell_h - above - 2 * radius - below) / 2 - above
        cy = top - radius
        title.set_position((cx, top + (6 + _PANEL_LABEL_ROOM) / 72))
        for t, label in zip(theta, labels, strict=True):
            label.set_position((cx + (radius + offset) * np.sin(t), cy + (radius + offset) * np.cos(t)))
        _radar_panel(area, (cx, cy), radius, theta, values, median, scale, dims, colors, region)


def _value_table(ax, dims, colors, mine, median, target, region, lang, decimals, decimal_comma) -> None:
    """The numbers behind the radar, under its legend: region, median (and target) per dimension.

    Call once the figure is laid out: the table starts below the legend wherever the legend
    ends (a two-line region name makes it taller) and never runs below the axes.
    """
    columns = [term("region", lang), term("chart:median_short", lang)]
    values = [mine, median]
    if target is not None:
        columns.append(term("target", lang))
        values.append(target)
    xs = [0.42 + 0.26 * k for k in range(len(columns))]
    legend = ax.get_legend().get_window_extent(ax.figure.canvas.get_renderer())
    gap = SMALL_SIZE / 72 * ax.figure.dpi / ax.bbox.height  # a line of table text, axes fraction
    top = min(0.6, ax.transAxes.inverted().transform((0, legend.y0))[1] - 1.2 * gap)
    step = min(0.075, (top - gap) / len(dims))
    for x, label in zip(xs, columns, strict=True):
        ax.text(x, top, label, ha="right", va="center", fontsize=SMALL_SIZE, fontweight="bold",
                color="#404040", gid="table_header", in_layout=False)
    for i, d in enumerate(dims):
        y = top - (i + 1) * step
        ax.scatter([0.03], [y], s=130, color=colors[d], clip_on=False)
        ax.text(0.07, y, d, ha="left", va="center", fontsize=SMALL_SIZE, color=INK)
        for x, series in zip(xs, values, strict=True):
            ax.text(x, y, number(series[d], decimals, lang, decimal_comma), ha="right", va="center",
                    fontsize=SMALL_SIZE, color=INK, gid="table_value", in_layout=False)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


@shared_docs
def radar_chart(data, region: str, *, cycle: int | None = None, targets=None,
                framework=None, scale: tuple[float, float] | None = None, lang: str = "id",
                decimal_comma: bool | None = None, footnote: str | None = None,
                title: str | None = None) -> Figure:
    """Radar of one region's dimension scores against the cohort median and its targets.

    Answers: *where is this region strong or weak across the six dimensions, compared with
    the cohort and with what it aims for?*

    Parameters
    ----------
    {scores_data}
    region : str
        The region to draw (forgiving spelling: "Kab. Bangli").
    {cycle}
    targets : DataFrame, mapping or GapAnalysis, optional
        Targets per dimension code: a ``{code: target}`` mapping, or a table with the columns
        ``code, target`` (``region`` and ``cycle`` filter it when present; the ``gaps`` table of
        a gap analysis fits). Drawn as a dotted line.
    {framework}
    {scale}
    {common}

    {returns}
    """
    framework = framework or getattr(data, "framework", None)
    dims = framework.dimensions if framework is not None else None
    long, framework, scale, cycle = cycle_frame(data, cycle, framework, scale, codes=dims)
    region = resolve_region(region, long["region"])
    dims = framework.dimensions
    table = wide(long, dims)
    mine = table.loc[region].astype(float)
    median = table.median(axis=0)
    target = target_series(targets, region, dims, cycle)
    has_target = target.notna().any()
    decimals = default_decimals(scale)
    colors = dimension_colors(framework)

    subtitle = term("chart:radar_sub_target" if has_target else "chart:radar_sub", lang)
    subtitle += f"; {scale_label(scale, lang)}"
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    with theme():
        fig = slide_figure(title or term("chart:radar", lang).format(region=region), subtitle, footnote)
        grid = fig.add_gridspec(1, 2, width_ratios=[1.55, 1])
        ax = fig.add_subplot(grid[0, 0], projection="polar")
        theta = _prepare_polar(ax, scale, len(dims), ring_labels=True, lang=lang,
                               decimal_comma=decimal_comma)
        ax.plot(_closed(theta), _closed(median), color=MEDIAN, linestyle="--", linewidth=2.5,
                label=term("cohort_median", lang), gid="median")
        if has_target:
            ax.plot(_closed(theta), _closed(target.fillna(median)), color=TARGET, linestyle=":",
                    linewidth=3, label=term("target", lang), gid="target")
        ax.fill(_closed(theta), _closed(mine.fillna(scale[0])), color=INK, alpha=0.08, zorder=2)
        ax.plot(_closed(theta), _closed(mine), color=INK, linewidth=3.5, label=region, gid="region",
                zorder=3)
        ax.scatter(theta, mine, s=190, c=[colors[d] for d in dims], edgecolors=INK, linewidths=1.2,
                   zorder=4, gid="vertices")
        labels = [f"{wrap(name, 22)}\n{number(v, decimals, lang, decimal_comma)}"
                  for name, v in zip(names(framework, dims, lang), mine, strict=True)]
        _label_spokes(ax, theta, labels, scale[1] + 0.1 * (scale[1] - scale[0]), ANNOTATION_SIZE)
        legend_ax = fig.add_subplot(grid[0, 1])
        legend_ax.axis("off")
        legend_ax.set_xlim(0, 1)
        legend_ax.set_ylim(0, 1)
        handles = [
            Line2D([], [], color=INK, linewidth=3.5, marker="o", markersize=11,
                   markerfacecolor="white", markeredgecolor=INK, label=wrap(region, 20)),
            Line2D([], [], color=MEDIAN, linestyle="--", linewidth=2.5,
                   label=wrap(term("cohort_median", lang), 20)),
        ]
        if has_target:
            handles.append(Line2D([], [], color=TARGET, linestyle=":", linewidth=3,
                                  label=term("target", lang)))
        legend_ax.legend(handles=handles, loc="upper left", fontsize=ANNOTATION_SIZE,
                         handlelength=2.6, labelspacing=0.8, borderaxespad=0)
        return finish(fig, lambda: _value_table(legend_ax, dims, colors, mine, median,
                                                target if has_target else None, region, lang, decimals,
                                                decimal_comma), relayout=False)


@shared_docs
def radar_grid(data, *, cycle: int | None = None, highlight: str | None = None,
               ncols: int | None = None, framework=None, scale: tuple[float, float] | None = None,
               lang: str = "id", decimal_comma: bool | None = None, footnote: str | None = None,
               title: str | None = None) -> Figure:
    """Small-multiple radars of every region, ordered by index, each against the cohort median.

    Answers: *which regions share a profile, and who leads where?*

    Parameters
    ----------
    {scores_data}
    {cycle}
    highlight : str, optional
        A region whose panel title is marked (the region a workshop is about).
    ncols : int, optional
        Panels per row; default fits the cohort on two rows (at most 6 per row).
    {framework}
    {scale}
    {common}

    {returns}
    """
    framework = framework or getattr(data, "framework", None)
    codes = [*framework.dimensions, framework.root] if framework is not None else None
    long, framework, scale, cycle = cycle_frame(data, cycle, framework, scale, codes=codes)
    dims = framework.dimensions
    table = wide(long, dims)
    root = framework.root
    index = long[long["code"] == root].set_index("region")["score"].astype(float)
    index = index.reindex(table.index)
    order = index.sort_values(ascending=False, na_position="last").index.tolist()
    if highlight is not None:
        highlight = resolve_region(highlight, order)
    median = table.median(axis=0)
    colors = dimension_colors(framework)
    decimals = default_decimals(scale)
    n = len(order)
    ncols = ncols or min(6, max(1, math.ceil(n / 2)))

    subtitle = term("chart:radar_sub", lang) + f"; {scale_label(scale, lang)}"
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    with theme():
        fig = slide_figure(title or term("chart:radar_grid", lang), subtitle, footnote)
        grid = fig.add_gridspec(1, 2, width_ratios=[ncols, 1.45])
        # The panels go in this area once the layout has sized it: a grid of equal cells needs
        # no solver, and the layout measures one empty axes instead of ten panels.
        area = fig.add_subplot(grid[0, 0])
        area.axis("off")
        area.set_autoscale_on(False)
        panels = []
        for k, region in enumerate(order):
            head = wrap(f"{k + 1}. {region}", 16)
            if not np.isnan(index.get(region, np.nan)):
                head += f"\n{term('index', lang)} {number(index[region], decimals, lang, decimal_comma)}"
            panels.append((region, head, table.loc[region].astype(float)))
        # The key sits in its own column so it can never cover a panel or the footnote.
        key_ax = fig.add_subplot(grid[0, 1])
        key_ax.axis("off")
        key = [Line2D([], [], linestyle="none", marker="o", markersize=12, color=colors[d],
                      label=f"{d}  {wrap(name, 20)}")
               for d, name in zip(dims, names(framework, dims, lang), strict=True)]
        key += [Line2D([], [], color=MEDIAN, linestyle="--", linewidth=2,
                       label=wrap(term("cohort_median", lang), 20))]
        key_ax.legend(handles=key, loc="center left", fontsize=SMALL_SIZE, handletextpad=0.4,
                      labelspacing=0.9, borderaxespad=0)
        return finish(fig, lambda: _draw_panels(area, panels, ncols, _angles(len(dims)), median, scale, dims,
                                                colors, highlight), relayout=False)
