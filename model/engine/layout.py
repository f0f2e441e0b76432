"""Where each number lives in the arrays the kernels read and write.

The kernels take a run as a handful of flat arrays (:class:`model.engine.inputs.Inputs`)
and keep its state in one more; these integer constants name their slots,
so a kernel reads ``side[RUSSIA, WAR_COST]`` rather than a magic index.
numba folds module-level integers into the compiled code as constants.
"""

from __future__ import annotations

from model.issues import ISSUES

N_ISSUES = len(ISSUES)

# --- a run's fixed numbers: `scalars` -------------------------------------------------------------
MAX_ROUNDS = 0
PROTOCOL = 1  # one of the PROTOCOL_* codes below
MEDIATED = 2  # 1.0 if the IFG tables the proposals
CONFIDENCE_THRESHOLD = 3
CONFIDENCE_GAIN = 4
CONFIDENCE_LOSS = 5
UNRESOLVED_RISK = 6
COOLING_OFF = 7
MONITOR_STRENGTH = 8
BUFFER_EFFECT = 9
ESCALATION_RISK = 10
GUARANTEE_EFFECT = 11
INTERIM_GUARANTEE = 12
AUTONOMY_TERM = 13
CELLS = 14
INITIAL_POSITION = 15
INITIAL_TREND = 16  # log-odds of the balance before aid, at round 0
MOMENTUM = 17
SHOCK_ROUND = 18
SHOCK_SIZE = 19
REARMAMENT = 20  # this run's rate (drawn once where rearmament_spread is set)
AID_EFFECT = 21
AID_SATURATION = 22
AID_LAG = 23
LOWER = 24  # Ukraine's war aim, in cells Russia holds
UPPER = 25  # Russia's war aim
UNDER_WAY_UKRAINE = 26  # a round's aid shipped to Ukraine before round 0 ($bn)
UNDER_WAY_RUSSIA = 27
IFG_LEAN = 28
IFG_GUARANTEE = 29  # the most committed member's guarantee, with guarantees on
IFG_INDUCEMENT = 30  # the inducement the talks carry (0 unless mediated)
IFG_INTELLIGENCE = 31
IFG_INFORMATION = 32  # 1.0 if the IFG shares its estimate
IFG_INFORMATION_WEIGHT = 33
IFG_GUARANTEES = 34  # 1.0 if the IFG offers guarantees
GUARANTEE_TERMS = 35
REARMAMENT_SPREAD = 36  # the coefficient of variation a run's own rate is drawn with (0: every run the mean)
N_SCALARS = 37

PROTOCOL_IFG_SEQUENTIAL = 0
PROTOCOL_PACKAGE = 1
PROTOCOL_BILATERAL = 2
PROTOCOL_NONE = 3
PROTOCOL_CODES: dict[str, int] = {
    "ifg_sequential": PROTOCOL_IFG_SEQUENTIAL,
    "package": PROTOCOL_PACKAGE,
    "bilateral": PROTOCOL_BILATERAL,
    "none": PROTOCOL_NONE,
}

# --- a belligerent's fixed numbers: `side[s, ...]` (row 0 Russia, row 1 Ukraine) -----------------
WAR_COST = 0
CEASEFIRE_COST_SHARE = 1
AID_RELIEF = 2
DISCOUNT = 3
BELIEF_MEMORY = 4
RED_LINE = 5
AUDIENCE_COST = 6
UNSIGNED_SHARE = 7
WAR_WEARINESS = 8
CAPACITY = 9
VIOLATION_RATE = 10
PRESSURE_EFFECT = 11
RISK_AVERSION = 12
PRESSURE_FLOOR = 13
FLOW_BASE = 14  # model.agents.WarFlows, field by field
FLOW_SLOPE = 15
FLOW_CURVATURE = 16
WIN_FLOW = 17
LOSS_FLOW = 18
WAR_AUDIENCE = 19
WIN_AUDIENCE = 20
LOSS_AUDIENCE = 21
PRIOR_A = 22
PRIOR_B = 23
N_SIDE = 24

# --- a third party: `third[t, ...]` -----------------------------------------------------------------
TP_PATRON = 0  # RUSSIA, UKRAINE or -1 (none)
TP_AID = 1  # scaled by aid_scale
TP_STANCE = 2
TP_VOICE = 3
N_THIRD = 4

# --- a guarantor, the most committed first: `guarantors[g, ...]` -----------------------------------
G_GUARANTEE = 0
G_LEAN = 1
N_GUARANTOR = 2

# --- a scheduled offensive: `operations[o, ...]` --------------------------------------------------
OP_START = 0
OP_CELLS = 1  # positive: Russian, negative: Ukrainian
OP_WEEKS = 2
OP_EDGE = 3
N_OPERATION = 4

# --- a finished run: `outcome` --------------------------------------------------------------------
KIND_SETTLEMENT = 0
KIND_CEASEFIRE = 1
KIND_VICTORY = 2
KIND_WAR = 3
OUT_KIND = 0
OUT_WINNER = 1  # RUSSIA, UKRAINE or -1
OUT_ROUNDS = 2
OUT_STEP_REACHED = 3
OUT_FIRST_CEASEFIRE = 4  # -1: none
OUT_BREAKDOWNS = 5
OUT_VIOLATIONS = 6
OUT_FINAL_FRONT = 7
OUT_FINAL_BALANCE = 8
OUT_COST_RUSSIA = 9
OUT_COST_UKRAINE = 10
OUT_FIRST_BREAKDOWN = 11  # -1: none
OUT_FORM_CRIMEA = 12  # a FORM_* code
OUT_FORM_DONBAS = 13
OUT_TERMS = 14  # N_ISSUES terms follow; NaN where unresolved
N_OUTCOME = OUT_TERMS + N_ISSUES

# --- a round's record: `trace[round, ...]`, the per-round columns both paths keep -----------------
TRACE_COLUMNS: tuple[str, ...] = (
    "front",
    "balance",
    "belief_russia",
    "belief_ukraine",
    "mediator_estimate",
    "war_value_russia",
    "war_value_ukraine",
    "reservation_russia",
    "reservation_ukraine",
    "proposal_value_russia",
    "proposal_value_ukraine",
    "bargaining_range",
    "open_step",
    "steps_agreed",
    "confidence",
    "ceasefire",
    "violations",
    "violations_total",
    "breakdowns",
    "aid_ukraine",
    "aid_russia",
    "political_pressure_russia",
    "political_pressure_ukraine",
    "cost_russia",
    "cost_ukraine",
)
"""Columns of :data:`model.record.REPORTERS` the compiled path records too (booleans as 0 and 1)."""
N_TRACE = len(TRACE_COLUMNS)
