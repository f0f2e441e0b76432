"""The browser page's parts, apart from the model they show.

- :mod:`model.viz.run`: the run a page shows (scenario, seed, overrides), validated
  before any model exists, and how it travels to the server in the environment;
- :mod:`model.viz.svg`: drawing primitives (axes, paths, labels) as SVG text;
- :mod:`model.viz.support`: what the page records each round beyond the model's own
  record (each third party's aid and stance, the pressure on each side);
- :mod:`model.viz.components`: the page's domain views (front, bargaining, plan,
  costs, third parties, banner) as pure functions of a model;
- :mod:`model.viz.command`: the ``war-termination viz`` sub-command that serves the page;
- :mod:`model.viz.served`: what that server serves, so that it answers before the
  model is imported.

The page itself, the module ``solara run`` serves and notebooks import, is
:mod:`model.app`, where Mesa's examples keep theirs. Nothing here is
imported by the model; :mod:`model.viz.components` and :mod:`model.viz.served`
import Solara.
"""
