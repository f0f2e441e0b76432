"""The front, the true balance of power, the aid that reaches the front, and offensive operations."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from model import maths
from model.engine import mechanics
from model.engine import whole_run as W
from model.engine.jit import for_single_runs
from model.outcome import Side
from model.parameters import OPERATION_SLOTS, Value

_CELLS_IN = for_single_runs(mechanics.cells_in)
_CELLS_WON = for_single_runs(mechanics.cells_won)
_ABSORBED = for_single_runs(mechanics.absorbed)
_AID_LOGIT = for_single_runs(mechanics.aid_logit)
_TREND_SHIFT = for_single_runs(mechanics.trend_shift)
_NUDGED = for_single_runs(mechanics.nudged)


@dataclass(frozen=True)
class Operation:
    """A scheduled offensive: a number of cells attacked over a few rounds, at a local edge.

    Attributes:
        start: The round it begins.
        cells: Cells at stake (positive: a Russian offensive, negative: a Ukrainian one).
        weeks: Rounds over which its cells are attacked (spread evenly, the surplus first).
        edge: Log-odds the attacker adds to its chance in the operation's engagements.
    """

    start: int
    cells: int
    weeks: int
    edge: float

    def cells_in(self, round_number: int) -> int:
        """Cells attacked in ``round_number`` (never negative; 0 outside the operation)."""
        return _CELLS_IN(self.start, self.cells, self.weeks, round_number)

    @property
    def attacker(self) -> Side:
        """The side that launches it."""
        return Side.RUSSIA if self.cells > 0 else Side.UKRAINE


class Battlefield:
    """The front on the contested territory and the true balance of power.

    The contested territory is cut into ``cells`` cells (one engagement's
    worth: ``1 / volatility``); the front is the number Russia holds. Each
    round of war is one engagement, which Russia wins with the true balance
    of power ``p`` and which moves the front one cell: a random walk,
    absorbed where a side reaches its war aim (the edges by default). The
    balance's log-odds follow the battlefield trend (the initial advantage,
    a drift per round, a scheduled shock, rearmament during a ceasefire)
    and the aid that has reached the front. Scheduled offensive operations
    (:class:`Operation`) move the front by several cells in a few rounds.

    Attributes:
        cells: Cells of the contested territory.
        position: Cells Russia holds.
        trend_logit: Log-odds of the balance before third parties' aid.
        lower: Cells Russia holds at or below which Ukraine has won (Ukraine's war aim).
        upper: Cells Russia holds at or above which it has won (Russia's war aim).
        delivered: Aid at the front this round ($bn to Ukraine, $bn to Russia).
        aid_logit: Log-odds that aid takes from Russia's chances (negative when Russia's is larger).
        operations: The scheduled offensives.
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
        aid_saturation: float = 0.0,
        aid_lag: int = 0,
        aim_russia: float = 1.0,
        aim_ukraine: float = 0.0,
        operations: tuple[Operation, ...] = (),
        state: list[float] | None = None,
    ) -> None:
        """Set up the front and the trend from the scenario's battlefield parameters.

        ``state`` is a run's state (``whole_run.new_state``), whose front, trend
        and aid's log-odds the battlefield then reads and writes (the model's
        rounds move them); ``None`` keeps them in a state of its own.
        """
        self._state = [0.0] * W.N_STATE if state is None else state
        self.cells = maths.front_cells(volatility)
        self.position = round(initial_front * self.cells)
        self.trend_logit = maths.logit(initial_advantage)
        self.momentum = momentum
        self.shock_round = shock_round
        self.shock_size = shock_size
        self.rearmament = rearmament
        self.aid_effect = aid_effect
        self.aid_saturation = aid_saturation
        self.aid_lag = aid_lag
        self.lower = round(aim_ukraine * self.cells)
        self.upper = round(aim_russia * self.cells)
        self.operations = operations
        self.delivered = (0.0, 0.0)
        self.aid_logit = 0.0  # follows `delivered`, set with it by ship(): aid's effect changes only then
        self._pipeline: deque[tuple[float, float]] = deque()

    @classmethod
    def from_values(cls, v: Mapping[str, Value], state: list[float] | None = None) -> Battlefield:
        """The battlefield of a validated scenario's flat values (over a run's ``state``, if given)."""
        return cls(
            initial_advantage=float(v["initial_advantage"]),
            volatility=float(v["volatility"]),
            initial_front=float(v["initial_front"]),
            momentum=float(v["momentum"]),
            shock_round=int(v["shock_round"]),
            shock_size=float(v["shock_size"]),
            rearmament=float(v["rearmament"]),
            aid_effect=float(v["aid_effect"]),
            aid_saturation=float(v["aid_saturation"]),
            aid_lag=int(v["aid_lag"]),
            aim_russia=float(v["aim_russia"]),
            aim_ukraine=float(v["aim_ukraine"]),
            operations=tuple(_operations(v)),
            state=state,
        )

    @property
    def position(self) -> int:
        """Cells Russia holds."""
        return int(self._state[W.S_POSITION])

    @position.setter
    def position(self, cells: int) -> None:
        self._state[W.S_POSITION] = float(cells)

    @property
    def trend_logit(self) -> float:
        """Log-odds of the balance before third parties' aid."""
        return self._state[W.S_TREND]

    @trend_logit.setter
    def trend_logit(self, logit: float) -> None:
        self._state[W.S_TREND] = logit

    @property
    def aid_logit(self) -> float:
        """Log-odds that the aid at the front takes from Russia's chances (negative when Russia's is larger)."""
        return self._state[W.S_AID_LOGIT]

    @aid_logit.setter
    def aid_logit(self, logit: float) -> None:
        self._state[W.S_AID_LOGIT] = logit

    @property
    def share(self) -> float:
        """Russia's share of the contested territory."""
        return self.position / self.cells

    @property
    def ends(self) -> tuple[int, int]:
        """The walk's absorbing cells: ``(lower, upper)``, the sides' war aims."""
        return self.lower, self.upper

    # ------------------------------------------------------------------
    # Aid: the pipeline to the front, and its diminishing returns
    # ------------------------------------------------------------------
    def prime(self, to_ukraine: float, to_russia: float) -> None:
        """Fill the pipeline with aid shipped before round 0: ``aid_lag`` rounds of it.

        The aid already under way when a scenario starts is that of the
        record (the unscaled aid), so a change of policy at round 0
        (``aid_scale``) reaches the front only after the lag.
        """
        self._pipeline.extend([(to_ukraine, to_russia)] * self.aid_lag)

    def ship(self, to_ukraine: float, to_russia: float) -> None:
        """Aid pledged this round enters the pipeline; what was pledged ``aid_lag`` rounds ago reaches the front.

        Arms are bought or drawn from stocks, shipped, and their crews
        trained before they fight: the Ukraine Support Tracker records large
        gaps between the aid pledged and the aid delivered (Kiel Institute for
        the World Economy, Ukraine Support Tracker, releases of July and
        October 2022). With ``aid_lag = 0`` the aid pledged is at the front at
        once, as in the model without a lag.
        """
        if self.aid_lag:
            self._pipeline.append((to_ukraine, to_russia))
            self.delivered = self._pipeline.popleft()
        else:
            self.delivered = (to_ukraine, to_russia)
        self.aid_logit = self._aid_logit(*self.delivered)

    def absorbed(self, aid: float) -> float:
        """The part of a side's aid ($bn a round) that adds to its forces: ``S (1 - exp(-aid / S))``.

        Diminishing returns: an army absorbs only so much equipment a week
        (crews to train, ammunition and maintenance to match, units to form),
        so each further $bn adds less, and no aid adds more than ``S``. The
        first $bn's marginal effect is 1, as in the linear model; ``S =
        aid_saturation = 0`` is the linear model (assumption: the exponential
        is the simplest concave form with a ceiling and a slope of one at
        zero; no estimate of the absorption curve is public).
        """
        return _ABSORBED(aid, self.aid_saturation)

    def _aid_logit(self, to_ukraine: float, to_russia: float) -> float:
        """Log-odds the aid that reached the front takes from Russia's chances."""
        return _AID_LOGIT(self.aid_effect, self.aid_saturation, to_ukraine, to_russia)

    def logit(self) -> float:
        """Log-odds of the true balance, aid at the front included."""
        return self.trend_logit - self.aid_logit

    def balance(self) -> float:
        """True probability that Russia wins an engagement this round."""
        return maths.sigmoid(self.logit())

    # ------------------------------------------------------------------
    # The trend, attrition and operations
    # ------------------------------------------------------------------
    def drift(self, round_number: int, ceasefire: bool, buffer: float = 0.0) -> float:
        """Apply this round's trend (momentum, shock, rearmament); return the shift in log-odds.

        Args:
            round_number: The round.
            ceasefire: True in a round of ceasefire, when rearmament shifts the balance.
            buffer: The share of rearmament's effect a demilitarised zone cancels, in [0, 1].
        """
        shift: float = _TREND_SHIFT(self.momentum, round_number, self.shock_round, self.shock_size, ceasefire, self.rearmament, buffer)
        self.trend_logit += shift
        return shift

    def engage(self, rng: np.random.Generator, p: float) -> bool:
        """Fight one engagement of attrition; move the front; return True if Russia won it."""
        russia_won = bool(rng.random() < p)
        self.position += 1 if russia_won else -1
        return russia_won

    def operate(self, rng: np.random.Generator, round_number: int) -> int:
        """Fight this round's share of the scheduled offensives; return the cells Russia gained (negative: lost).

        Each cell attacked is one engagement that the attacker wins with the
        balance shifted ``edge`` log-odds its way (forces massed on one axis,
        surprise); a cell won moves the front toward the defender, a cell lost
        stalls the offensive there without giving ground (assumption: an
        offensive that fails stops, as the Ukrainian offensive of summer 2023
        did, rather than inviting a counter-stroke of the same size). The
        front stops at the war aims, where the war ends. No draw is made in a
        round without an operation, so the engagements' stream is the same as
        without operations until the first one.
        """
        moved = 0
        for operation in self._operations_in(round_number):
            n = operation.cells_in(round_number)
            toward_attacker = self.logit() if operation.attacker is Side.RUSSIA else -self.logit()
            won: int = _CELLS_WON(rng, n, toward_attacker, operation.edge)
            step = won if operation.attacker is Side.RUSSIA else -won
            before = self.position
            self.position = min(max(self.position + step, self.lower), self.upper)
            moved += self.position - before
        return moved

    def _operations_in(self, round_number: int) -> Iterator[Operation]:
        return (op for op in self.operations if op.cells_in(round_number) and self.winner is None)

    def nudge(self, toward: Side) -> None:
        """An undetected violation gains its author one cell, short of its war aim."""
        self.position = _NUDGED(self.position, toward is Side.RUSSIA, self.lower, self.upper)

    @property
    def winner(self) -> Side | None:
        """The side whose war aim the front has reached, if either's has."""
        if self.position >= self.upper:
            return Side.RUSSIA
        if self.position <= self.lower:
            return Side.UKRAINE
        return None


def _operations(v: Mapping[str, Value]) -> Iterator[Operation]:
    """The scheduled offensives of a validated scenario's flat values (those with a round and a size)."""
    cells = maths.front_cells(float(v["volatility"]))
    for slot in OPERATION_SLOTS:
        start, size = int(v[f"{slot}_round"]), float(v[f"{slot}_size"])
        if start and size:
            yield Operation(start, round(size * cells), int(v[f"{slot}_weeks"]), float(v[f"{slot}_edge"]))
