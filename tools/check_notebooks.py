"""Check (or enforce) the notebooks' git policy: committed with their outputs stripped.

The notebooks in ``notebooks/`` are executed by CI (``pytest --nbmake``), so
their outputs are regenerated on every run and would only add noise to the
history. The policy, described in docs/development.md ("Notebooks"):

- every code cell is committed without outputs and with no execution count;
- notebook metadata holds at most ``kernelspec`` and ``language_info`` (no
  widget state), and cell metadata at most ``tags``;
- a notebook is named ``NN_topic.ipynb`` and its first code cell sets the one
  scaling switch, ``FULL = False`` (fast by default, full experiment on demand);
- a notebook uses the package's public API only: ``model``, ``experiments`` and
  the browser page ``model.app``, never internal modules, and of those only
  the names each lists in its ``__all__`` (``from experiments import runner``
  and ``experiments.worker.run_chunk`` are internal too), and defines no
  classes (model code lives in the package, where worker processes can import it).

Usage::

    python tools/check_notebooks.py            # check notebooks/*.ipynb; exit 1 on a violation
    python tools/check_notebooks.py --strip    # strip outputs and metadata in place, then check
    python tools/check_notebooks.py PATH ...   # check the given notebooks only
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
NAME_PATTERN = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
ALLOWED_NOTEBOOK_METADATA = frozenset({"kernelspec", "language_info"})
ALLOWED_CELL_METADATA = frozenset({"tags"})
PUBLIC_MODULES = frozenset({"model", "experiments", "model.app", "experiments.calibration"})
PROJECT_PACKAGES = frozenset({"model", "experiments"})
EXTRA_PUBLIC: dict[str, frozenset[str]] = {
    # model.app's __all__ lists what `solara run` and notebooks display; resolve_run (imported there from
    # model.viz.run) is how notebook 07 shows the command that replays the page's run, as its text says
    "model.app": frozenset({"resolve_run"}),
}
"""Names a public module does not list in ``__all__`` but notebooks may use, each with its reason."""
SWITCH = re.compile(r"^FULL\s*=\s*False\b", re.MULTILINE)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _code_without_magics(source: str) -> str:
    """Cell source with IPython magics and shell escapes blanked, so ``ast`` can parse it."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


@functools.cache
def public_names(module: str) -> frozenset[str]:
    """What a public module offers a notebook: its ``__all__``, its public sub-modules and :data:`EXTRA_PUBLIC`.

    ``__all__`` is read from the module's source in this repository (parsed,
    not imported: checking must not need the page's dependencies).

    Args:
        module: One of :data:`PUBLIC_MODULES`.

    Returns:
        The names; empty if the module has no literal ``__all__``.
    """
    base = REPO.joinpath(*module.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    names: set[str] = set()
    if path.is_file():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
                try:
                    names.update(str(n) for n in ast.literal_eval(node.value))
                except ValueError:
                    pass
    submodules = {m.rsplit(".", 1)[1] for m in PUBLIC_MODULES if m.rsplit(".", 1)[0] == module and "." in m}
    return frozenset(names | submodules | EXTRA_PUBLIC.get(module, frozenset()))


def _not_public(module: str, name: str) -> str:
    return f"uses {module}.{name}, which is not public ({name!r} is not in {module}.__all__)"


def _attribute_chain(node: ast.Attribute) -> tuple[str, list[str]] | None:
    """``a.b.c`` as (``a``, [``b``, ``c``]); ``None`` unless it starts from a plain name."""
    attrs: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        attrs.append(current.attr)
        current = current.value
    return (current.id, attrs[::-1]) if isinstance(current, ast.Name) else None


def _import_violations(tree: ast.AST, bound: dict[str, str]) -> Iterable[str]:
    """Violations of the public-API rule in one cell.

    Args:
        tree: The cell's syntax tree.
        bound: Names bound to project modules by earlier cells (updated with this cell's imports).
    """
    allowed_modules = ", ".join(sorted(PUBLIC_MODULES))
    attributes: list[ast.Attribute] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in PROJECT_PACKAGES:
                    continue
                if alias.name not in PUBLIC_MODULES:
                    yield f"imports internal module {alias.name!r} (allowed from the project: {allowed_modules})"
                elif alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] not in PROJECT_PACKAGES:
                continue
            if node.module not in PUBLIC_MODULES:
                yield f"imports internal module {node.module!r} (allowed from the project: {allowed_modules})"
                continue
            for alias in node.names:
                if alias.name == "*":
                    yield f"imports * from {node.module} (name what you use, from {node.module}.__all__)"
                elif alias.name not in public_names(node.module):
                    yield f"imports {alias.name!r} from {node.module}, which is not public (not in {node.module}.__all__)"
                elif f"{node.module}.{alias.name}" in PUBLIC_MODULES:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Attribute):
            attributes.append(node)
        elif isinstance(node, ast.ClassDef):
            yield f"defines class {node.name!r} (model code belongs in the package)"
    # a name assigned in this cell (`model = WarTerminationModel()`, a parameter `def f(model)`) is no longer a module
    rebound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    rebound |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    for name in rebound:
        bound.pop(name, None)
    reported: set[str] = set()
    for node in attributes:  # model.maths.logit, experiments.worker.run_chunk after `import model` ...
        chain = _attribute_chain(node)
        if chain is None or chain[0] not in bound:
            continue
        module = bound[chain[0]]
        for attr in chain[1]:
            if f"{module}.{attr}" in PUBLIC_MODULES:
                module = f"{module}.{attr}"
                continue
            if not (attr.startswith("__") and attr.endswith("__")) and attr not in public_names(module):
                message = _not_public(module, attr)
                if message not in reported:
                    reported.add(message)
                    yield message
            break


def check_notebook(path: Path) -> list[str]:
    """Every policy violation of one notebook, each as one line.

    Args:
        path: The ``.ipynb`` file.

    Returns:
        Violations, each prefixed with the file name; empty if it complies.
    """
    name = path.name
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return [f"{name}: not a readable notebook ({err})"]
    problems: list[str] = []
    if not NAME_PATTERN.match(name):
        problems.append("name must be NN_topic.ipynb (two digits, lower-case words joined by _)")
    if nb.get("nbformat") != 4:
        problems.append(f"nbformat must be 4, got {nb.get('nbformat')!r}")
    extra = sorted(set(nb.get("metadata", {})) - ALLOWED_NOTEBOOK_METADATA)
    if extra:
        problems.append(f"notebook metadata has {', '.join(extra)} (allowed: kernelspec, language_info)")
    code_cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    if not code_cells:
        problems.append("has no code cell")
    elif not SWITCH.search(_source(code_cells[0])):
        problems.append("first code cell must set the scaling switch 'FULL = False'")
    bound: dict[str, str] = {}  # names bound to project modules, across cells as in the kernel
    for number, cell in enumerate(nb.get("cells", []), start=1):
        where = f"cell {number}"
        meta = sorted(set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA)
        if meta:
            problems.append(f"{where}: cell metadata has {', '.join(meta)} (allowed: tags)")
        if cell.get("cell_type") != "code":
            if cell.get("outputs") or cell.get("attachments"):
                problems.append(f"{where}: a markdown cell carries outputs or attachments")
            continue
        if cell.get("outputs"):
            problems.append(f"{where}: has outputs (commit notebooks stripped)")
        if cell.get("execution_count") is not None:
            problems.append(f"{where}: has an execution count (commit notebooks stripped)")
        try:
            tree = ast.parse(_code_without_magics(_source(cell)))
        except SyntaxError as err:
            problems.append(f"{where}: does not parse as Python ({err.msg}, line {err.lineno})")
            continue
        problems.extend(f"{where}: {text}" for text in _import_violations(tree, bound))
    return [f"{name}: {text}" for text in problems]


def strip_notebook(path: Path) -> bool:
    """Strip outputs, execution counts and extra metadata in place (write, then rename).

    Args:
        path: The ``.ipynb`` file.

    Returns:
        True if the file changed.
    """
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    nb["metadata"] = {k: v for k, v in nb.get("metadata", {}).items() if k in ALLOWED_NOTEBOOK_METADATA}
    for cell in nb.get("cells", []):
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in ALLOWED_CELL_METADATA}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    new = json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"  # as Jupyter writes it
    if new == text:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(path)
    return True


def _notebooks(paths: Sequence[str]) -> list[Path]:
    if not paths:
        return sorted(NOTEBOOKS.glob("*.ipynb"))
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.is_file() or path.suffix != ".ipynb":
            raise ValueError(f"{given}: not an existing .ipynb file")
        found.append(path)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Check the notebooks; print one line per violation.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        0 if every notebook complies, 1 if one does not, 2 for a bad argument.
    """
    parser = argparse.ArgumentParser(description="Check the notebooks' git policy (outputs stripped, public API).")
    parser.add_argument("paths", nargs="*", help="notebooks to check (default: notebooks/*.ipynb)")
    parser.add_argument("--strip", action="store_true", help="strip outputs and metadata in place first")
    args = parser.parse_args(argv)
    try:
        notebooks = _notebooks(args.paths)
    except ValueError as err:
        print(f"check_notebooks: {err}", file=sys.stderr)
        return 2
    if args.strip:
        for path in notebooks:
            if strip_notebook(path):
                print(f"stripped {path.name}")
    problems = [line for path in notebooks for line in check_notebook(path)]
    for line in problems:
        print(line)
    if not problems:
        print(f"{len(notebooks)} notebooks comply with the policy")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
