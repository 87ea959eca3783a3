"""Low-level readers: text and spreadsheet cells in, raw tables of strings out.

Everything that touches the bytes of an input file lives here, so that the instrument loader
(:mod:`.framework`) and the answers loader (:mod:`.loading`) read files the same way: CSV in
UTF-8 (with or without BOM) or cp1252, comma, semicolon or tab separated; xlsx/xlsm/xls/ods via
python-calamine (fast, reads cached values); every cell kept as typed so that the loaders can
name the exact cell of a problem.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FileError, Location, column_letter

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TABLE_SUFFIXES = SPREADSHEET_SUFFIXES | {".csv", ".tsv", ".txt"}

#: Cell contents that people type for "no answer".
MISSING_TOKENS = frozenset(
    {"", "-", "--", "–", "—", "n/a", "na", "n.a.", "#n/a", "nan", "none", "null", "tidak ada",
     "tdk ada", "kosong", "belum ada data", "tidak tahu", "?"}
)


@dataclass
class RawSheet:
    """The cells of one sheet (or CSV file) as typed, before any header is known.

    ``rows`` holds every row from the top of the sheet; ``rows[i][j]`` is Excel's cell at row
    ``i + 1`` and column ``j + 1``.
    """

    file: str
    sheet: str | None
    rows: list[list[object]]

    def location(self, row_index: int | None = None, col_index: int | None = None) -> Location:
        """Location of ``rows[row_index][col_index]`` (0-based) in Excel notation."""
        if row_index is not None and col_index is not None:
            return Location(self.file, self.sheet, f"{column_letter(col_index + 1)}{row_index + 1}")
        if row_index is not None:
            return Location(self.file, self.sheet, row=row_index + 1)
        return Location(self.file, self.sheet)


def display_name(path: Path) -> str:
    """The name shown in messages: the file name alone, as users know it."""
    return path.name


def read_text(path: Path) -> str:
    """Decode a text file: UTF-8 (BOM stripped) first, cp1252 as Windows Excel saves it."""
    data = path.read_bytes()
    if not data.strip():
        raise FileError.single("SC105", Location(display_name(path)))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Indonesian Excel) or tab, judged from the first lines."""
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: head.count(d) for d in ",;\t"}
        return max(counts, key=counts.get)


def read_csv_rows(path: Path) -> RawSheet:
    """All cells of a CSV file as strings."""
    text = read_text(path)
    delimiter = sniff_delimiter(text)
    try:  # fast path: a rectangular file
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
        rows = frame.to_numpy(dtype=object).tolist()
    except (pd.errors.ParserError, ValueError):  # ragged rows (metadata lines, stray cells)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
    return RawSheet(display_name(path), None, rows)


def _is_encrypted_office_file(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(8)
    # Password-protected xlsx files are OLE2 compound documents holding an EncryptedPackage.
    if head != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return False
    return b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in path.read_bytes()


def open_workbook(path: Path):
    """Open a spreadsheet with python-calamine, turning every failure into a located message."""
    from python_calamine import CalamineWorkbook

    name = display_name(path)
    if not path.exists():
        raise FileError.single("SC101", Location(name))
    if path.stat().st_size == 0:
        raise FileError.single("SC105", Location(name))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") and _is_encrypted_office_file(path):
        raise FileError.single("SC103", Location(name))
    if suffix in (".xlsx", ".xlsm") and not zipfile.is_zipfile(path):
        raise FileError.single(
            "SC102", Location(name), kind="xlsx", detail="not a valid xlsx (zip) file; it may be truncated"
        )
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several private error types
        raise FileError.single("SC102", Location(name), kind=suffix.lstrip("."), detail=_short(exc)) from None


def visible_sheet_names(workbook) -> list[str]:
    """Sheet names in workbook order, hidden sheets left out."""
    try:
        return [s.name for s in workbook.sheets_metadata if str(s.visible).lower().endswith("visible")]
    except AttributeError:  # older python-calamine
        return list(workbook.sheet_names)


def read_sheet_rows(workbook, path: Path, sheet: str) -> RawSheet:
    """All cells of one sheet, as calamine types them (float, int, str, bool, date)."""
    try:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileError.single(
            "SC102", Location(display_name(path), sheet), kind="sheet", detail=_short(exc)
        ) from None
    return RawSheet(display_name(path), sheet, rows)


def formula_cells_without_values(path: Path, sheet_index: int) -> dict[str, str]:
    """Cells of an xlsx sheet that hold a formula but no cached value: ``{"D5": "=SUM(..)"}``.

    A workbook written by a script (never opened in Excel) has formulas whose results were
    never computed; calamine reads them as empty, which would silently lose answers.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(f"xl/worksheets/sheet{sheet_index + 1}.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    found = {}
    for match in re.finditer(r'<c r="([A-Z]+[0-9]+)"[^>]*>(.*?)</c>', xml, flags=re.S):
        body = match.group(2)
        if "<f" in body and not re.search(r"<v>[^<]+</v>", body):
            formula = re.search(r"<f[^>]*>(.*?)</f>", body, flags=re.S)
            found[match.group(1)] = "=" + (formula.group(1) if formula else "")
    return found


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# --- cell values ------------------------------------------------------------------------


def clean_text(value: object) -> str:
    """A cell as text: stripped, with non-breaking spaces folded; floats that are whole drop '.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).replace("\xa0", " ").strip()


def normalise_code(value: object) -> str:
    """Indicator codes as people type them: case, inner spaces and underscores forgiven."""
    text = clean_text(value).upper()
    text = re.sub(r"\s+", "", text)
    return text.replace("_", "-").replace("–", "-")


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers as people type them, vectorised.

    Returns ``(numbers, bad)``: ``numbers`` is float with NaN for missing cells; ``bad`` marks
    cells that hold something that is neither a number nor a missing-value word. Accepts decimal
    commas (``3,5``), thousands separators (``1.234,5``), spaces, a trailing ``%`` and numbers
    stored as text.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        return numbers, np.zeros(len(values), dtype=bool)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
    numbers[np.isinf(numbers)] = np.nan  # "inf" typed as text is not an answer
    pending = np.isnan(numbers)
    bad = np.zeros(len(values), dtype=bool)
    if not pending.any():
        return numbers, bad
    rest = values[pending]
    # Booleans are not numbers; neither are dates.
    text = rest.map(clean_text).str.lower()
    missing = text.isin(MISSING_TOKENS)
    text = text[~missing]
    fixed = text.str.replace(r"[\s%]", "", regex=True)
    both = fixed.str.contains(".", regex=False) & fixed.str.contains(",", regex=False)
    comma_last = fixed.str.rfind(",") > fixed.str.rfind(".")
    fixed = fixed.where(~(both & comma_last), fixed.str.replace(".", "", regex=False))
    fixed = fixed.where(~(both & ~comma_last), fixed.str.replace(",", "", regex=False))
    fixed = fixed.str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(fixed, errors="coerce")
    # Reject "inf"/"nan" spelled out and anything non-finite.
    parsed = parsed.where(np.isfinite(parsed))
    positions = np.flatnonzero(pending)
    lookup = pd.Series(positions, index=rest.index)
    numbers[lookup[parsed.index].to_numpy()] = parsed.to_numpy(dtype=float)
    failed = parsed.index[parsed.isna()]
    bad[lookup[failed].to_numpy()] = True
    return numbers, bad
