"""The results folder: Parquet part files of runs, the manifest and atomic writes.

Layout of a results folder::

    OUT/
      manifest.json        provenance: experiment text, versions, seed, timing
      design.csv           the design points (point_id and the varied values)
      runs/part-*.parquet  one row per run, written chunk by chunk as runs finish
      summary.csv          per design point (see experiments.analysis)
      sensitivity.csv      Sobol or Morris indices (sampled designs)
      *.png                figures

Every file is written to a temporary name in the same folder and renamed
into place (:func:`os.replace` is atomic on POSIX and Windows), so a sweep
killed at any moment leaves only complete files; temporary leftovers are
ignored and removed on the next start.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model.files import atomic_write
from model.issues import ISSUES

RUNS_DIR = "runs"
MANIFEST = "manifest.json"
DESIGN = "design.csv"
_PART_GLOB = "part-*.parquet"

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


def write_part(out_dir: Path, rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> Path:
    """Write one chunk of run rows as a Parquet part file.

    Args:
        out_dir: The results folder.
        rows: Run rows (dicts with the schema's columns).
        schema: The experiment's run schema.

    Returns:
        The part file's path, named by the chunk's first and last run id.
    """
    ids = [int(r["run_id"]) for r in rows]
    path = out_dir / RUNS_DIR / f"part-{min(ids):08d}-{max(ids):08d}-{len(ids):05d}.parquet"
    table = pa.Table.from_pylist(list(rows), schema=schema)
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))
    return path


def part_files(out_dir: Path) -> list[Path]:
    """The complete part files of a results folder, sorted by name."""
    return sorted((out_dir / RUNS_DIR).glob(_PART_GLOB))


def clean_temporaries(out_dir: Path) -> None:
    """Remove the temporary files an interrupted sweep may have left."""
    for folder in (out_dir, out_dir / RUNS_DIR):
        if folder.is_dir():
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)


def done_run_ids(out_dir: Path) -> set[int]:
    """Run ids already saved (reads only the ``run_id`` column of each part)."""
    done: set[int] = set()
    for path in part_files(out_dir):
        done.update(pq.read_table(path, columns=["run_id"]).column("run_id").to_pylist())
    return done


def read_runs(out_dir: str | Path, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """All saved runs of a results folder, one row per run id, sorted by run id.

    Args:
        out_dir: The results folder.
        columns: Read only these columns (``run_id`` is always read).

    Returns:
        The runs; whatever order the parts were written in, the table is the same.

    Raises:
        FileNotFoundError: If the folder holds no runs.
    """
    folder = Path(out_dir)
    parts = part_files(folder)
    if not parts:
        raise FileNotFoundError(f"{folder}: no saved runs (expected {RUNS_DIR}/{_PART_GLOB})")
    cols = None if columns is None else list(dict.fromkeys(["run_id", *columns]))
    tables = [pq.read_table(p, columns=cols) for p in parts]
    frame = pa.concat_tables(tables, promote_options="default").to_pandas()
    frame = frame.drop_duplicates("run_id").sort_values("run_id", kind="stable").reset_index(drop=True)
    return frame


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The manifest of a results folder (empty if there is none)."""
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
