"""The ``war-termination`` command line: ``run``, ``scenarios``, ``params`` and the sub-commands of other modules.

Every sub-command is an argparse sub-parser whose ``handler(args) -> int``
returns the exit code. Other modules add theirs through the entry-point group
:data:`COMMANDS` (declared in ``pyproject.toml``: ``experiments.cli`` adds
``sweep`` and ``report``, ``model.viz.command`` adds ``viz``): each entry
point names a ``register(subparsers) -> None``. This module names none of them;
an entry point whose module is not installed is skipped, and one whose module
fails to import raises.

Bad input (an unknown scenario, a malformed or out-of-range override, an
output file of the wrong kind or in a place that cannot be written) prints
one line on stderr and exits with status 2, without a traceback; the line
escapes control characters and cuts each echoed value at 200 characters
(:func:`model.commandline.one_line`). Text read from a scenario file (its
name, its description) is printed escaped the same way. A reader of stdout
that goes away (``war-termination scenarios | head -1``) ends the command
quietly with status 0. The help
texts are built from :func:`model.describe_parameters`, the one table of parameters.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from model.commandline import (
    PROG,
    USAGE_ERROR,
    Parser,
    UsageError,
    add_set_option,
    non_negative_int,
    one_line,
    parse_assignments,
    printable,
    value_text,
)
from model.errors import InputError
from model.files import atomic_write
from model.issues import STEP_ISSUES, Step
from model.model import WarTerminationModel
from model.outcome import Outcome, OutcomeKind
from model.parameters import PARAMETERS, Parameter, describe_parameters
from model.scenario import Scenario, list_scenarios, load_scenario

TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".parquet")
"""File kinds ``run --out`` writes."""

COMMANDS = "war_termination.commands"
"""The entry-point group of the sub-commands other modules add; each names a ``register(subparsers)``."""

_SHOWN_DIGITS = 6
"""Significant digits of a float in ``run``'s header and the ``params`` table."""


def _table_path(text: str) -> Path:
    """An argparse type: a path ending in one of :data:`TABLE_SUFFIXES`."""
    path = Path(text)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"expected a file ending in {' or '.join(TABLE_SUFFIXES)}, got {text!r}")
    return path


def _groups() -> list[str]:
    """The top-level parameter groups, in table order."""
    return list(dict.fromkeys(p.group.split(".")[0] for p in describe_parameters()))


def build_parser() -> argparse.ArgumentParser:
    """The full parser: the core sub-commands and those registered under :data:`COMMANDS`.

    Returns:
        The parser; each sub-parser sets ``handler``.

    Raises:
        ImportError: If a registered module fails to import for any reason but its own absence.
    """
    parser = Parser(
        prog=PROG,
        description="An agent-based, game-theoretic model of how wars end: Russia and Ukraine bargain under fire "
        "over the Italian four-step peace plan of May 2022.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)
    _add_run(subparsers)
    _add_scenarios(subparsers)
    _add_params(subparsers)
    for entry in command_entry_points():
        try:
            register = entry.load()
        except ImportError as exc:
            if not _is_absent(exc, entry.module):
                raise  # a broken import inside the module is a bug to see, not a command to skip
            continue
        register(subparsers)
    return parser


def command_entry_points() -> list[EntryPoint]:
    """The installed entry points of :data:`COMMANDS`, by name (the order of their sub-commands in the help)."""
    return sorted(entry_points(group=COMMANDS), key=lambda entry: entry.name)


def _is_absent(exc: ImportError, module: str) -> bool:
    """True if ``exc`` says that ``module`` itself (or a package holding it) is not there."""
    return exc.name is not None and (module == exc.name or module.startswith(exc.name + "."))


def _add_command(subparsers: Any, name: str, handler: Callable[[argparse.Namespace], int], **texts: str) -> argparse.ArgumentParser:
    """Add the sub-command ``name`` (``texts``: its ``help``, ``description`` and ``epilog``) run by ``handler``."""
    cmd: argparse.ArgumentParser = subparsers.add_parser(name, **texts)
    cmd.set_defaults(handler=handler)
    return cmd


def _add_run(subparsers: Any) -> None:
    params = describe_parameters()
    max_rounds = PARAMETERS["max_rounds"]
    cmd = _add_command(
        subparsers,
        "run",
        run_command,
        help="run one scenario and print how the war ended",
        description="Run one scenario to its end and print the outcome: how it ended, who won, when, the step of "
        "the plan reached, the terms per issue, the costs, breakdowns and the first ceasefire.",
        epilog=f"{len(params)} parameters can be set, in the groups {', '.join(_groups())}; "
        f"'{PROG} params' lists them with their defaults and allowed values.",
    )
    cmd.add_argument("scenario", metavar="SCENARIO", help=f"a bundled scenario ({', '.join(list_scenarios())}) or a path to a .toml file")
    cmd.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default 0); the same seed gives the same run")
    add_set_option(cmd)
    cmd.add_argument(
        "--rounds",
        type=non_negative_int,
        default=None,
        help=f"override max_rounds: {max_rounds.meaning.lower()}, {max_rounds.allowed}",
    )
    cmd.add_argument("--json", action="store_true", help="print the outcome record as JSON instead of text")
    cmd.add_argument(
        "--out",
        type=_table_path,
        metavar="FILE",
        default=None,
        help=f"write the per-round table to FILE ({' or '.join(TABLE_SUFFIXES)})",
    )


def _add_scenarios(subparsers: Any) -> None:
    _add_command(
        subparsers,
        "scenarios",
        scenarios_command,
        help="list the bundled scenarios",
        description="List the bundled scenarios, one a line: the name and the first sentence of its description.",
    )


def _add_params(subparsers: Any) -> None:
    cmd = _add_command(
        subparsers,
        "params",
        params_command,
        help="list the parameters (name, default, allowed values, meaning)",
        description="List every parameter a scenario or --set may give: its name, default, allowed values and meaning.",
    )
    cmd.add_argument("--group", default=None, help=f"only this group ({', '.join(_groups())}, or e.g. issues.crimea)")
    cmd.add_argument("--scenario", default=None, help="add a column with this scenario's values")


def run_command(args: argparse.Namespace) -> int:
    """Run one scenario and report its outcome (the ``run`` sub-command).

    Args:
        args: Parsed arguments: ``scenario``, ``seed``, ``overrides``, ``rounds``, ``json``, ``out``.

    Returns:
        The exit code.

    Raises:
        UsageError: If ``--out`` cannot be written (checked before the run).
        ScenarioError: If the scenario or an override is not valid.
    """
    scenario = load_scenario(args.scenario)
    texts = parse_assignments(args.overrides)
    checked = scenario.with_overrides(texts, origin="--set")
    if args.rounds is not None:
        texts["max_rounds"] = str(args.rounds)
        checked = checked.with_overrides({"max_rounds": args.rounds}, origin="--rounds")
    overrides = {name: checked.values[name] for name in texts}
    out: Path | None = args.out
    if out is not None:
        check_writable(out)

    model = WarTerminationModel(scenario=checked, rng=args.seed)
    outcome = model.run()
    if out is not None:
        write_table(model.datacollector.get_model_vars_dataframe(), out)
    if args.json:
        record = {"scenario": checked.name, "seed": args.seed, "overrides": overrides, **outcome.to_dict()}
        print(json.dumps(record, indent=2))
    else:
        print(describe_outcome(outcome, checked, args.seed, overrides))
        if out is not None:
            print(f"Per-round table: {out}")
    return 0


def check_writable(path: Path) -> None:
    """Check, before a run, that ``--out`` can be written: its folder exists and takes a new file.

    Args:
        path: The destination as the user gave it.

    Raises:
        UsageError: Naming ``path`` and what is wrong (no such folder, not a folder, a folder
            where the file would go, or a folder that refuses a new file).
    """
    parent = path.parent
    if not parent.exists():
        raise UsageError(f"--out {path}: no such folder {str(parent)!r}")
    if not parent.is_dir():
        raise UsageError(f"--out {path}: {str(parent)!r} is not a folder")
    if path.is_dir():
        raise UsageError(f"--out {path}: is a folder; expected a file ending in {' or '.join(TABLE_SUFFIXES)}")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UsageError(f"--out {path}: cannot write a file in {str(parent)!r} ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)


def write_table(frame: Any, path: Path) -> None:
    """Write a data frame to ``.csv`` or ``.parquet`` atomically (:func:`model.files.atomic_write`).

    Nothing is left behind on failure: ``path`` keeps its old content, if any.

    Args:
        frame: A pandas DataFrame.
        path: The destination; its suffix chooses the format.

    Raises:
        UsageError: If the suffix is neither ``.csv`` nor ``.parquet``.
        OSError: If writing fails, naming ``path`` (not the temporary file).
    """
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise UsageError(f"--out {path}: expected a file ending in {' or '.join(TABLE_SUFFIXES)}")
    write = frame.to_csv if suffix == ".csv" else frame.to_parquet
    try:
        atomic_write(path, lambda tmp: write(tmp, index=False))
    except OSError as exc:
        raise OSError(f"--out {path}: cannot write the table ({exc.strerror or exc})") from None


_ENDINGS = {
    OutcomeKind.SETTLEMENT: "settlement: all four steps of the plan agreed",
    OutcomeKind.CEASEFIRE: "frozen conflict: a ceasefire holds at the round limit, later steps unfinished",
    OutcomeKind.VICTORY: "military victory",
    OutcomeKind.WAR: "war: still fighting at the round limit",
}


def describe_outcome(outcome: Outcome, scenario: Scenario, seed: int, overrides: dict[str, Any]) -> str:
    """A readable account of one run's outcome.

    Args:
        outcome: The run's outcome.
        scenario: The scenario it ran (overrides applied).
        seed: The seed it ran with.
        overrides: The overrides given, for the header.

    Returns:
        Several lines of text.
    """
    v = scenario.values
    header = f"{printable(scenario.name)}, seed {seed}, protocol {v['protocol']}, at most {v['max_rounds']} rounds (weeks)"
    lines = [header]
    if overrides:
        lines.append("overrides: " + ", ".join(f"{k}={value_text(x, _SHOWN_DIGITS)}" for k, x in overrides.items()))
    lines.append("")
    step_name = Step(outcome.step_reached).name.lower().replace("_", " ") if outcome.step_reached else "none"
    first = outcome.first_ceasefire_round
    costs = ", ".join(f"{side} {cost:.3f}" for side, cost in outcome.costs.items())
    facts = [
        ("Ended", f"{_ENDINGS[outcome.kind]}, after {outcome.rounds} rounds"),
        ("Winner", outcome.winner.value if outcome.winner else "none"),
        ("Step reached", f"{outcome.step_reached} of 4 ({step_name})"),
        ("First ceasefire", f"round {first}" if first is not None else "never"),
        ("Breakdowns", f"{outcome.breakdowns} (violations detected: {outcome.violations_detected})"),
        ("Front", f"Russia holds {outcome.final_front:.0%} of the contested territory ({float(v['initial_front']):.0%} at the start)"),
        ("Balance", f"Russia wins an engagement with probability {outcome.final_balance:.2f}"),
        ("Costs", f"{costs} (cumulative, in utility units)"),
    ]
    lines.extend(f"{label + ':':<17}{text}" for label, text in facts)
    lines.append("Terms (0 = Russia's maximal demand, 1 = Ukraine's):")
    for step in Step:
        lines.append(f"  step {int(step)} {step.name.lower().replace('_', ' ')}")
        for issue in STEP_ISSUES[step]:
            lines.append(f"    {issue:<22}{_term_text(outcome.terms.get(issue), outcome.forms.get(issue))}")
    return "\n".join(lines)


_FORM_TEXT = {
    "deferred": "deferred to later talks (no force meanwhile)",
    "autonomy": "part of Ukraine, autonomous",
}


def _term_text(value: float | None, form: str | None) -> str:
    """An issue's term as the summary prints it, with how a territorial issue was settled."""
    if form == "deferred":
        return _FORM_TEXT[form]
    text = "unresolved" if value is None else f"{value:.2f}"
    return f"{text} ({_FORM_TEXT[form]})" if form in _FORM_TEXT else text


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, on one line."""
    flat = " ".join(text.split())
    return _SENTENCE_END.split(flat, maxsplit=1)[0] if flat else ""


def scenarios_command(args: argparse.Namespace) -> int:
    """List the bundled scenarios (the ``scenarios`` sub-command).

    Args:
        args: Parsed arguments (none used).

    Returns:
        The exit code.
    """
    names = [printable(name) for name in list_scenarios()]
    width = max(len(n) for n in names)
    for name, file_name in zip(names, list_scenarios()):
        print(f"{name:<{width}}  {printable(first_sentence(load_scenario(file_name).description), limit=None)}")
    return 0


def select_parameters(group: str | None) -> tuple[Parameter, ...]:
    """The parameters of one group (``issues`` also matches ``issues.crimea`` ...), or all.

    Args:
        group: A group name, a top-level group, or ``None`` for all.

    Returns:
        The parameters, in table order.

    Raises:
        UsageError: If no parameter is in that group.
    """
    params = describe_parameters()
    if group is None:
        return params
    chosen = tuple(p for p in params if p.group == group or p.group.startswith(group + "."))
    if not chosen:
        raise UsageError(f"params --group {group!r}: unknown group; expected one of {', '.join(_groups())} (or e.g. issues.crimea)")
    return chosen


def parameter_rows(params: Sequence[Parameter], scenario: Scenario | None = None) -> list[list[str]]:
    """Rows of the parameter table: name, group, default, (scenario value,) allowed, meaning.

    Args:
        params: The parameters to list.
        scenario: If given, a column with its values.

    Returns:
        A header row and one row per parameter.
    """
    header = ["name", "group", "default", "allowed", "meaning"]
    if scenario is not None:
        header.insert(3, printable(scenario.name))
    rows = [header]
    for p in params:
        row = [p.name, p.group, value_text(p.default, _SHOWN_DIGITS), p.allowed, p.meaning]
        if scenario is not None:
            row.insert(3, value_text(scenario.values[p.name], _SHOWN_DIGITS))
        rows.append(row)
    return rows


def params_command(args: argparse.Namespace) -> int:
    """Print the parameter table (the ``params`` sub-command).

    Args:
        args: Parsed arguments: ``group``, ``scenario``.

    Returns:
        The exit code.
    """
    params = select_parameters(args.group)
    scenario = load_scenario(args.scenario) if args.scenario else None
    rows = parameter_rows(params, scenario)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the sub-command and return its exit code.

    Args:
        argv: The arguments (without the program name); ``None`` reads ``sys.argv``.

    Returns:
        The exit code: 0 on success (and when the reader of stdout went away, as
        ``| head`` does), 2 on bad input (an :class:`~model.errors.InputError`),
        1 when a file cannot be written, 130 on Ctrl-C.
    """
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        code = int(args.handler(args))
        sys.stdout.flush()  # here, so that a reader gone away is seen here and not at the interpreter's exit
        return code
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else USAGE_ERROR)
    except InputError as exc:
        # bad input of any sub-command: one line, no traceback; any other exception
        # (a bare ValueError included) is a bug and keeps its traceback
        print(f"{PROG}: error: {one_line(exc)}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        # the reader went away (e.g. `| head -1` has its line): what it wanted was written, so stop quietly
        _silence_stdout()
        return 0
    except OSError as exc:
        print(f"{PROG}: error: {one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

