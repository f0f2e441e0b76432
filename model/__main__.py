"""``python -m model``: the ``war-termination`` command line."""

from model.cli import main

raise SystemExit(main())
