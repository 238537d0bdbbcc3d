"""arbetstyngd: caseworker workload in Swedish municipal social services.

Cases carry points; people and their conditions carry capacity; utilisation is the ratio.

Examples
--------
>>> import arbetstyngd as at
>>> town = at.datasets.make_municipality(seed=0)
>>> wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
>>> sorted(wl.teams.columns)[:3]
['band', 'capacity', 'fte']
"""

from importlib.metadata import PackageNotFoundError, version

from . import calibrate, datasets, decide
from .decide import Rules, Scenario, allocate, impact, staff_need, what_if
from .errors import (
    ColumnsError,
    DataError,
    InputFileError,
    ReductionsWarning,
    RejectedRowsWarning,
    RulesError,
    ScenarioError,
    SchemeError,
)
from .io import Profile, load_profile, pseudonymise, read_cases, read_teams, read_workers
from .result import Explanation, Workload
from .scheme import BAND_NAMES, Adjustment, Bands, Labels, Multiplier, Provenance, Scheme, Weight
from .schemes import list_schemes, load_scheme
from .scoring import score
from .timeline import timeline

try:
    __version__ = version("arbetstyngd")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "BAND_NAMES",
    "Adjustment",
    "Bands",
    "ColumnsError",
    "DataError",
    "Explanation",
    "InputFileError",
    "Labels",
    "Multiplier",
    "Profile",
    "Provenance",
    "ReductionsWarning",
    "RejectedRowsWarning",
    "Rules",
    "RulesError",
    "Scenario",
    "ScenarioError",
    "Scheme",
    "SchemeError",
    "Weight",
    "Workload",
    "__version__",
    "allocate",
    "calibrate",
    "datasets",
    "decide",
    "impact",
    "list_schemes",
    "load_profile",
    "load_scheme",
    "pseudonymise",
    "read_cases",
    "read_teams",
    "read_workers",
    "score",
    "staff_need",
    "timeline",
    "what_if",
]
