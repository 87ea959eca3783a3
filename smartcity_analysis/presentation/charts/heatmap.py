"""Annotated heatmaps coloured by maturity level.

:func:`maturity_heatmap` shows the whole cohort (regions x dimensions) and
:func:`readiness_heatmap` one region's dimension x readiness aspect matrix (the table the
masterplan's SWOT is written from). Cells take the colour of their maturity band (light to
dark, :func:`~.theme.maturity_colors`) and print the score, so the chart reads without colour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ...i18n import term
from ...input.framework import ASPECTS
from ...model.maturity import SPBE_LADDER, MaturityLadder
from ._base import (
    cycle_frame,
    finish,
    fit_xticklabels,
    names,
    pick_cycle,
    resolve_region,
    shared_docs,
    slide_figure,
    table_of,
    wide,
)
from .theme import (
    ANNOTATION_SIZE,
    INK,
    SMALL_SIZE,
    default_decimals,
    dimension_colors,
    maturity_colors,
    number,
    scale_label,
    text_color_on,
    theme,
    wrap,
)


def maturity_legend_handles(ladder: MaturityLadder, scale: tuple[float, float], lang: str,
                            decimal_comma: bool | None = None) -> list[Patch]:
    """One patch per maturity band, labelled with its name and range (``Baik (40-62,5)``)."""
    bands = ladder.bands(scale, lang)
    colors = maturity_colors(ladder.n_levels)
    handles = []

    def short(x: float) -> str:  # 62.5 -> "62,5", 80.0 -> "80", 1.80 -> "1,8"
        text = number(x, 2, lang, decimal_comma)
        return text.rstrip("0").rstrip(",.") if text[-3] in ",." else text

    for k, row in bands.iterrows():
        lo, hi = short(row["lower"]), short(row["upper"])
        handles.append(Patch(facecolor=colors[k], edgecolor="#9E9E9E", linewidth=0.8,
                             label=f"{row['name']} ({lo}-{hi})"))
    return handles[::-1]  # best on top, as in the cells' reading order


def _draw_cells(ax, values: np.ndarray, ladder: MaturityLadder, scale, lang, decimal_comma,
                decimals: int, fontsize: float) -> None:
    """Maturity-coloured cells with the score printed in each (a dash where it is missing)."""
    colors = np.array(["#FFFFFF", *maturity_colors(ladder.n_levels)], dtype=object)
    levels = ladder.level_of(values, scale)
    nrows, ncols = values.shape
    for i in range(nrows):
        for j in range(ncols):
            face = colors[levels[i, j]]
            # add_artist, not add_patch: the limits are set below, and updating them cell by
            # cell is most of the cost of a heatmap.
            ax.add_artist(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor="white",
                                    linewidth=3, gid=f"cell:{i}:{j}"))
            ax.text(j, i, number(values[i, j], decimals, lang, decimal_comma), ha="center",
                    va="center", fontsize=fontsize, color=text_color_on(face), gid="annotation", in_layout=False)
    ax.set_xlim(-0.5, ncols - 0.5)
    ax.set_ylim(nrows - 0.5, -0.5)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)


@shared_docs
def maturity_heatmap(data, *, cycle: int | None = None, include_index: bool = True, highlight: str | None = None,
                     ladder: MaturityLadder = SPBE_LADDER, framework=None,
                     scale: tuple[float, float] | None = None, lang: str = "id",
                     decimal_comma: bool | None = None, footnote: str | None = None,
                     title: str | None = None) -> Figure:
    """Heatmap of regions x dimensions, cells coloured by maturity level and printed with the score.

    Answers: *which region is at which maturity level in which dimension, at a glance?*
    Regions are ordered by their index, best first.

    Parameters
    ----------
    {scores_data}
    {cycle}
    include_index : bool
        Add the index as the first column.
    highlight : str, optional
        A region whose row label is set in bold and framed.
    ladder : MaturityLadder
        The bands that colour the cells (default the SPBE bands, on ``scale``).
    {framework}
    {scale}
    {common}

    {returns}
    """
    framework = framework or getattr(data, "framework", None)
    wanted = [framework.root, *framework.dimensions] if framework is not None else None
    long, framework, scale, cycle = cycle_frame(data, cycle, framework, scale, codes=wanted)
    codes = framework.dimensions
    root = framework.root
    columns = ([root] if include_index else []) + codes
    table = wide(long, list(dict.fromkeys([root, *codes])))
    table = table.sort_values(root, ascending=False, na_position="last")[columns]
    if highlight is not None:
        highlight = resolve_region(highlight, table.index)
    decimals = default_decimals(scale)
    dim_colors = dimension_colors(framework)
    dim_of = framework.ancestor_at(1)

    subtitle = f"{term('chart:maturity_heatmap_sub', lang)}; {scale_label(scale, lang)}"
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    n_cols = len(columns)
    with theme():
        fig = slide_figure(title or term("chart:maturity_heatmap", lang), subtitle, footnote)
        ax = fig.add_subplot()
        size = ANNOTATION_SIZE
        _draw_cells(ax, table.to_numpy(dtype=float), ladder, scale, lang, decimal_comma, decimals,
                    size)
        ax.set_yticks(range(len(table)), table.index.tolist(), fontsize=SMALL_SIZE + 1)
        ax.xaxis.tick_top()
        # The dimension's colour as a strip above its column, as everywhere else.
        for j, code in enumerate(columns):
            color = dim_colors.get(dim_of.get(code), None)
            if color:
                ax.add_patch(Rectangle((j - 0.45, -0.62), 0.9, 0.1, facecolor=color, clip_on=False,
                                       linewidth=0, gid=f"strip:{code}"))
        if include_index:
            ax.axvline(0.5, color="white", linewidth=10)
        if highlight is not None:
            i = table.index.get_loc(highlight)
            ax.add_patch(Rectangle((-0.5, i - 0.5), n_cols, 1, fill=False, edgecolor=INK,
                                   linewidth=3, clip_on=False, zorder=5))
            for label in ax.get_yticklabels():
                if label.get_text() == highlight:
                    label.set_fontweight("bold")
        ax.legend(handles=maturity_legend_handles(ladder, scale, lang, decimal_comma)[::-1],
                  title=term("maturity", lang), loc="upper right", bbox_to_anchor=(1, 0),
                  ncols=ladder.n_levels, fontsize=SMALL_SIZE, title_fontsize=SMALL_SIZE,
                  handleheight=1.2, columnspacing=1.2, borderaxespad=0.4)
        labels = [term("index", lang) if c == root else framework.name(c, lang) for c in columns]
        ax.set_xticks(range(n_cols), [wrap(label, 14) for label in labels], fontsize=SMALL_SIZE)
        return finish(fig, lambda: fit_xticklabels(ax, labels, ANNOTATION_SIZE, min_size=12, max_lines=5),
                      lambda: _fit_rows(ax, len(table)))


#: A line of text takes at most this share of its row's height (digits and capitals with
#: descenders are about 0.9 of the font size tall: what is left keeps rows apart).
ROW_FILL = 0.9
#: The white line between cells, in points (``_draw_cells``' edge width).
CELL_GAP = 3.0


def _fit_rows(ax, n_rows: int) -> None:
    """Row labels and cell numbers no taller than their row: 30 regions on a slide get a smaller
    font instead of lines running into each other (``finish`` step: needs the laid-out axes)."""
    if not n_rows:
        return
    pitch_pt = ax.bbox.height / n_rows / ax.figure.dpi * 72  # a row's height in points
    label_size = min(SMALL_SIZE + 1, pitch_pt * ROW_FILL)
    if label_size < SMALL_SIZE + 1:
        ax.tick_params(axis="y", labelsize=label_size)
    gap = min(CELL_GAP, pitch_pt * 0.12)  # thinner white lines between many rows
    if gap < CELL_GAP:
        for patch in ax.patches + ax.artists:
            if str(patch.get_gid()).startswith("cell:"):
                patch.set_linewidth(gap)
    number_size = min(ANNOTATION_SIZE, (pitch_pt - gap) * ROW_FILL)
    for text in ax.texts:
        if text.get_gid() == "annotation" and text.get_fontsize() > number_size:
            text.set_fontsize(number_size)


def _readiness_table(matrix, region: str, cycle: int | None) -> tuple[pd.DataFrame, int | None]:
    if hasattr(matrix, "values") and hasattr(matrix, "framework") and not isinstance(matrix, pd.DataFrame):
        from ...analysis.gaps import readiness_matrix

        matrix = readiness_matrix(matrix)
    table = table_of(matrix, "aspects", "matrix", ("region", "dimension", "aspect"))
    if "score" not in table.columns:
        if "current" not in table.columns:
            raise ValueError("matrix needs a score (readiness_matrix) or current (GapAnalysis.aspects) column")
        table = table.rename(columns={"current": "score"})
    table, cycle = pick_cycle(table, cycle)
    region = resolve_region(region, table["region"])
    return table[table["region"] == region], cycle


@shared_docs
def readiness_heatmap(matrix, region: str, *, cycle: int | None = None,
                      ladder: MaturityLadder = SPBE_LADDER, framework=None,
                      scale: tuple[float, float] | None = None, lang: str = "id",
                      decimal_comma: bool | None = None, footnote: str | None = None,
                      title: str | None = None) -> Figure:
    """One region's readiness matrix: dimensions x Struktur / Infrastruktur / Suprastruktur.

    Answers: *in each dimension, is it people and budget, infrastructure, or regulation that
    holds the region back?* Cells are coloured by maturity level and print the score; the
    weakest aspect of each dimension is framed and labelled (the SWOT's starting point).

    Parameters
    ----------
    matrix : DataFrame, GapAnalysis or Scores
        A tidy table with the columns ``region, dimension, aspect, score`` and optionally
        ``cycle`` and ``weakest`` (:func:`smartcity_analysis.analysis.gaps.readiness_matrix`), or
        ``GapAnalysis.aspects`` (``current`` is used as the score), or a ``Scores`` (the
        matrix is computed). Without ``weakest`` the lowest cell of each dimension is marked.
    region : str
        The region to draw.
    {cycle}
    ladder : MaturityLadder
        The bands that colour the cells.
    {framework}
    {scale}
    {common}

    {returns}
    """
    if framework is None:
        from ...input.framework import default_framework

        framework = getattr(matrix, "framework", None) or default_framework()
    if scale is None:
        scale = tuple(matrix.scale_range) if hasattr(matrix, "scale_range") else (0.0, 100.0)
        if hasattr(matrix, "parameters"):
            scale = tuple(matrix.parameters.get("score_scale", scale))
    table, cycle = _readiness_table(matrix, region, cycle)
    region = table["region"].iloc[0] if len(table) else region
    dims = [d for d in framework.dimensions if d in set(table["dimension"])]
    values = table.pivot_table(index="dimension", columns="aspect", values="score", aggfunc="first",
                               dropna=False).reindex(index=dims, columns=list(ASPECTS))
    if "weakest" in table.columns:
        weakest = table.pivot_table(index="dimension", columns="aspect", values="weakest",
                                    aggfunc="first").reindex(index=dims, columns=list(ASPECTS))
        weakest = weakest.fillna(False).astype(bool)
    else:
        filled = values.fillna(np.inf)
        weakest = filled.eq(filled.min(axis=1), axis=0) & values.notna()
        weakest = weakest & (weakest.cumsum(axis=1) == 1)  # ties: the first aspect
    decimals = default_decimals(scale)
    dim_colors = dimension_colors(framework)

    subtitle = f"{term('chart:readiness_sub', lang)}; {scale_label(scale, lang)}"
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    with theme():
        fig = slide_figure(title or term("chart:readiness", lang).format(region=region), subtitle,
                           footnote)
        grid = fig.add_gridspec(1, 2, width_ratios=[3.6, 1])
        ax = fig.add_subplot(grid[0, 0])
        _draw_cells(ax, values.to_numpy(dtype=float), ladder, scale, lang, decimal_comma, decimals,
                    ANNOTATION_SIZE + 2)
        weak_word = term("chart:weakest", lang)
        annotations = {(round(t.get_position()[1]), round(t.get_position()[0])): t
                       for t in ax.texts if t.get_gid() == "annotation"}
        for i, j in zip(*np.nonzero(weakest.to_numpy()), strict=True):
            annotations[(i, j)].set_y(i - 0.07)  # room for the word below the score
            ax.add_patch(Rectangle((j - 0.43, i - 0.41), 0.86, 0.82, fill=False, edgecolor=INK,
                                   linewidth=3.5, zorder=4, gid=f"weakest:{dims[i]}:{ASPECTS[j]}"))
            face = maturity_colors(ladder.n_levels)[max(ladder.level_of(values.iat[i, j], scale) - 1, 0)]
            ax.text(j, i + 0.24, f"▼ {weak_word}", ha="center", va="center", fontsize=SMALL_SIZE - 1,
                    color=text_color_on(face), fontweight="bold", gid="weakest_label", in_layout=False)
        ax.set_xticks(range(len(ASPECTS)), [term(f"aspect:{a}", lang) for a in ASPECTS],
                      fontsize=ANNOTATION_SIZE)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(dims)), [wrap(n, 26) for n in names(framework, dims, lang)],
                      fontsize=SMALL_SIZE + 1)
        for i, d in enumerate(dims):
            ax.add_patch(Rectangle((-0.575, i - 0.4), 0.05, 0.8, facecolor=dim_colors[d],
                                   clip_on=False, linewidth=0, gid=f"strip:{d}"))
        ax.tick_params(axis="y", pad=22)
        legend_ax = fig.add_subplot(grid[0, 1])
        legend_ax.axis("off")
        legend_ax.legend(handles=maturity_legend_handles(ladder, scale, lang, decimal_comma),
                         title=wrap(term("maturity", lang), 20), loc="center left",
                         fontsize=SMALL_SIZE, title_fontsize=SMALL_SIZE + 1, alignment="left",
                         handleheight=1.4, labelspacing=0.7, borderaxespad=0)
        return finish(fig)
