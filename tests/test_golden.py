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
     "war_value_russia": 0.6308277077850405,
     "war_value_ukraine": 0.7792248983371957,
     "proposal_value_russia": 0.5528404024044347,
     "proposal_value_ukraine": 0.6716224223629091,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 10: {"front": 0.2,
      "balance": 0.5463368378522326,
      "belief_russia": 0.6163957620363105,
      "belief_ukraine": 0.44877930556034346,
      "war_value_russia": 0.6059286583171384,
      "war_value_ukraine": 0.6334885626769942,
      "proposal_value_russia": 0.5707918793555,
      "proposal_value_ukraine": 0.59841076575443,
      "cost_russia": 0.11999999999999998,
      "cost_ukraine": 0.11267605633802817,
      "confidence": 0.0},
 20: {"front": 0.17,
      "balance": 0.4690099537002788,
      "belief_russia": 0.49994234473287313,
      "belief_ukraine": 0.40810128206757285,
      "war_value_russia": 0.5160954442846791,
      "war_value_ukraine": 0.7402350490857459,
      "proposal_value_russia": 0.5185007720469699,
      "proposal_value_ukraine": 0.6581831838934556,
      "cost_russia": 0.24000000000000007,
      "cost_ukraine": 0.22535211267605645,
      "confidence": 0.0},
 30: {"front": 0.155,
      "balance": 0.4665203498060394,
      "belief_russia": 0.4723970565064889,
      "belief_ukraine": 0.4204535441879685,
      "war_value_russia": 0.4313295411380075,
      "war_value_ukraine": 0.7365418739965616,
      "proposal_value_russia": 0.5055102186968082,
      "proposal_value_ukraine": 0.6577369188813931,
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
 "violations_detected": 0,
 "final_front": 0.235,
 "final_balance": 0.5074610794127618,
 "term_ceasefire_line": 0.775,
 "term_demilitarised_zone": 0.0,
 "term_monitors": 0.38693137465607935,
 "term_alignment": 0.05220937068186062,
 "term_eu_membership": 0.875,
 "term_security_guarantees": 0.75,
 "term_crimea": None,
 "term_donbas": None,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "form_crimea": None,
 "form_donbas": None,
 "cost_russia": 0.25320000000000015,
 "cost_ukraine": 0.23774647887323974}
ITALIAN_5_ROUNDS = {1: {"front": 0.205,
     "balance": 0.5485665690104682,
     "belief_russia": 0.6705222676642387,
     "belief_ukraine": 0.37215479223512704,
     "war_value_russia": 0.6421641437698257,
     "war_value_ukraine": 0.7552737403067826,
     "proposal_value_russia": 0.5575241766640332,
     "proposal_value_ukraine": 0.662624739883909,
     "cost_russia": 0.012,
     "cost_ukraine": 0.011267605633802818,
     "confidence": 0.0},
 19: {"front": 0.225,
      "balance": 0.46925900101454293,
      "belief_russia": 0.5830888888041161,
      "belief_ukraine": 0.49687947055842646,
      "war_value_russia": 0.5925956454506327,
      "war_value_ukraine": 0.5387050871730379,
      "proposal_value_russia": 0.596143196833947,
      "proposal_value_ukraine": 0.5413072857451323,
      "cost_russia": 0.22800000000000006,
      "cost_ukraine": 0.21408450704225362,
      "confidence": 0.0},
 20: {"front": 0.225,
      "balance": 0.4710735374122448,
      "belief_russia": 0.5840883288963292,
      "belief_ukraine": 0.5029333615800011,
      "war_value_russia": 0.593170801517226,
      "war_value_ukraine": 0.5337459558322248,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.22920000000000007,
      "cost_ukraine": 0.21521126760563392,
      "confidence": 0.05},
 21: {"front": 0.225,
      "balance": 0.4728888386237198,
      "belief_russia": 0.5851108222235353,
      "belief_ukraine": 0.5086911478486431,
      "war_value_russia": 0.5937617706085904,
      "war_value_ukraine": 0.5298403341705802,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.23040000000000008,
      "cost_ukraine": 0.2163380281690142,
      "confidence": 0.1},
 31: {"front": 0.23,
      "balance": 0.4910733871396206,
      "belief_russia": 0.5964397433069756,
      "belief_ukraine": 0.5537898106758937,
      "war_value_russia": 0.6017991245362142,
      "war_value_ukraine": 0.5052625319320714,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.24240000000000014,
      "cost_ukraine": 0.22760563380281712,
      "confidence": 0.05},
 40: {"front": 0.235,
      "balance": 0.5074610794127618,
      "belief_russia": 0.607985726748797,
      "belief_ukraine": 0.5819588631577637,
      "war_value_russia": 0.6102924267443414,
      "war_value_ukraine": 0.4855562498803429,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.25320000000000015,
      "cost_ukraine": 0.23774647887323974,
      "confidence": 0.49999999999999994}}
ITALIAN_5_CEASEFIRE = "...................CCCCCCCCCCCCCCCCCCCCCC"
ITALIAN_5_STEPS = "00000000000000000001111111111122222222222"
ITALIAN_5_RANGE = "..................RR..........R.........."
ITALIAN_18_OUTCOME = {"kind": "ceasefire",
 "winner": None,
 "rounds": 104,
 "step_reached": 3,
 "first_ceasefire_round": 28,
 "breakdowns": 1,
 "violations_detected": 8,
 "final_front": 0.215,
 "final_balance": 0.5522746381250415,
 "term_ceasefire_line": 0.81,
 "term_demilitarised_zone": 0.25365626971221755,
 "term_monitors": 0.75,
 "term_alignment": 0.030015855537227906,
 "term_eu_membership": 0.875,
 "term_security_guarantees": 0.75,
 "term_crimea": 0.15855006916199735,
 "term_donbas": 0.5,
 "term_withdrawal": None,
 "term_arms_control": None,
 "term_sanctions": None,
 "form_crimea": "sovereignty",
 "form_donbas": "autonomy",
 "cost_russia": 0.4811999999999987,
 "cost_ukraine": 0.45183098591549364}
ITALIAN_18_ROUNDS = {27: {"front": 0.185,
      "balance": 0.4672670615840217,
      "belief_russia": 0.5239025590395708,
      "belief_ukraine": 0.46814665781144704,
      "war_value_russia": 0.549708970986504,
      "war_value_ukraine": 0.6059748504463224,
      "proposal_value_russia": 0.5473519047051102,
      "proposal_value_ukraine": 0.6036746020793878,
      "cost_russia": 0.3240000000000001,
      "cost_ukraine": 0.30422535211267615,
      "confidence": 0.0},
 28: {"front": 0.19,
      "balance": 0.46701814119791807,
      "belief_russia": 0.528386243686899,
      "belief_ukraine": 0.475995185023977,
      "war_value_russia": 0.5541533220453823,
      "war_value_ukraine": 0.5862353011571761,
      "proposal_value_russia": 0.5566272843303,
      "proposal_value_ukraine": 0.5922170506931329,
      "cost_russia": 0.33600000000000013,
      "cost_ukraine": 0.31549295774647895,
      "confidence": 0.0},
 42: {"front": 0.195,
      "balance": 0.48291633729826333,
      "belief_russia": 0.5344629614697269,
      "belief_ukraine": 0.5074972298335879,
      "war_value_russia": 0.5591053431211231,
      "war_value_ukraine": 0.5403613004075395,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.35279999999999984,
      "cost_ukraine": 0.33126760563380303,
      "confidence": 0.0},
 43: {"front": 0.2,
      "balance": 0.4826666334364598,
      "belief_russia": 0.5392828457099581,
      "belief_ukraine": 0.5139641512124253,
      "war_value_russia": 0.563071963158018,
      "war_value_ukraine": 0.5345141448017534,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.36479999999999985,
      "cost_ukraine": 0.34253521126760583,
      "confidence": 0.0},
 46: {"front": 0.185,
      "balance": 0.48191757428619386,
      "belief_russia": 0.5178983868680099,
      "belief_ukraine": 0.49598114092666074,
      "war_value_russia": 0.5453510887080358,
      "war_value_ukraine": 0.5565304863117878,
      "proposal_value_russia": NAN,
      "proposal_value_ukraine": NAN,
      "cost_russia": 0.4007999999999999,
      "cost_ukraine": 0.37633802816901424,
      "confidence": 0.0},
 47: {"front": 0.19,
      "balance": 0.48166790579573127,
      "belief_russia": 0.5226864314822155,
      "belief_ukraine": 0.5017704456897699,
      "war_value_russia": 0.5505970324959097,
      "war_value_ukraine": 0.5479377354503255,
      "proposal_value_russia": 0.5612751737506595,
      "proposal_value_ukraine": 0.5810307675743323,
      "cost_russia": 0.4127999999999999,
      "cost_ukraine": 0.38760563380281704,
      "confidence": 0.0},
 104: {"front": 0.215,
       "balance": 0.5522746381250415,
       "belief_russia": 0.5772086603382554,
       "belief_ukraine": 0.5740230248090568,
       "war_value_russia": 0.5870072075908237,
       "war_value_ukraine": 0.49917224584889835,
       "proposal_value_russia": NAN,
       "proposal_value_ukraine": NAN,
       "cost_russia": 0.4811999999999987,
       "cost_ukraine": 0.45183098591549364,
       "confidence": 0.35}}
ITALIAN_18_CEASEFIRE = "............................CCCCCCCCCCCCCC.....CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
ITALIAN_18_STEPS = "000000000000000000000000000011111111111111000001111111111111111111112222222222222222222222222222233333333"
ITALIAN_18_RANGE = "..........................R.R..................R....................R............................R......."


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
    ("ITALIAN_18", 18, 104, [27, 28, 42, 43, 46, 47, 104]),
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
    "italian_plan_2022, rng 18, 104 rounds (ceasefire, violations, breakdown, cooling-off, ceasefire)": (
        18,
        104,
        ITALIAN_18_OUTCOME,
        ITALIAN_18_ROUNDS,
        ITALIAN_18_CEASEFIRE,
        ITALIAN_18_STEPS,
        ITALIAN_18_RANGE,
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
