"""Scenario discovery with the EMA workbench: PRIM boxes and CART leaves over a table of runs.

Scenario discovery (Bryant and Lempert 2010, "Thinking inside the box: A
participatory, computer-assisted approach to scenario discovery",
*Technological Forecasting and Social Change* 77(1)) asks which regions of the
input space lead to a case of interest (here, say, a durable negotiated end),
and describes each region as a box: a range on a few inputs. A box is judged
by its **coverage**, the share of all cases of interest that fall inside it,
and its **density**, the share of the runs inside it that are cases of
interest; the two trade off.

- PRIM (Friedman and Fisher 1999, "Bump hunting in high-dimensional data",
  *Statistics and Computing* 9(2)) **peels**: it cuts from the box the slice
  (``peel_alpha`` of the runs inside, at one end of one input) whose removal
  raises the density most, until the box holds ``mass_min`` of the runs; then
  it **pastes**: it widens the box again where that raises the density. Each
  step is a candidate box, and the list of them, from the whole space to the
  smallest, is the **peeling trajectory**, the coverage-density trade-off from
  which the analyst chooses one (:func:`prim_trajectory`, :func:`choose_box`,
  :func:`box_limits`).
- CART (Breiman et al. 1984, *Classification and Regression Trees*) splits the
  runs into leaves, each a box (:func:`cart_boxes`); the workbench's version
  draws each box's limits from the runs' own range, so a limit never lies
  outside what was sampled.

The functions wrap ``ema_workbench.analysis.prim`` and ``.cart`` (Kwakkel
2017) and return plain tables, the same on ema-workbench 2.5 and 3.0; they
import the workbench when called (the ``ema`` extra).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from model.errors import InputError

PEEL_ALPHA = 0.05
"""Share of the runs in the box that one peel removes (Friedman and Fisher 1999's usual 0.05)."""

MASS_MIN = 0.05
"""Smallest share of all runs a box may hold (the workbench's default)."""


class DiscoveryError(InputError):
    """Inputs or a case of interest that scenario discovery cannot use."""


def _analysis() -> tuple[Any, Any]:
    """The workbench's ``prim`` and ``cart`` modules, imported without its warning that ipyparallel is missing."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        from ema_workbench.analysis import cart, prim
    return prim, cart


def _checked(x: pd.DataFrame, y: Sequence[bool] | np.ndarray | pd.Series) -> tuple[pd.DataFrame, np.ndarray]:
    """The inputs with a fresh index and the case of interest as a boolean array, checked against each other."""
    if not isinstance(x, pd.DataFrame) or x.shape[1] == 0:
        raise DiscoveryError("x: expected a DataFrame with one column per input")
    cases = np.asarray(y)
    if cases.ndim != 1 or len(cases) != len(x):
        raise DiscoveryError(f"y: expected one value per run ({len(x)}), got shape {cases.shape}")
    if cases.dtype != bool:
        if not np.isin(cases, (0, 1)).all():
            raise DiscoveryError("y: expected booleans (True where the run is a case of interest)")
        cases = cases.astype(bool)
    if not cases.any() or cases.all():
        raise DiscoveryError(f"y: expected some cases of interest and some others, got {int(cases.sum())} of {len(cases)}")
    if x.isna().any().any():
        raise DiscoveryError(f"x: missing values in {', '.join(map(str, x.columns[x.isna().any()]))} (drop the runs that failed)")
    return x.reset_index(drop=True), cases


def prim(
    x: pd.DataFrame,
    y: Sequence[bool] | np.ndarray | pd.Series,
    peel_alpha: float = PEEL_ALPHA,
    paste_alpha: float = PEEL_ALPHA,
    mass_min: float = MASS_MIN,
) -> Any:
    """PRIM's first box over the runs: peeled from the whole input space down to ``mass_min``, then pasted.

    Args:
        x: One row per run, one column per input (numbers, or categories).
        y: True where the run is a case of interest.
        peel_alpha: Share of the box's runs one peel removes.
        paste_alpha: Share by which one paste widens the box.
        mass_min: Smallest share of all runs the box may hold.

    Returns:
        The workbench's ``PrimBox``: ``peeling_trajectory``, ``box_lims``, ``inspect``, ``select``, ...
        (read it with :func:`prim_trajectory` and :func:`box_limits`).

    Raises:
        DiscoveryError: If ``x`` or ``y`` cannot be used.
    """
    prim_module, _ = _analysis()
    x, cases = _checked(x, y)
    options = {"peel_alpha": peel_alpha, "paste_alpha": paste_alpha, "mass_min": mass_min}
    if "threshold" in inspect.signature(prim_module.Prim.__init__).parameters:
        # ema-workbench 2.5 counts a run as a case of interest when y >= threshold, and replaces a box whose
        # density ends below the threshold by the whole space; 3.0 counts True values and keeps every box.
        # So that both give the same box, 2.5 gets 0/1 values, threshold 0.5, and the box is kept as 3.0 keeps it
        # (its find_box less that last check: 2.5 is the last of its line, so these private names are fixed)
        algorithm = prim_module.Prim(x, cases.astype(float), threshold=0.5, **options)
        algorithm._update_yi_remaining(algorithm)
        box = prim_module.PrimBox(algorithm, algorithm.box_init, algorithm.yi_remaining[:])
        box = algorithm._paste(algorithm._peel(box))
        algorithm._boxes.append(box)
        return box
    return prim_module.Prim(x, cases, **options).find_box()


def prim_trajectory(box: Any) -> pd.DataFrame:
    """The peeling trajectory: every candidate box, how it was reached, its coverage, density, mass and dimensions.

    Args:
        box: A box from :func:`prim`.

    Returns:
        One row per candidate (index ``box``, 0 the whole space): ``step`` (``start``, ``peel`` or
        ``paste``: a paste widens the box, so its mass grows), ``coverage``, ``density``, ``mass``,
        ``runs`` (in the box), ``cases`` (of interest in it) and ``restricted`` (inputs it limits).
    """
    t = box.peeling_trajectory
    table = pd.DataFrame(
        {
            "coverage": t["coverage"].to_numpy(dtype=float),
            "density": t["density"].to_numpy(dtype=float),
            "mass": t["mass"].to_numpy(dtype=float),
            "runs": t["n"].to_numpy(dtype=int),
            "cases": t["k"].to_numpy(dtype=int),
            "restricted": t["res_dim"].to_numpy(dtype=int),
        }
    )
    mass = table["mass"].to_numpy()
    steps = ["start", *("paste" if later > earlier else "peel" for earlier, later in zip(mass[:-1], mass[1:]))]
    table.insert(0, "step", steps)
    table.index.name = "box"
    return table


def choose_box(box: Any, min_density: float | None = None, min_coverage: float | None = None) -> int:
    """The candidate to keep: the most covering one at least ``min_density`` dense, or the densest one at least ``min_coverage`` covering.

    With neither bound, the densest candidate (the most covering of equals).

    Args:
        box: A box from :func:`prim`.
        min_density: The least density acceptable.
        min_coverage: The least coverage acceptable (only without ``min_density``).

    Returns:
        The candidate's index in :func:`prim_trajectory`.

    Raises:
        DiscoveryError: If no candidate meets the bound, or both bounds are given.
    """
    t = prim_trajectory(box)
    if min_density is not None and min_coverage is not None:
        raise DiscoveryError("choose_box: give min_density or min_coverage, not both")
    if min_density is not None:
        ok = t[t["density"] >= min_density]
        if ok.empty:
            raise DiscoveryError(f"no candidate box is {min_density:g} dense (the densest is {t['density'].max():.3g})")
        return int(ok.sort_values(["coverage", "density"], ascending=False).index[0])
    if min_coverage is not None:
        ok = t[t["coverage"] >= min_coverage]
        if ok.empty:
            raise DiscoveryError(f"no candidate box covers {min_coverage:g}")
        return int(ok.sort_values(["density", "coverage"], ascending=False).index[0])
    return int(t.sort_values(["density", "coverage"], ascending=False).index[0])


def box_limits(box: Any, i: int) -> pd.DataFrame:
    """Candidate ``i``'s limits on the inputs it restricts, beside each input's whole range, with PRIM's quasi-p-values.

    The quasi-p-value of a limit (Bryant and Lempert 2010) is the chance, by a
    one-sided binomial test, that a box without it would be as dense: a large
    one says the limit adds little.

    Args:
        box: A box from :func:`prim`.
        i: The candidate (an index of :func:`prim_trajectory`, e.g. from :func:`choose_box`).

    Returns:
        One row per restricted input, in the order of the inputs: ``low`` and ``high`` (a category input: the categories kept, as
        text, in ``low``), ``min`` and ``max`` (the runs' whole range), ``qp_low`` and ``qp_high``
        (NaN where that end is not limited).
    """
    n = len(box.box_lims)
    if not 0 <= i < n:
        raise DiscoveryError(f"box {i}: expected a candidate from 0 to {n - 1}")
    limits, whole = box.box_lims[i], box.prim.box_init
    _, table = box.inspect(i, style="data")[0]
    table.columns = ["low", "high", "qp_low", "qp_high"]
    rows = []
    for name in (c for c in limits.columns if c in table.index):  # in the order of the inputs
        low, high = limits[name].iloc[0], limits[name].iloc[1]
        if isinstance(low, (set, frozenset)):
            kept = ", ".join(sorted(map(str, low)))
            rows.append({"input": name, "low": kept, "high": None, "min": ", ".join(sorted(map(str, whole[name].iloc[0]))),
                         "max": None})
        else:
            rows.append({"input": name, "low": low, "high": high, "min": whole[name].iloc[0], "max": whole[name].iloc[1]})
        rows[-1]["qp_low"] = float(table.loc[name, "qp_low"])
        rows[-1]["qp_high"] = float(table.loc[name, "qp_high"])
    return pd.DataFrame(rows).set_index("input")


def cart_boxes(
    x: pd.DataFrame, y: Sequence[bool] | np.ndarray | pd.Series, mass_min: float = MASS_MIN, seed: int = 0
) -> pd.DataFrame:
    """CART's leaves as boxes: each leaf's coverage, density and mass, and its limits on the inputs it restricts.

    Args:
        x: One row per run, one column per input (numbers: see Raises).
        y: True where the run is a case of interest.
        mass_min: Smallest share of all runs a leaf may hold.
        seed: Seeds the tree's choice among equally good splits (scikit-learn permutes the inputs at
            random at every split, and the workbench's CART leaves it unseeded, so two fits could differ).

    Returns:
        One row per leaf, densest first: ``coverage``, ``density``, ``mass``, ``runs``, ``cases``,
        ``restricted`` (how many inputs it limits) and ``limits`` (readable: ``0.01 <= rearmament <= 0.04``,
        within the runs' range).

    Raises:
        DiscoveryError: If ``x`` or ``y`` cannot be used, or an input is not a number (the workbench's
            CART boxes get a category's limits wrong: :func:`prim` handles categories).
    """
    _, cart_module = _analysis()
    from sklearn.tree import DecisionTreeClassifier  # the workbench's own dependency

    x, cases = _checked(x, y)
    other = [str(c) for c in x.columns if not pd.api.types.is_numeric_dtype(x[c]) or pd.api.types.is_bool_dtype(x[c])]
    if other:
        # the workbench's CART (2.5 and 3.0) keeps a category in a leaf that a split has taken out of it,
        # and shares one set of categories between leaves, so its boxes' limits on a category are wrong
        raise DiscoveryError(f"x: CART takes numbers only, got {', '.join(other)} (code a category as a number, or use prim)")
    tree = cart_module.CART(x, cases, mass_min=mass_min)
    # the workbench's build_tree, seeded (its classifier and its encoded inputs, as in 2.5 and 3.0)
    tree.clf = DecisionTreeClassifier(min_samples_leaf=int(mass_min * len(x)), random_state=seed)
    tree.clf.fit(tree._x, tree.y)
    lows, highs = x.min(), x.max()
    rows = []
    for limits, stats in zip(tree.boxes, tree.stats):
        inside = np.ones(len(x), dtype=bool)
        parts = []
        for name in x.columns:
            low, high = limits[name].iloc[0], limits[name].iloc[1]
            inside &= ((x[name] >= low) & (x[name] <= high)).to_numpy()
            bounded_low, bounded_high = low > lows[name], high < highs[name]
            if bounded_low and bounded_high:
                parts.append(f"{low:.3g} <= {name} <= {high:.3g}")
            elif bounded_low:
                parts.append(f"{name} >= {low:.3g}")
            elif bounded_high:
                parts.append(f"{name} <= {high:.3g}")
        rows.append(
            {
                "coverage": float(stats["coverage"]),
                "density": float(stats["density"]),
                "mass": float(stats["mass"]),
                "runs": int(inside.sum()),
                "cases": int(cases[inside].sum()),
                "restricted": len(parts),
                "limits": "; ".join(parts) or "(every run)",
            }
        )
    table = pd.DataFrame(rows).sort_values(["density", "coverage"], ascending=False).reset_index(drop=True)
    table.index.name = "leaf"
    return table
