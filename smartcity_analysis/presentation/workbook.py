"""Writing outputs: atomic files, CSV for machines, formatted Excel workbooks for people.

Every output goes through :func:`atomic_write`, so a reader never meets a half-written file
and an interrupted run leaves the previous file whole. The workbook writer freezes headers, sets
number formats and widths, and colours maturity levels, so one function formats every table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.gaps import GapAnalysis, gap_sheet_frame
from ..errors import Location, RunError
from ..files import atomic_write  # also imported from here by charts, decks and the runner
from ..i18n import TERMS, localise_columns, term
from ..model.maturity import MATURITY_COLOURS
from ..model.selection import UNKNOWN_CYCLE, cycle_label
from .context import uses_context

#: Fill colours of maturity levels 1..5: the charts' colours (:data:`~.maturity.MATURITY_COLOURS`).
MATURITY_FILLS = tuple(c.lstrip("#").upper() for c in MATURITY_COLOURS)
#: Levels whose fill is dark enough to need white text.
_WHITE_TEXT_LEVELS = (4, 5)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8, dot decimals, ISO-like: for machines and reruns (stable bytes).

    An unknown cycle (:data:`~..model.selection.UNKNOWN_CYCLE`) is an empty cell.
    """
    frame = _unknown_cycle_blank(frame)
    try:
        with atomic_write(path, "w") as handle:
            frame.to_csv(handle, index=False, float_format="%.10g", lineterminator="\n")
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return Path(path)


@dataclass
class Sheet:
    """A table for a workbook sheet, with the cells to colour by maturity level.

    ``levels`` maps a column to the maturity level (1..5, 0 for none) of each of its cells;
    those cells get :data:`MATURITY_FILLS`. Headers are localised through :mod:`.i18n`
    (column names that are not term keys stay as they are).
    """

    frame: pd.DataFrame
    levels: dict[str, np.ndarray] = field(default_factory=dict)
    freeze: str = "A2"  # "B2" keeps the first column in view too


#: Rows of an Excel sheet, header included; longer tables are split over several sheets.
EXCEL_MAX_ROWS = 1_048_576


@uses_context
def write_workbook(sheets: dict[str, pd.DataFrame | Sheet], path: str | Path, *, lang: str = "id",
                   about: dict[str, object] | None = None) -> Path:
    """A formatted xlsx: one sheet per table, frozen header, formats, widths, maturity colours.

    Sheet keys may be :data:`~.i18n.TERMS` keys (``sheet:scores``) or literal names. ``about``
    becomes a last sheet of key/value rows (the recipe). A table longer than an Excel sheet is
    split over numbered sheets, and the *about* sheet says so.

    Written by xlsxwriter in constant-memory mode: rows stream to disk as they are written, so a
    national workbook takes seconds and little memory (openpyxl stays for the fill-in forms,
    which need protection and data validation).
    """
    import xlsxwriter

    try:
        with atomic_write(path, "wb") as handle:
            workbook = xlsxwriter.Workbook(handle, {
                "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                "strings_to_urls": False, "nan_inf_to_errors": True,
            })
            notes = _write_sheets(workbook, sheets, lang)
            if about or notes:
                ws = workbook.add_worksheet(term("sheet:about", lang)[:31])
                ws.set_column(0, 0, 32)
                ws.set_column(1, 1, 90)
                header = workbook.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79",
                                              "text_wrap": True, "valign": "vcenter"})
                ws.write_row(0, 0, [term("name", lang), term("value", lang)], header)
                rows = [*(about or {}).items(), *notes]
                for i, (key, value) in enumerate(rows, start=1):
                    label = term(f"about:{key}", lang)
                    ws.write_string(i, 0, str(key) if label == f"about:{key}" else label)
                    ws.write_string(i, 1, _about_value(_localised_value(value, lang)))
            workbook.close()
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return Path(path)


def _write_sheets(workbook, sheets: dict[str, pd.DataFrame | Sheet], lang: str) -> list[tuple[str, str]]:
    """Every table as a sheet (or several); the notes of tables that had to be split."""
    header = workbook.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79",
                                  "text_wrap": True, "valign": "vcenter"})
    cache: dict[tuple[str | None, int], object] = {}

    def cell_format(number_format: str | None, level: int):
        key = (number_format, level)
        if key not in cache:
            spec: dict[str, object] = {}
            if number_format:
                spec["num_format"] = number_format
            if level:
                spec["bg_color"] = "#" + MATURITY_FILLS[level - 1]
                spec["pattern"] = 1
                if level in _WHITE_TEXT_LEVELS:
                    spec["font_color"] = "#FFFFFF"
            cache[key] = workbook.add_format(spec) if spec else None
        return cache[key]

    notes = []
    per_sheet = EXCEL_MAX_ROWS - 1
    for key, item in sheets.items():
        sheet = item if isinstance(item, Sheet) else Sheet(item)
        frame = sheet.frame
        name = term(key, lang)
        parts = max(1, -(-len(frame) // per_sheet))
        if parts > 1:
            notes.append((name, term("workbook:split", lang).format(rows=len(frame), sheets=parts)))
        for part in range(parts):
            rows = slice(part * per_sheet, (part + 1) * per_sheet)
            title = name[:31] if parts == 1 else f"{name[:26]} ({part + 1})"
            _write_sheet(workbook.add_worksheet(title), frame.iloc[rows],
                         {c: v[rows] for c, v in sheet.levels.items()}, sheet.freeze, lang, header, cell_format)
    return notes


def _write_sheet(ws, frame: pd.DataFrame, levels: dict[str, np.ndarray], freeze: str, lang: str,
                 header, cell_format) -> None:
    columns = list(frame.columns)
    headers = localise_columns(columns, lang)
    row, col = _cell_position(freeze)
    ws.freeze_panes(row, col)
    ws.set_row(0, 48)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    kinds, formats = [], []
    for j, column in enumerate(columns):
        series = frame[column]
        number_format = None
        if pd.api.types.is_float_dtype(series.dtype):
            number_format = "0.0%" if column in ("coverage", "missing_share") else "0.0"
        formats.append(number_format)
        if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            kinds.append("number")
            width = 14  # numbers: the header wraps instead of widening the column
        else:
            kinds.append("text")
            sample = [str(headers[j])] + [str(v) for v in series.head(200).tolist()]
            width = min(max(len(t) for t in sample) + 2, 40)
        ws.set_column(j, j, width)
    ws.write_row(0, 0, headers, header)
    if len(frame):
        ws.autofilter(0, 0, len(frame), len(columns) - 1)
    # column arrays once, then the rows as XML (_stream_rows)
    data = []
    for j, column in enumerate(columns):
        series, kind = frame[column], kinds[j]
        if kind == "text" and column in VALUE_TERMS:  # words in cells, in the sheet's language
            series = series.map(lambda v, prefix=VALUE_TERMS[column]: _value_word(prefix, v, lang))
        if column == "cycle" and (series == UNKNOWN_CYCLE).any():  # one assessment of unknown year
            series = series.astype(object).where(series != UNKNOWN_CYCLE, cycle_label(UNKNOWN_CYCLE, lang))
            kind = kinds[j] = "text"
        if kind == "number":
            data.append(series.to_numpy(dtype=float, na_value=np.nan).tolist())
        else:
            data.append(series.astype(object).where(series.notna(), None).tolist())
    level_lists = [
        np.where((levels[c] > 0) & (levels[c] <= len(MATURITY_FILLS)), levels[c], 0).astype(np.intp)
        if c in levels else None
        for c in columns
    ]
    column_formats = [
        [cell_format(formats[j], level) for level in range(len(MATURITY_FILLS) + 1)] for j in range(len(columns))
    ]
    _stream_rows(ws, kinds, data, level_lists, column_formats)


#: Rows turned into XML at a time (bounds the memory of the cell texts).
_ROW_CHUNK = 20_000


def _stream_rows(ws, kinds: list[str], data: list[list], level_lists: list[np.ndarray | None],
                 column_formats: list[list]) -> None:
    """The data rows (row 2 on) as sheet XML, column by column, straight into the sheet's row file.

    xlsxwriter's ``write_number``/``write_string`` cost some microseconds a cell, seconds for a
    national workbook; here a cell is one formatted string. The XML is what xlsxwriter's
    constant-memory writer makes of the same cells (inline strings, ``%.16G`` numbers, the same
    escapes, a level-coloured blank for a missing value with a level, nothing for other missing
    values), and formats get their style numbers in the order xlsxwriter gives them (first use,
    row by row), so the file is the same bytes. The last row goes through xlsxwriter's own
    calls (:func:`_write_cells`): it stays pending until the workbook closes, as it would.
    ``column_formats[j][level]`` is column ``j``'s format for a level (0: none), or None.
    """
    if not ws.constant_memory:  # the rows go to the row file of constant-memory mode
        raise ValueError("rows are streamed only in constant_memory mode")
    written = [_written_mask(kinds[j], data[j], level_lists[j]) for j in range(len(kinds))]
    any_cell = np.logical_or.reduce(written) if written else np.zeros(0, dtype=bool)
    if not any_cell.any():  # nothing after the header, which stays pending as xlsxwriter leaves it
        return
    last = int(np.flatnonzero(any_cell)[-1])  # the last row with a cell, written by xlsxwriter
    ws._write_single_row(1)  # the header row (its cells, height and format numbers) out first
    used = _number_formats_in_order([mask[:last] for mask in written],
                                    [None if lv is None else lv[:last] for lv in level_lists], column_formats)
    from xlsxwriter.utility import xl_col_to_name

    letters = [xl_col_to_name(j) for j in range(len(kinds))]
    # style attributes of the formats in use only: numbering an unused one would shift the others
    styles = [[f' s="{f._get_xf_index()}"' if f is not None and (j, level) in used else ""
               for level, f in enumerate(formats)] for j, formats in enumerate(column_formats)]
    write = ws.fh.write
    for start in range(0, last, _ROW_CHUNK):
        stop = min(start + _ROW_CHUNK, last)
        numbers = [str(i + 2) for i in range(start, stop)]
        cells = [
            _column_cells(letters[j], numbers, kinds[j], data[j][start:stop],
                          None if level_lists[j] is None else level_lists[j][start:stop], styles[j], ws)
            for j in range(len(kinds))
        ]
        rows = zip(numbers, map("".join, zip(*cells, strict=True)), strict=True)
        write("".join([f'<row r="{r}">{text}</row>' for r, text in rows if text]))
    _write_cells(ws, last + 1, kinds, [values[last] for values in data],
                 [0 if lv is None else int(lv[last]) for lv in level_lists], column_formats)


def _write_cells(ws, row: int, kinds: list[str], values: list, levels: list[int], column_formats: list[list]) -> None:
    """One row through xlsxwriter's calls, cell by cell (the rule :func:`_column_cells` follows)."""
    for j, (kind, value, level) in enumerate(zip(kinds, values, levels, strict=True)):
        fmt = column_formats[j][level]
        if value is None or (kind == "number" and value != value):  # missing: empty, or coloured blank
            if level:
                ws.write_blank(row, j, None, fmt)
        elif kind == "number":
            ws.write_number(row, j, value, fmt)
        elif isinstance(value, str):
            ws.write_string(row, j, value, fmt)
        else:
            ws.write(row, j, _cell_value(value), fmt)


def _written_mask(kind: str, values: list, levels: np.ndarray | None) -> np.ndarray:
    """Which cells of a column get a cell element: a value, or a missing value with a level."""
    if kind == "number":
        present = ~np.isnan(np.asarray(values, dtype=float))
    else:
        present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    return present if levels is None else present | (levels > 0)


def _number_formats_in_order(written: list[np.ndarray], level_lists: list[np.ndarray | None],
                             column_formats: list[list]) -> set[tuple[int, int]]:
    """Give the formats their style numbers in the order of first use, row by row, left to right.

    xlsxwriter numbers a format when it first writes a cell with it; doing the same keeps the
    styles part, and every ``s=`` in the sheets, as the cell-by-cell writer made them. Returns
    the (column, level) pairs in use.
    """
    first_use = []
    for j, mask in enumerate(written):
        levels = level_lists[j]
        keys = np.zeros(len(mask), dtype=np.intp) if levels is None else levels
        for level in np.unique(keys[mask]):
            fmt = column_formats[j][level]
            if fmt is not None:
                first_use.append((int(np.argmax(mask & (keys == level))), j, int(level), fmt))
    first_use.sort(key=lambda t: (t[0], t[1]))
    for _, _, _, fmt in first_use:
        fmt._get_xf_index()
    return {(j, level) for _, j, level, _ in first_use}


def _column_cells(letter: str, numbers: list[str], kind: str, values: list, levels: np.ndarray | None,
                  styles: list[str], ws) -> list[str]:
    """The ``<c>`` elements of one column over a chunk of rows ("" where no cell is written)."""
    if levels is None:
        style = [styles[0]] * len(values)
        coloured = [False] * len(values)
    else:
        style = [styles[level] for level in levels.tolist()]
        coloured = (levels > 0).tolist()
    if kind == "number":
        return [
            (f'<c r="{letter}{r}"{s}><v>{v:.16G}</v></c>' if v - v == 0 else _special_number(letter + r, s, v))
            if v == v else (f'<c r="{letter}{r}"{s}/>' if c else "")
            for r, v, s, c in zip(numbers, values, style, coloured, strict=True)
        ]
    strings: dict[str, str] = {}
    out = []
    for r, v, s, c in zip(numbers, values, style, coloured, strict=True):
        if v is None:
            out.append(f'<c r="{letter}{r}"{s}/>' if c else "")
        elif v.__class__ is str:
            tail = strings.get(v)
            if tail is None:
                tail = strings[v] = _string_tail(v, ws)
            out.append(f'<c r="{letter}{r}"{s}{tail}')
        else:
            out.append(_other_cell(letter + r, s, _cell_value(v), ws))
    return out


def _string_tail(text: str, ws) -> str:
    """An inline string cell after its ``r`` and ``s``, escaped as xlsxwriter escapes it."""
    from xlsxwriter.utility import _preserve_whitespace

    if len(text) > ws.xls_strmax // 2:  # Excel's limit, in UTF-16 units, as write_string cuts it
        from xlsxwriter.utility import _utf16_len, _utf16_truncate

        if _utf16_len(text) > ws.xls_strmax:
            text = _utf16_truncate(text, ws.xls_strmax)
    text = ws._escape_control_characters(text)
    if text.startswith("<r>") and text.endswith("</r>"):  # xlsxwriter writes these as rich text
        return f' t="inlineStr"><is>{text}</is></c>'
    preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    return f' t="inlineStr"><is><t{preserve}>{ws._escape_data(text)}</t></is></c>'


def _special_number(ref: str, style: str, value: float) -> str:
    """Infinity as xlsxwriter writes it with ``nan_inf_to_errors`` (a formula with its error)."""
    formula = "1/0" if value > 0 else "-1/0"
    return f'<c r="{ref}"{style} t="e"><f>{formula}</f><v>#DIV/0!</v></c>'


def _other_cell(ref: str, style: str, value: object, ws) -> str:
    """A cell of a text column that holds something else: a number, a truth value or a blank."""
    if value is None or value is pd.NA:
        return f'<c r="{ref}"{style}/>' if style else ""
    if value.__class__ is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, np.bool_):  # not a Python bool: xlsxwriter writes it as the number it converts to
        value = float(value)
    if isinstance(value, (int, float)):
        if value != value:
            return f'<c r="{ref}"{style} t="e"><f>#NUM!</f><v>#NUM!</v></c>'
        if value - value != 0:
            return _special_number(ref, style, value)
        return f'<c r="{ref}"{style}><v>{value:.16G}</v></c>'
    return f'<c r="{ref}"{style}{_string_tail(str(value), ws)}'


def _unknown_cycle_blank(frame: pd.DataFrame) -> pd.DataFrame:
    cycles = [c for c in frame.columns if c in ("cycle", "previous_cycle")]
    if not cycles or not any((frame[c] == UNKNOWN_CYCLE).any() for c in cycles):
        return frame
    return frame.assign(**{c: frame[c].where(frame[c] != UNKNOWN_CYCLE) for c in cycles})


#: Columns whose cell values are words with a translation: column -> term key prefix.
VALUE_TERMS = {"level": "level:", "analysis": "analysis:", "region_type": "region_type:"}


def _value_word(prefix: str, value: object, lang: str) -> object:
    if not isinstance(value, str):
        return value
    key = f"{prefix}{value}"
    return term(key, lang) if key in TERMS else value


def _localised_value(value: object, lang: str) -> object:
    if value is None or isinstance(value, bool):
        return term(f"value:{value}", lang)
    return value


def _cell_position(cell: str) -> tuple[int, int]:
    """``"B2"`` -> (1, 1): the row and column a freeze pane starts at."""
    letters = "".join(ch for ch in cell if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return int(cell[len(letters):]) - 1, col - 1


@uses_context
def dimension_sheet(scores, cycle: int, lang: str = "id", ladder=None) -> Sheet:
    """People's table of one cycle: a row per region, index and dimension scores side by side,
    each cell coloured by its maturity level, with rank and the index's maturity name."""
    from ..analysis.compare import rank_scores
    from ..model.maturity import SPBE_LADDER

    ladder = ladder or SPBE_LADDER
    fw = scores.framework
    codes = [fw.root, *fw.dimensions]
    wide = scores.values[codes].xs(cycle, level="cycle")
    scale = scores.scale_range
    frame = pd.DataFrame({"region": wide.index.astype(str)})
    groups = scores.regions.xs(cycle, level="cycle")
    for column in groups.columns:
        frame[column] = groups[column].reindex(wide.index).to_numpy()
    frame["rank"] = rank_scores(scores.values[[fw.root]]).xs(cycle, level="cycle")[fw.root].to_numpy()
    frame["maturity"] = ladder.name_of(wide[fw.root].to_numpy(), scale, lang)
    levels = {}
    for code in codes:
        label = fw.name(code, lang) if code != fw.root else term("index", lang)
        frame[label] = wide[code].to_numpy()
        levels[label] = ladder.level_of(wide[code].to_numpy(), scale)
    levels["maturity"] = levels[term("index", lang)]
    order = frame["rank"].argsort(kind="stable").to_numpy()
    return Sheet(frame.iloc[order].reset_index(drop=True), {k: v[order] for k, v in levels.items()},
                 freeze="B2")


def _cell_value(value: object) -> object:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if value is pd.NA:
        return None
    return value


def _about_value(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


@uses_context
def score_sheet(table: pd.DataFrame, lang: str = "id") -> Sheet:
    """The long score table for people: localised level names, score cells coloured by level."""
    frame = table.drop(columns=[c for c in ("depth", "maturity_level") if c in table.columns])
    frame["level"] = frame["level"].map(lambda v: term(f"level:{v}", lang) if f"level:{v}" in TERMS else v)
    levels = table["maturity_level"].to_numpy() if "maturity_level" in table.columns else None
    return Sheet(frame, {"score": levels, "maturity": levels} if levels is not None else {})


def score_tables(scores, lang: str = "id") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long score table (with maturity and names) and the comparison table, all cycles."""
    from ..analysis.compare import comparison_table
    from ..model.maturity import maturity_table

    table = maturity_table(scores, lang=lang)
    table["name"] = table["code"].map(scores.framework.names(lang))
    return table, comparison_table(scores)


def write_scores(scores, out_dir: str | Path, lang: str = "id") -> list[Path]:
    """``scores.csv``, ``comparison.csv`` and a formatted ``scores.xlsx`` (``smartcity score``)."""
    from ..analysis.compare import cohort_statistics

    out_dir = Path(out_dir)
    table, comparison = score_tables(scores, lang)
    written = [
        write_csv(table, out_dir / "scores.csv"),
        write_csv(comparison, out_dir / "comparison.csv"),
    ]
    cohort = cohort_statistics(scores)
    about = {"framework_version": scores.framework.version, **scores.recipe()}
    latest = scores.latest_cycle
    written.append(write_workbook(
        {"sheet:dimensions": dimension_sheet(scores, latest, lang), "sheet:scores": score_sheet(table, lang),
         "sheet:comparison": comparison, "sheet:cohort": cohort},
        out_dir / "scores.xlsx", lang=lang, about=about,
    ))
    return written



def write_gaps(analysis: GapAnalysis, out_dir: str | Path, lang: str = "id") -> list[Path]:
    """``DIR/gaps.csv`` (machine columns) and ``DIR/gaps.xlsx`` (sheet "Analisis Kesenjangan")."""
    out_dir = Path(out_dir)
    csv_path = write_csv(analysis.table(lang), out_dir / "gaps.csv")
    xlsx_path = write_workbook({"sheet:gaps": gap_sheet_frame(analysis, lang)}, out_dir / "gaps.xlsx",
                               lang=lang, about=analysis.parameters)
    return [csv_path, xlsx_path]
