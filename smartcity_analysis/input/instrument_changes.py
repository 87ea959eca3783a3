"""Instrument changes between cycles: renamed, added and dropped indicators.

Each cycle the instrument may change a little. A mapping file (CSV or xlsx) declares it, one
row per change::

    cycle,change,old_code,new_code,note
    2024,renamed,SL-BD-01,SL-MO-01,"Building -> Mobility"
    2024,added,,SV-EN-03,
    2024,dropped,SG-XX-09,,

``renamed``: answers typed with ``old_code`` (earlier cycles) are read as ``new_code``, so the
indicator's trend continues. ``dropped``: earlier answers to ``old_code`` are set aside (with a
note) because the current instrument has no place for them. ``added``: ``new_code`` exists from
``cycle`` on; earlier cycles simply have no answer, which the coverage columns show. The report
lists every change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Bilingual, DataError, Location, ProblemCollector
from .framework import Framework
from .readers import clean_text, normalise_code, read_csv_rows

CHANGE_KINDS = ("renamed", "added", "dropped")


@dataclass(frozen=True)
class InstrumentChanges:
    table: pd.DataFrame
    renames: dict[str, str] = field(default_factory=dict)  # normalised old key -> current code
    dropped: frozenset[str] = frozenset()  # normalised old keys
    added: frozenset[str] = frozenset()

    def describe(self, lang: str = "id") -> list[str]:
        words = {"id": {"renamed": "diganti kode", "added": "ditambahkan", "dropped": "dihapus"},
                 "en": {"renamed": "renamed", "added": "added", "dropped": "dropped"}}[lang]
        lines = []
        for row in self.table.itertuples():
            if row.change == "renamed":
                lines.append(f"{row.cycle}: {row.old_code} {words['renamed']} -> {row.new_code}")
            elif row.change == "added":
                lines.append(f"{row.cycle}: {row.new_code} {words['added']}")
            else:
                lines.append(f"{row.cycle}: {row.old_code} {words['dropped']}")
        return lines


def load_changes(path: str | Path, framework: Framework) -> InstrumentChanges:
    """Read and check a change table against the current instrument."""
    path = Path(path)
    raw = read_csv_rows(path)
    rows = [r for r in raw.rows if any(clean_text(c) for c in r)]
    header = [clean_text(c).lower() for c in rows[0]]
    frame = pd.DataFrame(rows[1:], columns=header).map(clean_text)
    problems = ProblemCollector()
    for column in ("change", "old_code", "new_code"):
        if column not in frame.columns:
            problems.add("SC301", Location(path.name), column=column)
    problems.raise_if_any(DataError)
    if "cycle" not in frame.columns:
        frame["cycle"] = ""
    renames, dropped, added = {}, set(), set()
    for i, row in frame.iterrows():
        where = Location(path.name, None, row=int(i) + 2)
        kind = row["change"].lower()
        if kind not in CHANGE_KINDS:
            problems.add("SC401", where, detail=Bilingual(f"perubahan '{row['change']}': pakai {', '.join(CHANGE_KINDS)}",
                                                     f"change '{row['change']}': use {', '.join(CHANGE_KINDS)}"))
            continue
        new = framework.resolve_code(row["new_code"]) if row["new_code"] else ""
        if kind in ("renamed", "added") and new not in framework.indicators:
            problems.add("SC302", where, code=row["new_code"] or "(kosong)")
            continue
        if kind == "renamed":
            renames[normalise_code(row["old_code"])] = new
        elif kind == "dropped":
            dropped.add(normalise_code(row["old_code"]))
        else:
            added.add(new)
    problems.raise_if_any(DataError)
    frame["change"] = frame["change"].str.lower()
    return InstrumentChanges(frame[["cycle", "change", "old_code", "new_code"]], renames,
                             frozenset(dropped), frozenset(added))
