"""What every command line of the project shares: one-line errors, integer options, ``--set``.

``war-termination`` and its sub-commands, and ``python -m
experiments.reference``, build their parsers from here, so an option means
the same thing and fails the same way everywhere: one line on stderr naming
what is wrong and what is allowed, exit status :data:`USAGE_ERROR`.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterable, Mapping
from typing import NoReturn

from model.errors import InputError
from model.parameters import PARAMETERS

PROG = "war-termination"
USAGE_ERROR = 2
"""Exit status for bad input of any kind (an :class:`~model.errors.InputError`)."""


class UsageError(InputError):
    """A command line that cannot be used: wrong syntax, unknown name, value not allowed."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (a :class:`UsageError`), not a usage block."""

    def error(self, message: str) -> NoReturn:
        """Raise the parser's complaint as a :class:`UsageError` naming the sub-command and its help."""
        command = self.prog[len(PROG) :].strip() if self.prog.startswith(PROG) else ""
        raise UsageError(f"{command + ': ' if command else ''}{message} (see '{self.prog} --help')")


def integer(text: str, what: str, low: int, high: int | None = None) -> int:
    """Parse a whole number in ``[low, high]`` (``high`` ``None``: no upper bound) for an option.

    Args:
        text: The option's text.
        what: What is expected, for the message (e.g. ``"a positive integer"``).
        low: The smallest value allowed.
        high: The largest value allowed, if any.

    Returns:
        The number.

    Raises:
        argparse.ArgumentTypeError: ``expected WHAT, got TEXT``, which argparse shows as one line.
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if value < low or (high is not None and value > high):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number from 0 up.

    Raises:
        argparse.ArgumentTypeError: Naming the text and what is expected.
    """
    return integer(text, "a non-negative integer", 0)


def positive_int(text: str) -> int:
    """An argparse type: a whole number from 1 up.

    Raises:
        argparse.ArgumentTypeError: Naming the text and what is expected.
    """
    return integer(text, "a positive integer", 1)


def add_set_option(command: argparse.ArgumentParser) -> None:
    """Add ``--set NAME=VALUE`` (repeatable; read with :func:`parse_assignments`) to a sub-command."""
    example = PARAMETERS["initial_advantage"]
    command.add_argument(
        "--set",
        dest="overrides",
        metavar="NAME=VALUE",
        nargs="+",
        action="extend",
        default=[],
        help=f"override a parameter, e.g. {example.name}=0.6 ({example.meaning}: {example.allowed}); may be repeated",
    )


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """Split ``NAME=VALUE`` texts into a mapping (a later name wins).

    An empty value (``third_parties=``) is passed on: whether it is allowed is
    the parameter's to say (an empty subset of third parties is; an empty
    number is not, and its validation says what is expected).

    Args:
        items: The texts, as given after ``--set``.

    Returns:
        Parameter names and their values, still as text.

    Raises:
        UsageError: If an item is not ``NAME=VALUE`` (no ``=``, or no name).
    """
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--set {item!r}: expected NAME=VALUE, e.g. initial_advantage=0.6")
        out[name] = value.strip()
    return out


def value_text(value: object, digits: int | None = None) -> str:
    """A parameter value as ``--set`` and the scenario files write it (``true``/``false`` for booleans).

    The one formatter of parameter values, for a replayed command and for a
    reader alike: by default floats keep every digit (``repr``), so a replayed
    run is the run; with ``digits`` they are shown to that many significant
    digits (``run``'s header and ``params``' table use 6, the page's table of
    values in force 4).

    Args:
        value: A parameter value.
        digits: Significant digits of a float, or ``None`` for all of them.

    Returns:
        The text.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and digits is not None:
        return f"{value:.{digits}g}"
    return str(value)


def replay_command(scenario: str, seed: int, overrides: Mapping[str, object], page: bool = False) -> str:
    """The command line that replays one run, in the terminal or in the browser page.

    Args:
        scenario: A bundled scenario name or a path to a ``.toml`` file.
        seed: The run's seed.
        overrides: Parameter values that differ from the scenario's.
        page: Open the run in the browser page (``war-termination viz``) to step through it.

    Returns:
        ``war-termination run SCENARIO --seed SEED --set NAME=VALUE ...``, or
        ``war-termination viz --scenario SCENARIO --seed SEED --set NAME=VALUE ...``.
    """
    start = ["viz", "--scenario"] if page else ["run"]
    parts = [PROG, *start, scenario, "--seed", str(seed)]
    for name, value in overrides.items():
        parts += ["--set", f"{name}={value_text(value)}"]
    return shlex.join(parts)
