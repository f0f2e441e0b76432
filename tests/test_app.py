"""The browser page without a browser: solara.render() of the page, its controls, its views and the viz command."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
from html import escape as html_escape
from pathlib import Path
from typing import Any

import ipyvuetify as v
import pytest
import solara
import solara.widgets
from conftest import UNCALIBRATED

from model import ScenarioError, WarTerminationModel, describe_parameters, list_scenarios, load_scenario
from model import app as viz_app
from model.app import CONTROL_GROUPS, CONTROLS, PageModel, build_model, model_params, page
from model.cli import main
from model.issues import Step
from model.outcome import Side
from model.parameters import PARAMETERS
from model.protocols import PROTOCOLS
from model.viz import command as viz_command
from model.viz import components, svg
from model.viz.run import ENV_SCENARIO, ENV_SEED, ENV_SET, RunSpec, parse_seed, resolve_run, run_from_environment
from model.viz.support import support_record

VIEW_IDS = ("battlefield-view", "bargaining-view", "plan-view", "costs-view", "third-party-view")


# ----------------------------------------------------------------------
# helpers: render the page as a browser session would, and read it back
# ----------------------------------------------------------------------
def render(element: Any) -> Any:
    """Render an element inside an AppLayout (the sidebar needs one), returning the render context."""
    _, rc = solara.render(solara.AppLayout(children=[element]), handle_error=False)
    return rc


def html_of(rc: Any, testid: str) -> str:
    """The inner HTML of the view with this ``data-testid``."""
    found = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets if f'data-testid="{testid}"' in (w.unsafe_innerHTML or "")]
    assert len(found) == 1, f"expected one {testid!r} view, found {len(found)}"
    return found[0]


def banner_round(rc: Any) -> int:
    match = re.search(r"Round (\d+) of \d+", html_of(rc, "banner"))
    assert match is not None
    return int(match.group(1))


def step_states(rc: Any) -> list[str]:
    """The state the plan view draws for steps 1 to 4."""
    found = dict(re.findall(r'class="step step-(\d) ([a-z-]+)"', html_of(rc, "plan-view")))
    return [found[str(int(step))] for step in Step]


def click(rc: Any, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def by_testid(rc: Any, testid: str) -> list[str]:
    """The texts of the page's plain elements with this ``data-testid`` (control values, notes, errors)."""
    return [str(w.children[0]) for w in rc.find(v.Html, attributes={"data-testid": testid}).widgets if w.children]


def shown(rc: Any, name: str) -> str:
    """The value printed beside a control."""
    (text,) = by_testid(rc, f"value-{name}")
    return text


def steps_text(rc: Any) -> str:
    """The round under the buttons ('round N of M')."""
    (text,) = by_testid(rc, "round-status")
    return text.split(":")[0]


# ----------------------------------------------------------------------
# the page: Step, Reset, controls, sessions
# ----------------------------------------------------------------------
def test_step_button_advances_the_round_and_redraws_the_views() -> None:
    rc = render(page("italian_plan_2022", seed=7))
    assert banner_round(rc) == 0
    assert steps_text(rc) == "round 0 of 104"
    before = {name: html_of(rc, name) for name in VIEW_IDS}
    click(rc, "Step")
    click(rc, "Step")
    assert banner_round(rc) == 2
    assert steps_text(rc) == "round 2 of 104"
    for name, old in before.items():
        new = html_of(rc, name)
        assert 'data-round="2"' in new
        assert new != old, f"{name} did not change after two steps"
    # the front's curve now has three points (rounds 0, 1, 2)
    front = re.search(r'class="front" d="([^"]+)"', html_of(rc, "battlefield-view"))
    assert front is not None and front.group(1).count("L") == 2


def test_each_page_builds_its_own_model(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[WarTerminationModel] = []
    original = viz_app.build_model

    def recording(run: RunSpec) -> PageModel:
        model = original(run)
        built.append(model)
        return model

    monkeypatch.setattr(viz_app, "build_model", recording)
    first = render(page("italian_plan_2022", seed=7))
    second = render(page("italian_plan_2022", seed=7))
    assert len(built) == 2 and built[0] is not built[1]
    click(first, "Step")
    click(first, "Step")
    click(first, "Step")
    assert banner_round(first) == 3
    # the other session's model did not move
    assert built[1].steps == 0
    assert banner_round(second) == 0


def test_served_page_component_builds_no_model_at_import_and_one_per_session(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not any(isinstance(value, WarTerminationModel) for value in vars(viz_app).values())
    monkeypatch.setenv(ENV_SCENARIO, "stalemate")
    monkeypatch.setenv(ENV_SEED, "5")
    monkeypatch.setenv(ENV_SET, json.dumps({"aid_scale": 2.0}))
    rc_a, rc_b = render(viz_app.Page()), render(viz_app.Page())
    click(rc_a, "Step")
    assert (banner_round(rc_a), banner_round(rc_b)) == (1, 0)
    assert "war-termination run stalemate --seed 5 --set aid_scale=2.0" in html_of(rc_b, "banner")


def test_reset_rebuilds_the_model_from_the_controls() -> None:
    rc = render(page("italian_plan_2022", seed=7))
    click(rc, "Step")
    rc.find(v.Slider, label="initial_advantage").widget.v_model = 0.7
    click(rc, "Reset")
    banner = html_of(rc, "banner")
    assert banner_round(rc) == 0
    assert "--seed 7 --set initial_advantage=0.7" in banner
    assert shown(rc, "initial_advantage") == "0.7" and by_testid(rc, "pending-initial_advantage") == []
    # the rebuilt run is the one the replay command names
    click(rc, "Step")
    expected = WarTerminationModel("italian_plan_2022", rng=7, initial_advantage=0.7)
    expected.step()
    assert f"{expected.battlefield.share:.0%} of the contested territory" in html_of(rc, "banner")


def test_a_new_seed_loads_the_run_on_screen_with_that_seed() -> None:
    rc = render(page("italian_plan_2022", seed=7))
    rc.find(v.Slider, label="initial_advantage").widget.v_model = 0.7
    click(rc, "Reset")
    click(rc, "Step")
    seed_box = rc.find(v.TextField, label="seed").widget
    seed_box.v_model = "12"
    seed_box.fire_event("focusout", None)
    assert banner_round(rc) == 0
    assert "--seed 12 --set initial_advantage=0.7" in html_of(rc, "banner")
    # a slip of the keyboard is shown under the box and changes nothing
    click(rc, "Step")
    seed_box = rc.find(v.TextField, label="seed").widget
    seed_box.v_model = "12x"
    seed_box.fire_event("focusout", None)
    box = rc.find(v.TextField, label="seed").widget
    assert box.error and "non-negative integer" in str(box.messages)
    assert banner_round(rc) == 1 and "--seed 12 " in html_of(rc, "banner")
    # nothing typed in the box raises: digits that are not ASCII, or too many for int()
    for text in ("²", "١٢", "1" * 5000, "-0", " "):
        box = rc.find(v.TextField, label="seed").widget
        box.v_model = text
        box.fire_event("focusout", None)
        box = rc.find(v.TextField, label="seed").widget
        assert box.error and "non-negative integer" in str(box.messages), text
        assert banner_round(rc) == 1


@pytest.mark.parametrize("change", ["seed", "scenario"])
def test_reset_after_choosing_a_new_run_keeps_that_run(change: str) -> None:
    # Mesa's store of control values starts empty after a new run: Reset must still play the chosen run
    rc = render(page("italian_plan_2022", seed=1))
    if change == "seed":
        box = rc.find(v.TextField, label="seed").widget
        box.v_model = "6"
        box.fire_event("focusout", None)
        expected = "war-termination run italian_plan_2022 --seed 6 --set mediator_bias=false"
    else:
        rc.find(v.Select, label="scenario").widget.v_model = "severodonetsk"
        expected = "war-termination run severodonetsk --seed 1 --set mediator_bias=false"
    click(rc, "Step")
    rc.find(v.Checkbox, label="mediator_bias").widget.v_model = False
    click(rc, "Reset")
    assert banner_round(rc) == 0
    assert expected in html_of(rc, "banner")
    assert shown(rc, "mediator_bias") == "false"


def test_choosing_a_scenario_loads_it_with_its_own_values() -> None:
    rc = render(page("italian_plan_2022", seed=3, aid_scale=2.0))
    rc.find(v.Select, label="scenario").widget.v_model = "stalemate"
    banner = html_of(rc, "banner")
    assert "war-termination run stalemate --seed 3" in banner and "aid_scale" not in banner
    stalemate = load_scenario("stalemate").values
    assert rc.find(v.Slider, label="initial_advantage").widget.v_model == pytest.approx(stalemate["initial_advantage"])


def test_controls_come_from_the_parameter_table() -> None:
    run = resolve_run("italian_plan_2022", 0, {"shock_round": "20", "capacity_russia": "5"})
    params = model_params(run)
    values = load_scenario("italian_plan_2022").values
    table = {p.name: p for p in describe_parameters()}
    for name in CONTROLS:
        entry, param = params[name], table[name]
        if param.kind in (int, float):
            assert entry["min"] == param.low
            if name != "shock_round":
                assert entry["max"] == param.high
            expected = 20 if name == "shock_round" else values[name]
            assert entry["value"] == pytest.approx(expected)
            # the starting value lies on the slider's grid
            steps = (entry["value"] - entry["min"]) / entry["step"]
            assert steps == pytest.approx(round(steps), abs=1e-6)
        elif param.kind is bool:
            assert entry["type"] == "Checkbox"
        else:
            assert entry["type"] == "Select" and entry["values"] == list(param.choices or ())
    # a round-valued slider stops at the round limit; only the controls are Mesa's to pass on Reset
    assert params["shock_round"]["max"] == values["max_rounds"]
    assert set(params) == set(CONTROLS)


def test_page_model_plays_its_bound_run_with_the_controls_on_top() -> None:
    run = RunSpec("stalemate", 42, {"capacity_russia": 5.0, "aid_scale": 2.0})
    cls = PageModel.for_run(run)
    assert issubclass(cls, PageModel) and cls.bound_run == run and PageModel.bound_run != run
    # what Mesa's Reset passes after the first drawing: every control; after a new run: only those moved
    model = cls(initial_advantage=0.6)
    reference = WarTerminationModel("stalemate", rng=42, capacity_russia=5.0, aid_scale=2.0, initial_advantage=0.6)
    assert model.run().to_dict() == reference.run().to_dict()
    assert model.run_spec == RunSpec("stalemate", 42, {"capacity_russia": 5.0, "aid_scale": 2.0, "initial_advantage": 0.6})
    # a control moved back to the scenario's value is no override; Mesa 3.4+ passes its own scenario object on Reset
    same = cls(scenario=object(), aid_scale=load_scenario("stalemate").values["aid_scale"])
    assert same.run_spec.overrides == {"capacity_russia": 5.0}
    with pytest.raises(ScenarioError, match="initial_advantage"):
        cls(initial_advantage=1.5)
    with pytest.raises(ScenarioError, match="seed"):
        cls(seed=3)


def test_the_replay_command_keeps_every_digit() -> None:
    # floats print with repr, so the replayed run is the run (the command line parses them back exactly)
    run = resolve_run("stalemate", 4, {"momentum": "0.0123456789012345", "mediator_bias": "false"})
    assert run.command() == "war-termination run stalemate --seed 4 --set momentum=0.0123456789012345 --set mediator_bias=false"


def test_the_replay_command_runs_the_same_model(capsys: pytest.CaptureFixture[str]) -> None:
    model = build_model(resolve_run("italian_plan_2022", 9, {"aid_scale": "0.5", "protocol": "package"}))
    outcome = model.run()
    command = model.run_spec.command()
    assert command == "war-termination run italian_plan_2022 --seed 9 --set aid_scale=0.5 --set protocol=package"
    assert main([*command.split()[1:], "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["kind"], record["rounds"]) == (outcome.kind.value, outcome.rounds)


# ----------------------------------------------------------------------
# the run handed to the server
# ----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["-1", "1.5", "abc", "", "True", "²", "1²", "١٢", "１２", "1" * 5000])
def test_parse_seed_rejects_what_is_not_a_non_negative_integer(text: str) -> None:
    with pytest.raises(ScenarioError, match="non-negative integer"):
        parse_seed(text)


def test_parse_seed_accepts_ints_and_their_text() -> None:
    assert parse_seed(" 17 ") == 17 and parse_seed(3) == 3
    with pytest.raises(ScenarioError):
        parse_seed(True)


def test_run_from_environment_defaults_and_errors() -> None:
    assert run_from_environment({}) == RunSpec("italian_plan_2022", 0, {})
    run = run_from_environment({ENV_SCENARIO: "severodonetsk", ENV_SEED: "4", ENV_SET: '{"momentum": "0.01"}'})
    assert run == RunSpec("severodonetsk", 4, {"momentum": 0.01})
    with pytest.raises(ScenarioError, match=ENV_SET):
        run_from_environment({ENV_SET: "[1, 2]"})
    with pytest.raises(ScenarioError, match=ENV_SET):
        run_from_environment({ENV_SET: "{not json"})
    with pytest.raises(ScenarioError, match="momentum"):
        run_from_environment({ENV_SET: '{"momentum": 9}'})


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["viz", "--seed", "x"], "seed"),
        (["viz", "--scenario", "atlantis"], "atlantis"),
        (["viz", "--set", "initial_advantage=2"], "initial_advantage"),
        (["viz", "--set", "no_such_parameter=1"], "no_such_parameter"),
        (["viz", "--set", "momentum"], "NAME=VALUE"),
        (["viz", "--port", "70000"], "port"),
    ],
)
def test_viz_bad_input_is_one_line_and_exit_2(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_server(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the server must not start on bad input")

    monkeypatch.setattr(subprocess, "Popen", no_server)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and fragment in err and "Traceback" not in err


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_viz_serves_the_chosen_run_on_loopback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, env: calls.append((command, env)) or FinishedServer())
    port = str(_free_port())
    assert main(["viz", "--scenario", "stalemate", "--seed", "11", "--set", "aid_scale=3", "--port", port]) == 0
    ((command, env),) = calls
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == port
    # production mode, and no request to PyPI for Solara's latest version before serving
    assert {"run", viz_command.PAGE, "--production", "--no-open", "--no-check-version"} <= set(command)
    assert (env[ENV_SCENARIO], env[ENV_SEED], json.loads(env[ENV_SET])) == ("stalemate", "11", {"aid_scale": 3.0})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False" and env["SOLARA_THEME_SHOW_BANNER"] == "False"
    # what the server process reads back is the run that was asked for
    assert run_from_environment(env) == RunSpec("stalemate", 11, {"aid_scale": 3.0})
    assert f"http://127.0.0.1:{port}/" in capsys.readouterr().err


def test_quiet_environment_skips_gzip_only_on_loopback() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert viz_command.quiet_environment(host)["SOLARA_SERVER_HTTP_GZIP"] == "False", host
    for host in ("0.0.0.0", "192.0.2.1", "example.org"):
        assert "SOLARA_SERVER_HTTP_GZIP" not in viz_command.quiet_environment(host), host
        assert viz_command.quiet_environment(host)["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def _no_server(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the server must not start")


def _one_line_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "Serving" not in err
    return err


def test_viz_port_in_use_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(subprocess, "Popen", _no_server)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = _one_line_exit_2(["viz", "--port", str(port)], capsys)
    assert f"port {port}" in err and "in use" in err


@pytest.mark.parametrize(("host", "fragment"), [("no-such-host.invalid", "cannot resolve"), ("192.0.2.1", "cannot listen")])
def test_viz_bad_host_is_one_line_and_exit_2(
    host: str, fragment: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a name that does not resolve (.invalid is reserved), an address that is not this machine's (TEST-NET-1)
    monkeypatch.setattr(subprocess, "Popen", _no_server)
    err = _one_line_exit_2(["viz", "--host", host, "--port", str(_free_port())], capsys)
    assert host in err and fragment in err


def _without(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make ``importlib.util.find_spec`` report these top-level modules as not installed."""
    real = viz_command.importlib.util.find_spec
    monkeypatch.setattr(viz_command.importlib.util, "find_spec", lambda name, *a: None if name in names else real(name, *a))


def test_viz_without_solara_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(subprocess, "Popen", _no_server)
    _without(monkeypatch, "solara")
    err = _one_line_exit_2(["viz", "--port", str(_free_port())], capsys)
    assert "solara" in err and "war-termination[viz]" in err


def test_viz_without_solara_assets_warns_that_the_page_needs_internet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, env: started.append(command) or FinishedServer())
    _without(monkeypatch, "solara_assets")
    assert main(["viz", "--port", str(_free_port())]) == 0
    err = capsys.readouterr().err
    assert len(started) == 1
    assert "warning: solara_assets is not installed" in err and "needs internet" in err
    # with the package there is no warning
    monkeypatch.undo()
    monkeypatch.setattr(subprocess, "Popen", lambda command, env: started.append(command) or FinishedServer())
    assert main(["viz", "--port", str(_free_port())]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("installed", [True, False])
def test_viz_help_says_offline_only_with_solara_assets(
    installed: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(viz_command, "offline_assets", lambda: installed)
    assert main(["viz", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "works offline only with the solara-assets package" in text
    assert ("(installed here)" in text) is installed
    assert ("not installed here, so the server fetches them from a CDN" in text) is not installed


def test_the_page_never_imports_mesa_visualization() -> None:
    # Mesa's visualization brings Altair and Matplotlib, which the page never uses: 0.8 s or more of start-up
    code = (
        "import sys, solara, model.app\n"
        "solara.render(solara.AppLayout(children=[model.app.page('stalemate', seed=1)]), handle_error=False)\n"
        "print(*(name in sys.modules for name in ('mesa.visualization', 'altair', 'matplotlib')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


class FinishedServer:
    """Stands in for the server process: it has already exited, with status 0."""

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def poll(self) -> int:
        return 0


def test_serve_returns_the_server_status() -> None:
    assert viz_command.serve([sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ)) == 3


def test_serve_stops_the_server_when_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        started.append(real_popen(command, env=env))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", recording)
    # SIGTERM (which serve turns into a Ctrl-C) arrives while the server runs; the timer is
    # cancelled if serve ends early, so the signal can only reach this process inside serve
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        assert viz_command.serve([sys.executable, "-c", "import time; time.sleep(60)"], dict(os.environ)) == 0
    finally:
        timer.cancel()
    (server,) = started
    assert server.poll() is not None, "the server outlived the command"
    assert signal.getsignal(signal.SIGTERM) is not viz_command._interrupt, "serve left its SIGTERM handler behind"


def test_server_environment_makes_scenario_paths_absolute(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "stalemate"\n[battlefield]\nmomentum = 0.02\n')
    monkeypatch.chdir(tmp_path)
    env = viz_command.server_environment("mine.toml", 0, {})
    assert env[ENV_SCENARIO] == str(path)
    assert run_from_environment(env).scenario == str(path)


# ----------------------------------------------------------------------
# the views' drawing helpers
# ----------------------------------------------------------------------
def test_line_path_breaks_at_missing_values() -> None:
    ax = svg.Axes(0.0, 10.0, 0.0, 1.0, left=0.0, top=0.0, width=100.0, height=10.0)
    assert svg.line_path(ax, [0, 1, 2, 3], [0.0, math.nan, 1.0, 0.5]) == "M0.0 10.0M20.0 0.0L30.0 5.0"


def test_runs_and_ticks() -> None:
    assert svg.runs([False, True, True, False, True]) == [(1, 2), (4, 4)]
    assert svg.runs([]) == []
    assert svg.nice_ticks(0, 104, 6) == [0, 25, 50, 75, 100]
    assert svg.nice_ticks(0, 1, 5) == [0, 0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize("scenario", list_scenarios())
def test_every_view_draws_every_scenario_to_its_end(scenario: str) -> None:
    model = WarTerminationModel(scenario, rng=1, max_rounds=60)
    model.run()
    for view in (components.battlefield_view, components.bargaining_view, components.plan_view, components.costs_view):
        text = view(model)
        assert not re.search(r"\b(nan|inf)\b", text.lower()), "a missing value reached the drawing"
        assert f'data-round="{model.steps}"' in text
    headline, _ = components.outcome_text(model)
    assert model.outcome is not None and model.outcome.kind.value in headline


def test_banner_names_the_winner_of_a_victory() -> None:
    # no talks, a strong Russian edge and a short front: Russia wins
    model = WarTerminationModel("theory_random_walk", rng=0, initial_advantage=0.95, volatility=0.1, protocol="none", max_rounds=500)
    model.run()
    assert model.outcome is not None and model.outcome.kind.value == "victory"
    banner = components.banner_view(model)
    assert "victory for Russia" in banner and 'data-status="victory"' in banner


ROUND_1_AGENDA: dict[str, tuple[list[str], str]] = {
    "ifg_sequential": (["on-table", "not-yet", "not-yet", "not-yet"], "talks on step 1;"),
    "package": (["on-table"] * 4, "talks on all four steps;"),
    "bilateral": (["on-table"] * 4, "talks on all four steps;"),
    "none": (["not-yet"] * 4, "no talks (protocol none);"),
}
"""What the plan view and the banner show at rounds 0 and 1 of italian_plan_2022 (seed 1) under each protocol."""


def test_every_protocol_has_an_expected_plan_view() -> None:
    assert set(ROUND_1_AGENDA) == set(PROTOCOLS)


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_plan_view_and_banner_follow_the_protocols_agenda(protocol: str) -> None:
    rc = render(page("italian_plan_2022", seed=1, protocol=protocol, **UNCALIBRATED))
    states, talks = ROUND_1_AGENDA[protocol]
    # talks open before the first engagement: round 0 already shows the protocol's agenda
    assert step_states(rc) == states and talks.rstrip(";") in html_of(rc, "banner")
    click(rc, "Step")
    assert banner_round(rc) == 1
    assert step_states(rc) == states
    assert talks in html_of(rc, "banner")
    assert f"protocol: {protocol}" in html_of(rc, "plan-view")
    if protocol == "none":
        for _ in range(5):
            click(rc, "Step")
        assert step_states(rc) == ["not-yet"] * 4 and "no talks" in html_of(rc, "banner")


def test_plan_view_shows_the_next_step_waiting_for_confidence_during_a_ceasefire() -> None:
    # italian_plan_2022 before calibration, seed 5: a ceasefire (step 1) is agreed; step 2 then waits for confidence
    rc = render(page("italian_plan_2022", seed=5, **UNCALIBRATED))
    for _ in range(60):
        click(rc, "Step")
        if 'data-status="ceasefire"' in html_of(rc, "banner"):
            break
    banner = html_of(rc, "banner")
    assert 'data-status="ceasefire"' in banner, "no ceasefire in 60 rounds"
    assert step_states(rc) == ["agreed", "waiting", "not-yet", "not-yet"]
    assert "step 1 agreed this round; step 2 waits for confidence (0.00 of 0.50)" in banner
    click(rc, "Step")
    # confidence grows but stays below the threshold: nothing is on the table
    assert step_states(rc) == ["agreed", "waiting", "not-yet", "not-yet"]
    assert "talks on" not in html_of(rc, "banner") and "step 2 waits for confidence" in html_of(rc, "banner")


def test_step_states_follow_on_table_and_the_protocols_gate() -> None:
    model = WarTerminationModel("italian_plan_2022", rng=5, **UNCALIBRATED)
    while not model.ceasefire and model.running:
        model.step()
    assert model.ceasefire and model.confidence < model.confidence_threshold
    assert components.step_state(model, Step.STATUS) is components.StepState.WAITING
    # the same state with confidence at the threshold: the protocol would table step 2, so it no longer waits
    model.confidence = model.confidence_threshold
    assert not components.waits_for_confidence(model, Step.STATUS)
    model.on_table = (Step.STATUS,)
    assert components.step_state(model, Step.STATUS) is components.StepState.ON_TABLE
    assert components.step_state(model, Step.CEASEFIRE) is components.StepState.AGREED
    assert components.step_state(model, Step.TERRITORY) is components.StepState.NOT_YET


# ----------------------------------------------------------------------
# the README's section on the page: its examples work as written
# ----------------------------------------------------------------------
def _readme_section() -> str:
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = text.index("## The browser page")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_readme_notebook_example_shows_the_page() -> None:
    block = re.search(r"```python\n(.*?)```", _readme_section(), re.DOTALL)
    assert block is not None
    *statements, last = [line for line in block.group(1).splitlines() if line.strip()]
    namespace: dict[str, Any] = {}
    exec("\n".join(statements), namespace)
    element = eval(last.split("#")[0], namespace)  # the cell's last expression is what Jupyter shows
    rc = render(element)
    assert "war-termination run italian_plan_2022 --seed 6 --set mediator_bias=false" in html_of(rc, "banner")


def test_readme_viz_examples_start_the_server(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, env: started.append(command) or FinishedServer())
    # the examples' ports (8765, 8800) may be taken on this machine; only whether they start the server is tested here
    monkeypatch.setattr(viz_command, "check_address", lambda host, port: None)
    block = re.search(r"```bash\n(.*?)```", _readme_section(), re.DOTALL)
    assert block is not None
    examples = [shlex.split(line.split("#")[0]) for line in block.group(1).splitlines() if line.startswith("war-termination viz")]
    assert len(examples) >= 2
    for argv in examples:
        assert main(argv[1:]) == 0, capsys.readouterr().err
    assert len(started) == len(examples)


# ----------------------------------------------------------------------
# issue 15: read at a glance
# ----------------------------------------------------------------------
def test_every_control_shows_its_value_and_meaning_in_its_group() -> None:
    rc = render(page("italian_plan_2022", seed=7))
    grouped = [name for _, names in CONTROL_GROUPS for name in names]
    assert sorted(grouped) == sorted(CONTROLS) and len(set(grouped)) == len(grouped)
    assert [title for title, _ in CONTROL_GROUPS][:1] == ["Battlefield trend"]
    cards = {w.children[0] for w in rc.find(v.CardTitle).widgets if w.children}
    assert {title for title, _ in CONTROL_GROUPS} <= cards
    values = load_scenario("italian_plan_2022").values
    texts = {str(w.children[0]) for w in rc.find(v.Html, class_="wt-meaning").widgets if w.children}
    for name in CONTROLS:
        assert shown(rc, name) == viz_app.shown_value(values[name]), name
        # the meaning (with its unit) from the parameter table, under the control
        assert any(text.startswith(PARAMETERS[name].meaning) for text in texts), name
    assert any("(utility per round)" in t or "log-odds" in t.lower() for t in texts)


def test_a_moved_control_shows_its_new_value_and_what_reset_will_do() -> None:
    rc = render(page("italian_plan_2022", seed=7))
    rc.find(v.Slider, label="momentum").widget.v_model = 0.02
    assert shown(rc, "momentum") == "0.02"
    in_force = viz_app.shown_value(load_scenario("italian_plan_2022").values["momentum"])
    assert by_testid(rc, "pending-momentum") == [f"in force: {in_force}; press Reset to apply"]
    assert "war-termination run italian_plan_2022 --seed 7" in html_of(rc, "banner")  # the run on screen is unchanged
    rc.find(v.Checkbox, label="mediator_leverage").widget.v_model = False
    assert shown(rc, "mediator_leverage") == "false"
    click(rc, "Reset")
    assert by_testid(rc, "pending-momentum") == [] and shown(rc, "momentum") == "0.02"
    assert "--set momentum=0.02 --set mediator_leverage=false" in html_of(rc, "banner")


def test_round_0_says_what_to_press_and_a_step_draws_the_run() -> None:
    rc = render(page("italian_plan_2022", seed=1))
    assert "Press Step to play one round" in html_of(rc, "banner")
    for view in ("battlefield-view", "bargaining-view", "costs-view", "third-party-view"):
        assert components.FIRST_ROUND_HINT in html_of(rc, view), view
    click(rc, "Step")
    assert "Press Step" not in html_of(rc, "banner")
    assert not any(components.FIRST_ROUND_HINT in html_of(rc, view) for view in VIEW_IDS)


def test_the_issue_scale_is_explained_wherever_terms_appear() -> None:
    model = WarTerminationModel("italian_plan_2022", rng=5, **UNCALIBRATED)
    for _ in range(40):
        model.step()
    assert model.agreed, "no step agreed in 40 rounds"
    for view in (components.bargaining_view, components.plan_view, components.third_party_view):
        text = view(model)
        assert 'data-testid="issue-scale"' in text and "0 = Russia's demand" in text, view.__name__


def test_confidence_restarts_are_marked_where_they_happen() -> None:
    # italian_plan_2022 before calibration, seed 5, agrees steps 1 and 2 within 60 rounds (each restarts confidence)
    rc = render(page("italian_plan_2022", seed=5, **UNCALIBRATED))
    for _ in range(60):
        click(rc, "Step")
    plan = html_of(rc, "plan-view")
    marks = re.findall(r'<g class="confidence-restart"><title>round (\d+): ([^<]+)</title>', plan)
    model = WarTerminationModel("italian_plan_2022", rng=5, max_rounds=60, **UNCALIBRATED)
    model.run()
    rec = components.record(model)
    agreed_in = [r for i, r in enumerate(rec["round"]) if rec["steps_agreed"][i] > (rec["steps_agreed"][i - 1] if i else 0)]
    assert len(agreed_in) >= 2, "fewer than two steps agreed in 60 rounds"
    assert [int(r) for r, _ in marks] == agreed_in
    assert "step 1 agreed: step 2 must earn its own" in marks[0][1]
    assert components.RESTART_TEXT in plan and f"confidence last restarted in round {agreed_in[-1]}" in plan
    rec = components.record(build_model(resolve_run("italian_plan_2022", 1)))
    assert components.confidence_restarts(rec) == []


def test_the_third_party_view_names_the_ifg_the_guarantors_and_each_party() -> None:
    model = build_model(resolve_run("italian_plan_2022", 1))
    for _ in range(5):
        model.step()
    text = components.third_party_view(model)
    for party in model.third_parties:
        assert f'data-party="{party.code}"' in text and html_escape(party.settings.name) in text
        assert f'class="aid-{party.code}"' in text and f'class="stance-{party.code}"' in text
    assert "IFG: <b>United States, United Kingdom" in text and "guarantors: <b>United States" in text
    assert 'class="pressure-russia"' in text and 'class="pressure-ukraine"' in text
    assert 'class="political-pressure-russia"' in text and 'class="political-pressure-ukraine"' in text
    bilateral = build_model(resolve_run("italian_plan_2022", 1, {"protocol": "bilateral"}))
    assert "guarantors: <b>none</b> (no mediator at the table under <code>bilateral</code>)" in components.third_party_view(bilateral)
    off = build_model(resolve_run("italian_plan_2022", 1, {"mediator_guarantees": "false"}))
    assert "guarantors: <b>none</b> (mediator_guarantees off)" in components.third_party_view(off)
    empty = components.third_party_view(WarTerminationModel("theory_random_walk", rng=0))
    assert "No third party takes part" in empty


def test_the_third_party_record_is_read_each_round_from_the_agents(monkeypatch: pytest.MonkeyPatch) -> None:
    model = build_model(resolve_run("italian_plan_2022", 1))
    for _ in range(3):
        model.step()
    support, rec = support_record(model), components.record(model)
    assert support["round"] == [0, 1, 2, 3]
    # pressure per side: the belligerents' own; aid per party adds up to what each side received
    assert support["pressure_russia"][-1] == pytest.approx(model.russia.pressure)
    assert support["pressure_ukraine"][-1] == pytest.approx(model.ukraine.pressure)
    assert support["political_pressure_ukraine"][-1] == pytest.approx(model.ukraine.political_pressure)
    assert support["political_pressure_ukraine"][-1] != 0.0  # the scenario's voices press Kyiv
    for i in range(4):
        to_ukraine = sum(support[f"aid_{p.code}"][i] for p in model.third_parties if p.settings.patron is Side.UKRAINE)
        assert to_ukraine == pytest.approx(rec["aid_ukraine"][i])
    # a party whose aid and stance change from round to round (a later model may do so): the record follows
    us = next(p for p in model.third_parties if p.code == "us")
    us.aid, us.stance = 1.5, -0.5  # type: ignore[attr-defined]
    model.step()
    assert (support["aid_us"][-2:], support["stance_us"][-2:]) == ([0.3, 1.5], [0.0, -0.5])


def test_the_scenario_picker_accepts_only_its_own_names(tmp_path: Path) -> None:
    rc = render(page("italian_plan_2022", seed=2))
    before = html_of(rc, "banner")
    for crafted in ("/etc/passwd", "../../secrets.toml", str(tmp_path / "mine.toml"), "italian_plan_2022\x1b[2J"):
        rc.find(v.Select, label="scenario").widget.v_model = crafted
        (error,) = by_testid(rc, "scenario-error")
        assert error.startswith("scenario: expected one of counteroffensive, italian_plan_2022") and "\x1b" not in error
        assert html_of(rc, "banner") == before
    # the file the page was opened with is one of its own
    path = tmp_path / "mine.toml"
    path.write_text('extends = "stalemate"\n[battlefield]\nmomentum = 0.02\n')
    rc = render(page(path, seed=2))
    assert str(path) in rc.find(v.Select, label="scenario").widget.items
    rc.find(v.Select, label="scenario").widget.v_model = "stalemate"
    rc.find(v.Select, label="scenario").widget.v_model = str(path)
    assert by_testid(rc, "scenario-error") == [] and f"run {path} --seed 2" in html_of(rc, "banner")


def test_viz_warns_that_a_host_beyond_loopback_has_no_authentication(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(subprocess, "Popen", lambda command, env: FinishedServer())
    assert main(["viz", "--host", "0.0.0.0", "--port", str(_free_port())]) == 0
    err = capsys.readouterr().err
    assert "warning: --host 0.0.0.0 serves the page beyond this machine, and the page has no authentication" in err
    for host in ("127.0.0.1", "localhost"):
        assert main(["viz", "--host", host, "--port", str(_free_port())]) == 0
        assert "authentication" not in capsys.readouterr().err


def test_the_server_silences_solara_s_cookie_warning() -> None:
    command = viz_command.server_command("127.0.0.1", 1)
    code = command[command.index("-c") + 1]
    assert "Cookies with samesite=none require https" in code and "filterwarnings('ignore'" in code


def test_the_server_answers_before_the_model_is_imported() -> None:
    # the launcher loads model/viz/served.py under its own name: the model's imports wait for the server
    launch = viz_command.server_command("127.0.0.1", 1)[2].split("from solara.__main__")[0]
    code = (
        launch + "import sys\nprint('model.model' in sys.modules, 'model.app' in sys.modules)\n"
        "served.wait_for_page()  # Solara's own start-up kernel, before the server listens: no wait\n"
        "print(served.Page.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["False", "False", "Page"]


def test_play_runs_rounds_until_paused() -> None:
    import time

    rc = render(page("italian_plan_2022", seed=3))
    click(rc, "▶ Play")
    deadline = time.monotonic() + 20
    while banner_round(rc) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert banner_round(rc) >= 3
    assert rc.find(v.Btn, children=["Step"]).widget.disabled  # no Step while playing
    click(rc, "❚❚ Pause")
    time.sleep(0.5)  # a round on its way may still land
    stopped = banner_round(rc)
    time.sleep(0.6)
    assert banner_round(rc) == stopped and not rc.find(v.Btn, children=["Step"]).widget.disabled


def test_reset_refuses_a_crafted_control_value_in_one_line() -> None:
    rc = render(page("italian_plan_2022", seed=3))
    rc.find(v.Select, label="protocol").widget.v_model = "/etc/passwd"
    click(rc, "Reset")
    (error,) = by_testid(rc, "reset-error")
    assert "protocol: expected one of" in error
    assert "war-termination run italian_plan_2022 --seed 3" in html_of(rc, "banner") and banner_round(rc) == 0
