"""The ``viz`` sub-command: serve the browser page (:mod:`model.app`) with Solara.

``war-termination viz --scenario X --seed N --set name=value`` validates the
run, checks that the page's packages are installed and that the address can be
listened on (any of these wrong: one line on stderr, exit 2), then serves
:mod:`model.app` with Solara (``solara run --production --no-open``, through
:mod:`model.viz.served`, which lets the server answer before the model is
imported) in a subprocess, passing the
run through the environment variables that :mod:`model.app` reads. The page
then opens exactly that run, so a row of a sweep can be replayed in the browser.
The page has no authentication: a ``--host`` other than this machine's
loopback prints a warning saying so (:func:`no_authentication_warning`).

The command line finds :func:`register` through the ``war_termination.commands``
entry point (``pyproject.toml``).
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from model.commandline import PROG, UsageError, add_set_option, integer, parse_assignments, printable
from model.scenario import DEFAULT_SCENARIO, list_scenarios
from model.viz.run import ENV_SCENARIO, ENV_SEED, ENV_SET, resolve_run

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

# Solara's own entry point, with one optional import blocked, one warning silenced and the
# served module loaded first. jsonschema's IRI checker (rfc3987_syntax, which altair pulls
# in if anything imports it) builds a grammar at import, about 2 s of start-up, and the
# page never validates IRIs. Solara warns, in 12 lines, on every page load over plain http
# to an address other than "localhost" that its session cookie falls back to SameSite=Lax:
# what a page that is not embedded in another site's frame wants anyway. The served module
# (model/viz/served.py) is loaded by its path under a top-level name, so that the model's
# imports wait until the server answers. Only the server process is affected.
_LAUNCH = """\
import importlib.util, sys, warnings
sys.modules.setdefault('rfc3987_syntax', None)
warnings.filterwarnings('ignore', message='Cookies with samesite=none require https', category=UserWarning)
spec = importlib.util.spec_from_file_location({name!r}, {path!r})
served = importlib.util.module_from_spec(spec)
sys.modules[{name!r}] = served
spec.loader.exec_module(served)
from solara.__main__ import main
main()
"""

SERVED_FILE = Path(__file__).with_name("served.py")
"""The file the server loads and serves (:mod:`model.viz.served`): :mod:`model.app`, imported once the server answers."""

PAGE = "war_termination_page"
"""The module the server serves: :data:`SERVED_FILE` under this name (``solara run model.app`` serves the
same page, with the model imported before the server answers)."""
PAGE_MODULES: tuple[str, ...] = ("solara",)
"""What the page imports beyond the model: Solara (the ``viz`` extra)."""
ASSETS_MODULE = "solara_assets"
"""The package that serves the page's JavaScript and CSS from this machine (the ``offline`` extra)."""


def offline_assets() -> bool:
    """True if the page's JavaScript and CSS are installed (``solara-assets``), so the page needs no internet."""
    return importlib.util.find_spec(ASSETS_MODULE) is not None


def _port(text: str) -> int:
    """An argparse type: a TCP port number."""
    return integer(text, "a port number in [1, 65535]", 1, 65535)


def register(subparsers: Any) -> None:
    """Add the ``viz`` sub-command to the ``war-termination`` parser.

    Args:
        subparsers: The object ``ArgumentParser.add_subparsers`` returned.
    """
    cmd = subparsers.add_parser(
        "viz",
        help="serve the browser page for one run",
        description="Serve the browser page: the front and beliefs, the bargaining range, the plan's progress, "
        "the costs and the third parties, stepped from the browser. With --scenario, --seed and --set the page opens exactly that run "
        "(e.g. a row of a sweep). The page works offline only with the solara-assets package (the offline extra, "
        "pip install 'war-termination[offline]'), which serves its JavaScript and CSS from this machine"
        + (" (installed here)." if offline_assets() else "; it is not installed here, so the server fetches them from a CDN."),
    )
    cmd.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}, this machine only); the page has no authentication, "
        "so any other address prints a warning",
    )
    cmd.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    cmd.add_argument(
        "--scenario",
        default=DEFAULT_SCENARIO,
        help=f"a bundled scenario ({', '.join(list_scenarios())}) or a path to a .toml file (default {DEFAULT_SCENARIO})",
    )
    # checked with the run (model.viz.run.parse_seed), as the page checks its seed box
    cmd.add_argument("--seed", default="0", help="random seed, a non-negative integer (default 0)")
    add_set_option(cmd)
    cmd.set_defaults(handler=viz_command)


def server_environment(scenario: str, seed: object, overrides: dict[str, str]) -> dict[str, str]:
    """Validate a run and return the environment variables that make the page open it.

    Args:
        scenario: A bundled scenario name or a path to a ``.toml`` file.
        seed: The seed (an int or its text).
        overrides: Parameter names and values as text.

    Returns:
        ``WAR_TERMINATION_SCENARIO``, ``_SEED`` and ``_SET``.

    Raises:
        ScenarioError: If the scenario, the seed or an override is not allowed.
    """
    run = resolve_run(scenario, seed, overrides)
    scenario_text = os.path.abspath(run.scenario) if run.scenario.endswith(".toml") else run.scenario
    return {ENV_SCENARIO: scenario_text, ENV_SEED: str(run.seed), ENV_SET: json.dumps(dict(run.overrides))}


def server_command(host: str, port: int) -> list[str]:
    """The command that serves the page.

    Args:
        host: Address to listen on.
        port: Port to listen on.

    Returns:
        The argument list for :func:`subprocess.run`.
    """
    # --no-check-version: Solara otherwise asks PyPI for its latest version, synchronously, before it serves
    options = ["--production", "--no-open", "--no-check-version"]
    launch = _LAUNCH.format(name=PAGE, path=str(SERVED_FILE))
    return [sys.executable, "-c", launch, "run", PAGE, "--host", host, "--port", str(port), *options]


def quiet_environment(host: str = DEFAULT_HOST) -> dict[str, str]:
    """Solara's settings for the server: no telemetry, no badge, its JavaScript and CSS served by the server itself.

    On a loopback address the files are not gzipped: compressing them (once, at
    level 9) costs the first page load CPU time and saves nothing on one machine.

    Args:
        host: The address the server listens on.

    Returns:
        Environment variables for the server process.
    """
    # no "This website runs on Solara" badge: it covers the bottom right of the page
    env = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_ASSETS_PROXY": "True", "SOLARA_THEME_SHOW_BANNER": "False"}
    if _is_loopback(host):
        env["SOLARA_SERVER_HTTP_GZIP"] = "False"
    return env


def _is_loopback(host: str) -> bool:
    """True if ``host`` is this machine only (``localhost`` or a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def viz_command(args: argparse.Namespace) -> int:
    """Serve the page until interrupted (the ``viz`` sub-command).

    Args:
        args: Parsed arguments: ``host``, ``port``, ``scenario``, ``seed``, ``overrides``.

    Returns:
        The server's exit code.

    Raises:
        UsageError: If an override is not ``NAME=VALUE``.
        ScenarioError: If the scenario, the seed or an override is not allowed.
    """
    run_env = server_environment(args.scenario, args.seed, parse_assignments(args.overrides))
    env = {**os.environ, **quiet_environment(args.host), **run_env}
    check_page_modules()
    check_address(args.host, args.port)
    if not offline_assets():
        print(
            f"{PROG} viz: warning: {ASSETS_MODULE} is not installed, so the page's JavaScript and CSS come "
            "from a CDN and the page needs internet; pip install 'war-termination[offline]' to serve them from this machine",
            file=sys.stderr,
        )
    if not _is_loopback(args.host):
        print(no_authentication_warning(args.host), file=sys.stderr)
    print(f"Serving the page on http://{_url_host(args.host)}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    return serve(server_command(args.host, args.port), env)


def no_authentication_warning(host: str) -> str:
    """The warning ``viz`` prints when ``--host`` is not this machine only: the page asks nobody to log in.

    A warning rather than a refusal: serving a page to a trusted network (a
    lab's machines, a container's published port) is a use the option exists
    for, but whoever can reach the port can step and rebuild runs and read the
    page (the scenario, its values and any path given with ``--scenario``).

    Args:
        host: The address given with ``--host``.

    Returns:
        The line, without a newline.
    """
    return (
        f"{PROG} viz: warning: --host {printable(host)} serves the page beyond this machine, and the page has no "
        "authentication: anyone who can reach the port can use it and read the run (the scenario and its values)"
    )


def _url_host(host: str) -> str:
    """The host as a URL writes it (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host


def check_page_modules() -> None:
    """Check that the packages the page imports are installed (before any server starts).

    Raises:
        UsageError: Naming the missing packages and the extra that installs them.
    """
    missing = [name for name in PAGE_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"viz: the browser page needs {', '.join(missing)}, not installed: pip install 'war-termination[viz]'")


def check_address(host: str, port: int) -> None:
    """Check that the server can listen on ``host``:``port``: the name resolves and the port is free.

    Binds every address the name resolves to, as the server will (with
    ``SO_REUSEADDR``, so a port left in TIME_WAIT by an earlier server counts
    as free), and releases them at once.

    Args:
        host: Address or name to listen on.
        port: Port to listen on.

    Raises:
        UsageError: If the name does not resolve, or an address cannot be bound (port in use, not this machine's).
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"viz --host {host!r}: cannot resolve the name ({_reason(exc)})") from None
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise UsageError(f"viz --port {port}: port {port} on {host} is in use; choose another with --port") from None
                raise UsageError(f"viz --host {host!r}: cannot listen on {address[0]} port {port} ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    """What the system said went wrong, without the error number."""
    return str(getattr(exc, "strerror", None) or exc)


def serve(command: list[str], env: dict[str, str]) -> int:
    """Run the server until it exits, or stop it when this process is interrupted or terminated.

    Args:
        command: The server's command line.
        env: Its environment.

    Returns:
        The server's exit code, or 0 when stopped by Ctrl-C or SIGTERM.
    """
    process = subprocess.Popen(command, env=env)
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        # never leave the server behind: it would keep the port
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM handler: stop as Ctrl-C does, so :func:`serve` stops the server."""
    raise KeyboardInterrupt
