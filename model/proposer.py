"""What the proposer tables: the terms on the frontier, and how the territory on the table is settled.

The IFG (or, under ``bilateral``, the side whose turn it is) tables one
proposal a round on the issues the protocol put on the table. Terms on the
frontier are always open to it (:mod:`model.negotiation`; the computation is
the kernel :func:`model.engine.bargain.table`, which the compiled runner
calls too). A mediator may
also settle Crimea or Donbas as autonomy within Ukraine or defer them
(:class:`~model.issues.TerritorialForm`), as the scenario allows, and every
proposal keeps the withdrawal coherent with the territorial terms
(:func:`~model.issues.withdrawal_limit`). The floors are the sides' own
(:meth:`model.agents.Belligerent.floor`); nothing here draws at random or
changes any state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from model.agents import Belligerent, Talks
from model.engine import bargain
from model.engine.codes import FORM_CODES, FORM_NONE, FORMS_BY_CODE
from model.engine.jit import for_single_runs
from model.issues import TERRITORY_INDICES, TerritorialForm
from model.negotiation import Proposal
from model.parameters import Value

__all__ = ["Proposer"]

_TABLE = for_single_runs(bargain.table_with_workspace)
_COMPILED = hasattr(_TABLE, "py_func")
"""Whether the table runs compiled, and so takes NumPy arrays rather than Python sequences."""


@dataclass(frozen=True)
class Proposer:
    """A proposer and the ways it may settle the territory.

    Attributes:
        forms: The forms it may table for a territorial issue, terms on the
            frontier (``SOVEREIGNTY``) first.
        autonomy_term: The term of an area left part of Ukraine as an autonomy.
    """

    forms: tuple[TerritorialForm, ...] = (TerritorialForm.SOVEREIGNTY,)
    autonomy_term: float = 0.5
    _codes: Any = field(init=False, repr=False, compare=False)
    _work: Any = field(init=False, repr=False, compare=False)

    @staticmethod
    def forms_of(v: Mapping[str, Value], mediated: bool) -> tuple[TerritorialForm, ...]:
        """The forms a proposer may table under a scenario's values: autonomy and deferral only from a mediator."""
        return (
            TerritorialForm.SOVEREIGNTY,
            *((TerritorialForm.AUTONOMY,) if mediated and v["mediator_autonomy"] else ()),
            *((TerritorialForm.DEFERRED,) if mediated and v["mediator_deferral"] else ()),
        )

    def __post_init__(self) -> None:
        """The forms' codes and the table's scratch space, made once for every proposal."""
        codes = [FORM_CODES[form] for form in self.forms]
        object.__setattr__(self, "_codes", np.array(codes, dtype=np.int64) if _COMPILED else tuple(codes))
        object.__setattr__(self, "_work", bargain.workspace(plain=not _COMPILED))

    def table(
        self,
        russia: Belligerent,
        ukraine: Belligerent,
        agenda: Sequence[int],
        now: Sequence[float],
        talks: Talks,
        floors: tuple[float, float],
        weight_ukraine: float,
    ) -> tuple[Proposal, Talks]:
        """The proposal tabled on ``agenda``, and the talks as its territorial settlement makes them.

        For every way of settling the territorial issues on the table, the
        Nash point on the frontier of the issues left to bargain; the
        proposer tables, among the settlements in the bargaining range, the
        one with the highest asymmetric Nash product, the criterion of its
        proposals on the frontier (Nash 1950; Kalai 1977), preferring terms
        on the frontier on a tie. With none in the range it tables the
        compromise on the frontier. The withdrawal stays coherent with the
        territorial terms (:func:`~model.issues.withdrawal_limit`). The
        kernel :func:`model.engine.bargain.table_with_workspace` computes it all.

        Args:
            russia: Russia, whose stakes and flows the proposer knows.
            ukraine: Ukraine, likewise.
            agenda: Indices of the issues on the table (the ceasefire line excepted).
            now: Every issue's value as it stands.
            talks: The round's talks, with the forms of the territory already agreed.
            floors: Russia's and Ukraine's floors.
            weight_ukraine: Ukraine's weight in the Nash product (the protocol's).

        Returns:
            ``(proposal, talks)``: the talks' ``after.forms`` say how the proposal settles the territory.
        """
        agreed = talks.after.forms
        sides = (russia.settings, ukraine.settings)
        arguments: list[Any] = [
            agenda,
            now,
            [FORM_CODES.get(agreed.get(j), FORM_NONE) for j in TERRITORY_INDICES],  # type: ignore[arg-type]
            self._codes,
            self.autonomy_term,
            (sides[0].ideal, sides[1].ideal),
            (sides[0].weights, sides[1].weights),
            (russia.bargaining_scalars(), ukraine.bargaining_scalars()),
        ]
        if _COMPILED:
            arguments = [np.asarray(a) if isinstance(a, (list, tuple)) else a for a in arguments]
            terms: Any = np.empty(len(now))
            forms: Any = np.empty(2, dtype=np.int64)
        else:
            terms, forms = [0.0] * len(now), [FORM_NONE, FORM_NONE]
        in_range = _TABLE(*arguments, floors[0], floors[1], weight_ukraine, terms, forms, self._work)
        after = dict(agreed)
        for k, j in enumerate(TERRITORY_INDICES):
            if j in agenda:
                after[j] = FORMS_BY_CODE[int(forms[k])]
        proposal = Proposal([float(x) for x in terms] if _COMPILED else terms, bool(in_range))
        return proposal, replace(talks, after=replace(talks.after, forms=after))
