"""The schedule of a round and of a whole run, over the run's state: the one the Mesa model steps and the runner compiles.

The runner calls :func:`simulate` with a run's inputs (:func:`model.engine.inputs.pack`)
and its seed, from which it spawns the random streams the Mesa model spawns
(the battle's, the ceasefire's and, where drawn, the rate of rearmament's;
:mod:`model.engine.streams`); it returns the outcome record as an array
(:mod:`model.engine.layout`, ``OUT_*``) and, where asked, the per-round
record (``TRACE_COLUMNS``).

This module is the model's schedule, written once: :func:`play_round` is a
round, :func:`begin` round 0. :class:`model.WarTerminationModel` steps them
interpreted, a round at a time, over the same state (lists of the same
numbers), and :func:`simulate` plays them compiled, a whole run in one call,
for the runner; ``tests/test_engine_parity.py`` checks that the two give the
same floats. The mechanisms are the kernels of
:mod:`model.engine.mechanics` and :mod:`model.engine.bargain`; each carries
its source, and docs/ODD.md gathers them.
"""

from __future__ import annotations

import math

import numpy as np

from model.engine import layout as L
from model.engine.bargain import _terms_flow, table_with_workspace
from model.engine.borrow import borrowed, held
from model.engine.codes import FORM_DEFERRED, FORM_NONE, RUSSIA, UKRAINE
from model.engine.jit import kernel, leaf, owns_arrays
from model.engine.mechanics import (
    VIOLATION_DETECTED,
    VIOLATION_ESCALATED,
    VIOLATION_GAINED,
    acceptance_floor,
    accepts,
    agenda_range,
    agreement_value,
    anticipated_shift,
    audience_rate,
    confidence_after,
    cost_of_round,
    defects,
    draws_own_rearmament,
    keeps,
    political_push,
    pressed_floor,
    proposer_weight,
    readiest,
    rearmament_rate,
    self_enforcing_floor,
    side_war_value,
    unresolved_hazard,
    violation,
)
from model.engine.state import (
    M_AID,
    M_CEASEFIRE_COST_NOW,
    M_COST,
    M_LOGIT_NOW,
    M_PUSH,
    M_PUSH_NOW,
    M_RATE_NOW,
    M_STANCE,
    M_VOICES,
    M_WAR_COST_NOW,
    MEDIATOR,
    S_AID_LOGIT,
    S_ANSWER,
    S_BREAKDOWNS,
    S_CEASEFIRE,
    S_CONFIDENCE,
    S_ESCALATED,
    S_FIRST_BREAKDOWN,
    S_FIRST_CEASEFIRE,
    S_HIGHEST_STEP,
    S_LAST_AID_LOGIT,
    S_OPEN_STEP,
    S_POSITION,
    S_RANGE,
    S_ROUND,
    S_SETTLED,
    S_STEPS_AGREED,
    S_TABLE_FIRST,
    S_TABLE_LAST,
    S_TALKS_RESUME,
    S_TREND,
    S_VIOLATIONS,
    S_VIOLATIONS_ROUND,
    S_WINNER,
    V_PROPOSAL,
    V_RESERVATION,
    V_WAR,
    balance,
    belief_mean,
    clear_support,
    deliver,
    drift,
    engage,
    new_scratch,
    new_state,
    nudge,
    observe,
    operate,
    prime,
    see_shift,
    ship,
    tell,
    winner_at,
)
from model.engine.streams import Stream, spawned
from model.engine.valuation import logit
from model.issues import DEMILITARISED_ZONE, ISSUE_INDEX, ISSUES, MONITORS, SECURITY_GUARANTEES, STEP_ISSUES, Step

__all__ = ["begin", "finish", "play_round", "simulate"]

_N = L.N_ISSUES

# the issues of each step (1..4), the ceasefire line included; and those bargained (it excluded)
_STEP_OF_ISSUE = tuple(next(int(step) for step in Step if issue in STEP_ISSUES[step]) for issue in ISSUES)
_CEASEFIRE_LINE = ISSUE_INDEX["ceasefire_line"]
_WITHDRAWAL = ISSUE_INDEX["withdrawal"]
_CRIMEA = ISSUE_INDEX["crimea"]
_DONBAS = ISSUE_INDEX["donbas"]
_STEP_CEASEFIRE = int(Step.CEASEFIRE)
_STEP_STATUS = int(Step.STATUS)

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
        money[s][M_LOGIT_NOW] = logit(belief_mean(belief[s]))


@leaf
def _side_war_value(
    sc: np.ndarray, side: np.ndarray, belief: np.ndarray, money: np.ndarray, st: np.ndarray, s: int, deterrence: float, shift: float
) -> float:
    """A side's value of fighting on (:func:`model.engine.mechanics.side_war_value`), at this round's prices."""
    return side_war_value(
        belief_mean(belief[s]),
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
    """The readiest guarantor's commitment to ``terms`` (:meth:`model.agents.Mediator.credibility_for`).

    The guarantors weigh the terms they would fight for (those proposed, or
    those standing now); with ``guarantee_terms`` at 0 it is the most
    committed member's guarantee, whatever the terms.
    """
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
    """Log-odds the guarantors take from Russia's chances in a war it restarts (Walter 1997), behind ``now``.

    ``now`` are the terms standing (``proposal`` false: the ceasefire in
    force, scaled by the agreed guarantees or, before step 2, the interim
    guarantee) or a proposal's (scaled by the guarantees it sets). The
    guarantors are the IFG's members: their guarantee backs the agreements
    the IFG brokers, so a protocol with no mediator at the table
    (``bilateral``, ``none``) has none. The credibility is the readiest
    guarantor's commitment to the terms (:func:`_credibility_for`).
    """
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
    """The share of rearmament's effect the agreed demilitarised zone cancels while a ceasefire holds.

    Forces pulled back from the line need time to mass for an attack, so
    what is rebuilt behind the zone shifts the balance less (Fortna 2003;
    the linear form, ``buffer_effect`` times the zone's term, is an assumption).
    """
    if not st[S_CEASEFIRE] or not agreed[_STEP_CEASEFIRE]:
        return 0.0
    return sc[L.BUFFER_EFFECT] * terms[DEMILITARISED_ZONE]


@leaf
def _anticipated_shift(sc: np.ndarray, open_steps: int, buffer: float) -> float:
    """The shift both sides expect over the ceasefire's life (:func:`model.engine.mechanics.anticipated_shift`).

    A rearmament both sides know is priced in (Powell 2006): an agreement
    leaving ``open_steps`` later steps open must stay self-enforcing until
    they are all agreed, each of them a confidence window away; a zone
    cancels the ``buffer`` share of it.
    """
    return anticipated_shift(sc[L.REARMAMENT], buffer, open_steps, sc[L.CONFIDENCE_THRESHOLD], sc[L.CONFIDENCE_GAIN], int(sc[L.MAX_ROUNDS]))


# ---------------------------------------------------------------------------------------------------
# beliefs, the battlefield, aid
# ---------------------------------------------------------------------------------------------------
@leaf
def _everyone_sees(belief: np.ndarray, shift: float) -> None:
    """A public shift of the balance (log-odds) moves every belief, the IFG's included."""
    if shift:
        for who in range(3):
            see_shift(belief[who], shift)


@leaf
def _support_round(third: np.ndarray, money: np.ndarray) -> None:
    """The third parties deliver this round's aid to their patrons and voice their stances on talks (:func:`model.engine.state.deliver`)."""
    for s in range(2):
        clear_support(money[s])
    for t in range(len(third)):
        deliver(third[t], money[RUSSIA], money[UKRAINE])


@leaf
def _aid_shift(st: np.ndarray) -> float:
    aid_part = (st[S_TREND] - st[S_AID_LOGIT]) - st[S_TREND]  # as the Mesa model computes it, rounding included
    shift = aid_part - st[S_LAST_AID_LOGIT]
    st[S_LAST_AID_LOGIT] = aid_part
    return shift


@leaf
def _fight(sc: np.ndarray, side: np.ndarray, operations: np.ndarray, st: np.ndarray, belief: np.ndarray, rng: Stream) -> None:
    """One engagement of attrition at the true balance, which everyone learns from; then any scheduled offensive.

    The engagement moves the front one cell (:class:`model.battlefield.Battlefield`)
    and is a Bernoulli trial each observer's Beta belief updates on, with
    ``belief_memory`` (:func:`model.engine.mechanics.beta_update`). An offensive's engagements
    are fought at the attacker's local edge, which both sides know of, so
    they are no evidence of the balance of attrition: the sides see the front
    they move, not a lesson about ``p`` (assumption: otherwise one operation
    at a large edge would teach both sides a balance that holds nowhere else
    on the front). Each cell attacked is one engagement the attacker wins with
    the balance shifted ``edge`` its way; a cell lost stalls the offensive
    there (:meth:`model.battlefield.Battlefield.operate`). No draw is made in
    a round without an operation.
    """
    russia_won = engage(st, rng, balance(st))
    wins, losses = (1, 0) if russia_won else (0, 1)
    memory = side[RUSSIA][L.BELIEF_MEMORY]  # one belief_memory for every observer
    for who in range(3):
        observe(belief[who], wins, losses, memory)
    operate(sc, operations, st, rng, int(st[S_ROUND]))
    st[S_WINNER] = winner_at(sc, st[S_POSITION])


@leaf
def _keep_ceasefire(sc: np.ndarray, side: np.ndarray, st: np.ndarray, terms: np.ndarray, rng: Stream) -> None:
    """A round of ceasefire: each side may violate it; monitors catch some violations, the zone contains others.

    A violation the monitors detect (with probability ``monitor_strength``
    times the agreed monitors term) is investigated: it costs confidence and
    nothing else. One they miss may spiral into renewed war (with
    probability ``escalation_risk`` times one less the agreed demilitarised
    zone) or gain its author a cell of the front (with probability one less
    the zone), short of its war aim. A quiet round builds confidence toward
    the next step. Fortna 2003 (*Scraps of Paper?*, International
    Organization 57(2)) and 2004 (*Peace Time*): ceasefires with monitors
    and demilitarised zones last longer, because incidents are caught and
    settled instead of spiralling, and because forces kept apart cannot
    creep forward or attack by surprise; the linear forms are assumptions.
    """
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
            nudge(sc, st, s == RUSSIA)
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
    """A side defects when resuming the war is worth more than keeping the ceasefire (Powell 2006).

    Keeping is valued at the terms standing and with the backers' political
    push, which a side forfeits with them by breaking it; Russia's war is
    valued against the guarantors' deterrence (:func:`_deterrence`).
    """
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
    return agenda_range(int(sc[L.PROTOCOL]), int(st[S_OPEN_STEP]), st[S_CONFIDENCE], sc[L.CONFIDENCE_THRESHOLD])


@leaf
def _weight_ukraine(sc: np.ndarray, st: np.ndarray) -> float:
    return proposer_weight(int(sc[L.PROTOCOL]), int(st[S_ROUND]), sc[L.IFG_LEAN])


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
    """The protocol sets the agenda, a proposal is tabled, both sides answer; agreed if both accept.

    Each side's reservation is its value of war, or of the ceasefire in
    force; its floor asks that an agreement be worth it and be
    self-enforcing once the anticipated shift has happened (Powell 2006),
    moved by the backers' pressure while step 1 is on the table
    (:meth:`model.agents.Belligerent.floor`). The proposer's table
    (:func:`model.engine.bargain.table_with_workspace`) puts the terms; the
    sides answer knowing the zone the proposal itself would set. An
    agreement with the international status agreed or on the table must
    also be one Russia keeps backed only by the guarantees its own terms set
    (terms that strip the guarantees would otherwise be accepted under the
    interim guarantee and broken at once). Four steps agreed settle the war;
    fewer begin (or continue) a ceasefire, whose confidence starts at 0.
    """
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
    """The ceasefire collapses: every agreed step is void, step 1 reopens, confidence restarts.

    The war resumes, and talks wait ``cooling_off`` rounds of renewed
    fighting (the round of the breakdown aside): a side that has just been
    attacked does not sign again the next week (Fortna 2004, *Peace Time*:
    failed ceasefires are followed by renewed fighting, not by an immediate
    new ceasefire).
    """
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
    out[1] = balance(st)
    out[2] = belief_mean(belief[RUSSIA])
    out[3] = belief_mean(belief[UKRAINE])
    out[4] = belief_mean(belief[MEDIATOR])
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
    """How the run ends this round (``layout.KIND_*``), or -1 while it goes on.

    A victory (a war aim reached, or a collapse at war), a settlement, or the
    horizon, where the run ends in a ceasefire or at war.
    """
    if st[S_WINNER] >= 0:
        return L.KIND_VICTORY
    if st[S_SETTLED]:
        return L.KIND_SETTLEMENT
    if st[S_ROUND] >= sc[L.MAX_ROUNDS]:
        return L.KIND_CEASEFIRE if st[S_CEASEFIRE] else L.KIND_WAR
    return -1


@owns_arrays
def finish(
    sc: np.ndarray,
    ideal: np.ndarray,
    st: np.ndarray,
    money: np.ndarray,
    agreed: np.ndarray,
    terms: np.ndarray,
    forms: np.ndarray,
    kind: int,
) -> np.ndarray:
    """The outcome record of a run that ended this round as ``kind``: the winner's ideal terms after a victory, else the terms agreed.

    A territorial issue deferred to later talks is unresolved (NaN),
    whatever stands meanwhile.
    """
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
    out[L.OUT_FINAL_BALANCE] = balance(st)
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


@leaf  # inlined into simulate when compiled: a call passing the run's arrays a round costs a tenth of a run
def begin(
    sc: np.ndarray,
    side: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    status_quo: np.ndarray,
    forms_allowed: np.ndarray,
    third: np.ndarray,
    guarantors: np.ndarray,
    st: np.ndarray,
    belief: np.ndarray,
    money: np.ndarray,
    values: np.ndarray,
    agreed: np.ndarray,
    terms: np.ndarray,
    forms: np.ndarray,
    pipeline: np.ndarray,
    talk: tuple,
    trace: np.ndarray,
) -> int:
    """Set a fresh state (:func:`new_state`, ``st`` to ``pipeline``) to round 0 and hold its talks; return how the run ends there, or -1.

    Round 0 is the state as the scenario starts: the first aid, the
    pipeline primed with the record's aid, the IFG's estimate at the true
    balance, the values of war; talks may open before the first engagement
    (Fearon 1995: bargaining before war), so an agreement here holds from
    round 1.
    """
    st[S_POSITION] = sc[L.INITIAL_POSITION]
    st[S_TREND] = sc[L.INITIAL_TREND]
    st[S_OPEN_STEP] = _STEP_CEASEFIRE
    st[S_FIRST_CEASEFIRE] = -1.0
    st[S_FIRST_BREAKDOWN] = -1.0
    st[S_WINNER] = -1.0
    for s in range(2):
        belief[s][0], belief[s][1] = side[s][L.PRIOR_A], side[s][L.PRIOR_B]
    _support_round(third, money)
    prime(sc, pipeline, sc[L.UNDER_WAY_UKRAINE], sc[L.UNDER_WAY_RUSSIA])
    ship(sc, st, pipeline, money[UKRAINE][M_AID], money[RUSSIA][M_AID])
    st[S_LAST_AID_LOGIT] = (st[S_TREND] - st[S_AID_LOGIT]) - st[S_TREND]
    truth = balance(st)
    belief[MEDIATOR][0], belief[MEDIATOR][1] = truth * sc[L.IFG_INTELLIGENCE], (1.0 - truth) * sc[L.IFG_INTELLIGENCE]
    _price_round(side, belief, money)
    for s in range(2):
        values[s][V_WAR] = _side_war_value(sc, side, belief, money, st, s, 0.0, 0.0)
    _clear_table(st, values)
    _negotiate(sc, side, ideal, weight, status_quo, forms_allowed, guarantors, st, belief, money, values, agreed, terms, forms, talk)
    _record_round(sc, st, belief, money, values, trace)
    return L.KIND_SETTLEMENT if st[S_SETTLED] else -1


@leaf  # inlined into simulate when compiled (see begin)
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
    st: np.ndarray,
    belief: np.ndarray,
    money: np.ndarray,
    values: np.ndarray,
    agreed: np.ndarray,
    terms: np.ndarray,
    forms: np.ndarray,
    pipeline: np.ndarray,
    talk: tuple,
    battle_rng: Stream,
    ceasefire_rng: Stream,
    trace: np.ndarray,
) -> int:
    """Play one round (one week) of the run in the state ``st`` to ``pipeline``; return how it ends this round (``layout.KIND_*``), or -1.

    The schedule of a round (docs/ODD.md, section 3): the trend moves the
    balance; the sides fight, or keep the ceasefire, and pay; the third
    parties aid and press; the IFG shares its estimate; the sides value the
    war; a ceasefire holds or breaks; a proposal is tabled and answered;
    the round is recorded once its end is known.
    """
    st[S_ROUND] += 1
    st[S_VIOLATIONS_ROUND] = 0.0
    st[S_ESCALATED] = 0.0
    # the trend
    ceasefire = bool(st[S_CEASEFIRE])
    shift = drift(sc, st, int(st[S_ROUND]), ceasefire, _buffer_in_force(sc, st, agreed, terms))
    _everyone_sees(belief, shift)
    # fighting or keeping the ceasefire, and paying for it
    if ceasefire:
        _keep_ceasefire(sc, side, st, terms, ceasefire_rng)
    else:
        _fight(sc, side, operations, st, belief, battle_rng)
    for s in range(2):
        money[s][M_COST] += _cost_of_round(side, money, s, ceasefire)
    if not ceasefire and st[S_WINNER] < 0:
        # a side whose costs passed its capacity collapses, at war only (in a ceasefire it collapses in the first
        # round of war after a breakdown); Russia is checked first if both pass together; its opponent wins
        for s in range(2):
            if money[s][M_COST] > side[s][L.CAPACITY]:
                st[S_WINNER] = 1 - s
                break
    # third parties, the IFG's message, the values of war
    _support_round(third, money)
    ship(sc, st, pipeline, money[UKRAINE][M_AID], money[RUSSIA][M_AID])
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
    """The IFG tells each side its estimate; each weighs it by the IFG's credibility toward it (:func:`model.engine.state.tell`)."""
    estimate = belief_mean(belief[MEDIATOR])
    for s in range(2):
        tell(belief[s], estimate, sc[L.IFG_LEAN], sc[L.IFG_INFORMATION_WEIGHT], s == RUSSIA)


@owns_arrays
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
    seed_words: np.ndarray,
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
        seed_words: The run's seed as 32-bit words, least significant first
            (:func:`model.engine.streams.entropy`): the battle's, the
            ceasefire's and the rearmament's streams are spawned from it
            (children 0, 1 and 2), as the Mesa model spawns them.
        trace: ``[rows, layout.N_TRACE]``: row ``r`` receives round ``r``'s record (a zero-row array records nothing).

    Returns:
        The outcome record.
    """
    battle_rng, ceasefire_rng = spawned(seed_words, 0), spawned(seed_words, 1)
    if draws_own_rearmament(sc[L.REARMAMENT], sc[L.REARMAMENT_SPREAD]):
        sc = sc.copy()  # the run's own rate, not the design point's mean
        sc[L.REARMAMENT] = rearmament_rate(spawned(seed_words, 2), sc[L.REARMAMENT], sc[L.REARMAMENT_SPREAD])
    # the run owns its arrays here and lends its kernels views without reference counts (model.engine.borrow)
    owners = (
        (sc, side, ideal, weight, status_quo, forms_allowed, third, guarantors, operations, trace),
        new_state(int(sc[L.AID_LAG])),
        new_scratch(),
        (battle_rng, ceasefire_rng),
    )
    inputs, state, talk, streams = borrowed(owners)
    sc, side, ideal, weight, status_quo, forms_allowed, third, guarantors, operations, trace = inputs
    st, belief, money, values, agreed, terms, forms, pipeline = state
    battle_rng, ceasefire_rng = streams
    ending = begin(
        sc, side, ideal, weight, status_quo, forms_allowed, third, guarantors,
        st, belief, money, values, agreed, terms, forms, pipeline, talk, trace,
    )  # fmt: skip
    while ending < 0:
        ending = play_round(
            sc, side, ideal, weight, status_quo, forms_allowed, third, guarantors, operations,
            st, belief, money, values, agreed, terms, forms, pipeline, talk, battle_rng, ceasefire_rng, trace,
        )  # fmt: skip
    out = finish(sc, ideal, st, money, agreed, terms, forms, ending)  # a new array, owned: it outlives the run
    held(owners)
    return out
