"""Reading the project's TOML input (scenarios, experiments) within stated limits.

Every failure is one :class:`~model.errors.InputError` (of the caller's
kind) naming the file and what is wrong: a file that cannot be read, is too
large, is not UTF-8, is not TOML, nests too deeply, or holds an integer too
long to convert. Nothing here is specific to one kind of file.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

from model.errors import InputError

MAX_BYTES = 1 << 20
"""Largest input file read (1 MiB): the bundled files are a few kB."""

MAX_DEPTH = 8
"""Deepest nesting of tables and arrays accepted (the bundled files nest three deep)."""

MAX_EXTENDS = 32
"""Longest chain of ``extends`` followed before a file is refused."""


def read_toml(path: Path, where: str, kind: str, error: type[InputError]) -> dict[str, Any]:
    """Read and parse a TOML file, refusing what no valid input file can be.

    Args:
        path: The file.
        where: How messages name the file.
        kind: What the file is, for messages (``"scenario"``, ``"experiment"``).
        error: The input error to raise.

    Returns:
        The parsed document.

    Raises:
        InputError: (as ``error``) Naming the file and what is wrong.
    """
    return read_toml_text(path, where, kind, error)[1]


def read_toml_text(path: Path, where: str, kind: str, error: type[InputError]) -> tuple[str, dict[str, Any]]:
    """Read a TOML file as :func:`read_toml` does, and also return its text (a manifest keeps an experiment's).

    Args:
        path: The file.
        where: How messages name the file.
        kind: What the file is, for messages (``"scenario"``, ``"experiment"``).
        error: The input error to raise.

    Returns:
        The file's text and the parsed document.

    Raises:
        InputError: (as ``error``) Naming the file and what is wrong.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise error(f"{where}: cannot read the {kind} file: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise error(f"{where}: larger than {MAX_BYTES // 1024} KiB; a {kind} file is a few kB of TOML")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{where}: not UTF-8 text (byte {exc.start} cannot be decoded); a {kind} file must be UTF-8 encoded TOML") from None
    return text, parse_toml(text, where, error)


def parse_toml(text: str, where: str, error: type[InputError]) -> dict[str, Any]:
    """Parse TOML text within the limits of :func:`read_toml` (size, nesting, integer length).

    Args:
        text: The text (e.g. an experiment's, as a results manifest keeps it).
        where: How messages name its origin.
        error: The input error to raise.

    Returns:
        The parsed document.

    Raises:
        InputError: (as ``error``) Naming ``where`` and what is wrong.
    """
    if len(text) > MAX_BYTES:
        raise error(f"{where}: longer than {MAX_BYTES // 1024} KiB of TOML")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{where}: not valid TOML: {exc}") from None
    except RecursionError:
        raise error(f"{where}: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:  # an integer literal past Python's conversion limit
        raise error(f"{where}: holds an integer of more than {sys.get_int_max_str_digits()} digits") from None
    if _depth(data) > MAX_DEPTH:
        raise error(f"{where}: nested more than {MAX_DEPTH} levels deep")
    return data


def _depth(value: object, level: int = 0) -> int:
    """Nesting depth of tables and arrays, stopping as soon as it passes the limit."""
    if level > MAX_DEPTH or not isinstance(value, dict | list):
        return level
    children = value.values() if isinstance(value, dict) else value
    return max((_depth(child, level + 1) for child in children), default=level + 1)
