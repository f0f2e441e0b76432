"""Scenario files: loading and validating them before any agent exists.

A scenario is a TOML file. Its top level has ``name``, ``description`` and,
optionally, ``extends`` (another scenario it starts from). Its tables are the
parameter groups of :func:`model.parameters.describe_parameters`; nested
tables carry per-issue and per-third-party values::

    [battlefield]
    initial_advantage = { value = 0.53, source = "seed 001: ..." }
    momentum = -0.004                       # a bare value is allowed too

    [issues.crimea]
    salience_ukraine = 1.4                  # the flat name is salience_ukraine_crimea

    [third_parties.uk]
    stance = { value = -1.0, source = "seed 000: the UK opposed any talks" }

Any unknown key, wrong type or out-of-range value raises one
:class:`ScenarioError` naming the file, the field and what is allowed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from model.bundled import bundled_names, is_bundled, resolve_toml
from model.errors import InputError
from model.issues import ISSUES
from model.maths import front_cells
from model.parameters import PARAMETERS, Parameter, ParameterError, Value, defaults
from model.tomlfile import MAX_EXTENDS, read_toml

_TOP_LEVEL = {"name", "description", "extends"}
_SCENARIO_PACKAGE = "model.scenarios"
DEFAULT_SCENARIO = "italian_plan_2022"
"""The scenario a model, a run and the browser page start from when none is named."""


class ScenarioError(InputError):
    """A scenario file or override that cannot be used, with what is wrong and what is allowed."""


def table_of(param: Parameter) -> tuple[str, str]:
    """The (table, key) under which a parameter is written in a scenario file."""
    if "." in param.group:
        suffix = "_" + param.group.split(".", 1)[1]
        return param.group, param.name[: -len(suffix)]
    return param.group, param.name


_BY_TABLE: dict[str, dict[str, Parameter]] = {}
for _param in PARAMETERS.values():
    _table, _key = table_of(_param)
    _BY_TABLE.setdefault(_table, {})[_key] = _param


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: a complete set of parameter values and their sources.

    Attributes:
        name: The scenario's name.
        description: One paragraph on what it represents.
        values: Every parameter's value (defaults filled in).
        sources: The source given for each value the file (or a base) sets.
        path: The file it was loaded from, if any.
    """

    name: str
    description: str
    values: Mapping[str, Value]
    sources: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None

    def with_overrides(self, overrides: Mapping[str, object], origin: str = "override") -> Scenario:
        """A copy with some values replaced, each validated.

        Args:
            overrides: Flat parameter names and their new values.
            origin: How the error message names where the values came from.

        Returns:
            The new scenario.

        Raises:
            ScenarioError: If a name is unknown or a value not allowed.
        """
        if not overrides:
            return self
        values = dict(self.values)
        for name, value in overrides.items():
            values[name] = validate_value(name, value, origin)
        checked = _check_consistency(values, origin)
        return Scenario(self.name, self.description, MappingProxyType(checked), self.sources, self.path)


def validate_value(name: str, value: object, origin: str) -> Value:
    """Validate one flat-named value, raising a :class:`ScenarioError` that names ``origin``.

    Args:
        name: The flat parameter name.
        value: The candidate value (text is parsed).
        origin: Where it came from, for the message.

    Returns:
        The validated value.

    Raises:
        ScenarioError: If the name is unknown or the value not allowed.
    """
    param = PARAMETERS.get(name)
    if param is None:
        raise ScenarioError(f"{origin}: unknown parameter {name!r} (see 'war-termination params' for the list)")
    try:
        if isinstance(value, str) and param.kind is not str:
            return param.parse(value)
        return param.validate(value)
    except ParameterError as exc:
        raise ScenarioError(f"{origin}: {exc}") from None


def checked_together(name: str) -> bool:
    """Whether a parameter takes part in a rule that involves more than one (:func:`_check_consistency`).

    A set of values each valid on its own can still fail such a rule; an
    experiment checks each distinct combination of these parameters' values
    once, not every design point.

    Args:
        name: A flat parameter name.

    Returns:
        True for ``volatility``, ``initial_front``, the war aims and the saliences.
    """
    together = ("volatility", "initial_front", "aim_russia", "aim_ukraine")
    return name in together or name.startswith(("salience_russia_", "salience_ukraine_"))


_SALIENCES = {side: tuple(f"salience_{side}_{issue}" for issue in ISSUES) for side in ("russia", "ukraine")}


def _check_consistency(values: dict[str, Value], origin: str) -> dict[str, Value]:
    """Rules that involve more than one parameter (its parameters: :func:`checked_together`)."""
    cells = front_cells(float(values["volatility"]))
    position = round(float(values["initial_front"]) * cells)
    if not 0 < position < cells:
        raise ScenarioError(
            f"{origin}: initial_front: expected a share strictly inside (0, 1) once rounded to the front's "
            f"{cells} cells (volatility {values['volatility']}), got {values['initial_front']!r}"
        )
    lower, upper = round(float(values["aim_ukraine"]) * cells), round(float(values["aim_russia"]) * cells)
    if not lower < position < upper:
        raise ScenarioError(
            f"{origin}: aim_ukraine, aim_russia: expected aims on either side of initial_front once rounded to the "
            f"front's {cells} cells (Ukraine's below it, Russia's above it), got {values['aim_ukraine']!r} and "
            f"{values['aim_russia']!r} with initial_front {values['initial_front']!r}"
        )
    for side, names in _SALIENCES.items():
        total = sum(float(values[name]) for name in names)
        if total <= 0:
            raise ScenarioError(f"{origin}: salience_{side}_*: expected at least one positive salience, got all zero")
    return values


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios, sorted.

    Returns:
        Names that :func:`load_scenario` accepts.
    """
    return bundled_names(_SCENARIO_PACKAGE)


def scenario_path(name_or_path: str | Path) -> Path:
    """Resolve a bundled scenario name or a path to a ``.toml`` file.

    Args:
        name_or_path: A bundled name (see :func:`list_scenarios`) or a file path.

    Returns:
        The file's path.

    Raises:
        ScenarioError: If neither exists.
    """
    return resolve_toml(name_or_path, _SCENARIO_PACKAGE, "scenario", ScenarioError)


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a scenario.

    Parsed files are cached by path and modification time (a sweep builds
    thousands of models from one file); a :class:`Scenario` is immutable, so
    sharing it is safe.

    Args:
        name_or_path: A bundled scenario name or a path to a ``.toml`` file.

    Returns:
        The validated scenario, with every parameter's value.

    Raises:
        ScenarioError: On any unknown key, wrong type or value out of range,
            naming the file and the field.
    """
    path = scenario_path(name_or_path)
    return _load_file(str(path.resolve()), path.stat().st_mtime_ns, ())


@functools.lru_cache(maxsize=64)
def _load_file(resolved: str, mtime_ns: int, _seen: tuple[str, ...]) -> Scenario:
    """Parse and validate one file (``mtime_ns`` is part of the cache key only)."""
    path = Path(resolved)
    where = path.name if is_bundled(path, _SCENARIO_PACKAGE) else str(path)
    data = read_toml(path, where, "scenario", ScenarioError)

    base_values: dict[str, Value] = defaults()
    sources: dict[str, str] = {}
    extends = data.get("extends")
    if extends is not None:
        if not isinstance(extends, str):
            raise ScenarioError(f"{where}: extends: expected a scenario name, got {extends!r}")
        # a relative path is read from the extending file's folder, as a reader would expect
        relative = extends.endswith(".toml") and not Path(extends).is_absolute()
        try:
            base_path = scenario_path(path.parent / extends if relative else extends)
        except ScenarioError as exc:
            raise ScenarioError(f"{where}: extends: {exc}") from None
        if str(base_path.resolve()) in (*_seen, resolved):
            raise ScenarioError(f"{where}: extends: a cycle through {extends!r}")
        if len(_seen) + 1 >= MAX_EXTENDS:
            raise ScenarioError(f"{where}: extends: a chain of more than {MAX_EXTENDS} files")
        base = _load_file(str(base_path.resolve()), base_path.stat().st_mtime_ns, (*_seen, resolved))
        base_values = dict(base.values)
        sources = dict(base.sources)

    name = data.get("name", path.stem)
    description = data.get("description", "")
    for key, text in (("name", name), ("description", description)):
        if not isinstance(text, str):
            raise ScenarioError(f"{where}: {key}: expected a string, got {text!r}")

    values = dict(base_values)
    for table_name, table in _tables(data, where):
        known = _BY_TABLE.get(table_name)
        if known is None:
            raise ScenarioError(f"{where}: unknown table [{table_name}]: expected one of {', '.join(_allowed_tables())}")
        for key, raw in table.items():
            param = known.get(key)
            if param is None:
                raise ScenarioError(f"{where}: [{table_name}] {key}: unknown key; allowed: {', '.join(sorted(known))}")
            value, source = _value_and_source(raw, where, table_name, key)
            try:
                values[param.name] = param.validate(value)
            except ParameterError as exc:
                raise ScenarioError(f"{where}: [{table_name}] {key}: {str(exc).split(': ', 1)[1]}") from None
            if source is not None:
                sources[param.name] = source
            else:
                sources.pop(param.name, None)
    checked = _check_consistency(values, where)
    return Scenario(name, description, MappingProxyType(checked), MappingProxyType(sources), str(path))


def _allowed_tables() -> list[str]:
    return sorted({t.split(".")[0] for t in _BY_TABLE})


def _tables(data: Mapping[str, Any], where: str) -> list[tuple[str, Mapping[str, Any]]]:
    """Flatten the file into (table name, table) pairs, rejecting stray keys."""
    out: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in data.items():
        if key in _TOP_LEVEL:
            continue
        if not isinstance(value, dict):
            raise ScenarioError(f"{where}: {key}: unknown top-level key; allowed: {', '.join(sorted(_TOP_LEVEL))} and tables")
        if key in ("issues", "third_parties"):
            flat_keys = _BY_TABLE.get(key, {})
            flat = {k: v for k, v in value.items() if k in flat_keys}
            if flat:
                out.append((key, flat))
            for sub, table in value.items():
                if sub in flat_keys:
                    continue
                if not isinstance(table, dict):
                    raise ScenarioError(f"{where}: [{key}] {sub}: expected a table [{key}.NAME]")
                out.append((f"{key}.{sub}", table))
        else:
            out.append((key, value))
    return out


def _value_and_source(raw: object, where: str, table: str, key: str) -> tuple[object, str | None]:
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "source"}
        if "value" not in raw or extra:
            raise ScenarioError(f"{where}: [{table}] {key}: expected a value or {{ value = ..., source = \"...\" }}, got {raw!r}")
        source = raw.get("source")
        if source is not None and not isinstance(source, str):
            raise ScenarioError(f"{where}: [{table}] {key}: source: expected a string, got {source!r}")
        return raw["value"], source
    return raw, None
