"""Analysis of saved runs: per-run outcomes and the summary table (hand-computed cases).

The estimators themselves are tested in ``test_experiments_statistics.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import ExperimentError
from experiments.analysis import outcome_values, point_response, summarise
from experiments.statistics import wilson_interval


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
    # the settlements at 3 and 5 came without a ceasefire: a negotiated end all the same; the victory never has one
    assert outcome_values(runs, "time_to_negotiated_end").tolist()[:6] == [3, 5, 30, 10, 30, 4]
    assert outcome_values(runs, "rmst_negotiated_end").tolist()[:6] == [3, 5, 30, 10, 30, 4]
    assert outcome_values(runs, "victory_russia").tolist()[:6] == [0, 0, 1, 0, 0, 0]
    assert np.isnan(outcome_values(runs, "negotiated").iloc[6])


def test_summary_hand_computed() -> None:
    table = summarise(_runs(), outcomes=["time_to_ceasefire", "time_to_negotiated_end"]).set_index("point_id")
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
    # first negotiated ends at 3 (settled), 5 (settled), 10 (ceasefire); the Russian victory never has one
    assert first["p_any_negotiated_end"] == 0.75 and second["p_any_negotiated_end"] == 0.5
    assert (first["negotiated_end_round_q25"], first["negotiated_end_round_median"]) == (3, 5)
    assert first["rmst_negotiated_end"] == pytest.approx((3 + 5 + 30 + 10) / 4)
    assert second["rmst_negotiated_end"] == pytest.approx((30 + 4) / 2) and np.isnan(second["negotiated_end_round_q75"])
    assert first["rmst_negotiated_end_lo"] < first["rmst_negotiated_end"] < first["rmst_negotiated_end_hi"]
    assert "mean_time_to_negotiated_end" not in table.columns  # a censored time is summarised by Kaplan-Meier, not a mean
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


def test_point_response_of_the_restricted_mean_is_the_kaplan_meier_area() -> None:
    runs = _runs()
    rmst = point_response(runs, "rmst_negotiated_end")
    assert rmst.tolist() == pytest.approx([(3 + 5 + 30 + 10) / 4, (30 + 4) / 2])  # every run followed to the horizon
    assert point_response(runs, "negotiated").tolist() == pytest.approx([0.75, 0.0])
    # a run censored early (stopped at 12, no end) counts as far as it was seen, not as the whole horizon
    early = runs.copy()
    early.loc[4, "rounds"] = 12
    assert point_response(early, "rmst_negotiated_end").loc[1] == pytest.approx(4 * 1.0 + 26 * 0.5)
    with pytest.raises(ExperimentError, match="censored time has no mean"):
        point_response(runs, "time_to_negotiated_end")


def test_a_design_of_many_points_leaves_its_per_point_timing_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_TIMING_POINTS the Kaplan-Meier columns are empty; the shares and means are computed as ever."""
    from experiments import analysis

    full = summarise(_runs())
    monkeypatch.setattr(analysis, "MAX_TIMING_POINTS", 1)
    many = summarise(_runs())
    timing = [c for c in full.columns if c.startswith(("ceasefire_round_", "negotiated_end_round_", "rmst_negotiated_end"))]
    assert timing and many[timing].isna().all().all() and full[timing].notna().any().any()
    rest = [c for c in full.columns if c not in timing]
    pd.testing.assert_frame_equal(many[rest], full[rest])
