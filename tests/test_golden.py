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
     "war_value_russia": 0.5478662847418703,
     "war_value_ukraine": 0.7632375950438929,
     "proposal_value_russia": 0.48069611252029587,
     "proposal_value_ukraine": 0.6203676614014758,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 10: {"front": 0.2,
      "balance": 0.5465580811848358,
      "belief_russia": 0.6164426128401441,
      "belief_ukraine": 0.4488689221174267,
      "war_value_russia": 0.5186500944512066,
      "war_value_ukraine": 0.6034559144572579,
      "proposal_value_russia": 0.4832255500964059,
      "proposal_value_ukraine": 0.5584572817944544,
      "cost_russia": 0.11999999999999998,
      "cost_ukraine": 0.11267605633802817,
      "confidence": 0.0},
 20: {"front": 0.18,
      "balance": 0.46923227169137827,
      "belief_russia": 0.48705478149663595,
      "belief_ukraine": 0.3936447502654937,
      "war_value_russia": 0.4219845430969781,
      "war_value_ukraine": 0.7321987772962729,
      "proposal_value_russia": 0.4438339718904626,
      "proposal_value_ukraine": 0.6014952933534771,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 30: {"front": 0.17,
      "balance": 0.4667425250087802,
      "belief_russia": 0.45902103380535236,
      "belief_ukraine": 0.4047585894784061,
      "war_value_russia": 0.35329948994362664,
      "war_value_ukraine": 0.7255596333081537,
      "proposal_value_russia": 0.4376058266693619,
      "proposal_value_ukraine": 0.5976587588034967,
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
 "first_ceasefire_round": 19,
 "breakdowns": 0,
 "violations_detected": 1,
 "final_front": 0.25,
 "final_balance": 0.5166871482970399,
 "term_ceasefire_line": 0.755,
 "term_demilitarised_zone": 0.0,
 "term_monitors": 0.4272206736498476,
 "term_alignment": 0.0,
 "term_eu_membership": 1.0,
 "term_security_guarantees": 0.9279176833435024,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "cost_russia": 0.25320000000000015,
 "cost_ukraine": 0.23774647887323974}
ITALIAN_5_ROUNDS = {1: {"front": 0.205,
     "balance": 0.5487876230124317,
     "belief_russia": 0.6705287901973879,
     "belief_ukraine": 0.37216965505656524,
     "war_value_russia": 0.5608322912473735,
     "war_value_ukraine": 0.7371725063554865,
     "proposal_value_russia": 0.48561480146306335,
     "proposal_value_ukraine": 0.6057841098543214,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 18: {"front": 0.24,
      "balance": 0.46973040887222084,
      "belief_russia": 0.5793827161362732,
      "belief_ukraine": 0.48714257988396503,
      "war_value_russia": 0.5038413306386924,
      "war_value_ukraine": 0.49988936267276646,
      "proposal_value_russia": 0.5129240126095114,
      "proposal_value_ukraine": 0.4984587350713277,
      "cost_russia": 0.21600000000000005,
      "cost_ukraine": 0.2028169014084508,
      "confidence": 0.0},
 19: {"front": 0.245,
      "balance": 0.46948133268055875,
      "belief_russia": 0.5833735385066865,
      "belief_ukraine": 0.49753459793570226,
      "war_value_russia": 0.5075385228055604,
      "war_value_ukraine": 0.48643010920950647,
      "proposal_value_russia": 0.51809681178178,
      "proposal_value_ukraine": 0.48646688559439943,
      "cost_russia": 0.22800000000000006,
      "cost_ukraine": 0.21408450704225362,
      "confidence": 0.0},
 20: {"front": 0.245,
      "balance": 0.47172355090972123,
      "belief_russia": 0.584777826399993,
      "belief_ukraine": 0.5039651347490867,
      "war_value_russia": 0.5084359967861535,
      "war_value_ukraine": 0.4809696235298421,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.22920000000000007,
      "cost_ukraine": 0.21521126760563392,
      "confidence": 0.05},
 35: {"front": 0.25,
      "balance": 0.5054431330271427,
      "belief_russia": 0.6081343482163316,
      "belief_ukraine": 0.5741861084004658,
      "war_value_russia": 0.5258763735971372,
      "war_value_ukraine": 0.4369071782546345,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.24720000000000017,
      "cost_ukraine": 0.23211267605633829,
      "confidence": 0.49999999999999994},
 40: {"front": 0.25,
      "balance": 0.5166871482970399,
      "belief_russia": 0.6166377667199407,
      "belief_ukraine": 0.5907615351253116,
      "war_value_russia": 0.5322295062266232,
      "war_value_ukraine": 0.4255818567463053,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.25320000000000015,
      "cost_ukraine": 0.23774647887323974,
      "confidence": 0.2}}
ITALIAN_5_CEASEFIRE = "...................CCCCCCCCCCCCCCCCCCCCCC"
ITALIAN_5_STEPS = "00000000000000000001111111111111111122222"
ITALIAN_5_RANGE = "...................R................R...."
ITALIAN_40_OUTCOME = {"kind": "ceasefire",
 "winner": None,
 "rounds": 104,
 "step_reached": 1,
 "first_ceasefire_round": 43,
 "breakdowns": 1,
 "violations_detected": 10,
 "final_front": 0.225,
 "final_balance": 0.5872899573637259,
 "term_ceasefire_line": 0.775,
 "term_demilitarised_zone": 0.0,
 "term_monitors": 0.1678129383745166,
 "term_alignment": None,
 "term_eu_membership": None,
 "term_security_guarantees": None,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "cost_russia": 0.6431999999999991,
 "cost_ukraine": 0.6039436619718289}
ITALIAN_40_ROUNDS = {42: {"front": 0.2,
      "balance": 0.46375702503269695,
      "belief_russia": 0.48655311619264396,
      "belief_ukraine": 0.46037076775541297,
      "war_value_russia": 0.4322769707973931,
      "war_value_ukraine": 0.5764930356237149,
      "proposal_value_russia": 0.4481176521666209,
      "proposal_value_ukraine": 0.5663666917393317,
      "cost_russia": 0.5040000000000002,
      "cost_ukraine": 0.4732394366197182,
      "confidence": 0.0},
 43: {"front": 0.205,
      "balance": 0.4635083476194638,
      "belief_russia": 0.49189756048287325,
      "belief_ukraine": 0.4674209230094477,
      "war_value_russia": 0.4421624868642112,
      "war_value_ukraine": 0.5561989617879948,
      "proposal_value_russia": 0.45002929279468784,
      "proposal_value_ukraine": 0.5637866915226202,
      "cost_russia": 0.5160000000000002,
      "cost_ukraine": 0.484507042253521,
      "confidence": 0.0},
 44: {"front": 0.205,
      "balance": 0.46574708299815815,
      "belief_russia": 0.493847399489328,
      "belief_ukraine": 0.47068076104256695,
      "war_value_russia": 0.44459060405063805,
      "war_value_ukraine": 0.5490323121897921,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.5172000000000002,
      "cost_ukraine": 0.48563380281690127,
      "confidence": 0.05},
 89: {"front": 0.22,
      "balance": 0.5665461945652323,
      "belief_russia": 0.5870328727373912,
      "belief_ukraine": 0.5842200702955546,
      "war_value_russia": 0.5037887998639539,
      "war_value_ukraine": 0.4388875782262233,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.5711999999999993,
      "cost_ukraine": 0.5363380281690125,
      "confidence": 0.0},
 90: {"front": 0.225,
      "balance": 0.5663006066387671,
      "belief_russia": 0.5915678410117444,
      "belief_ukraine": 0.5889801188935224,
      "war_value_russia": 0.5079263627850256,
      "war_value_ukraine": 0.43419579874997977,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.5831999999999993,
      "cost_ukraine": 0.5476056338028154,
      "confidence": 0.0},
 94: {"front": 0.225,
      "balance": 0.5653179304226473,
      "belief_russia": 0.5864785964279411,
      "belief_ukraine": 0.5844578581624056,
      "war_value_russia": 0.5046512159988108,
      "war_value_ukraine": 0.43727657347396404,
      "proposal_value_russia": 0.5186569500759827,
      "proposal_value_ukraine": 0.4608754055554458,
      "cost_russia": 0.6311999999999993,
      "cost_ukraine": 0.5926760563380266,
      "confidence": 0.0},
 104: {"front": 0.225,
       "balance": 0.5872899573637259,
       "belief_russia": 0.607665887317234,
       "belief_ukraine": 0.6062760223992935,
       "war_value_russia": 0.5189424475734109,
       "war_value_ukraine": 0.42196605178556956,
       "proposal_value_russia": NAN,
       "proposal_value_ukraine": NAN,
       "cost_russia": 0.6431999999999991,
       "cost_ukraine": 0.6039436619718289,
       "confidence": 0.49999999999999994}}
ITALIAN_40_CEASEFIRE = "...........................................CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.....CCCCCCCCCCC"
ITALIAN_40_STEPS = "000000000000000000000000000000000000000000011111111111111111111111111111111111111111111110000011111111111"
ITALIAN_40_RANGE = "...........................................R..................................................R.........."


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
    ("ITALIAN_5", 5, 40, [1, 18, 19, 20, 35, 40]),
    # a ceasefire, violations, a breakdown, four weeks of renewed war and a new ceasefire
    ("ITALIAN_40", 40, 104, [42, 43, 44, 89, 90, 94, 104]),
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
    "italian_plan_2022, rng 40, 104 rounds (ceasefire, violations, breakdown, cooling-off, ceasefire)": (
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
