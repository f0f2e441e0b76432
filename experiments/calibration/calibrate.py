"""``calibrate``: fit a scenario to a target record and write what the fit yields.

The folder it writes (``results/calibration/SCENARIO`` by default):

- ``abc.db``: pyabc's database, from which a stopped calibration goes on;
- ``posterior.csv``: the last generation's particles and weights;
- ``diagnostics.csv``: each generation's epsilon, runs, acceptance rate and effective sample size;
- ``estimate.csv``: each parameter's weighted median and 90% credible interval;
- ``checks.csv``: the record against the posterior predictive, and ``checks_estimate.csv``
  against runs of the point estimate alone (the calibrated scenario);
- ``SCENARIO_calibrated.toml``: the scenario at the point estimate, every calibrated value's source saying so;
- figures (PNG and PDF): ``posterior_marginals``, ``predictive_front``, ``predictive_negotiated``;
- ``calibration.json``: what produced it (the target file, the scenario, the code, the engine, the time taken).

Every input is checked before anything is written; every file is written
through a temporary name (:func:`model.files.atomic_write`).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibration import figures
from experiments.calibration.posterior import (
    CENTRAL,
    Predictive,
    checks,
    collect,
    diagnostics_frame,
    point_estimate,
    posterior_frame,
    predictive,
)
from experiments.calibration.smc import BACKENDS, run_smc
from experiments.calibration.summaries import play
from experiments.calibration.targets import TargetError, Targets, load_targets
from experiments.provenance import git_commit, now
from experiments.worker import say_engine, warm_up
from model import Scenario, describe_parameters, load_scenario
from model.commandline import value_text
from model.engine.jit import compiled_available
from model.files import atomic_write
from model.scenario import table_of

PREDICTIVE_RUNS = 1000
"""Runs drawn from the posterior (and run at the point estimate) for the predictive checks and figures."""

MAX_WORKERS = 64


@dataclass(frozen=True)
class Calibration:
    """What a calibration wrote, for the command line and notebooks.

    Attributes:
        out_dir: The folder.
        posterior: The particles and weights.
        diagnostics: One row per generation.
        estimate: Each parameter's median and credible interval.
        checks: The record against the posterior predictive.
        checks_estimate: The record against runs of the point estimate.
        scenario_file: The calibrated scenario.
    """

    out_dir: Path
    posterior: pd.DataFrame
    diagnostics: pd.DataFrame
    estimate: pd.DataFrame
    checks: pd.DataFrame
    checks_estimate: pd.DataFrame
    scenario_file: Path


def calibrate(
    scenario: str | Path,
    targets: str | Path,
    out_dir: str | Path | None = None,
    *,
    backend: str = "processes",
    workers: int = 2,
    scheduler: str | None = None,
    resume: bool = True,
    progress: bool = True,
    predictive_runs: int = PREDICTIVE_RUNS,
    population: int | None = None,
    generations: int | None = None,
) -> Calibration:
    """Calibrate a scenario to a target file with ABC-SMC and write the folder described above.

    Args:
        scenario: A bundled scenario name or a scenario file.
        targets: A bundled target name or a target file.
        out_dir: The results folder (default ``results/calibration/SCENARIO``).
        backend: ``serial`` (reproducible bit for bit), ``processes`` or ``dask``.
        workers: Processes for ``processes`` and a local Dask cluster.
        scheduler: A Dask scheduler's address (``dask`` only).
        resume: Go on from the folder's database (the default); ``False`` starts afresh.
        progress: Log each generation.
        predictive_runs: Runs for the predictive checks.
        population: Particles per generation, instead of the target file's.
        generations: Generations, instead of the target file's.

    Returns:
        The calibration.

    Raises:
        TargetError: For a bad target file, option or folder; ScenarioError for a bad scenario
            (both input errors; nothing is written).
    """
    loaded, target = _checked_inputs(scenario, targets, backend, workers, scheduler, population, generations)
    if population is not None or generations is not None:
        from dataclasses import replace

        target = replace(target, population=population or target.population, generations=generations or target.generations)
    if predictive_runs < 10:
        raise TargetError(f"predictive runs: at least 10, got {predictive_runs}")
    out = Path(out_dir) if out_dir is not None else Path("results") / "calibration" / loaded.name
    fingerprint = _fingerprint(loaded, target)
    _check_folder(out, fingerprint, resume)

    say_engine(progress)
    warm_up()  # compiled (or loaded from the disk cache) here, once, before pyabc forks its workers
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    history = run_smc(
        loaded, target, out / "abc.db", backend=backend, workers=workers, scheduler=scheduler, resume=resume, progress=progress
    )
    smc_seconds = time.perf_counter() - started
    posterior = posterior_frame(history)
    diagnostics = diagnostics_frame(history)
    names = [p.parameter for p in target.priors]
    estimate = point_estimate(posterior, names)
    draws = predictive(loaded, posterior, target, predictive_runs, target.seed)
    at_estimate = _runs_at(loaded, dict(zip(names, estimate["median"].astype(float), strict=True)), target, predictive_runs)
    checked, checked_estimate = checks(draws, target), checks(at_estimate, target)

    _write_csv(out / "posterior.csv", posterior)
    _write_csv(out / "diagnostics.csv", diagnostics)
    _write_csv(out / "estimate.csv", estimate.reset_index())
    _write_csv(out / "checks.csv", checked.reset_index())
    _write_csv(out / "checks_estimate.csv", checked_estimate.reset_index())
    scenario_file = out / f"{loaded.name}_calibrated.toml"
    text = calibrated_scenario_text(loaded, target, estimate, diagnostics, scenario)
    atomic_write(scenario_file, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    figures.marginals(posterior, target, out / "posterior_marginals")
    figures.predictive_front(draws, target, out / "predictive_front")
    figures.predictive_negotiated(draws, out / "predictive_negotiated", int(loaded.values["max_rounds"]))
    manifest = {
        "scenario": str(scenario),
        "targets": target.name,
        "fingerprint": fingerprint,
        "target_text": target.text,
        "backend": backend,
        "workers": workers,
        "population": target.population,
        "generations": int(diagnostics["generation"].max()) + 1,
        "runs": int(diagnostics["runs"].sum()),
        "smc_seconds": round(smc_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "predictive_runs": predictive_runs,
        "engine": "compiled" if compiled_available() else "interpreted",
        "git_commit": git_commit(),
        "finished": now(),
        "reproducible": "bit for bit" if backend == "serial" else "within Monte-Carlo error (parallel sampler)",
    }
    atomic_write(out / "calibration.json", lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n"))
    return Calibration(out, posterior, diagnostics, estimate, checked, checked_estimate, scenario_file)


def _checked_inputs(
    scenario: str | Path,
    targets: str | Path,
    backend: str,
    workers: int,
    scheduler: str | None,
    population: int | None,
    generations: int | None,
) -> tuple[Scenario, Targets]:
    loaded = load_scenario(scenario)
    target = load_targets(targets)
    if backend not in BACKENDS:
        raise TargetError(f"--backend: unknown backend {backend!r}; allowed: {', '.join(BACKENDS)}")
    if not 1 <= workers <= MAX_WORKERS:
        raise TargetError(f"--workers: from 1 to {MAX_WORKERS}, got {workers}")
    if scheduler is not None and backend != "dask":
        raise TargetError(f"--scheduler: only --backend dask uses a scheduler, got --backend {backend}")
    for value, what, most in ((population, "--population", 100_000), (generations, "--generations", 100)):
        if value is not None and not 1 <= value <= most:
            raise TargetError(f"{what}: from 1 to {most}, got {value}")
    for prior in target.priors:  # the scenario must accept every value the prior can propose
        for end in (prior.low, prior.high):
            loaded.with_overrides({prior.parameter: end}, origin=f"{target.name}: [priors.{prior.parameter}]")
    if target.last_round > int(loaded.values["max_rounds"]):
        raise TargetError(
            f"{target.name}: a statistic reads round {target.last_round}, after the scenario's "
            f"last ({loaded.values['max_rounds']}); set max_rounds or drop the statistic"
        )
    return loaded, target


def _fingerprint(scenario: Scenario, targets: Targets) -> str:
    """What a saved calibration must match to be resumed: the scenario's values and the target file's text.

    The calibrated parameters' own values do not count (every run overrides them), so the scenario
    that ships the point estimate resumes the calibration that produced it.
    """
    searched = {p.parameter for p in targets.priors}
    values = json.dumps({k: value_text(v) for k, v in sorted(scenario.values.items()) if k not in searched})
    return hashlib.sha256((values + "\n" + targets.text + f"\n{targets.population}").encode()).hexdigest()[:16]


def _check_folder(out: Path, fingerprint: str, resume: bool) -> None:
    if out.exists() and not out.is_dir():
        raise TargetError(f"--out: {out} is a file, not a folder")
    manifest = out / "calibration.json"
    database = out / "abc.db"
    if resume and database.exists():
        saved = _saved_fingerprint(out)
        if saved is not None and saved != fingerprint:
            raise TargetError(
                f"{out}: holds a calibration of another scenario, target file or population; "
                "use --fresh to start over or --out for another folder"
            )
    if not resume:
        for stale in (database, manifest):
            stale.unlink(missing_ok=True)
    _mark(out, fingerprint)


def _saved_fingerprint(out: Path) -> str | None:
    for name in ("calibration.json", ".fingerprint"):
        path = out / name
        if path.is_file():
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            value = data.get("fingerprint") if isinstance(data, dict) else None
            if isinstance(value, str):
                return value
    return None


def _mark(out: Path, fingerprint: str) -> None:
    """Record which calibration the folder's database belongs to, before the database exists."""
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / ".fingerprint", lambda tmp: tmp.write_text(json.dumps({"fingerprint": fingerprint})))


def _runs_at(scenario: Scenario, values: dict[str, float], targets: Targets, n: int) -> Predictive:
    """``n`` runs at one parameter set (the point estimate), seeds spawned from the target file's seed."""
    seeds = np.random.default_rng(np.random.SeedSequence([targets.seed, 2])).integers(0, 2**63 - 1, size=n)
    paths = [play(scenario, values, int(s)) for s in seeds]
    return collect(paths, targets.statistics, max(targets.last_round, int(scenario.values["max_rounds"])))


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False))


def calibrated_scenario_text(
    scenario: Scenario, targets: Targets, estimate: pd.DataFrame, diagnostics: pd.DataFrame, origin: str | Path
) -> str:
    """A scenario file that extends ``scenario`` with every calibrated parameter at its posterior median.

    Each value's source names the calibration: the target file, the number of particles and generations,
    the final epsilon and the 90% credible interval.
    """
    params = {p.name: p for p in describe_parameters()}
    last = diagnostics.iloc[-1]
    base = Path(scenario.path or "")
    extends = scenario.name if base.parent == Path(__file__).resolve().parents[2] / "model" / "scenarios" else str(base.resolve())
    lines = [
        f'name = "{scenario.name}_calibrated"',
        f'extends = "{extends}"',
        f'description = """{scenario.name} with its uncertain values estimated from {targets.name} by ABC-SMC \\',
        f'(war-termination calibrate {origin} --targets {targets.name}): each at its posterior median."""',
        "",
    ]
    by_table: dict[str, list[str]] = {}
    for name in estimate.index:
        table, key = table_of(params[name])
        row = estimate.loc[name]
        source = (
            f"calibrated: posterior median of ABC-SMC against {targets.name} ({int(last['particles'])} particles, "
            f"generation {int(last['generation']) + 1}, epsilon {last['epsilon']:.3g}); "
            f"{int(CENTRAL * 100)}% credible interval {row['low']:.4g} to {row['high']:.4g}"
        )
        by_table.setdefault(table, []).append(f'{key} = {{ value = {float(row["median"]):.6g}, source = "{source}" }}')
    for table, entries in by_table.items():
        lines += [f"[{table}]", *entries, ""]
    return "\n".join(lines)


def summary_line(result: Calibration) -> str:
    """One line for the command line: generations, final epsilon, checks passed, where the folder is."""
    last = result.diagnostics.iloc[-1]
    passed = int(result.checks["inside"].sum())
    return (
        f"{int(last['generation']) + 1} generations, final epsilon {last['epsilon']:.3g}, effective sample size "
        f"{last['effective_sample_size']:.0f}; the record inside the central 90% of the posterior predictive for "
        f"{passed} of {len(result.checks)} statistics; posterior, checks, figures and "
        f"{result.scenario_file.name} written in {result.out_dir}"
    )
