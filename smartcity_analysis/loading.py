"""Answers in: tidy tables, wide tables and folders of filled templates, to one tidy table.

Whatever the shape, :func:`load_answers` returns :class:`Answers` whose ``table`` has the columns
``cycle, region, respondent, indicator, value, evidence``, any grouping columns found in the
input (``region_type`` is added from the name when absent), and the provenance columns
``source_file, source_sheet, source_row, source_col`` that locate each answer.

Every problem in every file is collected before anything is raised, so one call lists them all,
each naming file, sheet and cell. Input files are only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import (
    DataError,
    FileError,
    Location,
    Problem,
    ProblemCollector,
    SmartCityError,
    column_letter,
)
from .framework import Framework, default_framework
from .instrument_changes import InstrumentChanges
from .readers import (
    SPREADSHEET_SUFFIXES,
    TABLE_SUFFIXES,
    RawSheet,
    clean_text,
    display_name,
    formula_cells_without_values,
    normalise_code,
    open_workbook,
    parse_numbers,
    read_csv_rows,
    read_sheet_rows,
    visible_sheet_names,
)
from .regions import canonical_regions, load_region_aliases, region_type

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
}
_HEADER_LOOKUP = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}
_SKIPPED_NAMES = (".ds_store", "thumbs.db", "desktop.ini")
_HEADER_SCAN_ROWS = 30
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


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
        return (
            f"OK: {s['regions']} daerah, siklus {cycles}, {s['indicators']} indikator, "
            f"{s['respondents']} responden, {s['answers']} jawaban, "
            f"{s['missing_share']:.1%} kosong"
        ).replace(".", ",", 1) if False else (
            f"OK: {s['regions']} daerah, siklus {cycles}, {s['indicators']} indikator, "
            f"{s['respondents']} responden, {s['answers']} jawaban, "
            f"{s['missing_share'] * 100:.1f}".replace(".", ",") + "% kosong"
        )


class CodeResolver:
    """Indicator codes as typed -> the instrument's codes, through declared instrument changes."""

    def __init__(self, framework: Framework, changes: InstrumentChanges | None = None):
        self.framework = framework
        self.renames = changes.renames if changes else {}
        self.dropped = changes.dropped if changes else frozenset()

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
        Files (csv, xlsx, xlsm) and folders (searched recursively; lock files ``~$...`` and
        system files are skipped with a note).
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
    aliases = load_region_aliases(region_aliases)
    files = _expand_paths([Path(p) for p in paths], problems)
    parts, file_info = [], []
    for path in files:
        try:
            part = _load_file(path, codes, problems, cycle)
        except SmartCityError as exc:
            problems.extend(exc.problems)
            continue
        if part is not None and len(part):
            parts.append(part)
        file_info.append({"path": str(path), "sha256": file_sha256(path), "rows": 0 if part is None else len(part)})
    if not parts:
        if not problems:
            problems.add("SC313", Location(", ".join(str(p) for p in paths)))
        problems.raise_if_any(DataError)
    # The records read so far are checked even when some file had a problem (a template's blank
    # region, a missing file), so that one call lists every problem.
    raw = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    table = _validate_records(raw, codes, problems, aliases)
    problems.raise_if_any(DataError)
    return Answers(table, framework, file_info, problems.notes)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _expand_paths(paths: list[Path], problems: ProblemCollector) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            usable = []
            for p in found:
                if _stray(p):
                    problems.note("SC106", Location(str(p.relative_to(path))), reason=_stray(p))
                elif p.suffix.lower() in TABLE_SUFFIXES:
                    usable.append(p)
            if not usable:
                problems.add("SC107", Location(str(path)))
            out.extend(usable)
        elif not path.exists():
            problems.add("SC101", Location(str(path)))
        elif _stray(path):
            problems.note("SC106", Location(display_name(path)), reason=_stray(path))
        else:
            out.append(path)
    return out


def _stray(path: Path) -> str:
    name = path.name.lower()
    if name.startswith("~$") or name.startswith(".~lock"):
        return "lock file / berkas kunci Office"
    if name in _SKIPPED_NAMES or name.startswith("._"):
        return "system file / berkas sistem"
    if any(part.startswith(".") for part in path.parts[-2:-1]):
        return "hidden folder / folder tersembunyi"
    return ""


# --- per file --------------------------------------------------------------------------------


def _load_file(path: Path, codes: CodeResolver, problems: ProblemCollector, cycle: int | None):
    framework = codes.framework
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise FileError.single("SC104", Location(display_name(path)), suffix=suffix or "(tanpa akhiran)")
    default_cycle = _year_in_name(path) or cycle
    if suffix in SPREADSHEET_SUFFIXES:
        workbook = open_workbook(path)
        from . import template

        if template.is_template(workbook):
            return template.read_template(workbook, path, framework, problems)
        sheets = visible_sheet_names(workbook)
        tried = []
        for index, sheet in enumerate(workbook.sheet_names):
            if sheet not in sheets:
                continue
            raw = read_sheet_rows(workbook, path, sheet)
            found = _find_header(raw, codes)
            if found is not None:
                part = _table_records(raw, found, framework, problems, default_cycle)
                if suffix in (".xlsx", ".xlsm"):
                    _report_uncomputed_formulas(path, index, raw.sheet, part, problems)
                return part
            tried.append(sheet)
        raise DataError.single(
            "SC310", Location(display_name(path), ", ".join(tried) or None),
            columns="region + indicator + value / region + kode indikator",
        )
    raw = read_csv_rows(path)
    found = _find_header(raw, codes)
    if found is None:
        raise DataError.single(
            "SC310", Location(display_name(path)), columns="region + indicator + value / region + kode indikator"
        )
    return _table_records(raw, found, framework, problems, default_cycle)


def _year_in_name(path: Path) -> int | None:
    for part in (path.stem, path.parent.name):
        match = _YEAR.search(part)
        if match:
            return int(match.group(1))
    return None


@dataclass
class _Header:
    row: int  # 0-based row index of the header in the sheet
    columns: dict[str, int]  # standard column -> 0-based column index
    indicator_columns: dict[str, int]  # wide shape: indicator code -> column index
    unknown_code_columns: dict[str, int]
    group_columns: dict[str, int]
    duplicated: list[tuple[str, int]]


_CODE_SHAPE = re.compile(r"^[A-Z]{1,4}[-.][A-Z0-9]+([-.][A-Z0-9]+)*$")


def _find_header(raw: RawSheet, resolver: CodeResolver) -> _Header | None:
    codes = set(resolver.framework.table.index)
    for r, row in enumerate(raw.rows[:_HEADER_SCAN_ROWS]):
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
        if "region" not in columns:
            continue
        indicator_columns, unknown, groups = {}, {}, {}
        for j, cell in enumerate(row):
            if j in columns.values() or not clean_text(cell):
                continue
            code = resolver.resolve(cell)
            if resolver.is_dropped(cell):
                continue  # an indicator the instrument dropped: its answers are set aside
            if code in codes:
                if code in indicator_columns:
                    duplicated.append((code, j))
                else:
                    indicator_columns[code] = j
            elif _CODE_SHAPE.match(code) and "indicator" not in columns:
                unknown[code] = j
            else:
                groups[_group_name(cell)] = j
        if ("indicator" in columns and "value" in columns) or indicator_columns:
            return _Header(r, columns, indicator_columns, unknown, groups, duplicated)
    return None


def _group_name(label: object) -> str:
    text = clean_text(label).lower()
    text = re.sub(r"[^0-9a-z]+", "_", text).strip("_")
    return {"tipe": "region_type", "jenis": "region_type", "type": "region_type",
            "provinsi": "province"}.get(text, text or "column")


def _table_records(raw: RawSheet, header: _Header, framework: Framework,
                   problems: ProblemCollector, default_cycle: int | None) -> pd.DataFrame:
    for _key, j in header.duplicated:
        problems.add("SC312", raw.location(header.row, j), column=clean_text(raw.rows[header.row][j]))
    for code, j in header.unknown_code_columns.items():
        problems.add("SC302", raw.location(header.row, j), code=code)
    body = raw.rows[header.row + 1:]
    if not body:
        return _empty_records()
    width = max(len(r) for r in body)
    grid = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in body]) if any(
        len(r) != width for r in body) else pd.DataFrame(body)
    excel_rows = np.arange(header.row + 2, header.row + 2 + len(grid), dtype=np.int32)
    blank = grid.map(lambda v: clean_text(v) == "").all(axis=1).to_numpy()
    grid, excel_rows = grid[~blank].reset_index(drop=True), excel_rows[~blank]
    cols = header.columns

    def column(key: str) -> pd.Series:
        return grid[cols[key]] if key in cols and cols[key] in grid.columns else pd.Series([None] * len(grid))

    if header.indicator_columns:  # wide
        n_ind = len(header.indicator_columns)
        codes = np.repeat(np.array(list(header.indicator_columns), dtype=object)[None, :], len(grid), 0).ravel()
        values = grid[list(header.indicator_columns.values())].to_numpy(dtype=object).ravel()
        value_cols = np.tile([column_letter(j + 1) for j in header.indicator_columns.values()], len(grid))
        records = pd.DataFrame({
            "cycle": np.repeat(column("cycle").to_numpy(dtype=object), n_ind),
            "region": np.repeat(column("region").to_numpy(dtype=object), n_ind),
            "respondent": np.repeat(column("respondent").to_numpy(dtype=object), n_ind),
            "indicator": codes,
            "value": values,
            "evidence": None,
            "source_row": np.repeat(excel_rows, n_ind),
            "source_col": value_cols,
            "indicator_col": np.repeat(np.array([column_letter(j + 1) for j in header.indicator_columns.values()])[None, :], len(grid), 0).ravel(),
        })
        for name, j in header.group_columns.items():
            records[name] = np.repeat(grid[j].map(clean_text).to_numpy(dtype=object), n_ind)
    else:  # tidy
        records = pd.DataFrame({
            "cycle": column("cycle").to_numpy(dtype=object),
            "region": column("region").to_numpy(dtype=object),
            "respondent": column("respondent").to_numpy(dtype=object),
            "indicator": column("indicator").to_numpy(dtype=object),
            "value": column("value").to_numpy(dtype=object),
            "evidence": column("evidence").to_numpy(dtype=object),
            "source_row": excel_rows,
            "source_col": column_letter(cols["value"] + 1),
            "indicator_col": column_letter(cols["indicator"] + 1),
        })
        for name, j in header.group_columns.items():
            records[name] = grid[j].map(clean_text).to_numpy(dtype=object)
    records["region_col"] = column_letter(cols["region"] + 1)
    records["cycle_col"] = column_letter(cols["cycle"] + 1) if "cycle" in cols else ""
    if "cycle" not in cols:
        records["cycle"] = default_cycle
    records["source_file"] = raw.file
    records["source_sheet"] = raw.sheet
    return records


def _empty_records() -> pd.DataFrame:
    return pd.DataFrame(columns=[*ANSWER_COLUMNS, "source_row", "source_col", "source_file", "source_sheet"])


def _report_uncomputed_formulas(path: Path, sheet_index: int, sheet: str, part: pd.DataFrame,
                                problems: ProblemCollector) -> None:
    formulas = formula_cells_without_values(path, sheet_index)
    if not formulas:
        return
    cells = part["source_col"].astype(str) + part["source_row"].astype(str)
    for cell in cells[cells.isin(formulas)]:
        problems.add("SC108", Location(display_name(path), sheet, cell), formula=formulas[cell])


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
        col = raw[col_field].iat[i] if col_field in raw.columns else raw["source_col"].iat[i]
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
    value_text_blank = raw["value"].map(clean_text).to_numpy() == "" if raw["value"].dtype == object else np.zeros(n, bool)
    skip = ((indicator.to_numpy() == "") & value_text_blank) | dropped  # blank rows; dropped indicators
    for code in dropped_codes:
        problems.note("SC106", Location(), reason=f"indikator {code} dihapus dari instrumen / dropped from the instrument")
    for i in np.flatnonzero(~known & ~skip):
        problems.add("SC302", at(i, "indicator_col"), code=indicator.iat[i] or "(kosong)")

    # Values.
    values, bad = parse_numbers(raw["value"])
    lo = indicator.map(framework.table["min"]).to_numpy(dtype=float)
    hi = indicator.map(framework.table["max"]).to_numpy(dtype=float)
    for i in np.flatnonzero(bad & known):
        problems.add("SC303", at(i), value=clean_text(raw["value"].iat[i]), lo=_fmt(lo[i]), hi=_fmt(hi[i]))
    with np.errstate(invalid="ignore"):
        outside = known & ~np.isnan(values) & ((values < lo) | (values > hi))
    for i in np.flatnonzero(outside):
        problems.add("SC304", at(i), value=_fmt(values[i]), lo=_fmt(lo[i]), hi=_fmt(hi[i]))

    # Regions.
    region = canonical_regions(raw["region"], aliases)
    for i in np.flatnonzero((region == "").to_numpy() & ~skip):
        problems.add("SC307", at(i, "region_col"))

    # Cycles.
    cycle_raw = raw["cycle"]
    cycle_num, cycle_bad = parse_numbers(cycle_raw.astype(object))
    with np.errstate(invalid="ignore"):
        cycle_bad |= ~np.isnan(cycle_num) & ((cycle_num % 1 != 0) | (cycle_num < 1900) | (cycle_num > 2200))
    for i in np.flatnonzero(cycle_bad & ~skip):
        problems.add("SC308", at(i, "cycle_col"), value=clean_text(cycle_raw.iat[i]))

    respondent = raw["respondent"].map(clean_text).replace("", None)
    evidence = raw["evidence"].map(clean_text).replace("", None) if "evidence" in raw else None

    keep = known & ~skip
    table = pd.DataFrame({
        "cycle": pd.array(np.where(cycle_bad, np.nan, cycle_num), dtype="Int64"),
        "region": region.to_numpy(dtype=object),
        "respondent": respondent.to_numpy(dtype=object),
        "indicator": indicator.to_numpy(dtype=object),
        "value": values,
        "evidence": evidence.to_numpy(dtype=object) if evidence is not None else None,
    })
    extra = [c for c in raw.columns if c not in (*ANSWER_COLUMNS, *SOURCE_COLUMNS)
             and not c.endswith("_col")]
    for c in extra:
        table[c] = raw[c].map(clean_text).replace("", None).to_numpy(dtype=object)
    if "region_type" not in table.columns:
        types = {r: region_type(r) for r in pd.unique(table["region"])}
        table["region_type"] = table["region"].map(types)
    table["source_file"] = pd.Categorical(raw["source_file"].astype(object))
    table["source_sheet"] = pd.Categorical(raw["source_sheet"].astype(object))
    table["source_row"] = raw["source_row"].to_numpy(dtype=np.int32)
    table["source_col"] = pd.Categorical(raw["source_col"].astype(object))
    table = table[keep].reset_index(drop=True)

    # The same cycle/region/indicator/respondent twice.
    key = ["cycle", "region", "indicator", "respondent"]
    dup = table.duplicated(key, keep="first").to_numpy()
    if dup.any():
        first = table[~dup].drop_duplicates(key).set_index(key)
        for i in np.flatnonzero(dup):
            row = table.iloc[i]
            other = first.loc[tuple(row[k] for k in key)]
            other_where = _cell_text(other["source_file"], other["source_sheet"], other["source_col"], other["source_row"])
            problems.add(
                "SC305",
                Location(row["source_file"], row["source_sheet"] if isinstance(row["source_sheet"], str) else None,
                         f"{row['source_col']}{row['source_row']}"),
                region=row["region"], code=row["indicator"],
                respondent=row["respondent"] if isinstance(row["respondent"], str) else "-",
                other=other_where,
            )
    table["region"] = pd.Categorical(table["region"])
    table["indicator"] = pd.Categorical(table["indicator"], categories=framework.indicators)
    return table


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
