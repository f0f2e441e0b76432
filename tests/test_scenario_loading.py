"""Scenario files and overrides: every bundled file loads, every rule rejects what breaks it alone.

Each bad input differs from a valid file by one thing, and the error must
name the file, the field and what is allowed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from model import (
    PROTOCOLS,
    ScenarioError,
    WarTerminationModel,
    describe_parameters,
    list_scenarios,
    load_scenario,
)
from model.issues import ISSUES
from model.parameters import PARAMETERS

VALID = """\
name = "probe"
description = "A valid file that each test breaks in one place."

[run]
protocol = { value = "package", source = "test" }
max_rounds = 12

[battlefield]
momentum = { value = 0.01, source = "test" }
volatility = 0.05
initial_front = 0.5

[mediator]
mediator_bias = false

[third_parties]
aid_scale = 2.0

[third_parties.uk]
stance = { value = -1.0, source = "seed 000" }

[issues.crimea]
salience_ukraine = 1.5
"""


def write(tmp_path: Path, text: str, name: str = "probe.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value)


# --------------------------------------------------------------------------
# Files that load
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list_scenarios())
def test_every_bundled_scenario_loads_and_runs_a_round(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    assert set(scenario.values) == set(PARAMETERS)
    model = WarTerminationModel(scenario=name, rng=1)
    model.step()
    assert model.steps == 1


def test_the_bundled_theory_scenarios_are_there() -> None:
    names = set(list_scenarios())
    assert {
        "italian_plan_2022",
        "theory_random_walk",
        "theory_complete_information",
        "theory_mutual_optimism",
        "theory_commitment",
        "theory_null_mediator",
    } <= names


def test_the_valid_probe_loads_with_its_values_and_sources(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, VALID))
    v = scenario.values
    assert v["protocol"] == "package" and v["max_rounds"] == 12
    assert v["momentum"] == 0.01 and v["volatility"] == 0.05 and v["mediator_bias"] is False
    assert v["aid_scale"] == 2.0 and v["stance_uk"] == -1.0 and v["salience_ukraine_crimea"] == 1.5
    # untouched values keep the generic default
    assert v["war_cost_russia"] == PARAMETERS["war_cost_russia"].default
    assert scenario.sources["stance_uk"] == "seed 000"
    assert "volatility" not in scenario.sources


def test_extends_starts_from_the_base_and_keeps_its_sources(tmp_path: Path) -> None:
    path = write(tmp_path, 'extends = "italian_plan_2022"\n[battlefield]\nmomentum = 0.02\n')
    scenario = load_scenario(path)
    base = load_scenario("italian_plan_2022")
    assert scenario.values["momentum"] == 0.02
    assert scenario.values["initial_advantage"] == base.values["initial_advantage"]
    assert scenario.sources["initial_advantage"] == base.sources["initial_advantage"]
    # a bare value replaces the base's value, so its source no longer applies
    assert "momentum" not in scenario.sources


def test_a_relative_extends_path_is_read_from_the_extending_files_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bases").mkdir()
    (tmp_path / "bases" / "base.toml").write_text('name = "base"\n[battlefield]\nmomentum = 0.01\n')
    (tmp_path / "child.toml").write_text('name = "child"\nextends = "bases/base.toml"\n[battlefield]\nvolatility = 0.05\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    child = load_scenario(tmp_path / "child.toml")
    assert child.values["momentum"] == 0.01
    assert child.values["volatility"] == 0.05


def test_italian_plan_gives_a_source_for_every_parameter() -> None:
    scenario = load_scenario("italian_plan_2022")
    missing = [p.name for p in describe_parameters() if not scenario.sources.get(p.name, "").strip()]
    assert missing == []


SOURCE_KINDS = re.compile(r"^(seed 000|seed 001|public figure|public record|assumption|calibrated): \S")
"""How every source of italian_plan_2022 starts: a seed article, a public figure or record, an assumption, or a calibration."""
_CALIBRATED = re.compile(r"^calibrated: .*experiments/calibration/\w+\.toml.*credible interval [-0-9.e]+ to [-0-9.e]+")
"""A calibrated value names its target file and gives its credible interval."""
_CITATION = re.compile(r"\([^()]*\b(19|20)\d\d\)")
_PART = re.compile(r"(assumption|public figure|public record)(:?)([^;]*)")


def source_problems(source: str) -> list[str]:
    """What is wrong with one source string (empty if nothing).

    It must start with one of :data:`SOURCE_KINDS`; every ``assumption`` in it
    must be ``assumption: <reason>`` with a reason of at least three words; every
    ``public figure`` or ``public record`` must carry, before the next ``;``, a
    citation in parentheses with its year (outlet and date).
    """
    problems = []
    if not SOURCE_KINDS.match(source):
        problems.append("does not start with seed 000:, seed 001:, public figure:, public record:, assumption: or calibrated:")
    if source.startswith("calibrated:") and not _CALIBRATED.match(source):
        problems.append("calibrated without its target file and credible interval")
    for kind, colon, rest in _PART.findall(source):
        if not colon:
            problems.append(f"{kind!r} without a colon and what it stands on")
        elif kind == "assumption" and len(rest.split()) < 3:
            problems.append(f"assumption without a reason: {rest.strip()!r}")
        elif kind != "assumption" and not _CITATION.search(rest):
            problems.append(f"{kind} without a citation (outlet, date) in parentheses: {rest.strip()!r}")
    return problems


def test_italian_plan_sources_say_what_they_stand_on() -> None:
    scenario = load_scenario("italian_plan_2022")
    bad = {name: problems for name, source in scenario.sources.items() if (problems := source_problems(source))}
    assert bad == {}


@pytest.mark.parametrize(
    "source",
    [
        "assumption",
        "assumption: impartial",
        "seed 000",
        "seed 002: a seed that does not exist",
        "the UN gives no military aid",
        "assumption calibrated to seed 001: a slow advance",
        "public figure: Russia occupies about 20% of Ukraine",
        "public record: Ukraine applied to join the EU; assumption: a reason of words (Reuters, 2022)",
        "seed 001: a quote; assumption",
        "DESIGN section 3: a document that does not ship",
    ],
)
def test_the_source_rule_rejects(source: str) -> None:
    assert source_problems(source)


def test_the_source_rule_accepts() -> None:
    for source in (
        "seed 000: the IFG comprises EU countries and the UN",
        "assumption: a third of Russia's rate",
        "public figure: about 20% occupied (Reuters, 2 June 2022); the contested territory is Ukraine",
        "seed 001: a quote; assumption: Russia's rate, as for Russia",
        "assumption: a side's ideal point is its maximal demand, 0 on every issue's scale for Russia",
    ):
        assert source_problems(source) == [], source


# --------------------------------------------------------------------------
# Files that break one rule
# --------------------------------------------------------------------------


def _zero_saliences(side: str) -> str:
    return "".join(f"[issues.{issue}]\nsalience_{side} = 0.0\n" for issue in ISSUES)


BROKEN = {
    "unknown table": (
        VALID.replace("[battlefield]", "[battlefeld]"),
        ["probe.toml", "battlefeld", "battlefield", "mediator"],
    ),
    "unknown key": (
        VALID.replace("momentum = {", "momentun = {"),
        ["probe.toml", "[battlefield]", "momentun", "momentum", "volatility"],
    ),
    "unknown key in a nested table": (
        VALID.replace("stance = {", "stanse = {"),
        ["probe.toml", "third_parties.uk", "stanse", "stance", "guarantee"],
    ),
    "unknown third party": (
        VALID.replace("[third_parties.uk]", "[third_parties.xx]"),
        ["probe.toml", "third_parties.xx"],
    ),
    "wrong type (string for a number)": (
        VALID.replace("volatility = 0.05", 'volatility = "high"'),
        ["probe.toml", "volatility", "a number in [0.001, 0.25]", "'high'"],
    ),
    "wrong type (number for a flag)": (
        VALID.replace("mediator_bias = false", "mediator_bias = 0"),
        ["probe.toml", "mediator_bias", "true or false"],
    ),
    "wrong type (fraction for an integer)": (
        VALID.replace("max_rounds = 12", "max_rounds = 12.5"),
        ["probe.toml", "max_rounds", "an integer in [1, 5000]", "12.5"],
    ),
    "out of range": (
        VALID.replace("value = 0.01", "value = 0.9"),
        ["probe.toml", "momentum", "[-0.5, 0.5]", "0.9"],
    ),
    "out of range in a nested table": (
        VALID.replace("value = -1.0", "value = -2.0"),
        ["probe.toml", "third_parties.uk", "stance", "[-1, 1]", "-2.0"],
    ),
    "unresolved_risk of 1 (a ceasefire that is all war; the model would divide by zero)": (
        VALID + "\n[negotiation]\nunresolved_risk = 1.0\n",
        ["probe.toml", "[negotiation] unresolved_risk", "expected a number in [0, 0.95]", "got 1.0"],
    ),
    "not one of the choices": (
        VALID.replace('value = "package"', 'value = "shuttle"'),
        ["probe.toml", "protocol", "ifg_sequential", "package", "bilateral", "none", "shuttle"],
    ),
    "not a subset of the choices": (
        VALID.replace("[run]\n", '[run]\nthird_parties = "us,xx"\n'),
        ["probe.toml", "third_parties", "us, uk", "un", "us,xx"],
    ),
    "a choice twice": (
        VALID.replace("[run]\n", '[run]\nthird_parties = "us,us"\n'),
        ["probe.toml", "third_parties", "subset"],
    ),
    "bad source type": (
        VALID.replace('source = "seed 000"', "source = 3"),
        ["probe.toml", "stance", "source", "a string"],
    ),
    "value table without a value": (
        VALID.replace('{ value = 0.01, source = "test" }', '{ source = "test" }'),
        ["probe.toml", "momentum", "value = ..."],
    ),
    "value table with a stray key": (
        VALID.replace('{ value = 0.01, source = "test" }', '{ value = 0.01, note = "x" }'),
        ["probe.toml", "momentum", "value = ..."],
    ),
    "stray top-level key": (
        "seed = 4\n" + VALID,
        ["probe.toml", "seed", "top-level", "extends"],
    ),
    "an issue given a value instead of a table": (
        VALID.replace("[issues.crimea]\n", "[issues]\ndonbas = 1\n[issues.crimea]\n"),
        ["probe.toml", "donbas", "[issues.NAME]"],
    ),
    "bad name type": (
        VALID.replace('name = "probe"', "name = 3"),
        ["probe.toml", "name", "a string"],
    ),
    "extends not a string": (
        "extends = 3\n" + VALID,
        ["probe.toml", "extends", "scenario name"],
    ),
    "extends an unknown scenario": (
        'extends = "no_such_scenario"\n' + VALID,
        ["probe.toml", "extends", "no_such_scenario", "italian_plan_2022"],
    ),
    "extends a missing file": (
        'extends = "/nonexistent/base.toml"\n' + VALID,
        ["probe.toml", "extends", "/nonexistent/base.toml"],
    ),
    "front on an edge once rounded": (
        VALID.replace("initial_front = 0.5", "initial_front = 0.01"),
        ["probe.toml", "initial_front", "20 cells"],
    ),
    "no positive salience": (
        VALID.replace("[issues.crimea]\nsalience_ukraine = 1.5\n", "") + _zero_saliences("russia"),
        ["probe.toml", "salience_russia", "positive"],
    ),
    "not TOML": (
        VALID.replace("[run]", "[run"),
        ["probe.toml", "TOML"],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_file_that_breaks_one_rule_is_rejected_with_a_clear_message(tmp_path: Path, case: str) -> None:
    text, fragments = BROKEN[case]
    message = error_of(write(tmp_path, text))
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} not in {message!r}"
    assert "\n" not in message


def test_the_valid_probe_really_differs_from_each_broken_file() -> None:
    # guards the table above: a replace() that matched nothing would test the valid file
    for case, (text, _) in BROKEN.items():
        assert text != VALID, case


def test_an_extends_cycle_is_rejected(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(f'extends = "{b}"\n')
    b.write_text(f'extends = "{a}"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(a)


def test_an_error_in_the_base_is_reported(tmp_path: Path) -> None:
    base = write(tmp_path, VALID.replace("value = 0.01", "value = 0.9"), "base.toml")
    child = write(tmp_path, f'extends = "{base}"\n')
    with pytest.raises(ScenarioError, match=r"base\.toml.*momentum"):
        load_scenario(child)


def test_unknown_scenario_name_lists_the_bundled_ones() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("atlantis")
    assert "atlantis" in str(info.value) and "italian_plan_2022" in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario("/nonexistent/x.toml")


def test_a_file_that_is_not_utf8_is_rejected_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "probe.toml"
    path.write_bytes(VALID.replace("A valid file", "Un fichier valide, déjà").encode("latin-1"))
    message = error_of(path)
    assert "probe.toml" in message and "UTF-8" in message
    assert "\n" not in message


def test_an_extended_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_bytes('description = "café"\n'.encode("latin-1"))
    message = error_of(write(tmp_path, f'extends = "{base}"\n'))
    assert "base.toml" in message and "UTF-8" in message


def test_a_folder_is_not_a_scenario_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    message = error_of(folder)
    assert message == f"{folder}: a folder, not a scenario file (expected a .toml file)"


def test_an_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, VALID, "locked.toml")
    original = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    # a test run as root reads a chmod 000 file anyway, so the refusal is simulated
    monkeypatch.setattr(Path, "open", refuse)
    message = error_of(path)
    assert "locked.toml" in message and "cannot read" in message and "Permission denied" in message


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux's /proc")
def test_a_file_that_fails_to_read_is_named() -> None:
    # /proc/self/mem opens but reading it from offset 0 fails (EIO), even for root
    message = error_of(Path("/proc/self/mem"))
    assert "/mem: cannot read the scenario file: " in message  # the resolved path, /proc/PID/mem


# --------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------

BAD_OVERRIDES: dict[str, tuple[dict[str, object], list[str]]] = {
    "unknown name": ({"momentun": 0.1}, ["momentun", "unknown"]),
    "out of range": ({"momentum": 2.0}, ["momentum", "[-0.5, 0.5]", "2.0"]),
    "wrong type": ({"volatility": [0.1]}, ["volatility", "a number"]),
    "text that is not a number": ({"volatility": "abc"}, ["volatility", "a number in [0.001, 0.25]", "abc"]),
    "not a flag": ({"mediator_bias": 1}, ["mediator_bias", "true or false"]),
    "not an integer": ({"max_rounds": 1.5}, ["max_rounds", "an integer"]),
    "unknown protocol": ({"protocol": "chaos"}, ["protocol", "ifg_sequential, package, bilateral, none", "chaos"]),
    "unknown third party": ({"third_parties": "us,xx"}, ["third_parties", "subset", "xx"]),
    "NaN": ({"momentum": float("nan")}, ["momentum", "[-0.5, 0.5]"]),
    "front on an edge": ({"initial_front": 1.0}, ["initial_front", "strictly inside"]),
    "unresolved_risk of 1": ({"unresolved_risk": 1.0}, ["unresolved_risk", "[0, 0.95]", "1.0"]),
}


@pytest.mark.parametrize("case", list(BAD_OVERRIDES))
def test_a_bad_override_to_the_model_is_rejected_before_any_agent_exists(case: str) -> None:
    overrides, fragments = BAD_OVERRIDES[case]
    with pytest.raises(ScenarioError) as info:
        WarTerminationModel(scenario="italian_plan_2022", rng=1, **overrides)
    message = str(info.value)
    assert message.startswith("override")
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} not in {message!r}"


@pytest.mark.parametrize("case", list(BAD_OVERRIDES))
def test_a_bad_override_to_a_scenario_names_its_origin(case: str) -> None:
    overrides, fragments = BAD_OVERRIDES[case]
    with pytest.raises(ScenarioError) as info:
        load_scenario("italian_plan_2022").with_overrides(overrides, origin="--set")
    message = str(info.value)
    assert message.startswith("--set")
    for fragment in fragments:
        assert fragment in message


def test_good_overrides_are_applied_and_text_is_parsed() -> None:
    base = load_scenario("italian_plan_2022")
    changed = base.with_overrides({"momentum": "0.02", "mediator_bias": "false", "max_rounds": "7", "protocol": "none"})
    assert changed.values["momentum"] == 0.02
    assert changed.values["mediator_bias"] is False
    assert changed.values["max_rounds"] == 7
    assert changed.values["protocol"] == "none"
    # the original is untouched
    assert base.values["momentum"] == load_scenario("italian_plan_2022").values["momentum"] != 0.02
    assert base.with_overrides({}) is base


def test_model_uses_the_overrides() -> None:
    model = WarTerminationModel(scenario="italian_plan_2022", rng=1, max_rounds=3, protocol="none")
    assert model.max_rounds == 3
    assert type(model.protocol) is PROTOCOLS["none"]
    model.run()
    assert model.steps == 3


@pytest.mark.parametrize("name", ["italian_plan_2022", "stalemate"])
def test_the_largest_unresolved_risk_allowed_runs(name: str) -> None:
    high = PARAMETERS["unresolved_risk"].high
    assert high is not None and high < 1.0
    model = WarTerminationModel(scenario=name, rng=0, unresolved_risk=high, max_rounds=20)
    model.run()
    assert model.steps >= 1


def test_every_parameter_describes_itself() -> None:
    for p in describe_parameters():
        assert p.meaning and p.allowed and p.group
        # the default is allowed and round-trips through the text parser
        assert p.validate(p.default) == p.default
        assert p.parse(str(p.default).lower() if p.kind is bool else str(p.default)) == p.default


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n", "nested more than"),
        ("[battlefield]\ninitial_advantage = { value = { a = { b = { c = { d = { e = { f = { g = 1 } } } } } } } }\n", "nested more than"),
        ("[battlefield]\nshock_round = " + "9" * 5000 + "\n", "integer of more than"),
    ],
    ids=["deep-inline-tables", "deep-value", "huge-integer"],
)
def test_input_no_scenario_file_can_be_is_refused_in_one_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    message = error_of(path)
    assert expected in message and "hostile.toml" in message and "\n" not in message


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    from model.tomlfile import MAX_BYTES

    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    assert "larger than" in error_of(path)


def test_a_long_chain_of_extends_is_refused(tmp_path: Path) -> None:
    from model.tomlfile import MAX_EXTENDS

    (tmp_path / "link0.toml").write_text('extends = "italian_plan_2022"\n', encoding="utf-8")
    for i in range(1, MAX_EXTENDS + 5):
        (tmp_path / f"link{i}.toml").write_text(f'extends = "link{i - 1}.toml"\n', encoding="utf-8")
    assert load_scenario(tmp_path / "link5.toml").values == load_scenario("italian_plan_2022").values
    assert f"more than {MAX_EXTENDS} files" in error_of(tmp_path / f"link{MAX_EXTENDS + 4}.toml")


@pytest.mark.parametrize("name", ["a" * 3000, "a" * 3000 + ".toml", "a/" * 3000])
def test_a_name_too_long_for_the_file_system_is_an_input_error(tmp_path: Path, name: str) -> None:
    # found by tests/test_fuzz.py: `extends = "aaa..."` raised OSError (File name too long) from Path.is_file
    message = error_of(name)
    assert "not a usable scenario name or path (File name too long)" in message and len(message) < 200
    (tmp_path / "long.toml").write_text(f'extends = "{name}"\n', encoding="utf-8")
    assert "extends: " in error_of(tmp_path / "long.toml")
