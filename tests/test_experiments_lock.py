"""One sweep a results folder: the lock (issue 16).

Two sweeps started together into one folder: exactly one runs, the other is
refused with one line and exit 2 before it touches anything, and the table is
exactly one experiment's. A folder whose sweep was killed (SIGKILL) is
resumed normally: the operating system released its lock.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from experiments import read_manifest, read_runs, run_experiment, store
from model.cli import main

EXPERIMENT = """
name = "{name}"
scenario = "italian_plan_2022"
master_seed = {seed}
replicates = 50
[fixed]
max_rounds = 104
[parameters.initial_advantage]
values = [0.5, 0.62]
[parameters.protocol]
values = ["ifg_sequential", "none"]
"""


def experiment(tmp_path: Path, name: str = "locked", seed: int = 7) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(textwrap.dedent(EXPERIMENT).format(name=name, seed=seed), encoding="utf-8")
    return path


def command(exp: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "model", "sweep", str(exp), "--out", str(out), "--backend", "serial", "--no-progress", *extra]


def test_a_locked_folder_is_refused_by_sweep_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp, out = experiment(tmp_path), tmp_path / "out"
    with store.locked(out, "sweep"):
        note = json.loads((out / store.LOCK).read_text(encoding="utf-8"))
        assert note["pid"] == os.getpid() and note["command"] == "sweep"
        for argv in (["sweep", str(exp), "--out", str(out), "--backend", "serial"], ["report", str(out)]):
            assert main(argv) == 2
            err = capsys.readouterr().err
            assert f"a sweep (process {os.getpid()}, started {note['started']}) is working on this results folder" in err
            assert len(err.strip().splitlines()) == 1
        assert sorted(p.name for p in out.iterdir()) == [store.LOCK]  # nothing read, nothing written
    assert not out.exists()  # the lock made the folder, and nothing else was written in it


CASES = {
    "scenario": (("locked", 7, ()), ("locked", 7, ("--scenario", "stalemate"))),  # mixed runs before issue 16
    "experiments": (("locked", 7, ()), ("other", 11, ())),  # crashed and left an unusable folder
    "same": (("locked", 7, ()), ("locked", 7, ())),  # left duplicate rows
}


@pytest.mark.timeout(180)
@pytest.mark.parametrize(
    "case", [pytest.param("scenario"), pytest.param("experiments", marks=pytest.mark.slow), pytest.param("same", marks=pytest.mark.slow)]
)
def test_two_sweeps_started_together_one_runs_the_other_is_refused(tmp_path: Path, case: str) -> None:
    out = tmp_path / "out"
    specs = [(experiment(tmp_path, name, seed), extra) for name, seed, extra in CASES[case]]
    procs = [subprocess.Popen(command(exp, out, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for exp, extra in specs]
    results = [(p.wait(timeout=170), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    winner = next(i for i, (code, _, _) in enumerate(results) if code == 0)
    loser_err = results[1 - winner][2]
    assert "is working on this results folder" in loser_err and len(loser_err.strip().splitlines()) == 1, loser_err
    exp, extra = specs[winner]
    scenario = extra[1] if extra else None
    clean = run_experiment(exp, out_dir=tmp_path / "clean", backend="serial", progress=False, report=False, scenario=scenario)
    runs = read_runs(out)
    assert runs["run_id"].is_unique and len(runs) == 200
    pd.testing.assert_frame_equal(runs, read_runs(tmp_path / "clean"))
    pd.testing.assert_frame_equal(pd.read_csv(out / "summary.csv"), clean, check_dtype=False)
    assert read_manifest(out)["status"] == "complete" and not (out / store.LOCK).exists()


@pytest.mark.timeout(180)
def test_a_folder_whose_sweep_was_killed_is_resumed(tmp_path: Path) -> None:
    exp, out = experiment(tmp_path), tmp_path / "out"
    proc = subprocess.Popen(command(exp, out, "--fresh"), start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(store.part_files(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (out / store.LOCK).exists() and read_manifest(out)["status"] == "running"  # left behind, but no longer held
    saved = len(read_runs(out))
    done = subprocess.run(command(exp, out), capture_output=True, text=True, timeout=170)
    assert done.returncode == 0, done.stderr
    manifest = read_manifest(out)
    assert manifest["status"] == "complete" and manifest["runs_this_session"] == 200 - saved
    run_experiment(exp, out_dir=tmp_path / "clean", backend="serial", progress=False, report=False)
    pd.testing.assert_frame_equal(read_runs(out), read_runs(tmp_path / "clean"))
    assert not (out / store.LOCK).exists() and not list(out.rglob("*.tmp"))


def _reports_the_lock(fd: int, lock: str, result: Any) -> None:
    """In a forked child: whether the descriptor the parent locked with is still open here, on the lock file."""
    try:
        held = os.path.samestat(os.fstat(fd), os.stat(lock))
    except OSError:
        held = False
    result.value = 1 if held else 0


def test_forked_workers_do_not_hold_the_lock(tmp_path: Path) -> None:
    import multiprocessing

    out = tmp_path / "out"
    context = multiprocessing.get_context("fork")
    result = context.Value("i", -1)
    with store.locked(out, "sweep"):
        (fd,) = store._HELD
        child = context.Process(target=_reports_the_lock, args=(fd, str(out / store.LOCK), result))
        child.start()
        child.join(timeout=30)
    assert child.exitcode == 0 and result.value == 0  # so a SIGKILLed sweep's lock dies with it, not with its last worker
