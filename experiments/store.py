"""The results folder: Parquet part files of runs, the manifest and atomic writes.

Layout of a results folder::

    OUT/
      manifest.json        provenance: experiment text, versions, seed, timing
      design.csv           the design points (point_id and the varied values)
      runs/part-*.parquet  one row per run, written chunk by chunk as runs finish
      summary.csv          per design point (see experiments.analysis)
      sensitivity.csv      Sobol or Morris indices (sampled designs)
      *.png, *.pdf         figures
      .sweep.lock          held by the sweep or report working on the folder (removed when it ends)

Every file is written to a temporary name in the same folder and renamed
into place (:func:`os.replace` is atomic on POSIX and Windows), so a sweep
killed at any moment leaves only complete files; temporary leftovers are
ignored and removed on the next start.

One process at a time works on a folder: a sweep (or a report) holds an
exclusive lock (:func:`locked`) on ``.sweep.lock`` for its whole life. The
lock is the operating system's (``flock``), so it goes with the process,
however it ends: a folder whose sweep was killed is taken over by the next
one. What the folder holds is checked before it is trusted: the manifest's
fields and types (:func:`read_manifest`), and every part's run ids and
factor values against the design (:func:`check_parts`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.calibration.draws import posterior_path
from experiments.design import Design
from experiments.spec import Experiment, ExperimentError
from model.files import atomic_write
from model.issues import ISSUES, TERRITORY_ISSUES
from model.scenario import load_scenario

RUNS_DIR = "runs"
MANIFEST = "manifest.json"
DESIGN = "design.csv"
SUMMARY = "summary.csv"
SENSITIVITY = "sensitivity.csv"
LOCK = ".sweep.lock"
FIGURE_NAMES: tuple[str, ...] = (
    "heatmap",
    "heatmap_timing",
    "heatmap_terms",
    "km_negotiated_end",
    "cumulative_incidence",
    "km_ceasefire_survival",
    "sensitivity",
)
"""The figures :mod:`experiments.figures` draws, each in every one of :data:`FIGURE_FORMATS`."""
FIGURE_FORMATS: tuple[str, ...] = ("png", "pdf")
"""A raster to look at, a vector file to print."""
FIGURES: tuple[str, ...] = (
    *(f"{name}.{fmt}" for name in FIGURE_NAMES for fmt in FIGURE_FORMATS),
    "heatmap_timing_terms.png",  # drawn by earlier versions, and removed like the others
    "km_first_ceasefire.png",
)
"""The figure files of a results folder: the only PNGs and PDFs ``--fresh`` (and a report) removes."""
_PART_GLOB = "part-*.parquet"
_TMP_GLOB = ".*.tmp"
MAX_MANIFEST_BYTES = 8 << 20
"""Largest manifest read: it holds an experiment's text (at most 1 MiB) and a few hundred short fields."""


class FolderError(ExperimentError):
    """A results folder that cannot be used as asked: not a folder, not the runner's, busy, or holding runs that do not fit."""

ID_FIELDS: tuple[pa.Field, ...] = (
    pa.field("run_id", pa.int64(), nullable=False),
    pa.field("point_id", pa.int64(), nullable=False),
    pa.field("replicate", pa.int64(), nullable=False),
    pa.field("seed", pa.int64(), nullable=False),
    pa.field("scenario", pa.string(), nullable=False),
    pa.field("overrides", pa.string(), nullable=False),
    pa.field("max_rounds", pa.int64()),
)
"""Identity and replay columns: ``war-termination run SCENARIO --seed SEED --set K=V ...`` replays a row."""

OUTCOME_FIELDS: tuple[pa.Field, ...] = (
    pa.field("kind", pa.string()),
    pa.field("winner", pa.string()),
    pa.field("rounds", pa.int64()),
    pa.field("step_reached", pa.int64()),
    pa.field("first_ceasefire_round", pa.int64()),
    pa.field("first_breakdown_round", pa.int64()),
    pa.field("breakdowns", pa.int64()),
    pa.field("violations_detected", pa.int64()),
    pa.field("final_front", pa.float64()),
    pa.field("final_balance", pa.float64()),
    *(pa.field(f"term_{issue}", pa.float64()) for issue in ISSUES),
    *(pa.field(f"form_{issue}", pa.string()) for issue in TERRITORY_ISSUES),
    pa.field("cost_russia", pa.float64()),
    pa.field("cost_ukraine", pa.float64()),
    pa.field("error", pa.string()),
)
"""Outcome columns: ``Outcome.to_dict()`` plus the round of the first breakdown and the error text, if any."""

RUN_COLUMNS: frozenset[str] = frozenset({f.name for f in (*ID_FIELDS, *OUTCOME_FIELDS)} | {"replicate"})
"""Every column of a run row that is not a varied parameter."""

_ARROW_TYPES: dict[type, pa.DataType] = {float: pa.float64(), int: pa.int64(), bool: pa.bool_(), str: pa.string()}


def run_schema(factors: Sequence[tuple[str, type]]) -> pa.Schema:
    """The Parquet schema of an experiment's run rows.

    Args:
        factors: (name, kind) of each varied parameter, in order.

    Returns:
        Identity columns, one column per varied parameter, then the outcome columns.
    """
    factor_fields = [pa.field(name, _ARROW_TYPES[kind]) for name, kind in factors]
    return pa.schema([*ID_FIELDS, *factor_fields, *OUTCOME_FIELDS])


def factor_columns(runs: pd.DataFrame) -> list[str]:
    """The varied parameters among a run table's columns, in the table's order.

    Args:
        runs: Run rows (all their columns or some).

    Returns:
        The columns that are not in :data:`RUN_COLUMNS`.
    """
    return [c for c in runs.columns if c not in RUN_COLUMNS]


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write a JSON file atomically (sorted keys, indented)."""
    write_text(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def write_csv(path: Path, frame: pd.DataFrame, index: bool = False) -> None:
    """Write a CSV file atomically."""
    atomic_write(path, lambda tmp: frame.to_csv(tmp, index=index))


def write_part(out_dir: Path, run_ids: Sequence[int], table: pa.Table) -> Path:
    """Write one chunk of runs as a Parquet part file.

    Args:
        out_dir: The results folder.
        run_ids: The chunk's run ids (the file is named by the first, the last and their number).
        table: Its runs, column by column (:meth:`experiments.worker.RunBatch.table`).

    Returns:
        The part file's path.
    """
    path = out_dir / RUNS_DIR / f"part-{min(run_ids):08d}-{max(run_ids):08d}-{len(run_ids):05d}.parquet"
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))
    return path


def part_files(out_dir: Path) -> list[Path]:
    """The complete part files of a results folder, sorted by name."""
    return sorted((out_dir / RUNS_DIR).glob(_PART_GLOB))


def clean_temporaries(out_dir: Path) -> None:
    """Remove the temporary files an interrupted sweep may have left."""
    for folder in (out_dir, out_dir / RUNS_DIR):
        if folder.is_dir():
            for leftover in folder.glob(_TMP_GLOB):
                leftover.unlink(missing_ok=True)


def done_run_ids(out_dir: Path) -> set[int]:
    """Run ids already saved (reads only the ``run_id`` column of each part; see :func:`check_parts` to check them too)."""
    done: set[int] = set()
    for path in part_files(out_dir):
        done.update(_read_part(path, ["run_id"]).column("run_id").to_pylist())
    return done


def _read_part(path: Path, columns: list[str] | None) -> pa.Table:
    """One part file, or a :class:`FolderError` naming it if it cannot be read (truncated, empty, not Parquet, other columns)."""
    try:
        return pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise FolderError(
            f"{path}: not a readable part of this results folder ({reason}); move it away (its runs are run again on resume)"
        ) from None


def check_parts(out_dir: Path, n_runs: int, replicates: int, points: pd.DataFrame) -> set[int]:
    """Check every saved part against the design, and return the run ids saved.

    Each run id must lie in ``[0, n_runs)``, appear in one part only, and
    its ``point_id``, ``replicate`` and varied values must be the ones the
    design gives that run id: parts of another experiment, size or seed
    (a stray file, or a manifest edited after the sweep) are refused
    rather than merged.

    Args:
        out_dir: The results folder.
        n_runs: Runs in the experiment.
        replicates: Runs per design point.
        points: The design points (index ``point_id``, one column per varied parameter).

    Returns:
        The saved run ids.

    Raises:
        FolderError: Naming the first part that does not fit, and how.
    """
    factors = [str(c) for c in points.columns]
    expected = {name: points[name].tolist() for name in factors}
    owner: dict[int, Path] = {}
    for path in part_files(out_dir):
        table = _read_part(path, ["run_id", "point_id", "replicate", *factors])
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
        for i, run_id in enumerate(columns["run_id"]):
            problem = _misfit(run_id, i, columns, n_runs, replicates, expected)
            if problem is None and run_id in owner:
                problem = f"run {run_id} is saved in {owner[run_id].name} too"
            if problem is not None:
                raise FolderError(f"{path}: {problem}: not a part of the experiment its manifest records; move it away")
            owner[run_id] = path
    return set(owner)


def _misfit(
    run_id: Any, i: int, columns: Mapping[str, list[Any]], n_runs: int, replicates: int, expected: Mapping[str, list[Any]]
) -> str | None:
    """What is wrong with row ``i`` of a part, if anything."""
    if not isinstance(run_id, int) or not 0 <= run_id < n_runs:
        return f"run id {run_id!r} is outside the experiment's {n_runs} runs"
    point, replicate = divmod(run_id, replicates)
    saved_point, saved_replicate = columns["point_id"][i], columns["replicate"][i]
    if (saved_point, saved_replicate) != (point, replicate):
        return f"run {run_id} is recorded as point {saved_point}, replicate {saved_replicate} (expected {point}, {replicate})"
    for name, values in expected.items():
        saved = columns[name][i]
        if saved != values[point] or isinstance(saved, bool) != isinstance(values[point], bool):
            return f"run {run_id} has {name} = {saved!r} where design point {point} has {values[point]!r}"
    return None


def read_runs(out_dir: str | Path, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """All saved runs of a results folder, one row per run id, sorted by run id.

    Args:
        out_dir: The results folder.
        columns: Read only these columns (``run_id`` is always read).

    Returns:
        The runs; whatever order the parts were written in, the table is the same.

    Raises:
        FileNotFoundError: If the folder holds no runs.
        FolderError: If a part cannot be read, or two parts hold the same run id.
    """
    folder = Path(out_dir)
    parts = part_files(folder)
    if not parts:
        raise FileNotFoundError(f"{folder}: no saved runs (expected {RUNS_DIR}/{_PART_GLOB})")
    cols = None if columns is None else list(dict.fromkeys(["run_id", *columns]))
    tables = [_read_part(p, cols) for p in parts]
    try:
        frame = pa.concat_tables(tables, promote_options="default").to_pandas()
    except (pa.ArrowException, ValueError) as exc:
        raise FolderError(f"{folder / RUNS_DIR}: parts of different schemas ({' '.join(str(exc).split())[:200]})") from None
    repeated = frame["run_id"][frame["run_id"].duplicated()]
    if len(repeated):
        raise FolderError(f"{folder / RUNS_DIR}: run {int(repeated.iloc[0])} is saved in two parts; move the stray part away")
    return frame.sort_values("run_id", kind="stable").reset_index(drop=True)


_MANIFEST_TYPES: dict[str, tuple[type, ...]] = {
    "experiment": (str,),
    "experiment_text": (str,),
    "quick": (bool,),
    "scenario": (str,),
    "fingerprint": (str,),
    "model_source_hash": (str, type(None)),
    "design_points": (int,),
    "replicates": (int,),
    "runs": (int,),
    "runs_done": (int,),
    "master_seed": (int,),
    "allow_large": (bool,),
    "wall_time_total_s": (int, float),
    "first_started": (str,),
    "status": (str,),
}
"""The manifest fields the runner and the report read, and the JSON types each may have."""

_RUNNER_FIELDS = ("experiment_text", "fingerprint")
"""Fields every manifest the runner writes has: a folder whose manifest has them is the runner's."""


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The manifest of a results folder (empty if there is none), its fields checked.

    Args:
        out_dir: The results folder.

    Returns:
        The manifest's fields.

    Raises:
        FolderError: If ``manifest.json`` is not a file, is larger than
            :data:`MAX_MANIFEST_BYTES`, is not UTF-8 JSON of an object, or a
            field the runner reads has the wrong type.
    """
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return {}
    if not path.is_file():
        raise FolderError(f"{path}: not a file")
    with path.open("rb") as handle:
        raw = handle.read(MAX_MANIFEST_BYTES + 1)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise FolderError(f"{path}: larger than {MAX_MANIFEST_BYTES >> 20} MiB; not a manifest written by 'sweep'")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FolderError(f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded); not a manifest written by 'sweep'") from None
    except json.JSONDecodeError as exc:
        raise FolderError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise FolderError(f"{path}: nested too deeply; not a manifest written by 'sweep'") from None
    except ValueError:  # an integer past Python's conversion limit (4,300 digits)
        raise FolderError(f"{path}: holds a number too long to read; not a manifest written by 'sweep'") from None
    if not isinstance(data, dict):
        raise FolderError(f"{path}: expected a JSON object, got a JSON {type(data).__name__}")
    for key, kinds in _MANIFEST_TYPES.items():
        value = data.get(key)
        if key in data and (not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)):
            names = " or ".join(_TYPE_NAMES.get(k, "null") for k in kinds)
            raise FolderError(f"{path}: {key}: expected {names}, got {_short(value)}")
    return data


_TYPE_NAMES: dict[type, str] = {str: "a string", bool: "true or false", int: "an integer", float: "a number"}


def _short(value: object) -> str:
    """A value's repr, cut to 80 characters for a message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fingerprint(experiment: Experiment, design: Design) -> str:
    """A hash of everything that fixes the runs: scenario, overrides, design points, replicates, seed.

    The scenario counts by its values, not only its name or path, so a
    scenario file edited between two sessions is not resumed into; an
    experiment that draws from a posterior counts its file's bytes as well.

    Args:
        experiment: The experiment.
        design: Its design.

    Returns:
        16 hexadecimal digits of a SHA-256.
    """
    scenario = load_scenario(experiment.scenario)
    fields: dict[str, Any] = {
        "scenario": experiment.scenario,
        "scenario_values": sorted(scenario.values.items()),
        "fixed": sorted(experiment.fixed.items()),
        "points": design.points.to_csv(),
        "replicates": experiment.replicates,
        "master_seed": experiment.master_seed,
    }
    if experiment.posterior:  # the runs' values come from the posterior's bytes too
        fields["posterior_sha256"] = hashlib.sha256(posterior_path(scenario).read_bytes()).hexdigest()
    payload = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------
# The folder: what is in it, whose it is, who works on it
# ----------------------------------------------------------------------
def check_out_dir(out_dir: str | Path, option: str = "--out") -> Path:
    """The results folder's path, refused if it cannot be one (an empty path, a file, a path under a file, ``runs`` a file).

    Args:
        out_dir: The path given.
        option: How messages name where it was given (``--out``; ``report``'s ``DIR``).

    Returns:
        The path.

    Raises:
        FolderError: Naming the path and what is wrong.
    """
    if not str(out_dir).strip():
        raise FolderError(f"{option}: expected a folder path, got {str(out_dir)!r} (an empty path would mean the current folder)")
    out = Path(out_dir)
    try:
        for parent in reversed([out, *out.parents]):
            if parent.exists() and not parent.is_dir():
                what = "is a file, not a folder" if parent == out else f"lies under {parent}, which is a file"
                raise FolderError(f"{out}: {what}; {option} must name a results folder")
        runs = out / RUNS_DIR
        if runs.exists() and not runs.is_dir():
            raise FolderError(f"{runs}: a file, where a results folder keeps its runs; {option} must name a results folder")
    except OSError as exc:  # a path too long for the file system, a loop of links, ...
        raise FolderError(f"{_short(str(out))}: cannot be a results folder ({exc.strerror or exc})") from None
    return out


def is_own_folder(out_dir: Path) -> bool:
    """Whether a folder is one the runner may write into and clear: new or empty, or with a manifest the runner wrote.

    Args:
        out_dir: The folder.

    Returns:
        True if it holds nothing but the runner's lock and temporary files,
        or its ``manifest.json`` has the fields every runner manifest has.

    Raises:
        FolderError: If its manifest exists but cannot be read (see :func:`read_manifest`).
    """
    if not out_dir.is_dir():
        return True
    others = [p for p in out_dir.iterdir() if p.name != LOCK and not p.match(_TMP_GLOB)]
    runs = out_dir / RUNS_DIR
    if runs in others and runs.is_dir() and not any(runs.iterdir()):
        others.remove(runs)
    if not others:
        return True
    manifest = read_manifest(out_dir)
    return all(isinstance(manifest.get(key), str) for key in _RUNNER_FIELDS)


def refuse_foreign(out_dir: Path) -> None:
    """Refuse a folder that is not empty and not the runner's (:func:`is_own_folder`): a sweep writes or clears nothing there.

    Args:
        out_dir: The folder.

    Raises:
        FolderError: Naming the folder.
    """
    if not is_own_folder(out_dir):
        raise FolderError(
            f"{out_dir}: not empty and not a results folder written by 'sweep' (no {MANIFEST} of its own); "
            "a sweep writes, and --fresh deletes, only in a new, empty or own results folder: choose another --out"
        )


def clear(out_dir: Path) -> None:
    """Delete what a sweep wrote in its folder, and nothing else: the manifest, design, parts, summary, indices and figures.

    Call it only on a folder :func:`is_own_folder` accepts (the runner checks first).

    Args:
        out_dir: The results folder.
    """
    runs = out_dir / RUNS_DIR
    if runs.is_dir():
        for path in [*runs.glob(_PART_GLOB), *runs.glob(_TMP_GLOB)]:
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            runs.rmdir()  # only if nothing else is in it
    for name in (MANIFEST, DESIGN, SUMMARY, SENSITIVITY, *FIGURES):
        (out_dir / name).unlink(missing_ok=True)


_HELD: set[int] = set()
"""Lock descriptors this process holds: a forked worker closes its copies (:func:`_close_in_child`)."""


def _close_in_child() -> None:
    """In a forked child, drop the inherited lock descriptors, so the lock is the sweep's own and dies with it."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@contextlib.contextmanager
def locked(out_dir: Path, command: str) -> Iterator[None]:
    """Hold the results folder's exclusive lock while the block runs (creating the folder if need be).

    The lock is an ``flock`` on ``OUT/.sweep.lock``, which records the
    holder's process id, command and start time for the message a second
    process gets. The operating system releases it when its process ends,
    however it ends, so a lock left by a killed sweep is simply taken. The
    file is removed when the block ends, and a folder this call created is
    removed too if nothing was written in it. Without ``fcntl`` (Windows)
    there is no lock.

    Args:
        out_dir: The results folder.
        command: What holds it (``"sweep"`` or ``"report"``), for the message.

    Yields:
        Nothing: the block runs with the lock held.

    Raises:
        FolderError: If another process holds the lock, or the folder cannot be created or written.
    """
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FolderError(f"{out_dir}: cannot create the results folder ({exc.strerror or exc})") from None
    path = out_dir / LOCK
    fd = _acquire(path, out_dir)
    _HELD.add(fd)
    try:
        note = {"pid": os.getpid(), "command": command, "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, (json.dumps(note) + "\n").encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # before the lock is released: a process waiting on this file then retries (see _acquire)
        _HELD.discard(fd)
        os.close(fd)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()  # only if empty: nothing was written


def _acquire(path: Path, out_dir: Path) -> int:
    """Open and lock the lock file; retry if the file was removed between the two (its holder had just ended)."""
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise FolderError(f"{out_dir}: cannot write in the results folder ({exc.strerror or exc})") from None
        if sys.platform == "win32":  # pragma: no cover - no flock
            return fd
        import fcntl  # POSIX only

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            raise FolderError(f"{out_dir}: {holder} is working on this results folder; wait for it to end, or use another --out") from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _holder(fd: int) -> str:
    """Who holds a lock, from what its file records."""
    try:
        note = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return f"a {note['command']} (process {int(note['pid'])}, started {note['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another sweep or report"
