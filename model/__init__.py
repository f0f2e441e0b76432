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
from model.source import source_hash

SOURCE_HASH_AT_IMPORT: str = source_hash()
"""The hash of the model's code (:func:`model.source.source_hash`) when this process imported it.

While the files on disk still hash to this value, the code this process
runs is the code they hold; a sweep forks its workers from this process
only then (``experiments.backends.processes``).
"""

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
