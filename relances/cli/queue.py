"""traiter: the Monday work queue, one key per follow-up, each answer saved at once.

On a terminal a single key answers (no Enter); from a pipe or a script the same answers
are read line by line, so a test or a batch drives the whole week.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from relances.cli.app import command
from relances.cli.options import Days, File, Force, Owner, Today, now, on_terminal

if TYPE_CHECKING:
    from relances.services.queue import Task

_KEYS = {"f": "f", "fait": "f", "i": "i", "injoignable": "i", "r": "r", "reporter": "r",
         "s": "s", "sauter": "s", "q": "q", "quitter": "q"}
_OUTCOME_LETTERS = {"i": "interesse", "r": "rdv", "d": "devis", "g": "gagne", "p": "perdu"}
_SIMPLE = {"", "s", "simple", "simple relance", "relance", "relance simple"}


class _Ended(Exception):
    """No more answers: standard input is at its end, as good as « q »."""


def _line(question: str) -> str:
    """One answer: a prompt on a terminal, the next line of standard input otherwise."""
    if on_terminal():
        return str(typer.prompt(question, default="", show_default=False)).strip()
    from relances.ui.console import console

    console.print(f"{question} : ", end="")
    text = sys.stdin.readline()
    if not text:
        raise _Ended
    console.print(text.strip())
    return text.strip()


def _key() -> str:
    """f, i, r, s or q: one key on a terminal; a line (its word or first letter) from a
    pipe. Anything else is asked again."""
    from relances.ui.console import console
    from relances.ui.queue import KEYS

    while True:
        if on_terminal():
            console.print(f"{KEYS} : ", end="")
            typed = typer.getchar().lower()
            console.print(typed)
        else:
            typed = _line(KEYS).lower()
        found = _KEYS.get(typed) or _KEYS.get(typed[:1])
        if found:
            return found
        console.print("Touche inconnue : f (fait), i (injoignable), r (reporter), s (sauter) "
                      "ou q (quitter).")


def _asked(question: str, parse: Callable[[str], Any]) -> Any:
    """A value asked until it reads; the reason is said each time it does not."""
    from relances.text.parsing import ParseError
    from relances.ui.console import error

    while True:
        try:
            return parse(_line(question))
        except ParseError as failure:
            error(f"{failure} : essayez encore.")


def _done(task: Task, today: date) -> Any:
    """« f »: what was said, a won client's score (optional), then how it ended; a
    meeting needs its day, a loss its reason (optional)."""
    from relances.core.model import ACTIONS, Outcome, Status
    from relances.core.schema import parse_outcome
    from relances.services.update import Answers
    from relances.text.parsing import normalize, parse_date, parse_score
    from relances.ui.queue import OUTCOMES

    summary = _line("Résumé de l'échange") or None
    score = (_asked("Note de satisfaction, de 1 à 5 (Entrée pour passer)", parse_score)
             if task.prospect.status is Status.WON else None)

    def outcome(text: str) -> Outcome | None:
        word = normalize(text)
        return None if word in _SIMPLE else parse_outcome(_OUTCOME_LETTERS.get(word, text))

    ended = _asked(f"Issue ({OUTCOMES})", outcome)
    action = task.prospect.action
    answers = Answers(channel=action if action in ACTIONS else None, summary=summary,
                      outcome=ended, satisfaction=score)
    if ended is Outcome.MEETING:
        answers.next_date = _asked("Date du rendez-vous (jeudi, j+3, 31/01…)",
                                   lambda t: parse_date(t, today))
    elif ended is Outcome.LOST:
        answers.reason = _line("Motif de la perte (Entrée pour passer)") or None
    return answers


def _answer(key: str, task: Task, path: Path, today: date, force: bool) -> str:
    """Write one answer through the normal safe write; the tally's word for it."""
    from relances.core.model import Outcome
    from relances.services.queue import postpone
    from relances.services.update import Answers, update
    from relances.text.parsing import parse_date
    from relances.ui.prospects import updated
    from relances.ui.queue import DONE, POSTPONED, SKIPPED, UNREACHABLE, postponed

    if key == "s":
        return SKIPPED
    if key == "r":
        when = _asked("Reporter à quelle date ? (vendredi, j+3, 31/01…)",
                      lambda t: parse_date(t, today))
        postponed(postpone(path, today, now(), task.query, when, force))
        return POSTPONED
    if key == "i":
        updated(update(path, today, now(), task.query,
                       Answers(channel="Tel", outcome=Outcome.UNREACHABLE), force))
        return UNREACHABLE
    updated(update(path, today, now(), task.query, _done(task, today), force))
    return DONE


@command("traiter")
def work(
    jours: Days = 7,
    responsable: Owner = None,
    fichier: File = None,
    aujourdhui: Today = None,
    force: Force = False,
) -> None:
    """Traiter les relances de la semaine une à une : une touche par relance.

    Dans l'ordre de semaine (en retard d'abord, puis les prospects chauds, puis les
    clients), chaque relance montre sa fiche en quelques lignes, ses derniers échanges, le
    conseil de la cadence et le brouillon préparé par relances emails. Puis : f fait
    (résumé, note de satisfaction d'un client gagné, issue), i
    injoignable, r reporter à une date, s sauter, q quitter. Chaque réponse est enregistrée
    aussitôt (sauvegarde, fichier verrouillé, remplacement sûr) : quitter ou Ctrl-C ne
    perd rien. Hors d'un terminal, les réponses sont lues ligne à ligne sur l'entrée
    standard.

    Exemple : relances traiter --responsable Claire
    """
    from relances.core.errors import RelancesError
    from relances.services.queue import work_queue
    from relances.ui.console import error
    from relances.ui.options import OPTION_NAMES
    from relances.ui.queue import card, opening, tally

    path, today = fichier, aujourdhui
    queue = work_queue(path, today, jours, responsable)
    opening(queue, today)
    outcomes: Counter[str] = Counter()
    index = 0
    try:
        while index < len(queue.tasks):
            task = queue.tasks[index]
            card(task, index + 1, len(queue.tasks), today)
            key = _key()
            if key == "q":
                break
            try:
                outcomes[_answer(key, task, path, today, force)] += 1
            except RelancesError as failure:  # a locked file, a date in the past…
                error(failure.worded(OPTION_NAMES))
                continue  # the same follow-up again
            index += 1
    except _Ended:
        pass
    except KeyboardInterrupt:
        tally(outcomes, len(queue.tasks) - index, interrupted=True)
        raise typer.Exit(code=130) from None
    if queue.tasks:
        tally(outcomes, len(queue.tasks) - index)
