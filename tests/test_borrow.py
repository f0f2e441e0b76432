"""Arrays without reference counts: views lent by :mod:`model.engine.borrow`, kernels compiled without the counts (``jit.owns_arrays``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from model.engine import jit
from model.engine.borrow import borrowed, held
from model.engine.jit import kernel, owns_arrays

needs_numba = pytest.mark.skipif(not jit.compiled_available(), reason="the compiled form needs numba")


@owns_arrays  # it allocates
def _write_through(owner: np.ndarray, value: float) -> float:
    """Write ``value`` through a borrowed view of a fresh array and of ``owner``; return the fresh array's element."""
    fresh = np.zeros(3)
    lent, lent_owner = borrowed((fresh, owner))
    lent[1] = value
    lent_owner[0, 2] = value + 1.0
    row = lent_owner[1]  # a view of a lent view: still the owner's memory
    row[0] = value + 2.0
    result = fresh[1]
    held((fresh, owner))
    return result


@kernel
def _nested(a: np.ndarray, b: np.ndarray, x: float) -> tuple:
    """``borrowed`` of a nested tuple with a number in it, summed back."""
    (lent_a, (lent_b, y)), flag = borrowed(((a, (b, x)), True))
    total = lent_a.sum() + lent_b.sum() + y + (1.0 if flag else 0.0)
    shape = (lent_a.shape[0], lent_b.shape[0], lent_b.shape[1])
    held((a, b))
    return total, shape


@needs_numba
def test_a_lent_view_reads_and_writes_the_owners_memory():
    owner = np.zeros((2, 3))
    assert jit.compiled(_write_through)(owner, 4.0) == 4.0
    assert owner[0, 2] == 5.0
    assert owner[1, 0] == 6.0


@needs_numba
def test_nested_tuples_keep_their_shape_and_numbers_pass_through():
    a, b = np.arange(4.0), np.ones((2, 5))
    total, shape = jit.compiled(_nested)(a, b, 0.5)
    assert total == 6.0 + 10.0 + 0.5 + 1.0
    assert shape == (4, 2, 5)


@needs_numba
def test_only_arrays_numbers_and_tuples_of_them_can_be_lent():
    from numba.core.errors import TypingError

    @kernel
    def lend_a_list(values: list) -> None:
        borrowed(values)

    with pytest.raises(TypingError):
        jit.compiled(lend_a_list)([1.0, 2.0])


def test_interpreted_borrowed_is_the_identity_and_held_does_nothing():
    arrays = (np.zeros(2), ([1.0], 3))
    assert jit.interpreted(borrowed)(arrays) is arrays
    assert jit.interpreted(held)(arrays) is None


_COUNT_ALLOCATIONS = """
import json
from numba.core.runtime import rtsys
from model import load_scenario
from model.engine.inputs import pack
from model.engine.run import outcome_array
inputs = pack(dict(load_scenario("italian_plan_2022").values, rearmament_spread=0.5))
outcome_array(inputs, 0)
before = rtsys.get_allocation_stats()
for seed in range(1, 201):
    outcome_array(inputs, seed)
after = rtsys.get_allocation_stats()
print(json.dumps({field: getattr(after, field) - getattr(before, field) for field in ("alloc", "free", "mi_alloc", "mi_free")}))
"""


@needs_numba
def test_compiled_runs_free_every_array_they_allocate():
    """200 compiled runs (a drawn rate of rearmament among them: the inputs copied) leave nothing allocated."""
    env = dict(os.environ, NUMBA_NRT_STATS="1")  # numba counts allocations only when asked at start-up
    completed = subprocess.run([sys.executable, "-c", _COUNT_ALLOCATIONS], capture_output=True, text=True, env=env, check=True)
    counts = json.loads(completed.stdout.strip().splitlines()[-1])
    assert counts["alloc"] > 200  # every run allocates its state: the counts are real
    assert counts["alloc"] == counts["free"]
    assert counts["mi_alloc"] == counts["mi_free"]


def _holds_array(numba_type: object) -> bool:
    from numba.core import types

    if isinstance(numba_type, types.Array):
        return True
    return isinstance(numba_type, types.BaseTuple) and any(_holds_array(t) for t in numba_type.types)


def _called(dispatcher: object) -> list:
    """The compiled kernels a compiled kernel calls, through the leaves inlined into it."""
    from numba.core.registry import CPUDispatcher

    found, pending, seen = [], [dispatcher], set()
    while pending:
        function = pending.pop().py_func  # type: ignore[attr-defined]
        for name in function.__code__.co_names:
            callee = function.__globals__.get(name)
            if isinstance(callee, CPUDispatcher) and id(callee) not in seen:
                seen.add(id(callee))
                (pending if callee.targetoptions.get("inline") == "always" else found).append(callee)
    return found


@needs_numba
def test_kernels_compiled_without_reference_counts_return_no_arrays_and_are_handed_none():
    """Without the counts a returned array would be freed early or never: only kernels marked as owning arrays may."""
    from numba.core.registry import CPUDispatcher

    from model import load_scenario
    from model.engine.inputs import pack
    from model.engine.run import outcome_array

    # one run compiles every kernel a run can reach (numba compiles callees as it types the caller)
    outcome_array(pack(dict(load_scenario("italian_plan_2022").values, rearmament_spread=0.5)), 0)
    compiled = [d for d in jit._COMPILED.values() if isinstance(d, CPUDispatcher) and d.targetoptions.get("inline") != "always"]
    uncounted = [d for d in compiled if d.targetoptions.get("_nrt") is False]
    assert len(uncounted) > 10 and any(d.targetoptions.get("_nrt") for d in compiled)
    for dispatcher in uncounted:
        for signature in dispatcher.nopython_signatures:
            assert not _holds_array(signature.return_type), f"{dispatcher.py_func.__name__} returns arrays: mark it owns_arrays"
        for callee in _called(dispatcher):
            for signature in callee.nopython_signatures:
                assert not _holds_array(signature.return_type), (
                    f"{dispatcher.py_func.__name__} is handed the arrays {callee.py_func.__name__} returns: mark it owns_arrays"
                )
