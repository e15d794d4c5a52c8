""""Overdue" has one home, Prospect.is_overdue, and every command agrees with it: semaine,
the overview, liste's red dates, analyse; the drafts' index, the agenda and semaine's
Clients add the won and lost clients' late calls."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import STORY_DAY, Run

from relances.core.model import Prospect
from relances.workbook.read import read_tracker


def _late(example: Path, today: date, active_only: bool = True) -> set[str]:
    prospects: list[Prospect] = read_tracker(example, today).prospects
    return {p.name for p in prospects
            if p.is_overdue(today) and (p.active or not active_only)}


@pytest.mark.parametrize("shift", [0, 1, 9])
def test_every_command_counts_the_same_follow_ups_as_late(
        run: Run, example: Path, tmp_path: Path, shift: int) -> None:
    """On the story's day and a few days on, so that the boundary (a follow-up planned
    today is due, not late) moves through the example's dates."""
    today = STORY_DAY + timedelta(days=shift)
    late, late_any = _late(example, today), _late(example, today, active_only=False)
    assert late, "the example has late follow-ups on these days"

    week = json.loads(run("semaine", "--json", today=today).stdout)
    assert {i["nom"] for i in week["en_retard"]} == late
    assert week["stats"]["en_retard"] == len(late)
    assert run(today=today).output.startswith(f"{len(late)} relance(s) en retard,")

    analysed = json.loads(run("analyse", "--json", "--sans-classeur", today=today).stdout)
    assert analysed["relances_en_retard"] == len(late)

    drafts = tmp_path / "brouillons"
    assert run("emails", "--sortie", str(drafts), today=today).exit_code == 0
    index = (drafts / "index.txt").read_text(encoding="utf-8")
    drafted = dict(re.findall(r"(?m)^  \S+ — (.+?) : .*?prévue le \S+( \(en retard\))?", index))
    assert drafted, index
    assert {name for name, mark in drafted.items() if mark} == late_any & set(drafted)

    agenda = tmp_path / "agenda.ics"
    assert run("agenda", "--sortie", str(agenda), today=today).exit_code == 0
    # The drafts and the agenda take the clients' late calls too, as semaine's Clients.
    assert agenda.read_text(encoding="utf-8").count("En retard : prévue le") == len(late_any)
    assert {i["nom"] for i in week["clients"] if i["prochaine_relance"] < today.isoformat()} \
        == late_any - late
