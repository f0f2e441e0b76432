"""Integer codes the kernels use for what the Python model names with enums."""

from __future__ import annotations

from model.issues import TerritorialForm

FORM_NONE = -1
"""A territorial issue no agreement covers: it stands de facto."""
FORM_SOVEREIGNTY = 0
FORM_AUTONOMY = 1
FORM_DEFERRED = 2

FORM_CODES: dict[TerritorialForm, int] = {
    TerritorialForm.SOVEREIGNTY: FORM_SOVEREIGNTY,
    TerritorialForm.AUTONOMY: FORM_AUTONOMY,
    TerritorialForm.DEFERRED: FORM_DEFERRED,
}
FORMS_BY_CODE: dict[int, TerritorialForm] = {code: form for form, code in FORM_CODES.items()}

RUSSIA = 0
UKRAINE = 1
"""Rows of a two-sided array: Russia first, as in :class:`model.outcome.Side`'s order."""
