"""The front and the true balance of power."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from model import maths
from model.outcome import Side
from model.parameters import Value


class Battlefield:
    """The front on the contested territory and the true balance of power.

    The contested territory is cut into ``cells`` cells (one engagement's
    worth: ``1 / volatility``); the front is the number Russia holds. Each
    round of war is one engagement, which Russia wins with the true balance
    of power ``p`` and which moves the front one cell (a random walk with
    absorbing edges). The balance's log-odds follow the battlefield trend:
    the initial advantage, a drift per round (momentum), a scheduled shock,
    rearmament during a ceasefire, and the net aid of the third parties.

    Attributes:
        cells: Cells of the contested territory.
        position: Cells Russia holds.
        trend_logit: Log-odds of the balance before third parties' aid.
    """

    def __init__(
        self,
        *,
        initial_advantage: float,
        volatility: float,
        initial_front: float,
        momentum: float,
        shock_round: int,
        shock_size: float,
        rearmament: float,
        aid_effect: float,
    ) -> None:
        """Set up the front and the trend from the scenario's battlefield parameters."""
        self.cells = maths.front_cells(volatility)
        self.position = round(initial_front * self.cells)
        self.trend_logit = maths.logit(initial_advantage)
        self.momentum = momentum
        self.shock_round = shock_round
        self.shock_size = shock_size
        self.rearmament = rearmament
        self.aid_effect = aid_effect

    @classmethod
    def from_values(cls, v: Mapping[str, Value]) -> Battlefield:
        """The battlefield of a validated scenario's flat values."""
        return cls(
            initial_advantage=float(v["initial_advantage"]),
            volatility=float(v["volatility"]),
            initial_front=float(v["initial_front"]),
            momentum=float(v["momentum"]),
            shock_round=int(v["shock_round"]),
            shock_size=float(v["shock_size"]),
            rearmament=float(v["rearmament"]),
            aid_effect=float(v["aid_effect"]),
        )

    @property
    def share(self) -> float:
        """Russia's share of the contested territory."""
        return self.position / self.cells

    def balance(self, net_aid_to_ukraine: float) -> float:
        """True probability that Russia wins an engagement, given this round's net aid."""
        return maths.sigmoid(self.observable_logit(net_aid_to_ukraine))

    def observable_logit(self, net_aid_to_ukraine: float) -> float:
        """Log-odds of the balance, aid included."""
        return self.trend_logit - self.aid_effect * net_aid_to_ukraine

    def drift(self, round_number: int, ceasefire: bool) -> float:
        """Apply this round's trend (momentum, shock, rearmament); return the shift in log-odds."""
        shift = self.momentum
        if round_number == self.shock_round:
            shift += self.shock_size
        if ceasefire:
            shift += self.rearmament
        self.trend_logit += shift
        return shift

    def engage(self, rng: np.random.Generator, p: float) -> bool:
        """Fight one engagement; move the front; return True if Russia won it."""
        russia_won = bool(rng.random() < p)
        self.position += 1 if russia_won else -1
        return russia_won

    def nudge(self, toward: Side) -> None:
        """An undetected violation gains its author one cell, short of the edge."""
        if toward is Side.RUSSIA:
            self.position = min(self.position + 1, self.cells - 1)
        else:
            self.position = max(self.position - 1, 1)

    @property
    def winner(self) -> Side | None:
        """The side that holds all the contested territory, if either does."""
        if self.position >= self.cells:
            return Side.RUSSIA
        if self.position <= 0:
            return Side.UKRAINE
        return None
