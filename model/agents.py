"""The actors: two belligerents, the third parties and the IFG mediator.

Agents hold their own settings (built once from the validated scenario) and
state, score options with the pure functions of :mod:`model.maths`, and change
their own state only in the methods the model's schedule calls.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa

from model import maths
from model.issues import ISSUE_INDEX, TERRITORY_ISSUES
from model.outcome import Side

if TYPE_CHECKING:
    from model.model import WarTerminationModel

_TERRITORY = frozenset(ISSUE_INDEX[i] for i in TERRITORY_ISSUES)
_SILENT_VOICE = 1e-3  # weight ($bn) of a patron's stance when it gives no aid


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
    war_weariness: float
    capacity: float
    violation_rate: float
    pressure_effect: float


class Belligerent(mesa.Agent):
    """Russia or Ukraine: fights, learns the balance of power, and answers proposals.

    Attributes:
        settings: Fixed characteristics.
        belief_a: Beta pseudo-count of Russian engagement wins.
        belief_b: Beta pseudo-count of Russian engagement losses.
        cumulative_cost: Costs borne so far (never falls).
        aid: Aid received this round ($bn).
    """

    def __init__(self, model: WarTerminationModel, settings: BelligerentSettings) -> None:
        """Create a belligerent with its prior belief."""
        super().__init__(model)
        self.settings = settings
        self.side = settings.side
        self.belief_a, self.belief_b = maths.beta_from_mean(settings.prior_mean, settings.prior_strength)
        self.cumulative_cost = 0.0
        self.aid = 0.0
        self._voices = 0.0
        self._voiced_stance = 0.0

    # ---- beliefs -------------------------------------------------------
    @property
    def believed_balance(self) -> float:
        """Mean belief that Russia wins an engagement."""
        return self.belief_a / (self.belief_a + self.belief_b)

    @property
    def belief_sd(self) -> float:
        """Spread (standard deviation) of the belief."""
        return maths.beta_sd(self.belief_a, self.belief_b)

    def observe(self, russian_wins: int, russian_losses: int) -> None:
        """Update the belief from the engagements of this round."""
        self.belief_a, self.belief_b = maths.beta_update(
            self.belief_a, self.belief_b, russian_wins, russian_losses, self.settings.belief_memory
        )

    def see_shift(self, delta_logit: float) -> None:
        """Move the belief by a shift of the balance that everyone sees (aid, rearmament, a shock)."""
        self.belief_a, self.belief_b = maths.shift_beta(self.belief_a, self.belief_b, delta_logit)

    def hear(self, estimate: float, weight: float) -> None:
        """Move the belief's mean toward a mediator's estimate, keeping its confidence."""
        if weight <= 0.0:
            return
        mean = self.believed_balance
        shifted = mean + weight * (estimate - mean)
        self.belief_a, self.belief_b = maths.beta_from_mean(shifted, self.belief_a + self.belief_b)

    # ---- third parties ---------------------------------------------------
    def clear_support(self) -> None:
        """Forget last round's aid and pressure before the third parties act again."""
        self.aid = self._voices = self._voiced_stance = 0.0

    def receive(self, aid: float, stance: float) -> None:
        """Take a patron's aid and hear its stance on talks."""
        self.aid += aid
        # a patron's voice weighs with its aid; one that gives none still counts a little
        voice = aid if aid > 0.0 else _SILENT_VOICE
        self._voices += voice
        self._voiced_stance += voice * stance

    @property
    def pressure(self) -> float:
        """Patrons' aid-weighted stance on talks, in [-1, 1] (positive pushes for talks)."""
        return self._voiced_stance / self._voices if self._voices else 0.0

    # ---- costs ---------------------------------------------------------
    def cost_of_round(self, ceasefire: bool) -> float:
        """This round's cost: war cost relieved by aid, a share of it in a ceasefire."""
        s = self.settings
        cost = s.war_cost / (1.0 + s.aid_relief * self.aid)
        return cost * s.ceasefire_cost_share if ceasefire else cost

    def pay(self, ceasefire: bool) -> None:
        """Bear this round's cost."""
        self.cumulative_cost += self.cost_of_round(ceasefire)

    @property
    def collapsed(self) -> bool:
        """True once the costs borne exceed the side's capacity."""
        return self.cumulative_cost > self.settings.capacity

    @property
    def audience_rate(self) -> float:
        """Audience cost per unit beyond the red line, eroded by war weariness."""
        s = self.settings
        return s.audience_cost * math.exp(-s.war_weariness * self.cumulative_cost)

    # ---- valuations ----------------------------------------------------
    def stakes(self) -> list[maths.IssueSide]:
        """This side's stake in every issue, with its current audience cost on territory."""
        s = self.settings
        rate = self.audience_rate
        return [
            maths.IssueSide(ideal, weight, s.red_line if j in _TERRITORY else None, rate if j in _TERRITORY else 0.0)
            for j, (ideal, weight) in enumerate(zip(s.ideal, s.weights))
        ]

    def flow(self, terms: Sequence[float]) -> float:
        """Per-round utility of a set of terms, without audience costs."""
        return maths.utility(terms, self.settings.ideal, self.settings.weights)

    def value_of_war(
        self,
        position: int,
        cells: int,
        war_flow_base: float,
        war_flow_slope: float,
        win_value: float,
        loss_value: float,
        deterrence: float = 0.0,
        shift: float = 0.0,
    ) -> float:
        """Value of fighting on, from this side's belief (see :func:`model.maths.value_of_war`).

        Args:
            position: Cells Russia holds.
            cells: Cells of the contested territory.
            war_flow_base: This side's utility of the de facto terms with Ukraine holding everything.
            war_flow_slope: Change of that utility as Russia takes everything.
            win_value: Utility of this side's own victory.
            loss_value: Utility of the other side's victory.
            deterrence: Log-odds taken from Russia's chances by guarantors' intervention.
            shift: A public shift of the balance (log-odds, positive favours Russia)
                the side anticipates, as :meth:`see_shift` would apply it. Scoring
                only: the belief itself does not move.

        Returns:
            The value, in per-round utility, including patrons' pressure.
        """
        p = self.believed_balance
        if shift or deterrence:
            p = maths.sigmoid(maths.logit(p) + shift - deterrence)
        russia = self.side is Side.RUSSIA
        value = maths.value_of_war(
            p=p,
            position=position,
            cells=cells,
            discount=self.settings.discount,
            flow_base=war_flow_base - self.cost_of_round(False),
            flow_slope=war_flow_slope,
            value_if_ukraine_wins=loss_value if russia else win_value,
            value_if_russia_wins=win_value if russia else loss_value,
        )
        return value - self.settings.pressure_effect * self.pressure


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


class ThirdParty(mesa.Agent):
    """A state (or the UN) that aids a patron and pushes it toward or away from talks."""

    def __init__(self, model: WarTerminationModel, settings: ThirdPartySettings) -> None:
        """Create a third party."""
        super().__init__(model)
        self.settings = settings
        self.code = settings.code

    def act(self, patrons: dict[Side, Belligerent]) -> None:
        """Deliver this round's aid to the patron and add its voice to the pressure on it."""
        s = self.settings
        if s.patron is None:
            return
        patrons[s.patron].receive(s.aid, s.stance)

    def utility(self, terms: Sequence[float]) -> float:
        """The third party's utility of a set of terms: equal salience, its lean as ideal point."""
        return 1.0 - math.fsum(abs(x - self.settings.lean) for x in terms) / len(terms)


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


class Mediator(mesa.Agent):
    """The International Facilitation Group.

    Its membership sets its lean (bias), its leverage (members' pressure for
    talks) and the credibility of the guarantees it offers. It holds its own
    estimate of the balance of power and shares it (Kydd 2003: a message is
    believed in proportion to the mediator's credibility toward its hearer).
    """

    def __init__(self, model: WarTerminationModel, settings: MediatorSettings, members: list[ThirdParty], true_balance: float) -> None:
        """Create the IFG from its members."""
        super().__init__(model)
        self.settings = settings
        self.members = members
        leans = [m.settings.lean for m in members]
        self.lean = math.fsum(leans) / len(leans) if (settings.bias and leans) else 0.5
        self.guarantee_credibility = (
            max((m.settings.guarantee for m in members), default=0.0) if settings.guarantees else 0.0
        )
        support = [(1.0 + m.settings.stance) / 2.0 for m in members]
        self.inducement = settings.leverage_size * math.fsum(support) / len(support) if (settings.leverage and support) else 0.0
        self.belief_a, self.belief_b = maths.beta_from_mean(true_balance, settings.intelligence)

    @property
    def estimate(self) -> float:
        """The IFG's estimate of the balance of power."""
        return self.belief_a / (self.belief_a + self.belief_b)

    def observe(self, russian_wins: int, russian_losses: int) -> None:
        """Update the estimate from the engagements of this round."""
        self.belief_a, self.belief_b = maths.beta_update(self.belief_a, self.belief_b, russian_wins, russian_losses)

    def see_shift(self, delta_logit: float) -> None:
        """Move the estimate by a shift everyone sees."""
        self.belief_a, self.belief_b = maths.shift_beta(self.belief_a, self.belief_b, delta_logit)

    def credibility_toward(self, hearer: Belligerent) -> float:
        """How far ``hearer`` believes the IFG's message (Kydd 2003).

        Advice to concede is believed from a mediator biased toward the
        hearer; encouragement from one biased against it.
        """
        lean_toward = self.lean if hearer.side is Side.UKRAINE else 1.0 - self.lean
        hearer_mean = hearer.believed_balance
        concede = self.estimate < hearer_mean if hearer.side is Side.RUSSIA else self.estimate > hearer_mean
        return lean_toward if concede else 1.0 - lean_toward

    def share_information(self, belligerents: Sequence[Belligerent]) -> None:
        """Tell each belligerent the IFG's estimate; each weighs it by the IFG's credibility."""
        if not self.settings.information:
            return
        for hearer in belligerents:
            hearer.hear(self.estimate, self.settings.information_weight * self.credibility_toward(hearer))
