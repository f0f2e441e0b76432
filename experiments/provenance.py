"""What a results manifest records of where its runs came from: the experiment, the code, the machine.

The model's code counts by the hash of its source
(:func:`model.source.source_hash`), which is what resuming checks; the git
commit and whether the tree was dirty, the package versions, Python and
the platform are recorded for the reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
import sys
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import model
from experiments.backends import Pool
from experiments.calibration.draws import posterior_path
from experiments.design import Design
from experiments.spec import Experiment
from model import load_scenario
from model.engine.jit import compiled_available

PACKAGES: tuple[str, ...] = (
    "war-termination", "mesa", "numpy", "pandas", "pyarrow", "SALib", "dask", "distributed", "tqdm", "matplotlib",
    "lifelines", "statsmodels", "pyabc", "ema-workbench", "numba", "llvmlite",
)
"""The distributions whose versions a manifest records (``None`` where one is not installed)."""


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _git(*args: str) -> str | None:
    """Output of a git command run in this project's checkout; ``None`` without git or outside one.

    The package must sit at the top of the work tree: an install inside some
    other repository (a virtual environment in a clone, say) has no commit of its own.
    """
    root = Path(__file__).resolve().parent.parent
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True, timeout=10, check=True
        )
        if Path(top.stdout.strip()).resolve() != root:
            return None
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def git_commit() -> str | None:
    """The commit this checkout is at; ``None`` without git or outside the project's checkout."""
    out = _git("rev-parse", "HEAD")
    return (out.strip() or None) if out is not None else None


def git_dirty() -> bool | None:
    """True if tracked files (outside ``results/``, which sweeps write) differ from the commit; ``None`` without git."""
    out = _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results")
    return None if out is None else bool(out.strip())


def package_versions() -> dict[str, str | None]:
    """The installed version of each of :data:`PACKAGES` (``None`` if it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def _posterior_record(exp: Experiment) -> dict[str, str] | None:
    """The posterior file a sweep draws from, and the SHA-256 of its bytes; ``None`` if it draws from none."""
    if not exp.posterior:
        return None
    path = posterior_path(load_scenario(exp.scenario))
    return {"file": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def manifest(
    exp: Experiment,
    design: Design,
    fingerprint: str,
    source_hash: str,
    backend: str,
    scheduler: str | None,
    pool: Pool,
    n_runs: int,
    previous: Mapping[str, Any],
) -> dict[str, Any]:
    """A sweep's manifest as it starts (the runner adds its status, counts and times).

    Args:
        exp: The experiment.
        design: Its design.
        fingerprint: The design's fingerprint (:func:`experiments.store.fingerprint`).
        source_hash: The hash of the model's code.
        backend: The backend's name.
        scheduler: The Dask scheduler's address, if any.
        pool: The backend's workers.
        n_runs: Runs in the whole experiment.
        previous: The folder's previous manifest (empty if none): a resumed
            sweep keeps its ``first_started``.

    Returns:
        The manifest's fields.
    """
    return {
        "experiment": exp.name,
        "experiment_file": exp.path,
        "experiment_text": exp.text,
        "quick": exp.quick,
        "scenario": exp.scenario,
        "method": exp.method,
        "factors": list(exp.factor_names),
        "fixed": dict(exp.fixed),
        "design_points": len(design),
        "replicates": exp.replicates,
        "runs": n_runs,
        "master_seed": exp.master_seed,
        "allow_large": exp.allow_large,
        "posterior": _posterior_record(exp),
        "fingerprint": fingerprint,
        "model_version": getattr(model, "__version__", None),
        "model_source_hash": source_hash,
        "git_commit": git_commit(),
        "git_dirty": git_dirty(),
        "packages": package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "backend": backend,
        "engine": "compiled" if compiled_available() else "interpreted",
        "scheduler": scheduler,
        "workers": pool.workers,
        "worker_threads": pool.threads,
        "first_started": previous.get("first_started", now()) if previous.get("fingerprint") == fingerprint else now(),
        "started": now(),
    }
