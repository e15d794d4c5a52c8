"""`relances emails` and `relances modeles` through the real CLI.

On the example workbook, today Tuesday 20/01/2026, with the default 7 days: Martin
(Devis envoyé since 10/01, Email, overdue since 13/01) gets the « devis-consulte »
draft; Mme Bernard (Prospect, Email, 21/01) the thank-you; the two won clients, Chez
Nous (23/01) and Boulangerie Petit (27/01), the satisfaction check; Copropriété Les
Tilleuls (Devis envoyé, Tel, overdue since 12/01) and Hôtel du Lac (Négociation, Tel,
21/01) a call script each; Cabinet Leroy (RDV, 22/01) is left out with its reason.

The drafts are compared with tests/golden/emails-semaine-04/ (headers and decoded body
of each .eml, each call script, index.txt). After a deliberate change of a built-in
template, regenerate them with RELANCES_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path

import pytest
from conftest import STORY_DAY, Run, assert_refused, flat, make_workbook, set_setting

from relances.core.cadence import Step
from relances.core.errors import InvalidInput
from relances.core.model import Prospect, Settings, Status
from relances.outputs.context import NAMES, civility, template_context
from relances.outputs.drafts import (
    CALL,
    EMAIL,
    choose_template,
    prepare,
    render,
    slug,
    split_subject,
)
from relances.outputs.templates import BUILTIN, README_NAME, builtin_templates, environment

GOLDEN = Path(__file__).parent / "golden" / "emails-semaine-04"
REGENERATE = bool(os.environ.get("RELANCES_GOLDEN"))
WEEK = "emails-semaine-04"
EXAMPLE_FILES = {
    "1-martin-menuiserie.eml", "5-mme-bernard.eml", "8-boulangerie-petit-appel.txt",
    "9-restaurant-chez-nous-appel.txt", "4-hotel-du-lac-appel.txt",
    "6-copropriete-les-tilleuls-appel.txt", "index.txt",
}
NBSP = "\u00a0"



def drafts(run: Run, *args: str) -> str:
    result = run("emails", *args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return flat(result.output)


def parse(path: Path) -> EmailMessage:
    with path.open("rb") as stream:
        message = BytesParser(policy=policy.default).parse(stream)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage) -> str:
    return message.get_content().replace("\r\n", "\n")


def shown(path: Path) -> str:
    """What a golden file holds: the headers a reader sees, then the decoded text."""
    if path.suffix != ".eml":
        return path.read_text(encoding="utf-8")
    message = parse(path)
    headers = "".join(f"{name}: {message[name]}\n" for name in
                      ("From", "To", "Subject", "Date", "X-Unsent") if message[name] is not None)
    return f"{headers}\n{body(message)}"


def golden_name(name: str) -> str:
    return name + ".txt" if name.endswith(".eml") else name


# --------------------------------------------------------------------------- the example's week


def test_the_example_week_matches_the_golden_files(run: Run, example: Path) -> None:
    output = drafts(run)
    folder = example.parent / WEEK
    assert {p.name for p in folder.iterdir()} == EXAMPLE_FILES
    assert ("2 brouillon(s) d'email et 4 script(s) d'appel (du 20/01/2026 au 27/01/2026, "
            f"relances en retard comprises) dans {WEEK}") in output
    if REGENERATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name in EXAMPLE_FILES:
            (GOLDEN / golden_name(name)).write_text(shown(folder / name), encoding="utf-8")
    assert {p.name for p in GOLDEN.iterdir()} == {golden_name(n) for n in EXAMPLE_FILES}
    for name in sorted(EXAMPLE_FILES):
        expected = (GOLDEN / golden_name(name)).read_text(encoding="utf-8")
        assert shown(folder / name) == expected, name


def test_martins_draft_recalls_his_quote_and_opens_as_a_draft(run: Run, example: Path) -> None:
    before = example.read_bytes()
    drafts(run)
    message = parse(example.parent / WEEK / "1-martin-menuiserie.eml")
    assert message["From"] == "Claire Lemaire <contact@lemaire-renovation.fr>"
    assert message["To"].addresses[0].display_name == "M. Martin"
    assert message["To"].addresses[0].addr_spec == "m.martin@email.fr"
    assert message["Subject"] == "Votre devis « Rénovation atelier 15 fenêtres »"
    paris = timezone(timedelta(hours=1))
    assert message["Date"] == format_datetime(datetime(2026, 1, 20, 9, 0, tzinfo=paris))
    assert message["X-Unsent"] == "1"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    text = body(message)
    assert text.startswith("Bonjour Monsieur Martin,\n\n")
    assert ("Le 10 janvier, je vous ai fait parvenir notre devis pour votre projet "
            f"« Rénovation atelier 15 fenêtres », d'un montant de 8{NBSP}500{NBSP}€. "
            "Avez-vous eu le temps de le consulter ?") in text
    assert "je l'ajusterai volontiers" in text
    assert "passer vous voir sur place" in text
    assert text.endswith("Bien cordialement,\n\nClaire Lemaire\nLemaire Rénovation\n"
                         "06 45 78 12 90\n")
    assert example.read_bytes() == before, "relances emails ne doit jamais écrire le classeur"
    assert not (example.parent / "sauvegardes").exists()


def test_a_prospect_to_call_gets_a_script_with_context_and_talking_points(
        run: Run, example: Path) -> None:
    drafts(run)
    script = (example.parent / WEEK / "6-copropriete-les-tilleuls-appel.txt").read_text("utf-8")
    for expected in (
        "APPEL — Copropriété Les Tilleuls — 04 78 90 11 22",
        "Statut : Devis envoyé depuis le 15 décembre 2025, relance 2/4 (prévue le 12 janvier : "
        "en retard)",
        f"Projet : Réfection de la cage d'escalier — 22{NBSP}000{NBSP}€",
        "Dernier contact : 22 décembre 2025 (il y a 29 jours)",
        "  - 22/12 Email : relance après devis, sans réponse",
        "  - 15/12 Devis : devis envoyé au syndic",
        "Notes : Décision en assemblée générale",
        "« Bonjour, Claire Lemaire, de Lemaire Rénovation. »",
        "« Je suis bien avec Monsieur Fabre ? »",
        "au sujet de notre devis pour « Réfection de la cage d'escalier », envoyé le "
        "15 décembre 2025",
        "« Si je vous comprends bien, … »",
        "A. Ajuster le devis", "B. Un rendez-vous sur place",
        "6. Récapituler la suite",
        "« Merci Monsieur Fabre pour votre temps",
        "relances maj 6 --canal Tel --issue injoignable",
    ):
        assert expected in script, expected
    hotel = (example.parent / WEEK / "4-hotel-du-lac-appel.txt").read_text("utf-8")
    assert "Attention : concurrence" in hotel
    assert "Alerte « concurrence » : préparez ce qui vous distingue" in hotel


def test_index_lists_drafts_and_the_prospects_left_out(run: Run, example: Path) -> None:
    output = drafts(run)
    index = (example.parent / WEEK / "index.txt").read_text("utf-8")
    assert index.startswith("Relances du 20/01/2026 au 27/01/2026 (semaine 4), en retard "
                            "comprises — relances-clients.xlsx\n")
    assert ("  1-martin-menuiserie.eml — Martin Menuiserie : Devis envoyé, relance 1/4, "
            "prévue le 13/01/2026 (en retard) ; modèle emails/devis-consulte.txt") in index
    assert ("  5-mme-bernard.eml — Mme Bernard : Prospect, relance 1/4, prévue le 21/01/2026 ; "
            "modèle emails/prospect-merci.txt, à compléter avant envoi") in index
    assert ("  Cabinet Leroy Architectes (ID 3), prévue le 22/01/2026 : action prévue « RDV » : "
            "ni email ni appel à préparer") in index
    assert "Non préparé(s) : 1 Cabinet Leroy Architectes : action prévue « RDV »" in output
    assert "À compléter avant envoi (passage « [À COMPLÉTER … ] ») : 5-mme-bernard.eml." in output


# --------------------------------------------------------------------------- keep, replace


def test_an_existing_draft_is_kept_unless_remplacer(run: Run, example: Path) -> None:
    drafts(run)
    martin = example.parent / WEEK / "1-martin-menuiserie.eml"
    original = martin.read_bytes()
    martin.write_bytes(original.replace(b"Bien cordialement", b"Amicalement"))
    edited = martin.read_bytes()

    output = drafts(run)
    assert martin.read_bytes() == edited
    assert "1-martin-menuiserie.eml — Martin Menuiserie (déjà présent : conservé)" in output
    assert ("6 fichier(s) déjà présent(s) conservé(s) tel(s) quel(s), vos retouches "
            "comprises : --remplacer les refait à partir des modèles.") in output
    index = (example.parent / WEEK / "index.txt").read_text("utf-8")
    assert "devis-consulte.txt, déjà présent, conservé" in index

    output = drafts(run, "--remplacer")
    assert martin.read_bytes() == original
    assert "1-martin-menuiserie.eml — Martin Menuiserie (remplacé)" in output
    assert "conservé" not in output


def test_sortie_and_jours(run: Run, example: Path) -> None:
    output = drafts(run, "--sortie", "brouillons/semaine", "--jours", "14")
    folder = example.parent / "brouillons" / "semaine"
    assert f"dans {Path('brouillons/semaine')} :" in output
    names = {p.name for p in folder.iterdir()}
    assert "2-societe-dupont-sas-appel.txt" in names, names  # Dupont, Tel on 30/01
    assert not (example.parent / WEEK).exists()
    dupont = (folder / "2-societe-dupont-sas-appel.txt").read_text("utf-8")
    assert "Je vous ai écrit il y a quelques jours" in dupont  # prospect-appel
    assert "relance 2/4" in dupont

    drafts(run, "--jours", "0", "--sortie", "aujourdhui")
    assert {p.name for p in (example.parent / "aujourdhui").iterdir()} == {
        "1-martin-menuiserie.eml", "6-copropriete-les-tilleuls-appel.txt", "index.txt"}


def test_wrong_options_are_refused(run: Run, example: Path) -> None:
    assert_refused(run("emails", "--jours", "-1"), 2,
                   "--jours : « -1 » doit être un nombre de jours positif.")
    example.with_name("note.txt").write_text("x")
    assert_refused(run("emails", "--sortie", "note.txt"), 2,
                   "--sortie : « note.txt » est un fichier, pas un dossier")
    assert_refused(run("emails", "--modeles", "absent"), 2,
                   "--modeles : le dossier « absent » n'existe pas : créez-le avec relances "
                   "modeles --modeles \"absent\"")
    assert not (example.parent / WEEK).exists()


def test_nothing_due_writes_nothing(run: Run, tracker_path: Path) -> None:
    assert run("init").exit_code == 0
    output = drafts(run)
    assert output == ("Aucun email ni appel à préparer du 20/01/2026 au 27/01/2026, relances "
                      "en retard comprises : aucun fichier écrit.")
    assert not (tracker_path.parent / WEEK).exists()


# --------------------------------------------------------------------------- user templates


def test_modeles_copies_the_builtins_then_an_edited_template_is_used(
        run: Run, example: Path) -> None:
    result = run("modeles")
    assert result.exit_code == 0, result.output
    folder = example.parent / "modeles"
    builtins = builtin_templates()
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")) == builtins
    assert f"{len(builtins)} modèle(s) copié(s) dans modeles" in flat(result.output)

    template = folder / "emails" / "devis-consulte.txt"
    template.write_text(template.read_text("utf-8").replace(
        "Objet : Votre devis", "Objet : Petite question sur votre devis"), encoding="utf-8")
    drafts(run)
    martin = parse(example.parent / WEEK / "1-martin-menuiserie.eml")
    assert martin["Subject"] == "Petite question sur votre devis « Rénovation atelier 15 fenêtres »"
    index = (example.parent / WEEK / "index.txt").read_text("utf-8")
    assert "modèle emails/devis-consulte.txt (personnel)" in index
    assert "modèle emails/prospect-merci.txt (personnel), à compléter" in index

    edited = template.read_bytes()
    again = run("modeles")
    assert again.exit_code == 0, again.output
    assert f"{len(builtins)} modèle(s) déjà présent(s), conservé(s) sans y toucher" in \
        flat(again.output)
    assert "copié" not in flat(again.output).replace("conservé", "")
    assert template.read_bytes() == edited


def test_modeles_elsewhere_then_emails_with_modeles(run: Run, example: Path) -> None:
    result = run("modeles", "--modeles", "mes-modeles")
    assert result.exit_code == 0, result.output
    assert 'relances emails --modeles "mes-modeles"' in flat(result.output)
    call = example.parent / "mes-modeles" / "appels" / "devis-appel.txt"
    call.write_text("APPEL {{ client|upper }}\n", encoding="utf-8")
    drafts(run, "--modeles", "mes-modeles")
    assert (example.parent / WEEK / "6-copropriete-les-tilleuls-appel.txt").read_text("utf-8") == \
        "APPEL COPROPRIÉTÉ LES TILLEULS\n"


def break_template(example: Path, name: str, line3: str) -> Path:
    """A user template whose third line is `line3`."""
    path = example.parent / "modeles" / "emails" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Objet : Votre devis\n\n{line3}\n", encoding="utf-8")
    return path


def test_an_unknown_name_stops_everything_before_any_file(run: Run, example: Path) -> None:
    break_template(example, "devis-consulte.txt", "Pour un montant de {{ montnat }}.")
    message = assert_refused(run("emails"), 2)
    assert message == (
        "Le modèle modeles/emails/devis-consulte.txt, ligne 3, utilise « montnat », qui "
        f"n'existe pas : les noms possibles sont {', '.join(NAMES)} (voir LISEZMOI.txt).")
    assert not (example.parent / WEEK).exists()


def test_no_draft_is_half_written(run: Run, example: Path) -> None:
    """Martin's draft comes first: the broken template of a later one must not let it out."""
    drafts(run)
    folder = example.parent / WEEK
    shutil.rmtree(folder)
    break_template(example, "prospect-merci.txt", "{{ bonjour }} {{ projet.nom }}")
    message = assert_refused(run("emails"), 2)
    assert message.startswith("Le modèle modeles/emails/prospect-merci.txt, ligne 3, "
                              "utilise « .nom », qui n'existe pas")
    assert not folder.exists()


@pytest.mark.parametrize(("line3", "expected"), [
    ("{% if projet %}Votre projet",
     "Le modèle modeles/emails/devis-consulte.txt, ligne 3, est mal écrit (le modèle se "
     "termine alors qu'un {% if %} n'est pas fermé) : vérifiez que chaque {{ a son }}, "
     "chaque {% if %} son {% endif %} et chaque {% for %} son {% endfor %}."),
    ("{% endfor %}",
     "Le modèle modeles/emails/devis-consulte.txt, ligne 3, est mal écrit (balise « endfor » "
     "inconnue ou mal placée)"),
    ("{{ client | majuscules }}",
     "Le modèle modeles/emails/devis-consulte.txt, ligne 3, utilise le filtre « majuscules », "
     "qui n'existe pas : corrigez son nom ou retirez-le."),
    ("{{ client.__class__ }}",
     "Le modèle modeles/emails/devis-consulte.txt, ligne 3, utilise « __class__ », interdit "
     "dans un modèle : retirez-le."),
])
def test_a_broken_template_is_one_french_sentence(run: Run, example: Path, line3: str,
                                                  expected: str) -> None:
    break_template(example, "devis-consulte.txt", line3)
    message = assert_refused(run("emails"), 2)
    assert message.startswith(expected), message
    assert not (example.parent / WEEK).exists()


def test_a_template_without_its_subject_line_is_refused(run: Run, example: Path) -> None:
    path = break_template(example, "devis-consulte.txt", "x")
    path.write_text("{{ bonjour }}\n\nVotre devis.\n", encoding="utf-8")
    assert_refused(run("emails"), 2,
                   "Le modèle modeles/emails/devis-consulte.txt doit commencer par la ligne "
                   "« Objet : … » (l'objet de l'email), suivie d'une ligne vide puis du texte.")


def test_a_template_saved_in_another_encoding_is_named(run: Run, example: Path) -> None:
    path = break_template(example, "devis-consulte.txt", "x")
    path.write_bytes("Objet : Devis\n\nPrécision\n".encode("cp1252"))
    assert_refused(run("emails"), 2, "Le modèle modeles/emails/devis-consulte.txt n'est pas "
                   "enregistré en UTF-8")


def test_a_template_saved_by_notepad_with_a_bom_and_crlf_works(run: Run, example: Path) -> None:
    path = break_template(example, "devis-consulte.txt", "x")
    path.write_bytes("\ufeffObjet : Devis {{ client }}\r\n\r\n{{ bonjour }}\r\n".encode())
    drafts(run)
    martin = parse(example.parent / WEEK / "1-martin-menuiserie.eml")
    assert martin["Subject"] == "Devis Martin Menuiserie"
    assert body(martin) == "Bonjour Monsieur Martin,\n"


# --------------------------------------------------------------------------- prospects


def add(run: Run, name: str, *options: str) -> None:
    result = run("ajouter", name, "--prochaine", "20/01/2026", *options)
    assert result.exit_code == 0, result.output


def test_names_give_safe_filenames(run: Run, example: Path) -> None:
    for name in ("../../etc/passwd", "A/B Travaux\\Rénov", "Éléonore Château & Fils",
                 "CON", "...", "Œuvres d'Art: Studio*?"):
        add(run, name, "--email", "x@exemple.fr", "--action", "Email")
    drafts(run)
    folder = example.parent / WEEK
    names = {p.name for p in folder.iterdir()}
    assert {"11-etc-passwd.eml", "12-a-b-travaux-renov.eml", "13-eleonore-chateau-fils.eml",
            "14-con-prospect.eml", "15-prospect.eml", "16-oeuvres-d-art-studio.eml"} <= names, names
    assert all(p.parent == folder for p in folder.rglob("*"))
    assert not (example.parent.parent / "etc").exists()


def test_slugs() -> None:
    assert slug("Martin Menuiserie") == "martin-menuiserie"
    assert slug("Hôtel du Lac") == "hotel-du-lac"
    assert slug("..") == "prospect"
    assert slug("nul") == "nul-prospect"
    assert slug("LPT1.txt") == "lpt1-txt"
    assert slug("a" * 80) == "a" * 50
    assert slug("Straße ÆØ") == "strasse-ae"


def test_rows_without_id_get_unique_names(run: Run, tracker_path: Path) -> None:
    rows = [("Nom", "Contact", "Statut", "Prochaine relance", "Action prévue"),
            ("Con", "a@exemple.fr", "Prospect", "20/01/2026", "Email"),
            ("Dupont", "b@exemple.fr", "Prospect", "20/01/2026", "Email"),
            ("Dupont", "c@exemple.fr", "Prospect", "21/01/2026", "Email")]
    make_workbook(tracker_path, {"Suivi": rows})
    drafts(run)
    assert {p.name for p in (tracker_path.parent / WEEK).iterdir()} == {
        "con-prospect.eml", "dupont.eml", "dupont-2.eml", "index.txt"}
    plain = parse(tracker_path.parent / WEEK / "dupont.eml")
    assert body(plain).startswith("Bonjour,\n\n")  # no interlocutor: plain greeting
    assert plain["From"] is None  # no sender in Paramètres: the mail program puts its own
    assert plain["To"] == "b@exemple.fr"


def test_prospects_left_out_say_why(run: Run, example: Path) -> None:
    add(run, "Sans Email", "--tel", "06 11 22 33 44", "--action", "Email")
    add(run, "Sans Téléphone", "--email", "t@exemple.fr", "--action", "Tel")
    add(run, "Épuisé", "--email", "e@exemple.fr", "--action", "Clôturer ou dernière relance ?")
    output = drafts(run)
    index = (example.parent / WEEK / "index.txt").read_text("utf-8")
    for line in (
        "Sans Email (ID 11), prévue le 20/01/2026 : pas d'adresse email dans le suivi : "
        "ajoutez-la dans la colonne Contact",
        "Sans Téléphone (ID 12), prévue le 20/01/2026 : pas de numéro de téléphone dans le "
        "suivi : ajoutez-le dans la colonne Contact",
        "Épuisé (ID 13), prévue le 20/01/2026 : relances épuisées (« Clôturer ou dernière "
        "relance ? ») : classez-le Perdu, ou écrivez vous-même une dernière relance "
        "personnelle",
    ):
        assert line in index, index
    assert "Non préparé(s) : 4" in output
    assert "Sans Email : pas d'adresse email dans le suivi" in output


def test_no_sender_email_in_parametres(run: Run, example: Path) -> None:
    set_setting(example, "Email de l'expéditeur", "")  # openpyxl ignores None
    output = drafts(run)
    assert parse(example.parent / WEEK / "1-martin-menuiserie.eml")["From"] is None
    assert "Paramètres n'a pas d'« Email de l'expéditeur »" in output


# --------------------------------------------------------------------------- templates, units


def test_civility() -> None:
    assert civility("M. Martin") == "Monsieur Martin"
    assert civility("Mme  Leroy") == "Madame Leroy"
    assert civility("M. et Mme Durand") == "Monsieur et Madame Durand"
    assert civility("mlle Roux") == "Madame Roux"
    assert civility("Dr Petit") == "Docteur Petit"
    assert civility("Jean Dupuis") == "Jean Dupuis"
    assert civility("Mathieu") == "Mathieu"
    assert civility(None) == ""


FULL = Prospect(
    "Atelier Vidal", id=7, email="v@exemple.fr", phone="06 00 00 00 00",
    status=Status.QUOTE_SENT, project="Cuisine sur mesure", amount=None,
    first_contact=date(2025, 11, 3), last_contact=date(2026, 1, 19),
    next_followup=date(2026, 1, 22), action="Email", history="19/01 Tel : rappel\n03/11 Visite",
    notes="Portail vert", interlocutor="Mme Vidal", status_since=date(2025, 12, 1),
    followups_done=1, alert="concurrence", owner="Karim", source="Salon",
)
BARE = Prospect("Vidal")


@pytest.mark.parametrize("name", [n for n in builtin_templates() if n != README_NAME])
@pytest.mark.parametrize("prospect", [FULL, BARE], ids=["complet", "minimal"])
@pytest.mark.parametrize("status", list(Status))
def test_every_builtin_template_reads_well(name: str, prospect: Prospect,
                                           status: Status) -> None:
    """Every template, with every status, for a full row and for a name alone."""
    env = environment(None)
    step = Step(date(2026, 1, 22), "Email", 2, 4, "Un conseil", None)
    settings = Settings(sender_name="Claire", company="Lemaire", signature="Claire")
    context = template_context(prospect.replace(status=status), step, settings, STORY_DAY)
    text = render(env, name, context, None)
    if name.startswith("emails/"):
        subject, text = split_subject(text, name, None)
        assert subject and "None" not in subject and "« »" not in subject
        greeting = "Bonjour Madame Vidal," if prospect is FULL else "Bonjour,"
        assert text.startswith(greeting + "\n\n"), text
        assert text.endswith("Claire\n")
    for bad in ("None", "« »", " ,", " .", "\n\n\n", "{{", "{%"):
        assert bad not in text, (bad, text)


def test_lisezmoi_describes_every_name() -> None:
    readme = (BUILTIN / README_NAME).read_text("utf-8")
    documented = {line.split()[0] for line in readme.splitlines()
                  if line[:1].islower() and "  " in line}
    assert documented == set(NAMES)


def test_the_template_of_the_step_or_a_fallback_for_the_status(tmp_path: Path) -> None:
    prospect = Prospect("X", status=Status.PROSPECT, followups_done=1)

    def step(template: str | None) -> Step:
        return Step(STORY_DAY, "Email", 2, 4, None, template)

    assert choose_template(prospect, step("prospect-valeur"), EMAIL, None) == \
        "emails/prospect-valeur.txt"
    # A Tel step's template has no email version: the status's own email.
    assert choose_template(prospect, step("prospect-appel"), EMAIL, None) == \
        "emails/prospect-valeur.txt"
    assert choose_template(prospect.replace(followups_done=0), None, EMAIL,
                           None) == "emails/prospect-merci.txt"
    assert choose_template(prospect.replace(status=Status.WON), step("../../x"),
                           CALL, None) == "appels/satisfaction.txt"
    assert choose_template(prospect.replace(status=Status.LOST), step("../../x"),
                           CALL, None) == "appels/relance.txt"
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "mon-modele.txt").write_text("Objet : x\n\ny\n")
    assert choose_template(prospect, step("mon-modele"), EMAIL, tmp_path) == \
        "emails/mon-modele.txt"
    assert choose_template(prospect, step("mon-modele"), EMAIL, None) == \
        "emails/prospect-valeur.txt"


def test_an_unusable_address_is_left_out_and_a_bad_sender_refused() -> None:
    settings = Settings(sender_email="contact@lemaire.fr")
    rows = [Prospect(name, id=n, email=address, next_followup=STORY_DAY, action="Email")
            for n, (name, address) in enumerate([("Accent", "jérôme@exemple.fr"),
                                                 ("Domaine", "info@exemple.café")], start=1)]
    prepared = prepare(rows, [], settings, STORY_DAY, 7, None)
    assert [(s.prospect.name, s.reason) for s in prepared.skipped] == [
        ("Accent", "l'adresse « jérôme@exemple.fr » n'est pas utilisable dans un email : "
                   "corrigez la colonne Contact")]
    message = BytesParser(policy=policy.default).parsebytes(prepared.drafts[0].data)
    assert message["To"] == "info@exemple.xn--caf-dma"
    with pytest.raises(InvalidInput, match="« Email de l'expéditeur » « moi » n'est pas"):
        prepare(rows, [], Settings(sender_email="moi"), STORY_DAY, 7, None)


def test_a_line_of_tags_alone_leaves_no_line_but_text_keeps_its_line_break(
        tmp_path: Path) -> None:
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "t.txt").write_text(
        "{# commentaire #}\nObjet : x\n\n  {% if oui %}\nA{% if oui %}1{% endif %}\n"
        "{% endif %}{# fin #}\nB {% if non %}2{% endif %}\nC\n", encoding="utf-8")
    text = render(environment(tmp_path), "emails/t.txt", {"oui": True, "non": False},
                  tmp_path)
    assert text == "Objet : x\n\nA1\nB\nC\n"
