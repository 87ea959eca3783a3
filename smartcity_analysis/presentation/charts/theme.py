"""The slide theme: one look for every chart, and the colours that carry meaning.

Every chart is a 16:9 slide (13.33 x 7.5 in) at 200 dpi with fonts sized for the back of a hall.
The style lives in the package file ``smartcity.mplstyle``; :func:`theme` applies it for the
duration of a ``with`` block only, so a chart never changes the caller's rcParams. Inside
:func:`slide_body`, charts are drawn instead as the body of a slide that has its own title (a
deck): at the size of the slide's chart box, without title and footnote.

Colours carry one meaning each, everywhere:

* a dimension always has the same colour (:func:`dimension_colors`, Okabe-Ito, colour-blind safe);
* maturity levels are a sequential light-to-dark scale (:func:`maturity_colors`), never red-green;
* everything else (a region, the cohort median, a target) is black or grey, so it never reads as
  a dimension.

Text is set in one font everywhere: Source Sans Pro (Regular and Bold, SIL OFL 1.1), shipped in
``fonts/`` and registered with matplotlib's font manager by :func:`register_fonts` whenever the
theme is used. The style names that family only (with matplotlib's own DejaVu Sans as the
per-glyph fallback for the few symbols it lacks, such as the quick-win star), so every label is
measured and drawn in the same font, whatever fonts the machine has.
"""

from __future__ import annotations

import contextlib
import functools
import os
import textwrap
import threading
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from importlib import resources
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.colors import to_rgb

from ...i18n import format_number, term
from ...model.maturity import MATURITY_COLOURS

#: Slide size in inches (16:9, PowerPoint's widescreen).
SLIDE_SIZE: tuple[float, float] = (13.333, 7.5)
#: Resolution of every figure and of every PNG saved with the default ``dpi``.
DPI: int = 200
#: Chart box of a deck slide below its title and finding (inches): the default body size.
SLIDE_BODY_SIZE: tuple[float, float] = (12.3, 5.35)

#: Okabe & Ito (2008), the colour-blind safe palette; dimension colours in framework order.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
_DIMENSION_PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
    # Beyond six dimensions: Paul Tol's muted scheme, also colour-blind safe and darker than
    # Okabe-Ito's yellow (unreadable on white).
    "#332288", "#117733", "#882255", "#999933", "#44AA99", "#AA4499",
)

#: Maturity levels 1..5, light to dark (ColorBrewer YlGnBu, colour-blind and print safe).
MATURITY_PALETTE: tuple[str, ...] = MATURITY_COLOURS

#: Colours of the things that are not dimensions.
INK = "#1A1A1A"          # the region, text
MEDIAN = "#7F7F7F"       # cohort median
TARGET = "#1A1A1A"       # targets (drawn dotted or hollow)
MUTED = "#BDBDBD"        # other regions, background bars
LIGHT = "#F2F2F2"        # bands, panels
FOOTNOTE = "#595959"

#: Font sizes (points) used by the chart modules; the style file sets the rest.
TITLE_SIZE = 26
SUBTITLE_SIZE = 17
FOOTNOTE_SIZE = 12
ANNOTATION_SIZE = 16
SMALL_SIZE = 14


#: The family every chart is set in, shipped in ``fonts/`` (Source Sans Pro 2.020, SIL OFL 1.1).
FONT_FAMILY = "Source Sans Pro"
#: Where a glyph the shipped font lacks (★) comes from: the DejaVu Sans inside matplotlib's own
#: data (``matplotlib.get_data_path()/fonts/ttf``), so it is the same on every machine too.
FALLBACK_FAMILY = "DejaVu Sans"
#: The shipped font files: the weights the charts use (no chart sets text in italic).
FONT_FILES: tuple[str, ...] = ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf")

_REGISTER_LOCK = threading.Lock()
#: The font manager's list once the shipped fonts are in it and first (see register_fonts).
_registered_list: list | None = None


def font_paths() -> tuple[Path, ...]:
    """Paths of the shipped font files (regular, bold); their licence is ``fonts/OFL.txt``."""
    folder = resources.files(__package__) / "fonts"
    return tuple(Path(str(folder / name)) for name in FONT_FILES)


def register_fonts() -> tuple[Path, ...]:
    """Make the shipped font known to matplotlib's font manager; idempotent and cheap.

    The theme calls it, so charts need nothing more; call it yourself before
    ``plt.style.use(style_path())`` (:func:`style_path` does). The shipped files are put first
    in the font manager's list, and matplotlib's own DejaVu Sans before any other DejaVu Sans:
    a Source Sans Pro or DejaVu Sans of another version installed on the machine matches as
    well, and the first match wins. The work is done once per font list: again only if
    matplotlib rebuilt its font manager (it does when a cached font file has gone). Returns
    the paths of the font files.
    """
    global _registered_list
    paths = font_paths()
    manager = font_manager.fontManager
    if _registered_list is not None and manager.ttflist is _registered_list:
        return paths
    ours = {os.path.realpath(path) for path in paths}
    bundled = os.path.realpath(os.path.join(mpl.get_data_path(), "fonts", "ttf"))

    def rank(entry) -> int:
        fname = os.path.realpath(entry.fname)
        if fname in ours:
            return 0
        return 1 if entry.name == FALLBACK_FAMILY and os.path.dirname(fname) == bundled else 2

    with _REGISTER_LOCK:
        known = {os.path.realpath(entry.fname) for entry in manager.ttflist}
        for path in paths:
            if os.path.realpath(path) not in known:
                manager.addfont(str(path))
        # A new list, sorted (stably: the rest keep their order), not a sort in place: a
        # thread looking a font up meanwhile goes on reading the old one.
        manager.ttflist = sorted(manager.ttflist, key=rank)
        manager._findfont_cached.cache_clear()  # findfont remembers its answers
        _registered_list = manager.ttflist
        from ._canvas import clear_text_caches

        clear_text_caches()  # and so does the charts' renderer
    return paths


def style_path() -> Path:
    """Path of the package style file (``plt.style.use(style_path())`` applies it globally).

    The shipped font is registered with matplotlib on the way (:func:`register_fonts`), as the
    style names it.
    """
    register_fonts()
    return Path(str(resources.files(__package__) / "smartcity.mplstyle"))


@contextlib.contextmanager
def theme(rc: dict | None = None) -> Iterator[None]:
    """Apply the slide style inside a ``with`` block; rcParams are restored on exit.

    Parameters
    ----------
    rc
        Extra rcParams on top of the style (e.g. ``{"font.size": 20}``).

    Examples
    --------
    >>> from smartcity_analysis.presentation.charts import theme
    >>> with theme():
    ...     pass  # draw with the slide style
    """
    register_fonts()
    with mpl.rc_context(rc={**_style(), **(rc or {})}):
        yield


@functools.cache
def _style() -> dict:
    """The style file's rcParams, read once (every chart applies them)."""
    return dict(mpl.rc_params_from_file(str(style_path()), use_default_template=False))


_BODY_SIZE: ContextVar[tuple[float, float] | None] = ContextVar("slide_body_size", default=None)


@contextlib.contextmanager
def slide_body(size: tuple[float, float] = SLIDE_BODY_SIZE) -> Iterator[None]:
    """Draw charts as the body of a slide that has its own title, inside a ``with`` block.

    Every chart drawn in the block is ``size`` inches (default the deck's chart box, 12.3 x
    5.35) with no title and no footnote, since the slide carries both; the subtitle stays on
    top, as it is the chart's reading key. Labels are fitted at that size, so the figure is
    placed on the slide unscaled. The setting is a context variable: it holds in this thread
    (or asyncio task) only, and the previous one comes back when the block ends.

    Examples
    --------
    >>> from smartcity_analysis.presentation.charts import radar_grid, slide_body      # doctest: +SKIP
    >>> with slide_body():                                                # doctest: +SKIP
    ...     fig = radar_grid(scores)  # 12.3 x 5.35 in, subtitle only
    """
    width, height = (float(v) for v in size)
    if width <= 0 or height <= 0:
        raise ValueError(f"slide_body size must be positive inches, got {size!r}")
    token = _BODY_SIZE.set((width, height))
    try:
        yield
    finally:
        _BODY_SIZE.reset(token)


def body_size() -> tuple[float, float] | None:
    """The size charts are drawn at inside :func:`slide_body`; None outside (full slides)."""
    return _BODY_SIZE.get()


def dimension_colors(framework) -> dict[str, str]:
    """One fixed colour per dimension, keyed by dimension code, in framework order.

    The first six dimensions get Okabe-Ito blue, orange, bluish green, vermillion, reddish
    purple and sky blue (SG, SB, SE, SL, SS, SV in the default instrument); further
    dimensions get Paul Tol's muted colours, then the list repeats.

    Parameters
    ----------
    framework
        A :class:`~smartcity_analysis.input.framework.Framework`, or the dimension codes in order.
    """
    codes = list(getattr(framework, "dimensions", framework))
    n = len(_DIMENSION_PALETTE)
    return {code: _DIMENSION_PALETTE[i % n] for i, code in enumerate(codes)}


def code_colors(framework) -> dict[str, str]:
    """Every code below the root coloured by its dimension (sub-dimensions, indicators)."""
    dims = dimension_colors(framework)
    ancestors = framework.ancestor_at(1)
    return {code: dims[dim] for code, dim in ancestors.dropna().items()}


def maturity_colors(n_levels: int = 5) -> list[str]:
    """Colours of maturity levels 1..n, light (lowest) to dark (highest)."""
    if n_levels == len(MATURITY_PALETTE):
        return list(MATURITY_PALETTE)
    cmap = mpl.colormaps["YlGnBu"]
    return [mpl.colors.to_hex(cmap(x)) for x in np.linspace(0.08, 0.95, n_levels)]


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.22 else "white"


def wrap(text: str, width: int) -> str:
    """Wrap a label on word boundaries (never inside a word) to lines of about ``width`` chars.

    A closing parenthesis that does not fit on the line starts a new one, so "Tata Kelola
    Pemerintahan (Smart Governance)" breaks before "(Smart", not inside it.
    """
    text = str(text)
    if len(text) <= width:
        return text
    head, sep, tail = text.rpartition(" (")
    trailing = sep and tail.endswith(")") and ")" not in tail[:-1]
    parts = [head, "(" + tail] if trailing else [text]
    lines = [line for part in parts for line in textwrap.wrap(part, width=width, break_long_words=False)]
    return "\n".join(lines) or text


def wrap_all(labels: Iterable[str], width: int) -> list[str]:
    return [wrap(label, width) for label in labels]


def number(value: float, decimals: int = 1, lang: str = "id", decimal_comma: bool | None = None) -> str:
    """A number as the audience reads it (``42,5`` in Indonesian unless ``decimal_comma=False``)."""
    return format_number(value, decimals, lang, decimal_comma)


class NumberFormatter(mpl.ticker.Formatter):
    """Tick labels written like :func:`number`; with ``decimals=None`` as many decimals as the
    tick step needs (0,1 0,2 ... rather than 0,1 0,1 0,2)."""

    def __init__(self, decimals: int | None = None, lang: str = "id", decimal_comma: bool | None = None,
                 suffix: str = ""):
        self.decimals, self.lang, self.decimal_comma, self.suffix = decimals, lang, decimal_comma, suffix
        self._auto = 0

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        steps = np.diff(np.sort(np.asarray(locs, dtype=float)))
        steps = steps[steps > 0]
        step = float(steps.min()) if len(steps) else 1.0
        # The fewest decimals that write the step exactly (0.25 -> 2, 0.2 -> 1, 5 -> 0).
        self._auto = next((d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * 10**d), 6)

    def __call__(self, x, pos=None) -> str:
        decimals = self._auto if self.decimals is None else self.decimals
        return number(x, decimals, self.lang, self.decimal_comma) + self.suffix


def number_formatter(decimals: int | None = None, lang: str = "id", decimal_comma: bool | None = None,
                     suffix: str = "") -> NumberFormatter:
    """A tick formatter that writes numbers like :func:`number` (``decimals=None``: from the step)."""
    return NumberFormatter(decimals, lang, decimal_comma, suffix)


def default_decimals(scale: tuple[float, float]) -> int:
    """One decimal on a 0-100 scale, two on a short native scale such as 1-5 ("3,48 dari 5")."""
    return 1 if (scale[1] - scale[0]) > 10 else 2


def scale_label(scale: tuple[float, float], lang: str = "id") -> str:
    """``skor 0-100`` / ``score 1-5``: the unit every score axis states."""
    lo, hi = (int(v) if float(v).is_integer() else v for v in scale)
    return term("chart:score_scale", lang).format(lo=lo, hi=hi)


def source_line(source: str | None = None, synthetic: bool = False, lang: str = "id") -> str:
    """The footnote text: ``Sumber: <source>; data sintetis``."""
    parts = []
    if source:
        parts.append(f"{term('source', lang)}: {source}")
    if synthetic:
        parts.append(term("synthetic", lang))
    return "; ".join(parts)
