"""The one decorator every kernel wears: compiled by numba where it is installed, plain Python where not.

A kernel is a function of numbers and NumPy arrays only, written in the
subset of Python numba compiles. The same source serves both paths: the
compiled runner calls the compiled function, and :func:`interpreted` gives
the plain-Python function behind it (numba's ``py_func``), which a single
run can call without waiting for a compilation. Where numba cannot be
installed the kernels stay plain Python, and :func:`compiled_available`
says so (the runner reports it once).

Compiled code is cached on disk (``cache=True``), so a process compiles a
kernel only the first time it is used on a machine. numba invalidates a
cached function when its own file changes, not when a kernel it calls in
another file does (or a constant it froze from :mod:`model.issues`), so
the cache lives in a folder named by a hash of the engine's sources and of
``model/issues.py`` (:func:`cache_folder`): any change to them compiles
afresh, and a stale kernel is never linked into a new one. A
``NUMBA_CACHE_DIR`` set by the user is respected as it is.
"""

from __future__ import annotations

import hashlib
import os
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

try:  # numba is a dependency, but a platform without a wheel still runs the model interpreted
    import numba as _numba
except ImportError:  # pragma: no cover - exercised only where numba is missing
    _numba = None  # type: ignore[assignment]

__all__ = ["cache_folder", "compiled_available", "for_single_runs", "interpreted", "kernel", "stand_in"]

_ENGINE = Path(__file__).resolve().parent
_FROZEN_SOURCES = (_ENGINE.parent / "issues.py",)
"""Modules outside the engine whose values the kernels freeze as compile-time constants."""


def cache_folder() -> Path:
    """Where compiled kernels are cached: a folder per version of the engine's sources (module docstring).

    Under ``$XDG_CACHE_HOME`` (or ``~/.cache``), ``war-termination/numba-<hash>``,
    the hash of every ``model/engine/*.py`` and :data:`_FROZEN_SOURCES`.
    """
    digest = hashlib.sha256()
    for path in (*sorted(_ENGINE.glob("*.py")), *_FROZEN_SOURCES):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "war-termination" / f"numba-{digest.hexdigest()[:16]}"


if _numba is not None and not os.environ.get("NUMBA_CACHE_DIR"):
    _numba.config.CACHE_DIR = str(cache_folder())  # type: ignore[attr-defined]  # read as each kernel is decorated

_KERNELS: set[int] = set()
"""Ids of every kernel's plain-Python function (kept alive by its module)."""
_STAND_INS: dict[int, Callable[..., Any]] = {}
"""A kernel's plain-Python stand-in, by the id of its plain function (:func:`stand_in`)."""
_PLAIN: dict[int, Callable[..., Any]] = {}
_PLAIN_GLOBALS: dict[int, dict[str, Any]] = {}


def compiled_available() -> bool:
    """True when kernels run compiled: numba is installed and ``NUMBA_DISABLE_JIT`` is not set."""
    return _numba is not None and os.environ.get("NUMBA_DISABLE_JIT", "0") in ("", "0")


def kernel(function: F) -> F:
    """Compile ``function`` with numba (``nopython``, cached, no fast-math), or return it as it is.

    No fast-math: the compiled path must give the same floats as the
    interpreted one, operation for operation.
    """
    _KERNELS.add(id(function))
    if _numba is None:
        return function
    return cast(F, _numba.njit(cache=True)(function))


def stand_in(function: Callable[..., Any], plain: Callable[..., Any]) -> None:
    """Let :func:`interpreted` call ``plain`` for the kernel ``function``: it must return the same, bit for bit.

    For a kernel whose plain-Python version would be slow where the
    standard library computes the very same number in C (the correctly
    rounded sum, which :func:`math.fsum` gives).
    """
    _STAND_INS[id(getattr(function, "py_func", function))] = plain


def interpreted(function: Callable[..., Any]) -> Callable[..., Any]:
    """The plain-Python version of a kernel, calling the plain-Python versions of the kernels it calls.

    numba's ``py_func`` alone would still call the compiled kernels it
    names (its globals are the module's), and so wait for their
    compilation: the version given here runs the same code with those
    names bound to their plain versions (or their :func:`stand_in`).
    Anything that is not a kernel comes back as it is.
    """
    source = getattr(function, "py_func", function)
    key = id(source)
    if key in _STAND_INS:
        return _STAND_INS[key]
    if key not in _KERNELS or not isinstance(source, types.FunctionType):
        return function
    if key not in _PLAIN:
        plain = types.FunctionType(
            source.__code__, _plain_globals(source.__globals__), source.__name__, source.__defaults__, source.__closure__
        )
        plain.__doc__, plain.__qualname__, plain.__module__ = source.__doc__, source.__qualname__, source.__module__
        _PLAIN[key] = plain
    return _PLAIN[key]


def _plain_globals(namespace: dict[str, Any]) -> dict[str, Any]:
    """A module's globals with every kernel in it bound to its plain version (one copy per module)."""
    key = id(namespace)
    if key not in _PLAIN_GLOBALS:
        plain = dict(namespace)
        _PLAIN_GLOBALS[key] = plain  # before the kernels: kernels of one module call each other
        for name, value in namespace.items():
            source = id(getattr(value, "py_func", value))
            if source in _KERNELS or source in _STAND_INS:
                plain[name] = interpreted(value)
    return _PLAIN_GLOBALS[key]


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
