"""One implementation: the schedule is written once, and every path and agent changes the state through the same kernels.

:mod:`model.engine.whole_run` is the schedule of a round, over the state of
:mod:`model.engine.state`; :mod:`model.engine.mechanics` holds the round's
mechanics. The runner plays the schedule compiled, the Mesa model plays it
interpreted, and the agents' own methods (for an agent made on its own, or a
what-if in a notebook) are the state's kernels. Outcomes must agree too
(``tests/test_engine_parity.py``); this checks the structure that makes them
agree by construction: a path or an agent that computed a mechanism in a
formula of its own would pass the parity test only until the two were changed
apart.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from model.engine import mechanics, state

ROOT = Path(__file__).resolve().parent.parent
SCHEDULE = ("model/engine/whole_run.py", "model/engine/state.py")
MESA_MODEL = "model/model.py"
KERNELS = sorted(
    name for name, value in vars(mechanics).items() if inspect.isfunction(value) and value.__module__ == mechanics.__name__
)
STATE_KERNELS = sorted(name for name, value in vars(state).items() if inspect.isfunction(value) and value.__module__ == state.__name__)

# each method that changes an agent's rows of the state, and the state's kernel it must be
METHODS = {
    ("model/agents.py", "Belligerent", "observe"): "observe",
    ("model/agents.py", "Belligerent", "see_shift"): "see_shift",
    ("model/agents.py", "Belligerent", "hear"): "hear",
    ("model/agents.py", "Belligerent", "clear_support"): "clear_support",
    ("model/agents.py", "Belligerent", "receive"): "receive",
    ("model/agents.py", "Belligerent", "hear_push"): "push",
    ("model/agents.py", "ThirdParty", "act"): "deliver",
    ("model/agents.py", "Mediator", "observe"): "observe",
    ("model/agents.py", "Mediator", "see_shift"): "see_shift",
    ("model/agents.py", "Mediator", "share_information"): "tell",
    ("model/battlefield.py", "Battlefield", "prime"): "prime",
    ("model/battlefield.py", "Battlefield", "ship"): "ship",
    ("model/battlefield.py", "Battlefield", "balance"): "balance",
    ("model/battlefield.py", "Battlefield", "drift"): "drift",
    ("model/battlefield.py", "Battlefield", "engage"): "engage",
    ("model/battlefield.py", "Battlefield", "operate"): "operate",
    ("model/battlefield.py", "Battlefield", "nudge"): "nudge",
    ("model/battlefield.py", "Battlefield", "winner"): "winner_at",
}


def _names_in(tree: ast.AST) -> set[str]:
    """Every name and attribute the code refers to."""
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
    return used


def _names_used(files: tuple[str, ...]) -> set[str]:
    return set().union(*(_names_in(ast.parse((ROOT / file).read_text())) for file in files))


def _reached(files: tuple[str, ...]) -> set[str]:
    """The mechanics kernels the modules call, and those they call in turn."""
    calls = {name: _names_in(ast.parse(inspect.getsource(getattr(mechanics, name)))) & set(KERNELS) for name in KERNELS}
    reached = {k for k in KERNELS if k in _names_used(files)}
    while True:
        more = set().union(*(calls[k] for k in reached)) - reached
        if not more:
            return reached
        reached |= more


def _method(file: str, cls: str, name: str) -> ast.FunctionDef:
    tree = ast.parse((ROOT / file).read_text())
    klass = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == cls)
    return next(node for node in klass.body if isinstance(node, ast.FunctionDef) and node.name == name)


def test_the_modules_hold_the_kernels() -> None:
    assert len(KERNELS) >= 20
    assert set(KERNELS) <= set(mechanics.__all__)
    assert set(METHODS.values()) <= set(STATE_KERNELS)


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_schedule_calls_the_kernel(kernel: str) -> None:
    assert kernel in _reached(SCHEDULE), f"the schedule does not call {kernel}"


def test_the_mesa_model_plays_the_engines_rounds_and_no_schedule_of_its_own() -> None:
    tree = ast.parse((ROOT / MESA_MODEL).read_text())
    assert {"begin", "play_round", "finish"} <= _names_in(tree)
    # what moves a round on: the state's changes, the round's draws and the sides' decisions (its scores may value terms)
    transitions = set(STATE_KERNELS) - {"new_state", "new_scratch", "belief_mean", "balance", "winner_at"}
    transitions |= {"violation", "confidence_after", "trend_shift", "cells_won", "nudged", "beta_update", "heard_mean"}
    transitions |= {"accepts", "keeps", "defects"}
    called = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} | _names_bound(tree)
    own = called & transitions
    assert not own, f"model/model.py moves the round on itself: {sorted(own)}"


def _names_bound(tree: ast.AST) -> set[str]:
    """The kernels a module binds as ``_NAME = for_single_runs(module.name)``, by their names."""
    return {
        node.value.args[0].attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and node.value.args
        and isinstance(node.value.args[0], ast.Attribute)
    }


@pytest.mark.parametrize(("where", "kernel"), list(METHODS.items()), ids=[".".join(k[1:]) for k in METHODS])
def test_an_agents_change_of_its_rows_is_the_state_kernel(where: tuple[str, str, str], kernel: str) -> None:
    # the agents bind the interpreted kernels as _NAME (model.engine.jit.for_single_runs)
    used = _names_in(_method(*where))
    assert f"_{kernel.upper()}" in used, f"{where[1]}.{where[2]} does not call model.engine.state.{kernel}"
