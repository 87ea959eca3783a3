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
from pandas.api.types import union_categoricals

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
    _FACTORIZABLE,
    MISSING_TOKENS,
    SPREADSHEET_SUFFIXES,
    TABLE_SUFFIXES,
    UNREADABLE_SPREADSHEET_SUFFIXES,
    RawSheet,
    clean_text,
    close_workbook,
    display_name,
    file_kind,
    flagged_cells,
    normalise_code,
    open_workbook_marked,
    parse_numbers,
    read_csv_cells,
    read_sheet_rows,
    sheet_states,
    year_in_path,
)
from .regions import load_region_aliases, province_fits, resolve_region, resolve_region_codes
from .template import FormRecords, is_template, template_records

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
        # Respondents of each cycle and region, summed: the distinct (cycle, region, respondent).
        respondents = _distinct_combinations([t["cycle"], t["region"], t["respondent"]])
        expected = respondents * len(self.framework.indicators)
        answered = int(t["value"].notna().sum())
        return {
            "regions": int(t["region"].nunique()),
            "cycles": sorted(int(c) for c in t["cycle"].dropna().unique()),
            "indicators": int(t["indicator"].nunique()),
            "respondents": respondents,
            "answers": answered,
            "missing_share": 1 - answered / expected if expected else 0.0,
        }

    def summary_line(self, lang: str = "id", summary: dict | None = None) -> str:
        """One line saying what was loaded; ``summary`` is :meth:`summary` when already computed."""
        s = summary if summary is not None else self.summary()
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


def _distinct_combinations(columns: list[pd.Series]) -> int:
    """How many distinct rows the columns make together, a missing value counting as one value
    (``groupby(..., dropna=False).ngroups``). Answers come in runs (a wide row's answers share
    cycle, region and respondent): only the first row of each run is compared."""
    n = len(columns[0])
    if not n:
        return 0
    changed = np.zeros(n, dtype=bool)
    changed[0] = True
    for column in columns:
        if isinstance(column.dtype, pd.CategoricalDtype):
            values = column.array.codes
        elif pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            values = column.to_numpy(dtype=float, na_value=np.nan)  # NaN begins a run of its own
        else:
            values = column.to_numpy(dtype=object, na_value=None)
        changed[1:] |= values[1:] != values[:-1]
    firsts = np.flatnonzero(changed)
    key = np.zeros(len(firsts), dtype=np.int64)
    size = 1
    for column in columns:
        codes, uniques = pd.factorize(column.iloc[firsts], use_na_sentinel=False)
        if size * len(uniques) >= 2**62:
            key, found = pd.factorize(key)
            size = len(found)
        key = key * len(uniques) + codes
        size *= len(uniques)
    return int(pd.Index(key).nunique())


class CodeResolver:
    """Indicator codes as typed -> the instrument's codes, through declared instrument changes."""

    def __init__(self, framework: Framework, changes: InstrumentChanges | None = None):
        self.framework = framework
        self.renames = changes.renames if changes else {}
        self.dropped = changes.dropped if changes else frozenset()
        self.added = changes.added if changes else frozenset()
        self._resolved: dict[str, str] = {}  # typed text -> code: every form repeats the same codes

    def resolve(self, typed: object) -> str:
        if isinstance(typed, str) and typed in self._resolved:
            return self._resolved[typed]
        key = normalise_code(typed)
        code = self.renames[key] if key in self.renames else self.framework.code_lookup.get(key, key)
        if isinstance(typed, str):
            self._resolved[typed] = code
        return code

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
        if isinstance(part, FormRecords):
            part.header["source_file"] = shown
            if len(part):
                parts.append(part)
            seen.setdefault(digest, (shown, part.answered))
        elif part is not None:
            if len(part):
                part["source_file"] = pd.Series(_constant(shown, len(part)), copy=False)
                parts.append(part)
            seen.setdefault(digest, (shown, _answered(part["value"])))
        if part is not None:
            file_info.append({"path": str(path), "sha256": digest, "rows": len(part)})
    if not parts:
        if not problems:
            problems.add("SC313", Location(", ".join(Path(p).name or str(p) for p in paths)))
        _raise_problems(problems)
    # The records read so far are checked even when some file had a problem (a template's blank
    # region, a missing file), so that one call lists every problem.
    records = [_concat_records(parts)]
    parts.clear()
    del part
    table = _validate_records(records, codes, problems, aliases)
    if not len(table) and not problems:  # rows there, but every answer in them blank
        problems.add("SC313", Location(", ".join(Path(info["path"]).name for info in file_info)))
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
        workbook, marked = open_workbook_marked(path)
        try:
            return _load_workbook(workbook, path, codes, problems, default_cycle, claimed, marked)
        finally:
            close_workbook(workbook)
    try:
        cells = read_csv_cells(path)
    except FileError as exc:
        if suffix == ".txt" and exc.codes == ["SC109"]:  # a .txt that is no text (notes saved oddly)
            problems.note("SC106", Location(name), reason=Bilingual("bukan berkas teks", "not a text file"))
            return None
        raise
    # The header is among the top rows; the body is read as columns of codes.
    raw = RawSheet(name, None, cells.iloc[:_HEADER_SCAN_ROWS + 2].to_numpy(dtype=object).tolist())
    header = _find_header(raw, codes)
    if header is None:
        if suffix == ".txt":  # notes beside the answers (catatan.txt): a .txt need not be a table
            problems.note("SC106", Location(name), reason=Bilingual(
                "berkas teks tanpa tabel jawaban (tidak ada baris judul)", "a text file with no answers table (no header row)"))
            return None
        raise DataError.single("SC310", Location(name), columns=_HEADER_HINT)
    body = _Body.of(cells.iloc[header.row + 1:], header)
    del cells
    part = _table_records(raw, header, body, problems, default_cycle)
    if not len(part):
        raise DataError.single("SC314", raw.location(header.row))
    part["_claimed_cycle"] = _claimed(claimed, len(part))
    return part


_HEADER_HINT = Bilingual(
    "Daerah (atau Kecamatan, Desa, Kode Wilayah), Kode Indikator dan Nilai, atau Daerah dan satu kolom per "
    "kode indikator",
    "region (or kecamatan, desa, region code), indicator and value, or region and one column per indicator code",
)


def _load_workbook(workbook, path: Path, codes: CodeResolver, problems: ProblemCollector,
                   default_cycle: int | None, claimed: int | None,
                   marked: frozenset[str] | None = None) -> pd.DataFrame | FormRecords | None:
    name = display_name(path)
    if is_template(workbook):
        return template_records(workbook, path, codes.framework, problems, expected_cycle=claimed,
                                resolver=codes, marked_parts=marked)
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
        part = _table_records(raw, header, _Body.of(_sheet_body(raw, header), header), problems, default_cycle)
        _report_flagged_cells(path, raw, header, part, problems, marked)
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
    part = _concat_records(parts)
    part["_claimed_cycle"] = _claimed(claimed, len(part))
    return part


@dataclass
class _Header:
    row: int  # 0-based row index of the header in the sheet (the lower row of a two-row header)
    columns: dict[str, int]  # standard column -> 0-based column index
    indicator_columns: dict[str, int]  # wide shape: indicator code -> column index
    unknown_code_columns: dict[str, int]
    group_columns: dict[str, int]
    duplicated: list[tuple[str, int]]

    def used_columns(self) -> list[int]:
        """Every column the table reads, in order."""
        return sorted({*self.columns.values(), *self.indicator_columns.values(), *self.group_columns.values()})

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


def _sheet_body(raw: RawSheet, header: _Header) -> pd.DataFrame:
    """The rows of a sheet under its header as a frame (rows padded to one width), merged-down
    cells filled in."""
    if raw.merged:
        _fill_merged_down(raw, header)
    body = raw.rows[header.row + 1:]
    if not body:
        return pd.DataFrame()
    width = max(max(len(r) for r in body), header.used_columns()[-1] + 1)
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in body]) if any(
        len(r) != width for r in body) else pd.DataFrame(body)


#: Cells told apart by their value alone, so coded by their distinct values: text (and blanks).
#: Any other column is kept cell by cell: a spreadsheet's 1, 1.0 and True are equal values
#: whose texts differ.
_CODED_KINDS = frozenset({"string", "empty"})


@dataclass
class _Cells:
    """One column of cells as ``uniques[codes]``, code -1 an empty cell (None or NaN).

    A column of text (every CSV column) is coded by its distinct cells (``distinct``), so a
    table of millions of answers is checked once per distinct cell and its records hold small
    integer codes; any other column is kept cell by cell (``codes`` counting up).
    """

    codes: np.ndarray
    uniques: np.ndarray
    distinct: bool

    @classmethod
    def of(cls, values: np.ndarray) -> _Cells:
        if pd.api.types.infer_dtype(values, skipna=True) in _CODED_KINDS:
            codes, uniques = pd.factorize(values)
            return cls(codes.astype(_code_dtype(len(uniques))), uniques.astype(object), True)
        return cls(np.arange(len(values)), values, False)

    def texts(self) -> np.ndarray:
        """:func:`clean_text` of each unique, and ``""`` last (for code -1)."""
        return np.array([clean_text(u) for u in self.uniques] + [""], dtype=object)

    def blank(self) -> np.ndarray:
        return (self.texts() == "")[self.codes]

    def take(self, rows: np.ndarray) -> _Cells:
        return _Cells(self.codes[rows], self.uniques, self.distinct)

    def cleaned(self) -> _Cells:
        """The cells' texts (:func:`clean_text`), coded; an empty cell is ``""``."""
        canon, texts = pd.factorize(self.texts())
        return _Cells(canon.astype(_code_dtype(len(texts)))[self.codes], texts.astype(object), True)

    def values(self) -> np.ndarray:
        """The cells themselves (an empty one None)."""
        return np.append(self.uniques, None)[self.codes] if self.distinct else self.uniques[self.codes]

    def per_answer(self, times: int = 1) -> pd.Categorical | np.ndarray:
        """The cells as a records column, each repeated ``times`` (once per answer of a wide row)."""
        if self.distinct:
            return pd.Categorical.from_codes(np.repeat(self.codes, times) if times > 1 else self.codes,
                                             categories=self.uniques, validate=False)
        values = self.uniques[self.codes]
        return np.repeat(values, times) if times > 1 else values


def _code_dtype(n_uniques: int) -> type:
    return np.int8 if n_uniques < 127 else np.int16 if n_uniques < 32_767 else np.int32


def _constant(value: object, n: int) -> pd.Categorical:
    """A records column holding one value (None: empty) in each of ``n`` rows, as codes that take
    no memory (one code seen ``n`` times: a read-only broadcast)."""
    if value is None:
        return pd.Categorical.from_codes(np.broadcast_to(np.int8(-1), n), categories=[], validate=False)
    return pd.Categorical.from_codes(np.broadcast_to(np.int8(0), n), categories=[value], validate=False)


def _records_frame(columns: dict) -> pd.DataFrame:
    """Records columns as a frame, not copied (pandas would copy a Categorical given directly)."""
    return pd.DataFrame({name: pd.Series(values, copy=False) for name, values in columns.items()}, copy=False)


def _claimed(claimed: int | None, n: int) -> pd.Series:
    """The cycle a file's name or folder names, for each of its ``n`` records."""
    return pd.Series(_constant(None if claimed is None else float(claimed), n), copy=False)


def _tiled(values: list, times: int) -> pd.Categorical:
    """``values`` (distinct) one after the other, ``times`` over, as codes."""
    codes = np.tile(np.arange(len(values), dtype=_code_dtype(len(values))), times)
    return pd.Categorical.from_codes(codes, categories=values, validate=False)


@dataclass
class _Body:
    """The data rows under a header: each column the table reads as :class:`_Cells`, the rows
    without any used cell left out."""

    rows: np.ndarray  # the Excel row number of each row kept
    cells: dict[int, _Cells]

    @classmethod
    def of(cls, grid: pd.DataFrame, header: _Header) -> _Body:
        n = len(grid)
        cells = {j: _Cells.of(grid[j].to_numpy(dtype=object) if j in grid.columns else np.full(n, None, dtype=object))
                 for j in header.used_columns()}
        rows = np.arange(header.row + 2, header.row + 2 + n, dtype=np.int32)
        if n:
            blank = np.logical_and.reduce([c.blank() for c in cells.values()])
            if blank.any():
                cells = {j: c.take(~blank) for j, c in cells.items()}
                rows = rows[~blank]
        return cls(rows, cells)


def _wide_values(body: _Body, columns: list[int]) -> pd.Categorical | np.ndarray:
    """The answers of a wide table, row by row: as one set of codes when every column is coded."""
    cells = [body.cells[j] for j in columns]
    n_rows = len(body.rows)
    if not all(c.distinct for c in cells):
        return np.column_stack([c.values() for c in cells]).ravel()
    canon, uniques = pd.factorize(np.concatenate([c.uniques for c in cells]))
    codes = np.empty((n_rows, len(cells)), dtype=_code_dtype(len(uniques)))
    offset = 0
    for k, c in enumerate(cells):
        # Each column's own codes to the codes of all columns' distinct cells (-1 stays -1).
        codes[:, k] = np.append(canon[offset:offset + len(c.uniques)], -1)[c.codes]
        offset += len(c.uniques)
    return pd.Categorical.from_codes(codes.ravel(), categories=uniques.astype(object), validate=False)


def _table_records(raw: RawSheet, header: _Header, body: _Body, problems: ProblemCollector,
                   default_cycle: int | None) -> pd.DataFrame:
    """One record per answer of a table (``raw`` holds at least its header rows)."""
    for _key, j in header.duplicated:
        problems.add("SC312", raw.location(header.row, j), column=clean_text(raw.rows[header.row][j]))
    for code, j in header.unknown_code_columns.items():
        problems.add("SC302", raw.location(header.row, j), code=code)
    n_rows = len(body.rows)
    if not n_rows:
        return _empty_records()
    cols = header.columns
    unit = header.unit_key()
    times = len(header.indicator_columns) or 1  # records per row

    def column(key: str) -> pd.Categorical | np.ndarray:
        if key not in cols:
            return _constant(None, n_rows * times)
        return body.cells[cols[key]].per_answer(times)

    n = n_rows * times
    if header.indicator_columns:  # wide
        letters = [column_letter(j + 1) for j in header.indicator_columns.values()]
        records = {
            "cycle": column("cycle"),
            "region": column(unit or "region"),
            "respondent": column("respondent"),
            "indicator": _tiled(list(header.indicator_columns), n_rows),
            "value": _wide_values(body, list(header.indicator_columns.values())),
            "evidence": _constant(None, n),
            "source_row": np.repeat(body.rows, times),
            "source_col": _tiled(letters, n_rows),
            "_indicator_col": _tiled(letters, n_rows),
        }
        records["_evidence_col"] = _constant("", n)
    else:  # tidy
        records = {
            "cycle": column("cycle"),
            "region": column(unit or "region"),
            "respondent": column("respondent"),
            "indicator": column("indicator"),
            "value": column("value"),
            "evidence": column("evidence"),
            "source_row": body.rows,
            "source_col": _constant(column_letter(cols["value"] + 1), n),
            "_indicator_col": _constant(column_letter(cols["indicator"] + 1), n),
        }
        records["_evidence_col"] = _constant(column_letter(cols["evidence"] + 1) if "evidence" in cols else "", n)
    for name, j in header.group_columns.items():
        records[name] = body.cells[j].cleaned().per_answer(times)

    def letter(key: str) -> str:
        return column_letter(cols[key] + 1) if key in cols else ""

    # The unit: its name column (the most specific present), its parents' and its code's.
    parents = UNIT_COLUMNS[UNIT_COLUMNS.index(unit) + 1:] if unit else ()
    for key, field_name in (("region_code", "_region_code"), ("kecamatan", "_kecamatan"), ("region", "_kabkota")):
        if key in cols and (key == "region_code" or key in parents):
            records[field_name] = column(key)
            records[f"{field_name}_col"] = _constant(letter(key), n)
    records["_unit_level"] = _constant(_UNIT_LEVEL.get(unit) if unit else None, n)
    records["_region_col"] = _constant(letter(unit) if unit else letter("region_code"), n)
    for group, field_name in (("province", "_province_col"), ("region_type", "_region_type_col")):
        if group in header.group_columns:
            records[field_name] = _constant(column_letter(header.group_columns[group] + 1), n)
    records["_cycle_col"] = _constant(letter("cycle"), n)
    if "cycle" not in cols:
        records["cycle"] = _constant(default_cycle, n)
    records["source_file"] = _constant(raw.file, n)
    records["source_sheet"] = _constant(raw.sheet, n)
    # The row of each record: all but its answer columns (_PER_ANSWER) are the row's.
    row_numbers = np.arange(n_rows, dtype=np.int32 if n_rows < 2**31 else np.int64)
    records["_row"] = np.repeat(row_numbers, times) if times > 1 else row_numbers
    return _records_frame(records)


def _empty_records() -> pd.DataFrame:
    return pd.DataFrame(columns=[*ANSWER_COLUMNS, "source_row", "source_col", "source_file", "source_sheet"])


def _forms_frame(forms: list[FormRecords]) -> pd.DataFrame:
    """The records of filled forms (:func:`.template.template_records`) as one frame: a form's
    header fields (cycle, region, respondent, province, file) coded once per form."""
    lengths = np.array([len(f) for f in forms])
    n = int(lengths.sum())

    def per_form(values: list) -> pd.Categorical | np.ndarray:
        cells = np.empty(len(values), dtype=object)
        cells[:] = values
        if pd.api.types.infer_dtype(cells, skipna=True) in (*_CODED_KINDS, "integer"):
            codes, uniques = pd.factorize(cells)
            return pd.Categorical.from_codes(np.repeat(codes.astype(np.int32), lengths), categories=uniques,
                                             validate=False)
        return np.repeat(cells, lengths)

    def per_record(key: str) -> np.ndarray:
        cells = np.empty(n, dtype=object)
        cells[:] = [v for f in forms for v in f.columns[key]]
        return cells

    headers = [f.header for f in forms]
    records = {
        "cycle": per_form([h["cycle"] for h in headers]),
        "region": per_form([h["region"] for h in headers]),
        "respondent": per_form([h["respondent"] for h in headers]),
        **{key: per_record(key) for key in ("indicator", "value", "evidence")},
    }
    if any(h["province"] for h in headers):
        records["province"] = per_form([h["province"] or None for h in headers])
    records["source_file"] = per_form([h["source_file"] for h in headers])
    records["source_sheet"] = per_record("source_sheet")
    records["source_row"] = np.fromiter((r for f in forms for r in f.columns["source_row"]), dtype=np.int64,
                                        count=n)
    for key in ("source_col", "_indicator_col", "_evidence_col"):
        records[key] = per_record(key)
    records["_region_col"] = _constant("", n)
    records["_cycle_col"] = _constant("", n)
    records["_region_done"] = np.repeat(np.array([h["region_done"] for h in headers], dtype=bool), lengths)
    for key in ("region", "province"):
        records[f"_{key}_sheet"] = per_form([h[f"{key}_at"].sheet or "" for h in headers])
        records[f"_{key}_cell"] = per_form([h[f"{key}_at"].cell or "" for h in headers])
    return _records_frame(records)


def _concat_records(parts: list[pd.DataFrame | FormRecords]) -> pd.DataFrame:
    """The records of several files or sheets as one, as :func:`pandas.concat` joins them, except
    that a column coded in every part stays coded (its categories joined), and forms one after
    the other become one frame at once (:func:`_forms_frame`)."""
    merged: list[pd.DataFrame] = []
    for part in parts:
        if isinstance(part, FormRecords):
            if merged and isinstance(merged[-1], list):
                merged[-1].append(part)
            else:
                merged.append([part])
        else:
            merged.append(part)
    parts = [_forms_frame(p) if isinstance(p, list) else p for p in merged]
    if len(parts) == 1:
        return parts[0]
    columns = list(dict.fromkeys(c for part in parts for c in part.columns))
    coded = []
    for c in columns:
        pieces = [part[c].array if c in part.columns else None for part in parts]
        known = [x for x in pieces if x is not None]
        if not all(isinstance(x, pd.Categorical) for x in known):
            continue
        # A part without the column, or without any value in it, joins with no category.
        with_values = [x for x in known if len(x.categories)]
        categories = (with_values or known)[0].categories[:0]
        pieces = [x if x is not None and len(x.categories) else None for x in pieces]
        try:
            joined = union_categoricals([x if x is not None else pd.Categorical.from_codes(
                np.full(len(part), -1, dtype=np.int8), categories=categories, validate=False)
                for x, part in zip(pieces, parts, strict=True)])
        except TypeError:  # categories of different kinds (numbers and texts): joined as values
            continue
        coded.append((c, joined))
    done = {c for c, _ in coded}
    frames = []
    for part in parts:
        rest = part[[c for c in part.columns if c not in done]]
        frames.append(rest.astype({c: object for c in rest.columns if isinstance(rest[c].dtype, pd.CategoricalDtype)}))
    out = pd.concat(frames, ignore_index=True)
    for c, joined in coded:
        out[c] = pd.Series(joined, copy=False)
    if "_row" in columns:  # numbered on from part to part
        numbers, offset = [], 0
        for part in parts:
            local = part["_row"].to_numpy() if "_row" in part.columns else np.arange(len(part))
            numbers.append(local.astype(np.int64) + offset)
            offset += int(local[-1]) + 1 if len(local) else 0
        out["_row"] = np.concatenate(numbers).astype(np.int32 if offset < 2**31 else np.int64)
    return out[columns]


def _report_flagged_cells(path: Path, raw: RawSheet, header: _Header, part: pd.DataFrame,
                          problems: ProblemCollector, marked: frozenset[str] | None = None) -> None:
    """SC108 / SC110 at the cells the table reads whose value calamine cannot give."""
    flags = flagged_cells(path, [raw.sheet], marked)[raw.sheet]
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


def _coded(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A records column as ``(codes, uniques)``: ``uniques[codes]`` are its cells, code -1 an
    empty one. Coded columns (:class:`_Cells`) are taken as they are, a column of one kind of cell
    by its distinct values, any other cell by cell (as :func:`.readers.clean_texts` reads them)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes, column.cat.categories.to_numpy(dtype=object)
    values = column.to_numpy(dtype=object)
    if len(values) and pd.api.types.infer_dtype(values, skipna=True) in _FACTORIZABLE:
        codes, uniques = pd.factorize(values)
        return codes, uniques.astype(object)
    return np.arange(len(values)), values


def _texts(uniques: np.ndarray) -> np.ndarray:
    """:func:`clean_text` of each unique, and ``""`` last (what code -1 takes)."""
    return np.array([clean_text(u) for u in uniques] + [""], dtype=object)


def _canonical(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes into ``values`` (code -1 taking the last) to codes of the distinct values:
    ``(codes, distinct values)``."""
    canon, distinct = pd.factorize(values)
    return canon[codes], distinct


def _used(codes: np.ndarray, n_uniques: int) -> np.ndarray:
    """Which of ``n_uniques`` uniques some code (-1: none) points at (counted a million codes at a
    time: a column of the records may hold tens of millions)."""
    used = np.zeros(n_uniques + 1, dtype=bool)
    for start in range(0, len(codes), 1 << 20):
        used |= np.bincount(codes[start:start + (1 << 20)].astype(np.intp) + 1, minlength=n_uniques + 1) > 0
    return used[1:]


def _answered(values: pd.Series) -> int:
    """How many cells of a records column are not blank."""
    codes, uniques = _coded(values)
    return int((_texts(uniques) != "")[codes].sum())


#: Records columns that differ between the answers of one wide row; every other column holds one
#: value for all the records of a row (``_row``).
_PER_ANSWER = frozenset({"indicator", "value", "evidence", "source_col", "_indicator_col", "_evidence_col"})


@dataclass
class _Rows:
    """The table rows the records come from (records column ``_row``; without it each record is
    its own row). The answers of a wide row share their cycle, unit, respondent and place, so
    those are checked once per row."""

    of: np.ndarray  # per record: its row (0, 1, ... in order)
    starts: np.ndarray  # per row: its first record

    @classmethod
    def of_records(cls, raw: pd.DataFrame) -> _Rows:
        n = len(raw)
        if "_row" not in raw.columns:
            every = np.arange(n)
            return cls(every, every)
        of = raw["_row"].to_numpy()
        return cls(of, np.flatnonzero(np.r_[True, of[1:] != of[:-1]]) if n else np.zeros(0, dtype=np.intp))

    def __len__(self) -> int:
        return len(self.starts)

    def coded(self, column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """:func:`_coded` of a column that is one value per row, per row."""
        if isinstance(column.dtype, pd.CategoricalDtype):
            return column.array.codes[self.starts], column.cat.categories.to_numpy(dtype=object)
        return _coded(column.iloc[self.starts] if len(self.starts) < len(column) else column)

    def any(self, mask: np.ndarray) -> np.ndarray:
        """Per row: whether some of its records are in ``mask``."""
        return np.logical_or.reduceat(mask, self.starts) if len(self.starts) else np.zeros(0, dtype=bool)

    def records(self, per_row: np.ndarray) -> np.ndarray:
        """A per-row array, per record."""
        return per_row[self.of]

    def first_record(self, r: int, mask: np.ndarray) -> int:
        """The first record of row ``r`` in ``mask`` (the row has one)."""
        start = int(self.starts[r])
        end = int(self.starts[r + 1]) if r + 1 < len(self.starts) else len(mask)
        return start + int(np.argmax(mask[start:end]))


def _validate_records(records: list[pd.DataFrame], resolver: CodeResolver, problems: ProblemCollector,
                      aliases: dict[str, str]) -> pd.DataFrame:
    """Parse and check the raw records of all files together; returns the tidy table.

    Every check runs once per distinct typed cell (an indicator code, a value, a region name),
    its outcome taken to the records by their codes (:func:`_coded`); what belongs to a table row
    (its unit, cycle, respondent) once per row (:class:`_Rows`).
    """
    framework = resolver.framework
    raw = records.pop()  # taken over: let go once the table has what it needs
    n = len(raw)
    rows = _Rows.of_records(raw)

    held = [raw]  # the records, for locating problems while they are checked

    def at(i: int, col_field: str = "source_col") -> Location:
        raw = held[0]
        # A form's header fields (region, province) live in one cell of the instructions sheet.
        cell_field = col_field.removesuffix("_col") + "_cell"
        file = raw["source_file"].iat[i]
        if cell_field in raw.columns and isinstance(raw[cell_field].iat[i], str) and raw[cell_field].iat[i]:
            return Location(file, raw[col_field.removesuffix("_col") + "_sheet"].iat[i], raw[cell_field].iat[i])
        col = raw[col_field].iat[i] if col_field in raw.columns else raw["source_col"].iat[i]
        col = col if isinstance(col, str) else ""
        sheet = raw["source_sheet"].iat[i]
        sheet = sheet if isinstance(sheet, str) else None
        row = raw["source_row"].iat[i]
        return Location(file, sheet, f"{col}{row}" if col else None, row=None if col else int(row))

    # Indicator codes.
    ind_codes, ind_uniques = _coded(raw["indicator"])
    resolved = np.array([resolver.resolve(c) for c in ind_uniques] + [""], dtype=object)
    dropped_u = np.array([resolver.is_dropped(c) for c in ind_uniques] + [False], dtype=bool)
    position = {code: k for k, code in enumerate(framework.indicators)}
    indicator_u = np.array([position.get(code, -1) for code in resolved], dtype=_code_dtype(len(position)))
    dropped_codes = list(pd.unique(pd.Series(ind_uniques[dropped_u[:-1]], dtype=object)))
    dropped = dropped_u[ind_codes]
    known = (indicator_u >= 0)[ind_codes]
    val_codes, val_uniques = _coded(raw["value"])
    value_is_text = isinstance(raw["value"].dtype, pd.CategoricalDtype) or raw["value"].dtype == object
    value_text_blank = (_texts(val_uniques) == "")[val_codes] if value_is_text else np.zeros(n, bool)
    skip = ((resolved == "")[ind_codes] & value_text_blank) | dropped  # blank rows; dropped indicators
    for code in dropped_codes:
        problems.note("SC106", Location(), reason=Bilingual(
            f"indikator {code} dihapus dari instrumen", f"indicator {code} was dropped from the instrument"))
    for i in np.flatnonzero(~known & ~skip):
        problems.add("SC302", at(i, "_indicator_col"), code=resolved[ind_codes[i]] or "(kosong)")

    # Values.
    if value_is_text:
        numbers_u, bad_u = parse_numbers(pd.Series(val_uniques, dtype=object))
        values, bad = np.append(numbers_u, np.nan)[val_codes], np.append(bad_u, False)[val_codes]
    else:
        values, bad = parse_numbers(raw["value"])
    table_min = framework.table["min"].reindex(resolved).to_numpy(dtype=float)
    table_max = framework.table["max"].reindex(resolved).to_numpy(dtype=float)
    for i in np.flatnonzero(bad & known):
        lo, hi = table_min[ind_codes[i]], table_max[ind_codes[i]]
        problems.add("SC303", at(i), value=clean_text(val_uniques[val_codes[i]])[:80], lo=_fmt(lo), hi=_fmt(hi))
    for i in np.flatnonzero(_outside_range(values, numbers_u if value_is_text else None, val_codes, ind_codes,
                                           table_min, table_max, indicator_u >= 0)):
        lo, hi = table_min[ind_codes[i]], table_max[ind_codes[i]]
        problems.add("SC304", at(i), value=_fmt(values[i]), lo=_fmt(lo), hi=_fmt(hi))
    if "evidence" in raw:
        ev_codes, ev_uniques = _coded(raw["evidence"])
        ev_texts = _texts(ev_uniques)
        _report_numbers_in_evidence(ev_codes, ev_texts, values, bad, known & ~skip, resolved, ind_codes, at,
                                    problems)

    # Regions: every unit resolved to the register (or to a unit the alias table declares).
    units = _resolve_units(raw, rows, ~skip, aliases, at, problems)

    # Cycles.
    cyc_codes, cyc_uniques = rows.coded(raw["cycle"])
    cycle_u, cycle_bad_u = parse_numbers(pd.Series(cyc_uniques, dtype=object))
    cycle_u, cycle_bad_u = np.append(cycle_u, np.nan), np.append(cycle_bad_u, False)
    with np.errstate(invalid="ignore"):
        cycle_bad_u |= ~np.isnan(cycle_u) & ((cycle_u % 1 != 0) | (cycle_u < 1900) | (cycle_u > 2200))
    cycle_u[cycle_bad_u] = np.nan
    cycle_row = cycle_u[cyc_codes]
    if cycle_bad_u[cyc_codes].any():
        for i in np.flatnonzero(rows.records(cycle_bad_u[cyc_codes]) & ~skip):
            problems.add("SC308", at(i, "_cycle_col"),
                         value=clean_text(cyc_uniques[cyc_codes[rows.of[i]]])[:80] or "(kosong)")
    if "_claimed_cycle" in raw.columns:
        _check_one_cycle_per_file(raw, rows, cycle_row, units, ~skip, at, problems)

    resp_codes, resp_uniques = rows.coded(raw["respondent"])
    respondent_u = _blank_as_none(_texts(resp_uniques))

    keep = known & ~skip
    kept = None if keep.all() else np.flatnonzero(keep)
    # The row of each answer kept, as the index type every take wants (or it converts it each time).
    of = (rows.of if kept is None else rows.of[kept]).astype(np.intp, copy=False)
    kept_rows = rows.any(keep)

    def pick(values: np.ndarray) -> np.ndarray:
        return values if kept is None else values[kept]

    # What the table keeps of the records; then they go, before the table's millions of cells come.
    extra = [c for c in raw.columns if c not in _RESERVED and not c.startswith(_INTERNAL_PREFIX)
             and c not in _TABLE_COLUMNS]
    kept_columns = {}
    for c in extra:
        if c in _PER_ANSWER:
            codes, uniques = _coded(raw[c])
            kept_columns[c] = _objects(_text_column(_blank_as_none(_texts(uniques)), codes, kept))
        else:
            codes, uniques = rows.coded(raw[c])
            kept_columns[c] = _objects(_text_array(_blank_as_none(_texts(uniques))[codes]).take(of))
    for c in ("source_file", "source_sheet"):
        kept_columns[c] = _categorical(*rows.coded(raw[c]), of)
    kept_columns["source_row"] = pick(raw["source_row"].to_numpy(dtype=np.int32))
    kept_columns["source_col"] = _categorical(*_coded(raw["source_col"]), kept)
    has_evidence = "evidence" in raw
    indicator = pd.Categorical.from_codes(pick(indicator_u[ind_codes]), categories=framework.indicators,
                                          validate=False)
    values = pick(values)
    del raw, held[0], ind_codes, val_codes, known, skip, dropped, value_text_blank, bad, keep

    table = pd.DataFrame({
        "cycle": _whole_numbers(cycle_row).take(of),
        "region": _region_categorical(units, kept_rows, of),
        "respondent": _objects(_text_array(respondent_u[resp_codes]).take(of)),
        "indicator": indicator,
        "value": values,
        "evidence": _objects(_text_column(_blank_as_none(ev_texts), ev_codes, kept)) if has_evidence else None,
        # From the register: the typed province and region type were checked against it.
        "region_code": _objects(_text_array(units.region_code[units.group]).take(of)),
        "region_type": _objects(_text_array(units.region_type[units.group]).take(of)),
        "province": _objects(_text_array(units.province[units.group]).take(of)),
    }, copy=False)
    for c, column in kept_columns.items():
        table[c] = pd.Series(column, copy=False) if isinstance(column, pd.Categorical) else column
    del kept_columns

    region_rows = (units.region != "")[units.group]  # unknown units are reported already
    if _may_repeat(table, rows, kept_rows & region_rows, cycle_u, cyc_codes, units, respondent_u, resp_codes, of):
        _report_duplicates(table[region_rows[of]].reset_index(drop=True), problems)
    return table


_TABLE_COLUMNS = ("cycle", "region", "respondent", "indicator", "value", "evidence", "region_code", "region_type",
                  "province")


def _outside_range(values: np.ndarray, numbers_u: np.ndarray | None, val_codes: np.ndarray, ind_codes: np.ndarray,
                   table_min: np.ndarray, table_max: np.ndarray, known_u: np.ndarray) -> np.ndarray:
    """Answers of a known indicator outside its range. Values given as codes (``numbers_u``) are
    judged once per distinct value and indicator, and no answer is looked at when none is out."""
    with np.errstate(invalid="ignore"):
        if numbers_u is None:
            lo, hi = table_min[ind_codes], table_max[ind_codes]
            return known_u[ind_codes] & ~np.isnan(values) & ((values < lo) | (values > hi))
        numbers = np.append(numbers_u, np.nan)[:, None]
        pairs = ~np.isnan(numbers) & ((numbers < table_min[None, :]) | (numbers > table_max[None, :])) & known_u
    if not pairs.any():
        return np.zeros(0, dtype=np.intp)
    width = pairs.shape[1]
    flat = (val_codes.astype(np.int64) % pairs.shape[0]) * width + ind_codes.astype(np.int64) % width
    return pairs.ravel()[flat]


def _whole_numbers(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers (floats, NaN missing) as an Int64 array: ``pd.array(values, dtype="Int64")``."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def _blank_as_none(texts: np.ndarray) -> np.ndarray:
    return np.where(texts == "", None, texts)


def _objects(column):
    """A table column as given: objects (no text among them) as a Series, so that pandas does
    not look through millions of them again to infer what :func:`_text_array` decided."""
    return pd.Series(column, dtype=object, copy=False) if isinstance(column, np.ndarray) else column


def _text_array(values: np.ndarray):
    """Texts or None as a table column: pandas' text dtype when any is a text, else objects (as
    pandas infers them); taken per answer with ``.take``."""
    if any(isinstance(v, str) for v in values):
        return pd.array(values, dtype="str")  # None becomes the text dtype's missing value
    return values


def _text_column(values: np.ndarray, codes: np.ndarray, kept: np.ndarray | None):
    """:func:`_text_array` of ``values[codes]`` (code -1 the last value), the records ``kept``."""
    index = codes if kept is None else codes[kept]
    if any(isinstance(v, str) for v in values):
        used = np.append(_used(codes, len(values) - 1), bool(len(codes)) and bool((codes < 0).any()))
        if any(isinstance(v, str) for v in values[used]):
            return pd.array(values, dtype="str").take(index)
    return values[index]


def _categorical(codes: np.ndarray, uniques: np.ndarray, index: np.ndarray | None) -> pd.Categorical:
    """``pd.Categorical`` of a records column given as codes (categories: the values found,
    sorted), taken at ``index`` (None: all)."""
    used = _used(codes, len(uniques))
    found = pd.Categorical(pd.Series(uniques[used], dtype=object))  # categories of objects, as the records'
    recode = np.full(len(uniques) + 1, -1, dtype=_code_dtype(len(found.categories)))
    recode[:-1][used] = found.codes
    codes = recode[codes]
    return pd.Categorical.from_codes(codes if index is None else codes[index], dtype=found.dtype, validate=False)


def _region_categorical(units: _Units, kept_rows: np.ndarray, of: np.ndarray) -> pd.Categorical:
    """The region column (categories: the labels of the answers kept, sorted)."""
    used = _used(units.group[kept_rows], len(units.region))
    found = pd.Categorical(units.region[used])
    recode = np.full(len(units.region), -1, dtype=_code_dtype(len(found.categories)))
    recode[used] = found.codes
    return pd.Categorical.from_codes(recode[units.group][of], dtype=found.dtype, validate=False)


def _combined_key(parts: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """One integer per distinct combination of codes (each from -1 to its width - 2)."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    size = 1
    for codes, width in parts:
        if size * width >= 2**62:
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key = key * width + (codes.astype(np.int64) + 1)
        size *= width
    return key


def _may_repeat(table: pd.DataFrame, rows: _Rows, checked_rows: np.ndarray, cycle_u: np.ndarray,
                cyc_codes: np.ndarray, units: _Units, respondent_u: np.ndarray, resp_codes: np.ndarray,
                of: np.ndarray) -> bool:
    """Whether some cycle, region, indicator and respondent is answered twice among the answers of
    ``checked_rows``, judged on codes (the messages, rare, come from :func:`_report_duplicates`).

    The answers of a row are for distinct indicators, so rows of distinct cycle, region and
    respondent cannot repeat one another; only when some rows share those are answers compared.
    """
    if not checked_rows.any():
        return False
    cycle, cycles = _canonical(cyc_codes, cycle_u)
    region, regions = _canonical(units.group, units.region)
    respondent, respondents = _canonical(resp_codes, respondent_u)
    per_row = _combined_key([(cycle, len(cycles) + 1), (region, len(regions) + 1),
                             (respondent, len(respondents) + 1)])
    if not pd.Index(per_row[checked_rows]).has_duplicates:
        return False
    indicator = table["indicator"].cat
    key = _combined_key([(pd.factorize(per_row)[0][of], len(per_row) + 1),
                         (indicator.codes.to_numpy(), len(indicator.categories) + 1)])
    key = key[checked_rows[of]]
    return bool(pd.Index(key).has_duplicates)


_UNIT_INPUTS = ("region", "_region_code", "_kabkota", "_kecamatan", "_unit_level")
_TYPE_WORDS = {"kab": "kabupaten", "kab.": "kabupaten", "kabupaten": "kabupaten", "kota": "kota",
               "kec": "kecamatan", "kecamatan": "kecamatan", "distrik": "kecamatan", "desa": "desa",
               "kel": "kelurahan", "kelurahan": "kelurahan", "provinsi": "provinsi", "prov": "provinsi",
               "kab/kota": "kabkota", "kabupaten/kota": "kabkota", "desa/kelurahan": "desa"}


@dataclass
class _Units:
    """The unit of each row: ``group`` per row (its typed unit), the rest per typed unit."""

    group: np.ndarray
    region: np.ndarray  # label; "" when not resolved
    region_code: np.ndarray  # texts, None when not known
    region_type: np.ndarray
    province: np.ndarray


def _first_of_codes(codes: np.ndarray) -> np.ndarray:
    """Positions of the first of each code, for codes numbered in order of appearance (as
    :func:`pandas.factorize` numbers them): the k-th is code k's."""
    if not len(codes):
        return np.zeros(0, dtype=np.intp)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    new[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    return np.flatnonzero(new)


def _resolve_units(raw: pd.DataFrame, rows: _Rows, considered: np.ndarray, aliases: dict[str, str], at,
                   problems: ProblemCollector) -> _Units:
    """The unit of each row, from the register.

    Each distinct typed unit (name, code, parents, level) is resolved once; its problem (SC307
    blank, SC315-SC318) is reported once per file, at its first cell. The typed province and
    region type are checked against the register (SC320) and replaced by its words.
    """
    present = [c for c in _UNIT_INPUTS if c in raw.columns]
    typed = {c: _canonical(*_with_texts(rows.coded(raw[c]))) for c in present}
    varying = [(codes, len(texts) + 1) for codes, texts in typed.values() if len(texts) > 1]
    combined = _combined_key(varying) if varying else np.zeros(len(rows), dtype=np.int64)
    group, _ = pd.factorize(combined)  # one integer per distinct combination, without hashing tuples of strings
    typed_units = [{c: texts[codes[r]] for c, (codes, texts) in typed.items()} for r in _first_of_codes(group)]
    # Units named by their code alone (the every-desa table) are looked up together.
    by_code = [k for k, values in enumerate(typed_units) if values.get("_region_code") and not any(
        values.get(c) for c in ("region", "_kabkota", "_kecamatan"))]
    found = dict(zip(by_code, resolve_region_codes([typed_units[k]["_region_code"] for k in by_code],
                                                   aliases=aliases), strict=True))
    matches = [found[k] if k in found else resolve_region(
        values.get("region"), values.get("_region_code"), kabkota=values.get("_kabkota"),
        kecamatan=values.get("_kecamatan"), level=values.get("_unit_level") or None, aliases=aliases)
        for k, values in enumerate(typed_units)]
    units = _Units(
        group=group,
        region=np.array([m.unit.label if m.unit else "" for m in matches], dtype=object),
        region_code=np.array([(m.unit.region_code or None) if m.unit else None for m in matches], dtype=object),
        region_type=np.array([(m.unit.type or None) if m.unit else None for m in matches], dtype=object),
        province=np.array([(m.unit.province or None) if m.unit else None for m in matches], dtype=object),
    )

    # One problem per unit and file, at the unit's first cell there.
    done = raw["_region_done"].fillna(False).to_numpy(dtype=bool)[rows.starts] if (
        "_region_done" in raw.columns) else np.zeros(len(rows), bool)
    report = rows.any(considered) & ~done
    codes, uniques = rows.coded(raw["source_file"])
    file_codes, file_names = _canonical(codes, np.append(uniques, None))
    file_codes = file_codes.astype(np.int64) + 1  # -1 (no file) too
    n_files = len(file_names) + 1
    fields = {"name": "_region_col", "code": "_region_code_col", "kabkota": "_kabkota_col",
              "kecamatan": "_kecamatan_col"}
    bad_groups = np.array([m.problem is not None for m in matches], dtype=bool)
    if len(matches) and bad_groups.any():
        for r in _first_rows(report & bad_groups[group], group.astype(np.int64) * n_files + file_codes):
            match = matches[group[r]]
            problems.add(match.problem, at(rows.first_record(r, considered), fields[match.field]), **match.params)
    blank = np.array([m.unit is None and m.problem is None for m in matches], dtype=bool)
    if len(matches) and (report & blank[group]).any():
        for i in np.flatnonzero(considered & rows.records(~done & blank[group])):
            problems.add("SC307", at(int(i), "_region_col"))

    checks = (("province", _province_fact, province_fits), ("region_type", _type_fact, _type_fits))
    for column, fact_of, check in checks:
        if column not in raw.columns:
            continue
        codes, uniques = rows.coded(raw[column])
        texts = _texts(uniques)
        given_codes, given_values = _canonical(codes, texts)
        has = report & (texts != "")[codes]
        key = (group.astype(np.int64) * (len(given_values) + 1) + given_codes) * n_files + file_codes
        for r in _first_rows(has, key):
            unit = matches[group[r]].unit
            value = given_values[given_codes[r]]
            if unit is not None and not check(value, unit):
                problems.add("SC320", at(rows.first_record(r, considered), f"_{column}_col"),
                             field=_FIELD_WORDS[column], typed=value, fact=fact_of(unit))
    return units


def _with_texts(coded: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = coded
    return codes, _texts(uniques)


def _first_rows(mask: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Positions, in order, of the first row of each distinct ``key`` among the rows of ``mask``."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return rows
    codes, _ = pd.factorize(key[rows])
    return rows[_first_of_codes(codes)]


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


def _report_numbers_in_evidence(ev_codes: np.ndarray, ev_texts: np.ndarray, values: np.ndarray, bad: np.ndarray,
                                considered: np.ndarray, resolved: np.ndarray, ind_codes: np.ndarray, at,
                                problems: ProblemCollector) -> None:
    """SC322 where the value is blank and the evidence cell holds nothing but a number: an
    answer typed one column too far would otherwise be lost."""
    if not (ev_texts != "").any():
        return
    candidates = considered & np.isnan(values) & ~bad & (ev_texts != "")[ev_codes]
    if not candidates.any():
        return
    numbers, not_number = parse_numbers(pd.Series(ev_texts, dtype=object))
    words = np.array([t.lower() in MISSING_TOKENS for t in ev_texts], dtype=bool)
    number_u = ~np.isnan(numbers) & ~not_number & ~words
    for i in np.flatnonzero(candidates & number_u[ev_codes]):
        problems.add("SC322", at(int(i), "_evidence_col"), evidence=ev_texts[ev_codes[i]][:40],
                     code=resolved[ind_codes[i]])


def _check_one_cycle_per_file(raw: pd.DataFrame, rows: _Rows, cycle_row: np.ndarray, units: _Units,
                              considered: np.ndarray, at, problems: ProblemCollector) -> None:
    """SC311, once per file and region: answers under a cycle other than the one the file's name
    or folder names."""
    claimed = pd.to_numeric(raw["_claimed_cycle"].iloc[rows.starts].astype(object), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        off_rows = ~np.isnan(claimed) & ~np.isnan(cycle_row) & (cycle_row != claimed)
    if not off_rows.any():
        return
    off = np.flatnonzero(considered & rows.records(off_rows))
    if not len(off):
        return
    row = rows.of[off]
    frame = pd.DataFrame({"file": raw["source_file"].iloc[off].to_numpy(dtype=object),
                          "region": units.region[units.group[row]], "i": off, "cycle": cycle_row[row]})
    for (_file, name), group in frame.groupby(["file", "region"], sort=False):
        i = int(group["i"].iat[0])
        cycles = ", ".join(str(int(c)) for c in sorted(group["cycle"].unique()))
        problems.add("SC311", at(i, "_cycle_col"), region=name or "-", cycles=cycles,
                     expected=int(claimed[rows.of[i]]))


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
