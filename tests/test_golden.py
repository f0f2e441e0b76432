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

ITALIAN_7_OUTCOME = {"kind": "war",
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
 "form_crimea": None,
 "form_donbas": None,
 "cost_russia": 0.36000000000000015,
 "cost_ukraine": 0.33802816901408456}
ITALIAN_7_ROUNDS = {1: {"front": 0.195,
     "balance": 0.5487876230124317,
     "belief_russia": 0.6574467761770642,
     "belief_ukraine": 0.35830356701932936,
     "war_value_russia": 0.63083193446137,
     "war_value_ukraine": 0.7792094322727869,
     "proposal_value_russia": 0.5590682481202814,
     "proposal_value_ukraine": 0.6520502510515304,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 10: {"front": 0.2,
      "balance": 0.5465580811848358,
      "belief_russia": 0.6164426128401441,
      "belief_ukraine": 0.4488689221174267,
      "war_value_russia": 0.605958173868003,
      "war_value_ukraine": 0.6332993575076141,
      "proposal_value_russia": 0.5743956755164764,
      "proposal_value_ukraine": 0.5938278198657333,
      "cost_russia": 0.11999999999999998,
      "cost_ukraine": 0.11267605633802817,
      "confidence": 0.0},
 20: {"front": 0.18,
      "balance": 0.46923227169137827,
      "belief_russia": 0.48705478149663595,
      "belief_ukraine": 0.3936447502654937,
      "war_value_russia": 0.4971694491380103,
      "war_value_ukraine": 0.7517589067334944,
      "proposal_value_russia": 0.5258311002499059,
      "proposal_value_ukraine": 0.6368767648067162,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 30: {"front": 0.17,
      "balance": 0.4667425250087802,
      "belief_russia": 0.45902103380535236,
      "belief_ukraine": 0.4047585894784061,
      "war_value_russia": 0.4091413870861543,
      "war_value_ukraine": 0.7462713165057507,
      "proposal_value_russia": 0.5186270093486864,
      "proposal_value_ukraine": 0.6343652182096265,
      "cost_russia": 0.36000000000000015,
      "cost_ukraine": 0.33802816901408456,
      "confidence": 0.0}}
ITALIAN_7_CEASEFIRE = "..............................."
ITALIAN_7_STEPS = "0000000000000000000000000000000"
ITALIAN_7_RANGE = "..............................."
ITALIAN_5_OUTCOME = {"kind": "ceasefire",
 "winner": None,
 "rounds": 40,
 "step_reached": 2,
 "first_ceasefire_round": 20,
 "breakdowns": 0,
 "violations_detected": 0,
 "final_front": 0.25,
 "final_balance": 0.514189536939505,
 "term_ceasefire_line": 0.76,
 "term_demilitarised_zone": 0.0,
 "term_monitors": 0.4004599018163584,
 "term_alignment": 0.058602219507316894,
 "term_eu_membership": 0.875,
 "term_security_guarantees": 0.75,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "form_crimea": None,
 "form_donbas": None,
 "cost_russia": 0.2639999999999999,
 "cost_ukraine": 0.24788732394366228}
ITALIAN_5_ROUNDS = {1: {"front": 0.205,
     "balance": 0.5487876230124317,
     "belief_russia": 0.6705287901973879,
     "belief_ukraine": 0.37216965505656524,
     "war_value_russia": 0.6421683466989617,
     "war_value_ukraine": 0.7552560100038265,
     "proposal_value_russia": 0.5639462910609037,
     "proposal_value_ukraine": 0.6391906229910806,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 19: {"front": 0.245,
      "balance": 0.46948133268055875,
      "belief_russia": 0.5833735385066865,
      "belief_ukraine": 0.49753459793570226,
      "war_value_russia": 0.5979471651808189,
      "war_value_ukraine": 0.5322693097447486,
      "proposal_value_russia": 0.6050405662344497,
      "proposal_value_ukraine": 0.5306722281158722,
      "cost_russia": 0.22800000000000006,
      "cost_ukraine": 0.21408450704225362,
      "confidence": 0.0},
 20: {"front": 0.24,
      "balance": 0.46923227169137827,
      "belief_russia": 0.5751909781735949,
      "belief_ukraine": 0.4950289854722714,
      "war_value_russia": 0.5920291969111506,
      "war_value_ukraine": 0.5359056078874755,
      "proposal_value_russia": 0.6009470403468803,
      "proposal_value_ukraine": 0.5369436468140855,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 21: {"front": 0.24,
      "balance": 0.4714743575343643,
      "belief_russia": 0.5764513998573894,
      "belief_ukraine": 0.5007109044718695,
      "war_value_russia": 0.592733874645799,
      "war_value_ukraine": 0.5314352872695011,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.24120000000000008,
      "cost_ukraine": 0.22647887323943675,
      "confidence": 0.05},
 31: {"front": 0.245,
      "balance": 0.49394364428352444,
      "belief_russia": 0.5904356131637818,
      "belief_ukraine": 0.546661753438467,
      "war_value_russia": 0.602139945934655,
      "war_value_ukraine": 0.5058986035734677,
      "proposal_value_russia": 0.6039104193937579,
      "proposal_value_ukraine": 0.5763386239260421,
      "cost_russia": 0.2532000000000001,
      "cost_ukraine": 0.23774647887323966,
      "confidence": 0.0},
 40: {"front": 0.25,
      "balance": 0.514189536939505,
      "belief_russia": 0.604698988076273,
      "belief_ukraine": 0.5771267632950133,
      "war_value_russia": 0.612252206434091,
      "war_value_ukraine": 0.4852595750064421,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.2639999999999999,
      "cost_ukraine": 0.24788732394366228,
      "confidence": 0.44999999999999996}}
ITALIAN_5_CEASEFIRE = "....................CCCCCCCCCCCCCCCCCCCCC"
ITALIAN_5_STEPS = "00000000000000000000111111111112222222222"
ITALIAN_5_RANGE = "....................R..........R........."
ITALIAN_0_OUTCOME = {"kind": "ceasefire",
 "winner": None,
 "rounds": 104,
 "step_reached": 1,
 "first_ceasefire_round": 48,
 "breakdowns": 1,
 "violations_detected": 7,
 "final_front": 0.205,
 "final_balance": 0.5726749692953713,
 "term_ceasefire_line": 0.795,
 "term_demilitarised_zone": 0.0,
 "term_monitors": 0.13261271812050793,
 "term_alignment": None,
 "term_eu_membership": None,
 "term_security_guarantees": None,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "form_crimea": None,
 "form_donbas": None,
 "cost_russia": 0.7079999999999993,
 "cost_ukraine": 0.6647887323943636}
ITALIAN_0_ROUNDS = {47: {"front": 0.195,
      "balance": 0.4625138206759993,
      "belief_russia": 0.47817591411765725,
      "belief_ukraine": 0.45824975947673624,
      "war_value_russia": 0.4890177419595381,
      "war_value_ukraine": 0.6218778007932882,
      "proposal_value_russia": 0.5290423013679362,
      "proposal_value_ukraine": 0.6124939996711158,
      "cost_russia": 0.5640000000000003,
      "cost_ukraine": 0.5295774647887322,
      "confidence": 0.0},
 48: {"front": 0.2,
      "balance": 0.4622652352288737,
      "belief_russia": 0.48365153471160527,
      "belief_ukraine": 0.4650276698409687,
      "war_value_russia": 0.505189194660411,
      "war_value_ukraine": 0.6040010308473787,
      "proposal_value_russia": 0.5312704937402781,
      "proposal_value_ukraine": 0.6106336237867491,
      "cost_russia": 0.5760000000000003,
      "cost_ukraine": 0.540845070422535,
      "confidence": 0.0},
 49: {"front": 0.2,
      "balance": 0.46450316494037863,
      "belief_russia": 0.48567549120364,
      "belief_ukraine": 0.46805196196345805,
      "war_value_russia": 0.5093623925721429,
      "war_value_ukraine": 0.5978743806726616,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.5772000000000003,
      "cost_ukraine": 0.5419718309859153,
      "confidence": 0.05},
 97: {"front": 0.205,
      "balance": 0.5719406547007215,
      "belief_russia": 0.5872521285246018,
      "belief_ukraine": 0.5853672652079681,
      "war_value_russia": 0.5902652043383215,
      "war_value_ukraine": 0.495551188096905,
      "proposal_value_russia": 0.5750451943037427,
      "proposal_value_ukraine": 0.5972294455459976,
      "cost_russia": 0.6347999999999993,
      "cost_ukraine": 0.5960563380281666,
      "confidence": 0.65},
 98: {"front": 0.205,
      "balance": 0.5741426350100398,
      "belief_russia": 0.5893843011425985,
      "belief_ukraine": 0.5875723470171229,
      "war_value_russia": 0.5915015971778419,
      "war_value_ukraine": 0.4939510221197646,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.6359999999999992,
      "cost_ukraine": 0.5971830985915468,
      "confidence": 0.0},
 103: {"front": 0.21,
       "balance": 0.5729196698402129,
       "belief_russia": 0.588487026455765,
       "belief_ukraine": 0.5870684338478374,
       "war_value_russia": 0.5923682680446417,
       "war_value_ukraine": 0.4936841430868682,
       "proposal_value_russia": 0.600688309520664,
       "proposal_value_ukraine": 0.5005028168138784,
       "cost_russia": 0.6959999999999993,
       "cost_ukraine": 0.6535211267605608,
       "confidence": 0.0},
 104: {"front": 0.205,
       "balance": 0.5726749692953713,
       "belief_russia": 0.5814813613653864,
       "belief_ukraine": 0.5801213595145861,
       "war_value_russia": 0.5870614242695594,
       "war_value_ukraine": 0.5001084579237491,
       "proposal_value_russia": 0.5966676759987628,
       "proposal_value_ukraine": 0.5132527007317682,
       "cost_russia": 0.7079999999999993,
       "cost_ukraine": 0.6647887323943636,
       "confidence": 0.0}}
ITALIAN_0_CEASEFIRE = "................................................CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC......C"
ITALIAN_0_STEPS = "000000000000000000000000000000000000000000000000111111111111111111111111111111111111111111111111110000001"
ITALIAN_0_RANGE = "................................................R.......................................................R"


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
    # the first ceasefire after the counteroffensive and step 2 agreed
    ("ITALIAN_5", 5, 40, [1, 19, 20, 21, 31, 40]),
    # a ceasefire, violations, a breakdown, four weeks of renewed war and a new ceasefire
    ("ITALIAN_0", 0, 104, [47, 48, 49, 97, 98, 103, 104]),
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
    "italian_plan_2022, rng 5, 40 rounds (ceasefire, step 2)": (
        5,
        40,
        ITALIAN_5_OUTCOME,
        ITALIAN_5_ROUNDS,
        ITALIAN_5_CEASEFIRE,
        ITALIAN_5_STEPS,
        ITALIAN_5_RANGE,
    ),
    "italian_plan_2022, rng 0, 104 rounds (ceasefire, violations, breakdown, cooling-off, ceasefire)": (
        0,
        104,
        ITALIAN_0_OUTCOME,
        ITALIAN_0_ROUNDS,
        ITALIAN_0_CEASEFIRE,
        ITALIAN_0_STEPS,
        ITALIAN_0_RANGE,
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
