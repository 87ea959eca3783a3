"""Ranking bars: where each region stands on the index, and how sure that standing is."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...i18n import term
from ...model.maturity import SPBE_LADDER, MaturityLadder
from ._base import (
    cycle_frame,
    finish,
    label_bands,
    resolve_region,
    shared_docs,
    slide_figure,
    table_of,
)
from .theme import (
    ANNOTATION_SIZE,
    INK,
    SMALL_SIZE,
    default_decimals,
    maturity_colors,
    number,
    scale_label,
    theme,
)

BAR = "#6E6E6E"
#: Column spellings of an uncertainty table (sensitivity.UncertaintyResult.table first).
_INTERVAL_COLUMNS = {
    "rank_lo": ("rank_q05", "rank_p05"),
    "rank_hi": ("rank_q95", "rank_p95"),
    "score_lo": ("score_q05", "score_p05"),
    "score_hi": ("score_q95", "score_p95"),
}


def _intervals(uncertainty, code: str, cycle: int | None) -> pd.DataFrame:
    """``region -> rank_lo, rank_hi, score_lo, score_hi`` (NaN where not given)."""
    table = table_of(uncertainty, "table", "uncertainty", ("region",))
    if "code" in table.columns:
        table = table[table["code"] == code]
    if cycle is not None and "cycle" in table.columns and table["cycle"].notna().any():
        table = table[table["cycle"] == cycle]
    out = pd.DataFrame(index=pd.Index(table["region"].astype(str), name="region"))
    for key, spellings in _INTERVAL_COLUMNS.items():
        column = next((c for c in spellings if c in table.columns), None)
        out[key] = table[column].to_numpy(dtype=float) if column else np.nan
    return out[~out.index.duplicated(keep="last")]


@shared_docs
def ranking_bars(data, *, cycle: int | None = None, uncertainty=None, highlight: str | None = None,
                 code: str | None = None, ladder: MaturityLadder = SPBE_LADDER, framework=None,
                 scale: tuple[float, float] | None = None, lang: str = "id",
                 decimal_comma: bool | None = None, footnote: str | None = None,
                 title: str | None = None, ranks: pd.Series | None = None) -> Figure:
    """Index ranking: one bar per region, best on top, over the maturity bands.

    Answers: *who leads the cohort, in which maturity band is each region, and how firm is
    its rank when the weights are uncertain?* With ``uncertainty``, each bar gets its 5-95 %
    score interval as an error bar and its rank interval printed beside the score.

    Parameters
    ----------
    {scores_data}
    {cycle}
    uncertainty : UncertaintyResult or DataFrame, optional
        :func:`smartcity_analysis.analysis.sensitivity.weight_uncertainty`'s result, or a table with
        ``region`` and any of ``rank_q05, rank_q95, score_q05, score_q95`` (``code`` and
        ``cycle`` filter it when present).
    highlight : str, optional
        A region drawn in black with a bold label (the others grey).
    code : str, optional
        The code to rank (default the index).
    ladder : MaturityLadder
        The bands behind the bars.
    {framework}
    {scale}
    {common}

    {returns}
    """
    framework = framework or getattr(data, "framework", None)
    wanted = [code or framework.root] if framework is not None else None
    long, framework, scale, cycle = cycle_frame(data, cycle, framework, scale, codes=wanted)
    code = code or framework.root
    values = long[long["code"] == code].set_index("region")["score"].astype(float)
    values = values[~values.index.duplicated(keep="last")].dropna()
    values = values.sort_values(ascending=False, kind="stable")
    if ranks is None:
        ranks = values.rank(method="min", ascending=False).astype(int)
    else:  # ranks in a larger cohort than the regions drawn (see export.cohort_view)
        ranks = ranks.reindex(values.index).astype(int)
    if highlight is not None:
        highlight = resolve_region(highlight, values.index)
    intervals = _intervals(uncertainty, code, cycle).reindex(values.index) if uncertainty is not None else None
    decimals = default_decimals(scale)
    n = len(values)
    y = np.arange(n)

    what = term("index", lang) if code == framework.root else framework.name(code, lang)
    subtitle = f"{what}, {scale_label(scale, lang)}; {term('chart:ranking_sub', lang)}"
    if intervals is not None:
        subtitle += f"; {term('chart:interval', lang)}"
    if cycle is not None:
        subtitle += f"; {term('chart:cycle', lang).format(cycle=cycle)}"
    label_size = ANNOTATION_SIZE if n <= 12 else max(9, int(190 / n))
    with theme():
        default_title = term("chart:ranking", lang) if code == framework.root else what
        fig = slide_figure(title or default_title, subtitle, footnote)
        ax = fig.add_subplot()
        bands = ladder.bands(scale, lang)
        colors = maturity_colors(ladder.n_levels)
        for k, band in bands.iterrows():
            ax.axvspan(band["lower"], band["upper"], color=colors[k], alpha=0.35, linewidth=0,
                       zorder=0, gid=f"band:{band['level']}")
        bar_colors = [INK if r == highlight else BAR for r in values.index]
        bars = ax.barh(y, values.to_numpy(), height=0.62, color=bar_colors, zorder=2, gid="bars")
        ends = values.to_numpy().copy()
        if intervals is not None and intervals[["score_lo", "score_hi"]].notna().any().any():
            lo = intervals["score_lo"].to_numpy()
            hi = intervals["score_hi"].to_numpy()
            err = np.vstack([np.clip(values.to_numpy() - lo, 0, None), np.clip(hi - values.to_numpy(), 0, None)])
            err = np.nan_to_num(err)
            ax.errorbar(values.to_numpy(), y, xerr=err, fmt="none", ecolor=INK, elinewidth=2,
                        capsize=6, capthick=2, zorder=3, gid="intervals")
            ends = np.fmax(ends, np.nan_to_num(hi, nan=-np.inf))
        for i, region in enumerate(values.index):
            text = number(values.iloc[i], decimals, lang, decimal_comma)
            if intervals is not None and not np.isnan(intervals["rank_lo"].iloc[i]):
                lo_rank = int(round(intervals["rank_lo"].iloc[i]))
                hi_rank = int(round(intervals["rank_hi"].iloc[i]))
                if lo_rank != hi_rank:
                    text += "   " + term("chart:rank_range", lang).format(lo=lo_rank, hi=hi_rank)
            ax.text(ends[i] + 0.012 * (scale[1] - scale[0]), i, text, va="center", ha="left",
                    fontsize=label_size, color=INK, zorder=4,
                    fontweight="bold" if region == highlight else "normal", gid="value")
        ax.set_yticks(y, [f"{ranks.iloc[i]}. {r}" for i, r in enumerate(values.index)],
                      fontsize=label_size)
        for label, region in zip(ax.get_yticklabels(), values.index, strict=True):
            if region == highlight:
                label.set_fontweight("bold")
        ax.set_ylim(n - 0.4, -0.6)
        ax.set_xlim(*scale)
        ax.set_xlabel(f"{what} ({scale_label(scale, lang)})")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        bars.set_label(what)
        return finish(fig, lambda: label_bands(ax, bands, SMALL_SIZE, color="#404040",
                                               fontweight="bold"))
