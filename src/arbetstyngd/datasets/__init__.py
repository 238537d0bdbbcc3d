"""Synthetic data with a known truth: municipalities, calibration studies and messy exports.

Everything here is invented: no real person, worker or case.

- :mod:`.municipality`: a roster, teams and a caseload scored by a known scheme;
- :mod:`.studies`: time logs and workload-rating surveys of such a municipality;
- :mod:`.messy`: the municipality written as real systems write export files.
"""

from .history import History, make_history
from .messy import MessyExport, messy_cases_text, write_messy_export
from .municipality import Municipality, make_municipality
from .studies import (
    STUDY_SCHEME,
    Survey,
    TimeLog,
    make_ratings,
    make_specialised_municipality,
    make_time_log,
)
from .treserva import make_treserva_export

__all__ = [
    "STUDY_SCHEME",
    "History",
    "MessyExport",
    "Municipality",
    "Survey",
    "TimeLog",
    "make_history",
    "make_municipality",
    "make_ratings",
    "make_specialised_municipality",
    "make_time_log",
    "make_treserva_export",
    "messy_cases_text",
    "write_messy_export",
]
