"""The batch runner: seeds, determinism across backends, streaming, resume, errors, schema, report."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import model
from experiments import ExperimentError, SweepError, read_manifest, read_runs, replay_command, report, run_experiment, store, worker
from experiments.runner import run_seeds
from experiments.store import OUTCOME_FIELDS, part_files
from model.cli import build_parser, parse_assignments
from model.viz.run import resolve_run

TINY = """
name = "tiny"
scenario = "italian_plan_2022"
master_seed = 7
replicates = 5
[fixed]
max_rounds = {rounds}
[parameters.initial_advantage]
values = [0.5, 0.62]
[parameters.protocol]
values = ["ifg_sequential", "none"]
[report]
heatmap = ["initial_advantage", "protocol"]
group = "protocol"
[quick]
replicates = 2
"""


def tiny(tmp_path: Path, rounds: int = 30, replicates: int = 5) -> Path:
    path = tmp_path / "tiny.toml"
    text = textwrap.dedent(TINY).replace("{rounds}", str(rounds)).replace("replicates = 5", f"replicates = {replicates}")
    path.write_text(text, encoding="utf-8")
    return path


def sweep(exp: Path | str, out: Path, **kwargs: Any) -> pd.DataFrame:
    kwargs.setdefault("progress", False)
    kwargs.setdefault("backend", "serial")
    kwargs.setdefault("report", False)
    return run_experiment(exp, out_dir=out, **kwargs)


def test_seeds_are_spawned_from_the_master_seed() -> None:
    seeds = run_seeds(7, 50)
    assert seeds.dtype == np.int64 and (seeds >= 0).all()
    assert len(set(seeds.tolist())) == 50
    assert np.array_equal(seeds, run_seeds(7, 50))
    assert np.array_equal(seeds[:10], run_seeds(7, 10))  # a run's seed does not depend on the design's size
    assert not np.array_equal(seeds, run_seeds(8, 50))


def test_rows_replay_with_their_seed_and_overrides(tmp_path: Path) -> None:
    sweep(tiny(tmp_path), tmp_path / "out")
    runs = read_runs(tmp_path / "out")
    assert list(runs["run_id"]) == list(range(20))
    assert (runs["run_id"] == runs["point_id"] * 5 + runs["replicate"]).all()
    for _, row in runs.iloc[[0, 7, 19]].iterrows():
        overrides = json.loads(row["overrides"])
        assert overrides["initial_advantage"] == row["initial_advantage"]
        assert overrides["max_rounds"] == 30
        again = model.WarTerminationModel(row["scenario"], rng=int(row["seed"]), **overrides).run().to_dict()
        for key, value in again.items():
            saved = row[key]
            assert (value is None and pd.isna(saved)) or value == saved, key
        command = replay_command(row)
        assert command.startswith(f"war-termination run italian_plan_2022 --seed {row['seed']} ")
        assert "--set max_rounds=30" in command
        # the same row opened in the browser page: the page's own parsing gives the same run
        page = build_parser().parse_args(shlex.split(replay_command(row, page=True))[1:])
        assert page.command == "viz"
        spec = resolve_run(page.scenario, page.seed, parse_assignments(page.overrides))
        shown = model.WarTerminationModel(spec.scenario, rng=spec.seed, **spec.overrides).run().to_dict()
        assert shown == again


def test_parquet_schema(tmp_path: Path) -> None:
    sweep(tiny(tmp_path), tmp_path / "out")
    parts = part_files(tmp_path / "out")
    assert parts and all(p.parent.name == "runs" for p in parts)
    schema = pq.read_schema(parts[0])
    expected = {"run_id": "int64", "point_id": "int64", "replicate": "int64", "seed": "int64", "scenario": "string",
                "overrides": "string", "max_rounds": "int64", "initial_advantage": "double", "protocol": "string",
                "kind": "string", "winner": "string", "first_ceasefire_round": "int64", "cost_russia": "double",
                "term_crimea": "double", "error": "string"}
    for name, type_ in expected.items():
        assert str(schema.field(name).type) == type_, name
    assert {f.name for f in OUTCOME_FIELDS} <= set(schema.names)
    assert set(model.Outcome.__dataclass_fields__) - {"terms", "costs", "forms"} <= set(schema.names)
    for part in parts:
        assert pq.read_schema(part).equals(schema)


def test_serial_and_processes_give_identical_tables(tmp_path: Path) -> None:
    exp = tiny(tmp_path)
    a = sweep(exp, tmp_path / "serial")
    b = sweep(exp, tmp_path / "processes", backend="processes", workers=2, chunk_size=3)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "serial"), read_runs(tmp_path / "processes"))
    pd.testing.assert_frame_equal(a, b)
    assert len(part_files(tmp_path / "processes")) == 7  # 20 runs in chunks of 3, each written as it finished


def test_summary_table(tmp_path: Path) -> None:
    summary = sweep(tiny(tmp_path), tmp_path / "out")
    assert list(summary["point_id"]) == [0, 1, 2, 3]
    assert (summary["n"] == 5).all()
    shares = summary[["p_settlement", "p_ceasefire", "p_victory_russia", "p_victory_ukraine", "p_war"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    for name in ("settlement", "ceasefire", "victory_russia", "victory_ukraine", "war", "negotiated"):
        assert (summary[f"p_{name}_lo"] <= summary[f"p_{name}"]).all()
        assert (summary[f"p_{name}"] <= summary[f"p_{name}_hi"]).all()
    no_talks = summary[summary["protocol"] == "none"]
    assert (no_talks["p_negotiated"] == 0).all() and no_talks["ceasefire_round_median"].isna().all()
    on_disk = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert len(on_disk) == 4 and "p_negotiated_hi" in on_disk


def test_manifest_records_provenance(tmp_path: Path) -> None:
    sweep(tiny(tmp_path), tmp_path / "out")
    manifest = read_manifest(tmp_path / "out")
    assert manifest["status"] == "complete" and manifest["runs_done"] == 20
    assert manifest["master_seed"] == 7 and manifest["backend"] == "serial" and manifest["workers"] == 1
    assert manifest["model_version"] == model.__version__
    assert "[parameters.protocol]" in manifest["experiment_text"]
    assert {"mesa", "numpy", "pandas", "pyarrow", "SALib", "dask"} <= set(manifest["packages"])
    assert manifest["design_points"] == 4 and manifest["python"].startswith("3.")
    assert manifest["wall_time_s"] >= 0


def test_resume_runs_only_the_missing_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exp = tiny(tmp_path)
    sweep(exp, tmp_path / "full")
    out = tmp_path / "partial"
    sweep(exp, out, chunk_size=4)
    parts = part_files(out)
    for lost in parts[1::2]:
        lost.unlink()
    (out / "runs" / ".part-junk.parquet.tmp").write_bytes(b"half a file")
    kept = set(read_runs(out)["run_id"])
    calls: list[int] = []
    real = worker.run_one

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(worker, "run_one", counting)
    sweep(exp, out, chunk_size=4)
    assert len(calls) == 20 - len(kept)
    assert not list((out / "runs").glob("*.tmp"))
    pd.testing.assert_frame_equal(read_runs(out), read_runs(tmp_path / "full"))


def test_fresh_starts_over_and_a_changed_design_is_refused(tmp_path: Path) -> None:
    exp = tiny(tmp_path)
    out = tmp_path / "out"
    sweep(exp, out)
    with pytest.raises(ExperimentError, match="holds runs of a different experiment or size.*--fresh"):
        sweep(tiny(tmp_path, rounds=31), out)
    sweep(tiny(tmp_path, rounds=31), out, resume=False)
    assert (read_runs(out)["max_rounds"] == 31).all()


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path: Path, fail_runs_where: Any) -> None:
    fail_runs_where(lambda values: values["protocol"] == "none" and values["initial_advantage"] == 0.62)
    summary = sweep(tiny(tmp_path), tmp_path / "out")
    runs = read_runs(tmp_path / "out")
    failed = runs[runs["error"].notna()]
    assert len(failed) == 5 and (failed["error"] == "RuntimeError: engine trouble").all()
    assert failed["kind"].isna().all()
    assert summary.loc[summary["errors"] > 0, "n"].tolist() == [0]
    assert summary["errors"].sum() == 5

    with pytest.raises(SweepError, match="engine trouble"):
        sweep(tiny(tmp_path), tmp_path / "fail_fast", fail_fast=True, resume=False)
    assert len(read_runs(tmp_path / "fail_fast")) < 20


def test_bad_runner_arguments(tmp_path: Path) -> None:
    exp = tiny(tmp_path)
    with pytest.raises(ExperimentError, match="backend: expected one of serial, processes, dask"):
        sweep(exp, tmp_path / "out", backend="threads")
    with pytest.raises(ExperimentError, match="workers: expected a positive integer"):
        sweep(exp, tmp_path / "out", backend="processes", workers=-1)
    with pytest.raises(ExperimentError, match="workers: expected a positive integer, got True"):
        sweep(exp, tmp_path / "out", backend="processes", workers=True)
    with pytest.raises(ExperimentError, match="scheduler: only the dask backend"):
        sweep(exp, tmp_path / "out", scheduler="tcp://127.0.0.1:1")
    with pytest.raises(ExperimentError, match="chunk_size: expected a positive integer, got 0"):
        sweep(exp, tmp_path / "out", chunk_size=0)
    assert not (tmp_path / "out").exists()


def test_report_renders_from_saved_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = sweep(tiny(tmp_path), out, report=True)
    figures = {p.name for p in out.glob("*.png")}
    assert {"heatmap.png", "heatmap_timing.png"} <= figures <= set(store.FIGURES)
    runs = read_runs(out)
    negotiated = (runs["kind"] == "settlement") | runs["first_ceasefire_round"].notna()
    assert ("km_negotiated_end.png" in figures) is bool(negotiated.any())
    assert ("cumulative_incidence.png" in figures) is bool((runs["kind"] == "victory").any())
    for name in [*figures, "summary.csv"]:
        (out / name).unlink()
    (tmp_path / "tiny.toml").unlink()  # the report needs only the folder
    again = report(out)
    pd.testing.assert_frame_equal(first, again)
    for name in figures:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / name).with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"  # a vector copy beside every PNG
    with pytest.raises(ExperimentError, match="not a results folder"):
        report(tmp_path)


@pytest.mark.slow
def test_dask_gives_the_same_table_as_serial(tmp_path: Path) -> None:
    from distributed import LocalCluster

    exp = tiny(tmp_path)
    sweep(exp, tmp_path / "serial")
    with LocalCluster(n_workers=2, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        sweep(exp, tmp_path / "dask", backend="dask", scheduler=cluster.scheduler_address, chunk_size=2)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "serial"), read_runs(tmp_path / "dask"))


@pytest.mark.slow
def test_sweep_killed_midway_resumes_to_the_same_result(tmp_path: Path) -> None:
    exp = tiny(tmp_path, rounds=104, replicates=100)  # 400 runs
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "model", "sweep", str(exp), "--out", str(out), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(part_files(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, with no chance to clean up
    proc.wait()
    saved = len(read_runs(out))
    assert 0 < saved < 400
    assert read_manifest(out)["status"] == "running"

    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert read_manifest(out)["status"] == "complete"
    assert read_manifest(out)["runs_this_session"] == 400 - saved
    sweep(exp, tmp_path / "clean", backend="processes", workers=2)
    pd.testing.assert_frame_equal(read_runs(out), read_runs(tmp_path / "clean"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["severodonetsk_trend", "mediation_design", "commitment_problem", "third_party_aid", "sensitivity"])
def test_shipped_experiments_run_at_quick_size(tmp_path: Path, name: str) -> None:
    summary = run_experiment(name, out_dir=tmp_path / name, quick=True, backend="serial", progress=False)
    assert summary["n"].sum() > 0 and summary["errors"].sum() == 0
    assert (tmp_path / name / "summary.csv").is_file()
    assert (tmp_path / name / "km_negotiated_end.png").is_file()
    if name == "sensitivity":
        indices = pd.read_csv(tmp_path / name / "sensitivity.csv")
        assert set(indices["outcome"]) == {"negotiated", "rmst_negotiated_end"}
        assert (tmp_path / name / "sensitivity.png").is_file()


def test_command_line_sweep_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from model.cli import main

    exp, out = tiny(tmp_path), tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--backend", "serial", "--no-progress"]) == 0
    assert "4 design points, 20 runs (0 failed)" in capsys.readouterr().out
    (out / "summary.csv").unlink()
    assert main(["report", str(out)]) == 0
    assert (out / "summary.csv").is_file()
    assert main(["sweep", str(exp), "--out", str(out), "--backend", "serial", "--quick", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "different experiment or size" in err and len(err.strip().splitlines()) == 1
    assert main(["sweep", str(exp), "--out", str(out), "--backend", "serial", "--scheduler", "tcp://x:1"]) == 2
    assert "--scheduler: only --backend dask" in capsys.readouterr().err
    assert main(["sweep", "no_such_experiment"]) == 2
    assert "unknown experiment 'no_such_experiment'" in capsys.readouterr().err


@pytest.mark.parametrize("method", ["lhs", "morris"])
def test_sampled_designs_run_and_analyse(tmp_path: Path, method: str) -> None:
    text = textwrap.dedent(
        f"""
        name = "sampled"
        scenario = "italian_plan_2022"
        master_seed = 11
        replicates = 2
        outcomes = ["negotiated", "rounds"]
        [design]
        method = "{method}"
        samples = 4
        [fixed]
        max_rounds = 20
        [parameters.initial_advantage]
        low = 0.45
        high = 0.7
        [parameters.protocol]
        values = ["ifg_sequential", "none"]
        """
    )
    path = tmp_path / "sampled.toml"
    path.write_text(text, encoding="utf-8")
    summary = sweep(path, tmp_path / "out", report=True)
    n_points = 4 if method == "lhs" else 4 * (2 + 1)
    assert len(summary) == n_points and (summary["n"] == 2).all()
    assert summary["initial_advantage"].between(0.45, 0.7).all()
    assert set(summary["protocol"]) <= {"ifg_sequential", "none"}
    if method == "morris":
        indices = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
        assert set(indices.columns) == {"outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"}
        assert len(indices) == 4 and (indices["mu_star"] >= 0).all()
        assert (tmp_path / "out" / "sensitivity.png").is_file()
    else:
        assert not (tmp_path / "out" / "sensitivity.csv").exists()


def test_the_report_reads_only_the_columns_it_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = sweep(tiny(tmp_path), out, report=True)
    import pyarrow.parquet

    from experiments import store

    real = pyarrow.parquet.read_table
    requested: list[list[str] | None] = []

    def spy(source: Any, *args: Any, columns: list[str] | None = None, **kwargs: Any) -> Any:
        requested.append(columns)
        return real(source, *args, columns=columns, **kwargs)

    monkeypatch.setattr(store.pq, "read_table", spy)
    again = report(out)
    pd.testing.assert_frame_equal(first, again)
    assert requested and all(columns is not None for columns in requested)  # never every column
    read = set().union(*(set(columns or ()) for columns in requested))
    assert not read & {"overrides", "seed", "scenario", "final_balance", "violations_detected"}
    assert {"kind", "first_ceasefire_round", "initial_advantage", "protocol", "term_crimea"} <= read


def test_manifest_records_the_model_source_and_the_git_state(tmp_path: Path) -> None:
    from experiments.runner import model_source_hash

    sweep(tiny(tmp_path), tmp_path / "out")
    manifest = read_manifest(tmp_path / "out")
    assert manifest["model_source_hash"] == model_source_hash() and len(manifest["model_source_hash"]) == 64
    assert manifest["git_dirty"] in (True, False, None)
    assert (manifest["git_dirty"] is None) == (manifest["git_commit"] is None)


def test_model_source_hash_covers_every_py_and_toml_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from experiments.runner import model_source_hash

    copy = tmp_path / "model"
    shutil.copytree(Path(model.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(model, "__file__", str(copy / "__init__.py"))
    original = model_source_hash()
    (copy / "notes.txt").write_text("not source", encoding="utf-8")
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert model_source_hash() == original
    scenario = copy / "scenarios" / "stalemate.toml"
    scenario.write_text(scenario.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    edited = model_source_hash()
    assert edited != original
    (copy / "extra.py").write_text("", encoding="utf-8")
    assert model_source_hash() not in (original, edited)


def test_resume_refuses_runs_made_by_other_model_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from experiments import runner

    exp, out = tiny(tmp_path), tmp_path / "out"
    sweep(exp, out, chunk_size=4)
    for lost in part_files(out)[1:]:
        lost.unlink()  # an interrupted sweep ...
    monkeypatch.setattr(runner, "model_source_hash", lambda: "f" * 64)  # ... restarted after the model changed
    with pytest.raises(ExperimentError, match=r"holds runs made by different model code .*use --fresh .* or another --out"):
        sweep(exp, out)
    assert len(read_runs(out)) == 4  # nothing was added
    sweep(exp, out, resume=False)
    assert read_manifest(out)["model_source_hash"] == "f" * 64 and len(read_runs(out)) == 20

    manifest = read_manifest(out)
    del manifest["model_source_hash"]  # a folder from before the hash was recorded: its code is unknown
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ExperimentError, match="model code its manifest does not record"):
        sweep(exp, out)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_scheduler_leaves_the_folder_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from experiments.backends import dask_cluster

    monkeypatch.setattr(dask_cluster, "DASK_TIMEOUT", 1.0)
    exp, address = tiny(tmp_path), f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ExperimentError, match=r"scheduler: cannot reach the Dask scheduler at 'tcp://127\.0\.0\.1:\d+'"):
        sweep(exp, tmp_path / "new", backend="dask", scheduler=address)
    assert not (tmp_path / "new" / "design.csv").exists() and not (tmp_path / "new" / "manifest.json").exists()
    out = tmp_path / "old"
    sweep(exp, out)
    before = {p.name: p.read_bytes() for p in [*out.iterdir(), *part_files(out)] if p.is_file()}
    with pytest.raises(ExperimentError, match="cannot reach"):
        sweep(exp, out, backend="dask", scheduler=address, resume=False)  # --fresh: nothing deleted before connecting
    assert {p.name: p.read_bytes() for p in [*out.iterdir(), *part_files(out)] if p.is_file()} == before


SCENARIO = """
name = "my_trend"
extends = "severodonetsk"
[battlefield]
momentum = -0.006
"""


def test_a_scenario_file_travels_with_the_chunks(tmp_path: Path) -> None:
    import pickle

    from experiments import load_experiment, runner, store
    from experiments.design import build_design

    scenario = tmp_path / "my_trend.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    exp_path = tiny(tmp_path)
    exp_path.write_text(exp_path.read_text(encoding="utf-8").replace("italian_plan_2022", str(scenario)), encoding="utf-8")
    out = tmp_path / "out"
    sweep(exp_path, out)
    saved = read_runs(out)
    assert (saved["scenario"] == str(scenario)).all() and saved["error"].isna().all()

    exp = load_experiment(exp_path)
    design = build_design(exp)
    seeds, values = runner._plan(exp, design)
    chunks = list(runner._chunks(exp, runner._scenario_payload(exp.scenario), None, range(len(seeds)), seeds, values, 20, False))
    sent = chunks[0].scenario_values
    assert sent is not None and sent.name == "my_trend" and dict(sent.values)["momentum"] == -0.006
    chunk = pickle.loads(pickle.dumps(chunks[0]))  # what a worker elsewhere receives
    scenario.unlink()  # ... and that worker cannot see this file
    worker._base_scenario.cache_clear()
    batch = worker.run_chunk(chunk)
    store.write_part(tmp_path / "again", batch.run_ids, batch.table(store.run_schema([(f.name, f.kind) for f in exp.factors])))
    pd.testing.assert_frame_equal(read_runs(tmp_path / "again"), saved)  # the same runs, without the file
    # a bundled scenario is sent by name: every worker has it
    assert runner._scenario_payload("severodonetsk") is None


@pytest.mark.slow
def test_dask_records_the_real_worker_count_and_checks_their_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        with monkeypatch.context() as patch:  # this process's model differs from the workers' model
            copy = tmp_path / "model"
            shutil.copytree(Path(model.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
            (copy / "edited.py").write_text("", encoding="utf-8")
            patch.setattr(model, "__file__", str(copy / "__init__.py"))
            with pytest.raises(ExperimentError, match="1 of the 1 Dask workers run different model code"):
                sweep(tiny(tmp_path), tmp_path / "mixed", backend="dask", scheduler=cluster.scheduler_address)
        assert not (tmp_path / "mixed").exists()
        monkeypatch.setattr(os, "cpu_count", lambda: 64)  # not the machine's cores: the scheduler's workers
        sweep(tiny(tmp_path), tmp_path / "out", backend="dask", scheduler=cluster.scheduler_address)
    manifest = read_manifest(tmp_path / "out")
    assert manifest["workers"] == 1 and manifest["worker_threads"] == 1 and manifest["status"] == "complete"


@pytest.mark.slow
def test_workers_do_not_outlive_a_killed_sweep(tmp_path: Path) -> None:
    import psutil

    exp = tiny(tmp_path, rounds=104, replicates=100)  # 400 runs: long enough to be killed mid-way
    out = tmp_path / "orphans"
    command = [sys.executable, "-m", "model", "sweep", str(exp), "--out", str(out), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        while not part_files(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the workers are running chunks once the first part is saved
        assert proc.poll() is None, "the sweep finished before it could be killed"
        children = psutil.Process(proc.pid).children(recursive=True)
        workers = [c for c in children if "resource_tracker" not in " ".join(c.cmdline())]  # forked or spawned
        assert len(workers) >= 2
        proc.kill()  # SIGKILL the parent only: it cannot stop its workers
        proc.wait()
        _, alive = psutil.wait_procs(children, timeout=5)
        assert not alive, f"orphaned after 5 s: {[c.pid for c in alive]}"
    finally:
        for child in children:  # clean up what this test started, by pid
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        if proc.poll() is None:
            proc.kill()


def test_a_resized_sweep_reports_what_it_ran(tmp_path: Path) -> None:
    import dataclasses

    from experiments import load_experiment
    from experiments.spec import experiment_from_text

    text = TINY.replace("{rounds}", "20").replace(
        "[fixed]", '[design]\nmethod = "lhs"\nsamples = 4\n[fixed]'
    ).replace('values = [0.5, 0.62]', "low = 0.45\nhigh = 0.7").replace('heatmap = ["initial_advantage", "protocol"]\n', "")
    path = tmp_path / "sampled.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    exp = load_experiment(path, replicates=2, samples=3)
    out = tmp_path / "out"
    summary = sweep(exp, out, report=True)
    assert len(summary) == 3 and (summary["n"] == 2).all() and len(read_runs(out)) == 6
    manifest = read_manifest(out)
    kept = experiment_from_text(manifest["experiment_text"], where="manifest")
    assert (kept.replicates, kept.samples) == (2, 3) == (manifest["replicates"], len(summary))
    assert manifest["status"] == "complete"
    path.unlink()
    pd.testing.assert_frame_equal(report(out), summary)  # rebuilt from the manifest: the same design and runs
    # a size changed behind the text's back would make the manifest lie: refused before anything runs
    with pytest.raises(ExperimentError, match=r"text declares replicates = 2, samples = 3 but it has replicates = 5.*resized"):
        sweep(dataclasses.replace(exp, replicates=5), tmp_path / "lying")
    assert not (tmp_path / "lying").exists()


def test_resume_refuses_runs_of_a_scenario_file_edited_since(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.toml"
    scenario.write_text('name = "mine"\nextends = "theory_random_walk"\n[battlefield]\ninitial_advantage = 0.5\n', encoding="utf-8")
    exp, out = tiny(tmp_path), tmp_path / "out"
    sweep(exp, out, chunk_size=4, scenario=str(scenario))
    for lost in part_files(out)[1:]:
        lost.unlink()  # an interrupted sweep ...
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("0.5", "0.6"), encoding="utf-8")  # ... and an edit
    with pytest.raises(ExperimentError, match="different experiment"):
        sweep(exp, out, scenario=str(scenario))
    assert len(read_runs(out)) == 4


def test_workers_are_forked_only_while_this_process_runs_the_code_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from experiments.backends.processes import process_context
    from experiments.runner import model_source_hash

    on_disk = model_source_hash()
    assert model.SOURCE_HASH_AT_IMPORT == on_disk
    exp = tiny(tmp_path)
    sweep(exp, tmp_path / "serial")
    with monkeypatch.context() as patch:
        patch.setattr(threading, "active_count", lambda: 1)  # as the command line is when it starts its workers
        # forked workers share this process's memory (Linux); elsewhere they are spawned
        assert process_context(on_disk).get_start_method() == ("fork" if sys.platform == "linux" else "spawn")
        sweep(exp, tmp_path / "forked", backend="processes", workers=2)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "forked"), read_runs(tmp_path / "serial"))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:  # a lock another thread holds would stay locked in a forked child
        assert process_context(on_disk).get_start_method() == "spawn"
    finally:
        stop.set()
        other.join()
    # a session that imported the model before its files changed (a notebook's kernel) would fork workers that run
    # the old code under the new code's hash: they are spawned, and import the code on disk
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(model, "SOURCE_HASH_AT_IMPORT", "0" * 64)
    assert process_context(on_disk).get_start_method() == "spawn"
    sweep(exp, tmp_path / "spawned", backend="processes", workers=2)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "spawned"), read_runs(tmp_path / "serial"))
    assert read_manifest(tmp_path / "spawned")["model_source_hash"] == on_disk


def test_without_compiled_kernels_a_sweep_says_so_once_and_gives_the_same_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where numba cannot run (here NUMBA_DISABLE_JIT=1) the kernels run interpreted: one line says so, the runs are the same."""
    exp = tiny(tmp_path, rounds=12, replicates=2)
    sweep(exp, tmp_path / "compiled")
    capsys.readouterr()
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "1")
    sweep(exp, tmp_path / "interpreted")
    err = capsys.readouterr().err
    assert err.count("the runs use the kernels interpreted") == 1, err
    assert read_manifest(tmp_path / "interpreted")["engine"] == "interpreted"
    assert read_manifest(tmp_path / "compiled")["engine"] == "compiled"
    pd.testing.assert_frame_equal(read_runs(tmp_path / "interpreted"), read_runs(tmp_path / "compiled"))
