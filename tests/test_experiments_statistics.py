"""The estimators shared by the summaries and the figures: hand-computed cases, coverage and identities that can fail."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiments.statistics import (
    EndCause,
    ceasefire_durations,
    ceasefire_times,
    cumulative_incidence,
    end_events,
    incidence_at,
    kaplan_meier,
    km_median_interval,
    km_quantile,
    mean_interval,
    negotiated_end_summary,
    negotiated_end_times,
    noise_share,
    restricted_mean,
    restricted_times,
    wilson_interval,
)

Z = 1.959963984540054


# ----------------------------------------------------------------------
# Wilson
# ----------------------------------------------------------------------
def test_wilson_hand_computed() -> None:
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(0.23659, abs=1e-5) and hi == pytest.approx(0.76341, abs=1e-5)
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(Z**2 / (10 + Z**2), rel=1e-6)
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(10 / (10 + Z**2), rel=1e-6)
    lo, hi = wilson_interval(0, 0)
    assert np.isnan(lo) and np.isnan(hi)
    lo, hi = wilson_interval([3, 0], [4, 0])  # arrays, with an empty cell
    assert lo[0] == pytest.approx(0.30064, abs=1e-5) and np.isnan(lo[1]) and np.isnan(hi[1])


@given(st.integers(1, 500), st.data())
def test_wilson_contains_the_estimate(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


@pytest.mark.parametrize("n", [20, 80])
def test_wilson_covers_the_truth_at_its_nominal_rate(n: int) -> None:
    # Brown, Cai and DasGupta (2001): Wilson's coverage swings about 95% with p, never far below it for p in
    # [0.1, 0.9]; 4000 simulated proportions a p give a Monte-Carlo standard error of 0.0034 on each coverage
    rng = np.random.default_rng(20220526)
    draws = 4000
    coverages = []
    for p in np.linspace(0.1, 0.9, 17):
        k = rng.binomial(n, p, size=draws)
        lo, hi = wilson_interval(k, np.full(draws, n))
        coverages.append(np.mean((lo <= p) & (p <= hi)))
    se = math.sqrt(0.95 * 0.05 / draws)
    assert abs(np.mean(coverages) - 0.95) < 4 * se / math.sqrt(len(coverages)) + 0.01  # mean over p: nominal
    assert min(coverages) > 0.92 - 4 * se  # and no p far below it
    # the check can fail: a 90% interval (or a normal one at n = 20) would not pass it
    k = rng.binomial(n, 0.5, size=draws)
    lo, hi = wilson_interval(k, np.full(draws, n), alpha=0.10)
    assert np.mean((lo <= 0.5) & (0.5 <= hi)) < 0.95 - 4 * se


def test_mean_interval_hand_computed() -> None:
    # mean 0.5, sd 0.1, t(0.975, 2 df) = 4.302653
    mean, lo, hi, n = mean_interval([0.4, 0.6, 0.5])
    assert (mean, n) == (pytest.approx(0.5), 3)
    assert lo == pytest.approx(0.5 - 4.302653 * 0.1 / math.sqrt(3), rel=1e-6)
    assert hi == pytest.approx(0.5 + 4.302653 * 0.1 / math.sqrt(3), rel=1e-6)
    mean, lo, hi, n = mean_interval([0.3, float("nan")])
    assert (mean, n) == (0.3, 1) and np.isnan(lo) and np.isnan(hi)
    assert mean_interval([])[3] == 0 and np.isnan(mean_interval([])[0])


# ----------------------------------------------------------------------
# Kaplan-Meier
# ----------------------------------------------------------------------
def test_kaplan_meier_hand_computed() -> None:
    fitter = kaplan_meier([1, 2, 2, 3, 4], [True, True, False, True, False])
    curve = fitter.survival_function_.iloc[:, 0]
    assert curve.loc[[1.0, 2.0, 3.0, 4.0]].tolist() == pytest.approx([0.8, 0.6, 0.3, 0.3])
    assert km_quantile(fitter, 0.25) == 2
    assert km_quantile(fitter, 0.5) == 3
    assert np.isnan(km_quantile(fitter, 0.75))  # not reached


def test_km_quantile_at_a_level_the_curve_meets_exactly() -> None:
    # S = 0.75, 0.5, 0.25 after 3, 5, 10: lifelines' exp(sum(log)) curve may miss 0.75 by a rounding error
    fitter = kaplan_meier([3, 5, 10, 30], [True, True, True, False])
    assert [km_quantile(fitter, q) for q in (0.25, 0.5, 0.75)] == [3.0, 5.0, 10.0]


def test_kaplan_meier_band_is_greenwood_on_the_log_log_scale() -> None:
    fitter = kaplan_meier([3, 5, 10, 30], [True, True, True, False])
    # at t = 3: S = 3/4, Greenwood var(log S) = 1 / (4 * 3); band S ** exp(+-z sd / |log S|)
    s = 0.75
    sd = math.sqrt(1 / 12) / abs(math.log(s))
    band = fitter.confidence_interval_survival_function_.loc[3.0]
    assert band.min() == pytest.approx(s ** math.exp(Z * sd), rel=1e-6)
    assert band.max() == pytest.approx(s ** math.exp(-Z * sd), rel=1e-6)
    # the median's interval: the lower band is under 1/2 from t = 3; the upper band never falls to 1/2
    lo, hi = km_median_interval(fitter)
    assert lo == 3.0 and np.isnan(hi)


def test_kaplan_meier_without_censoring_is_the_empirical_survival() -> None:
    rng = np.random.default_rng(3)
    times = rng.integers(1, 30, size=200)
    curve = kaplan_meier(times, np.ones(200, dtype=bool)).survival_function_.iloc[:, 0]
    empirical = [(times > u).mean() for u in curve.index]
    assert curve.to_numpy() == pytest.approx(empirical)


def test_kaplan_meier_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        kaplan_meier([1, 2], [True])
    with pytest.raises(ValueError, match="no subjects"):
        kaplan_meier([], [])


def test_restricted_mean_hand_computed() -> None:
    # S = 1, 0.8, 0.6, 0.3 on [0,1), [1,2), [2,3), [3,4]: RMST(4) = 2.7; Greenwood: A = 1.7, 0.9, 0.3 at the events
    fitter = kaplan_meier([1, 2, 2, 3, 4], [True, True, False, True, False])
    rmst, se = restricted_mean(fitter, 4.0)
    assert rmst == pytest.approx(2.7)
    assert se == pytest.approx(math.sqrt(1.7**2 / (5 * 4) + 0.9**2 / (4 * 3) + 0.3**2 / (2 * 1)))
    # restricted inside the curve, and past its last time (S stays where it ended)
    assert restricted_mean(fitter, 2.5)[0] == pytest.approx(1 + 0.8 + 0.5 * 0.6)
    assert restricted_mean(fitter, 10.0)[0] == pytest.approx(2.7 + 6 * 0.3)


def test_restricted_mean_without_censoring_is_the_mean_of_the_restricted_times() -> None:
    rng = np.random.default_rng(5)
    times = rng.integers(1, 40, size=60).astype(float)
    rmst, se = restricted_mean(kaplan_meier(times, np.ones(60, dtype=bool)), 30.0)
    restricted = np.minimum(times, 30.0)
    assert rmst == pytest.approx(restricted.mean())
    assert se == pytest.approx(restricted.std() / math.sqrt(60))  # Greenwood's variance is the plug-in one here


# ----------------------------------------------------------------------
# Competing ends
# ----------------------------------------------------------------------
_TIED = (
    np.array([3, 3, 5, 5, 5, 10, 12, 30, 30, 30], dtype=float),
    np.array([1, 2, 1, 1, 2, 1, 2, 0, 0, 0]),
)


def test_aalen_johansen_hand_computed_with_ties_across_causes() -> None:
    # n = 10. Round 3: one of each, F1 = F2 = 0.1, S = 0.8. Round 5: n = 8, two and one: F1 = 0.3, F2 = 0.2, S = 0.5.
    # Round 10: n = 5, F1 = 0.4, S = 0.4. Round 12: n = 4, F2 = 0.3, S = 0.3. Three censored at 30.
    times, causes = _TIED
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no jitter, and so no warning about it
        first = cumulative_incidence(times, causes, 1)
        second = cumulative_incidence(times, causes, 2)
    rounds = [0, 2, 3, 4, 5, 10, 12, 30]
    assert incidence_at(first, rounds) == pytest.approx([0, 0, 0.1, 0.1, 0.3, 0.4, 0.4, 0.4])
    assert incidence_at(second, rounds) == pytest.approx([0, 0, 0.1, 0.1, 0.2, 0.2, 0.3, 0.3])
    survival = kaplan_meier(times, causes > 0).survival_function_.iloc[:, 0]
    assert incidence_at(first, [30])[0] + incidence_at(second, [30])[0] + survival.loc[30.0] == pytest.approx(1.0)
    band = first.confidence_interval_.loc[10.0]
    assert band.min() < 0.4 < band.max()


def _runs(rows: list[tuple]) -> pd.DataFrame:
    columns = ["kind", "winner", "rounds", "first_ceasefire_round", "max_rounds"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["first_ceasefire_round"] = frame["first_ceasefire_round"].astype("Int64")
    frame["kind"] = frame["kind"].astype("string")
    frame["winner"] = frame["winner"].astype("string")
    return frame


def test_end_events_hand_computed() -> None:
    runs = _runs(
        [
            ("settlement", None, 3, None, 30),  # a package settles at once, with no ceasefire
            ("settlement", None, 20, 10, 30),  # a ceasefire at 10, settled at 20: the first end is at 10
            ("victory", "russia", 40, 4, 60),  # a ceasefire at 4 broke down; Russia won later: still an end at 4
            ("victory", "ukraine", 12, None, 30),  # won before any negotiated end
            ("war", None, 30, None, 30),  # nothing by the horizon: censored
            ("victory", "russia", 7, None, 30),
        ]
    )
    times, causes = end_events(runs)
    assert times.tolist() == [3, 10, 4, 12, 30, 7]
    assert causes.tolist() == [1, 1, 1, EndCause.VICTORY_UKRAINE, EndCause.CENSORED, EndCause.VICTORY_RUSSIA]
    km_times, events = negotiated_end_times(runs)
    assert km_times.tolist() == [3, 10, 4, 30, 30, 30]  # the victories are held to their horizon: they never negotiate
    assert events.tolist() == [True, True, True, False, False, False]
    assert restricted_times(runs, 30.0).tolist() == [3, 10, 4, 30, 30, 30]


def test_kaplan_meier_of_the_negotiated_end_is_its_aalen_johansen_incidence() -> None:
    # with censoring only at the horizon, 1 - KM (victories held in the risk set) is the competing-risks incidence
    rng = np.random.default_rng(11)
    n, horizon = 300, 52
    kind = rng.choice(["settlement", "ceasefire", "victory", "war"], size=n, p=[0.2, 0.3, 0.3, 0.2])
    rounds = np.where(kind == "war", horizon, rng.integers(1, horizon + 1, size=n))
    first = np.where(kind == "ceasefire", rounds, np.where(kind == "settlement", np.nan, np.nan))
    rounds = np.where(kind == "ceasefire", horizon, rounds)  # a ceasefire that holds to the horizon
    winner = np.where(kind == "victory", rng.choice(["russia", "ukraine"], size=n), None)
    runs = _runs([(k, w, r, None if np.isnan(f) else int(f), horizon) for k, w, r, f in zip(kind, winner, rounds, first)])
    fitter = kaplan_meier(*negotiated_end_times(runs))
    times, causes = end_events(runs)
    incidence = cumulative_incidence(times, causes, EndCause.NEGOTIATED)
    grid = np.arange(0, horizon + 1)
    km = 1.0 - fitter.survival_function_at_times(grid).to_numpy()
    assert km == pytest.approx(incidence_at(incidence, grid))
    # and censoring the victories at their round instead overstates it
    censored_at_victory = kaplan_meier(times, causes == EndCause.NEGOTIATED)
    assert 1.0 - censored_at_victory.survival_function_at_times([horizon]).iloc[0] > km[-1] + 0.05


def test_negotiated_end_summary_hand_computed() -> None:
    runs = _runs([("settlement", None, 3, None, 30), ("ceasefire", None, 30, 5, 30), ("ceasefire", None, 30, 10, 30),
                  ("victory", "russia", 8, None, 30)])
    summary = negotiated_end_summary(runs, 30.0)
    # ends at 3, 5, 10 and a victory held to 30: S = 0.75, 0.5, 0.25; RMST = 3 + 2 * 0.75 + 5 * 0.5 + 20 * 0.25 = 12
    assert (summary["negotiated_end_round_q25"], summary["negotiated_end_round_median"]) == (3.0, 5.0)
    assert summary["negotiated_end_round_q75"] == 10.0
    assert summary["rmst_negotiated_end"] == pytest.approx(12.0)
    assert 0.0 <= summary["rmst_negotiated_end_lo"] < 12.0 < summary["rmst_negotiated_end_hi"] <= 30.0
    assert summary["negotiated_end_round_median_lo"] <= 5.0
    assert all(np.isnan(v) for v in negotiated_end_summary(runs.iloc[:0], 30.0).values())


# ----------------------------------------------------------------------
# Ceasefire times and durations
# ----------------------------------------------------------------------
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
    curve = kaplan_meier(times, events).survival_function_.iloc[:, 0]
    assert curve.loc[[3.0, 10.0]].tolist() == pytest.approx([0.75, 0.5])


def test_ceasefire_durations_follow_the_first_ceasefire() -> None:
    durations, broke = ceasefire_durations(_ceasefire_runs())
    assert durations.tolist() == [4.0, 20.0]  # 7 - 3 broke; 30 - 10 censored at the run's end
    assert broke.tolist() == [True, False]
    empty = _ceasefire_runs().iloc[2:]
    assert ceasefire_durations(empty)[0].size == 0


# ----------------------------------------------------------------------
# Replicate noise
# ----------------------------------------------------------------------
def test_noise_share_hand_computed() -> None:
    points = pd.Series([0] * 4 + [1] * 4 + [2] * 4)
    values = pd.Series([0.0, 0.0, 1.0, 1.0] + [1.0] * 4 + [0.0] * 4)
    # point variances 1/3, 0, 0 over 4 replicates: noise (1/12) / 3 = 1/36; means 0.5, 1, 0: variance 1/6
    assert noise_share(values, points) == pytest.approx((1 / 36) / (1 / 6))
    # noise larger than the spread of the means is all noise; one replicate a point cannot say
    assert noise_share(pd.Series([0.0, 1.0, 1.0, 1.0]), pd.Series([0, 0, 1, 1])) == 1.0
    assert noise_share(pd.Series([0.0, 1.0]), pd.Series([0, 1])) == 0.0
