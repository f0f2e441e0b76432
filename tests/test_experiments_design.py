"""Design points from factors alone (no experiment file): grids and SALib samples, hand-computed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from experiments.design import DesignError, Factor, build_design


@dataclass(frozen=True)
class _Spec:
    factors: tuple[Factor, ...]
    method: str = "grid"
    samples: int | None = None
    morris_levels: int = 4
    second_order: bool = False
    master_seed: int = 1


def test_a_grid_is_the_product_of_the_levels() -> None:
    advantage = Factor("initial_advantage", None, 0.5, 0.6, 3, float)
    protocol = Factor("protocol", ("package", "none"), None, None, None, str)
    points = build_design(_Spec((advantage, protocol))).points
    assert points.index.name == "point_id" and list(points.columns) == ["initial_advantage", "protocol"]
    assert points.to_dict("records") == [
        {"initial_advantage": a, "protocol": p} for a in (0.5, 0.55, 0.6) for p in ("package", "none")
    ]  # 0.55 as typed, not 0.5500000000000002


def test_an_integer_range_is_rounded_and_its_repeats_dropped() -> None:
    rounds = Factor("max_rounds", None, 10.0, 11.0, 4, int)  # 10, 10.33, 10.67, 11
    assert build_design(_Spec((rounds,))).points["max_rounds"].tolist() == [10, 11]


def test_sampled_values_stay_in_range_and_in_the_list() -> None:
    momentum = Factor("momentum", None, -0.01, 0.01, None, float)
    protocol = Factor("protocol", ("package", "none", "bilateral"), None, None, None, str)
    design = build_design(_Spec((momentum, protocol), method="lhs", samples=20))
    assert len(design) == 20 and design.sample is not None and design.problem is not None
    assert design.points["momentum"].between(-0.01, 0.01).all()
    assert set(design.points["protocol"]) <= {"package", "none", "bilateral"}
    assert build_design(_Spec((momentum, protocol), method="lhs", samples=20)).points.equals(design.points)  # seeded


def test_a_sobol_design_needs_two_factors_and_a_power_of_two() -> None:
    momentum = Factor("momentum", None, -0.01, 0.01, None, float)
    volatility = Factor("volatility", None, 0.01, 0.03, None, float)
    with pytest.raises(DesignError, match="at least two varied parameters"):
        build_design(_Spec((momentum,), method="sobol", samples=8))
    with pytest.raises(DesignError, match="power of two, got 6"):
        build_design(_Spec((momentum, volatility), method="sobol", samples=6))
    assert len(build_design(_Spec((momentum, volatility), method="sobol", samples=8))) == 8 * (2 + 2)
