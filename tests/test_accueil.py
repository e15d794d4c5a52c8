"""`relances accueil`: the onboarding checklist of a won client, as a PDF or in Markdown.

On the example workbook, today 20/01/2026: Boulangerie Petit (ID 8, 12 000 €) was won on
Monday 12/01/2026, Restaurant Chez Nous (ID 9, 18 500 €) on Thursday 08/01/2026; Martin
Menuiserie (ID 1, 8 500 €) still waits on its quote. Every PDF is read back with
pdftotext, as a person would read it, and page 1 is rendered with pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import (
    LIGHT_HEADERS,
    Run,
    assert_refused,
    flat,
    make_workbook,
)

from relances.core.model import Prospect
from relances.core.onboarding import CheckItem, client_folder_name, onboarding, parse_checklist
from relances.outputs.checklist import checklist_filename, checklist_pdf, inline_markup

NBSP = "\u00a0"
PETIT_PDF = "accueil-boulangerie-petit.pdf"
SECTIONS = (
    "Informations à recueillir",
    "Documents administratifs à obtenir",
    "Communication de démarrage",
    "Organisation",
    "Suivi qualité",
    "Clôture du projet",
    "Relation dans la durée",
)
PACK = "Pack d'accueil"
TRADE_MARKS = {
    "btp": ("Autorisation d'urbanisme obtenue", "Voisinage prévenu avant les travaux",
            "Sécurité du chantier prévue", "Priorités BTP et artisans"),
    "commerce": ("Lieu et créneaux de livraison", "Conditions de garantie prêtes à remettre",
                 "Procédure de service après-vente expliquée", "Priorités commerce"),
    "services": ("Accord de confidentialité signé", "Calendrier des interventions proposé",
                 "Reporting envoyé aux dates convenues", "Priorités services"),
}

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None
                                   or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm) absent")



def pdf_text(path: Path) -> str:
    """The PDF as pdftotext reads it, words joined by single spaces."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return flat(out.replace(NBSP, " "))


def welcome(run: Run, *args: str) -> str:
    result = run("accueil", *args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return flat(result.output)


def add_won(run: Run, name: str, amount: str, *extra: str) -> None:
    result = run("ajouter", name, "--statut", "Gagné", "--montant", amount,
                 "--depuis", "15/01/2026", *extra)
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- the PDF


@needs_poppler
def test_the_pdf_of_a_won_client_has_every_section_its_dates_and_the_trade(
        run: Run, example: Path, tmp_path: Path) -> None:
    output = welcome(run, "petit", "--metier", "btp")
    assert output == (
        f"Liste d'accueil de Boulangerie Petit écrite dans {PETIT_PDF} (PDF : 8 section(s), "
        "50 case(s) à cocher, pack d'accueil compris). Relances de suivi : 27/01/2026 "
        "(J+15), 13/04/2026 (J+90), 12/01/2027 (J+365).")
    pdf = example.parent / PETIT_PDF
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.count(b"/FT /Btn") == 50, "one real check box per line to tick"
    assert b"/AcroForm" in data
    text = pdf_text(pdf)
    for expected in (
        "ACCUEIL CLIENT", "Boulangerie Petit", "Interlocuteur : M. Petit",
        "boulangerie.petit@wanadoo.fr · 03 80 45 67 89", "Projet : Ravalement de façade",
        "Montant : 12 000 €", "Affaire gagnée le : 12/01/2026", "Suivi par : Karim",
        "Métier : BTP et artisans", *SECTIONS, PACK,
        "J+1 · 13/01/2026", "J+2 à J+7 · du 14/01/2026 au 19/01/2026",
        "27/01/2026 (J+15) — appeler le client : sa note de satisfaction, de 1 à 5 (Tel)",
        "13/04/2026 (J+90) — vérifier la satisfaction et demander un avis (Email)",
        "12/01/2027 (J+365) — relance commerciale annuelle",
        "Email de confirmation de commande envoyé à M. Petit",
        "le rappel du projet « Ravalement de façade »", "l'interlocuteur dédié : Karim",
        "Dossier client créé : clients/Boulangerie Petit/", *TRADE_MARKS["btp"],
        "page 1 / 3", "Lemaire Rénovation · Liste d'accueil de Boulangerie Petit",
    ):
        assert expected in text, expected
    for other in (*TRADE_MARKS["commerce"], *TRADE_MARKS["services"], "confidentialité"):
        assert other not in text, other
    info = flat(subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)
    assert "595.276 x 841.89 pts (A4)" in info and "Form: AcroForm" in info
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000


@needs_poppler
@pytest.mark.parametrize("trade", ["commerce", "services"])
def test_the_trade_shifts_the_emphasis(run: Run, example: Path, trade: str) -> None:
    welcome(run, "9", "--metier", trade.upper())
    text = pdf_text(example.parent / "accueil-restaurant-chez-nous.pdf")
    assert all(section in text for section in SECTIONS)
    for mark in TRADE_MARKS[trade]:
        assert mark in text, mark
    others = [m for t, marks in TRADE_MARKS.items() if t != trade for m in marks]
    assert not [m for m in others if m in text]
    assert "voisinage" not in text.lower()


def test_without_a_trade_the_list_is_the_general_one(run: Run, example: Path) -> None:
    output = welcome(run, "chez nous", "--sortie", "chez-nous.md")
    assert output.endswith("Astuce : --metier btp, commerce ou services met l'accent sur "
                           "ce qui compte dans votre métier.")
    text = Path("chez-nous.md").read_text(encoding="utf-8")
    assert "- [ ] Voisinage prévenu, si les travaux sont bruyants\n" in text
    assert "**" not in text.split("## Informations")[1], "nothing is emphasised"
    assert not [m for marks in TRADE_MARKS.values() for m in marks if m in text]


@needs_poppler
def test_the_welcome_pack_only_above_10000_euros(run: Run, example: Path) -> None:
    """Petit (12 000 €) has it (first test); exactly 10 000 € is not above."""
    add_won(run, "Atelier Dix Mille", "10 000")
    welcome(run, "Atelier Dix Mille")
    text = pdf_text(example.parent / "accueil-atelier-dix-mille.pdf")
    assert "Montant : 10 000 €" in text and PACK not in text
    assert all(section in text for section in SECTIONS)


@pytest.mark.parametrize(("amount", "pack"), [
    (None, False), ("8500", False), ("10000", False), ("10000.01", True), ("18500", True)])
def test_the_welcome_pack_threshold(amount: str | None, pack: bool) -> None:
    from relances.core.workdays import WorkCalendar

    client = Prospect("X", amount=Decimal(amount) if amount else None)
    assert onboarding(client, [], 4, WorkCalendar(), None).welcome_pack is pack


def test_working_days_count_from_the_win(run: Run, example: Path) -> None:
    """Chez Nous was won on Thursday 08/01/2026: J+2 is a Saturday, so the preparation
    starts on Monday 12/01; the follow-ups are those of the Gagné cadence."""
    welcome(run, "chez nous", "--sortie", "chez.md")
    text = Path("chez.md").read_text(encoding="utf-8")
    assert "## Communication de démarrage — J+1 · 09/01/2026\n" in text
    assert "## Organisation — J+2 à J+7 · du 12/01/2026 au 15/01/2026\n" in text
    assert ("- [ ] 23/01/2026 (J+15) — appeler le client : sa note de satisfaction, de 1 "
            "à 5 (Tel)\n") in text
    assert "- [ ] 08/04/2026 (J+90) — " in text and "- [ ] 08/01/2027 (J+365) — " in text


# --------------------------------------------------------------------------- Markdown


def test_markdown_output_is_a_task_list(run: Run, example: Path) -> None:
    output = welcome(run, "petit", "--metier", "btp", "--sortie", "petit.md")
    assert output.startswith("Liste d'accueil de Boulangerie Petit écrite dans petit.md "
                             "(Markdown : 8 section(s), 50 case(s) à cocher, pack d'accueil "
                             "compris).")
    text = Path("petit.md").read_text(encoding="utf-8")
    assert text.startswith("# Accueil client : Boulangerie Petit\n\n"
                           "- **Client :** Boulangerie Petit (n° 8)\n"
                           "- **Interlocuteur :** M. Petit\n")
    assert f"- **Montant :** 12{NBSP}000{NBSP}€\n" in text
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [
        "Informations à recueillir", "Documents administratifs à obtenir",
        "Communication de démarrage — J+1 · 13/01/2026",
        "Organisation — J+2 à J+7 · du 14/01/2026 au 19/01/2026",
        "Suivi qualité — pendant le chantier", "Clôture du projet — fin du chantier",
        "Relation dans la durée", f"Pack d'accueil — client à plus de 10{NBSP}000{NBSP}€"]
    assert sum(line.startswith("- [ ] ") for line in text.splitlines()) == 50
    assert "- [ ] **Voisinage prévenu avant les travaux" in text
    assert "  - adresse du chantier si elle est différente\n" in text
    assert "\n\n\n" not in text and text.endswith("\n") and "{" not in text
    assert not (example.parent / PETIT_PDF).exists()


@needs_poppler
def test_cell_text_is_printed_as_typed(run: Run, example: Path) -> None:
    """Markdown characters in a cell never become emphasis, a box or a section."""
    add_won(run, "Atelier *Bois* & [Fer] <Zinc>_2", "9k", "--projet", "## Toiture\n- [ ] x")
    welcome(run, "atelier", "--sortie", "atelier.md")
    text = Path("atelier.md").read_text(encoding="utf-8")
    assert text.startswith(r"# Accueil client : Atelier \*Bois\* & \[Fer\] \<Zinc\>\_2")
    assert r"- **Projet :** ## Toiture - \[ \] x" + "\n" in text
    parsed = parse_checklist(text)
    assert parsed.title == "Accueil client : Atelier \\*Bois\\* & \\[Fer\\] \\<Zinc\\>\\_2"
    assert inline_markup(parsed.title) == (
        "Accueil client : Atelier *Bois* &amp; [Fer] &lt;Zinc&gt;_2")
    assert inline_markup("**gras** et *italique*") == "<b>gras</b> et <i>italique</i>"
    welcome(run, "atelier")
    text = pdf_text(example.parent / "accueil-atelier-bois-fer-zinc-2.pdf")
    assert "Atelier *Bois* & [Fer] <Zinc>_2" in text and "Projet : ## Toiture - [ ] x" in text


# --------------------------------------------------------------------------- not won yet


def test_a_client_not_yet_won_gets_the_list_with_a_warning(run: Run, example: Path) -> None:
    result = run("accueil", "martin", "--sortie", "martin.md")
    assert result.exit_code == 0, result.output
    assert flat(result.stderr) == (
        "Attention : Martin Menuiserie est au statut « Devis envoyé », pas Gagné : la liste "
        "est faite quand même, avec les échéances en jours (J+1, J+15…). Après la signature "
        ": relances maj 1 --issue gagne, puis relances accueil 1 --remplacer.")
    text = Path("martin.md").read_text(encoding="utf-8")
    assert "- **Statut :** Devis envoyé\n" in text
    assert "> **Affaire pas encore gagnée :**" in text
    assert "## Communication de démarrage — J+1\n" in text
    assert ("- [ ] J+15 après la signature — appeler le client : sa note de satisfaction, "
            "de 1 à 5") in text
    assert "/2026" not in text and "Relances de suivi" not in result.stdout
    assert "Pack d'accueil" not in text, "8 500 € is under the welcome pack's threshold"


def test_a_won_row_without_its_date_on_a_light_tracker(run: Run, tracker_path: Path) -> None:
    make_workbook(tracker_path, {"Suivi": [
        LIGHT_HEADERS,
        ("Fleuriste Rose", "rose@fleurs.fr / 06 11 22 33 44", "Gagné", 15000,
         date(2026, 1, 14), None, None),
    ]})
    result = run("accueil", "rose", "--sortie", "rose.md")
    assert result.exit_code == 0, result.output
    assert flat(result.stderr) == (
        "Note : Suivi : pas de colonne Probabilité : le CA pondéré compte pour chaque "
        "prospect la probabilité par défaut de son statut (feuille Paramètres). "
        "Attention : le suivi n'a pas de colonne « Statut depuis » où lire la date de "
        "signature de Fleuriste Rose : les échéances sont en jours (J+1, J+15…), sans dates. "
        "Ajoutez cette colonne, avec la date de signature, pour les avoir.")
    text = Path("rose.md").read_text(encoding="utf-8")
    assert text.replace(NBSP, " ").startswith(
        "# Accueil client : Fleuriste Rose\n\n- **Client :** Fleuriste Rose\n"
        "- **Contact :** rose@fleurs.fr · 06 11 22 33 44\n")
    assert "> **Date de signature inconnue :** le suivi n'a pas de colonne « Statut " \
        "depuis »" in text and "## Pack d'accueil" in text
    assert "- [ ] J+90 après la signature — " in text


# --------------------------------------------------------------------------- never overwrite


def test_the_same_run_twice_leaves_the_file_alone(run: Run, example: Path) -> None:
    welcome(run, "petit", "--metier", "btp")
    pdf = example.parent / PETIT_PDF
    first = pdf.read_bytes()
    stamp = pdf.stat().st_mtime_ns
    output = welcome(run, "petit", "--metier", "btp")
    assert output.startswith(f"{PETIT_PDF} est déjà à jour : laissé tel quel.")
    assert pdf.read_bytes() == first and pdf.stat().st_mtime_ns == stamp


def test_a_changed_checklist_is_replaced_only_when_asked(run: Run, example: Path) -> None:
    welcome(run, "petit", "--sortie", "petit.md")
    ticked = Path("petit.md").read_text(encoding="utf-8").replace("- [ ]", "- [x]", 3)
    Path("petit.md").write_text(ticked, encoding="utf-8")
    for args in ((), ("--metier", "btp")):
        assert_refused(
            run("accueil", "petit", "--sortie", "petit.md", *args), 2,
            "« petit.md » existe déjà et diffère de la liste à écrire (cases cochées, notes "
            "ou classeur modifiés depuis) : ajoutez --remplacer pour l'écraser, ou "
            "choisissez un autre fichier avec --sortie. Rien n'a été écrit.")
        assert Path("petit.md").read_text(encoding="utf-8") == ticked
    welcome(run, "petit", "--sortie", "petit.md", "--metier", "btp", "--remplacer")
    assert "- [x]" not in Path("petit.md").read_text(encoding="utf-8")
    assert not list(example.parent.glob(".~relances-*")), "no temporary file left behind"


def test_sortie_names_a_folder_or_a_file(run: Run, example: Path) -> None:
    Path("listes").mkdir()
    welcome(run, "petit", "--sortie", "listes")
    assert (example.parent / "listes" / PETIT_PDF).is_file()
    welcome(run, "petit", "--sortie", "listes/petit")
    assert (example.parent / "listes" / "petit.pdf").read_bytes()[:5] == b"%PDF-"


# --------------------------------------------------------------------------- --dossier


SUBFOLDERS = ["contrat", "correspondance", "factures", "photos", "plans"]


def test_dossier_creates_the_client_folder_once(run: Run, example: Path) -> None:
    output = welcome(run, "petit", "--dossier", "--sortie", "petit.md")
    folder = example.parent / "clients" / "Boulangerie Petit"
    assert "Dossier client créé : clients/Boulangerie Petit (contrat, plans, factures, " \
           "correspondance, photos)." in output
    assert sorted(p.name for p in folder.iterdir()) == SUBFOLDERS
    (folder / "contrat" / "devis-signé.pdf").write_bytes(b"signed")
    again = welcome(run, "petit", "--dossier", "--sortie", "petit.md")
    assert "petit.md est déjà à jour : laissé tel quel." in again
    assert "Dossier client déjà en place : clients/Boulangerie Petit (rien n'a été " \
           "modifié)." in again
    assert (folder / "contrat" / "devis-signé.pdf").read_bytes() == b"signed"
    assert sorted(p.name for p in (example.parent / "clients").iterdir()) == ["Boulangerie Petit"]


def test_dossier_completes_a_folder_without_touching_it(run: Run, example: Path) -> None:
    """A folder made by hand (other case, decomposed accents as macOS writes them) is
    the client's: only the missing sub-folders are added."""
    name = unicodedata.normalize("NFD", "hôtel du lac")
    folder = example.parent / "clients" / name
    (folder / "Photos").mkdir(parents=True)
    (folder / "Photos" / "avant.jpg").write_bytes(b"jpeg")
    (folder / "notes.txt").write_text("à garder", encoding="utf-8")
    output = welcome(run, "hotel", "--dossier", "--sortie", "hotel.md")
    assert f"Dossier client clients/{name} : créé(s) contrat, plans, factures, " \
           "correspondance ; déjà là, laissé(s) tel(s) quel(s) : photos." in output
    assert sorted(p.name for p in folder.iterdir()) == [
        "Photos", "contrat", "correspondance", "factures", "notes.txt", "plans"]
    assert (folder / "Photos" / "avant.jpg").read_bytes() == b"jpeg"
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "à garder"
    assert len(list((example.parent / "clients").iterdir())) == 1


def test_dossier_refuses_a_file_in_the_way_and_writes_nothing(run: Run, example: Path) -> None:
    (example.parent / "clients").write_text("pas un dossier", encoding="utf-8")
    assert_refused(run("accueil", "petit", "--dossier", "--sortie", "petit.md"), 2,
                   "« clients » existe déjà et n'est pas un dossier : renommez-le, relances "
                   "ne touche pas aux fichiers existants.")
    assert (example.parent / "clients").read_text(encoding="utf-8") == "pas un dossier"
    assert not Path("petit.md").exists()


def test_dossier_with_a_dangerous_name_stays_inside_clients(run: Run, example: Path) -> None:
    add_won(run, '../../Évasion: Café/Bar* "CON"', "2k")
    welcome(run, "11", "--dossier", "--sortie", "evasion.md")
    clients = example.parent / "clients"
    [folder] = clients.iterdir()
    assert folder.name == "Évasion Café-Bar CON"
    assert sorted(p.name for p in folder.iterdir()) == SUBFOLDERS
    assert sorted(p.name for p in example.parent.iterdir() if p.is_dir()) == [
        "clients", "sauvegardes"]
    assert "- [ ] Dossier client créé : clients/Évasion Café-Bar CON/\n" in Path(
        "evasion.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "folder"), [
    ("Boulangerie Petit", "Boulangerie Petit"),
    ("Dupont/Fils \\ Cie | SARL", "Dupont-Fils - Cie - SARL"),
    ('Café "Le Zinc": bar?*<>', "Café Le Zinc bar"),
    (unicodedata.normalize("NFD", "Hôtel Élysée"), "Hôtel Élysée"),
    ("Société Générale.", "Société Générale"),
    (" .cache ", "cache"),
    ("..", "Client 7"),
    ("/", "Client 7"),
    ("   ", "Client 7"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("Com1", "_Com1"),
    ("LPT9 . ", "_LPT9"),
    ("CONSEIL", "CONSEIL"),
    ("a\tb\nc\x00d", "a b c d"),
    ("x" * 200, "x" * 80),
])
def test_client_folder_names_are_safe_everywhere(name: str, folder: str) -> None:
    assert client_folder_name(Prospect(name, id=7)) == folder
    assert unicodedata.is_normalized("NFC", client_folder_name(Prospect(name, id=7)))


@pytest.mark.parametrize(("name", "file"), [
    ("Boulangerie Petit", "accueil-boulangerie-petit.pdf"),
    ("Hôtel du Lac / Spa", "accueil-hotel-du-lac-spa.pdf"),
    ("***", "accueil-client-4.pdf"),
])
def test_checklist_file_names(name: str, file: str) -> None:
    assert checklist_filename(Prospect(name, id=4)) == file


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("args", "code", "message"), [
    (("inconnu",), 6, "Aucun prospect ne correspond à « inconnu » : vérifiez "
     "l'orthographe, ou cherchez avec relances liste --chercher \"inconnu\"."),
    (("r",), 6, "« r » désigne "),
    (("petit", "--metier", "plomberie"), 2, "--metier : « plomberie » n'est pas un métier "
     "connu : choisissez btp, commerce ou services."),
    (("petit", "--sortie", "absent/petit.pdf"), 2, "--sortie : le dossier « absent » "
     "n'existe pas : créez-le ou choisissez un autre dossier."),
    (("petit", "--sortie", "relances-clients.xlsx"), 2, "--sortie : « relances-clients.xlsx "
     "» doit être un fichier .pdf (à imprimer) ou .md (Markdown) : par exemple --sortie "
     "accueil.pdf."),
])
def test_expected_errors(run: Run, example: Path, args: tuple[str, ...], code: int,
                         message: str) -> None:
    before = sorted(p.name for p in example.parent.iterdir())
    assert_refused(run("accueil", *args, "--dossier"), code, message)
    assert sorted(p.name for p in example.parent.iterdir()) == before, "nothing was created"


def test_a_missing_workbook(run: Run) -> None:
    result = run("accueil", "petit")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- own template


def test_a_template_in_modeles_replaces_the_builtin_one(run: Run, example: Path) -> None:
    own = example.parent / "modeles" / "accueil" / "checklist.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text("# Bienvenue : {{ client }}\n\n{% if projet %}\n## {{ projet }} — "
                   "{{ signe_le }}\n{% endif %}\n\n- [ ] Café offert\n  - le matin\n",
                   encoding="utf-8")
    output = welcome(run, "petit", "--sortie", "petit.md")
    assert "(Markdown : 1 section(s), 1 case(s) à cocher" in output
    assert Path("petit.md").read_text(encoding="utf-8") == (
        "# Bienvenue : Boulangerie Petit\n\n## Ravalement de façade — 12/01/2026\n\n"
        "- [ ] Café offert\n  - le matin\n")
    own.write_text("# {{ client }}\n\n- [ ] {{ clinet }}\n", encoding="utf-8")
    message = assert_refused(run("accueil", "petit", "--sortie", "autre.md"), 2,
                             "Le modèle modeles/accueil/checklist.md.j2, ligne 3, utilise "
                             "« clinet », qui n'existe pas : les noms possibles sont client, "
                             "numero, interlocuteur,")
    assert "pack_accueil" in message and not Path("autre.md").exists()


@pytest.mark.parametrize(("line3", "encoding"), [
    ("{% if projet %}Votre projet", "utf-8"), ("{% endfor %}", "utf-8"),
    ("{{ client | majuscules }}", "utf-8"), ("{{ client.__class__ }}", "utf-8"),
    ("{{ projet.nom }}", "utf-8"), ("Précision", "cp1252"),
])
def test_a_broken_checklist_is_worded_like_a_broken_draft(run: Run, example: Path, line3: str,
                                                          encoding: str) -> None:
    """One translator of Jinja errors: the same mistake gives the same sentence in the
    checklist's template as in a draft's, which alone points to LISEZMOI.txt."""
    draft = example.parent / "modeles" / "emails" / "devis-consulte.txt"
    draft.parent.mkdir(parents=True)
    draft.write_bytes(f"Objet : Votre devis\n\n{line3}\n".encode(encoding))
    drafted = assert_refused(run("emails"), 2)
    draft.unlink()
    own = example.parent / "modeles" / "accueil" / "checklist.md.j2"
    own.parent.mkdir(parents=True)
    own.write_bytes(f"# {{{{ client }}}}\n\n{line3}\n".encode(encoding))
    message = assert_refused(run("accueil", "petit", "--sortie", "autre.md"), 2)
    assert message == drafted.replace("modeles/emails/devis-consulte.txt",
                                      "modeles/accueil/checklist.md.j2").replace(
                                          " (voir LISEZMOI.txt)", "")
    assert not Path("autre.md").exists()


def test_the_pdf_reader_of_a_hand_written_list() -> None:
    """What a user's template may write: remarks anywhere, boxes before any section."""
    parsed = parse_checklist(
        "Une remarque\n\n- [ ] Sans section\n  - détail\n\n## Fin\n\ntexte libre\n"
        "- [X] Fait\n")
    assert parsed.title == "" and parsed.intro == [("note", "Une remarque")]
    assert [(s.title, s.when) for s in parsed.sections] == [("", ""), ("Fin", "")]
    first, last = parsed.sections
    assert first.content == [CheckItem("Sans section", False, ["détail"])]
    assert last.content == ["texte libre", CheckItem("Fait", True)]
    assert parsed.boxes == 2
    assert checklist_pdf("- [ ] seule\n", "pied")[:5] == b"%PDF-"


def test_an_emoji_in_a_name_is_left_out_of_the_pdf_cleanly(run: Run, example: Path) -> None:
    """Vera has no emoji: the PDF never shows an empty box in its place."""
    import openpyxl

    book = openpyxl.load_workbook(example)
    ws = book["Suivi"]
    row = next(r for r in range(2, 12) if ws.cell(r, 2).value == "Garage Moreau")
    ws.cell(row, 2).value = "Garage Moreau 🚗"
    ws.cell(row, 4).value = "Gagné"
    book.save(example)
    result = run("accueil", "moreau", "--sortie", "accueil.pdf")
    assert result.exit_code == 0, result.output
    from relances.outputs.pdf import printable

    assert printable("Garage Moreau 🚗 → 8 500\u202f€") == "Garage Moreau  -> 8 500\u00a0€"
    text = subprocess.run(["pdftotext", "accueil.pdf", "-"], capture_output=True, text=True,
                          check=False).stdout if shutil.which("pdftotext") else ""
    assert "🚗" not in text and "\ufffd" not in text
