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
    "final_front": 0.17,
    "final_balance": 0.4667425250087802,
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
    "cost_ukraine": 0.33802816901408456,
}
ITALIAN_7_ROUNDS = {
    1: {
        "front": 0.195,
        "balance": 0.5487876230124317,
        "belief_russia": 0.6574520524266707,
        "belief_ukraine": 0.35831558994876067,
        "war_value_russia": 0.5478703069114363,
        "war_value_ukraine": 0.763224107668616,
        "proposal_value_russia": 0.4714314925425468,
        "proposal_value_ukraine": 0.6453255259815429,
        "cost_russia": 0.012,
        "cost_ukraine": 0.011267605633802818,
        "confidence": 0.0,
    },
    10: {
        "front": 0.2,
        "balance": 0.5465580811848358,
        "belief_russia": 0.6165150221704923,
        "belief_ukraine": 0.4489899565628133,
        "war_value_russia": 0.5187018631840183,
        "war_value_ukraine": 0.603174559273584,
        "proposal_value_russia": 0.48295469152479564,
        "proposal_value_ukraine": 0.5674273876143612,
        "cost_russia": 0.11999999999999998,
        "cost_ukraine": 0.11267605633802817,
        "confidence": 0.0,
    },
    20: {
        "front": 0.18,
        "balance": 0.46923227169137827,
        "belief_russia": 0.4875676388790325,
        "belief_ukraine": 0.3947568805555405,
        "war_value_russia": 0.42288598832125146,
        "war_value_ukraine": 0.730511687549686,
        "proposal_value_russia": 0.4359653932870564,
        "proposal_value_ukraine": 0.6346539931212767,
        "cost_russia": 0.24000000000000007,
        "cost_ukraine": 0.22535211267605645,
        "confidence": 0.0,
    },
    30: {
        "front": 0.17,
        "balance": 0.4667425250087802,
        "belief_russia": 0.45969828606692287,
        "belief_ukraine": 0.4059694880562079,
        "war_value_russia": 0.3548813287811631,
        "war_value_ukraine": 0.723538885952309,
        "proposal_value_russia": 0.4214903913863059,
        "proposal_value_ukraine": 0.6330448141468007,
        "cost_russia": 0.36000000000000015,
        "cost_ukraine": 0.33802816901408456,
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
    "step_reached": 2,
    "first_ceasefire_round": 24,
    "breakdowns": 0,
    "violations_detected": 1,
    "final_front": 0.22,
    "final_balance": 0.5041932497531462,
    "term_ceasefire_line": 0.78,
    "term_demilitarised_zone": 0.19118864562183782,
    "term_monitors": 1.0,
    "term_alignment": 0.0,
    "term_eu_membership": 1.0,
    "term_security_guarantees": 0.9548234260800539,
    "term_crimea": None,
    "term_donbas": None,
    "term_withdrawal": None,
    "term_arms_control": None,
    "term_sanctions": None,
    "cost_russia": 0.30719999999999975,
    "cost_ukraine": 0.2884507042253524,
}
ITALIAN_1_ROUNDS = {
    1: {
        "front": 0.195,
        "balance": 0.5487876230124317,
        "belief_russia": 0.6574520524266707,
        "belief_ukraine": 0.35831558994876067,
        "war_value_russia": 0.5478703069114363,
        "war_value_ukraine": 0.763224107668616,
        "proposal_value_russia": 0.4714314925425468,
        "proposal_value_ukraine": 0.6453255259815429,
        "cost_russia": 0.012,
        "cost_ukraine": 0.011267605633802818,
        "confidence": 0.0,
    },
    29: {
        "front": 0.22,
        "balance": 0.4794549225687068,
        "belief_russia": 0.540913317179947,
        "belief_ukraine": 0.48842004782096227,
        "war_value_russia": 0.479164002476312,
        "war_value_ukraine": 0.5073648165353661,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.294,
        "cost_ukraine": 0.2760563380281692,
        "confidence": 0.25,
    },
    30: {
        "front": 0.22,
        "balance": 0.48170152391169524,
        "belief_russia": 0.5422146787041495,
        "belief_ukraine": 0.4921908917426938,
        "war_value_russia": 0.4797614573483905,
        "war_value_ukraine": 0.502213221034703,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.29519999999999996,
        "cost_ukraine": 0.2771830985915495,
        "confidence": 0.3,
    },
    31: {
        "front": 0.22,
        "balance": 0.4839488653404273,
        "belief_russia": 0.5435439532251614,
        "belief_ukraine": 0.49585646081639384,
        "war_value_russia": 0.4803744702772093,
        "war_value_ukraine": 0.49771651788375115,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.29639999999999994,
        "cost_ukraine": 0.2783098591549298,
        "confidence": 0.35,
    },
    40: {
        "front": 0.22,
        "balance": 0.5041932497531462,
        "belief_russia": 0.5566192071058305,
        "belief_ukraine": 0.5251258820434804,
        "war_value_russia": 0.4866371168709008,
        "war_value_ukraine": 0.4744172711108751,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.30719999999999975,
        "cost_ukraine": 0.2884507042253524,
        "confidence": 0.2,
    },
}
ITALIAN_1_CEASEFIRE = "........................CCCCCCCCCCCCCCCCC"
ITALIAN_1_STEPS = "00000000000000000000000011111111111222222"
ITALIAN_1_RANGE = "........................R..........R....."
ITALIAN_40_OUTCOME = {
    "kind": "ceasefire",
    "winner": None,
    "rounds": 104,
    "step_reached": 1,
    "first_ceasefire_round": 42,
    "breakdowns": 1,
    "violations_detected": 11,
    "final_front": 0.215,
    "final_balance": 0.5993538146525913,
    "term_ceasefire_line": 0.785,
    "term_demilitarised_zone": 0.0,
    "term_monitors": 0.0,
    "term_alignment": None,
    "term_eu_membership": None,
    "term_security_guarantees": None,
    "term_crimea": None,
    "term_donbas": None,
    "term_withdrawal": None,
    "term_arms_control": None,
    "term_sanctions": None,
    "cost_russia": 0.589199999999999,
    "cost_ukraine": 0.5532394366197166,
}
ITALIAN_40_ROUNDS = {
    41: {
        "front": 0.195,
        "balance": 0.4640057204722005,
        "belief_russia": 0.4809755500258597,
        "belief_ukraine": 0.4526449330717805,
        "war_value_russia": 0.4202022848353215,
        "war_value_ukraine": 0.5993466052291729,
        "proposal_value_russia": 0.43804746916318577,
        "proposal_value_ukraine": 0.5875928426020022,
        "cost_russia": 0.49200000000000027,
        "cost_ukraine": 0.4619718309859154,
        "confidence": 0.0,
    },
    42: {
        "front": 0.2,
        "balance": 0.46375702503269695,
        "belief_russia": 0.4861133047259162,
        "belief_ukraine": 0.459303586258571,
        "war_value_russia": 0.4315960361375676,
        "war_value_ukraine": 0.5789949647140342,
        "proposal_value_russia": 0.44047662564728085,
        "proposal_value_ukraine": 0.5816617444602564,
        "cost_russia": 0.5040000000000002,
        "cost_ukraine": 0.4732394366197182,
        "confidence": 0.0,
    },
    43: {
        "front": 0.2,
        "balance": 0.46599591823843156,
        "belief_russia": 0.48779051888460423,
        "belief_ukraine": 0.46210178620032333,
        "war_value_russia": 0.43415402525984415,
        "war_value_ukraine": 0.5724468354062611,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.5052000000000002,
        "cost_ukraine": 0.47436619718309847,
        "confidence": 0.05,
    },
    94: {
        "front": 0.21,
        "balance": 0.5800000000000001,
        "belief_russia": 0.5871869268016235,
        "belief_ukraine": 0.583365126284161,
        "war_value_russia": 0.5014679302460027,
        "war_value_ukraine": 0.44235049708312857,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.5663999999999991,
        "cost_ukraine": 0.5318309859154917,
        "confidence": 0.24999999999999994,
    },
    95: {
        "front": 0.21,
        "balance": 0.5821908078304292,
        "belief_russia": 0.5892560869213066,
        "belief_ukraine": 0.5855638741377537,
        "war_value_russia": 0.5027672981271336,
        "war_value_ukraine": 0.44088357912812143,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.5675999999999991,
        "cost_ukraine": 0.532957746478872,
        "confidence": 0.0,
    },
    104: {
        "front": 0.215,
        "balance": 0.5993538146525913,
        "belief_russia": 0.6103657703979665,
        "belief_ukraine": 0.6078934451493164,
        "war_value_russia": 0.5182517627324396,
        "war_value_ukraine": 0.4238226244262563,
        "proposal_value_russia": NAN,
        "proposal_value_ukraine": NAN,
        "cost_russia": 0.589199999999999,
        "cost_ukraine": 0.5532394366197166,
        "confidence": 0.39999999999999997,
    },
}
ITALIAN_40_CEASEFIRE = "..........................................CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.CCCCCCCCC"
ITALIAN_40_STEPS = "000000000000000000000000000000000000000000111111111111111111111111111111111111111111111111111110111111111"
ITALIAN_40_RANGE = "..........................................R.....................................................R........"

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

GENERATE = [
    ("ITALIAN_7", 7, 30, [1, 10, 20, 30]),
    ("ITALIAN_1", 1, 40, [1, 29, 30, 31, 40]),
    # a ceasefire, violations, a breakdown and the war again: the paths the other two never reach
    ("ITALIAN_40", 40, 104, [41, 42, 43, 94, 95, 104]),
]

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
    "italian_plan_2022, rng 40, 104 rounds (ceasefire, violations, breakdown, ceasefire)": (
        40,
        104,
        ITALIAN_40_OUTCOME,
        ITALIAN_40_ROUNDS,
        ITALIAN_40_CEASEFIRE,
        ITALIAN_40_STEPS,
        ITALIAN_40_RANGE,
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
    for name, seed, rounds, pick in GENERATE:
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
