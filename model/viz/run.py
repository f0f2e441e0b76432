"""The run the browser page shows: a scenario, a seed and overrides, validated before any model exists.

``war-termination viz`` validates the run here and hands it to the server
process in environment variables; :mod:`model.app` reads them back with
:func:`run_from_environment`. Nothing here imports Solara or Mesa's
visualization, so the command line checks its input quickly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from model.commandline import replay_command
from model.parameters import Value
from model.scenario import DEFAULT_SCENARIO, ScenarioError, load_scenario

ENV_SCENARIO = "WAR_TERMINATION_SCENARIO"
ENV_SEED = "WAR_TERMINATION_SEED"
ENV_SET = "WAR_TERMINATION_SET"


def parse_seed(value: object) -> int:
    """Convert a seed from the page's text box, the environment or code to an int.

    Not :func:`model.commandline.non_negative_int`: the page shows the error
    under its text box (a :class:`~model.scenario.ScenarioError`, not an
    argparse error), takes an int as well as text, and accepts ASCII digits
    only (``int()`` also takes other scripts' digits, ``_`` and spaces).

    Args:
        value: An int or its text.

    Returns:
        The seed, a non-negative integer.

    Raises:
        ScenarioError: If the value is not a non-negative integer.
    """
    text = str(value).strip()
    # ASCII digits only: str.isdigit() also accepts superscripts such as "²", which int() rejects
    if isinstance(value, bool) or not (text.isascii() and text.isdecimal()):
        raise ScenarioError(f"seed: expected a non-negative integer, got {_short(value)}")
    try:
        return int(text)
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits())
        raise ScenarioError(f"seed: expected a non-negative integer of at most a few thousand digits, got {_short(value)}") from None


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


@dataclass(frozen=True)
class RunSpec:
    """One run the page can show: a scenario, a seed and overrides (validated).

    Attributes:
        scenario: A bundled scenario name or a path to a ``.toml`` file.
        seed: The random seed.
        overrides: Parameter values that differ from the scenario's.
    """

    scenario: str
    seed: int
    overrides: Mapping[str, Value] = field(default_factory=dict)

    def command(self) -> str:
        """The command line that replays this run in the terminal (:func:`model.commandline.replay_command`)."""
        return replay_command(self.scenario, self.seed, self.overrides)


def resolve_run(scenario: str | Path = DEFAULT_SCENARIO, seed: object = 0, overrides: Mapping[str, object] | None = None) -> RunSpec:
    """Validate a run: the scenario loads, the seed is an integer, every override is allowed.

    Args:
        scenario: A bundled scenario name or a path to a ``.toml`` file.
        seed: The seed (an int or its text).
        overrides: Parameter names and values (typed, or text as given to ``--set``).

    Returns:
        The validated run, its overrides typed.

    Raises:
        ScenarioError: Naming what is wrong and what is allowed.
    """
    base = load_scenario(scenario)
    given = dict(overrides or {})
    checked = base.with_overrides(given, origin="--set")
    return RunSpec(str(scenario), parse_seed(seed), {name: checked.values[name] for name in given})


def run_from_environment(env: Mapping[str, str] | None = None) -> RunSpec:
    """The run named by ``WAR_TERMINATION_SCENARIO``, ``_SEED`` and ``_SET`` (defaults if unset).

    Args:
        env: The environment to read (``os.environ`` if ``None``).

    Returns:
        The validated run.

    Raises:
        ScenarioError: If a variable holds a value that is not allowed.
    """
    env = os.environ if env is None else env
    text = env.get(ENV_SET, "").strip()
    try:
        overrides = json.loads(text) if text else {}
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{ENV_SET}: expected a JSON object of parameter names and values: {exc}") from None
    if not isinstance(overrides, dict):
        raise ScenarioError(f"{ENV_SET}: expected a JSON object of parameter names and values, got {text!r}")
    return resolve_run(env.get(ENV_SCENARIO) or DEFAULT_SCENARIO, env.get(ENV_SEED) or 0, overrides)
