"""Region names: one spelling per regency or city, and its type (kabupaten / kota).

People write "Kab. Pekalongan", "KABUPATEN PEKALONGAN", "Pemkab Pekalongan" for one regency.
Names are canonicalised by documented rules (below) and then by an alias table
(``data/region_aliases.csv``: ``alias, region``; users can pass their own), so that one region
never becomes two.

Rules, in order: surrounding and repeated spaces removed; the prefixes "Kab.", "Kab",
"Pemkab", "Pemerintah Kabupaten" become "Kabupaten", and "Pemkot", "Pemerintah Kota" become
"Kota"; the prefix is capitalised and, when the whole name was typed in one case, the rest is
title-cased. Then the alias table is looked up case-insensitively.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pandas as pd

from .readers import clean_text

#: The 2024 cohort of the Gerakan Menuju 100 Smart City (sample data uses these names).
COHORT_2024: tuple[str, ...] = (
    "Kabupaten Bangli",
    "Kabupaten Flores Timur",
    "Kabupaten Gianyar",
    "Kabupaten Pekalongan",
    "Kabupaten Purbalingga",
    "Kabupaten Serang",
    "Kabupaten Tanah Bumbu",
    "Kota Banjar",
    "Kota Parepare",
    "Kota Solok",
)

_PREFIXES = [
    (re.compile(r"^(pemerintah\s+kabupaten|kabupaten|pemkab|kab)\b\.?\s*", re.I), "Kabupaten "),
    (re.compile(r"^(pemerintah\s+kota|pemkot|kota)\b\.?\s*", re.I), "Kota "),
]


def load_region_aliases(path: str | Path | None = None) -> dict[str, str]:
    """The alias table as ``{lower-case alias: canonical name}``; built-in plus ``path``."""
    frames = []
    with resources.as_file(resources.files(__package__) / "data" / "region_aliases.csv") as p:
        frames.append(pd.read_csv(p, dtype=str, keep_default_na=False))
    if path is not None:
        frames.append(pd.read_csv(path, dtype=str, keep_default_na=False))
    table = pd.concat(frames, ignore_index=True)
    return {clean_text(a).lower(): clean_text(r) for a, r in zip(table["alias"], table["region"], strict=True)}


def canonical_region(name: object, aliases: dict[str, str] | None = None) -> str:
    """One region name by the module's rules; ``""`` for a blank cell."""
    text = re.sub(r"\s+", " ", clean_text(name))
    if not text:
        return ""
    if aliases and text.lower() in aliases:
        return aliases[text.lower()]
    for pattern, prefix in _PREFIXES:
        match = pattern.match(text)
        if match:
            rest = text[match.end():].strip()
            if rest.isupper() or rest.islower():
                rest = rest.title()
            text = prefix + rest
            break
    if aliases and text.lower() in aliases:
        return aliases[text.lower()]
    return text


def canonical_regions(names: pd.Series, aliases: dict[str, str] | None = None) -> pd.Series:
    """Vectorised :func:`canonical_region` (each distinct spelling is resolved once)."""
    uniques = pd.unique(names.astype(object))
    mapping = {u: canonical_region(u, aliases) for u in uniques}
    return names.astype(object).map(mapping)


def region_type(name: str) -> str | None:
    """``kabupaten`` or ``kota`` from a canonical name, else None."""
    if name.startswith("Kabupaten "):
        return "kabupaten"
    if name.startswith("Kota "):
        return "kota"
    return None
