"""The notebooks' git policy (docs/development.md, "Notebooks"): stripped outputs, public API only.

``tools/check_notebooks.py`` enforces it; these tests run it on the committed
notebooks and show, notebook by notebook, that it catches each violation.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_notebooks", REPO / "tools" / "check_notebooks.py")
assert _spec is not None and _spec.loader is not None
check_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_notebooks)

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def _code(source: str, outputs: list[Any] | None = None, count: int | None = None) -> dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": outputs or [], "execution_count": count}


def _notebook(*cells: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": metadata if metadata is not None else {"kernelspec": {"name": "python3"}},
        "cells": list(cells),
    }


def _write(tmp_path: Path, nb: dict[str, Any], name: str = "09_example.ipynb") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


GOOD = _notebook(
    {"cell_type": "markdown", "metadata": {}, "source": "# A story"},
    _code("FULL = False\nfrom model import WarTerminationModel\nfrom experiments import run_experiment"),
    _code("%matplotlib inline\nimport model.app\nWarTerminationModel(rng=1).run()"),
)


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_complies(path: Path) -> None:
    assert check_notebooks.check_notebook(path) == []


def test_a_compliant_notebook_passes(tmp_path: Path) -> None:
    assert check_notebooks.check_notebook(_write(tmp_path, GOOD)) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda nb: nb["cells"][1].update(outputs=[{"output_type": "stream", "name": "stdout", "text": "x"}]),
         "has outputs"),
        (lambda nb: nb["cells"][2].update(execution_count=3), "execution count"),
        (lambda nb: nb["metadata"].update(widgets={"state": {}}), "notebook metadata has widgets"),
        (lambda nb: nb["cells"][0]["metadata"].update(collapsed=True), "cell metadata has collapsed"),
        (lambda nb: nb["cells"][1].update(source="from model import WarTerminationModel"), "FULL = False"),
        (lambda nb: nb["cells"][2].update(source="from model.maths import logit"), "internal module 'model.maths'"),
        (lambda nb: nb["cells"][2].update(source="import experiments.runner as r"), "internal module 'experiments.runner'"),
        (lambda nb: nb["cells"][2].update(source="class Mine:\n    pass"), "defines class 'Mine'"),
        (lambda nb: nb["cells"][2].update(source="def broken(:"), "does not parse"),
        (lambda nb: nb["cells"][2].update(source="from experiments import runner"),
         "imports 'runner' from experiments, which is not public (not in experiments.__all__)"),
        (lambda nb: nb["cells"][2].update(source="from model import WarTerminationModel, maths"),
         "imports 'maths' from model, which is not public"),
        (lambda nb: nb["cells"][2].update(source="from model import *"), "imports * from model"),
        (lambda nb: nb["cells"][2].update(source="from model.app import run_from_environment"),
         "not in model.app.__all__"),
        (lambda nb: nb["cells"][2].update(source="import experiments\nexperiments.runner.run_chunk"),
         "uses experiments.runner, which is not public"),
        (lambda nb: nb["cells"][2].update(source="import model as m\nm.maths.logit(0.5)\nm.maths.sigmoid(0)"),
         "uses model.maths, which is not public"),
        (lambda nb: nb["cells"][2].update(source="import model.app\nmodel.app.viz_run"), "uses model.app.viz_run"),
    ],
    ids=["outputs", "count", "widgets", "cell-meta", "no-switch", "private-model", "private-experiments", "class",
         "syntax", "from-experiments-runner", "from-model-maths", "star", "app-private", "attribute",
         "attribute-alias", "attribute-app"],
)
def test_each_violation_is_caught(tmp_path: Path, mutate: Any, expected: str) -> None:
    nb = json.loads(json.dumps(GOOD))
    mutate(nb)
    problems = check_notebooks.check_notebook(_write(tmp_path, nb))
    assert len(problems) == 1, problems
    assert expected in problems[0]
    assert problems[0].startswith("09_example.ipynb: ")


def test_bad_name_is_caught(tmp_path: Path) -> None:
    problems = check_notebooks.check_notebook(_write(tmp_path, GOOD, "Quickstart.ipynb"))
    assert problems == ["Quickstart.ipynb: name must be NN_topic.ipynb (two digits, lower-case words joined by _)"]


def test_strip_makes_an_executed_notebook_comply(tmp_path: Path) -> None:
    nb = json.loads(json.dumps(GOOD))
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nb["cells"][1].update(outputs=[{"output_type": "stream", "name": "stdout", "text": "x"}], execution_count=1)
    nb["cells"][1]["metadata"] = {"tags": ["keep"], "scrolled": True}
    path = _write(tmp_path, nb)
    assert len(check_notebooks.check_notebook(path)) == 4
    assert check_notebooks.strip_notebook(path) is True
    assert check_notebooks.check_notebook(path) == []
    stripped = json.loads(path.read_text(encoding="utf-8"))
    assert stripped["cells"][1]["metadata"] == {"tags": ["keep"]}
    assert stripped["cells"][1]["source"] == GOOD["cells"][1]["source"]
    assert check_notebooks.strip_notebook(path) is False  # idempotent: nothing left to strip


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path, GOOD, "01_good.ipynb")
    bad_nb = json.loads(json.dumps(GOOD))
    bad_nb["cells"][1]["execution_count"] = 1
    bad = _write(tmp_path, bad_nb, "02_bad.ipynb")
    assert check_notebooks.main([str(good)]) == 0
    assert check_notebooks.main([str(good), str(bad)]) == 1
    assert "02_bad.ipynb: cell 2: has an execution count" in capsys.readouterr().out
    assert check_notebooks.main([str(tmp_path / "missing.ipynb")]) == 2
    assert "missing.ipynb: not an existing .ipynb file" in capsys.readouterr().err


def _notebooks_section(page: str) -> str:
    text = (REPO / page).read_text(encoding="utf-8")
    match = re.search(r"^## Notebooks\n(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert match is not None, f"{page} lacks a '## Notebooks' section"
    return match.group(1)


def test_development_page_states_the_policy() -> None:
    section = _notebooks_section("docs/development.md")
    assert "committed stripped" in section
    assert "tools/check_notebooks.py --strip" in section


def test_readme_lists_every_notebook() -> None:
    listed = set(re.findall(r"^\| `(\d\d_[a-z0-9_]+)` \|", _notebooks_section("README.md"), flags=re.MULTILINE))
    assert listed == {path.stem for path in NOTEBOOKS}


def test_notebooks_pass_ruff() -> None:
    pytest.importorskip("ruff")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *map(str, NOTEBOOKS)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_public_names_are_each_package_s___all__() -> None:
    import experiments
    import experiments.calibration
    import model

    assert check_notebooks.public_names("experiments") == frozenset([*experiments.__all__, "calibration"])
    assert check_notebooks.public_names("experiments.calibration") == frozenset(experiments.calibration.__all__)
    assert check_notebooks.public_names("model") == frozenset([*model.__all__, "app"])
    app_source = (REPO / "model" / "app.py").read_text(encoding="utf-8")
    assert "page" in check_notebooks.public_names("model.app") and "__all__" in app_source
    # resolve_run is allowed by name only (notebook 07's replay command), not every name model.app imports
    assert check_notebooks.public_names("model.app") - {"resolve_run"} <= set(re.findall(r'"(\w+)"', app_source))


def test_public_api_uses_pass(tmp_path: Path) -> None:
    nb = json.loads(json.dumps(GOOD))
    nb["cells"].append(_code(
        "from model.app import page, resolve_run\nfrom model import app, describe_parameters\napp.page('stalemate')\n"
        "import model\nprint(model.__version__, model.app.page, model.describe_parameters())\n"
        "import experiments as ex\nex.run_experiment, ex.Experiment.resized\n"
    ))
    nb["cells"].append(_code("model = WarTerminationModel(rng=2)\nmodel.step()\n\ndef f(ex):\n    return ex.anything\n"))
    assert check_notebooks.check_notebook(_write(tmp_path, nb)) == []
