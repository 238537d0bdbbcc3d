"""Calibration: estimate a scheme's weights and normal load from local data, with uncertainty.

- :func:`features` turns a caseload export and study periods into one row per (worker,
  period): exposure-weighted case counts per weight row, fte and capacity covariates.
- :class:`TimeStudy`: minutes per case from a time log (weighted caseload).
- :class:`PerceivedWorkload`: weights, capacity adjustments and normal load ``P`` from
  workload ratings on a scale with an optimum.
- :class:`Delphi`: consensus of an expert panel, alone or as quality adjustments.

All three are scikit-learn estimators and produce a :class:`~arbetstyngd.Scheme` with its
provenance.
"""

from ._checks import CalibrationWarning
from ._delphi import Delphi
from ._features import LOAD_PREFIX, features, load_column, parse_load_column, study_periods
from ._perceived import PerceivedWorkload
from ._time_study import TimeStudy

__all__ = [
    "LOAD_PREFIX",
    "CalibrationWarning",
    "Delphi",
    "PerceivedWorkload",
    "TimeStudy",
    "features",
    "load_column",
    "parse_load_column",
    "study_periods",
]
