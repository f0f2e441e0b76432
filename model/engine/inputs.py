"""A validated scenario's values as the arrays the kernels read (:mod:`model.engine.layout`).

Built in Python, once per design point where nothing is drawn per run, with
the same functions the Mesa model builds its agents with
(:class:`model.agents.BelligerentSettings`, :class:`model.agents.WarFlows`,
:class:`model.agents.IfgStanding`, :class:`model.battlefield.Battlefield`),
so both paths start a run from the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from model import maths
from model.agents import (
    BelligerentSettings,
    IfgStanding,
    MediatorSettings,
    ThirdPartySettings,
    WarFlows,
    aid_under_way,
    guarantor_rows,
    third_party_row,
)
from model.battlefield import Battlefield
from model.engine import layout as L
from model.engine.codes import FORM_CODES, RUSSIA, UKRAINE
from model.issues import ISSUES, TerritorialForm
from model.outcome import Side
from model.parameters import Value
from model.protocols import PROTOCOLS

__all__ = ["Inputs", "forms_allowed", "pack"]

_ROW = {Side.RUSSIA: RUSSIA, Side.UKRAINE: UKRAINE}


class Inputs(NamedTuple):
    """One run's fixed numbers, as the kernels take them.

    Attributes:
        scalars: The run's scalars (``layout.MAX_ROUNDS`` ... ``layout.GUARANTEE_TERMS``).
        side: Each belligerent's numbers, ``[2, layout.N_SIDE]``.
        ideal: Each belligerent's ideal point, ``[2, N_ISSUES]``.
        weight: Each belligerent's normalised salience, ``[2, N_ISSUES]``.
        status_quo: Every issue's value before any agreement.
        forms: The territorial forms a proposer may table (``FORM_*`` codes, sovereignty first).
        third: The active third parties, in the scenario's order, ``[n, layout.N_THIRD]``.
        guarantors: The IFG members that would guarantee, the most committed first, ``[g, layout.N_GUARANTOR]``.
        operations: The scheduled offensives, ``[o, layout.N_OPERATION]``.
    """

    scalars: np.ndarray
    side: np.ndarray
    ideal: np.ndarray
    weight: np.ndarray
    status_quo: np.ndarray
    forms: np.ndarray
    third: np.ndarray
    guarantors: np.ndarray
    operations: np.ndarray

    def with_rearmament(self, rate: float) -> Inputs:
        """The same run with this rate of rearmament (a run's own draw, :func:`model.engine.mechanics.rearmament_rate`)."""
        scalars = self.scalars.copy()
        scalars[L.REARMAMENT] = rate
        return self._replace(scalars=scalars)


def pack(v: Mapping[str, Value]) -> Inputs:
    """The arrays of a validated scenario's flat values (``Scenario.values``, overrides applied).

    Args:
        v: Every parameter's value.

    Returns:
        The run's inputs, with the scenario's mean rate of rearmament (a run
        that draws its own takes :meth:`Inputs.with_rearmament`).
    """
    protocol = PROTOCOLS[str(v["protocol"])]
    mediated = protocol.mediated
    status_quo = [float(v[f"status_quo_{issue}"]) for issue in ISSUES]
    settings = {side: BelligerentSettings.from_values(v, side) for side in Side}
    active = [code for code in str(v["third_parties"]).split(",") if code]
    parties = [ThirdPartySettings.from_values(v, code) for code in active]
    members = [tp for tp in parties if tp.ifg_member]
    ifg = MediatorSettings.from_values(v)
    standing = IfgStanding.of(ifg, members)
    battlefield = Battlefield.from_values(v)

    side = np.zeros((2, L.N_SIDE))
    ideal = np.zeros((2, L.N_ISSUES))
    weight = np.zeros((2, L.N_ISSUES))
    for s, own in settings.items():
        row = _ROW[s]
        flows = WarFlows.of(own, status_quo, settings[s.other].ideal)
        prior_a, prior_b = maths.beta_from_mean(own.prior_mean, own.prior_strength)
        side[row] = _side_row(own, flows, prior_a, prior_b)
        ideal[row] = own.ideal
        weight[row] = own.weights

    under_way_ukraine, under_way_russia = aid_under_way(v, parties)

    scalars = np.zeros(L.N_SCALARS)
    scalars[L.MAX_ROUNDS] = int(v["max_rounds"])
    scalars[L.PROTOCOL] = protocol().code  # a protocol registered without a code fails here (docs/development.md)
    scalars[L.MEDIATED] = float(mediated)
    for slot, name in (
        (L.CONFIDENCE_THRESHOLD, "confidence_threshold"),
        (L.CONFIDENCE_GAIN, "confidence_gain"),
        (L.CONFIDENCE_LOSS, "confidence_loss"),
        (L.UNRESOLVED_RISK, "unresolved_risk"),
        (L.COOLING_OFF, "cooling_off"),
        (L.MONITOR_STRENGTH, "monitor_strength"),
        (L.BUFFER_EFFECT, "buffer_effect"),
        (L.ESCALATION_RISK, "escalation_risk"),
        (L.GUARANTEE_EFFECT, "guarantee_effect"),
        (L.INTERIM_GUARANTEE, "interim_guarantee"),
        (L.AUTONOMY_TERM, "autonomy_term"),
        (L.GUARANTEE_TERMS, "guarantee_terms"),
        (L.REARMAMENT_SPREAD, "rearmament_spread"),
    ):
        scalars[slot] = float(v[name])
    scalars[L.CELLS] = battlefield.cells
    scalars[L.INITIAL_POSITION] = battlefield.position
    scalars[L.INITIAL_TREND] = battlefield.trend_logit
    scalars[L.MOMENTUM] = battlefield.momentum
    scalars[L.SHOCK_ROUND] = battlefield.shock_round
    scalars[L.SHOCK_SIZE] = battlefield.shock_size
    scalars[L.REARMAMENT] = battlefield.rearmament
    scalars[L.AID_EFFECT] = battlefield.aid_effect
    scalars[L.AID_SATURATION] = battlefield.aid_saturation
    scalars[L.AID_LAG] = battlefield.aid_lag
    scalars[L.LOWER] = battlefield.lower
    scalars[L.UPPER] = battlefield.upper
    scalars[L.UNDER_WAY_UKRAINE] = under_way_ukraine
    scalars[L.UNDER_WAY_RUSSIA] = under_way_russia
    scalars[L.IFG_LEAN] = standing.lean
    scalars[L.IFG_GUARANTEE] = standing.guarantee_credibility
    scalars[L.IFG_INDUCEMENT] = standing.inducement if mediated else 0.0
    scalars[L.IFG_INTELLIGENCE] = ifg.intelligence
    scalars[L.IFG_INFORMATION] = float(ifg.information)
    scalars[L.IFG_INFORMATION_WEIGHT] = ifg.information_weight
    scalars[L.IFG_GUARANTEES] = float(ifg.guarantees)

    forms = [FORM_CODES[form] for form in forms_allowed(v, mediated)]

    third = np.array([third_party_row(tp) for tp in parties], dtype=float).reshape(len(parties), L.N_THIRD)
    rows = guarantor_rows(members)
    guarantors = np.array(rows, dtype=float).reshape(len(rows), L.N_GUARANTOR)
    operations = np.array([(op.start, op.cells, op.weeks, op.edge) for op in battlefield.operations], dtype=float).reshape(
        len(battlefield.operations), L.N_OPERATION
    )
    return Inputs(
        scalars=scalars,
        side=side,
        ideal=ideal,
        weight=weight,
        status_quo=np.array(status_quo),
        forms=np.array(forms, dtype=np.int64),
        third=third,
        guarantors=guarantors,
        operations=operations,
    )


def forms_allowed(v: Mapping[str, Value], mediated: bool) -> tuple[TerritorialForm, ...]:
    """The forms a proposer may table for a territorial issue, terms on the frontier (``SOVEREIGNTY``) first.

    A mediator may also settle Crimea or Donbas as autonomy within Ukraine or
    defer them (:class:`~model.issues.TerritorialForm`), as the scenario
    allows (``mediator_autonomy``, ``mediator_deferral``); a side proposing
    for itself (``bilateral``) tables terms only.
    """
    return (
        TerritorialForm.SOVEREIGNTY,
        *((TerritorialForm.AUTONOMY,) if mediated and v["mediator_autonomy"] else ()),
        *((TerritorialForm.DEFERRED,) if mediated and v["mediator_deferral"] else ()),
    )


def _side_row(own: BelligerentSettings, flows: WarFlows, prior_a: float, prior_b: float) -> np.ndarray:
    row = np.zeros(L.N_SIDE)
    row[L.WAR_COST] = own.war_cost
    row[L.CEASEFIRE_COST_SHARE] = own.ceasefire_cost_share
    row[L.AID_RELIEF] = own.aid_relief
    row[L.DISCOUNT] = own.discount
    row[L.BELIEF_MEMORY] = own.belief_memory
    row[L.RED_LINE] = own.red_line
    row[L.AUDIENCE_COST] = own.audience_cost
    row[L.UNSIGNED_SHARE] = own.unsigned_audience_share
    row[L.WAR_WEARINESS] = own.war_weariness
    row[L.CAPACITY] = own.capacity
    row[L.VIOLATION_RATE] = own.violation_rate
    row[L.PRESSURE_EFFECT] = own.pressure_effect
    row[L.RISK_AVERSION] = own.risk_aversion
    row[L.PRESSURE_FLOOR] = own.pressure_floor
    row[L.FLOW_BASE] = flows.base
    row[L.FLOW_SLOPE] = flows.slope
    row[L.FLOW_CURVATURE] = flows.curvature
    row[L.WIN_FLOW] = flows.win
    row[L.LOSS_FLOW] = flows.loss
    row[L.WAR_AUDIENCE] = flows.war_audience
    row[L.WIN_AUDIENCE] = flows.win_audience
    row[L.LOSS_AUDIENCE] = flows.loss_audience
    row[L.PRIOR_A] = prior_a
    row[L.PRIOR_B] = prior_b
    return row
