"""The figures of a results folder: what is drawn, what is left out, and the files beside each other (synthetic runs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import store
from experiments.analysis import summarise
from experiments.figures import (
    axis_label,
    cumulative_incidence_plot,
    draw_all,
    heatmap,
    heatmap_terms,
    heatmap_timing,
    km_ceasefire_survival,
    km_negotiated_end,
)
from experiments.spec import experiment_from_text

EXPERIMENT = """
name = "synthetic"
scenario = "italian_plan_2022"
master_seed = 1
replicates = 4
[fixed]
max_rounds = 30
[parameters.momentum]
values = [-0.01, 0.01]
[parameters.initial_advantage]
values = [0.5, 0.6]
[parameters.volatility]
values = [0.01, 0.02]
[report]
heatmap = ["momentum", "initial_advantage"]
group = "volatility"
"""


def _runs(victories: bool = True, ceasefires: bool = True) -> pd.DataFrame:
    """Four runs a point of a 2 x 2 x 2 grid: ceasefires (one broken), a settlement without one, a victory, war."""
    rng = np.random.default_rng(7)
    rows = []
    point = 0
    for momentum in (-0.01, 0.01):
        for advantage in (0.5, 0.6):
            for volatility in (0.01, 0.02):
                ends = [("ceasefire", None, 30, 5, None), ("settlement", None, 3, None, None),
                        ("victory" if victories else "war", "russia" if victories else None, 12, None, None),
                        ("war", None, 30, 8, 14)]
                for r, (kind, winner, rounds, first, broke) in enumerate(ends):
                    if not ceasefires and first is not None:
                        kind, first, broke = "war", None, None
                    negotiated = kind in ("settlement", "ceasefire")
                    rows.append({
                        "run_id": point * 4 + r, "point_id": point, "error": None, "kind": kind, "winner": winner,
                        "rounds": rounds, "max_rounds": 30, "first_ceasefire_round": first, "first_breakdown_round": broke,
                        "breakdowns": int(broke is not None), "cost_russia": 1.0, "cost_ukraine": 1.0,
                        "term_alignment": rng.uniform() if negotiated else None, "term_crimea": None,
                        "momentum": momentum, "initial_advantage": advantage, "volatility": volatility,
                    })
                point += 1
    frame = pd.DataFrame(rows)
    for column in ("first_ceasefire_round", "first_breakdown_round"):
        frame[column] = frame[column].astype("Int64")
    return frame


def test_axis_labels_carry_the_parameter_unit() -> None:
    assert axis_label("momentum") == "momentum (log-odds a week)"
    assert axis_label("aid_scale") == "aid_scale (× the scenario's aid)"
    assert axis_label("protocol") == "protocol"  # a choice has no unit
    assert axis_label("volatility", wrap=20) == "volatility\n(share of the contested territory an engagement moves)"


def test_every_figure_is_a_png_with_a_pdf_beside_it(tmp_path: Path) -> None:
    experiment = experiment_from_text(EXPERIMENT, "synthetic.toml")
    runs = _runs()
    written = draw_all(tmp_path, experiment, runs, summarise(runs), pd.DataFrame())
    names = {p.name for p in written}
    assert names <= set(store.FIGURES)
    stems = {"heatmap", "heatmap_timing", "heatmap_terms", "km_negotiated_end", "cumulative_incidence", "km_ceasefire_survival"}
    assert names == {f"{stem}.{fmt}" for stem in stems for fmt in ("png", "pdf")}
    for path in written:
        assert path.read_bytes()[:5] == (b"%PDF-" if path.suffix == ".pdf" else b"\x89PNG\r")


def test_panels_without_information_are_left_out(tmp_path: Path) -> None:
    runs = _runs(victories=False, ceasefires=False)  # settlements and war only
    summary = summarise(runs)
    # no victory: no competing end to draw; no ceasefire: no survival of one
    assert cumulative_incidence_plot(runs, "volatility", tmp_path / "cif.png", "t") == []
    assert km_ceasefire_survival(runs, "volatility", tmp_path / "km.png", "t") == []
    assert km_negotiated_end(runs, "volatility", tmp_path / "kmn.png", "t")  # settlements are negotiated ends
    # nobody negotiated anything: no terms figure, no timing of a negotiated end
    war = runs.assign(kind="war", term_alignment=None)
    assert heatmap_terms(war, "momentum", "initial_advantage", tmp_path / "terms.png", "t") == []
    assert km_negotiated_end(war, None, tmp_path / "kmn2.png", "t") == []
    # the heatmap leaves out the shares no run had
    assert heatmap(summary, "momentum", "initial_advantage", tmp_path / "h.png", "t", facet="volatility")
    assert heatmap_timing(runs, "momentum", "initial_advantage", tmp_path / "ht.png", "t", facet="volatility")


def test_a_report_removes_figures_that_no_longer_apply(tmp_path: Path) -> None:
    experiment = experiment_from_text(EXPERIMENT, "synthetic.toml")
    stale = [tmp_path / "cumulative_incidence.png", tmp_path / "km_first_ceasefire.png", tmp_path / "heatmap_timing_terms.png"]
    for path in stale:
        path.write_bytes(b"old")
    (tmp_path / "notes.png").write_bytes(b"mine")
    runs = _runs(victories=False)
    draw_all(tmp_path, experiment, runs, summarise(runs), pd.DataFrame())
    assert not any(path.exists() for path in stale)  # nothing competes now; and the old names are gone
    assert (tmp_path / "notes.png").read_bytes() == b"mine"  # not a figure of ours


@pytest.mark.parametrize("facet", [None, "volatility"])
def test_heatmap_facets_by_the_group_or_pools_it(tmp_path: Path, facet: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib.pyplot as plt

    runs = _runs()
    opened = []
    original = plt.subplots

    def spy(*args: object, **kwargs: object) -> object:
        fig, axes = original(*args, **kwargs)
        opened.append(fig)
        return fig, axes

    monkeypatch.setattr(plt, "subplots", spy)
    heatmap(summarise(runs), "momentum", "initial_advantage", tmp_path / "h.png", "t", facet=facet)
    titles = [ax.get_title() for ax in opened[0].axes if ax.get_title()]
    # shares that occur: negotiated, settlement, Russian victory, war (no Ukrainian victory): one panel each, per level
    assert len(titles) == 4 * (2 if facet else 1)
    if facet:
        assert sum("volatility = 0.01" in t for t in titles) == 4
    assert "not shown, no run ended so: P(Ukrainian victory)" in opened[0].get_suptitle()
