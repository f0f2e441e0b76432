"""Files shipped inside a package, found by name or by path.

Scenarios and experiments are both named either by a bundled name (the
file's stem inside a package) or by a path to a ``.toml`` file; this module
resolves both the same way.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from model.errors import InputError

SUFFIX = ".toml"


def bundled_names(package: str) -> list[str]:
    """The stems of the ``.toml`` files shipped in ``package``, sorted.

    Args:
        package: A dotted package name.

    Returns:
        Names that :func:`resolve_toml` accepts for that package.
    """
    folder = resources.files(package)
    return sorted(p.name[: -len(SUFFIX)] for p in folder.iterdir() if p.name.endswith(SUFFIX))


def is_bundled(path: Path, package: str) -> bool:
    """Whether ``path`` lies inside ``package``'s folder (a bundled file, named by its file name in errors)."""
    return str(path).startswith(str(resources.files(package)))


def resolve_toml(name_or_path: str | Path, package: str, kind: str, error: type[InputError]) -> Path:
    """Resolve a bundled name or a path to a ``.toml`` file.

    Text that ends in ``.toml`` or holds a path separator is a path; any
    other text is a bundled name.

    Args:
        name_or_path: A bundled name or a file path.
        package: The package holding the bundled files.
        kind: What the file is, for messages (``"scenario"``, ``"experiment"``).
        error: The input error to raise.

    Returns:
        The file's path.

    Raises:
        InputError: (as ``error``) If the path is a folder or missing, the name is not bundled, or
            the text cannot name a file at all (too long for the file system, a NUL byte).
    """
    text = str(name_or_path)
    shown = text if len(text) <= 80 else text[:77] + "..."
    try:
        if text.endswith(SUFFIX) or "/" in text or "\\" in text:
            path = Path(text)
            if path.is_dir():
                raise error(f"{shown}: a folder, not a {kind} file (expected a {SUFFIX} file)")
            if not path.is_file():
                raise error(f"{shown}: no such {kind} file")
            return path
        bundled = resources.files(package) / f"{text}{SUFFIX}"
        found = bundled.is_file()
    except InputError:
        raise
    except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL byte, ...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else " ".join(str(exc).split())
        raise error(f"{shown!r}: not a usable {kind} name or path ({reason})") from None
    if not found:
        raise error(f"unknown {kind} {shown!r}: expected one of {', '.join(bundled_names(package))} or a path to a {SUFFIX} file")
    return Path(str(bundled))
