"""The one base of every input error.

Bad input (a scenario, experiment or target file, an override, a command
line) is the user's to fix, not a bug: the command line prints it as one
line and exits with status 2. Every such error derives from
:class:`InputError`, so the command line catches that one class and names no
other; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """Input that cannot be used, with what is wrong and what is allowed."""
