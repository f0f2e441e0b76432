"""ABC-SMC over a scenario's uncertain parameters, with pyabc.

The model has no likelihood one can write down, so the posterior is
approximated by approximate Bayesian computation with sequential Monte Carlo
(Toni et al. 2009, "Approximate Bayesian computation scheme for parameter
inference and model selection in dynamical systems", J. R. Soc. Interface
6(31)), as pyabc implements it (Schaelte et al. 2022, "pyABC: Efficient and
robust easy-to-use approximate Bayesian computation", Journal of Open Source
Software 7(74)): each generation proposes parameter sets from the last one's
particles, runs the model once for each, and keeps those whose summary
statistics fall within the generation's epsilon of the record, with epsilon
the median distance of the generation before (pyabc's default).

A log-uniform prior is searched on the logarithm of its parameter
(:func:`search_name`), where it is uniform: pyabc's Gaussian proposal
kernel then moves across its orders of magnitude evenly, rather than
crowding the particles' weights onto the few that land at its low end.

The distance is the Euclidean norm of the statistics' differences from the
record, each divided by its ``scale`` (so a run one scale off in one
statistic is at distance 1).

Seeds: every run's seed is spawned from the target file's seed and the run's
parameter values, so a particle replays exactly
(:func:`run_seed`). pyabc draws the proposals from NumPy's global generator,
which the serial sampler seeds from the target file's seed: a serial
calibration reproduces bit for bit. pyabc's parallel samplers reseed their
worker processes from the operating system, so a parallel calibration
reproduces the posterior within its Monte-Carlo error, not bit for bit.
"""

from __future__ import annotations

import logging
import math
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from experiments.calibration.summaries import play, summarise_path
from experiments.calibration.targets import Statistic, Targets
from model import Scenario

BACKENDS = ("serial", "processes", "dask")
"""Where the runs of a calibration execute: as for sweeps."""


LOG_PREFIX = "log10_"
"""Prefix of the name under which a log-uniform parameter is searched (its base-10 logarithm)."""


def search_name(parameter: str, distribution: str) -> str:
    """The name pyabc searches a parameter under: its own, or ``log10_NAME`` for a log-uniform prior."""
    return LOG_PREFIX + parameter if distribution == "loguniform" else parameter


def model_values(searched: Mapping[str, float]) -> dict[str, float]:
    """The model's parameter values of a particle as pyabc holds it (log-uniform ones exponentiated)."""
    return {
        (k[len(LOG_PREFIX):] if k.startswith(LOG_PREFIX) else k): (10 ** float(v) if k.startswith(LOG_PREFIX) else float(v))
        for k, v in searched.items()
    }


def run_seed(seed: int, parameters: Mapping[str, float]) -> int:
    """The seed of the run of one particle: spawned from the calibration's seed and the parameter values.

    Args:
        seed: The calibration's seed.
        parameters: The particle's parameter values.

    Returns:
        A 63-bit seed.
    """
    words = [int.from_bytes(struct.pack("<d", float(parameters[k])), "little") for k in sorted(parameters)]
    return int(np.random.SeedSequence([seed, *words]).generate_state(2, np.uint32).view(np.uint64)[0] >> 1)


class Simulator:
    """The model as pyabc calls it: a particle's parameters in, its summary statistics out (picklable).

    Args:
        scenario: The scenario the parameters override.
        statistics: The statistics to compute.
        seed: The calibration's seed (see :func:`run_seed`).
    """

    def __init__(self, scenario: Scenario, statistics: tuple[Statistic, ...], seed: int) -> None:
        self.scenario = scenario
        self.statistics = statistics
        self.seed = seed

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        """Run the model once at these parameter values."""
        values = model_values(parameters)
        return summarise_path(play(self.scenario, values, run_seed(self.seed, values)), self.statistics)


def prior(targets: Targets) -> Any:
    """The joint prior: independent uniform marginals, log-uniform ones on their logarithm (pyabc ``Distribution``)."""
    import pyabc

    marginals = {}
    for p in targets.priors:
        low, high = (math.log10(p.low), math.log10(p.high)) if p.distribution == "loguniform" else (p.low, p.high)
        marginals[search_name(p.parameter, p.distribution)] = pyabc.RV("uniform", low, high - low)
    return pyabc.Distribution(**marginals)


def distance(targets: Targets) -> Any:
    """The Euclidean distance of the statistics from the record, each in units of its scale."""
    import pyabc

    return pyabc.PNormDistance(p=2, fixed_weights={s.name: 1.0 / s.scale for s in targets.statistics})


def sampler(backend: str, workers: int, scheduler: str | None) -> Any:
    """The pyabc sampler for a backend: one process, a pool of processes, or a Dask cluster."""
    import pyabc

    if backend == "serial":
        return pyabc.SingleCoreSampler()
    if backend == "processes":
        return pyabc.MulticoreEvalParallelSampler(n_procs=workers)
    from distributed import Client, LocalCluster

    if scheduler is not None:
        client = Client(scheduler)
    else:
        client = Client(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                     host="127.0.0.1", dashboard_address=None))
    return pyabc.DaskDistributedSampler(dask_client=client)


def run_smc(
    scenario: Scenario,
    targets: Targets,
    database: Path,
    *,
    backend: str = "processes",
    workers: int = 2,
    scheduler: str | None = None,
    resume: bool = True,
    progress: bool = True,
) -> Any:
    """Run (or go on with) ABC-SMC until the target file's generations or smallest epsilon.

    Args:
        scenario: The scenario to calibrate.
        targets: The target file.
        database: pyabc's SQLite database: a run stopped part-way goes on from its last generation.
        backend: ``serial``, ``processes`` or ``dask``.
        workers: Processes (``processes``, ``dask`` without a scheduler).
        scheduler: A Dask scheduler's address.
        resume: Go on from ``database`` if it holds this calibration; otherwise start afresh.
        progress: Log each generation's epsilon, acceptance rate and effective sample size.

    Returns:
        pyabc's ``History`` of the calibration.
    """
    import pyabc

    logging.getLogger("ABC").setLevel(logging.INFO if progress else logging.WARNING)
    logging.getLogger("Sampler").setLevel(logging.WARNING)
    logging.getLogger("Epsilon").setLevel(logging.WARNING)
    logging.getLogger("Distance").setLevel(logging.WARNING)
    np.random.seed(targets.seed % 2**32)  # noqa: NPY002 - pyabc proposes from NumPy's global generator
    abc = pyabc.ABCSMC(
        Simulator(scenario, targets.statistics, targets.seed),
        prior(targets),
        distance(targets),
        population_size=targets.population,
        sampler=sampler(backend, workers, scheduler),
    )
    url = f"sqlite:///{database}"
    done = 0
    if resume and database.is_file():
        history = abc.load(url, 1)
        done = history.max_t + 1
    else:
        database.unlink(missing_ok=True)
        abc.new(url, targets.observed)
    remaining = targets.generations - done
    if remaining > 0:
        return abc.run(minimum_epsilon=targets.minimum_epsilon, max_nr_populations=remaining)
    return pyabc.History(url)
