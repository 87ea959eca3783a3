"""Which cycle and which region: the one place a user's choice is checked against the data.

Every command, notebook and chart asks these two questions; they are answered here only, so
the message for a cycle or a region that is not in the data is the same everywhere (SC402,
SC403).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..errors import Location, OptionError
from ..i18n import term
from ..input.regions import canonical_region, load_region_aliases

#: The cycle of answers that carry none (no cycle column, no year in the file name, no --cycle):
#: one assessment of unknown year. Outputs show it as "tidak diketahui" / "unknown".
UNKNOWN_CYCLE = 0


def cycle_label(cycle: int | None, lang: str = "id") -> str:
    """A cycle as outputs name it: the year, or "tidak diketahui" for :data:`UNKNOWN_CYCLE`."""
    if cycle is None or cycle == UNKNOWN_CYCLE:
        return term("cycle:unknown", lang)
    return str(int(cycle))


def resolve_cycle(cycles: Iterable[int], cycle: int | None = None) -> int | None:
    """``cycle`` if the data hold it, else SC402 listing those they hold; ``None``: the latest.

    Data that carry no cycle at all (one assessment of unknown year) give ``None`` back for
    ``cycle=None``.
    """
    held = sorted({int(c) for c in cycles if not pd.isna(c)})
    if cycle is None:
        return held[-1] if held else None
    if int(cycle) not in held:
        raise OptionError.single("SC402", Location(), cycle=cycle,
                                 cycles=", ".join(map(str, held)) or "-")
    return int(cycle)


def resolve_region(region: str, available: Iterable[str], aliases: dict | None = None) -> str:
    """``region`` as the data spell it ("Kab. Bangli" -> "Kabupaten Bangli"), else SC403.

    The name is tidied as the loader tidies names (:func:`~..input.regions.canonical_region`,
    with the built-in and user aliases), then matched without regard to case.
    """
    names = [str(r) for r in pd.unique(pd.Series(list(available), dtype=object).dropna())]
    if region in names:
        return region
    canonical = canonical_region(str(region), aliases if aliases is not None else load_region_aliases())
    lower = {name.lower(): name for name in names}
    if canonical.lower() in lower:
        return lower[canonical.lower()]
    raise OptionError.single("SC403", Location(), region=region, regions=", ".join(sorted(names)[:20]))


def resolve_regions(regions: str | Iterable[str] | None, available: Iterable[str],
                    aliases: dict | None = None) -> list[str]:
    """Several regions at once (every unknown one reported together); ``None``: all of them."""
    names = [str(r) for r in pd.unique(pd.Series(list(available), dtype=object).dropna())]
    if regions is None:
        return names
    wanted = [regions] if isinstance(regions, str) else list(regions)
    found, problems = [], []
    for name in wanted:
        try:
            found.append(resolve_region(name, names, aliases))
        except OptionError as exc:
            problems.extend(exc.problems)
    if problems:
        raise OptionError(problems)
    return list(dict.fromkeys(found))
