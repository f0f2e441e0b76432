"""The war-termination model: the schedule of a round, and nothing else.

A round reads like the protocol it simulates: the trend moves the balance;
the sides fight (or keep a ceasefire) and pay; third parties aid and press;
the mediator shares what it knows; the sides value the war; a ceasefire is
kept or broken; a proposal is tabled and the sides answer; the run ends when
the war does and the round is recorded. The agents value and answer for
themselves (:mod:`model.agents`); the bargaining is :mod:`model.negotiation`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from model.agents import (
    Belligerent,
    BelligerentSettings,
    Mediator,
    MediatorSettings,
    Standing,
    Talks,
    ThirdParty,
    ThirdPartySettings,
    aid_under_way,
)
from model.battlefield import Battlefield
from model.compat import RoundRecorder, forget_agent_counter
from model.engine import mechanics
from model.engine.inputs import draw_rearmament
from model.engine.jit import for_single_runs
from model.issues import (
    CEASEFIRE_LINE,
    DEMILITARISED_ZONE,
    ISSUE_INDEX,
    ISSUES,
    MONITORS,
    SECURITY_GUARANTEES,
    STEP_ISSUES,
    TERRITORY_INDICES,
    Step,
    TerritorialForm,
    de_facto_terms,
    issues_of,
)
from model.maths import unresolved_hazard
from model.outcome import Outcome, OutcomeKind, Side
from model.parameters import Value
from model.proposer import Proposer
from model.protocols import PROTOCOLS, TableState
from model.record import AGENT_REPORTERS, REPORTERS, agent_row, outcome_columns
from model.scenario import DEFAULT_SCENARIO, Scenario, load_scenario

_LATER_STEPS = len(Step) - 1  # the steps an agreed ceasefire leaves open
_VIOLATION = for_single_runs(mechanics.violation)
_CONFIDENCE_AFTER = for_single_runs(mechanics.confidence_after)
_ANTICIPATED_SHIFT = for_single_runs(mechanics.anticipated_shift)


class WarTerminationModel(mesa.Model):
    """Russia and Ukraine bargain under fire, with third parties and the IFG.

    Args:
        scenario: A bundled scenario name, a path to a ``.toml`` file, or a
            loaded :class:`~model.scenario.Scenario`.
        rng: Seed or ``numpy.random.Generator`` (Mesa 3's convention).
        record_agents: Keep the agents' table (:data:`model.record.AGENT_REPORTERS`, read with
            ``datacollector.get_agent_vars_dataframe()``). Sweeps turn it off: it costs time and changes
            no outcome. With it, ``mesa.batch_run`` returns one row per agent of each round it reads
            (Mesa's convention); without it, one row per round.
        **overrides: Any parameter of :func:`model.describe_parameters` by
            its flat name.

    Raises:
        ScenarioError: If the scenario or an override is invalid (before any
            agent is created).
    """

    def __init__(
        self,
        scenario: str | Path | Scenario = DEFAULT_SCENARIO,
        rng: int | np.random.Generator | None = None,
        *,
        record_agents: bool = True,
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
        self.cooling_off = int(v["cooling_off"])
        self.monitor_strength = float(v["monitor_strength"])
        self.buffer_effect = float(v["buffer_effect"])
        self.escalation_risk = float(v["escalation_risk"])
        self.guarantee_effect = float(v["guarantee_effect"])
        self.interim_guarantee = float(v["interim_guarantee"])
        mediated = self.protocol.mediated  # only a mediator tables autonomy or a deferral
        self.proposer = Proposer(
            forms=Proposer.forms_of(v, mediated),
            autonomy_term=float(v["autonomy_term"]),
        )
        self.battlefield = Battlefield.from_values(v)
        spread = float(v["rearmament_spread"])
        if spread and self.battlefield.rearmament:
            self.battlefield.rearmament = self._draw_rearmament(self.battlefield.rearmament, spread)
        self.status_quo = [float(v[f"status_quo_{issue}"]) for issue in ISSUES]

        self._create_agents(v)
        self._start_table()
        self._update_war_values()
        self._clear_table()
        # talks may open before the first engagement (Fearon 1995: bargaining before war); the
        # scenario's round 0 is the state as it starts, so an agreement here holds from round 1
        self._negotiate()
        if self.settled:
            self._finish_if_over()

        self.datacollector = RoundRecorder(REPORTERS, AGENT_REPORTERS if record_agents else None, agent_row)
        self._collect()
        forget_agent_counter(self)

    def _create_agents(self, v: Mapping[str, Value]) -> None:
        """The belligerents, the active third parties (with a first round of aid) and the IFG, in that order."""
        settings = {side: BelligerentSettings.from_values(v, side) for side in Side}
        self.russia = Belligerent(self, settings[Side.RUSSIA], self.status_quo, settings[Side.UKRAINE].ideal)
        self.ukraine = Belligerent(self, settings[Side.UKRAINE], self.status_quo, settings[Side.RUSSIA].ideal)
        self.belligerents = (self.russia, self.ukraine)
        self._by_side = {Side.RUSSIA: self.russia, Side.UKRAINE: self.ukraine}
        active = [code for code in str(v["third_parties"]).split(",") if code]
        self.third_parties = [ThirdParty(self, ThirdPartySettings.from_values(v, code)) for code in active]
        self._support_round()
        self.battlefield.prime(*aid_under_way(v, [tp.settings for tp in self.third_parties]))
        self._ship_aid()
        self._last_logit = self._aid_logit()
        members = [tp for tp in self.third_parties if tp.settings.ifg_member]
        self.mediator = Mediator(self, MediatorSettings.from_values(v), members, self.true_balance)
        self._inducement = self.mediator.inducement if self.protocol.mediated else 0.0

    def _draw_rearmament(self, mean: float, spread: float) -> float:
        """This run's rate of rearmament: lognormal about ``mean`` with coefficient of variation ``spread``.

        How fast Russia can rebuild under sanctions is known to both sides
        as the war goes on (they see the balance shift) but not to the
        analyst: each run draws it once, from a stream of its own spawned
        after the battle's and the ceasefire's, which it leaves as they were.
        The sides then price the rate of their own run (Powell 2006), so the
        share of runs in which ceasefires form and last falls by degrees as
        the mean rate rises, instead of all at one threshold (assumption).
        """
        (stream,) = self.rng.spawn(1)
        return draw_rearmament(stream, mean, spread)

    def _start_table(self) -> None:
        """Nothing agreed yet, step 1 open, no ceasefire; the record of the talks empty."""
        self.agreed: dict[Step, dict[int, float]] = {}
        self.forms: dict[int, TerritorialForm] = {}  # how the agreed territorial issues are settled
        self.open_step = Step.CEASEFIRE
        self.highest_step = 0
        self.ceasefire = False
        self.confidence = 0.0
        self.first_ceasefire_round: int | None = None
        self.breakdowns = 0
        self.talks_resume_round = 0  # no talks before this round (a cooling-off after a breakdown)
        self.violations_detected = 0
        self.violations_this_round = 0
        self._escalated = False  # an undetected violation spiralled into war this round
        self.settled = False
        self.winner: Side | None = None
        self.outcome: Outcome | None = None
        # the record of the round's talks (read by the DataCollector and the page)
        self.reservations = {Side.RUSSIA: 0.0, Side.UKRAINE: 0.0}
        self.proposal_values = {Side.RUSSIA: math.nan, Side.UKRAINE: math.nan}
        self.answers: dict[Side, bool | None] = {Side.RUSSIA: None, Side.UKRAINE: None}  # each side's own answer
        self.proposal: dict[str, float] = {}
        self.proposal_forms: dict[str, TerritorialForm] = {}  # the territorial issues on the table, and how
        self.on_table: tuple[Step, ...] = ()  # the steps the protocol put on the table this round
        self.range_exists = False

    # ------------------------------------------------------------------
    # The schedule
    # ------------------------------------------------------------------
    def step(self) -> None:
        """Play one round (one week)."""
        if not self.running:
            return
        self.violations_this_round = 0
        self._escalated = False
        self._everyone_sees(self.battlefield.drift(self.steps, self.ceasefire, self.buffer()))
        if self.ceasefire:
            self._keep_ceasefire()
        else:
            self._fight()
        for belligerent in self.belligerents:
            belligerent.pay(self.ceasefire)
        if not self.ceasefire and self.winner is None:
            self.winner = self._collapse()
        self._support_round()
        self._ship_aid()
        self._everyone_sees(self._aid_shift())
        if self.protocol.mediated:  # with no mediator at the table, nobody carries its estimate
            self.mediator.share_information(self.belligerents)
        self._update_war_values()
        broke_down = self.ceasefire and (self._escalated or self._ceasefire_breaks())
        if broke_down:
            self._break_down()
        self._clear_table()
        if self.winner is None and self.steps >= self.talks_resume_round:
            self._negotiate()
        self._finish_if_over()
        self._collect()  # after the end is known, so the last row's status is the outcome

    def _collect(self) -> None:
        """Record the round; once the run is over, its outcome too, in every row (:func:`model.record.outcome_columns`).

        ``mesa.batch_run`` builds its rows from this table, so its rows carry
        the outcome the way they carry the run's parameters. (Mesa 3.3.1 reads
        the row before the last, which a column filled in only at the end
        would leave empty.)
        """
        self.datacollector.collect(self)
        if self.outcome is not None:
            self.datacollector.add_run_columns(outcome_columns(self.outcome))

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
        """Aid pledged to Ukraine less aid pledged to Russia this round ($bn)."""
        return self.ukraine.aid - self.russia.aid

    @property
    def true_balance(self) -> float:
        """True probability that Russia wins an engagement this round (with the aid at the front)."""
        return self.battlefield.balance()

    def _fight(self) -> None:
        """One engagement of attrition at the true balance, which everyone learns from; then any scheduled offensive.

        The offensive's engagements are fought at the attacker's local edge,
        which both sides know of, so they are no evidence of the balance of
        attrition: the sides see the front they move, not a lesson about
        ``p`` (assumption: otherwise one operation at a large edge would
        teach both sides a balance that holds nowhere else on the front).
        """
        russia_won = self.battlefield.engage(self._battle_rng, self.true_balance)
        wins, losses = (1, 0) if russia_won else (0, 1)
        for observer in (*self.belligerents, self.mediator):
            observer.observe(wins, losses)
        self.battlefield.operate(self._battle_rng, self.steps)
        self.winner = self.battlefield.winner

    def _everyone_sees(self, shift: float) -> None:
        """A public shift of the balance (log-odds) moves every belief, the IFG's included."""
        if shift:
            for observer in (*self.belligerents, self.mediator):
                observer.see_shift(shift)

    def _support_round(self) -> None:
        """The third parties deliver this round's aid and voice their stances to their patrons."""
        for belligerent in self.belligerents:
            belligerent.clear_support()
        for third_party in self.third_parties:
            third_party.act(self._by_side)

    def _ship_aid(self) -> None:
        """This round's aid enters the pipeline to the front; the aid whose lag is over reaches it."""
        self.battlefield.ship(self.ukraine.aid, self.russia.aid)

    def _aid_logit(self) -> float:
        # aid's part of the balance only: the trend's drift is shown to everyone when it happens
        return self.battlefield.logit() - self.battlefield.trend_logit

    def _aid_shift(self) -> float:
        logit = self._aid_logit()
        shift, self._last_logit = logit - self._last_logit, logit
        return shift

    def _update_war_values(self) -> None:
        """Each side values fighting on at this round's belief, front, costs and pressure."""
        for belligerent in self.belligerents:
            belligerent.update_war_value(self.battlefield)

    @property
    def war_values(self) -> dict[Side, float]:
        """Each side's value of fighting on this round."""
        return {b.side: b.war_value for b in self.belligerents}

    # ------------------------------------------------------------------
    # What stands: terms, agreements, guarantees
    # ------------------------------------------------------------------
    def current_terms(self) -> list[float]:
        """Terms as they stand now: agreed terms, the front, and the status quo elsewhere."""
        terms = de_facto_terms(self.status_quo, self.battlefield.share)
        for step_terms in self.agreed.values():
            for j, x in step_terms.items():
                terms[j] = x
        return terms

    def _standing(self, open_steps: int | None = None, forms: Mapping[int, TerritorialForm] | None = None) -> Standing:
        """The agreements in force, or (with arguments) as they would stand after a proposal."""
        if open_steps is None:
            open_steps = len(Step) - len(self.agreed)
        hazard = unresolved_hazard(self.unresolved_risk, open_steps, _LATER_STEPS)
        return Standing(open_steps, hazard, self._inducement, dict(self.forms) if forms is None else forms)

    def guarantee_credibility(self, terms: list[float] | None = None) -> float:
        """How credible the guarantee behind the ceasefire is, in [0, 1].

        The readiest guarantor's commitment to the terms it would guarantee
        (:meth:`Mediator.credibility_for`), scaled by the guarantees the
        terms set (or the interim guarantee before step 2).

        Args:
            terms: Terms of an agreement under consideration (with step 2, the
                international status, agreed or on the table); ``None`` for the
                ceasefire in force: the agreed guarantees, or the interim
                guarantee before step 2.
        """
        status = self.agreed.get(Step.STATUS)
        if terms is not None:
            scale = terms[SECURITY_GUARANTEES]
        else:
            scale = status[SECURITY_GUARANTEES] if status is not None else self.interim_guarantee
        if not scale:
            return 0.0
        # the guarantors weigh the terms they would fight for: those proposed, or those standing now
        return self.mediator.credibility_for(self.current_terms() if terms is None else terms) * scale

    def deterrence(self, terms: list[float] | None = None) -> float:
        """Log-odds the guarantors take from Russia's chances in a war it restarts (Walter 1997).

        The guarantors are the IFG's members: their guarantee backs the
        agreements the IFG brokers, so a protocol with no mediator at the
        table (``bilateral``, ``none``) has none.
        """
        if not self.protocol.mediated:
            return 0.0
        return self.guarantee_effect * self.guarantee_credibility(terms)

    # ------------------------------------------------------------------
    # Ceasefire
    # ------------------------------------------------------------------
    def _keep_ceasefire(self) -> None:
        """A round of ceasefire: each side may violate it; monitors catch some violations, the zone contains others.

        A violation the monitors detect (with probability ``monitor_strength``
        times the agreed monitors term) is investigated: it costs confidence
        and nothing else. One they miss may spiral into renewed war (with
        probability ``escalation_risk`` times one less the agreed
        demilitarised zone) or gain its author a cell of the front (with
        probability one less the zone), short of its war aim. A quiet round
        builds confidence toward the next step. Fortna 2003 (*Scraps of
        Paper?*, International Organization 57(2)) and 2004 (*Peace Time*):
        ceasefires with monitors and demilitarised zones last longer, because
        incidents are caught and settled instead of spiralling, and because
        forces kept apart cannot creep forward or attack by surprise; the
        linear forms are assumptions.
        """
        rng = self._ceasefire_rng
        agreed = self.agreed[Step.CEASEFIRE]
        detection = self.monitor_strength * agreed.get(MONITORS, 0.0)
        zone = agreed.get(DEMILITARISED_ZONE, 0.0)
        detected = 0
        for belligerent in self.belligerents:
            what = _VIOLATION(rng, belligerent.settings.violation_rate, detection, self.escalation_risk, zone)
            if what == mechanics.VIOLATION_DETECTED:
                detected += 1
            elif what == mechanics.VIOLATION_ESCALATED:
                self._escalated = True
            elif what == mechanics.VIOLATION_GAINED:
                self.battlefield.nudge(belligerent.side)
        self.violations_this_round = detected
        self.violations_detected += detected
        self.confidence = _CONFIDENCE_AFTER(self.confidence, detected, self.confidence_gain, self.confidence_loss)

    def buffer(self, terms: list[float] | None = None) -> float:
        """The share of rearmament's effect the demilitarised zone cancels (``buffer_effect`` times its term).

        Forces pulled back from the line need time to mass for an attack,
        so what is rebuilt behind the zone shifts the balance less (Fortna
        2003; the linear form is an assumption). ``terms`` are an agreement
        under consideration; ``None`` means the zone agreed, if a ceasefire holds.

        Args:
            terms: Terms of a proposal with step 1 on the table, or ``None``.
        """
        if terms is not None:
            return self.buffer_effect * terms[DEMILITARISED_ZONE]
        if not self.ceasefire or Step.CEASEFIRE not in self.agreed:
            return 0.0
        return self.buffer_effect * self.agreed[Step.CEASEFIRE].get(DEMILITARISED_ZONE, 0.0)

    def _ceasefire_breaks(self) -> bool:
        """A side defects when resuming war is worth more than keeping the ceasefire (Powell 2006)."""
        terms, standing, deterrence = self.current_terms(), self._standing(), self.deterrence()
        return any(b.defects(terms, standing, self.battlefield, deterrence) for b in self.belligerents)

    def ceasefire_values(self) -> dict[Side, tuple[float, float]]:
        """Each side's value of keeping the ceasefire and of resuming the war, as the ceasefire check weighs them.

        Scores the current state and changes nothing.

        Returns:
            ``{side: (value of keeping the ceasefire, value of resuming the war)}``, per-round units;
            keeping includes the backers' political push (:meth:`Belligerent.held_value`).
        """
        terms, standing, deterrence = self.current_terms(), self._standing(), self.deterrence()
        return {b.side: (b.held_value(terms, standing), b.resume_value(self.battlefield, deterrence)) for b in self.belligerents}

    def _break_down(self) -> None:
        """The ceasefire collapses: every agreed step is void, step 1 reopens, confidence restarts.

        The war resumes, and talks wait ``cooling_off`` rounds of renewed
        fighting (the round of the breakdown aside): a side that has just been
        attacked does not sign again the next week (Fortna 2004, *Peace Time*:
        failed ceasefires are followed by renewed fighting, not by an
        immediate new ceasefire).
        """
        self.ceasefire = False
        self.agreed.clear()
        self.forms.clear()
        self.open_step = Step.CEASEFIRE
        self.confidence = 0.0
        self.breakdowns += 1
        self.talks_resume_round = self.steps + 1 + self.cooling_off

    # ------------------------------------------------------------------
    # Negotiation
    # ------------------------------------------------------------------
    def _clear_table(self) -> None:
        """Nothing on the table yet this round: no proposal, reservations at the values of war."""
        self.proposal = {}
        self.proposal_forms = {}
        self.on_table = ()
        self.proposal_values = {Side.RUSSIA: math.nan, Side.UKRAINE: math.nan}
        self.answers = {Side.RUSSIA: None, Side.UKRAINE: None}
        self.range_exists = False
        self.reservations = self.war_values

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
        """The protocol sets the agenda, a proposal is tabled, both sides answer; agreed if both accept."""
        state = self.table_state()
        steps = self.protocol.agenda(state)
        self.on_table = steps
        if not steps:
            return
        agenda = issues_of(steps)
        on_table = frozenset(agenda) | ({CEASEFIRE_LINE} if Step.CEASEFIRE in steps else frozenset())
        now = self.current_terms()
        standing = self._standing()
        open_after = standing.open_steps - len(steps)
        zone = self.buffer(now) if Step.CEASEFIRE in steps else self.buffer()
        talks = Talks(
            after=self._standing(open_after, standing.forms),
            anticipated_shift=self._anticipated_shift(open_after, zone),
            deterrence_now=self.deterrence(),
            ceasefire_on_table=Step.CEASEFIRE in steps,
        )
        self.reservations = {b.side: b.keep_value(now, standing) if self.ceasefire else b.war_value for b in self.belligerents}
        # the floors ask what an agreement must be worth, not how its territory is settled
        floors = {b.side: b.floor(self.reservations[b.side], talks, self.battlefield) for b in self.belligerents}

        floor_pair = (floors[Side.RUSSIA][0], floors[Side.UKRAINE][0])
        weight = self.protocol.weight_ukraine(state)
        proposal, talks = self.proposer.table(self.russia, self.ukraine, agenda, now, talks, floor_pair, weight)
        if Step.CEASEFIRE in steps and self.buffer(proposal.terms) != zone:
            # the sides answer knowing the zone the proposal itself would set, and so the shift it leaves
            talks = replace(talks, anticipated_shift=self._anticipated_shift(open_after, self.buffer(proposal.terms)))
            floors = {b.side: b.floor(self.reservations[b.side], talks, self.battlefield) for b in self.belligerents}
        self.range_exists = proposal.in_range
        self.proposal = {ISSUES[j]: proposal.terms[j] for j in sorted(on_table)}
        self.proposal_forms = {ISSUES[j]: form for j, form in talks.after.forms.items() if j in on_table}

        accepted = True
        for b in self.belligerents:
            self.proposal_values[b.side], yes = b.answer(proposal.terms, talks, *floors[b.side])
            self.answers[b.side] = yes
            accepted &= yes
        if accepted and (Step.STATUS in steps or Step.STATUS in self.agreed):
            # the guarantees after the agreement are the ones its own terms set: Russia must still keep
            # a ceasefire (or a settlement) backed only by them (terms that strip the guarantees would
            # otherwise be accepted under the interim guarantee and broken at once)
            accepted = self.russia.keeps_under(proposal.terms, talks, self.battlefield, self.deterrence(proposal.terms))
        if accepted:
            self._agree(steps, proposal.terms, talks.after.forms)

    def _anticipated_shift(self, open_steps: int, buffer: float = 0.0) -> float:
        """The shift both sides expect over the ceasefire's life: rearmament until the last step is agreed.

        A rearmament both sides know is priced in (Powell 2006): an agreement
        leaving ``open_steps`` later steps open must stay self-enforcing until
        they are all agreed, and each of them waits a confidence window (the
        rounds a ceasefire needs to build the confidence the next step opens
        at, ``confidence_threshold / confidence_gain``). A settlement
        (``open_steps == 0``) must stay self-enforcing for one window, while it
        is put in place (assumption: its implementation is not modelled). The
        look-ahead is at most the run's horizon. A demilitarised zone cancels the ``buffer``
        share of it (:meth:`buffer`).
        """
        return _ANTICIPATED_SHIFT(
            self.battlefield.rearmament, buffer, open_steps, self.confidence_threshold, self.confidence_gain, self.max_rounds
        )

    def _agree(self, steps: tuple[Step, ...], proposal: list[float], forms: Mapping[int, TerritorialForm]) -> None:
        """Lock the steps' terms: four steps agreed settle the war, fewer begin (or continue) a ceasefire."""
        for step in steps:
            self.agreed[step] = {ISSUE_INDEX[i]: proposal[ISSUE_INDEX[i]] for i in STEP_ISSUES[step]}
            self.highest_step = max(self.highest_step, int(step))
        self.forms = dict(forms)
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

    def _collapse(self) -> Side | None:
        """The side whose forces collapse this round of war (its costs passed its capacity): its opponent wins.

        Collapse ends only a war: a side past its capacity during a ceasefire
        or a settlement does not collapse (it collapses in the first round of
        war after a breakdown). Russia is checked first if both pass together.
        """
        for belligerent in self.belligerents:
            if belligerent.collapsed:
                return belligerent.side.other
        return None

    def _finish_if_over(self) -> None:
        """End the run on a victory (an edge, or a collapse at war), a settlement or the horizon."""
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
        """The outcome record: the winner's ideal terms after a victory, else the terms agreed."""
        terms: dict[str, float | None] = dict.fromkeys(ISSUES)
        if kind is OutcomeKind.VICTORY:
            assert self.winner is not None
            ideal = self._by_side[self.winner].settings.ideal
            terms = {issue: ideal[j] for j, issue in enumerate(ISSUES)}
        else:
            for step_terms in self.agreed.values():
                for j, x in step_terms.items():
                    terms[ISSUES[j]] = x
            for j, form in self.forms.items():
                if form is TerritorialForm.DEFERRED:
                    terms[ISSUES[j]] = None  # left to later talks: unresolved, whatever stands meanwhile
        forms: dict[str, str | None] = {ISSUES[j]: None for j in TERRITORY_INDICES}
        if kind is not OutcomeKind.VICTORY:
            forms.update({ISSUES[j]: form.value for j, form in self.forms.items()})
        return Outcome(
            kind=kind,
            winner=self.winner,
            rounds=self.steps,
            step_reached=self.highest_step,
            first_ceasefire_round=self.first_ceasefire_round,
            breakdowns=self.breakdowns,
            violations_detected=self.violations_detected,
            terms=terms,
            forms=forms,
            costs={b.side.value: b.cumulative_cost for b in self.belligerents},
            final_front=self.battlefield.share,
            final_balance=self.true_balance,
        )
