"""Low-level readers: text and spreadsheet cells in, raw tables of strings out.

Everything that touches the bytes of an input file lives here, so that the instrument loader
(:mod:`.framework`) and the answers loader (:mod:`.loading`) read files the same way: CSV in
UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode Text") or cp1252, comma, semicolon or tab
separated; xlsx/xlsm/xlsb/xls/ods via python-calamine (fast, reads cached values); every cell kept
as typed so that the loaders can name the exact cell of a problem.

Files are only ever opened for reading. Whatever a file holds (a truncated download, a web page
saved as .xls, a password, a chart sheet), the outcome is cells or a located
:class:`~.errors.SmartCityError`, never another exception. Formulas are never evaluated and
links to other workbooks never followed: calamine reads the values Excel saved. A file far
bigger than any answer file (a zip bomb, a sheet of a million rows) is refused (SC113) before
its content is loaded, within the limits below.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from ..errors import Bilingual, FileError, Location, column_letter

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TABLE_SUFFIXES = SPREADSHEET_SUFFIXES | {".csv", ".tsv", ".txt"}
#: Spreadsheet formats people send that cannot be read: they get SC104 ("save as .xlsx").
UNREADABLE_SPREADSHEET_SUFFIXES = {".numbers", ".gsheet", ".et", ".ett", ".fods", ".wk1", ".wks"}

#: Limits past which a file is not an answer file (SC113). A filled form is about 100 kB; the
#: national consolidated table (514 regions, 20 respondents, 5 cycles, tidy) is about 160 MB of CSV.
MAX_TEXT_BYTES = 256 * 2**20
MAX_WORKBOOK_BYTES = 128 * 2**20
#: What a zip workbook (xlsx, ods) may unpack to, all parts together.
MAX_UNPACKED_BYTES = 256 * 2**20
#: Rows of one worksheet (Excel's own limit is 1,048,576); bigger tables belong in a CSV.
MAX_SHEET_ROWS = 200_000
MAX_SHEET_CELLS = 20_000_000

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")

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
    #: merged cell ranges as 0-based inclusive ``(first_row, first_col, last_row, last_col)``
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

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


def year_in_path(path: Path) -> int | None:
    """The cycle a file's name or folder names: the one year (20xx) in its name, else in its folder.

    A name with two different years (``rekap_2023-2024.csv``) names no single cycle.
    """
    for part in (path.stem, path.parent.name):
        years = set(_YEAR.findall(part))
        if len(years) == 1:
            return int(years.pop())
        if years:
            return None
    return None


def _read_bytes(path: Path, size: int | None = None) -> bytes:
    """The file's bytes (or its first ``size``), with missing and unreadable files located."""
    name = display_name(path)
    try:
        with path.open("rb") as handle:
            return handle.read() if size is None else handle.read(size)
    except FileNotFoundError:
        raise FileError.single("SC101", Location(name)) from None
    except IsADirectoryError:
        raise FileError.single("SC112", Location(name), detail=Bilingual("ini sebuah folder", "it is a folder")) from None
    except OSError as exc:
        raise FileError.single("SC112", Location(name), detail=exc.strerror or _short(exc)) from None


def _megabytes(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n / 2**10:,.0f} kB"


def check_file_size(path: Path, limit: int) -> None:
    """SC113 for a file bigger than ``limit`` bytes (checked before anything is read)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reported by the reader (SC101 / SC112)
    if size > limit:
        raise FileError.single("SC113", Location(display_name(path)), detail=Bilingual(
            f"berukuran {_megabytes(size)} (batas {_megabytes(limit)})",
            f"it is {_megabytes(size)} (the limit is {_megabytes(limit)})"))


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def check_zip_workbook(path: Path) -> frozenset[str] | None:
    """SC113 for an xlsx/ods whose parts unpack to more than :data:`MAX_UNPACKED_BYTES` or whose
    worksheet holds more than :data:`MAX_SHEET_ROWS` rows: every part is inflated in 1 MB pieces
    and counted (the sizes a zip declares can lie), so memory stays bounded and a zip bomb is
    stopped as soon as it passes the limit.

    Returns the parts that hold a formula or an error cell (what :func:`flagged_cells` looks
    for), or None when the package cannot be read whole (:func:`open_workbook` says why).
    """
    name = display_name(path)

    def refuse(detail: Bilingual) -> None:
        raise FileError.single("SC113", Location(name), detail=detail)

    unpacked = Bilingual(f"isinya mengembang menjadi lebih dari {_megabytes(MAX_UNPACKED_BYTES)} saat dibuka",
                         f"its content unpacks to more than {_megabytes(MAX_UNPACKED_BYTES)}")
    too_long = Bilingual(f"satu lembar berisi lebih dari {MAX_SHEET_ROWS:,} baris".replace(",", "."),
                         f"a sheet holds more than {MAX_SHEET_ROWS:,} rows")
    try:
        data = path.read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a whole zip: open_workbook says so (SC102)
    marked = set()
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            refuse(unpacked)
        total = 0
        for info in infos:
            sheet = info.filename.startswith(("xl/worksheets/", "content.xml"))
            before = total
            try:
                # Row tags are counted on a bound first (each is one "<"); only a sheet whose
                # bound passes the limit is read again with the tags counted exactly. A plain
                # deflated part is inflated straight from the file's bytes; anything else, or
                # anything unexpected on the way, is read through zipfile.
                scanned = _inflate_part(data, info, total)
                total, mark, bound = scanned if scanned else _scan_part(archive, info, total, refuse, unpacked)
                if sheet and bound > MAX_SHEET_ROWS:
                    total, mark = _scan_part_rows(archive, info, before, refuse, unpacked, too_long)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
                return None  # a damaged part: open_workbook reports the file (SC102)
            except zlib.error:
                return None
            if mark:
                marked.add(info.filename)
    return frozenset(marked)


def _has_flag_mark(xml: bytes) -> bool:
    """Whether ``xml`` holds one of :data:`_FLAG_MARKS` (spelled out: this runs on every part)."""
    # Every formula mark holds "f>", "f " or "f/": one fast search rules nearly every part out.
    if _FORMULA_HINT.search(xml) and (b"<f>" in xml or b"<f " in xml or b"<f/>" in xml or b":f>" in xml
                                      or b":f " in xml):
        return True
    return _ERROR_CELL.search(xml) is not None


_LOCAL_HEADER = b"PK\x03\x04"
_FORMULA_HINT = re.compile(rb"f[> /]")
_ERROR_CELL = re.compile(rb't="e"')


def _inflate_part(data: bytes, info: zipfile.ZipInfo, total: int) -> tuple[int, bool, int] | None:
    """:func:`_scan_part` of a deflated, unencrypted part, inflated from the package's bytes in
    1 MB pieces; None when zipfile must read it instead (another method, a header, size or CRC
    that does not check out, or the size limit passed: zipfile then says what happens)."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x61:  # encrypted, patched
        return None
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != _LOCAL_HEADER:
        return None
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    name = data[offset + 30:offset + 30 + name_length].decode("utf-8" if info.flag_bits & 0x800 else "cp437",
                                                             errors="replace")
    start = offset + 30 + name_length + extra_length
    end = start + info.compress_size
    if name != info.orig_filename or end > len(data) or (
            getattr(info, "_end_offset", None) is not None and end > info._end_offset):
        return None
    if info.compress_size <= 16 << 10:  # a small part (nearly all): at most 16 MB inflated, in one go
        try:
            block = zlib.decompress(data[start:end], -15, max(1, min(info.file_size, 1032 * info.compress_size)))
        except zlib.error:
            return None
        if len(block) != info.file_size or total + len(block) > MAX_UNPACKED_BYTES or zlib.crc32(block) != info.CRC:
            return None
        return total + len(block), _has_flag_mark(block), block.count(b"<")
    inflate = zlib.decompressobj(-15)
    pending = memoryview(data)[start:end]
    mark, bound, tail, size, crc = False, 0, b"", 0, 0
    while pending:
        block = inflate.decompress(pending, 1 << 20)
        pending = inflate.unconsumed_tail
        size += len(block)
        if total + size > MAX_UNPACKED_BYTES or size > info.file_size:
            return None
        crc = zlib.crc32(block, crc)
        piece = tail + block
        mark = mark or _has_flag_mark(piece)
        bound += block.count(b"<")
        tail = piece[-16:]
        if inflate.eof:
            break
    if not inflate.eof or size != info.file_size or crc != info.CRC:
        return None
    return total + size, mark, bound


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, refuse, unpacked: Bilingual):
    """Inflate one part a megabyte at a time: ``(block, tail)`` for each block, ``tail`` the
    previous block's last 16 bytes (a mark may straddle two blocks); ``refuse`` is called when
    ``total`` (the bytes inflated before this part) and this part pass :data:`MAX_UNPACKED_BYTES`."""
    tail = b""
    with archive.open(info) as handle:
        while block := handle.read(1 << 20):
            total += len(block)
            if total > MAX_UNPACKED_BYTES:
                refuse(unpacked)
            yield block, tail
            tail = (tail + block)[-16:]


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, refuse, unpacked: Bilingual
               ) -> tuple[int, bool, int]:
    """Inflate one part: ``(bytes so far, holds a flag mark, "<" count: a bound on its row tags)``."""
    mark, bound = False, 0
    for block, tail in _inflated(archive, info, total, refuse, unpacked):
        total += len(block)
        mark = mark or _has_flag_mark(tail + block)
        bound += block.count(b"<")
    return total, mark, bound


def _scan_part_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, refuse, unpacked: Bilingual,
                    too_long: Bilingual) -> tuple[int, bool]:
    """Inflate one worksheet part counting its row tags, stopping at the limits."""
    mark, rows = False, 0
    for block, tail in _inflated(archive, info, total, refuse, unpacked):
        total += len(block)
        piece = tail + block
        mark = mark or _has_flag_mark(piece)
        rows += len(_ROW_TAG.findall(piece)) - len(_ROW_TAG.findall(tail))
        if rows > MAX_SHEET_ROWS:
            refuse(too_long)
    return total, mark


def content_kind(head: bytes) -> str:
    """What the first bytes of a file say it is: ``zip``, ``ole2``, ``pdf``, ``html``, ``xml``,
    ``utf16`` (text with a UTF-16 BOM), ``binary`` or ``text``."""
    if head.startswith(_ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE2_MAGIC):
        return "ole2"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf16"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml"):
        return "html" if b"<html" in text else "xml"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<meta", b"<body")):
        return "html"
    if b"\x00" in head:
        return "binary"
    return "text"


_KIND_WORDS = {
    "zip": "xlsx/ods (zip)", "ole2": "xls (Excel 97-2003)", "pdf": "PDF", "html": "HTML",
    "xml": "XML", "utf16": Bilingual("teks UTF-16", "UTF-16 text"), "binary": Bilingual("biner", "binary"), "text": Bilingual("teks (CSV)", "text (CSV)"),
}


def read_text(path: Path) -> str:
    """Decode a text file: UTF-16 by its BOM, UTF-8 (BOM stripped), else cp1252 as Windows Excel saves it."""
    check_file_size(path, MAX_TEXT_BYTES)
    data = _read_bytes(path)
    name = display_name(path)
    if not data.strip():
        raise FileError.single("SC105", Location(name))
    kind = content_kind(data[:1024])
    if kind == "utf16":
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileError.single("SC102", Location(name), kind="UTF-16", detail=_short(exc)) from None
        if not text.strip():
            raise FileError.single("SC105", Location(name))
        return text.lstrip("\ufeff")
    if kind not in ("text", "html", "xml"):
        raise FileError.single("SC109", Location(name), actual=_KIND_WORDS[kind], suffix=path.suffix or "-")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Indonesian Excel) or tab, judged from the first lines."""
    head = "\n".join(_first_lines(text, 20))
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: head.count(d) for d in ",;\t"}
        return max(counts, key=counts.get)


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines()[:n]`` without splitting the whole of a big file."""
    size = 1 << 16
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > n:  # the first n lines are whole: only the last one may be cut
            return lines[:n]
        size *= 4
    return text.splitlines()[:n]


def read_csv_rows(path: Path) -> RawSheet:
    """All cells of a CSV file as strings."""
    return RawSheet(display_name(path), None, read_csv_cells(path).to_numpy(dtype=object).tolist())


def read_csv_cells(path: Path) -> pd.DataFrame:
    """All cells of a CSV file as one frame of strings (object columns; column ``j`` is the
    file's column ``j + 1``, row ``i`` its row ``i + 1``): :func:`read_csv_rows` without a Python
    list per row, for the answers loader's tables of millions of cells. Cells missing from a
    row shorter than the first are NaN; a ragged file (metadata lines, stray cells) is read row by
    row and padded with empty strings."""
    text = read_text(path)
    delimiter = sniff_delimiter(text)
    # pandas parses UTF-8 bytes: handing it those (not a StringIO, which holds 4 bytes a
    # character) keeps a big table's memory down.
    data = text.encode("utf-8")
    try:  # fast path: a rectangular file
        return pd.read_csv(
            io.BytesIO(data),
            sep=delimiter,
            header=None,
            dtype=object,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
        )
    except (pd.errors.ParserError, ValueError):  # ragged rows (metadata lines, stray cells)
        del data
        try:
            # newline="": a lone CR ends a row (Excel for Mac's "CSV (Macintosh)").
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
            raise FileError.single("SC102", Location(display_name(path)), kind="CSV", detail=_short(exc)) from None
        width = max((len(r) for r in rows), default=0)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _is_encrypted_office_file(data: bytes) -> bool:
    # A password-protected xlsx is an OLE2 compound file holding EncryptionInfo and
    # EncryptedPackage streams (their names are stored in UTF-16 in the directory).
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def file_kind(path: Path) -> str:
    """:func:`content_kind` of a file (SC101 missing, SC105 empty, SC112 unreadable)."""
    head = _read_bytes(path, 2048)
    if not head.strip():
        raise FileError.single("SC105", Location(display_name(path)))
    return content_kind(head)


_SUFFIX_KINDS = {".xlsx": "zip", ".xlsm": "zip", ".xlsb": "zip", ".ods": "zip", ".xls": "ole2"}


def open_workbook(path: Path):
    """Open a spreadsheet with python-calamine, turning every failure into a located message.

    The file's content decides, not its name: a password-protected workbook is SC103 whatever it
    is called, a web page or a PDF saved as ``.xls`` is SC109, a cut-off download SC102, and an
    old .xls renamed to .xlsx (or a workbook saved under a .csv name) is read for what it is.
    """
    return open_workbook_marked(path)[0]


def open_workbook_marked(path: Path):
    """:func:`open_workbook`, and the parts of an xlsx that hold a formula or an error cell
    (None when not known): given to :func:`flagged_cells`, a workbook without any is not
    opened again."""
    from python_calamine import CalamineWorkbook, PasswordError

    name = display_name(path)
    suffix = path.suffix.lower()
    kind = file_kind(path)
    check_file_size(path, MAX_WORKBOOK_BYTES)
    marked = None
    if kind == "zip":
        marked = check_zip_workbook(path)
    if kind == "ole2" and _is_encrypted_office_file(_read_bytes(path)):
        raise FileError.single("SC103", Location(name))
    if kind not in ("zip", "ole2"):
        raise FileError.single("SC109", Location(name), actual=_KIND_WORDS[kind], suffix=suffix or "-")
    try:
        if _SUFFIX_KINDS.get(suffix) == kind:
            return CalamineWorkbook.from_path(str(path)), marked
        return CalamineWorkbook.from_filelike(io.BytesIO(_read_bytes(path))), marked  # sniffs the content
    except PasswordError:
        raise FileError.single("SC103", Location(name)) from None
    except BaseException as exc:  # calamine's private error types, and Rust panics (BaseException)
        _reraise_interrupts(exc)
        if kind == "zip" and not zipfile.is_zipfile(path):
            detail: object = Bilingual("bukan berkas zip yang utuh; mungkin terpotong",
                                       "not a whole zip file; it may be truncated")
        else:
            detail = _short(exc)
        raise FileError.single("SC102", Location(name), kind=suffix.lstrip(".") or kind, detail=detail) from None


def _reraise_interrupts(exc: BaseException) -> None:
    """Let Ctrl-C and interpreter exit through; anything else from calamine is a file problem
    (a malformed file can make its Rust code panic, which Python sees as a BaseException)."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def close_workbook(workbook) -> None:
    """Release a calamine workbook's file handle (a folder may hold thousands of files)."""
    try:
        workbook.close()
    except Exception:  # already closed, or an older python-calamine without close()
        pass


def visible_sheet_names(workbook) -> list[str]:
    """Sheet names in workbook order, hidden sheets left out."""
    try:
        return [s.name for s in workbook.sheets_metadata if str(s.visible).lower().endswith("visible")]
    except AttributeError:  # older python-calamine
        return list(workbook.sheet_names)


def sheet_states(workbook) -> list[tuple[str, bool, bool]]:
    """``(name, visible, is_worksheet)`` of every sheet in workbook order (chart sheets are not)."""
    try:
        return [
            (s.name, str(s.visible).lower().endswith(".visible"), str(s.typ).lower().endswith("worksheet"))
            for s in workbook.sheets_metadata
        ]
    except AttributeError:  # older python-calamine
        return [(name, True, True) for name in workbook.sheet_names]


def read_sheet_rows(workbook, path: Path, sheet: str) -> RawSheet:
    """All cells of one sheet, as calamine types them (float, int, str, bool, date), and its merges."""
    try:
        data = workbook.get_sheet_by_name(sheet)
        if data.height > MAX_SHEET_ROWS or data.height * data.width > MAX_SHEET_CELLS:
            raise FileError.single("SC113", Location(display_name(path), sheet), detail=Bilingual(
                f"lembar ini berisi {data.height:,} baris x {data.width:,} kolom".replace(",", "."),
                f"the sheet holds {data.height:,} rows x {data.width:,} columns"))
        rows = data.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (data.merged_cell_ranges or [])]
    except FileError:
        raise
    except BaseException as exc:  # see open_workbook
        _reraise_interrupts(exc)
        raise FileError.single(
            "SC102", Location(display_name(path), sheet), kind="sheet", detail=_short(exc)
        ) from None
    return RawSheet(display_name(path), sheet, rows, merged)


@dataclass
class CellFlags:
    """Cells of an xlsx sheet whose shown value calamine cannot give: ``{"D5": "=SUM(..)"}``."""

    formulas: dict[str, str] = field(default_factory=dict)  # formula with no saved value
    errors: dict[str, str] = field(default_factory=dict)  # an Excel error such as #DIV/0!


# Byte patterns that a sheet holding a formula or an error cell must contain (any namespace prefix).
_FLAG_MARKS = (b"<f>", b"<f ", b"<f/>", b":f>", b":f ", b't="e"')  # also spelled out in _has_flag_mark


def flagged_cells(path: Path, sheets: list[str], marked_parts: frozenset[str] | None = None
                  ) -> dict[str, CellFlags]:
    """Formulas without saved values and Excel error cells of some sheets of an xlsx/xlsm file.

    A workbook written by a script (never opened in Excel) has formulas whose results were never
    computed, and a formula can end in an error (``#DIV/0!``); calamine reads both as empty
    cells, which would silently lose answers. Sheets are found by name through the workbook's
    relationships, so renamed and reordered sheets are read right. Anything unexpected in the
    package gives empty flags: this check only ever adds problems. ``marked_parts``, from
    :func:`open_workbook_marked`: a package none of whose parts holds a mark has nothing to flag.
    """
    out = {sheet: CellFlags() for sheet in sheets}
    if marked_parts is not None and not marked_parts:
        return out
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            for sheet in sheets:
                part = parts.get(sheet)
                xml = archive.read(part) if part else b""
                if any(mark in xml for mark in _FLAG_MARKS):
                    _scan_cells(xml, out[sheet])
    except (KeyError, zipfile.BadZipFile, OSError, ElementTree.ParseError, ValueError, RuntimeError):
        pass
    return out


def formula_cells_without_values(path: Path, sheet: str | int) -> dict[str, str]:
    """Cells of an xlsx sheet (by name, or by position in the workbook) with a formula but no saved value."""
    if isinstance(sheet, int):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [name for name, _ in _workbook_sheets(archive)]
        except (KeyError, zipfile.BadZipFile, OSError, ElementTree.ParseError):
            return {}
        if not 0 <= sheet < len(names):
            return {}
        sheet = names[sheet]
    return flagged_cells(path, [sheet])[sheet].formulas


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element, local_name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == local_name:
            return value
    return None


def _workbook_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str | None]]:
    """``(sheet name, relationship id)`` in workbook order (transitional or strict OOXML)."""
    root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    return [(el.get("name", ""), _attr(el, "id")) for el in root.iter() if _local(el.tag) == "sheet"]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package (``xl/worksheets/sheet3.xml``)."""
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {el.get("Id"): el.get("Target") or "" for el in rels.iter()}
    out = {}
    for name, rid in _workbook_sheets(archive):
        target = targets.get(rid)
        if not target:
            continue
        if target.startswith("/"):
            out[name] = target.lstrip("/")
            continue
        parts: list[str] = ["xl"]
        for piece in target.split("/"):
            if piece == "..":
                parts = parts[:-1]
            elif piece and piece != ".":
                parts.append(piece)
        out[name] = "/".join(parts)
    return out


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def _scan_cells(xml: bytes, flags: CellFlags) -> None:
    row, col = 0, 0
    for event, el in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = _local(el.tag)
        if event == "start":
            if tag == "row":
                row = int(el.get("r") or row + 1)
                col = 0
            continue
        if tag == "c":
            ref = el.get("r")
            if ref:
                match = re.match(r"([A-Z]+)(\d+)$", ref)
                if match:
                    col, row = _column_index(match.group(1)), int(match.group(2))
            else:
                col += 1
                ref = f"{column_letter(col)}{row}"
            children = {_local(child.tag): child for child in el}
            formula, value, kind = children.get("f"), children.get("v"), el.get("t")
            if kind == "e":
                error = (value.text or "#?") if value is not None else "#?"
                if error.upper() != "#N/A":  # #N/A typed in Excel means "not applicable": a blank
                    flags.errors[ref] = error
            elif formula is not None and (value is None or (not value.text and kind != "str")):
                flags.formulas[ref] = "=" + (formula.text or "...")
            el.clear()
        elif tag == "row":
            el.clear()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# --- cell values ------------------------------------------------------------------------


def clean_text(value: object) -> str:
    """A cell as text: stripped, non-breaking spaces folded, zero-width spaces dropped; floats
    that are whole drop '.0'. Every other character (any script) is kept as typed."""
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if np.isinf(value):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(value)
    # Chained replace is faster than str.translate when, as nearly always, nothing matches.
    return str(value).replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "").strip()


# Columns of one kind of cell can be cleaned once per distinct value ("mixed" ones cannot:
# factorizing would merge True, 1 and 1.0, whose texts differ).
_FACTORIZABLE = {"string", "empty", "floating", "integer", "mixed-integer-float", "boolean", "decimal"}


def clean_texts(values: pd.Series) -> pd.Series:
    """:func:`clean_text` over a column (object dtype, same index), once per distinct value
    when the column holds one kind of cell (a CSV column, a column of numbers)."""
    if len(values) and pd.api.types.infer_dtype(values, skipna=True) in _FACTORIZABLE:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        cleaned = np.array([clean_text(u) for u in uniques] + [""], dtype=object)
        return pd.Series(cleaned[codes], index=values.index, dtype=object)
    return values.map(clean_text).astype(object)


_CODE_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015\u2212]+")


def normalise_code(value: object) -> str:
    """An indicator code as people type it, to a key: upper case, and every run of spaces,
    hyphens, underscores or dashes between parts one hyphen.

    ``"sg-sv-01"``, ``" SG-SV-01 "``, ``"SG - SV - 01"``, ``"SG SV 01"``, ``"SG_SV_01"`` and
    ``"SG–SV–01"`` all give ``"SG-SV-01"``; parts run together (``"SGSV01"``) stay apart.
    """
    return _CODE_SEPARATORS.sub("-", clean_text(value).upper())


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
    if len(values) > 64 and pd.api.types.infer_dtype(values, skipna=True) in _FACTORIZABLE:
        # A column of one kind of cell holds few distinct ones ("3,5", "4", "-"): parse each once.
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        numbers, bad = _parse_cells(pd.Series(uniques, dtype=object))
        return np.append(numbers, np.nan)[codes], np.append(bad, False)[codes]
    return _parse_cells(values)


def _parse_cells(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    objects = values.to_numpy(dtype=object)
    # TRUE/FALSE cells are not numbers (pandas would read them as 1 and 0); neither are dates.
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        not_numbers = np.zeros(len(objects), dtype=bool)
    else:
        not_numbers = np.fromiter(
            (isinstance(v, (bool, np.bool_, complex)) for v in objects), dtype=bool, count=len(objects)
        )
        objects = np.where(not_numbers, None, objects)
    numbers = pd.to_numeric(
        pd.Series(objects, index=values.index, dtype=object), errors="coerce"
    ).to_numpy(dtype=float, na_value=np.nan).copy()
    numbers[np.isinf(numbers)] = np.nan  # "inf" typed as text is not an answer
    pending = np.isnan(numbers)
    bad = np.zeros(len(values), dtype=bool)
    if not pending.any():
        return numbers, bad
    # Typed text is parsed once per distinct spelling (a column holds few: "3,5", "4", "-").
    text = clean_texts(values[pending]).str.lower()
    codes, uniques = pd.factorize(text)
    parsed, failed = _parse_typed_numbers(pd.Series(uniques, dtype=object))
    positions = np.flatnonzero(pending)
    numbers[positions] = parsed[codes]
    bad[positions] = failed[codes]
    return numbers, bad


def _parse_typed_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Cleaned, lower-case texts to ``(numbers, bad)``; missing-value words are NaN, not bad."""
    missing = text.isin(MISSING_TOKENS).to_numpy()
    fixed = text.str.replace(r"[\s%]", "", regex=True)
    both = fixed.str.contains(".", regex=False) & fixed.str.contains(",", regex=False)
    comma_last = fixed.str.rfind(",") > fixed.str.rfind(".")
    fixed = fixed.where(~(both & comma_last), fixed.str.replace(".", "", regex=False))
    fixed = fixed.where(~(both & ~comma_last), fixed.str.replace(",", "", regex=False))
    fixed = fixed.str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(fixed, errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
    parsed[~np.isfinite(parsed)] = np.nan  # "inf"/"nan" spelled out are not answers
    parsed[missing] = np.nan
    return parsed, np.isnan(parsed) & ~missing
