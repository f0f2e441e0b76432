"""The browser page: one run of the model, stepped from the browser, read at a glance.

It stands where Mesa's examples keep their ``app.py`` and assembles the parts
in :mod:`model.viz`: the run it shows (:mod:`model.viz.run`), the views
(:mod:`model.viz.components`), the record of third-party support
(:mod:`model.viz.support`) and the ``viz`` sub-command (:mod:`model.viz.command`).

Serve it with ``war-termination viz`` (which runs ``solara run model.app``) or
show it in a notebook cell with :func:`page`. Every browser session (every
notebook cell) builds its own model inside the :func:`WarPage` component; no
model exists at import time, so sessions never share one.

The run a session opens with comes from the environment, which
``war-termination viz`` sets after validating it: ``WAR_TERMINATION_SCENARIO``
(a bundled name or a path), ``WAR_TERMINATION_SEED`` (an integer) and
``WAR_TERMINATION_SET`` (a JSON object of parameter names and values).

The page is Solara, laid out for this model: a column of controls (the run,
the buttons Step, ▶ Play / ❚❚ Pause and Reset, then the controls in groups)
beside the banner and the views. The controls come from
:func:`model.describe_parameters`: a slider per number over its allowed
range, a select per choice, a check box per switch, each with its value
beside it at all times and its meaning and unit (``Parameter.meaning``)
under it. It follows Mesa's ``SolaraViz`` in what the buttons do (Reset
builds ``type(model)(**values)`` from the controls), but is not built on it:
``mesa.visualization`` imports Altair and Matplotlib, which the page never
uses (0.8 s of CPU at start-up on Python 3.11, more with Mesa 3.5), and
brings controls that do not concern this model (render interval, threads)
and a draggable grid that does not reflow on a narrow screen.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import solara
import solara.lab

from model.cli import first_sentence
from model.commandline import printable, value_text
from model.model import WarTerminationModel
from model.parameters import PARAMETERS, Parameter, Value
from model.scenario import DEFAULT_SCENARIO, ScenarioError, list_scenarios, load_scenario
from model.viz.components import VIEW_FUNCTIONS, banner_view
from model.viz.run import RunSpec, parse_seed, resolve_run, run_from_environment
from model.viz.support import SupportRecord

TITLE = "War termination: the Italian peace plan of May 2022"

CONTROL_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Battlefield trend", ("initial_advantage", "momentum", "volatility", "shock_round", "shock_size")),
    (
        "Commitment: what a ceasefire rests on",
        ("rearmament", "violation_rate_russia", "monitor_strength", "guarantee_effect", "interim_guarantee"),
    ),
    ("Mediator (the IFG) and protocol", ("protocol", "mediator_guarantees", "mediator_information", "mediator_leverage", "mediator_bias")),
    ("Third parties", ("aid_scale",)),
)
"""The page's controls in their groups: the battlefield trend; what relieves the commitment problem
(rearmament, violations, monitors, guarantees); the mediator and the protocol it runs; third parties' aid."""

CONTROLS: tuple[str, ...] = tuple(name for _, names in CONTROL_GROUPS for name in names)
"""Parameters the page shows a control for. Every other parameter keeps the scenario's value (or the one given with ``--set``)."""

_ROUND_VALUED = ("shock_round",)
"""Integer parameters counted in rounds: their slider stops at the round limit (later values never act)."""

PLAY_INTERVAL = 0.15
"""Seconds between two rounds while the page plays."""


def _same(value: object, base: object) -> bool:
    """Whether a control's value is the scenario's: equal, or a float within rounding error of it."""
    if isinstance(value, float) and isinstance(base, float):
        return math.isclose(value, base, rel_tol=1e-9, abs_tol=1e-15)
    return value == base


class PageModel(WarTerminationModel):
    """The model as the page builds it: one run's scenario and seed, with the controls' values on top.

    Reset builds ``type(model)(**values)`` from the controls' values, as
    Mesa's SolaraViz does, so the run itself (scenario, seed and the
    overrides it was opened with) travels with the class: :meth:`for_run`
    binds it, and whatever Reset does not pass comes from it. The values are
    checked against the parameter table here, the boundary between the page
    and the model. It also records, each round, what the third parties give
    (:class:`~model.viz.support.SupportRecord`, for the third-party view); in
    every other respect it is a :class:`~model.WarTerminationModel`.

    Args:
        scenario: Ignored (Mesa 3.4 and later pass their own scenario object when they rebuild a model).
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
        # a slider returns its value as min + k * step, off the scenario's own value by a rounding error:
        # such a value is the scenario's, so the run on the page is the one its replay command plays
        changed = {name: checked.values[name] for name in values if not _same(checked.values[name], base.values[name])}
        checked = base.with_overrides(changed, origin="page controls")
        super().__init__(scenario=checked, rng=run.seed)
        self.run_spec = RunSpec(run.scenario, run.seed, changed)
        self.controls_in_force: dict[str, Value] = {name: checked.values[name] for name in CONTROLS}
        self.support = SupportRecord()
        self.support.collect(self)

    def step(self) -> None:
        """Play one round, then record what the third parties gave in it."""
        super().step()
        self.support.collect(self)


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
    """The description of one parameter's control: its kind, range and allowed values from the table.

    Args:
        param: The parameter.
        value: Its value in the run (the slider's starting point).
        max_rounds: The run's round limit (caps sliders counted in rounds).

    Returns:
        ``type`` (``SliderFloat``, ``SliderInt``, ``Select`` or ``Checkbox``, as Mesa's
        ``model_params`` name them), ``value``, ``label``, and ``min``/``max``/``step`` or ``values``.
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
    """The controls of a run: one description (:func:`control`) per parameter of :data:`CONTROLS`.

    Args:
        run: The validated run.

    Returns:
        Parameter name to control description, in :data:`CONTROLS` order.
    """
    values = load_scenario(run.scenario).with_overrides(dict(run.overrides)).values
    max_rounds = int(values["max_rounds"])
    return {name: control(PARAMETERS[name], values[name], max_rounds) for name in CONTROLS}


def shown_value(value: Value) -> str:
    """A control's value as the page prints it beside the control (as ``--set`` writes it, floats to 4 digits)."""
    return value_text(value, digits=4)


def scenario_choices(run: RunSpec) -> list[str]:
    """The scenarios the page's picker offers: the bundled ones, and the run's own if it is a file.

    The file is the one the server was started with (``war-termination viz
    --scenario PATH``, validated then); the picker accepts nothing else.

    Args:
        run: The run the session opened with.

    Returns:
        The names (and the one path), in the picker's order.
    """
    names = list_scenarios()
    if run.scenario not in names:
        names.append(run.scenario)
    return names


def check_choice(name: object, choices: list[str]) -> str:
    """The scenario a client chose, if it is one the picker offered.

    The browser sends the picker's value, so a crafted client could send any
    text (a path to a file on the server, say); only the offered names load.

    Args:
        name: What the client sent.
        choices: What the picker offered (:func:`scenario_choices`).

    Returns:
        The name.

    Raises:
        ScenarioError: If it is not one of the choices.
    """
    if isinstance(name, str) and name in choices:
        return name
    offered = ", ".join(printable(choice) for choice in choices)
    raise ScenarioError(f"scenario: expected one of {offered}; got {printable(repr(name))}")


# ----------------------------------------------------------------------
# The page's components
# ----------------------------------------------------------------------
def _text(tag: str, text: str, classes: str = "", testid: str | None = None) -> Any:
    """A plain HTML element with text (and a ``data-testid`` for tests)."""
    if testid is None:
        return solara.v.Html(tag=tag, children=[text], class_=classes)
    return solara.v.Html(tag=tag, children=[text], class_=classes, attributes={"data-testid": testid})


@solara.component
def ControlInput(name: str, spec: dict[str, Any], value: Value, in_force: Value, on_value: Callable[[str, Value], None]) -> None:
    """One control: its name and value on a line, the input, its meaning and unit, and a note if Reset would change it."""
    param = PARAMETERS[name]
    changed = value != in_force
    kind = spec["type"]
    with solara.Div(classes=["wt-control", "wt-changed" if changed else "wt-same"]):
        with solara.Div(classes=["wt-head"]):
            if kind == "Checkbox":
                solara.Checkbox(label=name, value=bool(value), on_value=lambda v: on_value(name, bool(v)))
            else:
                _text("span", name, "wt-name")
            _text("span", shown_value(value), "wt-value", testid=f"value-{name}")
        if kind == "SliderFloat":
            solara.SliderFloat(
                name,
                value=float(value),
                min=spec["min"],
                max=spec["max"],
                step=spec["step"],
                on_value=lambda v: on_value(name, float(v)),
                thumb_label=False,
            )
        elif kind == "SliderInt":
            solara.SliderInt(
                name,
                value=int(value),
                min=spec["min"],
                max=spec["max"],
                step=1,
                on_value=lambda v: on_value(name, int(v)),
                thumb_label=False,
            )
        elif kind == "Select":
            solara.Select(name, values=spec["values"], value=str(value), on_value=lambda v: on_value(name, v), dense=True)
        limits = f" · {param.allowed}" if kind != "Checkbox" and param.choices is None else ""
        _text("div", f"{param.meaning}{limits}", "wt-meaning")
        if changed:
            _text("div", f"in force: {shown_value(in_force)}; press Reset to apply", "wt-pending", testid=f"pending-{name}")


@solara.component
def Controls(model: PageModel, pending: solara.Reactive[dict[str, Value]]) -> None:
    """The controls in their groups (:data:`CONTROL_GROUPS`), each showing the value it will pass on Reset."""
    specs = solara.use_memo(
        lambda: {name: control(PARAMETERS[name], model.controls_in_force[name], model.max_rounds) for name in CONTROLS}, [model]
    )

    def set_value(name: str, value: Value) -> None:
        pending.set({**pending.value, name: value})

    for title, names in CONTROL_GROUPS:
        with solara.Card(title, classes=["wt-group"]):
            for name in names:
                ControlInput(name, specs[name], pending.value[name], model.controls_in_force[name], set_value)


@solara.component
def RunPicker(model: solara.Reactive[PageModel], choices: list[str], load: Callable[[RunSpec], None]) -> None:
    """Choose the scenario and the seed; either loads a new run at once.

    A new scenario comes with its own values; a new seed keeps the values of
    the run on screen. Only the offered scenarios load (:func:`check_choice`),
    and the seed's text is checked here: a slip shows a message under its box
    instead of reaching the model.
    """
    shown = model.value.run_spec
    scenario_error = solara.use_reactive("")
    seed_error = solara.use_reactive("")

    def choose_scenario(name: object) -> None:
        try:
            chosen = check_choice(name, choices)
        except ScenarioError as exc:
            scenario_error.set(str(exc))
            return
        scenario_error.set("")
        load(RunSpec(chosen, model.value.run_spec.seed, {}))

    def choose_seed(text: str) -> None:
        try:
            seed = parse_seed(text)
        except ScenarioError as exc:
            seed_error.set(str(exc))
            return
        seed_error.set("")
        current = model.value.run_spec
        load(RunSpec(current.scenario, seed, dict(current.overrides)))

    with solara.Card("Run", classes=["wt-group"]):
        solara.Select("scenario", values=choices, value=shown.scenario, on_value=choose_scenario, dense=True)
        if scenario_error.value:
            _text("div", scenario_error.value, "wt-error", testid="scenario-error")
        _text("div", printable(first_sentence(model.value.war_scenario.description), limit=160), "wt-meaning")
        solara.InputText("seed", value=str(shown.seed), on_value=choose_seed, error=seed_error.value or False)
        _text("div", "A scenario or a seed loads at once; a moved control waits for Reset.", "wt-meaning")


@solara.component
def Buttons(model: solara.Reactive[PageModel], pending: solara.Reactive[dict[str, Value]], tick: solara.Reactive[int]) -> None:
    """Step, ▶ Play / ❚❚ Pause and Reset, as Mesa's SolaraViz has them, and what Reset would change."""
    playing = solara.use_reactive(False)
    error = solara.use_reactive("")
    current = model.value
    tick.value  # noqa: B018 - read, so that the round shown below follows every Step

    def play() -> None:
        # runs in a thread while `playing` holds; the view follows each round
        while playing.value and model.value.running:
            time.sleep(PLAY_INTERVAL)
            if not playing.value:
                break
            model.value.step()
            tick.set(tick.value + 1)
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def step() -> None:
        model.value.step()
        tick.set(tick.value + 1)

    def reset() -> None:
        playing.set(False)
        try:  # the controls keep to the allowed values, but a crafted client may send others
            fresh = type(model.value)(**pending.value)
        except ScenarioError as exc:
            error.set(printable(str(exc)))
            return
        error.set("")
        model.set(fresh)
        pending.set(dict(fresh.controls_in_force))

    changed = [name for name in CONTROLS if pending.value[name] != current.controls_in_force[name]]
    with solara.Card("Play", classes=["wt-group"]):
        with solara.Row(classes=["wt-buttons"]):
            solara.Button("Step", color="primary", small=True, on_click=step, disabled=playing.value or not current.running)
            solara.Button(
                "❚❚ Pause" if playing.value else "▶ Play",
                color="primary",
                small=True,
                on_click=lambda: playing.set(not playing.value),
                disabled=not current.running,
            )
            solara.Button("Reset", color="primary", small=True, outlined=not changed, on_click=reset)
        status = f"round {current.steps} of {current.max_rounds}" + (
            "" if current.running else ": the run has ended; Reset starts it again"
        )
        _text("div", status, "wt-meaning", testid="round-status")
        if changed:
            _text("div", f"{len(changed)} control(s) moved ({', '.join(changed)}): press Reset to start a run with them", "wt-pending")
        if error.value:
            _text("div", error.value, "wt-error", testid="reset-error")


@solara.component
def Views(model: WarTerminationModel, tick: int) -> None:
    """Every view of the run on screen, redrawn when ``tick`` changes (after each round)."""
    with solara.Div(classes=["wt-views"]):
        for view in VIEW_FUNCTIONS:
            solara.HTML(tag="div", unsafe_innerHTML=view(model), classes=["wt-view"])


@solara.component
def Banner(model: WarTerminationModel, tick: int) -> None:
    """The outcome so far and the round, with the command that replays the run (refreshed after every round)."""
    replay = model.run_spec.command() if isinstance(model, PageModel) else ""
    solara.HTML(tag="div", unsafe_innerHTML=banner_view(model, replay))


@solara.component
def WarPage(run: RunSpec) -> None:
    """The page for one session: its own model, the controls, the banner and the views.

    Args:
        run: The run the session opens with.
    """
    first: PageModel = solara.use_memo(lambda: build_model(run), [])
    model: solara.Reactive[PageModel] = solara.use_reactive(first)
    pending = solara.use_reactive(dict(first.controls_in_force))
    tick = solara.use_reactive(0)
    choices = solara.use_memo(lambda: scenario_choices(run), [])

    def load(spec: RunSpec) -> None:
        fresh = build_model(spec)
        model.set(fresh)
        pending.set(dict(fresh.controls_in_force))

    solara.Title(TITLE)
    solara.Style(CSS)
    with solara.Div(classes=["wt-page"]):
        with solara.Div(classes=["wt-side"]):
            RunPicker(model, choices, load)
            Buttons(model, pending, tick)
            Controls(model.value, pending)
        with solara.Div(classes=["wt-main"]):
            _text("h1", TITLE, "wt-title")
            Banner(model.value, tick.value)
            Views(model.value, tick.value)


CSS = """
.wt-page { display: grid; grid-template-columns: minmax(250px, 300px) minmax(0, 1fr); gap: 12px; align-items: start; }
.wt-side { position: sticky; top: 0; max-height: 100vh; overflow-y: auto; padding-right: 4px; }
.wt-main { min-width: 0; }
.wt-title { font-size: 20px; font-weight: 600; margin: 2px 0 4px 0; }
.wt-views { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 10px; }
.wt-view { min-width: 0; border: 1px solid #e3e3e3; border-radius: 4px; }
.wt-group { margin-bottom: 8px; }
.wt-group .v-card__title { font-size: 15px; padding: 8px 12px 4px 12px; line-height: 1.3; word-break: normal; }
.wt-group .v-card__text { padding: 0 12px 8px 12px; }
.wt-control { padding: 4px 0 6px 0; border-bottom: 1px solid #f0f0f0; }
.wt-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; font-size: 13px; }
.wt-head .v-input--checkbox { margin: 0; padding: 0; }
.wt-head .v-input--checkbox .v-messages { display: none; }
.wt-name { font-weight: 600; color: #222; }
.wt-value { font-family: monospace; font-size: 13px; font-weight: 700; background: #eef3fa; padding: 0 5px; border-radius: 3px; }
.wt-changed .wt-value { background: #fde9c8; }
.wt-meaning { font-size: 11.5px; color: #555; line-height: 1.3; }
.wt-pending { font-size: 11.5px; color: #a0520a; font-weight: 600; }
.wt-error { font-size: 12px; color: #b2182b; }
.wt-buttons { gap: 6px; flex-wrap: wrap; }
.wt-control .v-input__slider .v-label, .wt-control .v-select .v-label {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.wt-control .v-input--is-label-active .v-select__selections { padding-top: 0; }
.wt-control .v-input.v-input--slider { margin-top: 0; }
.wt-control .v-input .v-messages { min-height: 0; }
.wt-control .v-text-field__details, .wt-control .v-input__control > .v-messages { display: none; }
@media (max-width: 760px) {
  .wt-page { grid-template-columns: minmax(0, 1fr); }
  .wt-side { position: static; max-height: none; }
  .wt-views { grid-template-columns: minmax(0, 1fr); }
}
"""
"""The page's layout: the controls' column beside the views, which flow two to a row where there is room
(a column keeps at least 480 px, so a chart's text never shrinks below about its drawn size), and one
column of everything below 760 px."""


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


__all__ = ["Page", "PageModel", "build_model", "model_params", "page"]
