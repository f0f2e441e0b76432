"""The docs say what the code does: README examples run as written; the parameter page and the ODD are complete."""

from __future__ import annotations

import importlib.util
import io
import re
import shlex
import tokenize
from pathlib import Path
from types import ModuleType

import pytest

from model import describe_parameters, list_scenarios
from model.cli import main
from model.maths import __all__ as MATHS_FUNCTIONS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ODD = ROOT / "docs" / "ODD.md"
PARAMETERS_PAGE = ROOT / "docs" / "parameters.md"
SKIP_MARKER = "<!-- no-test -->"
"""Put this on the line before a README code block that the tests must not run (e.g. a long sweep)."""
CLI_COMMANDS = ("run", "scenarios", "params")
"""The sub-commands whose README examples this file runs (others' examples are tested with their code)."""

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(text: str, *languages: str) -> list[str]:
    blocks = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip().splitlines()
        if match.group(1) in languages and not (before and before[-1].strip() == SKIP_MARKER):
            blocks.append(match.group(2))
    return blocks


def _cli_examples() -> list[list[str]]:
    examples = []
    for block in _blocks(README.read_text(encoding="utf-8"), "bash", "sh", "console"):
        for line in block.splitlines():
            words = shlex.split(line.removeprefix("$ "))
            if not words:
                continue
            program = words[0].removeprefix(".venv/bin/")
            if program == "war-termination" and len(words) > 1 and words[1] in CLI_COMMANDS:
                examples.append(words[1:])
    return examples


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_parameter_docs", ROOT / "tools" / "make_parameter_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------
def test_readme_has_the_setup_commands_exactly() -> None:
    text = README.read_text(encoding="utf-8")
    venv = 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && '
    assert venv + ".venv/bin/war-termination run italian_plan_2022" in text
    assert venv + ".venv/bin/python -m pytest" in text
    assert "apt-get install chromium" in text
    for section in ("## Batch experiments", "## The browser page", "## Notebooks", "## Layout"):
        assert section in text


def test_readme_has_cli_examples_for_each_of_its_commands() -> None:
    assert {words[0] for words in _cli_examples()} == set(CLI_COMMANDS)


PYTHON_BLOCKS = _blocks(README.read_text(encoding="utf-8"), "python")


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_readme_python_block_runs(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(PYTHON_BLOCKS[index], f"README.md python block {index + 1}", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out  # every example shows something


def test_readme_has_python_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 1
    assert "WarTerminationModel" in PYTHON_BLOCKS[0]


@pytest.mark.parametrize("argv", _cli_examples(), ids=lambda argv: " ".join(argv))
def test_readme_cli_example_runs(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert out and not err
    if "--out" in argv:
        assert (tmp_path / argv[argv.index("--out") + 1]).is_file()


def test_readme_names_every_bundled_story_scenario() -> None:
    text = README.read_text(encoding="utf-8")
    for name in list_scenarios():
        assert name.startswith("theory_") or f"`{name}`" in text, name


# ---------------------------------------------------------------------------
# Shipped files stand alone
# ---------------------------------------------------------------------------
SHIPPED = ("README.md", "model", "experiments", "docs", "notebooks")
"""What a user of the repository reads: none of it may lean on a file that does not ship."""
UNSHIPPED = re.compile(r"\bDESIGN\b|\bshared/")
"""A design document and a folder of seed articles the project was built from, neither of them shipped."""
_TEXT_SUFFIXES = {".md", ".toml", ".ipynb", ".txt", ".cfg", ".json", ".yaml", ".yml", ".html", ".css", ".js"}


def _prose(path: Path) -> str:
    """The text a reader sees: a Python file's strings and comments (its names may say DESIGN), any other file whole."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return text
    kept = (tokenize.STRING, tokenize.COMMENT, *((tokenize.FSTRING_MIDDLE,) if hasattr(tokenize, "FSTRING_MIDDLE") else ()))
    return "\n".join(token.string for token in tokenize.generate_tokens(io.StringIO(text).readline) if token.type in kept)


def _shipped_files() -> list[Path]:
    files = []
    for name in SHIPPED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [f for f in candidates if f.is_file() and f.suffix in {".py", *_TEXT_SUFFIXES} and "__pycache__" not in f.parts]
    return files


def test_shipped_files_cite_nothing_that_does_not_ship() -> None:
    files = _shipped_files()
    assert {f.suffix for f in files} >= {".py", ".toml", ".md", ".ipynb"}
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()[:100]}"
        for path in files
        for line in _prose(path).splitlines()
        if UNSHIPPED.search(line)
    ]
    assert found == [], "cite what ships (the README, docs/ODD.md, docs/parameters.md) instead:\n" + "\n".join(found)


def test_the_unshipped_check_sees_prose_but_not_names(tmp_path: Path) -> None:
    code = tmp_path / "probe.py"
    code.write_text('DESIGN = "design.csv"\nx = store.DESIGN  # the design points\n', encoding="utf-8")
    assert not UNSHIPPED.search(_prose(code))
    code.write_text('"""The record of DESIGN section 6."""\n', encoding="utf-8")
    assert UNSHIPPED.search(_prose(code))
    code.write_text("x = 1  # seeds in shared/seeds\n", encoding="utf-8")
    assert UNSHIPPED.search(_prose(code))
    page = tmp_path / "page.md"
    page.write_text("Question 1 of DESIGN: ...", encoding="utf-8")
    assert UNSHIPPED.search(_prose(page))


# ---------------------------------------------------------------------------
# docs/parameters.md
# ---------------------------------------------------------------------------
def test_parameter_page_is_in_step_with_the_code() -> None:
    assert PARAMETERS_PAGE.read_text(encoding="utf-8") == _tool().render(), (
        "docs/parameters.md is out of date: run .venv/bin/python tools/make_parameter_docs.py"
    )


def test_parameter_page_lists_every_parameter_with_its_allowed_values() -> None:
    text = PARAMETERS_PAGE.read_text(encoding="utf-8")
    for p in describe_parameters():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{p.name}` | {p.group} |")), None)
        assert row is not None, p.name
        assert p.allowed.replace("|", "\\|") in row and p.meaning in row


def test_parameter_tool_check_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = _tool()
    stale = tmp_path / "parameters.md"
    stale.write_text("# Parameters\n")
    monkeypatch.setattr(tool, "TARGET", stale)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    assert tool.main(["--check"]) == 1
    assert tool.main([]) == 0
    assert tool.main(["--check"]) == 0
    assert stale.read_text() == tool.render()


# ---------------------------------------------------------------------------
# docs/ODD.md
# ---------------------------------------------------------------------------
def test_odd_has_the_protocol_s_sections() -> None:
    text = ODD.read_text(encoding="utf-8")
    for heading in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialisation",
        "Input data",
        "Submodels",
    ):
        assert re.search(rf"^#+ .*{heading}", text, re.MULTILINE | re.IGNORECASE), heading
    assert "(parameters.md)" in text


def test_odd_covers_every_pure_function_and_parameter_group() -> None:
    text = ODD.read_text(encoding="utf-8")
    for name in MATHS_FUNCTIONS:
        assert re.search(rf"`{name}[`(]", text), name
    for group in {p.group.split(".")[0] for p in describe_parameters()}:
        assert f"`{group}`" in text, group


def test_odd_cites_the_theory() -> None:
    text = ODD.read_text(encoding="utf-8")
    for source in ("Fearon", "Powell", "Slantchev", "Smith", "Kydd", "Fey", "Walter", "Nash", "Kalai", "Grimm"):
        assert source in text, source


def test_odd_names_every_parameter() -> None:
    # by its flat name, or by a pattern such as `prior_mean_*` or `salience_russia_*`
    text = ODD.read_text(encoding="utf-8")
    missing = []
    for p in describe_parameters():
        patterns = {p.name, re.sub(r"_(russia|ukraine)$", "_*", p.name)}
        if "." in p.group:
            patterns.add(p.name.removesuffix("_" + p.group.split(".", 1)[1]) + "_*")
        if not any(f"`{pattern}`" in text for pattern in patterns):
            missing.append(p.name)
    assert missing == []
