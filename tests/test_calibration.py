"""Calibration: the target file, the command, and the shipped posterior's predictive checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.calibration.calibrate import calibrate
from experiments.calibration.posterior import checks, predictive, weighted_quantile
from experiments.calibration.smc import model_values, run_seed, search_name
from experiments.calibration.summaries import Path as RunPath
from experiments.calibration.summaries import play, summarise_path
from experiments.calibration.targets import STATISTIC_KINDS, TargetError, load_targets
from model import Scenario, ScenarioError, WarTerminationModel, load_scenario
from model.cli import main
from model.outcome import OutcomeKind

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "results" / "calibration" / "italian_plan_2022"

SMALL = """
name = "small"
start = 2022-05-26
[statistics.negotiated_end]
kind = "negotiated_by"
round = 20
observed = 0
scale = 0.5
source = "test"
[statistics.front_10]
kind = "front_at"
round = 10
observed = 0.2
scale = 0.02
source = "test"
[priors.initial_advantage]
distribution = "uniform"
low = 0.5
high = 0.6
why = "test"
[priors.volatility]
distribution = "loguniform"
low = 0.002
high = 0.01
why = "test"
[[record]]
date = 2022-08-04
front = 0.2
source = "test"
[abc]
population = 12
generations = 2
seed = 7
"""


def write(tmp_path: Path, text: str, name: str = "targets.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------------------
# the shipped target file
# ---------------------------------------------------------------------------
def test_the_shipped_record_loads_with_a_source_for_every_figure() -> None:
    targets = load_targets("record_2022_2024")
    assert targets.start == dt.date(2022, 5, 26)
    assert {s.kind for s in targets.statistics} <= set(STATISTIC_KINDS)
    for stat in targets.statistics:
        assert stat.source.strip() and ("public" in stat.source or "assumption" in stat.source)
    for obs in targets.record:
        assert obs.source.strip() and 0 < obs.front < 1
    # the diplomatic record: no negotiated end within the horizon
    assert targets.observed["negotiated_end"] == 0.0
    # the rounds are weeks from the start: 3 January 2023 is round 32
    assert next(o for o in targets.record if o.date == dt.date(2023, 1, 3)).round == 32


# ---------------------------------------------------------------------------
# bad target files: one line, exit 2, nothing written
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('kind = "front_at"', 'kind = "front_level"'), "unknown kind 'front_level'"),
        (lambda t: t.replace("[priors.volatility]", "[priors.volatilty]"), "unknown parameter"),
        (lambda t: t.replace("low = 0.5\n", "low = 0.0\n"), "allowed range"),
        (lambda t: t.replace("scale = 0.02", "scale = 0"), "greater than 0"),
        (lambda t: t.replace("round = 10", "round = -3"), "must be a round"),
        (lambda t: t.replace('distribution = "loguniform"', 'distribution = "normal"'), "unknown distribution"),
        (lambda t: t.replace("start = 2022-05-26", 'start = "May"'), "must be a date"),
        (lambda t: t + "\n[extra]\n", "unknown key 'extra'"),
        (lambda t: t.replace("population = 12", "population = 0"), "population"),
        (lambda t: t.replace("[statistics.front_10]", "[statistics.front_10"), "not valid TOML"),
        (lambda t: t.replace("observed = 0\n", "observed = 0.5\n"), "0 or 1"),
    ],
)
def test_a_bad_target_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object, message: str) -> None:
    path = write(tmp_path, change(SMALL))  # type: ignore[operator]
    out = tmp_path / "out"
    code = main(["calibrate", "italian_plan_2022", "--targets", str(path), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err
    assert not out.exists()


def test_a_missing_target_file_names_the_bundled_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["calibrate", "italian_plan_2022", "--targets", str(tmp_path / "none.toml"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "record_2022_2024" in err and not (tmp_path / "o").exists()


def test_a_statistic_after_the_horizon_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL.replace("round = 20", "round = 500"))
    with pytest.raises(TargetError, match="after the scenario's last"):
        calibrate("italian_plan_2022", path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------
# the statistics of one run
# ---------------------------------------------------------------------------
def test_statistics_read_the_path_a_run_takes() -> None:
    targets = load_targets("record_2022_2024")
    path = RunPath(front=np.linspace(0.2, 0.1, 105), first_negotiated=None, kind="war")
    values = summarise_path(path, targets.statistics)
    assert values["front_jan_2023"] == pytest.approx(0.2 - 0.1 * 32 / 104)
    assert values["front_change_2023"] == pytest.approx(-0.1 * 52 / 104)
    assert values["negotiated_end"] == 0.0
    short = RunPath(front=np.array([0.2, 0.3, 0.5]), first_negotiated=2, kind="victory")
    values = summarise_path(short, targets.statistics)
    assert values["front_may_2024"] == 0.5  # a run over early keeps its last front
    assert values["negotiated_end"] == 1.0


def test_a_particle_replays_exactly_from_its_seed() -> None:
    scenario = load_scenario("italian_plan_2022")
    params = {"initial_advantage": 0.55, "volatility": 0.003}
    seed = run_seed(1, params)
    assert seed == run_seed(1, dict(reversed(list(params.items()))))
    assert seed != run_seed(2, params) and seed != run_seed(1, {**params, "volatility": 0.0031})
    a, b = play(scenario, params, seed), play(scenario, params, seed)
    assert np.array_equal(a.front, b.front) and a.first_negotiated == b.first_negotiated


def _mesa_path(scenario: Scenario, parameters: dict[str, float], seed: int) -> RunPath:
    """The reference: the Mesa model stepped round by round, its front read after every round."""
    model = WarTerminationModel(scenario, rng=seed, **parameters)
    front = [model.battlefield.share]
    while model.running:
        model.step()
        front.append(model.battlefield.share)
    outcome = model.run()
    settled_at = outcome.rounds if outcome.kind is OutcomeKind.SETTLEMENT else None
    starts = [r for r in (outcome.first_ceasefire_round, settled_at) if r is not None]
    return RunPath(front=np.asarray(front), first_negotiated=min(starts) if starts else None, kind=outcome.kind.value)


@pytest.mark.parametrize("scenario_name", ["italian_plan_2022", "stalemate", "counteroffensive"])
def test_play_on_the_compiled_path_is_the_mesa_models_run_float_for_float(scenario_name: str) -> None:
    """Prior draws of the shipped target file, several seeds: play's path is the stepped Mesa model's, exactly."""
    targets = load_targets("record_2022_2024")
    scenario = load_scenario(scenario_name)
    rng = np.random.default_rng([2022, len(scenario_name)])
    kinds, negotiated, lengths, compared = set(), set(), set(), 0
    while compared < 24:
        searched = {}
        for p in targets.priors:  # as pyabc proposes them: a log-uniform prior on its logarithm
            low, high = (np.log10(p.low), np.log10(p.high)) if p.distribution == "loguniform" else (p.low, p.high)
            searched[search_name(p.parameter, p.distribution)] = float(rng.uniform(low, high))
        parameters = model_values(searched)
        try:
            scenario.with_overrides(parameters)
        except ScenarioError:
            continue  # a cross-parameter rule of this scenario refuses the draw
        for seed in (0, int(rng.integers(2**31)), run_seed(targets.seed, parameters)):
            engine, mesa = play(scenario, parameters, seed), _mesa_path(scenario, parameters, seed)
            label = f"{scenario_name} seed {seed} {parameters}"
            assert engine.front.dtype == np.float64 and len(engine.front) == len(mesa.front), label
            assert np.array_equal(engine.front, mesa.front), label
            assert engine.first_negotiated == mesa.first_negotiated, label
            assert engine.kind == mesa.kind, label
            kinds.add(mesa.kind)
            negotiated.add(mesa.first_negotiated is not None)
            lengths.add(len(mesa.front))
        compared += 1
    # the runs compared end in more than one way, some with a negotiated end and some without, and at different rounds
    assert len(kinds) > 1 and negotiated == {True, False} and len(lengths) > 1, (kinds, negotiated, lengths)


def test_weighted_quantile() -> None:
    x = np.array([3.0, 1.0, 2.0])
    assert weighted_quantile(x, np.array([1.0, 1.0, 1.0]), 0.5) == 2.0
    assert weighted_quantile(x, np.array([0.0, 0.0, 1.0]), 0.5) == 2.0
    assert weighted_quantile(x, np.array([0.8, 0.1, 0.1]), 0.5) == 3.0


# ---------------------------------------------------------------------------
# a small calibration end to end
# ---------------------------------------------------------------------------
def test_a_small_serial_calibration_writes_everything_and_reproduces(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    first = calibrate("italian_plan_2022", path, tmp_path / "a", backend="serial", progress=False, predictive_runs=20)
    second = calibrate("italian_plan_2022", path, tmp_path / "b", backend="serial", progress=False, predictive_runs=20)
    pd.testing.assert_frame_equal(first.posterior, second.posterior)
    for name in (
        "posterior.csv",
        "diagnostics.csv",
        "estimate.csv",
        "checks.csv",
        "checks_estimate.csv",
        "calibration.json",
        "italian_plan_2022_calibrated.toml",
        "posterior_marginals.png",
        "posterior_marginals.pdf",
        "predictive_front.png",
        "predictive_negotiated.pdf",
    ):
        assert (tmp_path / "a" / name).is_file(), name
    assert len(first.diagnostics) == 2 and np.isclose(first.posterior["weight"].sum(), 1.0)
    assert (first.diagnostics["epsilon"].diff().dropna() <= 0).all()
    # the calibrated scenario loads, extends the original and says where each value came from
    calibrated = load_scenario(first.scenario_file)
    for name in ("initial_advantage", "volatility"):
        assert calibrated.values[name] == pytest.approx(first.estimate.loc[name, "median"], rel=1e-5)
        assert calibrated.sources[name].startswith("calibrated: posterior median of ABC-SMC against small")
    assert calibrated.values["aid_lag"] == load_scenario("italian_plan_2022").values["aid_lag"]
    # leftovers: no temporary file
    assert not list((tmp_path / "a").glob(".*.tmp"))


def test_the_kernels_are_ready_before_the_search_starts_its_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """calibrate compiles (or loads) the whole run before run_smc, where pyabc's multicore sampler forks."""
    import experiments.calibration.calibrate as module

    calls: list[str] = []
    monkeypatch.setattr(module, "warm_up", lambda: calls.append("warm_up"))

    def search(*args: object, **kwargs: object) -> None:
        calls.append("run_smc")
        raise RuntimeError("stop here")

    monkeypatch.setattr(module, "run_smc", search)
    with pytest.raises(RuntimeError, match="stop here"):
        calibrate("italian_plan_2022", write(tmp_path, SMALL), tmp_path / "a", progress=False, predictive_runs=10)
    assert calls == ["warm_up", "run_smc"]


def test_without_compiled_kernels_a_calibration_says_so_once_and_gives_the_same_posterior(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where numba cannot run (here NUMBA_DISABLE_JIT=1) the kernels run interpreted: one line says so, the results are the same."""
    path = write(tmp_path, SMALL.replace("generations = 2", "generations = 1"))
    compiled = calibrate("italian_plan_2022", path, tmp_path / "c", backend="serial", progress=False, predictive_runs=10)
    capsys.readouterr()
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "1")
    interpreted = calibrate("italian_plan_2022", path, tmp_path / "i", backend="serial", progress=False, predictive_runs=10)
    err = capsys.readouterr().err
    assert err.count("the runs use the kernels interpreted") == 1, err
    pd.testing.assert_frame_equal(interpreted.posterior, compiled.posterior)
    pd.testing.assert_frame_equal(interpreted.checks, compiled.checks)
    assert json.loads((tmp_path / "i" / "calibration.json").read_text())["engine"] == "interpreted"
    assert json.loads((tmp_path / "c" / "calibration.json").read_text())["engine"] == "compiled"


def test_a_folder_of_another_calibration_is_not_resumed(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL.replace("generations = 2", "generations = 1"))
    calibrate("italian_plan_2022", path, tmp_path / "a", backend="serial", progress=False, predictive_runs=10)
    other = write(tmp_path, SMALL.replace("generations = 2", "generations = 1").replace("observed = 0.2", "observed = 0.3"), "other.toml")
    with pytest.raises(TargetError, match="another scenario, target file"):
        calibrate("italian_plan_2022", other, tmp_path / "a", backend="serial", progress=False, predictive_runs=10)


# ---------------------------------------------------------------------------
# the shipped posterior: the record is a typical draw
# ---------------------------------------------------------------------------
@pytest.mark.skipif(not (SHIPPED / "posterior.csv").is_file(), reason="no shipped calibration")
def test_the_record_is_inside_the_central_90_percent_of_the_shipped_posterior_predictive() -> None:
    targets = load_targets("record_2022_2024")
    posterior = pd.read_csv(SHIPPED / "posterior.csv")
    draws = predictive(load_scenario("italian_plan_2022"), posterior, targets, 300, seed=11)
    checked = checks(draws, targets)
    assert checked["inside"].all(), checked
    # the subject survives: some draws still reach a negotiated end, and not all
    negotiated = draws.statistics["negotiated_end"].mean()
    half = 3 * np.sqrt(negotiated * (1 - negotiated) / 300)
    assert negotiated - half > 0.0 and negotiated + half < 1.0


# ---------------------------------------------------------------------------
# experiments that draw their scenario from a posterior
# ---------------------------------------------------------------------------
POSTERIOR_EXPERIMENT = """
name = "drawn"
scenario = "{scenario}"
master_seed = 3
replicates = 6
posterior = true
[fixed]
max_rounds = 12
[parameters.initial_advantage]
values = [0.5, 0.6]
"""


def _scenario_with_posterior(tmp_path: Path) -> Path:
    scenario = tmp_path / "calibrated.toml"
    scenario.write_text('extends = "italian_plan_2022"\n', encoding="utf-8")
    rows = ["momentum,initial_advantage,weight", "-0.003,0.9,0.5", "0.003,0.9,0.25", "0.0,0.9,0.25"]
    (tmp_path / "calibrated.posterior.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return scenario


def test_a_sweep_with_posterior_draws_each_run_its_particle_and_keeps_its_design_values(tmp_path: Path) -> None:
    from experiments import run_experiment
    from experiments.store import read_runs

    scenario = _scenario_with_posterior(tmp_path)
    exp = tmp_path / "drawn.toml"
    exp.write_text(POSTERIOR_EXPERIMENT.replace("{scenario}", str(scenario)), encoding="utf-8")
    run_experiment(exp, out_dir=tmp_path / "a", backend="serial", progress=False, report=False)
    run_experiment(exp, out_dir=tmp_path / "b", backend="processes", workers=2, progress=False, report=False)
    a, b = read_runs(tmp_path / "a"), read_runs(tmp_path / "b")
    pd.testing.assert_frame_equal(a, b)  # the draw follows the run's seed, not the backend
    overrides = [json.loads(o) for o in a["overrides"]]
    assert {o["momentum"] for o in overrides} <= {-0.003, 0.003, 0.0}
    assert len({o["momentum"] for o in overrides}) > 1  # the runs do not all draw one particle
    # the varied parameter keeps its design value, never the posterior's 0.9
    assert sorted({o["initial_advantage"] for o in overrides}) == [0.5, 0.6]


def test_posterior_true_on_a_scenario_without_one_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "plain.toml"
    scenario.write_text('extends = "italian_plan_2022"\n', encoding="utf-8")
    exp = tmp_path / "drawn.toml"
    exp.write_text(POSTERIOR_EXPERIMENT.replace("{scenario}", str(scenario)), encoding="utf-8")
    code = main(["sweep", str(exp), "--out", str(tmp_path / "out"), "--backend", "serial", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "no posterior file" in err
    assert not (tmp_path / "out").exists()


def test_a_bad_posterior_file_is_refused(tmp_path: Path) -> None:
    from experiments.calibration.draws import load_posterior

    path = tmp_path / "p.posterior.csv"
    for text, message in (
        ("a,weight\n1,1\n", "unknown parameter 'a'"),
        ("momentum\n0.1\n", "'weight' column"),
        ("momentum,weight\nx,1\n", "must be a number"),
        ("momentum,weight\n0.1,-1\n", "weight of 0"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(TargetError.__mro__[1], match=message):
            load_posterior(path)
