"""Experiment files: loading and validating them before anything runs.

An experiment is a TOML file that names a scenario, the parameters to vary and
how, the replicates per design point, a master seed and the outcomes to
summarise::

    name = "severodonetsk_trend"        # letters, digits, _ and - (the default results folder)
    description = "..."
    scenario = "severodonetsk"          # a bundled scenario name or a path
    master_seed = 20220526
    replicates = 25                      # runs per design point
    outcomes = ["negotiated", "time_to_negotiated_end"]

    [design]
    method = "grid"                      # grid, lhs, sobol or morris
    # samples = 256                      # lhs: points; sobol: base N; morris: trajectories
    # levels = 4                         # morris: grid levels

    [fixed]                              # overrides applied to every run
    max_rounds = 104

    [parameters.initial_advantage]
    values = [0.5, 0.55, 0.6]            # explicit levels (any kind) ...
    [parameters.momentum]
    low = -0.01                          # ... or a range: grid uses `levels`
    high = 0.01                          #     evenly spaced points; the sampled
    levels = 5                           #     designs draw inside [low, high]

    [quick]                              # the small size for a first look and CI
    replicates = 4
    [quick.parameters.momentum]
    levels = 2

    [report]                             # optional: which figures to draw
    heatmap = ["initial_advantage", "momentum"]
    group = "protocol"

Every varied value, every fixed override and the scenario are checked
against :func:`model.describe_parameters` (through
:meth:`model.Scenario.with_overrides`) when the file is loaded; any problem
raises one :class:`ExperimentError` naming the file, the field and what is
allowed.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from experiments.calibration.draws import load_posterior, posterior_path
from experiments.design import DesignError, Factor, build_design, design_size
from model import Scenario, ScenarioError, describe_parameters, load_scenario
from model.bundled import bundled_names, is_bundled, resolve_toml
from model.errors import InputError
from model.parameters import Parameter, Value
from model.scenario import checked_together
from model.tomlfile import parse_toml, read_toml_text

METHODS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris")
"""The design methods: a full factorial grid, a Latin hypercube, Saltelli's Sobol design, Morris trajectories."""

OUTCOMES: Mapping[str, str] = MappingProxyType(
    {
        "negotiated": "1 if the run ended in a settlement or a ceasefire holding at the horizon",
        "settlement": "1 if all four steps were agreed",
        "ceasefire": "1 if a ceasefire held at the horizon (a frozen conflict)",
        "victory_russia": "1 if Russia won militarily",
        "victory_ukraine": "1 if Ukraine won militarily",
        "war": "1 if the sides were still fighting at the horizon",
        "time_to_negotiated_end": (
            "rounds to the first negotiated end (the first ceasefire, or a settlement reached without one), censored; "
            "summarised by its Kaplan-Meier median with a 95% interval, not by a mean (a sampled design analyses "
            "rmst_negotiated_end)"
        ),
        "rmst_negotiated_end": (
            "restricted mean rounds to the first negotiated end up to the horizon, from the Kaplan-Meier curve of a "
            "design point's runs (a run won or still fighting counts the whole horizon): the timing response of a sampled design"
        ),
        "time_to_ceasefire": (
            "rounds to the first ceasefire, set to the horizon when there was none (kept for older files: it counts a "
            "settlement reached without a ceasefire as none; prefer rmst_negotiated_end)"
        ),
        "rounds": "rounds played",
        "step_reached": "highest step of the plan agreed",
        "breakdowns": "ceasefires that broke down",
        "cost_russia": "Russia's cumulative cost",
        "cost_ukraine": "Ukraine's cumulative cost",
        "final_front": "Russia's share of the contested territory at the end",
    }
)
"""Per-run outcomes an experiment can name under ``outcomes`` (sampled designs analyse their mean per point)."""

CENSORED_OUTCOMES: tuple[str, ...] = ("time_to_negotiated_end",)
"""Outcomes that are censored times: no mean per design point, so no ``sobol`` or ``morris`` response."""

DEFAULT_OUTCOMES: tuple[str, ...] = ("negotiated", "rmst_negotiated_end")
"""The outcomes of a file that names none."""

_TOP_LEVEL = {
    "name",
    "description",
    "scenario",
    "master_seed",
    "replicates",
    "outcomes",
    "design",
    "fixed",
    "parameters",
    "quick",
    "report",
    "posterior",
}
_DESIGN_KEYS = {"method", "samples", "levels", "second_order"}
_FACTOR_KEYS = {"values", "low", "high", "levels"}
_QUICK_KEYS = {"replicates", "samples", "levels", "parameters", "fixed"}
_REPORT_KEYS = {"heatmap", "group"}
_EXPERIMENT_PACKAGE = "experiments"
_MAX_SEED = 2**63 - 1
_NAME = re.compile(r"[A-Za-z0-9_-]+")

MAX_MORRIS_LEVELS = 1000
"""Most grid levels of a Morris design (4 to 8 is usual; SALib takes minutes past a few million)."""

MAX_RUNS = 2_000_000
"""Largest experiment (design points x replicates) loaded without ``allow_large`` (``--allow-large``).

About twice the largest shipped experiment (``sensitivity``, 901,120 runs,
a few minutes on two cores on the compiled path); the bound is checked
from the factors alone, before any design point is built, so a typing slip
such as ``replicates = 10000000`` is refused at once instead of filling the memory.
"""


class ExperimentError(InputError):
    """An experiment file that cannot be used, with what is wrong and what is allowed."""


@dataclass(frozen=True)
class Report:
    """Which figures the report draws.

    Attributes:
        heatmap: The two factors on the heatmaps' axes (empty: none drawn).
        group: The factor whose levels get one Kaplan-Meier curve each ("": one curve).
    """

    heatmap: tuple[str, ...] = ()
    group: str = ""


@dataclass(frozen=True)
class Experiment:
    """A validated experiment.

    Attributes:
        name: The experiment's name, letters, digits, ``_`` and ``-`` only (also the default results folder).
        description: What it asks.
        scenario: The scenario every run starts from (bundled name or path).
        method: One of :data:`METHODS`.
        replicates: Runs per design point, each with its own seed.
        master_seed: The seed all per-run seeds are spawned from.
        factors: The varied parameters, in file order.
        fixed: Overrides applied to every run.
        outcomes: Outcomes to analyse (see :data:`OUTCOMES`).
        samples: Design size for ``lhs`` (points), ``sobol`` (base N) and ``morris`` (trajectories).
        morris_levels: Grid levels of a Morris design.
        second_order: Whether a Sobol design also estimates second-order indices.
        report: Which figures to draw.
        quick: True for the quick size.
        text: The file's text (saved in the manifest).
        path: Where it was loaded from.
        allow_large: Whether it may exceed :data:`MAX_RUNS` runs (kept by its resized and quick versions).
        posterior: Whether each run draws the scenario's calibrated values from the posterior shipped
            beside it (:mod:`experiments.calibration.draws`); what the experiment varies or fixes keeps its value.
    """

    name: str
    description: str
    scenario: str
    method: str
    replicates: int
    master_seed: int
    factors: tuple[Factor, ...]
    fixed: Mapping[str, Value]
    outcomes: tuple[str, ...]
    samples: int | None = None
    morris_levels: int = 4
    second_order: bool = False
    report: Report = field(default_factory=Report)
    quick: bool = False
    text: str = ""
    path: str = ""
    allow_large: bool = field(default=False, compare=False)
    posterior: bool = False
    _data: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def factor_names(self) -> tuple[str, ...]:
        """Names of the varied parameters."""
        return tuple(f.name for f in self.factors)

    def quick_version(self) -> Experiment:
        """The same experiment at its ``[quick]`` size.

        Returns:
            A validated experiment with ``quick`` set.

        Raises:
            ExperimentError: If the ``[quick]`` table does not make a valid experiment.
        """
        if self.quick:
            return self
        where = self.path or self.name
        quick_table = _table(self._data, "quick", where, _QUICK_KEYS)
        merged = _merge_quick(self._data, quick_table, where)
        return _build(merged, where, self.text, self.path, quick=True, allow_large=self.allow_large)

    def with_scenario(self, scenario: str) -> Experiment:
        """The same experiment run on another scenario (validated again).

        Args:
            scenario: A bundled scenario name or a path.

        Returns:
            The validated experiment.
        """
        data = dict(self._data)
        data["scenario"] = scenario
        return _build(data, self.path or self.name, self.text, self.path, quick=self.quick, allow_large=self.allow_large)

    def resized(self, *, replicates: int | None = None, samples: int | None = None) -> Experiment:
        """The same experiment at another size, validated again, its text rewritten to match.

        Use this (or ``load_experiment(..., replicates=..., samples=...)``),
        not :func:`dataclasses.replace`: the text is what a results manifest
        keeps and what ``report()`` rebuilds the experiment from, so it must
        say the size that actually ran.

        Args:
            replicates: Runs per design point (``None``: unchanged).
            samples: Design size of a sampled design: ``lhs`` points, ``sobol``
                base N (a power of two), ``morris`` trajectories (``None``: unchanged).

        Returns:
            The validated experiment; its ``text`` is the experiment as it now
            stands, as TOML (the original comments are not kept).

        Raises:
            ExperimentError: If a size is not a positive integer, or ``samples``
                is given for a grid (its size is the product of the levels).
        """
        if replicates is None and samples is None:
            return self
        where = self.path or self.name
        data = copy.deepcopy(dict(self._data))
        changes = []
        if replicates is not None:
            data["replicates"] = positive_int(replicates, f"{where}: replicates")
            changes.append(f"replicates = {replicates}")
        if samples is not None:
            if self.method == "grid":
                raise ExperimentError(f"{where}: samples: not used by a grid (its size is the product of the levels)")
            data["design"] = {**dict(data.get("design", {})), "samples": positive_int(samples, f"{where}: samples")}
            changes.append(f"samples = {samples}")
        size = "quick size, " if self.quick else ""
        header = f"# {self.name}: resized ({size}{', '.join(changes)}) from {where}; the experiment as run\n"
        text = header + _to_toml(data, where)
        return _build(data, where, text, self.path, quick=self.quick, allow_large=self.allow_large)


def list_experiments() -> list[str]:
    """Names of the bundled experiments, sorted.

    Returns:
        Names that :func:`load_experiment` accepts.
    """
    return bundled_names(_EXPERIMENT_PACKAGE)


def experiment_path(name_or_path: str | Path) -> Path:
    """Resolve a bundled experiment name or a path to a ``.toml`` file.

    Args:
        name_or_path: A bundled name (see :func:`list_experiments`) or a file path.

    Returns:
        The file's path.

    Raises:
        ExperimentError: If neither exists.
    """
    return resolve_toml(name_or_path, _EXPERIMENT_PACKAGE, "experiment", ExperimentError)


def load_experiment(
    experiment: str | Path | Experiment,
    *,
    quick: bool = False,
    scenario: str | None = None,
    replicates: int | None = None,
    samples: int | None = None,
    allow_large: bool = False,
) -> Experiment:
    """Load and validate an experiment.

    Args:
        experiment: A bundled experiment name, a path to a ``.toml`` file, or
            an :class:`Experiment` (returned as is, resized if asked).
        quick: Return the ``[quick]`` size.
        scenario: Run on this scenario instead of the file's (validated again).
        replicates: Run this many replicates per design point instead (see :meth:`Experiment.resized`).
        samples: Use this design size instead (sampled designs only; see :meth:`Experiment.resized`).
        allow_large: Accept more than :data:`MAX_RUNS` runs (design points x replicates).

    Returns:
        The validated experiment.

    Raises:
        ExperimentError: On any unknown key, wrong type, value out of range,
            design that cannot be built or is larger than :data:`MAX_RUNS`
            runs (without ``allow_large``), or a file that is not UTF-8 TOML
            within :mod:`model.tomlfile`'s limits, naming the file and the field.
    """
    if isinstance(experiment, Experiment):
        loaded = experiment
        if allow_large and not loaded.allow_large:
            loaded = dataclasses.replace(loaded, allow_large=True)  # only the bound changes: the text still says the size
    else:
        path = experiment_path(experiment)
        bundled = is_bundled(path, _EXPERIMENT_PACKAGE)
        where = path.name if bundled else str(path)
        text, data = read_toml_text(path, where, "experiment", ExperimentError)
        data.setdefault("name", path.stem)
        loaded = _build(data, where, text, str(path), quick=False, allow_large=allow_large)
    if scenario is not None:
        loaded = loaded.with_scenario(scenario)
    if quick:
        loaded = loaded.quick_version()
    return loaded.resized(replicates=replicates, samples=samples)


def size_mismatch(experiment: Experiment) -> str | None:
    """What the experiment's text says of its size, if that is not its size (e.g. after :func:`dataclasses.replace`).

    Args:
        experiment: A loaded experiment.

    Returns:
        ``None`` if the text declares the experiment's replicates and design
        size (or there is no text), otherwise a sentence saying what differs.
    """
    if not experiment.text:
        return None
    try:
        data = parse_toml(experiment.text, experiment.name, ExperimentError)
    except ExperimentError:
        return "its text is not valid TOML"
    if experiment.quick:
        data = _merge_quick(data, _table(data, "quick", experiment.name, _QUICK_KEYS), experiment.name)
    declared = (data.get("replicates", 1), dict(data.get("design", {})).get("samples"))
    if declared == (experiment.replicates, experiment.samples):
        return None
    return (
        f"its text declares replicates = {declared[0]}, samples = {declared[1]} but it has replicates = "
        f"{experiment.replicates}, samples = {experiment.samples}"
    )


def experiment_from_text(
    text: str, where: str, *, quick: bool = False, scenario: str | None = None, allow_large: bool = False
) -> Experiment:
    """Validate an experiment given as TOML text (e.g. the copy a results manifest keeps).

    Args:
        text: The file's text.
        where: How messages name its origin.
        quick: Return the ``[quick]`` size.
        scenario: Run on this scenario instead of the text's.
        allow_large: Accept more than :data:`MAX_RUNS` runs.

    Returns:
        The validated experiment.

    Raises:
        ExperimentError: As :func:`load_experiment`.
    """
    data = parse_toml(text, where, ExperimentError)
    data.setdefault("name", "experiment")
    if scenario is not None:
        data["scenario"] = scenario
    loaded = _build(data, where, text, "", quick=False, allow_large=allow_large)
    return loaded.quick_version() if quick else loaded


# ----------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------
def _build(data: Mapping[str, Any], where: str, text: str, path: str, quick: bool, allow_large: bool = False) -> Experiment:
    """Validate a parsed file and build the :class:`Experiment`, field by field in the file's order.

    The full size also builds its ``[quick]`` size, so a bad ``[quick]``
    table fails at load time too.
    """
    _refuse_unknown(data, _TOP_LEVEL, f"{where}: ")
    name = _name(data, where)
    description = _string(data, "description", where, default="")
    scenario_name = _string(data, "scenario", where)
    try:
        scenario = load_scenario(scenario_name)
    except ScenarioError as exc:
        raise ExperimentError(f"{where}: scenario: {exc}") from None
    master_seed = _master_seed(data, where)
    replicates = positive_int(data.get("replicates", 1), f"{where}: replicates")
    outcomes = _outcomes(data, where)
    method, samples, morris_levels, second_order = _design_table(data, where)
    censored = [o for o in outcomes if o in CENSORED_OUTCOMES]
    if censored and method in ("sobol", "morris"):
        raise ExperimentError(
            f"{where}: outcomes: {censored[0]} is a censored time with no mean per design point; "
            f"a {method} design analyses its restricted mean, rmst_negotiated_end"
        )
    fixed_raw = _table(data, "fixed", where, None)
    try:
        base = scenario.with_overrides(fixed_raw, origin=f"{where}: [fixed]")
    except ScenarioError as exc:
        raise ExperimentError(str(exc)) from None
    fixed = {k: base.values[k] for k in fixed_raw}
    factors = _factors(data, base, method, where)
    clash = set(fixed) & {f.name for f in factors}
    if clash:
        raise ExperimentError(f"{where}: {sorted(clash)[0]}: both fixed and varied; keep one")
    report = _report(data, factors, where)
    posterior = _posterior(data, scenario, where)
    quick_table = _table(data, "quick", where, _QUICK_KEYS)

    experiment = Experiment(
        name=name,
        description=description,
        scenario=scenario_name,
        method=method,
        replicates=replicates,
        master_seed=master_seed,
        factors=factors,
        fixed=MappingProxyType(fixed),
        outcomes=outcomes,
        samples=samples,
        morris_levels=morris_levels,
        second_order=second_order,
        report=report,
        quick=quick,
        text=text,
        path=path,
        allow_large=allow_large,
        posterior=posterior,
        _data=MappingProxyType(dict(data)),
    )
    _check_size(experiment, where)  # from the factors alone: nothing big is built before the bound is checked
    _check_design(experiment, base, where)
    if not quick:
        # after the full design, so a problem of the full design is reported as such, not as one of [quick]
        _build(_merge_quick(data, quick_table, where), f"{where}: [quick]", text, path, quick=True, allow_large=allow_large)
    return experiment


def _posterior(data: Mapping[str, Any], scenario: Scenario, where: str) -> bool:
    """Whether runs draw from the scenario's posterior; if so, the posterior must ship beside the scenario."""
    value = data.get("posterior", False)
    if not isinstance(value, bool):
        raise ExperimentError(f"{where}: posterior: true or false, got {value!r}")
    if value:
        try:
            load_posterior(posterior_path(scenario), ExperimentError)
        except InputError as exc:
            raise ExperimentError(f"{where}: posterior: {exc}") from None
    return value


def _name(data: Mapping[str, Any], where: str) -> str:
    """The experiment's name: it is the default results folder (``results/<name>``), so no separators, ``..`` or spaces."""
    name = _string(data, "name", where)
    if not _NAME.fullmatch(name):
        raise ExperimentError(
            f"{where}: name: expected letters, digits, '_' or '-' only (it names the results folder), got {name!r}"
        )
    return name


def _master_seed(data: Mapping[str, Any], where: str) -> int:
    master_seed = data.get("master_seed")
    if isinstance(master_seed, bool) or not isinstance(master_seed, int) or not 0 <= master_seed <= _MAX_SEED:
        raise ExperimentError(f"{where}: master_seed: expected an integer in [0, 2**63 - 1], got {master_seed!r}")
    return master_seed


def _outcomes(data: Mapping[str, Any], where: str) -> tuple[str, ...]:
    outcomes = data.get("outcomes", list(DEFAULT_OUTCOMES))
    if not isinstance(outcomes, list) or not outcomes or any(o not in OUTCOMES for o in outcomes):
        raise ExperimentError(f"{where}: outcomes: expected a non-empty list drawn from {', '.join(OUTCOMES)}, got {outcomes!r}")
    return tuple(outcomes)


def _design_table(data: Mapping[str, Any], where: str) -> tuple[str, int | None, int, bool]:
    """The ``[design]`` table: method, samples, Morris levels and whether Sobol estimates second-order indices."""
    design = _table(data, "design", where, _DESIGN_KEYS)
    method = design.get("method", "grid")
    if method not in METHODS:
        raise ExperimentError(f"{where}: [design] method: expected one of {', '.join(METHODS)}, got {method!r}")
    samples = design.get("samples")
    if method == "grid":
        if samples is not None:
            raise ExperimentError(f"{where}: [design] samples: not used by a grid (its size is the product of the levels)")
    else:
        samples = positive_int(samples, f"{where}: [design] samples ({method} needs it)")
    morris_levels = design.get("levels", 4)
    if isinstance(morris_levels, bool) or not isinstance(morris_levels, int) or not 2 <= morris_levels <= MAX_MORRIS_LEVELS:
        raise ExperimentError(
            f"{where}: [design] levels: expected an integer in [2, {MAX_MORRIS_LEVELS}] (Morris grid levels), got {morris_levels!r}"
        )
    second_order = design.get("second_order", False)
    if not isinstance(second_order, bool):
        raise ExperimentError(f"{where}: [design] second_order: expected true or false, got {second_order!r}")
    return method, samples, morris_levels, second_order


def _factors(data: Mapping[str, Any], base: Any, method: str, where: str) -> tuple[Factor, ...]:
    """The ``[parameters.NAME]`` tables, each checked against the scenario with the fixed overrides."""
    params = {p.name: p for p in describe_parameters()}
    factor_table = _table(data, "parameters", where, None)
    if not factor_table:
        raise ExperimentError(f"{where}: [parameters]: expected at least one varied parameter ([parameters.NAME])")
    return tuple(_factor(fname, spec, params, base, method, where) for fname, spec in factor_table.items())


def _report(data: Mapping[str, Any], factors: tuple[Factor, ...], where: str) -> Report:
    report_table = _table(data, "report", where, _REPORT_KEYS)
    heatmap = report_table.get("heatmap", [])
    names = [f.name for f in factors]
    if not isinstance(heatmap, list) or (heatmap and (len(heatmap) != 2 or any(h not in names for h in heatmap))):
        raise ExperimentError(f"{where}: [report] heatmap: expected two of the varied parameters ({', '.join(names)}), got {heatmap!r}")
    group = report_table.get("group", "")
    if group != "" and group not in names:
        raise ExperimentError(f"{where}: [report] group: expected one of the varied parameters ({', '.join(names)}), got {group!r}")
    return Report(tuple(heatmap), group)


def _check_size(experiment: Experiment, where: str) -> None:
    """Refuse more than :data:`MAX_RUNS` runs (unless ``allow_large``), counted without building the design."""
    if experiment.allow_large:
        return
    points = design_size(experiment, limit=MAX_RUNS)
    runs = points * experiment.replicates
    if runs > MAX_RUNS:
        shown = f"more than {MAX_RUNS:,}" if points > MAX_RUNS else f"{points:,}"
        raise ExperimentError(
            f"{where}: {shown} design points x {experiment.replicates:,} replicates is more than the {MAX_RUNS:,} runs "
            "a sweep runs unless told to (--allow-large, or allow_large=True)"
        )


def _check_design(experiment: Experiment, base: Any, where: str) -> None:
    """The design must be buildable (e.g. Sobol needs numeric ranges), and every point a valid scenario.

    Rules that tie parameters together (e.g. the front's cells) can fail for
    a combination even when each value passes on its own. Each value was
    checked with its factor, and a design point's values lie among or between
    them, so only the distinct combinations of the parameters those rules
    read (:func:`model.scenario.checked_together`) are checked, each at its
    first point: the same first failure as checking every point, at a
    fraction of the cost for a large design.
    """
    try:
        points = build_design(experiment).points
    except DesignError as exc:
        raise ExperimentError(f"{where}: {exc}") from None
    together = [str(c) for c in points.columns if checked_together(str(c))]
    points = points.drop_duplicates(subset=together) if together else points.iloc[:1]
    for point_id, point in zip(points.index, points.to_dict("records"), strict=True):
        try:
            base.with_overrides({str(k): v for k, v in point.items()}, origin=f"{where}: design point {point_id} {point}")
        except ScenarioError as exc:
            raise ExperimentError(str(exc)) from None


def _to_toml(data: Mapping[str, Any], where: str) -> str:
    """An experiment's table as TOML text that :func:`tomllib.loads` reads back to the same table."""
    lines: list[str] = []

    def key(name: str) -> str:
        return name if _NAME.fullmatch(name) else _toml_string(name)

    def value(item: object) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int):
            return str(item)
        if isinstance(item, float):
            return repr(item) if math.isfinite(item) else ("nan" if math.isnan(item) else ("inf" if item > 0 else "-inf"))
        if isinstance(item, str):
            return _toml_string(item)
        if isinstance(item, list):
            return "[" + ", ".join(value(x) for x in item) + "]"
        if isinstance(item, dict):
            return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
        raise ExperimentError(f"{where}: cannot write {item!r} back as TOML")

    def table(path: tuple[str, ...], mapping: Mapping[str, Any]) -> None:
        scalars = [(k, v) for k, v in mapping.items() if not isinstance(v, dict)]
        tables = [(k, v) for k, v in mapping.items() if isinstance(v, dict)]
        if path and (scalars or not tables):
            lines.append("")
            lines.append(f"[{'.'.join(key(p) for p in path)}]")
        lines.extend(f"{key(k)} = {value(v)}" for k, v in scalars)
        for k, v in tables:
            table((*path, k), v)

    table((), data)
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != dict(data):  # pragma: no cover - a guard on the writer above
        raise ExperimentError(f"{where}: could not write the resized experiment back as TOML")
    return text


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, bar DEL, which TOML wants escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _merge_quick(data: Mapping[str, Any], quick_table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The file's table with the ``[quick]`` values laid over it."""
    merged = {k: v for k, v in data.items() if k != "quick"}
    if "replicates" in quick_table:
        merged["replicates"] = quick_table["replicates"]
    design = dict(merged.get("design", {}))
    for key in ("samples", "levels"):
        if key in quick_table:
            design[key] = quick_table[key]
    merged["design"] = design
    if "fixed" in quick_table:
        quick_fixed = quick_table["fixed"]
        if not isinstance(quick_fixed, dict):
            raise ExperimentError(f"{where}: [quick] fixed: expected a table [quick.fixed], got {quick_fixed!r}")
        base_fixed = merged.get("fixed", {})
        merged["fixed"] = {**(dict(base_fixed) if isinstance(base_fixed, dict) else {}), **quick_fixed}
    params = {k: dict(v) if isinstance(v, dict) else v for k, v in dict(merged.get("parameters", {})).items()}
    quick_params = quick_table.get("parameters", {})
    if not isinstance(quick_params, dict):
        raise ExperimentError(f"{where}: [quick] parameters: expected tables [quick.parameters.NAME], got {quick_params!r}")
    for fname, spec in quick_params.items():
        if fname not in params:
            raise ExperimentError(f"{where}: [quick.parameters] {fname}: not a varied parameter; allowed: {', '.join(params)}")
        if not isinstance(spec, dict):
            raise ExperimentError(f"{where}: [quick.parameters] {fname}: expected a table, got {spec!r}")
        if "values" in spec:
            params[fname] = dict(spec)
        else:
            params[fname] = {**params[fname], **spec}
    merged["parameters"] = params
    return merged


def _factor(
    name: str, spec: object, params: Mapping[str, Parameter], base: Any, method: str, where: str
) -> Factor:
    """Validate one ``[parameters.NAME]`` table."""
    field_name = f"{where}: [parameters.{name}]"
    param = params.get(name)
    if param is None:
        raise ExperimentError(f"{where}: [parameters] {name}: unknown parameter (see 'war-termination params' for the list)")
    if not isinstance(spec, dict):
        raise ExperimentError(f"{field_name}: expected a table with values = [...] or low, high (and levels), got {spec!r}")
    _refuse_unknown(spec, _FACTOR_KEYS, f"{field_name} ")

    def check(value: object, key: str) -> Value:
        try:
            return base.with_overrides({name: value}, origin=f"{field_name} {key}").values[name]
        except ScenarioError as exc:
            raise ExperimentError(str(exc)) from None

    if "values" in spec:
        if set(spec) - {"values"}:
            raise ExperimentError(f"{field_name}: give either values = [...] or low, high (and levels), not both")
        values = spec["values"]
        if not isinstance(values, list) or not values:
            raise ExperimentError(f"{field_name} values: expected a non-empty list, got {values!r}")
        checked = tuple(check(v, "values") for v in values)
        if len(set(checked)) != len(checked):
            raise ExperimentError(f"{field_name} values: expected distinct values, got {values!r}")
        return Factor(name, checked, None, None, None, param.kind)

    if param.kind not in (int, float):
        raise ExperimentError(f"{field_name}: {name} is not a number: give values = [...] ({param.allowed})")
    if "low" not in spec or "high" not in spec:
        raise ExperimentError(f"{field_name}: expected values = [...] or both low and high ({param.allowed})")
    low = float(check(spec["low"], "low"))
    high = float(check(spec["high"], "high"))
    if not low < high:
        raise ExperimentError(f"{field_name}: expected low < high, got low = {low!r}, high = {high!r}")
    levels = spec.get("levels")
    if method == "grid":
        levels = positive_int(levels, f"{field_name} levels (a grid over a range needs it)")
        if levels < 2:
            raise ExperimentError(f"{field_name} levels: expected an integer >= 2, got {levels!r}")
    elif levels is not None:
        raise ExperimentError(f"{field_name} levels: only a grid uses levels ({method} samples inside [low, high])")
    return Factor(name, None, low, high, levels, param.kind)


def _string(data: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise ExperimentError(f"{where}: {key}: expected a string, got {value!r}")
    return value


def positive_int(value: object, field_name: str) -> int:
    """Check that a value (from a TOML file or a Python call, not command-line text) is a positive integer.

    Args:
        value: The value.
        field_name: How the message names it.

    Returns:
        The value.

    Raises:
        ExperimentError: ``FIELD: expected a positive integer, got VALUE`` (booleans are not integers here).
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ExperimentError(f"{field_name}: expected a positive integer, got {value!r}")
    return value


def _table(data: Mapping[str, Any], key: str, where: str, allowed: set[str] | None) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ExperimentError(f"{where}: {key}: expected a table [{key}], got {value!r}")
    if allowed is not None:
        _refuse_unknown(value, allowed, f"{where}: [{key}] ")
    return dict(value)


def _refuse_unknown(table: Mapping[str, Any], allowed: set[str], prefix: str) -> None:
    """Name the first unknown key of a table (sorted) and the keys allowed."""
    extra = set(table) - allowed
    if extra:
        raise ExperimentError(f"{prefix}{sorted(extra)[0]}: unknown key; allowed: {', '.join(sorted(allowed))}")
