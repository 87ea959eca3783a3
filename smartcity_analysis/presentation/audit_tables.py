"""The statistical audit for people: tables with names and plain words, workbook sheets, prose.

:class:`~..analysis.audit.Audit` holds the machine tables (``audit_*.csv``); this module turns
them into what an analyst reads, in Indonesian by default:

- :func:`findings_table`: every finding with what it means for the instrument and what to do
  (:func:`~..analysis.audit.Audit.findings`, explained from :mod:`..i18n.audit`), one row per
  kind of finding (``grouped=True``, for reading) or per item (for the workbook);
- :func:`indicator_table`, :func:`correlation_table`, :func:`pair_table`,
  :func:`reliability_table`, :func:`units_table`, :func:`sobol_table`: the audit's tables with
  names next to codes and category values in words;
- :func:`table_style`: the :func:`~.display.styled_table` arguments of those tables (headers,
  percentages, decimals);
- :func:`audit_sheets`: the workbook sheets (``write_workbook(sheets, ...)``);
- :func:`section`: the notebook's and report's prose, as Markdown.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.audit import FINDINGS, Audit
from ..i18n import TERMS, format_number, sentence, term
from .workbook import Sheet

__all__ = [
    "SECTIONS",
    "audit_sheets",
    "correlation_table",
    "findings_table",
    "headers",
    "indicator_table",
    "input_word",
    "pair_table",
    "paragraph",
    "region_sentence",
    "reliability_table",
    "section",
    "sobol_summary",
    "sobol_table",
    "table_style",
    "units_table",
]

#: Columns shown as percentages (shares from 0 to 1).
PERCENT_COLUMNS = ("availability", "share_nonzero", "share_unique", "pc1_variance_share", "si", "sti",
                   "si_low", "si_high", "sti_low", "sti_high")
#: Columns with two decimals (correlations, alphas, moments).
TWO_DECIMALS = ("pearson", "spearman", "alpha_indicators", "alpha_children", "skew", "kurtosis", "sd",
                "mean", "median", "min", "max", "mean_abs_shift", "mean_rank", "value")
#: How many items a grouped finding lists before "and N more".
LIST_LIMIT = 12


def headers(lang: str = "id") -> dict[str, str]:
    """Column -> header of every audit column (``audit:<column>`` terms)."""
    return {key.removeprefix("audit:"): term(key, lang) for key in TERMS
            if key.startswith("audit:") and key.count(":") == 1}


def input_word(name: str, lang: str = "id") -> str:
    """An uncertain input of the Sobol analysis in words (``imputation`` -> "pengisian data kosong")."""
    return term(f"audit:input:{name}", lang)


def _choice_word(choice: str, lang: str) -> str:
    key = f"audit:choice:{choice.strip()}"
    return term(key, lang) if key in TERMS else choice


def _names(audit: Audit, codes: pd.Series, lang: str) -> list[str]:
    fw = audit.framework
    return [fw.name(c, lang) if isinstance(c, str) and c in fw.table.index else "" for c in codes]


def _number(value: float, lang: str, percent: bool = False) -> str:
    if percent:
        return format_number(100 * value, 1, lang) + "%"
    return format_number(value, 2, lang)


# --- findings -------------------------------------------------------------------------------


def _explanation(finding: str, threshold: float, lang: str) -> str:
    """The finding's explanation, with its threshold written the reader's way."""
    percent = finding in ("flag_availability", "low_pc1", "low_data")
    value = 100 * threshold if percent else threshold
    decimals = next((d for d in range(3) if abs(round(value, d) - value) < 1e-9), 2)  # 0.9, not 0.90
    return sentence(f"audit:explain:{finding}", lang, decimals=decimals, threshold=value)


def _where(audit: Audit, finding: str, code: str, other: object, lang: str) -> str:
    if finding in ("collinear", "negative"):
        return f"{code} & {other}"
    if finding == "weak_parent":
        return f"{code} ({term('audit:parent', lang).lower()} {other})"
    return str(code)


def findings_table(audit: Audit, lang: str = "id", *, grouped: bool = True) -> pd.DataFrame:
    """The audit's findings in words.

    Parameters
    ----------
    audit : Audit
        :func:`~..analysis.audit.run_audit`'s result.
    lang : {"id", "en"}
    grouped : bool, default True
        One row per kind of finding (``finding, n, where, explanation``; ``where`` lists up to
        :data:`LIST_LIMIT` items); False: one row per item (``finding, where, name, value,
        explanation``), as the workbook keeps them.

    Returns
    -------
    DataFrame
        A single "no findings" row when nothing crosses a threshold.
    """
    items = audit.findings()
    if items.empty:
        row = {"finding": term("audit:finding:none", lang), "explanation": term("audit:explain:none", lang)}
        return pd.DataFrame([{**row, "n": 0, "where": "-"} if grouped else {**row, "where": "-"}])
    items = items.assign(where=[_where(audit, f, c, o, lang) for f, c, o in
                                zip(items["finding"], items["code"], items["other"], strict=True)])
    if not grouped:
        percent = items["finding"].isin(["flag_availability", "flag_nonzero", "flag_unique", "low_pc1",
                                         "low_data"])
        out = pd.DataFrame({
            "finding": [term(f"audit:finding:{f}", lang) for f in items["finding"]],
            "where": items["where"],
            "where_name": _names(audit, items["code"], lang),
            "value": [_number(v, lang, p) for v, p in zip(items["value"], percent, strict=True)],
            "explanation": [_explanation(f, t, lang) for f, t in zip(items["finding"], items["threshold"], strict=True)],
        })
        return out
    rows = []
    for finding in FINDINGS:
        hit = items[items["finding"] == finding]
        if hit.empty:
            continue
        listed = list(hit["where"][:LIST_LIMIT])
        more = len(hit) - len(listed)
        where = ", ".join(listed) + (f" (+{more})" if more else "")
        rows.append({"finding": term(f"audit:finding:{finding}", lang), "n": len(hit), "where": where,
                     "explanation": _explanation(finding, float(hit["threshold"].iloc[0]), lang)})
    return pd.DataFrame(rows, columns=["finding", "n", "where", "explanation"])


# --- the audit's tables with names ------------------------------------------------------------


def indicator_table(audit: Audit, lang: str = "id") -> pd.DataFrame:
    """:attr:`Audit.indicators` with the indicator's name and its dimension after the code."""
    table = audit.indicators.copy()
    table.insert(1, "name", _names(audit, table["code"], lang))
    return table


def correlation_table(audit: Audit, lang: str = "id") -> pd.DataFrame:
    """:attr:`Audit.correlations` with the names of the code and of its parent."""
    table = audit.correlations.copy()
    table.insert(1, "name", _names(audit, table["code"], lang))
    table.insert(3, "parent_name", _names(audit, table["parent"], lang))
    return table


def pair_table(audit: Audit, lang: str = "id", *, flagged_only: bool = True) -> pd.DataFrame:
    """The within-dimension pairs (flagged ones only by default) with names and the flag in words."""
    table = audit.flagged_pairs if flagged_only else audit.pairs
    table = table.copy()
    table["group"] = _names(audit, table["group"], lang)
    table.insert(2, "name_a", _names(audit, table["code_a"], lang))
    table.insert(4, "name_b", _names(audit, table["code_b"], lang))
    table["flag"] = [term(f"audit:chart:{f}", lang) if isinstance(f, str) else "" for f in table["flag"]]
    return table


def reliability_table(audit: Audit, lang: str = "id") -> pd.DataFrame:
    """:attr:`Audit.reliability` with names (``level`` as the instrument names it; the table
    display and the workbook sheet put it in words)."""
    table = audit.reliability.copy()
    table.insert(1, "name", _names(audit, table["code"], lang))
    return table


def units_table(audit: Audit, lang: str = "id", *, low_only: bool = False) -> pd.DataFrame:
    """:attr:`Audit.units`, least complete first (only those below the threshold with ``low_only``)."""
    table = audit.units.sort_values(["availability", "region"], kind="stable")
    if low_only:
        table = table[table["low_data"]]
    return table.reset_index(drop=True)


def sobol_table(sensitivity, lang: str = "id", region: str | None = None) -> pd.DataFrame:
    """Si and STi of every choice in words (on COINr's target, or on ``region``'s rank)."""
    if region is None:
        table = sensitivity.indices.copy()
    else:
        table = sensitivity.regions[sensitivity.regions["region"] == region].drop(columns="region")
        table = table.merge(sensitivity.indices[["input", "choices"]], on="input", how="left")
    table["choices"] = [_choices_words(name, text, sensitivity, lang)
                        for name, text in zip(table["input"], table["choices"], strict=True)]
    table["input"] = [input_word(v, lang) for v in table["input"]]
    columns = ["input", "choices", "si", "sti", "si_low", "si_high", "sti_low", "sti_high"]
    return table[[c for c in columns if c in table.columns]].reset_index(drop=True)


def _choices_words(name: str, text: str, sensitivity, lang: str) -> str:
    if name == "weights":
        noise = sensitivity.parameters["noise"]
        noise_text = (format_number(100 * noise, 0, lang) if isinstance(noise, (int, float))
                      else ", ".join(f"{k} {format_number(100 * v, 0, lang)}" for k, v in noise.items()))
        return term("audit:choices:weights", lang).format(noise=noise_text, n=sensitivity.parameters["weight_sets"])
    return ", ".join(_choice_word(c, lang) for c in str(text).split(","))


def sobol_summary(sensitivity, lang: str = "id") -> str:
    """One or two sentences: which choice drives the ranks most, which change nothing."""
    if not sensitivity.meaningful:
        return sensitivity.note_text(lang)
    table = sensitivity.indices
    top = table.loc[table["sti"].idxmax()]
    text = sentence("audit:sobol_summary", lang, decimals=0, input=input_word(top["input"], lang),
                    si=100 * max(float(top["si"]), 0.0), sti=100 * float(top["sti"]))
    inert = [input_word(v, lang) for v, sti in zip(table["input"], table["sti"], strict=True) if abs(sti) < 1e-12]
    if inert:
        text += " " + sentence("audit:sobol_inert", lang, inputs=", ".join(inert))
    return text


def region_sentence(sensitivity, region: str, lang: str = "id") -> str:
    """``region``'s nominal rank and the range it takes in 90 % of the random variants."""
    row = sensitivity.ranks.set_index("region").loc[region]
    return sentence("audit:nb:region", lang, decimals=0, region=region, rank=float(row["nominal_rank"]),
                    lo=float(row["rank_q05"]), hi=float(row["rank_q95"]))


# --- display and workbook ---------------------------------------------------------------------


def table_style(frame: pd.DataFrame, lang: str = "id") -> dict:
    """Keyword arguments of :func:`~.display.styled_table` for an audit table.

    Examples
    --------
    >>> table = indicator_table(audit, lang)                              # doctest: +SKIP
    >>> display.styled_table(table, lang=lang, **table_style(table, lang))  # doctest: +SKIP
    """
    columns = set(frame.columns)
    flags = [c for c in frame.columns if str(c).startswith("flag_") or c in ("low_data",)]
    style = {
        "headers": {c: h for c, h in headers(lang).items() if c in columns},
        "percent": [c for c in PERCENT_COLUMNS if c in columns],
        "decimals": {c: 2 for c in TWO_DECIMALS if c in columns},
        "alert": {c: True for c in flags},
    }
    if "n" in columns:
        style["headers"]["n"] = term("n", lang)
    return style


def _sheet(frame: pd.DataFrame, lang: str) -> Sheet:
    """A frame with its headers in words (the workbook writes column names as they are)."""
    names = {**headers(lang), **{c: term(c, lang) for c in frame.columns if c in TERMS}}
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = [term("yes" if v else "no", lang) for v in out[column]]
    out.columns = [names.get(c, c) for c in frame.columns]
    return Sheet(out, freeze="B2")


def audit_sheets(audit: Audit, lang: str = "id") -> dict[str, Sheet]:
    """The audit as workbook sheets, keyed by sheet term (``write_workbook(sheets, path)``).

    Sheets: findings (one row per item, with what to do), indicators, correlations, all
    within-dimension pairs, reliability, data per region and, when the audit carries them, the
    Sobol indices on the target and per region.
    """
    sheets = {
        "audit:sheet:findings": _sheet(findings_table(audit, lang, grouped=False), lang),
        "audit:sheet:indicators": _sheet(indicator_table(audit, lang), lang),
        "audit:sheet:correlations": _sheet(correlation_table(audit, lang), lang),
        "audit:sheet:pairs": _sheet(pair_table(audit, lang, flagged_only=False), lang),
        "audit:sheet:reliability": _sheet(reliability_table(audit, lang).assign(level=lambda t: [
            term(f"level:{v}", lang) if f"level:{v}" in TERMS else v for v in t["level"]]), lang),
        "audit:sheet:units": _sheet(units_table(audit, lang), lang),
    }
    if audit.sobol is not None:
        target = sobol_table(audit.sobol, lang).assign(output=term("audit:target", lang))
        regions = audit.sobol.regions.assign(input=[input_word(v, lang) for v in audit.sobol.regions["input"]])
        regions = regions.rename(columns={"region": "output"})
        columns = ["output", "input", "si", "sti", "si_low", "si_high", "sti_low", "sti_high"]
        frame = pd.concat([target[columns], regions[columns]], ignore_index=True)
        sheets["audit:sheet:sobol"] = _sheet(frame, lang)
    return sheets


#: Sections of the audit's prose (``audit:nb:<section>``), in the order of the notebook.
SECTIONS = ("intro", "findings", "indicators", "correlations", "reliability", "units", "sobol")


def section(audit: Audit, name: str, lang: str = "id"):
    """The opening text of one section of the audit (:data:`SECTIONS`) as Markdown.

    The notebook's and the report's prose, with the audit's own numbers (cycle, regions,
    thresholds, variants) written the reader's way.
    """
    if name not in SECTIONS:
        raise ValueError(f"unknown section {name!r}; sections: {', '.join(SECTIONS)}")
    p, thresholds = audit.parameters, audit.parameters["thresholds"]
    values = {
        "intro": {"cycle": str(audit.cycle) if audit.cycle is not None else "-", "n": p["n_units"],
                  "k": p["n_indicators"]},
        "indicators": {"availability": round(100 * thresholds["availability"])},
        "units": {"threshold": round(100 * thresholds["screen_units"])},
        "sobol": {"n": audit.sobol.parameters["n_variants"] if audit.sobol is not None else 0},
    }.get(name, {})
    return paragraph(sentence(f"audit:nb:{name}", lang, **values))


def paragraph(text: str):
    """Text already in words (:func:`sobol_summary`, :func:`region_sentence`) as Markdown."""
    from IPython.display import Markdown

    return Markdown(text)
