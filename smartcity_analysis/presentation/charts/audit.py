"""Charts of the statistical audit: does the instrument hold together, and what moves the ranks?

The inputs are the results of :func:`smartcity_analysis.analysis.audit.run_audit` and
:func:`smartcity_analysis.analysis.variance.choice_sensitivity` (``Assessment.audit`` and
``Assessment.sobol()``):

* :func:`correlation_heatmap` reads ``Audit.pairs``: the indicators of one dimension against
  each other, flagged pairs framed;
* :func:`reliability_bars` reads ``Audit.reliability``: Cronbach's alpha and the first
  principal component's share of variance of each aggregate;
* :func:`sobol_bars` reads ``ChoiceSensitivity.indices`` (or ``.regions``): first-order and
  total Sobol indices of each choice with their bootstrap intervals.

Colours: a dimension keeps its colour (the heatmap's diagonal, the reliability bars);
correlations run on a diverging blue (positive) to red (negative) scale; the Sobol indices, which
belong to no dimension, are black and grey.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ...i18n import sentence, term
from ._base import finish, fit_yticklabels, shared_docs, slide_figure
from .gaps import _dimension_legend
from .theme import (
    ANNOTATION_SIZE,
    INK,
    LIGHT,
    MEDIAN,
    MUTED,
    SMALL_SIZE,
    dimension_colors,
    number,
    number_formatter,
    text_color_on,
    theme,
    wrap,
)

__all__ = ["correlation_heatmap", "reliability_bars", "sobol_bars"]

#: Diverging scale of correlations (ColorBrewer RdBu: colour-blind safe), -1 red to +1 blue.
CORRELATION_CMAP = "RdBu"
#: Reference lines of the reliability chart (rules of thumb, as ``Audit.findings``).
ALPHA_LINE = 0.7
PC1_LINE = 0.5
SI_COLOR = MUTED
STI_COLOR = "#4D4D4D"


def _input_word(name: str, lang: str) -> str:
    return term(f"audit:input:{name}", lang)


def _percent_formatter(lang: str, decimal_comma: bool | None) -> mpl.ticker.Formatter:
    """Shares 0-1 on an axis as percentages (0,25 -> "25%")."""
    return mpl.ticker.FuncFormatter(lambda x, _pos: number(100 * x, 0, lang, decimal_comma) + "%")


# --- correlation heatmap ----------------------------------------------------------------------


@shared_docs
def correlation_heatmap(audit, dimension: str | None = None, *, method: str = "pearson",
                        lang: str = "id", decimal_comma: bool | None = None,
                        footnote: str | None = None, title: str | None = None) -> Figure:
    """The correlations between the indicators of one dimension, flagged pairs framed.

    Answers: *which indicators of this dimension measure the same thing twice (collinear), and
    which pull against each other (negative)?* The lower triangle holds every pair's
    correlation, coloured from red (-1) to blue (+1) and printed; pairs the audit flags get a
    bold frame; the diagonal takes the dimension's colour; white lines separate the
    sub-dimensions.

    Parameters
    ----------
    audit : Audit
        :func:`~smartcity_analysis.analysis.audit.run_audit`'s result.
    dimension : str, optional
        The dimension's code; default the first dimension with a flagged pair, else the first.
    method : {"pearson", "spearman"}
        Which correlation is drawn (the flags are the audit's own).
    {common}

    {returns}
    """
    framework = audit.framework
    pairs = audit.pairs
    if dimension is None:
        flagged = audit.flagged_pairs["group"]
        dimension = next((d for d in framework.dimensions if d in set(flagged)), framework.dimensions[0])
    dimension = framework.resolve_code(dimension)
    codes = [c for c in framework.indicators if framework.ancestor_at(1).get(c) == dimension]
    n = len(codes)
    position = {c: i for i, c in enumerate(codes)}
    matrix = np.full((n, n), np.nan)
    flags: dict[tuple[int, int], str] = {}
    for a, b, r, flag in pairs.loc[pairs["group"] == dimension, ["code_a", "code_b", method, "flag"]].itertuples(
            index=False):
        i, j = sorted((position[a], position[b]), reverse=True)  # lower triangle: row > column
        matrix[i, j] = r
        if isinstance(flag, str):
            flags[(i, j)] = flag
    color = dimension_colors(framework)[dimension]
    cmap = mpl.colormaps[CORRELATION_CMAP]
    norm = mpl.colors.Normalize(-1.0, 1.0)
    thresholds = audit.parameters["thresholds"]
    subtitle = sentence("audit:chart:correlation_sub", lang, decimals=1, collinear=thresholds["collinear"],
                        negative=thresholds["negative"])
    if audit.cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=audit.cycle)}"
    if method != "pearson":
        subtitle = subtitle.replace("Pearson", "Spearman")
    size = ANNOTATION_SIZE if n <= 8 else SMALL_SIZE if n <= 11 else 11
    with theme():
        fig = slide_figure(title or term("audit:chart:correlation", lang).format(
            dimension=framework.name(dimension, lang)), subtitle, footnote)
        grid = fig.add_gridspec(1, 2, width_ratios=[6, 1])
        ax = fig.add_subplot(grid[0, 0])
        # the dimension's colour as a strip down the left edge; the diagonal (1) in light grey
        ax.add_artist(Rectangle((-0.78, -0.5), 0.16, n, facecolor=color, edgecolor="none",
                                gid=f"dimension:{dimension}"))
        for i in range(n):
            ax.add_artist(Rectangle((i - 0.5, i - 0.5), 1, 1, facecolor=LIGHT, edgecolor="white",
                                    linewidth=2, gid=f"diagonal:{codes[i]}"))
            for j in range(i):
                r = matrix[i, j]
                face = "#FFFFFF" if np.isnan(r) else mpl.colors.to_hex(cmap(norm(r)))
                ax.add_artist(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor="white",
                                        linewidth=2, gid=f"cell:{i}:{j}"))
                ax.text(j, i, number(r, 2, lang, decimal_comma), ha="center", va="center", fontsize=size,
                        color=text_color_on(face), gid="annotation", in_layout=False)
        for (i, j), flag in flags.items():  # black frame with a white core: visible on any fill
            ax.add_artist(Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, facecolor="none", edgecolor=INK,
                                    linewidth=5, zorder=4, gid=f"flag:{flag}"))
            ax.add_artist(Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, facecolor="none", edgecolor="white",
                                    linewidth=1.5, zorder=5, gid="flag_core"))
        # sub-dimensions: grey rules across the triangle
        parent = framework.table.loc[codes, "parent"].to_numpy()
        for k in range(1, n):
            if parent[k] != parent[k - 1]:
                ax.plot([-0.5, k - 0.5], [k - 0.5, k - 0.5], color=MEDIAN, linewidth=2, zorder=3,
                        solid_capstyle="butt", gid="group_rule")
                ax.plot([k - 0.5, k - 0.5], [k - 0.5, n - 0.5], color=MEDIAN, linewidth=2, zorder=3,
                        solid_capstyle="butt", gid="group_rule")
        ax.set_xlim(-0.8, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_aspect("auto")
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
        ax.set_xticks(range(n), codes, rotation=90, fontsize=SMALL_SIZE - 2)
        labels = [f"{c}  {framework.name(c, lang)}" for c in codes]
        ax.set_yticks(range(n), labels, fontsize=SMALL_SIZE)
        ax.grid(False)

        side = fig.add_subplot(grid[0, 1])
        side.axis("off")
        bar = fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=side, fraction=0.5, aspect=14,
                           location="left")
        bar.set_ticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        bar.ax.yaxis.set_major_formatter(number_formatter(1, lang, decimal_comma))
        bar.ax.tick_params(labelsize=SMALL_SIZE - 2)
        bar.outline.set_visible(False)
        if flags:  # one key for the frame: the cell's colour tells collinear (blue) from negative (red)
            kinds = sorted(set(flags.values()), key=["collinear", "negative"].index)
            label = " / ".join(term(f"audit:chart:{k}", lang) for k in kinds)
            side.legend(handles=[Patch(facecolor="white", edgecolor=INK, linewidth=4, label=label)],
                        loc="lower left", fontsize=SMALL_SIZE - 2, frameon=False, handlelength=1.4,
                        borderaxespad=0)
        else:
            side.text(0.0, 0.02, term("audit:chart:no_flags", lang), transform=side.transAxes, ha="left",
                      va="bottom", fontsize=SMALL_SIZE - 2, color="#505050", wrap=True, gid="no_flags")
        return finish(fig, lambda: fit_yticklabels(ax, labels, SMALL_SIZE, max_width_in=4.2))


# --- reliability ------------------------------------------------------------------------------


@shared_docs
def reliability_bars(audit, *, level: str | None = None, lang: str = "id", decimal_comma: bool | None = None,
                     footnote: str | None = None, title: str | None = None) -> Figure:
    """Cronbach's alpha and the first principal component's share per aggregate, as bars.

    Answers: *do the components of each aggregate move together (alpha), and do a
    sub-dimension's indicators measure one thing (PC1 share)?* One row per aggregate, bars in
    its dimension's colour; dotted lines at the rules of thumb (alpha 0.7, PC1 half of the
    variance). The PC1 panel is drawn only for aggregates of indicators.

    Parameters
    ----------
    audit : Audit
        :func:`~smartcity_analysis.analysis.audit.run_audit`'s result.
    level : str, optional
        The aggregates drawn (``"sub-dimension"``, ``"dimension"``, ...); default those whose
        components are indicators.
    {common}

    {returns}
    """
    framework = audit.framework
    table = audit.reliability
    if level is None:
        rows = table[table["pc1_variance_share"].notna() | table["n_complete"].notna()]
        if rows.empty:
            rows = table
    else:
        rows = table[table["level"] == level]
    order = {c: i for i, c in enumerate(framework.table.index)}
    rows = rows.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)
    codes = rows["code"].tolist()
    alpha = rows["alpha_children"].to_numpy(dtype=float)
    pc1 = rows["pc1_variance_share"].to_numpy(dtype=float)
    with_pc1 = bool(np.isfinite(pc1).any())
    dim_of = framework.ancestor_at(1)
    colors = dimension_colors(framework)
    bar_colors = [colors.get(dim_of.get(c), INK) if c != framework.root else INK for c in codes]
    dims = list(dict.fromkeys(dim_of.get(c) for c in codes if isinstance(dim_of.get(c), str)))
    n = len(codes)
    y = np.arange(n)
    subtitle = sentence("audit:chart:reliability_sub", lang, decimals=1, alpha=ALPHA_LINE,
                        pc1=f"{number(100 * PC1_LINE, 0, lang, decimal_comma)}%")
    if audit.cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=audit.cycle)}"
    size = SMALL_SIZE if n <= 20 else max(9, int(260 / n))
    labels = [framework.name(c, lang) if c != framework.root else term("index", lang) for c in codes]
    with theme():
        fig = slide_figure(title or term("audit:chart:reliability", lang), subtitle, footnote)
        grid = fig.add_gridspec(1, 3 if with_pc1 else 2, width_ratios=[3, 3, 1.4] if with_pc1 else [5, 1.4])
        ax = fig.add_subplot(grid[0, 0])
        panels = [(ax, np.nan_to_num(alpha), ALPHA_LINE, "audit:chart:alpha", "alpha")]
        if with_pc1:
            ax_pc1 = fig.add_subplot(grid[0, 1], sharey=ax)
            panels.append((ax_pc1, np.nan_to_num(pc1), PC1_LINE, "audit:chart:pc1", "pc1"))
        for panel, values, line, label_key, gid in panels:
            panel.barh(y, values, height=0.66, color=bar_colors, zorder=2, gid=f"bars:{gid}")
            panel.axvline(line, color=INK, linestyle=":", linewidth=2, zorder=3, gid=f"line:{gid}")
            panel.axvline(0, color="#9E9E9E", linewidth=1, zorder=1)
            lo = min(0.0, float(np.nanmin(values, initial=0.0)) - 0.05)
            panel.set_xticks(np.arange(-0.2 if lo < -0.15 else 0.0, 1.01, 0.2))  # fixed: never stale
            panel.set_xlim(lo, 1.12)
            percent = gid == "pc1"
            raw = pc1 if percent else alpha
            for i, v in enumerate(raw):
                if np.isnan(v):
                    continue
                text = (number(100 * v, 0, lang, decimal_comma) + "%") if percent else number(v, 2, lang, decimal_comma)
                panel.text(max(v, 0.0) + 0.015, i, text, va="center", ha="left", fontsize=size - 1, color=INK,
                           zorder=4, gid="value", in_layout=False,
                           bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
            panel.set_xlabel(term(label_key, lang))
            panel.xaxis.set_major_formatter(_percent_formatter(lang, decimal_comma) if percent
                                            else number_formatter(1, lang, decimal_comma))
            panel.grid(axis="x")
            panel.tick_params(axis="y", length=0)
            panel.spines["left"].set_visible(False)
        ax.set_yticks(y, labels, fontsize=size)
        ax.set_ylim(n - 0.5, -0.6)
        if with_pc1:
            ax_pc1.tick_params(axis="y", labelleft=False)
        for i in range(1, n):
            if dim_of.get(codes[i]) != dim_of.get(codes[i - 1]):
                for panel, *_ in panels:
                    panel.axhline(i - 0.5, color="#C8C8C8", linewidth=1.2)
        legend_ax = fig.add_subplot(grid[0, -1])
        legend_ax.axis("off")
        if dims:
            _dimension_legend(legend_ax, framework, dims, lang, loc="center left", borderaxespad=0)
        return finish(fig, lambda: fit_yticklabels(ax, labels, size, max_width_in=3.2))


# --- Sobol indices ----------------------------------------------------------------------------


@shared_docs
def sobol_bars(sensitivity, *, region: str | None = None, lang: str = "id", decimal_comma: bool | None = None,
               footnote: str | None = None, title: str | None = None) -> Figure:
    """First-order (Si) and total (STi) Sobol indices of each choice, with bootstrap intervals.

    Answers: *which methodological choice moves the ranks most, alone and with its
    interactions?* Two bars per choice, largest total first: Si (grey) and STi (dark), each
    with its bootstrap interval as whiskers and its value printed. When no rank moves the
    shares are not meaningful: the chart says so instead of drawing bars.

    Parameters
    ----------
    sensitivity : ChoiceSensitivity
        :func:`~smartcity_analysis.analysis.variance.choice_sensitivity`'s result.
    region : str, optional
        Draw the indices of this region's rank instead of COINr's target (the mean absolute
        rank change over all regions).
    {common}

    {returns}
    """
    if region is None:
        table = sensitivity.indices
        target = term("audit:target", lang).lower()
        default_title = term("audit:chart:sobol", lang)
    else:
        table = sensitivity.regions[sensitivity.regions["region"] == region]
        if table.empty:
            from ._base import resolve_region

            region = resolve_region(region, sensitivity.regions["region"].unique())
            table = sensitivity.regions[sensitivity.regions["region"] == region]
        target = term("audit:chart:rank_of", lang)
        default_title = term("audit:chart:sobol_region", lang).format(region=region)
    meaningful = sensitivity.meaningful and bool(np.isfinite(table["sti"].to_numpy(dtype=float)).any())
    table = table.assign(order=table["sti"].fillna(-1.0)).sort_values("order", ascending=False, kind="stable")
    coverage = 100 * float(sensitivity.parameters["confidence"])
    subtitle = sentence("audit:chart:sobol_sub", lang, decimals=0, target=target, coverage=coverage,
                        n=int(sensitivity.parameters["n_variants"]))
    if sensitivity.parameters.get("cycle") is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=sensitivity.parameters['cycle'])}"
    labels = [_input_word(v, lang) for v in table["input"]]
    n = len(labels)
    y = np.arange(n)
    with theme():
        fig = slide_figure(title or default_title, subtitle, footnote)
        ax = fig.add_subplot()
        ax.set_yticks(y, labels, fontsize=ANNOTATION_SIZE)
        ax.set_ylim(n - 0.4, -0.6)
        ends = [table[c].to_numpy(dtype=float) for c in ("si", "sti", "si_high", "sti_high") if c in table.columns]
        right = max(1.0, float(np.nanmax(np.concatenate(ends), initial=0.0)) if meaningful else 1.0) + 0.1
        ax.set_xticks(np.arange(0.0, right - 0.05, 0.2))
        ax.set_xlim(0, right)
        ax.xaxis.set_major_formatter(_percent_formatter(lang, decimal_comma))
        ax.set_xlabel(term("audit:chart:share", lang))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x")
        if not meaningful:  # no bars to read: the note says why, in the middle
            if not sensitivity.meaningful:
                note = sensitivity.note_text(lang)
            else:
                note = term("audit:sobol_region_fixed", lang).format(region=region)
            ax.set_yticks([])
            ax.text(0.5, 0.5, wrap(note, 70), transform=ax.transAxes, ha="center", va="center",
                    fontsize=ANNOTATION_SIZE, color=INK, gid="note",
                    bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": MUTED})
            return finish(fig)
        height = 0.36
        for offset, (key, color, word) in zip((-height / 2, height / 2), (
                ("si", SI_COLOR, term("audit:chart:si", lang)),
                ("sti", STI_COLOR, term("audit:chart:sti", lang))), strict=True):
            values = table[key].to_numpy(dtype=float)
            shown = np.clip(np.nan_to_num(values), 0.0, None)
            ax.barh(y + offset, shown, height=height, color=color, zorder=2, label=word, gid=f"bars:{key}")
            low_col, high_col = f"{key}_low", f"{key}_high"
            if low_col in table.columns:
                lo = table[low_col].to_numpy(dtype=float)
                hi = table[high_col].to_numpy(dtype=float)
                err = np.vstack([np.clip(shown - np.clip(lo, 0, None), 0, None),
                                 np.clip(np.clip(hi, 0, None) - shown, 0, None)])
                ax.errorbar(shown, y + offset, xerr=np.nan_to_num(err), fmt="none", ecolor=INK, elinewidth=1.6,
                            capsize=4, capthick=1.6, zorder=3, gid=f"intervals:{key}")
                ends = np.fmax(shown, np.nan_to_num(hi, nan=0.0))
            else:
                ends = shown
            for i, v in enumerate(values):
                if np.isnan(v):
                    continue
                ax.text(ends[i] + 0.012, y[i] + offset, number(100 * v, 0, lang, decimal_comma) + "%", va="center",
                        ha="left", fontsize=SMALL_SIZE - 1, color=INK, gid="value", in_layout=False)
        ax.legend(handles=[Line2D([], [], linestyle="none", marker="s", markersize=14, color=c, label=w)
                           for c, w in ((SI_COLOR, term("audit:chart:si", lang)),
                                        (STI_COLOR, term("audit:chart:sti", lang)))],
                  loc="lower right", fontsize=SMALL_SIZE, frameon=True, framealpha=0.95, edgecolor="none")
        return finish(fig)
