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
from ..i18n import TERMS, localise_columns, sentence, term
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
    from .csv_tables import write_frame

    frame = _unknown_cycle_blank(frame)
    try:
        with atomic_write(path, "wb") as handle:
            write_frame(frame, handle)  # pandas' to_csv bytes, each distinct value formatted once
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
    wide: Wide | None = None  # how to lay the table out when it is longer than an Excel sheet
    full: str | None = None  # where the complete table is (``tables/gaps.csv``), said when it does not fit


@dataclass(frozen=True)
class Wide:
    """A long table laid out wide: one row per ``index`` value, one column per ``columns`` value.

    The cells hold ``values`` (coloured by its levels, when the sheet has them). Used only for
    a table longer than an Excel sheet (:data:`EXCEL_MAX_ROWS`): the long score table of every
    desa (83,762 units x 90 codes, 7.5 M rows) becomes 83,762 rows of 90 scores. ``columns``
    may be several columns, their values joined in the column headers (``SG · Struktur``).
    """

    index: tuple[str, ...]
    columns: str | tuple[str, ...]
    values: str

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns whose values head the wide columns."""
        return (self.columns,) if isinstance(self.columns, str) else tuple(self.columns)


#: Rows of an Excel sheet, header included; longer tables are laid out wide (:class:`Wide`) or
#: split over several sheets, with a note on the sheet and in the about sheet.
EXCEL_MAX_ROWS = 1_048_576
#: Columns of an Excel sheet.
EXCEL_MAX_COLUMNS = 16_384


@uses_context
def write_workbook(sheets: dict[str, pd.DataFrame | Sheet], path: str | Path, *, lang: str = "id",
                   about: dict[str, object] | None = None) -> Path:
    """A formatted xlsx: one sheet per table, frozen header, formats, widths, maturity colours.

    Sheet keys may be :data:`~.i18n.TERMS` keys (``sheet:scores``) or literal names. ``about``
    becomes a last sheet of key/value rows (the recipe). A table longer than an Excel sheet
    (:data:`EXCEL_MAX_ROWS`) is laid out wide when its :class:`Sheet` says how (:class:`Wide`)
    and split over numbered sheets when still too long; a first row on those sheets and a line
    in the *about* sheet say so.

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
            try:
                notes = _write_sheets(workbook, sheets, lang)
            finally:
                _STRING_TAILS.clear()
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
            _close(workbook)
    except OSError as exc:
        raise RunError.single("SC502", Location(str(path)), path=str(path), detail=str(exc)) from None
    return Path(path)


#: Cells from which a workbook is zipped at deflate level 1 (xlsxwriter's default is 6): the
#: desa workbook's 720 MB of sheet XML deflate in about 2 s instead of 10, in a file 1.4x larger.
FAST_ZIP_CELLS = 5_000_000


def _close(workbook) -> None:
    """Close (zip) the workbook; a big one at deflate level 1 (:data:`FAST_ZIP_CELLS`)."""
    cells = sum(max(ws.dim_rowmax or 0, 0) * ((ws.dim_colmax or 0) + 1) for ws in workbook.worksheets())
    if cells < FAST_ZIP_CELLS:
        workbook.close()
        return
    import zipfile
    from unittest import mock

    import xlsxwriter.workbook

    class LevelOneZip(zipfile.ZipFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, compresslevel=1, **kwargs)

    with mock.patch.object(xlsxwriter.workbook, "ZipFile", LevelOneZip):  # no option for the level
        workbook.close()


def _write_sheets(workbook, sheets: dict[str, pd.DataFrame | Sheet], lang: str) -> list[tuple[str, str]]:
    """Every table as a sheet (or several); the notes of tables laid out wide or split."""
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
    note_format = []  # made when a sheet needs a note (an unused format would change the styles)
    for key, item in sheets.items():
        sheet = item if isinstance(item, Sheet) else Sheet(item)
        parts, note = sheet_layout(sheet, term(key, lang), lang)
        if note:
            notes.append((term(key, lang), note))
            if not note_format:
                note_format.append(workbook.add_format({"bold": True, "font_color": "#9C0006"}))
        for part in parts:
            _write_sheet(workbook.add_worksheet(part.title), part.frame, part.levels, part.freeze, lang, header,
                         cell_format, part.note, note_format[0] if part.note else None)
    return notes


@dataclass
class SheetPart:
    """One Excel sheet of a table: its title, rows, levels, frozen cell and note (or None)."""

    title: str
    frame: pd.DataFrame
    levels: dict[str, np.ndarray]
    freeze: str
    note: str | None = None


def sheet_layout(sheet: Sheet, name: str, lang: str = "id") -> tuple[list[SheetPart], str | None]:
    """The Excel sheets of a table, and the about sheet's note when it does not fit one sheet.

    A table of at most :data:`EXCEL_MAX_ROWS` rows, header included, is one sheet as it is.
    A longer one is laid out wide when ``sheet.wide`` says how and the wide table fits in
    :data:`EXCEL_MAX_COLUMNS`; what is still too long is split over sheets ``name (1)``,
    ``name (2)``, ... Each such sheet starts with a row saying so (wide layout, which rows), so
    it holds two rows fewer than the limit.
    """
    frame, levels, freeze = sheet.frame, sheet.levels, sheet.freeze
    if len(frame) <= EXCEL_MAX_ROWS - 1:
        return [SheetPart(name[:31], frame, levels, freeze)], None
    said = []
    wide = _wide_table(sheet) if sheet.wide is not None else None
    if wide is not None:
        index = ", ".join(localise_columns([c for c in sheet.wide.index if c in frame.columns], lang))
        said.append(sentence("workbook:wide", lang, decimals=0, rows=len(frame), index=index,
                             column=", ".join(localise_columns(list(sheet.wide.keys), lang)),
                             values=term(sheet.wide.values, lang)))
        frame, levels, freeze = wide
    if sheet.full:
        said.append(sentence("workbook:full", lang, path=sheet.full))
    per_sheet = EXCEL_MAX_ROWS - 2  # the note row and the header row
    n_parts = max(1, -(-len(frame) // per_sheet))
    if n_parts > 1:
        said.append(sentence("workbook:split", lang, decimals=0, rows=len(frame), sheets=n_parts))
    parts = []
    for part in range(n_parts):
        rows = slice(part * per_sheet, (part + 1) * per_sheet)
        note = list(said)
        title = name[:31]
        if n_parts > 1:
            first, last = part * per_sheet + 1, min((part + 1) * per_sheet, len(frame))
            note.append(sentence("workbook:part", lang, decimals=0, part=part + 1, sheets=n_parts, first=first,
                                 last=last, rows=len(frame)))
            suffix = f" ({part + 1})"
            title = name[:31 - len(suffix)] + suffix
        parts.append(SheetPart(title, frame.iloc[rows], {c: v[rows] for c, v in levels.items()}, freeze,
                               ". ".join(note)))
    return parts, "; ".join(said)


def _wide_table(sheet: Sheet) -> tuple[pd.DataFrame, dict[str, np.ndarray], str] | None:
    """``sheet``'s table laid out as its :class:`Wide` says, with the levels of the value cells
    and the cell to freeze (after the index columns); None when it cannot be (a key missing or
    twice, too many columns)."""
    spec, frame = sheet.wide, sheet.frame
    index = [c for c in spec.index if c in frame.columns]
    if not index or any(c not in frame.columns for c in (*spec.keys, spec.values)):
        return None
    row_codes = np.zeros(len(frame), dtype=np.int64)
    from .csv_tables import factorized

    for column in index:  # rows in the order of first appearance of their index values
        codes, uniques = factorized(frame[column])
        if (codes < 0).any():
            return None
        row_codes = row_codes * len(uniques) + codes
    row_codes, row_keys = pd.factorize(row_codes, sort=False)
    key_codes, labels = _key_labels([frame[c] for c in spec.keys])
    if ((key_codes < 0).any() or len(index) + len(labels) > EXCEL_MAX_COLUMNS
            or set(labels) & set(index) or len(set(labels)) < len(labels)):
        return None
    n_rows, n_keys = len(row_keys), len(labels)
    cell = row_codes.astype(np.int64) * n_keys + key_codes
    if np.bincount(cell, minlength=n_rows * n_keys).max() > 1:  # a pair twice has no one cell
        return None
    first = np.full(n_rows, len(frame), dtype=np.int64)
    np.minimum.at(first, row_codes, np.arange(len(frame)))
    values = np.full(n_rows * n_keys, np.nan)
    values[cell] = frame[spec.values].to_numpy(dtype=float, na_value=np.nan)
    values = values.reshape(n_rows, n_keys)
    cells = pd.DataFrame(values, columns=labels)
    if pd.api.types.is_integer_dtype(frame[spec.values].dtype):  # whole numbers stay whole (ranks)
        cells = cells.astype("Int64")
    wide = pd.concat([frame[index].iloc[first].reset_index(drop=True), cells], axis=1)
    levels = {}
    if spec.values in sheet.levels:
        cell_levels = np.zeros(n_rows * n_keys, dtype=np.intp)
        cell_levels[cell] = np.nan_to_num(np.asarray(sheet.levels[spec.values], dtype=float)).astype(np.intp)
        cell_levels = cell_levels.reshape(n_rows, n_keys)
        levels = {label: cell_levels[:, k] for k, label in enumerate(labels)}
    from xlsxwriter.utility import xl_col_to_name

    return wide, levels, f"{xl_col_to_name(len(index))}2"


def _key_labels(columns: list[pd.Series]) -> tuple[np.ndarray, list[str]]:
    """Each row's wide column and the columns' headers: the keys' values joined by " · "
    (code -1 where a key is missing)."""
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    uniques = []
    from .csv_tables import factorized

    for series in columns:
        c, u = factorized(series)
        codes = np.where((codes < 0) | (c < 0), -1, codes * max(len(u), 1) + c)
        uniques.append([str(v) for v in u])
    known = codes >= 0
    pairs, combined = pd.factorize(codes[known], sort=False)
    codes = np.full(len(codes), -1, dtype=np.intp)
    codes[known] = pairs
    labels = []
    for value in combined.tolist():
        parts = []
        for u in reversed(uniques):
            value, k = divmod(value, max(len(u), 1))
            parts.append(u[k])
        labels.append(" · ".join(reversed(parts)))
    return codes, labels


def _write_sheet(ws, frame: pd.DataFrame, levels: dict[str, np.ndarray], freeze: str, lang: str,
                 header, cell_format, note: str | None = None, note_format=None) -> None:
    columns = list(frame.columns)
    headers = localise_columns(columns, lang)
    top = 1 if note else 0  # the header's row: below the note, when there is one
    if note:
        ws.write_string(0, 0, note, note_format)
    row, col = _cell_position(freeze)
    ws.freeze_panes(row + top, col)
    ws.set_row(top, 48)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
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
    ws.write_row(top, 0, headers, header)
    if len(frame):
        ws.autofilter(top, 0, top + len(frame), len(columns) - 1)
    # column arrays once (numbers as floats, text as a Series and where it is present), then the
    # rows as XML (_stream_rows), a chunk of rows at a time
    data = []
    for j, column in enumerate(columns):
        series, kind = frame[column], kinds[j]
        if kind == "text" and column in VALUE_TERMS:  # words in cells, in the sheet's language
            series = _value_words(series, VALUE_TERMS[column], lang)
        if column == "cycle" and (series == UNKNOWN_CYCLE).any():  # one assessment of unknown year
            series = series.astype(object).where(series != UNKNOWN_CYCLE, cycle_label(UNKNOWN_CYCLE, lang))
            kind = kinds[j] = "text"
        if kind == "number":
            data.append(series.to_numpy(dtype=float, na_value=np.nan))
        else:
            data.append(_Text(series.reset_index(drop=True), series.notna().to_numpy()))
    level_lists = [
        np.where((levels[c] > 0) & (levels[c] <= len(MATURITY_FILLS)), levels[c], 0).astype(np.intp)
        if c in levels else None
        for c in columns
    ]
    column_formats = [
        [cell_format(formats[j], level) for level in range(len(MATURITY_FILLS) + 1)] for j in range(len(columns))
    ]
    _stream_rows(ws, kinds, data, level_lists, column_formats, first=top + 1)


#: Rows turned into XML at a time (bounds the memory of the cell texts and values).
_ROW_CHUNK = 20_000


@dataclass
class _Text:
    """A text column: its values and where they are present (elsewhere the cell is missing)."""

    series: pd.Series
    present: np.ndarray

    def __len__(self) -> int:
        return len(self.present)

    def values(self, start: int, stop: int) -> list:
        """The cell values of rows ``start:stop``, None where missing."""
        chunk = self.series.iloc[start:stop].to_numpy(dtype=object)
        return np.where(self.present[start:stop], chunk, None).tolist()


def _chunk(values: np.ndarray | _Text, start: int, stop: int) -> list:
    return values.values(start, stop) if isinstance(values, _Text) else values[start:stop].tolist()


def _chunk_cells(values: np.ndarray | _Text, start: int, stop: int) -> list | np.ndarray:
    """A chunk of a column for :func:`_column_cells`: text as a list, numbers as floats."""
    return values.values(start, stop) if isinstance(values, _Text) else np.ascontiguousarray(values[start:stop])


def _stream_rows(ws, kinds: list[str], data: list[np.ndarray | _Text], level_lists: list[np.ndarray | None],
                 column_formats: list[list], first: int = 1) -> None:
    """The data rows (sheet row ``first`` on, 0-based) as sheet XML, column by column, straight into the sheet's row file.

    xlsxwriter's ``write_number``/``write_string`` cost some microseconds a cell, seconds for a
    national workbook; here a cell is one formatted string. The XML is what xlsxwriter's
    constant-memory writer makes of the same cells (inline strings, ``%.16G`` numbers, the same
    escapes, a level-coloured blank for a missing value with a level, nothing for other missing
    values), and formats get their style numbers in the order xlsxwriter gives them (first use,
    row by row), so the file is the same bytes. The last row goes through xlsxwriter's own
    calls (:func:`_write_cells`): it stays pending until the workbook closes, as it would.
    ``data[j]`` is column ``j``'s floats (numbers) or :class:`_Text`; ``column_formats[j][level]``
    its format for a level (0: none), or None.
    """
    if not ws.constant_memory:  # the rows go to the row file of constant-memory mode
        raise ValueError("rows are streamed only in constant_memory mode")
    written = [_written_mask(kinds[j], data[j], level_lists[j]) for j in range(len(kinds))]
    any_cell = np.logical_or.reduce(written) if written else np.zeros(0, dtype=bool)
    if not any_cell.any():  # nothing after the header, which stays pending as xlsxwriter leaves it
        return
    last = int(np.flatnonzero(any_cell)[-1])  # the last row with a cell, written by xlsxwriter
    ws._write_single_row(first)  # the header row (its cells, height and format numbers) out first
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
        xml = _chunk_xml(ws, letters, kinds, data, level_lists, styles, written, start, stop, first)
        if xml is not None:
            ws.fh.flush()
            ws.fh.buffer.write(xml)
            continue
        numbers = [str(i + first + 1) for i in range(start, stop)]
        cells = [
            _column_cells(letters[j], numbers, kinds[j], _chunk_cells(data[j], start, stop),
                          None if level_lists[j] is None else level_lists[j][start:stop], styles[j], ws)
            for j in range(len(kinds))
        ]
        rows = zip(numbers, map("".join, zip(*cells, strict=True)), strict=True)
        write("".join([f'<row r="{r}">{text}</row>' for r, text in rows if text]))
    _write_cells(ws, last + first, kinds, [_chunk(values, last, last + 1)[0] for values in data],
                 [0 if lv is None else int(lv[last]) for lv in level_lists], column_formats)


#: Widest cell (bytes, after its row number) put together by :func:`_chunk_xml`; a chunk with a
#: wider one (a long text) is joined in Python.
_XML_CELL_WIDTH = 1024


def _chunk_xml(ws, letters: list[str], kinds: list[str], data: list, level_lists: list, styles: list[list[str]],
               written: list[np.ndarray], start: int, stop: int, first: int) -> bytes | None:
    """Rows ``start:stop`` as sheet XML bytes, the cells :func:`_column_cells` makes, put together
    with numpy: each cell is a column's ``<c r="B`` (or nothing), the row number (or nothing) and
    the rest of the cell, one of the column's few distinct rests; fields are NUL-padded to their
    widths and the padding dropped (XML text holds no NUL: xlsxwriter escapes control characters).
    None when a chunk has a cell this cannot make (a text column holding other values, a long text).
    """
    n = stop - start
    rows = np.arange(start + first + 1, stop + first + 1).astype("S")
    row_any = np.logical_or.reduce([mask[start:stop] for mask in written])
    fields = [np.array([b"", b'<row r="'])[row_any.view(np.uint8)], np.where(row_any, rows, b""),
              np.array([b"", b'">'])[row_any.view(np.uint8)]]
    for j, kind in enumerate(kinds):
        mask = written[j][start:stop]
        levels = level_lists[j]
        levels = np.zeros(n, dtype=np.intp) if levels is None else levels[start:stop]
        if kind == "number":
            codes, bits = pd.factorize(np.ascontiguousarray(data[j][start:stop]).view(np.int64))
            tails = []
            for v in bits.view(np.float64).tolist():
                if v != v:
                    tails.append("/>")  # written only with a level: a coloured blank
                elif v - v == 0:
                    tails.append(f"><v>{v:.16G}</v></c>")
                else:
                    tails.append(_special_number("", "", v)[len('<c r=""'):])
        else:
            values = data[j].values(start, stop)
            index: dict[str, int] = {}
            tails = ["/>"]  # missing: a coloured blank
            codes = np.empty(n, dtype=np.intp)
            for i, v in enumerate(values):
                if v is None:
                    codes[i] = 0
                    continue
                key = v if v.__class__ is str else (v.__class__, v)  # 1, 1.0 and True are equal keys
                try:
                    k = index.get(key)
                except TypeError:  # an unhashable value
                    return None
                if k is None:
                    if v.__class__ is str:
                        tail = _STRING_TAILS.get(v)
                        if tail is None:
                            tail = _STRING_TAILS[v] = _string_tail(v, ws)
                    else:  # a number or truth value in a text column, as _column_cells writes it
                        tail = _other_cell("", "", _cell_value(v), ws)[len('<c r=""'):]
                    k = index[key] = len(tails)
                    tails.append(tail)
                codes[i] = k
        pairs, which = pd.factorize(levels * len(tails) + codes)
        size = len(tails)
        rests = [f'"{styles[j][p // size]}{tails[p % size]}' for p in which.tolist()]
        if "\x00" in "".join(rests):
            return None
        rests = np.array([*(r.encode() for r in rests), b""])
        if rests.dtype.itemsize > _XML_CELL_WIDTH:  # a long text: padded, every row would hold it
            return None
        fields.append(np.array([b"", f'<c r="{letters[j]}'.encode()])[mask.view(np.uint8)])
        fields.append(np.where(mask, rows, b""))
        fields.append(rests[np.where(mask, pairs, len(rests) - 1)])
    fields.append(np.array([b"", b"</row>"])[row_any.view(np.uint8)])
    row = np.dtype([(f"f{k}", f"V{f.dtype.itemsize}") for k, f in enumerate(fields)])
    cells = np.empty(n, dtype=row)
    for k, f in enumerate(fields):
        cells[f"f{k}"] = f.view(f"V{f.dtype.itemsize}")
    flat = cells.view(np.uint8)
    return flat[flat != 0].tobytes()


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


def _written_mask(kind: str, values: np.ndarray | _Text, levels: np.ndarray | None) -> np.ndarray:
    """Which cells of a column get a cell element: a value, or a missing value with a level."""
    present = values.present if isinstance(values, _Text) else ~np.isnan(values)
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
        for level in np.flatnonzero(np.bincount(keys[mask], minlength=1)):
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
        return _number_cells(letter, numbers, values, levels, style, coloured)
    strings = _STRING_TAILS
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


def _number_cells(letter: str, numbers: list[str], values: np.ndarray, levels: np.ndarray | None,
                  style: list[str], coloured: list[bool]) -> list[str]:
    """The ``<c>`` elements of a number column: each distinct value (bit pattern) formatted once."""
    codes, bits = pd.factorize(values.view(np.int64))
    tails = []
    for v in bits.view(np.float64).tolist():
        if v != v:
            tails.append(None)  # missing: a coloured blank, or no cell
        elif v - v == 0:
            tails.append(f"><v>{v:.16G}</v></c>")
        else:
            tails.append(_special_number("", "", v)[len('<c r=""'):])
    head = f'<c r="{letter}'
    cell_tails = list(map(tails.__getitem__, codes.tolist()))
    if levels is None:
        mid = f'"{style[0] if style else ""}'
        return [f"{head}{r}{mid}{t}" if t is not None else "" for r, t in zip(numbers, cell_tails, strict=True)]
    return [f'{head}{r}"{s}{t}' if t is not None else (f'{head}{r}"{s}/>' if c else "")
            for r, t, s, c in zip(numbers, cell_tails, style, coloured, strict=True)]


#: The inline string cells of the workbook being written, by text (region names recur on every sheet).
_STRING_TAILS: dict[str, str] = {}


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


def _value_words(series: pd.Series, prefix: str, lang: str) -> pd.Series:
    """:func:`_value_word` of every value of a column, once per distinct value."""
    if not pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:  # mixed values: one by one
        return series.map(lambda v: _value_word(prefix, v, lang))
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    words = np.array([*(_value_word(prefix, v, lang) for v in uniques), np.nan], dtype=object)
    return pd.Series(words[codes], index=series.index, dtype=series.dtype)  # code -1 (missing): the last, NaN


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
    """The long score table for people: localised level names, score cells coloured by level.

    Longer than an Excel sheet, it is laid out wide (:data:`SCORES_WIDE`); the workbook says so.
    """
    levels = table["maturity_level"].to_numpy() if "maturity_level" in table.columns else None
    if not _fits(table):  # laid out wide: only its columns (every desa: 6.78 M rows not copied whole)
        frame = table[[c for c in (*SCORES_WIDE.index, SCORES_WIDE.columns, SCORES_WIDE.values)
                       if c in table.columns]]
        return Sheet(frame, {"score": levels} if levels is not None else {}, wide=SCORES_WIDE)
    frame = table.drop(columns=[c for c in ("depth", "maturity_level") if c in table.columns])
    frame["level"] = _value_words(frame["level"], "level:", lang)
    return Sheet(frame, {"score": levels, "maturity": levels} if levels is not None else {},
                 wide=SCORES_WIDE)


#: The long score table laid out wide when longer than an Excel sheet (every desa, every code):
#: a row per cycle and region, a column of scores per code, coloured by maturity level.
SCORES_WIDE = Wide(("cycle", "region"), "code", "score")
#: The comparison laid out wide when longer than a sheet: a row per cycle and region, a column
#: of ranks per code.
COMPARISON_WIDE = Wide(("cycle", "region"), "code", "rank")
#: The readiness matrix laid out wide: a column of scores per dimension and aspect.
READINESS_WIDE = Wide(("cycle", "region"), ("dimension", "aspect"), "score")
#: The gaps laid out wide: a column per code holding the gap to the target, in points.
GAPS_WIDE = Wide(("cycle", "region"), "code", "gap")


def _fits(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` fits one Excel sheet under its header row."""
    return len(frame) <= EXCEL_MAX_ROWS - 1


def comparison_sheet(comparison: pd.DataFrame, full: str | None = None) -> Sheet:
    """The comparison table; longer than a sheet, the ranks laid out wide (:data:`COMPARISON_WIDE`),
    the complete table left to ``full`` (the CSV)."""
    if _fits(comparison):
        return Sheet(comparison)
    frame = comparison[["cycle", "region", "code", "rank"]]
    return Sheet(frame.assign(rank=frame["rank"].astype("Int64")), wide=COMPARISON_WIDE, full=full)


def readiness_sheet(readiness: pd.DataFrame, full: str | None = None) -> Sheet:
    """The readiness matrix; longer than a sheet, its scores laid out wide (:data:`READINESS_WIDE`)."""
    if _fits(readiness):
        return Sheet(readiness)
    return Sheet(readiness[["cycle", "region", "dimension", "aspect", "score"]], wide=READINESS_WIDE, full=full)


def gap_sheet(analysis: GapAnalysis, lang: str = "id", full: str | None = None) -> Sheet:
    """The gaps for people (:func:`~..analysis.gaps.gap_sheet_frame`); longer than a sheet, the gap
    of each code in points laid out wide (:data:`GAPS_WIDE`), the complete table left to ``full``."""
    if _fits(analysis.gaps):
        return Sheet(gap_sheet_frame(analysis, lang))
    return Sheet(analysis.gaps[["cycle", "region", "code", "gap"]], wide=GAPS_WIDE, full=full)


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
