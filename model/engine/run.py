"""One run through the compiled path: a scenario's values and a seed in, the outcome record out.

The streams are the Mesa model's: a run's generator is
``numpy.random.default_rng(seed)`` (Mesa's ``Model(rng=seed)``), from which
the battle's and the ceasefire's streams are spawned, in that order, and a
third for the run's rate of rearmament where it is drawn
(:meth:`model.WarTerminationModel._draw_rearmament`). The whole run spawns
them from the seed's words itself (:mod:`model.engine.streams`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.engine import jit
from model.engine import layout as L
from model.engine.codes import FORMS_BY_CODE, RUSSIA
from model.engine.inputs import Inputs, pack
from model.engine.streams import entropy
from model.engine.whole_run import simulate
from model.issues import ISSUES, TERRITORY_ISSUES
from model.outcome import Outcome, OutcomeKind, Side
from model.parameters import Value

__all__ = ["EngineRun", "decode", "outcome_array", "run_inputs", "run_values"]

_KINDS = {
    L.KIND_SETTLEMENT: OutcomeKind.SETTLEMENT,
    L.KIND_CEASEFIRE: OutcomeKind.CEASEFIRE,
    L.KIND_VICTORY: OutcomeKind.VICTORY,
    L.KIND_WAR: OutcomeKind.WAR,
}
_NO_TRACE = np.zeros((0, L.N_TRACE))


@dataclass(frozen=True)
class EngineRun:
    """A finished run of the compiled path.

    Attributes:
        outcome: The outcome record, as the Mesa model's ``run()`` returns it.
        first_breakdown_round: The round of the first ceasefire breakdown, if any.
        trace: The per-round record (``layout.TRACE_COLUMNS``, row = round), if asked for.
    """

    outcome: Outcome
    first_breakdown_round: int | None
    trace: np.ndarray | None


def run_inputs(inputs: Inputs, seed: int, *, record: bool = False, compiled: bool = True) -> EngineRun:
    """Run a scenario's packed inputs (:func:`model.engine.inputs.pack`) with ``seed``.

    Args:
        inputs: ``pack(values)``, built once for every run of a design point.
        seed: The run's seed (the Mesa model's ``rng``).
        record: Keep the per-round record.
        compiled: Run the compiled kernels (``False``: the same kernels interpreted).

    Returns:
        The finished run.
    """
    trace = np.full((int(inputs.scalars[L.MAX_ROUNDS]) + 1, L.N_TRACE), np.nan) if record else None
    out = outcome_array(inputs, seed, trace, compiled=compiled)
    return EngineRun(decode(out), _round_or_none(out[L.OUT_FIRST_BREAKDOWN]), trace)


def outcome_array(inputs: Inputs, seed: int, trace: np.ndarray | None = None, *, compiled: bool = True) -> np.ndarray:
    """The raw outcome record (``layout.OUT_*``) of a run: what the runner stores, column by column.

    Args:
        inputs: ``pack(values)``.
        seed: The run's seed (a non-negative integer, as for ``numpy.random.default_rng``).
        trace: ``[max_rounds + 1, layout.N_TRACE]`` to fill with the per-round record, or ``None``.
        compiled: Run the compiled kernels (``False``: the same kernels interpreted).
    """
    seed_words, rows = entropy(seed), _NO_TRACE if trace is None else trace
    plain = jit.interpreted(simulate)
    run = jit.compiled(simulate) if compiled else plain  # compiled() gives the plain one where numba cannot run
    if run is not plain:
        return run(*inputs, seed_words, rows)
    # interpreted, the kernels read lists of Python numbers, faster than NumPy's (the same floats)
    return run(*(array.tolist() for array in inputs), seed_words, rows)


def run_values(values: Mapping[str, Value], seed: int, *, record: bool = False, compiled: bool = True) -> EngineRun:
    """Run a validated scenario's values (``Scenario.values``) with ``seed`` through the compiled path."""
    return run_inputs(pack(values), seed, record=record, compiled=compiled)


def decode(out: np.ndarray) -> Outcome:
    """The outcome record of the kernels' outcome array (``layout.OUT_*``)."""
    kind = _KINDS[int(out[L.OUT_KIND])]
    winner_code = int(out[L.OUT_WINNER])
    winner = None if winner_code < 0 else (Side.RUSSIA if winner_code == RUSSIA else Side.UKRAINE)
    terms: dict[str, float | None] = {}
    for j, issue in enumerate(ISSUES):
        x = float(out[L.OUT_TERMS + j])
        terms[issue] = None if math.isnan(x) else x
    forms: dict[str, str | None] = {}
    for t, issue in enumerate(TERRITORY_ISSUES):
        code = int(out[L.OUT_FORM_CRIMEA + t])
        forms[issue] = FORMS_BY_CODE[code].value if code in FORMS_BY_CODE else None
    return Outcome(
        kind=kind,
        winner=winner,
        rounds=int(out[L.OUT_ROUNDS]),
        step_reached=int(out[L.OUT_STEP_REACHED]),
        first_ceasefire_round=_round_or_none(out[L.OUT_FIRST_CEASEFIRE]),
        breakdowns=int(out[L.OUT_BREAKDOWNS]),
        violations_detected=int(out[L.OUT_VIOLATIONS]),
        terms=terms,
        forms=forms,
        costs={Side.RUSSIA.value: float(out[L.OUT_COST_RUSSIA]), Side.UKRAINE.value: float(out[L.OUT_COST_UKRAINE])},
        final_front=float(out[L.OUT_FINAL_FRONT]),
        final_balance=float(out[L.OUT_FINAL_BALANCE]),
    )


def _round_or_none(x: float) -> int | None:
    return None if x < 0 else int(x)
