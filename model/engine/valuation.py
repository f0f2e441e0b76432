"""Kernels of valuation: log-odds, Beta beliefs and a side's value of fighting on.

The mathematics is :mod:`model.maths`'s (see there for the sources: Fearon
1995, Powell 2004, Smith and Stam 2004, Feller 1968); these are the same
formulas over plain numbers, compiled for the runner. :mod:`model.maths`
calls them for the Mesa model, so there is one implementation.
"""

from __future__ import annotations

import math

from model.engine.jit import kernel, leaf


@leaf
def logit(p: float) -> float:
    """Log-odds of a probability, clipped away from 0 and 1."""
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


@leaf
def sigmoid(x: float) -> float:
    """Inverse of :func:`logit`."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@leaf
def shifted_mean(a: float, b: float, delta_logit: float) -> float:
    """The mean of Beta(a, b) moved by ``delta_logit`` on the log-odds scale."""
    return sigmoid(logit(a / (a + b)) + delta_logit)


@leaf
def particular_solution(c0: float, c1: float, c2: float, d: float, drift: float) -> tuple[float, float, float]:
    """``(A, B, C)`` of the particular solution ``A k^2 + B k + C`` (:func:`model.maths._particular_solution`)."""
    one_minus_d = 1.0 - d
    if not c2:
        b = c1 / one_minus_d
        return 0.0, b, (c0 + d * b * drift) / one_minus_d
    a = c2 / one_minus_d
    b = (c1 + 2.0 * d * a * drift) / one_minus_d
    return a, b, (c0 + d * a + d * b * drift) / one_minus_d


@leaf
def walk_value(
    p: float,
    k: int,
    n: int,
    d: float,
    flow_base: float,
    flow_slope: float,
    value_if_ukraine_wins: float,
    value_if_russia_wins: float,
    flow_curvature: float,
) -> float:
    """The value of war on the walk ``0..n`` from ``k`` (:func:`model.maths.value_of_war` with no war aims)."""
    if k <= 0:
        return value_if_ukraine_wins
    if k >= n:
        return value_if_russia_wins
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    q = 1.0 - p
    one_minus_d = 1.0 - d
    quad, a_coef, b_coef = particular_solution(flow_base, flow_slope / n, flow_curvature / (n * n), d, p - q)
    root = math.sqrt(max(1.0 - 4.0 * d * d * p * q, 0.0))
    lam1 = (1.0 + root) / (2.0 * d * p)  # > 1
    lam2 = 2.0 * d * q / (1.0 + root)  # < 1; = (1 - root) / (2 d p) without the cancellation when p is small
    r0 = value_if_ukraine_wins / one_minus_d - b_coef
    rn = value_if_russia_wins / one_minus_d - a_coef * n - b_coef
    if quad:
        rn -= quad * n * n
    log1, log2 = math.log(lam1), math.log(lam2)
    eps1 = math.exp(-n * log1)  # lam1**-N
    eps2 = math.exp(n * log2)  # lam2**N
    c2 = (r0 - eps1 * rn) / (1.0 - eps1 * eps2)
    d1 = rn - c2 * eps2
    h = a_coef * k + b_coef + d1 * math.exp((k - n) * log1) + c2 * math.exp(k * log2)
    if quad:
        h += quad * k * k
    return one_minus_d * h


@kernel
def value_of_war(
    p: float,
    position: int,
    cells: int,
    discount: float,
    flow_base: float,
    flow_slope: float,
    value_if_ukraine_wins: float,
    value_if_russia_wins: float,
    flow_curvature: float,
    lower: int,
    upper: int,
) -> float:
    """A side's discounted value of fighting on, the walk absorbed at the war aims ``lower`` and ``upper``.

    :func:`model.maths.value_of_war` is this kernel; see it for the model.
    With war aims short of the edges, the flow (a function of Russia's
    share ``k / N``) is re-expressed in the share ``(k - L) / (U - L)`` of
    the shorter walk (:func:`model.maths._flow_between`).
    """
    k, n, base, slope, curvature = position, cells, flow_base, flow_slope, flow_curvature
    if lower != 0 or upper != cells:
        start = lower / cells
        width = (upper - lower) / cells
        k, n = position - lower, upper - lower
        base = flow_base + flow_slope * start + flow_curvature * start * start
        slope = (flow_slope + 2.0 * flow_curvature * start) * width
        curvature = flow_curvature * width * width
    # one call, so that the walk is inlined here once
    return walk_value(p, k, n, discount, base, slope, value_if_ukraine_wins, value_if_russia_wins, curvature)
