"""traiter: the card of each follow-up, what each answer wrote, and the tally."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from relances.core.contacts import described
from relances.text.show import (
    format_amount,
    format_date,
    format_percent,
    format_score,
    format_weekday,
)
from relances.ui.common import moved, plural, warn_problems
from relances.ui.console import console
from relances.ui.week import advice_text

if TYPE_CHECKING:
    from relances.services.queue import Postponed, Queue, Task

KEYS = "f fait · i injoignable · r reporter · s sauter · q quitter"
OUTCOMES = "intéressé, rdv, devis, gagné, perdu, ou Entrée pour une simple relance"

DONE, UNREACHABLE, POSTPONED, SKIPPED = "traitée", "injoignable", "reportée", "sautée"
"""What became of a task, as the tally counts it."""


def opening(queue: Queue, today: date) -> None:
    warn_problems(queue.problems)
    if not queue.tasks:
        console.print(f"Aucune relance à traiter d'ici le {format_date(queue.end)} : la "
                      "semaine est à jour.")
        return
    console.print(f"{plural(len(queue.tasks), 'relance')} à traiter, du plus urgent au moins "
                  f"urgent (jusqu'au {format_date(queue.end)}). Chaque réponse est enregistrée "
                  "aussitôt : vous pouvez quitter à tout moment.", soft_wrap=True)


def card(task: Task, number: int, total: int, today: date) -> None:
    """A few lines: who and when, the deal, whom to ask for, the last exchanges, the
    step's advice and the draft to send."""
    p, item = task.prospect, task.item
    when = p.next_followup
    late = (today - when).days if when is not None and when < today else 0
    timing = (f"en retard de {plural(late, 'jour')}" if late
              else f"prévue {format_weekday(when)}" if when is not None else "sans date")
    ident = f"{p.id} — " if p.id is not None else ""
    console.print()
    console.print(f"{number}/{total} · {ident}{p.name} : {p.action or 'relance'} {timing}"
                  + (f", {item.step_label}" if item.step_label else ""),
                  style="bold red" if late else "bold", soft_wrap=True)
    deal = [part for part in (
        p.status.value if p.status else None, p.project,
        format_amount(p.amount) if p.amount is not None else None,
        format_percent(p.probability) if p.probability is not None else None,
        f"satisfaction {format_score(p.satisfaction)}" if p.satisfaction is not None
        else None) if part]
    if deal:
        console.print("  " + " · ".join(deal), soft_wrap=True)
    if task.person is not None:
        console.print(f"  Demander : {described(task.person)}", soft_wrap=True)
    else:
        reach = [part for part in (p.interlocutor, p.phone, p.email) if part]
        if reach:
            console.print("  Contact : " + " — ".join(reach), soft_wrap=True)
    for entry in task.exchanges:
        said = " : ".join(x for x in (entry.channel, entry.summary) if x)
        outcome = f" ({entry.outcome})" if entry.outcome else ""
        console.print(f"  {format_date(entry.when)} {said}{outcome}", soft_wrap=True)
    advice = advice_text(item)
    if advice:
        console.print(f"  Conseil : {advice}", soft_wrap=True)
    if task.draft is not None:
        what = "Script d'appel" if task.draft.suffix == ".txt" else "Brouillon"
        console.print(f"  {what} : {task.draft}", soft_wrap=True)


def postponed(result: Postponed) -> None:
    moved(result.moved)
    console.print(f"{result.prospect.name} : relance reportée au "
                  f"{format_weekday(result.prospect.next_followup)}.")


def tally(outcomes: Counter[str], left: int, interrupted: bool = False) -> None:
    """« 7 traitées, 2 reportées, 1 sautée »: what the run did, whatever ended it."""
    done = outcomes[DONE] + outcomes[UNREACHABLE]
    unreachable = outcomes[UNREACHABLE]
    parts = [f"{done} traitée{'s' if done > 1 else ''}"]
    if unreachable:
        parts[0] += f" (dont {unreachable} injoignable{'s' if unreachable > 1 else ''})"
    parts += [plural(outcomes[POSTPONED], POSTPONED), plural(outcomes[SKIPPED], SKIPPED)]
    if left:
        parts.append(f"{left} restante{'s' if left > 1 else ''}")
    console.print()
    if interrupted:
        console.print("Interrompu : les réponses déjà données sont enregistrées.")
    console.print(", ".join(parts) + ".", style="bold")
