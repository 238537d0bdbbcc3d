"""arbetstyngd: caseworker workload in Swedish municipal social services.

Cases carry points; people and their conditions carry capacity; utilisation is the ratio.

``import arbetstyngd`` loads the engine only; the readers (:mod:`arbetstyngd.io`), reports,
plots, calibration and the synthetic data sets load on first use (``at.read_cases``,
``at.calibrate`` …), as scikit-learn and SciPy do.

Examples
--------
>>> import arbetstyngd as at
>>> town = at.datasets.make_municipality(seed=0)
>>> wl = at.score(town.cases, town.workers, town.scheme, teams=town.teams, on=town.on)
>>> sorted(wl.teams.columns)[:3]
['band', 'capacity', 'fte']
"""

from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from ._engine.scoring import score
from ._engine.timeline import timeline
from ._version import __version__
from .errors import (
    ColumnsError,
    DataError,
    InputFileError,
    MissingColumnWarning,
    ReductionsWarning,
    RejectedRowsWarning,
    RulesError,
    ScenarioError,
    SchemeError,
    ThinHistoryWarning,
)
from .result import Explanation, Workload
from .scheme import BAND_NAMES, Adjustment, Bands, Labels, Multiplier, Provenance, Scheme, Weight
from .schemes import list_schemes, load_scheme

if TYPE_CHECKING:
    from . import calibrate, datasets, io, plot, report
    from . import contracts as contracts
    from .archive import Archive, ArchiveError
    from .decide import Rules, Scenario, allocate, impact, staff_need, what_if
    from .decide.forecast import backtest, forecast
    from .io import Profile, load_profile, pseudonymise, read_cases, read_teams, read_workers
    from .io.ratings import read_ratings

#: Subpackages loaded on first use (those not yet in this version are left out of ``dir()``).
_LAZY_MODULES = ("calibrate", "datasets", "io", "report", "plot", "contracts", "decide", "archive")
#: Names loaded on first use from a subpackage.
_LAZY_NAMES = {
    "Profile": "io",
    "load_profile": "io",
    "pseudonymise": "io",
    "read_cases": "io",
    "read_teams": "io",
    "read_workers": "io",
    "read_ratings": "io.ratings",
    "forecast": "decide",
    "Scenario": "decide",
    "Rules": "decide",
    "what_if": "decide",
    "staff_need": "decide",
    "impact": "decide",
    "allocate": "decide",
    "backtest": "decide",
    "Archive": "archive",
    "ArchiveError": "archive",
}


def _available(name: str) -> bool:
    return find_spec(f"{__name__}.{name}") is not None


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES and _available(name):
        return import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        return getattr(import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "BAND_NAMES",
    "Adjustment",
    "Archive",
    "ArchiveError",
    "Bands",
    "ColumnsError",
    "DataError",
    "Explanation",
    "InputFileError",
    "Labels",
    "MissingColumnWarning",
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
    "ThinHistoryWarning",
    "Weight",
    "Workload",
    "__version__",
    "allocate",
    "archive",
    "backtest",
    "calibrate",
    "datasets",
    "decide",
    "forecast",
    "impact",
    "io",
    "list_schemes",
    "load_profile",
    "load_scheme",
    "plot",
    "pseudonymise",
    "read_cases",
    "read_ratings",
    "read_teams",
    "read_workers",
    "report",
    "score",
    "staff_need",
    "timeline",
    "what_if",
]
