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
 "cost_russia": 0.36000000000000015,
 "cost_ukraine": 0.33802816901408456}
ITALIAN_7_ROUNDS = {1: {"front": 0.195,
     "balance": 0.5487876230124317,
     "belief_russia": 0.6574467761770642,
     "belief_ukraine": 0.35830356701932936,
     "war_value_russia": 0.6352698690924068,
     "war_value_ukraine": 0.8024632857165926,
     "proposal_value_russia": 0.5636611738395265,
     "proposal_value_ukraine": 0.6955369458637286,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 10: {"front": 0.2,
      "balance": 0.5465580811848358,
      "belief_russia": 0.6164426128401441,
      "belief_ukraine": 0.4488689221174267,
      "war_value_russia": 0.6104642783377706,
      "war_value_ukraine": 0.6704663097768437,
      "proposal_value_russia": 0.5830276209691896,
      "proposal_value_ukraine": 0.6351381595869665,
      "cost_russia": 0.11999999999999998,
      "cost_ukraine": 0.11267605633802817,
      "confidence": 0.0},
 20: {"front": 0.18,
      "balance": 0.46923227169137827,
      "belief_russia": 0.48705478149663595,
      "belief_ukraine": 0.3936447502654937,
      "war_value_russia": 0.5041963705659421,
      "war_value_ukraine": 0.7764785058005857,
      "proposal_value_russia": 0.5303398594156568,
      "proposal_value_ukraine": 0.6795719579274562,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 30: {"front": 0.17,
      "balance": 0.4667425250087802,
      "belief_russia": 0.45902103380535236,
      "belief_ukraine": 0.4047585894784061,
      "war_value_russia": 0.42137693081487687,
      "war_value_ukraine": 0.7708179392155848,
      "proposal_value_russia": 0.5229988370005632,
      "proposal_value_ukraine": 0.6761260350514026,
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
 "term_monitors": 0.39736243346008926,
 "term_alignment": 0.058755907646581805,
 "term_eu_membership": 0.875,
 "term_security_guarantees": 0.75,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "cost_russia": 0.2639999999999999,
 "cost_ukraine": 0.24788732394366228}
ITALIAN_5_ROUNDS = {1: {"front": 0.205,
     "balance": 0.5487876230124317,
     "belief_russia": 0.6705287901973879,
     "belief_ukraine": 0.37216965505656524,
     "war_value_russia": 0.6465127670646242,
     "war_value_ukraine": 0.7809526412482437,
     "proposal_value_russia": 0.5685116638578636,
     "proposal_value_ukraine": 0.683820697852316,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 19: {"front": 0.245,
      "balance": 0.46948133268055875,
      "belief_russia": 0.5833735385066865,
      "belief_ukraine": 0.49753459793570226,
      "war_value_russia": 0.6024077869662493,
      "war_value_ukraine": 0.5766100818435278,
      "proposal_value_russia": 0.6095440580492798,
      "proposal_value_ukraine": 0.5751386634628735,
      "cost_russia": 0.22800000000000006,
      "cost_ukraine": 0.21408450704225362,
      "confidence": 0.0},
 20: {"front": 0.24,
      "balance": 0.46923227169137827,
      "belief_russia": 0.5751909781735949,
      "belief_ukraine": 0.4950289854722714,
      "war_value_russia": 0.5964967023961669,
      "war_value_ukraine": 0.579940891619278,
      "proposal_value_russia": 0.6054026379807074,
      "proposal_value_ukraine": 0.5814659630045944,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 21: {"front": 0.24,
      "balance": 0.4714743575343643,
      "belief_russia": 0.5764513998573894,
      "belief_ukraine": 0.5007109044718695,
      "war_value_russia": 0.5971968363734921,
      "war_value_ukraine": 0.5756883296553296,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.24120000000000008,
      "cost_ukraine": 0.22647887323943675,
      "confidence": 0.05},
 31: {"front": 0.245,
      "balance": 0.49394364428352444,
      "belief_russia": 0.5904356131637818,
      "belief_ukraine": 0.546661753438467,
      "war_value_russia": 0.6065446982883065,
      "war_value_ukraine": 0.5503951369631074,
      "proposal_value_russia": 0.6083882398360299,
      "proposal_value_ukraine": 0.6207914970293653,
      "cost_russia": 0.2532000000000001,
      "cost_ukraine": 0.23774647887323966,
      "confidence": 0.0},
 40: {"front": 0.25,
      "balance": 0.514189536939505,
      "belief_russia": 0.604698988076273,
      "belief_ukraine": 0.5771267632950133,
      "war_value_russia": 0.6165846576090707,
      "war_value_ukraine": 0.5300313610318852,
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
 "first_ceasefire_round": 37,
 "breakdowns": 1,
 "violations_detected": 9,
 "final_front": 0.21,
 "final_balance": 0.601752699473479,
 "term_ceasefire_line": 0.795,
 "term_demilitarised_zone": 0.0,
 "term_monitors": 0.25148366321647586,
 "term_alignment": None,
 "term_eu_membership": None,
 "term_security_guarantees": None,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "cost_russia": 0.5783999999999989,
 "cost_ukraine": 0.5430985915492954}
ITALIAN_0_ROUNDS = {36: {"front": 0.2,
      "balance": 0.4652494637784972,
      "belief_russia": 0.48991528587137856,
      "belief_ukraine": 0.45232798772698635,
      "war_value_russia": 0.5229426386078707,
      "war_value_ukraine": 0.663847048751437,
      "proposal_value_russia": 0.5363115934162542,
      "proposal_value_ukraine": 0.6530868411186319,
      "cost_russia": 0.4320000000000002,
      "cost_ukraine": 0.40563380281690137,
      "confidence": 0.0},
 37: {"front": 0.205,
      "balance": 0.465000680044365,
      "belief_russia": 0.49517560882728545,
      "belief_ukraine": 0.4600848542711249,
      "war_value_russia": 0.5338650730588935,
      "war_value_ukraine": 0.6455217541483482,
      "proposal_value_russia": 0.539573796706404,
      "proposal_value_ukraine": 0.6505561222564895,
      "cost_russia": 0.44400000000000023,
      "cost_ukraine": 0.41690140845070417,
      "confidence": 0.0},
 38: {"front": 0.205,
      "balance": 0.4672403458360818,
      "belief_russia": 0.49702851528219744,
      "belief_ukraine": 0.46385648082958175,
      "war_value_russia": 0.5364104666475116,
      "war_value_ukraine": 0.6384844397028137,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.4452000000000002,
      "cost_ukraine": 0.41802816901408446,
      "confidence": 0.05},
 82: {"front": 0.21,
      "balance": 0.5658093331999522,
      "belief_russia": 0.5857755121816048,
      "belief_ukraine": 0.5817968806350046,
      "war_value_russia": 0.5946828850108412,
      "war_value_ukraine": 0.5371527559956695,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.4979999999999993,
      "cost_ukraine": 0.4676056338028173,
      "confidence": 0.44999999999999996},
 83: {"front": 0.21,
      "balance": 0.5680190317004175,
      "belief_russia": 0.5878621108901206,
      "belief_ukraine": 0.5840435504038044,
      "war_value_russia": 0.5958820216977099,
      "war_value_ukraine": 0.5355822325503652,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.49919999999999926,
      "cost_ukraine": 0.46873239436619757,
      "confidence": 0.0},
 88: {"front": 0.205,
      "balance": 0.5667917498079912,
      "belief_russia": 0.575209114375643,
      "belief_ukraine": 0.5722179065715496,
      "war_value_russia": 0.587463530383117,
      "war_value_ukraine": 0.5447831449537915,
      "proposal_value_russia": 0.5978735693742943,
      "proposal_value_ukraine": 0.5629771558241662,
      "cost_russia": 0.5591999999999993,
      "cost_ukraine": 0.5250704225352116,
      "confidence": 0.0},
 104: {"front": 0.21,
       "balance": 0.601752699473479,
       "belief_russia": 0.6067365345748981,
       "belief_ukraine": 0.6049608027619466,
       "war_value_russia": 0.6071484485759046,
       "war_value_ukraine": 0.5198839765968916,
       "proposal_value_russia": NAN,
       "proposal_value_ukraine": NAN,
       "cost_russia": 0.5783999999999989,
       "cost_ukraine": 0.5430985915492954,
       "confidence": 0.1999999999999999}}
ITALIAN_0_CEASEFIRE = ".....................................CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.....CCCCCCCCCCCCCCCCC"
ITALIAN_0_STEPS = "000000000000000000000000000000000000011111111111111111111111111111111111111111111110000011111111111111111"
ITALIAN_0_RANGE = ".....................................R..................................................R................"


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
    ("ITALIAN_0", 0, 104, [36, 37, 38, 82, 83, 88, 104]),
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
