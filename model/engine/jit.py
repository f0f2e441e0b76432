"""The one decorator every kernel wears: compiled by numba where it is installed, plain Python where not.

A kernel is a function of numbers and NumPy arrays only, written in the
subset of Python numba compiles. The same source serves both paths: the
compiled runner calls the compiled function, and :func:`interpreted` gives
the plain-Python function behind it (numba's ``py_func``), which a single
run can call without waiting for a compilation. Where numba cannot be
installed the kernels stay plain Python, and :func:`compiled_available`
says so (the runner reports it once).

Compiled code is cached on disk (``cache=True``, in the package's
``__pycache__``), so a process compiles a kernel only the first time it
is used on a machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

try:  # numba is a dependency, but a platform without a wheel still runs the model interpreted
    import numba as _numba
except ImportError:  # pragma: no cover - exercised only where numba is missing
    _numba = None

__all__ = ["compiled_available", "interpreted", "kernel"]


def compiled_available() -> bool:
    """True when kernels run compiled: numba is installed and ``NUMBA_DISABLE_JIT`` is not set."""
    return _numba is not None and os.environ.get("NUMBA_DISABLE_JIT", "0") in ("", "0")


def kernel(function: F) -> F:
    """Compile ``function`` with numba (``nopython``, cached, no fast-math), or return it as it is.

    No fast-math: the compiled path must give the same floats as the
    interpreted one, operation for operation.
    """
    if _numba is None:
        return function
    return _numba.njit(cache=True)(function)  # type: ignore[no-any-return]


def interpreted(function: Callable[..., Any]) -> Callable[..., Any]:
    """The plain-Python function behind a kernel (itself, where numba is missing)."""
    return getattr(function, "py_func", function)
