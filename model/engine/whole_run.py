"""A whole run as one compiled loop: the schedule of :class:`model.WarTerminationModel`, round for round.

The runner calls :func:`simulate` with a run's inputs (:func:`model.engine.inputs.pack`)
and the two random streams the Mesa model spawns from the run's seed (the
battle's and the ceasefire's); it returns the outcome record as an array
(:mod:`model.engine.layout`, ``OUT_*``) and, where asked, the per-round
record (``TRACE_COLUMNS``). Every draw is made in the Mesa model's order
from the same streams, and every valuation is the same kernel, so the two
paths give the same outcome, float for float; ``tests/test_engine_parity.py``
checks it over thousands of runs.

The round's mechanics and their sources are documented where the Mesa model
schedules them (:mod:`model.model`, :mod:`model.agents`,
:mod:`model.battlefield`) and in docs/ODD.md; this module repeats the
schedule, not the reasons.
"""

from __future__ import annotations

import math

import numpy as np

from model.engine import layout as L
from model.engine.bargain import _allocate, _terms_flow, table_with_workspace
from model.engine.codes import FORM_DEFERRED, FORM_NONE, RUSSIA, UKRAINE
from model.engine.jit import kernel, leaf, stand_in
from model.engine.mechanics import (
    VIOLATION_DETECTED,
    VIOLATION_ESCALATED,
    VIOLATION_GAINED,
    acceptance_floor,
    accepts,
    agreement_value,
    aid_logit,
    anticipated_shift,
    audience_rate,
    beta_update,
    cells_in,
    cells_won,
    confidence_after,
    cost_of_round,
    credibility_toward,
    defects,
    heard_mean,
    keeps,
    nudged,
    political_push,
    pressed_floor,
    readiest,
    self_enforcing_floor,
    side_war_value,
    trend_shift,
    unresolved_hazard,
    violation,
)
from model.engine.valuation import logit, shifted_mean, sigmoid
from model.issues import DEMILITARISED_ZONE, ISSUE_INDEX, ISSUES, MONITORS, SECURITY_GUARANTEES, STEP_ISSUES, Step

__all__ = ["begin", "finish", "new_scratch", "new_state", "play_round", "simulate"]

_N = L.N_ISSUES
MEDIATOR = 2  # the third belief: the IFG's estimate

# the issues of each step (1..4), the ceasefire line included; and those bargained (it excluded)
_STEP_OF_ISSUE = tuple(next(int(step) for step in Step if issue in STEP_ISSUES[step]) for issue in ISSUES)
_CEASEFIRE_LINE = ISSUE_INDEX["ceasefire_line"]
_WITHDRAWAL = ISSUE_INDEX["withdrawal"]
_CRIMEA = ISSUE_INDEX["crimea"]
_DONBAS = ISSUE_INDEX["donbas"]
_STEP_CEASEFIRE = int(Step.CEASEFIRE)
_STEP_STATUS = int(Step.STATUS)

# --- the run's state: `st` ------------------------------------------------------------------------
S_ROUND = 0
S_POSITION = 1
S_TREND = 2
S_AID_LOGIT = 3
S_LAST_AID_LOGIT = 4
S_CEASEFIRE = 5
S_CONFIDENCE = 6
S_OPEN_STEP = 7
S_HIGHEST_STEP = 8
S_FIRST_CEASEFIRE = 9
S_BREAKDOWNS = 10
S_TALKS_RESUME = 11
S_VIOLATIONS = 12
S_VIOLATIONS_ROUND = 13
S_ESCALATED = 14
S_SETTLED = 15
S_WINNER = 16
S_FIRST_BREAKDOWN = 17
S_PIPE_HEAD = 18
S_RANGE = 19
S_STEPS_AGREED = 20
S_TABLE_FIRST = 21  # the steps on the table this round, first..last (0, -1: none)
S_TABLE_LAST = 22
S_ANSWER = 23  # each side's answer this round (S_ANSWER + side): 1 yes, 0 no, -1 nothing tabled
N_STATE = 25

# --- a side's money and pressure: `money[side]` ----------------------------------------------------
M_COST = 0
M_AID = 1
M_VOICES = 2
M_STANCE = 3
M_PUSH = 4
# the round's prices (_price_round): what a side's valuations read many times a round, computed once
M_WAR_COST_NOW = 5
M_CEASEFIRE_COST_NOW = 6
M_RATE_NOW = 7
M_PUSH_NOW = 8
M_LOGIT_NOW = 9
N_MONEY = 10
# --- a side's values this round: `values[side]` -----------------------------------------------------
V_WAR = 0
V_RESERVATION = 1
V_PROPOSAL = 2


@kernel
def new_state(n_pipeline: int) -> tuple[np.ndarray, ...]:
    """Fresh arrays for a run's state, ``(st, belief, money, values, agreed, terms, forms, pipeline)``: the slots above name their numbers."""
    st = np.zeros(N_STATE)
    belief = np.zeros((3, 2))  # Russia's, Ukraine's and the IFG's Beta(a, b)
    money = np.zeros((2, N_MONEY))  # per side: cumulative cost, aid, voices, voiced stance, political push; the round's prices
    values = np.zeros((2, 3))  # per side: war value, reservation, proposal value
    agreed = np.zeros(5, dtype=np.bool_)  # steps 1..4 agreed
    terms = np.zeros(_N)  # the agreed terms (where their step is agreed)
    forms = np.full(2, FORM_NONE, dtype=np.int64)
    pipeline = np.zeros((max(n_pipeline, 1), 2))  # aid shipped and not yet at the front (to Ukraine, to Russia)
    return st, belief, money, values, agreed, terms, forms, pipeline


@kernel
def new_scratch() -> tuple:
    """The arrays a round's talks work in, allocated once a run: the agenda, floors, proposal, and the proposer's workspace."""
    return (
        np.empty(_N, dtype=np.int64),  # the agenda
        np.empty(2),  # floors
        np.empty(2),  # the value of the war a collapse would bring
        np.empty((2, 4)),  # the sides' scalars as the proposer reads them
        np.empty(_N),  # the proposal
        np.empty(2, dtype=np.int64),  # its territorial forms
        np.empty(_N),  # the terms of a flow's sum
        _allocate(),  # the proposer's workspace (model.engine.bargain.workspace)
        np.empty(_N),  # the terms as they stand
        np.empty(_N),  # a guarantor's distances from the terms
    )


def _as_lists(arrays: tuple) -> tuple:
    """``arrays`` (and tuples of them) as nested lists of Python numbers, which plain Python reads faster than NumPy arrays."""
    return tuple(a.tolist() if isinstance(a, np.ndarray) else _as_lists(a) for a in arrays)


# the interpreted path keeps a run's state in lists (the same numbers; see run.py for the inputs)
stand_in(new_state, lambda n_pipeline: _as_lists(new_state(n_pipeline)))
stand_in(new_scratch, lambda: _as_lists(new_scratch()))


# ---------------------------------------------------------------------------------------------------
# small pieces of a side
# ---------------------------------------------------------------------------------------------------
@leaf
def _cost_of_round(side: np.ndarray, money: np.ndarray, s: int, ceasefire: bool) -> float:
    return cost_of_round(side[s][L.WAR_COST], side[s][L.AID_RELIEF], money[s][M_AID], side[s][L.CEASEFIRE_COST_SHARE], ceasefire)


@leaf
def _pressure(money: np.ndarray, s: int) -> float:
    return money[s][M_STANCE] / money[s][M_VOICES] if money[s][M_VOICES] else 0.0


@leaf
def _belief_mean(belief: np.ndarray, who: int) -> float:
    return belief[who][0] / (belief[who][0] + belief[who][1])


@leaf
def _price_round(side: np.ndarray, belief: np.ndarray, money: np.ndarray) -> None:
    """The round's prices: each side's costs of a round, audience rate, political push and the log-odds of its belief.

    Computed once a round, after the last payment, aid and message that move
    them, and read by every valuation of the round (the same arithmetic as
    each valuation computing them afresh, so the same floats).
    """
    for s in range(2):
        money[s][M_WAR_COST_NOW] = _cost_of_round(side, money, s, False)
        money[s][M_CEASEFIRE_COST_NOW] = _cost_of_round(side, money, s, True)
        money[s][M_RATE_NOW] = audience_rate(side[s][L.AUDIENCE_COST], side[s][L.WAR_WEARINESS], money[s][M_COST])
        money[s][M_PUSH_NOW] = political_push(math.tanh(money[s][M_PUSH]), side[s][L.PRESSURE_FLOOR], money[s][M_WAR_COST_NOW])
        money[s][M_LOGIT_NOW] = logit(_belief_mean(belief, s))


@leaf
def _side_war_value(
    sc: np.ndarray, side: np.ndarray, belief: np.ndarray, money: np.ndarray, st: np.ndarray, s: int, deterrence: float, shift: float
) -> float:
    """A side's value of fighting on (:func:`model.engine.mechanics.side_war_value`), at this round's prices."""
    return side_war_value(
        _belief_mean(belief, s),
        money[s][M_LOGIT_NOW],
        shift,
        deterrence,
        money[s][M_RATE_NOW],
        side[s][L.UNSIGNED_SHARE],
        side[s],
        L.FLOW_BASE,
        money[s][M_WAR_COST_NOW],
        side[s][L.DISCOUNT],
        int(st[S_POSITION]),
        int(sc[L.CELLS]),
        int(sc[L.LOWER]),
        int(sc[L.UPPER]),
        s == RUSSIA,
        side[s][L.PRESSURE_EFFECT],
        _pressure(money, s),
    )


@leaf
def _flow(
    side: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    money: np.ndarray,
    s: int,
    terms: np.ndarray,
    forms: np.ndarray,
    scratch: np.ndarray,
) -> float:
    """A side's flow of ``terms`` with the audience costs of ``forms`` (:meth:`Belligerent.terms_flow`); ``scratch``: 11 slots."""
    return _terms_flow(
        terms,
        forms[0],
        forms[1],
        ideal[s],
        weight[s],
        side[s][L.RISK_AVERSION],
        side[s][L.RED_LINE],
        money[s][M_RATE_NOW],
        side[s][L.UNSIGNED_SHARE],
        s == UKRAINE,
        scratch,
    )


@leaf
def _hazard(sc: np.ndarray, open_steps: int) -> float:
    return unresolved_hazard(sc[L.UNRESOLVED_RISK], open_steps, 3)


# ---------------------------------------------------------------------------------------------------
# what stands: terms, guarantees, the zone
# ---------------------------------------------------------------------------------------------------
@leaf
def _current_terms(
    sc: np.ndarray, status_quo: np.ndarray, st: np.ndarray, agreed: np.ndarray, terms: np.ndarray, now: np.ndarray
) -> np.ndarray:
    """The terms as they stand, into ``now`` (returned)."""
    for j in range(_N):
        now[j] = status_quo[j]
    held = 1.0 - st[S_POSITION] / sc[L.CELLS]
    now[_CEASEFIRE_LINE] = held
    now[_WITHDRAWAL] = held
    for j in range(_N):
        if agreed[_STEP_OF_ISSUE[j]]:
            now[j] = terms[j]
    return now


@leaf
def _credibility_for(sc: np.ndarray, guarantors: np.ndarray, terms: np.ndarray, distances: np.ndarray) -> float:
    """The readiest guarantor's commitment to ``terms`` (:meth:`model.agents.Mediator.credibility_for`)."""
    sensitivity = sc[L.GUARANTEE_TERMS]
    if not (sc[L.IFG_GUARANTEES] and sensitivity):
        return sc[L.IFG_GUARANTEE]
    return readiest(guarantors, sensitivity, terms, distances)


@leaf
def _deterrence(
    sc: np.ndarray,
    guarantors: np.ndarray,
    st: np.ndarray,
    agreed: np.ndarray,
    terms: np.ndarray,
    now: np.ndarray,
    proposal: bool,
    distances: np.ndarray,
) -> float:
    """The guarantors' deterrence behind the ceasefire in force (``now``), or behind a proposal's terms."""
    if not sc[L.MEDIATED]:
        return 0.0
    if proposal:
        scale = now[SECURITY_GUARANTEES]
    else:
        scale = terms[SECURITY_GUARANTEES] if agreed[_STEP_STATUS] else sc[L.INTERIM_GUARANTEE]
    if not scale:
        return 0.0
    return sc[L.GUARANTEE_EFFECT] * (_credibility_for(sc, guarantors, now, distances) * scale)


@leaf
def _buffer_in_force(sc: np.ndarray, st: np.ndarray, agreed: np.ndarray, terms: np.ndarray) -> float:
    if not st[S_CEASEFIRE] or not agreed[_STEP_CEASEFIRE]:
        return 0.0
    return sc[L.BUFFER_EFFECT] * terms[DEMILITARISED_ZONE]


@leaf
def _anticipated_shift(sc: np.ndarray, open_steps: int, buffer: float) -> float:
    return anticipated_shift(sc[L.REARMAMENT], buffer, open_steps, sc[L.CONFIDENCE_THRESHOLD], sc[L.CONFIDENCE_GAIN], int(sc[L.MAX_ROUNDS]))


# ---------------------------------------------------------------------------------------------------
# beliefs, the battlefield, aid
# ---------------------------------------------------------------------------------------------------
@leaf
def _everyone_sees(belief: np.ndarray, shift: float) -> None:
    if shift:
        for who in range(3):
            a, b = belief[who][0], belief[who][1]
            strength = a + b
            mean = shifted_mean(a, b, shift)
            belief[who][0], belief[who][1] = mean * strength, (1.0 - mean) * strength


@leaf
def _balance(st: np.ndarray) -> float:
    return sigmoid(st[S_TREND] - st[S_AID_LOGIT])


@leaf
def _ship(sc: np.ndarray, st: np.ndarray, pipeline: np.ndarray, to_ukraine: float, to_russia: float) -> None:
    """Aid pledged enters the pipeline; what was pledged ``aid_lag`` rounds ago reaches the front."""
    lag = int(sc[L.AID_LAG])
    if lag:
        head = int(st[S_PIPE_HEAD])
        delivered_u, delivered_r = pipeline[head][0], pipeline[head][1]
        pipeline[head][0], pipeline[head][1] = to_ukraine, to_russia
        st[S_PIPE_HEAD] = (head + 1) % lag
    else:
        delivered_u, delivered_r = to_ukraine, to_russia
    st[S_AID_LOGIT] = aid_logit(sc[L.AID_EFFECT], sc[L.AID_SATURATION], delivered_u, delivered_r)


@leaf
def _support_round(third: np.ndarray, money: np.ndarray) -> None:
    """The third parties deliver aid and voice their stances (:meth:`model.agents.ThirdParty.act`)."""
    for s in range(2):
        money[s][M_AID] = 0.0
        money[s][M_VOICES] = 0.0
        money[s][M_STANCE] = 0.0
        money[s][M_PUSH] = 0.0
    for t in range(len(third)):
        patron = int(third[t][L.TP_PATRON])
        stance, voice = third[t][L.TP_STANCE], third[t][L.TP_VOICE]
        if patron < 0:
            if voice:
                for s in range(2):
                    money[s][M_PUSH] += voice * stance
            continue
        aid = third[t][L.TP_AID]
        money[patron][M_AID] += aid
        if aid > 0.0:
            money[patron][M_VOICES] += aid
            money[patron][M_STANCE] += aid * stance
        money[patron][M_PUSH] += voice * stance


@leaf
def _aid_shift(st: np.ndarray) -> float:
    aid_part = (st[S_TREND] - st[S_AID_LOGIT]) - st[S_TREND]  # as the Mesa model computes it, rounding included
    shift = aid_part - st[S_LAST_AID_LOGIT]
    st[S_LAST_AID_LOGIT] = aid_part
    return shift


@leaf
def _winner_at(sc: np.ndarray, position: float) -> int:
    if position >= sc[L.UPPER]:
        return RUSSIA
    if position <= sc[L.LOWER]:
        return UKRAINE
    return -1


@leaf
def _cells_in(operations: np.ndarray, o: int, round_number: int) -> int:
    return cells_in(int(operations[o][L.OP_START]), int(operations[o][L.OP_CELLS]), int(operations[o][L.OP_WEEKS]), round_number)


@leaf
def _fight(sc: np.ndarray, side: np.ndarray, operations: np.ndarray, st: np.ndarray, belief: np.ndarray, rng: np.random.Generator) -> None:
    """One engagement of attrition, everyone learning from it; then the round's share of any offensive."""
    russia_won = rng.random() < _balance(st)
    st[S_POSITION] += 1.0 if russia_won else -1.0
    wins, losses = (1, 0) if russia_won else (0, 1)
    memory = side[RUSSIA][L.BELIEF_MEMORY]  # one belief_memory for every observer
    for who in range(3):
        belief[who][0], belief[who][1] = beta_update(belief[who][0], belief[who][1], wins, losses, memory)
    round_number = int(st[S_ROUND])
    for o in range(len(operations)):
        n = _cells_in(operations, o, round_number)
        if not n or _winner_at(sc, st[S_POSITION]) >= 0:
            continue
        toward = st[S_TREND] - st[S_AID_LOGIT]
        russian = operations[o][L.OP_CELLS] > 0
        if not russian:
            toward = -toward
        won = cells_won(rng, n, toward, operations[o][L.OP_EDGE])
        step = won if russian else -won
        st[S_POSITION] = min(max(st[S_POSITION] + step, sc[L.LOWER]), sc[L.UPPER])
    st[S_WINNER] = _winner_at(sc, st[S_POSITION])


@leaf
def _keep_ceasefire(sc: np.ndarray, side: np.ndarray, st: np.ndarray, terms: np.ndarray, rng: np.random.Generator) -> None:
    """A round of ceasefire: violations, caught or not; confidence built or lost (:meth:`model.WarTerminationModel._keep_ceasefire`)."""
    detection = sc[L.MONITOR_STRENGTH] * terms[MONITORS]
    zone = terms[DEMILITARISED_ZONE]
    detected = 0
    for s in range(2):
        what = violation(rng, side[s][L.VIOLATION_RATE], detection, sc[L.ESCALATION_RISK], zone)
        if what == VIOLATION_DETECTED:
            detected += 1
        elif what == VIOLATION_ESCALATED:
            st[S_ESCALATED] = 1.0
        elif what == VIOLATION_GAINED:
            st[S_POSITION] = nudged(int(st[S_POSITION]), s == RUSSIA, int(sc[L.LOWER]), int(sc[L.UPPER]))
    st[S_VIOLATIONS_ROUND] = detected
    st[S_VIOLATIONS] += detected
    st[S_CONFIDENCE] = confidence_after(st[S_CONFIDENCE], detected, sc[L.CONFIDENCE_GAIN], sc[L.CONFIDENCE_LOSS])


# ---------------------------------------------------------------------------------------------------
# ceasefire and talks
# ---------------------------------------------------------------------------------------------------
@kernel
def _ceasefire_breaks(
    sc: np.ndarray,
    side: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    status_quo: np.ndarray,
    guarantors: np.ndarray,
    st: np.ndarray,
    belief: np.ndarray,
    money: np.ndarray,
    values: np.ndarray,
    agreed: np.ndarray,
    terms: np.ndarray,
    forms: np.ndarray,
    talk: tuple,
) -> bool:
    """A side defects when resuming the war is worth more than keeping the ceasefire (Powell 2006)."""
    now = _current_terms(sc, status_quo, st, agreed, terms, talk[8])
    open_steps = 4 - int(st[S_STEPS_AGREED])
    hazard = _hazard(sc, open_steps)
    deterrence = _deterrence(sc, guarantors, st, agreed, terms, now, False, talk[9])
    for s in range(2):
        guarded = deterrence if s == RUSSIA else 0.0
        resume = _side_war_value(sc, side, belief, money, st, s, guarded, 0.0) if guarded else values[s][V_WAR]
        flow = _flow(side, ideal, weight, money, s, now, forms, talk[6])
        keep = agreement_value(flow, sc[L.IFG_INDUCEMENT], open_steps, hazard, money[s][M_CEASEFIRE_COST_NOW], values[s][V_WAR])
        if defects(resume, keep, money[s][M_PUSH_NOW]):
            return True
    return False


@leaf
def _agenda(sc: np.ndarray, st: np.ndarray) -> tuple[int, int]:
    """The steps on the table this round, as a range ``first..last`` (``(0, -1)``: none)."""
    protocol = int(sc[L.PROTOCOL])
    if protocol == L.PROTOCOL_NONE:
        return 0, -1
    if protocol == L.PROTOCOL_IFG_SEQUENTIAL:
        open_step = int(st[S_OPEN_STEP])
        if open_step == _STEP_CEASEFIRE or st[S_CONFIDENCE] >= sc[L.CONFIDENCE_THRESHOLD]:
            return open_step, open_step
        return 0, -1
    return 1, 4


@leaf
def _weight_ukraine(sc: np.ndarray, st: np.ndarray) -> float:
    protocol = int(sc[L.PROTOCOL])
    if protocol == L.PROTOCOL_BILATERAL:
        return 1.0 if int(st[S_ROUND]) % 2 == 0 else 0.0
    if protocol == L.PROTOCOL_NONE:
        return 0.5
    return sc[L.IFG_LEAN]


@leaf
def _floor(
    sc: np.ndarray,
    side: np.ndarray,
    belief: np.ndarray,
    money: np.ndarray,
    st: np.ndarray,
    s: int,
    war_value: float,
    reservation: float,
    open_after: int,
    shift: float,
    deterrence_now: float,
    ceasefire_on_table: bool,
) -> tuple[float, float]:
    """A side's floor and the value of the war a collapse would bring (:meth:`model.agents.Belligerent.floor`)."""
    inducement = sc[L.IFG_INDUCEMENT]
    hazard = _hazard(sc, open_after)
    guarded = deterrence_now if s == RUSSIA else 0.0
    if open_after == 0:
        # a settlement keeps no armies at the line and leaves no war to collapse into
        future, cost = 0.0, 0.0
        if not guarded and not shift:
            resume = war_value
        else:
            resume = _side_war_value(sc, side, belief, money, st, s, guarded, shift)
    else:
        future = _side_war_value(sc, side, belief, money, st, s, 0.0, shift)
        cost = money[s][M_CEASEFIRE_COST_NOW]
        resume = future if not guarded else _side_war_value(sc, side, belief, money, st, s, guarded, shift)
    floor = acceptance_floor(reservation, hazard, future, cost, inducement)
    keeping = self_enforcing_floor(resume, cost, inducement)
    return pressed_floor(floor, keeping, money[s][M_PUSH_NOW], ceasefire_on_table), future


@kernel
def _floors(
    sc: np.ndarray,
    side: np.ndarray,
    belief: np.ndarray,
    money: np.ndarray,
    st: np.ndarray,
    values: np.ndarray,
    open_after: int,
    shift: float,
    deterrence_now: float,
    ceasefire_on_table: bool,
    floors: np.ndarray,
    futures: np.ndarray,
) -> None:
    """Both sides' :func:`_floor` at the round's reservation values, into ``floors`` and ``futures``."""
    for s in range(2):
        floors[s], futures[s] = _floor(
            sc, side, belief, money, st, s, values[s][V_WAR], values[s][V_RESERVATION],
            open_after, shift, deterrence_now, ceasefire_on_table,
        )  # fmt: skip


@kernel
def _negotiate(
    sc: np.ndarray,
    side: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    status_quo: np.ndarray,
    forms_allowed: np.ndarray,
    guarantors: np.ndarray,
    st: np.ndarray,
    belief: np.ndarray,
    money: np.ndarray,
    values: np.ndarray,
    agreed: np.ndarray,
    terms: np.ndarray,
    forms: np.ndarray,
    talk: tuple,
) -> None:
    """The protocol sets the agenda, a proposal is tabled, both sides answer (:meth:`model.WarTerminationModel._negotiate`)."""
    first, last = _agenda(sc, st)
    st[S_TABLE_FIRST], st[S_TABLE_LAST] = first, last
    if last < first:
        return
    n_steps = last - first + 1
    ceasefire_on_table = first == _STEP_CEASEFIRE
    agenda, floors, futures, side_scalars, proposal, new_forms = talk[0], talk[1], talk[2], talk[3], talk[4], talk[5]
    n_agenda = 0
    for step in range(first, last + 1):
        for j in range(_N):
            if _STEP_OF_ISSUE[j] == step and j != _CEASEFIRE_LINE:
                agenda[n_agenda] = j
                n_agenda += 1
    now = _current_terms(sc, status_quo, st, agreed, terms, talk[8])
    open_steps = 4 - int(st[S_STEPS_AGREED])
    open_after = open_steps - n_steps
    zone = sc[L.BUFFER_EFFECT] * now[DEMILITARISED_ZONE] if ceasefire_on_table else _buffer_in_force(sc, st, agreed, terms)
    shift = _anticipated_shift(sc, open_after, zone)
    deterrence_now = _deterrence(sc, guarantors, st, agreed, terms, now, False, talk[9])
    ceasefire = bool(st[S_CEASEFIRE])
    hazard_now = _hazard(sc, open_steps)
    for s in range(2):
        if ceasefire:
            flow = _flow(side, ideal, weight, money, s, now, forms, talk[6])
            values[s][V_RESERVATION] = agreement_value(
                flow, sc[L.IFG_INDUCEMENT], open_steps, hazard_now, money[s][M_CEASEFIRE_COST_NOW], values[s][V_WAR]
            )
        else:
            values[s][V_RESERVATION] = values[s][V_WAR]
    _floors(sc, side, belief, money, st, values, open_after, shift, deterrence_now, ceasefire_on_table, floors, futures)
    for s in range(2):
        side_scalars[s][0] = side[s][L.RISK_AVERSION]
        side_scalars[s][1] = side[s][L.RED_LINE]
        side_scalars[s][2] = money[s][M_RATE_NOW]
        side_scalars[s][3] = side[s][L.UNSIGNED_SHARE]
    in_range = table_with_workspace(
        agenda[:n_agenda],
        now,
        forms,
        forms_allowed,
        sc[L.AUTONOMY_TERM],
        ideal,
        weight,
        side_scalars,
        floors[RUSSIA],
        floors[UKRAINE],
        _weight_ukraine(sc, st),
        proposal,
        new_forms,
        talk[7],
    )
    if ceasefire_on_table:
        proposed_zone = sc[L.BUFFER_EFFECT] * proposal[DEMILITARISED_ZONE]
        if proposed_zone != zone:
            # the sides answer knowing the zone the proposal itself would set, and so the shift it leaves
            shift = _anticipated_shift(sc, open_after, proposed_zone)
            _floors(sc, side, belief, money, st, values, open_after, shift, deterrence_now, ceasefire_on_table, floors, futures)
    st[S_RANGE] = 1.0 if in_range else 0.0
    hazard_after = _hazard(sc, open_after)
    accepted = True
    for s in range(2):
        flow = _flow(side, ideal, weight, money, s, proposal, new_forms, talk[6])
        values[s][V_PROPOSAL] = agreement_value(
            flow, sc[L.IFG_INDUCEMENT], open_after, hazard_after, money[s][M_CEASEFIRE_COST_NOW], futures[s]
        )
        yes = accepts(flow, floors[s])
        st[S_ANSWER + s] = 1.0 if yes else 0.0
        accepted = accepted and yes
    if accepted and (first <= _STEP_STATUS <= last or agreed[_STEP_STATUS]):
        # Russia must keep a ceasefire (or settlement) backed only by the guarantees its own terms set
        deterrence = _deterrence(sc, guarantors, st, agreed, terms, proposal, True, talk[9])
        flow = _flow(side, ideal, weight, money, RUSSIA, proposal, new_forms, talk[6])
        resume = _side_war_value(sc, side, belief, money, st, RUSSIA, deterrence, shift)
        armies = money[RUSSIA][M_CEASEFIRE_COST_NOW] if open_after else 0.0
        accepted = keeps(flow, sc[L.IFG_INDUCEMENT], armies, resume)
    if not accepted:
        return
    for step in range(first, last + 1):
        agreed[step] = True
        for j in range(_N):
            if _STEP_OF_ISSUE[j] == step:
                terms[j] = proposal[j]
        st[S_HIGHEST_STEP] = max(st[S_HIGHEST_STEP], step)
    forms[0], forms[1] = new_forms[0], new_forms[1]
    st[S_STEPS_AGREED] = int(agreed[1]) + int(agreed[2]) + int(agreed[3]) + int(agreed[4])  # int(): NumPy adds booleans as "or"
    if st[S_STEPS_AGREED] == 4:
        st[S_SETTLED] = 1.0
        st[S_CEASEFIRE] = 0.0
        return
    st[S_CEASEFIRE] = 1.0
    st[S_CONFIDENCE] = 0.0
    top = 1
    for step in range(1, 5):
        if agreed[step]:
            top = step
    st[S_OPEN_STEP] = top + 1
    if st[S_FIRST_CEASEFIRE] < 0:
        st[S_FIRST_CEASEFIRE] = st[S_ROUND]


@leaf
def _clear_table(st: np.ndarray, values: np.ndarray) -> None:
    st[S_RANGE] = 0.0
    st[S_TABLE_FIRST], st[S_TABLE_LAST] = 0.0, -1.0
    for s in range(2):
        st[S_ANSWER + s] = -1.0
        values[s][V_RESERVATION] = values[s][V_WAR]
        values[s][V_PROPOSAL] = np.nan


@leaf
def _break_down(sc: np.ndarray, st: np.ndarray, agreed: np.ndarray, forms: np.ndarray) -> None:
    st[S_CEASEFIRE] = 0.0
    for step in range(len(agreed)):
        agreed[step] = False
    st[S_STEPS_AGREED] = 0.0
    forms[0] = forms[1] = FORM_NONE
    st[S_OPEN_STEP] = _STEP_CEASEFIRE
    st[S_CONFIDENCE] = 0.0
    st[S_BREAKDOWNS] += 1
    if st[S_FIRST_BREAKDOWN] < 0:
        st[S_FIRST_BREAKDOWN] = st[S_ROUND]
    st[S_TALKS_RESUME] = st[S_ROUND] + 1 + sc[L.COOLING_OFF]


# ---------------------------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------------------------
@leaf
def _record_round(sc: np.ndarray, st: np.ndarray, belief: np.ndarray, money: np.ndarray, values: np.ndarray, trace: np.ndarray) -> None:
    row = int(st[S_ROUND])
    if row >= trace.shape[0]:
        return
    out = trace[row]
    out[0] = st[S_POSITION] / sc[L.CELLS]
    out[1] = _balance(st)
    out[2] = _belief_mean(belief, RUSSIA)
    out[3] = _belief_mean(belief, UKRAINE)
    out[4] = _belief_mean(belief, MEDIATOR)
    out[5] = values[RUSSIA][V_WAR]
    out[6] = values[UKRAINE][V_WAR]
    out[7] = values[RUSSIA][V_RESERVATION]
    out[8] = values[UKRAINE][V_RESERVATION]
    out[9] = values[RUSSIA][V_PROPOSAL]
    out[10] = values[UKRAINE][V_PROPOSAL]
    out[11] = st[S_RANGE]
    out[12] = st[S_OPEN_STEP]
    out[13] = st[S_STEPS_AGREED]
    out[14] = st[S_CONFIDENCE]
    out[15] = st[S_CEASEFIRE]
    out[16] = st[S_VIOLATIONS_ROUND]
    out[17] = st[S_VIOLATIONS]
    out[18] = st[S_BREAKDOWNS]
    out[19] = money[UKRAINE][M_AID]
    out[20] = money[RUSSIA][M_AID]
    out[21] = math.tanh(money[RUSSIA][M_PUSH])
    out[22] = math.tanh(money[UKRAINE][M_PUSH])
    out[23] = money[RUSSIA][M_COST]
    out[24] = money[UKRAINE][M_COST]


@leaf
def _ending(sc: np.ndarray, st: np.ndarray) -> int:
    """How the run ends this round (``layout.KIND_*``), or -1 while it goes on (:meth:`model.WarTerminationModel._finish_if_over`)."""
    if st[S_WINNER] >= 0:
        return L.KIND_VICTORY
    if st[S_SETTLED]:
        return L.KIND_SETTLEMENT
    if st[S_ROUND] >= sc[L.MAX_ROUNDS]:
        return L.KIND_CEASEFIRE if st[S_CEASEFIRE] else L.KIND_WAR
    return -1


@kernel
def _finish(
    sc: np.ndarray,
    ideal: np.ndarray,
    st: np.ndarray,
    money: np.ndarray,
    agreed: np.ndarray,
    terms: np.ndarray,
    forms: np.ndarray,
    kind: int,
) -> np.ndarray:
    """The outcome record of a run that ended this round as ``kind`` (:meth:`model.WarTerminationModel._record`)."""
    winner = int(st[S_WINNER])
    out = np.full(L.N_OUTCOME, np.nan)
    out[L.OUT_KIND] = kind
    out[L.OUT_WINNER] = winner
    out[L.OUT_ROUNDS] = st[S_ROUND]
    out[L.OUT_STEP_REACHED] = st[S_HIGHEST_STEP]
    out[L.OUT_FIRST_CEASEFIRE] = st[S_FIRST_CEASEFIRE]
    out[L.OUT_BREAKDOWNS] = st[S_BREAKDOWNS]
    out[L.OUT_VIOLATIONS] = st[S_VIOLATIONS]
    out[L.OUT_FINAL_FRONT] = st[S_POSITION] / sc[L.CELLS]
    out[L.OUT_FINAL_BALANCE] = _balance(st)
    out[L.OUT_COST_RUSSIA] = money[RUSSIA][M_COST]
    out[L.OUT_COST_UKRAINE] = money[UKRAINE][M_COST]
    out[L.OUT_FIRST_BREAKDOWN] = st[S_FIRST_BREAKDOWN]
    out[L.OUT_FORM_CRIMEA] = FORM_NONE
    out[L.OUT_FORM_DONBAS] = FORM_NONE
    if kind == L.KIND_VICTORY:
        for j in range(_N):
            out[L.OUT_TERMS + j] = ideal[winner][j]
        return out
    for j in range(_N):
        if agreed[_STEP_OF_ISSUE[j]]:
            out[L.OUT_TERMS + j] = terms[j]
    for t, j in enumerate((_CRIMEA, _DONBAS)):
        out[L.OUT_FORM_CRIMEA + t] = forms[t]
        if forms[t] == FORM_DEFERRED:
            out[L.OUT_TERMS + j] = np.nan  # left to later talks: unresolved
    return out


@kernel
def begin(
    sc: np.ndarray,
    side: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    status_quo: np.ndarray,
    forms_allowed: np.ndarray,
    third: np.ndarray,
    guarantors: np.ndarray,
    state: tuple,
    talk: tuple,
    trace: np.ndarray,
) -> int:
    """Set a fresh ``state`` (:func:`new_state`) to round 0 and hold its talks; return how the run ends there, or -1.

    Round 0 is the state as the scenario starts: the first aid, the
    pipeline primed with the record's aid, the IFG's estimate at the true
    balance, the values of war; talks may open before the first engagement
    (Fearon 1995: bargaining before war), so an agreement here holds from
    round 1.
    """
    st, belief, money, values, agreed, terms, forms, pipeline = state
    st[S_POSITION] = sc[L.INITIAL_POSITION]
    st[S_TREND] = sc[L.INITIAL_TREND]
    st[S_OPEN_STEP] = _STEP_CEASEFIRE
    st[S_FIRST_CEASEFIRE] = -1.0
    st[S_FIRST_BREAKDOWN] = -1.0
    st[S_WINNER] = -1.0
    for s in range(2):
        belief[s][0], belief[s][1] = side[s][L.PRIOR_A], side[s][L.PRIOR_B]
    _support_round(third, money)
    for slot in range(int(sc[L.AID_LAG])):
        pipeline[slot][0], pipeline[slot][1] = sc[L.UNDER_WAY_UKRAINE], sc[L.UNDER_WAY_RUSSIA]
    _ship(sc, st, pipeline, money[UKRAINE][M_AID], money[RUSSIA][M_AID])
    st[S_LAST_AID_LOGIT] = (st[S_TREND] - st[S_AID_LOGIT]) - st[S_TREND]
    truth = _balance(st)
    belief[MEDIATOR][0], belief[MEDIATOR][1] = truth * sc[L.IFG_INTELLIGENCE], (1.0 - truth) * sc[L.IFG_INTELLIGENCE]
    _price_round(side, belief, money)
    for s in range(2):
        values[s][V_WAR] = _side_war_value(sc, side, belief, money, st, s, 0.0, 0.0)
    _clear_table(st, values)
    _negotiate(sc, side, ideal, weight, status_quo, forms_allowed, guarantors, st, belief, money, values, agreed, terms, forms, talk)
    _record_round(sc, st, belief, money, values, trace)
    return L.KIND_SETTLEMENT if st[S_SETTLED] else -1


@kernel
def play_round(
    sc: np.ndarray,
    side: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    status_quo: np.ndarray,
    forms_allowed: np.ndarray,
    third: np.ndarray,
    guarantors: np.ndarray,
    operations: np.ndarray,
    state: tuple,
    talk: tuple,
    battle_rng: np.random.Generator,
    ceasefire_rng: np.random.Generator,
    trace: np.ndarray,
) -> int:
    """Play one round (one week) of a run in ``state``; return how the run ends this round (``layout.KIND_*``), or -1.

    The schedule of a round (docs/ODD.md, section 3): the trend moves the
    balance; the sides fight, or keep the ceasefire, and pay; the third
    parties aid and press; the IFG shares its estimate; the sides value the
    war; a ceasefire holds or breaks; a proposal is tabled and answered;
    the round is recorded once its end is known.
    """
    st, belief, money, values, agreed, terms, forms, pipeline = state
    st[S_ROUND] += 1
    st[S_VIOLATIONS_ROUND] = 0.0
    st[S_ESCALATED] = 0.0
    # the trend
    ceasefire = bool(st[S_CEASEFIRE])
    shift = trend_shift(
        sc[L.MOMENTUM],
        int(st[S_ROUND]),
        int(sc[L.SHOCK_ROUND]),
        sc[L.SHOCK_SIZE],
        ceasefire,
        sc[L.REARMAMENT],
        _buffer_in_force(sc, st, agreed, terms),
    )
    st[S_TREND] += shift
    _everyone_sees(belief, shift)
    # fighting or keeping the ceasefire, and paying for it
    if ceasefire:
        _keep_ceasefire(sc, side, st, terms, ceasefire_rng)
    else:
        _fight(sc, side, operations, st, belief, battle_rng)
    for s in range(2):
        money[s][M_COST] += _cost_of_round(side, money, s, ceasefire)
    if not ceasefire and st[S_WINNER] < 0:
        # a side whose costs passed its capacity collapses at war (Russia checked first): its opponent wins
        for s in range(2):
            if money[s][M_COST] > side[s][L.CAPACITY]:
                st[S_WINNER] = 1 - s
                break
    # third parties, the IFG's message, the values of war
    _support_round(third, money)
    _ship(sc, st, pipeline, money[UKRAINE][M_AID], money[RUSSIA][M_AID])
    _everyone_sees(belief, _aid_shift(st))
    if sc[L.MEDIATED] and sc[L.IFG_INFORMATION]:  # with no mediator at the table, nobody carries its estimate
        _share_information(sc, belief)
    _price_round(side, belief, money)
    for s in range(2):
        values[s][V_WAR] = _side_war_value(sc, side, belief, money, st, s, 0.0, 0.0)
    # the ceasefire holds or breaks; talks
    if st[S_CEASEFIRE] and (
        st[S_ESCALATED]
        or _ceasefire_breaks(sc, side, ideal, weight, status_quo, guarantors, st, belief, money, values, agreed, terms, forms, talk)
    ):
        _break_down(sc, st, agreed, forms)
    _clear_table(st, values)
    if st[S_WINNER] < 0 and st[S_ROUND] >= st[S_TALKS_RESUME]:
        _negotiate(sc, side, ideal, weight, status_quo, forms_allowed, guarantors, st, belief, money, values, agreed, terms, forms, talk)
    ending = _ending(sc, st)
    _record_round(sc, st, belief, money, values, trace)
    return ending


@leaf
def _share_information(sc: np.ndarray, belief: np.ndarray) -> None:
    """The IFG tells each side its estimate; each weighs it by the IFG's credibility toward it (Kydd 2003)."""
    estimate = _belief_mean(belief, MEDIATOR)
    for s in range(2):
        lean_toward = sc[L.IFG_LEAN] if s == UKRAINE else 1.0 - sc[L.IFG_LEAN]
        mean = _belief_mean(belief, s)
        hear = sc[L.IFG_INFORMATION_WEIGHT] * credibility_toward(lean_toward, estimate, mean, s == RUSSIA)
        if hear > 0.0:
            shifted = heard_mean(mean, estimate, hear)
            strength = belief[s][0] + belief[s][1]
            belief[s][0], belief[s][1] = shifted * strength, (1.0 - shifted) * strength


@kernel
def finish(sc: np.ndarray, ideal: np.ndarray, state: tuple, kind: int) -> np.ndarray:
    """The outcome record (``layout.OUT_*``) of the run in ``state``, which ended this round as ``kind``."""
    st, _belief, money, _values, agreed, terms, forms, _pipeline = state
    return _finish(sc, ideal, st, money, agreed, terms, forms, kind)


@kernel
def simulate(
    sc: np.ndarray,
    side: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    status_quo: np.ndarray,
    forms_allowed: np.ndarray,
    third: np.ndarray,
    guarantors: np.ndarray,
    operations: np.ndarray,
    battle_rng: np.random.Generator,
    ceasefire_rng: np.random.Generator,
    trace: np.ndarray,
) -> np.ndarray:
    """Play a whole run; return its outcome record (``layout.OUT_*``), filling ``trace`` with its rounds where it has rows.

    Args:
        sc: The run's scalars (``Inputs.scalars``).
        side: Each belligerent's numbers (``Inputs.side``).
        ideal: Each belligerent's ideal point.
        weight: Each belligerent's normalised salience.
        status_quo: Every issue's value before any agreement.
        forms_allowed: The territorial forms a proposer may table (``Inputs.forms``).
        third: The active third parties.
        guarantors: The IFG members that would guarantee, the most committed first.
        operations: The scheduled offensives.
        battle_rng: The battle's stream (the first the Mesa model spawns from the run's seed).
        ceasefire_rng: The ceasefire's stream (the second).
        trace: ``[rows, layout.N_TRACE]``: row ``r`` receives round ``r``'s record (a zero-row array records nothing).

    Returns:
        The outcome record.
    """
    state = new_state(int(sc[L.AID_LAG]))
    talk = new_scratch()
    ending = begin(sc, side, ideal, weight, status_quo, forms_allowed, third, guarantors, state, talk, trace)
    while ending < 0:
        ending = play_round(
            sc, side, ideal, weight, status_quo, forms_allowed, third, guarantors, operations, state, talk, battle_rng, ceasefire_rng, trace
        )
    return finish(sc, ideal, state, ending)
