"""A run's state, where each of its numbers lives, and the kernels that change one agent's part of it.

The state is a handful of arrays (:func:`new_state`; lists of the same
numbers when it is played interpreted). The schedule
(:mod:`model.engine.whole_run`) changes it round by round; the Mesa model's
agents read and write their rows of it (:mod:`model.agents`,
:mod:`model.battlefield`), and an agent made on its own keeps rows of the
same layout. The kernels below are the changes one agent's rows undergo (a
belief that learns, hears or sees a shift; aid received; the front moved);
the schedule and the agents' methods both call them, so each is written
once.
"""

from __future__ import annotations

import numpy as np

from model.engine import layout as L
from model.engine.bargain import _allocate
from model.engine.codes import FORM_NONE, RUSSIA, UKRAINE
from model.engine.jit import leaf, owns_arrays, stand_in
from model.engine.mechanics import aid_logit, beta_update, cells_in, cells_won, credibility_toward, heard_mean, nudged, trend_shift
from model.engine.streams import Stream, uniform
from model.engine.valuation import shifted_mean, sigmoid

_N = L.N_ISSUES
MEDIATOR = 2
"""The third row of ``belief``: the IFG's estimate (Russia's and Ukraine's come first)."""

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


@owns_arrays
def new_state(n_pipeline: int) -> tuple[np.ndarray, ...]:
    """A fresh state, ``(st, belief, money, values, agreed, terms, forms, pipeline)``: the slots above name its numbers."""
    st = np.zeros(N_STATE)
    belief = np.zeros((3, 2))  # Russia's, Ukraine's and the IFG's Beta(a, b)
    money = np.zeros((2, N_MONEY))  # per side: cumulative cost, aid, voices, voiced stance, political push; the round's prices
    values = np.zeros((2, 3))  # per side: war value, reservation, proposal value
    agreed = np.zeros(5, dtype=np.bool_)  # steps 1..4 agreed
    terms = np.zeros(_N)  # the agreed terms (where their step is agreed)
    forms = np.full(2, FORM_NONE, dtype=np.int64)
    pipeline = np.zeros((max(n_pipeline, 1), 2))  # aid shipped and not yet at the front (to Ukraine, to Russia)
    return st, belief, money, values, agreed, terms, forms, pipeline


@owns_arrays
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
# a belief: a row (a, b) of `belief`
# ---------------------------------------------------------------------------------------------------
@leaf
def belief_mean(row: np.ndarray) -> float:
    """The mean of a Beta belief: the believed chance that Russia wins an engagement."""
    return row[0] / (row[0] + row[1])


@leaf
def observe(row: np.ndarray, wins: int, losses: int, memory: float) -> None:
    """A belief learns from a round's engagements (:func:`model.engine.mechanics.beta_update`)."""
    row[0], row[1] = beta_update(row[0], row[1], wins, losses, memory)


@leaf
def see_shift(row: np.ndarray, shift: float) -> None:
    """A belief moves by a public shift of the balance (log-odds), keeping its strength.

    Aid reaching the front, the trend's drift, a shock and rearmament are
    seen by everyone: the belief's mean moves as the balance's log-odds do,
    and it is held as firmly as before.
    """
    a, b = row[0], row[1]
    strength = a + b
    mean = shifted_mean(a, b, shift)
    row[0], row[1] = mean * strength, (1.0 - mean) * strength


@leaf
def hear(row: np.ndarray, estimate: float, weight: float) -> None:
    """A belief's mean moves toward a mediator's ``estimate`` by ``weight`` (:func:`~model.engine.mechanics.heard_mean`), held as firmly."""
    if weight > 0.0:
        shifted = heard_mean(belief_mean(row), estimate, weight)
        strength = row[0] + row[1]
        row[0], row[1] = shifted * strength, (1.0 - shifted) * strength


@leaf
def tell(row: np.ndarray, estimate: float, lean: float, information_weight: float, hearer_is_russia: bool) -> None:
    """The IFG tells a side its estimate; the side weighs it by the IFG's credibility toward it (Kydd 2003).

    ``lean`` is the IFG's; advice to concede is believed from a mediator
    biased toward the hearer, encouragement from one biased against it
    (:func:`model.engine.mechanics.credibility_toward`).
    """
    lean_toward = 1.0 - lean if hearer_is_russia else lean
    hear(row, estimate, information_weight * credibility_toward(lean_toward, estimate, belief_mean(row), hearer_is_russia))


# ---------------------------------------------------------------------------------------------------
# a side's support: its row of `money`
# ---------------------------------------------------------------------------------------------------
@leaf
def clear_support(row: np.ndarray) -> None:
    """A side forgets last round's aid and pressure before the third parties act again."""
    row[M_AID] = 0.0
    row[M_VOICES] = 0.0
    row[M_STANCE] = 0.0
    row[M_PUSH] = 0.0


@leaf
def push(row: np.ndarray, voice: float, stance: float) -> None:
    """A third party's political push on a side: ``voice * stance`` (positive for talks)."""
    row[M_PUSH] += voice * stance


@leaf
def receive(row: np.ndarray, aid: float, stance: float, voice: float) -> None:
    """A side takes a patron's aid and hears its stance, through its aid and through its voice.

    In the aid channel a patron's stance weighs with its aid; one that gives
    none speaks only with its voice.
    """
    row[M_AID] += aid
    if aid > 0.0:
        row[M_VOICES] += aid
        row[M_STANCE] += aid * stance
    push(row, voice, stance)


@leaf
def deliver(party: np.ndarray, russia: np.ndarray, ukraine: np.ndarray) -> None:
    """A third party (its row of ``third``) delivers its aid to its patron and presses it; with no patron, presses both.

    A third party with no patron (Turkey hosting the Istanbul talks, the UN)
    has no aid to give, and presses both sides with its voice alike.
    """
    patron = int(party[L.TP_PATRON])
    stance, voice = party[L.TP_STANCE], party[L.TP_VOICE]
    if patron < 0:
        if voice:
            push(russia, voice, stance)
            push(ukraine, voice, stance)
    elif patron == RUSSIA:
        receive(russia, party[L.TP_AID], stance, voice)
    else:
        receive(ukraine, party[L.TP_AID], stance, voice)


# ---------------------------------------------------------------------------------------------------
# the battlefield: the front, the trend and aid's part of `st`, and the pipeline
# ---------------------------------------------------------------------------------------------------
@leaf
def balance(st: np.ndarray) -> float:
    """The true probability that Russia wins an engagement: the trend's log-odds less aid's."""
    return sigmoid(st[S_TREND] - st[S_AID_LOGIT])


@leaf
def winner_at(sc: np.ndarray, position: float) -> int:
    """The side whose war aim the front has reached (``RUSSIA``, ``UKRAINE``), or -1."""
    if position >= sc[L.UPPER]:
        return RUSSIA
    if position <= sc[L.LOWER]:
        return UKRAINE
    return -1


@leaf
def drift(sc: np.ndarray, st: np.ndarray, round_number: int, ceasefire: bool, buffer: float) -> float:
    """The round's trend (momentum, shock, rearmament) moves the balance: its shift (:func:`~model.engine.mechanics.trend_shift`)."""
    shift = trend_shift(sc[L.MOMENTUM], round_number, int(sc[L.SHOCK_ROUND]), sc[L.SHOCK_SIZE], ceasefire, sc[L.REARMAMENT], buffer)
    st[S_TREND] += shift
    return shift


@leaf
def engage(st: np.ndarray, rng: Stream, p: float) -> bool:
    """One engagement of attrition, which Russia wins with probability ``p``: the front moves one cell; True if Russia won."""
    russia_won = uniform(rng) < p
    st[S_POSITION] += 1.0 if russia_won else -1.0
    return russia_won


@leaf
def operate(sc: np.ndarray, operations: np.ndarray, st: np.ndarray, rng: Stream, round_number: int) -> float:
    """This round's share of the scheduled offensives (rows of ``operations``); returns the cells Russia gained (negative: lost).

    Each cell attacked is one engagement that the attacker wins with the
    balance shifted ``edge`` log-odds its way (forces massed on one axis,
    surprise): :func:`model.engine.mechanics.cells_won`. A cell won moves the
    front toward the defender, a cell lost stalls the offensive there without
    giving ground (assumption: an offensive that fails stops, as the
    Ukrainian offensive of summer 2023 did, rather than inviting a
    counter-stroke of the same size). The front stops at the war aims, where
    the war ends, and no operation is fought once it has. No draw is made in
    a round without an operation, so the engagements' stream is the same as
    without operations until the first one.
    """
    start = st[S_POSITION]
    for o in range(len(operations)):
        n = cells_in(int(operations[o][L.OP_START]), int(operations[o][L.OP_CELLS]), int(operations[o][L.OP_WEEKS]), round_number)
        if not n or winner_at(sc, st[S_POSITION]) >= 0:
            continue
        toward = st[S_TREND] - st[S_AID_LOGIT]
        russian = operations[o][L.OP_CELLS] > 0
        if not russian:
            toward = -toward
        won = cells_won(rng, n, toward, operations[o][L.OP_EDGE])
        step = won if russian else -won
        st[S_POSITION] = min(max(st[S_POSITION] + step, sc[L.LOWER]), sc[L.UPPER])
    return st[S_POSITION] - start


@leaf
def nudge(sc: np.ndarray, st: np.ndarray, toward_russia: bool) -> None:
    """An undetected violation gains its author one cell, short of its war aim (:func:`model.engine.mechanics.nudged`)."""
    st[S_POSITION] = nudged(int(st[S_POSITION]), toward_russia, int(sc[L.LOWER]), int(sc[L.UPPER]))


@leaf
def prime(sc: np.ndarray, pipeline: np.ndarray, to_ukraine: float, to_russia: float) -> None:
    """Fill the pipeline with aid shipped before round 0: ``aid_lag`` rounds of it.

    The aid already under way when a scenario starts is that of the record
    (the unscaled aid), so a change of policy at round 0 (``aid_scale``)
    reaches the front only after the lag.
    """
    for slot in range(int(sc[L.AID_LAG])):
        pipeline[slot][0], pipeline[slot][1] = to_ukraine, to_russia


@leaf
def ship(sc: np.ndarray, st: np.ndarray, pipeline: np.ndarray, to_ukraine: float, to_russia: float) -> None:
    """Aid pledged enters the pipeline; what was pledged ``aid_lag`` rounds ago reaches the front.

    Arms are bought or drawn from stocks, shipped, and their crews trained
    before they fight: the Ukraine Support Tracker records large gaps between
    the aid pledged and the aid delivered (Kiel Institute for the World
    Economy, releases of July and October 2022). With ``aid_lag = 0`` the aid
    pledged is at the front at once. The aid at the front sets aid's part of
    the balance, with diminishing returns (:func:`model.engine.mechanics.aid_logit`).
    """
    lag = int(sc[L.AID_LAG])
    if lag:
        head = int(st[S_PIPE_HEAD])
        delivered_u, delivered_r = pipeline[head][0], pipeline[head][1]
        pipeline[head][0], pipeline[head][1] = to_ukraine, to_russia
        st[S_PIPE_HEAD] = (head + 1) % lag
    else:
        delivered_u, delivered_r = to_ukraine, to_russia
    st[S_AID_LOGIT] = aid_logit(sc[L.AID_EFFECT], sc[L.AID_SATURATION], delivered_u, delivered_r)
