"""The war-termination model: the schedule of a round, and nothing else.

A round reads like the protocol it simulates (DESIGN section 5): the trend
moves the balance; the sides fight (or keep a ceasefire); they learn; third
parties aid and press; the mediator shares what it knows; a ceasefire is
kept or broken; the mediator proposes and the belligerents answer; the
record is written and the run ends when the war does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from model import maths
from model.agents import (
    Belligerent,
    BelligerentSettings,
    Mediator,
    MediatorSettings,
    ThirdParty,
    ThirdPartySettings,
)
from model.battlefield import Battlefield
from model.issues import FRONT_ISSUES, ISSUE_INDEX, ISSUES, STEP_ISSUES, TERRITORY_ISSUES, Step
from model.outcome import Outcome, OutcomeKind, Side
from model.parameters import THIRD_PARTY_CATALOGUE, Value
from model.protocols import PROTOCOLS, TableState
from model.scenario import Scenario, load_scenario

_FRONT = tuple(ISSUE_INDEX[i] for i in FRONT_ISSUES)
_TERRITORY = tuple(ISSUE_INDEX[i] for i in TERRITORY_ISSUES)
_CEASEFIRE_LINE = ISSUE_INDEX["ceasefire_line"]
_MONITORS = ISSUE_INDEX["monitors"]
_GUARANTEES = ISSUE_INDEX["security_guarantees"]
_TOLERANCE = 1e-9


class WarTerminationModel(mesa.Model):
    """Russia and Ukraine bargain under fire, with third parties and the IFG.

    Args:
        scenario: A bundled scenario name, a path to a ``.toml`` file, or a
            loaded :class:`~model.scenario.Scenario`.
        rng: Seed or ``numpy.random.Generator`` (Mesa 3's convention).
        **overrides: Any parameter of :func:`model.describe_parameters` by
            its flat name.

    Raises:
        ScenarioError: If the scenario or an override is invalid (before any
            agent is created).
    """

    def __init__(
        self,
        scenario: str | Path | Scenario = "italian_plan_2022",
        rng: int | np.random.Generator | None = None,
        **overrides: Any,
    ) -> None:
        """Validate the scenario and overrides, then create the agents."""
        loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        loaded = loaded.with_overrides(overrides)
        super().__init__(rng=rng)
        # not `self.scenario`: Mesa 3.5's Model owns that name for its own scenarios
        self.war_scenario = loaded
        v = loaded.values
        self.max_rounds = int(v["max_rounds"])
        self.protocol = PROTOCOLS[str(v["protocol"])]()
        self._battle_rng, self._ceasefire_rng = self.rng.spawn(2)

        self.confidence_threshold = float(v["confidence_threshold"])
        self.confidence_gain = float(v["confidence_gain"])
        self.confidence_loss = float(v["confidence_loss"])
        self.unresolved_risk = float(v["unresolved_risk"])
        self.monitor_strength = float(v["monitor_strength"])
        self.guarantee_effect = float(v["guarantee_effect"])
        self.interim_guarantee = float(v["interim_guarantee"])

        self.battlefield = Battlefield(
            initial_advantage=float(v["initial_advantage"]),
            volatility=float(v["volatility"]),
            initial_front=float(v["initial_front"]),
            momentum=float(v["momentum"]),
            shock_round=int(v["shock_round"]),
            shock_size=float(v["shock_size"]),
            rearmament=float(v["rearmament"]),
            aid_effect=float(v["aid_effect"]),
        )
        self.status_quo = [float(v[f"status_quo_{issue}"]) for issue in ISSUES]
        self.russia = Belligerent(self, _belligerent_settings(v, Side.RUSSIA))
        self.ukraine = Belligerent(self, _belligerent_settings(v, Side.UKRAINE))
        self.belligerents = (self.russia, self.ukraine)
        self._by_side = {Side.RUSSIA: self.russia, Side.UKRAINE: self.ukraine}
        active = [c for c in str(v["third_parties"]).split(",") if c]
        self.third_parties = [ThirdParty(self, _third_party_settings(v, code)) for code in active]

        # war flows and victory values are fixed by the issues: compute them once
        holds_all = self._de_facto_terms(0.0)
        russia_holds_all = self._de_facto_terms(1.0)
        self._war_flows = {
            b.side: (b.flow(holds_all), b.flow(russia_holds_all) - b.flow(holds_all)) for b in self.belligerents
        }
        self._victory_values = {
            b.side: {winner.side: b.flow(winner.settings.ideal) for winner in self.belligerents} for b in self.belligerents
        }

        self._support_round()
        self._last_logit = self._aid_logit()
        members = [tp for tp in self.third_parties if tp.settings.ifg_member]
        self.mediator = Mediator(
            self,
            MediatorSettings(
                information=bool(v["mediator_information"]),
                bias=bool(v["mediator_bias"]),
                leverage=bool(v["mediator_leverage"]),
                guarantees=bool(v["mediator_guarantees"]),
                intelligence=float(v["mediator_intelligence"]),
                information_weight=float(v["information_weight"]),
                leverage_size=float(v["leverage_size"]),
            ),
            members,
            self.true_balance,
        )
        self._inducement = self.mediator.inducement if self.protocol.mediated else 0.0

        # negotiation state
        self.agreed: dict[Step, dict[int, float]] = {}
        self.open_step = Step.CEASEFIRE
        self.highest_step = 0
        self.ceasefire = False
        self.confidence = 0.0
        self.first_ceasefire_round: int | None = None
        self.breakdowns = 0
        self.violations_detected = 0
        self.violations_this_round = 0
        self.settled = False
        self.winner: Side | None = None
        self.outcome: Outcome | None = None
        # the record of the round (read by the DataCollector and the app)
        self.war_values = {Side.RUSSIA: 0.0, Side.UKRAINE: 0.0}
        self.reservations = {Side.RUSSIA: 0.0, Side.UKRAINE: 0.0}
        self.proposal_values = {Side.RUSSIA: math.nan, Side.UKRAINE: math.nan}
        self.proposal: dict[str, float] = {}
        self.on_table: tuple[Step, ...] = ()  # the steps the protocol put on the table this round
        self.range_exists = False
        self._value_war()

        self.datacollector = RoundRecorder(model_reporters=_REPORTERS)
        self.datacollector.collect(self)
        _forget_agent_counter(self)

    # ------------------------------------------------------------------
    # The schedule
    # ------------------------------------------------------------------
    def step(self) -> None:
        """Play one round (one week)."""
        if not self.running:
            return
        self.violations_this_round = 0
        shift = self.battlefield.drift(self.steps, self.ceasefire)
        self._everyone_sees(shift)
        if self.ceasefire:
            self._keep_ceasefire()
        else:
            self._fight()
        for side in self.belligerents:
            side.pay(self.ceasefire)
        self._support_round()
        self._everyone_sees(self._aid_shift())
        if self.protocol.mediated:  # with no mediator at the table, nobody carries its estimate
            self.mediator.share_information(self.belligerents)
        self._value_war()
        broke_down = self.ceasefire and self._ceasefire_breaks()
        if broke_down:
            self._break_down()
        self._clear_table()
        if not broke_down and self.winner is None:
            self._negotiate()
        self._finish_if_over()
        self.datacollector.collect(self)  # after the end is known, so the last row's status is the outcome

    def run(self) -> Outcome:
        """Run to the end and return the outcome.

        Returns:
            The outcome record (also ``self.outcome``).
        """
        while self.running:
            self.step()
        assert self.outcome is not None
        return self.outcome

    # ------------------------------------------------------------------
    # Fighting, learning, third parties
    # ------------------------------------------------------------------
    @property
    def net_aid(self) -> float:
        """Aid to Ukraine less aid to Russia this round ($bn)."""
        return self.ukraine.aid - self.russia.aid

    @property
    def true_balance(self) -> float:
        """True probability that Russia wins an engagement this round."""
        return self.battlefield.balance(self.net_aid)

    def _fight(self) -> None:
        russia_won = self.battlefield.engage(self._battle_rng, self.true_balance)
        wins, losses = (1, 0) if russia_won else (0, 1)
        for observer in (*self.belligerents, self.mediator):
            observer.observe(wins, losses)
        self.winner = self.battlefield.winner

    def _everyone_sees(self, shift: float) -> None:
        if shift:
            for observer in (*self.belligerents, self.mediator):
                observer.see_shift(shift)

    def _support_round(self) -> None:
        for side in self.belligerents:
            side.clear_support()
        for tp in self.third_parties:
            tp.act(self._by_side)

    def _aid_logit(self) -> float:
        # aid's part of the balance only: the trend's drift is shown to everyone when it happens
        return self.battlefield.observable_logit(self.net_aid) - self.battlefield.trend_logit

    def _aid_shift(self) -> float:
        logit = self._aid_logit()
        shift, self._last_logit = logit - self._last_logit, logit
        return shift

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------
    def _de_facto_terms(self, russian_share: float) -> list[float]:
        """Terms as they stand in a war: territory follows the front, the rest at the status quo."""
        terms = list(self.status_quo)
        for j in _FRONT:
            terms[j] = 1.0 - russian_share
        return terms

    def current_terms(self) -> list[float]:
        """Terms as they stand now: agreed terms, the front, and the status quo elsewhere."""
        terms = self._de_facto_terms(self.battlefield.share)
        for step_terms in self.agreed.values():
            for j, x in step_terms.items():
                terms[j] = x
        return terms

    def _war_value(self, side: Belligerent, deterrence: float = 0.0, shift: float = 0.0) -> float:
        base, slope = self._war_flows[side.side]
        values = self._victory_values[side.side]
        return side.value_of_war(
            self.battlefield.position,
            self.battlefield.cells,
            base,
            slope,
            values[side.side],
            values[side.side.other],
            deterrence,
            shift,
        )

    def _value_war(self) -> None:
        for side in self.belligerents:
            self.war_values[side.side] = self._war_value(side)

    def guarantee_credibility(self, terms: list[float] | None = None) -> float:
        """How credible the guarantee behind the ceasefire is, in [0, 1].

        Args:
            terms: Terms of an agreement under consideration (with step 2, the
                international status, agreed or on the table); ``None`` for the
                ceasefire in force.
        """
        status = self.agreed.get(Step.STATUS)
        if terms is not None:
            scale = terms[_GUARANTEES]
        else:
            scale = status[_GUARANTEES] if status is not None else self.interim_guarantee
        return self.mediator.guarantee_credibility * scale

    def _risk(self, open_steps: int) -> float:
        """Weight of war in the value of a ceasefire with ``open_steps`` later steps unresolved."""
        return self.unresolved_risk * open_steps / 3.0

    def _state_value(self, side: Belligerent, terms: list[float], open_steps: int, penalised: frozenset[int], war_value: float) -> float:
        """Value of the agreements in force (the current ceasefire) to ``side``, in per-round units."""
        return self._agreement_value(side, _effective_flow(side, terms, penalised), open_steps, war_value)

    def _agreement_value(self, side: Belligerent, flow: float, open_steps: int, war_value: float) -> float:
        """Value of agreements worth ``flow`` a round with ``open_steps`` later steps unresolved.

        The IFG's inducements (sanctions relief, reconstruction aid) flow for
        as long as its agreements hold. With steps still open the ceasefire
        costs a little each round and may collapse into war (weight ``h``).
        """
        value = flow + self._inducement
        if open_steps == 0:
            return value
        h = self._risk(open_steps)
        return (1.0 - h) * (value - side.cost_of_round(True)) + h * war_value

    # ------------------------------------------------------------------
    # Ceasefire
    # ------------------------------------------------------------------
    def _keep_ceasefire(self) -> None:
        rng = self._ceasefire_rng
        detection = self.monitor_strength * self.agreed[Step.CEASEFIRE].get(_MONITORS, 0.0)
        detected = 0
        for side in self.belligerents:
            if rng.random() < side.settings.violation_rate:
                if rng.random() < detection:
                    detected += 1
                else:
                    self.battlefield.nudge(side.side)
        self.violations_this_round = detected
        self.violations_detected += detected
        if detected:
            self.confidence = max(0.0, self.confidence - detected * self.confidence_loss)
        else:
            self.confidence = min(1.0, self.confidence + self.confidence_gain)

    def _ceasefire_breaks(self) -> bool:
        """A side defects when resuming war is worth more than keeping the ceasefire.

        Guarantees deter a deliberate attack (Walter 1997): a war Russia
        restarts is fought with the guarantors (as far as they are credible)
        on Ukraine's side, and Ukraine gets no guarantee for a war it restarts
        itself. A collapse that neither side chooses (the risk an unresolved
        ceasefire carries) brings the plain war back.
        """
        return any(resume > keep + _TOLERANCE for keep, resume in self.ceasefire_values().values())

    def ceasefire_values(self) -> dict[Side, tuple[float, float]]:
        """Each side's value of keeping the ceasefire and of resuming the war, as the ceasefire check weighs them.

        Powell (2006): the rising side defects once the shift in power makes
        its value of resuming the war exceed its value of the ceasefire.
        Scores the current state and changes nothing.

        Returns:
            ``{side: (value of keeping the ceasefire, value of resuming the war)}``, per-round units.
        """
        terms = self.current_terms()
        open_steps = 4 - len(self.agreed)
        penalised = self._agreed_issues()
        values: dict[Side, tuple[float, float]] = {}
        for side in self.belligerents:
            keep = self._state_value(side, terms, open_steps, penalised, self.war_values[side.side])
            values[side.side] = (keep, self._resume_value(side))
        return values

    def _guarded_war_value(self, side: Belligerent, anticipated_shift: float = 0.0) -> float:
        """Value of a war Russia restarts, with the guarantors deterring it."""
        deterrence = self.guarantee_effect * self.guarantee_credibility()
        if not deterrence and not anticipated_shift:
            return self.war_values[side.side]
        return self._war_value(side, deterrence, anticipated_shift)

    def _resume_value(self, side: Belligerent, anticipated_shift: float = 0.0, plain: float | None = None) -> float:
        """What ``side`` gets by breaking the ceasefire itself.

        Russia resumes a war the guarantors join (as far as they are
        credible); Ukraine gets no guarantee for a war it restarts.
        ``plain`` is the side's plain value of war at ``anticipated_shift``
        when the caller has it already (it saves Ukraine's computing it again).
        """
        if side.side is Side.RUSSIA:
            return self._guarded_war_value(side, anticipated_shift)
        if plain is not None:
            return plain
        if not anticipated_shift:
            return self.war_values[side.side]
        return self._war_value(side, 0.0, anticipated_shift)

    def _break_down(self) -> None:
        self.ceasefire = False
        self.agreed.clear()
        self.open_step = Step.CEASEFIRE
        self.confidence = 0.0
        self.breakdowns += 1

    def _agreed_issues(self) -> frozenset[int]:
        return frozenset(j for terms in self.agreed.values() for j in terms)

    # ------------------------------------------------------------------
    # Negotiation
    # ------------------------------------------------------------------
    def _clear_table(self) -> None:
        self.proposal = {}
        self.on_table = ()
        self.proposal_values = {Side.RUSSIA: math.nan, Side.UKRAINE: math.nan}
        self.range_exists = False
        self.reservations = dict(self.war_values)

    def table_state(self) -> TableState:
        """What the protocol sees when it sets the agenda."""
        return TableState(
            round=self.steps,
            open_step=self.open_step,
            ceasefire=self.ceasefire,
            confidence=self.confidence,
            confidence_threshold=self.confidence_threshold,
            mediator_lean=self.mediator.lean,
        )

    def _negotiate(self) -> None:
        state = self.table_state()
        steps = self.protocol.agenda(state)
        self.on_table = steps
        if not steps:
            return
        agenda = [ISSUE_INDEX[i] for s in steps for i in STEP_ISSUES[s] if ISSUE_INDEX[i] != _CEASEFIRE_LINE]
        now = self.current_terms()
        agreed_before = self._agreed_issues()
        open_before = 4 - len(self.agreed)
        open_after = open_before - len(steps)
        on_table = frozenset(agenda) | ({_CEASEFIRE_LINE} if Step.CEASEFIRE in steps else frozenset())
        penalised = agreed_before | on_table
        h_after = self._risk(open_after)
        # what a collapse of the coming ceasefire would bring: the war at the balance shifted
        # by rearmament over the window before the next step (the guarantors' deterrence
        # enters where Russia would restart the war itself: the self-enforcement floor below)
        window = self.confidence_threshold / self.confidence_gain if self.confidence_gain > 0 else float(self.max_rounds)
        anticipated = self.battlefield.rearmament * min(window, float(self.max_rounds))

        russia, ukraine = self.russia, self.ukraine
        reservations: dict[Side, float] = {}
        future_war: dict[Side, float] = {}
        utility_floor: dict[Side, float] = {}
        for side in self.belligerents:
            if self.ceasefire:
                d = self._state_value(side, now, open_before, agreed_before, self.war_values[side.side])
            else:
                d = self.war_values[side.side]
            reservations[side.side] = d
            future = self._war_value(side, 0.0, anticipated) if open_after > 0 else 0.0
            future_war[side.side] = future
            cost_after = side.cost_of_round(True) if open_after > 0 else 0.0
            floor = (d - h_after * future) / (1.0 - h_after) + cost_after - self._inducement
            if open_after > 0:
                # Self-enforcing (Powell 2006; Fearon 1995's commitment problem): a side accepts
                # only terms it would not itself break once the anticipated shift has happened,
                # the test its ceasefire check will apply (keep >= resume, i.e. flow + inducement
                # - ceasefire cost >= value of resuming). Without it a side accepts terms worth
                # barely its war value today and defects a week later, as soon as the balance moves.
                floor = max(floor, self._resume_value(side, anticipated, plain=future) + cost_after - self._inducement)
            utility_floor[side.side] = floor

        stakes_r, stakes_u = russia.stakes(), ukraine.stakes()
        frontier = maths.build_frontier(agenda, stakes_r, stakes_u)
        start = list(now)
        for j, x in frontier.start.items():
            start[j] = x
        base_r = _effective_flow(russia, start, penalised)
        base_u = _effective_flow(ukraine, start, penalised)
        args = (frontier, base_r, base_u, utility_floor[Side.RUSSIA], utility_floor[Side.UKRAINE])
        gain = maths.nash_bargaining_gain(*args, weight_ukraine=self.protocol.weight_ukraine(state))
        self.range_exists = gain is not None
        if gain is None:
            gain = maths.compromise_gain(*args)
        proposal = list(start)
        for j, x in maths.terms_for_gain(frontier, gain).items():
            proposal[j] = x

        accepted = True
        for side in self.belligerents:
            flow = _effective_flow(side, proposal, penalised)
            value = self._agreement_value(side, flow, open_after, future_war[side.side])
            self.proposal_values[side.side] = value
            accepted &= flow >= utility_floor[side.side] - _TOLERANCE
        if accepted and open_after > 0 and (Step.STATUS in steps or Step.STATUS in self.agreed):
            # the guarantees after the agreement are the ones its own terms set: Russia must
            # still keep a ceasefire backed only by them (terms that strip the guarantees would
            # otherwise be accepted under the interim guarantee and broken at once)
            deterrence = self.guarantee_effect * self.guarantee_credibility(proposal)
            flow = _effective_flow(russia, proposal, penalised)
            resume = self._war_value(russia, deterrence, anticipated)
            accepted = flow + self._inducement - russia.cost_of_round(True) >= resume - _TOLERANCE
        self.reservations = reservations
        self.proposal = {ISSUES[j]: proposal[j] for j in sorted(on_table)}
        if accepted:
            self._agree(steps, proposal)

    def _agree(self, steps: tuple[Step, ...], proposal: list[float]) -> None:
        for step in steps:
            self.agreed[step] = {ISSUE_INDEX[i]: proposal[ISSUE_INDEX[i]] for i in STEP_ISSUES[step]}
            self.highest_step = max(self.highest_step, int(step))
        if len(self.agreed) == len(Step):
            self.settled = True
            self.ceasefire = False
            return
        self.ceasefire = True
        self.confidence = 0.0
        self.open_step = Step(max(self.agreed) + 1)
        if self.first_ceasefire_round is None:
            self.first_ceasefire_round = self.steps

    # ------------------------------------------------------------------
    # The end
    # ------------------------------------------------------------------
    @property
    def status(self) -> str:
        """The state of the run in a word: war, ceasefire, settlement or victory."""
        if self.outcome is not None:
            return self.outcome.kind.value
        return "ceasefire" if self.ceasefire else "war"

    def _finish_if_over(self) -> None:
        if self.winner is None:
            for side in self.belligerents:
                if side.collapsed and not self.ceasefire:
                    self.winner = side.side.other
                    break
        if self.winner is not None:
            kind = OutcomeKind.VICTORY
        elif self.settled:
            kind = OutcomeKind.SETTLEMENT
        elif self.steps >= self.max_rounds:
            kind = OutcomeKind.CEASEFIRE if self.ceasefire else OutcomeKind.WAR
        else:
            return
        self.outcome = self._record(kind)
        self.running = False

    def _record(self, kind: OutcomeKind) -> Outcome:
        terms: dict[str, float | None] = dict.fromkeys(ISSUES)
        if kind is OutcomeKind.VICTORY:
            assert self.winner is not None
            ideal = self._by_side[self.winner].settings.ideal
            terms = {issue: ideal[j] for j, issue in enumerate(ISSUES)}
        else:
            for step_terms in self.agreed.values():
                for j, x in step_terms.items():
                    terms[ISSUES[j]] = x
        return Outcome(
            kind=kind,
            winner=self.winner,
            rounds=self.steps,
            step_reached=self.highest_step,
            first_ceasefire_round=self.first_ceasefire_round,
            breakdowns=self.breakdowns,
            violations_detected=self.violations_detected,
            terms=terms,
            costs={b.side.value: b.cumulative_cost for b in self.belligerents},
            final_front=self.battlefield.share,
            final_balance=self.true_balance,
        )


def _effective_flow(side: Belligerent, terms: list[float], penalised: frozenset[int]) -> float:
    """A side's flow utility of terms, with audience costs on the territorial issues agreed."""
    s = side.settings
    flow = maths.utility(terms, s.ideal, s.weights)
    rate = side.audience_rate
    if rate > 0.0:
        ukraine = side.side is Side.UKRAINE
        for j in _TERRITORY:
            if j in penalised:
                flow -= maths.red_line_penalty(terms[j], s.red_line, rate, ukraine)
    return flow


def _forget_agent_counter(model: mesa.Model) -> None:
    """Drop Mesa's class-level reference to this model once every agent exists.

    Mesa 3.3.1 numbers agents from ``Agent._ids``, a class-level dict keyed
    by the model itself, so every model that ever created an agent stays
    alive for the life of the process (fixed in later Mesa releases). This
    model creates all its agents in ``__init__``, so the counter is no longer
    needed afterwards; releasing it lets a run's model be freed.
    """
    counters = getattr(mesa.Agent, "_ids", None)
    if isinstance(counters, dict):
        counters.pop(model, None)


class RoundRecorder(mesa.DataCollector):
    """Mesa's DataCollector, with a faster path for the model's per-round scalars.

    Every model reporter here returns an immutable scalar, so the defensive
    deep copy Mesa makes of each value is not needed; it cost about half of
    a run's time. Agent reporters and tables behave as in Mesa, and so does
    the list of collection times that Mesa 3.4+ keeps (``batch_run`` reads
    its rows through it; Mesa 3.3.1 has none).
    """

    model_reporters: dict[str, Any]

    def collect(self, model: mesa.Model) -> None:
        """Record one row of the model reporters (and anything else Mesa records)."""
        times = getattr(self, "_collection_steps", None)
        if times is not None:
            times.append(model.time)
        for var, reporter in self.model_reporters.items():
            self.model_vars[var].append(reporter(model))
        if self.agent_reporters or self.agenttype_reporters:
            reporters = self.model_reporters
            self.model_reporters = {}
            try:
                super().collect(model)
            finally:
                self.model_reporters = reporters


def _normalised(weights: list[float]) -> tuple[float, ...]:
    total = math.fsum(weights)
    return tuple(w / total for w in weights)


def _belligerent_settings(v: Mapping[str, Value], side: Side) -> BelligerentSettings:
    s = side.value
    return BelligerentSettings(
        side=side,
        ideal=tuple(float(v[f"ideal_{s}_{issue}"]) for issue in ISSUES),
        weights=_normalised([float(v[f"salience_{s}_{issue}"]) for issue in ISSUES]),
        war_cost=float(v[f"war_cost_{s}"]),
        ceasefire_cost_share=float(v["ceasefire_cost_share"]),
        aid_relief=float(v["aid_relief"]),
        discount=float(v[f"discount_{s}"]),
        prior_mean=float(v[f"prior_mean_{s}"]),
        prior_strength=float(v[f"prior_strength_{s}"]),
        belief_memory=float(v["belief_memory"]),
        red_line=float(v[f"red_line_{s}"]),
        audience_cost=float(v[f"audience_cost_{s}"]),
        war_weariness=float(v[f"war_weariness_{s}"]),
        capacity=float(v[f"capacity_{s}"]),
        violation_rate=float(v[f"violation_rate_{s}"]),
        pressure_effect=float(v["pressure_effect"]),
    )


def _third_party_settings(v: Mapping[str, Value], code: str) -> ThirdPartySettings:
    name = next(tp.name for tp in THIRD_PARTY_CATALOGUE if tp.code == code)
    patron = str(v[f"patron_{code}"])
    return ThirdPartySettings(
        code=code,
        name=name,
        patron=None if patron == "none" else Side(patron),
        aid=float(v[f"aid_{code}"]) * float(v["aid_scale"]),
        stance=float(v[f"stance_{code}"]),
        lean=float(v[f"lean_{code}"]),
        guarantee=float(v[f"guarantee_{code}"]),
        ifg_member=bool(v[f"ifg_{code}"]),
    )


_REPORTERS: dict[str, Callable[[WarTerminationModel], Any]] = {
    "round": lambda m: m.steps,
    "front": lambda m: m.battlefield.share,
    "balance": lambda m: m.true_balance,
    "belief_russia": lambda m: m.russia.believed_balance,
    "belief_ukraine": lambda m: m.ukraine.believed_balance,
    "belief_sd_russia": lambda m: m.russia.belief_sd,
    "belief_sd_ukraine": lambda m: m.ukraine.belief_sd,
    "mediator_estimate": lambda m: m.mediator.estimate,
    "war_value_russia": lambda m: m.war_values[Side.RUSSIA],
    "war_value_ukraine": lambda m: m.war_values[Side.UKRAINE],
    "reservation_russia": lambda m: m.reservations[Side.RUSSIA],
    "reservation_ukraine": lambda m: m.reservations[Side.UKRAINE],
    "proposal_value_russia": lambda m: m.proposal_values[Side.RUSSIA],
    "proposal_value_ukraine": lambda m: m.proposal_values[Side.UKRAINE],
    "bargaining_range": lambda m: m.range_exists,
    "open_step": lambda m: int(m.open_step),
    "steps_agreed": lambda m: len(m.agreed),
    "confidence": lambda m: m.confidence,
    "ceasefire": lambda m: m.ceasefire,
    "violations": lambda m: m.violations_this_round,
    "violations_total": lambda m: m.violations_detected,
    "breakdowns": lambda m: m.breakdowns,
    "aid_ukraine": lambda m: m.ukraine.aid,
    "aid_russia": lambda m: m.russia.aid,
    "cost_russia": lambda m: m.russia.cumulative_cost,
    "cost_ukraine": lambda m: m.ukraine.cumulative_cost,
    "status": lambda m: m.status,
}
