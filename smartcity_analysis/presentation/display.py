"""How results look in a notebook and in the HTML report made from it.

The notebooks compute nothing themselves: they call the library, then show the result with the
helpers here, so that every table and chart reads the same in JupyterLab and in the report that
``smartcity run`` renders with nbconvert (code cells hidden, read by people who do not code).

- :func:`styled_table`: a DataFrame as a pandas ``Styler``: headers and known words in the
  reader's language (:mod:`.i18n`), numbers as the reader writes them (``42,5`` in Indonesian),
  score cells coloured by maturity level in the charts' colours
  (:func:`.charts.theme.maturity_colors`), changes signed and coloured, gaps as in-cell bars.
- :func:`maturity_legend`: the maturity bands as a small coloured table.
- :func:`prose`: a notebook's text (headings included) in the reader's language, as Markdown.
- :func:`show_figure`: a chart as a PNG output, whatever the matplotlib backend; :func:`show`
  shows anything from inside a loop or an ``if``.
- :func:`show_problems`: a :class:`~.errors.SmartCityError` (or loading notes) as a table of
  code, file, sheet, cell, message and what to do.
- :func:`chart_picker`: region and dimension dropdowns (ipywidgets) that redraw a chart; a
  static note where widgets cannot run (an exported report).
- :func:`data_note`, :func:`chart_footnote`: the "data sintetis" warning on sample data.
- :func:`respondent_counts`, :func:`missing_shares`: the answers-per-region tables of the
  validation notebook.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Iterable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from ..errors import ADVICE, Problem, SmartCityError
from ..i18n import TERMS, format_number, sentence, term
from ..model.maturity import SPBE_LADDER, MaturityLadder
from ..model.selection import resolve_cycle
from ..paths import looks_synthetic
from .charts.theme import OKABE_ITO, maturity_colors, source_line, text_color_on
from .context import uses_context

__all__ = [
    "INTERACTIVE_TAG",
    "chart_footnote",
    "chart_picker",
    "data_note",
    "figure_png",
    "maturity_legend",
    "missing_shares",
    "pick_cycle",
    "pick_region",
    "problem_table",
    "prose",
    "respondent_counts",
    "show",
    "show_figure",
    "show_problems",
    "styled_table",
]

#: Cell tag of notebook cells that only work live (widgets); a static report may drop them.
INTERACTIVE_TAG = "interactive"

#: Text colours of signed numbers (changes, distances): Okabe-Ito blue up, vermillion down.
UP_COLOR = OKABE_ITO["blue"]
DOWN_COLOR = OKABE_ITO["vermillion"]
BAR_COLOR = "#C6DBEF"

def _word(key: str, lang: str) -> str:
    return term(key, lang)


# --- values as words -----------------------------------------------------------------------------


def _value_labels(column: str, lang: str) -> Callable[[object], object] | None:
    """Translation of the library's category values in a known column (priority, aspect, ...)."""
    if column in ("priority", "horizon"):
        from ..analysis.gaps import LABELS

        words = LABELS["en" if lang == "en" else "id"]
        return lambda v: words.get(v, v) if isinstance(v, str) else v
    if column == "aspect":
        return lambda v: term(f"aspect:{v}", lang) if isinstance(v, str) else v
    if column == "input":
        return lambda v: _word(f"input:{v}", lang) if f"input:{v}" in TERMS else v
    if column == "level":
        return lambda v: term(f"level:{v}", lang) if isinstance(v, str) else v
    return None


def _is_year_column(column: object) -> bool:
    name = str(column)
    return name in ("cycle", "year") or name.endswith(("_cycle", "_year"))


def _number_format(decimals: int, lang: str, *, percent: bool = False, signed: bool = False,
                   year: bool = False) -> Callable[[object], str]:
    def fmt(value: object) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return "-"
        if isinstance(value, (bool, np.bool_)):
            return _word("yes" if value else "no", lang)
        if not isinstance(value, (int, float, np.integer, np.floating)):
            return str(value)
        if year:  # 2024, never "2.024"
            return str(int(value))
        number = float(value) * (100.0 if percent else 1.0)
        text = format_number(number, decimals, lang)
        if signed and number > 0 and text.strip("0,.") != "":
            text = "+" + text
        return text + ("%" if percent else "")

    return fmt


def _is_integer_column(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series.dtype):
        return False
    if pd.api.types.is_integer_dtype(series.dtype):
        return True
    return False


# --- tables ----------------------------------------------------------------------------------------


#: Rows a report table shows (``styled_table(max_rows=)``); the workbook holds them all.
TABLE_ROWS = 40


@uses_context
def styled_table(
    data,
    *,
    lang: str = "id",
    decimals: int | Mapping[str, int] = 1,
    scores: Sequence[str] = (),
    scale: tuple[float, float] = (0.0, 100.0),
    ladder: MaturityLadder = SPBE_LADDER,
    levels: Mapping[str, Sequence[int]] | None = None,
    signed: Sequence[str] = (),
    percent: Sequence[str] = (),
    bars: Sequence[str] = (),
    alert: Mapping[str, object] | None = None,
    highlight: str | None = None,
    framework=None,
    names: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    hide_index: bool = True,
    max_rows: int | None = None,
) -> Styler:
    """A table for people: localised headers and words, readable numbers, maturity colours.

    Parameters
    ----------
    data : DataFrame or export.Sheet
        The table; columns keep the library's names (``region``, ``score``, ``to_median``...).
        A :class:`~.export.Sheet` brings its own per-cell maturity ``levels``.
    lang : {"id", "en"}
        Headers through :func:`~.i18n.term`, decimal comma in Indonesian, category values
        (``priority``, ``horizon``, ``aspect``, ``level``, yes/no) in that language.
    decimals : int or mapping
        Decimals of float columns (one number, or per column); integer columns get none.
    scores : column names
        Cells coloured by the maturity band of their own value on ``scale`` (with ``ladder``).
    scale : (float, float)
        The range of the ``scores`` columns (``Scores.scale_range``).
    levels : mapping, optional
        Column -> maturity level (1..n, 0 for none) of each row, for cells whose colour is not
        their own value (a maturity name). A ``maturity`` column next to a ``maturity_level``
        column is coloured this way without asking, and ``maturity_level`` is hidden.
    signed : column names
        Changes and distances: written with a sign, blue when positive, vermillion when negative.
    percent : column names
        Shares from 0 to 1 written as percentages.
    bars : column names
        Non-negative amounts (gaps, index points) drawn as in-cell bars.
    alert : mapping, optional
        ``{column: value}``: cells holding that value stand out in vermillion (``{"on_track":
        False}``, ``{"single_respondent": True}``).
    highlight : str, optional
        Rows holding this value (a region's name, ``quick_win``) are set in bold.
    framework : Framework, optional
        Columns named by an instrument code get the code's name as their header, and the
        ``names`` columns show names for the codes they hold.
    names : column names
        Columns of codes (e.g. ``dimension``) shown as names; needs ``framework``.
    headers : mapping, optional
        Header overrides ``{column: text}``.
    caption : str, optional
        A caption above the table.
    hide_index : bool
        Hide the row labels (the default; tables carry their keys as columns).
    max_rows : int, optional
        Show at most this many rows, in the table's order, plus the ``highlight`` rows wherever
        they are; the caption says so and where the whole table is. The notebooks pass
        :data:`TABLE_ROWS` for their tables of every region: a national table of 514 regions is
        read in the workbook, not on a report page. Default: every row.
    """
    sheet_levels = dict(getattr(data, "levels", {}) or {})
    frame = data.frame if hasattr(data, "frame") and not isinstance(data, pd.DataFrame) else data
    highlighted = (frame.astype(object).eq(highlight).any(axis=1).to_numpy() if highlight is not None
                   else np.zeros(len(frame), dtype=bool))
    levels = {**sheet_levels, **dict(levels or {})}
    limit = max_rows or 0
    if limit and len(frame) > limit:
        keep = np.arange(len(frame)) < limit
        keep |= highlighted
        rows = np.flatnonzero(keep)
        also = (term("report:first_rows_also", lang).format(value=highlight)
                if highlight is not None and highlighted[limit:].any() else "")
        note = term("report:first_rows", lang).format(shown=limit, total=format_number(len(frame), 0, lang),
                                                      also=also)
        caption = f"{caption}. {note[0].upper()}{note[1:]}" if caption else f"{note[0].upper()}{note[1:]}"
        frame, highlighted = frame.iloc[rows], highlighted[rows]
        levels = {column: np.asarray(values)[rows] for column, values in levels.items()}
    frame = frame.copy()
    data_frame = frame.copy()  # values before translation, for alert and highlight
    hidden: list[str] = []
    if "maturity" in frame.columns and "maturity_level" in frame.columns:
        levels.setdefault("maturity", frame["maturity_level"].to_numpy())
        hidden.append("maturity_level")
    for column in names:
        if framework is not None and column in frame.columns:
            frame[column] = frame[column].map(lambda c: framework.name(c, lang) if isinstance(c, str) else c)
    for column in frame.columns:
        labels = _value_labels(str(column), lang)
        if labels is not None and not pd.api.types.is_numeric_dtype(frame[column].dtype):
            frame[column] = frame[column].map(labels)

    styler = frame.style
    # Numbers.
    formats = {}
    for column in frame.columns:
        series = frame[column]
        places = decimals.get(column, 1) if isinstance(decimals, Mapping) else decimals
        if "rank" in str(column) and not (isinstance(decimals, Mapping) and column in decimals):
            # Ranks are whole numbers even when stored as floats; quantiles of ranks may not be.
            values = pd.to_numeric(series, errors="coerce").dropna().to_numpy(dtype=float)
            places = 0 if np.all(values == np.round(values)) else 1
        if column in percent:
            formats[column] = _number_format(places, lang, percent=True)
        elif _is_year_column(column):
            formats[column] = _number_format(0, lang, year=True)
        elif _is_integer_column(series):
            formats[column] = _number_format(0, lang, signed=column in signed)
        elif pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
            formats[column] = _number_format(places, lang, signed=column in signed)
        else:
            formats[column] = _number_format(places, lang)
    styler = styler.format(formats)
    # Colours.
    colors = maturity_colors(ladder.n_levels)

    def level_css(level_numbers) -> list[str]:
        out = []
        for level in np.asarray(level_numbers, dtype=float):
            if np.isnan(level) or not 1 <= level <= len(colors):
                out.append("")
            else:
                fill = colors[int(level) - 1]
                out.append(f"background-color: {fill}; color: {text_color_on(fill)}")
        return out

    score_columns = [c for c in scores if c in frame.columns]
    if score_columns:
        styler = styler.apply(
            lambda s: level_css(ladder.level_of(pd.to_numeric(s, errors="coerce"), scale)),
            subset=score_columns,
        )
    for column, level_numbers in levels.items():
        if column in frame.columns:
            css = level_css(level_numbers)
            styler = styler.apply(lambda s, css=css: css, subset=[column])
    signed_columns = [c for c in signed if c in frame.columns]
    if signed_columns:
        def sign_css(s: pd.Series) -> list[str]:
            x = pd.to_numeric(s, errors="coerce").astype(float)
            return [f"color: {UP_COLOR}" if v > 1e-9 else f"color: {DOWN_COLOR}" if v < -1e-9 else ""
                    for v in x]

        styler = styler.apply(sign_css, subset=signed_columns)
    for column, value in (alert or {}).items():
        if column in frame.columns:
            hits = [not pd.isna(v) and v == value for v in data_frame[column].astype(object)]
            styler = styler.apply(lambda s, hits=hits: [f"color: {DOWN_COLOR}; font-weight: bold" if h else ""
                                                        for h in hits], subset=[column])
    bar_columns = [c for c in bars if c in frame.columns]
    if bar_columns:
        top = float(np.nanmax(frame[bar_columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float),
                              initial=0.0))
        styler = styler.bar(subset=bar_columns, color=BAR_COLOR, vmin=0.0, vmax=top or 1.0, height=70)
    if highlighted.any():
        styler = styler.apply(lambda s: ["font-weight: bold" if m else "" for m in highlighted], axis=0)
    # Headers and layout.
    labels = {column: _header(column, lang, framework, headers) for column in frame.columns}
    styler = styler.format_index(lambda c: labels.get(c, c), axis=1)
    if hidden:
        styler = styler.hide(subset=hidden, axis="columns")
    if hide_index:
        styler = styler.hide(axis="index")
    if caption:
        styler = styler.set_caption(html.escape(caption))
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c].dtype)
               and not pd.api.types.is_bool_dtype(frame[c].dtype)]
    text = [c for c in frame.columns if c not in numeric]
    styler = styler.set_table_styles([
        {"selector": "th", "props": "text-align: left; vertical-align: bottom; max-width: 16em; "
                                    "white-space: normal; padding: 4px 8px"},
        {"selector": "td", "props": "padding: 3px 8px"},
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; "
                                         "white-space: nowrap; padding-bottom: 6px"},
    ], overwrite=False)
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
        # Names stay on one line; long texts (messages, advice) wrap.
        short = [c for c in text if frame[c].astype(str).str.len().max() <= 45]
        if short:
            styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    return styler


def _header(column, lang: str, framework, headers: Mapping[str, str] | None) -> str:
    """A column's header: an override, an instrument code's name, an i18n term, else as is."""
    if headers and column in headers:
        return headers[column]
    if framework is not None and column in framework.table.index:
        return term("index", lang) if column == framework.root else framework.name(column, lang)
    key = str(column)
    for candidate in (key, f"aspect:{key}"):
        if candidate in TERMS:
            return term(candidate, lang)
    return key


def maturity_legend(scale: tuple[float, float] = (0.0, 100.0), ladder: MaturityLadder = SPBE_LADDER,
                    lang: str = "id") -> Styler:
    """The maturity bands as a coloured table: level, name and score range on ``scale``."""
    bands = ladder.bands(scale, lang)
    places = 1 if (scale[1] - scale[0]) > 10 else 2

    def bound(value: float) -> str:
        return format_number(value, places, lang).removesuffix(",0").removesuffix(".0")

    frame = pd.DataFrame({
        "maturity_level": bands["level"].to_numpy(),
        "maturity": bands["name"].to_numpy(),
        "band": [f"{bound(lo)} - {bound(hi)}" for lo, hi in zip(bands["lower"], bands["upper"], strict=True)],
    })
    styler = styled_table(frame, lang=lang, headers={"band": _word("band", lang)})
    return styler


# --- output ----------------------------------------------------------------------------------------


def prose(key: str, lang: str = "id", *, decimals: int = 1, **values: object):
    """The notebook text ``key`` (:mod:`..i18n.report`) in ``lang``, as IPython Markdown.

    Its ``#``/``##`` headings show in JupyterLab's table of contents and in the report's;
    ``values`` fill the text's fields by :func:`~..i18n.sentence` (numbers written the reader's
    way, with ``decimals`` places; years passed as text).
    """
    from IPython.display import Markdown

    if key not in TERMS:
        raise KeyError(f"no text {key!r} in smartcity_analysis.i18n")
    return Markdown(sentence(key, lang, decimals=decimals, **values) if values else term(key, lang))


def show(*objects) -> None:
    """Show tables, charts or text from inside a loop or an ``if`` (IPython's ``display``)."""
    from IPython.display import display

    for obj in objects:
        if hasattr(obj, "savefig"):
            show_figure(obj)
        else:
            display(obj)


def figure_png(fig, dpi: int = 144) -> bytes:
    """A chart as PNG bytes at ``dpi`` (the slide's size and layout kept exactly)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def show_figure(fig, dpi: int = 144, width: int = 960) -> None:
    """Show a chart as a PNG output of ``width`` pixels (sharp at ``dpi``).

    Works under every matplotlib backend (the Makefile sets ``MPLBACKEND=Agg``, under which
    a bare figure would print as text) and keeps the slide's size and layout exactly.
    """
    from IPython.display import Image, display

    display(Image(data=figure_png(fig, dpi), format="png", width=width))


# --- problems ------------------------------------------------------------------------------------


def problem_table(problems: SmartCityError | Iterable[Problem], lang: str = "id") -> pd.DataFrame:
    """Problems as rows: code, file, sheet, cell (or row/column), message and what to do."""
    items = problems.problems if isinstance(problems, SmartCityError) else list(problems)
    rows = []
    for p in items:
        where = p.location
        cell = where.cell or ", ".join(
            part for part in (f"{where.row}" if where.row is not None else "", where.column or "") if part)
        advice_id, advice_en = ADVICE.get(p.code, ("", ""))
        rows.append({
            "code": p.code,
            "file": where.file or "",
            "sheet": where.sheet or "",
            "cell": cell,
            "problem": p.message(lang),
            "advice": advice_en if lang == "en" else advice_id,
        })
    return pd.DataFrame(rows, columns=["code", "file", "sheet", "cell", "problem", "advice"])


def show_problems(error: SmartCityError | Iterable[Problem], lang: str = "id", advice: bool = True) -> Styler:
    """A :class:`~.errors.SmartCityError` (or loading notes) as a table people can act on.

    One row per problem, in the order found: the code (``SC303``, documented in
    ``docs/common-problems.md``), file, sheet and cell, the message in ``lang`` and, with
    ``advice``, what to do about it.
    """
    table = problem_table(error, lang)
    if not advice:
        table = table.drop(columns="advice")
    key = "problems_found" if isinstance(error, SmartCityError) else "notes_found"
    headers = {c: _word(c, lang) for c in ("file", "sheet", "cell", "problem", "advice")}
    styler = styled_table(table, lang=lang, headers=headers,
                          caption=_word(key, lang).format(n=len(table)))
    return styler.set_properties(**{"text-align": "left", "vertical-align": "top"}).set_properties(
        subset=[c for c in ("problem", "advice") if c in table.columns], **{"min-width": "18em"})


# --- data notes -------------------------------------------------------------------------------------


def _is_synthetic(source) -> bool:
    """An assessment's own mark, or a raw folder's README (:func:`~.paths.looks_synthetic`)."""
    return bool(source.synthetic) if hasattr(source, "synthetic") else looks_synthetic(source)


def data_note(source, lang: str = "id"):
    """A warning box for reports made from synthetic data (an assessment, or a raw folder);
    nothing for real data."""
    from IPython.display import HTML

    if not _is_synthetic(source):
        return HTML("")
    return HTML(
        '<div style="border-left: 6px solid #E69F00; background: #FFF6E0; padding: 8px 12px; '
        f'margin: 6px 0">{_word("synthetic_banner", lang)}</div>'
    )


def chart_footnote(source, cycle: int | None, lang: str = "id") -> str:
    """The source line of a chart: ``Sumber: Asesmen kesiapan smart city 2024; data sintetis``.

    ``source`` is an :class:`~..assessment.Assessment` or a raw folder.
    """
    text = _word("assessment", lang).format(cycle=cycle if cycle is not None else "").strip()
    line = source_line(text, synthetic=_is_synthetic(source), lang=lang)
    regions = getattr(source, "regions", None)
    if regions is not None and 1 < len(regions) < 5:  # every table and chart compares a few regions
        line = f"{line}; {term('sentence:small_cohort', lang)}"
    return line


# --- answers ---------------------------------------------------------------------------------------


def respondent_counts(answers) -> pd.DataFrame:
    """Respondents (OPD) per region and cycle: one row per region, one column per cycle."""
    table = answers.table
    counts = table.groupby(["region", "cycle"], observed=True)["respondent"].nunique(dropna=False)
    out = counts.unstack("cycle").astype("Int64")
    out.columns = [str(c) for c in out.columns]
    return out.reset_index()


def missing_shares(answers, cycle: int | None = None) -> pd.DataFrame:
    """Share of blank answers per region and dimension (0 to 1) in one cycle (default the latest).

    Expected answers are every respondent of the region times the dimension's indicators; a
    form left blank and a row left out count alike.
    """
    framework = answers.framework
    table = answers.table
    cycle = cycle if cycle is not None else int(table["cycle"].max())
    table = table[table["cycle"] == cycle]
    dimension_of = framework.lineage["dimension"]
    per_dimension = dimension_of.value_counts().reindex(framework.dimensions)
    respondents = table.groupby("region", observed=True)["respondent"].nunique(dropna=False)
    answered = (table.dropna(subset=["value"])
                .assign(dimension=lambda t: t["indicator"].map(dimension_of))
                .groupby(["region", "dimension"], observed=True).size()
                .unstack("dimension").reindex(index=respondents.index, columns=framework.dimensions)
                .fillna(0))
    expected = np.outer(respondents.to_numpy(), per_dimension.to_numpy())
    shares = 1.0 - answered.to_numpy() / expected
    out = pd.DataFrame(shares, index=respondents.index, columns=framework.dimensions)
    total = 1.0 - answered.to_numpy().sum(axis=1) / expected.sum(axis=1)
    out.insert(0, framework.root, total)
    return out.reset_index()


# --- cycle and region ----------------------------------------------------------------------------------------


def pick_cycle(scores, cycle: int | None) -> int:
    """The cycle to analyse: ``cycle`` if the data hold it (else SC402 listing those held), or the latest."""
    return resolve_cycle(scores.cycles, cycle)


def pick_region(scores, region: str | None) -> str:
    """``region`` as the data spell it ("Kab. Pekalongan" -> "Kabupaten Pekalongan").

    ``None`` picks the region with the highest index in the latest cycle. A name not in the data
    raises :class:`~.errors.OptionError` (SC403) listing the regions available.
    """
    from .charts._base import resolve_region

    regions = scores.values.index.get_level_values("region")
    if region is None:
        return str(scores.index(scores.latest_cycle).idxmax())
    return resolve_region(region, regions)


# --- interactive picker ----------------------------------------------------------------------------


def chart_picker(draw: Callable[[str, str], object], regions: Sequence[str],
                 dimensions: Mapping[str, str] | Sequence[str], *, region: str | None = None,
                 dimension: str | None = None, lang: str = "id", dpi: int = 110, width: int = 880):
    """Region and dimension dropdowns; ``draw(region, dimension)`` is shown under them and redrawn.

    Parameters
    ----------
    draw
        Makes the chart: ``draw(region, dimension_code) -> Figure``.
    regions
        The regions offered.
    dimensions
        Codes offered, as ``{code: label}`` or a list of codes.
    region, dimension
        The first selection (default the first of each).
    lang
        Language of the labels and of the static note.

    Returns
    -------
    ipywidgets.VBox
        Live in JupyterLab. Where widgets cannot run (an HTML export without widget state) it
        shows a short note instead; notebooks show the default selection's chart in a cell of
        its own so that a static report has it. Cells holding a picker are tagged
        :data:`INTERACTIVE_TAG` so that a report may drop them.
    """
    options = list(dimensions.items()) if isinstance(dimensions, Mapping) else [(d, d) for d in dimensions]
    region_box = widgets.Dropdown(options=list(regions), value=region or list(regions)[0],
                                  description=_word("picker_region", lang))
    dimension_box = widgets.Dropdown(options=[(label, code) for code, label in options],
                                     value=dimension or options[0][0],
                                     description=_word("picker_dimension", lang),
                                     layout=widgets.Layout(width="28em"))
    # An Image widget, not an Output widget: redrawing only replaces its bytes, so nothing is
    # captured from the kernel's output stream (which headless executors handle differently).
    chart = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%"))

    def redraw(*_):
        chart.value = figure_png(draw(region_box.value, dimension_box.value), dpi)

    region_box.observe(redraw, names="value")
    dimension_box.observe(redraw, names="value")
    redraw()
    return _Picker([widgets.HBox([region_box, dimension_box]), chart], fallback=_word("picker_static", lang))


class _Picker(widgets.VBox):
    """A VBox whose display also carries a static HTML note, shown where widgets cannot run."""

    def __init__(self, children, fallback: str, **kwargs):
        super().__init__(children, **kwargs)
        self._fallback = fallback

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = f"<p><i>{html.escape(self._fallback)}</i></p>"
        bundle["text/plain"] = self._fallback
        return bundle
