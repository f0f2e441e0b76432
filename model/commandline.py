"""What every command line of the project shares: one-line errors, integer options, ``--set``.

``war-termination`` and its sub-commands, and ``python -m
experiments.reference``, build their parsers from here, so an option means
the same thing and fails the same way everywhere: one line on stderr naming
what is wrong and what is allowed, exit status :data:`USAGE_ERROR`.
"""

from __future__ import annotations

import argparse
import re
import shlex
import unicodedata
from collections.abc import Iterable, Mapping
from typing import NoReturn

from model.errors import InputError
from model.parameters import PARAMETERS

PROG = "war-termination"
USAGE_ERROR = 2
"""Exit status for bad input of any kind (an :class:`~model.errors.InputError`)."""


ECHO_LIMIT = 200
"""Characters of an echoed value (a quoted text, or a run of text without spaces) an error line keeps."""
LINE_LIMIT = 1000
"""Characters an error line keeps in all (a message with many long values)."""
ELLIPSIS = "…"

_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
"""Unicode categories escaped on output: controls (terminal escape codes), format characters (bidi
overrides), lone surrogates (undecodable bytes of a file name), private-use and unassigned code points."""
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_TOKEN = re.compile(r"\S+")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def escape_controls(text: str) -> str:
    r"""``text`` with every character a terminal would act on or hide written as a Python escape (``\x1b``).

    Args:
        text: Any text (a scenario's name or description, an echoed value).

    Returns:
        The text, safe to print on a terminal: ESC, other control and format
        characters and lone surrogates become ``\xNN``/``\uNNNN`` escapes.
    """
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in _UNPRINTABLE else ch for ch in text)


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut.

    Args:
        text: The text.
        limit: The most characters kept (the ellipsis included).

    Returns:
        The text, or its first ``limit - 1`` characters and ``…``.
    """
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def printable(text: str, limit: int | None = ECHO_LIMIT) -> str:
    """Text from outside the program (a file, the command line, a client) made safe to show on one line.

    Whitespace runs (newlines included) become one space, control and format
    characters are escaped (:func:`escape_controls`), and the result is cut
    to ``limit`` characters (``None``: not cut). The command line's
    ``scenarios`` listing, ``run``'s header and the browser page show
    scenario names and descriptions through it.

    Args:
        text: The text.
        limit: The most characters kept, or ``None``.

    Returns:
        The text on one line, escaped and shortened.
    """
    flat = escape_controls(" ".join(text.split()))
    return flat if limit is None else shorten(flat, limit)


def one_line(exc: BaseException) -> str:
    """An exception's message as one error line: flat, escaped, each echoed value cut to :data:`ECHO_LIMIT`.

    The one formatter of the command line's error lines. A message echoes what
    the user gave (``got '...'``), which may be a megabyte of text or carry
    terminal escape codes: every quoted value and every run of text without
    spaces longer than :data:`ECHO_LIMIT` is cut (``…`` marks the cut, and a
    cut quoted value keeps its closing quote), control characters are escaped,
    and the line as a whole is cut at :data:`LINE_LIMIT`. Its type's name
    stands in for an empty message.

    Args:
        exc: The exception.

    Returns:
        The line, without the ``war-termination: error:`` prefix.
    """
    flat = " ".join(str(exc).split()) or type(exc).__name__

    def cut_quoted(match: re.Match[str]) -> str:
        quoted = match.group(0)
        return quoted if len(quoted) <= ECHO_LIMIT else shorten(quoted[:-1], ECHO_LIMIT - 1) + quoted[-1]

    # cut before escaping, so a megabyte of input is not escaped character by character
    flat = _TOKEN.sub(lambda match: shorten(match.group(0)), _QUOTED.sub(cut_quoted, flat))
    return shorten(escape_controls(flat), LINE_LIMIT)


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

    Only ASCII digits (with an optional sign) make a number here, as in the
    page's seed box: ``int()`` would also take other scripts' digits
    (``"١٢"``) and ``"1_0"``, which the page and other tools refuse.

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
    digits = text.strip()
    # ASCII digits only, as the page's seed box: int() also takes other scripts' digits ("١٢"), "_" and spaces
    if not (_INTEGER.fullmatch(digits) and digits.isascii()):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    try:
        value = int(digits)
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits())
        raise argparse.ArgumentTypeError(f"expected {what} of at most a few thousand digits, got {text!r}") from None
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
        help=f"override a parameter, e.g. {example.name}=0.6 ({example.meaning}: {example.allowed}); may be repeated "
        "(every value is checked; of a name given twice, the last stands)",
    )


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """Split ``NAME=VALUE`` texts into a mapping; a repeated name takes its last value, every value is checked.

    The values that stand are validated later, with the scenario they
    override. A value that a later ``--set`` of the same name replaces is
    checked here against the parameter's allowed values, so a slip is
    reported rather than silently dropped (``--set momentum=9 --set
    momentum=0.01`` is an error naming ``momentum=9``).

    An empty value (``third_parties=``) is passed on: whether it is allowed is
    the parameter's to say (an empty subset of third parties is; an empty
    number is not, and its validation says what is expected).

    Args:
        items: The texts, as given after ``--set``.

    Returns:
        Parameter names and their values, still as text.

    Raises:
        UsageError: If an item is not ``NAME=VALUE`` (no ``=``, or no name), or
            a replaced value is not allowed.
    """
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--set {item!r}: expected NAME=VALUE, e.g. initial_advantage=0.6")
        if name in out and name in PARAMETERS:
            _check_replaced(name, out[name])
        out[name] = value.strip()
    return out


def _check_replaced(name: str, value: str) -> None:
    """Validate a ``--set`` value that a later one of the same name replaces."""
    try:
        PARAMETERS[name].parse(value)
    except InputError as exc:
        raise UsageError(f"--set {name}={value!r} (replaced by a later --set {name}) is not allowed: {exc}") from None


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
