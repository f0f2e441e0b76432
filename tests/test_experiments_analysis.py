"""Analysis of saved runs: Wilson intervals, Kaplan-Meier, summaries (hand-computed cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiments.analysis import kaplan_meier, km_quantile, outcome_values, summarise, wilson_interval


def test_wilson_hand_computed() -> None:
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(0.23659, abs=1e-5) and hi == pytest.approx(0.76341, abs=1e-5)
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(1.959964**2 / (10 + 1.959964**2), rel=1e-6)
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(10 / (10 + 1.959964**2), rel=1e-6)
    lo, hi = wilson_interval(0, 0)
    assert np.isnan(lo) and np.isnan(hi)


@given(st.integers(1, 500), st.data())
def test_wilson_contains_the_estimate(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_kaplan_meier_hand_computed() -> None:
    t, s = kaplan_meier([1, 2, 2, 3, 4], [True, True, False, True, False])
    assert t.tolist() == [1, 2, 3]
    assert s == pytest.approx([0.8, 0.6, 0.3])
    assert km_quantile(t, s, 0.25) == 2
    assert km_quantile(t, s, 0.5) == 3
    assert np.isnan(km_quantile(t, s, 0.75))


def test_kaplan_meier_without_censoring_is_the_empirical_survival() -> None:
    rng = np.random.default_rng(3)
    times = rng.integers(1, 30, size=200)
    t, s = kaplan_meier(times, np.ones(200, dtype=bool))
    empirical = [(times > u).mean() for u in t]
    assert s == pytest.approx(empirical)


def test_kaplan_meier_with_no_event() -> None:
    t, s = kaplan_meier([5, 6], [False, False])
    assert t.size == 0 and s.size == 0
    with pytest.raises(ValueError, match="differ in length"):
        kaplan_meier([1, 2], [True])


def _runs() -> pd.DataFrame:
    rows = [
        # point 0: two settlements (rounds 3 and 5), a Russian victory, a frozen ceasefire from round 10
        (0, "settlement", None, 3, 3, None, 0.4),
        (0, "settlement", None, 5, 5, None, 0.6),
        (0, "victory", "russia", 20, None, None, None),
        (0, "ceasefire", None, 30, 10, None, 0.5),
        # point 1: war to the horizon, a ceasefire that broke down at 12 then war, a failed run
        (1, "war", None, 30, None, None, None),
        (1, "war", None, 30, 4, 12, None),
        (1, None, None, None, None, None, None),
    ]
    frame = pd.DataFrame(rows, columns=["point_id", "kind", "winner", "rounds", "first_ceasefire_round",
                                        "first_breakdown_round", "term_crimea"])
    frame["run_id"] = range(len(frame))
    frame["max_rounds"] = 30
    frame["breakdowns"] = [0, 0, 0, 0, 0, 1, None]
    frame["cost_russia"] = 1.0
    frame["cost_ukraine"] = 2.0
    frame["error"] = [None] * 6 + ["RuntimeError: boom"]
    frame["momentum"] = [0.0] * 4 + [0.01] * 3
    return frame


def test_outcome_values() -> None:
    runs = _runs()
    assert outcome_values(runs, "negotiated").tolist()[:6] == [1, 1, 0, 1, 0, 0]
    assert outcome_values(runs, "time_to_ceasefire").tolist()[:6] == [3, 5, 30, 10, 30, 4]
    assert outcome_values(runs, "victory_russia").tolist()[:6] == [0, 0, 1, 0, 0, 0]
    assert np.isnan(outcome_values(runs, "negotiated").iloc[6])


def test_summary_hand_computed() -> None:
    table = summarise(_runs(), outcomes=["time_to_ceasefire"]).set_index("point_id")
    first, second = table.loc[0], table.loc[1]
    assert first["n"] == 4 and first["errors"] == 0 and second["n"] == 2 and second["errors"] == 1
    assert first["p_settlement"] == 0.5 and first["p_ceasefire"] == 0.25 and first["p_victory_russia"] == 0.25
    assert first["p_negotiated"] == 0.75 and second["p_war"] == 1.0
    assert first["p_any_ceasefire"] == 0.75 and second["p_any_ceasefire"] == 0.5
    # first ceasefire times 3, 5, 10 and one censored at 30: the KM quartiles are 3, 5, 10
    assert (first["ceasefire_round_q25"], first["ceasefire_round_median"], first["ceasefire_round_q75"]) == (3, 5, 10)
    assert second["ceasefire_round_median"] == 4 and np.isnan(second["ceasefire_round_q75"])
    assert first["mean_term_crimea"] == pytest.approx(0.5)  # negotiated ends only
    assert first["mean_time_to_ceasefire"] == pytest.approx((3 + 5 + 30 + 10) / 4)
    assert first["momentum"] == 0.0 and second["momentum"] == 0.01
    lo, hi = wilson_interval(3, 4)
    assert first["p_negotiated_lo"] == pytest.approx(lo) and first["p_negotiated_hi"] == pytest.approx(hi)
    lo, hi = wilson_interval(1, 2)
    assert second["p_any_ceasefire_lo"] == pytest.approx(lo) and second["p_any_ceasefire_hi"] == pytest.approx(hi)


def test_every_probability_has_a_wilson_interval() -> None:
    table = summarise(_runs())
    shares = [c for c in table.columns if c.startswith("p_") and not c.endswith(("_lo", "_hi"))]
    assert "p_any_ceasefire" in shares
    for column in shares:
        assert {f"{column}_lo", f"{column}_hi"} <= set(table.columns), column
        assert (table[f"{column}_lo"] <= table[column]).all() and (table[column] <= table[f"{column}_hi"]).all()


def test_noise_share_hand_computed() -> None:
    from experiments.analysis import noise_share

    points = pd.Series([0] * 4 + [1] * 4 + [2] * 4)
    values = pd.Series([0.0, 0.0, 1.0, 1.0] + [1.0] * 4 + [0.0] * 4)
    # point variances 1/3, 0, 0 over 4 replicates: noise (1/12) / 3 = 1/36; means 0.5, 1, 0: variance 1/6
    assert noise_share(values, points) == pytest.approx((1 / 36) / (1 / 6))
    # noise larger than the spread of the means is all noise; one replicate a point cannot say
    assert noise_share(pd.Series([0.0, 1.0, 1.0, 1.0]), pd.Series([0, 0, 1, 1])) == 1.0
    assert noise_share(pd.Series([0.0, 1.0]), pd.Series([0, 1])) == 0.0
