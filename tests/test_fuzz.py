"""Fuzzing the loader: whatever a workbook or a table holds, loading gives answers or a
:class:`SmartCityError` whose every problem names the file; never another exception.

Hypothesis builds xlsx workbooks (openpyxl) and CSV tables with arbitrary cell values (text in
any script, numbers, booleans, dates, formulas, Excel errors, very long strings, blanks) and
shapes (rows above the header, missing, shuffled and extra columns, hidden and extra sheets, wide
tables), damaged copies of real files, and filled forms spoiled at random cells. Examples are
derandomized so CI sees the same cases every run; the whole file runs in well under a minute.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell

from smartcity_analysis.errors import SmartCityError
from smartcity_analysis.input.framework import default_framework
from smartcity_analysis.input.loading import HEADER_ALIASES, load_answers
from smartcity_analysis.input.template import write_template

FW = default_framework()
CODES = list(FW.indicators)
CORPUS = Path(__file__).resolve().parent / "corpus"

_FUZZ = settings(deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large])


def fuzz(max_examples: int) -> settings:
    return settings(_FUZZ, max_examples=max_examples)

# --- cell values --------------------------------------------------------------------------------

any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20,
)
typed_numbers = st.sampled_from(["3,5", " 4 ", "1.234,5", "80%", "-", "N/A", "tidak ada", "", "5", "0", "6",
                                 "1e3", "inf", "nan", "#N/A", "#DIV/0!", "=1+1", "=SUM(A1:A2)", "TRUE",
                                 "2024", "'3", "3.5.1", "٣", "３"])
codes = st.one_of(st.sampled_from(CODES), st.sampled_from(CODES).map(str.lower),
                  st.sampled_from(CODES).map(lambda c: c.replace("-", " ")),
                  st.sampled_from(["SG-XX-99", "SGSV01", "", " ", "sg-sv", "SG-SV-01-01"]))
regions = st.sampled_from(["Kota Solok", "Kab. Pekalongan", "KABUPATEN PEKALONGAN", "Pekalongan, Kab.", "",
                           "   ", "ꦥꦏꦭꦺꦴꦔꦤ꧀", "北加浪岸县", "ڤکالوڠن", "Kota", "Kab.", "=A1", "#REF!"])
header_words = st.sampled_from(sorted({a for aliases in HEADER_ALIASES.values() for a in aliases}))

cell = st.one_of(
    st.none(),
    any_text,
    typed_numbers,
    codes,
    regions,
    header_words,
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
    st.text(min_size=300, max_size=3000),  # an evidence cell with a whole document pasted in
)


def xlsx_safe(value):
    """What openpyxl can store: no XML-illegal control characters."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


# --- shapes -------------------------------------------------------------------------------------

COLUMNS = ("region", "indicator", "value", "cycle", "respondent", "evidence")


@st.composite
def tables(draw) -> list[list]:
    """A sheet's rows: junk above, a header of some standard columns (any alias, any order,
    maybe extra ones), then rows mixing plausible answers and arbitrary cells."""
    rows: list[list] = [draw(st.lists(cell, max_size=4)) for _ in range(draw(st.integers(0, 4)))]
    wide = draw(st.booleans())
    if wide:
        ids = draw(st.permutations(["region", "respondent", "cycle"]))[: draw(st.integers(1, 3))]
        picked = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=6, unique=True))
        header = [draw(st.sampled_from(HEADER_ALIASES[c])) for c in ids] + [draw(codes) if draw(st.booleans())
                                                                           else c for c in picked]
    else:
        ids = list(draw(st.permutations(COLUMNS)))[: draw(st.integers(1, len(COLUMNS)))]
        header = [draw(st.sampled_from(HEADER_ALIASES[c])).upper() if draw(st.booleans())
                  else draw(st.sampled_from(HEADER_ALIASES[c])) for c in ids]
    header += draw(st.lists(st.one_of(any_text, header_words, st.none()), max_size=3))
    rows.append(header)
    for _ in range(draw(st.integers(0, 8))):
        plausible = {"region": regions, "indicator": codes, "value": st.one_of(typed_numbers, st.integers(0, 6)),
                     "cycle": st.sampled_from([2024, "2024", 2023.0, "2024/2025", None, "x"]),
                     "respondent": st.one_of(any_text, st.none()), "evidence": st.one_of(any_text, st.none())}
        row = []
        for label in header:
            key = next((c for c in COLUMNS if label in HEADER_ALIASES[c] or str(label).lower() in HEADER_ALIASES[c]),
                       None)
            strategy = plausible[key] if key and draw(st.integers(0, 4)) else cell
            row.append(draw(strategy))
        row += draw(st.lists(cell, max_size=2))
        rows.append(row)
    return rows


sheet_titles = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz 0123456789_-",
                       min_size=1, max_size=20).filter(lambda t: t.strip() and t.strip("'") == t)


def assert_clean_outcome(path: Path) -> None:
    """The property: answers, or SmartCityError with every problem located at this file."""
    try:
        answers = load_answers(path, FW)
    except SmartCityError as exc:
        for problem in exc.problems:
            assert problem.location.file == path.name, problem
            assert problem.format("en").startswith(path.name)
            assert problem.format("id").endswith(f"[{problem.code}]")
        return
    table = answers.table
    assert {"cycle", "region", "indicator", "value", "source_file", "source_row"} <= set(table.columns)
    assert set(table["source_file"].astype(str)) == {path.name}
    values = table["value"].dropna()
    lo = table["indicator"].astype(object).map(FW.table["min"]).loc[values.index]
    hi = table["indicator"].astype(object).map(FW.table["max"]).loc[values.index]
    assert ((values >= lo) & (values <= hi)).all()
    assert (table["region"].astype(str).str.strip() != "").all()
    for note in answers.notes:
        assert note.format("en")


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="smartcity-fuzz-") as folder:
        yield Path(folder)


# --- the properties ---------------------------------------------------------------------------------


@fuzz(70)
@given(sheets=st.lists(st.tuples(sheet_titles, tables(), st.sampled_from(["visible", "visible", "hidden"])),
                       min_size=1, max_size=3, unique_by=lambda s: s[0].lower()),
       merges=st.lists(st.tuples(st.integers(1, 8), st.integers(1, 6), st.integers(0, 2), st.integers(0, 2)),
                       max_size=2),
       year=st.sampled_from(["", "_2024", "_2023-2024"]))
def test_any_workbook_loads_or_fails_cleanly(workdir, sheets, merges, year):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append([xlsx_safe(v) for v in row])
        ws.sheet_state = state
        for r, c, dr, dc in merges:
            if dr or dc:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    if all(ws.sheet_state == "hidden" for ws in wb.worksheets):
        wb.worksheets[0].sheet_state = "visible"  # Excel needs one visible sheet
    path = workdir / f"fuzz{year}.xlsx"
    wb.save(path)
    assert_clean_outcome(path)


@fuzz(80)
@given(rows=tables(), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       nonfinite=st.lists(st.sampled_from([float("nan"), float("inf"), -float("inf")]), max_size=2),
       line_end=st.sampled_from(["\r\n", "\n", "\r"]))
def test_any_csv_loads_or_fails_cleanly(workdir, rows, delimiter, encoding, nonfinite, line_end):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    for i, row in enumerate(rows):
        writer.writerow(row + (nonfinite if i == len(rows) - 1 else []))
    data = buffer.getvalue().encode(encoding, errors="replace")
    path = workdir / "fuzz_2024.csv"
    path.write_bytes(data)
    assert_clean_outcome(path)


def _seed_files() -> list[Path]:
    names = ["non_latin_names_2024.xlsx", "old_excel_2024.xls", "libreoffice.ods", "merged_header_2024.xlsx",
             "excel_indonesia_cp1252_2024.csv", "hidden_and_extra_sheets_2024.xlsx"]
    return [CORPUS / n for n in names]


@fuzz(60)
@given(seed=st.sampled_from(_seed_files()), cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                                           min_size=1, max_size=8),
       truncate=st.one_of(st.none(), st.floats(0.05, 1)))
def test_damaged_files_fail_cleanly(workdir, seed, cuts, truncate):
    data = bytearray(seed.read_bytes())
    for where, byte in cuts:
        data[min(int(where * len(data)), len(data) - 1)] = byte
    if truncate is not None:
        data = data[: max(1, int(truncate * len(data)))]
    path = workdir / seed.name
    path.write_bytes(bytes(data))
    assert_clean_outcome(path)


@fuzz(40)
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv", ".xlsm", ".txt"]),
       magic=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe", b"<html>"]))
def test_arbitrary_bytes_fail_cleanly(workdir, data, suffix, magic):
    path = workdir / f"bytes{suffix}"
    path.write_bytes(magic + data)
    assert_clean_outcome(path)


@pytest.fixture(scope="module")
def blank_form(workdir) -> Path:
    return write_template(workdir / "form_source.xlsx", "Kota Solok", 2024, FW)


@fuzz(25)
@given(edits=st.lists(st.tuples(st.sampled_from(["Petunjuk", "SG", "SB", "SV", "_smartcity"]),
                                st.integers(1, 30), st.integers(1, 9), cell), min_size=1, max_size=12),
       fill=st.lists(st.one_of(st.integers(1, 5), typed_numbers, cell), min_size=1, max_size=56),
       drop=st.sets(st.sampled_from(["Petunjuk", "SE", "_smartcity"]), max_size=2))
def test_spoiled_forms_load_or_fail_cleanly(workdir, blank_form, edits, fill, drop):
    wb = openpyxl.load_workbook(blank_form)
    for ws in wb.worksheets:
        if ws.title in ("SG", "SB", "SE", "SL", "SS", "SV"):
            for i, row in enumerate(range(4, ws.max_row + 1)):
                ws.cell(row, 7, xlsx_safe(fill[(row + i) % len(fill)]))
    for sheet, row, col, value in edits:
        if sheet in wb.sheetnames and not isinstance(wb[sheet].cell(row, col), MergedCell):
            wb[sheet].cell(row, col, xlsx_safe(value))
    for sheet in drop:
        if sheet in wb.sheetnames and len(wb.sheetnames) > 1:
            del wb[sheet]
    path = workdir / "form_2024.xlsx"
    wb.save(path)
    assert_clean_outcome(path)


def test_fuzz_strategies_reach_both_outcomes(workdir):
    """A sanity check on the strategies: plain inputs built the same way do load."""
    rows = [["Daerah", "Kode Indikator", "Nilai"], ["Kota Solok", CODES[0], 3], ["Kota Solok", CODES[1], "4,5"]]
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path = workdir / "plain_2024.xlsx"
    wb.save(path)
    answers = load_answers(path, FW)
    np.testing.assert_array_equal(answers.table["value"].to_numpy(), [3.0, 4.5])
