"""The browser page: Mesa's SolaraViz with the model's domain views and controls.

It stands where Mesa's examples keep their ``app.py`` and assembles the parts
in :mod:`model.viz`: the run it shows (:mod:`model.viz.run`), the views
(:mod:`model.viz.components`) and the ``viz`` sub-command (:mod:`model.viz.command`).

Serve it with ``war-termination viz`` (which runs ``solara run model.app``) or
show it in a notebook cell with :func:`page`. Every browser session (every
notebook cell) builds its own model inside the :func:`Page` component; no
model exists at import time, so sessions never share one.

The run a session opens with comes from the environment, which
``war-termination viz`` sets after validating it: ``WAR_TERMINATION_SCENARIO``
(a bundled name or a path), ``WAR_TERMINATION_SEED`` (an integer) and
``WAR_TERMINATION_SET`` (a JSON object of parameter names and values).

The controls come from :func:`model.describe_parameters`: a slider per number
over its allowed range, a select per choice, a check box per switch, and a
text box for the seed. Mesa's Reset builds a new model from them; choosing
another scenario loads it at once, with its own values on the sliders, and a
new seed loads the run on screen with that seed.

Start-up: Mesa's visualization (and the Altair and Matplotlib it imports) is
imported on first use (:func:`mesa_viz`), not with this module, so the server
answers sooner; the server that ``war-termination viz`` starts imports it in
the background while the browser loads the page (``WAR_TERMINATION_PRELOAD``).
"""

from __future__ import annotations

import functools
import html
import math
import os
import socket
import threading
import time
import warnings
from pathlib import Path
from typing import Any, ClassVar

import solara

from model.commandline import value_text
from model.model import WarTerminationModel
from model.parameters import PARAMETERS, Parameter, Value
from model.scenario import DEFAULT_SCENARIO, ScenarioError, list_scenarios, load_scenario
from model.viz.components import VIEWS, banner_view
from model.viz.run import ENV_PRELOAD, RunSpec, parse_seed, resolve_run, run_from_environment

TITLE = "War termination: the Italian peace plan of May 2022"

CONTROLS: tuple[str, ...] = (
    "protocol",
    "initial_advantage",
    "momentum",
    "volatility",
    "shock_round",
    "shock_size",
    "rearmament",
    "violation_rate_russia",
    "monitor_strength",
    "guarantee_effect",
    "interim_guarantee",
    "mediator_guarantees",
    "mediator_information",
    "mediator_leverage",
    "mediator_bias",
    "aid_scale",
)
"""Parameters the page shows a control for: the battlefield trend, the
protocol, and what relieves the commitment problem (guarantees, monitors, aid).
Every other parameter keeps the scenario's value (or the one given with ``--set``)."""

_ROUND_VALUED = ("shock_round",)
"""Integer parameters counted in rounds: their slider stops at the round limit (later values never act)."""


@functools.cache
def mesa_viz() -> tuple[Any, Any]:
    """Mesa's ``SolaraViz`` and its step counter, imported on first use, not with this module.

    ``mesa.visualization`` brings in Altair and Matplotlib (the page uses
    neither), about 0.7 s of a server's start-up; imported here, it lets the
    server answer first (an import deferred for speed, not to avoid a cycle).

    Returns:
        ``(SolaraViz, update_counter)``.
    """
    with warnings.catch_warnings():
        # Mesa's own ComponentsView trips Solara's hook checker at import (harmless; fixed in later Mesa)
        warnings.filterwarnings("ignore", message=".*found despite early return", category=UserWarning)
        from mesa.visualization import SolaraViz
        from mesa.visualization.utils import update_counter
    return SolaraViz, update_counter


def _server_listening(timeout: float) -> None:
    """Wait (at most ``timeout`` s) until the Solara server in this process accepts connections."""
    host, port = os.environ.get("SERVER_NAME", ""), os.environ.get("SERVER_PORT", "")
    if not host or not port.isdecimal():
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, int(port)), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)


def preload_in_background() -> threading.Thread:
    """Import Mesa's visualization in a daemon thread once this process's server answers.

    Started at import when :data:`ENV_PRELOAD` is ``1``, so the import overlaps
    the browser's loading of the page; a session drawn meanwhile waits on the
    import lock. Safe because the model has imported numpy and pandas in full
    before the server answers (Solara's renderer reads them from ``sys.modules``
    unimported), which is why the model itself is not imported in the background.

    Returns:
        The started thread.
    """

    def load() -> None:
        _server_listening(timeout=5.0)
        mesa_viz()

    thread = threading.Thread(target=load, name="war-termination-preload", daemon=True)
    thread.start()
    return thread


class PageModel(WarTerminationModel):
    """The model as the page builds it: one run's scenario and seed, with the controls' values on top.

    Mesa's Reset builds ``type(model)(**values)`` from the control values it
    holds: every control's after the page is first drawn, but only those moved
    since when a new run was chosen (Mesa's store of values starts empty again
    while its inputs keep their state). So the run itself (scenario, seed and
    the overrides it was opened with) travels with the class:
    :meth:`for_run` binds it, and whatever Reset does not pass comes from it.
    The values are checked against the parameter table here, the boundary
    between the page and the model. It is a :class:`~model.WarTerminationModel`
    in every other respect.

    Args:
        scenario: Ignored: Mesa 3.4 and later pass their own scenario object on Reset.
        **kwargs: Control values (flat names of :func:`model.describe_parameters`).

    Raises:
        ScenarioError: If a value is not allowed.
    """

    bound_run: ClassVar[RunSpec] = RunSpec(DEFAULT_SCENARIO, 0, {})

    @classmethod
    def for_run(cls, run: RunSpec) -> type[PageModel]:
        """The class whose instances play ``run`` (with any control values passed on top).

        Args:
            run: The validated run.

        Returns:
            A subclass bound to the run.
        """
        return type(cls.__name__, (cls,), {"bound_run": run, "__module__": cls.__module__, "__doc__": cls.__doc__})

    def __init__(self, scenario: object = None, **kwargs: Any) -> None:
        """Validate the controls' values and build the model of the bound run."""
        run = type(self).bound_run
        base = load_scenario(run.scenario)
        values = {**run.overrides, **kwargs}
        checked = base.with_overrides(values, origin="page controls")
        super().__init__(scenario=checked, rng=run.seed)
        changed = {name: checked.values[name] for name in values if checked.values[name] != base.values[name]}
        self.run_spec = RunSpec(run.scenario, run.seed, changed)
        self.controls_in_force: dict[str, Value] = {name: checked.values[name] for name in CONTROLS}


def build_model(run: RunSpec) -> PageModel:
    """A fresh model for a run (one per session).

    Args:
        run: The validated run.

    Returns:
        The model, at round 0.
    """
    return PageModel.for_run(run)()


def _slider_step(low: float, high: float, value: float) -> float:
    """A round step that puts about a thousand stops on the slider and lands on the current value."""
    step = 10.0 ** math.floor(math.log10((high - low) / 1000.0))
    while step > 1e-6 and abs(round(value / step) * step - value) > 1e-9:
        step /= 10.0
    return step


def control(param: Parameter, value: Value, max_rounds: int) -> dict[str, Any]:
    """The Mesa ``model_params`` entry for one parameter: its range and allowed values from the table.

    Args:
        param: The parameter.
        value: Its value in the run (the slider's starting point).
        max_rounds: The run's round limit (caps sliders counted in rounds).

    Returns:
        A Mesa user-input description (``type``, ``value``, ``label``, ...).
    """
    label = param.name
    if param.kind is bool:
        return {"type": "Checkbox", "value": bool(value), "label": label}
    if param.kind is str:
        assert param.choices is not None
        return {"type": "Select", "value": str(value), "values": list(param.choices), "label": label}
    assert param.low is not None and param.high is not None
    if param.kind is int:
        high = min(param.high, max_rounds) if param.name in _ROUND_VALUED else param.high
        return {
            "type": "SliderInt",
            "value": int(value),
            "min": int(param.low),
            "max": int(max(high, int(value))),
            "step": 1,
            "label": label,
        }
    low, high = float(param.low), float(param.high)
    step = _slider_step(low, high, float(value))
    return {"type": "SliderFloat", "value": float(value), "min": low, "max": high, "step": step, "label": label}


def model_params(run: RunSpec) -> dict[str, Any]:
    """SolaraViz's ``model_params`` for a run: one control per parameter of :data:`CONTROLS`.

    Args:
        run: The validated run.

    Returns:
        What Mesa's ModelCreator shows and its Reset passes to :class:`PageModel`.
    """
    values = load_scenario(run.scenario).with_overrides(dict(run.overrides)).values
    max_rounds = int(values["max_rounds"])
    return {name: control(PARAMETERS[name], values[name], max_rounds) for name in CONTROLS}


@solara.component
def Banner(model: solara.Reactive[WarTerminationModel]) -> None:
    """The outcome so far and the round, refreshed after every Step."""
    mesa_viz()[1].get()
    current = model.value
    replay = current.run_spec.command() if isinstance(current, PageModel) else ""
    solara.HTML(tag="div", unsafe_innerHTML=banner_view(current, replay))


@solara.component
def RunPicker(run: solara.Reactive[RunSpec], model: solara.Reactive[WarTerminationModel]) -> None:
    """Choose the scenario and the seed; either loads a new run at once.

    A new scenario comes with its own values; a new seed keeps the values of
    the run on screen. The seed's text is checked here, so a typing slip shows
    a message under the box instead of reaching the model.
    """
    names = list_scenarios()
    if run.value.scenario not in names:
        names.append(run.value.scenario)
    error = solara.use_reactive("")

    def on_screen() -> RunSpec:
        return model.value.run_spec if isinstance(model.value, PageModel) else run.value

    def choose_scenario(name: str) -> None:
        run.set(RunSpec(name, on_screen().seed, {}))

    def choose_seed(text: str) -> None:
        try:
            seed = parse_seed(text)
        except ScenarioError as exc:
            error.set(str(exc))
            return
        error.set("")
        shown = on_screen()
        run.set(RunSpec(shown.scenario, seed, dict(shown.overrides)))

    with solara.Card("Run"):
        solara.Select("scenario", values=names, value=run.value.scenario, on_value=choose_scenario)
        solara.InputText("seed", value=str(run.value.seed), on_value=choose_seed, error=error.value or False)
        solara.Text(
            "A scenario or a seed loads at once. Sliders start at the run's values; move them, then Reset.",
            style={"font-size": "12px"},
        )


@solara.component
def ValuesInForce(model: solara.Reactive[WarTerminationModel]) -> None:
    """The controlled parameters' values in the run on screen (Mesa's sliders do not print theirs)."""
    current = model.value
    if not isinstance(current, PageModel):
        return
    cells = "".join(
        f"<div><span style='color:#555'>{html.escape(name)}</span> <b>{html.escape(value_text(value, digits=4))}</b></div>"
        for name, value in current.controls_in_force.items()
    )
    grid = "display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:2px 16px;font-size:12px"
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<div data-testid=\"values-in-force\" style='padding:4px 8px'><div style='font-weight:600'>"
        f"The controlled values in this run</div><div style='{grid}'>{cells}</div></div>",
    )


@solara.component
def WarPage(run: RunSpec) -> None:
    """The page for one session: its own model, the controls, the banner and the views.

    Args:
        run: The run the session opens with.
    """
    current = solara.use_reactive(run)
    # built here, per session, and rebuilt when another run (scenario or seed) is chosen
    first: WarTerminationModel = solara.use_memo(lambda: build_model(current.value), [current.value])
    model: solara.Reactive[WarTerminationModel] = solara.use_reactive(first)
    with solara.Sidebar():
        RunPicker(current, model)
    Banner(model)
    solara.Style(_CSS)
    solara_viz, _ = mesa_viz()
    with solara.Div(classes=["war-termination-views"]):
        solara_viz(
            model,
            components=list(VIEWS),
            model_params=model_params(current.value),
            name=TITLE,
            play_interval=150,
        ).key(f"viz-{current.value}")
    ValuesInForce(model)


_CSS = ".war-termination-views .v-tabs { display: none; }"
"""Mesa draws a tab bar ("Page 0") even for a single page of components; the page has one."""


def page(scenario: str | Path = DEFAULT_SCENARIO, seed: int = 0, **overrides: Any) -> solara.Element:
    """The page as an element to show in a notebook cell (or to render in a test).

    Args:
        scenario: A bundled scenario name or a path to a ``.toml`` file.
        seed: The random seed.
        **overrides: Parameter values, as for :class:`~model.WarTerminationModel`.

    Returns:
        The page's element; each display builds its own model.

    Raises:
        ScenarioError: If the scenario, the seed or an override is not allowed.
    """
    return WarPage(resolve_run(scenario, seed, overrides))


@solara.component
def Page() -> None:
    """What ``solara run model.app`` serves: the run named by the environment, one model per session."""
    run = solara.use_memo(run_from_environment, [])
    WarPage(run)


if os.environ.get(ENV_PRELOAD) == "1":
    preload_in_background()

__all__ = ["Page", "PageModel", "build_model", "mesa_viz", "model_params", "page"]
