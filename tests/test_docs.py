"""The docs say what the code does: README and usage examples run as written; the parameter page and the ODD are complete."""

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
from model.issues import ISSUES
from model.maths import __all__ as MATHS_FUNCTIONS
from model.outcome import OutcomeKind

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
USAGE = ROOT / "docs" / "usage.md"
DEVELOPMENT = ROOT / "docs" / "development.md"
ODD = ROOT / "docs" / "ODD.md"
PARAMETERS_PAGE = ROOT / "docs" / "parameters.md"
EXAMPLE_PAGES = (README, USAGE)
"""The pages whose code blocks this file runs."""
SKIP_MARKER = "<!-- no-test -->"
"""Put this on the line before a README code block that the tests must not run (e.g. a long sweep)."""
CLI_COMMANDS = ("run", "scenarios", "params")
"""The sub-commands whose README examples this file runs (others' examples are tested with their code)."""
SETUP_SWEEP = ".venv/bin/war-termination sweep severodonetsk_trend --out results/local/severodonetsk_trend"
"""What the README's first set-up command runs once the package is installed: the battlefield-trend sweep."""

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(text: str, *languages: str) -> list[str]:
    blocks = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip().splitlines()
        if match.group(1) in languages and not (before and before[-1].strip() == SKIP_MARKER):
            blocks.append(match.group(2))
    return blocks


def _cli_examples(page: Path = README) -> list[list[str]]:
    examples = []
    for block in _blocks(page.read_text(encoding="utf-8"), "bash", "sh", "console"):
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
def _sections(text: str) -> dict[str, str]:
    """Each ``## `` section of a page, by its title."""
    parts = re.split(r"^## (.+)\n", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


README_SECTIONS = (
    "What it is for",
    "Set up",
    "The command line",
    "From Python",
    "Batch experiments",
    "Calibration",
    "The browser page",
    "Notebooks",
    "What it says",
    "Glossary",
    "Documentation",
)
"""A user's guide, in this order; what only developers need is in docs/development.md."""


def test_readme_has_the_setup_commands_exactly() -> None:
    text = README.read_text(encoding="utf-8")
    venv = 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && '
    assert venv + SETUP_SWEEP + "\n" in text
    assert venv + ".venv/bin/python -m pytest" in text
    assert "apt-get install chromium" in text
    assert list(_sections(text)) == list(README_SECTIONS)


def test_readme_setup_sweep_runs_and_says_where_its_results_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the set-up command's sweep at its quick size, in a fresh folder: it ends by naming the folder the README names
    argv = shlex.split(SETUP_SWEEP)[1:]
    folder = argv[argv.index("--out") + 1]
    setup = _sections(README.read_text(encoding="utf-8"))["Set up"]
    assert f"`{folder}/`" in setup and "--quick" in setup
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--quick", "--backend", "serial", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert f"summary: {Path(folder) / 'summary.csv'}\n" in out
    assert f"figures in {Path(folder)}: heatmap.png" in out
    assert (tmp_path / folder / "summary.csv").is_file() and (tmp_path / folder / "heatmap.png").is_file()


def test_developer_material_is_in_docs_development() -> None:
    sections = _sections(DEVELOPMENT.read_text(encoding="utf-8"))
    for title in ("Layout", "Tests and CI", "Generated documentation", "Notebooks", "Mesa versions", "Benchmarks"):
        assert title in sections, title
    assert "Layout" not in _sections(README.read_text(encoding="utf-8"))
    for path in re.findall(r"^(\S+/)\s", sections["Layout"], flags=re.MULTILINE):  # every top-level folder it lists exists
        assert (ROOT / path).is_dir(), path


def test_readme_glossary_defines_every_outcome_issue_and_unit() -> None:
    glossary = _sections(README.read_text(encoding="utf-8"))["Glossary"]
    terms = {kind.value.capitalize() for kind in OutcomeKind}
    terms |= {"Negotiated end", "Breakdown", "Step reached", "Confidence", "Round", "Front", "Balance", "Log-odds", "Utility units"}
    for term in terms:
        assert re.search(rf"^- \*\*{re.escape(term)}\*\*", glossary, flags=re.MULTILINE), term
    rows = "\n".join(line for line in glossary.splitlines() if line.startswith("| "))
    for issue in ISSUES:
        assert f"`{issue}`" in rows, issue


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    anchors = set()
    prose = _FENCE.sub("", page.read_text(encoding="utf-8"))  # a "# comment" in a code block is no heading
    for heading in re.findall(r"^#+ (.+)$", prose, flags=re.MULTILINE):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("page", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name)
def test_local_links_lead_somewhere(page: Path) -> None:
    broken = []
    for target in _LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(target)
    assert broken == []


def test_readme_has_cli_examples_for_each_of_its_commands() -> None:
    assert {words[0] for words in _cli_examples()} == set(CLI_COMMANDS)


PYTHON_BLOCKS = _blocks(README.read_text(encoding="utf-8"), "python")
EXAMPLE_BLOCKS = [(page, i, block) for page in EXAMPLE_PAGES for i, block in enumerate(_blocks(page.read_text(encoding="utf-8"), "python"))]


@pytest.mark.parametrize(("page", "index", "block"), EXAMPLE_BLOCKS, ids=[f"{p.name}-{i + 1}" for p, i, _ in EXAMPLE_BLOCKS])
def test_readme_python_block_runs(
    page: Path, index: int, block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(block, f"{page.name} python block {index + 1}", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out  # every example shows something


def test_readme_has_python_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 1
    assert "WarTerminationModel" in PYTHON_BLOCKS[0]
    assert {page for page, _, _ in EXAMPLE_BLOCKS} == set(EXAMPLE_PAGES)


@pytest.mark.parametrize("argv", [*_cli_examples(), *_cli_examples(USAGE)], ids=lambda argv: " ".join(argv))
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
        assert p.allowed.replace("|", "\\|") in row and p.meaning in row and f"| {p.unit} |" in row


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
