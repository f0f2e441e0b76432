"""``war-termination sweep`` and ``report`` end by saying where the summary and the figures are."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.cli import main

TINY = """\
name = "tiny_cli"
scenario = "italian_plan_2022"
master_seed = 3
replicates = 2
[fixed]
max_rounds = 20
[parameters.initial_advantage]
values = [0.5, 0.62]
[parameters.protocol]
values = ["ifg_sequential", "none"]
[report]
heatmap = ["initial_advantage", "protocol"]
group = "protocol"
"""


def _experiment(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


def _named(out: str, folder: Path) -> tuple[Path, list[Path]]:
    """The summary and figures the output names, checked to be in ``folder``."""
    lines = out.strip().splitlines()
    summary = next(line for line in lines if line.startswith("summary: ")).removeprefix("summary: ")
    figures_line = next(line for line in lines if line.startswith("figures in "))
    where, names = figures_line.removeprefix("figures in ").split(": ", 1)
    assert Path(where) == folder
    return Path(summary), [Path(where) / name for name in names.split(", ")]


def test_sweep_says_where_it_wrote_the_summary_and_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["sweep", str(_experiment(tmp_path)), "--out", str(out), "--backend", "serial", "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "4 design points, 8 runs (0 failed)" in text
    summary, figures = _named(text, out)
    assert summary == out / "summary.csv" and summary.is_file()
    assert out / "heatmap.png" in figures and out / "heatmap_timing.png" in figures
    assert all(figure.is_file() and figure.with_suffix(".pdf").is_file() for figure in figures)
    assert {figure.name for figure in figures} == {p.name for p in out.glob("*.png")}
    assert "each also as a PDF of the same name" in text


def test_sweep_names_the_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    experiment = _experiment(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", str(experiment), "--backend", "serial", "--no-progress"]) == 0
    summary, figures = _named(capsys.readouterr().out, Path("results") / "tiny_cli")
    assert summary == Path("results") / "tiny_cli" / "summary.csv" and summary.is_file()
    assert figures and all(figure.is_file() for figure in figures)


def test_report_says_where_it_rewrote_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["sweep", str(_experiment(tmp_path)), "--out", str(out), "--backend", "serial", "--no-progress"]) == 0
    capsys.readouterr()
    (out / "summary.csv").unlink()
    assert main(["report", str(out)]) == 0
    summary, figures = _named(capsys.readouterr().out, out)
    assert summary.is_file() and figures and all(figure.is_file() for figure in figures)
