"""The compiled streams draw NumPy's numbers, bit for bit (model.engine.streams).

The compiled whole run seeds and draws its streams itself; the Mesa model
draws from NumPy's ``Generator``. These tests hold the two to the same
numbers: the seeding of every spawned child (seeds of one to three words,
the edges of each word), the raw words, ``random``, ``binomial`` on both of
its algorithms and both sides of one half, and ``lognormal`` over enough
draws to reach the ziggurat's wedges and its tail.
"""

from __future__ import annotations

import numpy as np
import pytest

from model.engine import jit, streams

pytestmark = pytest.mark.skipif(not jit.compiled_available(), reason="numba is not available: the streams are NumPy's own")

SEEDS = [0, 1, 7, 12345, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**40 + 7, 2**63 - 1, 2**64 - 1, 2**64, 2**96 + 3, 2**128 + 5]


def numpy_stream(seed: int, child: int) -> np.random.Generator:
    return np.random.default_rng(seed).spawn(child + 1)[child]


def as_state(generator: np.random.Generator) -> tuple[int, int]:
    state = generator.bit_generator.state["state"]
    return int(state["state"]), int(state["inc"])


def compiled_state(stream: np.ndarray) -> tuple[int, int]:
    words = [int(w) for w in stream]
    return (words[0] << 64) | words[1], (words[2] << 64) | words[3]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("child", [0, 1, 2, 5])
def test_spawned_is_numpys_spawned_child(seed: int, child: int) -> None:
    stream = jit.compiled(streams.spawned)(streams.entropy(seed), child)
    assert compiled_state(stream) == as_state(numpy_stream(seed, child))


def test_entropy_rejects_a_negative_seed() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        streams.entropy(-1)


def test_uniform_draws_numpys_random() -> None:
    uniform, spawned = jit.compiled(streams.uniform), jit.compiled(streams.spawned)
    for seed in SEEDS[:8]:
        stream, reference = spawned(streams.entropy(seed), 1), numpy_stream(seed, 1)
        mine = [uniform(stream) for _ in range(2_000)]
        assert mine == reference.random(2_000).tolist()


@pytest.mark.parametrize(
    ("n", "p"),
    [
        (1, 0.3), (5, 0.5), (12, 0.02), (12, 0.98), (40, 0.7),  # inversion (the rarer side's mean at most 30)
        (61, 0.5), (200, 0.3), (200, 0.85), (1_000, 0.5), (10_000, 0.01), (100_000, 0.4),  # BTPE, squeeze included
        (0, 0.4), (7, 0.0), (7, 1.0),
    ],
)  # fmt: skip
def test_binomial_draws_numpys_binomial(n: int, p: float) -> None:
    binomial, spawned = jit.compiled(streams.binomial), jit.compiled(streams.spawned)
    stream, reference = spawned(streams.entropy(99), 0), numpy_stream(99, 0)
    mine = [binomial(stream, n, p) for _ in range(3_000)]
    theirs = [int(reference.binomial(n, p)) for _ in range(3_000)]
    assert mine == theirs
    # and the stream is left where NumPy's is: the next draws agree too
    assert jit.compiled(streams.uniform)(stream) == reference.random()


def test_binomial_over_random_parameters() -> None:
    """Parameters drawn at random, one draw each, the streams shared throughout: any slip shows in every later draw."""
    binomial, spawned = jit.compiled(streams.binomial), jit.compiled(streams.spawned)
    stream, reference = spawned(streams.entropy(2024), 0), numpy_stream(2024, 0)
    chooser = np.random.default_rng(5)
    for _ in range(20_000):
        n = int(chooser.choice([chooser.integers(0, 40), chooser.integers(40, 5_000)]))
        p = float(chooser.random())
        assert binomial(stream, n, p) == int(reference.binomial(n, p)), (n, p)


@pytest.mark.parametrize(("mean", "sigma"), [(0.0, 1.0), (-3.1, 0.47), (2.0, 0.01)])
def test_lognormal_draws_numpys_lognormal(mean: float, sigma: float) -> None:
    lognormal, spawned = jit.compiled(streams.lognormal), jit.compiled(streams.spawned)
    stream, reference = spawned(streams.entropy(31), 2), numpy_stream(31, 2)
    # 200,000 draws: about 780 from the ziggurat's base layer and its tail, 1,400 from the wedges
    mine = np.array([lognormal(stream, mean, sigma) for _ in range(200_000)])
    theirs = reference.lognormal(mean, sigma, size=200_000)
    assert np.array_equal(mine, theirs)
