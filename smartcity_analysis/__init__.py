"""smartcity_analysis: smart city readiness analysis for Indonesian regencies and cities.

The library behind the ``smartcity`` command and the notebooks: load the assessment
spreadsheets people fill in (:func:`load_answers`), score them the COINr way (:func:`score`),
compare regions (:mod:`.compare`), find the gaps a Smart City Masterplan must close
(:mod:`.gaps`), and draw slide-ready charts (:mod:`.charts`).
"""

from ._version import __version__
from .analysis.audit import run_audit
from .analysis.sobol import sobol_indices
from .assessment import Assessment, open_assessment
from .errors import SmartCityError
from .input.framework import Framework, default_framework, load_framework
from .input.loading import Answers, load_answers
from .model.maturity import SPBE_LADDER, MaturityLadder
from .model.scoring import Scores, ScoringOptions, score

__all__ = [
    "Answers",
    "Assessment",
    "Framework",
    "MaturityLadder",
    "SPBE_LADDER",
    "Scores",
    "ScoringOptions",
    "SmartCityError",
    "__version__",
    "default_framework",
    "load_answers",
    "load_framework",
    "open_assessment",
    "run_audit",
    "sobol_indices",
    "score",
]
