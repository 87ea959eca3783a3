"""Change across assessment cycles: a region's dimension scores, and the cohort's ranks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...i18n import term
from ._base import (
    finish,
    pick_cycle,
    resolve_region,
    scores_frame,
    shared_docs,
    slide_figure,
    spread,
    table_of,
)
from .theme import (
    ANNOTATION_SIZE,
    INK,
    SMALL_SIZE,
    default_decimals,
    dimension_colors,
    number,
    number_formatter,
    scale_label,
    theme,
    wrap,
)

UP = "#3A3A3A"
DOWN = "#ABABAB"


@shared_docs
def trend_slope(data, region: str, *, cycles: list[int] | None = None, include_index: bool = True,
                zoom: bool = True, framework=None, scale: tuple[float, float] | None = None, lang: str = "id",
                decimal_comma: bool | None = None, footnote: str | None = None,
                title: str | None = None) -> Figure:
    """Slope chart of one region's dimension scores across assessment cycles.

    Answers: *which dimensions improved since the last assessment, and which slipped?*
    One line per dimension in its colour, the index in black; scores printed at both ends.

    Parameters
    ----------
    {scores_data}
    region : str
        The region to draw.
    cycles : list of int, optional
        The cycles to show (default every cycle in which the region was scored).
    include_index : bool
        Draw the index as a heavier black line.
    zoom : bool
        Show the band of the scale the scores occupy (in steps of a tenth of the scale) rather
        than the whole scale, so changes are visible; the axis says where it starts.
    {framework}
    {scale}
    {common}

    {returns}
    """
    framework = framework or getattr(data, "framework", None)
    wanted = [*framework.dimensions, framework.root] if framework is not None else None
    long, framework, scale = scores_frame(data, framework, scale, codes=wanted)
    region = resolve_region(region, long["region"])
    dims = framework.dimensions
    codes = dims + ([framework.root] if include_index else [])
    rows = long[(long["region"] == region) & long["code"].isin(codes)].dropna(subset=["score"])
    table = rows.pivot_table(index="cycle", columns="code", values="score", aggfunc="first")
    table = table.reindex(columns=codes)
    if cycles is not None:
        table = table.reindex(sorted(int(c) for c in cycles))
    table = table.sort_index()
    labels_at = table.index.tolist()
    x = np.arange(len(table))
    colors = {**dimension_colors(framework), framework.root: INK}
    decimals = default_decimals(scale)

    subtitle = scale_label(scale, lang).capitalize()
    if len(labels_at) >= 2:
        subtitle += "; " + term("chart:cycles", lang).format(first=labels_at[0], last=labels_at[-1])
    with theme():
        fig = slide_figure(title or term("chart:trend", lang).format(region=region), subtitle, footnote)
        ax = fig.add_subplot()
        for code in codes:
            values = table[code].to_numpy(dtype=float)
            is_index = code == framework.root
            ax.plot(x, values, color=colors[code], linewidth=5 if is_index else 3.2,
                    linestyle="-", marker="o", markersize=12 if is_index else 10, zorder=4 if is_index else 3,
                    gid=f"line:{code}", label=framework.name(code, lang))
        ax.set_xticks(x, [str(c) for c in labels_at], fontsize=ANNOTATION_SIZE + 2, fontweight="bold")
        ax.set_xlim(-0.55 if len(x) > 1 else -1, x[-1] + 0.55 if len(x) > 1 else 1)
        ax.set_ylim(*_y_range(table.to_numpy(dtype=float), scale, zoom))
        ax.yaxis.set_major_formatter(number_formatter(None, lang, decimal_comma))
        ax.set_ylabel(scale_label(scale, lang).capitalize())
        ax.grid(axis="y")
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="x", length=0)
        for xi in x:
            ax.axvline(xi, color="#D9D9D9", linewidth=1.2, zorder=1)

        # Labels at both ends, pushed apart vertically so they never overlap. They are made
        # before the layout so it gives them room (they stand beside the axes, and their
        # overhang changes as the axes shrink: the layout settles it over its passes); once
        # the axes have their height, they are spread again by the real line pitch.
        ends = []
        lo, hi = ax.get_ylim()
        for end, col in (("right", len(x) - 1), ("left", 0)):
            values = table.iloc[col].to_numpy(dtype=float)
            ok = ~np.isnan(values)
            if not ok.any() or (end == "left" and len(x) < 2):
                continue
            names = [framework.name(c, lang) if c != framework.root else term("index", lang)
                     for c in np.asarray(codes)[ok]]
            texts = [number(v, decimals, lang, decimal_comma) for v in values[ok]]
            if end == "right":
                texts = [f"{t}  {wrap(n, 50)}" for t, n in zip(texts, names, strict=True)]
            lines = np.array([t.count("\n") + 1 for t in texts])
            ha = "left" if end == "right" else "right"
            x1 = x[col] + (0.07 if end == "right" else -0.07)
            labels, leaders = [], []
            for code, text, y0 in zip(np.asarray(codes)[ok], texts, values[ok], strict=True):
                labels.append(ax.text(x1, y0, text, ha=ha, va="center", fontsize=SMALL_SIZE + 1,
                                      color=INK, fontweight="bold" if code == framework.root else "normal",
                                      gid=f"end_label:{end}"))
                # The leader, from the label's edge to the point: a text-less annotation out of
                # the layout (measuring a leader clipped to its label's box is slow).
                leaders.append(ax.annotate(
                    "", (x[col], y0), xytext=(x1, y0), textcoords="data", ha=ha, va="center",
                    arrowprops={"arrowstyle": "-", "color": colors[code], "linewidth": 1.2,
                                "shrinkA": 4, "shrinkB": 7},
                    gid=f"leader:{end}", annotation_clip=False, in_layout=False))
            ends.append((values[ok], 1 + 0.6 * (lines.max() - 1), x1, labels, leaders))

        def spread_end_labels(height_in: float) -> None:
            gap = (SMALL_SIZE + 1) * 1.25 / 72 / height_in * (hi - lo)
            for values, lines, x1, labels, leaders in ends:
                for label, leader, y1 in zip(labels, leaders, spread(values, gap * lines, lo, hi),
                                             strict=True):
                    label.set_y(y1)
                    leader.xyann = (x1, y1)

        # A first guess of the plot's height: the slide less its bands and the axis labels.
        spread_end_labels(fig.get_figheight() * 0.7)
        return finish(fig, lambda: spread_end_labels(ax.bbox.height / fig.dpi))


def _y_range(values, scale, zoom: bool) -> tuple[float, float]:
    if not zoom or np.isnan(values).all():
        return scale
    step = (scale[1] - scale[0]) / 10
    lo = max(scale[0], np.floor((np.nanmin(values) - step / 2) / step) * step)
    hi = min(scale[1], np.ceil((np.nanmax(values) + step / 2) / step) * step)
    return (float(lo), float(hi))


def _rank_table(data, code: str | None, framework) -> tuple[pd.DataFrame, object]:
    if hasattr(data, "values") and hasattr(data, "framework") and not isinstance(data, pd.DataFrame):
        from ...analysis.compare import changes

        framework = framework or data.framework
        level = data.framework.table.at[code or data.framework.root, "level"]
        table = changes(data, (level,))
        return table[table["code"] == (code or framework.root)], framework
    table = table_of(data, "table", "data", ("region", "rank", "previous_rank"))
    if framework is None:
        from ...input.framework import default_framework

        framework = default_framework()
    if "code" in table.columns:
        table = table[table["code"] == (code or framework.root)]
    return table, framework


@shared_docs
def rank_changes(data, *, cycle: int | None = None, code: str | None = None,
                 highlight: str | None = None, framework=None, lang: str = "id",
                 decimal_comma: bool | None = None, footnote: str | None = None,
                 title: str | None = None) -> Figure:
    """Bars of each region's rank change since its previous cycle, in today's ranking order.

    Answers: *who moved up or down the cohort ranking since the last assessment?*
    Bars to the right moved up; each bar is labelled "old -> new" rank.

    Parameters
    ----------
    data : Scores or DataFrame
        A ``Scores`` (ranks are computed with :func:`smartcity_analysis.analysis.compare.changes`), or a
        table with the columns ``region, rank, previous_rank`` and optionally ``cycle``,
        ``code`` and ``previous_cycle`` (the layout of ``compare.changes``).
    {cycle}
    code : str, optional
        The code ranked (default the index).
    highlight : str, optional
        A region whose label is set in bold.
    {framework}
    {common}

    {returns}
    """
    table, framework = _rank_table(data, code, framework)
    table, cycle = pick_cycle(table, cycle)
    table = table.drop_duplicates("region", keep="last").copy()
    table["rank"] = table["rank"].astype(float)
    table["previous_rank"] = table["previous_rank"].astype(float)
    table = table.dropna(subset=["rank"]).sort_values(["rank", "region"], kind="stable")
    if highlight is not None:
        highlight = resolve_region(highlight, table["region"])
    change = (table["previous_rank"] - table["rank"]).to_numpy()
    regions = table["region"].tolist()
    n = len(regions)
    y = np.arange(n)
    previous = None
    if "previous_cycle" in table.columns and table["previous_cycle"].notna().any():
        previous = int(table["previous_cycle"].dropna().max())
    reach = max(float(np.nanmax(np.abs(change))) if np.isfinite(change).any() else 1.0, 1.0)
    what = term("index", lang) if (code or framework.root) == framework.root else framework.name(code, lang)

    subtitle = what
    if previous is not None and cycle is not None:
        subtitle += "; " + term("chart:rank_changes_sub", lang).format(previous=previous, cycle=cycle)
    label_size = ANNOTATION_SIZE if n <= 12 else max(9, int(190 / n))
    with theme():
        fig = slide_figure(title or term("chart:rank_changes", lang), subtitle, footnote)
        ax = fig.add_subplot()
        values = np.nan_to_num(change, nan=0.0)
        colors = [UP if v > 0 else DOWN for v in values]
        ax.barh(y, values, height=0.6, color=colors, edgecolor=[UP if v > 0 else "#8C8C8C" for v in values],
                linewidth=1, zorder=2, gid="bars")
        ax.axvline(0, color=INK, linewidth=1.5, zorder=3)
        for i, (v, row) in enumerate(zip(change, table.itertuples(index=False), strict=True)):
            if np.isnan(v):
                text, x0, ha = term("chart:new", lang), 0.08 * reach, "left"
            else:
                sign = "+" if v > 0 else ""
                text = f"{sign}{int(v)}   ({int(row.previous_rank)} → {int(row.rank)})" if v != 0 \
                    else f"0   ({int(row.previous_rank)} → {int(row.rank)})"
                x0 = v + (0.06 * reach if v >= 0 else -0.06 * reach)
                ha = "left" if v >= 0 else "right"
            ax.text(x0, i, text, va="center", ha=ha, fontsize=label_size, color=INK, zorder=4,
                    fontweight="bold" if row.region == highlight else "normal", gid="value")
        ax.set_yticks(y, [f"{int(r)}. {name}" for r, name in zip(table["rank"], regions, strict=True)],
                      fontsize=label_size)
        for label, region in zip(ax.get_yticklabels(), regions, strict=True):
            if region == highlight:
                label.set_fontweight("bold")
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(-reach * 1.9, reach * 1.9)
        ax.xaxis.set_major_locator(_integer_locator())
        ax.xaxis.set_major_formatter(number_formatter(0, lang, decimal_comma, suffix=""))
        ax.set_xlabel(term("chart:rank_change_axis", lang))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x")
        return finish(fig)


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True, nbins=8)
