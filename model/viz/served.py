"""What the page's server serves: :mod:`model.app`, imported while the browser loads the page.

``war-termination viz`` loads this file by its path under the top-level name
:data:`NAME` (so that loading it does not import the :mod:`model` package),
then runs ``solara run war_termination_page``. Solara imports the module it
serves before it answers, so serving :mod:`model.app` directly would put the
model's imports (Mesa, SciPy, pandas: about 1.2 s of CPU on Python 3.11)
before the server's first answer. Here the server answers with Solara alone,
and a thread imports :mod:`model.app` once the server listens, while the
browser loads Solara's JavaScript (about 2 s).

A session cannot start before that import is complete: Solara's renderer
looks modules such as pandas up in ``sys.modules`` (reacton checks whether a
state value is a ``pandas.DataFrame``), and a half-imported pandas would
break it. So every new kernel waits for the import first
(:func:`wait_for_page`, registered with ``solara.lab.on_kernel_start``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any

import solara
import solara.lab

NAME = "war_termination_page"
"""The name Solara serves this file under (``solara run war_termination_page``)."""

IMPORT_TIMEOUT = 120.0
"""Seconds a new session waits for the page's import at most (it takes about a second)."""

_importing = threading.Event()
_loaded = threading.Event()
_failure: list[BaseException] = []


def _server_listening(timeout: float) -> None:
    """Wait (at most ``timeout`` s) until the Solara server in this process accepts connections.

    Solara's ``run`` names the address in ``SERVER_NAME`` and ``SERVER_PORT``
    before it starts the server, after this file is loaded; until then, wait.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        host, port = os.environ.get("SERVER_NAME", ""), os.environ.get("SERVER_PORT", "")
        if host and port.isdecimal():
            try:
                with socket.create_connection((host, int(port)), timeout=0.2):
                    return
            except OSError:
                pass
        time.sleep(0.05)


def _import_page() -> None:
    """Import the page once the server answers (so the import does not delay the answer)."""
    try:
        _server_listening(timeout=30.0)
        _importing.set()
        import model.app  # noqa: F401 - deferred: the point of this module
    except BaseException as exc:  # shown to the first session instead of lost in a thread
        _failure.append(exc)
    finally:
        _loaded.set()


def wait_for_page() -> None:
    """Block a new session until :mod:`model.app` is imported (see the module's docstring).

    Solara also starts a kernel of its own at start-up, before the server
    listens (to find the page's component): that one does not wait, for the
    import waits for the server. No browser's session can start before the
    import does, since the import starts within 50 ms of the server listening
    and a browser first loads the page and its JavaScript.

    Raises:
        BaseException: Whatever the import raised.
    """
    if not _importing.is_set():
        return
    _loaded.wait(IMPORT_TIMEOUT)
    if _failure:
        raise _failure[0]


@solara.component
def Page() -> Any:
    """The page of :mod:`model.app`, once it is imported."""
    _importing.wait(IMPORT_TIMEOUT)
    wait_for_page()
    from model.app import Page as WarPage

    return WarPage()


threading.Thread(target=_import_page, name="war-termination-page-import", daemon=True).start()
solara.lab.on_kernel_start(wait_for_page)
