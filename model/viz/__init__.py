"""The browser page's parts, apart from the model they show.

- :mod:`model.viz.run`: the run a page shows (scenario, seed, overrides), validated
  before any model exists, and how it travels to the server in the environment;
- :mod:`model.viz.svg`: drawing primitives (axes, paths, labels) as SVG text;
- :mod:`model.viz.components`: the page's domain views (front, bargaining, plan,
  costs, banner) and the Solara components that show them;
- :mod:`model.viz.command`: the ``war-termination viz`` sub-command that serves the page.

The page itself, the module ``solara run`` serves and notebooks import, is
:mod:`model.app`, where Mesa's examples keep theirs. Nothing here is
imported by the model, and only :mod:`model.viz.components` imports Solara.
"""
