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
 "final_front": 0.155,
 "final_balance": 0.4665203498060394,
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
     "balance": 0.5485665690104682,
     "belief_russia": 0.657440253643915,
     "belief_ukraine": 0.35828870419789116,
     "war_value_russia": 0.6358277077850405,
     "war_value_ukraine": 0.7792248983371957,
     "proposal_value_russia": 0.5537358569498891,
     "proposal_value_ukraine": 0.6710178769083637,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 10: {"front": 0.2,
      "balance": 0.5463368378522326,
      "belief_russia": 0.6163957620363105,
      "belief_ukraine": 0.44877930556034346,
      "war_value_russia": 0.6109286583171384,
      "war_value_ukraine": 0.6334885626769942,
      "proposal_value_russia": 0.5826514017741986,
      "proposal_value_ukraine": 0.5828240047034188,
      "cost_russia": 0.11999999999999998,
      "cost_ukraine": 0.11267605633802817,
      "confidence": 0.0},
 20: {"front": 0.17,
      "balance": 0.4690099537002788,
      "belief_russia": 0.49994234473287313,
      "belief_ukraine": 0.40810128206757285,
      "war_value_russia": 0.5210954442846791,
      "war_value_ukraine": 0.7402350490857459,
      "proposal_value_russia": 0.5193962265924245,
      "proposal_value_ukraine": 0.6575786384389102,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 30: {"front": 0.155,
      "balance": 0.4665203498060394,
      "belief_russia": 0.4723970565064889,
      "belief_ukraine": 0.4204535441879685,
      "war_value_russia": 0.4363295411380075,
      "war_value_ukraine": 0.7365418739965616,
      "proposal_value_russia": 0.5064056732422628,
      "proposal_value_ukraine": 0.6571323734268476,
      "cost_russia": 0.36000000000000015,
      "cost_ukraine": 0.33802816901408456,
      "confidence": 0.0}}
ITALIAN_7_CEASEFIRE = "..............................."
ITALIAN_7_STEPS = "0000000000000000000000000000000"
ITALIAN_7_RANGE = "..............................."
ITALIAN_3_OUTCOME = {"kind": "ceasefire",
 "winner": None,
 "rounds": 40,
 "step_reached": 2,
 "first_ceasefire_round": 24,
 "breakdowns": 0,
 "violations_detected": 1,
 "final_front": 0.225,
 "final_balance": 0.4922358364496359,
 "term_ceasefire_line": 0.795,
 "term_demilitarised_zone": 0.125,
 "term_monitors": 0.625,
 "term_alignment": 0.013443177945324373,
 "term_eu_membership": 0.875,
 "term_security_guarantees": 0.75,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "form_crimea": None,
 "form_donbas": None,
 "cost_russia": 0.30719999999999975,
 "cost_ukraine": 0.2884507042253524}
ITALIAN_3_ROUNDS = {1: {"front": 0.205,
     "balance": 0.5485665690104682,
     "belief_russia": 0.6705222676642387,
     "belief_ukraine": 0.37215479223512704,
     "war_value_russia": 0.6471641437698257,
     "war_value_ukraine": 0.7552737403067826,
     "proposal_value_russia": 0.5594909035796587,
     "proposal_value_ukraine": 0.6623668107782503,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 23: {"front": 0.205,
      "balance": 0.4682629048627085,
      "belief_russia": 0.543582025983991,
      "belief_ukraine": 0.47366458302399334,
      "war_value_russia": 0.5715161863445979,
      "war_value_ukraine": 0.5805173294077259,
      "proposal_value_russia": 0.5723134975502837,
      "proposal_value_ukraine": 0.5755733686814587,
      "cost_russia": 0.2760000000000001,
      "cost_ukraine": 0.25915492957746494,
      "confidence": 0.0},
 24: {"front": 0.205,
      "balance": 0.4680139200287204,
      "belief_russia": 0.5479460547942397,
      "belief_ukraine": 0.4826281749100574,
      "war_value_russia": 0.5737606611743289,
      "war_value_ukraine": 0.5651126193606288,
      "proposal_value_russia": 0.5770607107097571,
      "proposal_value_ukraine": 0.5670174703008646,
      "cost_russia": 0.2880000000000001,
      "cost_ukraine": 0.27042253521126774,
      "confidence": 0.0},
 25: {"front": 0.21,
      "balance": 0.4695245666581587,
      "belief_russia": 0.5486672667391834,
      "belief_ukraine": 0.4869021951000485,
      "war_value_russia": 0.5754400927964259,
      "war_value_ukraine": 0.5563830347369101,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.28920000000000007,
      "cost_ukraine": 0.27154929577464804,
      "confidence": 0.05},
 38: {"front": 0.225,
      "balance": 0.4892037614599437,
      "belief_russia": 0.5599473717664162,
      "belief_ukraine": 0.5290330751669319,
      "war_value_russia": 0.5851056104604377,
      "war_value_ukraine": 0.5200251041570978,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.3047999999999998,
      "cost_ukraine": 0.2861971830985918,
      "confidence": 0.49999999999999994},
 39: {"front": 0.225,
      "balance": 0.4907197136072727,
      "belief_russia": 0.56093923335065,
      "belief_ukraine": 0.531546910085915,
      "war_value_russia": 0.585622102450242,
      "war_value_ukraine": 0.5188150941458232,
      "proposal_value_russia": 0.5876141495294082,
      "proposal_value_ukraine": 0.6006632071057584,
      "cost_russia": 0.30599999999999977,
      "cost_ukraine": 0.2873239436619721,
      "confidence": 0.0},
 40: {"front": 0.225,
      "balance": 0.4922358364496359,
      "belief_russia": 0.5619459979121336,
      "belief_ukraine": 0.5339896723497339,
      "war_value_russia": 0.5861482570231524,
      "war_value_ukraine": 0.517633506358073,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.30719999999999975,
      "cost_ukraine": 0.2884507042253524,
      "confidence": 0.05}}
ITALIAN_3_CEASEFIRE = "........................CCCCCCCCCCCCCCCCC"
ITALIAN_3_STEPS = "00000000000000000000000011111111111111122"
ITALIAN_3_RANGE = "....................RRRRR..............R."
ITALIAN_24_OUTCOME = {"kind": "ceasefire",
 "winner": None,
 "rounds": 104,
 "step_reached": 2,
 "first_ceasefire_round": 20,
 "breakdowns": 2,
 "violations_detected": 6,
 "final_front": 0.23,
 "final_balance": 0.5073994757558687,
 "term_ceasefire_line": 0.77,
 "term_demilitarised_zone": 0.125,
 "term_monitors": 0.625,
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
 "cost_russia": 0.44879999999999887,
 "cost_ukraine": 0.421408450704226}
ITALIAN_24_ROUNDS = {19: {"front": 0.195,
      "balance": 0.46925900101454293,
      "belief_russia": 0.5375889934053629,
      "belief_ukraine": 0.4444672110765983,
      "war_value_russia": 0.5656304814001288,
      "war_value_ukraine": 0.6479468729077447,
      "proposal_value_russia": 0.5435040043755028,
      "proposal_value_ukraine": 0.6251300753277507,
      "cost_russia": 0.22800000000000006,
      "cost_ukraine": 0.21408450704225362,
      "confidence": 0.0},
 20: {"front": 0.2,
      "balance": 0.4690099537002788,
      "belief_russia": 0.541661488259502,
      "belief_ukraine": 0.4545015356215294,
      "war_value_russia": 0.5691449145953973,
      "war_value_ukraine": 0.622620930848213,
      "proposal_value_russia": 0.5554512529031435,
      "proposal_value_ukraine": 0.6066464254099018,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 84: {"front": 0.215,
      "balance": 0.5031307344504,
      "belief_russia": 0.5425375685775191,
      "belief_ukraine": 0.5367972230993873,
      "war_value_russia": 0.5736772363125108,
      "war_value_ukraine": 0.518567878680664,
      "proposal_value_russia": 0.5512640517614535,
      "proposal_value_ukraine": 0.6182333451039898,
      "cost_russia": 0.31679999999999897,
      "cost_ukraine": 0.29746478873239507,
      "confidence": 0.75},
 85: {"front": 0.215,
      "balance": 0.5036644690732816,
      "belief_russia": 0.5429070796478508,
      "belief_ukraine": 0.5373615781974677,
      "war_value_russia": 0.573866281326775,
      "war_value_ukraine": 0.5183030850160186,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.31799999999999895,
      "cost_ukraine": 0.29859154929577536,
      "confidence": 0.0},
 89: {"front": 0.215,
      "balance": 0.5026645094626108,
      "belief_russia": 0.539074515300688,
      "belief_ukraine": 0.5344029453809844,
      "war_value_russia": 0.571978147734235,
      "war_value_ukraine": 0.5203478654190593,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.365999999999999,
      "cost_ukraine": 0.34366197183098657,
      "confidence": 0.0},
 90: {"front": 0.22,
      "balance": 0.502414515916944,
      "belief_russia": 0.5442715752691392,
      "belief_ukraine": 0.5399556587515076,
      "war_value_russia": 0.5759422268889357,
      "war_value_ukraine": 0.5166334981951644,
      "proposal_value_russia": 0.5754603031305602,
      "proposal_value_ukraine": 0.5619521720135789,
      "cost_russia": 0.377999999999999,
      "cost_ukraine": 0.35492957746478937,
      "confidence": 0.0},
 104: {"front": 0.23,
       "balance": 0.5073994757558687,
       "belief_russia": 0.5521741937061139,
       "belief_ukraine": 0.5504062060053209,
       "war_value_russia": 0.5825968939763437,
       "war_value_ukraine": 0.5096965481822209,
       "proposal_value_russia": NAN,
       "proposal_value_ukraine": NAN,
       "cost_russia": 0.44879999999999887,
       "cost_ukraine": 0.421408450704226,
       "confidence": 0.0}}
ITALIAN_24_CEASEFIRE = "....................CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.....CCCCCCCC.....CC"
ITALIAN_24_STEPS = "000000000000000000001111111111111111111222222222222222222222222222222222222222222222200000111111110000011"
ITALIAN_24_RANGE = "....................R..................R..................................................R............R."


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
    ("ITALIAN_3", 3, 40, [1, 23, 24, 25, 38, 39, 40]),
    # a ceasefire, violations, a breakdown, four weeks of renewed war and a new ceasefire
    ("ITALIAN_24", 24, 104, [19, 20, 84, 85, 89, 90, 104]),
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
    "italian_plan_2022, rng 3, 40 rounds (ceasefire, step 2)": (
        3,
        40,
        ITALIAN_3_OUTCOME,
        ITALIAN_3_ROUNDS,
        ITALIAN_3_CEASEFIRE,
        ITALIAN_3_STEPS,
        ITALIAN_3_RANGE,
    ),
    "italian_plan_2022, rng 24, 104 rounds (ceasefire, violations, breakdown, cooling-off, ceasefire)": (
        24,
        104,
        ITALIAN_24_OUTCOME,
        ITALIAN_24_ROUNDS,
        ITALIAN_24_CEASEFIRE,
        ITALIAN_24_STEPS,
        ITALIAN_24_RANGE,
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
