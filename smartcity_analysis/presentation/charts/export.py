"""The chart set of a workshop, saved as files; and the ``smartcity charts`` command.

:func:`chart_set` draws every chart for the cohort, or for one region, as a dict with stable
ascii keys (``01_ranking`` ... ``11_trend``; a key keeps its number whether or not the other
charts exist, so a deck can rely on it). :func:`export_charts` saves figures with file names that
are safe on every OS: ascii, lowercase, hyphens (``kabupaten-bangli-05-radar.png``), one folder
for the cohort (``cohort/``) and one per region (its slug).
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ...errors import Bilingual, Location, OptionError, RunError
from ...files import safe_filename, unique_filenames
from ...i18n import term
from ..context import uses_context
from ..workbook import atomic_write
from .gaps import contribution_pareto, gap_dumbbell, priority_matrix
from .heatmap import maturity_heatmap, readiness_heatmap
from .radar import radar_chart, radar_grid
from .ranking import ranking_bars
from .theme import DPI
from .trend import rank_changes, trend_slope

#: Chart keys in slide order; cohort charts first. A key never changes its number.
COHORT_CHARTS = ("01_ranking", "02_heatmap", "03_radar_grid", "04_rank_changes")
REGION_CHARTS = ("05_radar", "06_readiness", "07_gap_dimension", "08_gap_sub_dimension",
                 "09_pareto", "10_priority", "11_trend")
FORMATS = ("png", "svg", "pdf")
COHORT_FOLDER = "cohort"


def slug(text: str, max_length: int = 80) -> str:
    """``"Kabupaten Flores Timur"`` -> ``"kabupaten-flores-timur"``: ascii, lowercase, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    # safe_filename keeps the names of earlier cycles and adds Windows' rules (CON -> con_, ...);
    # a name with no Latin letters keeps its own script instead of becoming "chart"
    return safe_filename(out[:max_length].rstrip("-") or text, fallback="chart")


#: Above this many regions the cohort charts (01-04) show the top regions by index plus the
#: highlighted one: a slide of 514 bars or radars is unreadable (and takes minutes to draw).
COHORT_LIMIT = 30


def _ranked_values(scores, cycle: int, code: str | None = None):
    """The scores ranked by a cohort chart: the index's, or those of ``code``, one per region."""
    if code is None or code == scores.framework.root:
        return scores.index(cycle).dropna()
    return scores.values[code].xs(cycle, level="cycle").dropna()


def cohort_view(scores, cycle: int, region: str | None = None, limit: int | None = None,
                code: str | None = None):
    """The scores the cohort charts draw: every region, or the top ``limit`` (default
    :data:`COHORT_LIMIT`) by the index (or by ``code``) plus ``region``."""
    limit = COHORT_LIMIT if limit is None else limit
    index = _ranked_values(scores, cycle, code)
    if len(index) <= limit:
        return scores
    top = list(index.sort_values(ascending=False).index[: limit - (1 if region else 0)])
    return scores.subset(sorted(set(top) | ({region} if region else set())))


#: Below this many regions a comparison carries a caveat (ranks and quartiles mean little).
SMALL_COHORT = 5


def cohort_for_charts(scores, cycle: int, region: str | None = None, footnote: str | None = None,
                      lang: str = "id", code: str | None = None):
    """What the cohort charts draw, for the run and the notebooks alike: ``(scores, ranks,
    footnote)``. Above :data:`COHORT_LIMIT` regions, the top regions (by the index, or by
    ``code`` for a chart ranking that code) plus ``region``, their ranks in the whole cohort, and
    a footnote saying so; else the scores as they are, ``None`` and the footnote."""
    cohort = cohort_view(scores, cycle, region, code=code)
    if cohort is scores:
        n = int(scores.index(cycle).notna().sum())
        caveat = term("sentence:small_cohort", lang)
        if 1 < n < SMALL_COHORT and caveat not in (footnote or ""):  # a comparison of a few regions says so
            footnote = f"{footnote}; {caveat}" if footnote else caveat
        return scores, None, footnote
    index = _ranked_values(scores, cycle, code)
    ranks = index.rank(method="min", ascending=False).astype(int)
    shown, total = cohort.index(cycle).notna().sum(), len(index)
    note = term("chart:top_of", lang).format(shown=shown, total=total)
    return cohort, ranks, f"{footnote}; {note}" if footnote else note


@uses_context
def chart_set(scores, gaps=None, uncertainty=None, region: str | None = None, lang: str = "id", *,
              cycle: int | None = None, footnote: str | None = None,
              decimal_comma: bool | None = None, keys: Iterable[str] | None = None) -> dict[str, Figure]:
    """Every chart of a workshop, keyed ``01_ranking`` ... ``11_trend`` in slide order.

    Without ``region``: the cohort charts (01-04). With ``region``: the cohort charts with that
    region highlighted, then its own (05-11). Charts that need what is not given are left out
    (their numbers are kept): the gap charts (07-10) need ``gaps``; the trend and rank changes
    need two cycles. Inside :func:`~.theme.slide_body` every chart is drawn as a slide body.

    Parameters
    ----------
    scores : Scores
        A scoring run.
    gaps : GapAnalysis, optional
        :func:`smartcity_analysis.analysis.gaps.gap_analysis` of ``scores``: targets on the radar, gap
        dumbbells, Pareto and priority matrix; its cycle is the one drawn.
    uncertainty : UncertaintyResult, optional
        :func:`smartcity_analysis.analysis.sensitivity.weight_uncertainty`: intervals on the ranking.
    region : str, optional
        The region of the workshop.
    lang : {"id", "en"}
        Language of the charts.
    cycle : int, optional
        The cycle drawn (default the gap analysis' cycle, else the latest).
    footnote : str, optional
        Source line on every chart (see :func:`~.theme.source_line`).
    decimal_comma : bool, optional
        Default: yes for Indonesian.
    keys : iterable of str, optional
        Draw only these charts (e.g. ``["02_heatmap", "10_priority"]``); default all.

    Returns
    -------
    dict of str to Figure
        Keys in slide order. Close or drop the figures when done.
    """
    cycle = cycle if cycle is not None else (getattr(gaps, "cycle", None) or scores.latest_cycle)
    common = {"lang": lang, "decimal_comma": decimal_comma, "footnote": footnote}
    two_cycles = len(scores.cycles) >= 2
    if keys is not None:
        keys = set(keys)
        unknown = keys - {*COHORT_CHARTS, *REGION_CHARTS}
        if unknown:
            raise ValueError(f"unknown chart keys {sorted(unknown)}; choose from "
                             f"{', '.join((*COHORT_CHARTS, *REGION_CHARTS))}")
    if region is not None:
        from ._base import resolve_region

        region = resolve_region(region, scores.values.xs(cycle, level="cycle").index)
    cycles = [c for c in scores.cycles if c <= cycle]
    readiness = gaps if gaps is not None else scores
    cohort, full_ranks, cohort_footnote = cohort_for_charts(scores, cycle, region, footnote, lang)
    cohort_common = {**common, "footnote": cohort_footnote}
    # key -> (drawn when, how): figures are made only for the keys asked for.
    charts = {
        "01_ranking": (True, lambda: ranking_bars(cohort, cycle=cycle, uncertainty=uncertainty,
                                                  highlight=region, ranks=full_ranks, **cohort_common)),
        "02_heatmap": (True, lambda: maturity_heatmap(cohort, cycle=cycle, highlight=region, **cohort_common)),
        "03_radar_grid": (True, lambda: radar_grid(cohort, cycle=cycle, highlight=region, **cohort_common)),
        "04_rank_changes": (two_cycles and cycle != scores.cycles[0],
                            lambda: rank_changes(_cohort_rank_changes(scores, cohort, cycle, full_ranks),
                                                 cycle=cycle, highlight=region, framework=scores.framework,
                                                 **cohort_common)),
        "05_radar": (region is not None,
                     lambda: radar_chart(scores, region, cycle=cycle, targets=gaps, **common)),
        "06_readiness": (region is not None,
                         lambda: readiness_heatmap(readiness, region, cycle=cycle, framework=scores.framework,
                                                   scale=scores.scale_range, **common)),
        "07_gap_dimension": (region is not None and gaps is not None,
                             lambda: gap_dumbbell(gaps, region, cycle=cycle, **common)),
        "08_gap_sub_dimension": (region is not None and gaps is not None,
                                 lambda: gap_dumbbell(gaps, region, level="sub-dimension", cycle=cycle,
                                                      **common)),
        "09_pareto": (region is not None and gaps is not None,
                      lambda: contribution_pareto(gaps, region, cycle=cycle, **common)),
        "10_priority": (region is not None and gaps is not None,
                        lambda: priority_matrix(gaps, region, cycle=cycle, **common)),
        "11_trend": (region is not None and len(cycles) >= 2,
                     lambda: trend_slope(scores, region, cycles=cycles, **common)),
    }
    return {key: draw() for key, (possible, draw) in charts.items()
            if possible and (keys is None or key in keys)}


def _cohort_rank_changes(scores, cohort, cycle: int, full_ranks):
    """What the rank-change chart draws: ``cohort`` itself, or when it shows only the top regions
    of a larger cohort (``full_ranks`` given), their changes in the whole cohort's ranking (the
    ranks of 514 regions, not of the 30 drawn)."""
    if full_ranks is None:
        return cohort
    from ...analysis.compare import changes

    table = changes(scores, ("index",))
    shown = set(cohort.index(cycle).dropna().index)
    return table[table["region"].isin(shown)]


def close_figure(fig: Figure) -> None:
    """Release a figure: unregister it from pyplot if it was made there, and free its pixels.

    The canvas keeps the last rendering (16 MB at slide size and 200 dpi); a fresh canvas lets
    it go at once. The artists go with the figure (clearing them one by one costs more than
    drawing some charts).
    """
    import sys

    if "matplotlib.pyplot" in sys.modules:  # only figures made through pyplot are registered
        sys.modules["matplotlib.pyplot"].close(fig)
    FigureCanvasAgg(fig)


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes: the pixels of ``savefig(format="png")``, encoded for speed.

    Matplotlib hands PNGs to Pillow, which tries five row filters on every row and keeps the
    alpha channel; on a slide-sized chart that costs as much as drawing it. Charts are opaque
    flat colour: unfiltered RGB rows at zlib level 3 encode about five times faster and come
    out smaller. Alpha is kept when a figure is not opaque.
    """
    return _encode_png(_render(fig, dpi), dpi)


def _render(fig: Figure, dpi: int) -> np.ndarray:
    """The figure's RGBA pixels (height x width x 4), drawn at ``dpi``."""
    if dpi == fig.dpi and isinstance(fig.canvas, FigureCanvasAgg):
        fig.canvas.draw()  # the canvas's own buffer, no copy (each figure has its own canvas)
        return np.asarray(fig.canvas.buffer_rgba())
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=dpi)
    width = int(fig.get_figwidth() * dpi)  # as the Agg canvas sizes itself
    return np.frombuffer(raw.getbuffer(), dtype=np.uint8).reshape(-1, width, 4)


def _encode_png(pixels: np.ndarray, dpi: int) -> bytes:
    """PNG bytes of RGBA pixels: RGB when every pixel is opaque, rows unfiltered, zlib level 3.

    Pure numpy and zlib, which let go of the GIL: it runs beside the drawing of the next chart
    (:func:`png_images`).
    """
    height, width = pixels.shape[:2]
    channels = 3 if pixels[..., 3].min() == 255 else 4
    rows = np.empty((height, width * channels + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type: none
    rows[:, 1:].reshape(height, width, channels)[...] = pixels[..., :channels]  # a view: one copy

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    per_metre = round(dpi / 0.0254)
    software = f"Matplotlib version{mpl.__version__}, https://matplotlib.org/".encode("latin-1")
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 6, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        chunk(b"tEXt", b"Software\0" + software),
        chunk(b"IDAT", zlib.compress(rows.data, 3)),
        chunk(b"IEND", b""),
    ])


def _formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = formats.split(",")
    out = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise OptionError.single("SC401", Location(),
                                 detail=Bilingual(f"--format {','.join(bad) or '(kosong)'}; pilih dari {', '.join(FORMATS)}", f"--format {','.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}"))
    return out


def png_images(figures: Mapping[str, Figure], dpi: int = DPI) -> dict[str, bytes]:
    """PNG bytes of every figure (as :func:`png_bytes`), keyed like ``figures``.

    Each figure is drawn here in turn while a second thread encodes the ones drawn before:
    numpy and zlib let go of the GIL, so on two cores the encoding costs no time.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="png_images") as encoder:
        jobs = {key: encoder.submit(_encode_png, _render(fig, dpi), dpi) for key, fig in figures.items()}
        return {key: job.result() for key, job in jobs.items()}


def save_figures(figures: Mapping[str, Figure], out_dir: str | Path, formats=("png",), dpi: int = DPI,
                 prefix: str = "", close: bool = False) -> list[Path]:
    """Save ``{key: Figure}`` as ``out_dir/<prefix-><key slug>.<format>``; atomic, size unchanged."""
    out_dir = Path(out_dir)
    formats = _formats(formats)
    pngs = png_images(figures, dpi) if "png" in formats else {}
    written = []
    for key, fig in figures.items():
        stem = f"{prefix}-{slug(key)}" if prefix else slug(key)  # the prefix is a file name already
        for fmt in formats:
            path = out_dir / f"{stem}.{fmt}"
            if fmt == "png":
                data = pngs.pop(key)
            else:
                buffer = io.BytesIO()
                fig.savefig(buffer, format=fmt, dpi=dpi)
                data = buffer.getvalue()
            try:
                with atomic_write(path, "wb") as handle:
                    handle.write(data)
            except OSError as exc:
                raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
            written.append(path)
        if close:
            close_figure(fig)
    return written


@uses_context
def export_charts(charts, out_dir: str | Path, formats: str | Iterable[str] = ("png",), dpi: int = DPI, *,
                  gaps=None, uncertainty=None, region: str | None = None, lang: str = "id",
                  footnote: str | None = None) -> list[Path]:
    """Save a chart set, or draw and save every chart of a scoring run; return the paths written.

    Parameters
    ----------
    charts : dict of str to Figure, or Scores
        Figures (e.g. from :func:`chart_set`) are saved flat in ``out_dir`` and left open. A
        ``Scores`` is drawn: ``out_dir/cohort/`` gets the cohort charts, and ``out_dir/<region
        slug>/`` the full set of ``region`` (or of every region when ``region`` is None), each
        figure closed once saved.
    out_dir : path
        Created if needed.
    formats : str or iterable of str
        Any of ``png``, ``svg``, ``pdf`` (``"png,svg"`` works too).
    dpi : int
        Resolution of PNGs (default 200); the size in inches never changes (13.33 x 7.5).
    gaps, uncertainty, region, lang, footnote
        Passed to :func:`chart_set` when ``charts`` is a ``Scores``.

    Returns
    -------
    list of Path
    """
    formats = _formats(formats)
    out_dir = Path(out_dir)
    if isinstance(charts, Mapping):
        return save_figures(charts, out_dir, formats, dpi)
    scores = charts
    written: list[Path] = []
    kwargs = {"gaps": gaps, "uncertainty": uncertainty, "lang": lang, "footnote": footnote}
    if region is None:
        cohort = chart_set(scores, **kwargs)
        written += save_figures(cohort, out_dir / COHORT_FOLDER, formats, dpi, prefix=COHORT_FOLDER, close=True)
        cycle = getattr(gaps, "cycle", None) or scores.latest_cycle
        regions = [r for r in scores.values.xs(cycle, level="cycle").index if isinstance(r, str)]
    else:
        regions = [region]
    files = unique_filenames(regions, make=slug)  # distinct on Windows too (case-insensitive)
    for name in regions:
        figures = chart_set(scores, region=name, **kwargs)
        written += save_figures(figures, out_dir / files[name], formats, dpi, prefix=files[name], close=True)
    return written
