"""The round's mechanics as kernels of plain numbers: the one implementation both paths call.

Each function here is one mechanism of a round: what a round of war or of
ceasefire costs, how a belief learns and hears, how aid reaches the front,
how an offensive and a violation play out, what an agreement is worth and
the least terms a side accepts. The schedule of a round calls them
(:mod:`model.engine.whole_run`), interpreted when the Mesa model steps it
and compiled in the runner's whole runs; the agents' scoring methods call
them too (:mod:`model.agents`, :mod:`model.battlefield`, :mod:`model.maths`).
A change to a mechanism is made here, once, and every path follows.

Every kernel is a :func:`~model.engine.jit.leaf`: inlined into its
compiled callers, an ordinary function call on the interpreted path.
"""

from __future__ import annotations

import math

import numpy as np

from model.engine.exact import exact_sum
from model.engine.jit import leaf
from model.engine.layout import G_GUARANTEE, G_LEAN, PROTOCOL_BILATERAL, PROTOCOL_IFG_SEQUENTIAL, PROTOCOL_NONE
from model.engine.streams import Stream, binomial, lognormal, uniform
from model.engine.valuation import sigmoid, value_of_war

__all__ = [
    "NO_VIOLATION",
    "TOLERANCE",
    "VIOLATION_DETECTED",
    "VIOLATION_ESCALATED",
    "VIOLATION_GAINED",
    "absorbed",
    "acceptance_floor",
    "accepts",
    "agenda_range",
    "agreement_value",
    "aid_logit",
    "anticipated_shift",
    "audience_rate",
    "beta_update",
    "cells_in",
    "cells_won",
    "confidence_after",
    "cost_of_round",
    "credibility_toward",
    "defects",
    "draws_own_rearmament",
    "heard_mean",
    "keeps",
    "lean_utility",
    "nudged",
    "political_push",
    "pressed_floor",
    "proposer_weight",
    "readiest",
    "readiness",
    "rearmament_rate",
    "self_enforcing_floor",
    "side_war_value",
    "trend_shift",
    "unresolved_hazard",
    "violation",
]

TOLERANCE = 1e-9
"""Slack in every comparison of values (accept, keep, defect), so rounding never decides."""

NO_VIOLATION, VIOLATION_DETECTED, VIOLATION_ESCALATED, VIOLATION_GAINED = range(4)
"""What a side's round of ceasefire comes to (:func:`violation`)."""


# ---------------------------------------------------------------------------------------------------
# Costs and the pressure of third parties
# ---------------------------------------------------------------------------------------------------
@leaf
def cost_of_round(war_cost: float, aid_relief: float, aid: float, ceasefire_cost_share: float, ceasefire: bool) -> float:
    """A side's cost of this round: its war cost relieved by the aid it receives, a share of it in a ceasefire.

    ``c / (1 + r * aid)`` at war, times ``ceasefire_cost_share`` in a
    ceasefire, when armies stand at the line but do not fight (assumption:
    aid relieves the cost of war in proportion, budget support and the
    burden shared; the share is the scenario's).
    """
    cost = war_cost / (1.0 + aid_relief * aid)
    return cost * ceasefire_cost_share if ceasefire else cost


@leaf
def audience_rate(audience_cost: float, war_weariness: float, cumulative_cost: float) -> float:
    """Audience cost per unit of salience beyond the red line, eroded by war weariness: ``a exp(-w C)``.

    Fearon 1994 ("Domestic Political Audiences and the Escalation of
    International Disputes", *APSR* 88(3)): a leader pays at home for terms
    beyond the red line. The public's resolve wears with the costs borne
    (assumption: the exponential is the simplest positive, falling form).
    """
    return audience_cost * math.exp(-war_weariness * cumulative_cost)


@leaf
def political_push(pressure: float, pressure_floor: float, war_cost_of_round: float) -> float:
    """The backers' political pressure in per-round utility: ``pressure_floor`` weeks of war cost at full pressure.

    ``pressure`` is the saturated sum of the third parties' pushes, in
    (-1, 1) (:attr:`model.agents.Belligerent.political_pressure`); the unit,
    weeks of the side's own war cost, is an assumption (Beardsley 2011,
    *The Mediation Dilemma*, on leverage).
    """
    if not (pressure and pressure_floor):
        return 0.0
    return pressure_floor * pressure * war_cost_of_round


# ---------------------------------------------------------------------------------------------------
# Beliefs
# ---------------------------------------------------------------------------------------------------
@leaf
def beta_update(a: float, b: float, wins: int, losses: int, memory: float) -> tuple[float, float]:
    """Conjugate Beta-Bernoulli updating with exponential forgetting: ``(m a + wins, m b + losses)``.

    Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 2.4; with
    ``memory < 1`` the old pseudo-counts are discounted first, so a belief
    can follow a balance that drifts.
    """
    return memory * a + wins, memory * b + losses


@leaf
def credibility_toward(lean_toward: float, estimate: float, hearer_mean: float, hearer_is_russia: bool) -> float:
    """How far a hearer believes a mediator's message (Kydd 2003, "Which Side Are You On?", *AJPS* 47(4)).

    Advice to concede (an estimate less favourable to the hearer than its
    own belief) is believed from a mediator biased toward the hearer
    (``lean_toward`` near 1), encouragement from one biased against it.
    """
    concede = estimate < hearer_mean if hearer_is_russia else estimate > hearer_mean
    return lean_toward if concede else 1.0 - lean_toward


@leaf
def heard_mean(mean: float, estimate: float, weight: float) -> float:
    """A belief's mean moved toward a message's ``estimate`` by ``weight`` (its confidence is kept by the caller)."""
    return mean + weight * (estimate - mean)


# ---------------------------------------------------------------------------------------------------
# The battlefield: the trend, aid at the front, offensives, violations
# ---------------------------------------------------------------------------------------------------
@leaf
def trend_shift(
    momentum: float, round_number: int, shock_round: int, shock_size: float, ceasefire: bool, rearmament: float, buffer: float
) -> float:
    """This round's shift of the balance's log-odds: the momentum, a scheduled shock, rearmament in a ceasefire.

    Rearmament shifts the balance only while the guns are silent (Powell
    2006, "War as a Commitment Problem", *International Organization*
    60(1): the shift in power a ceasefire lets one side prepare), less the
    ``buffer`` share a demilitarised zone cancels (Fortna 2003).
    """
    shift = momentum
    if round_number == shock_round:
        shift += shock_size
    if ceasefire:
        shift += rearmament * (1.0 - buffer)
    return shift


@leaf
def absorbed(aid: float, saturation: float) -> float:
    """The part of a side's aid ($bn a round) that adds to its forces: ``S (1 - exp(-aid / S))`` (``S = 0``: all of it).

    Diminishing returns: an army absorbs only so much equipment a week
    (crews to train, ammunition and maintenance to match), so no aid adds
    more than ``S`` and the first $bn adds 1 (assumption: the simplest
    concave form with a ceiling and a unit slope at zero).
    """
    if not saturation:
        return aid
    return saturation * -math.expm1(-aid / saturation)


@leaf
def aid_logit(aid_effect: float, saturation: float, to_ukraine: float, to_russia: float) -> float:
    """Log-odds the aid at the front takes from Russia's chances: the effect times the absorbed difference."""
    if not saturation:
        return aid_effect * (to_ukraine - to_russia)
    return aid_effect * (absorbed(to_ukraine, saturation) - absorbed(to_russia, saturation))


@leaf
def cells_in(start: int, cells: int, weeks: int, round_number: int) -> int:
    """Cells an offensive of ``cells`` over ``weeks`` rounds from ``start`` attacks in ``round_number`` (the surplus first)."""
    week = round_number - start
    if not cells or not 0 <= week < weeks:
        return 0
    per_week, surplus = divmod(abs(cells), weeks)
    return per_week + (1 if week < surplus else 0)


@leaf
def cells_won(rng: Stream, attacked: int, toward_attacker: float, edge: float) -> int:
    """Cells an offensive takes of the ``attacked``: one engagement each, at the balance shifted ``edge`` its way.

    ``toward_attacker`` is the balance's log-odds as the attacker sees it
    (Russia's, or its negative for Ukraine). Forces massed on one axis and
    surprise give the attacker a local edge (assumption: a log-odds shift).
    """
    return binomial(rng, attacked, sigmoid(toward_attacker + edge))


@leaf
def nudged(position: int, toward_russia: bool, lower: int, upper: int) -> int:
    """The front after an undetected violation gains its author one cell, short of its war aim."""
    if toward_russia:
        return min(position + 1, upper - 1)
    return max(position - 1, lower + 1)


@leaf
def violation(rng: Stream, violation_rate: float, detection: float, escalation_risk: float, zone: float) -> int:
    """A side's round of ceasefire: no violation, or one detected, one that escalates, or one that gains a cell.

    A violation the monitors detect (probability ``detection``) is
    investigated and costs confidence only; one they miss may spiral into
    renewed war (``escalation_risk`` times one less the demilitarised
    zone) or gain its author a cell (one less the zone). Fortna 2003
    (*Scraps of Paper?*, International Organization 57(2)) and 2004
    (*Peace Time*): monitors and zones make ceasefires last, because
    incidents are caught and forces kept apart; the linear forms are
    assumptions. The draws are made in this order, and only as far as needed.
    """
    if not uniform(rng) < violation_rate:
        return NO_VIOLATION
    if uniform(rng) < detection:
        return VIOLATION_DETECTED
    if escalation_risk and uniform(rng) < escalation_risk * (1.0 - zone):
        return VIOLATION_ESCALATED
    if uniform(rng) >= zone:
        return VIOLATION_GAINED
    return NO_VIOLATION


@leaf
def confidence_after(confidence: float, detected: int, gain: float, loss: float) -> float:
    """Confidence after a round of ceasefire: ``loss`` for each violation detected, ``gain`` for a quiet round, within [0, 1]."""
    if detected:
        return max(0.0, confidence - detected * loss)
    return min(1.0, confidence + gain)


# ---------------------------------------------------------------------------------------------------
# Values: of war, of agreements, and the least terms a side accepts
# ---------------------------------------------------------------------------------------------------
@leaf
def side_war_value(
    p: float,
    logit_p: float,
    shift: float,
    deterrence: float,
    rate: float,
    unsigned_share: float,
    flows: np.ndarray,
    at: int,
    cost_now: float,
    discount: float,
    position: int,
    cells: int,
    lower: int,
    upper: int,
    russia: bool,
    pressure_effect: float,
    pressure: float,
) -> float:
    """A side's value of fighting on (:meth:`model.agents.Belligerent.value_of_war`).

    The walk's value (:func:`model.engine.valuation.value_of_war`) at the
    side's belief ``p`` (its log-odds ``logit_p``) moved by an anticipated
    ``shift`` and by the guarantors' ``deterrence``, with the war's flows
    less this round's cost and the unsigned share of the audience cost
    (nobody signs a war's territory), less the patrons' pressure.

    Args:
        p: The side's mean belief that Russia wins an engagement.
        logit_p: Its log-odds.
        shift: A public shift the side anticipates (log-odds, positive favours Russia).
        deterrence: Log-odds the guarantors take from Russia's chances.
        rate: The side's audience rate now (:func:`audience_rate`).
        unsigned_share: The share of the audience cost of territory not signed away.
        flows: The side's war flows (:class:`model.agents.WarFlows`) from ``flows[at]`` on: base, slope,
            curvature, win, loss, war audience, win audience, loss audience.
        at: Where they start in ``flows``.
        cost_now: This round's cost of war.
        discount: The side's discount factor.
        position: Cells Russia holds.
        cells: Cells of the contested territory.
        lower: Ukraine's war aim (cells).
        upper: Russia's war aim (cells).
        russia: True for Russia.
        pressure_effect: What the patrons' aid-weighted stance is worth a round.
        pressure: That stance, in [-1, 1].
    """
    if shift or deterrence:
        p = sigmoid(logit_p + shift - deterrence)
    unsigned = rate * unsigned_share
    win = flows[at + 3] - unsigned * flows[at + 6]
    loss = flows[at + 4] - unsigned * flows[at + 7]
    value = value_of_war(
        p,
        position,
        cells,
        discount,
        flows[at] - cost_now - unsigned * flows[at + 5],
        flows[at + 1],
        loss if russia else win,
        win if russia else loss,
        flows[at + 2],
        lower,
        upper,
    )
    return value - pressure_effect * pressure


@leaf
def unresolved_hazard(unresolved_risk: float, open_steps: int, later_steps: int) -> float:
    """Weight of war in the value of a ceasefire that leaves ``open_steps`` of ``later_steps`` unresolved.

    ``h_n = unresolved_risk * n / later_steps``: the bare ceasefire carries
    the whole risk, a settlement none. Ceasefires that settle more of what
    the war was about last longer (Fortna 2003, *Scraps of Paper?*; Fortna
    2004, *Peace Time*); linear in the steps left is an assumption.
    """
    return unresolved_risk * open_steps / later_steps


@leaf
def agreement_value(flow: float, inducement: float, open_steps: int, hazard: float, ceasefire_cost: float, war_value: float) -> float:
    """Value of agreements worth ``flow`` a round: ``u + I`` settled, ``(1 - h) (u + I - c_cf) + h V`` with steps open.

    A ceasefire is a lottery that holds with weight ``1 - h`` and collapses
    into the war with weight ``h`` (Fortna 2004 on fragile ceasefires); the
    inducement is the mediator's leverage (Beardsley 2011).
    """
    value = flow + inducement
    if open_steps == 0:
        return value
    return (1.0 - hazard) * (value - ceasefire_cost) + hazard * war_value


@leaf
def acceptance_floor(reservation: float, hazard: float, war_value: float, ceasefire_cost: float, inducement: float) -> float:
    """The least flow that makes an agreement worth the reservation value: ``(d - h V) / (1 - h) + c_cf - I`` (Fearon 1995)."""
    return (reservation - hazard * war_value) / (1.0 - hazard) + ceasefire_cost - inducement


@leaf
def self_enforcing_floor(resume_value: float, ceasefire_cost: float, inducement: float) -> float:
    """The least flow a side would not itself break: ``R + c_cf - I`` (Powell 2006; the commitment problem of Fearon 1995)."""
    return resume_value + ceasefire_cost - inducement


@leaf
def pressed_floor(acceptance: float, keeping: float, push: float, ceasefire_on_table: bool) -> float:
    """The floor a side answers with: its acceptance floor less its backers' push (step 1 on the table), at least the self-enforcing floor.

    Pressure cannot make a side sign terms it would break once the
    anticipated shift has happened (Powell 2006); leverage brings
    agreements that last only as far as the sides' own incentives hold them
    (Beardsley 2011).
    """
    if ceasefire_on_table:
        acceptance -= push
    return max(acceptance, keeping)


@leaf
def anticipated_shift(
    rearmament: float, buffer: float, open_steps: int, confidence_threshold: float, confidence_gain: float, max_rounds: int
) -> float:
    """The shift both sides expect over an agreement's life: rearmament until the last step is agreed (Powell 2006).

    Each later step waits a confidence window (the rounds a ceasefire needs
    to reach the threshold at which the next step opens); a settlement must
    hold for one window while it is put in place (assumption). At most the
    run's horizon; a demilitarised zone cancels the ``buffer`` share.
    """
    window = confidence_threshold / confidence_gain if confidence_gain > 0 else float(max_rounds)
    return rearmament * (1.0 - buffer) * min(max(open_steps, 1) * window, float(max_rounds))


@leaf
def readiness(guarantee: float, sensitivity: float, utility: float) -> float:
    """A guarantor's commitment to terms of ``utility`` to it: ``g (1 - s (1 - u))``, at least 0.

    A state is readier to fight for terms it wants than for terms it merely
    tolerates (Walter 1997, "The Critical Barrier to Civil War Settlement",
    *International Organization* 51(3); Fearon 1997, "Signaling Foreign
    Policy Interests", *JCR* 41(1)); the linear form is an assumption.
    """
    return guarantee * max(0.0, 1.0 - sensitivity * (1.0 - utility))


@leaf
def lean_utility(terms: np.ndarray, lean: float, distances: np.ndarray) -> float:
    """A third party's utility of ``terms``: every issue of equal salience, its lean the ideal point (``distances``: scratch)."""
    count = len(terms)
    for j in range(count):
        distances[j] = abs(terms[j] - lean)
    return 1.0 - exact_sum(distances, count) / count


# ---------------------------------------------------------------------------------------------------
# The sides' decisions
# ---------------------------------------------------------------------------------------------------
@leaf
def accepts(flow: float, floor: float) -> bool:
    """A side accepts a proposal whose flow reaches its floor (Fearon 1995: any terms better than no agreement)."""
    return flow >= floor - TOLERANCE


@leaf
def keeps(flow: float, inducement: float, armies: float, resume: float) -> bool:
    """A side keeps an agreement worth ``flow + inducement - armies`` a round rather than resume a war worth ``resume`` (Powell 2006)."""
    return flow + inducement - armies >= resume - TOLERANCE


@leaf
def defects(resume: float, keep: float, push: float) -> bool:
    """A side breaks the ceasefire when resuming the war is worth more than keeping it with its backers' push (Powell 2006).

    The backers' push that made the side accept keeps it in the ceasefire
    too; one whose backers oppose talks breaks it more readily (a
    spoiler's effect).
    """
    return resume > keep + push + TOLERANCE


@leaf
def readiest(guarantors: np.ndarray, sensitivity: float, terms: np.ndarray, distances: np.ndarray) -> float:
    """The readiest guarantor's commitment to ``terms``: the most :func:`readiness` among ``guarantors``.

    ``guarantors`` are rows of commitment and lean (``layout.G_*``), the
    most committed first, so the search stops at the first whose
    commitment cannot beat the best so far (readiness never exceeds it).
    ``distances``: scratch, one slot an issue.
    """
    best = 0.0
    for g in range(len(guarantors)):
        commitment = guarantors[g][G_GUARANTEE]
        if commitment <= best:
            break
        best = max(best, readiness(commitment, sensitivity, lean_utility(terms, guarantors[g][G_LEAN], distances)))
    return best


@leaf
def agenda_range(protocol: int, open_step: int, confidence: float, confidence_threshold: float) -> tuple[int, int]:
    """The steps a protocol (``layout.PROTOCOL_*``) puts on the table this round, as a range ``first..last`` (``(0, -1)``: none).

    The Italian plan (``ifg_sequential``) takes its four steps in order, the
    ceasefire first, and opens each later step once the ceasefire has built
    the confidence it needs (seed 001: the plan's steps, each conditional on
    the last). ``package`` and ``bilateral`` table every issue at once;
    ``none`` tables nothing. :mod:`model.protocols` describes each.
    """
    if protocol == PROTOCOL_NONE:
        return 0, -1
    if protocol == PROTOCOL_IFG_SEQUENTIAL:
        if open_step == 1 or confidence >= confidence_threshold:  # step 1, the ceasefire, needs no confidence
            return open_step, open_step
        return 0, -1
    return 1, 4


@leaf
def proposer_weight(protocol: int, round_number: int, mediator_lean: float) -> float:
    """Ukraine's weight in the asymmetric Nash product of the proposal a protocol (``layout.PROTOCOL_*``) tables.

    A mediator leans as its members do (its lean toward Ukraine); under
    ``bilateral`` the proposer keeps the whole surplus, a take-it-or-leave-it
    offer (Ukraine proposes in even rounds, Russia in odd ones); with no talks
    it is moot (0.5).
    """
    if protocol == PROTOCOL_BILATERAL:
        return 1.0 if round_number % 2 == 0 else 0.0
    if protocol == PROTOCOL_NONE:
        return 0.5
    return mediator_lean


@leaf
def draws_own_rearmament(mean: float, spread: float) -> bool:
    """Whether a run draws its own rate of rearmament (:func:`rearmament_rate`): a spread about a nonzero mean.

    With no spread every run rearms at the mean; a zero mean has no scale
    to spread, and stays zero. The Mesa model and the compiled run both ask
    here, so that they draw in the same runs.
    """
    return spread != 0.0 and mean != 0.0


@leaf
def rearmament_rate(stream: Stream, mean: float, spread: float) -> float:
    """A run's rate of rearmament: lognormal about ``mean`` with coefficient of variation ``spread``, drawn once.

    How fast Russia can rebuild under sanctions is known to both sides as
    the war goes on (they see the balance shift) but not to the analyst:
    each run draws it once, from a stream of its own spawned after the
    battle's and the ceasefire's, which it leaves as they were. The sides
    then price the rate of their own run (Powell 2006, "War as a Commitment
    Problem", *International Organization* 60(1)), so the share of runs in
    which ceasefires form and last falls by degrees as the mean rate rises,
    instead of all at one threshold (assumption). A negative mean (Ukraine
    rearming faster) keeps its sign.
    """
    sigma2 = math.log1p(spread * spread)
    draw = lognormal(stream, math.log(abs(mean)) - sigma2 / 2.0, math.sqrt(sigma2))
    return math.copysign(draw, mean)
