"""Writing files so that a reader never sees half of one.

A file is written under a temporary name in its own folder and renamed into
place (:func:`os.replace` is atomic on POSIX and Windows): an interrupted
write leaves the old file or none, never a truncated one, and no temporary
file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write a file through a temporary name in the same folder, then rename it into place.

    Args:
        path: The final path.
        write: Called with the temporary path; it writes the whole file.

    Raises:
        OSError: If the file cannot be written (a full disk, no permission),
            of the same kind and naming ``path`` (not the temporary name), so
            a one-line message says which file failed.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        # mkstemp makes the file private (0600); give it the permissions a plain open() would
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, path)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise _naming(exc, path) from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error, naming ``path`` (``OSError(errno, ...)`` picks the subclass, e.g. ``PermissionError``)."""
    reason = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
    if exc.errno is None:
        return OSError(f"{path}: cannot write: {reason}")
    return OSError(exc.errno, reason, str(path))


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
