"""The canvas every chart is drawn on: Agg, with each distinct text measured and rasterised once.

A chart set draws about a thousand texts and measures several thousand, most of them the same
strings at the same sizes (tick labels, the names of dimensions and regions, the theme's words),
and a run draws many sets. Matplotlib measures a text again for every figure (its cache belongs
to one renderer), reads the font's height tables for every text it lays out, and, since 3.11,
lays each text out and renders it glyph by glyph in Python every time it is drawn. The renderer
here keeps, for the whole process:

* the width, height and descent of each (string, font) it measured;
* the font's line metrics (ascent, descent, gap) per font and size;
* the anti-aliased bitmap of each (string, font) it drew, rendered by FreeType in one call and
  placed on whole pixels, as matplotlib did up to 3.10; the pixels differ from 3.11's
  glyph-by-glyph placement by at most a sub-pixel shift of the whole label.

Everything else (shapes, images, mathtext) is drawn by matplotlib's own Agg renderer.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import FT2Font

#: Generic families, resolved through rcParams (``font.sans-serif``, ...) when a font is looked up.
_GENERIC = {"serif": "serif", "sans-serif": "sans-serif", "sans serif": "sans-serif", "sans": "sans-serif",
            "cursive": "cursive", "fantasy": "fantasy", "monospace": "monospace"}

_METRICS: dict[tuple, tuple[float, float, float]] = {}
_HEIGHTS: dict[tuple, tuple] = {}
_BITMAPS: dict[tuple, tuple[np.ndarray, float, float, float]] = {}
_bitmap_bytes = 0
#: Bounds of the caches: a few MB of measurements, the bitmaps of many chart sets.
_MAX_ENTRIES = 50_000
_MAX_BITMAP_BYTES = 64 * 2**20

#: Whether this matplotlib renders text glyph by glyph (3.11+) and has the calls used instead.
_OWN_TEXT = hasattr(FT2Font, "_layout") and all(
    hasattr(FT2Font, name) for name in ("set_text", "draw_glyphs_to_bitmap", "get_image", "get_bitmap_offset"))


def clear_text_caches() -> None:
    """Forget every measurement and bitmap (when the fonts known to matplotlib change)."""
    global _bitmap_bytes
    _METRICS.clear()
    _HEIGHTS.clear()
    _BITMAPS.clear()
    _bitmap_bytes = 0


def _font_key(prop) -> tuple:
    """What decides the font a text is set in and how its glyphs are hinted."""
    generic = tuple(tuple(mpl.rcParams["font." + _GENERIC[family]]) for family in prop.get_family()
                    if family in _GENERIC)
    return hash(prop), generic, mpl.rcParams["text.hinting"]


class SlideRenderer(RendererAgg):
    """Agg renderer whose text measurements and text bitmaps are shared by every figure."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _font_key(prop), self.dpi)
        found = _METRICS.get(key)
        if found is None:
            if len(_METRICS) > _MAX_ENTRIES:
                _METRICS.clear()
            found = _METRICS[key] = super().get_text_width_height_descent(s, prop, ismath)
        return found

    def _get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) in pixels of the font's first face, as ``Text`` reads them
        from its OS/2 or hhea table when a renderer does not say (matplotlib 3.11+)."""
        key = (_font_key(prop), self.dpi)
        found = _HEIGHTS.get(key)
        if found is None:
            font = get_font(fontManager._find_fonts_by_props(prop))
            found = (None, None, None)
            for table_name, gap, ascent, descent in (
                    ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
                found = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                break
            _HEIGHTS[key] = found
        return found

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not _OWN_TEXT:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        antialiased = bool(gc.get_antialiased())
        key = (s, _font_key(prop), self.dpi, antialiased, features, language)
        found = _BITMAPS.get(key)
        if found is None:
            found = self._text_bitmap(s, prop, antialiased, features, language)
            _remember(key, found)
        image, xo, yo, descent = found
        # As matplotlib 3.10's draw_text: the bitmap on whole pixels, its bottom at the baseline
        # plus the descent (along the text's angle).
        rad = math.radians(angle)
        self._renderer.draw_text_image(image, round(x + xo + descent * math.sin(rad)),
                                       round(y + yo + descent * math.cos(rad)) + 1, angle, gc)

    def _text_bitmap(self, s, prop, antialiased, features, language):
        font = self._prepare_font(prop)
        font.set_text(s, 0.0, flags=get_hinting_flag(), features=features, language=language)
        font.draw_glyphs_to_bitmap(antialiased=antialiased)
        xo, yo = font.get_bitmap_offset()
        return np.array(font.get_image()), xo / 64.0, yo / 64.0, font.get_descent() / 64.0


def _remember(key: tuple, bitmap: tuple) -> None:
    global _bitmap_bytes
    if _bitmap_bytes > _MAX_BITMAP_BYTES or len(_BITMAPS) > _MAX_ENTRIES:
        _BITMAPS.clear()
        _bitmap_bytes = 0
    _BITMAPS[key] = bitmap
    _bitmap_bytes += bitmap[0].nbytes


class SlideCanvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` drawing with :class:`SlideRenderer` (saves as PNG, SVG and PDF as usual)."""

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = SlideRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer
