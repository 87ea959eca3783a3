"""Analisis Kesiapan: the readiness-analysis book of one region (the first Bimtek product).

Profile, method, index and dimension scores, readiness matrix, cohort and peer comparison,
change since the previous cycle, one section per dimension (sub-dimensions, strongest and weakest
indicators, a SWOT table per readiness aspect: strengths and weaknesses from the numbers,
opportunities and threats as marked workshop prompts), the gap analysis, the roadmap table and
an appendix of every indicator's answers, evidence and gap.
"""

from __future__ import annotations

import pandas as pd

from ...i18n import format_number, term
from ._common import (
    Context,
    add_figure,
    answers_text,
    change_text,
    close_document,
    evidence_lines,
    finite,
    horizon_counts_table,
    index_paragraphs,
    open_document,
    paths_table,
    roadmap_intro,
    scores_table,
    top_indicators,
)
from ._word import PROMPT_STYLE, WordWriter

KIND = "analysis"
SWOT_ITEMS = 4  # strengths (weaknesses) listed per dimension
EXTREMES = 3  # strongest (weakest) indicators shown per dimension
TOP = 10


def document(ctx: Context):
    """The document as a python-docx ``Document`` (see the module docstring)."""
    w = open_document(ctx, KIND)
    _profile(ctx, w)
    _method(ctx, w)
    w.heading(ctx.t("doc:h:scores"))
    index_paragraphs(ctx, w)
    scores_table(ctx, w)
    add_figure(ctx, w, "05_radar")
    _readiness(ctx, w)
    _cohort(ctx, w)
    _change(ctx, w)
    _dimensions(ctx, w)
    _gaps(ctx, w)
    w.heading(ctx.t("doc:h:roadmap"))
    roadmap_intro(ctx, w)
    paths_table(ctx, w)
    horizon_counts_table(ctx, w)
    w.paragraph(ctx.s("doc:roadmap_in_analysis", file=ctx.file_name("roadmap", ".xlsx")))
    _appendix(ctx, w)
    return close_document(ctx, w, KIND)


# --- sections ---------------------------------------------------------------------------------


def _profile(ctx: Context, w: WordWriter) -> None:
    f, fw = ctx.facts, ctx.fw
    w.heading(ctx.t("doc:h:profile"))
    w.paragraph(ctx.s("doc:profile_intro", region=f.region, cycle=str(f.cycle)))
    n_subs = len(f.sub_dimensions)
    rows = [(ctx.t("doc:row:region"), f.region)]
    if ctx.region_type():
        rows.append((ctx.t("doc:row:region_type"), ctx.region_type()))
    if f.profile.get("province"):
        rows.append((ctx.t("doc:row:province"), f.profile["province"]))
    if f.profile.get("region_code"):
        rows.append((ctx.t("doc:row:region_code"), f.profile["region_code"]))
    rows += [
        (ctx.t("doc:row:cycle"), str(f.cycle)),
        (ctx.t("doc:row:instrument"), str(fw.version)),
        (ctx.t("doc:row:indicators"), ctx.s("doc:indicator_count", n=len(fw.indicators), dims=len(fw.dimensions),
                                            subs=n_subs)),
    ]
    if len(f.respondents):
        rows.append((ctx.t("doc:row:respondents"), ", ".join(f.respondents["respondent"])))
    w.table([ctx.t("doc:col:item"), ctx.t("doc:col:value")], rows, caption=ctx.t("doc:profile_table"), bold_first_column=True)
    if len(f.respondents):
        w.paragraph(ctx.s("doc:respondents_intro", n=len(f.respondents)))
        body = [[r["respondent"], str(r["answered"]), str(r["with_evidence"])] for _, r in f.respondents.iterrows()]
        w.table([ctx.t("doc:col:respondent"), ctx.t("doc:col:answered"), ctx.t("doc:col:with_evidence")], body,
                align="lrr", caption=ctx.t("doc:respondents_table"))
    else:
        w.paragraph(ctx.t("doc:respondents_none"))


def _method(ctx: Context, w: WordWriter) -> None:
    f, fw, a = ctx.facts, ctx.fw, ctx.assessment
    options = a.options
    params = a.gaps.parameters
    w.heading(ctx.t("doc:h:method"))
    w.paragraph(ctx.s("doc:method_instrument", version=str(fw.version), n=len(fw.indicators), dims=len(fw.dimensions),
                      subs=len(f.sub_dimensions)))
    texts = [ctx.t(f"doc:method_respondents:{options.respondents}"), ctx.t(f"doc:method_normalise:{options.normalise}"),
             ctx.t(f"doc:method_aggregate:{options.aggregate}")]
    weights = fw.table["weight"].dropna()
    if weights.nunique() <= 1:
        texts.append(ctx.t("doc:method_weights:equal"))
    else:
        dims = "; ".join(f"{d} {format_number(float(fw.table.at[d, 'weight']), 2, ctx.lang)}" for d in fw.dimensions)
        texts.append(ctx.s("doc:method_weights:instrument", weights=dims))
    texts.append(ctx.s(f"doc:method_missing:{options.missing}",
                       coverage=format_number(options.min_coverage * 100, 0, ctx.lang)))
    w.paragraph(" ".join(texts))
    ladder = a.ladder
    lo, hi = ladder.native
    s_lo, s_hi = f.scale
    w.paragraph(ctx.s("doc:method_maturity", lo=_plain(lo, ctx), hi=_plain(hi, ctx), score_lo=_plain(s_lo, ctx),
                      score_hi=_plain(s_hi, ctx)))
    native, scaled = ladder.bands(None, ctx.lang), ladder.bands(f.scale, ctx.lang)
    body = []
    for (_, n), (_, s) in zip(native.iterrows(), scaled.iterrows(), strict=True):
        body.append([str(int(n["level"])), n["name"], f"{_plain(n['lower'], ctx)} - {_plain(n['upper'], ctx)}",
                     f"{_plain(s['lower'], ctx)} - {_plain(s['upper'], ctx)}"])
    w.table([ctx.t("doc:col:level_no"), term("name", ctx.lang), ctx.s("doc:col:native_band", lo=_plain(lo, ctx),
                                                                     hi=_plain(hi, ctx)),
             ctx.s("doc:col:score_band", lo=_plain(s_lo, ctx), hi=_plain(s_hi, ctx))],
            body, align="clrr", caption=ctx.t("doc:maturity_table"))
    w.paragraph(" ".join([*_target_texts(ctx, params), ctx.s("doc:method_target_year",
                                                              year=str(params["default_target_year"]))]))
    w.paragraph(ctx.t("doc:method_points"))
    w.paragraph(ctx.t("doc:method_priority"))


def _plain(value: float, ctx: Context) -> str:
    """A band limit as written in the guide: ``62,5``, ``20``, ``1,8``."""
    value = float(value)
    return format_number(value, 0 if value.is_integer() else (1 if round(value, 1) == value else 2), ctx.lang)


def _rule_text(ctx: Context, rule: str) -> str:
    word = rule.split(" ")[0]
    if word == "next-level":
        return ctx.t("doc:method_target:next-level")
    if word == "cohort-best":
        return ctx.t("doc:method_target:cohort-best")
    if word.startswith("cohort-p"):
        return ctx.s("doc:method_target:cohort", p=word[len("cohort-p"):])
    try:
        return ctx.s("doc:method_target:fixed", value=_plain(float(word), ctx))
    except ValueError:
        return rule


def _target_texts(ctx: Context, params: dict) -> list[str]:
    texts = [_rule_text(ctx, params["default_rule"])]
    others = {k: v for k, v in params.get("rules", {}).items() if k != "default"}
    if others:
        described = "; ".join(f"{term(f'level:{k}', ctx.lang) if f'level:{k}' != term(f'level:{k}', ctx.lang) else k}: "
                              f"{_rule_text(ctx, v).rstrip('.')}" for k, v in others.items())
        texts.append(ctx.s("doc:method_target_rules", rules=described))
    if params.get("target_tables"):
        texts.append(ctx.s("doc:method_target_tables", tables=", ".join(map(str, params["target_tables"]))))
    return texts


def _readiness(ctx: Context, w: WordWriter) -> None:
    f = ctx.facts
    w.heading(ctx.t("doc:h:readiness"))
    weak = f.aspects[f.aspects["weakest"]]
    counts = weak["aspect"].value_counts()
    if len(counts):
        w.paragraph(ctx.s("doc:readiness_intro", aspect=ctx.aspect(counts.index[0]), count=int(counts.iloc[0]),
                          n=len(f.dimensions)))
    aspects = [a for a in ("Struktur", "Infrastruktur", "Suprastruktur") if (f.aspects["aspect"] == a).any()]
    matrix = f.aspects.pivot(index="dimension", columns="aspect", values="current")
    weakest = weak.set_index("dimension")["aspect"]
    body = [[ctx.name(d), *(f.score(matrix.at[d, a]) if d in matrix.index else "-" for a in aspects),
             ctx.aspect(weakest.get(d))] for d in f.dimensions.index]
    w.table([term("dimension", ctx.lang), *(ctx.aspect(a) for a in aspects), ctx.t("doc:col:weakest_aspect")], body,
            align="lrrrl", caption=ctx.t("doc:readiness_table"))
    add_figure(ctx, w, "06_readiness")


def _cohort(ctx: Context, w: WordWriter) -> None:
    f = ctx.facts
    i = f.index
    w.heading(ctx.t("doc:h:cohort"))
    texts = [ctx.s("doc:cohort_sentence", n=f.n_regions, cycle=str(f.cycle), median=f.score(i["median"]),
                   q1=f.score(i["q1"]), q3=f.score(i["q3"]), best=f.score(i["best"]), best_region=i["best_region"])]
    distance = round(float(i["to_median"]), f.decimals)
    key = "doc:cohort_above" if distance > 0 else ("doc:cohort_below" if distance < 0 else "doc:cohort_at")
    texts.append(ctx.s(key, region=f.region, distance=f.score(abs(i["to_median"]))))
    w.paragraph(" ".join(texts))
    add_figure(ctx, w, "01_ranking")
    if f.peers.empty:
        w.paragraph(ctx.t("doc:peers_none"))
        return
    w.paragraph(ctx.t("doc:peers_intro"))
    body, small = [], []
    for _, p in f.peers.iterrows():
        group = _group_label(ctx, p["column"], p["group"])
        body.append([group, str(p["n"]), f.score(p["median"]), f"{f.score(p['best'])} ({p['best_region']})",
                     f"{p['rank']} {term('of', ctx.lang)} {p['n']}"])
        if p["n"] < 5:
            small.append(ctx.s("doc:peer_caveat", group=group, n=int(p["n"])))
    w.table([ctx.t("doc:col:group"), ctx.t("doc:col:members"), ctx.t("doc:col:group_median"),
             ctx.t("doc:col:group_best"), ctx.t("doc:col:group_rank")], body,
            align="lrrlr", caption=ctx.t("doc:peers_table"))
    for text in small:
        w.paragraph(text)


def _group_label(ctx: Context, column: str, value: str) -> str:
    if column == "region_type":
        key = f"doc:region_type:{value.lower()}"
        return ctx.t(key) if ctx.t(key) != key else value
    if column == "province":
        return ctx.s("doc:province", province=value)
    return f"{term(column, ctx.lang)}: {value}"


def _change(ctx: Context, w: WordWriter) -> None:
    f = ctx.facts
    i = f.index
    w.heading(ctx.t("doc:h:change"))
    text = change_text(ctx)
    if text is None:
        w.paragraph(ctx.t("doc:no_previous"))
        return
    w.paragraph(text)
    rows = [(term("index", ctx.lang), i)] + [(ctx.name(c), r) for c, r in f.dimensions.iterrows()]
    body = []
    for label, r in rows:
        track = "-" if pd.isna(r.get("on_track")) else ctx.t("doc:yes" if bool(r["on_track"]) else "doc:no")
        body.append([label, f.score(r["previous_score"]), f.score(r["score"]), f.change(r["score_change"]),
                     f"{_rank(r['previous_rank'])} → {_rank(r['rank'])}", track])
    w.table([term("dimension", ctx.lang), ctx.s("doc:col:score_in", cycle=str(f.previous_cycle)),
             ctx.s("doc:col:score_in", cycle=str(f.cycle)), ctx.t("doc:col:change"),
             ctx.s("doc:col:rank_move", previous=str(f.previous_cycle), cycle=str(f.cycle)), ctx.t("doc:col:on_track")],
            body, align="lrrrcc",
            caption=ctx.s("doc:change_table", previous=str(f.previous_cycle)))
    add_figure(ctx, w, "11_trend")


def _rank(value) -> str:
    return "-" if value is None or pd.isna(value) else str(int(value))


def _dimensions(ctx: Context, w: WordWriter) -> None:
    f = ctx.facts
    w.heading(ctx.t("doc:h:dimensions"))
    w.paragraph(ctx.t("doc:dimensions_intro"))
    weakest = f.aspects[f.aspects["weakest"]].set_index("dimension")
    for code, dim in f.dimensions.iterrows():
        name = ctx.name(code)
        w.heading(name, 2)
        aspect = weakest.loc[code] if code in weakest.index else None
        w.paragraph(ctx.s("doc:dimension_sentence", score=f.score(dim["score"]), maturity=dim["maturity"],
                          rank=_rank(dim["rank"]), n=_rank(dim["n_ranked"]), median=f.score(dim["median"]),
                          aspect=ctx.aspect(aspect["aspect"]) if aspect is not None else "-",
                          aspect_score=f.score(aspect["current"]) if aspect is not None else "-"))
        subs = f.sub_dimensions[f.sub_dimensions["dimension"] == code]
        if len(subs):
            body = [[ctx.name(c), f.score(r["score"]), r["maturity"], f.score(r["median"]), f.score(r["target"]),
                     f.score(r["gap"])] for c, r in subs.iterrows()]
            w.table([term("sub_dimension", ctx.lang), term("score", ctx.lang), term("maturity", ctx.lang),
                     term("median", ctx.lang), term("target", ctx.lang), term("gap", ctx.lang)], body,
                    align="lrlrrr",
                    caption=ctx.s("doc:sub_table", dimension=name))
        indicators = f.indicators[(f.indicators["dimension"] == code) & f.indicators["score"].notna()]
        _extremes(ctx, w, indicators, name)
        _swot(ctx, w, indicators, name, aspect)


def _extremes(ctx: Context, w: WordWriter, indicators: pd.DataFrame, name: str) -> None:
    f = ctx.facts
    if indicators.empty:
        return
    ordered = indicators.sort_values("score", ascending=False, kind="stable")
    n = min(EXTREMES, len(ordered) // 2) or 1
    strongest, weakest = ordered.head(n), ordered.tail(n).iloc[::-1]
    w.heading(ctx.t("doc:h:extremes"), 3)
    body = []
    for label, rows in ((ctx.t("doc:strongest"), strongest), (ctx.t("doc:weakest"), weakest)):
        for k, (c, r) in enumerate(rows.iterrows(), start=1):
            body.append([f"{label} {k}", c, r["name"], ctx.aspect(r["aspect"]), f.score(r["score"]), f.score(r["median"])])
    w.table([ctx.t("doc:col:position"), term("code", ctx.lang), term("indicator", ctx.lang), term("aspect", ctx.lang),
             term("score", ctx.lang), term("median", ctx.lang)], body,
            align="llllrr", caption=ctx.s("doc:extremes_table", dimension=name))


def _swot(ctx: Context, w: WordWriter, indicators: pd.DataFrame, name: str, aspect) -> None:
    """Strengths and weaknesses from the numbers; opportunities and threats as workshop prompts."""
    f = ctx.facts
    ranked = indicators.assign(distance=indicators["score"] - indicators["median"])
    above = ranked[ranked["distance"] > 0].sort_values("distance", ascending=False, kind="stable")
    below = ranked[ranked["distance"] < 0].sort_values("distance", kind="stable")

    def item(r) -> str:
        return ctx.s("doc:swot_item", aspect=ctx.aspect(r["aspect"]), name=r["name"], score=f.score(r["score"]),
                     median=f.score(r["median"]))

    strengths = [item(r) for _, r in above.head(SWOT_ITEMS).iterrows()] or [ctx.t("doc:swot_no_strength")]
    weaknesses = [item(r) for _, r in below.head(SWOT_ITEMS).iterrows()] or [ctx.t("doc:swot_no_weakness")]
    if aspect is not None:
        weaknesses.insert(0, ctx.s("doc:swot_weakest_aspect", aspect=ctx.aspect(aspect["aspect"]),
                                   score=f.score(aspect["current"])))
    aspects = [a for a in ("Struktur", "Infrastruktur", "Suprastruktur") if (indicators["aspect"] == a).any()]
    opportunities = [(ctx.s("doc:prompt_opportunity", aspect=ctx.aspect(a)), PROMPT_STYLE) for a in aspects]
    threats = [(ctx.s("doc:prompt_threat", aspect=ctx.aspect(a)), PROMPT_STYLE) for a in aspects]
    w.heading(ctx.t("doc:h:swot"), 3)
    table = w.table([ctx.t("doc:strengths"), ctx.t("doc:weaknesses")],
                    [[strengths, weaknesses], [ctx.t("doc:opportunities"), ctx.t("doc:threats")],
                     [opportunities, threats]],
                    widths=[8.0, 8.0], caption=ctx.s("doc:swot_table", dimension=name))
    w.subheader_row(table, 2)


def _gaps(ctx: Context, w: WordWriter) -> None:
    f = ctx.facts
    i = f.index
    w.heading(ctx.t("doc:h:gaps"))
    w.paragraph(ctx.s("doc:gap_index", target=f.score(i["target"]), target_maturity=i["target_maturity"],
                      year=str(int(i["target_year"])), gap=f.score(i["gap"]), points=f.points(i["index_points"], False)))
    rows = [(term("index", ctx.lang), i)] + [(ctx.name(c), r) for c, r in f.dimensions.iterrows()]
    body = [[label, f.score(r["score"]), f.score(r["target"]), f.score(r["gap"]), str(int(r["target_year"])),
             f.points(r["index_points"])] for label, r in rows]
    w.table([term("dimension", ctx.lang), term("current", ctx.lang), term("target", ctx.lang), term("gap", ctx.lang),
             term("target_year", ctx.lang), ctx.t("doc:col:points")], body,
            align="lrrrrr", caption=ctx.t("doc:gap_table"))
    add_figure(ctx, w, "07_gap_dimension")

    w.heading(ctx.t("doc:h:top"), 2)
    top = top_indicators(f, TOP)
    w.paragraph(f"{ctx.t('doc:top_intro')} {ctx.t('doc:actions_note')}")
    body = [[str(int(r["rank"])), f"{c} {r['name']}", r["dimension"], ctx.to_target(r["score"], r["target"]),
             f.points(r["index_points"]), ctx.priority(r["priority"]), ctx.priority(r["horizon"])]
            for c, r in top.iterrows()]
    w.table([ctx.t("doc:col:no"), term("indicator", ctx.lang), term("dimension", ctx.lang), ctx.t("doc:col:to_target"),
             ctx.t("doc:col:points"), term("priority", ctx.lang), term("horizon", ctx.lang)],
            body, align="rlcrrll", caption=ctx.s("doc:top_table", n=len(top)))
    add_figure(ctx, w, "09_pareto")

    w.heading(ctx.t("doc:h:priority"), 2)
    counts = f.indicators["priority"].value_counts()
    with_gap = int(f.indicators["priority"].isin(["quick_win", "major_project", "fill_in", "low_priority"]).sum())
    w.paragraph(ctx.s("doc:priority_counts", with_gap=with_gap, quick=int(counts.get("quick_win", 0)),
                      major=int(counts.get("major_project", 0)), fill=int(counts.get("fill_in", 0)),
                      low=int(counts.get("low_priority", 0))))
    add_figure(ctx, w, "10_priority")


def _appendix(ctx: Context, w: WordWriter) -> None:
    f = ctx.facts
    w.landscape()
    w.heading(ctx.t("doc:h:appendix"))
    lo, hi = float(f.indicators["lo"].min()), float(f.indicators["hi"].max())
    w.paragraph(ctx.s("doc:appendix_intro", lo=_plain(lo, ctx), hi=_plain(hi, ctx), score_lo=_plain(f.scale[0], ctx),
                      score_hi=_plain(f.scale[1], ctx)))
    headers = [term("code", ctx.lang), term("indicator", ctx.lang), term("aspect", ctx.lang), ctx.t("doc:col:answers"),
               term("score", ctx.lang), term("target", ctx.lang), term("gap", ctx.lang), term("evidence", ctx.lang)]
    for code in f.dimensions.index:
        rows = f.indicators[f.indicators["dimension"] == code]
        if rows.empty:
            continue
        name = ctx.name(code)
        w.heading(name, 2)
        body = []
        for c, r in rows.iterrows():
            label = [r["name"]] + ([f"({ctx.t('doc:lower_better')})"] if r["direction"] < 0 else [])
            body.append([c, label, ctx.aspect(r["aspect"]), answers_text(ctx, r),
                         f.score(r["score"]) if finite(r["score"]) else ctx.t("doc:not_answered"),
                         f.score(r["target"]), f.score(r["gap"]), evidence_lines(ctx, r["evidence"])])
        w.table(headers, body, align="llllrrrl",
                caption=ctx.s("doc:appendix_table", dimension=name))
