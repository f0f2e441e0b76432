"""One implementation: every mechanism kernel is what both paths call, so no path keeps a copy of its own.

:mod:`model.engine.mechanics` holds the round's mechanics as kernels; the
Mesa model (its agents, battlefield and the model's schedule) calls each of
them interpreted, the whole run calls each of them compiled. Outcomes must
agree too (``tests/test_engine_parity.py``); this checks the structure that
makes them agree by construction: a mechanism one path computed in a formula
of its own would pass the parity test only until the two were changed apart.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from model.engine import mechanics

ROOT = Path(__file__).resolve().parent.parent
MESA_PATH = ("model/model.py", "model/agents.py", "model/battlefield.py", "model/maths.py")
COMPILED_PATH = ("model/engine/whole_run.py",)
KERNELS = sorted(
    name for name, value in vars(mechanics).items() if inspect.isfunction(value) and value.__module__ == mechanics.__name__
)


def _names_used(files: tuple[str, ...]) -> set[str]:
    """Every name and attribute the modules' code refers to."""
    used: set[str] = set()
    for file in files:
        tree = ast.parse((ROOT / file).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                used.add(node.id)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
    return used


def _reached(files: tuple[str, ...]) -> set[str]:
    """The kernels a path calls, and those they call in turn."""
    calls = {name: _names_used_in(inspect.getsource(getattr(mechanics, name))) & set(KERNELS) for name in KERNELS}
    used = _names_used(files)
    reached = {k for k in KERNELS if k in used or f"_{k.upper()}" in used}  # the Mesa path binds them as _NAME
    while True:
        more = set().union(*(calls[k] for k in reached)) - reached
        if not more:
            return reached
        reached |= more


def _names_used_in(source: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}


def test_the_mechanics_module_holds_the_kernels() -> None:
    assert len(KERNELS) >= 20
    assert set(KERNELS) <= set(mechanics.__all__)


@pytest.mark.parametrize("kernel", KERNELS)
def test_both_paths_call_the_kernel(kernel: str) -> None:
    assert kernel in _reached(COMPILED_PATH), f"the whole run does not call {kernel}"
    assert kernel in _reached(MESA_PATH), f"the Mesa model does not call {kernel}"
