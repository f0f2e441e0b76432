"""The command line: its sub-commands, its output files and its one-line errors."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import types
from importlib.metadata import EntryPoint
from pathlib import Path

import pandas as pd
import pytest
from conftest import UNCALIBRATED

from model import WarTerminationModel, cli, describe_parameters, list_scenarios
from model.cli import main
from model.parameters import PARAMETERS


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------
# scenarios and params
# ---------------------------------------------------------------------------
def test_scenarios_lists_every_bundled_scenario_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "scenarios")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list_scenarios()
    for name in ("italian_plan_2022", "severodonetsk", "stalemate", "counteroffensive"):
        assert name in list_scenarios()
    # the first sentence only: no line carries a second sentence of its description
    italian = next(line for line in lines if line.startswith("italian_plan_2022"))
    assert italian.rstrip().endswith(".") and "One round is one week" not in italian


def test_first_sentence() -> None:
    assert cli.first_sentence("One thing. Another thing.") == "One thing."
    assert cli.first_sentence("A $40bn bill\n  spread over lines. Next.") == "A $40bn bill spread over lines."
    assert cli.first_sentence("") == ""


def test_params_lists_every_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "params")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert names == [p.name for p in describe_parameters()]
    assert "a number in [0.01, 0.99]" in out


def test_params_group_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "params", "--group", "costs")
    assert code == 0
    names = {line.split()[0] for line in out.splitlines()[1:]}
    assert names == {p.name for p in describe_parameters() if p.group == "costs"}
    code, out, _ = run_cli(capsys, "params", "--group", "issues")
    assert {line.split()[1] for line in out.splitlines()[1:]} == {p.group for p in describe_parameters() if p.group.startswith("issues.")}


def test_params_scenario_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "params", "--group", "battlefield", "--scenario", "severodonetsk")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[3] == "severodonetsk"
    row = next(r for r in rows if r.startswith("initial_advantage "))
    assert row.split()[2:4] == ["0.5", "0.62"]


# ---------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------
def test_run_prints_a_readable_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "run", "italian_plan_2022", "--seed", "3")
    assert code == 0 and err == ""
    outcome = WarTerminationModel("italian_plan_2022", rng=3).run()
    for label in ("Ended:", "Winner:", "Step reached:", "First ceasefire:", "Breakdowns:", "Front:", "Costs:"):
        assert label in out
    assert f"after {outcome.rounds} rounds" in out
    assert f"Step reached:    {outcome.step_reached} of 4" in out
    for issue in outcome.terms:
        assert issue in out


def test_run_says_how_the_territory_was_settled(capsys: pytest.CaptureFixture[str]) -> None:
    # before calibration, seed 0's package deal defers Crimea and leaves Donbas part of Ukraine, autonomous
    sets = [f"{name}={value}" for name, value in UNCALIBRATED.items()]
    outcome = WarTerminationModel("italian_plan_2022", rng=0, protocol="package", **UNCALIBRATED).run()
    code, out, _ = run_cli(capsys, "run", "italian_plan_2022", "--seed", "0", "--set", "protocol=package", *sets)
    assert code == 0 and outcome.forms == {"crimea": "deferred", "donbas": "autonomy"}
    for issue, form in outcome.forms.items():
        shown = "deferred to later talks (no force meanwhile)" if form == "deferred" else "0.50 (part of Ukraine, autonomous)"
        assert re.search(rf"^\s*{issue}\s+{re.escape(shown)}", out, re.MULTILINE), (issue, out)


def test_run_json_is_the_outcome_record(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "run", "stalemate", "--seed", "11", "--set", "aid_scale=2", "momentum=-0.01", "--json")
    assert code == 0
    record = json.loads(out)
    expected = WarTerminationModel("stalemate", rng=11, aid_scale=2.0, momentum=-0.01).run().to_dict()
    assert record["scenario"] == "stalemate"
    assert record["seed"] == 11
    assert record["overrides"] == {"aid_scale": 2.0, "momentum": -0.01}
    assert {k: record[k] for k in expected} == pytest.approx(expected, nan_ok=True)


def test_run_repeated_set_and_rounds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "run", "italian_plan_2022", "--set", "protocol=none", "--set", "protocol=package", "--rounds", "7", "--json"
    )
    assert code == 0
    record = json.loads(out)
    assert record["overrides"] == {"protocol": "package", "max_rounds": 7}
    assert record["rounds"] <= 7


def test_run_with_no_third_parties(capsys: pytest.CaptureFixture[str]) -> None:
    # an empty subset is an allowed value of third_parties (describe_parameters: "a comma-separated subset")
    assert PARAMETERS["third_parties"].parse("") == ""
    code, out, err = run_cli(capsys, "run", "stalemate", "--seed", "2", "--rounds", "5", "--set", "third_parties=", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["overrides"] == {"third_parties": "", "max_rounds": 5}
    expected = WarTerminationModel("stalemate", rng=2, max_rounds=5, third_parties="").run().to_dict()
    assert {k: record[k] for k in expected} == pytest.approx(expected, nan_ok=True)


def test_run_same_seed_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    first = run_cli(capsys, "run", "counteroffensive", "--seed", "5", "--json")
    second = run_cli(capsys, "run", "counteroffensive", "--seed", "5", "--json")
    assert first == second


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_run_writes_the_per_round_table(capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"rounds{suffix}"
    code, out, _ = run_cli(capsys, "run", "severodonetsk", "--seed", "2", "--rounds", "30", "--out", str(path), "--json")
    assert code == 0
    table = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
    model = WarTerminationModel("severodonetsk", rng=2, max_rounds=30)
    model.run()
    expected = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    assert len(table) == json.loads(out)["rounds"] + 1
    assert list(table.columns) == list(expected.columns)
    pd.testing.assert_series_equal(table["front"], expected["front"], check_names=False)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_run_out_replaces_an_existing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "rounds.csv"
    path.write_text("old\n")
    assert run_cli(capsys, "run", "stalemate", "--rounds", "3", "--out", str(path))[0] == 0
    assert path.read_text().startswith("round,")


def _unwritable_outs(tmp_path: Path) -> list[str]:
    (tmp_path / "notes.txt").write_text("a file, not a folder\n")
    (tmp_path / "taken.csv").mkdir()  # a folder where the table would go
    outs = [str(tmp_path / "notes.txt" / "rounds.csv"), str(tmp_path / "taken.csv")]
    if Path("/proc").is_dir():
        outs.append("/proc/rounds.csv")  # a folder that takes no new file, even for root
    return outs


def test_run_out_to_an_unwritable_place_is_one_line_naming_it_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model must not run when --out cannot be written")

    monkeypatch.setattr(cli, "WarTerminationModel", no_run)
    for out_path in _unwritable_outs(tmp_path):
        before = sorted(p.name for p in tmp_path.rglob("*"))
        code, out, err = run_cli(capsys, "run", "stalemate", "--rounds", "3", "--out", out_path)
        assert code == 2, err
        assert out == "" and len(err.strip().splitlines()) == 1, err
        assert err.startswith(f"war-termination: error: --out {out_path}: "), err
        assert ".tmp" not in err and "Traceback" not in err
        assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing half-written


def test_run_out_failing_while_writing_names_the_path_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def full_disk(self: pd.DataFrame, path: object, **kwargs: object) -> None:
        Path(str(path)).write_text("round,fro")  # a partial write, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_disk)
    path = tmp_path / "rounds.csv"
    code, out, err = run_cli(capsys, "run", "stalemate", "--rounds", "3", "--out", str(path))
    # the place was writable: a failure of the write itself is an I/O error (1), not bad input (2)
    assert code == 1
    assert err == f"war-termination: error: --out {path}: cannot write the table (No space left on device)\n"
    assert list(tmp_path.iterdir()) == []


BAD_INPUTS = [
    (["run", "no_such_scenario"], "unknown scenario 'no_such_scenario'"),
    (["run", "missing/file.toml"], "no such scenario file"),
    (["run", "italian_plan_2022", "--set", "initial_advantage"], "expected NAME=VALUE"),
    (["run", "italian_plan_2022", "--set", "=0.5"], "expected NAME=VALUE"),
    (["run", "italian_plan_2022", "--set", "initial_advantage="], "initial_advantage: expected a number in [0.01, 0.99], got ''"),
    (["run", "italian_plan_2022", "--set", "no_such_parameter=1"], "unknown parameter 'no_such_parameter'"),
    (["run", "italian_plan_2022", "--set", "initial_advantage=1.5"], "initial_advantage: expected a number in [0.01, 0.99]"),
    (["run", "italian_plan_2022", "--set", "initial_advantage=high"], "initial_advantage: expected a number"),
    (["run", "italian_plan_2022", "--set", "protocol=treaty"], "protocol: expected one of: ifg_sequential"),
    (["run", "italian_plan_2022", "--set", "initial_front=0"], "initial_front"),
    (["run", "italian_plan_2022", "--rounds", "0"], "max_rounds: expected an integer in [1, 5000]"),
    (["run", "italian_plan_2022", "--rounds", "many"], "--rounds"),
    (["run", "italian_plan_2022", "--seed", "-4"], "--seed"),
    # ASCII digits only, as the page's seed box (int() would take these)
    (["run", "italian_plan_2022", "--seed", "١٢"], "--seed: expected a non-negative integer, got '١٢'"),
    (["run", "italian_plan_2022", "--seed", "1_0"], "--seed"),
    (["run", "italian_plan_2022", "--seed", "１２"], "--seed"),
    (["run", "italian_plan_2022", "--seed", "9" * 5000], "of at most a few thousand digits"),
    # a repeated --set: the value it replaces is checked too
    (["run", "italian_plan_2022", "--set", "momentum=9", "--set", "momentum=0.01"], "--set momentum='9' (replaced by a later"),
    (["run", "italian_plan_2022", "--set", "protocol=treaty", "protocol=none"], "protocol: expected one of"),
    (["run", "italian_plan_2022", "--out", "rounds.xlsx"], "expected a file ending in .csv or .parquet"),
    (["run", "italian_plan_2022", "--out", "no/such/folder/rounds.csv"], "no such folder"),
    (["params", "--group", "weather"], "unknown group"),
    (["run"], "SCENARIO"),
    (["fly"], "invalid choice"),
    ([], "COMMAND"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_INPUTS, ids=[" ".join(a) or "nothing" for a, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "run", "--help")
    assert code == 0
    assert "--set NAME=VALUE" in out
    # the help reads the parameter table
    assert f"{len(describe_parameters())} parameters" in out.replace("\n", " ")


def test_entry_point_in_a_fresh_process() -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "model", "run", "italian_plan_2022", "--set", "volatility=9"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "volatility" in bad.stderr


# ---------------------------------------------------------------------------
# Sub-commands of other modules (entry points of the group model.cli.COMMANDS)
# ---------------------------------------------------------------------------
def test_the_installed_entry_points_add_the_sweep_report_and_viz_commands(capsys: pytest.CaptureFixture[str]) -> None:
    # pyproject.toml declares them; a fresh `pip install -e .` writes them where importlib.metadata reads them
    assert {entry.name: entry.value for entry in cli.command_entry_points()} == {
        "calibration": "experiments.calibration.command:register",
        "experiments": "experiments.cli:register",
        "viz": "model.viz.command:register",
    }
    for command in ("sweep", "report", "viz", "calibrate"):
        assert main([command, "--help"]) == 0
        assert capsys.readouterr().out.startswith(f"usage: war-termination {command}")
    # the core command line imports no module of another layer, by statement or by name
    tree = ast.parse(Path(cli.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith(("experiments", "model.viz", "model.app"))}
    assert "importlib" not in imported and "import_module" not in ast.unparse(tree)


def _fake_module(name: str, command: str, handler: object) -> types.ModuleType:
    module = types.ModuleType(name)

    def register(subparsers: object) -> None:
        parser = subparsers.add_parser(command)  # type: ignore[attr-defined]
        parser.add_argument("--level", type=int, default=1)
        parser.set_defaults(handler=handler)

    module.register = register  # type: ignore[attr-defined]
    return module


def test_other_modules_register_their_commands(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(args: object) -> int:
        print("level", args.level)  # type: ignore[attr-defined]
        return 3

    monkeypatch.setitem(sys.modules, "model.viz.command", _fake_module("model.viz.command", "viz", handler))
    code, out, _ = run_cli(capsys, "viz", "--level", "4")
    assert (code, out) == (3, "level 4\n")
    # the shared parser class makes their errors one line too
    code, out, err = run_cli(capsys, "viz", "--level", "x")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--level" in err


def test_a_registered_handler_s_input_error_is_bad_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from experiments.design import DesignError
    from experiments.spec import ExperimentError

    for error in (ExperimentError, DesignError):

        def handler(args: object, error: type[Exception] = error) -> int:
            raise error("experiment 'x.toml': [design] kind: expected one of: grid, lhs, sobol")

        monkeypatch.setitem(sys.modules, "experiments.cli", _fake_module("experiments.cli", "sweep", handler))
        code, _, err = run_cli(capsys, "sweep")
        assert code == 2
        assert err == "war-termination: error: experiment 'x.toml': [design] kind: expected one of: grid, lhs, sobol\n"


def test_a_bare_value_error_is_a_bug_not_bad_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # only the project's own input errors become one line and exit 2; an internal
    # ValueError (e.g. from numpy or a broken invariant) must show its traceback
    def handler(args: object) -> int:
        raise ValueError("math domain error")

    monkeypatch.setitem(sys.modules, "experiments.cli", _fake_module("experiments.cli", "sweep", handler))
    with pytest.raises(ValueError, match="math domain error"):
        main(["sweep"])

    from model.model import WarTerminationModel as Model

    def broken_run(self: object) -> None:
        raise ValueError("internal: a share outside [0, 1]")

    monkeypatch.setattr(Model, "run", broken_run)
    with pytest.raises(ValueError, match="internal"):
        main(["run", "stalemate", "--rounds", "2"])
    assert capsys.readouterr().err == ""


def test_every_input_error_derives_from_the_one_base() -> None:
    from experiments.design import DesignError
    from experiments.spec import ExperimentError
    from model.errors import InputError
    from model.parameters import ParameterError
    from model.scenario import ScenarioError

    for error in (ScenarioError, cli.UsageError, ParameterError, ExperimentError, DesignError):
        assert issubclass(error, InputError)
    assert not issubclass(ValueError, InputError)


def test_a_missing_optional_module_is_skipped(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "model.viz.command", None)  # import of it fails as if it were not there
    assert run_cli(capsys, "run", "stalemate", "--rounds", "2")[0] == 0
    code, _, err = run_cli(capsys, "viz")
    assert code == 2 and "invalid choice: 'viz'" in err


def test_a_broken_import_inside_an_optional_module_is_not_hidden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # the module is there, but something it imports is not: a bug to see, not a command to skip
    (tmp_path / "broken_commands.py").write_text("import no_such_dependency_of_a_sub_command\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = EntryPoint(name="broken", value="broken_commands:register", group=cli.COMMANDS)
    monkeypatch.setattr(cli, "command_entry_points", lambda: [entry])
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_of_a_sub_command"):
        cli.build_parser()


def test_run_a_scenario_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "quick_advance.toml"
    path.write_text(
        'name = "quick_advance"\nextends = "severodonetsk"\ndescription = "A faster advance."\n\n'
        '[battlefield]\ninitial_advantage = { value = 0.8, source = "assumption: a test" }\n'
    )
    code, out, _ = run_cli(capsys, "run", str(path), "--seed", "4", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["scenario"] == "quick_advance"
    assert record == json.loads(json.dumps({**record, **WarTerminationModel(path, rng=4).run().to_dict()}))
    path.write_text('name = "broken"\n[battlefield]\ninitial_advantage = 2.0\n')
    code, out, err = run_cli(capsys, "run", str(path))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "[battlefield] initial_advantage" in err and "quick_advance.toml" in err


# ---------------------------------------------------------------------------
# Error lines and printed names: bounded, escaped; a closed pipe
# ---------------------------------------------------------------------------
def test_an_error_line_cuts_a_long_echoed_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "run", "stalemate", "--set", "initial_advantage=" + "x" * 1_000_000)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and len(err) < 400, len(err)
    assert err.startswith("war-termination: error: --set: initial_advantage: expected a number in [0.01, 0.99], got 'xxx")
    assert err.rstrip().endswith("x…'")


def test_an_error_line_escapes_terminal_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "run", "stalemate", "--set", "initial_advantage=\x1b[2J\x1b]0;owned\x07\u202e")
    assert code == 2 and len(err.splitlines()) == 1
    assert not any(ch in err for ch in "\x1b\x07\u202e")
    assert "\\x1b[2J" in err and "\\u202e" in err


def test_one_line_cuts_every_long_value_and_the_line() -> None:
    from model.commandline import ECHO_LIMIT, LINE_LIMIT, one_line

    assert one_line(ValueError("a\n  b\tc")) == "a b c"
    assert one_line(ValueError("")) == "ValueError"
    line = one_line(ValueError(f"x: got '{'a b ' * 500}', expected 'short'"))
    assert "'short'" in line and "…'" in line and len(line) < ECHO_LIMIT + 40
    many = one_line(ValueError(" ".join("v" * 150 for _ in range(100))))
    assert len(many) == LINE_LIMIT and many.endswith("…")
    assert one_line(ValueError("bad byte \udcff")) == "bad byte \\udcff"  # a surrogate from an undecodable argument


def _scenario_file(tmp_path: Path, name: str, description: str) -> Path:
    path = tmp_path / "crafted.toml"
    path.write_text(f'name = "{name}"\nextends = "stalemate"\ndescription = "{description}"\n', encoding="utf-8")
    return path


def test_a_scenario_s_name_is_printed_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _scenario_file(tmp_path, "evil\\u001b[31m", "Red.")
    code, out, _ = run_cli(capsys, "run", str(path), "--rounds", "2")
    assert code == 0 and "\x1b" not in out
    assert out.splitlines()[0].startswith("evil\\x1b[31m, seed 0")
    code, out, _ = run_cli(capsys, "params", "--group", "run", "--scenario", str(path))
    assert code == 0 and "\x1b" not in out and "evil\\x1b[31m" in out.splitlines()[0]


def test_scenarios_prints_names_and_descriptions_escaped(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    real = cli.load_scenario("stalemate")
    crafted = types.SimpleNamespace(name="x", description="Rings the bell\x07 and clears\x1b[2J the screen. More.")
    monkeypatch.setattr(cli, "list_scenarios", lambda: ["stalemate", "bad\x1bname"])
    monkeypatch.setattr(cli, "load_scenario", lambda name: real if name == "stalemate" else crafted)
    code, out, _ = run_cli(capsys, "scenarios")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[1] == "bad\\x1bname  Rings the bell\\x07 and clears\\x1b[2J the screen."


@pytest.mark.parametrize("command", ["scenarios", "params"])
def test_a_closed_pipe_ends_quietly_with_status_0(command: str) -> None:
    # `war-termination scenarios | head -1`, with pipefail so the exit status is the command's
    shell = f"set -o pipefail; {sys.executable} -m model {command} | head -1 >/dev/null"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    # a reader that closed its end before anything was written
    process = subprocess.Popen([sys.executable, "-m", "model", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    assert (process.wait(timeout=60), err) == (0, b"")
