"""Exactly rounded sums, so that compiled and interpreted code (and every Python version) add alike.

:func:`exact_sum` is the correctly rounded sum of its terms, the value
:func:`math.fsum` returns (Shewchuk 1997, "Adaptive Precision Floating-Point
Arithmetic and Fast Robust Geometric Predicates", *Discrete & Computational
Geometry* 18; the algorithm of CPython's ``math.fsum``). A correctly
rounded sum is unique, so the compiled kernels, the interpreted ones and
the model's own ``math.fsum`` agree to the last bit, whatever the order of
the terms. numba does not compile ``math.fsum``, hence this one.
"""

from __future__ import annotations

import math

import numpy as np

from model.engine.jit import kernel, owns_arrays, stand_in

_PARTIALS = 64  # more than a sum of finite doubles ever needs (at most about 40)


_UNIT = 2.0**-53  # the unit roundoff of a double
_PAD = 2.0**-50  # a share of the slack that exceeds the rounding error of computing it
_SMALLEST_CHECKED = 2.0**-1000  # below it the bound could fall among subnormals: take the slow path


@kernel
def exact_sum(values: np.ndarray, count: int) -> float:
    """The correctly rounded sum of ``values[:count]`` (finite values), as :func:`math.fsum` gives it.

    First the cheap way: a running sum with every addition's rounding
    error kept exactly (Knuth's TwoSum), the errors added, and the total
    rounded once. That is the correctly rounded sum unless the exact sum
    lies so close to half-way between two doubles that the errors' own
    rounding could tip it; the check below proves it does not: the exact
    sum lies within a slack of the result (the last rounding's remainder
    plus at most ``2 n u`` times the errors' sum), and the result plus and
    minus that slack both round to the result, so (rounding being
    monotone) every number between them does, the exact sum among them,
    ties to even included. Where it cannot prove it the sum is computed
    exactly (:func:`_shewchuk_sum`). Either way the result is the unique
    correctly rounded sum. (An earlier check, the slack below a quarter of
    the result's spacing, ``|r| 2**-54``, failed for nearly half the sums
    of a run's utilities, which the remainder alone often exceeds.)

    Args:
        values: The terms.
        count: How many of them to add.

    Returns:
        The sum, rounded once.
    """
    total = 0.0
    errors = 0.0
    size = 0.0
    for index in range(count):
        x = values[index]
        t = total + x
        z = t - total
        error = (total - (t - z)) + (x - z)  # exact: total + x == t + error
        total = t
        errors += error
        size += abs(error)
    r = total + errors
    z = r - total
    rest = (total - (r - z)) + (errors - z)  # exact: total + errors == r + rest
    slack = abs(rest) + 2.0 * (count + 1) * _UNIT * size
    slack += slack * _PAD  # above the rounding of the line before
    # the exact sum lies within slack of r; rounding is monotone, so if both ends round to r, so does it
    if abs(r) > _SMALLEST_CHECKED and r + slack == r and r - slack == r:
        return r
    return _shewchuk_sum(values, count)


@owns_arrays
def _shewchuk_sum(values: np.ndarray, count: int) -> float:
    """:func:`exact_sum` the exact way: Shewchuk's partials, rounded once as CPython's ``math.fsum`` rounds them."""
    partials = np.empty(_PARTIALS)
    n = 0
    for index in range(count):
        x = values[index]
        i = 0
        for j in range(n):
            y = partials[j]
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo != 0.0:
                partials[i] = lo
                i += 1
            x = hi
        partials[i] = x
        n = i + 1
    # sum the partials from the top, rounding once (CPython's fsum, half-way cases included)
    if n == 0:
        return 0.0
    n -= 1
    hi = partials[n]
    lo = 0.0
    while n > 0:
        x = hi
        n -= 1
        y = partials[n]
        hi = x + y
        yr = hi - x
        lo = y - yr
        if lo != 0.0:
            break
    if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0) or (lo > 0.0 and partials[n - 1] > 0.0)):
        y = lo * 2.0
        x = hi + y
        yr = x - hi
        if y == yr:
            hi = x
    return hi


def _fsum(values: np.ndarray, count: int) -> float:
    """:func:`exact_sum` on the interpreted path: :func:`math.fsum` is the same correctly rounded sum, computed in C."""
    return math.fsum(values[:count])


stand_in(exact_sum, _fsum)


def _self_check() -> None:  # pragma: no cover - a sanity check kept for readers
    terms = np.array([0.1] * 10 + [1e100, -1e100])
    assert exact_sum(terms, len(terms)) == math.fsum(terms)
