"""Answers in: tidy tables, wide tables and folders of filled templates, to one tidy table.

Whatever the shape, :func:`load_answers` returns :class:`Answers` whose ``table`` has the columns
``cycle, region, respondent, indicator, value, evidence``, the unit's ``region_code,
region_type, province`` from the Kemendagri register (:mod:`.regions`), any other grouping
columns found in the input, and the provenance columns ``source_file, source_sheet,
source_row, source_col`` that locate each answer (``source_file`` is the path within the folder
given, so two files of one name in different folders are told apart).

Every problem in every file is collected before anything is raised, so one call lists them all,
each naming file, sheet and cell; the notes (files and sheets skipped) travel with them, on
:class:`Answers` or on the error as ``notes``. Input files are only ever opened for reading.

What is read (the rules users see in ``docs/common-problems.md``):

- every visible worksheet that has a header row; hidden sheets, chart sheets and sheets without
  a header are skipped with a note (SC111);
- the header is the first row (of the first 30) with a column naming the unit (region, or
  kecamatan, or desa/kelurahan, or a region code) and either indicator and value columns (long
  shape) or indicator codes as column names (wide shape). A second header row right under it
  (its region cell blank, its cells header words or codes) refines it: that is how merged group
  cells over the real column names ("Jawaban" over "Nilai | Bukti dukung") read;
- the unit is named by the most specific of the desa, kecamatan and region columns, the others
  being its parents; a region code column identifies it (the name, optional, is checked);
- region, cycle and respondent cells merged down over several rows count for each row;
- a file whose name or folder names one year holds that cycle only (SC311); a table whose name
  names none may hold several cycles;
- a cell that shows no value because its formula was never computed (SC108) or that shows an
  Excel error (SC110) is reported instead of being read as a blank answer; a number typed in the
  evidence column beside a blank value is reported (SC322) instead of being lost;
- in a folder, files that are not spreadsheets or tables (and ``.txt`` notes that hold no
  table) are skipped with a note; the same file twice, or two files with the same answers, is
  one problem naming both (SC324).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import (
    Bilingual,
    DataError,
    FileError,
    Location,
    Problem,
    ProblemCollector,
    SmartCityError,
    column_letter,
    error_class,
)
from ..files import file_sha256 as _file_sha256
from .framework import Framework, default_framework
from .instrument_changes import InstrumentChanges
from .readers import (
    MISSING_TOKENS,
    SPREADSHEET_SUFFIXES,
    TABLE_SUFFIXES,
    UNREADABLE_SPREADSHEET_SUFFIXES,
    RawSheet,
    clean_text,
    clean_texts,
    close_workbook,
    display_name,
    file_kind,
    flagged_cells,
    normalise_code,
    open_workbook,
    parse_numbers,
    read_csv_rows,
    read_sheet_rows,
    sheet_states,
    year_in_path,
)
from .regions import load_region_aliases, province_fits, resolve_region

ANSWER_COLUMNS = ("cycle", "region", "respondent", "indicator", "value", "evidence")
SOURCE_COLUMNS = ("source_file", "source_sheet", "source_row", "source_col")

#: Header words people use, lower case, for each standard column.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "region": ("region", "daerah", "wilayah", "kabupaten/kota", "kab/kota", "nama daerah", "pemda"),
    "indicator": ("indicator", "indikator", "kode", "kode indikator", "code", "indicator code"),
    "value": ("value", "nilai", "skor", "jawaban", "score", "answer"),
    "cycle": ("cycle", "siklus", "tahun", "year", "periode"),
    "respondent": ("respondent", "responden", "opd", "perangkat daerah"),
    "evidence": ("evidence", "bukti dukung", "bukti", "bukti_dukung"),
    "region_code": ("region_code", "kode wilayah", "kode_wilayah", "kode daerah", "kode kemendagri",
                    "kode wilayah kemendagri", "region code"),
    "kecamatan": ("kecamatan", "kec", "kec.", "distrik"),
    "desa": ("desa", "kelurahan", "desa/kelurahan", "kelurahan/desa", "nama desa", "desa/kel"),
}
#: Columns that name the unit answered for, from the most specific: the first present is the unit,
#: those after it its parents.
UNIT_COLUMNS = ("desa", "kecamatan", "region")
_UNIT_LEVEL = {"desa": "desa", "kecamatan": "kecamatan", "region": None}
_HEADER_LOOKUP = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}
_SKIPPED_NAMES = (".ds_store", "thumbs.db", "desktop.ini")
_SKIPPED_FOLDERS = ("__macosx",)
_HEADER_SCAN_ROWS = 30
#: Columns of raw records that only locate or check them; never passed on as grouping columns.
_INTERNAL_PREFIX = "_"
_RESERVED = {*ANSWER_COLUMNS, *SOURCE_COLUMNS}


@dataclass
class Answers:
    """Loaded answers with the instrument they were checked against."""

    table: pd.DataFrame
    framework: Framework
    files: list[dict] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def group_columns(self) -> list[str]:
        fixed = set(ANSWER_COLUMNS) | set(SOURCE_COLUMNS)
        return [c for c in self.table.columns if c not in fixed]

    def summary(self) -> dict:
        t = self.table
        expected = t.groupby(["cycle", "region", "respondent"], dropna=False).ngroups * len(
            self.framework.indicators
        )
        answered = int(t["value"].notna().sum())
        return {
            "regions": int(t["region"].nunique()),
            "cycles": sorted(int(c) for c in t["cycle"].dropna().unique()),
            "indicators": int(t["indicator"].nunique()),
            "respondents": int(t.groupby(["cycle", "region"], dropna=False)["respondent"].nunique(dropna=False).sum()),
            "answers": answered,
            "missing_share": 1 - answered / expected if expected else 0.0,
        }

    def summary_line(self, lang: str = "id") -> str:
        s = self.summary()
        cycles = ", ".join(map(str, s["cycles"])) or "-"
        if lang == "en":
            return (
                f"OK: {s['regions']} regions, cycles {cycles}, {s['indicators']} indicators, "
                f"{s['respondents']} respondents, {s['answers']} answers, "
                f"{s['missing_share']:.1%} missing"
            )
        share = f"{s['missing_share'] * 100:.1f}".replace(".", ",")  # Indonesian decimal comma
        return (
            f"OK: {s['regions']} daerah, siklus {cycles}, {s['indicators']} indikator, "
            f"{s['respondents']} responden, {s['answers']} jawaban, {share}% kosong"
        )


class CodeResolver:
    """Indicator codes as typed -> the instrument's codes, through declared instrument changes."""

    def __init__(self, framework: Framework, changes: InstrumentChanges | None = None):
        self.framework = framework
        self.renames = changes.renames if changes else {}
        self.dropped = changes.dropped if changes else frozenset()
        self.added = changes.added if changes else frozenset()

    def resolve(self, typed: object) -> str:
        key = normalise_code(typed)
        if key in self.renames:
            return self.renames[key]
        return self.framework.code_lookup.get(key, key)

    def is_dropped(self, typed: object) -> bool:
        return normalise_code(typed) in self.dropped


# --- public entry point ----------------------------------------------------------------------


def load_answers(
    paths: str | Path | list[str | Path],
    framework: Framework | None = None,
    *,
    cycle: int | None = None,
    region_aliases: str | Path | None = None,
    code_changes: InstrumentChanges | None = None,
) -> Answers:
    """Load answers from files and folders, validate them against ``framework``, all at once.

    Parameters
    ----------
    paths
        Files (csv, tsv, txt, xlsx, xlsm, xlsb, xls, ods) and folders (searched recursively; lock
        files ``~$...``, system files, hidden folders and non-table files are skipped with a note).
    framework
        The instrument; the built-in default when None.
    cycle
        Cycle for inputs that carry none (no cycle column, no year in the file name).
    region_aliases
        An extra alias table (``alias, region``) on top of the built-in one.
    code_changes
        Indicators renamed or dropped since earlier cycles (:mod:`.instrument_changes`):
        old codes are read as their new codes; answers to dropped ones are set aside with a note.

    Raises
    ------
    SmartCityError
        With every problem found, each naming file, sheet and cell.
    """
    framework = framework or default_framework()
    codes = CodeResolver(framework, code_changes)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    problems = ProblemCollector()
    try:
        aliases = load_region_aliases(region_aliases)
    except SmartCityError as exc:
        problems.extend(exc.problems)
        _raise_problems(problems)
    files = _expand_paths([Path(p) for p in paths], problems)
    parts, file_info, seen = [], [], {}
    for path, shown in files:
        here = ProblemCollector()
        part = None
        try:
            digest = file_sha256(path)
            if digest in seen:
                other, rows = seen[digest]
                here.add("SC324", Location(path.name), other=other, count=rows)
            else:
                part = _load_file(path, codes, here, cycle)
        except SmartCityError as exc:
            here.extend(exc.problems)
        _rename_file(here, path.name, shown)
        problems.extend(here.problems)
        problems.notes.extend(here.notes)
        if part is not None and len(part):
            part["source_file"] = shown
            parts.append(part)
        if part is not None:
            seen.setdefault(digest, (shown, int((clean_texts(part["value"]) != "").sum())))
            file_info.append({"path": str(path), "sha256": digest, "rows": len(part)})
    if not parts:
        if not problems:
            problems.add("SC313", Location(", ".join(Path(p).name or str(p) for p in paths)))
        _raise_problems(problems)
    # The records read so far are checked even when some file had a problem (a template's blank
    # region, a missing file), so that one call lists every problem.
    raw = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    table = _validate_records(raw, codes, problems, aliases)
    _raise_problems(problems)
    return Answers(table, framework, file_info, problems.notes)


def _rename_file(problems: ProblemCollector, name: str, shown: str) -> None:
    """Problems and notes of one file located by its path within the input folder."""
    if name == shown:
        return
    for collected in (problems.problems, problems.notes):
        collected[:] = [replace(p, location=replace(p.location, file=shown)) if p.location.file == name else p
                        for p in collected]


def _raise_problems(problems: ProblemCollector) -> None:
    """Raise what was collected, one line per problem: a cell whose formula has no value (SC108)
    or shows an Excel error (SC110) is not also reported as blank or unknown. The notes
    (skipped files and sheets) travel on the error as ``notes``."""
    if not problems:
        return
    flagged = {(p.location.file, p.location.sheet, p.location.cell)
               for p in problems if p.code in ("SC108", "SC110")}
    if flagged:
        problems.problems = [
            p for p in problems
            if p.code in ("SC108", "SC110") or (p.location.file, p.location.sheet, p.location.cell) not in flagged
        ]
    error = error_class(problems.problems)(problems.problems)
    error.notes = list(problems.notes)
    raise error


def file_sha256(path: Path) -> str:
    """:func:`~..files.file_sha256`, an unreadable file a located problem (SC112)."""
    try:
        return _file_sha256(path)
    except OSError as exc:
        raise FileError.single("SC112", Location(display_name(path)), detail=exc.strerror or str(exc)) from None


def _expand_paths(paths: list[Path], problems: ProblemCollector) -> list[tuple[Path, str]]:
    """The files to read, each with the name messages use: its path within the folder given
    (``2024/gianyar__bappeda.xlsx``), or its file name when given itself."""
    out: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            usable = []
            for p in _walk(path, problems):
                shown = p.relative_to(path).as_posix()
                reason = _stray(p)
                if reason:
                    problems.note("SC106", Location(shown), reason=reason)
                elif p.suffix.lower() in TABLE_SUFFIXES | UNREADABLE_SPREADSHEET_SUFFIXES:
                    usable.append((p, shown))  # unreadable spreadsheets are reported by _load_file (SC104)
                else:
                    problems.note("SC106", Location(shown),
                                  reason=Bilingual("bukan berkas tabel", "not a table file"))
            if not usable:
                problems.add("SC107", Location(str(path)))
            out.extend(usable)
        elif not path.exists():
            problems.add("SC101", Location(str(path)))
        elif _stray(path):
            problems.note("SC106", Location(display_name(path)), reason=_stray(path))
        else:
            out.append((path, display_name(path)))
    names = [shown for _, shown in out]
    if len(set(names)) < len(names):  # two files of one name given apart: tell them by their folders
        return [(p, shown if names.count(shown) == 1 else p.as_posix()) for p, shown in out]
    return out


def _walk(folder: Path, problems: ProblemCollector) -> list[Path]:
    """Files under ``folder`` in a stable order; hidden folders (``.git``) and ``__MACOSX`` are
    skipped whole, with one note each."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for d in sorted(dirnames):
            if d.startswith(".") or d.lower() in _SKIPPED_FOLDERS:
                problems.note("SC106", Location(str((here / d).relative_to(folder))),
                              reason=Bilingual("folder tersembunyi atau folder sistem", "hidden or system folder"))
        dirnames[:] = sorted(d for d in dirnames if not (d.startswith(".") or d.lower() in _SKIPPED_FOLDERS))
        found.extend(here / f for f in sorted(filenames))
    return sorted(found)


def _stray(path: Path) -> Bilingual | None:
    name = path.name.lower()
    if name.startswith("~$") or name.startswith(".~lock"):
        return Bilingual("berkas kunci Office", "Office lock file")
    if name in _SKIPPED_NAMES or name.startswith("._"):
        return Bilingual("berkas sistem", "system file")
    return None


# --- per file --------------------------------------------------------------------------------


def _load_file(path: Path, codes: CodeResolver, problems: ProblemCollector,
               cycle: int | None) -> pd.DataFrame | None:
    name = display_name(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise FileError.single("SC104", Location(name), suffix=suffix or "(tanpa akhiran / no suffix)")
    claimed = year_in_path(path)
    default_cycle = claimed or cycle
    if suffix in SPREADSHEET_SUFFIXES or file_kind(path) in ("zip", "ole2"):
        workbook = open_workbook(path)
        try:
            return _load_workbook(workbook, path, codes, problems, default_cycle, claimed)
        finally:
            close_workbook(workbook)
    try:
        raw = read_csv_rows(path)
    except FileError as exc:
        if suffix == ".txt" and exc.codes == ["SC109"]:  # a .txt that is no text (notes saved oddly)
            problems.note("SC106", Location(name), reason=Bilingual("bukan berkas teks", "not a text file"))
            return None
        raise
    header = _find_header(raw, codes)
    if header is None:
        if suffix == ".txt":  # notes beside the answers (catatan.txt): a .txt need not be a table
            problems.note("SC106", Location(name), reason=Bilingual(
                "berkas teks tanpa tabel jawaban (tidak ada baris judul)", "a text file with no answers table (no header row)"))
            return None
        raise DataError.single("SC310", Location(name), columns=_HEADER_HINT)
    part = _table_records(raw, header, problems, default_cycle)
    if not len(part):
        raise DataError.single("SC314", raw.location(header.row))
    part["_claimed_cycle"] = claimed
    return part


_HEADER_HINT = Bilingual(
    "Daerah (atau Kecamatan, Desa, Kode Wilayah), Kode Indikator dan Nilai, atau Daerah dan satu kolom per "
    "kode indikator",
    "region (or kecamatan, desa, region code), indicator and value, or region and one column per indicator code",
)


def _load_workbook(workbook, path: Path, codes: CodeResolver, problems: ProblemCollector,
                   default_cycle: int | None, claimed: int | None) -> pd.DataFrame | None:
    from . import template

    name = display_name(path)
    if template.is_template(workbook):
        return template.read_template(workbook, path, codes.framework, problems, expected_cycle=claimed,
                                      resolver=codes)
    parts, without_header, header_only = [], [], []
    for sheet, visible, is_worksheet in sheet_states(workbook):
        if not is_worksheet:
            problems.note("SC111", Location(name, sheet),
                          reason=Bilingual("lembar grafik", "chart sheet"))
            continue
        if not visible:
            problems.note("SC111", Location(name, sheet),
                          reason=Bilingual("lembar tersembunyi", "hidden sheet"))
            continue
        raw = read_sheet_rows(workbook, path, sheet)
        if not any(clean_text(c) for row in raw.rows for c in row):
            continue  # an empty sheet (Sheet2, Sheet3)
        header = _find_header(raw, codes)
        if header is None:
            without_header.append(sheet)
            continue
        part = _table_records(raw, header, problems, default_cycle)
        _report_flagged_cells(path, raw, header, part, problems)
        if len(part):
            parts.append(part)
        else:
            header_only.append(raw.location(header.row))
    if not parts:
        if header_only:
            raise DataError.single("SC314", header_only[0])
        raise DataError.single("SC310", Location(name, ", ".join(without_header) or None), columns=_HEADER_HINT)
    for sheet in without_header:
        problems.note("SC111", Location(name, sheet),
                      reason=Bilingual("tidak ada baris judul tabel jawaban", "no header row of an answers table"))
    for where in header_only:
        problems.note("SC111", where,
                      reason=Bilingual("hanya baris judul, tanpa jawaban", "a header row and no answers"))
    part = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    part["_claimed_cycle"] = claimed
    return part


@dataclass
class _Header:
    row: int  # 0-based row index of the header in the sheet (the lower row of a two-row header)
    columns: dict[str, int]  # standard column -> 0-based column index
    indicator_columns: dict[str, int]  # wide shape: indicator code -> column index
    unknown_code_columns: dict[str, int]
    group_columns: dict[str, int]
    duplicated: list[tuple[str, int]]

    def identity_columns(self) -> list[int]:
        """Columns whose merged-down cells count for every row they cover."""
        keys = ("region", "kecamatan", "desa", "region_code", "cycle", "respondent")
        return [self.columns[k] for k in keys if k in self.columns] + list(self.group_columns.values())

    def unit_key(self) -> str | None:
        """The column naming the unit answered for (``desa``, ``kecamatan`` or ``region``)."""
        return next((k for k in UNIT_COLUMNS if k in self.columns), None)

    def unit_column(self) -> int:
        """Position of the unit's name column, or of its code column when it has no name."""
        key = self.unit_key()
        return self.columns[key] if key else self.columns["region_code"]


_CODE_SHAPE = re.compile(r"^[A-Z]{1,4}[-.][A-Z0-9]+([-.][A-Z0-9]+)*$")


def _find_header(raw: RawSheet, resolver: CodeResolver) -> _Header | None:
    rows = raw.rows
    codes = set(resolver.framework.table.index)
    for r in range(min(len(rows), _HEADER_SCAN_ROWS)):
        found = _header_at(rows[r], r, resolver, codes)
        below = rows[r + 1] if r + 1 < len(rows) else None
        if found is not None:
            if below is not None and _is_sub_header(below, found, resolver, codes):
                better = _header_at(_combine(rows[r], below), r + 1, resolver, codes)
                if better is not None:
                    return better
            return found
        region_j = _region_column(rows[r])
        if region_j is None:
            continue
        # Group names merged over the real column names: up to two more header rows, each with
        # a blank region cell (the region label is merged down over them).
        combined = rows[r]
        for k in range(r + 1, min(r + 3, len(rows))):
            if not _blank(rows[k], region_j):
                break
            combined = _combine(combined, rows[k])
            found = _header_at(combined, k, resolver, codes)
            if found is not None:
                return found
    return None


def _blank(row: list, j: int) -> bool:
    return j >= len(row) or clean_text(row[j]) == ""


def _combine(upper: list, lower: list) -> list:
    """A two-row header as one: the lower label where there is one, else the (merged) upper one."""
    return [b if clean_text(b) else a for a, b in zip_longest(upper, lower, fillvalue=None)]


def _region_column(row: list) -> int | None:
    for j, cell in enumerate(row):
        if _HEADER_LOOKUP.get(clean_text(cell).lower()) in _IDENTIFYING:
            return j
    return None


#: Header words that identify a unit; a header row needs one of them.
_IDENTIFYING = frozenset({*UNIT_COLUMNS, "region_code"})


def _is_sub_header(row: list, header: _Header, resolver: CodeResolver, codes: set[str]) -> bool:
    """A row right under a header that names the header's columns more precisely."""
    if not _blank(row, header.unit_column()):
        return False
    labels = [clean_text(c) for c in row]
    words = sum(1 for label in labels if _HEADER_LOOKUP.get(label.lower()))
    if header.indicator_columns:
        return False
    return words > 0 and not any(label and resolver.resolve(label) in codes for label in labels)


def _header_at(row: list, r: int, resolver: CodeResolver, codes: set[str]) -> _Header | None:
    labels = [clean_text(c).lower() for c in row]
    columns: dict[str, int] = {}
    duplicated = []
    for j, label in enumerate(labels):
        key = _HEADER_LOOKUP.get(label)
        if key:
            if key in columns:
                duplicated.append((key, j))
            else:
                columns[key] = j
    if not _IDENTIFYING & columns.keys():
        return None
    indicator_columns, unknown, groups = {}, {}, {}
    for j, cell in enumerate(row):
        if j in columns.values() or not labels[j]:
            continue
        if resolver.is_dropped(cell):
            continue  # an indicator the instrument dropped: its answers are set aside
        code = resolver.resolve(cell)
        if code in codes:
            if code in indicator_columns:
                duplicated.append((code, j))
            else:
                indicator_columns[code] = j
        elif _CODE_SHAPE.match(code) and "indicator" not in columns:
            unknown[code] = j
        else:
            groups[_group_name(cell, groups)] = j
    if ("indicator" in columns and "value" in columns) or indicator_columns:
        return _Header(r, columns, indicator_columns, unknown, groups, duplicated)
    return None


def _group_name(label: object, taken: dict[str, int]) -> str:
    text = clean_text(label).lower()
    text = re.sub(r"[^0-9a-z]+", "_", text).strip("_")
    name = {"tipe": "region_type", "jenis": "region_type", "type": "region_type",
            "provinsi": "province"}.get(text, text or "column")
    if name in _RESERVED:
        name = f"{name}_input"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _fill_merged_down(raw: RawSheet, header: _Header) -> None:
    """Region, cycle, respondent and grouping cells merged over several data rows: every row gets
    the value (calamine gives it to the first cell only)."""
    wanted = set(header.identity_columns())
    for r0, c0, r1, c1 in raw.merged:
        if r0 <= header.row or r1 <= r0 or r0 >= len(raw.rows):
            continue
        top = raw.rows[r0][c0] if c0 < len(raw.rows[r0]) else None
        for r in range(r0 + 1, min(r1, len(raw.rows) - 1) + 1):
            row = raw.rows[r]
            for c in range(c0, c1 + 1):
                if c in wanted and c < len(row) and clean_text(row[c]) == "":
                    row[c] = top


def _table_records(raw: RawSheet, header: _Header, problems: ProblemCollector,
                   default_cycle: int | None) -> pd.DataFrame:
    for _key, j in header.duplicated:
        problems.add("SC312", raw.location(header.row, j), column=clean_text(raw.rows[header.row][j]))
    for code, j in header.unknown_code_columns.items():
        problems.add("SC302", raw.location(header.row, j), code=code)
    if raw.merged:
        _fill_merged_down(raw, header)
    body = raw.rows[header.row + 1:]
    if not body:
        return _empty_records()
    used = sorted({*header.columns.values(), *header.indicator_columns.values(), *header.group_columns.values()})
    width = max(max(len(r) for r in body), used[-1] + 1)
    grid = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in body]) if any(
        len(r) != width for r in body) else pd.DataFrame(body)
    excel_rows = np.arange(header.row + 2, header.row + 2 + len(grid), dtype=np.int32)
    blank = np.logical_and.reduce([clean_texts(grid[j]).to_numpy() == "" for j in used])
    grid, excel_rows = grid[~blank].reset_index(drop=True), excel_rows[~blank]
    if not len(grid):
        return _empty_records()
    cols = header.columns

    def column(key: str) -> pd.Series:
        return grid[cols[key]] if key in cols else pd.Series([None] * len(grid), dtype=object)

    unit = header.unit_key()
    if header.indicator_columns:  # wide
        n_ind = len(header.indicator_columns)
        letters = np.array([column_letter(j + 1) for j in header.indicator_columns.values()], dtype=object)

        def per_answer(values: np.ndarray) -> np.ndarray:
            return np.repeat(values, n_ind)

        records = pd.DataFrame({
            "cycle": per_answer(column("cycle").to_numpy(dtype=object)),
            "region": per_answer(column(unit or "region").to_numpy(dtype=object)),
            "respondent": per_answer(column("respondent").to_numpy(dtype=object)),
            "indicator": np.tile(np.array(list(header.indicator_columns), dtype=object), len(grid)),
            "value": grid[list(header.indicator_columns.values())].to_numpy(dtype=object).ravel(),
            "evidence": None,
            "source_row": per_answer(excel_rows),
            "source_col": np.tile(letters, len(grid)),
            "_indicator_col": np.tile(letters, len(grid)),
        })
        records["_evidence_col"] = ""
    else:  # tidy

        def per_answer(values: np.ndarray) -> np.ndarray:
            return values

        records = pd.DataFrame({
            "cycle": column("cycle").to_numpy(dtype=object),
            "region": column(unit or "region").to_numpy(dtype=object),
            "respondent": column("respondent").to_numpy(dtype=object),
            "indicator": column("indicator").to_numpy(dtype=object),
            "value": column("value").to_numpy(dtype=object),
            "evidence": column("evidence").to_numpy(dtype=object),
            "source_row": excel_rows,
            "source_col": column_letter(cols["value"] + 1),
            "_indicator_col": column_letter(cols["indicator"] + 1),
        })
        records["_evidence_col"] = column_letter(cols["evidence"] + 1) if "evidence" in cols else ""
    for name, j in header.group_columns.items():
        records[name] = per_answer(clean_texts(grid[j]).to_numpy(dtype=object))

    def letter(key: str) -> str:
        return column_letter(cols[key] + 1) if key in cols else ""

    # The unit: its name column (the most specific present), its parents' and its code's.
    parents = UNIT_COLUMNS[UNIT_COLUMNS.index(unit) + 1:] if unit else ()
    for key, field_name in (("region_code", "_region_code"), ("kecamatan", "_kecamatan"), ("region", "_kabkota")):
        if key in cols and (key == "region_code" or key in parents):
            records[field_name] = per_answer(column(key).to_numpy(dtype=object))
            records[f"{field_name}_col"] = letter(key)
    records["_unit_level"] = _UNIT_LEVEL.get(unit) if unit else None
    records["_region_col"] = letter(unit) if unit else letter("region_code")
    for group, field_name in (("province", "_province_col"), ("region_type", "_region_type_col")):
        if group in header.group_columns:
            records[field_name] = column_letter(header.group_columns[group] + 1)
    records["_cycle_col"] = letter("cycle")
    if "cycle" not in cols:
        records["cycle"] = default_cycle
    records["source_file"] = raw.file
    records["source_sheet"] = raw.sheet
    return records


def _empty_records() -> pd.DataFrame:
    return pd.DataFrame(columns=[*ANSWER_COLUMNS, "source_row", "source_col", "source_file", "source_sheet"])


def _report_flagged_cells(path: Path, raw: RawSheet, header: _Header, part: pd.DataFrame,
                          problems: ProblemCollector) -> None:
    """SC108 / SC110 at the cells the table reads whose value calamine cannot give."""
    flags = flagged_cells(path, [raw.sheet])[raw.sheet]
    if not (flags.formulas or flags.errors) or not len(part):
        return
    used = {column_letter(j + 1) for j in
            (*header.columns.values(), *header.indicator_columns.values(), *header.group_columns.values())}
    rows = set(part["source_row"].astype(int))
    name = display_name(path)

    def read_here(cell: str) -> bool:
        match = re.match(r"([A-Z]+)(\d+)$", cell)
        return bool(match) and match.group(1) in used and int(match.group(2)) in rows

    for cell, formula in flags.formulas.items():
        if read_here(cell):
            problems.add("SC108", Location(name, raw.sheet, cell), formula=formula)
    for cell, error in flags.errors.items():
        if read_here(cell):
            problems.add("SC110", Location(name, raw.sheet, cell), error=error)


# --- validation shared by every shape ------------------------------------------------------


def _validate_records(raw: pd.DataFrame, resolver: CodeResolver, problems: ProblemCollector,
                      aliases: dict[str, str]) -> pd.DataFrame:
    """Parse and check the raw records of all files together; returns the tidy table."""
    framework = resolver.framework
    n = len(raw)
    where_file = raw["source_file"].to_numpy(dtype=object)
    where_sheet = raw["source_sheet"].to_numpy(dtype=object)
    rows = raw["source_row"].to_numpy()

    def at(i: int, col_field: str = "source_col") -> Location:
        # A form's header fields (region, province) live in one cell of the instructions sheet.
        cell_field = col_field.removesuffix("_col") + "_cell"
        if cell_field in raw.columns and isinstance(raw[cell_field].iat[i], str) and raw[cell_field].iat[i]:
            return Location(where_file[i], raw[col_field.removesuffix("_col") + "_sheet"].iat[i],
                            raw[cell_field].iat[i])
        col = raw[col_field].iat[i] if col_field in raw.columns else raw["source_col"].iat[i]
        col = col if isinstance(col, str) else ""
        sheet = where_sheet[i] if isinstance(where_sheet[i], str) else None
        return Location(where_file[i], sheet, f"{col}{rows[i]}" if col else None,
                        row=None if col else int(rows[i]))

    # Indicator codes.
    codes = pd.Series(pd.unique(raw["indicator"].astype(object)))
    code_map = {c: resolver.resolve(c) for c in codes}
    dropped_codes = [c for c in codes if resolver.is_dropped(c)]
    indicator = raw["indicator"].astype(object).map(code_map)
    dropped = raw["indicator"].astype(object).isin(dropped_codes).to_numpy()
    known = indicator.isin(framework.indicators).to_numpy()
    value_text_blank = clean_texts(raw["value"]).to_numpy() == "" if raw["value"].dtype == object else np.zeros(n, bool)
    skip = ((indicator.to_numpy() == "") & value_text_blank) | dropped  # blank rows; dropped indicators
    for code in dropped_codes:
        problems.note("SC106", Location(), reason=Bilingual(
            f"indikator {code} dihapus dari instrumen", f"indicator {code} was dropped from the instrument"))
    for i in np.flatnonzero(~known & ~skip):
        problems.add("SC302", at(i, "_indicator_col"), code=indicator.iat[i] or "(kosong)")

    # Values.
    values, bad = parse_numbers(raw["value"])
    lo = indicator.map(framework.table["min"]).to_numpy(dtype=float)
    hi = indicator.map(framework.table["max"]).to_numpy(dtype=float)
    for i in np.flatnonzero(bad & known):
        problems.add("SC303", at(i), value=clean_text(raw["value"].iat[i])[:80], lo=_fmt(lo[i]), hi=_fmt(hi[i]))
    with np.errstate(invalid="ignore"):
        outside = known & ~np.isnan(values) & ((values < lo) | (values > hi))
    for i in np.flatnonzero(outside):
        problems.add("SC304", at(i), value=_fmt(values[i]), lo=_fmt(lo[i]), hi=_fmt(hi[i]))
    evidence = clean_texts(raw["evidence"]).replace("", None) if "evidence" in raw else None
    if evidence is not None:
        _report_numbers_in_evidence(raw, evidence, values, bad, known & ~skip, indicator, at, problems)

    # Regions: every unit resolved to the register (or to a unit the alias table declares).
    units = _resolve_units(raw, ~skip, aliases, at, problems)

    # Cycles.
    cycle_raw = raw["cycle"]
    cycle_num, cycle_bad = parse_numbers(cycle_raw.astype(object))
    with np.errstate(invalid="ignore"):
        cycle_bad |= ~np.isnan(cycle_num) & ((cycle_num % 1 != 0) | (cycle_num < 1900) | (cycle_num > 2200))
    cycle_num[cycle_bad] = np.nan
    for i in np.flatnonzero(cycle_bad & ~skip):
        problems.add("SC308", at(i, "_cycle_col"), value=clean_text(cycle_raw.iat[i])[:80] or "(kosong)")
    if "_claimed_cycle" in raw.columns:
        _check_one_cycle_per_file(raw, cycle_num, units["region"], ~skip, at, problems)

    respondent = clean_texts(raw["respondent"]).replace("", None)

    keep = known & ~skip
    table = pd.DataFrame({
        "cycle": pd.array(cycle_num, dtype="Int64"),
        "region": units["region"].to_numpy(dtype=object),
        "respondent": respondent.to_numpy(dtype=object),
        "indicator": indicator.to_numpy(dtype=object),
        "value": values,
        "evidence": evidence.to_numpy(dtype=object) if evidence is not None else None,
        # From the register: the typed province and region type were checked against it.
        "region_code": units["region_code"].to_numpy(dtype=object),
        "region_type": units["region_type"].to_numpy(dtype=object),
        "province": units["province"].to_numpy(dtype=object),
    })
    extra = [c for c in raw.columns if c not in _RESERVED and not c.startswith(_INTERNAL_PREFIX)
             and c not in table.columns]
    for c in extra:
        table[c] = clean_texts(raw[c]).replace("", None).to_numpy(dtype=object)
    table["source_file"] = pd.Categorical(raw["source_file"].astype(object))
    table["source_sheet"] = pd.Categorical(raw["source_sheet"].astype(object))
    table["source_row"] = raw["source_row"].to_numpy(dtype=np.int32)
    table["source_col"] = pd.Categorical(raw["source_col"].astype(object))
    table = table[keep].reset_index(drop=True)

    _report_duplicates(table[table["region"] != ""], problems)  # unknown units are reported already
    table["region"] = pd.Categorical(table["region"])
    table["indicator"] = pd.Categorical(table["indicator"], categories=framework.indicators)
    return table


_UNIT_INPUTS = ("region", "_region_code", "_kabkota", "_kecamatan", "_unit_level")
_TYPE_WORDS = {"kab": "kabupaten", "kab.": "kabupaten", "kabupaten": "kabupaten", "kota": "kota",
               "kec": "kecamatan", "kecamatan": "kecamatan", "distrik": "kecamatan", "desa": "desa",
               "kel": "kelurahan", "kelurahan": "kelurahan", "provinsi": "provinsi", "prov": "provinsi",
               "kab/kota": "kabkota", "kabupaten/kota": "kabkota", "desa/kelurahan": "desa"}


def _resolve_units(raw: pd.DataFrame, considered: np.ndarray, aliases: dict[str, str], at,
                   problems: ProblemCollector) -> pd.DataFrame:
    """``region, region_code, region_type, province`` per record, from the register.

    Each distinct typed unit (name, code, parents, level) is resolved once; its problem (SC307
    blank, SC315-SC318) is reported once per file, at its first cell. The typed province and
    region type are checked against the register (SC320) and replaced by its words.
    """
    n = len(raw)
    present = [c for c in _UNIT_INPUTS if c in raw.columns]
    typed = {c: clean_texts(raw[c].astype(object)) for c in present}
    combined = np.zeros(n, dtype=np.int64)
    for c in present:  # one integer per distinct combination, without hashing tuples of strings
        codes, uniques = pd.factorize(typed[c])
        combined = combined * (len(uniques) + 1) + codes
        combined, _ = pd.factorize(combined)
    group = combined
    done = raw["_region_done"].fillna(False).to_numpy(dtype=bool) if "_region_done" in raw.columns else np.zeros(
        n, bool)
    n_groups = int(group.max()) + 1 if n else 0
    first = pd.Series(np.arange(n)).groupby(group).first().to_numpy()
    matches = []
    for g in range(n_groups):
        i = int(first[g])
        values = {c: typed[c].iat[i] for c in present}
        matches.append(resolve_region(
            values.get("region"), values.get("_region_code"), kabkota=values.get("_kabkota"),
            kecamatan=values.get("_kecamatan"), level=values.get("_unit_level") or None, aliases=aliases))
    out = pd.DataFrame({
        "region": [m.unit.label if m.unit else "" for m in matches],
        "region_code": [m.unit.region_code or None if m.unit else None for m in matches],
        "region_type": [m.unit.type or None if m.unit else None for m in matches],
        "province": [m.unit.province or None if m.unit else None for m in matches],
    }).iloc[group].reset_index(drop=True) if n_groups else pd.DataFrame(
        columns=["region", "region_code", "region_type", "province"])

    # One problem per unit and file, at the unit's first cell there.
    report = considered & ~done
    file_codes, _ = pd.factorize(raw["source_file"].astype(object))
    n_files = int(file_codes.max()) + 1 if n else 1
    fields = {"name": "_region_col", "code": "_region_code_col", "kabkota": "_kabkota_col",
              "kecamatan": "_kecamatan_col"}
    bad_groups = np.array([m.problem is not None for m in matches], dtype=bool)
    if n_groups and bad_groups.any():
        for i in _first_rows(report & bad_groups[group], group.astype(np.int64) * n_files + file_codes):
            match = matches[group[i]]
            problems.add(match.problem, at(int(i), fields[match.field]), **match.params)
    blank = np.array([m.unit is None and m.problem is None for m in matches], dtype=bool)
    for i in np.flatnonzero(report & blank[group] if n_groups else np.zeros(0, bool)):
        problems.add("SC307", at(int(i), "_region_col"))

    checks = (("province", _province_fact, province_fits), ("region_type", _type_fact, _type_fits))
    for column, fact_of, check in checks:
        if column not in raw.columns:
            continue
        given = clean_texts(raw[column].astype(object))
        given_codes, given_values = pd.factorize(given)
        has = report & (given.to_numpy(dtype=object) != "")
        key = (group.astype(np.int64) * (len(given_values) + 1) + given_codes) * n_files + file_codes
        for i in _first_rows(has, key):
            unit = matches[group[i]].unit
            value = given.iat[i]
            if unit is not None and not check(value, unit):
                problems.add("SC320", at(int(i), f"_{column}_col"), field=_FIELD_WORDS[column], typed=value,
                             fact=fact_of(unit))
    return out


def _first_rows(mask: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Positions, in order, of the first row of each distinct ``key`` among the rows of ``mask``."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return rows
    _, first = np.unique(key[rows], return_index=True)
    return rows[np.sort(first)]


_FIELD_WORDS = {"province": Bilingual("provinsi", "province"), "region_type": Bilingual("jenis daerah", "region type")}


def _province_fact(unit) -> Bilingual:
    return Bilingual(f"{unit.describe()} ada di provinsi {unit.province}", f"{unit.describe()} is in {unit.province}")


def _type_fact(unit) -> Bilingual:
    return Bilingual(f"{unit.describe()} adalah {unit.type}", f"{unit.describe()} is a {unit.type}")


def _type_fits(typed: str, unit) -> bool:
    text = typed.lower().strip()
    if not unit.in_register:
        return text == unit.type.lower()
    word = _TYPE_WORDS.get(text)
    return word == unit.type or {word, unit.type} <= {"desa", "kelurahan"} or (
        word == "kabkota" and unit.type in ("kabupaten", "kota"))


def _report_numbers_in_evidence(raw: pd.DataFrame, evidence: pd.Series, values: np.ndarray, bad: np.ndarray,
                                considered: np.ndarray, indicator: pd.Series, at,
                                problems: ProblemCollector) -> None:
    """SC322 where the value is blank and the evidence cell holds nothing but a number: an
    answer typed one column too far would otherwise be lost."""
    candidates = considered & np.isnan(values) & ~bad & evidence.notna().to_numpy()
    if not candidates.any():
        return
    typed = evidence[candidates]
    numbers, not_number = parse_numbers(typed.astype(object))
    words = typed.str.lower().isin(MISSING_TOKENS).to_numpy()
    for k in np.flatnonzero(~np.isnan(numbers) & ~not_number & ~words):
        i = int(np.flatnonzero(candidates)[k])
        problems.add("SC322", at(i, "_evidence_col"), evidence=typed.iat[k][:40], code=indicator.iat[i])


def _check_one_cycle_per_file(raw: pd.DataFrame, cycle_num: np.ndarray, region: pd.Series,
                              considered: np.ndarray, at, problems: ProblemCollector) -> None:
    """SC311, once per file and region: answers under a cycle other than the one the file's name
    or folder names."""
    claimed = pd.to_numeric(raw["_claimed_cycle"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        off = considered & ~np.isnan(claimed) & ~np.isnan(cycle_num) & (cycle_num != claimed)
    if not off.any():
        return
    frame = pd.DataFrame({"file": raw["source_file"].to_numpy(dtype=object)[off],
                          "region": region.to_numpy(dtype=object)[off],
                          "i": np.flatnonzero(off), "cycle": cycle_num[off]})
    for (_file, name), group in frame.groupby(["file", "region"], sort=False):
        i = int(group["i"].iat[0])
        cycles = ", ".join(str(int(c)) for c in sorted(group["cycle"].unique()))
        problems.add("SC311", at(i, "_cycle_col"), region=name or "-", cycles=cycles,
                     expected=int(claimed[i]))


def _report_duplicates(table: pd.DataFrame, problems: ProblemCollector) -> None:
    """The same cycle, region, indicator and respondent answered twice: SC305 at each repeated
    cell of one file; SC324 once for two files holding the same answers (a form copied into two
    folders), naming both."""
    key = ["cycle", "region", "indicator", "respondent"]
    if not len(table):
        return
    group = table.groupby(key, dropna=False, sort=False).ngroup().to_numpy()
    dup = pd.Series(group).duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    first_of = pd.Series(np.arange(len(table))).groupby(group).first().to_numpy()
    files = table["source_file"].astype(object).to_numpy()
    across: dict[tuple[str, str], list[int]] = {}
    for i in np.flatnonzero(dup):
        j = int(first_of[group[i]])
        if files[i] != files[j]:
            across.setdefault((files[i], files[j]), []).append(int(i))
            continue
        row, other = table.iloc[i], table.iloc[j]
        sheet = row["source_sheet"] if isinstance(row["source_sheet"], str) else None
        problems.add(
            "SC305",
            Location(row["source_file"], sheet, f"{row['source_col']}{row['source_row']}"),
            region=row["region"], code=row["indicator"],
            respondent=row["respondent"] if isinstance(row["respondent"], str) else "-",
            other=_cell_text(other["source_file"], other["source_sheet"], other["source_col"], other["source_row"]),
        )
    for (file, other), repeated in across.items():
        problems.add("SC324", Location(file), other=other, count=len(repeated))


def _cell_text(file: str, sheet: object, col: str, row: int) -> str:
    sheet_part = f"!{sheet}" if isinstance(sheet, str) else ""
    return f"{file}{sheet_part}!{col}{row}"


def _fmt(x: float) -> str:
    if np.isnan(x):
        return "?"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def cell_of(table: pd.DataFrame, i: int) -> Location:
    """Location of row ``i`` of a loaded answers table."""
    row = table.iloc[i]
    sheet = row["source_sheet"] if isinstance(row["source_sheet"], str) else None
    return Location(row["source_file"], sheet, f"{row['source_col']}{row['source_row']}")
