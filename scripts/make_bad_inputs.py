"""Make ``tests/corpus/``: small broken and awkward answer files, each with what it must give.

Regional offices send spreadsheets edited by hand in Excel, LibreOffice and Google Sheets. Each
file here imitates one thing they do (a truncated download, a password, an old .xls, a CSV from
Indonesian Excel, merged header cells, formulas never computed, hidden sheets, codes and region
names typed their own way, names in Javanese script...). ``tests/test_corpus.py`` loads every case
and checks the outcome written beside it:

``cases.csv``
    ``case, path, outcome, problems, notes, description``. ``outcome`` is ``loads`` or ``fails``.
    ``problems`` lists, for a failing case, every problem as ``CODE|file|sheet|cell`` joined by
    `` ; `` (the cell may be ``row N``); ``notes`` the codes of the notes (skipped files and
    sheets), space separated.
``expected/<case>.csv``
    For a case that loads: every answer it must give (``cycle, region, respondent, indicator,
    value, evidence, source_sheet, source_cell``), written from what this script put in the file,
    not from what the loader reads.

Every file is made here, from a fixed seed, with fixed zip timestamps, so a run gives the same
bytes every time (old .xls, .ods and the password-protected workbook are written byte by byte:
no extra library is needed). Usage: ``python scripts/make_bad_inputs.py [OUT_DIR]`` (default
``tests/corpus``); the folder is emptied first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import openpyxl
from openpyxl.chart import BarChart, Reference

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "scripts"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from make_sample_data import FIXED_TIME, save_reproducibly  # noqa: E402

from smartcity_analysis.errors import column_letter  # noqa: E402
from smartcity_analysis.input.framework import default_framework  # noqa: E402
from smartcity_analysis.input.template import META_SHEET, write_template  # noqa: E402

SEED = 8080
FW = default_framework()
CODES = FW.indicators
OUT = ROOT / "tests" / "corpus"

#: Names in scripts other than Latin: Jawi/Pegon (Arabic script, used for Malay and Javanese),
#: Chinese, Javanese and Balinese script; one has a zero-width non-joiner that must survive.
NON_LATIN_REGIONS = ("ڤکالوڠن", "北加浪岸县", "ꦥꦏꦭꦺꦴꦔꦤ꧀", "ᬕ᭄ᬬᬦ᭄ᬬᬃ")
#: What those names are in the register: a name in a script without Latin letters cannot be
#: checked against it, so it comes with its Kemendagri code, which decides.
NON_LATIN_UNITS = (("33.26", "Kabupaten Pekalongan"), ("33.26", "Kabupaten Pekalongan"),
                   ("33.75", "Kota Pekalongan"), ("51.04", "Kabupaten Gianyar"))
NON_LATIN_RESPONDENTS = ("دينس کومينفو", "通信与信息局", "ꦢꦶꦤꦱ꧀ꦏꦺꦴꦩꦶꦤ꧀ꦥ꦳ꦺꦴ", "اداره‌ی ارتباطات")


# --- what a case is --------------------------------------------------------------------------


@dataclass
class Answer:
    """One answer as it must load; ``typed`` says how a cell was typed when it differs."""

    region: str
    indicator: str
    value: float | None
    respondent: str | None = None
    cycle: int | None = None
    evidence: str | None = None
    typed: dict[str, object] = field(default_factory=dict)
    where: tuple[str, str] = ("", "")  # (sheet, cell) of the value, filled in by the writers
    region_code: str | None = None  # as typed in a Kode Wilayah column

    def cell(self, key: str) -> object:
        return self.typed[key] if key in self.typed else getattr(self, key, None)


@dataclass
class Case:
    name: str
    path: str  # relative to the corpus folder
    description: str
    answers: list[Answer] | None = None  # loads
    problems: list[tuple[str, str, str, str]] | None = None  # fails: (code, file, sheet, cell)
    notes: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return "loads" if self.problems is None else "fails"


def case(function: Callable[[Path, np.random.Generator], Case | list[Case]]):
    """Register a case maker; makers run in the order they are written."""
    MAKERS.append(function)
    return function


MAKERS: list[Callable] = []


# --- grids: answers laid out as rows of cells ----------------------------------------------------

LABELS_ID = {"cycle": "Tahun", "region": "Daerah", "respondent": "Responden", "indicator": "Kode Indikator",
             "value": "Nilai", "evidence": "Bukti dukung", "region_code": "Kode Wilayah",
             "kecamatan": "Kecamatan", "desa": "Desa", "province": "Provinsi"}


def tidy_grid(answers: list[Answer], columns: list[str], *, above: list[list] | None = None,
              labels: dict[str, str] | None = None, sheet: str = "") -> list[list]:
    """A long table: rows above the header, the header, one row per answer; records where each
    value lands."""
    labels = {**LABELS_ID, **(labels or {})}
    rows = [list(r) for r in (above or [])]
    rows.append([labels[c] for c in columns])
    for a in answers:
        rows.append([a.cell(c) for c in columns])
        a.where = (sheet, f"{column_letter(columns.index('value') + 1)}{len(rows)}")
    return rows


def wide_grid(answers: list[Answer], id_columns: list[str], codes: list[str], *,
              code_labels: dict[str, str] | None = None, above: list[list] | None = None,
              sheet: str = "") -> list[list]:
    """A wide table: one row per (region, respondent, cycle), one column per indicator."""
    rows = [list(r) for r in (above or [])]
    rows.append([LABELS_ID[c] for c in id_columns] + [(code_labels or {}).get(c, c) for c in codes])
    units: dict[tuple, int] = {}
    for a in answers:
        key = tuple(a.cell(c) for c in id_columns)
        if key not in units:
            rows.append(list(key) + [None] * len(codes))
            units[key] = len(rows)
        j = len(id_columns) + codes.index(a.indicator)
        rows[units[key] - 1][j] = a.cell("value")
        a.where = (sheet, f"{column_letter(j + 1)}{units[key]}")
    return rows


# --- writers -------------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8",
              bom: bool = False, line_end: str = "\r\n") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buffer.getvalue()
    data = text.encode(encoding)
    if bom and encoding.lower().startswith("utf-8"):
        data = b"\xef\xbb\xbf" + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def new_workbook(sheets: dict[str, list[list]]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    return wb


def save_xlsx(wb: openpyxl.Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    save_reproducibly(wb, path)


def zip_bytes(entries: list[tuple[str, bytes | str, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def reorder_package_sheets(path: Path, order: list[str]) -> None:
    """Reorder the sheets of a saved xlsx in ``xl/workbook.xml`` only, as Excel does when a user
    drags sheet tabs: the parts keep their names (``sheet1.xml`` is no longer the first tab)."""
    with zipfile.ZipFile(path) as archive:
        items = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    out = []
    for name, data in items:
        if name == "xl/workbook.xml":
            text = data.decode()
            sheets = re.findall(r"<sheet [^>]*/>", text)
            by_name = {re.search(r'name="([^"]*)"', s).group(1): s for s in sheets}
            block = "".join(by_name[n] for n in order)
            text = re.sub(r"<sheets>.*</sheets>", f"<sheets>{block}</sheets>", text, flags=re.S)
            data = text.encode()
        out.append((name, data, zipfile.ZIP_DEFLATED))
    path.write_bytes(zip_bytes(out))


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves, reduced to what is read)."""
    tables = []
    for title, rows in sheets.items():
        out = [f"<table:table table:name={quoteattr(title)}>"]
        for row in rows:
            out.append("<table:table-row>")
            for v in row:
                if v is None or v == "":
                    out.append("<table:table-cell/>")
                elif isinstance(v, str):
                    out.append('<table:table-cell office:value-type="string">'
                               f"<text:p>{escape(v)}</text:p></table:table-cell>")
                else:
                    shown = str(v).replace(".", ",")
                    out.append(f'<table:table-cell office:value-type="float" office:value="{float(v)!r}">'
                               f"<text:p>{shown}</text:p></table:table-cell>")
            out.append("</table:table-row>")
        out.append("</table:table>")
        tables.append("".join(out))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return zip_bytes([
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
        ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED),
        ("content.xml", content, zipfile.ZIP_DEFLATED),
    ])


# OLE2 compound file (what .xls and password-protected Office files are) -----------------------

_SECTOR = 512
_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding ``streams``.

    Streams are padded to 4096 bytes so that none goes to the mini stream, which keeps this
    writer short; readers follow the sizes recorded in the directory.
    """
    names = list(streams)
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    sizes = [len(d) for d in datas]
    stream_secs = [(len(d) + _SECTOR - 1) // _SECTOR for d in datas]
    dir_secs = ((1 + len(names)) * 128 + _SECTOR - 1) // _SECTOR
    n_fat = 1
    while n_fat + dir_secs + sum(stream_secs) > n_fat * 128:
        n_fat += 1
    fat = [_FATSECT] * n_fat
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_secs - 1)] + [_END]
    starts = []
    for secs in stream_secs:
        starts.append(len(fat))
        fat += [starts[-1] + i + 1 for i in range(secs - 1)] + [_END]
    fat += [_FREE] * (n_fat * 128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, 4096, _END, 0, _END, 0)
    header += struct.pack("<109I", *(list(range(n_fat)) + [_FREE] * (109 - n_fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", _FREE, right, child) + b"\0" * 36 + struct.pack("<IQ", start, size))

    # Siblings as a chain in the compound file's order (shorter names first, then upper case).
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    entries = [b""] * len(names)
    for pos, i in enumerate(order):
        right = order[pos + 1] + 1 if pos + 1 < len(order) else _FREE
        entries[i] = entry(names[i], 2, _FREE, right, starts[i], sizes[i])
    root = entry("Root Entry", 5, order[0] + 1, _FREE, _END, 0)
    unused = (b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _FREE, _FREE, _FREE)
              + b"\0" * 36 + struct.pack("<IQ", 0, 0))
    directory = root + b"".join(entries)
    directory += unused * ((dir_secs * _SECTOR - len(directory)) // 128)
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    for d, secs in zip(datas, stream_secs, strict=True):
        body += d.ljust(secs * _SECTOR, b"\0")
    return header + body


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff8_workbook(sheets: list[tuple[str, list[list], bool]]) -> bytes:
    """An Excel 97-2003 (.xls) workbook: BIFF8 records in an OLE2 ``Workbook`` stream.

    ``sheets`` holds ``(name, rows, hidden)``; cells are text (shared strings) or numbers.
    """
    strings: list[str] = []
    index: dict[str, int] = {}
    for _, rows, _ in sheets:
        for row in rows:
            for v in row:
                if isinstance(v, str) and v and v not in index:
                    index[v] = len(strings)
                    strings.append(v)

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0x41, 0x06))

    bodies = []
    for _, rows, _ in sheets:
        body = bof(0x0010)
        width = max((len(r) for r in rows), default=0)
        body += _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))  # DIMENSIONS
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    body += _record(0x00FD, struct.pack("<HHHI", r, c, 15, index[v]))  # LABELSST
                else:
                    body += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(v)))  # NUMBER
        bodies.append(body + _record(0x000A))
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings)

    def globals_part(offsets: list[int]) -> bytes:
        part = bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
        for (name, _, hidden), offset in zip(sheets, offsets, strict=True):
            part += _record(0x0085, struct.pack("<IBBBB", offset, 1 if hidden else 0, 0, len(name), 1)
                            + name.encode("utf-16-le"))  # BOUNDSHEET8
        return part + _record(0x00FC, sst) + _record(0x000A)

    size = len(globals_part([0] * len(sheets)))
    offsets = []
    for body in bodies:
        offsets.append(size)
        size += len(body)
    return compound_file({"Workbook": globals_part(offsets) + b"".join(bodies)})


def encrypted_office_file(rng: np.random.Generator) -> bytes:
    """What Excel writes for a workbook with a password to open: an OLE2 file whose
    ``EncryptedPackage`` stream holds the encrypted xlsx (here: random bytes)."""
    info = (b"\x04\x00\x04\x00\x40\x00\x00\x00"
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
            b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
            b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/>'
            b"</encryption>")
    package = struct.pack("<Q", 6000) + rng.bytes(6016)
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": package})


# --- template helpers ------------------------------------------------------------------------


def form_cells(wb: openpyxl.Workbook) -> dict[str, tuple[str, int, int, int]]:
    """``{code: (sheet, row, value column, evidence column)}`` of a form opened with openpyxl."""
    out = {}
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        for r in range(1, 40):
            labels = [c.value for c in ws[r]]
            if "Kode" in labels and "Nilai" in labels:
                code_j, value_j = labels.index("Kode") + 1, labels.index("Nilai") + 1
                evidence_j = labels.index("Bukti dukung") + 1
                for row in range(r + 1, ws.max_row + 1):
                    code = ws.cell(row, code_j).value
                    if code:
                        out[code] = (ws.title, row, value_j, evidence_j)
                break
    return out


def filled_form(path: Path, rng: np.random.Generator, *, region: str, cycle: int,
                respondent: str | None = None, evidence: dict[str, str] | None = None,
                ) -> tuple[openpyxl.Workbook, list[Answer]]:
    """A form with every Nilai filled (1-5); returns the open workbook to be spoiled and saved."""
    write_template(path, region, cycle, FW, respondent=respondent)
    wb = openpyxl.load_workbook(path)
    cells = form_cells(wb)
    answers = []
    for code in CODES:
        sheet, row, value_j, evidence_j = cells[code]
        value = int(rng.integers(1, 6))
        wb[sheet].cell(row, value_j, value)
        note = (evidence or {}).get(code)
        if note:
            wb[sheet].cell(row, evidence_j, note)
        answers.append(Answer(region, code, float(value), respondent, cycle, note,
                              where=(sheet, f"{column_letter(value_j)}{row}")))
    return wb, answers


def spoil_values(answers: list[Answer], codes: list[str], value: float | None = None) -> None:
    for a in answers:
        if a.indicator in codes:
            a.value = value


# --- the cases -------------------------------------------------------------------------------


def small_answers(rng: np.random.Generator, region: str = "Kota Solok", n: int = 6, *,
                  respondent: str | None = "Bappeda", cycle: int | None = 2024,
                  codes: list[str] | None = None) -> list[Answer]:
    codes = codes or list(CODES[:n])
    return [Answer(region, c, float(rng.integers(1, 6)), respondent, cycle) for c in codes]


@case
def files_that_cannot_open(out: Path, rng: np.random.Generator) -> list[Case]:
    good = new_workbook({"Data": tidy_grid(small_answers(rng), ["region", "indicator", "value"])})
    save_xlsx(good, out / "truncated.xlsx")
    whole = (out / "truncated.xlsx").read_bytes()
    (out / "truncated.xlsx").write_bytes(whole[: len(whole) * 55 // 100])
    (out / "not_a_zip.xlsx").write_bytes(b"\x00\x01" + rng.bytes(3000))
    (out / "password.xlsx").write_bytes(encrypted_office_file(rng))
    (out / "password_named.xls").write_bytes(encrypted_office_file(rng))
    (out / "web_page_saved_as.xls").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Rekap</title></head><body><table>"
        "<tr><td>Daerah</td><td>Kode Indikator</td><td>Nilai</td></tr>"
        "<tr><td>Kota Solok</td><td>SG-SV-01</td><td>3</td></tr></table></body></html>\n",
        encoding="utf-8")
    (out / "scan.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (out / "numbers_export.numbers").write_bytes(zip_bytes([("Index/Document.iwa", b"\x00" * 64, 8)]))
    (out / "google_drive_link.gsheet").write_text('{"url": "https://docs.google.com/spreadsheets/d/x", '
                                                  '"doc_id": "x"}', encoding="utf-8")
    (out / "empty.csv").write_bytes(b"")
    (out / "empty.xlsx").write_bytes(b"")
    (out / "blank_lines.csv").write_bytes(b"\r\n  \r\n\r\n")
    (out / "binary_named.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.bytes(200))
    return [
        Case("truncated_xlsx", "truncated.xlsx", "an xlsx cut off in a download (45 % missing)",
             problems=[("SC102", "truncated.xlsx", "", "")]),
        Case("not_a_zip_xlsx", "not_a_zip.xlsx", "random bytes with an .xlsx name",
             problems=[("SC109", "not_a_zip.xlsx", "", "")]),
        Case("password_xlsx", "password.xlsx", "a workbook with a password to open (OLE2 + EncryptedPackage)",
             problems=[("SC103", "password.xlsx", "", "")]),
        Case("password_named_xls", "password_named.xls", "the same, saved with an .xls name",
             problems=[("SC103", "password_named.xls", "", "")]),
        Case("html_as_xls", "web_page_saved_as.xls", "a web application's 'Excel export' that is an HTML page",
             problems=[("SC109", "web_page_saved_as.xls", "", "")]),
        Case("pdf_as_xlsx", "scan.xlsx", "a PDF renamed to .xlsx",
             problems=[("SC109", "scan.xlsx", "", "")]),
        Case("numbers_file", "numbers_export.numbers", "an Apple Numbers file",
             problems=[("SC104", "numbers_export.numbers", "", "")]),
        Case("gsheet_link", "google_drive_link.gsheet", "a Google Drive shortcut instead of the sheet",
             problems=[("SC104", "google_drive_link.gsheet", "", "")]),
        Case("empty_csv", "empty.csv", "0 bytes", problems=[("SC105", "empty.csv", "", "")]),
        Case("empty_xlsx", "empty.xlsx", "0 bytes", problems=[("SC105", "empty.xlsx", "", "")]),
        Case("blank_lines_csv", "blank_lines.csv", "only blank lines", problems=[("SC105", "blank_lines.csv", "", "")]),
        Case("binary_as_csv", "binary_named.csv", "a picture with a .csv name",
             problems=[("SC109", "binary_named.csv", "", "")]),
    ]


@case
def other_formats(out: Path, rng: np.random.Generator) -> list[Case]:
    xls_answers = small_answers(rng, "Kabupaten Bangli", 5, respondent="Diskominfo")
    xls_answers[1].value = 3.5
    xls_answers[4].respondent = NON_LATIN_REGIONS[3]  # a name in Balinese script
    rows = tidy_grid(xls_answers, ["region", "respondent", "indicator", "value"],
                     above=[["Rekap penilaian kesiapan smart city"], []], sheet="Rekap")
    old = [["Daerah", "Kode Indikator", "Nilai"], ["Kabupaten Bangli", CODES[0], 1.0]]
    (out / "old_excel_2024.xls").write_bytes(biff8_workbook([("Rekap", rows, False), ("Lama", old, True)]))

    ods_answers = small_answers(rng, "Kota Banjar", 6, respondent="Bappeda")
    ods_answers[2].value, ods_answers[3].value = 2.5, None
    rows = tidy_grid(ods_answers, ["cycle", "region", "respondent", "indicator", "value"],
                     above=[["Formulir dari LibreOffice"]], sheet="Lembar1")
    (out / "libreoffice.ods").write_bytes(ods_bytes({"Lembar1": rows}))

    renamed = small_answers(rng, "Kota Parepare", 3, respondent="Bappeda")
    (out / "old_excel_renamed_2024.xlsx").write_bytes(biff8_workbook([
        ("Data", tidy_grid(renamed, ["region", "respondent", "indicator", "value"], sheet="Data"), False)]))

    as_csv = small_answers(rng, "Kota Solok", 3, respondent="Bappeda")
    wb = new_workbook({"Data": tidy_grid(as_csv, ["region", "respondent", "indicator", "value"], sheet="Data")})
    save_xlsx(wb, out / "workbook_saved_as_2024.csv")
    return [
        Case("old_xls", "old_excel_2024.xls",
             "Excel 97-2003 .xls: title rows, a decimal, Balinese script in a name, a hidden older sheet (ignored)",
             answers=xls_answers, notes=["SC111"]),
        Case("ods", "libreoffice.ods", "LibreOffice .ods with a title row, a half point and a blank",
             answers=ods_answers),
        Case("xls_renamed_xlsx", "old_excel_renamed_2024.xlsx", "an old .xls renamed to .xlsx: read for what it is",
             answers=renamed),
        Case("xlsx_named_csv", "workbook_saved_as_2024.csv", "an xlsx saved under a .csv name: read for what it is",
             answers=as_csv),
    ]


@case
def csv_dialects(out: Path, rng: np.random.Generator) -> list[Case]:
    cp = small_answers(rng, "Kabupaten Gianyar", 5, respondent="Dinas Pariwisata")
    cp[0].typed["value"], cp[0].value = "3,5", 3.5
    cp[1].typed["value"], cp[1].value = " 4 ", 4.0
    cp[2].evidence = "Perbup No. 7/2023 – café digital"  # en dash and é exist in cp1252
    cp[3].typed["value"], cp[3].value = "tidak ada", None
    cp[4].typed["value"], cp[4].value = "4,5", 4.5
    rows = tidy_grid(cp, ["region", "respondent", "indicator", "value", "evidence"])
    write_csv(out / "excel_indonesia_cp1252_2024.csv", rows, delimiter=";", encoding="cp1252")

    bom = small_answers(rng, "Kabupaten Purbalingga", 5, respondent="Bappeda")
    bom[0].typed["value"], bom[0].value = "2,5", 2.5
    bom[1].typed["value"], bom[1].value = "-", None
    rows = tidy_grid(bom, ["cycle", "region", "respondent", "indicator", "value"],
                     above=[["Diunduh dari Google Sheets"], [""]])
    write_csv(out / "google_sheets_utf8_bom.csv", rows, delimiter=";", bom=True)

    mac = small_answers(rng, "Kota Parepare", 3, respondent="Bappeda")
    mac[0].typed["value"], mac[0].value = "3,5", 3.5
    rows = tidy_grid(mac, ["region", "respondent", "indicator", "value"], above=[["Rekap Kota Parepare"]])
    write_csv(out / "excel_mac_cr_2024.csv", rows, delimiter=";", encoding="cp1252", line_end="\r")

    utf16 = small_answers(rng, "Kabupaten Pekalongan", 4, respondent=NON_LATIN_RESPONDENTS[1])
    for a in utf16:
        a.typed["region"], a.region_code = NON_LATIN_REGIONS[1], "3326"
    rows = tidy_grid(utf16, ["cycle", "region_code", "region", "respondent", "indicator", "value"])
    text = "\r\n".join("\t".join("" if v is None else str(v) for v in r) for r in rows) + "\r\n"
    (out / "excel_unicode_text.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return [
        Case("csv_cp1252_semicolon", "excel_indonesia_cp1252_2024.csv",
             "Indonesian Excel's CSV: cp1252, semicolons, decimal commas, 'tidak ada', an en dash",
             answers=cp),
        Case("csv_utf8_bom_semicolon", "google_sheets_utf8_bom.csv",
             "UTF-8 with BOM, semicolons, decimal comma, '-' for no answer, rows above the header",
             answers=bom),
        Case("csv_mac_cr", "excel_mac_cr_2024.csv",
             "Excel for Mac's 'CSV (Macintosh)': lines ended by a lone CR, a title row, semicolons",
             answers=mac),
        Case("utf16_tab_text", "excel_unicode_text.txt",
             "Excel's 'Unicode Text': UTF-16, tabs, Chinese names, the region by its code (3326)",
             answers=utf16),
    ]


@case
def merged_cells(out: Path, rng: np.random.Generator) -> list[Case]:
    answers = small_answers(rng, "Kabupaten Serang", 5, respondent="Bappeda")
    answers[4].evidence = "SK Bupati 12/2024"
    rows = [["Rekap jawaban Kabupaten Serang 2024", None, None, None, None], [None] * 5,
            ["Daerah", "Responden", "Kode Indikator", "Jawaban", None],
            [None, None, None, "Nilai", "Bukti dukung"]]
    for i, a in enumerate(answers):
        rows.append([a.region if i == 0 else None, a.respondent if i == 0 else None, a.indicator, a.value,
                     a.evidence])
        a.where = ("Data", f"D{len(rows)}")
    wb = new_workbook({"Data": rows})
    ws = wb["Data"]
    for rng_ in ("A1:E1", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "A5:A9", "B5:B9"):
        ws.merge_cells(rng_)
    save_xlsx(wb, out / "merged_header_2024.xlsx")

    wide = small_answers(rng, "Kabupaten Tanah Bumbu", 6, respondent="Diskominfo")
    wide += small_answers(rng, "Kabupaten Tanah Bumbu", 6, respondent="Bappeda")
    codes = list(CODES[:6])
    rows = [["Daerah", "Responden", "Smart Governance"] + [None] * 5,
            [None, None, "Layanan publik", None, None, None, "Birokrasi", None]]
    rows += [[None, None] + codes]
    for k, respondent in enumerate(("Diskominfo", "Bappeda")):
        part = [a for a in wide if a.respondent == respondent]
        rows.append(["Kabupaten Tanah Bumbu" if k == 0 else None, respondent] + [a.value for a in part])
        for j, a in enumerate(part):
            a.where = ("Wide", f"{column_letter(3 + j)}{len(rows)}")
    wb = new_workbook({"Wide": rows})
    ws = wb["Wide"]
    for rng_ in ("A1:A3", "B1:B3", "C1:H1", "C2:F2", "G2:H2", "A4:A5"):
        ws.merge_cells(rng_)
    save_xlsx(wb, out / "merged_wide_2024.xlsx")
    return [
        Case("merged_header", "merged_header_2024.xlsx",
             "title merged over the table; two-row header ('Jawaban' merged over Nilai | Bukti dukung); "
             "region and respondent merged down over their rows", answers=answers),
        Case("merged_header_wide", "merged_wide_2024.xlsx",
             "wide table under two rows of merged group names; region merged down", answers=wide),
    ]


@case
def uncomputed_formulas(out: Path, rng: np.random.Generator) -> list[Case]:
    answers = small_answers(rng, "Kota Solok", 6, respondent="Bappeda")
    rows = tidy_grid(answers, ["region", "respondent", "indicator", "value"], sheet="Data")
    rows[2][3] = "=2+1"  # C3... value of the 2nd answer
    rows[4][3] = "=AVERAGE(3,4)"
    rows[5][0] = '=CONCAT("Kota ","Solok")'  # a region typed as a formula
    rows[6][3] = "#DIV/0!"  # openpyxl stores this as an Excel error cell
    rows[3][3] = "#N/A"  # an error that means "not applicable": a blank answer
    wb = new_workbook({"Data": rows})
    save_xlsx(wb, out / "formulas_never_computed.xlsx")

    wide = small_answers(rng, "Kota Banjar", 4, respondent="Bappeda")
    rows = wide_grid(wide, ["region", "respondent"], list(CODES[:4]), sheet="Data")
    rows[1][3] = "=1+1"
    wb = new_workbook({"Data": rows})
    save_xlsx(wb, out / "formulas_wide.xlsx")

    # Sheets reordered by dragging tabs: sheet1.xml is no longer the first tab.
    moved = small_answers(rng, "Kota Parepare", 4, respondent="Bappeda")
    rows = tidy_grid(moved, ["region", "respondent", "indicator", "value"], sheet="Jawaban")
    rows[3][3] = "=4"
    wb = new_workbook({"Catatan": [["Catatan", "=1+1"]], "Jawaban": rows})
    path = out / "formulas_reordered_tabs.xlsx"
    save_xlsx(wb, path)
    reorder_package_sheets(path, ["Jawaban", "Catatan"])
    return [
        Case("formulas_tidy", "formulas_never_computed.xlsx",
             "written by a script, never opened in Excel: formulas with no saved value, an error cell; "
             "a #N/A error reads as blank", problems=[
                 ("SC108", "formulas_never_computed.xlsx", "Data", "D3"),
                 ("SC108", "formulas_never_computed.xlsx", "Data", "D5"),
                 ("SC108", "formulas_never_computed.xlsx", "Data", "A6"),
                 ("SC110", "formulas_never_computed.xlsx", "Data", "D7"),
             ]),
        Case("formulas_wide", "formulas_wide.xlsx", "a formula with no saved value in a wide table",
             problems=[("SC108", "formulas_wide.xlsx", "Data", "D2")]),
        Case("formulas_reordered_tabs", "formulas_reordered_tabs.xlsx",
             "formula in the second sheet part, shown as the first tab (the cell is found by sheet name)",
             problems=[("SC108", "formulas_reordered_tabs.xlsx", "Jawaban", "D4")], notes=["SC111"]),
    ]


@case
def sheets(out: Path, rng: np.random.Generator) -> list[Case]:
    answers = small_answers(rng, "Kabupaten Flores Timur", 6, respondent="Bappeda")
    data = tidy_grid(answers, ["region", "respondent", "indicator", "value"], sheet="Data")
    old = tidy_grid(small_answers(rng, "Kabupaten Flores Timur", 6, respondent="Bappeda"),
                    ["region", "respondent", "indicator", "value"])
    wb = new_workbook({"Catatan": [["Catatan pengisian"], ["Nilai 1-5; kosongkan bila tidak tahu."]],
                       "Data": data, "Lama": old, "Kosong": []})
    wb["Lama"].sheet_state = "hidden"
    chart = BarChart()
    chart.add_data(Reference(wb["Data"], min_col=4, min_row=1, max_row=7), titles_from_data=True)
    wb.create_chartsheet("Grafik").add_chart(chart)
    save_xlsx(wb, out / "hidden_and_extra_sheets_2024.xlsx")

    sv = small_answers(rng, "Kota Solok", 4, respondent="DLH", codes=[c for c in CODES if c.startswith("SV")][:4])
    sg = small_answers(rng, "Kota Solok", 4, respondent="Bappeda")
    wb = new_workbook({
        "Lingkungan": tidy_grid(sv, ["indicator", "region", "respondent", "value"],
                                above=[["Smart Environment"], [], []], sheet="Lingkungan"),
        "Tata kelola": tidy_grid(sg, ["region", "respondent", "indicator", "value"],
                                 above=[["Smart Governance"]], sheet="Tata kelola"),
    })
    save_xlsx(wb, out / "renamed_reordered_sheets_2024.xlsx")

    only_notes = new_workbook({"Petunjuk": [["Isi nilai di sini"], ["Terima kasih"]], "Sheet2": []})
    save_xlsx(only_notes, out / "no_answer_table.xlsx")
    return [
        Case("hidden_and_extra_sheets", "hidden_and_extra_sheets_2024.xlsx",
             "a notes sheet first, the data, a hidden older copy, an empty sheet and a chart sheet: "
             "only the data is read", answers=answers, notes=["SC111", "SC111", "SC111"]),
        Case("sheets_renamed_reordered", "renamed_reordered_sheets_2024.xlsx",
             "answers on two renamed sheets, each with its own rows above the header and column order",
             answers=sv + sg),
        Case("no_answer_table", "no_answer_table.xlsx", "sheets with no header row at all",
             problems=[("SC310", "no_answer_table.xlsx", "Petunjuk", "")]),
    ]


@case
def shapes_and_typing(out: Path, rng: np.random.Generator) -> list[Case]:
    above = small_answers(rng, "Kota Parepare", 5, respondent="Bappeda")
    rows = tidy_grid(above, ["region", "respondent", "indicator", "value"], sheet="Sheet1",
                     above=[["PEMERINTAH KOTA PAREPARE"], ["Dinas Komunikasi dan Informatika"], [],
                            ["Dicetak", dt.datetime(2024, 5, 1, 9, 30)], []])
    save_xlsx(new_workbook({"Sheet1": rows}), out / "rows_above_header_2024.xlsx")

    shuffled = small_answers(rng, "Kabupaten Pekalongan", 5, respondent="Bappeda")
    shuffled[2].evidence = "https://jdih.pekalongankab.go.id/perbup-2023-12"
    rows = tidy_grid(shuffled, ["value", "evidence", "indicator", "cycle", "respondent", "region"])
    write_csv(out / "columns_shuffled.csv", rows)

    spelled = small_answers(rng, "Kota Banjar", 7, respondent="Bappeda")
    for a, typed in zip(spelled, ("sg-sv-01", " SG-SV-02 ", "SG SV 03", "SG_SV_04", "SG – BU – 01",
                                  "Sg-Bu-02", "sg - bu - 03"), strict=True):
        a.typed["indicator"] = typed
    write_csv(out / "code_spellings_2024.csv", tidy_grid(spelled, ["region", "respondent", "indicator", "value"]))

    wide = small_answers(rng, "Kota Banjar", 4, respondent="Bappeda")
    rows = wide_grid(wide, ["region", "respondent"], list(CODES[:4]),
                     code_labels={CODES[0]: "sg-sv-01", CODES[1]: "SG SV 02", CODES[2]: " SG_SV_03", CODES[3]: "sg–sv–04"})
    write_csv(out / "wide_code_spellings_2024.csv", rows)

    together = small_answers(rng, "Kota Banjar", 2, respondent="Bappeda")
    together[1].typed["indicator"] = "SGSV02"
    write_csv(out / "code_run_together_2024.csv", tidy_grid(together, ["region", "respondent", "indicator", "value"]))

    regions = small_answers(rng, "Kabupaten Pekalongan", 7, respondent="Bappeda")
    for a, typed in zip(regions, ("Kab. Pekalongan", "Kabupaten Pekalongan", "KAB PEKALONGAN", "Pekalongan, Kab.",
                                  "Pemkab Pekalongan", "kabupaten  pekalongan", "Kab.Pekalongan"), strict=True):
        a.typed["region"] = typed
    city = small_answers(rng, "Kota Pekalongan", 1, respondent="Bappeda")
    flotim = small_answers(rng, "Kabupaten Flores Timur", 2, respondent="Bappeda")
    flotim[0].typed["region"], flotim[1].typed["region"] = "Kab. Flotim", "FLORES TIMUR"
    rows = tidy_grid(regions + city + flotim, ["region", "respondent", "indicator", "value"])
    write_csv(out / "region_spellings_2024.csv", rows)

    twice = small_answers(rng, "Kabupaten Pekalongan", 2, respondent="Bappeda", codes=[CODES[0], CODES[0]])
    twice[0].typed["region"], twice[1].typed["region"] = "Kab. Pekalongan", "Kabupaten Pekalongan"
    write_csv(out / "region_spelled_twice_2024.csv", tidy_grid(twice, ["region", "respondent", "indicator", "value"]))
    return [
        Case("rows_above_header", "rows_above_header_2024.xlsx",
             "letterhead, a printed-on date and blank rows above the header", answers=above),
        Case("columns_shuffled", "columns_shuffled.csv", "columns in any order, headers in Indonesian",
             answers=shuffled),
        Case("code_spellings", "code_spellings_2024.csv",
             "codes in lower case, with spaces, underscores and dashes", answers=spelled),
        Case("wide_code_spellings", "wide_code_spellings_2024.csv", "wide-table column codes typed loosely",
             answers=wide),
        Case("code_run_together", "code_run_together_2024.csv", "'SGSV02': parts run together are not guessed",
             problems=[("SC302", "code_run_together_2024.csv", "", "C3")]),
        Case("region_spellings", "region_spellings_2024.csv",
             "Kab. / Kabupaten / KAB / 'Pekalongan, Kab.' / Pemkab: one region; Kota Pekalongan stays apart; "
             "aliases (Flotim)", answers=regions + city + flotim),
        Case("region_spelled_twice", "region_spelled_twice_2024.csv",
             "the same answer under two spellings of one region is a duplicate",
             problems=[("SC305", "region_spelled_twice_2024.csv", "", "D3")]),
    ]


@case
def cycles(out: Path, rng: np.random.Generator) -> list[Case]:
    mixed = small_answers(rng, "Kabupaten Pekalongan", 4, respondent="Bappeda", cycle=2024)
    mixed[2].cycle = mixed[3].cycle = 2023
    solok = small_answers(rng, "Kota Solok", 2, respondent="Bappeda", cycle=2022)
    rows = tidy_grid(mixed + solok, ["cycle", "region", "respondent", "indicator", "value"])
    write_csv(out / "pekalongan_2024.csv", rows)

    history = small_answers(rng, "Kabupaten Pekalongan", 3, respondent="Bappeda", cycle=2023)
    history += small_answers(rng, "Kabupaten Pekalongan", 3, respondent="Bappeda", cycle=2024)
    write_csv(out / "history_all_cycles.csv",
              tidy_grid(history, ["cycle", "region", "respondent", "indicator", "value"]))

    folder = out / "form_in_wrong_folder" / "2024"
    folder.mkdir(parents=True)
    wb, _ = filled_form(folder / "gianyar__bappeda.xlsx", rng, region="Kabupaten Gianyar", cycle=2023,
                        respondent="Bappeda")
    save_xlsx(wb, folder / "gianyar__bappeda.xlsx")
    return [
        Case("two_cycles_in_one_year_file", "pekalongan_2024.csv",
             "a file named for 2024 whose cycle column also holds 2023 and 2022: one line per region",
             problems=[("SC311", "pekalongan_2024.csv", "", "A4"), ("SC311", "pekalongan_2024.csv", "", "A6")]),
        Case("history_file", "history_all_cycles.csv",
             "a table named for no year may hold several cycles", answers=history),
        Case("form_in_wrong_folder", "form_in_wrong_folder",
             "the 2023 form filed in the 2024 folder",
             problems=[("SC311", "2024/gianyar__bappeda.xlsx", "Petunjuk", "B5")]),
    ]


@case
def emptiness(out: Path, rng: np.random.Generator) -> list[Case]:
    write_csv(out / "header_only.csv", [["Daerah", "Kode Indikator", "Nilai"]])
    save_xlsx(new_workbook({"Data": [["Judul"], ["Daerah", "Kode Indikator", "Nilai"], [None, None, None]]}),
              out / "header_only.xlsx")
    return [
        Case("header_only_csv", "header_only.csv", "a header and nothing else",
             problems=[("SC314", "header_only.csv", "", "row 1")]),
        Case("header_only_xlsx", "header_only.xlsx", "a title, a header and nothing else",
             problems=[("SC314", "header_only.xlsx", "Data", "row 2")]),
    ]


@case
def cells_that_are_not_numbers(out: Path, rng: np.random.Generator) -> list[Case]:
    answers = small_answers(rng, "Kota Solok", 5, respondent="Bappeda")
    rows = tidy_grid(answers, ["cycle", "region", "respondent", "indicator", "value"], sheet="Data")
    rows[1][4] = dt.date(2024, 5, 3)  # "3.5" typed in a date-formatted cell
    rows[2][4] = True
    rows[3][4] = dt.time(3, 30)
    rows[4][0] = dt.datetime(2024, 1, 1)  # the year typed in a date-formatted cell
    save_xlsx(new_workbook({"Data": rows}), out / "dates_and_booleans.xlsx")
    return [
        Case("dates_and_booleans", "dates_and_booleans.xlsx",
             "a date, TRUE and a time where numbers belong; a date as the cycle",
             problems=[("SC303", "dates_and_booleans.xlsx", "Data", "E2"),
                       ("SC303", "dates_and_booleans.xlsx", "Data", "E3"),
                       ("SC303", "dates_and_booleans.xlsx", "Data", "E4"),
                       ("SC308", "dates_and_booleans.xlsx", "Data", "A5")]),
    ]


@case
def non_latin(out: Path, rng: np.random.Generator) -> list[Case]:
    answers = []
    for region, respondent, (code, unit) in zip(NON_LATIN_REGIONS, NON_LATIN_RESPONDENTS, NON_LATIN_UNITS,
                                                strict=True):
        part = small_answers(rng, unit, 3, respondent=respondent)
        part[0].evidence = f"{region} / {respondent}: 规定 ۲۰۲۳"
        for a in part:
            a.typed["region"], a.region_code = region, code
        answers += part
    rows = tidy_grid(answers, ["region_code", "region", "respondent", "indicator", "value", "evidence"],
                     sheet="Data")
    save_xlsx(new_workbook({"Data": rows}), out / "non_latin_names_2024.xlsx")
    write_csv(out / "non_latin_names_2024.csv", rows)

    path = out / "non_latin_form.xlsx"
    wb, form_answers = filled_form(path, rng, region="Kabupaten Pekalongan", cycle=2024,
                                   respondent=NON_LATIN_RESPONDENTS[3],
                                   evidence={CODES[0]: "ꦥꦿꦠꦸꦫꦤ꧀ ꦧꦸꦥꦠꦶ / لائحة / 条例"})
    save_xlsx(wb, path)
    return [
        Case("non_latin_xlsx", "non_latin_names_2024.xlsx",
             "region and respondent names in Jawi, Chinese, Javanese and Balinese script, each region with "
             "its code", answers=answers),
        Case("non_latin_csv", "non_latin_names_2024.csv", "the same names in a UTF-8 CSV",
             answers=[Answer(a.region, a.indicator, a.value, a.respondent, a.cycle, a.evidence,
                             where=("", a.where[1])) for a in answers]),
        Case("non_latin_form", "non_latin_form.xlsx",
             "a form whose respondent and evidence are written in Arabic, Javanese and Chinese script",
             answers=form_answers),
    ]


@case
def forms(out: Path, rng: np.random.Generator) -> list[Case]:
    path = out / "form_rearranged.xlsx"
    wb, answers = filled_form(path, rng, region="Kota Banjar", cycle=2024, respondent="Bappeda")
    for ws in wb.worksheets:
        ws.protection.sheet = False
    wb["SG"].title = "Tata kelola"
    wb["Petunjuk"].title = "Baca dulu"
    wb.move_sheet("SV", offset=-6)
    wb.move_sheet("Baca dulu", offset=3)
    wb["Tata kelola"].insert_rows(1, 2)
    for a in answers:
        if a.where[0] == "SG":
            col, row = re.match(r"([A-Z]+)(\d+)", a.where[1]).groups()
            a.where = ("Tata kelola", f"{col}{int(row) + 2}")
    hidden = wb.copy_worksheet(wb["SB"])
    hidden.title = "SB lama"
    hidden.sheet_state = "hidden"
    for row in range(4, hidden.max_row + 1):
        hidden.cell(row, 7, 1)
    notes = wb.create_sheet("Catatan")
    notes["A1"] = "Catatan OPD: data per Desember"
    save_xlsx(wb, path)

    path = out / "form_formulas.xlsx"
    wb, _ = filled_form(path, rng, region="Kota Solok", cycle=2024, respondent="Bappeda")
    cells = form_cells(wb)
    for code, formula in ((CODES[1], "=2+2"), (CODES[20], "=AVERAGE(3,5)")):
        sheet, row, value_j, _ = cells[code]
        wb[sheet].cell(row, value_j, formula)
    sheet, row, value_j, _ = cells[CODES[30]]
    wb[sheet].cell(row, value_j, "#VALUE!")
    save_xlsx(wb, path)
    where = {code: (cells[code][0], f"{column_letter(cells[code][2])}{cells[code][1]}")
             for code in (CODES[1], CODES[20], CODES[30])}
    return [
        Case("form_rearranged", "form_rearranged.xlsx",
             "a form with sheets renamed and reordered, rows inserted above a header, a hidden copy of "
             "a sheet (ignored) and an extra notes sheet", answers=answers, notes=["SC111"]),
        Case("form_formulas", "form_formulas.xlsx",
             "a form filled by a script with formulas never computed, and an error cell",
             problems=[("SC108", "form_formulas.xlsx", *where[CODES[1]]),
                       ("SC108", "form_formulas.xlsx", *where[CODES[20]]),
                       ("SC110", "form_formulas.xlsx", *where[CODES[30]])]),
    ]


@case
def folder_with_strays(out: Path, rng: np.random.Generator) -> list[Case]:
    folder = out / "folder_with_strays"
    answers = small_answers(rng, "Kota Solok", 4, respondent="Bappeda")
    write_csv(folder / "jawaban_2024.csv", tidy_grid(answers, ["region", "respondent", "indicator", "value"]))
    (folder / "~$jawaban_2024.xlsx").write_bytes(b"\x07Bappeda" + b"\x00" * 150)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 60)
    (folder / ".~lock.jawaban_2024.csv#").write_text("Bappeda,pc-01,01.05.2024 09:30,\n", encoding="utf-8")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    (folder / "bukti").mkdir()
    (folder / "bukti" / "perbup_12_2023.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / ".sync").mkdir()
    (folder / ".sync" / "old_copy.csv").write_text("x\n", encoding="utf-8")
    return [
        Case("folder_with_strays", "folder_with_strays",
             "Office lock files, .DS_Store, Thumbs.db, a PDF of evidence and a hidden folder beside "
             "one answer file", answers=answers, notes=["SC106"] * 6),
    ]


def patch_package(path: Path, patches: dict[str, Callable[[bytes], bytes]],
                  extra: list[tuple[str, bytes | str, int]] | None = None) -> None:
    """Rewrite parts of a saved xlsx (what another program would have written), reproducibly."""
    with zipfile.ZipFile(path) as archive:
        items = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    out = [(name, patches.get(name, lambda d: d)(data), zipfile.ZIP_DEFLATED) for name, data in items]
    path.write_bytes(zip_bytes(out + (extra or [])))


@case
def regions_by_register(out: Path, rng: np.random.Generator) -> list[Case]:
    columns = ["region", "respondent", "indicator", "value"]
    unknown = small_answers(rng, "Kab Pekalongn", 3) + small_answers(rng, "Kota Solok", 2)
    write_csv(out / "region_unknown_2024.csv", tidy_grid(unknown, columns))
    bare = small_answers(rng, "Pekalongan", 2) + small_answers(rng, "Gianyar", 2)
    for a in bare[2:]:
        a.typed["region"], a.region = "Gianyar", "Kabupaten Gianyar"  # one kabupaten of that name
    write_csv(out / "region_bare_names_2024.csv", tidy_grid(bare, columns))

    coded = small_answers(rng, "Kabupaten Pekalongan", 2)
    coded[0].typed["region"], coded[0].region_code = "Kab. Pekalongan", "33.26"
    coded[1].typed["region"], coded[1].region_code = "", "3326"
    city = small_answers(rng, "Kota Pekalongan", 2, codes=list(CODES[2:4]))
    for a in city:
        a.typed["region"], a.region_code = "KOTA PEKALONGAN", "33.75"
    pare = small_answers(rng, "Kota Parepare", 1)
    pare[0].typed["region"], pare[0].region_code = "Pare-Pare", "73.72"
    with_codes = ["region_code", "region", "respondent", "indicator", "value"]
    write_csv(out / "region_codes_2024.csv", tidy_grid(coded + city + pare, with_codes))
    clash = small_answers(rng, "Kabupaten Pekalongan", 1) + small_answers(rng, "Kota Solok", 1)
    clash[0].region_code = "33.75"
    clash[1].region_code = "99.99"
    write_csv(out / "region_code_problems_2024.csv", tidy_grid(clash, with_codes))

    consolidated = [["cycle", "region", "respondent", "region_type", "province", CODES[0], CODES[1]],
                    [2024, "Kabupaten Serang", "Bappeda", "kabupaten", "Jawa Barat", 3, 4],
                    [2024, "Kabupaten Pekalongan", "Bappeda", "kabupaten", "Prov. Jateng", 2, 3],
                    [2024, "Kota Solok", "Bappeda", "kabupaten", "Sumatera Barat", 4, 4]]
    write_csv(out / "province_mismatch_2024.csv", consolidated)
    return [
        Case("region_unknown", "region_unknown_2024.csv",
             "a regency's name mistyped ('Kab Pekalongn'): one problem with the register's suggestion, "
             "not a new region", problems=[("SC315", "region_unknown_2024.csv", "", "A2")]),
        Case("region_bare_names", "region_bare_names_2024.csv",
             "'Pekalongan' alone is a kabupaten and a kota (both named); 'Gianyar' alone is one kabupaten",
             problems=[("SC316", "region_bare_names_2024.csv", "", "A2")]),
        Case("region_codes", "region_codes_2024.csv",
             "a Kode Wilayah column (33.26, 3326, 33.75): the name is optional and checked", answers=coded + city + pare),
        Case("region_code_problems", "region_code_problems_2024.csv",
             "a code that names another region than the name beside it, and a code not in the register",
             problems=[("SC318", "region_code_problems_2024.csv", "", "B2"),
                       ("SC317", "region_code_problems_2024.csv", "", "A3")]),
        Case("province_mismatch", "province_mismatch_2024.csv",
             "a consolidated table whose province and type columns contradict the register ('Prov. Jateng' is fine)",
             problems=[("SC320", "province_mismatch_2024.csv", "", "E2"),
                       ("SC320", "province_mismatch_2024.csv", "", "D4")]),
    ]


@case
def villages(out: Path, rng: np.random.Generator) -> list[Case]:
    # Kabupaten Pekalongan has a Desa Depok in Lebakbarang and another in Siwalan.
    units = (("Lebakbarang", "Depok", "Desa Depok (Lebakbarang)"), ("Siwalan", "Depok", "Desa Depok (Siwalan)"),
             ("Kedungwuni", "Rowocacing", "Desa Rowocacing"))
    answers = []
    for kecamatan, desa, label in units:
        part = small_answers(rng, label, 2, respondent="Pemerintah Desa")
        for a in part:
            a.typed.update(region="Kabupaten Pekalongan", kecamatan=kecamatan, desa=desa)
        answers += part
    by_code = small_answers(rng, "Desa Klesem (Kandangserang)", 2, respondent="Pemerintah Desa")
    for a in by_code:
        a.typed.update(region="Kabupaten Pekalongan", kecamatan="", desa="")
        a.region_code = "33.26.01.2001"
    rows = tidy_grid(answers + by_code, ["region", "kecamatan", "desa", "region_code", "respondent", "indicator",
                                         "value"], labels={"region": "Kabupaten/Kota"})
    write_csv(out / "smart_village_2024.csv", rows)
    repeated = small_answers(rng, "Depok", 2, respondent="Pemerintah Desa")
    for a in repeated:
        a.typed.update(region="Kabupaten Pekalongan", desa="Depok")
    write_csv(out / "village_without_kecamatan_2024.csv",
              tidy_grid(repeated, ["region", "desa", "respondent", "indicator", "value"],
                        labels={"region": "Kabupaten/Kota"}))
    return [
        Case("villages", "smart_village_2024.csv",
             "a regency's villages: desa named within their kecamatan (two Desa Depok), one by code only",
             answers=answers + by_code),
        Case("village_without_kecamatan", "village_without_kecamatan_2024.csv",
             "'Depok' within Kabupaten Pekalongan without its kecamatan: two villages, both named",
             problems=[("SC316", "village_without_kecamatan_2024.csv", "", "B2")]),
    ]


@case
def forms_spoiled(out: Path, rng: np.random.Generator) -> list[Case]:
    path = out / "form_region_retyped.xlsx"
    wb, _ = filled_form(path, rng, region="Kabupaten Pekalongan", cycle=2024, respondent="Bappeda")
    wb["Petunjuk"].protection.sheet = False
    wb["Petunjuk"]["B4"] = "Kab Pekalongn"
    save_xlsx(wb, path)

    path = out / "form_without_sv.xlsx"
    wb, _ = filled_form(path, rng, region="Kota Parepare", cycle=2024, respondent="Bappeda")
    del wb["SV"]
    save_xlsx(wb, path)

    path = out / "form_rows_deleted.xlsx"
    wb, _ = filled_form(path, rng, region="Kota Banjar", cycle=2024, respondent="Bappeda")
    cells = form_cells(wb)
    gone = [CODES[1], CODES[2]]
    wb["SG"].protection.sheet = False
    wb["SG"].delete_rows(cells[gone[0]][1], 2)
    save_xlsx(wb, path)

    path = out / "form_answer_in_evidence.xlsx"
    wb, _ = filled_form(path, rng, region="Kabupaten Bangli", cycle=2024, respondent="Bappeda")
    cells = form_cells(wb)
    sheet, row, value_j, evidence_j = cells[CODES[5]]
    wb[sheet].cell(row, value_j).value = None
    wb[sheet].cell(row, evidence_j, 4)
    save_xlsx(wb, path)

    typed = small_answers(rng, "Kota Solok", 3)
    typed[1].value, typed[1].evidence = None, "3,5"
    write_csv(out / "answer_in_evidence_2024.csv",
              tidy_grid(typed, ["region", "respondent", "indicator", "value", "evidence"]))
    return [
        Case("form_region_retyped", "form_region_retyped.xlsx",
             "a form whose Daerah field was retyped ('Kab Pekalongn') while its hidden record says Kabupaten "
             "Pekalongan", problems=[("SC319", "form_region_retyped.xlsx", "Petunjuk", "B4")]),
        Case("form_without_sv", "form_without_sv.xlsx",
             "a form with its SV sheet deleted: the sheet and its indicators are named",
             problems=[("SC321", "form_without_sv.xlsx", "", "")]),
        Case("form_rows_deleted", "form_rows_deleted.xlsx",
             "a form with two indicator rows deleted: the missing codes are named",
             problems=[("SC323", "form_rows_deleted.xlsx", "SG", "")]),
        Case("form_answer_in_evidence", "form_answer_in_evidence.xlsx",
             "a form with Nilai blank and the answer typed under Bukti dukung",
             problems=[("SC322", "form_answer_in_evidence.xlsx", sheet, f"{column_letter(evidence_j)}{row}")]),
        Case("answer_in_evidence", "answer_in_evidence_2024.csv",
             "a table with the value blank and '3,5' in the evidence column",
             problems=[("SC322", "answer_in_evidence_2024.csv", "", "E3")]),
    ]


@case
def folders(out: Path, rng: np.random.Generator) -> list[Case]:
    folder = out / "folder_with_notes"
    wb, answers = filled_form(folder / "kota-solok__bappeda.xlsx", rng, region="Kota Solok", cycle=2024,
                              respondent="Bappeda")
    save_xlsx(wb, folder / "kota-solok__bappeda.xlsx")
    (folder / "catatan.txt").write_text("Catatan rapat: jawaban Bappeda dikirim 3 Mei.\nBukti menyusul.\n",
                                        encoding="utf-8")
    (folder / "laporan.docx").write_bytes(zip_bytes([("word/document.xml", "<w:document/>", 8)]))

    folder = out / "same_form_twice"
    wb, _ = filled_form(folder / "a" / "kota-banjar__bappeda.xlsx", rng, region="Kota Banjar", cycle=2024,
                        respondent="Bappeda")
    save_xlsx(wb, folder / "a" / "kota-banjar__bappeda.xlsx")
    (folder / "b").mkdir()
    shutil.copyfile(folder / "a" / "kota-banjar__bappeda.xlsx", folder / "b" / "kota-banjar__bappeda.xlsx")

    folder = out / "same_answers_two_files"
    same = small_answers(rng, "Kabupaten Gianyar", 4)
    write_csv(folder / "rekap.csv", tidy_grid(same, ["region", "respondent", "indicator", "value"]))
    write_csv(folder / "salinan" / "rekap.csv", tidy_grid(same, ["region", "respondent", "indicator", "value"]),
              delimiter=";")
    return [
        Case("folder_with_notes", "folder_with_notes",
             "a form beside meeting notes (catatan.txt, no table) and a Word file: both skipped with a note",
             answers=answers, notes=["SC106", "SC106"]),
        Case("same_form_twice", "same_form_twice",
             "one form copied into folders a/ and b/: one problem naming both paths",
             problems=[("SC324", "b/kota-banjar__bappeda.xlsx", "", "")]),
        Case("same_answers_two_files", "same_answers_two_files",
             "a table saved again with semicolons in a subfolder: one problem naming both paths",
             problems=[("SC324", "salinan/rekap.csv", "", "")]),
    ]


@case
def oversized(out: Path, rng: np.random.Generator) -> list[Case]:
    # A zip bomb: 300 MB of zeros in one part, about 300 kB on disk.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo("xl/sharedStrings.xml", date_time=FIXED_TIME.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as handle:
            block = b" " * (1 << 20)
            for _ in range(300):
                handle.write(block)
    (out / "zip_bomb.xlsx").write_bytes(buffer.getvalue())

    path = out / "million_rows.xlsx"
    save_xlsx(new_workbook({"Data": [["Daerah", "Kode Indikator", "Nilai"], ["Kota Solok", CODES[0], 3]]}), path)

    def million(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b"<row/>" * 1_000_000 + b"</sheetData>")

    patch_package(path, {"xl/worksheets/sheet1.xml": million})

    path = out / "external_link_2024.xlsx"
    linked = small_answers(rng, "Kota Solok", 3, respondent=None)
    save_xlsx(new_workbook({"Data": tidy_grid(linked, ["region", "indicator", "value"], sheet="Data")}), path)
    cell = linked[1].where[1]
    value = int(linked[1].value)

    def link(xml: bytes) -> bytes:
        old = f'<c r="{cell}" t="n"><v>{value}</v></c>'.encode()
        assert old in xml
        return xml.replace(old, f"<c r=\"{cell}\"><f>[1]Jawaban!$C$9</f><v>{value}</v></c>".encode())

    external = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                'r:id="rId1"/></externalLink>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'externalLinkPath" Target="file:///C:/Users/bappeda/rekap_rahasia.xlsx" TargetMode="External"/>'
            "</Relationships>")
    patch_package(path, {"xl/worksheets/sheet1.xml": link},
                  extra=[("xl/externalLinks/externalLink1.xml", external, zipfile.ZIP_DEFLATED),
                         ("xl/externalLinks/_rels/externalLink1.xml.rels", rels, zipfile.ZIP_DEFLATED)])
    return [
        Case("zip_bomb", "zip_bomb.xlsx", "a 300 kB .xlsx that unpacks to 300 MB: refused before it is opened",
             problems=[("SC113", "zip_bomb.xlsx", "", "")]),
        Case("million_rows", "million_rows.xlsx", "a sheet of a million rows: refused before it is loaded",
             problems=[("SC113", "million_rows.xlsx", "", "")]),
        Case("external_link", "external_link_2024.xlsx",
             "a value that is a formula linking another workbook: its saved value is read, the link never followed",
             answers=linked),
    ]


# --- writing it all --------------------------------------------------------------------------


def expected_rows(c: Case) -> list[dict]:
    return [{
        "cycle": "" if a.cycle is None else a.cycle,
        "region": a.region,
        "respondent": a.respondent or "",
        "indicator": a.indicator,
        "value": "" if a.value is None else repr(float(a.value)),
        "evidence": a.evidence or "",
        "source_sheet": a.where[0],
        "source_cell": a.where[1],
    } for a in c.answers or []]


def build_corpus(out: Path = OUT) -> list[Case]:
    """Write every case to ``out`` (emptied first); returns the cases."""
    if out.exists():
        shutil.rmtree(out)
    (out / "expected").mkdir(parents=True)
    cases: list[Case] = []
    for maker in MAKERS:
        # One stream per maker: a case added to one maker leaves every other file as it was.
        rng = np.random.default_rng([SEED, zlib.crc32(maker.__name__.encode())])
        made = maker(out, rng)
        cases.extend(made if isinstance(made, list) else [made])
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    with (out / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["case", "path", "outcome", "problems", "notes", "description"])
        for c in cases:
            problems = " ; ".join("|".join(p) for p in c.problems or [])
            writer.writerow([c.name, c.path, c.outcome, problems, " ".join(sorted(c.notes)), c.description])
    for c in cases:
        if c.answers is None:
            continue
        with (out / "expected" / f"{c.name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(expected_rows(c)[0]) if c.answers else ["cycle"],
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows(expected_rows(c))
    return cases


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else OUT
    cases = build_corpus(out)
    print(f"{len(cases)} cases written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
