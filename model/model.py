"""The war-termination model: a run of the engine's rounds, stepped one at a time, with its agents to look at.

A round reads like the protocol it simulates: the trend moves the balance;
the sides fight (or keep a ceasefire) and pay; third parties aid and press;
the mediator shares what it knows; the sides value the war; a ceasefire is
kept or broken; a proposal is tabled and the sides answer; the run ends when
the war does and the round is recorded. That schedule is written once, as
:func:`model.engine.whole_run.play_round`: the runner plays it compiled, a
whole run in one call, and this model plays it interpreted, a round a
:meth:`~WarTerminationModel.step`, over the same state. The model's state is
the engine's (lists of numbers, :mod:`model.engine.whole_run`'s ``S_*``,
``M_*`` and ``V_*`` slots); its attributes and its agents'
(:mod:`model.agents`, :mod:`model.battlefield`) read and write those numbers,
so Mesa's DataCollector, the browser page and a notebook see each round as
the engine leaves it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

import mesa
import numpy as np

from model.agents import (
    Belligerent,
    BelligerentSettings,
    Mediator,
    MediatorSettings,
    Standing,
    ThirdParty,
    ThirdPartySettings,
)
from model.battlefield import Battlefield
from model.compat import RoundRecorder, forget_agent_counter
from model.engine import layout as L
from model.engine import state as run_state
from model.engine import whole_run
from model.engine.codes import FORMS_BY_CODE, RUSSIA, UKRAINE
from model.engine.inputs import pack
from model.engine.jit import for_single_runs
from model.engine.mechanics import draws_own_rearmament, rearmament_rate
from model.engine.run import decode
from model.issues import (
    DEMILITARISED_ZONE,
    ISSUE_INDEX,
    ISSUES,
    SECURITY_GUARANTEES,
    STEP_ISSUES,
    TERRITORY_INDICES,
    Step,
    TerritorialForm,
    de_facto_terms,
)
from model.maths import unresolved_hazard
from model.outcome import Outcome, Side
from model.protocols import PROTOCOLS, TableState
from model.record import AGENT_REPORTERS, REPORTERS, agent_row, outcome_columns
from model.scenario import DEFAULT_SCENARIO, Scenario, load_scenario

_LATER_STEPS = len(Step) - 1  # the steps an agreed ceasefire leaves open
_NEW_STATE = for_single_runs(run_state.new_state)
_NEW_SCRATCH = for_single_runs(run_state.new_scratch)
_BEGIN = for_single_runs(whole_run.begin)
_PLAY_ROUND = for_single_runs(whole_run.play_round)
_FINISH = for_single_runs(whole_run.finish)
_DRAWS_OWN_REARMAMENT = for_single_runs(draws_own_rearmament)
_REARMAMENT_RATE = for_single_runs(rearmament_rate)
_NO_TRACE = np.zeros((0, L.N_TRACE))
_CODE = {Side.RUSSIA: RUSSIA, Side.UKRAINE: UKRAINE}
_SIDES = {RUSSIA: Side.RUSSIA, UKRAINE: Side.UKRAINE}
_STEP_INDICES = {step: tuple(ISSUE_INDEX[i] for i in STEP_ISSUES[step]) for step in Step}
_TERRITORY_STEP = {j: next(step for step in Step if ISSUES[j] in STEP_ISSUES[step]) for j in TERRITORY_INDICES}

T = TypeVar("T")


class _Slot(Generic[T]):
    """One number of the run's state (``model.engine.state.S_*``) as an attribute of the model, read and written as a ``T``."""

    def __init__(self, index: int, read: Callable[[float], T], write: Callable[[T], float] = float) -> None:  # type: ignore[assignment]
        self.index, self.read, self.write = index, read, write

    def __get__(self, model: WarTerminationModel | None, owner: type) -> T:
        if model is None:
            return self  # type: ignore[return-value]  # the descriptor itself, on the class
        return self.read(model._state[0][self.index])

    def __set__(self, model: WarTerminationModel, value: T) -> None:
        model._state[0][self.index] = self.write(value)


def _round_or_none(x: float) -> int | None:
    return None if x < 0 else int(x)


def _side_or_none(x: float) -> Side | None:
    return None if x < 0 else _SIDES[int(x)]


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

    ceasefire = _Slot(run_state.S_CEASEFIRE, bool)
    """True while a ceasefire holds."""
    confidence = _Slot(run_state.S_CONFIDENCE, float)
    """The confidence the ceasefire has built toward the next step."""
    open_step = _Slot(run_state.S_OPEN_STEP, lambda x: Step(int(x)), int)
    """The next step of the plan to be agreed."""
    highest_step = _Slot(run_state.S_HIGHEST_STEP, int)
    """The highest step ever agreed."""
    first_ceasefire_round = _Slot(run_state.S_FIRST_CEASEFIRE, _round_or_none, lambda r: -1.0 if r is None else float(r))
    """The round of the first ceasefire agreed, if any."""
    breakdowns = _Slot(run_state.S_BREAKDOWNS, int)
    """Ceasefires broken so far."""
    talks_resume_round = _Slot(run_state.S_TALKS_RESUME, int)
    """No talks before this round (a cooling-off after a breakdown)."""
    violations_detected = _Slot(run_state.S_VIOLATIONS, int)
    """Violations the monitors have detected so far."""
    violations_this_round = _Slot(run_state.S_VIOLATIONS_ROUND, int)
    """Violations detected this round."""
    settled = _Slot(run_state.S_SETTLED, bool)
    """True once all four steps are agreed."""
    winner = _Slot(run_state.S_WINNER, _side_or_none, lambda side: -1.0 if side is None else float(_CODE[side]))
    """The side that won the war, if one has."""
    range_exists = _Slot(run_state.S_RANGE, bool)
    """Whether this round's proposal lay in the bargaining range (both floors met)."""

    def __init__(
        self,
        scenario: str | Path | Scenario = DEFAULT_SCENARIO,
        rng: int | np.random.Generator | None = None,
        *,
        record_agents: bool = True,
        **overrides: Any,
    ) -> None:
        """Validate the scenario and overrides, create the agents over a fresh state, and play round 0."""
        loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        loaded = loaded.with_overrides(overrides)
        super().__init__(rng=rng)
        # not `self.scenario`: Mesa 3.5's Model owns that name for its own scenarios
        self.war_scenario = loaded
        v = loaded.values
        self.max_rounds = int(v["max_rounds"])
        self.protocol = PROTOCOLS[str(v["protocol"])]()
        self._battle_rng, self._ceasefire_rng = self.rng.spawn(2)
        inputs = pack(v)
        spread, mean = float(inputs.scalars[L.REARMAMENT_SPREAD]), float(inputs.scalars[L.REARMAMENT])
        if _DRAWS_OWN_REARMAMENT(mean, spread):
            inputs = inputs.with_rearmament(self._draw_rearmament(mean, spread))
        # interpreted, the kernels read lists of Python numbers, faster than NumPy's (the same floats)
        self._inputs = tuple(array.tolist() for array in inputs)
        self._state = _NEW_STATE(int(v["aid_lag"]))
        self._talk = _NEW_SCRATCH()
        self.confidence_threshold = float(v["confidence_threshold"])
        self.unresolved_risk = float(v["unresolved_risk"])
        self.buffer_effect = float(v["buffer_effect"])
        self.guarantee_effect = float(v["guarantee_effect"])
        self.interim_guarantee = float(v["interim_guarantee"])
        self.status_quo = list(inputs.status_quo.tolist())
        self.outcome: Outcome | None = None
        self._create_agents(v, float(inputs.scalars[L.REARMAMENT]))
        self._inducement = float(inputs.scalars[L.IFG_INDUCEMENT])

        ending = _BEGIN(*self._inputs[:8], *self._state, self._talk, _NO_TRACE)
        if ending >= 0:
            self._finish(ending)
        self.datacollector = RoundRecorder(REPORTERS, AGENT_REPORTERS if record_agents else None, agent_row)
        self._collect()
        forget_agent_counter(self)

    def _create_agents(self, v: Mapping[str, Any], rearmament: float) -> None:
        """The belligerents, the active third parties and the IFG, in that order, each over its rows of the state."""
        st, belief, money, values = self._state[0], self._state[1], self._state[2], self._state[3]
        settings = {side: BelligerentSettings.from_values(v, side) for side in Side}
        rows = {side: (belief[_CODE[side]], money[_CODE[side]], values[_CODE[side]]) for side in Side}
        self.russia = Belligerent(self, settings[Side.RUSSIA], self.status_quo, settings[Side.UKRAINE].ideal, rows=rows[Side.RUSSIA])
        self.ukraine = Belligerent(self, settings[Side.UKRAINE], self.status_quo, settings[Side.RUSSIA].ideal, rows=rows[Side.UKRAINE])
        self.belligerents = (self.russia, self.ukraine)
        self._by_side = {Side.RUSSIA: self.russia, Side.UKRAINE: self.ukraine}
        active = [code for code in str(v["third_parties"]).split(",") if code]
        self.third_parties = [ThirdParty(self, ThirdPartySettings.from_values(v, code)) for code in active]
        self.battlefield = Battlefield.from_values(v, run=(self._inputs[0], st, self._state[7]))
        self.battlefield.rearmament = rearmament  # this run's rate (drawn once where rearmament_spread is set)
        members = [tp for tp in self.third_parties if tp.settings.ifg_member]
        self.mediator = Mediator(self, MediatorSettings.from_values(v), members, belief=belief[run_state.MEDIATOR])

    def _draw_rearmament(self, mean: float, spread: float) -> float:
        """This run's rate of rearmament (:func:`model.engine.mechanics.rearmament_rate`, which says why).

        Drawn from a stream of its own, spawned after the battle's and the
        ceasefire's (the third child of the run's ``rng``, as the compiled
        run spawns it), so those two are as they would be without it.
        """
        (stream,) = self.rng.spawn(1)
        return float(_REARMAMENT_RATE(stream, mean, spread))

    # ------------------------------------------------------------------
    # The schedule: the engine's round
    # ------------------------------------------------------------------
    def step(self) -> None:
        """Play one round (one week): :func:`model.engine.whole_run.play_round`, then record it."""
        if not self.running:
            return
        ending = _PLAY_ROUND(*self._inputs, *self._state, self._talk, self._battle_rng, self._ceasefire_rng, _NO_TRACE)
        if ending >= 0:
            self._finish(ending)
        self._collect()  # after the end is known, so the last row's status is the outcome

    def _finish(self, kind: int) -> None:
        """End the run: the outcome record the engine gives for ``kind`` (``layout.KIND_*``)."""
        st, _belief, money, _values, agreed, terms, forms, _pipeline = self._state
        self.outcome = decode(_FINISH(self._inputs[0], self._inputs[2], st, money, agreed, terms, forms, kind))
        self.running = False

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
    # The state, read
    # ------------------------------------------------------------------
    @property
    def agreed(self) -> dict[Step, dict[int, float]]:
        """The terms of each step agreed (issue index to term), in the order of the plan."""
        agreed, terms = self._state[4], self._state[5]
        return {step: {j: terms[j] for j in _STEP_INDICES[step]} for step in Step if agreed[int(step)]}

    @property
    def forms(self) -> dict[int, TerritorialForm]:
        """How the agreed territorial issues are settled (issue index to form); an issue absent stands de facto."""
        codes = self._state[6]
        return {j: FORMS_BY_CODE[int(codes[t])] for t, j in enumerate(TERRITORY_INDICES) if int(codes[t]) in FORMS_BY_CODE}

    @property
    def on_table(self) -> tuple[Step, ...]:
        """The steps the protocol put on the table this round."""
        st = self._state[0]
        return tuple(Step(k) for k in range(int(st[run_state.S_TABLE_FIRST]), int(st[run_state.S_TABLE_LAST]) + 1))

    @on_table.setter
    def on_table(self, steps: tuple[Step, ...]) -> None:
        codes = sorted(int(step) for step in steps)
        if codes != list(range(codes[0], codes[-1] + 1)) if codes else False:
            raise ValueError(f"the steps on the table run in order without a gap, not {steps}")
        st = self._state[0]
        st[run_state.S_TABLE_FIRST], st[run_state.S_TABLE_LAST] = (float(codes[0]), float(codes[-1])) if codes else (0.0, -1.0)

    @property
    def proposal(self) -> dict[str, float]:
        """This round's proposal: the terms of the issues on the table (empty if nothing was tabled)."""
        steps, tabled = self.on_table, self._talk[4]
        return {ISSUES[j]: tabled[j] for step in steps for j in _STEP_INDICES[step]} if steps else {}

    @property
    def proposal_forms(self) -> dict[str, TerritorialForm]:
        """How this round's proposal settles the territorial issues on the table."""
        steps, codes = self.on_table, self._talk[5]
        return {
            ISSUES[j]: FORMS_BY_CODE[int(codes[t])]
            for t, j in enumerate(TERRITORY_INDICES)
            if _TERRITORY_STEP[j] in steps and int(codes[t]) in FORMS_BY_CODE
        }

    @property
    def reservations(self) -> dict[Side, float]:
        """Each side's no-agreement value this round: its value of war, or of the ceasefire in force."""
        values = self._state[3]
        return {side: values[_CODE[side]][run_state.V_RESERVATION] for side in Side}

    @property
    def proposal_values(self) -> dict[Side, float]:
        """Each side's value of the agreements this round's proposal would make (NaN if none was tabled)."""
        values = self._state[3]
        return {side: values[_CODE[side]][run_state.V_PROPOSAL] for side in Side}

    @property
    def answers(self) -> dict[Side, bool | None]:
        """Each side's own answer to this round's proposal (``None`` if none was tabled)."""
        st = self._state[0]
        return {side: None if st[run_state.S_ANSWER + _CODE[side]] < 0 else bool(st[run_state.S_ANSWER + _CODE[side]]) for side in Side}

    @property
    def net_aid(self) -> float:
        """Aid pledged to Ukraine less aid pledged to Russia this round ($bn)."""
        return self.ukraine.aid - self.russia.aid

    @property
    def true_balance(self) -> float:
        """True probability that Russia wins an engagement this round (with the aid at the front)."""
        return self.battlefield.balance()

    @property
    def war_values(self) -> dict[Side, float]:
        """Each side's value of fighting on this round."""
        return {b.side: b.war_value for b in self.belligerents}

    @property
    def status(self) -> str:
        """The state of the run in a word: war, ceasefire, settlement or victory."""
        if self.outcome is not None:
            return self.outcome.kind.value
        return "ceasefire" if self.ceasefire else "war"

    # ------------------------------------------------------------------
    # What stands, scored: terms, agreements, guarantees (read-only)
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


    def ceasefire_values(self) -> dict[Side, tuple[float, float]]:
        """Each side's value of keeping the ceasefire and of resuming the war, as the ceasefire check weighs them.

        Scores the current state and changes nothing.

        Returns:
            ``{side: (value of keeping the ceasefire, value of resuming the war)}``, per-round units;
            keeping includes the backers' political push (:meth:`Belligerent.held_value`).
        """
        terms, standing, deterrence = self.current_terms(), self._standing(), self.deterrence()
        return {b.side: (b.held_value(terms, standing), b.resume_value(self.battlefield, deterrence)) for b in self.belligerents}


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
