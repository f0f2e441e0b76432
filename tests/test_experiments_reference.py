"""``python -m experiments.reference``: fresh by default, validated options, one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from experiments import reference


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def fake(name: str, **kwargs: Any) -> pd.DataFrame:
        seen.append({"name": name, **kwargs})
        return pd.DataFrame({"n": [3]})

    monkeypatch.setattr(reference, "run_experiment", fake)
    return seen


def test_a_reference_result_starts_fresh_by_default(calls: list[dict[str, Any]], tmp_path: Path) -> None:
    assert reference.main(["--only", "sensitivity", "--results", str(tmp_path)]) == 0
    assert calls == [{"name": "sensitivity", "out_dir": tmp_path / "sensitivity", "workers": None, "quick": False,
                      "resume": False}]
    assert reference.main(["--only", "sensitivity", "--resume", "--workers", "2"]) == 0
    assert calls[-1]["resume"] is True and calls[-1]["workers"] == 2
    assert reference.main(["--only", "sensitivity", "--fresh"]) == 0
    assert calls[-1]["resume"] is False


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--workers", "0"], "--workers: expected a positive integer, got '0'"),
        (["--workers", "-3"], "expected a positive integer"),
        (["--workers", "two"], "expected a positive integer, got 'two'"),
        (["--only", "nothing"], "invalid choice: 'nothing'"),
        (["--fresh", "--resume"], "not allowed with argument"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    assert reference.main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("python -m experiments.reference: error: ")
    assert fragment in err
    assert calls == []
