"""The instrument (framework): the tree of index, dimensions, sub-dimensions and indicators.

The instrument is data, never code. It is a table with the columns
``code, parent, weight, direction, min, max, name_id, name_en, aspect`` (only ``code`` and
``parent`` required) plus the optional ``effort``, ``question_id``, ``question_en``,
``scale_id``, ``scale_en``; read from CSV or from a sheet named ``framework`` in an xlsx.
Leading CSV lines such as ``# version: 2025.1`` or ``# levels: index, dimension, ...`` carry
metadata; in an xlsx the same keys go in an optional sheet ``about`` (key, value).

Rows whose code is somebody's parent are aggregates, the others are indicators. Validation
collects every problem at once and raises :class:`~smartcity_analysis.errors.FrameworkError`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import FileError, FrameworkError, Location, ProblemCollector
from .readers import (
    RawSheet,
    clean_text,
    display_name,
    normalise_code,
    open_workbook,
    read_csv_rows,
    read_sheet_rows,
)

ASPECTS: tuple[str, ...] = ("Struktur", "Infrastruktur", "Suprastruktur")
_ASPECT_ALIASES = {
    "struktur": "Struktur", "structure": "Struktur", "structural": "Struktur",
    "infrastruktur": "Infrastruktur", "infrastructure": "Infrastruktur",
    "suprastruktur": "Suprastruktur", "superstructure": "Suprastruktur",
    "supra-struktur": "Suprastruktur", "supra struktur": "Suprastruktur",
}
COLUMNS = ("code", "parent", "weight", "direction", "min", "max", "name_id", "name_en", "aspect")
OPTIONAL_TEXT = ("question_id", "question_en", "scale_id", "scale_en")
DEFAULT_LEVEL_NAMES = ("index", "dimension", "sub-dimension", "indicator")
DEFAULT_VERSION_NOTE = (
    "Illustrative instrument: no official readiness rubric is public; replace it with your own file."
)


@dataclass(frozen=True)
class Framework:
    """A validated instrument.

    ``table`` is indexed by ``code`` in file order with the columns of :data:`COLUMNS` (less
    ``code``) plus ``effort``, the optional question texts, ``depth`` (root 0), ``is_indicator``
    and ``level`` (the level's name, such as ``dimension``).
    """

    table: pd.DataFrame
    version: str
    source: str = "<memory>"
    metadata: dict[str, str] = field(default_factory=dict)

    # -- structure -------------------------------------------------------------------------
    @cached_property
    def root(self) -> str:
        return str(self.table.index[self.table["parent"].isna()][0])

    @cached_property
    def indicators(self) -> list[str]:
        return self.table.index[self.table["is_indicator"]].tolist()

    @cached_property
    def aggregates(self) -> list[str]:
        return self.table.index[~self.table["is_indicator"]].tolist()

    @cached_property
    def level_names(self) -> tuple[str, ...]:
        """Names of the levels by depth, root first."""
        depth = int(self.table["depth"].max()) + 1
        names = self.metadata.get("levels")
        if names:
            parts = tuple(p.strip() for p in names.split(","))
            if len(parts) == depth:
                return parts
        if depth == len(DEFAULT_LEVEL_NAMES):
            return DEFAULT_LEVEL_NAMES
        return ("index",) + tuple(f"level {d}" for d in range(1, depth - 1)) + ("indicator",)

    def children(self, code: str) -> list[str]:
        return self.table.index[self.table["parent"] == code].tolist()

    def ancestors(self, code: str) -> list[str]:
        """Parents of ``code`` up to the root, nearest first."""
        out = []
        parent = self.table.at[code, "parent"]
        while isinstance(parent, str):
            out.append(parent)
            parent = self.table.at[parent, "parent"]
        return out

    def codes_at(self, level: str | int) -> list[str]:
        """Codes whose level is ``level`` (a name such as ``dimension`` or a depth)."""
        if isinstance(level, int):
            return self.table.index[self.table["depth"] == level].tolist()
        return self.table.index[self.table["level"] == level].tolist()

    def ancestor_at(self, depth: int) -> pd.Series:
        """For every code, its ancestor at ``depth`` (itself if at that depth; NaN if above)."""
        cache = self.__dict__.setdefault("_ancestors_by_depth", {})
        if depth not in cache:  # charts ask for it once per code they draw
            cache[depth] = self._ancestor_at(depth)
        return cache[depth].copy()

    def _ancestor_at(self, depth: int) -> pd.Series:
        parent = self.table["parent"]
        current = pd.Series(self.table.index, index=self.table.index, dtype=object)
        depths = self.table["depth"].copy()
        for _ in range(int(depths.max())):
            deeper = depths > depth
            current = current.where(~deeper, parent.reindex(current.to_numpy()).to_numpy())
            depths = depths.where(~deeper, depths - 1)
        return current.where(self.table["depth"] >= depth)

    @cached_property
    def lineage(self) -> pd.DataFrame:
        """For each indicator: its dimension (depth 1), sub-dimension (depth 2) and aspect."""
        t = self.table.loc[self.indicators]
        out = pd.DataFrame(index=t.index)
        out["dimension"] = self.ancestor_at(1).reindex(t.index)
        out["sub_dimension"] = self.ancestor_at(2).reindex(t.index) if t["depth"].max() >= 3 else np.nan
        out["aspect"] = t["aspect"]
        return out

    @cached_property
    def dimensions(self) -> list[str]:
        return self.codes_at(1)

    def name(self, code: str, lang: str = "id") -> str:
        """The display name of a code in a language, falling back to the other, then the code."""
        first, second = ("name_en", "name_id") if lang == "en" else ("name_id", "name_en")
        for column in (first, second):
            value = self.table.at[code, column]
            if isinstance(value, str) and value:
                return value
        return code

    def names(self, lang: str = "id") -> pd.Series:
        return pd.Series({c: self.name(c, lang) for c in self.table.index}, name="name")

    @cached_property
    def code_lookup(self) -> dict[str, str]:
        """Forgiving key (see :func:`~.readers.normalise_code`) -> the code as the instrument spells it."""
        return {normalise_code(c): c for c in self.table.index}

    def resolve_code(self, typed: object) -> str:
        """The instrument's code for a code as typed (``" sg-sv-01"`` -> ``"SG-SV-01"``), else the typed key."""
        key = normalise_code(typed)
        return self.code_lookup.get(key, key)

    def scale(self, code: str) -> tuple[float, float]:
        return float(self.table.at[code, "min"]), float(self.table.at[code, "max"])

    def with_weights(self, weights: pd.Series | dict) -> Framework:
        """A copy with some weights replaced (``{code: weight}``)."""
        table = self.table.copy()
        weights = pd.Series(weights, dtype=float)
        table.loc[weights.index, "weight"] = weights.to_numpy()
        return Framework(table, self.version, self.source, dict(self.metadata))

    def to_frame(self) -> pd.DataFrame:
        """The instrument as the user-facing table (the inverse of :func:`framework_from_table`)."""
        cols = [*COLUMNS[1:], "effort", *OPTIONAL_TEXT]
        return self.table[cols].reset_index()

    def fingerprint(self) -> str:
        """A hash of the instrument's content, recorded with every output."""
        payload = self.to_frame().to_csv(index=False).encode()
        return hashlib.sha256(payload).hexdigest()[:16]


# --- building and validation -----------------------------------------------------------------


def framework_from_table(
    frame: pd.DataFrame,
    *,
    source: str = "<memory>",
    sheet: str | None = None,
    version: str | None = None,
    metadata: dict[str, str] | None = None,
    header_row: int = 1,
) -> Framework:
    """Validate a table of the instrument and build a :class:`Framework`.

    ``frame`` may hold raw strings as typed; every problem is reported at once, located at
    ``source``/``sheet`` and the Excel cell (data rows start below ``header_row``).
    """
    problems = ProblemCollector()
    metadata = dict(metadata or {})
    frame = frame.copy()
    frame.columns = [clean_text(c).lower().replace(" ", "_") for c in frame.columns]
    col_letter = {c: i for i, c in enumerate(frame.columns)}

    def loc(row_pos: int, column: str | None = None) -> Location:
        if column is None or column not in col_letter:
            return Location(source, sheet, row=header_row + 1 + row_pos)
        from ..errors import column_letter

        return Location(source, sheet, f"{column_letter(col_letter[column] + 1)}{header_row + 1 + row_pos}")

    for required in ("code", "parent"):
        if required not in frame.columns:
            problems.add("SC201", Location(source, sheet), column=required)
    problems.raise_if_any(FrameworkError)

    # Drop rows that are wholly blank (trailing rows in spreadsheets).
    blank = frame.apply(lambda col: col.map(clean_text) == "").all(axis=1)
    positions = np.flatnonzero(~blank.to_numpy())
    frame = frame.iloc[positions].reset_index(drop=True)

    # Codes keep the user's spelling; parents are matched forgivingly (case, spaces).
    codes = frame["code"].map(lambda v: "".join(clean_text(v).split()))
    by_key = {normalise_code(c): c for c in codes}
    parents = frame["parent"].map(lambda v: by_key.get(normalise_code(v), "".join(clean_text(v).split())))
    table = pd.DataFrame({"code": codes, "parent": parents.replace("", np.nan)})

    for i, code in enumerate(codes):
        if not code:
            problems.add("SC212", loc(positions[i], "code"))
    seen: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code and code in seen:
            problems.add("SC202", loc(positions[i], "code"), code=code)
        seen.setdefault(code, i)

    def numeric(column: str, default: float | None, bad_code: str = "SC211") -> pd.Series:
        if column not in frame.columns:
            return pd.Series(default, index=frame.index, dtype=float)
        out = []
        for i, raw in enumerate(frame[column]):
            text = clean_text(raw).replace(",", ".")
            if text == "":
                out.append(np.nan if default is None else default)
                continue
            try:
                out.append(float(text))
            except ValueError:
                problems.add(bad_code, loc(positions[i], column), value=clean_text(raw), column=column, code=codes[i])
                out.append(np.nan)
        return pd.Series(out, index=frame.index, dtype=float)

    table["weight"] = numeric("weight", 1.0, bad_code="SC207")
    table["direction"] = numeric("direction", 1.0)
    table["min"] = numeric("min", None)
    table["max"] = numeric("max", None)
    table["effort"] = numeric("effort", None)
    for column in ("name_id", "name_en", *OPTIONAL_TEXT):
        table[column] = frame[column].map(clean_text).replace("", np.nan) if column in frame.columns else np.nan
    aspect_raw = frame["aspect"].map(clean_text) if "aspect" in frame.columns else pd.Series("", index=frame.index)
    table["aspect"] = aspect_raw.str.lower().map(_ASPECT_ALIASES)

    for i in range(len(table)):
        code = codes[i]
        w = table.at[i, "weight"]
        if w <= 0:
            problems.add("SC207", loc(positions[i], "weight"), value=_fmt(w), code=code)
        d = table.at[i, "direction"]
        if not np.isnan(d) and d not in (1.0, -1.0):
            problems.add("SC209", loc(positions[i], "direction"), value=clean_text(frame.at[i, "direction"]), code=code)
        lo, hi = table.at[i, "min"], table.at[i, "max"]
        if not np.isnan(lo) and not np.isnan(hi) and lo >= hi:
            problems.add("SC208", loc(positions[i], "min"), lo=_fmt(lo), hi=_fmt(hi), code=code)
        if aspect_raw.iloc[i] and pd.isna(table.at[i, "aspect"]):
            problems.add("SC210", loc(positions[i], "aspect"), value=aspect_raw.iloc[i], code=code)
        e = table.at[i, "effort"]
        if not np.isnan(e) and e not in (1.0, 2.0, 3.0):
            problems.add("SC213", loc(positions[i], "effort"), value=clean_text(frame.at[i, "effort"]), code=code)

    known = set(codes)
    for i, parent in enumerate(table["parent"]):
        if isinstance(parent, str) and parent not in known:
            problems.add("SC203", loc(positions[i], "parent"), parent=parent, code=codes[i])
    roots = table.loc[table["parent"].isna() & (table["code"] != ""), "code"].tolist()
    if not roots:
        problems.add("SC205", Location(source, sheet))
    elif len(roots) > 1:
        problems.add("SC206", Location(source, sheet), codes=", ".join(roots))

    parent_of = dict(zip(table["code"], table["parent"], strict=False))
    reported: set[frozenset[str]] = set()
    for start in parent_of:
        path, node = [start], parent_of.get(start)
        while isinstance(node, str) and node in parent_of and node not in path:
            path.append(node)
            node = parent_of.get(node)
        if isinstance(node, str) and node in path:
            ring = path[path.index(node):]
            key = frozenset(ring)
            if key not in reported:
                reported.add(key)
                i = codes.tolist().index(ring[0])
                problems.add("SC204", loc(positions[i], "parent"), path=" -> ".join([*ring, node]))
    problems.raise_if_any(FrameworkError)

    table = table.set_index("code")
    table.index.name = "code"
    table["direction"] = table["direction"].fillna(1.0)
    depth = pd.Series(0, index=table.index)
    for code in table.index:
        depth[code] = len(_ancestors(parent_of, code))
    table["depth"] = depth
    parents_set = set(table["parent"].dropna())
    table["is_indicator"] = ~table.index.isin(parents_set)
    if "version" not in metadata and version is None:
        version = f"{source}#{hashlib.sha256(table.to_csv().encode()).hexdigest()[:12]}"
    framework = Framework(table, version or metadata["version"], source, metadata)
    level_names = framework.level_names
    table["level"] = [
        "indicator" if is_ind else level_names[min(d, len(level_names) - 1)]
        for d, is_ind in zip(table["depth"], table["is_indicator"], strict=True)
    ]
    return framework


def _ancestors(parent_of: dict, code: str) -> list[str]:
    out, node = [], parent_of.get(code)
    while isinstance(node, str):
        out.append(node)
        node = parent_of.get(node)
    return out


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# --- reading files ---------------------------------------------------------------------------


def _split_metadata(sheet: RawSheet) -> tuple[dict[str, str], list[list[object]]]:
    """Leading ``# key: value`` rows are metadata; the rest is the table."""
    metadata, rows = {}, sheet.rows
    start = 0
    while start < len(rows) and clean_text(rows[start][0] if rows[start] else "").startswith("#"):
        line = ",".join(clean_text(c) for c in rows[start] if clean_text(c)).lstrip("#").strip()
        if ":" in line:
            key, value = line.split(":", 1)
            metadata[key.strip().lower()] = value.strip()
        start += 1
    return metadata, rows[start:]


def load_framework(path: str | Path | None = None, *, version: str | None = None) -> Framework:
    """Read and validate an instrument from a CSV file or the ``framework`` sheet of an xlsx.

    ``path=None`` gives the built-in illustrative instrument (:func:`default_framework`).
    """
    if path is None:
        return default_framework()
    path = Path(path)
    name = display_name(path)
    if not path.exists():
        raise FileError.single("SC101", Location(name))
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xls"):
        workbook = open_workbook(path)
        sheets = list(workbook.sheet_names)
        match = [s for s in sheets if s.strip().lower() == "framework"]
        if not match:
            from ..errors import FrameworkError as _FE

            raise _FE.single("SC309", Location(name), sheet="framework", sheets=", ".join(sheets))
        raw = read_sheet_rows(workbook, path, match[0])
        metadata: dict[str, str] = {}
        about = [s for s in sheets if s.strip().lower() == "about"]
        if about:
            for row in read_sheet_rows(workbook, path, about[0]).rows:
                if len(row) >= 2 and clean_text(row[0]):
                    metadata[clean_text(row[0]).lower()] = clean_text(row[1])
        sheet_name = match[0]
        rows = raw.rows
        skip = 0
    else:
        raw = read_csv_rows(path)
        metadata, rows = _split_metadata(raw)
        skip = len(raw.rows) - len(rows)
        sheet_name = None
    rows = [r for r in rows]
    if not rows:
        raise FileError.single("SC105", Location(name, sheet_name))
    header = [clean_text(c) for c in rows[0]]
    frame = pd.DataFrame(rows[1:], columns=header) if len(rows) > 1 else pd.DataFrame(columns=header)
    frame = frame.loc[:, [bool(h) for h in header]]
    return framework_from_table(
        frame, source=name, sheet=sheet_name, version=version or metadata.get("version"),
        metadata=metadata, header_row=skip + 1,
    )


def default_framework() -> Framework:
    """The built-in illustrative Indonesian instrument (6 dimensions, 18 sub-dimensions)."""
    return _default_framework_cached()


_DEFAULT_CACHE: dict[str, Framework] = {}


def _default_framework_cached() -> Framework:
    if "default" not in _DEFAULT_CACHE:
        with resources.as_file(resources.files("smartcity_analysis") / "data" / "default_framework.csv") as p:
            _DEFAULT_CACHE["default"] = load_framework(p)
    return _DEFAULT_CACHE["default"]


def default_framework_path() -> Path:
    return Path(str(resources.files("smartcity_analysis") / "data" / "default_framework.csv"))
