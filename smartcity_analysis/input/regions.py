"""Region names: one spelling per regency or city, and its type (kabupaten / kota).

People write "Kab. Pekalongan", "KABUPATEN PEKALONGAN", "Pemkab Pekalongan" for one regency.
Names are canonicalised by documented rules (below) and then by an alias table
(``data/region_aliases.csv``: ``alias, region``; users can pass their own), so that one region
never becomes two.

Rules, in order: surrounding and repeated spaces removed; the prefixes "Kab.", "Kab",
"Pemkab", "Pemerintah Kabupaten" become "Kabupaten", and "Pemkot", "Pemerintah Kota" become
"Kota", also when written after the name ("Pekalongan, Kab.", "Solok (Kota)"); the prefix is
capitalised and, when the rest of the name was typed in one case, it is title-cased. Then the
alias table is looked up case-insensitively. Names in scripts without case (Arabic, Chinese,
Javanese) are kept exactly as typed.

The alias table maps nicknames and bare names to one region. A bare name that is both a regency
and a city (Pekalongan, Serang, Solok, Banjar, Bandung, Bekasi, Bogor, Malang, ...) must never be
an alias: which one is meant cannot be known. ``tests/test_corpus.py`` checks the table keeps to
this and that every target is already canonical.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import Bilingual, Location, OptionError
from .readers import clean_text, read_csv_rows

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
_SUFFIXES = [
    (re.compile(r"\s*[,(]\s*(kabupaten|kab)\.?\s*\)?$", re.I), "Kabupaten "),
    (re.compile(r"\s*[,(]\s*(kota)\.?\s*\)?$", re.I), "Kota "),
]


def alias_table() -> pd.DataFrame:
    """The built-in alias table (``alias, region``) as shipped in ``data/region_aliases.csv``."""
    with resources.as_file(resources.files("smartcity_analysis") / "data" / "region_aliases.csv") as p:
        return pd.read_csv(p, dtype=str, keep_default_na=False)


def load_region_aliases(path: str | Path | None = None) -> dict[str, str]:
    """The alias table as ``{lower-case alias: canonical name}``; built-in plus ``path``.

    A user's table (CSV, columns ``alias, region``, any encoding and separator the answer files
    may use) is added to the built-in one and wins where both name the same alias.
    """
    out = _alias_dict(alias_table().itertuples(index=False, name=None))
    if path is not None:
        user_pairs = _user_aliases(Path(path))
        user = _alias_dict(user_pairs)
        conflicts = sorted({
            f"'{clean_text(a)}': {user[_alias_key(a)]} / {clean_text(r)}"
            for a, r in user_pairs if _alias_key(a) in user and user[_alias_key(a)] != clean_text(r)
        })
        if conflicts:
            raise OptionError.single("SC405", Location(Path(path).name), detail=Bilingual(
                "satu alias untuk dua daerah: " + "; ".join(conflicts),
                "an alias names two regions: " + "; ".join(conflicts)))
        out.update(user)
    return out


def _alias_key(alias: object) -> str:
    return re.sub(r"\s+", " ", clean_text(alias)).lower()


def _alias_dict(pairs) -> dict[str, str]:
    return {_alias_key(a): clean_text(r) for a, r in pairs if _alias_key(a) and clean_text(r)}


def _user_aliases(path: Path) -> list[tuple[str, str]]:
    raw = read_csv_rows(path)  # FileError SC101/SC105/SC112 located at the file
    header = [clean_text(c).lower() for c in raw.rows[0]] if raw.rows else []
    missing = [c for c in ("alias", "region") if c not in header]
    if missing:
        raise OptionError.single("SC405", Location(raw.file), detail=Bilingual(
            "kolom " + ", ".join(missing) + " tidak ada", "missing column " + ", ".join(missing)))
    a, r = header.index("alias"), header.index("region")
    return [(row[a], row[r]) for row in raw.rows[1:] if len(row) > max(a, r)]


def canonical_region(name: object, aliases: dict[str, str] | None = None) -> str:
    """One region name by the module's rules; ``""`` for a blank cell."""
    text = re.sub(r"\s+", " ", clean_text(name))
    if not text:
        return ""
    if aliases and text.lower() in aliases:
        return aliases[text.lower()]
    for pattern, prefix in _PREFIXES:
        match = pattern.match(text)
        if match and text[match.end():].strip():
            text = prefix + _case(text[match.end():].strip())
            break
    else:
        for pattern, prefix in _SUFFIXES:
            match = pattern.search(text)
            if match and text[:match.start()].strip():
                text = prefix + _case(text[:match.start()].strip())
                break
    if aliases and text.lower() in aliases:
        return aliases[text.lower()]
    return text


def _case(rest: str) -> str:
    """Title-case a name typed all in capitals or all in lower case ("PEKALONGAN")."""
    return rest.title() if rest.isupper() or rest.islower() else rest


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
