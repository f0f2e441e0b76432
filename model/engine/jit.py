"""The one decorator every kernel wears, and the two ways to run a kernel: compiled or interpreted.

A kernel is a function of numbers and NumPy arrays only, written in the
subset of Python numba compiles. :func:`kernel` only registers it: the
function stays plain Python, so importing the model neither imports numba
nor compiles anything (a single run, the browser page and the terminal's
``war-termination run`` never wait for either). The same source then runs
two ways:

- :func:`compiled` gives the numba-compiled version (``nopython``, no
  fast-math), with every kernel it calls compiled too; the runner calls
  whole runs this way (:mod:`model.engine.whole_run`). Where numba cannot
  be installed, or ``NUMBA_DISABLE_JIT`` is set, it gives the interpreted
  version instead and :func:`compiled_available` says so (the runner
  reports it once).
- :func:`interpreted` gives the plain version, with the kernels it calls
  plain too (or their :func:`stand_in`); the Mesa model calls kernels this
  way (:func:`for_single_runs`).

No fast-math: compiled and interpreted give the same floats, operation for
operation (``tests/test_engine_parity.py``).

Reference counts: numba counts the references to every array a compiled
function holds, so that it can free an array when the last one goes. Most
kernels only read and write arrays their caller owns, and for them the
counting is pure cost: a call at every entry and exit for every array
argument, about a quarter of a whole run even after
:mod:`model.engine.borrow` made each count skip its atomic add. So a kernel
is compiled without them (numba's ``_nrt=False``) unless it is marked
:func:`owns_arrays`: one that allocates an array, returns one, or is handed
one that a kernel it calls returns. numba refuses to compile an allocation
without them, so a missing mark fails loudly; ``tests/test_borrow.py``
checks the two other cases for every kernel a run compiles.

Compiled code is cached on disk, so a process compiles a kernel only the
first time it is used on a machine. numba invalidates a cached function
when its own file changes, not when a kernel it calls in another file does
(or a constant it froze from :mod:`model.issues`, or NumPy's version), so
the cache lives in a folder named by a hash of the engine's sources, of
``model/issues.py`` and of NumPy's version
(:func:`cache_folder`): any change to them compiles afresh, and a stale
kernel is never linked into a new one. A ``NUMBA_CACHE_DIR`` set by the
user is respected as it is.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "cache_folder",
    "compiled",
    "compiled_available",
    "compiled_form",
    "for_single_runs",
    "interpreted",
    "kernel",
    "leaf",
    "owns_arrays",
    "stand_in",
]

_ENGINE = Path(__file__).resolve().parent
_FROZEN_SOURCES = (_ENGINE.parent / "issues.py",)
"""Modules outside the engine whose values the kernels freeze as compile-time constants."""

_KERNELS: set[int] = set()
"""Ids of every kernel (kept alive by its module)."""
_STAND_INS: dict[int, Callable[..., Any]] = {}
"""A kernel's plain-Python stand-in, by the kernel's id (:func:`stand_in`)."""
_PLAIN: dict[int, Callable[..., Any]] = {}
_PLAIN_GLOBALS: dict[int, dict[str, Any]] = {}
_INLINE: set[int] = set()
"""Ids of the kernels inlined into their callers when compiled (:func:`leaf`)."""
_OWNERS: set[int] = set()
"""Ids of the kernels compiled with numba's reference counts (:func:`owns_arrays`)."""
_COMPILED_FORMS: dict[int, Callable[[], Callable[..., Any]]] = {}
"""What builds a kernel's compiled form where it is not its source compiled (:func:`compiled_form`)."""
_COMPILED: dict[int, Callable[..., Any]] = {}
_COMPILED_GLOBALS: dict[int, dict[str, Any]] = {}


def cache_folder() -> Path:
    """Where compiled kernels are cached: a folder per version of the engine's sources (module docstring).

    Under ``$XDG_CACHE_HOME`` (or ``~/.cache``), ``war-termination/numba-<hash>``,
    the hash of every ``model/engine/*.py``, :data:`_FROZEN_SOURCES` and
    NumPy's version (the streams draw as the installed NumPy does,
    :mod:`model.engine.streams`).
    """
    digest = hashlib.sha256(f"numpy {importlib.metadata.version('numpy')}\0".encode())
    for path in (*sorted(_ENGINE.glob("*.py")), *_FROZEN_SOURCES):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "war-termination" / f"numba-{digest.hexdigest()[:16]}"


def compiled_available() -> bool:
    """True when kernels can run compiled: numba is installed and ``NUMBA_DISABLE_JIT`` is not set."""
    return os.environ.get("NUMBA_DISABLE_JIT", "0") in ("", "0") and _numba_installed()


@functools.cache
def _numba_installed() -> bool:
    # looked up once a process: the search costs microseconds, and the runner asks at every run
    return importlib.util.find_spec("numba") is not None


def kernel(function: F) -> F:
    """Register ``function`` as a kernel: it stays the plain function, compiled on demand by :func:`compiled`."""
    _KERNELS.add(id(function))
    return function


def leaf(function: F) -> F:
    """Register a small kernel called often, to be inlined into its callers when compiled.

    A few lines of arithmetic called hundreds of times a run cost less than
    the call that reaches them (and, when every compiled call counted its
    arrays' references atomically, much less: inlining them then took a run
    of ``italian_plan_2022`` from 0.54 to 0.45 ms). Only such kernels are
    inlined: inlining every kernel made the compilation take ten minutes.
    Inlined or not, a kernel gives the same floats.
    """
    _INLINE.add(id(function))
    return kernel(function)


def owns_arrays(function: F) -> F:
    """Register a kernel that owns arrays, to be compiled with numba's reference counts (module docstring).

    A kernel owns arrays when it allocates one, returns one, or is handed
    one that a kernel it calls returns (the views :func:`model.engine.borrow.borrowed`
    returns own nothing). Every other kernel is compiled without the
    counts: its arrays are its caller's, alive for the whole call. Inlined
    into a caller (:func:`leaf`), a kernel counts as its caller does.
    """
    _OWNERS.add(id(function))
    return kernel(function)


def stand_in(function: Callable[..., Any], plain: Callable[..., Any]) -> None:
    """Let :func:`interpreted` call ``plain`` for the kernel ``function``: it must return the same, bit for bit.

    For a kernel whose plain-Python version would be slow where the
    standard library computes the very same number in C (the correctly
    rounded sum, which :func:`math.fsum` gives).
    """
    _STAND_INS[id(function)] = plain


def compiled_form(function: Callable[..., Any], build: Callable[[], Callable[..., Any]]) -> None:
    """Let :func:`compiled` give ``build()`` for the kernel ``function``, in place of compiling its source.

    For the rare kernel whose compiled form says what Python cannot (a numba
    intrinsic, :mod:`model.engine.borrow`); ``build`` imports numba, so it
    is called only when the kernel is first compiled. Interpreted, the
    kernel stays its source.
    """
    _COMPILED_FORMS[id(function)] = build


def interpreted(function: Callable[..., Any]) -> Callable[..., Any]:
    """The plain-Python version of a kernel, calling the plain versions of the kernels it calls (or their stand-ins).

    Anything that is not a kernel comes back as it is.
    """
    key = id(function)
    if key in _STAND_INS:
        return _STAND_INS[key]
    if key not in _KERNELS or not isinstance(function, types.FunctionType):
        return function
    if key not in _PLAIN:
        _PLAIN[key] = _rebound(function, _plain_globals(function.__globals__))
    return _PLAIN[key]


def compiled(function: Callable[..., Any]) -> Callable[..., Any]:
    """The numba-compiled version of a kernel, calling the compiled versions of the kernels it calls.

    Compiled (or loaded from the cache) at its first call; the interpreted
    version where the kernels cannot run compiled (:func:`compiled_available`).
    """
    if not compiled_available():
        return interpreted(function)
    key = id(function)
    if key not in _KERNELS or not isinstance(function, types.FunctionType):
        return function
    if key not in _COMPILED:
        numba = _numba()
        if key in _COMPILED_FORMS:
            _COMPILED[key] = _COMPILED_FORMS[key]()
        else:
            inline = "always" if key in _INLINE else "never"
            counted = key in _OWNERS
            source = _rebound(function, _compiled_globals(function.__globals__))
            _COMPILED[key] = numba.njit(cache=True, inline=inline, _nrt=counted)(source)
    return _COMPILED[key]


def for_single_runs(function: Callable[..., Any]) -> Callable[..., Any]:
    """A kernel as the Mesa model calls it: interpreted (:func:`interpreted`).

    A single run (the terminal's ``war-termination run``, the browser page, a
    notebook) must not wait seconds for a compilation, and one run's
    arithmetic costs little next to the agents' own Python; the compiled
    kernels serve the runner's whole runs (:mod:`model.engine.whole_run`).
    Interpreted and compiled, a kernel is the same source and gives the
    same floats (no fast-math); ``tests/test_engine_parity.py`` checks it.
    """
    return interpreted(function)


def _numba() -> Any:
    """numba, imported on first use, its cache pointed at :func:`cache_folder` (unless the user set one)."""
    import numba

    if not os.environ.get("NUMBA_CACHE_DIR"):
        numba.config.CACHE_DIR = str(cache_folder())  # type: ignore[attr-defined]  # read as each kernel is decorated
    return numba


def _rebound(function: types.FunctionType, namespace: dict[str, Any]) -> types.FunctionType:
    """``function`` with the globals ``namespace`` (its code, defaults and names unchanged)."""
    copy = types.FunctionType(function.__code__, namespace, function.__name__, function.__defaults__, function.__closure__)
    copy.__doc__, copy.__qualname__, copy.__module__ = function.__doc__, function.__qualname__, function.__module__
    return copy


def _plain_globals(namespace: dict[str, Any]) -> dict[str, Any]:
    """A module's globals with every kernel in it bound to its plain version (one copy per module)."""
    return _bound_globals(namespace, _PLAIN_GLOBALS, lambda key: key in _KERNELS or key in _STAND_INS, interpreted)


def _compiled_globals(namespace: dict[str, Any]) -> dict[str, Any]:
    """A module's globals with every kernel in it bound to its compiled version (one copy per module)."""
    return _bound_globals(namespace, _COMPILED_GLOBALS, lambda key: key in _KERNELS, compiled)


def _bound_globals(
    namespace: dict[str, Any],
    copies: dict[int, dict[str, Any]],
    is_kernel: Callable[[int], bool],
    version: Callable[[Callable[..., Any]], Callable[..., Any]],
) -> dict[str, Any]:
    """A copy of a module's globals, kept in ``copies``, with each kernel (by ``is_kernel`` of its id) replaced by ``version`` of it."""
    key = id(namespace)
    if key not in copies:
        bound = dict(namespace)
        copies[key] = bound  # before the kernels: kernels of one module call each other
        for name, value in namespace.items():
            if is_kernel(id(value)):
                bound[name] = version(value)
    return copies[key]
