"""A seeded, time-bounded fuzz of every input path: no traceback, no hang (issue 16).

A seeded random mutator (``random.Random`` with fixed seeds, so every run
tries the same cases) mutates the bundled scenario files, experiment files,
a results folder's manifest and parts, and command lines, and feeds them to
the loaders and to ``model.cli.main`` in this process. Each case must end
in one of the errors input can cause (an :class:`~model.errors.InputError`,
exit 2; an ``OSError``, exit 1) or succeed, within :data:`CASE_SECONDS`; the
whole file takes well under a minute.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import signal
import textwrap
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest

from experiments import load_experiment, run_experiment, store
from model import load_scenario
from model.cli import main
from model.errors import InputError

CASE_SECONDS = 10.0
"""Longest a single case may take before it counts as a hang."""

EXIT_CODES = {0, 1, 2}


class CaseTimeout(BaseException):
    """A case ran past :data:`CASE_SECONDS` (a BaseException: no ``except Exception`` in the code under test swallows it)."""


@contextlib.contextmanager
def time_bound(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in this thread if the block runs longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)  # pytest-timeout's own alarm, if any, is put back after
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


# ----------------------------------------------------------------------
# The mutator
# ----------------------------------------------------------------------
ODD_VALUES = [
    "0", "-1", "1", "2", "0.5", "1e308", "-1e308", "nan", "inf", "-inf", "9" * 5000, "9223372036854775808",
    "10000000", "1000000", "1000000000", "true", "false", '""', '"x"', '"\\u001b[31mred"', "[]", "[1, [2, [3]]]", "{}",
    "{ a = 1 }", '"' + "a" * 3000 + '"', "1979-05-27", "0x10", "+1", "-0.0", '"../../etc/passwd"',
]
ODD_LINES = [
    "[quick]\nfixed = 7", "[quick]\nreplicates = 10000000", "[quick]\nparameters = 3", "fixed = 7", "design = 7",
    "parameters = []", "extends = \"no_such\"", "extends = \"../x.toml\"", "extends = 3", "[parameters.momentum]",
    "[parameters.momentum]\nvalues = []", "[parameters.momentum]\nlow = 1\nhigh = 0\nlevels = 2",
    "[parameters.protocol]\nlow = 0\nhigh = 1\nlevels = 3", "[design]\nmethod = \"sobol\"\nsamples = 3",
    "[design]\nmethod = \"morris\"\nsamples = 2\nlevels = 1", "[report]\nheatmap = [\"x\", \"y\"]", "outcomes = []",
    "x = " + "{ a = " * 300 + "1" + " }" * 300, "x = " + "[" * 300 + "]" * 300, "[battlefield]\nvolatility = 0.5",
    "[issues.crimea]\nsalience_ukraine = -1", "[third_parties.uk]\nstance = 9", "name = \"a b/c\"", "[[parameters]]",
    "master_seed = -1", "replicates = 0", "scenario = \"stalemate\"", "[fixed]\nmax_rounds = 5000", "\x00", "\ufeff",
]


def mutate_text(text: str, rng: random.Random) -> bytes:
    """One to three random edits of a TOML file: lines dropped, repeated, swapped, values and lines replaced, bytes flipped."""
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        if not lines:
            lines = [""]
        op = rng.randrange(8)
        i = rng.randrange(len(lines))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op in (3, 4) and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {rng.choice(ODD_VALUES)}"
        elif op == 5:
            lines.insert(i, rng.choice(ODD_LINES))
        elif op == 6:
            lines = lines[: rng.randint(0, len(lines))]
        else:
            lines.append(rng.choice(ODD_LINES))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if rng.random() < 0.15 and data:
        k = rng.randrange(len(data))
        data = data[:k] + bytes([rng.randrange(256)]) + data[k + 1 :]
    return data


def expect_input_error(call: Callable[[], object]) -> str:
    """Run a loader: it may succeed or raise an InputError (one line), never anything else, and not hang."""
    try:
        with time_bound():
            call()
    except InputError as exc:
        message = str(exc)
        assert message, "an input error with no message"
        return "refused"
    return "accepted"


def expect_exit_code(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    """Run the command line in this process: an exit code of 0, 1 or 2, at most one line on stderr for 1 and 2."""
    with time_bound():
        code = main(argv)
    err = capsys.readouterr().err
    assert code in EXIT_CODES, (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code in (1, 2) and not any(a in ("-h", "--help") for a in argv):
        assert len(err.strip().splitlines()) <= 1, (argv, err)
    return code


def bundled_texts(package: str) -> dict[str, str]:
    folder = resources.files(package)
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".toml")}


# ----------------------------------------------------------------------
# Scenario and experiment files
# ----------------------------------------------------------------------
SCENARIO_CASES = 800
EXPERIMENT_CASES = 300


@pytest.mark.timeout(120)
def test_fuzz_scenario_files(tmp_path: Path) -> None:
    rng = random.Random(1601)
    bases = sorted(bundled_texts("model.scenarios").items())
    tally: dict[str, int] = {}
    started = time.perf_counter()
    for case in range(SCENARIO_CASES):
        name, text = rng.choice(bases)
        path = tmp_path / f"s{case}_{name}"
        path.write_bytes(mutate_text(text, rng))
        verdict = expect_input_error(lambda p=path: load_scenario(p))  # type: ignore[misc]
        tally[verdict] = tally.get(verdict, 0) + 1
    print(f"scenario mutants: {SCENARIO_CASES} in {time.perf_counter() - started:.1f} s, {tally}")
    assert tally.get("refused", 0) > SCENARIO_CASES // 4  # the mutator does break files


TINY = """
name = "tiny"
scenario = "italian_plan_2022"
master_seed = 7
replicates = 2
[fixed]
max_rounds = 8
[parameters.initial_advantage]
values = [0.5, 0.62]
[parameters.momentum]
low = -0.01
high = 0.01
levels = 2
[report]
heatmap = ["initial_advantage", "momentum"]
[quick]
replicates = 1
[quick.parameters.momentum]
levels = 2
"""


@pytest.mark.timeout(120)
def test_fuzz_experiment_files(tmp_path: Path) -> None:
    rng = random.Random(1602)
    bases = sorted({**bundled_texts("experiments"), "tiny.toml": textwrap.dedent(TINY)}.items())
    tally: dict[str, int] = {}
    started = time.perf_counter()
    for case in range(EXPERIMENT_CASES):
        name, text = rng.choice(bases)
        path = tmp_path / f"e{case}_{name}"
        path.write_bytes(mutate_text(text, rng))
        verdict = expect_input_error(lambda p=path: load_experiment(p, quick=rng.random() < 0.5))  # type: ignore[misc]
        tally[verdict] = tally.get(verdict, 0) + 1
    print(f"experiment mutants: {EXPERIMENT_CASES} in {time.perf_counter() - started:.1f} s, {tally}")
    assert tally.get("refused", 0) > EXPERIMENT_CASES // 4


# ----------------------------------------------------------------------
# Results folders: the manifest and the parts
# ----------------------------------------------------------------------
FOLDER_CASES = 150


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("fuzz_results")
    exp = base / "tiny.toml"
    exp.write_text(textwrap.dedent(TINY), encoding="utf-8")
    run_experiment(exp, out_dir=base / "out", backend="serial", progress=False, report=False, chunk_size=2)
    return exp, base / "out"


def mutate_manifest(path: Path, rng: random.Random) -> None:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    op = rng.randrange(5)
    if op == 0:
        del manifest[rng.choice(sorted(manifest))]
    elif op == 1:
        key = rng.choice(sorted(manifest))
        manifest[key] = rng.choice([None, 0, -1, 1.5, True, "x", [], {}, [1], "9" * 100, 10**30])
    elif op == 2:
        manifest["experiment_text"] = mutate_text(manifest["experiment_text"], rng).decode("utf-8", "replace")
    elif op == 3:
        manifest = rng.choice([[], 3, "x", None, [manifest]])
    text = json.dumps(manifest).encode("utf-8")
    if op == 4:
        k = rng.randrange(len(text))
        long_number = text[:1] + b'"runs": ' + b"9" * 5000 + b", " + text[1:]
        text = rng.choice([text[:k], text[:k] + b"\xff" + text[k + 1 :], text[:k] + b"{" + text[k:], long_number])
    path.write_bytes(text)


def mutate_parts(out: Path, rng: random.Random) -> None:
    parts = store.part_files(out)
    part = rng.choice(parts)
    op = rng.randrange(5)
    data = part.read_bytes()
    if op == 0:
        part.write_bytes(b"")
    elif op == 1:
        part.write_bytes(data[: rng.randrange(len(data))])
    elif op == 2:
        k = rng.randrange(len(data))
        part.write_bytes(data[:k] + bytes([data[k] ^ 0xFF]) + data[k + 1 :])
    elif op == 3:
        shutil.copy(part, out / "runs" / f"part-{rng.randrange(10**8):08d}-x.parquet")
    else:
        part.unlink()


@pytest.mark.timeout(120)
def test_fuzz_results_folders(
    tmp_path: Path, results: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import experiments.figures

    monkeypatch.setattr(experiments.figures, "draw_all", lambda *args, **kwargs: [])  # the figures are not what is fuzzed
    exp, clean = results
    rng = random.Random(1603)
    codes: dict[int, int] = {}
    started = time.perf_counter()
    for case in range(FOLDER_CASES):
        out = tmp_path / f"r{case}"
        shutil.copytree(clean, out)
        if rng.random() < 0.5:
            mutate_manifest(out / "manifest.json", rng)
        else:
            mutate_parts(out, rng)
        resume = ["sweep", str(exp), "--out", str(out), "--backend", "serial", "--no-progress"]
        argv = ["report", str(out)] if rng.random() < 0.6 else resume
        code = expect_exit_code(argv, capsys)
        codes[code] = codes.get(code, 0) + 1
    print(f"results-folder mutants: {FOLDER_CASES} in {time.perf_counter() - started:.1f} s, exit codes {codes}")
    assert codes.get(2, 0) > 0


# ----------------------------------------------------------------------
# Command lines
# ----------------------------------------------------------------------
COMMAND_CASES = 400


def command_pool(tmp_path: Path, exp: Path, clean: Path) -> dict[str, list[str]]:
    """What each position of a command line may hold (paths stay inside ``tmp_path``)."""
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x", encoding="utf-8")
    return {
        "command": ["sweep", "report", "run", "params", "scenarios", "viz", "nope", ""],
        "experiment": [str(exp), str(a_file), str(tmp_path / "missing.toml"), "no_such_experiment", "", str(tmp_path)],
        "scenario": ["stalemate", "italian_plan_2022", str(a_file), str(tmp_path / "no.toml"), "", "../x", "\x1b[2J"],
        "out": [str(tmp_path / "out"), str(a_file), str(a_file / "below"), "", "  ", str(clean)],
        "number": ["0", "1", "2", "-1", "65", "1e3", "abc", "\u0663", "", "9" * 400, "3.5"],
        "assignment": ["max_rounds=5", "max_rounds=", "=", "a=b", "volatility=0.5", "protocol=none", "initial_front=1", "x" * 3000],
        "flag": ["--quick", "--fresh", "--resume", "--no-progress", "--json", "--fail-fast", "--allow-large", "-h", "--bogus"],
        "backend": ["serial", "processes", "bogus", ""],
    }


def random_command(pool: dict[str, list[str]], rng: random.Random) -> list[str]:
    command = rng.choice(pool["command"])
    argv = [command]
    if command == "sweep":
        argv += [rng.choice(pool["experiment"]), "--out", rng.choice(pool["out"]), "--no-progress"]
        argv += ["--backend", rng.choice(pool["backend"])] if rng.random() < 0.3 else ["--backend", "serial"]
        options = [["--workers", rng.choice(pool["number"])], ["--scenario", rng.choice(pool["scenario"])], [rng.choice(pool["flag"])]]
    elif command == "report":
        argv += [rng.choice(pool["out"])]
        options = [[rng.choice(pool["flag"])]]
    elif command in ("run", "viz"):
        argv += [rng.choice(pool["scenario"])] if command == "run" else ["--scenario", rng.choice(pool["scenario"])]
        options = [["--seed", rng.choice(pool["number"])], ["--set", rng.choice(pool["assignment"])], [rng.choice(pool["flag"])]]
        if command == "run":
            options.append(["--rounds", rng.choice(pool["number"][:4])])
    elif command == "params":
        options = [["--scenario", rng.choice(pool["scenario"])], [rng.choice(pool["flag"])]]
    else:
        options = [[rng.choice(pool["flag"])]]
    for option in rng.sample(options, rng.randint(0, len(options))):
        argv += option
    if rng.random() < 0.2:  # a token dropped or repeated
        i = rng.randrange(len(argv))
        argv = argv[:i] + argv[i + 1 :] if rng.random() < 0.5 else argv[:i] + [argv[i]] + argv[i:]
    return argv


@pytest.mark.timeout(120)
def test_fuzz_command_lines(
    tmp_path: Path, results: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import experiments.figures
    from model.viz import command

    monkeypatch.setattr(command, "serve", lambda *args, **kwargs: 0)  # a valid viz command would start a server
    monkeypatch.setattr(experiments.figures, "draw_all", lambda *args, **kwargs: [])
    exp, clean = results
    shutil.copytree(clean, tmp_path / "clean")
    pool = command_pool(tmp_path, exp, tmp_path / "clean")
    rng = random.Random(1604)
    codes: dict[int, int] = {}
    started = time.perf_counter()
    for _ in range(COMMAND_CASES):
        argv = random_command(pool, rng)
        code = expect_exit_code(argv, capsys)
        codes[code] = codes.get(code, 0) + 1
    print(f"command lines: {COMMAND_CASES} in {time.perf_counter() - started:.1f} s, exit codes {codes}")
    assert codes.get(0, 0) > 0 and codes.get(2, 0) > 0


def test_the_time_bound_catches_a_hang() -> None:
    started = time.monotonic()
    with pytest.raises(CaseTimeout), time_bound(0.2):
        time.sleep(5)
    assert time.monotonic() - started < 2
