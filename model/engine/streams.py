"""A run's random streams as the compiled kernels draw from them: NumPy's own, bit for bit.

A run draws from streams spawned from its seed, as the Mesa model spawns
them from ``numpy.random.default_rng(seed)``: the battle's (child 0), the
ceasefire's (child 1) and, where a run draws its own rate of rearmament,
that draw's (child 2). Each is a PCG64 generator seeded by
``SeedSequence(seed, spawn_key=(child,))``.

Interpreted, a kernel draws from NumPy's ``Generator`` itself: the Mesa
model passes its own, and :func:`spawned`'s stand-in builds them. Compiled,
the same draws come from this module's kernels over a stream's state, four
unsigned 64-bit words (:data:`N_STREAM`), which give NumPy's numbers to the
bit: :func:`spawned` seeds the state as ``SeedSequence`` and ``PCG64`` do,
:func:`uniform` is ``Generator.random``, :func:`binomial` is
``Generator.binomial`` (inversion, or BTPE in the form of the installed
NumPy, whose 2.5 release corrected it), :func:`lognormal` is
``Generator.lognormal`` (NumPy's ziggurat, :mod:`model.engine.ziggurat`).
``tests/test_streams.py`` checks every one against NumPy on seeds, children
and parameters that reach each branch.

Why not numba's own ``Generator`` support, which the compiled path used
before: numba takes a ``Generator`` through its ctypes interface, which
NumPy builds afresh for every new generator (about 10 microseconds), and
the three generators a run needs cost as much again to create in Python;
together about a sixth of a compiled run. Seeding inside the kernel costs a
few hundred nanoseconds. The algorithms follow NumPy's
``numpy/random/_pcg64.pyx``, ``bit_generator.pyx``, ``src/pcg64/pcg64.h``
and ``src/distributions/distributions.c`` (BSD-3-Clause), as numba's
``numba/np/random`` translates them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from model.engine.jit import kernel, leaf, owns_arrays, stand_in
from model.engine.ziggurat import FI, KI, NORMAL_INV_R, NORMAL_R, WI

__all__ = ["N_STREAM", "Stream", "binomial", "entropy", "lognormal", "spawned", "uniform"]

Stream = Any
"""A stream as a kernel takes it: NumPy's ``Generator`` (interpreted) or a state of :data:`N_STREAM` words (compiled)."""

N_STREAM = 4
"""A stream's state: the PCG64 state's high and low words, then its increment's."""
_STATE_HIGH, _STATE_LOW, _INC_HIGH, _INC_LOW = 0, 1, 2, 3

_U32 = np.uint64(0xFFFFFFFF)
_0, _1, _8, _11, _16, _32, _58, _63, _64 = (np.uint64(k) for k in (0, 1, 8, 11, 16, 32, 58, 63, 64))
_LAYER = np.uint64(0xFF)
_MANTISSA = np.uint64(0x000FFFFFFFFFFFFF)
_MULTIPLIER_HIGH = np.uint64(2549297995355413924)  # PCG_DEFAULT_MULTIPLIER_128
_MULTIPLIER_LOW = np.uint64(4865540595714422341)
_HASH_INIT_A, _HASH_MULT_A = np.uint64(0x43B0D7E5), np.uint64(0x931E8875)  # SeedSequence's hashing
_HASH_INIT_B, _HASH_MULT_B = np.uint64(0x8B51F9DD), np.uint64(0x58F38DED)
_MIX_LEFT, _MIX_RIGHT = np.uint64(0xCA01F9DD), np.uint64(0x4973F715)
_POOL = 4  # SeedSequence's pool size, in 32-bit words
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_NUMPY_2_5 = tuple(int(part) for part in np.__version__.split(".")[:2]) >= (2, 5)
"""NumPy 2.5 corrected BTPE's Stirling squeeze; the kernels draw as the installed NumPy does."""


def entropy(seed: int) -> np.ndarray:
    """A seed's 32-bit words, least significant first, as ``SeedSequence`` reads an integer (``[0]`` for 0)."""
    if seed < 0:
        raise ValueError(f"a seed must be a non-negative integer, not {seed}")
    words = [seed & 0xFFFFFFFF]
    seed >>= 32
    while seed:
        words.append(seed & 0xFFFFFFFF)
        seed >>= 32
    return np.array(words, dtype=np.uint64)


@leaf
def _hash(value: np.uint64, hash_const: np.uint64) -> tuple[np.uint64, np.uint64]:
    """SeedSequence's ``hashmix``: one word hashed, and the running constant advanced."""
    value ^= hash_const
    hash_const = (hash_const * _HASH_MULT_A) & _U32
    value = (value * hash_const) & _U32
    return value ^ (value >> _16), hash_const


@leaf
def _mix(x: np.uint64, y: np.uint64) -> np.uint64:
    """SeedSequence's ``mix`` of two words."""
    result = (_MIX_LEFT * x - _MIX_RIGHT * y) & _U32
    return result ^ (result >> _16)


@leaf
def _high_product(a: np.uint64, b: np.uint64) -> np.uint64:
    """The high 64 bits of the 128-bit product ``a * b``."""
    a_low, a_high, b_low, b_high = a & _U32, a >> _32, b & _U32, b >> _32
    low_low, low_high, high_low = a_low * b_low, a_low * b_high, a_high * b_low
    middle = (low_low >> _32) + (low_high & _U32) + (high_low & _U32)
    return a_high * b_high + (low_high >> _32) + (high_low >> _32) + (middle >> _32)


@leaf
def _step(stream: np.ndarray) -> None:
    """Advance the 128-bit LCG: state = state * multiplier + increment (mod 2**128)."""
    high, low = stream[_STATE_HIGH], stream[_STATE_LOW]
    product_high = _high_product(low, _MULTIPLIER_LOW) + high * _MULTIPLIER_LOW + low * _MULTIPLIER_HIGH
    product_low = low * _MULTIPLIER_LOW
    new_low = product_low + stream[_INC_LOW]
    carry = _1 if new_low < product_low else _0
    stream[_STATE_HIGH] = product_high + stream[_INC_HIGH] + carry
    stream[_STATE_LOW] = new_low


@owns_arrays
def spawned(seed_words: np.ndarray, child: int) -> np.ndarray:
    """The state of ``numpy.random.default_rng(seed).spawn(...)[child]``: ``PCG64(SeedSequence(seed, spawn_key=(child,)))``.

    Args:
        seed_words: The seed's 32-bit words, least significant first (:func:`entropy`).
        child: Which spawned stream (0 the battle's, 1 the ceasefire's, 2 the rearmament's).
    """
    # the assembled entropy: the seed's words, padded to the pool's size because a spawn key follows, then the key
    n_seed = len(seed_words)
    n_entropy = max(n_seed, _POOL) + 1
    words = np.zeros(n_entropy, dtype=np.uint64)
    for i in range(n_seed):
        words[i] = seed_words[i]
    words[n_entropy - 1] = np.uint64(child)
    hash_const = _HASH_INIT_A
    pool = np.zeros(_POOL, dtype=np.uint64)
    for i in range(_POOL):
        pool[i], hash_const = _hash(words[i], hash_const)
    for source in range(_POOL):
        for target in range(_POOL):
            if source != target:
                hashed, hash_const = _hash(pool[source], hash_const)
                pool[target] = _mix(pool[target], hashed)
    for source in range(_POOL, n_entropy):
        for target in range(_POOL):
            hashed, hash_const = _hash(words[source], hash_const)
            pool[target] = _mix(pool[target], hashed)
    # generate_state(4, uint64): eight 32-bit words from the pool, paired little-endian
    state = np.zeros(2 * _POOL, dtype=np.uint64)
    hash_b = _HASH_INIT_B
    for i in range(2 * _POOL):
        value = pool[i % _POOL] ^ hash_b
        hash_b = (hash_b * _HASH_MULT_B) & _U32
        value = (value * hash_b) & _U32
        state[i] = value ^ (value >> _16)
    seed_high, seed_low = state[0] | (state[1] << _32), state[2] | (state[3] << _32)
    sequence_high, sequence_low = state[4] | (state[5] << _32), state[6] | (state[7] << _32)
    # pcg64_set_seed: the increment (sequence << 1) | 1; state 0, a step, the seed added, a step
    stream = np.zeros(N_STREAM, dtype=np.uint64)
    stream[_INC_HIGH] = (sequence_high << _1) | (sequence_low >> _63)
    stream[_INC_LOW] = (sequence_low << _1) | _1
    _step(stream)
    low = stream[_STATE_LOW] + seed_low
    carry = _1 if low < seed_low else _0
    stream[_STATE_HIGH] = stream[_STATE_HIGH] + seed_high + carry
    stream[_STATE_LOW] = low
    _step(stream)
    return stream


@leaf
def _next_word(stream: np.ndarray) -> np.uint64:
    """PCG64's next 64 bits: a step, then the XSL-RR output of the new state."""
    _step(stream)
    high, low = stream[_STATE_HIGH], stream[_STATE_LOW]
    folded = high ^ low
    rotation = high >> _58
    return (folded >> rotation) | (folded << ((_64 - rotation) & _63))


@leaf
def uniform(stream: Stream) -> float:
    """A uniform draw on [0, 1): ``Generator.random()`` (the top 53 bits of the next word)."""
    return float(_next_word(stream) >> _11) * _TO_UNIT


@kernel
def binomial(stream: Stream, n: int, p: float) -> int:
    """``Generator.binomial(n, p)``: inversion where the mean of the rarer outcome is at most 30, BTPE beyond."""
    if n == 0 or p == 0.0:
        return 0
    if p <= 0.5:
        return _binomial_inversion(stream, n, p) if p * n <= 30.0 else _binomial_btpe(stream, n, p)
    q = 1.0 - p
    return n - (_binomial_inversion(stream, n, q) if q * n <= 30.0 else _binomial_btpe(stream, n, q))


@kernel
def _binomial_inversion(stream: Stream, n: int, p: float) -> int:
    """NumPy's ``random_binomial_inversion`` (``p`` at most one half)."""
    q = 1.0 - p
    qn = math.exp(n * math.log(q))
    mean = n * p
    bound = int(min(n, mean + 10.0 * math.sqrt(mean * q + 1)))
    x = 0
    px = qn
    u = uniform(stream)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = uniform(stream)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@kernel
def _binomial_btpe(stream: Stream, n: int, r: float) -> int:
    """NumPy's ``random_binomial_btpe`` (Kachitvichyanukul and Schmeiser 1988), ``r`` at most one half.

    NumPy's labels are kept as comments: 10 draws a point, 20 to 40 place it
    in the parallelogram, the left or the right tail, 50 accepts by the
    explicit ratio of densities, 52 by the squeeze, 60 returns.
    """
    q = 1.0 - r
    fm = n * r + r
    m = int(math.floor(fm))
    p1 = math.floor(2.195 * math.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    while True:
        # 10
        nrq = n * r * q
        u = uniform(stream) * p4
        v = uniform(stream)
        if u <= p1:
            return int(math.floor(xm - p1 * v + u))
        if u <= p2:  # 20
            x = xl + (u - p1) / c
            v = v * c + 1.0 - math.fabs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = int(math.floor(x))
        elif u <= p3:  # 30
            y = int(math.floor(xl + math.log(v) / laml))
            if y < 0 or v == 0.0:
                continue
            v = v * (u - p2) * laml
        else:  # 40
            y = int(math.floor(xr - math.log(v) / lamr))
            if y > n or v == 0.0:
                continue
            v = v * (u - p3) * lamr
        # 50
        k = abs(y - m)
        if not (k > 20 and k < nrq / 2.0 - 1):
            s = r / q
            a = s * (n + 1)
            f = 1.0
            if m < y:
                for i in range(m + 1, y + 1):
                    f = f * (a / i - s)
            elif m > y:
                for i in range(y + 1, m + 1):
                    f = f / (a / i - s)
            if v > f:
                continue
            return y
        # 52
        rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)
        t = -k * k / (2 * nrq)
        big_a = math.log(v)
        if big_a < t - rho:
            return y
        if big_a > t + rho:
            continue
        if _squeeze_rejects(big_a, xm, m, n, y, r, q):
            continue
        return y


@kernel
def _squeeze_rejects(big_a: float, xm: float, m: int, n: int, y: int, r: float, q: float) -> bool:
    """BTPE's final test by Stirling's approximation (label 52), in the installed NumPy's form."""
    x1 = y + 1
    f1 = m + 1
    z = n + 1 - m
    w = n - y + 1
    if _NUMPY_2_5:  # the constant corrected to 13860, the x1 and w terms subtracted
        constant, later = 13860.0, -1.0
    else:
        constant, later = 13680.0, 1.0
    # x - t and x + (-1.0) * t are the same float, so both forms give NumPy's numbers exactly
    return big_a > (
        xm * math.log(f1 / x1)
        + (n - m + 0.5) * math.log(z / w)
        + (y - m) * math.log(w * r / (x1 * q))
        + _stirling(f1, constant)
        + _stirling(z, constant)
        + later * _stirling(x1, constant)
        + later * _stirling(w, constant)
    )


@leaf
def _stirling(x: float, constant: float) -> float:
    """A term of BTPE's Stirling series at ``x``, as NumPy writes it (``constant`` its leading coefficient)."""
    x2 = x * x
    return (constant - (462.0 - (132.0 - (99.0 - 140.0 / x2) / x2) / x2) / x2) / x / 166320.0


@kernel
def _standard_normal(stream: Stream) -> float:
    """NumPy's ``random_standard_normal``: the ziggurat of 256 layers (Marsaglia and Tsang 2000)."""
    while True:
        word = _next_word(stream)
        layer = int(word & _LAYER)
        word >>= _8
        negative = (word & _1) != _0
        bits = (word >> _1) & _MANTISSA
        x = float(bits) * WI[layer]
        if negative:
            x = -x
        if bits < KI[layer]:
            return x  # 99.3% of draws
        if layer == 0:  # the tail beyond NORMAL_R
            while True:
                xx = -NORMAL_INV_R * math.log1p(-uniform(stream))
                yy = -math.log1p(-uniform(stream))
                if yy + yy > xx * xx:
                    return -(NORMAL_R + xx) if ((bits >> _8) & _1) != _0 else NORMAL_R + xx
        elif (FI[layer - 1] - FI[layer]) * uniform(stream) + FI[layer] < math.exp(-0.5 * x * x):
            return x


@kernel
def lognormal(stream: Stream, mean: float, sigma: float) -> float:
    """``Generator.lognormal(mean, sigma)``: the exponential of a normal draw, ``mean + sigma * z``."""
    scaled = sigma * _standard_normal(stream)
    return math.exp(mean + scaled)


def _numpy_spawned(seed_words: Any, child: int) -> np.random.Generator:
    seed = sum(int(word) << (32 * i) for i, word in enumerate(seed_words))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(child,))))


def _numpy_binomial(stream: np.random.Generator, n: int, p: float) -> int:
    return int(stream.binomial(n, p))


def _numpy_lognormal(stream: np.random.Generator, mean: float, sigma: float) -> float:
    return float(stream.lognormal(mean, sigma))


# interpreted, a kernel draws from NumPy's Generator itself: the Mesa model's, or one built from the seed
stand_in(spawned, _numpy_spawned)
stand_in(uniform, np.random.Generator.random)
stand_in(binomial, _numpy_binomial)
stand_in(lognormal, _numpy_lognormal)
