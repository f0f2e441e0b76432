"""The front, the true balance of power, the aid that reaches the front, and offensive operations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model import maths
from model.engine import layout as L
from model.engine import mechanics
from model.engine import state as run_state
from model.engine.codes import RUSSIA
from model.engine.jit import for_single_runs
from model.outcome import Side
from model.parameters import OPERATION_SLOTS, Value

_CELLS_IN = for_single_runs(mechanics.cells_in)
_ABSORBED = for_single_runs(mechanics.absorbed)
_PRIME = for_single_runs(run_state.prime)
_SHIP = for_single_runs(run_state.ship)
_BALANCE = for_single_runs(run_state.balance)
_DRIFT = for_single_runs(run_state.drift)
_ENGAGE = for_single_runs(run_state.engage)
_OPERATE = for_single_runs(run_state.operate)
_NUDGE = for_single_runs(run_state.nudge)
_WINNER_AT = for_single_runs(run_state.winner_at)


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


class _Scalar:
    """One of the battlefield's fixed numbers, kept in its slot of the run's scalars (``layout.*``) where the kernels read it."""

    def __init__(self, slot: int, kind: type = float) -> None:
        self.slot, self.kind = slot, kind

    def __get__(self, field: Battlefield | None, owner: type) -> Any:
        if field is None:
            return self
        return self.kind(field._scalars[self.slot])

    def __set__(self, field: Battlefield, value: float) -> None:
        field._scalars[self.slot] = float(value)


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

    Its numbers live where the kernels read them: the fixed ones in a run's
    scalars, the front, the trend and aid's log-odds in a run's state, the
    aid under way in its pipeline (:mod:`model.engine.state`). A model's
    battlefield is a view of its run's; one made on its own keeps its own.
    Its methods are the state's kernels (:func:`model.engine.state.drift`,
    ``engage``, ``operate``, ``nudge``, ``prime``, ``ship``), the ones the
    schedule calls.
    """

    cells = _Scalar(L.CELLS, int)
    """Cells of the contested territory."""
    lower = _Scalar(L.LOWER, int)
    """Cells Russia holds at or below which Ukraine has won (Ukraine's war aim)."""
    upper = _Scalar(L.UPPER, int)
    """Cells Russia holds at or above which it has won (Russia's war aim)."""
    momentum = _Scalar(L.MOMENTUM)
    """Drift of the trend's log-odds a round (positive favours Russia)."""
    shock_round = _Scalar(L.SHOCK_ROUND, int)
    """The round of a one-off shift of the trend (0: none)."""
    shock_size = _Scalar(L.SHOCK_SIZE)
    """Its size in log-odds."""
    rearmament = _Scalar(L.REARMAMENT)
    """Shift of the trend a round of ceasefire (this run's rate)."""
    aid_effect = _Scalar(L.AID_EFFECT)
    """Log-odds a $bn a round at the front takes from (or adds to) Russia's chances."""
    aid_saturation = _Scalar(L.AID_SATURATION)
    """The most aid a round adds to a side's forces, $bn (0: no ceiling)."""
    aid_lag = _Scalar(L.AID_LAG, int)
    """Rounds from aid pledged to aid at the front."""

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
        run: tuple[list[float], list[float], list[list[float]]] | None = None,
    ) -> None:
        """Set up the front and the trend from the scenario's battlefield parameters.

        ``run`` is a run's scalars, state and pipeline (``model.engine.inputs.pack``,
        ``model.engine.state.new_state``), whose battlefield numbers this one then
        reads and writes; ``None`` keeps them in lists of its own.
        """
        if run is None:
            run = ([0.0] * L.N_SCALARS, [0.0] * run_state.N_STATE, [[0.0, 0.0] for _ in range(max(aid_lag, 1))])
        self._scalars, self._state, self._pipeline = run
        cells = maths.front_cells(volatility)
        self.cells = cells
        self.position = round(initial_front * cells)
        self.trend_logit = maths.logit(initial_advantage)
        self.momentum = momentum
        self.shock_round = shock_round
        self.shock_size = shock_size
        self.rearmament = rearmament
        self.aid_effect = aid_effect
        self.aid_saturation = aid_saturation
        self.aid_lag = aid_lag
        self.lower = round(aim_ukraine * cells)
        self.upper = round(aim_russia * cells)
        self.operations = operations
        self._operation_rows = [[float(op.start), float(op.cells), float(op.weeks), op.edge] for op in operations]
        self.aid_logit = 0.0  # set by ship(): aid's effect changes only when aid reaches the front

    @classmethod
    def from_values(cls, v: Mapping[str, Value], run: tuple[list[float], list[float], list[list[float]]] | None = None) -> Battlefield:
        """The battlefield of a validated scenario's flat values (over a run's scalars, state and pipeline, if given)."""
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
            run=run,
        )

    @property
    def position(self) -> int:
        """Cells Russia holds."""
        return int(self._state[run_state.S_POSITION])

    @position.setter
    def position(self, cells: int) -> None:
        self._state[run_state.S_POSITION] = float(cells)

    @property
    def trend_logit(self) -> float:
        """Log-odds of the balance before third parties' aid."""
        return self._state[run_state.S_TREND]

    @trend_logit.setter
    def trend_logit(self, logit: float) -> None:
        self._state[run_state.S_TREND] = logit

    @property
    def aid_logit(self) -> float:
        """Log-odds that the aid at the front takes from Russia's chances (negative when Russia's is larger)."""
        return self._state[run_state.S_AID_LOGIT]

    @aid_logit.setter
    def aid_logit(self, logit: float) -> None:
        self._state[run_state.S_AID_LOGIT] = logit

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
        """Fill the pipeline with aid shipped before round 0: ``aid_lag`` rounds of it (:func:`model.engine.state.prime`)."""
        _PRIME(self._scalars, self._pipeline, to_ukraine, to_russia)

    def ship(self, to_ukraine: float, to_russia: float) -> None:
        """Aid pledged this round enters the pipeline; what was pledged ``aid_lag`` rounds ago reaches the front.

        :func:`model.engine.state.ship`, which gives the sources.
        """
        _SHIP(self._scalars, self._state, self._pipeline, to_ukraine, to_russia)

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

    def logit(self) -> float:
        """Log-odds of the true balance, aid at the front included."""
        return self.trend_logit - self.aid_logit

    def balance(self) -> float:
        """True probability that Russia wins an engagement this round (:func:`model.engine.state.balance`)."""
        return float(_BALANCE(self._state))

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
        return float(_DRIFT(self._scalars, self._state, round_number, ceasefire, buffer))

    def engage(self, rng: np.random.Generator, p: float) -> bool:
        """Fight one engagement of attrition; move the front; return True if Russia won it."""
        return bool(_ENGAGE(self._state, rng, p))

    def operate(self, rng: np.random.Generator, round_number: int) -> int:
        """Fight this round's share of the scheduled offensives; return the cells Russia gained (negative: lost).

        :func:`model.engine.state.operate`, which gives the assumptions.
        """
        return int(_OPERATE(self._scalars, self._operation_rows, self._state, rng, round_number))

    def nudge(self, toward: Side) -> None:
        """An undetected violation gains its author one cell, short of its war aim."""
        _NUDGE(self._scalars, self._state, toward is Side.RUSSIA)

    @property
    def winner(self) -> Side | None:
        """The side whose war aim the front has reached, if either's has."""
        code = _WINNER_AT(self._scalars, self._state[run_state.S_POSITION])
        return None if code < 0 else (Side.RUSSIA if code == RUSSIA else Side.UKRAINE)


def _operations(v: Mapping[str, Value]) -> Iterator[Operation]:
    """The scheduled offensives of a validated scenario's flat values (those with a round and a size)."""
    cells = maths.front_cells(float(v["volatility"]))
    for slot in OPERATION_SLOTS:
        start, size = int(v[f"{slot}_round"]), float(v[f"{slot}_size"])
        if start and size:
            yield Operation(start, round(size * cells), int(v[f"{slot}_weeks"]), float(v[f"{slot}_edge"]))
