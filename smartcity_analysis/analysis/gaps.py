"""Gap analysis for the Smart City Masterplan: targets, gaps, what lifts the index most, priorities.

The masterplan's first book is a readiness, gap (kesenjangan) and SWOT analysis, the SWOT written
per readiness aspect; its second turns gaps into short, medium and long-term programmes and quick
wins. :func:`gap_analysis` gives those answers for one assessed cycle as one
:class:`GapAnalysis` object; :func:`write_gaps` writes ``gaps.csv`` and ``gaps.xlsx``.

Targets
    Three ways, mixable, later ones winning: a rule for every code (the default rule,
    :data:`DEFAULT_RULE` = ``next-level`` at every level), a rule per level or per code, and a
    targets table (``region, code, target`` with optional ``year`` and ``scale``; a blank region
    means every region, a named region wins over a blank one). Rules:

    - ``next-level``: the lower bound of the next maturity band (:class:`~.maturity.MaturityLadder`)
      on the scores' scale; a code already in the top band keeps its current score (gap 0); a code
      with no score counts as in the first band.
    - ``cohort-best``, ``cohort-pNN`` (``cohort-p75``): the best score, or the NN-th percentile
      (linear interpolation), of that code over every region scored in the cycle (a region filter
      never changes the cohort).
    - a number: a fixed target.

    Numbers (fixed rules and table targets) are on the ``percent`` (0-100) or the ``native``
    (instrument) scale, said by the table's ``scale`` column or ``target_scale`` (default: the
    scores' own scale). They are converted to the scores' scale as the ``scale`` normalisation does:
    ``(t - min) / (max - min) * 100``, direction -1 mirrored, with each indicator's own min and max
    and, for aggregates, the instrument's common scale (smallest min, largest max of the indicators:
    1-5 -> 0-100). Every output row says where its target came from (``target_rule``:
    ``"default: next-level"``, ``"dimension: cohort-best"``, ``"SG: 80"``, ``"table (targets.csv,
    row 4)"``). Targets without a year are due :data:`DEFAULT_TARGET_YEARS` after the analysed cycle.

Gaps
    ``gap = max(target - current, 0)`` at every level; NaN where the code has no score.

Index points
    For each indicator, the index points the region gains if that indicator alone reaches its
    target (``max(current, target)``; a missing indicator counts as present at its target), computed
    through the real aggregation (:func:`~.aggregate.aggregate_tree` with the scores' options:
    weights renormalised over present children, ``min_coverage``, geometric means). All the
    "one indicator raised" variants are stacked on the units axis and aggregated in one call. Gains
    are never negative: bringing a missing indicator in at a target below its siblings' mean would
    lower the weighted mean; that is a data gap, not a lift, and counts 0. Where the region's index
    has no score (coverage below ``min_coverage``) the gain is NaN. An aggregate's ``index_points``
    is the gain if all of its indicators reach their targets (for the index: all indicators). With
    relative normalisations (minmax, rank, zscore) the other regions' scores are held fixed.
    ``share_of_index_gap`` is the part of the index's own gap that the indicator alone closes
    (``min(index_points / index gap, 1)``); shares need not add up to 1 (the index target has its
    own rule, and renormalisation makes gains non-additive).

Priorities
    Effort per indicator: the instrument's ``effort`` column (1 low, 2 medium, 3 high); where blank,
    :data:`DEFAULT_EFFORT_BY_ASPECT` (Suprastruktur 1: a regulation or procedure; Struktur 2: people
    and budget; Infrastruktur 3: building things), else :data:`FALLBACK_EFFORT`. ``effort={...}``
    overrides by aspect or by indicator code (a code beats the instrument, which beats an aspect).
    High impact: ``index_points >=`` the region's median positive ``index_points`` (or a fixed
    ``impact_threshold``). Low effort: ``effort <= 1.5`` (``low_effort_max``): only policy-type
    work shows results within a year. Quadrants: quick win (high impact, low effort), major project
    (high, high), fill-in (low, low), low priority (low, high); ``no_gap`` where nothing is left to
    do. Horizons (:func:`proposed_horizon`): quick win -> short (within 1 year); fill-in -> medium
    (2-5 years, after the quick wins); major project -> medium, or long (5-10 years) at effort 3;
    low priority -> long.

Progress
    Where the region has an earlier score for a code: the gap closed since the latest earlier cycle
    (its gap against the same target minus today's), and whether it is on track: on a straight path
    from the baseline (the earliest earlier score) in the baseline's year to the target in the
    target year, the expected score now is interpolated; ``on_track = current >= expected``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Bilingual, DataError, FileError, Location, OptionError, ProblemCollector
from ..i18n import term
from ..input.framework import ASPECTS, Framework
from ..input.loading import HEADER_ALIASES as ANSWER_HEADERS
from ..input.readers import (
    SPREADSHEET_SUFFIXES,
    TABLE_SUFFIXES,
    RawSheet,
    clean_text,
    display_name,
    open_workbook,
    parse_numbers,
    read_csv_rows,
    read_sheet_rows,
    visible_sheet_names,
)
from ..input.regions import canonical_regions, load_region_aliases
from ..model.aggregate import Tree, aggregate_tree, effective_weights
from ..model.maturity import SPBE_LADDER, MaturityLadder
from ..model.normalise import Normaliser, normaliser
from ..model.scoring import KEY, Scores
from ..model.selection import (
    UNKNOWN_CYCLE,
    cycle_label,
    resolve_cycle,
    resolve_region,
    resolve_regions,
)

__all__ = [
    "DEFAULT_EFFORT_BY_ASPECT",
    "DEFAULT_RULE",
    "DEFAULT_TARGET_YEARS",
    "FALLBACK_EFFORT",
    "GapAnalysis",
    "LABELS",
    "LOW_EFFORT_MAX",
    "TargetRule",
    "gap_analysis",
    "gap_sheet_frame",
    "indicator_effort",
    "parse_target_rules",
    "proposed_horizon",
    "read_targets",
    "readiness_matrix",
]

#: The rule for every code that no other rule or table covers.
DEFAULT_RULE = "next-level"
#: Targets without a year are due this many years after the analysed cycle (an RPJMD term).
DEFAULT_TARGET_YEARS = 5
#: Effort by readiness aspect where the instrument's ``effort`` column is blank.
DEFAULT_EFFORT_BY_ASPECT: dict[str, int] = {"Suprastruktur": 1, "Struktur": 2, "Infrastruktur": 3}
#: Effort of an indicator with neither an effort nor an aspect.
FALLBACK_EFFORT = 2
#: ``effort <= LOW_EFFORT_MAX`` is low effort (effort 1 only).
LOW_EFFORT_MAX = 1.5
QUADRANTS = ("quick_win", "major_project", "fill_in", "low_priority")
NO_GAP = "no_gap"
HORIZONS = ("short", "medium", "long")
TARGET_SCALES = ("native", "percent")

#: Words for quadrants, horizons and yes/no, for charts and workbooks.
LABELS: dict[str, dict[str, str]] = {
    "id": {
        "quick_win": "quick win",
        "major_project": "proyek besar",
        "fill_in": "pelengkap",
        "low_priority": "prioritas rendah",
        "no_gap": "tanpa kesenjangan",
        "short": "jangka pendek",
        "medium": "jangka menengah",
        "long": "jangka panjang",
        "short_years": "dalam 1 tahun",
        "medium_years": "2-5 tahun",
        "long_years": "5-10 tahun",
        "impact": "Dampak (tambahan poin indeks)",
        "effort": "Upaya (1 rendah - 3 tinggi)",
        "yes": "ya",
        "no": "tidak",
    },
    "en": {
        "quick_win": "quick win",
        "major_project": "major project",
        "fill_in": "fill-in",
        "low_priority": "low priority",
        "no_gap": "no gap",
        "short": "short term",
        "medium": "medium term",
        "long": "long term",
        "short_years": "within 1 year",
        "medium_years": "2-5 years",
        "long_years": "5-10 years",
        "impact": "Impact (index points gained)",
        "effort": "Effort (1 low - 3 high)",
        "yes": "yes",
        "no": "no",
    },
}

_HEADER_ALIASES = {
    "region": ANSWER_HEADERS["region"],
    "code": ANSWER_HEADERS["indicator"],
    "target": ("target", "sasaran", "nilai target", "target value"),
    "year": ("year", "tahun", "tahun target", "target year", "target_year"),
    "scale": ("scale", "skala"),
}
_HEADER_LOOKUP = {alias: key for key, aliases in _HEADER_ALIASES.items() for alias in aliases}
_SCALE_WORDS = {
    "native": "native", "asli": "native", "instrument": "native", "instrumen": "native",
    "percent": "percent", "persen": "percent", "%": "percent", "0-100": "percent",
}
_EVERY_REGION = ("", "*", "all", "semua", "semua daerah")
_LEVEL_WORDS = {"indeks": "index", "dimensi": "dimension", "subdimensi": "sub-dimension",
                "indikator": "indicator"}
_MAX_STACKED_ROWS = 20_000  # rows per aggregate_tree call: small enough to stay in cache


# --- targets: rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRule:
    """One target rule: ``next-level``, ``cohort`` (``percentile`` 100 = best) or ``fixed``."""

    kind: str
    value: float = float("nan")
    text: str = ""

    @classmethod
    def parse(cls, text: object) -> TargetRule:
        raw = clean_text(text)
        word = raw.lower().replace("_", "-").replace(" ", "")
        if word in ("next-level", "nextlevel", "next"):
            return cls("next-level", text="next-level")
        if word == "cohort-best":
            return cls("cohort", 100.0, "cohort-best")
        if word.startswith("cohort-p"):
            try:
                q = float(word[len("cohort-p"):])
            except ValueError:
                q = float("nan")
            if 0.0 <= q <= 100.0:
                return cls("cohort", q, f"cohort-p{q:g}")
        else:
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                number = float("nan")
            if np.isfinite(number):
                return cls("fixed", number, f"{number:g}")
        raise OptionError.single(
            "SC401", Location(),
            detail=Bilingual(f"aturan target {raw!r}; pakai next-level, cohort-best, cohort-pNN (0-100) atau angka", f"target rule {raw!r}; use next-level, cohort-best, cohort-pNN (0-100) or a number"),
        )


def parse_target_rules(spec: str | dict | None) -> dict[str, TargetRule]:
    """Rules by scope from ``"dimension=cohort-best,indicator=next-level,SG=80"`` or a dict.

    A part without ``=`` (or the key ``default``) is the default rule. Parts are separated by
    commas or semicolons (use semicolons with decimal commas). Keys are level names or codes;
    they are checked against the instrument by :func:`gap_analysis`.
    """
    if spec is None:
        return {}
    if isinstance(spec, dict):
        items = [(clean_text(k), v) for k, v in spec.items()]
    else:
        text = str(spec)
        # "SG=62,5; SB=70": with semicolons, commas are decimal commas
        parts = [p.strip() for p in text.split(";" if ";" in text else ",")]
        items = []
        for part in filter(None, parts):
            key, _, value = part.rpartition("=")
            items.append((key.strip() or "default", value.strip()))
    rules: dict[str, TargetRule] = {}
    for key, value in items:
        rules[key or "default"] = value if isinstance(value, TargetRule) else TargetRule.parse(value)
    return rules


# --- targets: tables --------------------------------------------------------------------------


def read_targets(path: str | Path, *, aliases: str | Path | dict | None = None) -> pd.DataFrame:
    """A targets table from CSV or xlsx (sheet ``targets``/``target``/``sasaran``, else the first).

    Columns ``code`` (or ``kode``/``indikator``) and ``target`` (``sasaran``) are required;
    ``region`` (``daerah``; blank = every region), ``year`` (``tahun``) and ``scale``
    (``native``/``percent``) are optional. Region names are canonicalised. Every problem is reported
    at once, located at file, sheet and cell.
    """
    path = Path(path)
    name = display_name(path)
    if not path.exists():
        raise FileError.single("SC101", Location(name))
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        workbook = open_workbook(path)
        sheets = visible_sheet_names(workbook) or list(workbook.sheet_names)
        named = [s for s in sheets if s.strip().lower() in ("targets", "target", "sasaran")]
        raw = read_sheet_rows(workbook, path, (named or sheets)[0])
    elif suffix in TABLE_SUFFIXES:
        raw = read_csv_rows(path)
    else:
        raise FileError.single("SC104", Location(name), suffix=suffix or "(tanpa akhiran)")
    table = _targets_from_raw(raw, aliases)
    table.attrs["source"] = name
    return table


def _targets_from_raw(raw: RawSheet, aliases) -> pd.DataFrame:
    rows = raw.rows
    start = 0
    while start < len(rows) and (not any(clean_text(c) for c in rows[start])
                                 or clean_text(rows[start][0]).startswith("#")):
        start += 1
    if start >= len(rows):
        raise FileError.single("SC105", raw.location())
    header = [_HEADER_LOOKUP.get(clean_text(c).lower()) for c in rows[start]]
    columns = {key: header.index(key) for key in _HEADER_ALIASES if key in header}
    problems = ProblemCollector()
    for required in ("code", "target"):
        if required not in columns:
            problems.add("SC301", raw.location(start), column=required)
    problems.raise_if_any(DataError)
    body = [(i, r) for i, r in enumerate(rows[start + 1:], start=start + 1) if any(clean_text(c) for c in r)]
    frame = pd.DataFrame({
        key: [r[j] if j < len(r) else None for _, r in body] for key, j in columns.items()
    })
    at = [{key: raw.location(i, j) for key, j in columns.items()} for i, _ in body]
    return _clean_targets(frame, at, aliases, problems)


def _targets_from_frame(frame: pd.DataFrame, aliases) -> pd.DataFrame:
    if "_at" in frame.columns:  # already read by read_targets
        return frame
    renamed = {c: _HEADER_LOOKUP.get(clean_text(c).lower()) for c in frame.columns}
    frame = frame.rename(columns=renamed)[[c for c in renamed.values() if c]]
    problems = ProblemCollector()
    for required in ("code", "target"):
        if required not in frame.columns:
            problems.add("SC301", Location("targets"), column=required)
    problems.raise_if_any(DataError)
    at = [{key: Location("targets", row=i + 2, column=key) for key in frame.columns}
          for i in range(len(frame))]
    return _clean_targets(frame.reset_index(drop=True), at, aliases, problems)


def _clean_targets(frame: pd.DataFrame, at: list[dict], aliases, problems: ProblemCollector) -> pd.DataFrame:
    frame = frame.astype(object).where(frame.notna(), None)  # pd.NA and NaN both blank
    codes = frame["code"].map(clean_text)
    target, _ = parse_numbers(frame["target"].astype(object))
    for i in np.flatnonzero(np.isnan(target)):  # blank or not a number
        problems.add("SC211", at[i]["target"], value=clean_text(frame["target"].iloc[i]) or "-",
                     column="target", code=codes.iloc[i])
    year = np.full(len(frame), np.nan)
    if "year" in frame.columns:
        year, bad_year = parse_numbers(frame["year"].astype(object))
        wrong = bad_year | (~np.isnan(year) & ((year % 1 != 0) | (year < 2000) | (year > 2100)))
        for i in np.flatnonzero(wrong):
            problems.add("SC303", at[i]["year"], value=clean_text(frame["year"].iloc[i]), lo=2000, hi=2100)
    scale = pd.Series(pd.NA, index=frame.index, dtype=object)
    if "scale" in frame.columns:
        typed = frame["scale"].map(clean_text).str.lower()
        scale = typed.map(_SCALE_WORDS)
        for i in np.flatnonzero((typed != "") & scale.isna()):
            problems.add("SC401", at[i]["scale"], detail=Bilingual(f"skala {typed.iloc[i]!r}: pakai native atau percent", f"scale {typed.iloc[i]!r}: use native or percent"))
    problems.raise_if_any(DataError)
    if not isinstance(aliases, dict):
        aliases = load_region_aliases(aliases)
    region = pd.Series("", index=frame.index, dtype=object)
    if "region" in frame.columns:
        every = frame["region"].map(clean_text).str.lower().isin(_EVERY_REGION)
        region = canonical_regions(frame["region"], aliases).where(~every, "")
    return pd.DataFrame({
        "region": region.astype(object).to_numpy(),
        "code": codes.to_numpy(dtype=object),
        "target": target,
        "year": pd.array(year, dtype="Int64"),
        "scale": scale.astype(object).to_numpy(),
        "_at": at,
    })


# --- effort, quadrants, horizons ---------------------------------------------------------------


def indicator_effort(framework: Framework, overrides: dict | None = None) -> pd.DataFrame:
    """Effort (1-3) of every indicator and where it came from (``effort``, ``effort_source``).

    Precedence: an override by indicator code, the instrument's ``effort`` column, an override by
    aspect, :data:`DEFAULT_EFFORT_BY_ASPECT`, :data:`FALLBACK_EFFORT`.
    """
    table = framework.table.loc[framework.indicators]
    by_code, by_aspect = {}, {}
    aspect_key = {a.lower(): a for a in ASPECTS}
    problems = ProblemCollector()
    for key, value in (overrides or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not 1.0 <= number <= 3.0:
            problems.add("SC401", Location(), detail=Bilingual(f"upaya {key}={value!r}: pakai angka 1 sampai 3",
                                                              f"effort {key}={value!r}: use a number from 1 to 3"))
            continue
        text = clean_text(key)
        if text.lower() in aspect_key:
            by_aspect[aspect_key[text.lower()]] = number
        elif framework.resolve_code(text) in table.index:
            by_code[framework.resolve_code(text)] = number
        else:
            problems.add("SC401", Location(), detail=Bilingual(
                f"kunci upaya {text!r} bukan aspek maupun kode indikator",
                f"effort key {text!r} is neither an aspect nor an indicator code"))
    problems.raise_if_any(OptionError)
    effort, source = [], []
    for code, row in table.iterrows():
        aspect = row["aspect"]
        if code in by_code:
            effort.append(by_code[code])
            source.append("override")
        elif not pd.isna(row["effort"]):
            effort.append(float(row["effort"]))
            source.append("instrument")
        elif isinstance(aspect, str) and aspect in by_aspect:
            effort.append(by_aspect[aspect])
            source.append("aspect override")
        elif isinstance(aspect, str) and aspect in DEFAULT_EFFORT_BY_ASPECT:
            effort.append(float(DEFAULT_EFFORT_BY_ASPECT[aspect]))
            source.append("aspect default")
        else:
            effort.append(float(FALLBACK_EFFORT))
            source.append("fallback")
    return pd.DataFrame({"effort": effort, "effort_source": source}, index=table.index)


def proposed_horizon(priority: str | None, effort: float) -> str | None:
    """Short for quick wins, medium for fill-ins and major projects, long at effort 3 or low priority."""
    return _horizons(np.array([priority], dtype=object), np.array([effort], dtype=float))[0]


def _horizons(priority: np.ndarray, effort: np.ndarray) -> np.ndarray:
    # labels picked from one object array: shared strings, not one new string per row
    labels = np.array([*HORIZONS, None], dtype=object)
    return labels[np.select(
        [priority == "quick_win", priority == "fill_in",
         (priority == "major_project") & (effort >= 3), priority == "major_project",
         priority == "low_priority"],
        [0, 1, 2, 1, 2], default=3,
    )]


# --- the analysis object ------------------------------------------------------------------------


@dataclass
class GapAnalysis:
    """Everything the gap chapter of a masterplan needs for one cycle.

    Attributes
    ----------
    gaps : DataFrame
        One row per (cycle, region, code): level, current, target, gap, target_rule, target_year,
        index_points (an aggregate: all its indicators at target).
    contributions : DataFrame
        Indicators ranked per region by index_points: rank, dimension, sub_dimension, aspect,
        current, target, gap, index_points, share_of_index_gap, missing (no score now).
    aspects : DataFrame
        Dimension x aspect matrix per region: current, target, gap, n_indicators, weakest.
    priorities : DataFrame
        Per indicator: dimension, aspect, index_points, effort, effort_source, impact_threshold, high_impact,
        low_effort, priority (a quadrant key or ``no_gap``), horizon.
    progress : DataFrame
        Per (region, code) with an earlier score: previous_cycle, previous_score, previous_gap,
        gap_closed, baseline_cycle, baseline_score, target_year, expected, on_track.
    parameters : dict
        Everything used: cycle, regions, rules, tables, scales, thresholds, scoring recipe.
    """

    gaps: pd.DataFrame
    contributions: pd.DataFrame
    aspects: pd.DataFrame
    priorities: pd.DataFrame
    progress: pd.DataFrame
    parameters: dict
    framework: Framework = field(repr=False)

    @property
    def cycle(self) -> int:
        return int(self.parameters["cycle"])

    @property
    def regions(self) -> list[str]:
        return list(self.parameters["regions"])

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The ``gaps.csv`` frame: every code of every region, indicators with their priority.

        Columns: cycle, region, code, level, dimension, sub_dimension, aspect, current, target,
        gap, target_rule, target_year, index_points, rank, share_of_index_gap, effort, priority,
        horizon, gap_closed, on_track and, with ``lang``, the code's name after ``code``.
        """
        keys = [*KEY, "code"]
        out = self.gaps.copy(deep=False)  # columns are added, none changed: no copy of 6.8 M rows
        lineage = _code_lineage(self.framework)
        position = lineage.index.get_indexer(out["code"])
        for column in lineage.columns:  # a left join on code, its missing codes NaN
            out[column] = _taken(lineage[column], position, out.index)
        for frame, columns in ((self.contributions, ["rank", "share_of_index_gap"]),
                               (self.priorities, ["effort", "priority", "horizon"]),
                               (self.progress, ["gap_closed", "on_track"])):
            rows = _rows_of(out, frame, keys)
            for column in columns:
                out[column] = _taken(frame[column], rows, out.index)
        out["on_track"] = out["on_track"].astype("boolean")
        cols = [*keys, "level", "dimension", "sub_dimension", "aspect", "current", "target", "gap",
                "target_rule", "target_year", "index_points", "rank", "share_of_index_gap", "effort",
                "priority", "horizon", "gap_closed", "on_track"]
        out = out[cols]
        if lang:
            out.insert(3, "name", out["code"].map(self.framework.names(lang)))
        return out

    def top(self, n: int = 10, region: str | None = None) -> pd.DataFrame:
        """The ``n`` indicators that lift each region's index most, with their priority."""
        rows = self.contributions[self.contributions["rank"] <= n]
        if region is not None:
            rows = rows[rows["region"] == self.resolve_region(region)]
        keys = [*KEY, "code"]
        return rows.merge(self.priorities[[*keys, "effort", "priority", "horizon"]], on=keys, how="left")

    def weakest_aspects(self, region: str | None = None) -> pd.DataFrame:
        """The weakest aspect of each dimension (one row per region and dimension)."""
        rows = self.aspects[self.aspects["weakest"]]
        if region is not None:
            rows = rows[rows["region"] == self.resolve_region(region)]
        return rows.reset_index(drop=True)

    def aspect_matrix(self, region: str, value: str = "gap") -> pd.DataFrame:
        """Dimension x aspect table of one region (``value``: current, target, gap, n_indicators)."""
        rows = self.aspects[self.aspects["region"] == self.resolve_region(region)]
        return rows.pivot(index="dimension", columns="aspect", values=value).reindex(
            index=pd.unique(rows["dimension"]), columns=ASPECTS)

    def resolve_region(self, name: str) -> str:
        """``name`` as this analysis spells it (SC403 when it is not one of its regions)."""
        return resolve_region(name, self.regions)


def _taken(column: pd.Series, rows: np.ndarray, index: pd.Index) -> pd.Series:
    """``column``'s values at ``rows`` (-1: missing), typed as a left merge types them."""
    if isinstance(column.dtype, np.dtype):
        values = pd.api.extensions.take(column.to_numpy(), rows, allow_fill=True)
        return pd.Series(values, index=index, dtype=values.dtype)
    return pd.Series(column.array.take(rows, allow_fill=True), index=index)


def _rows_of(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """For each row of ``left``, the row of ``right`` with the same ``keys`` (-1 for none): a left
    merge on keys unique in ``right``, without hashing millions of text keys twice."""
    if right.empty or left.empty:
        return np.full(len(left), -1)
    codes = []
    for key in keys:
        both = pd.concat([left[key], right[key]], ignore_index=True)
        factor, _ = pd.factorize(both, use_na_sentinel=False)
        codes.append(factor)
    sizes = [int(c.max()) + 1 for c in codes]
    flat = np.ravel_multi_index(codes, sizes) if np.prod(sizes, dtype=float) < 2**62 else None
    if flat is None:
        return right.reset_index(drop=True).reset_index().merge(left[keys], on=keys, how="right")["index"].fillna(-1).to_numpy(int)
    left_key, right_key = flat[:len(left)], flat[len(left):]
    order = np.argsort(right_key, kind="stable")
    found = np.searchsorted(right_key[order], left_key)
    found = np.minimum(found, len(order) - 1)
    hit = right_key[order][found] == left_key
    return np.where(hit, order[found], -1)


# --- the analysis -------------------------------------------------------------------------------


def gap_analysis(
    scores: Scores,
    targets: object = None,
    *,
    cycle: int | None = None,
    region: str | list[str] | None = None,
    effort: dict | None = None,
    ladder: MaturityLadder = SPBE_LADDER,
    target_scale: str | None = None,
    target_years: int = DEFAULT_TARGET_YEARS,
    impact_threshold: float | None = None,
    low_effort_max: float = LOW_EFFORT_MAX,
    aliases: str | Path | None = None,
) -> GapAnalysis:
    """Targets, gaps, index points, aspect matrix, priorities and progress for one cycle.

    Parameters
    ----------
    scores
        A :class:`~.scoring.Scores`; its options (aggregation, missing rule, min_coverage) are used
        to compute index points.
    targets
        None (the default rule for everything), a rule spec (``"cohort-p75"``,
        ``"dimension=cohort-best,SG=80"``) or dict, a targets table (DataFrame, or a CSV/xlsx path,
        see :func:`read_targets`), or a list of these; later entries win.
    cycle
        The analysed cycle (default the latest).
    region
        One region or a list (names are canonicalised); default every region. The cohort for
        ``cohort-*`` rules is always every region of the cycle.
    effort
        Overrides by aspect (``{"Struktur": 3}``) or indicator code (see :func:`indicator_effort`).
    ladder
        Maturity bands for ``next-level``.
    target_scale
        ``native`` or ``percent``: the scale of fixed rules and of table rows without a ``scale``;
        default the scores' own scale (native for ``normalise="none"``).
    target_years
        Targets without a year are due ``cycle + target_years``.
    impact_threshold, low_effort_max
        Fixed thresholds for the quadrants (default: the region's median positive index points;
        effort <= 1.5).
    aliases
        An extra region alias table for region names in targets and ``region``.

    Examples
    --------
    >>> analysis = gap_analysis(scores, "dimension=cohort-p75", region="Kab. Pekalongan")  # doctest: +SKIP
    >>> analysis.top(10)                                                                   # doctest: +SKIP
    """
    framework = scores.framework
    alias_table = load_region_aliases(aliases)
    cycle = _analysed_cycle(scores, cycle)
    at_cycle = scores.values.xs(cycle, level="cycle")
    regions = _selected_regions(at_cycle.index, region, alias_table)
    current = at_cycle.loc[regions, list(framework.table.index)]
    given_scale = _check_target_scale(target_scale, scores)

    rules, tables = _split_targets(targets, alias_table)
    target, rule_text, year = _targets(scores, at_cycle, current, rules, tables, given_scale, ladder)
    year = np.where(np.isnan(year), cycle + target_years, year)
    cur = current.to_numpy(dtype=float)
    gap = _gap(target, cur)

    # Index points: indicators one at a time, aggregates all their indicators at once.
    ind_pos = np.array([framework.table.index.get_loc(c) for c in framework.indicators])
    x = cur[:, ind_pos]
    raised = _raised(x, target[:, ind_pos])
    masks = np.vstack([np.eye(len(ind_pos), dtype=bool), _aggregate_masks(framework)])
    gains = _index_gains(x, raised, masks, scores).T  # (units, indicators + aggregates)
    points = np.full(cur.shape, np.nan)
    points[:, ind_pos] = gains[:, : len(ind_pos)]
    points[:, [framework.table.index.get_loc(a) for a in framework.aggregates]] = gains[:, len(ind_pos):]

    n_units, n_codes = cur.shape
    gaps = pd.DataFrame({
        "cycle": np.full(n_units * n_codes, cycle),
        "region": np.repeat(np.asarray(regions, dtype=object), n_codes),
        "code": np.tile(np.asarray(framework.table.index, dtype=object), n_units),
        "level": np.tile(framework.table["level"].to_numpy(dtype=object), n_units),
        "current": cur.ravel(),
        "target": target.ravel(),
        "gap": gap.ravel(),
        "target_rule": rule_text.ravel(),
        "target_year": year.ravel().astype(int),
        "index_points": points.ravel(),
    })

    root = framework.table.index.get_loc(framework.root)
    contributions = _contributions(framework, regions, cycle, x, target[:, ind_pos], gap[:, ind_pos],
                                   points[:, ind_pos], gap[:, root])
    efforts = indicator_effort(framework, effort)
    priorities = _priorities(contributions, efforts, impact_threshold, low_effort_max)
    aspects = _aspect_gaps(framework, regions, cycle, x, raised)
    progress = _progress(scores, gaps, cycle, regions)

    parameters = {
        "cycle": cycle,
        "regions": list(regions),
        "default_rule": rules.get("default", TargetRule.parse(DEFAULT_RULE)).text,
        "rules": {k: r.text for k, r in rules.items()},
        "target_tables": [t.attrs.get("source", "table") for t in tables],
        "target_scale": given_scale,
        "score_scale": list(scores.scale_range),
        "default_target_year": cycle + target_years,
        "ladder": _ladder_text(ladder, scores),
        "effort_by_aspect": DEFAULT_EFFORT_BY_ASPECT,
        "effort_overrides": dict(effort or {}),
        "impact_threshold": "median of positive index_points per region" if impact_threshold is None
        else impact_threshold,
        "low_effort_max": low_effort_max,
        "previous_cycle": int(progress["previous_cycle"].max()) if len(progress) else None,
        "scoring": scores.recipe(),
    }
    return GapAnalysis(gaps, contributions, aspects, priorities, progress, parameters, framework)


def _ladder_text(ladder: MaturityLadder, scores: Scores) -> str:
    """The next-level bands as used: lower bounds on the native scale and on the scores' scale."""
    native = ", ".join(f"{n} >= {lo:g}" for n, lo in zip(ladder.names_id[1:], ladder.lowers[1:], strict=True))
    if _method(scores).native:
        return f"{native} (native {ladder.native[0]:g}-{ladder.native[1]:g}, mapped onto each indicator's scale)"
    cuts = ", ".join(f"{c:g}" for c in ladder.thresholds(scores.scale_range))
    return f"{native} (native {ladder.native[0]:g}-{ladder.native[1]:g}; on the score scale: {cuts})"


def _cycle_words(cycle: int, lang: str) -> str:
    label = cycle_label(cycle, lang)
    return label if cycle == UNKNOWN_CYCLE else term("chart:cycle", lang).format(cycle=label)


def _method(scores: Scores) -> Normaliser:
    return normaliser(scores.options.normalise)


def _analysed_cycle(scores: Scores, cycle: int | None) -> int:
    return resolve_cycle(scores.cycles, cycle)


def _selected_regions(available: pd.Index, region, aliases: dict) -> list[str]:
    return resolve_regions(region, available, aliases)


def _check_target_scale(target_scale: str | None, scores: Scores) -> str:
    if target_scale is None:
        return "native" if _method(scores).native else "percent"
    word = _SCALE_WORDS.get(clean_text(target_scale).lower())
    if word is None:
        raise OptionError.single("SC401", Location(), detail=Bilingual(f"skala target {target_scale!r}: pakai native atau percent", f"target scale {target_scale!r}: use native or percent"))
    return word


def _split_targets(targets, aliases: dict) -> tuple[dict[str, TargetRule], list[pd.DataFrame]]:
    """Rules (merged, later wins) and tables (in order) from whatever ``targets`` holds."""
    items = targets if isinstance(targets, (list, tuple)) else [targets]
    rules: dict[str, TargetRule] = {}
    tables: list[pd.DataFrame] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, pd.DataFrame):
            tables.append(_targets_from_frame(item, aliases))
        elif isinstance(item, Path) or (isinstance(item, str) and _names_a_file(item)):
            tables.append(read_targets(item, aliases=aliases))
        elif isinstance(item, (str, dict)):
            rules.update(parse_target_rules(item))
        elif isinstance(item, (int, float)):
            rules["default"] = TargetRule.parse(item)
        else:
            raise OptionError.single("SC401", Location(), detail=Bilingual(f"target berjenis {type(item).__name__}",
                                                                       f"targets of type {type(item).__name__}"))
    return rules, tables


def _names_a_file(text: str) -> bool:
    path = Path(text)
    return path.exists() or path.suffix.lower() in TABLE_SUFFIXES


def _code_scales(framework: Framework) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Native (min, max, direction) per code: indicators their own, aggregates the common scale."""
    table = framework.table
    ind = table["is_indicator"].to_numpy()
    lo = table["min"].to_numpy(dtype=float).copy()
    hi = table["max"].to_numpy(dtype=float).copy()
    lo[~ind] = np.nanmin(lo[ind]) if np.isfinite(lo[ind]).any() else np.nan
    hi[~ind] = np.nanmax(hi[ind]) if np.isfinite(hi[ind]).any() else np.nan
    direction = np.where(ind, table["direction"].to_numpy(dtype=float), 1.0)
    return lo, hi, direction


def _to_score_scale(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, direction: np.ndarray,
                    given: str, scores: Scores) -> np.ndarray:
    """Targets typed on ``given`` (native or percent) -> the scores' scale."""
    method = _method(scores)
    if not method.percent_targets:
        raise OptionError.single(
            "SC404", Location(),
            detail=Bilingual(f"target tetap atau tabel target pada skor --normalise {method.name}: pakai "
                             "cohort-best atau cohort-pNN, atau --normalise scale",
                             f"fixed or table targets on --normalise {method.name} scores: use cohort-best or "
                             "cohort-pNN, or --normalise scale"),
        )
    if given == "percent":
        return method.from_percent(values, lo, hi)
    if not method.relative:
        return method.from_native(values, lo, hi, direction, scores.options.target_range)
    raise OptionError.single(
        "SC404", Location(),
        detail=Bilingual(f"target pada skala instrumen dengan --normalise {method.name} (relatif terhadap "
                         "kohort): beri target pada 0-100 atau pakai --normalise scale",
                         f"native-scale targets with --normalise {method.name} (relative to the cohort): "
                         "give targets on 0-100 or use --normalise scale"),
    )


def _targets(scores: Scores, cohort: pd.DataFrame, current: pd.DataFrame, rules: dict[str, TargetRule],
             tables: list[pd.DataFrame], given_scale: str, ladder: MaturityLadder
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Target, rule text and year for every (region, code) of ``current``."""
    framework = scores.framework
    codes = list(framework.table.index)
    cur = current.to_numpy(dtype=float)
    cohort_values = cohort[codes].to_numpy(dtype=float)
    lo, hi, direction = _code_scales(framework)
    level_of = _level_lookup(framework)

    default = rules.get("default", TargetRule.parse(DEFAULT_RULE))
    problems = ProblemCollector()
    level_rules, code_rules = [], []
    for key, rule in rules.items():
        if key == "default":
            continue
        level = level_of.get(_level_key(key))
        if level is not None:
            level_rules.append((key, (framework.table["level"] == level).to_numpy(), rule))
        elif framework.resolve_code(key) in framework.table.index:
            code = framework.resolve_code(key)
            code_rules.append((code, framework.table.index == code, rule))
        else:
            problems.add("SC401", Location(), detail=(
                f"target rule key {key!r} is neither a level ({', '.join(framework.level_names)}) nor a code"))
    problems.raise_if_any(OptionError)

    target = np.full(cur.shape, np.nan)
    text = np.full(cur.shape, "", dtype=object)
    everything = ("default", np.ones(len(codes), dtype=bool), default)
    for scope, columns, rule in [everything, *level_rules, *code_rules]:
        j = np.flatnonzero(columns)
        values, note = _rule_values(rule, j, cur, cohort_values, lo, hi, direction, given_scale, scores, ladder)
        target[:, j] = values
        # two shared text objects, not one new string per cell (6.8 M cells for every desa)
        words = np.array([f"{scope}: {rule.text}", f"{scope}: {rule.text} (top band: current)"], dtype=object)
        text[:, j] = words[np.asarray(note, dtype=bool).astype(np.intp)]
    year = np.full(cur.shape, np.nan)
    for table in tables:
        _apply_table(table, framework, list(current.index), set(cohort.index), target, text, year,
                     lo, hi, direction, given_scale, scores)
    return target, text, year


def _level_lookup(framework: Framework) -> dict[str, str]:
    return {_level_key(name): name for name in framework.level_names}


def _level_key(word: str) -> str:
    key = clean_text(word).lower().replace("-", "").replace("_", "").replace(" ", "")
    return _level_key(_LEVEL_WORDS[key]) if key in _LEVEL_WORDS else key


def _check_fixed_target(rule: TargetRule, j: np.ndarray, lo, hi, given_scale: str, framework: Framework) -> None:
    """A fixed target outside the scale it is read on (``SG=200`` on 0-100) is a problem, not a gap."""
    if given_scale == "percent":
        bad = [] if 0.0 <= rule.value <= 100.0 else list(j)
        bounds = {int(k): (0.0, 100.0) for k in bad}
    else:
        bad = [k for k in j if not lo[k] <= rule.value <= hi[k]]
        bounds = {int(k): (lo[k], hi[k]) for k in bad}
    if bad:
        k = int(bad[0])
        raise OptionError.single("SC407", Location(), value=f"{rule.value:g}", code=framework.table.index[k],
                                 lo=f"{bounds[k][0]:g}", hi=f"{bounds[k][1]:g}")


def _rule_values(rule: TargetRule, j: np.ndarray, cur: np.ndarray, cohort: np.ndarray, lo, hi, direction,
                 given_scale: str, scores: Scores, ladder: MaturityLadder) -> tuple[np.ndarray, np.ndarray]:
    """Targets of one rule for the columns ``j``, and where ``next-level`` found the top band."""
    n_units = cur.shape[0]
    top = np.zeros((n_units, len(j)), dtype=bool)
    if rule.kind == "fixed":
        _check_fixed_target(rule, j, lo, hi, given_scale, scores.framework)
        value = _to_score_scale(np.full(len(j), rule.value), lo[j], hi[j], direction[j], given_scale, scores)
        return np.broadcast_to(value, (n_units, len(j))), top
    if rule.kind == "cohort":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a code nobody answered: NaN
            value = np.nanpercentile(cohort[:, j], rule.value, axis=0)
        return np.broadcast_to(value, (n_units, len(j))), top
    # next-level: per scale (one for normalised scores; each indicator's own for native ones)
    if not _method(scores).banded:
        raise OptionError.single(
            "SC404", Location(),
            detail=Bilingual(f"next-level pada skor --normalise {scores.options.normalise} (tanpa pita "
                             "kematangan): pakai cohort-best/cohort-pNN atau --normalise scale",
                             f"next-level on --normalise {scores.options.normalise} scores (no maturity bands): "
                             "use cohort-best/cohort-pNN or --normalise scale"),
        )
    if _method(scores).native:
        scales = np.column_stack([lo[j], hi[j]])
    else:
        scales = np.tile(np.asarray(scores.scale_range, dtype=float), (len(j), 1))
    out = np.full((n_units, len(j)), np.nan)
    for scale in np.unique(scales, axis=0):
        k = np.flatnonzero((scales == scale).all(axis=1))
        x = cur[:, j[k]]
        cuts = ladder.thresholds(tuple(scale))
        nxt = ladder.next_threshold(x, tuple(scale))
        at_top = np.isnan(nxt) & ~np.isnan(x)
        first = cuts[0] if len(cuts) else np.nan  # no score counts as the first band
        out[:, k] = np.where(np.isnan(x), first, np.where(at_top, x, nxt))
        top[:, k] = at_top
    return out, top


def _apply_table(table: pd.DataFrame, framework: Framework, regions: list[str], cycle_regions: set,
                 target, text, year, lo, hi, direction, given_scale: str, scores: Scores) -> None:
    """Write a targets table over the rule targets: blank-region rows first, then named regions."""
    problems = ProblemCollector()
    row_of = {r: i for i, r in enumerate(regions)}
    seen: dict[tuple[str, str], Location] = {}
    resolved = []
    for i, row in table.iterrows():
        at = row["_at"]
        code = framework.resolve_code(row["code"])
        if code not in framework.table.index:
            problems.add("SC302", at.get("code", Location()), code=row["code"])
            continue
        if row["region"] and row["region"] not in cycle_regions:
            problems.add("SC403", at.get("region", Location()), region=row["region"],
                         regions=", ".join(sorted(cycle_regions)[:20]))
            continue
        key = (row["region"], code)
        if key in seen:
            problems.add("SC401", at.get("code", Location()),
                         detail=Bilingual(f"target kedua untuk {row['region'] or '*'}, {code} (yang pertama di {seen[key].format('id')})",
                                          f"second target for {row['region'] or '*'}, {code} (first at {seen[key].format('en')})"))
            continue
        seen[key] = at.get("code", Location())
        scale = row["scale"] if isinstance(row["scale"], str) else given_scale
        j = framework.table.index.get_loc(code)
        bounds = (0.0, 100.0) if scale == "percent" else (lo[j], hi[j])
        if not bounds[0] <= row["target"] <= bounds[1]:
            problems.add("SC304", at.get("target", Location()), value=f"{row['target']:g}",
                         lo=f"{bounds[0]:g}", hi=f"{bounds[1]:g}")
            continue
        resolved.append((i, row, code, j, scale))
    problems.raise_if_any(DataError)
    resolved.sort(key=lambda item: bool(item[1]["region"]))  # named regions win over blank ones
    for _, row, _, j, scale in resolved:
        if row["region"] and row["region"] not in row_of:
            continue  # a region outside the selection
        units = [row_of[row["region"]]] if row["region"] else list(range(len(regions)))
        value = _to_score_scale(np.array([row["target"]]), lo[[j]], hi[[j]], direction[[j]], scale, scores)[0]
        target[units, j] = value
        at = row["_at"].get("target", Location())
        row_number = at.row or int("".join(ch for ch in at.cell or "" if ch.isdigit()) or 0)
        text[units, j] = f"table ({at.file}, row {row_number})"
        if not pd.isna(row["year"]):
            year[units, j] = row["year"]


def _gap(target: np.ndarray, current: np.ndarray) -> np.ndarray:
    return np.maximum(target - current, 0.0)  # NaN where either is missing


def _raised(x: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Indicator scores once each reaches its target (a missing one counts at its target)."""
    return np.where(np.isnan(target), x, np.fmax(x, target))


def _aggregate_masks(framework: Framework) -> np.ndarray:
    """(aggregates, indicators): which indicators each aggregate holds."""
    column = {c: k for k, c in enumerate(framework.indicators)}
    row = {a: k for k, a in enumerate(framework.aggregates)}
    masks = np.zeros((len(row), len(column)), dtype=bool)
    for code in framework.indicators:
        for ancestor in framework.ancestors(code):
            masks[row[ancestor], column[code]] = True
    return masks


def _index_gains(x: np.ndarray, raised: np.ndarray, masks: np.ndarray, scores: Scores) -> np.ndarray:
    """(variants, units): index points gained when the indicators of each mask reach their targets.

    Every variant of every unit is one row of a stacked indicator matrix, aggregated by the real
    :func:`~.aggregate.aggregate_tree`; the unchanged scores go through the same call (variant 0)
    so the base and the variants share one rounding path.
    """
    framework = scores.framework
    tree = Tree.from_framework(framework)
    keep = np.array([tree.position(framework.root)])
    options = scores.options
    variants = np.vstack([np.zeros((1, masks.shape[1]), dtype=bool), masks])
    n_var, (n_units, n_ind) = len(variants), x.shape
    index = np.full((n_var, n_units), np.nan)
    chunk = max(1, _MAX_STACKED_ROWS // n_var)
    for start in range(0, n_units, chunk):
        xs, rs = x[start:start + chunk], raised[start:start + chunk]
        stacked = np.where(variants[:, None, :], rs[None], xs[None]).reshape(-1, n_ind)
        values, _ = aggregate_tree(stacked, tree, method=options.aggregate, missing=options.missing,
                                   min_coverage=options.min_coverage, keep=keep)
        index[:, start:start + chunk] = values[:, 0].reshape(n_var, -1)
    changed = (masks[:, None, :] & ~((raised == x) | (np.isnan(raised) & np.isnan(x)))[None]).any(axis=2)
    gains = np.maximum(index[1:] - index[0][None], 0.0)
    gains = np.where(changed, gains, np.where(np.isnan(index[0])[None], np.nan, 0.0))
    return np.where(np.abs(gains) < 1e-9, 0.0, gains)


def _code_lineage(framework: Framework) -> pd.DataFrame:
    """dimension, sub_dimension, aspect of every code (aggregates: their own ancestors or themselves)."""
    table = framework.table
    out = pd.DataFrame(index=table.index)
    out["dimension"] = framework.ancestor_at(1)
    out["sub_dimension"] = framework.ancestor_at(2) if table["depth"].max() >= 3 else np.nan
    out.loc[framework.indicators, ["dimension", "sub_dimension"]] = framework.lineage[["dimension", "sub_dimension"]]
    out["aspect"] = table["aspect"]
    return out


def _contributions(framework: Framework, regions: list[str], cycle: int, x, target, gap, points,
                   index_gap) -> pd.DataFrame:
    n_units, n_ind = x.shape
    lineage = framework.lineage
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        share = np.where(index_gap[:, None] > 0, np.fmin(points / index_gap[:, None], 1.0), np.nan)
    # each unit's indicators by index points, highest first, missing last, ties in instrument
    # order: one stable argsort per row instead of sorting the long table twice
    order = np.argsort(np.where(np.isnan(points), np.inf, -points), axis=1, kind="stable")
    picked = (np.arange(n_units)[:, None] * n_ind + order).ravel()
    position = order.ravel()
    out = pd.DataFrame({
        "cycle": cycle,
        "region": np.repeat(np.asarray(regions, dtype=object), n_ind),
        "rank": np.tile(np.arange(1, n_ind + 1, dtype=np.int64), n_units),
        "code": np.asarray(framework.indicators, dtype=object)[position],
        "dimension": lineage["dimension"].to_numpy(dtype=object)[position],
        "sub_dimension": lineage["sub_dimension"].to_numpy(dtype=object)[position],
        "aspect": lineage["aspect"].to_numpy(dtype=object)[position],
        "current": x.ravel()[picked],
        "target": target.ravel()[picked],
        "gap": gap.ravel()[picked],
        "index_points": points.ravel()[picked],
        "share_of_index_gap": share.ravel()[picked],
        "missing": np.isnan(x).ravel()[picked],
    })
    return out


def _priorities(contributions: pd.DataFrame, efforts: pd.DataFrame, impact_threshold: float | None,
                low_effort_max: float) -> pd.DataFrame:
    out = contributions[[*KEY, "code", "dimension", "aspect", "index_points", "gap", "current", "target"]].copy()
    at = efforts.index.get_indexer(out["code"])
    for column in efforts.columns:  # a join on code
        out[column] = _taken(efforts[column], at, out.index)
    points = out["index_points"]
    if impact_threshold is None:
        unit, _ = pd.factorize(out["region"])
        threshold = points.where(points > 0).groupby(unit, sort=False).transform("median")
    else:
        threshold = pd.Series(float(impact_threshold), index=out.index)
    out["impact_threshold"] = threshold
    out["high_impact"] = (points > 0) & (points >= threshold)
    out["low_effort"] = out["effort"] <= low_effort_max
    has_gap = (out["gap"] > 0) | (out["current"].isna() & out["target"].notna())
    labels = np.array([*QUADRANTS, NO_GAP, None], dtype=object)  # shared strings
    quadrant = np.select(
        [out["high_impact"] & out["low_effort"], out["high_impact"], out["low_effort"]], [0, 1, 2], 3)
    quadrant = np.where(has_gap, quadrant, 4)
    out["priority"] = labels[np.where(points.isna() & has_gap, 5, quadrant)]
    out["horizon"] = _horizons(out["priority"].to_numpy(dtype=object), out["effort"].to_numpy(dtype=float))
    return out.drop(columns=["gap", "current", "target"]).reset_index(drop=True)


# --- readiness aspects ---------------------------------------------------------------------------


def _aspect_weights(framework: Framework) -> tuple[np.ndarray, list[str]]:
    """(indicators, dimensions x aspects): each indicator's effective weight in its dimension cell."""
    dims = framework.dimensions
    lineage = framework.lineage
    # A share of the index over the dimension's total is the share within the dimension
    # (effective_weights(framework, dim)), in one walk of the tree instead of one per dimension.
    share = pd.Series(effective_weights(framework)).reindex(lineage.index)
    within = share / share.groupby(lineage["dimension"]).transform("sum")
    column = (lineage["dimension"].map({d: k for k, d in enumerate(dims)}) * len(ASPECTS)
              + lineage["aspect"].map({a: k for k, a in enumerate(ASPECTS)}))
    weights = np.zeros((len(lineage), len(dims) * len(ASPECTS)))
    rows = np.flatnonzero(column.notna().to_numpy())
    weights[rows, column.to_numpy()[rows].astype(int)] = within.to_numpy()[rows]
    return weights, dims


def _aspect_scores(x: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean over present indicators per cell, and how many were present."""
    present = ~np.isnan(x)
    den = present.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(den > 0, np.where(present, x, 0.0) @ weights / den, np.nan)
    return score, present.astype(float) @ (weights > 0)


def _tidy_cells(index: pd.DataFrame, dims: list[str], columns: dict[str, np.ndarray]) -> pd.DataFrame:
    n_cells = len(dims) * len(ASPECTS)
    out = index.loc[index.index.repeat(n_cells)].reset_index(drop=True)
    out["dimension"] = np.tile(np.repeat(np.asarray(dims, dtype=object), len(ASPECTS)), len(index))
    out["aspect"] = np.tile(np.asarray(ASPECTS, dtype=object), len(dims) * len(index))
    for name, values in columns.items():
        out[name] = values.ravel()
    return out


def readiness_matrix(scores: Scores, cycle: int | None = None) -> pd.DataFrame:
    """Dimension x readiness aspect scores: cycle, region, dimension, aspect, score, n_indicators.

    A cell is the mean of the dimension's indicators of that aspect, weighted by each indicator's
    effective weight within the dimension (:func:`~.aggregate.effective_weights`), over the
    indicators with a score; ``n_indicators`` counts those. Every cycle unless ``cycle`` is given.
    """
    framework = scores.framework
    values = scores.values[framework.indicators]
    if cycle is not None:
        values = values.xs(_analysed_cycle(scores, cycle), level="cycle", drop_level=False)
    weights, dims = _aspect_weights(framework)
    score, count = _aspect_scores(values.to_numpy(dtype=float), weights)
    out = _tidy_cells(values.index.to_frame(index=False), dims, {"score": score, "n_indicators": count})
    out["n_indicators"] = out["n_indicators"].astype(int)
    return out


def _aspect_gaps(framework: Framework, regions: list[str], cycle: int, x: np.ndarray,
                 raised: np.ndarray) -> pd.DataFrame:
    """The SWOT matrix: current, target (every indicator at its target), gap, weakest aspect."""
    weights, dims = _aspect_weights(framework)
    current, count = _aspect_scores(x, weights)
    target, _ = _aspect_scores(raised, weights)
    keys = pd.DataFrame({"cycle": cycle, "region": np.asarray(regions, dtype=object)})
    out = _tidy_cells(keys, dims, {"current": current, "target": target, "gap": _gap(target, current),
                                   "n_indicators": count})
    out["n_indicators"] = out["n_indicators"].astype(int)
    # Weakest: lowest current score per (region, dimension); ties go to the first aspect.
    cells = current.reshape(len(regions), len(dims), len(ASPECTS))
    filled = np.where(np.isnan(cells), np.inf, cells)
    weakest = np.zeros(cells.shape, dtype=bool)
    has_any = ~np.isnan(cells).all(axis=2)
    r, d = np.nonzero(has_any)
    weakest[r, d, filled.argmin(axis=2)[r, d]] = True
    out["weakest"] = weakest.ravel()
    return out


# --- progress ------------------------------------------------------------------------------------


def _progress(scores: Scores, gaps: pd.DataFrame, cycle: int, regions: list[str]) -> pd.DataFrame:
    columns = [*KEY, "code", "level", "previous_cycle", "previous_score", "previous_gap", "current",
               "gap", "gap_closed", "baseline_cycle", "baseline_score", "target", "target_year",
               "expected", "on_track"]
    earlier = scores.values[scores.values.index.get_level_values("cycle") < cycle]
    earlier = earlier[earlier.index.get_level_values("region").isin(regions)]
    long = earlier.stack(future_stack=True).rename("score").dropna().reset_index()
    if long.empty:
        return pd.DataFrame(columns=columns)
    long = long.sort_values("cycle", kind="stable")
    grouped = long.groupby(["region", "code"], sort=False)
    first, last = grouped.first(), grouped.last()
    history = pd.DataFrame({
        "baseline_cycle": first["cycle"], "baseline_score": first["score"],
        "previous_cycle": last["cycle"], "previous_score": last["score"],
    }).reset_index()
    out = gaps.merge(history, on=["region", "code"], how="inner")
    out["previous_gap"] = _gap(out["target"].to_numpy(), out["previous_score"].to_numpy())
    out["gap_closed"] = out["previous_gap"] - out["gap"]
    base_year = out["baseline_cycle"].to_numpy(dtype=float)
    span = out["target_year"].to_numpy(dtype=float) - base_year
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(span > 0, np.clip((cycle - base_year) / span, 0.0, 1.0), 1.0)
    base, target = out["baseline_score"].to_numpy(), out["target"].to_numpy()
    # A baseline already above the target only has to stay at the target.
    out["expected"] = np.where(target >= base, base + (target - base) * share, target)
    known = out["current"].notna() & out["expected"].notna()
    on_track = pd.array(out["current"] >= out["expected"] - 1e-9, dtype="boolean")
    on_track[~known.to_numpy()] = pd.NA
    out["on_track"] = on_track
    for column in ("previous_cycle", "baseline_cycle"):
        out[column] = out[column].astype(int)
    return out[columns]


# --- output --------------------------------------------------------------------------------------


def gap_sheet_frame(analysis: GapAnalysis, lang: str = "id") -> pd.DataFrame:
    """The gaps table for people: names, localised levels, quadrants and horizons and headers."""
    table = analysis.table(lang)
    words = LABELS["en" if lang == "en" else "id"]
    levels = {v: term(f"level:{v}", lang) for v in pd.unique(table["level"])}
    table["level"] = table["level"].map({v: v if t == f"level:{v}" else t for v, t in levels.items()})
    table["priority"] = table["priority"].map(words).astype(object)
    table["horizon"] = table["horizon"].map(words).astype(object)
    table["on_track"] = table["on_track"].map({True: words["yes"], False: words["no"]}).astype(object)
    table["share_of_index_gap"] = table["share_of_index_gap"] * 100.0
    table["rank"] = table["rank"].astype("Int64")
    if (table["effort"].dropna() % 1 == 0).all():
        table["effort"] = table["effort"].astype("Int64")
    table.columns = [term(c, lang) for c in table.columns]
    return table
