"""Faults a careful user or a hostile input brings to the batch runner: each ends in one line, and loses nothing.

Issue 16: ``--fresh`` deletes only the runner's own files; bounds on runs and
workers; ``report`` and resuming check the manifest and every part; one line
(and exit 2) for bad files; OS errors name the path and leave the manifest
true; a worker that dies or cannot start ends the sweep with one line and a
resumable folder.
"""

from __future__ import annotations

import concurrent.futures as cf
import errno
import json
import multiprocessing
import os
import shutil
import signal
import textwrap
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from experiments import ExperimentError, load_experiment, read_manifest, read_runs, run_experiment, store, worker
from experiments.backends import processes
from experiments.spec import MAX_RUNS
from model.cli import main

TINY = """
name = "tiny"
scenario = "italian_plan_2022"
master_seed = 7
replicates = 3
[fixed]
max_rounds = 12
[parameters.initial_advantage]
values = [0.5, 0.62]
[parameters.protocol]
values = ["ifg_sequential", "none"]
[quick]
replicates = 2
[quick.parameters.protocol]
values = ["none"]
"""


def tiny(tmp_path: Path, text: str = TINY, name: str = "tiny.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def sweep_args(exp: Path, out: Path | str, *extra: str) -> list[str]:
    return ["sweep", str(exp), "--out", str(out), "--backend", "serial", "--no-progress", *extra]


def one_line_error(capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    """The captured stderr: exactly one line, no traceback, holding each expected text."""
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err
    return err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def swept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A complete quick-size sweep (2 points x 2 replicates) with one part per run."""
    exp, out = tiny(tmp_path), tmp_path / "out"
    run_experiment(exp, out_dir=out, quick=True, backend="serial", progress=False, report=False, chunk_size=1)
    capsys.readouterr()
    return exp, out


# ----------------------------------------------------------------------
# 2. --fresh deletes only what the runner wrote, only in its own folder; --out '' refused
# ----------------------------------------------------------------------
def test_fresh_removes_only_the_runners_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp, out = tiny(tmp_path), tmp_path / "out"
    assert main(sweep_args(exp, out)) == 0
    mine = {"notes.txt": b"mine", "photo.png": b"not a figure", "runs/keep.txt": b"mine too"}
    for name, data in mine.items():
        (out / name).write_bytes(data)
    figures = {p.name for p in out.glob("*.p[dn][fg]")} - {"photo.png"}
    assert figures <= set(store.FIGURES)
    # figures a sweep draws (nothing happens in 12 rounds here, so none is drawn) and those earlier versions drew
    ours = ["km_negotiated_end.png", "km_negotiated_end.pdf", "heatmap_timing_terms.png", "km_first_ceasefire.png"]
    for name in ours:
        (out / name).write_bytes(b"a figure")
    assert main(sweep_args(exp, out, "--fresh", "--quick")) == 0  # another size: only possible because the old runs went
    assert not any((out / name).exists() for name in ours)
    for name, data in mine.items():
        assert (out / name).read_bytes() == data
    assert read_manifest(out)["quick"] is True and len(read_runs(out)) == 4
    assert not (out / store.LOCK).exists()
    capsys.readouterr()


def test_a_folder_the_runner_did_not_write_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp, home = tiny(tmp_path), tmp_path / "home"
    (home / "runs").mkdir(parents=True)
    (home / "holiday.png").write_bytes(b"png")
    (home / "runs" / "diary.txt").write_bytes(b"text")
    (home / "manifest.json").write_text('{"name": "my own manifest"}', encoding="utf-8")
    before = snapshot(home)
    for extra in (("--fresh",), ()):
        assert main(sweep_args(exp, home, *extra)) == 2
        one_line_error(capsys, "not a results folder written by 'sweep'")
        assert snapshot(home) == before
    with pytest.raises(ExperimentError, match="not empty and not a results folder"):
        run_experiment(exp, out_dir=home, resume=False, backend="serial", progress=False)
    assert snapshot(home) == before


@pytest.mark.parametrize("out", ["", "   ", "\t"])
def test_an_empty_out_is_refused(tmp_path: Path, out: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exp = tiny(tmp_path)
    assert main(sweep_args(exp, out, "--fresh")) == 2
    one_line_error(capsys, "--out: expected a folder path")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]


# ----------------------------------------------------------------------
# 3. Bounds, checked before anything big is built or started
# ----------------------------------------------------------------------
@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "change",
    [
        ("[quick]\nreplicates = 2", "[quick]\nreplicates = 10000000"),
        ("values = [0.5, 0.62]", "low = 0.5\nhigh = 0.62\nlevels = 1000000"),
        ("replicates = 3", "replicates = 1000000000000000000000"),
    ],
)
def test_an_experiment_too_large_is_refused_at_once(
    tmp_path: Path, change: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    exp = tiny(tmp_path, TINY.replace(*change))
    started = time.perf_counter()
    assert main(sweep_args(exp, tmp_path / "out")) == 2
    assert time.perf_counter() - started < 5
    one_line_error(capsys, f"more than the {MAX_RUNS:,} runs", "--allow-large")
    assert not (tmp_path / "out").exists()


def test_allow_large_lifts_the_bound(tmp_path: Path) -> None:
    exp = tiny(tmp_path, TINY.replace("replicates = 3", f"replicates = {MAX_RUNS}"))
    with pytest.raises(ExperimentError, match="allow-large"):
        load_experiment(exp)
    loaded = load_experiment(exp, allow_large=True)
    assert loaded.replicates == MAX_RUNS and loaded.quick_version().allow_large
    assert load_experiment(load_experiment(tiny(tmp_path, name="small.toml")), allow_large=True).allow_large


def test_too_many_workers_are_refused_before_any_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp = tiny(tmp_path)
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out"), "--workers", "100000", "--no-progress"]) == 2
    one_line_error(capsys, "workers: expected at most 64", "--allow-large")
    assert not (tmp_path / "out").exists() and not multiprocessing.active_children()


@pytest.mark.timeout(60)
def test_workers_that_cannot_start_end_the_sweep_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cf.ProcessPoolExecutor._spawn_process  # type: ignore[attr-defined]
    calls: list[int] = []

    def capped(self: Any) -> None:  # a cap on processes: the first worker starts, the second fork fails
        calls.append(1)
        if len(calls) > 1:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        real(self)

    monkeypatch.setattr(cf.ProcessPoolExecutor, "_spawn_process", capped)
    exp, out = tiny(tmp_path), tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "2", "--no-progress"]) == 1
    one_line_error(capsys, "cannot start", "worker process", "(Resource temporarily unavailable)", "try fewer --workers")
    assert not multiprocessing.active_children()  # the worker that did start is gone: nothing to wait for at exit
    monkeypatch.undo()
    assert main(sweep_args(exp, out)) == 0  # the folder is usable as it was
    capsys.readouterr()


# ----------------------------------------------------------------------
# 4. report and resume check the manifest against the parts
# ----------------------------------------------------------------------
def test_a_manifest_edited_to_full_size_is_caught(swept: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    exp, out = swept
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (out / "manifest.json").write_text(json.dumps({**manifest, "quick": False}), encoding="utf-8")
    before = snapshot(out)
    assert main(["report", str(out)]) == 2
    one_line_error(capsys, "manifest.json: records fingerprint", "edited")
    assert snapshot(out) == before


def test_a_stray_part_with_overlapping_run_ids_is_refused(swept: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    exp, out = swept
    first = store.part_files(out)[0]
    shutil.copy(first, out / "runs" / "part-00000000-00000000-00001-copy.parquet")
    assert main(["report", str(out)]) == 2
    one_line_error(capsys, "part-00000000-00000000-00001", "is saved in", "too")
    assert main(sweep_args(exp, out, "--quick")) == 2
    one_line_error(capsys, "is saved in")
    with pytest.raises(ExperimentError, match="saved in two parts"):
        read_runs(out)


def test_parts_of_another_design_are_refused(tmp_path: Path, swept: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    exp, out = swept
    other = tiny(tmp_path, TINY.replace("values = [0.5, 0.62]", "values = [0.52, 0.6]"), name="other.toml")
    run_experiment(other, out_dir=tmp_path / "other", quick=True, backend="serial", progress=False, report=False, chunk_size=1)
    last = store.part_files(out)[-1]
    last.unlink()
    shutil.copy(store.part_files(tmp_path / "other")[-1], last)  # same name, same run id, other values
    assert main(["report", str(out)]) == 2
    one_line_error(capsys, last.name, "initial_advantage = 0.6 where design point 1 has 0.62")
    assert main(sweep_args(exp, out, "--quick")) == 2
    one_line_error(capsys, "where design point 1 has 0.62")
    full = tmp_path / "full"
    run_experiment(exp, out_dir=full, backend="serial", progress=False, report=False, chunk_size=1)
    last.unlink()
    shutil.copy(store.part_files(full)[-1], last)  # run id 11 of the full size, in a 4-run folder
    assert main(["report", str(out)]) == 2
    one_line_error(capsys, "run id 11 is outside the experiment's 4 runs")


# ----------------------------------------------------------------------
# 5. One line and exit 2 for bad files
# ----------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"PAR1 this is not parquet PAR1", b"\x00" * 300])
def test_an_unreadable_part_is_named_in_report_and_on_resume(
    swept: tuple[Path, Path], content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    exp, out = swept
    part = store.part_files(out)[1]
    part.write_bytes(content)
    assert main(["report", str(out)]) == 2
    one_line_error(capsys, f"{part}: not a readable part")
    assert main(sweep_args(exp, out, "--quick")) == 2
    one_line_error(capsys, f"{part}: not a readable part")
    part.unlink()  # moved away, as the message says: its run runs again
    assert main(sweep_args(exp, out, "--quick")) == 0
    assert read_manifest(out)["runs_this_session"] == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2, 3]", "expected a JSON object, got a JSON list"),
        (b'{"experiment_text": "\xff\xfe"}', "not UTF-8 text"),
        (b'{"quick": "no"}', "quick: expected true or false, got 'no'"),
        (b'{"fingerprint": 12}', "fingerprint: expected a string, got 12"),
        (b'{"wall_time_total_s": "long"}', "wall_time_total_s: expected an integer or a number"),
        (b"[" * 5000 + b"]" * 5000, "manifest.json"),
        (b'{"runs": ' + b"9" * 5000 + b"}", "a number too long to read"),
    ],
)
def test_a_bad_manifest_is_one_line(
    swept: tuple[Path, Path], content: bytes, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    exp, out = swept
    (out / "manifest.json").write_bytes(content)
    assert main(["report", str(out)]) == 2
    one_line_error(capsys, expected)
    assert main(sweep_args(exp, out, "--quick")) == 2
    one_line_error(capsys, "manifest.json")


def test_a_manifest_with_fields_of_the_wrong_type_is_caught(swept: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    exp, out = swept
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key, value in {"replicates": "2", "experiment_text": ["x"], "scenario": 3, "runs": 4.0}.items():
        (out / "manifest.json").write_text(json.dumps({**manifest, key: value}), encoding="utf-8")
        assert main(["report", str(out)]) == 2
        one_line_error(capsys, f"{key}: expected")


DEEP = "x = " + "{ a = " * 2000 + "1" + " }" * 2000 + "\n"
LONG_INT = "replicates = " + "9" * 5000 + "\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "not UTF-8 text"),
        (TINY + "[quick]\n", "not valid TOML"),
        (TINY.replace("[quick]\nreplicates = 2", "[quick]\nreplicates = 2\nfixed = 7"), "[quick] fixed: expected a table"),
        (LONG_INT + TINY.replace("replicates = 3\n", ""), "integer of more than 4300 digits"),
        (DEEP + TINY, "nested more than 8 levels deep"),
        ("x = " + "[" * 2000 + "]" * 2000 + "\n" + TINY, "nested more than 8 levels deep"),
        (TINY.split("[quick.parameters")[0] + "parameters = 3\n", "[quick] parameters: expected tables"),
    ],
)
def test_a_bad_experiment_file_is_one_line(tmp_path: Path, text: str | None, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    if text is None:
        path.write_bytes(textwrap.dedent(TINY).encode() + b"description = \"\xff\xfe\"\n")
    else:
        path.write_text(text, encoding="utf-8")
    assert main(sweep_args(path, tmp_path / "out")) == 2
    one_line_error(capsys, "bad.toml", expected)


def extends_chain(tmp_path: Path, length: int) -> Path:
    """A scenario extending another, ``length`` files long."""
    (tmp_path / "s0.toml").write_text('name = "s0"\nextends = "italian_plan_2022"\n', encoding="utf-8")
    for i in range(1, length):
        (tmp_path / f"s{i}.toml").write_text(f'name = "s{i}"\nextends = "s{i - 1}.toml"\n', encoding="utf-8")
    return tmp_path / f"s{length - 1}.toml"


@pytest.mark.timeout(60)
def test_bad_scenarios_are_one_line_through_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from model.viz import command

    monkeypatch.setattr(command, "serve", lambda *args: pytest.fail("viz served a bad scenario"))
    chain = extends_chain(tmp_path, 1000)
    deep = tmp_path / "deep.toml"
    deep.write_text('name = "deep"\n' + DEEP, encoding="utf-8")
    big = tmp_path / "big.toml"
    big.write_text('name = "big"\n[battlefield]\nmax_rounds = ' + "1" * 5000 + "\n", encoding="utf-8")
    raw = tmp_path / "raw.toml"
    raw.write_bytes(b'name = "\xc3\x28"\n')
    exp = tiny(tmp_path)
    cases = {chain: "a chain of more than 32 files", deep: "nested more than 8", big: "more than 4300 digits", raw: "not UTF-8"}
    for scenario, expected in cases.items():
        for argv in (
            ["params", "--scenario", str(scenario)],
            ["viz", "--scenario", str(scenario)],
            ["run", str(scenario)],
            sweep_args(exp, tmp_path / "out", "--scenario", str(scenario)),
        ):
            assert main(argv) == 2, argv
            one_line_error(capsys, expected)
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------
# 6. OS errors name the path, and the manifest stays true
# ----------------------------------------------------------------------
def test_a_full_disk_names_the_file_and_the_manifest_says_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exp, out = tiny(tmp_path), tmp_path / "out"
    real = store.pq.write_table
    written: list[int] = []

    def full_disk(table: Any, where: Any, **kwargs: Any) -> None:
        if len(written) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(1)
        real(table, where, **kwargs)

    monkeypatch.setattr(store.pq, "write_table", full_disk)
    assert main(sweep_args(exp, out)) == 1
    err = one_line_error(capsys, "No space left on device", str(out / "runs" / "part-"))
    manifest = read_manifest(out)
    assert manifest["status"] == "failed" and "No space left on device" in manifest["error"]
    assert manifest["runs_done"] == len(read_runs(out)) == 4  # two parts of two runs
    assert "Errno 28" in err
    assert not list((out / "runs").glob(".*.tmp")) and not (out / store.LOCK).exists()
    monkeypatch.undo()
    assert main(sweep_args(exp, out)) == 0
    assert read_manifest(out)["status"] == "complete" and read_manifest(out)["runs_this_session"] == 8
    capsys.readouterr()


def test_permission_denied_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    exp, out = tiny(tmp_path), tmp_path / "out"
    real = store.atomic_write

    def denied(path: Path, write: Any) -> None:
        if path.name == "summary.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path, write)

    monkeypatch.setattr(store, "atomic_write", denied)
    assert main(sweep_args(exp, out)) == 1
    one_line_error(capsys, "Permission denied", str(out / "summary.csv"))
    assert read_manifest(out)["status"] == "complete"  # every run is saved: only the summary is missing


def test_a_folder_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exp, out = tiny(tmp_path), tmp_path / "read_only"
    out.mkdir()
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(out)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)  # as root, chmod does not stop writes: simulate a read-only folder
    assert main(sweep_args(exp, out)) == 2
    one_line_error(capsys, f"{out}: cannot write in the results folder (Permission denied)")


def test_an_out_that_cannot_be_a_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp = tiny(tmp_path)
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    runs_file = tmp_path / "runs_file"
    runs_file.mkdir()
    (runs_file / "runs").write_text("x", encoding="utf-8")
    cases = {
        a_file: "is a file, not a folder",
        a_file / "below": f"lies under {a_file}, which is a file",
        runs_file: f"{runs_file / 'runs'}: a file, where a results folder keeps its runs",
    }
    for out, expected in cases.items():
        assert main(sweep_args(exp, out)) == 2
        one_line_error(capsys, expected)
        assert main(["report", str(out)]) == 2
        one_line_error(capsys)
    assert a_file.read_text(encoding="utf-8") == "x"


# ----------------------------------------------------------------------
# 7. A worker killed mid-sweep: one line, a resumable folder, the same table
# ----------------------------------------------------------------------
def dying_chunk(chunk: worker.Chunk) -> worker.RunBatch:
    """A worker that is killed (SIGKILL, as by the OOM killer) when it is given run 6."""
    if any(task[0] == 6 for task in chunk.tasks):
        os.kill(os.getpid(), signal.SIGKILL)
    return worker.run_chunk(chunk)


@pytest.mark.timeout(120)
def test_a_killed_worker_ends_the_sweep_with_one_line_and_the_rerun_completes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exp, out = tiny(tmp_path), tmp_path / "out"
    monkeypatch.setattr(processes, "run_chunk", dying_chunk)
    argv = ["sweep", str(exp), "--out", str(out), "--workers", "2", "--no-progress"]
    assert main([*argv, "--fresh"]) == 1
    one_line_error(capsys, "a worker process died", "run the same command again")
    manifest = read_manifest(out)
    assert manifest["status"] == "failed" and "worker process died" in manifest["error"]
    assert not multiprocessing.active_children()
    monkeypatch.undo()
    assert main(argv) == 0
    assert read_manifest(out)["status"] == "complete"
    run_experiment(exp, out_dir=tmp_path / "clean", backend="serial", progress=False, report=False)
    pd.testing.assert_frame_equal(read_runs(out), read_runs(tmp_path / "clean"))
    assert not list((out / "runs").glob(".*.tmp"))
    capsys.readouterr()


@pytest.mark.timeout(60)
def test_a_large_design_is_checked_per_combination_with_the_same_first_failure(tmp_path: Path) -> None:
    from experiments.design import build_design
    from model import ScenarioError, load_scenario

    text = TINY.replace("replicates = 3", "replicates = 1").replace(
        '[parameters.protocol]\nvalues = ["ifg_sequential", "none"]',
        "[parameters.momentum]\nlow = -0.01\nhigh = 0.01\nlevels = 200\n[parameters.initial_advantage_x]",
    )
    cross = "[parameters.volatility]\nvalues = [0.02, 0.25]\n[parameters.initial_front]\nvalues = [0.5, 0.1]"
    text = text.replace("values = [0.5, 0.62]", "low = 0.5\nhigh = 0.62\nlevels = 200").replace("[parameters.initial_advantage_x]", cross)
    text = text.split("[quick]")[0]
    exp = tiny(tmp_path, text)  # 200 x 200 x 2 x 2 = 160,000 points
    started = time.perf_counter()
    with pytest.raises(ExperimentError, match=r"design point 3 .*initial_front: expected a share strictly inside") as info:
        load_experiment(exp)
    assert time.perf_counter() - started < 10
    # the first point a check of every point, in order, refuses
    points = build_design(load_experiment(tiny(tmp_path, text.replace("[0.5, 0.1]", "[0.5, 0.6]"), name="ok.toml"))).points
    base = load_scenario("italian_plan_2022").with_overrides({"max_rounds": 12})
    points["initial_front"] = [0.5, 0.1] * (len(points) // 2)
    first = None
    for point_id, point in zip(points.index, points.to_dict("records"), strict=True):
        try:
            base.with_overrides(point)
        except ScenarioError:
            first = point_id
            break
    assert f"design point {first} " in str(info.value)


@pytest.mark.timeout(30)
def test_morris_levels_are_bounded(tmp_path: Path) -> None:
    design = '[design]\nmethod = "morris"\nsamples = 2\nlevels = 1000000000'
    text = TINY.split("[quick]")[0].replace("max_rounds = 12", "max_rounds = 12\n" + design)
    text = text.replace("values = [0.5, 0.62]", "low = 0.5\nhigh = 0.62")
    text = text.replace('values = ["ifg_sequential", "none"]', "low = 0.0\nhigh = 0.5")
    text = text.replace("[parameters.protocol]", "[parameters.unresolved_risk]")
    with pytest.raises(ExperimentError, match=r"\[design\] levels: expected an integer in \[2, 1000\]"):
        load_experiment(tiny(tmp_path, text))
    assert load_experiment(tiny(tmp_path, text.replace("1000000000", "1000"), name="ok.toml")).morris_levels == 1000


def test_a_path_too_long_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exp, long_path = tiny(tmp_path), "a/" * 3000
    for argv in (sweep_args(exp, long_path), ["report", long_path], sweep_args(tmp_path / ("b" * 3000 + ".toml"), tmp_path / "out")):
        assert main(argv) == 2
        assert len(one_line_error(capsys, "File name too long")) < 300
