"""Windows, simulated: redirected output in cp1252 and cp850, paths as Windows users have
them. (A replace that Windows refuses is in test_safety.py.)

Every command runs through the console-script entry point with its standard streams in
the code page, strict as Windows' are: what the code page lacks must come out in ASCII.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import STORY_DAY

from relances import cli

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("liste",), ("voir", "martin"), ("semaine",), ("regles",), ("verifier",), (),
    ("emails", "--sortie", "brouillons"), ("agenda", "--sortie", "semaine.ics"),
    ("exporter", "--sortie", "export.csv"), ("accueil", "moreau", "--sortie", "accueil.md"),
    ("modeles", "--modeles", "mes-modeles"), ("analyse", "--pdf", "analyse.pdf"),
    ("ajouter", "Café Noël", "--montant", "1 200 €"),
    ("contact", "ajouter", "martin", "Zoé Lefèvre", "--role", "Décideur", "--principal"),
    ("contact", "liste"), ("contact", "retirer", "martin", "zoé"),
    ("maj", "martin", "--canal", "Tel", "--resume", "Rappel → devis ≥ 8 500 €",
     "--issue", "interesse"),
    ("maj", "petit", "--canal", "Tel", "--satisfaction", "2", "--resume", "Enduit abîmé"),
    ("voir", "martin", "--json"), ("exporter", "--format", "json", "--sortie", "comptes.json"),
    ("importer", "comptes.json"), ("traiter",), ("planifier",), ("importer", "import.csv"),
    ("annuler",), ("voir", "zzz"), ("lsite",),
    ("--help",),
)
"""Every command, a failing one and a usage error among them."""


def run_in(encoding: str, *args: str) -> tuple[int, str]:
    """`relances ARGS` with stdout and stderr in `encoding`, errors strict, as a
    redirected Windows console has them."""
    streams = [io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict",
                                write_through=True) for _ in range(2)]
    saved = sys.stdout, sys.stderr, sys.argv, sys.stdin
    sys.stdout, sys.stderr = streams
    sys.stdin = io.StringIO("f\nRappel → devis ≥ 8 500 €\n\nr\nj+3\ns\nq\n")  # traiter
    sys.argv = ["relances", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0
    finally:
        sys.stdout, sys.stderr, sys.argv, sys.stdin = saved
    text = "".join(s.buffer.getvalue().decode(encoding) for s in streams)
    return code, text.replace("\xa0", " ")


@pytest.mark.parametrize("encoding", ["cp1252", "cp850"])
def test_every_command_writes_in_the_windows_code_page(
        encoding: str, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (example.parent / "import.csv").write_text(
        "Nom;Email\nGarage Moreau;garage@moreau.fr\nCave Dubois;cave@dubois.fr\n",
        encoding="cp1252")
    outputs = {}
    for args in COMMANDS:
        code, output = run_in(encoding, *args)
        expected = {("voir", "zzz"): 6, ("lsite",): 2}.get(args, 0)
        assert code == expected, (args, output)
        assert "Traceback" not in output and "UnicodeEncodeError" not in output, args
        outputs[args] = output
    assert "Zoé Lefèvre (Décideur) * principal" in outputs[("contact", "liste")]
    assert "1 traitée, 1 reportée, 1 sautée" in outputs[("traiter",)]
    week = outputs[("semaine",)]
    assert "Prospects chauds (>= 70 %)" in week
    assert "CA pondéré (somme montant × probabilité)" in week
    assert "Commande inconnue" in outputs[("lsite",)]
    bars = outputs[("analyse", "--pdf", "analyse.pdf")]
    if encoding == "cp850":  # cp850 has the block, not the euro sign
        assert "EUR" in outputs[("liste",)] and "€" not in outputs[("liste",)]
        assert "█" in bars
    else:
        assert "€" in outputs[("liste",)]
        assert "##" in bars and "█" not in bars


def test_a_real_process_with_a_windows_code_page(example: Path) -> None:
    """The interpreter's own streams, as Windows makes them for `relances semaine >
    semaine.txt`."""
    env = dict(os.environ, PYTHONIOENCODING="cp1252",
               RELANCES_AUJOURDHUI=STORY_DAY.isoformat())
    result = subprocess.run([sys.executable, "-m", "relances", "semaine", "-f", str(example)],
                            env=env, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode("cp1252")
    assert "Prospects chauds (>= 70 %)" in result.stdout.decode("cp1252").replace("\xa0", " ")


def test_paths_with_spaces_accents_and_backslashes(tmp_path: Path, run) -> None:
    """A folder and a file named as on a Windows desktop: nothing splits them."""
    folder = tmp_path / "Mes documents" / "Suivi été 2026"
    folder.mkdir(parents=True)
    workbook = folder / "relances\\clients d'Élodie.xlsx"
    assert run("init", "--exemple", "-f", str(workbook)).exit_code == 0
    assert run("ajouter", "Café Noël", "-f", str(workbook)).exit_code == 0
    assert run("emails", "-f", str(workbook), "--sortie", str(folder / "brouillons")) \
        .exit_code == 0
    assert run("analyse", "-f", str(workbook), "--pdf", str(folder)).exit_code == 0
    assert (folder / "sauvegardes").is_dir()
    assert any((folder / "brouillons").iterdir())
    assert list(folder.glob("analyse-performance-*.pdf"))
    listed = run("liste", "-f", str(workbook))
    assert "Café Noël" in listed.output
