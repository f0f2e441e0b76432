"""The model's code, identified by a hash of its files.

Results record the hash of the code that made them (a sweep's manifest), and
a process can tell whether the code it has loaded is still the code on disk:
``model.SOURCE_HASH_AT_IMPORT`` is taken as the package is imported, with
its modules.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def source_hash() -> str:
    """A SHA-256 of the model's code: every ``.py`` and ``.toml`` file of the installed ``model`` package.

    The files (the model's modules and its bundled scenarios) are read in
    sorted order of their path inside the package, and each path is hashed
    with its bytes, so renaming, adding or deleting a file changes the hash
    as editing one does. Compiled files and anything else are left out.

    Returns:
        64 hex digits.
    """
    import model  # the package's location as this process sees it (a test may point it elsewhere)

    root = Path(model.__file__).resolve().parent
    files = sorted(
        (p for p in root.rglob("*") if p.suffix in (".py", ".toml") and p.is_file()),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
