"""Invariants that hold for any valid overrides (Hypothesis).

Overrides are drawn from the ranges that ``describe_parameters()`` declares,
for a subset of the sweepable numeric parameters, and the protocol.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from model import ScenarioError, WarTerminationModel, describe_parameters
from model.parameters import PROTOCOL_NAMES, Parameter

SWEPT = (
    "initial_advantage",
    "momentum",
    "volatility",
    "initial_front",
    "shock_round",
    "shock_size",
    "aid_effect",
    "capacity_russia",
    "war_cost_russia",
    "war_cost_ukraine",
    "ceasefire_cost_share",
    "aid_relief",
    "discount_russia",
    "discount_ukraine",
    "prior_mean_russia",
    "prior_mean_ukraine",
    "prior_strength_russia",
    "prior_strength_ukraine",
    "belief_memory",
    "red_line_ukraine",
    "audience_cost_ukraine",
    "war_weariness_ukraine",
    "confidence_threshold",
    "confidence_gain",
    "confidence_loss",
    "unresolved_risk",
    "pressure_effect",
    "pressure_floor",
    "rearmament",
    "violation_rate_russia",
    "monitor_strength",
    "guarantee_effect",
    "interim_guarantee",
    "mediator_intelligence",
    "information_weight",
    "leverage_size",
    "guarantee_terms",
    "aid_scale",
    "aid_us",
    "stance_uk",
    "voice_uk",
    "guarantee_us",
    "salience_ukraine_crimea",
    "status_quo_donbas",
)
TABLE = {p.name: p for p in describe_parameters()}
MAX_ROUNDS = 25
UNIT_COLUMNS = ("front", "balance", "belief_russia", "belief_ukraine", "mediator_estimate", "confidence")


def _values(p: Parameter) -> st.SearchStrategy[Any]:
    assert p.low is not None and p.high is not None
    if p.kind is int:
        return st.integers(int(p.low), min(int(p.high), MAX_ROUNDS + 1))
    return st.floats(p.low, p.high, allow_nan=False)


def test_the_swept_parameters_are_numeric_and_declared() -> None:
    for name in SWEPT:
        assert TABLE[name].kind in (int, float), name


overrides = st.lists(st.sampled_from(SWEPT), unique=True, min_size=1, max_size=10).flatmap(
    lambda names: st.fixed_dictionaries({name: _values(TABLE[name]) for name in names})
)


def build(scenario: str, protocol: str, seed: int, drawn: dict[str, Any]) -> WarTerminationModel:
    try:
        model = WarTerminationModel(scenario=scenario, rng=seed, protocol=protocol, max_rounds=MAX_ROUNDS, **drawn)
    except ScenarioError:
        # only the cross-parameter rule can refuse values drawn inside their ranges (a front on an edge)
        assert "initial_front" in drawn or "volatility" in drawn
        assume(False)
        raise
    model.run()
    return model


@given(
    scenario=st.sampled_from(["italian_plan_2022", "theory_commitment", "theory_mutual_optimism"]),
    protocol=st.sampled_from(PROTOCOL_NAMES),
    seed=st.integers(0, 2**32 - 1),
    drawn=overrides,
)
def test_invariants_hold_for_any_valid_overrides(scenario: str, protocol: str, seed: int, drawn: dict[str, Any]) -> None:
    model = build(scenario, protocol, seed, drawn)
    table = model.datacollector.get_model_vars_dataframe()
    outcome = model.outcome
    assert outcome is not None
    assert len(table) == outcome.rounds + 1

    # shares, probabilities and confidence stay in [0, 1]
    for column in UNIT_COLUMNS:
        values = table[column].to_numpy(dtype=float)
        assert np.all((values >= 0.0) & (values <= 1.0)), column

    # cumulative costs never fall
    for side in ("russia", "ukraine"):
        costs = table[f"cost_{side}"].to_numpy(dtype=float)
        assert np.all(np.diff(costs) >= 0.0)
        assert outcome.costs[side] == costs[-1]

    # nothing is NaN but the value of a proposal when none is on the table
    outcome_columns = [c for c in table.columns if c.startswith("outcome_")]  # the outcome record, filled at the end
    numeric = table.drop(columns=["status", "proposal_value_russia", "proposal_value_ukraine", *outcome_columns]).to_numpy(dtype=float)
    assert np.all(np.isfinite(numeric))
    for side in ("russia", "ukraine"):
        values = table[f"proposal_value_{side}"].to_numpy(dtype=float)
        assert not np.any(np.isinf(values))
        if protocol == "none":
            assert np.all(np.isnan(values))

    # an agreed step was worth at least each side's reservation value in the round it was agreed, less at
    # most the push of its backers for talks (pressure_floor weeks of its war cost at full pressure)
    agreed = table["steps_agreed"].to_numpy()
    values = model.war_scenario.values
    for r in np.flatnonzero(np.diff(agreed) > 0) + 1:
        row = table.iloc[r]
        for side in ("russia", "ukraine"):
            value, reservation = float(row[f"proposal_value_{side}"]), float(row[f"reservation_{side}"])
            push = float(values["pressure_floor"]) * max(float(row[f"political_pressure_{side}"]), 0.0) * float(values[f"war_cost_{side}"])
            assert not math.isnan(value)
            assert value >= reservation - push - 1e-9, (r, side, value, reservation, push)
        assert bool(row["bargaining_range"])

    # the outcome agrees with the record
    assert table["status"].iloc[-1] == outcome.kind.value
    assert outcome.step_reached == max(int(table["steps_agreed"].max()), outcome.step_reached)
    if outcome.kind.value == "victory":
        assert outcome.winner is not None
    else:
        assert outcome.winner is None


# --------------------------------------------------------------------------
# The pure maths, over random inputs
# --------------------------------------------------------------------------

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def stakes(draw: st.DrawFn) -> tuple[list, list, list[int]]:
    from model.negotiation import IssueSide

    n = draw(st.integers(1, 3))
    russia, ukraine = [], []
    for _ in range(n):
        lo, hi = sorted((draw(unit), draw(unit)))
        russia.append(IssueSide(lo, draw(st.floats(0.05, 1.0))))
        red = draw(st.one_of(st.none(), unit))
        ukraine.append(IssueSide(hi, draw(st.floats(0.05, 1.0)), red, draw(st.floats(0.0, 2.0)) if red is not None else 0.0))
    return russia, ukraine, list(range(n))


@given(stakes(), st.floats(-0.5, 1.5), st.floats(-0.5, 1.5))
def test_nash_bargaining_solution_beats_a_grid_search_and_moves_with_the_weight(
    issue_stakes: tuple[list, list, list[int]], d_r: float, d_u: float
) -> None:
    from model import negotiation

    russia, ukraine, issues = issue_stakes
    frontier = negotiation.build_frontier(issues, russia, ukraine)
    start = [r.ideal for r in russia]
    base_r = sum(s.value(x, False) for s, x in zip(russia, start))
    base_u = sum(s.value(x, True) for s, x in zip(ukraine, start))
    bounds = negotiation.bargaining_range(frontier, base_r, base_u, d_r, d_u)
    gains = [negotiation.nash_bargaining_gain(frontier, base_r, base_u, d_r, d_u, w) for w in (0.0, 0.25, 0.5, 0.75, 1.0)]
    if bounds is None:
        assert all(g is None for g in gains)
        return
    low, high = bounds
    assert all(g is not None and low - 1e-9 <= g <= high + 1e-9 for g in gains)
    assert gains == sorted(gains, key=float)  # type: ignore[arg-type]
    assert gains[0] == pytest.approx(low) and gains[-1] == pytest.approx(high)
    # every point of the range satisfies both sides, on the terms it maps to
    for g in np.linspace(low, high, 7):
        terms = list(start)
        for j, x in negotiation.terms_for_gain(frontier, float(g)).items():
            terms[j] = x
        u_r = sum(s.value(x, False) for s, x in zip(russia, terms))
        u_u = sum(s.value(x, True) for s, x in zip(ukraine, terms))
        assert u_r >= d_r - 1e-7 and u_u >= d_u - 1e-7

    # the symmetric solution's Nash product is at least that of any grid point of the range
    def product(g: float) -> float:
        return (base_u + g - d_u) * (base_r - frontier.loss_at(g) - d_r)

    best = max(product(float(g)) for g in np.linspace(low, high, 201))
    assert gains[2] is not None and product(gains[2]) >= best - 1e-9


@given(
    p=st.floats(1e-6, 1 - 1e-6),
    cells=st.integers(2, 200),
    where=unit,
    discount=st.floats(0.5, 0.9999),
    base=st.floats(-1.0, 1.0),
    slope=st.floats(-1.0, 1.0),
    vu=st.floats(-1.0, 1.0),
    vr=st.floats(-1.0, 1.0),
)
def test_value_of_war_is_an_average_of_the_flows_it_can_bring(
    p: float, cells: int, where: float, discount: float, base: float, slope: float, vu: float, vr: float
) -> None:
    from model import maths

    k = min(max(1, round(where * cells)), cells - 1)
    value = maths.value_of_war(
        p=p, position=k, cells=cells, discount=discount, flow_base=base, flow_slope=slope, value_if_ukraine_wins=vu, value_if_russia_wins=vr
    )
    flows = [base, base + slope, vu, vr]
    assert min(flows) - 1e-7 <= value <= max(flows) + 1e-7
