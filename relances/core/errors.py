"""Expected failures, each a French sentence and an exit code.

cli.py is the single place that turns them into a message and an exit status;
nothing else catches broadly. Each message says what is wrong and how to fix it.
"""

from __future__ import annotations


class RelancesError(Exception):
    """Base of every error a user may meet; carries its own exit code."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(RelancesError):
    """A value given on the command line cannot be understood."""

    exit_code = 2


class NeedsConfirmation(InvalidInput):
    """A value that reads but looks like a mistake: a terminal asks `question`, a script
    is refused with the message."""

    def __init__(self, message: str, question: str) -> None:
        super().__init__(message)
        self.question = question


class WorkbookError(RelancesError):
    """The workbook is missing, unreadable or not a tracker."""

    exit_code = 3


class WorkbookBusy(RelancesError):
    """Another program or run holds the file, or it changed under us."""

    exit_code = 4


class NotFound(RelancesError):
    """No prospect, or several, answer to what the user typed."""

    exit_code = 6

