"""The numbers the documents state about one region, gathered once from the assessment.

Every figure comes from the tables the workbook is written from (``comparison``, the cohort
statistics, the gap analysis, the readiness matrix, the answers), so a document and the workbook
cannot disagree; :func:`region_facts` only selects and joins, it computes nothing new except
the roadmap's straight target paths (:func:`target_paths`) and the ranks within peer groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...analysis.gaps import HORIZONS
from ...i18n import format_number

#: Years after the analysed cycle that each horizon covers (year 1 is the cycle after it).
HORIZON_YEARS: dict[str, tuple[int, int]] = {"short": (1, 1), "medium": (2, 5), "long": (6, 10)}
ROADMAP_YEARS = 10


@dataclass
class RegionFacts:
    """What the four documents say about one region in one cycle.

    Attributes
    ----------
    region, cycle, previous_cycle
        The region as the data spell it, the analysed cycle, and the one before it (or None).
    scale, decimals
        The scores' range (0-100) and the decimals a score is written with (1 on 0-100).
    profile
        ``province``, ``region_type``, ``region_code`` (None where the data carry none).
    respondents
        One row per OPD that answered: ``respondent, answered, with_evidence``.
    index
        The index row: score, rank, n_ranked, maturity, median, q1, q3, best, best_region,
        target, gap, target_year, target_rule, index_points, previous_score, score_change,
        previous_rank, rank_change, expected, on_track, gap_closed.
    dimensions, sub_dimensions
        The same columns per dimension (sub-dimension), indexed by code, with ``name``.
    aspects
        The readiness matrix of the region: dimension, aspect, current, target, gap,
        n_indicators, weakest.
    indicators
        One row per indicator: name, dimension, sub_dimension, aspect, direction, raw,
        n_respondents, score, maturity, level, median, target, gap, index_points, rank,
        share_of_index_gap, effort, priority, horizon, target_maturity, target_year, question,
        answers ((OPD, answer) pairs), evidence ((OPD, text) pairs).
    peers
        One row per peer grouping: column, group, n, median, best, best_region, rank.
    """

    region: str
    cycle: int
    previous_cycle: int | None
    lang: str
    scale: tuple[float, float]
    decimals: int
    profile: dict
    respondents: pd.DataFrame
    index: pd.Series
    dimensions: pd.DataFrame
    sub_dimensions: pd.DataFrame
    aspects: pd.DataFrame
    indicators: pd.DataFrame
    peers: pd.DataFrame
    n_regions: int

    def score(self, value: float) -> str:
        """A score as the documents write it (``54,3``)."""
        return format_number(value, self.decimals, self.lang)

    def points(self, value: float, signed: bool = True) -> str:
        """Index points with two decimals (``+0,35``)."""
        text = format_number(value, 2, self.lang)
        return f"+{text}" if signed and value is not None and np.isfinite(value) and value > 0 else text

    def change(self, value: float) -> str:
        """A signed score change (``+5,9``, ``-0,8``, ``0,0``)."""
        if value is None or not np.isfinite(value):
            return "-"
        text = format_number(abs(value), self.decimals, self.lang)
        rounded = round(float(value), self.decimals)
        return f"+{text}" if rounded > 0 else (f"-{text}" if rounded < 0 else text)


def region_facts(assessment, region: str, lang: str = "id") -> RegionFacts:
    """Gather the numbers of one region (``region`` in any spelling the aliases know)."""
    from ..charts.theme import default_decimals

    a = assessment
    region = a.resolve_region(region)
    cycle = a.cycle
    scores, gaps, fw, ladder = a.scores, a.gaps, a.framework, a.ladder
    scale = scores.scale_range
    names = fw.names(lang)

    comparison = a.comparison
    mine = comparison[(comparison["cycle"] == cycle) & (comparison["region"] == region)].set_index("code")
    cohort = a.cohort[a.cohort["cycle"] == cycle].set_index("code")
    g = gaps.gaps[gaps.gaps["region"] == region].set_index("code")
    progress = gaps.progress[gaps.progress["region"] == region].set_index("code")
    previous = mine["previous_cycle"].dropna()
    previous_cycle = int(previous.max()) if len(previous) else None

    def aggregate_rows(codes: list[str]) -> pd.DataFrame:
        out = pd.DataFrame(index=pd.Index(codes, name="code"))
        out["name"] = names.reindex(codes).to_numpy()
        for column in ("score", "rank", "n_ranked", "previous_score", "previous_rank", "score_change",
                       "rank_change", "to_median"):
            out[column] = mine[column].reindex(codes).to_numpy()
        for column in ("median", "q1", "q3", "best", "best_region"):
            out[column] = cohort[column].reindex(codes).to_numpy()
        for column in ("target", "gap", "target_year", "target_rule", "index_points"):
            out[column] = g[column].reindex(codes).to_numpy()
        for column in ("expected", "on_track", "gap_closed"):
            out[column] = progress[column].reindex(codes).to_numpy() if column in progress else np.nan
        out["level"] = ladder.level_of(out["score"].to_numpy(dtype=float), scale)
        out["maturity"] = ladder.name_of(out["score"].to_numpy(dtype=float), scale, lang)
        out["target_maturity"] = ladder.name_of(out["target"].to_numpy(dtype=float), scale, lang)
        return out

    dimensions = aggregate_rows(fw.dimensions)
    index = aggregate_rows([fw.root]).iloc[0]
    subs = fw.codes_at("sub-dimension") if "sub-dimension" in fw.level_names else []
    sub_dimensions = aggregate_rows(subs)
    sub_dimensions["dimension"] = fw.ancestor_at(1).reindex(subs).to_numpy()

    groups = scores.regions.xs(cycle, level="cycle")
    unit = groups.loc[region] if region in groups.index else pd.Series(dtype=object)
    profile = {column: (None if pd.isna(unit.get(column)) else str(unit.get(column)))
               for column in ("province", "region_type", "region_code")}

    return RegionFacts(
        region=region, cycle=cycle, previous_cycle=previous_cycle, lang=lang, scale=scale,
        decimals=default_decimals(scale), profile=profile,
        respondents=_respondents(a, region, cycle),
        index=index, dimensions=dimensions, sub_dimensions=sub_dimensions,
        aspects=gaps.aspects[gaps.aspects["region"] == region].reset_index(drop=True),
        indicators=_indicators(a, region, cycle, lang),
        peers=_peers(a, region, cycle),
        n_regions=int(scores.index(cycle).notna().sum()),
    )


def _answers(assessment, region: str, cycle: int) -> pd.DataFrame:
    if assessment.answers is None:
        return pd.DataFrame(columns=["respondent", "indicator", "value", "evidence"])
    table = assessment.answers.table
    rows = table[(table["region"] == region) & (table["cycle"] == cycle)]
    return rows[["respondent", "indicator", "value", "evidence"]].copy()


def _has_text(series: pd.Series) -> pd.Series:
    return series.notna() & series.astype(str).str.strip().ne("") & series.astype(str).ne("nan")


def _respondents(assessment, region: str, cycle: int) -> pd.DataFrame:
    rows = _answers(assessment, region, cycle)
    rows = rows.assign(answered=rows["value"].notna(), with_evidence=_has_text(rows["evidence"]))
    out = rows.groupby("respondent", sort=True)[["answered", "with_evidence"]].sum().reset_index()
    return out.astype({"answered": int, "with_evidence": int})


def answer_text(value: float, lang: str) -> str:
    """An answer on the instrument's scale: whole numbers without decimals (``4``, ``3,5``)."""
    if value is None or not np.isfinite(value):
        return "-"
    if float(value).is_integer():
        return format_number(float(value), 0, lang)
    return format_number(float(value), 2 if round(value, 1) != value else 1, lang)


def _indicators(assessment, region: str, cycle: int, lang: str) -> pd.DataFrame:
    a = assessment
    fw, scores, gaps, ladder = a.framework, a.scores, a.gaps, a.ladder
    codes = fw.indicators
    table = fw.table.loc[codes]
    out = pd.DataFrame(index=pd.Index(codes, name="code"))
    out["name"] = fw.names(lang).reindex(codes).to_numpy()
    out[["dimension", "sub_dimension", "aspect"]] = fw.lineage.loc[codes, ["dimension", "sub_dimension", "aspect"]]
    out["direction"] = table["direction"].to_numpy()
    out["lo"], out["hi"] = table["min"].to_numpy(), table["max"].to_numpy()
    question = "question_en" if lang == "en" else "question_id"
    other = "question_id" if lang == "en" else "question_en"
    out["question"] = table[question].where(table[question].notna(), table[other]).to_numpy()
    key = (cycle, region)
    out["raw"] = scores.raw.loc[key, codes].to_numpy(dtype=float)
    out["n_respondents"] = scores.n_respondents.loc[key, codes].to_numpy()
    contributions = gaps.contributions[gaps.contributions["region"] == region].set_index("code")
    for column in ("current", "target", "gap", "index_points", "rank", "share_of_index_gap", "missing"):
        out[column] = contributions[column].reindex(codes).to_numpy()
    out = out.rename(columns={"current": "score"})
    priorities = gaps.priorities[gaps.priorities["region"] == region].set_index("code")
    for column in ("effort", "priority", "horizon"):
        out[column] = priorities[column].reindex(codes).to_numpy()
    cohort = a.cohort[a.cohort["cycle"] == cycle].set_index("code")
    out["median"] = cohort["median"].reindex(codes).to_numpy()
    out["level"] = ladder.level_of(out["score"].to_numpy(dtype=float), scores.scale_range)
    out["maturity"] = ladder.name_of(out["score"].to_numpy(dtype=float), scores.scale_range, lang)
    out["target_maturity"] = ladder.name_of(out["target"].to_numpy(dtype=float), scores.scale_range, lang)
    g = gaps.gaps[gaps.gaps["region"] == region].set_index("code")
    out["target_year"] = g["target_year"].reindex(codes).to_numpy()

    answers = _answers(a, region, cycle)
    answers = answers[answers["indicator"].isin(codes)]
    given = answers[answers["value"].notna()]
    out["answers"] = pd.Series(
        {code: [(r, answer_text(v, lang)) for r, v in zip(rows["respondent"], rows["value"], strict=True)]
         for code, rows in given.groupby("indicator", sort=False)}, dtype=object).reindex(codes).to_numpy()
    with_evidence = answers[_has_text(answers["evidence"])]
    out["evidence"] = pd.Series(
        {code: [(r, str(e).strip()) for r, e in zip(rows["respondent"], rows["evidence"], strict=True)]
         for code, rows in with_evidence.groupby("indicator", sort=False)}, dtype=object).reindex(codes).to_numpy()
    for column in ("answers", "evidence"):
        out[column] = [v if isinstance(v, list) else [] for v in out[column]]
    return out


def _peers(assessment, region: str, cycle: int) -> pd.DataFrame:
    a = assessment
    root = a.framework.root
    groups = a.scores.regions.xs(cycle, level="cycle")
    index = a.index_scores(cycle)
    rows = []
    for column in a.peer_groups:
        value = groups.at[region, column] if region in groups.index else None
        if value is None or pd.isna(value):
            continue
        stats = a.cohort_by(column)
        row = stats[(stats["cycle"] == cycle) & (stats[column] == value) & (stats["code"] == root)]
        if row.empty:
            continue
        row = row.iloc[0]
        members = index[groups[column].reindex(index.index) == value].dropna()
        rank = int((members > index[region]).sum()) + 1  # ties share the best rank, as rank_scores
        rows.append({"column": column, "group": str(value), "n": int(row["n"]), "median": float(row["median"]),
                     "best": float(row["best"]), "best_region": row["best_region"], "rank": rank})
    return pd.DataFrame(rows, columns=["column", "group", "n", "median", "best", "best_region", "rank"])


# --- the roadmap ------------------------------------------------------------------------------


def horizon_of_year(offset: int) -> str:
    """The horizon a year belongs to, ``offset`` years after the analysed cycle (0: baseline)."""
    for horizon in HORIZONS:
        lo, hi = HORIZON_YEARS[horizon]
        if lo <= offset <= hi:
            return horizon
    return "baseline"


def target_paths(facts: RegionFacts, years: int = ROADMAP_YEARS) -> pd.DataFrame:
    """Each dimension's (and the index's) target path, year by year, from the baseline.

    A straight line from the score of the analysed cycle to the target in its target year (the
    path the gap analysis' progress check measures against), held at the target after that; a
    score already at or above its target stays where it is. Rows: ``year, offset, horizon``
    and one column per code (the index first).
    """
    rows = pd.concat([facts.index.to_frame().T, facts.dimensions])
    out = pd.DataFrame({"year": [facts.cycle + k for k in range(years + 1)], "offset": range(years + 1)})
    out["horizon"] = [horizon_of_year(k) for k in out["offset"]]
    for code, row in rows.iterrows():
        base, target = float(row["score"]), float(row["target"])
        span = float(row["target_year"]) - facts.cycle
        if not np.isfinite(target) or target <= base:
            path = np.full(len(out), base)
        else:
            share = np.clip(out["offset"].to_numpy() / span, 0.0, 1.0) if span > 0 else np.ones(len(out))
            path = base + (target - base) * share
            path[0] = base
        out[code] = path
    return out


def scheduled_indicators(facts: RegionFacts) -> pd.DataFrame:
    """Indicators with a gap, each in the horizon the priority matrix proposes, strongest lift first."""
    rows = facts.indicators[facts.indicators["horizon"].isin(HORIZONS)].copy()
    rows["horizon_order"] = rows["horizon"].map({h: k for k, h in enumerate(HORIZONS)})
    dims = {d: k for k, d in enumerate(facts.dimensions.index)}
    rows["dimension_order"] = rows["dimension"].map(dims)
    rows = rows.sort_values(["horizon_order", "dimension_order", "index_points"], ascending=[True, True, False],
                            kind="stable")
    first, last = zip(*(HORIZON_YEARS[h] for h in rows["horizon"]), strict=True) if len(rows) else ((), ())
    rows["start_year"] = [facts.cycle + k for k in first]
    rows["end_year"] = [facts.cycle + k for k in last]
    return rows.drop(columns=["horizon_order", "dimension_order"])
