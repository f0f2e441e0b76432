"""The one table of parameters: every override's name, default, range and meaning.

The scenario loader, the command line's help, the browser app's controls and
the docs (``docs/parameters.md``) all read :func:`describe_parameters`.
Defaults here are generic, theory-neutral values; the bundled scenarios set
their own values, each with its source (see ``model/scenarios/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from model.errors import InputError
from model.issues import ISSUES

Value = bool | int | float | str

PROTOCOL_NAMES: tuple[str, ...] = ("ifg_sequential", "package", "bilateral", "none")
SIDES: tuple[str, ...] = ("russia", "ukraine")
PATRONS: tuple[str, ...] = ("russia", "ukraine", "none")


class ParameterError(InputError):
    """A parameter value that is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class Parameter:
    """One overridable parameter.

    Attributes:
        name: The flat name used by scenarios, overrides, the CLI and the app.
        default: The generic default.
        kind: ``float``, ``int``, ``bool`` or ``str``.
        group: The scenario-file table it belongs to.
        meaning: One line on what it does.
        low: Smallest allowed value (numbers).
        high: Largest allowed value (numbers).
        choices: Allowed values (strings).
        multi: True when the value is a comma-separated subset of ``choices``.
        unit: What a value counts, short enough for a figure's axis ("log-odds a week"); empty for a
            switch, a choice or a pure number.
    """

    name: str
    default: Value
    kind: type
    group: str
    meaning: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    multi: bool = False
    unit: str = ""

    @property
    def label(self) -> str:
        """The name with its unit, for a figure's axis: ``momentum (log-odds a week)``."""
        return f"{self.name} ({self.unit})" if self.unit else self.name

    @property
    def allowed(self) -> str:
        """Human-readable description of the allowed values."""
        if self.kind is bool:
            return "true or false"
        if self.choices is not None:
            listed = ", ".join(self.choices)
            return f"a comma-separated subset of: {listed}" if self.multi else f"one of: {listed}"
        kind = "an integer" if self.kind is int else "a number"
        return f"{kind} in [{self.low:g}, {self.high:g}]"

    def validate(self, value: object) -> Value:
        """Check a value (already typed, e.g. from TOML) and return it normalised.

        Args:
            value: The candidate value.

        Returns:
            The value as the parameter's kind.

        Raises:
            ParameterError: If the value has the wrong type or is out of range.
        """
        bad = ParameterError(f"{self.name}: expected {self.allowed}, got {value!r}")
        if self.kind is bool:
            if not isinstance(value, bool):
                raise bad
            return value
        if self.kind is str:
            if not isinstance(value, str):
                raise bad
            if self.multi:
                items = [v.strip() for v in value.split(",") if v.strip()]
                if any(v not in (self.choices or ()) for v in items) or len(set(items)) != len(items):
                    raise bad
                return ",".join(items)
            if self.choices is not None and value not in self.choices:
                raise bad
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        if self.kind is int:
            if isinstance(value, float):
                if not value.is_integer():
                    raise bad
                value = int(value)
        else:
            value = float(value)
        if value != value or not (self.low is None or value >= self.low) or not (self.high is None or value <= self.high):
            raise bad
        return value

    def parse(self, text: str) -> Value:
        """Parse a value given as text (command line, text box) and validate it.

        Args:
            text: The value as typed.

        Returns:
            The validated value.

        Raises:
            ParameterError: If the text does not parse or is out of range.
        """
        text = text.strip()
        value: object = text
        if self.kind is bool:
            lowered = text.lower()
            truthy = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
            value = truthy.get(lowered, text)
        elif self.kind in (int, float):
            try:
                value = int(text) if self.kind is int else float(text)
            except ValueError:
                value = text
        return self.validate(value)


def _p(
    name: str,
    default: Value,
    group: str,
    meaning: str,
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] | None = None,
    multi: bool = False,
    unit: str = "",
) -> Parameter:
    return Parameter(name, default, type(default), group, meaning, low, high, choices, multi, unit)


@dataclass(frozen=True)
class ThirdPartyDefaults:
    """Generic defaults for one third party of the catalogue."""

    code: str
    name: str
    patron: str
    lean: float
    stance: float
    aid: float
    guarantee: float
    ifg: bool


THIRD_PARTY_CATALOGUE: tuple[ThirdPartyDefaults, ...] = (
    ThirdPartyDefaults("us", "United States", "ukraine", 0.8, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("uk", "United Kingdom", "ukraine", 0.9, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("fr", "France", "ukraine", 0.7, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("de", "Germany", "ukraine", 0.7, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("it", "Italy", "ukraine", 0.7, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("tr", "Turkey", "none", 0.5, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("cn", "China", "russia", 0.3, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("pl", "Poland", "ukraine", 0.95, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("ca", "Canada", "ukraine", 0.8, 0.0, 0.0, 0.0, True),
    ThirdPartyDefaults("un", "United Nations", "none", 0.5, 0.0, 0.0, 0.0, True),
)
"""The states the seeds name as possible IFG members (seed 000), plus the UN."""

THIRD_PARTY_CODES: tuple[str, ...] = tuple(tp.code for tp in THIRD_PARTY_CATALOGUE)

OPERATION_SLOTS: tuple[str, ...] = ("operation1", "operation2")
"""The scheduled offensives a scenario can set (each with a round, a size, a length and an edge)."""


def _core_parameters() -> Iterator[Parameter]:
    yield _p("protocol", "ifg_sequential", "run", "Negotiation protocol in force", choices=PROTOCOL_NAMES)
    yield _p("max_rounds", 104, "run", "Round limit (one round = one week)", 1, 5000, unit="weeks")
    yield _p("third_parties", "us,uk,fr,de,it", "run", "Third parties taking part", choices=THIRD_PARTY_CODES, multi=True)

    yield _p("initial_advantage", 0.5, "battlefield", "True probability that Russia wins an engagement at round 0", 0.01, 0.99,
             unit="probability Russia wins an engagement")
    yield _p("momentum", 0.0, "battlefield", "Drift of the balance's log-odds per round (positive favours Russia)", -0.5, 0.5,
             unit="log-odds a week")
    yield _p("volatility", 0.02, "battlefield", "Share of the contested territory one engagement moves", 0.001, 0.25,
             unit="share of the contested territory an engagement moves")
    yield _p("initial_front", 0.5, "battlefield", "Share of the contested territory Russia holds at round 0", 0.0, 1.0,
             unit="share of the contested territory")
    yield _p("shock_round", 0, "battlefield", "Round of a scheduled shock to the balance (0: none)", 0, 5000, unit="week")
    yield _p("shock_size", 0.0, "battlefield", "Size of the shock, in log-odds (negative favours Ukraine)", -5.0, 5.0, unit="log-odds")
    yield _p("aid_effect", 0.0, "battlefield", "Log-odds the balance moves per $bn a round of net aid (the first $bn's effect)", 0.0, 5.0,
             unit="log-odds per $bn a week")
    yield _p("aid_saturation", 0.0, "battlefield", "Most aid a side absorbs ($bn a round): S (1 - exp(-aid / S)) (0: linear)", 0.0, 100.0,
             unit="$bn a week")
    yield _p("aid_lag", 0, "battlefield", "Rounds between aid pledged and aid at the front (0: at once)", 0, 520, unit="weeks")
    yield _p("aim_russia", 1.0, "battlefield", "Share Russia must hold to have won the war (1: all of it)", 0.0, 1.0,
             unit="share of the contested territory")
    yield _p("aim_ukraine", 0.0, "battlefield", "Share Russia holds at or below which Ukraine has won (0: none)", 0.0, 1.0,
             unit="share of the contested territory")
    yield _p("capacity_russia", 1e6, "battlefield", "Cumulative war cost Russia bears before its forces collapse", 0.01, 1e6,
             unit="utility")
    yield _p("capacity_ukraine", 1e6, "battlefield", "Cumulative war cost Ukraine bears before its forces collapse", 0.01, 1e6,
             unit="utility")
    yield from _operation_parameters()

    yield _p("war_cost_russia", 0.01, "costs", "Russia's cost of a round of war (utility per round)", 0.0, 1.0, unit="utility a week")
    yield _p("war_cost_ukraine", 0.01, "costs", "Ukraine's cost of a round of war (utility per round)", 0.0, 1.0, unit="utility a week")
    yield _p("ceasefire_cost_share", 0.1, "costs", "Cost of a ceasefire round as a share of a war round", 0.0, 1.0,
             unit="share of a week of war's cost")
    yield _p("aid_relief", 0.0, "costs", "Cost relief per $bn a round of aid: cost / (1 + relief * aid)", 0.0, 100.0, unit="per $bn a week")
    yield _p("risk_aversion_russia", 0.0, "costs", "Curvature of Russia's loss on each issue (0 linear, 1 quadratic)", 0.0, 1.0)
    yield _p("risk_aversion_ukraine", 0.0, "costs", "Curvature of Ukraine's loss on each issue (0 linear, 1 quadratic)", 0.0, 1.0)
    yield _p("discount_russia", 0.99, "costs", "Russia's per-round discount factor", 0.5, 0.9999, unit="a week")
    yield _p("discount_ukraine", 0.99, "costs", "Ukraine's per-round discount factor", 0.5, 0.9999, unit="a week")

    yield _p("prior_mean_russia", 0.5, "beliefs", "Russia's prior mean of the balance of power", 0.01, 0.99,
             unit="probability Russia wins an engagement")
    yield _p("prior_mean_ukraine", 0.5, "beliefs", "Ukraine's prior mean of the balance of power", 0.01, 0.99,
             unit="probability Russia wins an engagement")
    yield _p("prior_strength_russia", 10.0, "beliefs", "Engagements Russia's prior is worth (Beta a + b)", 0.5, 1e6, unit="engagements")
    yield _p("prior_strength_ukraine", 10.0, "beliefs", "Engagements Ukraine's prior is worth (Beta a + b)", 0.5, 1e6, unit="engagements")
    yield _p("belief_memory", 1.0, "beliefs", "Weight kept on old evidence each round (1: none forgotten)", 0.5, 1.0,
             unit="weight kept a week")

    yield _p("red_line_russia", 1.0, "domestic", "Highest territorial term Russia accepts without audience cost", 0.0, 1.0,
             unit="term, 0 Russia's demand to 1 Ukraine's")
    yield _p("red_line_ukraine", 0.0, "domestic", "Lowest territorial term Ukraine accepts without audience cost", 0.0, 1.0,
             unit="term, 0 Russia's demand to 1 Ukraine's")
    yield _p("audience_cost_russia", 0.0, "domestic", "Russia's cost of signing land past its red line (per unit, in salience)", 0.0, 5.0,
             unit="salience per unit of land")
    yield _p("audience_cost_ukraine", 0.0, "domestic", "Ukraine's cost of signing land past its red line (per unit, in salience)", 0.0, 5.0,
             unit="salience per unit of land")
    yield _p("unsigned_audience_share", 0.5, "domestic", "Share of the audience cost borne for land lost but not signed away", 0.0, 1.0,
             unit="share of the audience cost")
    yield _p("war_weariness_russia", 0.0, "domestic", "Rate at which Russia's cumulative costs erode its audience cost", 0.0, 1000.0,
             unit="per unit of cost")
    yield _p("war_weariness_ukraine", 0.0, "domestic", "Rate at which Ukraine's cumulative costs erode its audience cost", 0.0, 1000.0,
             unit="per unit of cost")

    yield _p("confidence_threshold", 0.5, "negotiation", "Confidence needed before the next step opens", 0.0, 1.0,
             unit="confidence, 0 to 1")
    yield _p("confidence_gain", 0.05, "negotiation", "Confidence gained per compliant ceasefire round", 0.0, 1.0, unit="confidence a week")
    yield _p("confidence_loss", 0.25, "negotiation", "Confidence lost per detected violation", 0.0, 1.0, unit="confidence a violation")
    # below 1: an agreement's floor divides by (1 - unresolved_risk), and a ceasefire that is all war is no ceasefire
    yield _p("unresolved_risk", 0.3, "negotiation", "Weight of war in the value of a ceasefire with all later steps open", 0.0, 0.95,
             unit="weight of war")
    yield _p("cooling_off", 0, "negotiation", "Rounds of war after a ceasefire breaks down before talks reopen", 0, 520, unit="weeks")
    yield _p("autonomy_term", 0.5, "negotiation", "Term of an area left in Ukraine and autonomous (0 Russian, 1 Ukrainian)", 0.0, 1.0,
             unit="term, 0 Russia's demand to 1 Ukraine's")
    yield _p("pressure_effect", 0.0, "negotiation", "Shift of a patron's value of war per unit of its patrons' stance", 0.0, 1.0,
             unit="value of war per unit of stance")
    yield _p("pressure_floor", 0.0, "negotiation", "Weeks of war cost a full push takes off a side's acceptance floor", 0.0, 52.0,
             unit="weeks of war cost")

    yield _p("rearmament", 0.0, "ceasefire", "Log-odds the balance shifts toward Russia per ceasefire round", -1.0, 1.0,
             unit="log-odds a week")
    yield _p("violation_rate_russia", 0.0, "ceasefire", "Probability of a Russian violation per ceasefire round", 0.0, 1.0,
             unit="probability a week")
    yield _p("violation_rate_ukraine", 0.0, "ceasefire", "Probability of a Ukrainian violation per ceasefire round", 0.0, 1.0,
             unit="probability a week")
    yield _p("rearmament_spread", 0.0, "ceasefire", "Coefficient of variation of the run's rearmament rate, drawn once per run", 0.0, 2.0,
             unit="coefficient of variation")
    yield _p("buffer_effect", 0.0, "ceasefire", "Share of rearmament's effect on the balance a full demilitarised zone cancels", 0.0, 1.0,
             unit="share of rearmament's effect")
    yield _p("escalation_risk", 0.0, "ceasefire", "Chance an undetected violation spirals into war, with no demilitarised zone", 0.0, 1.0,
             unit="probability a violation")
    yield _p("monitor_strength", 0.5, "ceasefire", "Probability that full monitoring detects a violation", 0.0, 1.0,
             unit="probability a violation is detected")
    yield _p("guarantee_effect", 2.0, "ceasefire", "Log-odds a guarantors' intervention takes from an attacker", 0.0, 10.0, unit="log-odds")
    yield _p("interim_guarantee", 0.5, "ceasefire", "Share of the guarantee that backs a ceasefire before step 2", 0.0, 1.0,
             unit="share of the guarantee")

    yield _p("mediator_information", True, "mediator", "The IFG holds and shares its own estimate of the balance", None, None)
    yield _p("mediator_bias", True, "mediator", "The IFG's proposals lean as its members do (off: neutral)", None, None)
    yield _p("mediator_leverage", True, "mediator", "The IFG adds inducements to accept its proposals", None, None)
    yield _p("mediator_guarantees", True, "mediator", "The IFG's members guarantee the agreements", None, None)
    yield _p("mediator_autonomy", False, "mediator", "The IFG may settle Crimea or Donbas as autonomy within Ukraine", None, None)
    yield _p("mediator_deferral", False, "mediator", "The IFG may defer Crimea or Donbas to later talks (no force meanwhile)", None, None)
    yield _p("mediator_intelligence", 50.0, "mediator", "Engagements the IFG's own estimate is worth at round 0", 0.5, 1e6,
             unit="engagements")
    yield _p("information_weight", 0.2, "mediator", "Weight a fully credible IFG message gets in a side's belief", 0.0, 1.0, unit="weight")
    yield _p("leverage_size", 0.02, "mediator", "Inducement to accept, at full pro-talks membership (utility per round)", 0.0, 1.0,
             unit="utility a week")
    yield _p("guarantee_terms", 0.0, "mediator", "How far a guarantor's commitment falls with the terms' distance from its lean", 0.0, 1.0,
             unit="commitment lost per unit of distance")

    yield _p("aid_scale", 1.0, "third_parties", "Multiplier on every third party's aid", 0.0, 10.0, unit="× the scenario's aid")


def _operation_parameters() -> Iterator[Parameter]:
    for n, slot in enumerate(OPERATION_SLOTS, start=1):
        which = f"Offensive {n}"
        yield _p(f"{slot}_round", 0, "operations", f"{which}: round it begins (0: none)", 0, 5000, unit="week")
        yield _p(f"{slot}_size", 0.0, "operations", f"{which}: share of the territory it attacks (negative: Ukraine's)", -0.5, 0.5,
                 unit="share of the contested territory")
        yield _p(f"{slot}_weeks", 1, "operations", f"{which}: rounds over which its cells are attacked", 1, 52, unit="weeks")
        yield _p(f"{slot}_edge", 0.0, "operations", f"{which}: log-odds the attacker adds to its chance in its engagements", 0.0, 10.0,
                 unit="log-odds")


def _third_party_parameters() -> Iterator[Parameter]:
    for tp in THIRD_PARTY_CATALOGUE:
        group = f"third_parties.{tp.code}"
        yield _p(f"aid_{tp.code}", tp.aid, group, f"{tp.name}: aid to its patron ($bn per round)", 0.0, 100.0, unit="$bn a week")
        yield _p(f"stance_{tp.code}", tp.stance, group, f"{tp.name}: stance on talks (-1 opposes, +1 pushes)", -1.0, 1.0,
                 unit="-1 opposes talks, +1 pushes")
        yield _p(f"lean_{tp.code}", tp.lean, group, f"{tp.name}: ideal point on every issue (0 Russia, 1 Ukraine)", 0.0, 1.0,
                 unit="term, 0 Russia's demand to 1 Ukraine's")
        yield _p(f"guarantee_{tp.code}", tp.guarantee, group, f"{tp.name}: commitment to act as guarantor", 0.0, 1.0,
                 unit="commitment, 0 to 1")
        yield _p(f"voice_{tp.code}", 0.0, group, f"{tp.name}: weight of its stance with its patron, apart from aid", 0.0, 10.0,
                 unit="weight")
        yield _p(f"patron_{tp.code}", tp.patron, group, f"{tp.name}: belligerent it supports", choices=PATRONS)
        yield _p(f"ifg_{tp.code}", tp.ifg, group, f"{tp.name}: member of the International Facilitation Group")


_TERM = "term, 0 Russia's demand to 1 Ukraine's"


def _issue_parameters() -> Iterator[Parameter]:
    for issue in ISSUES:
        group = f"issues.{issue}"
        for side in SIDES:
            yield _p(f"salience_{side}_{issue}", 1.0, group, f"{side.title()}'s salience of {issue} (normalised over issues)", 0.0, 100.0,
                     unit="relative weight")
        yield _p(f"ideal_russia_{issue}", 0.0, group, f"Russia's ideal point on {issue}", 0.0, 1.0, unit=_TERM)
        yield _p(f"ideal_ukraine_{issue}", 1.0, group, f"Ukraine's ideal point on {issue}", 0.0, 1.0, unit=_TERM)
        yield _p(f"status_quo_{issue}", 0.5, group, f"Value of {issue} while it is unresolved", 0.0, 1.0, unit=_TERM)


PARAMETERS: dict[str, Parameter] = {
    p.name: p for p in (*_core_parameters(), *_third_party_parameters(), *_issue_parameters())
}


def describe_parameters() -> tuple[Parameter, ...]:
    """Every overridable parameter, in the order of the scenario files.

    Returns:
        The parameters; each has ``name``, ``default``, ``allowed`` and ``meaning``.
    """
    return tuple(PARAMETERS.values())


def defaults() -> dict[str, Value]:
    """The generic default of every parameter."""
    return {name: p.default for name, p in PARAMETERS.items()}
