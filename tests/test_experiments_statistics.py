"""The estimators shared by the summaries and the figures: Wilson, Kaplan-Meier, censored times, noise (hand-computed cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiments.statistics import (
    ceasefire_durations,
    ceasefire_times,
    kaplan_meier,
    km_quantile,
    noise_share,
    wilson_interval,
)


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


def test_km_quantile_hand_computed() -> None:
    # S = 0.5 after 2, 0.25 after 5: half have had the event by 2, three quarters by 5, never 90%
    t, s = np.array([2.0, 5.0]), np.array([0.5, 0.25])
    assert km_quantile(t, s, 0.5) == 2.0 and km_quantile(t, s, 0.75) == 5.0 and km_quantile(t, s, 0.25) == 2.0
    assert np.isnan(km_quantile(t, s, 0.9))
    assert np.isnan(km_quantile(np.zeros(0), np.ones(0), 0.5))  # no event: never


def _ceasefire_runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            # a ceasefire at 3 that broke at 7; one at 10 held to the end (30); none (war to 30); none (victory at 12)
            "first_ceasefire_round": [3, 10, None, None],
            "first_breakdown_round": [7, None, None, None],
            "rounds": [30, 30, 30, 12],
            "max_rounds": [30, 30, 30, 30],
        },
        dtype="Int64",
    )


def test_ceasefire_times_are_censored_at_the_horizon() -> None:
    times, events = ceasefire_times(_ceasefire_runs())
    assert times.tolist() == [3.0, 10.0, 30.0, 30.0]  # the victory at 12 is censored at the horizon, not at 12
    assert events.tolist() == [True, True, False, False]
    t, s = kaplan_meier(times, events)
    assert t.tolist() == [3.0, 10.0] and s == pytest.approx([0.75, 0.5])


def test_ceasefire_durations_follow_the_first_ceasefire() -> None:
    durations, broke = ceasefire_durations(_ceasefire_runs())
    assert durations.tolist() == [4.0, 20.0]  # 7 - 3 broke; 30 - 10 censored at the run's end
    assert broke.tolist() == [True, False]
    empty = _ceasefire_runs().iloc[2:]
    assert ceasefire_durations(empty)[0].size == 0


def test_noise_share_hand_computed() -> None:
    points = pd.Series([0] * 4 + [1] * 4 + [2] * 4)
    values = pd.Series([0.0, 0.0, 1.0, 1.0] + [1.0] * 4 + [0.0] * 4)
    # point variances 1/3, 0, 0 over 4 replicates: noise (1/12) / 3 = 1/36; means 0.5, 1, 0: variance 1/6
    assert noise_share(values, points) == pytest.approx((1 / 36) / (1 / 6))
    # noise larger than the spread of the means is all noise; one replicate a point cannot say
    assert noise_share(pd.Series([0.0, 1.0, 1.0, 1.0]), pd.Series([0, 0, 1, 1])) == 1.0
    assert noise_share(pd.Series([0.0, 1.0]), pd.Series([0, 1])) == 0.0
