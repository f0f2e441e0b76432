"""The actors: two belligerents, the third parties and the IFG mediator.

Agents hold their own settings (built once from the validated scenario with
``from_values``) and score options with the mechanics' kernels (through
:mod:`model.maths` and :mod:`model.engine.mechanics`). Their state is their
rows of a run's state (:mod:`model.engine.state`): a model's agents are views
of its run's, which the round's schedule writes
(:func:`model.engine.whole_run.play_round`); an agent made on its own keeps
rows of its own, and its methods that change them are the state's kernels,
the ones the schedule calls. A belligerent values and answers for itself:
its value of war, of the agreements in force and of resuming the war, its
floor in talks, whether it accepts a proposal and whether it defects from a
ceasefire. Scoring never changes state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from typing import Any

import mesa
import numpy as np

from model import maths
from model.battlefield import Battlefield
from model.engine import bargain, mechanics
from model.engine import state as run_state
from model.engine.codes import FORM_CODES, FORM_NONE, RUSSIA, UKRAINE
from model.engine.jit import for_single_runs
from model.issues import ISSUES, TERRITORY_INDICES, TerritorialForm, de_facto_terms
from model.outcome import Side
from model.parameters import THIRD_PARTY_CATALOGUE, Value

_TERMS_FLOW = for_single_runs(bargain.terms_flow)
_AUDIENCE_SHARE = for_single_runs(bargain.audience_share)
_COST_OF_ROUND = for_single_runs(mechanics.cost_of_round)
_AUDIENCE_RATE = for_single_runs(mechanics.audience_rate)
_POLITICAL_PUSH = for_single_runs(mechanics.political_push)
_PRESSED_FLOOR = for_single_runs(mechanics.pressed_floor)
_SIDE_WAR_VALUE = for_single_runs(mechanics.side_war_value)
_CREDIBILITY_TOWARD = for_single_runs(mechanics.credibility_toward)
_READINESS = for_single_runs(mechanics.readiness)
_LEAN_UTILITY = for_single_runs(mechanics.lean_utility)
_READIEST = for_single_runs(mechanics.readiest)
_COMPILED = hasattr(_TERMS_FLOW, "py_func")
"""Whether the kernels run compiled, and so take NumPy arrays rather than Python sequences."""
_CRIMEA, _DONBAS = TERRITORY_INDICES
TOLERANCE = mechanics.TOLERANCE
"""Slack in every comparison of values (accept, keep, defect), so rounding never decides."""
_ACCEPTS = for_single_runs(mechanics.accepts)
_KEEPS = for_single_runs(mechanics.keeps)
_DEFECTS = for_single_runs(mechanics.defects)
_OBSERVE = for_single_runs(run_state.observe)
_SEE_SHIFT = for_single_runs(run_state.see_shift)
_HEAR = for_single_runs(run_state.hear)
_TELL = for_single_runs(run_state.tell)
_CLEAR_SUPPORT = for_single_runs(run_state.clear_support)
_RECEIVE = for_single_runs(run_state.receive)
_PUSH = for_single_runs(run_state.push)
_DELIVER = for_single_runs(run_state.deliver)


@dataclass(frozen=True)
class Standing:
    """Agreements as a side values them: in force, or as they would stand if a proposal were accepted.

    Attributes:
        open_steps: Steps of the plan still unresolved (0: a settlement).
        hazard: Weight of war in their value (:func:`model.maths.unresolved_hazard`).
        inducement: The mediator's inducement flow while they hold.
        forms: How each territorial issue agreed (or on the table) is settled;
            an issue absent stands de facto (:meth:`Belligerent.audience_share`).
    """

    open_steps: int
    hazard: float
    inducement: float
    forms: Mapping[int, TerritorialForm]


@dataclass(frozen=True)
class Talks:
    """A round's talks as a side weighs them.

    Attributes:
        after: The agreements that would stand if the proposal were accepted.
        anticipated_shift: The shift of the balance (log-odds) both sides expect
            before the next step, from rearmament over the confidence window.
        deterrence_now: The guarantors' deterrence (log-odds) behind the ceasefire in force.
        ceasefire_on_table: Step 1 is on the table, so the backers' pressure on talks
            bears on the answer (:meth:`Belligerent.pressed_floor`).
    """

    after: Standing
    anticipated_shift: float
    deterrence_now: float
    ceasefire_on_table: bool = False


@dataclass(frozen=True)
class BelligerentSettings:
    """A belligerent's fixed characteristics, from the scenario."""

    side: Side
    ideal: tuple[float, ...]
    weights: tuple[float, ...]
    war_cost: float
    ceasefire_cost_share: float
    aid_relief: float
    discount: float
    prior_mean: float
    prior_strength: float
    belief_memory: float
    red_line: float
    audience_cost: float
    unsigned_audience_share: float
    war_weariness: float
    capacity: float
    violation_rate: float
    pressure_effect: float
    risk_aversion: float = 0.0
    pressure_floor: float = 0.0

    @classmethod
    def from_values(cls, v: Mapping[str, Value], side: Side) -> BelligerentSettings:
        """A side's settings from a validated scenario's flat values."""
        s = side.value
        return cls(
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
            unsigned_audience_share=float(v["unsigned_audience_share"]),
            war_weariness=float(v[f"war_weariness_{s}"]),
            capacity=float(v[f"capacity_{s}"]),
            violation_rate=float(v[f"violation_rate_{s}"]),
            pressure_effect=float(v["pressure_effect"]),
            risk_aversion=float(v[f"risk_aversion_{s}"]),
            pressure_floor=float(v["pressure_floor"]),
        )


def _normalised(weights: list[float]) -> tuple[float, ...]:
    total = math.fsum(weights)
    return tuple(w / total for w in weights)


@dataclass(frozen=True)
class WarFlows:
    """What a war and its two ends are worth to a side a round, fixed by the issues: computed once per run.

    Attributes:
        base: Flow of the terms a war leaves with Russia holding nothing of the contested territory.
        slope: Change of that flow from Russia holding none of it to all of it (less the curvature's part).
        curvature: The quadratic coefficient in Russia's share (0 for a linear utility).
        win: Flow of the side's own ideal terms (its victory).
        loss: Flow of the opponent's ideal terms (its defeat).
        war_audience: Salience-weighted distance beyond the red line of the territory as the war leaves it.
        win_audience: The same for the side's victory.
        loss_audience: The same for its defeat.
    """

    base: float
    slope: float
    curvature: float
    win: float
    loss: float
    war_audience: float
    win_audience: float
    loss_audience: float

    @classmethod
    def of(cls, settings: BelligerentSettings, status_quo: Sequence[float], opponent_ideal: Sequence[float]) -> WarFlows:
        """A side's war flows, from its settings, the status quo and what its opponent's victory would impose."""

        def flow(terms: Sequence[float]) -> float:
            return maths.utility(terms, settings.ideal, settings.weights, settings.risk_aversion)

        def audience_units(terms: Sequence[float]) -> float:
            ukraine = settings.side is Side.UKRAINE
            return math.fsum(
                settings.weights[j] * maths.red_line_penalty(terms[j], settings.red_line, 1.0, ukraine) for j in TERRITORY_INDICES
            )

        holds_all = de_facto_terms(status_quo, 0.0)
        base = flow(holds_all)
        slope = flow(de_facto_terms(status_quo, 1.0)) - base
        curvature = 0.0
        if settings.risk_aversion:
            # a concave utility makes the flow of the front quadratic in Russia's share: fit it at 0, 1/2, 1
            middle = flow(de_facto_terms(status_quo, 0.5)) - base
            curvature = 2.0 * (slope - 2.0 * middle)
            slope -= curvature
        # the territory a war leaves de facto: at the status quo while it lasts, the victor's ideal after
        return cls(
            base=base,
            slope=slope,
            curvature=curvature,
            win=flow(settings.ideal),
            loss=flow(opponent_ideal),
            war_audience=audience_units(status_quo),
            win_audience=audience_units(settings.ideal),
            loss_audience=audience_units(opponent_ideal),
        )


class _Row:
    """One number of an agent's row of the run's state, as an attribute (the row held in the agent's ``row`` attribute)."""

    def __init__(self, row: str, index: int, doc: str) -> None:
        self.row, self.index, self.__doc__ = row, index, doc

    def __get__(self, agent: Any, owner: type) -> Any:
        if agent is None:
            return self
        return getattr(agent, self.row)[self.index]

    def __set__(self, agent: Any, value: float) -> None:
        getattr(agent, self.row)[self.index] = value


class Belligerent(mesa.Agent):
    """Russia or Ukraine: fights, learns the balance of power, and answers proposals.

    Attributes:
        settings: Fixed characteristics.
        belief_a: Beta pseudo-count of Russian engagement wins.
        belief_b: Beta pseudo-count of Russian engagement losses.
        cumulative_cost: Costs borne so far (never falls).
        aid: Aid received this round ($bn).
        war_value: This round's value of fighting on (:meth:`update_war_value`).
    """

    def __init__(
        self,
        model: mesa.Model,
        settings: BelligerentSettings,
        status_quo: Sequence[float],
        opponent_ideal: Sequence[float],
        *,
        rows: tuple[list[float], list[float], list[float]] | None = None,
    ) -> None:
        """Create a belligerent with its prior belief, or over its rows of a run's state.

        Args:
            model: The model it belongs to.
            settings: Its fixed characteristics.
            status_quo: Every issue's value before any agreement.
            opponent_ideal: The other side's ideal point (what its victory would impose).
            rows: Its rows of the run's state (belief, money, values: ``whole_run.new_state``),
                which the model's rounds write; ``None`` for a belligerent of its own, at its prior.
        """
        super().__init__(model)
        self.settings = settings
        self.side = settings.side
        if rows is None:
            rows = ([*maths.beta_from_mean(settings.prior_mean, settings.prior_strength)], [0.0] * run_state.N_MONEY, [0.0] * 3)
        self._belief, self._money, self._values = rows
        # this round's costs and audience rate, kept while the aid, the costs borne and the settings stay as they were
        self._cost_aid, self._priced_settings, self._costs = math.nan, settings, (0.0, 0.0)
        self._rate_cost, self._rated_settings, self._rate = math.nan, settings, 0.0
        self._flows = astuple(WarFlows.of(settings, status_quo, opponent_ideal))  # in field order, as the kernels read them

    belief_a = _Row("_belief", 0, "Beta pseudo-count of Russian engagement wins.")
    belief_b = _Row("_belief", 1, "Beta pseudo-count of Russian engagement losses.")
    cumulative_cost = _Row("_money", run_state.M_COST, "Costs borne so far (never falls).")
    aid = _Row("_money", run_state.M_AID, "Aid received this round ($bn).")
    _voices = _Row("_money", run_state.M_VOICES, "The aid of this round's patrons that voice a stance.")
    _voiced_stance = _Row("_money", run_state.M_STANCE, "Their stances, weighted by their aid.")
    _political_push = _Row("_money", run_state.M_PUSH, "This round's ``voice * stance``, summed over the third parties.")
    war_value = _Row("_values", run_state.V_WAR, "This round's value of fighting on.")

    # ---- beliefs -------------------------------------------------------
    @property
    def believed_balance(self) -> float:
        """Mean belief that Russia wins an engagement."""
        return maths.beta_mean(self.belief_a, self.belief_b)

    @property
    def belief_sd(self) -> float:
        """Spread (standard deviation) of the belief."""
        return maths.beta_sd(self.belief_a, self.belief_b)

    def observe(self, russian_wins: int, russian_losses: int) -> None:
        """Update the belief from the engagements of this round (:func:`model.engine.state.observe`)."""
        _OBSERVE(self._belief, russian_wins, russian_losses, self.settings.belief_memory)

    def see_shift(self, delta_logit: float) -> None:
        """Move the belief by a shift of the balance that everyone sees: aid, rearmament, a shock (:func:`model.engine.state.see_shift`)."""
        _SEE_SHIFT(self._belief, delta_logit)

    def hear(self, estimate: float, weight: float) -> None:
        """Move the belief's mean toward a mediator's estimate, keeping its confidence (:func:`model.engine.state.hear`)."""
        _HEAR(self._belief, estimate, weight)

    # ---- third parties ---------------------------------------------------
    def clear_support(self) -> None:
        """Forget last round's aid and pressure before the third parties act again."""
        _CLEAR_SUPPORT(self._money)

    def receive(self, aid: float, stance: float, voice: float = 0.0) -> None:
        """Take a patron's aid and hear its stance on talks, through its aid and its political voice.

        Args:
            aid: The aid delivered this round ($bn).
            stance: The patron's stance on talks (-1 opposes, +1 pushes).
            voice: The political weight of its stance (``voice_*``), apart from its aid.
        """
        _RECEIVE(self._money, aid, stance, voice)  # model.engine.state.receive

    def hear_push(self, voice: float, stance: float) -> None:
        """Add a third party's political push (``voice * stance``) to this round's pressure on acceptance."""
        _PUSH(self._money, voice, stance)

    @property
    def pressure(self) -> float:
        """Patrons' aid-weighted stance on talks, in [-1, 1] (positive pushes for talks; 0 with no aid)."""
        return self._voiced_stance / self._voices if self._voices else 0.0

    @property
    def political_pressure(self) -> float:
        """Third parties' political pressure on this side's acceptance, in (-1, 1) (positive pushes for talks).

        The sum of ``voice * stance`` over the third parties that press it,
        saturated by ``tanh``: each voice adds less once the others have
        made the case, and no coalition pushes beyond 1 (assumption: the
        simplest smooth, odd, bounded form, linear for a lone small voice).
        """
        return math.tanh(self._political_push)

    @property
    def political_push(self) -> float:
        """The pressure in per-round utility: ``pressure_floor`` weeks of this side's war cost at full pressure.

        Positive when its backers push for talks: it lowers the side's
        acceptance floor (:meth:`pressed_floor`) and is what the side would
        forfeit with them by breaking a ceasefire (:meth:`defects`).
        """
        return _POLITICAL_PUSH(self.political_pressure, self.settings.pressure_floor, self.cost_of_round(False))

    def pressed_floor(self, acceptance: float, keeping: float, talks: Talks) -> float:
        """The floor under political pressure: the acceptance floor moved, the self-enforcing floor kept.

        A patron presses its client to accept less than its war is worth to
        it, or (opposing talks) to hold out for more, by up to
        ``pressure_floor`` weeks of the client's own war cost at full
        pressure. The pressure acts on the acceptance floor only: it cannot
        make a side sign terms it would break once the anticipated shift has
        happened (Powell 2006), so however hard it is pushed, a side whose
        commitment problem binds does not agree in the first week.
        Beardsley 2011 (*The Mediation Dilemma*, Cornell University Press):
        leverage brings agreements the sides would not reach alone, and the
        ones it brings last only as far as the sides' own incentives hold
        them. The unit, weeks of the client's own war cost, and the bound
        are assumptions: no estimate of a patron's sway in such units exists.
        The seeds' stances are those of May 2022: the UK's opposition to
        "any talks with Russia" and Johnson's "Ukraine will win"; France,
        Germany and Italy calling for peace through negotiations; the US
        supporting "the hand of the Ukrainians at the negotiating table"
        (seed 000, La Repubblica as reported, late May 2022).

        Those stances are on whether to talk and stop fighting, not on what
        to concede: the pressure bears on an answer only while the ceasefire
        (step 1) is on the table. The later steps' terms (status, territory,
        European security) are the client's own to weigh against its
        audience (Fearon 1994), and a backer that pressed it to sign land
        away would carry the audience's blame with it (assumption).

        Args:
            acceptance: The floor that makes the agreement worth the reservation value.
            keeping: The floor that makes it self-enforcing.
            talks: The round's talks (the pressure applies if step 1 is on the table).

        Returns:
            The floor this side answers with.
        """
        return _PRESSED_FLOOR(acceptance, keeping, self.political_push, talks.ceasefire_on_table)

    # ---- costs ---------------------------------------------------------
    def cost_of_round(self, ceasefire: bool) -> float:
        """This round's cost: war cost relieved by aid, a share of it in a ceasefire."""
        s = self.settings
        if self.aid != self._cost_aid or s is not self._priced_settings:  # valued many times a round, at one aid
            self._cost_aid, self._priced_settings = self.aid, s
            self._costs = (
                _COST_OF_ROUND(s.war_cost, s.aid_relief, self.aid, s.ceasefire_cost_share, False),
                _COST_OF_ROUND(s.war_cost, s.aid_relief, self.aid, s.ceasefire_cost_share, True),
            )
        return self._costs[ceasefire]

    def pay(self, ceasefire: bool) -> None:
        """Bear this round's cost."""
        self.cumulative_cost += self.cost_of_round(ceasefire)

    @property
    def collapsed(self) -> bool:
        """True once the costs borne exceed the side's capacity."""
        return self.cumulative_cost > self.settings.capacity

    @property
    def audience_rate(self) -> float:
        """Audience cost per unit of salience beyond the red line, eroded by war weariness."""
        s = self.settings
        if self.cumulative_cost != self._rate_cost or s is not self._rated_settings:  # valued many times a round, at one cost borne
            self._rate_cost, self._rated_settings = self.cumulative_cost, s
            self._rate = _AUDIENCE_RATE(s.audience_cost, s.war_weariness, self.cumulative_cost)
        return self._rate

    def audience_share(self, form: TerritorialForm | None) -> float:
        """The share of the audience cost a leader bears for a territorial issue settled in ``form``.

        Signing terms beyond the red line costs the whole audience cost
        (Fearon 1994). An area lost de facto (``None``: no agreement covers
        it) or deferred to later talks costs ``unsigned_audience_share`` of
        it: the public blames a leader for territory lost, and more for
        territory signed away (Tomz 2007, "Domestic Audience Costs in
        International Relations: An Experimental Approach", *International
        Organization* 61(4): backing down is punished beyond staying out).
        Autonomy within Ukraine keeps Ukraine's sovereignty, so Ukraine's
        leaders bear none of it; Russia's bear all of it, as for terms.
        """
        return _AUDIENCE_SHARE(FORM_CODES.get(form, FORM_NONE), self.side is Side.UKRAINE, self.settings.unsigned_audience_share)  # type: ignore[arg-type]

    # ---- valuations ----------------------------------------------------
    def bargaining_scalars(self) -> tuple[float, float, float, float]:
        """What the bargaining kernels know of this side beyond its ideal and saliences (:mod:`model.engine.bargain`).

        Returns:
            Its risk aversion, red line, audience rate now and unsigned audience share.
        """
        s = self.settings
        return (s.risk_aversion, s.red_line, self.audience_rate, s.unsigned_audience_share)

    def flow(self, terms: Sequence[float]) -> float:
        """Per-round utility of a set of terms, without audience costs."""
        return maths.utility(terms, self.settings.ideal, self.settings.weights, self.settings.risk_aversion)

    def terms_flow(self, terms: Sequence[float], forms: Mapping[int, TerritorialForm]) -> float:
        """Per-round utility of terms, less the audience costs of the territory as ``forms`` settles it.

        Fearon 1994: a leader pays a domestic cost each round an outcome
        beyond its red line stands (:func:`model.maths.red_line_penalty`),
        in proportion to the issue's salience, and in the share
        :meth:`audience_share` gives the way the issue is settled: signed,
        autonomous, deferred or left de facto (absent from ``forms``). The
        kernel :func:`model.engine.bargain.terms_flow` computes it.
        """
        s = self.settings
        codes: Any = (FORM_CODES.get(forms.get(_CRIMEA), FORM_NONE), FORM_CODES.get(forms.get(_DONBAS), FORM_NONE))  # type: ignore[arg-type]
        values: Any = terms
        if _COMPILED:
            values, codes = np.asarray(terms, dtype=np.float64), np.asarray(codes, dtype=np.int64)
        ukraine = self.side is Side.UKRAINE
        return _TERMS_FLOW(
            values, codes, s.ideal, s.weights, s.risk_aversion, s.red_line, self.audience_rate, s.unsigned_audience_share, ukraine
        )

    def value_of_war(self, battlefield: Battlefield, deterrence: float = 0.0, shift: float = 0.0) -> float:
        """Value of fighting on, from this side's belief (see :func:`model.maths.value_of_war`).

        The walk the side values ends at the war aims (``battlefield.ends``),
        and it is the walk of attrition: scheduled offensives are not priced in
        (assumption: an operation's timing and weight are the attacker's
        secret, as the Kharkiv counteroffensive of September 2022 was a
        surprise, and a walk with jumps has no closed form; the sides see the
        front an operation moves, and value the war from there).

        Args:
            battlefield: The front (cells held, cells in all).
            deterrence: Log-odds taken from Russia's chances by guarantors' intervention.
            shift: A public shift of the balance (log-odds, positive favours Russia)
                the side anticipates, as :meth:`see_shift` would apply it. Scoring
                only: the belief itself does not move.

        Returns:
            The value, in per-round utility, including patrons' pressure.
        """
        s = self.settings
        p = self.believed_balance
        moved = bool(shift or deterrence)
        # nobody signs a war's territory: its leaders bear the unsigned share of the audience cost
        return _SIDE_WAR_VALUE(
            p,
            maths.logit(p) if moved else 0.0,
            shift,
            deterrence,
            self.audience_rate,
            s.unsigned_audience_share,
            self._flows,
            0,
            self.cost_of_round(False),
            s.discount,
            battlefield.position,
            battlefield.cells,
            battlefield.lower,
            battlefield.upper,
            self.side is Side.RUSSIA,
            s.pressure_effect,
            self.pressure,
        )

    def update_war_value(self, battlefield: Battlefield) -> None:
        """Value fighting on at this round's belief, front and costs (kept as :attr:`war_value`)."""
        self.war_value = self.value_of_war(battlefield)

    def agreement_value(self, flow: float, standing: Standing, war_value: float) -> float:
        """Value of agreements worth ``flow`` a round (:func:`model.maths.agreement_value`)."""
        return maths.agreement_value(flow, standing.inducement, standing.open_steps, standing.hazard, self.cost_of_round(True), war_value)

    def keep_value(self, terms: Sequence[float], standing: Standing) -> float:
        """Value of the agreements in force: their terms, their risk of collapse into today's war."""
        return self.agreement_value(self.terms_flow(terms, standing.forms), standing, self.war_value)

    def held_value(self, terms: Sequence[float], standing: Standing) -> float:
        """What keeping the ceasefire in force is worth to this side with its backers' push: :meth:`keep_value` plus :attr:`political_push`.

        The backers' pressure that made the side accept keeps it in the
        ceasefire too: a side pushed to talk would forfeit its backers'
        support by breaking it, and one whose backers oppose talks breaks it
        more readily (a spoiler's effect).
        """
        return self.keep_value(terms, standing) + self.political_push

    def resume_value(self, battlefield: Battlefield, deterrence: float, shift: float = 0.0, plain: float | None = None) -> float:
        """What this side gets by breaking the ceasefire itself, at the balance shifted by ``shift``.

        Guarantees deter a deliberate attack (Walter 1997): Russia resumes a
        war the guarantors join (as far as ``deterrence`` says); Ukraine gets
        no guarantee for a war it restarts. ``plain`` is the side's plain
        value of war at ``shift`` when the caller has it already.
        """
        guarded = deterrence if self.side is Side.RUSSIA else 0.0
        if not guarded:
            if plain is not None:
                return plain
            if not shift:
                return self.war_value
        return self.value_of_war(battlefield, guarded, shift)

    def defects(self, terms: Sequence[float], standing: Standing, battlefield: Battlefield, deterrence: float) -> bool:
        """Whether resuming the war is worth more than keeping the ceasefire in force (Powell 2006).

        Keeping is valued with the backers' push (:meth:`held_value`).

        Args:
            terms: The terms as they stand.
            standing: The agreements in force.
            battlefield: The front.
            deterrence: The guarantors' deterrence behind the ceasefire.
        """
        return _DEFECTS(self.resume_value(battlefield, deterrence), self.keep_value(terms, standing), self.political_push)

    def floor(self, reservation: float, talks: Talks, battlefield: Battlefield) -> tuple[float, float]:
        """The least flow of terms this side accepts, and the value of the war a collapse would bring.

        An agreement must be worth the reservation value
        (:func:`model.maths.acceptance_floor`) and self-enforcing once the
        anticipated shift has happened (:func:`model.maths.self_enforcing_floor`,
        Powell 2006): for a ceasefire, the test :meth:`defects` will apply;
        for a settlement, the same test with no armies at the line to pay for.

        Args:
            reservation: The no-agreement value (war, or the ceasefire in force).
            talks: The round's talks.
            battlefield: The front.

        Returns:
            ``(floor, value of the war after a collapse)``; the latter is 0 for a settlement.
        """
        after = talks.after
        if after.open_steps == 0:
            # a settlement must be kept too (Powell 2006): worth at least resuming the war once the shift
            # expected while it is put in place has happened; it has no standing armies to pay for
            floor = maths.acceptance_floor(reservation, after.hazard, 0.0, 0.0, after.inducement)
            resume = self.resume_value(battlefield, talks.deterrence_now, talks.anticipated_shift)
            return self.pressed_floor(floor, maths.self_enforcing_floor(resume, 0.0, after.inducement), talks), 0.0
        future = self.value_of_war(battlefield, 0.0, talks.anticipated_shift)
        cost = self.cost_of_round(True)
        floor = maths.acceptance_floor(reservation, after.hazard, future, cost, after.inducement)
        resume = self.resume_value(battlefield, talks.deterrence_now, talks.anticipated_shift, plain=future)
        return self.pressed_floor(floor, maths.self_enforcing_floor(resume, cost, after.inducement), talks), future

    def answer(self, terms: Sequence[float], talks: Talks, floor: float, future_war: float) -> tuple[float, bool]:
        """This side's value of a proposal and whether it accepts it (its flow reaches its floor).

        Args:
            terms: The proposal's terms.
            talks: The round's talks.
            floor: This side's floor (:meth:`floor`).
            future_war: The value of the war a collapse would bring (:meth:`floor`).

        Returns:
            ``(value of the agreements the proposal would make, accepted)``.
        """
        flow = self.terms_flow(terms, talks.after.forms)
        return self.agreement_value(flow, talks.after, future_war), _ACCEPTS(flow, floor)

    def keeps_under(self, terms: Sequence[float], talks: Talks, battlefield: Battlefield, deterrence: float) -> bool:
        """Whether this side would keep a ceasefire on ``terms`` backed by ``deterrence`` once the shift has happened."""
        after = talks.after
        flow = self.terms_flow(terms, after.forms)
        resume = self.value_of_war(battlefield, deterrence, talks.anticipated_shift)
        armies = self.cost_of_round(True) if after.open_steps else 0.0  # a settlement keeps no armies at the line
        return _KEEPS(flow, after.inducement, armies, resume)


@dataclass(frozen=True)
class ThirdPartySettings:
    """A third party's fixed characteristics, from the scenario."""

    code: str
    name: str
    patron: Side | None
    aid: float
    stance: float
    lean: float
    guarantee: float
    ifg_member: bool
    voice: float = 0.0

    @classmethod
    def from_values(cls, v: Mapping[str, Value], code: str) -> ThirdPartySettings:
        """A third party's settings from a validated scenario's flat values (aid scaled by ``aid_scale``)."""
        name = next(tp.name for tp in THIRD_PARTY_CATALOGUE if tp.code == code)
        patron = str(v[f"patron_{code}"])
        return cls(
            code=code,
            name=name,
            patron=None if patron == "none" else Side(patron),
            aid=float(v[f"aid_{code}"]) * float(v["aid_scale"]),
            stance=float(v[f"stance_{code}"]),
            lean=float(v[f"lean_{code}"]),
            guarantee=float(v[f"guarantee_{code}"]),
            ifg_member=bool(v[f"ifg_{code}"]),
            voice=float(v[f"voice_{code}"]),
        )


def third_party_row(settings: ThirdPartySettings) -> list[float]:
    """A third party's row of the kernels' ``third`` (``layout.TP_*``): its patron's code (-1 for none), aid, stance and voice."""
    patron = -1.0 if settings.patron is None else float(RUSSIA if settings.patron is Side.RUSSIA else UKRAINE)
    return [patron, settings.aid, settings.stance, settings.voice]


def aid_under_way(v: Mapping[str, Value], parties: Sequence[ThirdPartySettings]) -> tuple[float, float]:
    """Aid shipped before round 0, a round's worth to Ukraine and to Russia ($bn): the scenario's aid, unscaled.

    ``aid_scale`` is a change of policy from round 0; what is already in
    the pipeline is the aid of the record the scenario's ``aid_*`` give.
    """
    to = {Side.RUSSIA: 0.0, Side.UKRAINE: 0.0}
    for party in parties:
        if party.patron is not None:
            to[party.patron] += float(v[f"aid_{party.code}"])
    return to[Side.UKRAINE], to[Side.RUSSIA]


class ThirdParty(mesa.Agent):
    """A state (or the UN) that aids a patron and pushes it toward or away from talks."""

    def __init__(self, model: mesa.Model, settings: ThirdPartySettings) -> None:
        """Create a third party."""
        super().__init__(model)
        self.settings = settings
        self.code = settings.code
        self._row = third_party_row(settings)

    def act(self, patrons: Mapping[Side, Belligerent]) -> None:
        """Deliver this round's aid to the patron and add its voice to the pressure on it (:func:`model.engine.state.deliver`).

        A third party with no patron (Turkey hosting the Istanbul talks, the
        UN) has no aid to give, and presses both sides with its voice alike.
        """
        _DELIVER(self._row, patrons[Side.RUSSIA]._money, patrons[Side.UKRAINE]._money)

    def utility(self, terms: Sequence[float]) -> float:
        """The third party's utility of a set of terms: equal salience, its lean as ideal point."""
        return _LEAN_UTILITY(terms, self.settings.lean, [0.0] * len(terms))

    def readiness(self, terms: Sequence[float], sensitivity: float) -> float:
        """Its commitment to guarantee ``terms``: ``guarantee * (1 - sensitivity * (1 - utility(terms)))``.

        A state is readier to fight for terms it wants than for terms it
        merely tolerates: a guarantee is credible as far as the guarantor's
        own interest in the terms it guarantees (Walter 1997, "The Critical
        Barrier to Civil War Settlement", *International Organization*
        51(3); Fearon 1997 on tying hands: a commitment binds as far as
        backing down costs the one who made it: "Signaling Foreign Policy
        Interests", *Journal of Conflict Resolution* 41(1)). The linear form is an
        assumption; ``sensitivity`` 0 is the commitment whatever the terms.
        """
        if not sensitivity:
            return self.settings.guarantee
        return _READINESS(self.settings.guarantee, sensitivity, self.utility(terms))


@dataclass(frozen=True)
class MediatorSettings:
    """The IFG's switches and strengths, from the scenario."""

    information: bool
    bias: bool
    leverage: bool
    guarantees: bool
    intelligence: float
    information_weight: float
    leverage_size: float
    memory: float
    guarantee_terms: float = 0.0

    @classmethod
    def from_values(cls, v: Mapping[str, Value]) -> MediatorSettings:
        """The IFG's settings from a validated scenario's flat values."""
        return cls(
            information=bool(v["mediator_information"]),
            bias=bool(v["mediator_bias"]),
            leverage=bool(v["mediator_leverage"]),
            guarantees=bool(v["mediator_guarantees"]),
            intelligence=float(v["mediator_intelligence"]),
            information_weight=float(v["information_weight"]),
            leverage_size=float(v["leverage_size"]),
            memory=float(v["belief_memory"]),
            guarantee_terms=float(v["guarantee_terms"]),
        )


def _support_for_talks(members: Sequence[ThirdPartySettings]) -> float:
    """The members' support for talks, ``(1 + stance) / 2``, weighted by their voice (equal weights if none has any).

    The IFG's inducements (sanctions relief, reconstruction aid) are what its
    members agree to offer, and a member's say in them follows its political
    weight (``voice_*``, as its sway over its client): the UK's opposition to
    "any talks with Russia" (seed 000) weighs more than Canada's silence.
    With no voices set every member counts alike, as before voices existed.
    """
    support = [(1.0 + m.stance) / 2.0 for m in members]
    voices = [m.voice for m in members]
    total = math.fsum(voices)
    if total <= 0.0:
        return math.fsum(support) / len(support)
    return math.fsum(w * x for w, x in zip(voices, support)) / total


@dataclass(frozen=True)
class IfgStanding:
    """What the IFG's membership makes of it: its lean, the credibility of its guarantee, its inducement.

    Attributes:
        lean: The members' mean lean (their ideal point) with ``mediator_bias``, else 0.5.
        guarantee_credibility: The most committed member's ``guarantee`` with ``mediator_guarantees``, else 0.
        inducement: ``leverage_size`` times the members' support for talks with ``mediator_leverage``, else 0.
    """

    lean: float
    guarantee_credibility: float
    inducement: float

    @classmethod
    def of(cls, settings: MediatorSettings, members: Sequence[ThirdPartySettings]) -> IfgStanding:
        """The standing of an IFG of ``members`` with ``settings``."""
        leans = [m.lean for m in members]
        return cls(
            lean=math.fsum(leans) / len(leans) if (settings.bias and leans) else 0.5,
            guarantee_credibility=max((m.guarantee for m in members), default=0.0) if settings.guarantees else 0.0,
            inducement=settings.leverage_size * _support_for_talks(members) if (settings.leverage and members) else 0.0,
        )


def guarantor_rows(members: Sequence[ThirdPartySettings]) -> tuple[tuple[float, float], ...]:
    """The members that would guarantee at all, the most committed first: each one's commitment and lean (``layout.G_*``).

    A stable sort: of members equally committed, the first listed comes first.
    """
    committed = sorted((m for m in members if m.guarantee > 0.0), key=lambda m: -m.guarantee)
    return tuple((m.guarantee, m.lean) for m in committed)


class Mediator(mesa.Agent):
    """The International Facilitation Group.

    Its membership sets its lean (bias), its leverage (members' pressure for
    talks) and the credibility of the guarantees it offers. It holds its own
    estimate of the balance of power and shares it (Kydd 2003: a message is
    believed in proportion to the mediator's credibility toward its hearer).
    """

    def __init__(
        self,
        model: mesa.Model,
        settings: MediatorSettings,
        members: list[ThirdParty],
        true_balance: float = 0.5,
        *,
        belief: list[float] | None = None,
    ) -> None:
        """Create the IFG from its members, its estimate at ``true_balance`` (or over its row of a run's state).

        Args:
            model: The model it belongs to.
            settings: Its switches and strengths.
            members: The third parties that sit in it.
            true_balance: The balance its first estimate is centred on (its intelligence gives the estimate's strength).
            belief: Its row of the run's state (``whole_run.MEDIATOR``), which the model's rounds write; ``None``
                for an IFG of its own.
        """
        super().__init__(model)
        self.settings = settings
        self.members = members
        standing = IfgStanding.of(settings, [m.settings for m in members])
        self.lean, self.guarantee_credibility, self.inducement = standing.lean, standing.guarantee_credibility, standing.inducement
        self._belief = [*maths.beta_from_mean(true_balance, settings.intelligence)] if belief is None else belief
        # the members that would guarantee at all, the most committed first
        self._guarantor_rows = guarantor_rows([m.settings for m in members])
        self._credibility_terms: tuple[float, ...] | None = None
        self._credibility = 0.0

    belief_a = _Row("_belief", 0, "Beta pseudo-count of Russian engagement wins, in the IFG's estimate.")
    belief_b = _Row("_belief", 1, "Beta pseudo-count of Russian engagement losses, in the IFG's estimate.")

    def credibility_for(self, terms: Sequence[float]) -> float:
        """The guarantee's credibility for ``terms``: the readiest member's (:meth:`ThirdParty.readiness`).

        With ``guarantee_terms`` at 0 it is :attr:`guarantee_credibility`,
        the strongest member's commitment, whatever the terms.
        """
        sensitivity = self.settings.guarantee_terms
        if not (self.settings.guarantees and sensitivity):
            return self.guarantee_credibility
        key = tuple(terms)
        if key != self._credibility_terms:  # the same terms are weighed several times a round
            self._credibility_terms = key
            self._credibility = _READIEST(self._guarantor_rows, sensitivity, key, [0.0] * len(key))
        return self._credibility

    @property
    def estimate(self) -> float:
        """The IFG's estimate of the balance of power."""
        return maths.beta_mean(self.belief_a, self.belief_b)

    def observe(self, russian_wins: int, russian_losses: int) -> None:
        """Update the estimate from the engagements of this round, forgetting as the belligerents do (``belief_memory``)."""
        _OBSERVE(self._belief, russian_wins, russian_losses, self.settings.memory)

    def see_shift(self, delta_logit: float) -> None:
        """Move the estimate by a shift everyone sees."""
        _SEE_SHIFT(self._belief, delta_logit)

    def credibility_toward(self, hearer: Belligerent) -> float:
        """How far ``hearer`` believes the IFG's message (Kydd 2003).

        Advice to concede is believed from a mediator biased toward the
        hearer; encouragement from one biased against it.
        """
        lean_toward = self.lean if hearer.side is Side.UKRAINE else 1.0 - self.lean
        return _CREDIBILITY_TOWARD(lean_toward, self.estimate, hearer.believed_balance, hearer.side is Side.RUSSIA)

    def share_information(self, belligerents: Sequence[Belligerent]) -> None:
        """Tell each belligerent the IFG's estimate; each weighs it by the IFG's credibility."""
        if not self.settings.information:
            return
        estimate = self.estimate
        for hearer in belligerents:  # model.engine.state.tell
            _TELL(hearer._belief, estimate, self.lean, self.settings.information_weight, hearer.side is Side.RUSSIA)
