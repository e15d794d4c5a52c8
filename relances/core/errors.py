"""Expected failures, each a French sentence and an exit code.

cli is the single place that turns them into a message and an exit status; nothing
else catches broadly. Each message says what is wrong and how to fix it. Below cli
nobody knows the options' names: an error says which parameter it is `about`, and a
message that must name another parameter says `option(parameter)`; cli puts the
command line's words in their place.
"""

from __future__ import annotations

import re

_MARK = "\x1f"
_OPTION = re.compile(f"{_MARK}(\\w+){_MARK}")


def option(parameter: str) -> str:
    """Stands for the option that sets `parameter`, in a message written below cli."""
    return f"{_MARK}{parameter}{_MARK}"


def worded(text: str, names: dict[str, str]) -> str:
    """`text` with each parameter under the name `names` gives it (an option)."""
    return _OPTION.sub(lambda found: names.get(found[1], found[1]), text)


class RelancesError(Exception):
    """Base of every error a user may meet; carries its own exit code."""

    exit_code = 1

    def __init__(self, message: str, about: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.about = about

    def worded(self, names: dict[str, str]) -> str:
        """The message as the user reads it, each parameter under the name `names` gives
        it (an option of the command line), the one it is about first."""
        text = worded(self.message, names)
        if self.about is None:
            return text
        return f"{names.get(self.about, self.about)} : {text}"


class InvalidInput(RelancesError):
    """A value given on the command line cannot be understood."""

    exit_code = 2


class NeedsConfirmation(InvalidInput):
    """A value that reads but looks like a mistake: a terminal asks `question`, a script
    is refused with the message."""

    def __init__(self, message: str, question: str, about: str | None = None) -> None:
        super().__init__(message, about)
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

