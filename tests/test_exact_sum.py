"""The compiled exact sum is math.fsum's correctly rounded sum, to the bit, on sums built to be hard.

Half-way cases (the exact sum a hair from half-way between two doubles),
cancellation across exponents, subnormals and the runs' own kind of sums
(utilities of a dozen terms in [0, 1]); every one compared with
:func:`math.fsum` bit for bit.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from model.engine import exact
from model.engine.jit import compiled, compiled_available

pytestmark = pytest.mark.skipif(not compiled_available(), reason="the compiled kernel needs numba")


def _cases() -> list[list[float]]:
    rng = random.Random(20261202)
    cases: list[list[float]] = []
    for _ in range(3000):  # a run's utilities: a dozen weighted terms in [0, 1]
        cases.append([rng.random() * rng.random() for _ in range(rng.randint(1, 14))])
    for _ in range(3000):  # wide exponents, both signs, cancellation
        cases.append([rng.choice([-1.0, 1.0]) * rng.random() * 2.0 ** rng.randint(-80, 80) for _ in range(rng.randint(2, 30))])
    for _ in range(3000):  # near half-way: x + half an ulp of x, nudged by a tiny term either way (or not at all)
        x = 1.0 + rng.randint(0, 2**20) * 2.0**-52
        half = math.ulp(x) / 2.0
        tiny = rng.choice([0.0, 2.0**-120, -(2.0**-120), 2.0**-160])
        terms = [x, half, tiny]
        rng.shuffle(terms)
        cases.append(terms)
    for _ in range(500):  # subnormals
        cases.append([rng.choice([-1.0, 1.0]) * rng.random() * 2.0**-1060 for _ in range(rng.randint(1, 8))])
    cases.append([])
    return cases


def test_the_compiled_exact_sum_is_fsum_to_the_bit() -> None:
    kernel = compiled(exact.exact_sum)
    for terms in _cases():
        values = np.array(terms + [0.0])  # never empty: a kernel takes an array
        assert kernel(values, len(terms)).hex() == math.fsum(terms).hex(), terms
