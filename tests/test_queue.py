"""`relances traiter`: the week's follow-ups one key each, driven from standard input, each
answer in the workbook right after it, a quit or a Ctrl-C keeping what was answered."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from conftest import STORY_DAY, Run, flat
from test_safety import excel_owner_file

NEXT = "K"  # Prochaine relance in the example
LAST = "J"  # Dernier contact


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return flat(result.output)


def rows(path: Path) -> dict[int, dict[str, Any]]:
    """Suivi by ID: the next follow-up, the last contact, the action, the count done."""
    ws = openpyxl.load_workbook(path)["Suivi"]
    return {row[0].value: {"next": _day(row[10].value), "last": _day(row[9].value),
                           "action": row[11].value, "done": row[17].value}
            for row in ws.iter_rows(min_row=2) if row[0].value is not None}


def _day(value: Any) -> date | None:
    return value.date() if hasattr(value, "date") else value


def journal(path: Path) -> list[tuple[Any, ...]]:
    return [row for row in openpyxl.load_workbook(path)["Journal"].iter_rows(
        min_row=2, values_only=True) if row[0] is not None]


def order(run: Run, *args: str) -> list[int]:
    """The queue is semaine's work, in its order: overdue, then the week's, then the
    clients'."""
    week = json.loads(ok(run("semaine", "--json", *args)))
    return [item["id"] for item in [*week["en_retard"], *week["a_faire"], *week["clients"]]]


def cards(output: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+/\d+ · (\d+) — ", output)]


def test_a_whole_week_from_standard_input(run: Run, example: Path) -> None:
    queue = order(run, "--jours", "10")
    assert len(queue) == 8 and len(order(run)) == 7
    before, lines = rows(example), len(journal(example))
    answers = ["f", "A rappelé, rendez-vous pris", "rdv", "jeudi",  # 1: done, a meeting
               "i",                                                # 2: unreachable
               "r", "hier", "r", "vendredi",                       # 3: no past day
               "x", "s",                                           # 4: unknown key, skip
               "fait", "Devis renvoyé", "",                        # 5: a simple follow-up
               "f", "Plus de projet", "perdu", "budget",           # 6: lost, and why
               "f", "Très contents", "5", "",                      # 7: a happy client
               "f", "Four mal réglé", "2", ""]                     # 8: an unhappy one
    out = ok(run("traiter", "--jours", "10", input="\n".join(answers) + "\n"))
    assert cards(out) == [*queue[:3], queue[2], *queue[3:]]  # asked again after « hier »
    assert "8 relances à traiter" in out and "jusqu'au 30/01/2026" in out
    assert "Touche inconnue" in out
    assert "une relance se reporte à aujourd'hui ou plus tard" in out
    assert "6 traitées (dont 1 injoignable), 1 reportée, 1 sautée." in out
    after = rows(example)
    first, second, third, fourth, fifth, sixth, seventh, eighth = queue
    assert after[first]["next"] == date(2026, 1, 22) and after[first]["action"] == "RDV"
    assert after[first]["last"] == STORY_DAY
    assert after[second]["last"] == before[second]["last"]  # nobody answered
    assert after[second]["next"] > STORY_DAY
    assert after[third]["next"] == date(2026, 1, 23)
    assert {k: v for k, v in after[third].items() if k != "next"} == \
        {k: v for k, v in before[third].items() if k != "next"}
    assert after[fourth] == before[fourth]
    assert after[fifth]["done"] == (before[fifth]["done"] or 0) + 1
    added = journal(example)[lines:]
    assert [(row[1], row[5]) for row in added] == [
        (first, "rendez-vous"), (second, "injoignable"), (fifth, None), (sixth, "perdu"),
        (seventh, "satisfaction 5/5"), (eighth, "satisfaction 2/5")]
    assert added[0][4] == "A rappelé, rendez-vous pris"
    ws = openpyxl.load_workbook(example)["Suivi"]
    lost = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == sixth)
    assert lost[3] == "Perdu" and lost[19] == "budget"
    # The clients' scores, and the unhappy one called back two working days later.
    column = [c.value for c in ws[1]].index("Satisfaction")
    scores = {r[0]: r[column] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert (scores[seventh], scores[eighth]) == (5, 2)
    again = ok(run("traiter", "--jours", "10", input="s\n" * 8))  # the unhappy one, again
    assert "Gagné · Ravalement de façade · 12 000 € · 100 % · satisfaction 2 / 5" in again
    assert "Conseil : Client mécontent : écouter, proposer une solution et une date" in again
    assert (after[eighth]["next"], after[eighth]["action"]) == (date(2026, 1, 22), "Tel")


def test_quitting_half_way_keeps_the_answers_given(run: Run, example: Path) -> None:
    queue = order(run)
    before = rows(example)
    out = ok(run("traiter", input="s\nr\nj+3\nq\n"))
    assert cards(out) == queue[:3]
    assert out.endswith(f"0 traitée, 1 reportée, 1 sautée, {len(queue) - 2} restantes.")
    after = rows(example)
    assert after[queue[1]]["next"] == date(2026, 1, 23)
    assert [after[i] for i in queue[2:]] == [before[i] for i in queue[2:]]
    assert ok(run("traiter", input="")).endswith(  # the end of the input is a q
        f"0 traitée, 0 reportée, 0 sautée, {len(queue)} restantes.")


def test_the_owner_and_the_period_choose_the_queue(run: Run, example: Path) -> None:
    mine = order(run, "--responsable", "claire", "--jours", "10")
    assert mine == [1, 5, 2, 9]  # Claire's, by the example's owners, her client last
    out = ok(run("traiter", "--responsable", "claire", "--jours", "10",
                 input="s\ns\ns\nq\n"))
    assert cards(out) == mine and "4 relances à traiter" in out
    empty = ok(run("traiter", "--responsable", "Personne", input=""))
    assert "Aucune relance à traiter" in empty and "traitée" not in empty


def test_the_draft_of_the_week_is_named_on_its_card(run: Run, example: Path) -> None:
    ok(run("emails"))
    out = ok(run("traiter", input="q\n"))
    assert re.search(r"(Brouillon|Script d'appel) : emails-semaine-04/\d+-[a-z-]+", out)


def test_a_locked_workbook_asks_again_and_writes_nothing(run: Run, example: Path) -> None:
    lock = example.with_name(f"~${example.name}")
    lock.write_bytes(excel_owner_file("Hélène Dupré"))
    before = example.read_bytes()
    out = ok(run("traiter", input="i\nq\n"))
    assert "est ouvert dans Excel par Hélène Dupré" in out
    assert cards(out) == order(run)[:1] * 2  # the same follow-up, asked again
    assert example.read_bytes() == before


def _cli(workbook: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "RELANCES_AUJOURDHUI": STORY_DAY.isoformat(), "NO_COLOR": "1",
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [sys.executable, "-m", "relances", "traiter", "-f", str(workbook), *args],
        stdin=subprocess.PIPE, stdout=(workbook.parent / "sortie.txt").open("w"),
        stderr=subprocess.STDOUT, text=True, env=env)


def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_each_answer_is_in_the_workbook_right_after_it_and_ctrl_c_keeps_them(
        run: Run, example: Path) -> None:
    queue = order(run)
    before = rows(example)
    process = _cli(example)
    assert process.stdin is not None
    process.stdin.write("r\nj+3\n")
    process.stdin.flush()
    _until(lambda: rows(example)[queue[0]]["next"] == date(2026, 1, 23), "first answer")
    assert rows(example)[queue[1]] == before[queue[1]]
    process.stdin.write("i\n")
    process.stdin.flush()
    _until(lambda: len(journal(example)) > 13, "second answer")
    output = example.parent / "sortie.txt"
    _until(lambda: output.read_text().count(" · ") >= 3, "third card")
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130
    said = flat(output.read_text())
    assert "Interrompu : les réponses déjà données sont enregistrées." in said
    assert said.endswith("1 traitée (dont 1 injoignable), 1 reportée, 0 sautée, "
                         f"{len(queue) - 2} restantes.")
    assert "Traceback" not in said
    after = rows(example)
    assert after[queue[0]]["next"] == date(2026, 1, 23)
    assert journal(example)[-1][1] == queue[1]
    assert [after[i] for i in queue[2:]] == [before[i] for i in queue[2:]]
