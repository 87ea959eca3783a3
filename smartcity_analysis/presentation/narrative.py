"""What the numbers say, in finished sentences: slide findings, speaker notes, one-line summaries.

Every function here decides *what* to say from the numbers (which dimension is weakest, how far
from the cohort median, whether the rank moved) and returns sentences made by
:func:`smartcity_analysis.i18n.sentence` from the templates in :mod:`smartcity_analysis.i18n.sentences`
(``sentence:`` and ``deck:`` keys), so both languages come from one place and numbers are written
the reader's way (decimal comma in Indonesian). Nothing here lays anything out: the deck, the
documents and the notebooks place the sentences.

:func:`findings` writes every slide of a Bimtek deck; :func:`summary_sentence` is the one line
on a region's index; :func:`small_cohort_caveat` and :func:`left_out` say what a comparison of
few regions is worth and why a chart is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..analysis.compare import changes, cohort_statistics, ranks
from ..i18n import TERMS, format_number, sentence, term
from ..model.maturity import SPBE_LADDER, MaturityLadder
from .context import uses_context

#: Below this many regions a comparison (ranks, medians, quartiles) means little: the slides
#: that compare say so (``sentence:small_cohort``, which spells the number out).
SMALL_COHORT = 5

#: Slides that compare the region with the cohort (they carry the small-cohort caveat).
COMPARISON_SLIDES = ("ranking", "heatmap", "radar_grid", "rank_changes", "radar")
#: Slides that show the cohort itself: left out when the cohort is one region.
COHORT_SLIDES = ("ranking", "radar_grid", "rank_changes")


@dataclass(frozen=True)
class Finding:
    """One slide's words: its title, the one-line finding, caveats, and the speaker notes."""

    key: str
    title: str
    finding: str
    notes: str
    caveats: tuple[str, ...] = ()


# --- words and numbers ---------------------------------------------------------------------------


def dimension_label(framework, code: str) -> str:
    """A dimension's short label: its English name (Smart Governance ...), the programme's own
    terms in both languages, else the code."""
    name = framework.table.at[code, "name_en"]
    return name if isinstance(name, str) and name else code


def signed(value: float, lang: str = "id", decimals: int = 1) -> str:
    """``+3,2`` / ``-0,5`` / ``0,0``: a change with its sign, written the reader's way."""
    text = format_number(float(value), decimals, lang)
    return "+" + text if value > 0 and text.strip("0,.") else text


def top_of_scale(scale: tuple[float, float]) -> int | float:
    """The top of the score scale as it is said (``100``, ``5``, ``4,5``)."""
    hi = float(scale[1])
    return int(hi) if hi.is_integer() else hi


def date_text(date: dt.date, lang: str = "id") -> str:
    """``4 Maret 2025`` / ``4 March 2025``."""
    return sentence("doc:date", lang, day=str(date.day), month=term(f"doc:month:{date.month}", lang),
                    year=str(date.year))


def aspect_name(aspect: str, lang: str = "id") -> str:
    """A readiness aspect (Struktur, Infrastruktur, Suprastruktur) in ``lang``."""
    key = f"aspect:{aspect}"
    return term(key, lang) if key in TERMS else str(aspect)


def horizon_label(horizon: object, lang: str = "id") -> str:
    """A gap's horizon (short, medium, long) in words."""
    from ..analysis.gaps import LABELS

    if not isinstance(horizon, str):
        return "-"
    return LABELS.get(lang, LABELS["id"]).get(horizon, horizon)


# --- caveats and charts left out -----------------------------------------------------------------


def cohort_size(scores, cycle: int) -> int:
    """How many regions have an index in ``cycle``."""
    return int(scores.index(cycle).notna().sum())


def small_cohort_caveat(n_regions: int, lang: str = "id") -> str | None:
    """The caveat a comparison of fewer than :data:`SMALL_COHORT` regions carries, else None."""
    return sentence("sentence:small_cohort", lang) if n_regions < SMALL_COHORT else None


def left_out(chart: str, reason: str, lang: str = "id", **values: object) -> str:
    """``Perubahan peringkat: belum ada siklus sebelum 2024 ...``: why a chart is not shown.

    ``reason`` is one of ``one_region``, ``no_previous``, ``no_gap``, ``not_drawn`` (keys
    ``sentence:reason_<reason>``); ``chart`` is the slide's title.
    """
    return sentence("sentence:left_out", lang, chart=chart,
                    reason=sentence(f"sentence:reason_{reason}", lang, **values))


# --- one-line summaries --------------------------------------------------------------------------


@uses_context
def summary_sentence(scores, region: str, cycle: int | None = None, lang: str = "id") -> str:
    """One line on a region's index: score, rank of n, change since the previous cycle.

    >>> summary_sentence(scores, "Kabupaten Pekalongan")            # doctest: +SKIP
    'Kabupaten Pekalongan: indeks 52,3, peringkat 4 dari 10, +3,1 poin sejak 2023'
    """
    cycle = cycle or scores.latest_cycle
    ch = changes(scores, ("index",))
    row = ch[(ch["region"] == region) & (ch["cycle"] == cycle)].iloc[0]
    n = int(ranks(scores, ("index",)).query("cycle == @cycle")["n_ranked"].iloc[0])
    values = {"region": region, "score": float(row["score"]), "rank": int(row["rank"]), "n": n}
    if np.isnan(row["score_change"]):
        return sentence("sentence:summary", lang, **values)
    return sentence("sentence:summary_change", lang, change=signed(row["score_change"], lang),
                    previous=str(int(row["previous_cycle"])), **values)


# --- the findings of a deck ----------------------------------------------------------------------


@uses_context
def findings(scores, gaps, region: str, *, lang: str = "id", ladder: MaturityLadder = SPBE_LADDER
             ) -> dict[str, Finding]:
    """The finding of every slide of a region's deck, written from the numbers.

    Parameters
    ----------
    scores : Scores
    gaps : GapAnalysis
        Its cycle is the one described.
    region : str
        A canonical region name present in ``gaps``.
    lang : {"id", "en"}

    Returns
    -------
    dict of str to Finding
        Keys ``ranking, heatmap, radar_grid, rank_changes, radar, readiness, gap_dimension,
        gap_sub_dimension, pareto, priority, trend, closing`` (those the data allow). Below
        :data:`SMALL_COHORT` regions, the comparison slides carry :func:`small_cohort_caveat`.
    """
    cycle = gaps.cycle
    n_regions = cohort_size(scores, cycle)
    out = {
        **_ranking(scores, cycle, region, lang, ladder),
        **_dimensions(scores, cycle, region, lang, ladder, n_regions),
        **_readiness(scores, gaps, region, lang),
        **_gaps(scores, gaps, region, lang),
        **_priorities(scores, gaps, region, lang),
        **_trends(scores, cycle, region, lang),
    }
    caveat = small_cohort_caveat(n_regions, lang)
    if caveat:
        for key in COMPARISON_SLIDES:
            if key in out:
                f = out[key]
                out[key] = replace(f, notes=f"{f.notes}\n\n{caveat}".strip(), caveats=(*f.caveats, caveat))
    return out


def _finding(key: str, lang: str, text: str, notes: list[str] | str) -> Finding:
    notes = notes if isinstance(notes, str) else "\n".join(notes)
    return Finding(key, term(f"deck:{key}", lang), text, notes)


def _ranking(scores, cycle, region, lang, ladder) -> dict[str, Finding]:
    rk = ranks(scores, ("index",))
    rk = rk[rk["cycle"] == cycle].sort_values("rank")
    mine = rk[rk["region"] == region].iloc[0]
    maturity = ladder.name_of([mine["score"]], scores.scale_range, lang)[0]
    text = sentence("sentence:ranking", lang, region=region, rank=int(mine["rank"]), n=int(mine["n_ranked"]),
                    score=float(mine["score"]), top=top_of_scale(scores.scale_range), maturity=maturity)
    notes = [sentence("sentence:rank_line", lang, rank=int(r["rank"]), region=r["region"], score=float(r["score"]))
             for _, r in rk.iterrows()]
    return {"ranking": _finding("ranking", lang, text, notes)}


def _dimensions(scores, cycle, region, lang, ladder, n_regions) -> dict[str, Finding]:
    fw = scores.framework
    top = top_of_scale(scores.scale_range)
    names = fw.names(lang)
    dims = scores.level("dimension", cycle)
    stats = cohort_statistics(scores).query("cycle == @cycle").set_index("code")
    own = dims.loc[region]
    median = stats.loc[fw.dimensions, "median"]
    weakest, strongest = own.idxmin(), own.idxmax()
    label = {d: dimension_label(fw, d) for d in fw.dimensions}
    out = {}

    # Against the cohort median; distances said in whole points, as the score is.
    distance = float(own[weakest] - median[weakest])
    said = {"dimension": label[weakest], "score": float(own[weakest]), "top": top}
    if n_regions < 2:
        text = sentence("sentence:weakest_alone", lang, decimals=0, **said)
    elif round(abs(distance)) == 0:
        text = sentence("sentence:weakest_at_median", lang, decimals=0, **said)
    else:
        key = "sentence:weakest_below" if distance < 0 else "sentence:weakest_above"
        text = sentence(key, lang, decimals=0, distance=abs(distance), **said)
    notes = [sentence("sentence:score_against_median", lang, dimension=names[d], score=float(own[d]),
                      median=float(median[d])) for d in fw.dimensions]
    out["radar"] = _finding("radar", lang, text, notes)
    if n_regions < 2:  # no cohort to compare with: the slide shows the scores and the targets
        out["radar"] = replace(out["radar"], title=term("deck:radar_alone", lang))

    levels = pd.Series(ladder.name_of(own.to_numpy(), scores.scale_range, lang), index=own.index)
    text = sentence("sentence:strongest_weakest", lang, strongest=label[strongest], strong_score=float(own[strongest]),
                    strong_level=levels[strongest], weakest=label[weakest], weak_score=float(own[weakest]),
                    weak_level=levels[weakest])
    notes = [sentence("sentence:score_level", lang, dimension=names[d], score=float(own[d]), level=levels[d])
             for d in fw.dimensions]
    out["heatmap"] = _finding("heatmap", lang, text, notes)

    text = sentence("sentence:profiles", lang, n=int(dims.shape[0]), cycle=str(cycle))
    notes = [sentence("sentence:best_in_dimension", lang, dimension=names[d], region=dims[d].idxmax())
             for d in fw.dimensions]
    out["radar_grid"] = _finding("radar_grid", lang, text, notes)
    return out


def _readiness(scores, gaps, region, lang) -> dict[str, Finding]:
    fw = scores.framework
    names = fw.names(lang)
    weak = gaps.weakest_aspects(region)
    if weak.empty:
        return {}
    counts = weak["aspect"].value_counts()
    text = sentence("sentence:weakest_aspect", lang, aspect=aspect_name(counts.index[0], lang),
                    count=int(counts.iloc[0]), n=len(fw.dimensions))
    notes = [sentence("sentence:aspect_score", lang, dimension=names[r["dimension"]],
                      aspect=aspect_name(r["aspect"], lang), score=float(r["current"])) for _, r in weak.iterrows()]
    return {"readiness": _finding("readiness", lang, text, notes)}


def _gaps(scores, gaps, region, lang) -> dict[str, Finding]:
    fw = scores.framework
    names = fw.names(lang)
    dimension_of = fw.ancestor_at(1)
    g = gaps.gaps[gaps.gaps["region"] == region]
    out = {}
    for level, key in (("dimension", "gap_dimension"), ("sub-dimension", "gap_sub_dimension")):
        rows = g[g["level"] == level].sort_values("gap", ascending=False)
        if rows.empty:
            continue
        top = rows.iloc[0]
        label = names[top["code"]] if level == "dimension" else f"{names[top['code']]} ({dimension_of[top['code']]})"
        text = sentence("sentence:largest_gap", lang, label=label, gap=float(top["gap"]), target=float(top["target"]))
        notes = [sentence("sentence:gap_line", lang, name=names[r["code"]], current=float(r["current"]),
                          target=float(r["target"]), rule=r["target_rule"]) for _, r in rows.iterrows()]
        out[key] = _finding(key, lang, text, notes)

    top10 = gaps.top(10, region).sort_values("rank")
    if not top10.empty and top10["index_points"].sum() > 0:
        first, last = top10.iloc[0], top10.iloc[-1]
        text = sentence("sentence:pareto", lang, gain=signed(first["index_points"], lang, 2),
                        indicator=names[first["code"]], n=len(top10), least=signed(last["index_points"], lang, 2))
        notes = [sentence("sentence:pareto_line", lang, rank=int(r["rank"]), code=r["code"], name=names[r["code"]],
                          points=signed(r["index_points"], lang, 2)) for _, r in top10.iterrows()]
        out["pareto"] = _finding("pareto", lang, text, notes)
    return out


#: Quick wins listed on the closing slide.
CLOSING_ROWS = 8


def _priorities(scores, gaps, region, lang) -> dict[str, Finding]:
    names = scores.framework.names(lang)
    pri = gaps.priorities[gaps.priorities["region"] == region]
    quick = pri[pri["priority"] == "quick_win"].sort_values("index_points", ascending=False)
    with_gap = int((pri["priority"] != "no_gap").sum())
    text = sentence("sentence:quick_wins", lang, n=len(quick), with_gap=with_gap)
    notes = [sentence("sentence:quick_win_line", lang, code=r["code"], name=names[r["code"]],
                      points=signed(r["index_points"], lang, 2), effort=int(r["effort"]))
             for _, r in quick.iterrows()]
    closing = (sentence("sentence:closing", lang, shown=min(len(quick), CLOSING_ROWS), n=len(quick)) if len(quick)
               else sentence("sentence:closing_none", lang))
    return {"priority": _finding("priority", lang, text, notes), "closing": _finding("closing", lang, closing, notes)}


def _trends(scores, cycle, region, lang) -> dict[str, Finding]:
    fw = scores.framework
    names = fw.names(lang)
    ch = changes(scores, ("index", "dimension"))
    now = ch[(ch["cycle"] == cycle) & (ch["region"] == region)].set_index("code")
    if now.empty or not now["previous_cycle"].notna().any():
        return {}
    idx = now.loc[fw.root]
    previous = str(int(idx["previous_cycle"]))
    ups = int((now.loc[fw.dimensions, "score_change"] > 0).sum())
    text = sentence("sentence:trend", lang, change=signed(idx["score_change"], lang), previous=previous, ups=ups,
                    n=len(fw.dimensions))
    notes = [sentence("sentence:trend_line", lang, name=names[c], before=float(now.loc[c, "previous_score"]),
                      after=float(now.loc[c, "score"])) for c in [fw.root, *fw.dimensions]]
    out = {"trend": _finding("trend", lang, text, notes)}
    before, after = int(idx["previous_rank"]), int(idx["rank"])
    text = (sentence("sentence:rank_same", lang, rank=after, previous=previous) if before == after
            else sentence("sentence:rank_moved", lang, before=before, after=after, previous=previous))
    moves = ch[(ch["cycle"] == cycle) & (ch["code"] == fw.root)].sort_values("rank")
    notes = [sentence("sentence:rank_move_line", lang, region=r["region"], before=_rank(r["previous_rank"]),
                      after=_rank(r["rank"])) for _, r in moves.iterrows()]
    out["rank_changes"] = _finding("rank_changes", lang, text, notes)
    return out


def _rank(value) -> int | str:
    return "-" if pd.isna(value) else int(value)


# --- the gap analysis in a few lines ------------------------------------------------------------


@uses_context
def gap_summary(analysis, region: str | None = None, lang: str = "id", n: int = 10) -> str:
    """A short text for one region: the index against its target, the ``n`` indicators that lift
    it most with their priority, the weakest aspect of each dimension, and progress since the
    previous cycle (what ``smartcity gaps --region`` prints and notebook 04 opens with)."""
    from ..model.selection import UNKNOWN_CYCLE, cycle_label

    region = analysis.resolve_region(region or analysis.regions[0])
    fw = analysis.framework

    def num(value: float, with_sign: bool = False) -> str:
        return signed(value, lang, 2) if with_sign else format_number(value, 1, lang)

    gaps = analysis.gaps[analysis.gaps["region"] == region].set_index("code")
    root = gaps.loc[fw.root]
    cycle = cycle_label(analysis.cycle, lang)
    cycle_words = cycle if analysis.cycle == UNKNOWN_CYCLE else term("chart:cycle", lang).format(cycle=cycle)
    lines = [
        term("sentence:gap_title", lang).format(region=region, cycle=cycle_words),
        term("sentence:gap_index", lang).format(current=num(root["current"]), target=num(root["target"]),
                                                rule=root["target_rule"], gap=num(root["gap"])),
    ]
    top = analysis.top(n, region)
    top = top[top["index_points"] > 0]
    lines.append(term("sentence:gap_top", lang).format(n=len(top)))
    if top.empty:
        lines.append("  -")
    for _, row in top.iterrows():
        label = horizon_label(row["priority"], lang) if isinstance(row["priority"], str) else "-"
        horizon = horizon_label(row["horizon"], lang) if isinstance(row["horizon"], str) else ""
        lines.append(
            f"  {int(row['rank']):>2}. {row['code']:<10} {num(row['index_points'], True):>6} "
            f"{term('points', lang)}  {label}{', ' + horizon if horizon else ''}  {fw.name(row['code'], lang)}"
        )
    lines.append(term("sentence:gap_weakest", lang))
    for _, row in analysis.weakest_aspects(region).iterrows():
        lines.append(f"  {row['dimension']:<6} {row['aspect']:<14} {num(row['current']):>6}  "
                     f"({fw.name(row['dimension'], lang)})")
    progress = analysis.progress[analysis.progress["region"] == region]
    if progress.empty:
        lines.append(term("sentence:gap_no_previous", lang))
        return "\n".join(lines)
    index_row = progress[progress["code"] == fw.root]
    indicators = progress[progress["level"] == "indicator"]["on_track"].dropna()
    if len(index_row) and not pd.isna(index_row["on_track"].iloc[0]):
        r = index_row.iloc[0]
        index_text = term("sentence:gap_index_progress", lang).format(
            status=term("sentence:on_track" if r["on_track"] else "sentence:behind", lang),
            current=num(r["current"]), expected=num(r["expected"]), year=int(r["target_year"]),
            closed=num(r["gap_closed"], True))
    else:
        index_text = term("sentence:gap_index_unknown", lang)
    lines.append(term("sentence:gap_since", lang).format(
        previous=int(progress["previous_cycle"].max()), index=index_text,
        on_track=int(indicators.sum()), n=len(indicators)))
    return "\n".join(lines)
