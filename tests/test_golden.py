"""Seeded golden runs: regressions in the model's numbers show up here.

The values were written from the model on the day the test was added. When a
change to the model is *meant* to change them, regenerate them with
``python tests/test_golden.py`` and say so in the commit.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from model import WarTerminationModel

NAN = math.nan

ITALIAN_7_OUTCOME = {
    "kind": "war",
    "winner": None,
    "rounds": 30,
    "step_reached": 0,
    "first_ceasefire_round": None,
    "breakdowns": 0,
    "violations_detected": 0,
    "final_front": 0.14,
    "final_balance": 0.46151959193554587,
    "term_ceasefire_line": None,
    "term_demilitarised_zone": None,
    "term_monitors": None,
    "term_alignment": None,
    "term_eu_membership": None,
    "term_security_guarantees": None,
    "term_crimea": None,
    "term_donbas": None,
    "term_withdrawal": None,
    "term_arms_control": None,
    "term_sanctions": None,
    "cost_russia": 0.36000000000000015,
    "cost_ukraine": 0.3221476510067112,
}
ITALIAN_7_ROUNDS = {
    1: {
        "front": 0.19,
        "balance": 0.543582466284171,
        "belief_russia": 0.5880184336971946,
        "belief_ukraine": 0.3906535116303404,
        "war_value_russia": 0.5638993333502935,
        "war_value_ukraine": 0.8362517952869439,
        "proposal_value_russia": 0.4396794500832699,
        "proposal_value_ukraine": 0.6911167980267299,
        "cost_russia": 0.012,
        "cost_ukraine": 0.010738255033557046,
        "confidence": 0.0,
    },
    10: {
        "front": 0.2,
        "balance": 0.5413487000670116,
        "belief_russia": 0.5677603951187451,
        "belief_ukraine": 0.48749650884193696,
        "war_value_russia": 0.5360335841012689,
        "war_value_ukraine": 0.6002347554896637,
        "proposal_value_russia": 0.47624720796173037,
        "proposal_value_ukraine": 0.5745322202582268,
        "cost_russia": 0.11999999999999998,
        "cost_ukraine": 0.10738255033557047,
        "confidence": 0.0,
    },
    20: {
        "front": 0.16,
        "balance": 0.4640057204722005,
        "belief_russia": 0.42377994097180854,
        "belief_ukraine": 0.3915296238369855,
        "war_value_russia": 0.16432539019796705,
        "war_value_ukraine": 0.8584554354192006,
        "proposal_value_russia": 0.3281882342254805,
        "proposal_value_ukraine": 0.7019406068985435,
        "cost_russia": 0.24000000000000007,
        "cost_ukraine": 0.21476510067114093,
        "confidence": 0.0,
    },
    30: {
        "front": 0.14,
        "balance": 0.46151959193554587,
        "belief_russia": 0.41119413747763156,
        "belief_ukraine": 0.3967390890255437,
        "war_value_russia": 0.1309033594258753,
        "war_value_ukraine": 0.869509690326216,
        "proposal_value_russia": 0.31939932088956957,
        "proposal_value_ukraine": 0.7086254873223139,
        "cost_russia": 0.36000000000000015,
        "cost_ukraine": 0.3221476510067112,
        "confidence": 0.0,
    },
}
ITALIAN_7_CEASEFIRE = "..............................."
ITALIAN_7_STEPS = "0000000000000000000000000000000"
ITALIAN_7_RANGE = "..............................."
ITALIAN_1_OUTCOME = {
    "kind": "ceasefire",
    "winner": None,
    "rounds": 40,
    "step_reached": 1,
    "first_ceasefire_round": 30,
    "breakdowns": 0,
    "violations_detected": 0,
    "final_front": 0.22,
    "final_balance": 0.4839488653404273,
    "term_ceasefire_line": 0.78,
    "term_demilitarised_zone": 0.5823149840396658,
    "term_monitors": 1.0,
    "term_alignment": None,
    "term_eu_membership": None,
    "term_security_guarantees": None,
    "term_crimea": None,
    "term_donbas": None,
    "term_withdrawal": None,
    "term_arms_control": None,
    "term_sanctions": None,
    "cost_russia": 0.37199999999999994,
    "cost_ukraine": 0.3328859060402684,
}
ITALIAN_1_ROUNDS = {
    1: {
        "front": 0.19,
        "balance": 0.543582466284171,
        "belief_russia": 0.5880184336971946,
        "belief_ukraine": 0.3906535116303404,
        "war_value_russia": 0.5638993333502935,
        "war_value_ukraine": 0.8362517952869439,
        "proposal_value_russia": 0.4396794500832699,
        "proposal_value_ukraine": 0.6911167980267299,
        "cost_russia": 0.012,
        "cost_ukraine": 0.010738255033557046,
        "confidence": 0.0,
    },
    29: {
        "front": 0.21,
        "balance": 0.46176812073652,
        "belief_russia": 0.4769764327434043,
        "belief_ukraine": 0.45670776717575196,
        "war_value_russia": 0.3359539149837311,
        "war_value_ukraine": 0.6938348040937261,
        "proposal_value_russia": 0.36185831558648385,
        "proposal_value_ukraine": 0.6667935106582787,
        "cost_russia": 0.34800000000000014,
        "cost_ukraine": 0.3114093959731542,
        "confidence": 0.0,
    },
    30: {
        "front": 0.22,
        "balance": 0.46151959193554587,
        "belief_russia": 0.4892054562045721,
        "belief_ukraine": 0.47037481016001587,
        "war_value_russia": 0.3831313602783064,
        "war_value_ukraine": 0.6410660944420766,
        "proposal_value_russia": 0.3842163410780599,
        "proposal_value_ukraine": 0.6436732822833919,
        "cost_russia": 0.36000000000000015,
        "cost_ukraine": 0.3221476510067112,
        "confidence": 0.0,
    },
    31: {
        "front": 0.22,
        "balance": 0.46375702503269695,
        "belief_russia": 0.4911255690216936,
        "belief_ukraine": 0.4731768899322062,
        "war_value_russia": 0.38908218522103927,
        "war_value_ukraine": 0.6315823867908813,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.36120000000000013,
        "cost_ukraine": 0.32322147651006694,
        "confidence": 0.05,
    },
    40: {
        "front": 0.22,
        "balance": 0.4839488653404273,
        "belief_russia": 0.5088271891231788,
        "belief_ukraine": 0.49698254001131653,
        "war_value_russia": 0.43868265023584685,
        "war_value_ukraine": 0.5491350469274563,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.37199999999999994,
        "cost_ukraine": 0.3328859060402684,
        "confidence": 0.49999999999999994,
    },
}
ITALIAN_1_CEASEFIRE = "..............................CCCCCCCCCCC"
ITALIAN_1_STEPS = "00000000000000000000000000000011111111111"
ITALIAN_1_RANGE = "..............................R.........."

COLUMNS = (
    "front",
    "balance",
    "belief_russia",
    "belief_ukraine",
    "war_value_russia",
    "war_value_ukraine",
    "proposal_value_russia",
    "proposal_value_ukraine",
    "cost_russia",
    "cost_ukraine",
    "confidence",
)

CASES = {
    "italian_plan_2022, rng 7, 30 rounds": (
        7,
        30,
        ITALIAN_7_OUTCOME,
        ITALIAN_7_ROUNDS,
        ITALIAN_7_CEASEFIRE,
        ITALIAN_7_STEPS,
        ITALIAN_7_RANGE,
    ),
    "italian_plan_2022, rng 1, 40 rounds": (
        1,
        40,
        ITALIAN_1_OUTCOME,
        ITALIAN_1_ROUNDS,
        ITALIAN_1_CEASEFIRE,
        ITALIAN_1_STEPS,
        ITALIAN_1_RANGE,
    ),
}


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    return bool(a == b)


@pytest.mark.parametrize("case", list(CASES))
def test_golden_run(case: str) -> None:
    seed, rounds, outcome, per_round, ceasefire, steps, ranges = CASES[case]
    model = WarTerminationModel(scenario="italian_plan_2022", rng=seed, max_rounds=rounds)
    got = model.run().to_dict()
    assert set(got) == set(outcome)
    for key, expected in outcome.items():
        assert same(got[key], expected), f"{key}: {got[key]!r} != {expected!r}"
    table = model.datacollector.get_model_vars_dataframe()
    for r, values in per_round.items():
        for column, expected in values.items():
            value = float(table.loc[r, column])
            assert same(value, expected), f"round {r} {column}: {value!r} != {expected!r}"
    assert "".join("C" if c else "." for c in table["ceasefire"]) == ceasefire
    assert "".join(str(int(x)) for x in table["steps_agreed"]) == steps
    assert "".join("R" if x else "." for x in table["bargaining_range"]) == ranges


if __name__ == "__main__":  # print fresh values to paste above
    for name, seed, rounds, pick in [("ITALIAN_7", 7, 30, [1, 10, 20, 30]), ("ITALIAN_1", 1, 40, [1, 29, 30, 31, 40])]:
        m = WarTerminationModel("italian_plan_2022", rng=seed, max_rounds=rounds)
        o = m.run()
        df = m.datacollector.get_model_vars_dataframe()
        print(f"{name}_OUTCOME = {o.to_dict()!r}")
        print(f"{name}_ROUNDS = {{")
        for r in pick:
            print(f"    {r}: {{" + ", ".join(f"{c!r}: {float(df.loc[r, c])!r}" for c in COLUMNS) + "},")
        print("}")
        print(f"{name}_CEASEFIRE = {''.join('C' if c else '.' for c in df.ceasefire)!r}")
        print(f"{name}_STEPS = {''.join(str(int(x)) for x in df.steps_agreed)!r}")
        print(f"{name}_RANGE = {''.join('R' if x else '.' for x in df.bargaining_range)!r}")
