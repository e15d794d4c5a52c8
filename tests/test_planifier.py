"""`relances planifier` through the real CLI: empty follow-ups filled from the cadence,
formulas restored on hand-typed rows, the long-silent classified Perdu, zombies listed,
rows sorted by Prochaine relance with everything they carry, and a simulation that
writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from conftest import Run, flat
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

AMOUNT_FORMAT = '#,##0 "€";-#,##0 "€"'
EXTRA = 23
"""Column W: the user's own column, right of the tool's 22."""




def at(day: int, month: int = 1, year: int = 2026) -> datetime:
    return datetime(year, month, day)


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return flat(result.output)


def rows(path: Path) -> list[dict[str, Any]]:
    """Every prospect row as {header: value}, with its sheet row under "_row"."""
    ws = openpyxl.load_workbook(path)["Suivi"]
    headers = [c.value for c in ws[1]]
    found = []
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if values[1] is not None:
            found.append({"_row": number, **dict(zip(headers, values, strict=False))})
    return found


def by_name(path: Path, name: str) -> dict[str, Any]:
    (row,) = [r for r in rows(path) if r["Nom Client/Prospect"] == name]
    return row


def journal(path: Path) -> list[tuple[Any, ...]]:
    ws = openpyxl.load_workbook(path)["Journal"]
    return [row[:9] for row in ws.iter_rows(min_row=2, values_only=True)]


def append_by_hand(path: Path, *lines: dict[str, Any]) -> None:
    """Rows typed in Excel: plain values under the headers, no formulas, no formats."""
    book = openpyxl.load_workbook(path)
    ws = book["Suivi"]
    headers = [c.value for c in ws[1]]
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value)
    for offset, line in enumerate(lines, start=1):
        for header, value in line.items():
            cell = ws.cell(row=last + offset, column=headers.index(header) + 1, value=value)
            cell.number_format = "General"  # openpyxl would give dates a format of its own
    book.save(path)


def backups(path: Path) -> list[Path]:
    folder = path.parent / "sauvegardes"
    return sorted(folder.glob("*.xlsx")) if folder.is_dir() else []


# --------------------------------------------------------------------------- cadence


def test_empty_follow_ups_come_from_the_cadence(run: Run, example: Path) -> None:
    before = {r["Nom Client/Prospect"]: r for r in rows(example)}
    output = ok(run("planifier"))
    assert "7 SCI Fontaine — cadence : relance 3/4" in output
    assert "Prochaine relance : — → 20/01/2026" in output
    assert "Action prévue : — → Email" in output
    fontaine = by_name(example, "SCI Fontaine")
    # Step 3 (J+14 from 10/11/2025) is long past: planned today, never in the past.
    assert (fontaine["Prochaine relance"], fontaine["Action prévue"]) == (at(20), "Email")
    # Typed dates are kept, even overdue ones.
    for name, row in before.items():
        if name != "SCI Fontaine":
            after = by_name(example, name)
            assert (after["Prochaine relance"], after["Action prévue"]) == (
                row["Prochaine relance"], row["Action prévue"]), name
    assert "Version précédente sauvegardée" in output


def test_an_empty_action_beside_a_typed_date_comes_from_the_cadence(
        run: Run, example: Path) -> None:
    append_by_hand(example, {"ID": 11, "Nom Client/Prospect": "Atelier Bois",
                             "Statut": "Devis envoyé", "Première interaction": at(12),
                             "Dernier contact": at(12), "Statut depuis": at(12),
                             "Relances faites": 0, "Prochaine relance": at(29)})
    ok(run("planifier"))
    row = by_name(example, "Atelier Bois")
    assert (row["Prochaine relance"], row["Action prévue"]) == (at(29), "Email")


def test_recalculer_replaces_typed_dates(run: Run, example: Path) -> None:
    output = ok(run("planifier", "--recalculer"))
    dupont = by_name(example, "Société Dupont SAS")
    # Prospect since 08/01, one follow-up done on 15/01: J+7 Tel, 5 days after the last
    # contact at the earliest, hence today.
    assert (dupont["Prochaine relance"], dupont["Action prévue"]) == (at(20), "Tel")
    assert "Prochaine relance : 30/01/2026 → 20/01/2026" in output
    # Négociation: a week after the last contact (Fri 16/01 -> Fri 23/01), a call.
    leroy = by_name(example, "Cabinet Leroy Architectes")
    assert (leroy["Prochaine relance"], leroy["Action prévue"]) == (at(23), "Tel")
    # Gagné since 12/01: J+15 is Tuesday 27/01, as typed.
    petit = by_name(example, "Boulangerie Petit")
    assert (petit["Prochaine relance"], petit["Action prévue"]) == (at(27), "Tel")


def test_without_recalculer_typed_dates_stay(run: Run, example: Path) -> None:
    ok(run("planifier"))
    dupont = by_name(example, "Société Dupont SAS")
    assert (dupont["Prochaine relance"], dupont["Action prévue"]) == (at(30), "Tel")


# --------------------------------------------------------------------------- formulas


def test_formulas_and_formats_come_back_on_a_row_typed_by_hand(
        run: Run, example: Path) -> None:
    append_by_hand(example, {
        "ID": 11, "Nom Client/Prospect": "Atelier Bois", "Statut": "Prospect",
        "Montant estimé (€)": 5000, "Probabilité (%)": 0.2, "Première interaction": at(5),
        "Dernier contact": at(19), "Prochaine relance": at(2, 2), "Action prévue": "Tel",
        "Statut depuis": at(5), "Relances faites": 1})
    output = ok(run("planifier"))
    assert "Formules et formats rétablis sur 1 ligne(s)." in output
    row = by_name(example, "Atelier Bois")
    n = row["_row"]
    assert row["Délai (j)"] == f'=IF(ISNUMBER(J{n}),TODAY()-J{n},"")'
    assert row["CA pondéré"] == f'=IF(AND(ISNUMBER(G{n}),ISNUMBER(H{n})),G{n}*H{n},"")'
    ws = openpyxl.load_workbook(example)["Suivi"]
    assert ws[f"I{n}"].number_format == "dd/mm/yyyy"
    assert ws[f"J{n}"].number_format == "dd/mm/yyyy"
    assert ws[f"K{n}"].number_format == "dd/mm/yyyy"
    assert ws[f"Q{n}"].number_format == "dd/mm/yyyy"
    assert ws[f"G{n}"].number_format == AMOUNT_FORMAT
    assert ws[f"H{n}"].number_format == "0%"
    assert ws[f"V{n}"].number_format == AMOUNT_FORMAT
    # A second run has nothing left to restore.
    assert "Formules" not in ok(run("planifier"))


# --------------------------------------------------------------------------- Perdu, zombies


def test_ninety_days_without_interaction_means_perdu(run: Run, example: Path) -> None:
    append_by_hand(example, {
        "ID": 11, "Nom Client/Prospect": "Silence Radio", "Statut": "Prospect",
        "Probabilité (%)": 0.2, "Première interaction": at(1, 10, 2025),
        "Dernier contact": at(1, 10, 2025), "Statut depuis": at(1, 10, 2025),
        "Relances faites": 2, "Responsable": "Karim", "Prochaine relance": at(2, 2)}, {
        "ID": 12, "Nom Client/Prospect": "Juste Quatre-vingt-dix", "Statut": "Devis envoyé",
        "Probabilité (%)": 0.2, "Première interaction": at(22, 10, 2025),
        "Dernier contact": at(22, 10, 2025), "Statut depuis": at(22, 10, 2025),
        "Relances faites": 4})
    journal_before = journal(example)
    output = ok(run("planifier"))
    reason = "Classé Perdu automatiquement : aucune interaction depuis 111 jours"
    assert f"11 Silence Radio — {reason}" in output
    assert "Statut : Prospect → Perdu" in output
    lost = by_name(example, "Silence Radio")
    assert (lost["Statut"], lost["Probabilité (%)"], lost["Statut depuis"]) == (
        "Perdu", 0, at(20))
    assert lost["Dernier contact"] == at(1, 10, 2025)
    assert lost["Relances faites"] == 0
    assert lost["Motif perte"] == "Sans nouvelles depuis 111 jours"
    # The Perdu cadence: reactivation 90 days later.
    assert (lost["Prochaine relance"], lost["Action prévue"]) == (at(20, 4), "Email")
    assert journal(example) == [*journal_before, (
        at(20), 11, "Silence Radio", None, reason, "perdu", "Perdu", 0, "Karim")]
    # Exactly 90 days: still active, a zombie to decide about.
    kept = by_name(example, "Juste Quatre-vingt-dix")
    assert kept["Statut"] == "Devis envoyé"
    zombies = output.split("zombie(s) à trancher")[1]
    assert "12 Juste Quatre-vingt-dix" in zombies and "7 SCI Fontaine" in zombies
    assert "Silence Radio" not in zombies


def test_zombies_are_listed_not_changed(run: Run, example: Path) -> None:
    append_by_hand(example, {
        "ID": 11, "Nom Client/Prospect": "Encore Chaud", "Statut": "Négociation",
        "Probabilité (%)": 0.5, "Dernier contact": at(1, 11, 2025),
        "Prochaine relance": at(2, 2), "Action prévue": "Tel"})
    output = ok(run("planifier"))
    assert "1 zombie(s) à trancher" in output
    assert "7 SCI Fontaine" in output.split("zombie(s)")[1]
    assert "Encore Chaud" not in output  # silent 80 days but 50 %: not a zombie
    assert by_name(example, "SCI Fontaine")["Statut"] == "Prospect"


# --------------------------------------------------------------------------- sorting


def test_whole_rows_move_when_sorted(run: Run, example: Path) -> None:
    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    ws.cell(row=1, column=EXTRA, value="Code chantier")
    for r in range(2, 12):
        ws.cell(row=r, column=EXTRA, value=f"C-{ws.cell(row=r, column=1).value}")
    (moreau,) = [r for r in range(2, 12) if ws.cell(row=r, column=2).value == "Garage Moreau"]
    assert moreau == 10
    ws.cell(row=moreau, column=11).value = at(5)  # typed by hand: now the most overdue
    ws.cell(row=moreau, column=14).comment = Comment("Rappeler le fils, repreneur", "Claire")
    ws.cell(row=moreau, column=2).fill = PatternFill("solid", fgColor="FFFF00")
    ws.cell(row=moreau, column=2).hyperlink = "https://garage-moreau.example"
    ws.cell(row=moreau, column=2).value = "Garage Moreau"
    book.save(example)
    append_by_hand(example, {"ID": 11, "Nom Client/Prospect": "Atelier Bois",
                             "Statut": "Prospect", "Montant estimé (€)": 5000,
                             "Probabilité (%)": 0.2, "Dernier contact": at(19),
                             "Prochaine relance": at(14), "Action prévue": "Tel"})

    output = ok(run("planifier"))
    assert "Le suivi a été trié par prochaine relance." in output
    found = rows(example)
    dates = [r["Prochaine relance"] for r in found]
    assert dates == sorted(dates)
    assert [r["Nom Client/Prospect"] for r in found[:3]] == [
        "Garage Moreau", "Copropriété Les Tilleuls", "Martin Menuiserie"]
    assert found[-1]["Nom Client/Prospect"] == "Société Dupont SAS"

    ws = openpyxl.load_workbook(example)["Suivi"]
    for row in found:
        n = row["_row"]
        if row["ID"] != 11:
            assert row["Code chantier"] == f"C-{row['ID']}", row
        assert row["Délai (j)"] == f'=IF(ISNUMBER(J{n}),TODAY()-J{n},"")', row
        assert row["CA pondéré"] == f'=IF(AND(ISNUMBER(G{n}),ISNUMBER(H{n})),G{n}*H{n},"")'
        assert ws.cell(row=n, column=11).number_format == "dd/mm/yyyy"
        comment = ws.cell(row=n, column=14).comment
        fill = ws.cell(row=n, column=2).fill
        if row["Nom Client/Prospect"] == "Garage Moreau":
            assert n == 2
            assert comment is not None and comment.text.startswith("Rappeler le fils")
            assert fill.fgColor.rgb.endswith("FFFF00")
            assert ws.cell(row=n, column=2).hyperlink.target == "https://garage-moreau.example"
            assert row["Motif perte"] == "Prix trop élevé"
        else:
            assert comment is None, row
            assert not fill.fgColor.rgb.endswith("FFFF00"), row
            assert ws.cell(row=n, column=2).hyperlink is None, row
    assert by_name(example, "Atelier Bois")["_row"] == 5  # 14/01, after 12 and 13/01
    assert ws.cell(row=1, column=EXTRA).value == "Code chantier"
    # The colour rules still span every row.
    assert all(str(cf.sqref).endswith("1048576") for cf in ws.conditional_formatting)


def test_already_in_order_nothing_is_written(run: Run, example: Path) -> None:
    ok(run("planifier"))
    before = example.read_bytes()
    saved = backups(example)
    output = ok(run("planifier"))
    assert "Tout est déjà planifié : rien à changer." in output
    assert example.read_bytes() == before
    assert backups(example) == saved


# --------------------------------------------------------------------------- simulation


def test_simulation_shows_and_writes_nothing(run: Run, example: Path) -> None:
    append_by_hand(example, {
        "ID": 11, "Nom Client/Prospect": "Silence Radio", "Statut": "Prospect",
        "Probabilité (%)": 0.2, "Dernier contact": at(1, 10, 2025)}, {
        "ID": 12, "Nom Client/Prospect": "Atelier Bois", "Statut": "Prospect",
        "Montant estimé (€)": 5000, "Dernier contact": at(19), "Prochaine relance": at(14),
        "Action prévue": "Tel"})
    before = example.read_bytes()
    saved = backups(example)
    output = ok(run("planifier", "--simulation"))
    assert output.startswith("Simulation : rien n'a été écrit.")
    assert "7 SCI Fontaine — cadence : relance 3/4" in output
    assert "11 Silence Radio — Classé Perdu automatiquement" in output
    # Both rows were typed by hand: both get their formulas and formats back.
    assert "Formules et formats seraient rétablis sur 2 ligne(s)." in output
    assert "Le suivi serait trié par prochaine relance." in output
    assert "Version précédente" not in output
    assert example.read_bytes() == before
    assert backups(example) == saved
    # The same run for real does what the simulation said.
    output = ok(run("planifier"))
    assert by_name(example, "Silence Radio")["Statut"] == "Perdu"
    assert by_name(example, "SCI Fontaine")["Prochaine relance"] == at(20)
    assert len(backups(example)) == len(saved) + 1
    for row in rows(example):
        n = row["_row"]
        assert row["Délai (j)"] == f'=IF(ISNUMBER(J{n}),TODAY()-J{n},"")', row


def test_simulation_with_recalculer_writes_nothing(run: Run, example: Path) -> None:
    before = example.read_bytes()
    output = ok(run("planifier", "--simulation", "--recalculer"))
    assert "Prochaine relance : 30/01/2026 → 20/01/2026" in output
    assert example.read_bytes() == before


def test_planifier_refuses_a_bad_today_and_writes_nothing(run: Run, example: Path) -> None:
    before = example.read_bytes()
    result = run("planifier", "--aujourdhui", "31/02/2026")
    assert result.exit_code == 2
    assert flat(result.output) == "--aujourdhui : « 31/02/2026 » n'est pas une date (JJ/MM/AAAA)."
    assert example.read_bytes() == before


def test_months_later_every_silent_active_prospect_is_lost(run: Run, example: Path) -> None:
    today = date(2026, 6, 1)
    output = ok(run("planifier", today=today))
    statuses = {r["Nom Client/Prospect"]: r["Statut"] for r in rows(example)}
    assert set(statuses.values()) == {"Gagné", "Perdu"}
    lost = [e for e in journal(example) if e[5] == "perdu"]
    assert len(lost) == 7 and all(e[0] == datetime(2026, 6, 1) for e in lost)
    assert output.count("Classé Perdu automatiquement") == 7
    # Each reactivation is planned from today by the Perdu cadence, never in the past.
    for row in rows(example):
        if row["Statut depuis"] == datetime(2026, 6, 1):
            assert row["Prochaine relance"] == datetime(2026, 8, 31)  # J+90 Sun -> Mon
