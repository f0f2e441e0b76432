"""Scenario discovery (experiments.discovery): PRIM and CART find a box planted in the data, as plain tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("ema_workbench")

from experiments.discovery import DiscoveryError, box_limits, cart_boxes, choose_box, prim, prim_trajectory

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, np.ndarray]:
    """Cases of interest where a > 0.6 and b < 0.5 (a box of 20% of the space); c is noise."""
    rng = np.random.default_rng(20220520)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 1000), "b": rng.uniform(0, 1, 1000), "c": rng.uniform(-1, 1, 1000)})
    y = ((x["a"] > 0.6) & (x["b"] < 0.5)).to_numpy()
    return x, y


def test_prim_peels_to_the_planted_box(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    x, y = planted
    box = prim(x, y)
    t = prim_trajectory(box)
    assert t["step"].iloc[0] == "start" and set(t["step"].iloc[1:]) <= {"peel", "paste"}
    assert t.loc[0, "coverage"] == 1.0 and t.loc[0, "mass"] == 1.0
    assert t.loc[0, "density"] == pytest.approx(y.mean())
    # each peel removes runs; the density climbs to the planted box's (all cases of interest)
    peels = t[t["step"] == "peel"]
    assert (peels["mass"].diff().dropna() < 0).all()
    assert t["density"].max() == 1.0
    assert (t["cases"] == (t["coverage"] * y.sum()).round().astype(int)).all()
    best = choose_box(box, min_density=0.99)
    assert t.loc[best, "coverage"] > 0.8  # most of the planted box, and nothing else
    limits = box_limits(box, best)
    assert set(limits.index) == {"a", "b"}  # c is noise: never a limit
    assert limits.loc["a", "low"] == pytest.approx(0.6, abs=0.03)
    assert limits.loc["b", "high"] == pytest.approx(0.5, abs=0.03)
    assert limits.loc["a", "high"] == limits.loc["a", "max"]  # a is not limited from above ...
    assert np.isnan(limits.loc["a", "qp_high"]) and limits.loc["a", "qp_low"] < 1e-6  # ... and its lower limit is significant


def test_choose_box_trades_coverage_against_density(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    x, y = planted
    box = prim(x, y)
    t = prim_trajectory(box)
    dense = choose_box(box)
    assert t.loc[dense, "density"] == t["density"].max()
    loose = choose_box(box, min_density=0.5)
    assert t.loc[loose, "coverage"] >= t.loc[dense, "coverage"] and t.loc[loose, "density"] >= 0.5
    covering = choose_box(box, min_coverage=0.95)
    assert t.loc[covering, "coverage"] >= 0.95
    with pytest.raises(DiscoveryError, match="not both"):
        choose_box(box, min_density=0.5, min_coverage=0.5)
    with pytest.raises(DiscoveryError, match="box 999: expected a candidate from 0 to"):
        box_limits(box, 999)


def test_cart_leaves_are_boxes_within_the_runs_range(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    x, y = planted
    leaves = cart_boxes(x, y)
    assert leaves["runs"].sum() == len(x) and leaves["cases"].sum() == y.sum()
    assert leaves["coverage"].sum() == pytest.approx(1.0)
    assert leaves["density"].tolist() == sorted(leaves["density"], reverse=True)
    top = leaves.iloc[0]
    assert top["density"] == 1.0 and top["coverage"] > 0.9
    assert {re.findall(r"[a-c]", part)[0] for part in top["limits"].split("; ")} == {"a", "b"}  # c is noise
    # every limit lies within the range sampled: no "a > 1" on a range of [0, 1]
    for text in leaves["limits"]:
        for part in text.split("; "):
            name = re.findall(r"[a-c]", part)[0]
            for value in map(float, re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", part)):
                assert x[name].min() < value < x[name].max(), part


def test_categorical_inputs(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    x, y = planted
    x = x.assign(protocol=pd.Categorical(np.where(np.arange(len(x)) % 2 == 0, "package", "none")))
    y = y & (x["protocol"] == "package").to_numpy()
    box = prim(x, y)
    limits = box_limits(box, choose_box(box, min_density=0.9))
    assert limits.loc["protocol", "low"] == "package"
    with pytest.raises(DiscoveryError, match="CART takes numbers only, got protocol"):
        cart_boxes(x, y)


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (pd.DataFrame({"a": [0.1, 0.2]}), [True], "y: expected one value per run (2)"),
        (pd.DataFrame({"a": [0.1, 0.2]}), [True, True], "expected some cases of interest and some others"),
        (pd.DataFrame({"a": [0.1, 0.2]}), ["yes", "no"], "y: expected booleans"),
        (pd.DataFrame({"a": [0.1, None]}), [True, False], "x: missing values in a"),
        (pd.DataFrame(), [], "x: expected a DataFrame with one column per input"),
    ],
    ids=["length", "all", "text", "missing", "empty"],
)
def test_bad_inputs_are_refused(x: pd.DataFrame, y: list[object], message: str) -> None:
    with pytest.raises(DiscoveryError) as caught:
        prim(x, np.asarray(y))
    assert message in str(caught.value)


def test_cart_is_the_same_every_time(planted: tuple[pd.DataFrame, np.ndarray]) -> None:
    x, y = planted
    noisy = y ^ (np.arange(len(y)) % 7 == 0)  # ties and noise give the tree choices to make
    first = cart_boxes(x, noisy)
    for _ in range(3):
        pd.testing.assert_frame_equal(cart_boxes(x, noisy), first)
