"""Maturity ladder: from a score to a named level analysts already know.

The default ladder is the SPBE index bands of PermenPAN-RB 59/2020 on the native 1-5 scale:
Kurang < 1.8, Cukup 1.8 to < 2.6, Baik 2.6 to < 3.5, Sangat Baik 3.5 to < 4.2, Memuaskan >= 4.2,
and their 0-100 equivalents by the same linear map the ``scale`` normalisation uses
(1 -> 0, 5 -> 100): 20, 40, 62.5, 80. A ladder is configuration: load another from a CSV with
columns ``level, name_id, name_en, lower`` (lower bound on the native scale) plus an optional
``# scale: 1, 5`` line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..input.readers import read_csv_rows
from .normalise import normaliser


@dataclass(frozen=True)
class MaturityLadder:
    """Ordered bands; ``lowers[k]`` is the native-scale lower bound of band ``k`` (the first is -inf)."""

    names_id: tuple[str, ...] = ("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan")
    names_en: tuple[str, ...] = ("Poor", "Fair", "Good", "Very good", "Excellent")
    lowers: tuple[float, ...] = (1.0, 1.8, 2.6, 3.5, 4.2)
    native: tuple[float, float] = (1.0, 5.0)

    @property
    def n_levels(self) -> int:
        return len(self.names_id)

    def names(self, lang: str = "id") -> tuple[str, ...]:
        return self.names_en if lang == "en" else self.names_id

    def thresholds(self, scale: tuple[float, float] | None = None) -> np.ndarray:
        """Lower bounds of levels 2..n on ``scale`` (default native; ``(0, 100)`` for percent)."""
        cuts = np.asarray(self.lowers[1:], dtype=float)
        if scale is None or tuple(scale) == tuple(self.native):
            return cuts
        lo, hi = self.native
        return scale[0] + (cuts - lo) / (hi - lo) * (scale[1] - scale[0])

    def level_of(self, scores, scale: tuple[float, float] | None = None) -> np.ndarray:
        """Level numbers 1..n (0 where the score is missing), vectorised."""
        x = np.asarray(scores, dtype=float)
        level = np.searchsorted(self.thresholds(scale), x, side="right") + 1
        return np.where(np.isnan(x), 0, level)

    def name_of(self, scores, scale: tuple[float, float] | None = None, lang: str = "id") -> np.ndarray:
        names = np.array(("",) + self.names(lang), dtype=object)
        return names[self.level_of(scores, scale)]

    def next_threshold(self, scores, scale: tuple[float, float] | None = None) -> np.ndarray:
        """Lower bound of the next level up (NaN at the top level or for missing scores)."""
        cuts = np.append(self.thresholds(scale), np.nan)
        level = self.level_of(scores, scale)
        out = cuts[np.clip(level - 1, 0, len(cuts) - 1)]
        return np.where(level == 0, np.nan, out)

    def bands(self, scale: tuple[float, float] | None = None, lang: str = "id") -> pd.DataFrame:
        """One row per level: level, name, lower, upper on ``scale`` (for charts and legends)."""
        lo, hi = scale or self.native
        cuts = self.thresholds(scale)
        return pd.DataFrame({
            "level": np.arange(1, self.n_levels + 1),
            "name": self.names(lang),
            "lower": np.concatenate([[lo], cuts]),
            "upper": np.concatenate([cuts, [hi]]),
        })

    @classmethod
    def from_csv(cls, path: str | Path) -> MaturityLadder:
        raw = read_csv_rows(Path(path))
        rows = [r for r in raw.rows if r and str(r[0]).strip()]
        native = (1.0, 5.0)
        if str(rows[0][0]).startswith("#"):
            text = ",".join(str(c) for c in rows[0]).split(":", 1)[-1]
            parts = [float(p) for p in text.replace(";", ",").split(",") if p.strip()]
            native = (parts[0], parts[1])
            rows = rows[1:]
        frame = pd.DataFrame(rows[1:], columns=[str(c).strip().lower() for c in rows[0]])
        frame["lower"] = frame["lower"].astype(str).str.replace(",", ".").astype(float)
        frame = frame.sort_values("lower")
        return cls(tuple(frame["name_id"]), tuple(frame["name_en"]), tuple(frame["lower"]), native)


SPBE_LADDER = MaturityLadder()

#: Colours of maturity levels 1..5, light (lowest) to dark (highest): ColorBrewer YlGnBu, colour-blind
#: safe and ordered in lightness, used by the charts and the Excel workbook alike.
MATURITY_COLOURS: tuple[str, ...] = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")

#: The capability levels of one SPBE indicator (1-5), for rubric texts.
CAPABILITY_LEVELS_ID = ("Rintisan", "Terkelola", "Terstandarisasi", "Terintegrasi dan Terukur", "Optimum")
CAPABILITY_LEVELS_EN = ("Initial", "Managed", "Standardised", "Integrated and measured", "Optimised")


def maturity_table(scores, ladder: MaturityLadder = SPBE_LADDER, lang: str = "id") -> pd.DataFrame:
    """Level number and name for every (cycle, region, code) of a :class:`~.scoring.Scores`."""
    long = scores.table()
    # bands on the instrument's scale map onto absolute scores; relative ones are read on 0-100
    method = normaliser(scores.options.normalise)
    scale = (0.0, 100.0) if method.relative else scores.scale_range
    long["maturity_level"] = ladder.level_of(long["score"], scale)
    long["maturity"] = ladder.name_of(long["score"], scale, lang)
    return long
