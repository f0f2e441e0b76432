"""The model as an EMA workbench ``Model``: exploratory modelling with the workbench's samplers, evaluators and analysis.

The EMA workbench (Kwakkel 2017, "The Exploratory Modeling Workbench: An
open source toolkit for exploratory modeling, scenario discovery, and
(multi-objective) robust decision making", *Environmental Modelling &
Software* 96) runs a model over *uncertainties* (the states of the world the
analyst cannot choose) and *levers* (the policies one could choose) and
collects its *outcomes*. :func:`ema_model` declares the war-termination
model that way, from the one parameter table (:mod:`model.parameters`)::

    from experiments.ema import ema_model, perform_experiments

    model = ema_model("italian_plan_2022")                   # the default uncertainties, levers and outcomes
    experiments, outcomes = perform_experiments(model, scenarios=50, policies=4, seed=1)

Each run is seeded. The seed is an uncertainty of its own, ``seed``: which
engagements a side wins is part of the state of the world, not a policy.
:func:`sample_scenarios` draws the uncertainties' Latin hypercube with the
project's design code (:mod:`experiments.design`, seeded) and gives scenario
``i`` the ``i``-th seed spawned from a :class:`numpy.random.SeedSequence`,
as the batch runner does (:func:`experiments.runner.run_seeds`). The same
call with the same ``seed`` therefore gives the same experiments and the
same outcomes, whatever the evaluator and however many workers it has. In a
full-factorial design every policy meets each scenario with that scenario's
seed: policies are compared under common random numbers (Law 2015,
*Simulation Modeling and Analysis*, 5th ed., section 11.2: the same draws
for each alternative sharpen the comparison between them).

The workbench's own sampling (``ema_workbench.perform_experiments(model,
scenarios=50)``) works too and draws ``seed`` like any integer uncertainty,
but version 2.5 draws from NumPy's global generator, so only this module's
:func:`perform_experiments` is reproducible on every supported version
(ema-workbench 2.5 on Python 3.11, 3.0 on 3.12).

The workbench is imported when a model is declared, not when this module
is: ``import experiments`` does not need it (the ``ema`` extra).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from experiments.design import Factor, build_design
from experiments.runner import run_seeds
from experiments.spec import load_experiment
from model import Outcome, OutcomeKind, Side, WarTerminationModel, load_scenario
from model.errors import InputError
from model.issues import ISSUES, TERRITORY_ISSUES
from model.parameters import PARAMETERS, Parameter, Value
from model.scenario import DEFAULT_SCENARIO, Scenario, checked_together

if TYPE_CHECKING:  # the workbench is optional: imported by the functions that need it
    import pandas as pd
    from ema_workbench import Model

SEED = "seed"
"""The uncertainty that carries each run's seed (a non-negative 63-bit integer, as the batch runner's)."""

_SEED_HIGH = 2**63 - 2  # inclusive: the workbench's integer parameters draw from [low, high + 1)

DEFAULT_UNCERTAINTIES: tuple[str, ...] = (
    "initial_advantage",
    "momentum",
    "volatility",
    "rearmament",
    "war_cost_russia",
    "war_cost_ukraine",
)
"""Uncertainties of :func:`ema_model` when none are named: the battlefield's start and trend, Russia's
rearmament during a ceasefire and each side's cost of war, which no party to the talks sets."""

DEFAULT_LEVERS: tuple[str, ...] = ("protocol", "mediator_guarantees", "guarantee_effect", "monitor_strength", "aid_scale")
"""Levers of :func:`ema_model` when none are named: what the mediator and the third parties choose
(the negotiation protocol, the IFG's guarantees, their strength, the monitors' strength, the scale of aid)."""

DEFAULT_RANGES_FROM = "sensitivity"
"""The bundled experiment whose declared ranges the default uncertainties and levers take.

A parameter's allowed range is what the model can run, not what is plausible:
``initial_advantage`` may be 0.01, a war lost in weeks. The ``sensitivity``
experiment declares ranges around ``italian_plan_2022`` for the parameters it
varies (``experiments/sensitivity.toml``); a default parameter it does not vary
takes every allowed value (``protocol``'s four protocols, the guarantees on or off).
"""

OUTCOMES: Mapping[str, str] = MappingProxyType(
    {
        "negotiated": "the run ended in a settlement or a ceasefire holding at the horizon (bool)",
        "kind": "how it ended: settlement, ceasefire, victory or war (text)",
        "settlement": "all four steps were agreed (bool)",
        "ceasefire": "a ceasefire held at the horizon, a frozen conflict (bool)",
        "victory": "a side won militarily (bool)",
        "war": "the sides were still fighting at the horizon (bool)",
        "victory_russia": "Russia won militarily (bool)",
        "victory_ukraine": "Ukraine won militarily (bool)",
        "winner": "the victor, russia or ukraine; None without a victory (text)",
        "rounds": "rounds played (int)",
        "step_reached": "highest step of the plan agreed at any time (int)",
        "first_ceasefire_round": "round of the first ceasefire; NaN if none (float)",
        "first_agreement_round": "round of the first negotiated end: the first ceasefire, or a settlement "
        "reached in one go; NaN if none (float)",
        "time_to_ceasefire": "rounds to the first ceasefire, the horizon when there was none (int)",
        "breakdowns": "ceasefires that broke down (int)",
        "violations_detected": "ceasefire violations the monitors detected (int)",
        "final_front": "Russia's share of the contested territory at the end (float)",
        "final_balance": "true probability that Russia wins an engagement at the end (float)",
        "cost_russia": "Russia's cumulative cost (float)",
        "cost_ukraine": "Ukraine's cumulative cost (float)",
        **{f"term_{issue}": f"{issue}'s agreed value at the end; NaN if unresolved (float)" for issue in ISSUES},
        **{f"form_{issue}": f"how {issue} was settled (sovereignty, autonomy, deferred); None if no agreement "
           "covers it (text)" for issue in TERRITORY_ISSUES},
    }
)
"""Every outcome :func:`ema_model` can declare, with its meaning and type; the default is all of them.

The outcome record is :meth:`model.Outcome.to_dict`'s; the flags and
``time_to_ceasefire`` are defined as :func:`experiments.analysis.outcome_values`
defines them for the batch runner (a test holds the two equal).
"""

TEXT_OUTCOMES: frozenset[str] = frozenset({"kind", "winner", *(f"form_{issue}" for issue in TERRITORY_ISSUES)})
"""The outcomes whose values are text (declared as :class:`TextOutcome` on the workbench's side)."""

Range = tuple[float, float] | Sequence[Value] | None
"""How a parameter is varied: ``None`` (every allowed value), ``(low, high)`` (a number's range) or a list of values."""


class EMAError(InputError):
    """An uncertainty, lever or outcome that the model cannot be declared with."""


@dataclass(frozen=True)
class Varied:
    """A parameter as the workbench varies it.

    Attributes:
        name: Its flat name (:func:`model.describe_parameters`).
        kind: ``float``, ``int``, ``bool`` or ``str``.
        low: Lower end of a number's range.
        high: Upper end of a number's range.
        values: The values of a categorical (text, boolean or listed) parameter.
    """

    name: str
    kind: type
    low: float | None = None
    high: float | None = None
    values: tuple[Value, ...] | None = None

    def factor(self) -> Factor:
        """The same range as a design factor (:mod:`experiments.design`), for the seeded Latin hypercube."""
        return Factor(self.name, self.values, self.low, self.high, None, self.kind)

    def corners(self) -> tuple[Value, ...]:
        """The values at which a rule of several parameters binds first: the ends of a range, every listed value."""
        if self.values is not None:
            return self.values
        assert self.low is not None and self.high is not None
        return (self.kind(self.low), self.kind(self.high))


def _workbench() -> Any:
    """The ``ema_workbench`` package, imported without its warning that ipyparallel is missing (its evaluator is not used)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        import ema_workbench
    return ema_workbench


# ----------------------------------------------------------------------
# One run
# ----------------------------------------------------------------------
def outcome_record(outcome: Outcome, max_rounds: int) -> dict[str, Any]:
    """Every outcome of :data:`OUTCOMES` for one finished run, as the workbench stores them.

    Flags are ``bool``, counts ``int``, shares and costs ``float`` (NaN for a
    term or round that does not exist: the workbench keeps numbers in NumPy
    arrays), text ``str`` or ``None``.

    Args:
        outcome: The run's outcome record.
        max_rounds: The run's horizon (``time_to_ceasefire`` of a run with no ceasefire).

    Returns:
        Outcome name to value.
    """
    row = outcome.to_dict()
    kind = outcome.kind
    first = outcome.first_ceasefire_round
    if first is None and kind is OutcomeKind.SETTLEMENT:
        first_agreement = float(outcome.rounds)  # settled in one go: the round it was signed, the run's last
    else:
        first_agreement = math.nan if first is None else float(first)
    record: dict[str, Any] = {
        "negotiated": outcome.negotiated,
        "kind": kind.value,
        **{k.value: kind is k for k in OutcomeKind},
        "victory_russia": outcome.winner is Side.RUSSIA,
        "victory_ukraine": outcome.winner is Side.UKRAINE,
        "winner": row["winner"],
        "rounds": int(outcome.rounds),
        "step_reached": int(outcome.step_reached),
        "first_ceasefire_round": math.nan if first is None else float(first),
        "first_agreement_round": first_agreement,
        "time_to_ceasefire": int(max_rounds if first is None else first),
        "breakdowns": int(outcome.breakdowns),
        "violations_detected": int(outcome.violations_detected),
    }
    for name in ("final_front", "final_balance", "cost_russia", "cost_ukraine"):
        record[name] = float(row[name])
    for issue in ISSUES:
        term = row[f"term_{issue}"]
        record[f"term_{issue}"] = math.nan if term is None else float(term)
    for issue in TERRITORY_ISSUES:
        record[f"form_{issue}"] = row[f"form_{issue}"]
    return record


def run_experiment(scenario: str | Scenario, seed: int, **parameters: Any) -> dict[str, Any]:
    """Run the model once, as the workbench calls it: the scenario, the run's seed and the varied values.

    Module-level, so the workbench's multiprocessing evaluator can send it to its
    workers. Values come as the workbench samples them (NumPy scalars
    included) and are validated by the model like any override.

    Args:
        scenario: A bundled scenario name, a path, or a loaded scenario.
        seed: The run's seed.
        **parameters: The uncertainties' and levers' values, by flat name.

    Returns:
        :func:`outcome_record` of the run.
    """
    overrides = {name: _plain(value) for name, value in parameters.items()}
    model = WarTerminationModel(scenario, rng=int(seed), record_agents=False, **overrides)
    outcome = model.run()
    return outcome_record(outcome, model.max_rounds)


def _plain(value: Any) -> Any:
    """A NumPy scalar (the workbench's samples) as the Python value the parameter table validates."""
    return value.item() if isinstance(value, np.generic) else value


# ----------------------------------------------------------------------
# Declaring the model
# ----------------------------------------------------------------------
def ema_model(
    scenario: str | Path | Scenario = DEFAULT_SCENARIO,
    uncertainties: Sequence[str] | Mapping[str, Range] | None = None,
    levers: Sequence[str] | Mapping[str, Range] | None = None,
    outcomes: Sequence[str] | None = None,
    name: str | None = None,
) -> Model:
    """The model on a scenario as an ``ema_workbench.Model``, its parameters declared from the parameter table.

    Uncertainties and levers are given as flat parameter names, each with
    its whole allowed range (a number's ``[low, high]``, a text parameter's
    choices, both booleans), or as a mapping from name to ``None`` (the same),
    ``(low, high)`` (a narrower range) or a list of values (categorical). Every
    parameter neither names keeps the scenario's value. ``seed`` is added to
    the uncertainties (see the module's docstring).

    Args:
        scenario: A bundled scenario name, a path to a ``.toml`` file, or a loaded scenario.
        uncertainties: The uncertainties; ``None``: :data:`DEFAULT_UNCERTAINTIES` with the ranges of
            :data:`DEFAULT_RANGES_FROM`.
        levers: The levers; ``None``: :data:`DEFAULT_LEVERS` likewise. Give ``()`` for none.
        outcomes: Names from :data:`OUTCOMES`; ``None``: all of them.
        name: The workbench's name for the model (letters and digits only); default: the scenario's
            name without its other characters (``italianplan2022``).

    Returns:
        The workbench model, with ``uncertainties``, ``levers`` and ``outcomes`` set.

    Raises:
        EMAError: If a name is unknown, used twice or reserved, a range is not allowed, or the ranges'
            corners break a rule of several parameters (:func:`model.scenario.checked_together`).
        ScenarioError: If the scenario cannot be loaded.
    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    defaults = _default_ranges() if uncertainties is None or levers is None else {}
    unc = _varied(DEFAULT_UNCERTAINTIES if uncertainties is None else uncertainties, "uncertainties", defaults)
    lev = _varied(DEFAULT_LEVERS if levers is None else levers, "levers", defaults)
    twice = sorted({v.name for v in unc} & {v.name for v in lev})
    if twice:
        raise EMAError(f"{', '.join(twice)}: named as an uncertainty and as a lever; a parameter is one or the other")
    _check_corners(loaded, (*unc, *lev))
    wanted = _outcome_names(outcomes)

    label = name if name is not None else "".join(c for c in loaded.name if c.isalnum())
    if not (label.isascii() and label.isalnum()):
        raise EMAError(f"name: the workbench takes letters and digits only, got {label!r}")
    # a bundled scenario travels to the workers by name (each loads it once); any other as its validated values
    source: str | Scenario = scenario if isinstance(scenario, str) and not _is_path(scenario) else loaded
    model = _workbench().Model(label, function=functools.partial(run_experiment, source))
    model.uncertainties = [*(_ema_parameter(v) for v in unc), _seed_parameter()]
    model.levers = [_ema_parameter(v) for v in lev]
    model.outcomes = [_ema_outcome(o) for o in wanted]
    return model


def _is_path(text: str) -> bool:
    return text.endswith(".toml") or "/" in text or "\\" in text


@functools.cache
def _default_ranges() -> Mapping[str, Range]:
    """The ranges the :data:`DEFAULT_RANGES_FROM` experiment declares, by parameter name."""
    ranges: dict[str, Range] = {}
    for factor in load_experiment(DEFAULT_RANGES_FROM).factors:
        if factor.values is not None:
            ranges[factor.name] = list(factor.values)
        else:
            assert factor.low is not None and factor.high is not None
            ranges[factor.name] = (factor.low, factor.high)
    return MappingProxyType(ranges)


def _varied(given: Sequence[str] | Mapping[str, Range], role: str, defaults: Mapping[str, Range]) -> list[Varied]:
    """Each named parameter checked against the table and turned into its range."""
    if isinstance(given, str):
        raise EMAError(f"{role}: expected a list of parameter names or a mapping of name to range, got the text {given!r}")
    if isinstance(given, Mapping):
        items = list(given.items())
    else:
        names = list(given)
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise EMAError(f"{role}: {', '.join(map(str, repeated))} named more than once")
        is_default = given is DEFAULT_UNCERTAINTIES or given is DEFAULT_LEVERS
        items = [(n, defaults.get(n) if is_default else None) for n in names]
    return [_range_of(str(n), spec, role) for n, spec in items]


def _range_of(name: str, spec: Range, role: str) -> Varied:
    """One parameter's range, checked against its allowed values."""
    where = f"{role}: {name}"
    if name == SEED:
        raise EMAError(f"{where}: reserved: every model has the uncertainty {SEED!r}, the run's seed")
    param = PARAMETERS.get(name)
    if param is None:
        close = difflib.get_close_matches(name, PARAMETERS, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise EMAError(f"{where}: unknown parameter{hint}; 'war-termination params' lists them all")
    if spec is None:
        return _whole_range(param, where)
    if isinstance(spec, tuple) and len(spec) == 2 and param.kind in (int, float):
        low, high = (_checked(param, v, where) for v in spec)
        assert isinstance(low, (int, float)) and isinstance(high, (int, float))
        if not low < high:
            raise EMAError(f"{where}: expected low < high, got ({spec[0]!r}, {spec[1]!r})")
        return Varied(name, param.kind, float(low), float(high))
    if isinstance(spec, (str, bytes, Mapping)) or not isinstance(spec, Iterable):
        raise EMAError(f"{where}: expected None, (low, high) or a list of values, got {spec!r}")
    values = tuple(_checked(param, v, where) for v in spec)
    if len(values) < 2 or len(set(values)) != len(values):
        raise EMAError(f"{where}: expected at least two distinct values, got {list(spec)!r}")
    return Varied(name, param.kind, values=values)


def _whole_range(param: Parameter, where: str) -> Varied:
    if param.kind is bool:
        return Varied(param.name, bool, values=(False, True))
    if param.kind is str:
        if param.multi:
            raise EMAError(f"{where}: a set of {', '.join(param.choices or ())}: list the sets to try, e.g. ['us,uk', 'us']")
        return Varied(param.name, str, values=tuple(param.choices or ()))
    assert param.low is not None and param.high is not None
    return Varied(param.name, param.kind, float(param.low), float(param.high))


def _checked(param: Parameter, value: object, where: str) -> Value:
    try:
        return param.validate(_plain(value))
    except InputError as exc:
        raise EMAError(f"{where}: {str(exc).split(': ', 1)[1]}") from None


def _check_corners(scenario: Scenario, varied: Sequence[Varied]) -> None:
    """Fail now, not in the middle of the experiments, if a corner of the ranges breaks a rule of several parameters."""
    together = [v for v in varied if checked_together(v.name)]
    for corner in itertools.islice(itertools.product(*(v.corners() for v in together)), 4096):
        values = dict(zip((v.name for v in together), corner))
        try:
            scenario.with_overrides(values, origin="a corner of the ranges")
        except InputError as exc:
            raise EMAError(f"{exc} ({', '.join(f'{k}={v!r}' for k, v in values.items())})") from None


def _outcome_names(outcomes: Sequence[str] | None) -> list[str]:
    if outcomes is None:
        return list(OUTCOMES)
    if isinstance(outcomes, str):
        raise EMAError(f"outcomes: expected a list of names, got the text {outcomes!r}")
    names = list(outcomes)
    unknown = [n for n in names if n not in OUTCOMES]
    if unknown:
        raise EMAError(f"outcomes: unknown {', '.join(map(repr, unknown))}; expected some of {', '.join(OUTCOMES)}")
    if not names or len(set(names)) != len(names):
        raise EMAError(f"outcomes: expected distinct names, at least one, got {names!r}")
    return names


def _ema_parameter(varied: Varied) -> Any:
    ema = _workbench()
    if varied.values is not None:
        if varied.kind is bool and set(varied.values) == {False, True}:
            return ema.BooleanParameter(varied.name)
        return ema.CategoricalParameter(varied.name, list(varied.values))
    if varied.kind is int:
        return ema.IntegerParameter(varied.name, int(varied.low or 0), int(varied.high or 0))
    return ema.RealParameter(varied.name, varied.low, varied.high)


def _seed_parameter() -> Any:
    return _workbench().IntegerParameter(SEED, 0, _SEED_HIGH)


def _ema_outcome(name: str) -> Any:
    return _text_outcome_class()(name) if name in TEXT_OUTCOMES else _workbench().ScalarOutcome(name)


@functools.cache
def _text_outcome_class() -> type:
    """:class:`TextOutcome`, built once the workbench is imported (it subclasses the workbench's ``ScalarOutcome``)."""
    ScalarOutcome: Any = _workbench().ScalarOutcome

    class TextOutcome(ScalarOutcome):
        """A scalar outcome whose value is text (or ``None``), kept in an object array.

        The workbench's ``ScalarOutcome`` accepts numbers only, and an outcome
        array it sizes from the first run's value would cut longer text
        ("war" first, then "settlement" stored as "set"); this one is
        allocated as objects before the first run.
        """

        def __init__(self, name: str) -> None:
            super().__init__(name)
            self.shape = ()
            self.dtype = object

        def process(self, values: Any) -> Any:
            return super(ScalarOutcome, self).process(values)

    TextOutcome.__module__ = __name__
    TextOutcome.__qualname__ = "TextOutcome"
    return TextOutcome


def __getattr__(name: str) -> Any:
    """``TextOutcome`` on first use (it needs the workbench), so it pickles by its module-level name."""
    if name == "TextOutcome":
        return _text_outcome_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ----------------------------------------------------------------------
# A seeded design
# ----------------------------------------------------------------------
@dataclass(frozen=True)
class _LHS:
    """What :func:`experiments.design.build_design` reads for a Latin hypercube."""

    factors: tuple[Factor, ...]
    samples: int
    master_seed: int
    method: str = "lhs"
    morris_levels: int = 4
    second_order: bool = False


def _varied_of(parameters: Iterable[Any]) -> list[Varied]:
    """The workbench's parameters as ranges (what :func:`ema_model` declared; any other workbench parameter too)."""
    ema = _workbench()
    out = []
    for p in parameters:
        if p.name == SEED:
            continue
        if isinstance(p, ema.BooleanParameter):
            out.append(Varied(p.name, bool, values=(False, True)))
        elif isinstance(p, ema.CategoricalParameter):
            out.append(Varied(p.name, str, values=tuple(c.value for c in p.categories)))
        elif isinstance(p, ema.IntegerParameter):
            out.append(Varied(p.name, int, float(p.lower_bound), float(p.upper_bound)))
        else:
            out.append(Varied(p.name, float, float(p.lower_bound), float(p.upper_bound)))
    return out


def _latin_hypercube(varied: Sequence[Varied], n: int, seed: np.random.SeedSequence) -> list[dict[str, Any]]:
    """``n`` points of a Latin hypercube over the ranges (McKay et al. 1979), drawn by :mod:`experiments.design`."""
    if not varied:
        return [{} for _ in range(n)]
    spec = _LHS(tuple(v.factor() for v in varied), n, int(seed.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)))
    points = build_design(spec).points
    return [{str(k): _plain(v) for k, v in row.items()} for row in points.to_dict(orient="records")]


def _sample_class(kind: str) -> Callable[..., Any]:
    """The workbench's class of a design point: ``Sample`` (3.0), ``Scenario`` or ``Policy`` (2.5)."""
    ema = _workbench()
    sample = getattr(ema, "Sample", None)
    return sample if sample is not None else getattr(ema, kind)


def _streams(seed: int) -> tuple[np.random.SeedSequence, np.random.SeedSequence, np.random.SeedSequence]:
    """Three independent streams from one seed: the uncertainties' design, the levers' design, the runs' seeds."""
    scenarios, policies, runs = np.random.SeedSequence(seed).spawn(3)
    return scenarios, policies, runs


def sample_scenarios(model: Model, n: int, seed: int) -> list[Any]:
    """``n`` scenarios: a seeded Latin hypercube over the model's uncertainties, each with its run's seed.

    Args:
        model: A model from :func:`ema_model`.
        n: Number of scenarios.
        seed: The seed of the design and of the runs.

    Returns:
        The workbench's design points (``Scenario`` in 2.5, ``Sample`` in 3.0), named 0 to ``n - 1``.
    """
    if n < 1:
        raise EMAError(f"scenarios: expected at least one, got {n!r}")
    design, _, runs = _streams(seed)
    points = _latin_hypercube(_varied_of(model.uncertainties), n, design)
    seeds = run_seeds(int(runs.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)), n)
    make = _sample_class("Scenario")
    return [make(name=i, **point, **{SEED: int(s)}) for i, (point, s) in enumerate(zip(points, seeds))]


def sample_policies(model: Model, n: int, seed: int) -> list[Any]:
    """``n`` policies: a seeded Latin hypercube over the model's levers.

    Args:
        model: A model from :func:`ema_model`.
        n: Number of policies.
        seed: The seed of the design (the same as :func:`sample_scenarios`'s: the streams differ).

    Returns:
        The workbench's design points (``Policy`` in 2.5, ``Sample`` in 3.0), named ``policy 0`` on.
    """
    if n < 1:
        raise EMAError(f"policies: expected at least one, got {n!r}")
    if not list(model.levers):
        raise EMAError("policies: the model has no levers (give levers=... to ema_model)")
    _, design, _ = _streams(seed)
    make = _sample_class("Policy")
    return [make(name=f"policy {i}", **point) for i, point in enumerate(_latin_hypercube(_varied_of(model.levers), n, design))]


def perform_experiments(
    model: Model, scenarios: int, policies: int = 0, seed: int = 0, evaluator: Any = None, **kwargs: Any
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The workbench's ``perform_experiments`` over a seeded design: the same call gives the same results.

    Args:
        model: A model from :func:`ema_model`.
        scenarios: Number of scenarios (:func:`sample_scenarios`).
        policies: Number of policies (:func:`sample_policies`); 0 runs every scenario once with the
            levers at the scenario's values.
        seed: The seed of the designs and of every run.
        evaluator: A workbench evaluator (``SequentialEvaluator``, ``MultiprocessingEvaluator``, ...);
            ``None``: the workbench's sequential one.
        **kwargs: Passed to ``ema_workbench.perform_experiments``.

    Returns:
        The workbench's ``(experiments, outcomes)``: one row per experiment (the uncertainties, the levers,
        ``scenario``, ``policy`` and ``model``), and one array per outcome aligned with it.
    """
    design = sample_scenarios(model, scenarios, seed)
    chosen = sample_policies(model, policies, seed) if policies else 0
    if evaluator is None:
        return _workbench().perform_experiments(model, scenarios=design, policies=chosen, **kwargs)
    return evaluator.perform_experiments(scenarios=design, policies=chosen, **kwargs)
