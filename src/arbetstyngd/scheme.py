"""Schemes: the weights, multipliers, capacity adjustments and bands behind a workload figure.

A :class:`Scheme` is an immutable value. It round-trips losslessly through a plain ``dict``
and through TOML (the documented, stable file format), and its weight table through CSV or
Excel, which is how analysts usually edit weights.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd
import tomli_w

from ._contract.suggest import Suggester
from ._scheme_fields import (
    METHODS,
    all_of,
    as_tuple,
    check_finite,
    check_finite_list,
    check_keys,
    check_method,
    check_non_negative,
    check_optional_text,
    check_positive,
    check_text,
    read_source,
    require_key,
    to_number,
    to_numbers,
    to_optional_date,
    to_optional_int,
    to_stats,
    to_text_or_empty,
)
from .errors import Phrase, Said, SchemeError, toml_said

__all__ = [
    "BAND_NAMES",
    "METHODS",
    "Adjustment",
    "Bands",
    "Labels",
    "Multiplier",
    "Provenance",
    "Scheme",
    "Weight",
]

#: Band names in increasing order of utilisation.
BAND_NAMES: tuple[str, ...] = ("low", "balanced", "high", "critical")


def _labels(value: Any) -> Labels:
    if isinstance(value, Labels):
        return value
    if value is None:
        return Labels()
    if isinstance(value, str):
        return Labels(sv=value, en=value)
    if isinstance(value, Mapping):
        check_keys(value, {"sv", "en"}, "label")
        return Labels(sv=value.get("sv"), en=value.get("en"))
    raise SchemeError(Said("err.scheme.label", value=repr(value)))


# --- parts ---------------------------------------------------------------------------------


@attrs.frozen
class Labels:
    """Human-readable names in Swedish and English."""

    sv: str | None = attrs.field(default=None, validator=check_optional_text)
    en: str | None = attrs.field(default=None, validator=check_optional_text)

    def get(self, lang: str, default: str) -> str:
        """The label in ``lang`` ("sv" or "en"), else the other language, else ``default``."""
        first, second = (self.sv, self.en) if lang == "sv" else (self.en, self.sv)
        return first or second or default

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("sv", self.sv), ("en", self.en)) if v is not None}

    def __bool__(self) -> bool:
        return self.sv is not None or self.en is not None


@attrs.frozen
class Weight:
    """Points for one active case of a type, optionally in one phase.

    A weight without ``phase`` is the case type's fallback: cases whose phase is missing or
    has no row of its own get it.
    """

    case_type: str = attrs.field(validator=check_text)
    weight: float = attrs.field(converter=to_number, validator=[check_finite, check_non_negative])
    phase: str | None = attrs.field(default=None, validator=check_optional_text)
    label: Labels = attrs.field(factory=Labels, converter=_labels)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"case_type": self.case_type}
        if self.phase is not None:
            d["phase"] = self.phase
        d["weight"] = self.weight
        if self.label:
            d["label"] = self.label.to_dict()
        return d


@attrs.frozen
class Multiplier:
    """A complexity flag: a true value in the case column ``flag`` multiplies its points."""

    flag: str = attrs.field(validator=check_text)
    factor: float = attrs.field(converter=to_number, validator=[check_finite, check_positive])
    label: Labels = attrs.field(factory=Labels, converter=_labels)


@attrs.frozen
class Adjustment:
    """A capacity factor computed from one worker or team covariate.

    ``kind="step"``: ``factors[i]`` applies from ``breaks[i-1]`` (inclusive) up to
    ``breaks[i]`` (exclusive), so ``len(factors) == len(breaks) + 1``.
    ``kind="linear"``: ``factors`` are values at ``breaks``, interpolated linearly between them
    and held constant outside them, so ``len(factors) == len(breaks)``.

    Examples
    --------
    >>> exp = Adjustment("experience_years", breaks=(1, 5), factors=(0.6, 0.8, 1.0))
    >>> exp.factor([0.5, 1.0, 4.9, 12.0]).tolist()
    [0.6, 0.8, 0.8, 1.0]
    """

    covariate: str = attrs.field(validator=check_text)
    breaks: tuple[float, ...] = attrs.field(converter=to_numbers, validator=check_finite_list)
    factors: tuple[float, ...] = attrs.field(converter=to_numbers, validator=check_finite_list)
    kind: Literal["step", "linear"] = "step"
    name: str = attrs.field(default="", converter=to_text_or_empty)
    label: Labels = attrs.field(factory=Labels, converter=_labels)

    def __attrs_post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.covariate)
        where = Phrase("err.where.adjustment", {"name": self.name})
        if self.kind not in ("step", "linear"):
            raise SchemeError(Said("err.scheme.adj_kind", where=where, value=repr(self.kind)))
        if any(b2 <= b1 for b1, b2 in zip(self.breaks, self.breaks[1:], strict=False)):
            raise SchemeError(Said("err.scheme.adj_breaks", where=where, breaks=str(self.breaks)))
        want = len(self.breaks) + 1 if self.kind == "step" else len(self.breaks)
        if len(self.factors) != want or (self.kind == "linear" and want < 1):
            raise SchemeError(
                Said(
                    "err.scheme.adj_count",
                    where=where,
                    kind=self.kind,
                    rule=Phrase(f"err.scheme.adj_rule.{self.kind}", {}),
                    want=str(want),
                    count=str(len(self.factors)),
                )
            )
        if any(f <= 0 for f in self.factors):
            raise SchemeError(
                Said("err.scheme.adj_factors", where=where, factors=str(self.factors))
            )

    def factor(self, values: Any) -> np.ndarray:
        """The factor for each covariate value (vectorised; NaN stays NaN)."""
        x = np.asarray(values, dtype=float)
        if self.kind == "linear":
            out = np.interp(x, self.breaks, self.factors)
        else:
            idx = np.searchsorted(np.asarray(self.breaks), x, side="right")
            out = np.asarray(self.factors)[np.minimum(idx, len(self.factors) - 1)]
        return np.where(np.isnan(x), np.nan, out)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"covariate": self.covariate}
        if self.name != self.covariate:
            d["name"] = self.name
        d["kind"] = self.kind
        d["breaks"] = list(self.breaks)
        d["factors"] = list(self.factors)
        if self.label:
            d["label"] = self.label.to_dict()
        return d


@attrs.frozen
class Bands:
    """Utilisation thresholds: below ``balanced`` is *low*, from ``critical`` up *critical*."""

    balanced: float = attrs.field(default=0.85, converter=to_number, validator=check_finite)
    high: float = attrs.field(default=1.10, converter=to_number, validator=check_finite)
    critical: float = attrs.field(default=1.25, converter=to_number, validator=check_finite)

    def __attrs_post_init__(self) -> None:
        if not 0 < self.balanced < self.high < self.critical:
            raise SchemeError(
                Said(
                    "err.scheme.bands",
                    balanced=str(self.balanced),
                    high=str(self.high),
                    critical=str(self.critical),
                )
            )

    @property
    def thresholds(self) -> np.ndarray:
        return np.array([self.balanced, self.high, self.critical])

    def codes(self, utilisation: Any) -> np.ndarray:
        """Band index 0-3 for each utilisation (-1 where it is NaN)."""
        u = np.asarray(utilisation, dtype=float)
        # how many thresholds lie at or below u: searchsorted(side="right") on the three
        # increasing thresholds, without a binary search per value (a timeline has millions)
        codes = (u >= self.balanced).astype(np.int8)
        codes += u >= self.high
        codes += u >= self.critical
        return np.where(np.isnan(u), np.int8(-1), codes)

    def classify(self, utilisation: Any) -> pd.Categorical[str]:
        """Ordered categorical of band names for each utilisation."""
        return pd.Categorical.from_codes(
            self.codes(utilisation), categories=pd.Index(BAND_NAMES), ordered=True
        )

    def to_dict(self) -> dict[str, float]:
        return {"balanced": self.balanced, "high": self.high, "critical": self.critical}


@attrs.frozen
class Provenance:
    """How a scheme was made, so every figure can be traced to its evidence."""

    method: str = attrs.field(default="default", validator=check_method)
    note: str = attrs.field(default="", converter=to_text_or_empty)
    created: dt.date | None = attrs.field(default=None, converter=to_optional_date)
    period_start: dt.date | None = attrs.field(default=None, converter=to_optional_date)
    period_end: dt.date | None = attrs.field(default=None, converter=to_optional_date)
    n_workers: int | None = attrs.field(default=None, converter=to_optional_int)
    n_observations: int | None = attrs.field(default=None, converter=to_optional_int)
    statistics: dict[str, Any] = attrs.field(factory=dict, converter=to_stats)
    references: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"method": self.method}
        for key in ("note", "created", "period_start", "period_end", "n_workers", "n_observations"):
            value = getattr(self, key)
            if value not in (None, ""):
                d[key] = value
        if self.statistics:
            d["statistics"] = dict(self.statistics)
        if self.references:
            d["references"] = list(self.references)
        return d


# --- the scheme ------------------------------------------------------------------------------

_SCHEME_KEYS = {
    "name",
    "version",
    "description",
    "capacity",
    "effective_date",
    "provenance",
    "weights",
    "multipliers",
    "adjustments",
    "bands",
}


@attrs.frozen(eq=True)
class Scheme:
    """A workload scheme: points per case, capacity per worker and the bands in between.

    Build one from a dict or TOML (:meth:`from_dict`, :meth:`from_toml`), load a built-in one
    with :func:`arbetstyngd.load_scheme`, or get one from a calibrator's ``scheme_``.

    Parameters
    ----------
    name, version : str
        Identify the scheme; every result records ``name@version``.
    capacity : float
        ``P``: points of one full-time, experienced, well-supported worker at normal load.
    weights : sequence of Weight
        The long weight table; at most one row per ``(case_type, phase)``.
    multipliers : sequence of Multiplier
        Complexity flags that multiply a case's points.
    adjustments : sequence of Adjustment
        Capacity factors from worker or team covariates.
    bands : Bands
        Utilisation thresholds.
    description : str
    effective_date : datetime.date, optional
    provenance : Provenance

    Examples
    --------
    >>> s = Scheme.from_dict({
    ...     "name": "mini", "version": "1", "capacity": 100,
    ...     "weights": [{"case_type": "utredning", "weight": 10}],
    ... })
    >>> s.weight_of("utredning")
    10.0
    >>> Scheme.from_toml(s.to_toml()) == s
    True
    """

    name: str = attrs.field(validator=check_text)
    version: str = attrs.field(converter=str, validator=check_text)
    capacity: float = attrs.field(converter=to_number, validator=[check_finite, check_positive])
    weights: tuple[Weight, ...] = attrs.field(converter=as_tuple, validator=all_of(Weight))
    multipliers: tuple[Multiplier, ...] = attrs.field(
        default=(), converter=as_tuple, validator=all_of(Multiplier)
    )
    adjustments: tuple[Adjustment, ...] = attrs.field(
        default=(), converter=as_tuple, validator=all_of(Adjustment)
    )
    bands: Bands = attrs.field(factory=Bands)
    description: str = ""
    effective_date: dt.date | None = attrs.field(default=None, converter=to_optional_date)
    provenance: Provenance = attrs.field(factory=Provenance)

    def __attrs_post_init__(self) -> None:
        if not self.weights:
            raise SchemeError(Said("err.scheme.no_weights"))
        seen: set[tuple[str, str | None]] = set()
        for w in self.weights:
            key = (w.case_type, w.phase)
            if key in seen:
                where = f"case_type={w.case_type!r}" + (f", phase={w.phase!r}" if w.phase else "")
                raise SchemeError(Said("err.scheme.two_rows", where=where))
            seen.add(key)
        for what, names in (
            ("multipliers", [m.flag for m in self.multipliers]),
            ("adjustments", [a.name for a in self.adjustments]),
        ):
            dup = {n for n in names if names.count(n) > 1}
            if dup:
                raise SchemeError(Said("err.scheme.unique", what=what, repeated=str(sorted(dup))))

    # -- look-ups ------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """``name@version``, recorded on every result."""
        return f"{self.name}@{self.version}"

    @property
    def case_types(self) -> list[str]:
        """Case types in the order they first appear in the weight table."""
        return list(dict.fromkeys(w.case_type for w in self.weights))

    @property
    def phases(self) -> list[str]:
        """Every phase named in the weight table."""
        return list(dict.fromkeys(w.phase for w in self.weights if w.phase is not None))

    @property
    def flags(self) -> list[str]:
        return [m.flag for m in self.multipliers]

    def weight_of(self, case_type: str, phase: str | None = None) -> float:
        """Weight of one case, with the phase fallback rule; ``nan`` when none applies."""
        table = {(w.case_type, w.phase): w.weight for w in self.weights}
        if (case_type, phase) in table:
            return table[(case_type, phase)]
        return table.get((case_type, None), math.nan)

    def label(self, case_type: str, lang: str = "sv", phase: str | None = None) -> str:
        """The case type's (or case type and phase's) label in ``lang``."""
        fallback = None
        for w in self.weights:
            if w.case_type == case_type and w.phase == phase and w.label:
                return w.label.get(lang, case_type)
            if w.case_type == case_type and w.phase is None and w.label:
                fallback = w.label.get(lang, case_type)
        return fallback or case_type

    def suggest(self, case_type: str, n: int = 3) -> list[str]:
        """Known case types closest to an unknown one (for error messages)."""
        return Suggester(self.case_types).closest(case_type, n)

    # -- dict / TOML ---------------------------------------------------------------------

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scheme:
        """Build a scheme from the documented dict form (the parsed TOML).

        Raises
        ------
        SchemeError
            Naming the field, what was expected and what arrived.
        """
        if not isinstance(d, Mapping):
            raise SchemeError(f"a scheme must be a table/dict (got {type(d).__name__})")
        check_keys(d, _SCHEME_KEYS, Said("err.where.scheme"))
        weights_in = require_key(d, "weights", Said("err.where.a_scheme"))
        if not isinstance(weights_in, Sequence) or isinstance(weights_in, str):
            raise SchemeError(Said("err.scheme.weights_list"))
        weights = []
        for i, row in enumerate(weights_in, start=1):
            if not isinstance(row, Mapping):
                raise SchemeError(
                    Said("err.scheme.row_table", what="weights", i=str(i), value=repr(row))
                )
            here = Said("err.where.weights_row", i=str(i))
            check_keys(row, {"case_type", "phase", "weight", "label"}, here)
            try:
                weights.append(
                    Weight(
                        case_type=require_key(row, "case_type", here),
                        weight=require_key(row, "weight", here),
                        phase=row.get("phase"),
                        label=row.get("label"),
                    )
                )
            except SchemeError as exc:
                raise SchemeError(Said("err.where_error", where=here, error=exc.args[0])) from None
        multipliers = []
        for flag, spec in dict(d.get("multipliers") or {}).items():
            if isinstance(spec, Mapping):
                here = Said("err.where.multiplier", flag=str(flag))
                check_keys(spec, {"factor", "label"}, here)
                factor = require_key(spec, "factor", here)
                multipliers.append(Multiplier(flag, factor, spec.get("label")))
            else:
                multipliers.append(Multiplier(flag, spec))
        adjustments = []
        for i, row in enumerate(d.get("adjustments") or [], start=1):
            if not isinstance(row, Mapping):
                raise SchemeError(
                    Said("err.scheme.row_table", what="adjustments", i=str(i), value=repr(row))
                )
            here = Said("err.where.adjustments_row", i=str(i))
            check_keys(row, {"covariate", "name", "kind", "breaks", "factors", "label"}, here)
            adjustments.append(
                Adjustment(
                    covariate=require_key(row, "covariate", here),
                    breaks=require_key(row, "breaks", here),
                    factors=require_key(row, "factors", here),
                    kind=row.get("kind", "step"),
                    name=row.get("name"),
                    label=row.get("label"),
                )
            )
        bands_in = d.get("bands") or {}
        check_keys(bands_in, {"balanced", "high", "critical"}, "[bands]")
        prov_in = dict(d.get("provenance") or {})
        check_keys(prov_in, {f.name for f in attrs.fields(Provenance)}, "[provenance]")
        return cls(
            name=require_key(d, "name", Said("err.where.a_scheme")),
            version=require_key(d, "version", Said("err.where.a_scheme")),
            capacity=require_key(d, "capacity", Said("err.where.a_scheme")),
            weights=weights,
            multipliers=multipliers,
            adjustments=adjustments,
            bands=Bands(**bands_in),
            description=d.get("description", ""),
            effective_date=d.get("effective_date"),
            provenance=Provenance(**prov_in),
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented dict form; ``Scheme.from_dict(s.to_dict()) == s``."""
        d: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.description:
            d["description"] = self.description
        if self.effective_date is not None:
            d["effective_date"] = self.effective_date
        d["capacity"] = self.capacity
        d["provenance"] = self.provenance.to_dict()
        d["weights"] = [w.to_dict() for w in self.weights]
        if self.multipliers:
            # TOML writes plain values before tables, so mixing the two forms would reorder
            # the flags: use the table form for all as soon as one has a label
            tables = any(m.label for m in self.multipliers)
            d["multipliers"] = {
                m.flag: (
                    {"factor": m.factor, **({"label": m.label.to_dict()} if m.label else {})}
                    if tables
                    else m.factor
                )
                for m in self.multipliers
            }
        if self.adjustments:
            d["adjustments"] = [a.to_dict() for a in self.adjustments]
        d["bands"] = self.bands.to_dict()
        return d

    @classmethod
    def from_toml(cls, source: str | Path) -> Scheme:
        """Read a scheme from a TOML file path or from TOML text."""
        text = read_source(source)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SchemeError(toml_said("scheme", exc)) from None
        return cls.from_dict(data)

    def to_toml(self, path: str | Path | None = None) -> str:
        """The TOML text of the scheme; also written to ``path`` when given."""
        text = tomli_w.dumps(self.to_dict())
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # -- weight table (how analysts edit weights) ----------------------------------------

    def weights_table(self) -> pd.DataFrame:
        """The weights as a long DataFrame: case_type, phase, weight, label_sv, label_en."""
        return pd.DataFrame(
            {
                "case_type": [w.case_type for w in self.weights],
                "phase": [w.phase for w in self.weights],
                "weight": [w.weight for w in self.weights],
                "label_sv": [w.label.sv for w in self.weights],
                "label_en": [w.label.en for w in self.weights],
            }
        )

    def with_weights(self, table: pd.DataFrame) -> Scheme:
        """A copy of the scheme with its weights replaced by a long table.

        ``table`` needs ``case_type`` and ``weight`` columns and may have ``phase``,
        ``label_sv`` and ``label_en`` (the shape of :meth:`weights_table`).
        """
        missing = {"case_type", "weight"} - set(table.columns)
        if missing:
            raise SchemeError(f"the weight table lacks column(s) {sorted(missing)}")

        def cell(row: Mapping[Any, Any], key: str) -> Any:
            value = row.get(key)
            return (
                None if value is None or (isinstance(value, float) and math.isnan(value)) else value
            )

        weights = []
        for i, row in enumerate(table.to_dict("records"), start=1):
            try:
                label = {
                    k: cell(row, f"label_{k}") for k in ("sv", "en") if cell(row, f"label_{k}")
                }
                weights.append(
                    Weight(cell(row, "case_type"), cell(row, "weight"), cell(row, "phase"), label)
                )
            except SchemeError as exc:
                here = Phrase("err.where.weight_table_row", {"i": str(i)})
                raise SchemeError(Said("err.where_error", where=here, error=exc.args[0])) from None
        return attrs.evolve(self, weights=weights)

    def evolve(self, **changes: Any) -> Scheme:
        """A copy with some fields changed (``attrs.evolve``)."""
        return attrs.evolve(self, **changes)

    # -- display -----------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(w.case_type)}</td><td>{e(w.phase or '')}</td>"
            f"<td style='text-align:right'>{w.weight:g}</td>"
            f"<td>{e(w.label.get('sv', ''))}</td></tr>"
            for w in self.weights
        )
        adj = "; ".join(
            f"{e(a.name)}: {a.kind} at {list(a.breaks)} → {list(a.factors)}"
            for a in self.adjustments
        )
        mult = ", ".join(f"{e(m.flag)} ×{m.factor:g}" for m in self.multipliers)
        return (
            f"<div><b>Scheme {e(self.id)}</b> — capacity P = {self.capacity:g} points; "
            f"method: {e(self.provenance.method)}<br><i>{e(self.provenance.note)}</i>"
            f"<br>bands: balanced ≥ {self.bands.balanced:g}, high ≥ {self.bands.high:g}, "
            f"critical ≥ {self.bands.critical:g}"
            + (f"<br>multipliers: {mult}" if mult else "")
            + (f"<br>adjustments: {adj}" if adj else "")
            + "<table><thead><tr><th>case_type</th><th>phase</th><th>weight</th><th>label</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
