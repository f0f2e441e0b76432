"""The ``viz`` sub-command: serve the browser page (``model.app``) with Solara.

``war-termination viz --scenario X --seed N --set name=value`` validates the
run first (bad input: one line on stderr, exit 2), then runs
``solara run model.app --production --no-open`` in a subprocess, passing the
run through the environment variables that :mod:`model.app` reads. The page
then opens exactly that run, so a row of a sweep can be replayed in the browser.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
from typing import Any

from model.parameters import PARAMETERS
from model.scenario import list_scenarios
from model.viz_run import ENV_SCENARIO, ENV_SEED, ENV_SET, resolve_run

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

# Solara's own entry point, run with one optional import blocked: altair (which Mesa's
# visualization imports) pulls in jsonschema, whose optional IRI checker (rfc3987_syntax)
# builds a parser grammar at import, about 2 s of the server's start-up. The page never
# validates IRIs; blocking it in the server process alone leaves every other process alone.
_LAUNCH = "import sys; sys.modules.setdefault('rfc3987_syntax', None); from solara.__main__ import main; main()"


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number in [1, 65535], got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number in [1, 65535], got {text!r}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``viz`` sub-command to the ``war-termination`` parser.

    Args:
        subparsers: The object ``ArgumentParser.add_subparsers`` returned.
    """
    example = PARAMETERS["initial_advantage"]
    cmd = subparsers.add_parser(
        "viz",
        help="serve the browser page (Mesa's SolaraViz) for one run",
        description="Serve the browser page: the front and beliefs, the bargaining range, the plan's progress and "
        "the costs, stepped from the browser. With --scenario, --seed and --set the page opens exactly that run "
        "(e.g. a row of a sweep). Works offline: the page's JavaScript and CSS come from the solara-assets package.",
    )
    cmd.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}, this machine only)")
    cmd.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    cmd.add_argument(
        "--scenario",
        default="italian_plan_2022",
        help=f"a bundled scenario ({', '.join(list_scenarios())}) or a path to a .toml file (default italian_plan_2022)",
    )
    cmd.add_argument("--seed", default="0", help="random seed, a non-negative integer (default 0)")
    cmd.add_argument(
        "--set",
        dest="overrides",
        metavar="NAME=VALUE",
        nargs="+",
        action="extend",
        default=[],
        help=f"override a parameter, e.g. {example.name}=0.6 ({example.meaning}: {example.allowed}); may be repeated",
    )
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
    return [sys.executable, "-c", _LAUNCH, "run", "model.app", "--host", host, "--port", str(port), "--production", "--no-open"]


def quiet_environment() -> dict[str, str]:
    """Settings that keep the server from reaching the network: no telemetry, assets served locally."""
    return {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_ASSETS_PROXY": "True"}


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
    from model.cli import parse_assignments

    env = {**os.environ, **quiet_environment(), **server_environment(args.scenario, args.seed, parse_assignments(args.overrides))}
    print(f"Serving the page on http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    return serve(server_command(args.host, args.port), env)


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
    raise KeyboardInterrupt
