"""A calibration's target file: the record it fits, the priors it searches, and the search's size.

A target file is TOML with four parts:

- ``[statistics.NAME]``: one summary statistic of a run, its observed value
  in the record, the scale on which a run's distance from it is measured, and
  the source of the observed value (outlet and date);
- ``[priors.PARAMETER]``: a prior over one model parameter (``uniform`` or
  ``loguniform`` between ``low`` and ``high``), inside that parameter's
  allowed range, with why;
- ``[[record]]``: dated observations of the front, with sources, that the
  figures draw over the posterior predictive (not all of them are fitted);
- ``[abc]``: the population size, the number of generations, the smallest
  epsilon and the seed.

Everything wrong with a file is one :class:`TargetError` naming the file,
the entry and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model import describe_parameters
from model.errors import InputError
from model.tomlfile import read_toml_text

STATISTIC_KINDS: dict[str, tuple[str, ...]] = {
    "front_at": ("round",),
    "front_change": ("start", "end"),
    "negotiated_by": ("round",),
}
"""Each kind of summary statistic and the rounds it takes:

- ``front_at``: Russia's share of the contested territory at the end of ``round``;
- ``front_change``: its change from the end of ``start`` to the end of ``end``;
- ``negotiated_by``: 1 if a ceasefire or a settlement was agreed by ``round``, else 0.

A run that ends before a round (a victory) keeps its last front from then on.
"""

DISTRIBUTIONS = ("uniform", "loguniform")
"""Prior families: uniform on [low, high], and uniform in the logarithm on [low, high]."""

ABC_KEYS = {"population": int, "generations": int, "minimum_epsilon": float, "seed": int}


class TargetError(InputError):
    """A target file that cannot be used: what is wrong, where, and what is allowed."""


@dataclass(frozen=True)
class Statistic:
    """One summary statistic of a run and its value in the record.

    Attributes:
        name: The statistic's name.
        kind: One of :data:`STATISTIC_KINDS`.
        rounds: The rounds it reads (``(round,)`` or ``(start, end)``).
        observed: Its value in the record.
        scale: The distance of one unit: a run ``scale`` away counts as one.
        source: Where the observed value comes from (outlet and date).
    """

    name: str
    kind: str
    rounds: tuple[int, ...]
    observed: float
    scale: float
    source: str


@dataclass(frozen=True)
class Prior:
    """A prior over one model parameter.

    Attributes:
        parameter: The parameter's flat name.
        distribution: ``uniform`` or ``loguniform``.
        low: The lower end.
        high: The upper end.
        why: Why this range.
    """

    parameter: str
    distribution: str
    low: float
    high: float
    why: str


@dataclass(frozen=True)
class Observation:
    """A dated observation of the front, drawn over the posterior predictive.

    Attributes:
        date: The day it describes.
        round: The round of that day (weeks from the scenario's start, rounded).
        front: Russia's share of Ukraine.
        source: Outlet and date.
    """

    date: dt.date
    round: int
    front: float
    source: str


@dataclass(frozen=True)
class Targets:
    """A validated target file.

    Attributes:
        name: The file's name (its ``name`` key).
        path: Where it was read from.
        text: Its text, as the calibration's manifest keeps it.
        start: The date of the scenario's round 0.
        statistics: The summary statistics, in the file's order.
        priors: The priors, in the file's order.
        record: The dated observations of the front.
        population: Particles per generation.
        generations: Most generations to run.
        minimum_epsilon: Stop once the acceptance threshold is this small.
        seed: The seed of the sampler and of every run's seed.
    """

    name: str
    path: Path
    text: str
    start: dt.date
    statistics: tuple[Statistic, ...]
    priors: tuple[Prior, ...]
    record: tuple[Observation, ...]
    population: int
    generations: int
    minimum_epsilon: float
    seed: int

    @property
    def observed(self) -> dict[str, float]:
        """The observed value of every statistic, by name."""
        return {s.name: s.observed for s in self.statistics}

    @property
    def last_round(self) -> int:
        """The latest round any statistic reads."""
        return max(r for s in self.statistics for r in s.rounds)


def load_targets(path: str | Path) -> Targets:
    """Read and validate a target file.

    Args:
        path: The file (a bundled name such as ``record_2022_2024``, or a path).

    Returns:
        The validated targets.

    Raises:
        TargetError: If the file is missing or malformed, names an unknown statistic
            kind or parameter, or a prior leaves the parameter's allowed range.
    """
    resolved = target_path(path)
    where = str(path)
    text, data = read_toml_text(resolved, where, "target", TargetError)
    known = {"name", "description", "start", "statistics", "priors", "record", "abc"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise TargetError(f"{where}: unknown key {unknown[0]!r}; a target file has {', '.join(sorted(known))}")
    start = _date(data.get("start"), where, "start")
    statistics = tuple(_statistic(name, raw, where) for name, raw in _table(data, "statistics", where).items())
    if not statistics:
        raise TargetError(f"{where}: [statistics] is empty; name at least one statistic to fit")
    priors = tuple(_prior(name, raw, where) for name, raw in _table(data, "priors", where).items())
    if not priors:
        raise TargetError(f"{where}: [priors] is empty; give a prior for at least one parameter")
    record = tuple(_observation(raw, i, start, where) for i, raw in enumerate(_list(data, "record", where)))
    abc = _abc(data.get("abc", {}), where)
    name = data.get("name", resolved.stem)
    if not isinstance(name, str) or not name:
        raise TargetError(f"{where}: 'name' must be a non-empty string")
    return Targets(name=name, path=resolved, text=text, start=start, statistics=statistics, priors=priors,
                   record=record, **abc)


def target_path(name_or_path: str | Path) -> Path:
    """The file of a bundled target name, or the given path.

    Raises:
        TargetError: If neither a bundled target nor a file of that name exists.
    """
    bundled = Path(__file__).parent / f"{name_or_path}.toml"
    if isinstance(name_or_path, str) and "/" not in name_or_path and bundled.is_file():
        return bundled
    path = Path(name_or_path)
    if not path.is_file():
        names = ", ".join(sorted(p.stem for p in Path(__file__).parent.glob("*.toml")))
        raise TargetError(f"{name_or_path}: no such target file; give a path or a bundled name ({names})")
    return path


def _table(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise TargetError(f"{where}: [{key}] must be a table of named entries")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TargetError(f"{where}: [[{key}]] must be an array of tables")
    return value


def _entry(raw: object, where: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise TargetError(f"{where}: must be a table")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise TargetError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    missing = sorted(required - set(raw))
    if missing:
        raise TargetError(f"{where}: missing {missing[0]!r}")
    return raw


def _number(value: object, where: str, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TargetError(f"{where}: must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise TargetError(f"{where}: must be greater than 0, got {value!r}")
    return float(value)


def _round(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise TargetError(f"{where}: must be a round, an integer from 0 to 100000, got {value!r}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TargetError(f"{where}: must be a non-empty text")
    return value


def _date(value: object, where: str, key: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise TargetError(f"{where}: {key!r} must be a date such as 2022-05-26, got {value!r}")


def _statistic(name: str, raw: object, where: str) -> Statistic:
    here = f"{where}: [statistics.{name}]"
    entry = _entry(raw, here, {"kind", "round", "start", "end", "observed", "scale", "source"},
                   {"kind", "observed", "scale", "source"})
    kind = entry["kind"]
    if kind not in STATISTIC_KINDS:
        raise TargetError(f"{here}: unknown kind {kind!r}; allowed: {', '.join(STATISTIC_KINDS)}")
    keys = STATISTIC_KINDS[kind]
    extra = sorted({"round", "start", "end"} - set(keys) & set(entry))
    if extra:
        raise TargetError(f"{here}: a {kind} statistic takes {', '.join(keys)}, not {extra[0]!r}")
    rounds = tuple(_round(entry.get(k), f"{here} {k}") for k in keys)
    if kind == "front_change" and rounds[0] >= rounds[1]:
        raise TargetError(f"{here}: start must come before end, got {rounds[0]} and {rounds[1]}")
    observed = _number(entry["observed"], f"{here} observed")
    if kind == "negotiated_by" and observed not in (0.0, 1.0):
        raise TargetError(f"{here} observed: a negotiated_by statistic is 0 or 1, got {observed!r}")
    return Statistic(name=name, kind=kind, rounds=rounds, observed=observed,
                     scale=_number(entry["scale"], f"{here} scale", positive=True),
                     source=_text(entry["source"], f"{here} source"))


def _prior(name: str, raw: object, where: str) -> Prior:
    here = f"{where}: [priors.{name}]"
    params = {p.name: p for p in describe_parameters()}
    if name not in params:
        raise TargetError(f"{here}: unknown parameter; see 'war-termination params' for the parameters")
    param = params[name]
    if param.kind is not float:
        raise TargetError(f"{here}: only real-valued parameters can be calibrated; {name} is {param.kind.__name__}")
    entry = _entry(raw, here, {"distribution", "low", "high", "why"}, {"distribution", "low", "high", "why"})
    if entry["distribution"] not in DISTRIBUTIONS:
        raise TargetError(f"{here}: unknown distribution {entry['distribution']!r}; allowed: {', '.join(DISTRIBUTIONS)}")
    low = _number(entry["low"], f"{here} low")
    high = _number(entry["high"], f"{here} high")
    if not low < high:
        raise TargetError(f"{here}: low must be below high, got {low} and {high}")
    if param.low is not None and low < param.low or param.high is not None and high > param.high:
        raise TargetError(f"{here}: [{low}, {high}] leaves the parameter's allowed range [{param.low}, {param.high}]")
    if entry["distribution"] == "loguniform" and low <= 0:
        raise TargetError(f"{here}: a loguniform prior needs low > 0, got {low}")
    return Prior(parameter=name, distribution=entry["distribution"], low=low, high=high,
                 why=_text(entry["why"], f"{here} why"))


def _observation(raw: object, index: int, start: dt.date, where: str) -> Observation:
    here = f"{where}: [[record]] {index + 1}"
    entry = _entry(raw, here, {"date", "front", "source"}, {"date", "front", "source"})
    day = _date(entry["date"], here, "date")
    front = _number(entry["front"], f"{here} front")
    if not 0.0 <= front <= 1.0:
        raise TargetError(f"{here} front: a share of Ukraine, from 0 to 1, got {front}")
    return Observation(date=day, round=round((day - start).days / 7), front=front,
                       source=_text(entry["source"], f"{here} source"))


def _abc(raw: object, where: str) -> dict[str, Any]:
    here = f"{where}: [abc]"
    entry = _entry(raw, here, set(ABC_KEYS), set())
    defaults: dict[str, Any] = {"population": 500, "generations": 8, "minimum_epsilon": 0.0, "seed": 0}
    for key, kind in ABC_KEYS.items():
        if key not in entry:
            continue
        value = entry[key]
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if key == "seed" else 1):
                raise TargetError(f"{here} {key}: must be an integer of at least {0 if key == 'seed' else 1}, got {value!r}")
            if key == "population" and value > 100_000 or key == "generations" and value > 100:
                raise TargetError(f"{here} {key}: at most {100_000 if key == 'population' else 100}, got {value}")
        else:
            value = _number(value, f"{here} {key}")
            if value < 0:
                raise TargetError(f"{here} {key}: must be 0 or more, got {value}")
        defaults[key] = value
    return defaults
