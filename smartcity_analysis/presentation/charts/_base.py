"""Private machinery shared by the chart modules: the slide figure, tidy inputs, shared docs."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text

from ...errors import Location, OptionError
from ...input.framework import Framework, default_framework
from ...model.selection import resolve_region as _resolve_region
from ..context import uses_context
from ._canvas import SlideCanvas
from .theme import (
    DPI,
    FOOTNOTE,
    FOOTNOTE_SIZE,
    INK,
    SLIDE_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    body_size,
    wrap,
)

# --- shared docstring text (seaborn's DocstringComponents, in small) --------------------------

_SHARED_DOCS = {
    "scores_data": """
data : Scores or DataFrame
    A :class:`~smartcity_analysis.model.scoring.Scores`, or a tidy table with the columns
    ``region, code, score`` and optionally ``cycle`` (the layout of ``Scores.table()``).""",
    "cycle": """
cycle : int, optional
    The cycle to draw; default the latest one in the data.""",
    "framework": """
framework : Framework, optional
    The instrument, for names and dimension colours; default the scores' own, else the
    built-in one.""",
    "scale": """
scale : (float, float), optional
    The range scores live on; default ``Scores.scale_range``, else (0, 100).""",
    "common": """
lang : {"id", "en"}
    Language of titles, labels and names (default Indonesian).
decimal_comma : bool, optional
    Write ``42,5`` rather than ``42.5``; default yes for ``lang="id"``.
footnote : str, optional
    Source line printed at the bottom left, e.g. ``source_line("Asesmen 2024", synthetic=True)``
    -> "Sumber: Asesmen 2024; data sintetis".
title : str, optional
    Replaces the default title.""",
    "returns": """
Returns
-------
matplotlib.figure.Figure
    A 13.33 x 7.5 in figure at 200 dpi (inside :func:`~.theme.slide_body`, the body size
    without title and footnote), laid out, not shown and not saved; ``fig.savefig(path)``
    keeps that size.""",
}


def shared_docs(func: Callable) -> Callable:
    """Replace ``{name}`` placeholders in a docstring by the shared parameter text, and let the
    function take its presentation keywords from :func:`~..context.presentation_context`."""
    doc = func.__doc__ or ""
    for key, text in _SHARED_DOCS.items():
        marker = "{" + key + "}"
        if marker in doc:
            line = next(ln for ln in doc.splitlines() if marker in ln)
            indent = line[: len(line) - len(line.lstrip())]
            doc = doc.replace(indent + marker, textwrap.indent(text.strip("\n"), indent))
    func.__doc__ = doc
    return uses_context(func)  # lang, footnote, ... from presentation_context() when not given


# --- the slide figure -------------------------------------------------------------------------

_MARGIN_X = 0.3  # inches, left and right of title and footnote
_BODY_MARGIN_X = 0.1  # inches: in a slide body the subtitle lines up with the slide's own text


def slide_figure(title: str, subtitle: str | None = None, footnote: str | None = None) -> Figure:
    """An empty 16:9 slide with a title band on top and a footnote band at the bottom.

    Axes added to the figure are laid out by constrained layout inside the space between the
    bands, so nothing drawn can run into the title or the footnote, and the size never changes.
    Inside :func:`~.theme.slide_body` the figure is the body size instead, with the subtitle on
    top and neither title nor footnote (the title is kept as the figure's label,
    :func:`title_of`). Call inside :func:`~.theme.theme`.
    """
    body = body_size()
    size = body or SLIDE_SIZE
    width, height = size
    fig = Figure(figsize=size, dpi=DPI)
    SlideCanvas(fig)
    fig.set_label(title)
    renderer = fig.canvas.get_renderer()

    def band(text, em: float) -> float:
        """Inches: the text's height as drawn, at least ``em`` lines of its size (the leading)."""
        drawn = text.get_window_extent(renderer).height / DPI
        return max(drawn, text.get_fontsize() * em / 72)

    # Bands as tall as their texts measure (a glyph from the fallback font, accents and
    # descenders can make a line taller), from the top: margin, title, gap, subtitle, gap.
    margin_x = _BODY_MARGIN_X if body else _MARGIN_X
    y = 0.1 if body else 0.22  # inches from the top
    if not body:
        text = fig.text(margin_x / width, 1.0 - y / height, title, ha="left", va="top",
                        fontsize=TITLE_SIZE, fontweight="bold", color=INK, gid="title")
        y += band(text, 1.25)
    if subtitle:
        y += 0.0 if body else 0.08
        text = fig.text(margin_x / width, 1.0 - y / height, subtitle, ha="left", va="top",
                        fontsize=SUBTITLE_SIZE, color="#404040", gid="subtitle")
        y += band(text, 1.3)
    top = y + 0.12 if (subtitle or not body) else y
    bottom = 0.1 if body else 0.12
    if footnote and not body:
        text = fig.text(margin_x / width, 0.12 / height, footnote, ha="left", va="bottom",
                        fontsize=FOOTNOTE_SIZE, color=FOOTNOTE, gid="footnote")
        bottom = 0.12 + band(text, 1.1) + 0.08
    fig.set_layout_engine(ConstrainedLayoutEngine(
        rect=(0.0, bottom / height, 1.0, 1.0 - (top + bottom) / height),
        h_pad=0.06, w_pad=0.2, hspace=0.04, wspace=0.04,
    ))
    return fig


def finish(fig: Figure, *after_layout: Callable[[], None], relayout: bool = True) -> Figure:
    """Lay the figure out inside the theme (ticks take the theme's fonts) and fit titles.

    ``after_layout`` callables run once the axes have their final size (e.g. wrapping labels to
    the room they got, :func:`fit_xticklabels`); they must not lay the figure out themselves.
    The figure is then laid out again so what they added takes its room, unless
    ``relayout=False`` (they only draw inside the axes they were given).

    The layout is then fixed: the figure keeps no layout engine, so drawing or saving it does
    not lay it out again (a pass measures every label, and ``savefig`` would make one more
    whole pass for it). A finished chart is therefore drawn at its size; for another size,
    draw it again inside :func:`~.theme.slide_body`.
    """
    renderer = fig.canvas.get_renderer()
    for text in fig.texts:
        if text.get_gid() in ("title", "subtitle", "footnote"):
            # As wide as the figure less the text's margin on both sides.
            max_width = fig.bbox.width * (1.0 - 2 * text.get_position()[0])
            size = text.get_fontsize()
            while text.get_window_extent(renderer).width > max_width and size > 10:
                size -= 1
                text.set_fontsize(size)
    engine = fig.get_layout_engine()
    engine.execute(fig)
    for step in after_layout:
        step()
    if after_layout and relayout:
        engine.execute(fig)
    # None, not "none" (a placeholder engine that savefig would still draw for); the rc guard
    # keeps a caller's figure.constrained_layout.use from bringing a default engine back.
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    for ax in fig.axes:  # as drawing would: fixed-aspect axes (polar) take their final box
        locator = ax.get_axes_locator()
        ax.apply_aspect(locator(ax, renderer) if locator else None)
    return fig


_LINE_WIDTHS: dict[tuple, float] = {}


def _widest_line(renderer, text: str, props) -> float:
    """Width in pixels of the widest line of ``text`` (memoised: labels are measured often)."""
    widths = []
    for line in text.split("\n"):
        key = (line, hash(props), renderer.dpi)
        if key not in _LINE_WIDTHS:
            if len(_LINE_WIDTHS) > 50_000:
                _LINE_WIDTHS.clear()
            _LINE_WIDTHS[key] = renderer.get_text_width_height_descent(line, props, ismath=False)[0]
        widths.append(_LINE_WIDTHS[key])
    return max(widths, default=0.0)


def text_size(fig: Figure, text: str, props, linespacing: float | None = None) -> tuple[float, float]:
    """Width and height in pixels of ``text`` (every line) as ``fig``'s renderer lays it out."""
    probe = Text(0, 0, text, fontproperties=props, linespacing=linespacing)
    probe.set_figure(fig)
    box = probe.get_window_extent(fig.canvas.get_renderer())
    return box.width, box.height


def wrap_to_width(text: str, max_px: float, renderer, props, max_chars: int = 40) -> str:
    """``text`` wrapped on words with the longest lines that still fit in ``max_px`` pixels."""
    text = str(text)
    longest_word = max((len(w) for w in text.split()), default=1)
    full = _widest_line(renderer, text, props)
    if full <= max_px and len(text) <= max_chars:
        return text
    # Start near the width that fits on average, then step down: a few measurements, not dozens.
    guess = int(len(text) * max_px / max(full, 1.0)) + 3
    for width in range(max(min(max_chars, guess), longest_word), longest_word - 1, -1):
        candidate = wrap(text, width)
        if _widest_line(renderer, candidate, props) <= max_px:
            return candidate
    return wrap(text, longest_word)


def fit_xticklabels(ax, labels: list[str], fontsize: float, *, min_size: float = 10,
                    max_lines: int = 4, fill: float = 0.92) -> None:
    """Set x tick labels wrapped to the room between ticks, shrinking the font only if needed.

    Run it as an ``after_layout`` step of :func:`finish` (it needs the laid-out axes).
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ticks = np.asarray(ax.get_xticks(), dtype=float)
    px = ax.transData.transform(np.column_stack([ticks, np.zeros_like(ticks)]))[:, 0]
    room = (np.min(np.abs(np.diff(px))) if len(px) > 1 else ax.bbox.width) * fill
    size = fontsize
    while True:
        props = FontProperties(size=size)
        wrapped = [wrap_to_width(label, room, renderer, props) for label in labels]
        fits = all(_widest_line(renderer, w, props) <= room and w.count("\n") < max_lines
                   for w in wrapped)
        if fits or size <= min_size:
            break
        size -= 1
    ax.set_xticks(ticks, wrapped, fontsize=size)


def fit_yticklabels(ax, labels: list[str], fontsize: float, *, max_width_in: float = 4.6,
                    min_size: float = 10, fill: float = 1.0) -> None:
    """Set y tick labels wrapped to ``max_width_in`` and small enough that rows never touch.

    Run it as an ``after_layout`` step of :func:`finish`.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ticks = np.asarray(ax.get_yticks(), dtype=float)
    px = ax.transData.transform(np.column_stack([np.zeros_like(ticks), ticks]))[:, 1]
    pitch = (np.min(np.abs(np.diff(px))) if len(px) > 1 else ax.bbox.height) * fill
    max_px = max_width_in * fig.dpi
    size = fontsize
    while True:
        props = FontProperties(size=size)
        wrapped = [wrap_to_width(label, max_px, renderer, props, max_chars=60) for label in labels]
        lines = max((w.count("\n") + 1 for w in wrapped), default=1)
        if lines * size * 1.2 / 72 * fig.dpi <= pitch or size <= min_size:
            break
        size -= 1
    ax.set_yticks(ticks, wrapped, fontsize=size)


def label_bands(ax, bands: pd.DataFrame, fontsize: float, **text_kw) -> None:
    """Band names just above the axes, centred on their bands, wrapped to fit their width.

    Outside the plotting area, so they can never cover a bar, a dot or a value. Run it as an
    ``after_layout`` step of :func:`finish`.
    """
    renderer = ax.figure.canvas.get_renderer()
    for _, band in bands.iterrows():
        x0, x1 = ax.transData.transform([[band["lower"], 0], [band["upper"], 0]])[:, 0]
        room = abs(x1 - x0) * 0.92
        size = fontsize
        while True:
            props = FontProperties(size=size, weight=text_kw.get("fontweight", "normal"))
            text = wrap_to_width(band["name"], room, renderer, props, max_chars=20)
            if _widest_line(renderer, text, props) <= room or size <= 9:
                break
            size -= 1
        ax.text((band["lower"] + band["upper"]) / 2, 1.01, text, ha="center", va="bottom",
                fontsize=size, transform=ax.get_xaxis_transform(), gid="band_label", **text_kw)


def title_of(fig: Figure) -> str:
    """The slide title of a chart (what a deck puts on the slide), drawn or not."""
    return fig.get_label() or next((t.get_text() for t in fig.texts if t.get_gid() == "title"), "")


# --- tidy inputs ------------------------------------------------------------------------------


def _is_scores(data) -> bool:
    return hasattr(data, "values") and hasattr(data, "framework") and not isinstance(data, pd.DataFrame)


def scores_frame(data, framework: Framework | None = None, scale: tuple[float, float] | None = None,
                 codes: list[str] | None = None) -> tuple[pd.DataFrame, Framework, tuple[float, float]]:
    """``(long table [cycle, region, code, score], framework, scale)`` from Scores or a table.

    ``codes``: of a Scores, only the columns of those codes are made long (a table is kept
    whole: charts pick the codes they draw).
    """
    if _is_scores(data):
        # Scores.table()'s first columns, without the columns charts never read.
        return _long(_columns(data.values, codes)), framework or data.framework, tuple(scale or data.scale_range)
    frame = _frame(data, "data", ("region", "code", "score"))
    if "cycle" not in frame.columns:
        frame = frame.assign(cycle=pd.NA)
    return frame, framework or default_framework(), tuple(scale or (0.0, 100.0))


def _columns(values: pd.DataFrame, codes: list[str] | None) -> pd.DataFrame:
    """The columns of ``codes`` that ``values`` has (every column for None)."""
    if codes is None:
        return values
    return values[[c for c in dict.fromkeys(codes) if c in values.columns]]


def _long(values: pd.DataFrame) -> pd.DataFrame:
    long = values.stack(future_stack=True).rename("score")
    long.index = long.index.set_names(["cycle", "region", "code"])
    return long.reset_index()


def cycle_frame(data, cycle: int | None, framework: Framework | None = None,
                scale: tuple[float, float] | None = None, codes: list[str] | None = None,
                ) -> tuple[pd.DataFrame, Framework, tuple[float, float], int | None]:
    """``(long table of one cycle, framework, scale, cycle)``: :func:`pick_cycle` of
    :func:`scores_frame` (``codes`` as there), without making the other cycles of a Scores long."""
    if not _is_scores(data):
        long, framework, scale = scores_frame(data, framework, scale)
        long, cycle = pick_cycle(long, cycle)
        return long, framework, scale, cycle
    cycle = _chosen_cycle(data.cycles, cycle)
    values = _columns(data.values, codes)
    values = values[values.index.get_level_values("cycle") == cycle]
    return _long(values), framework or data.framework, tuple(scale or data.scale_range), cycle


def _frame(data, name: str, required: tuple[str, ...]) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name} must be a DataFrame with columns {', '.join(required)}")
    missing = [c for c in required if c not in data.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {', '.join(missing)}; it needs {', '.join(required)}")
    return data


def table_of(data, attribute: str, name: str, required: tuple[str, ...]) -> pd.DataFrame:
    """A tidy table given directly or as an attribute of a result object (``GapAnalysis.gaps``)."""
    if not isinstance(data, pd.DataFrame) and hasattr(data, attribute):
        data = getattr(data, attribute)
    return _frame(data, name, required)


def pick_cycle(frame: pd.DataFrame, cycle: int | None) -> tuple[pd.DataFrame, int | None]:
    """Rows of one cycle (default the latest); tables without cycles pass through."""
    if "cycle" not in frame.columns or frame["cycle"].isna().all():
        return frame, None
    cycle = _chosen_cycle(frame["cycle"].dropna().unique(), cycle)
    return frame[frame["cycle"] == cycle], cycle


def _chosen_cycle(held, cycle: int | None) -> int:
    """``cycle`` (default the latest of ``held``), else SC402 naming the cycles held."""
    cycles = sorted(int(c) for c in held)
    if cycle is None:
        cycle = cycles[-1]
    if int(cycle) not in cycles:
        raise OptionError.single("SC402", Location(), cycle=cycle, cycles=", ".join(map(str, cycles)))
    return int(cycle)


def resolve_region(region: str, available) -> str:
    """``region`` as the data spells it (forgiving "Kab. Bangli"), else an SC403 error."""
    if isinstance(available, pd.Series | pd.Index):
        available = available.unique()  # a column of a long table names each region many times
    return _resolve_region(region, available)


def wide(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Regions x codes (in ``codes`` order) from a long table of one cycle."""
    table = frame[frame["code"].isin(codes)].pivot_table(
        index="region", columns="code", values="score", aggfunc="first", dropna=False)
    return table.reindex(columns=codes)


def target_series(targets, region: str, codes: list[str], cycle: int | None) -> pd.Series:
    """Targets per code for one region from a mapping, a Series or a gaps-like table."""
    if targets is None:
        return pd.Series(np.nan, index=codes, dtype=float)
    if isinstance(targets, Mapping | pd.Series):
        return pd.Series(targets, dtype=float).reindex(codes)
    table = table_of(targets, "gaps", "targets", ("code", "target"))
    if "region" in table.columns:
        table = table[table["region"] == region]
    if "cycle" in table.columns and cycle is not None and table["cycle"].notna().any():
        table = table[table["cycle"] == cycle]
    return table.drop_duplicates("code", keep="last").set_index("code")["target"].astype(float).reindex(codes)


def names(framework: Framework, codes, lang: str) -> list[str]:
    return [framework.name(c, lang) for c in codes]


def spread(values, min_gap: float, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """Move 1-D label positions apart by at least ``min_gap``, as little as possible, in order."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="stable")
    pos = values[order].copy()
    for _ in range(200):
        moved = False
        for i in range(1, len(pos)):
            overlap = min_gap - (pos[i] - pos[i - 1])
            if overlap > 1e-9:
                pos[i - 1] -= overlap / 2
                pos[i] += overlap / 2
                moved = True
        if lo is not None and len(pos) and pos[0] < lo:
            pos += lo - pos[0]
        if hi is not None and len(pos) and pos[-1] > hi:
            pos -= pos[-1] - hi
        if not moved:
            break
    out = np.empty_like(pos)
    out[order] = pos
    return out
