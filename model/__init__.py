"""An agent-based, game-theoretic model of how wars end.

Russia and Ukraine bargain under fire over the four steps of the Italian
peace plan of May 2022, with third parties and the International
Facilitation Group. See ``docs/ODD.md`` for the full description.
"""

from model.issues import ISSUES, STEP_ISSUES, Step
from model.model import WarTerminationModel
from model.outcome import Outcome, OutcomeKind, Side
from model.parameters import Parameter, describe_parameters
from model.protocols import PROTOCOLS
from model.scenario import Scenario, ScenarioError, list_scenarios, load_scenario

__all__ = [
    "ISSUES",
    "PROTOCOLS",
    "STEP_ISSUES",
    "Outcome",
    "OutcomeKind",
    "Parameter",
    "Scenario",
    "ScenarioError",
    "Side",
    "Step",
    "WarTerminationModel",
    "describe_parameters",
    "list_scenarios",
    "load_scenario",
]

__version__ = "0.1.0"
