"""The command line: Typer commands, one small function each, grouped by family.

app.py holds the French Typer application and its usage errors, and FrenchGroup.main, the
one place where an expected error becomes a message and an exit code; options.py the
options every command shares, the callbacks that read typed values (dates, amounts,
statuses…) so that the services receive values, and what is read from outside
(environment, clock, answers); prospects.py,
contacts.py, week.py and exchange.py the commands. Services and ui are imported inside the commands,
so that `relances --help` stays instant.

May import ui, services, core and text.
"""

# Importing the command modules registers their commands, in the order help lists them.
from relances.cli import prospects, contacts, week, queue, exchange  # noqa: F401, I001
from relances.cli.app import app, main

__all__ = ["app", "main"]
