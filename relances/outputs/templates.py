"""The Jinja environment every template runs in, and the one translator of its errors.

The built-in templates ship in the wheel as the package relances.templates (templates/ at
the top of the repository: emails/, appels/, accueil/); a `modeles/` folder next to the
workbook overrides them file by file. Drafts, call scripts and the onboarding checklist
all run here, so they share the same rules: the templates are the user's own text, so
they run sandboxed, every name they use must exist (StrictUndefined), and any mistake
becomes one French sentence naming the file, the line and the culprit. jinja2 is imported
inside the functions that need it, so that no other command pays for it.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relances.core.errors import InvalidInput, option

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

BUILTIN = Path(str(files("relances.templates")))
"""The templates shipped in the wheel (package data of relances.templates)."""
USER_FOLDER = "modeles"
"""The folder next to the workbook whose files replace the built-in ones."""
README_NAME = "LISEZMOI.txt"
"""The built-in file that documents the names of the draft templates."""


# --------------------------------------------------------------------------- where


def user_templates(book: Path, chosen: str | None) -> Path | None:
    """The folder chosen (it must exist), else a modeles/ folder next to the workbook."""
    if chosen is not None:
        folder = Path(chosen).expanduser()
        if not folder.is_dir():
            raise InvalidInput(
                f"le dossier « {chosen} » n'existe pas : créez-le avec relances modeles "
                f"{option('templates')} \"{chosen}\", puis modifiez ses fichiers.",
                about="templates")
        return folder
    folder = book.parent / USER_FOLDER
    return folder if folder.is_dir() else None


def templates_folder(book: Path, chosen: str | None) -> Path:
    """Where `relances modeles` copies the built-in templates."""
    return Path(chosen).expanduser() if chosen is not None else book.parent / USER_FOLDER


def builtin_templates() -> list[str]:
    """Every built-in file `relances modeles` copies, as a relative path with forward
    slashes: emails/x.txt…"""
    return sorted(path.relative_to(BUILTIN).as_posix() for path in BUILTIN.rglob("*.txt"))


def builtin_bytes(name: str) -> bytes:
    """The content of one built-in file, as builtin_templates() names it."""
    return (BUILTIN / name).read_bytes()


def roots(templates: Path | None) -> list[Path]:
    """Where templates are looked for, the user's folder first."""
    return [templates, BUILTIN] if templates is not None else [BUILTIN]


def located(name: str, templates: Path | None) -> Path:
    """The file a template name stands for: the user's copy, else the built-in one."""
    for root in roots(templates):
        if (root / name).is_file():
            return root / name
    return BUILTIN / name


def shown(path: Path | str | None) -> str:
    """The user's own file as they would type it (relative to the current folder when it
    is inside); a built-in one says so."""
    if path is None:
        return "?"
    path = Path(path)
    try:
        inside_builtin = path.resolve().is_relative_to(BUILTIN.resolve())
    except OSError:
        inside_builtin = False
    if inside_builtin:
        return f"intégré {path.resolve().relative_to(BUILTIN.resolve()).as_posix()}"
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


# --------------------------------------------------------------------------- rendering


def environment(templates: Path | None) -> SandboxedEnvironment:
    """The user's folder first, then the built-ins: an override is file by file."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.ext import Extension
    from jinja2.sandbox import SandboxedEnvironment

    class StandaloneTags(Extension):
        """A line holding nothing but {% … %} or {# … #} tags leaves no line behind.

        Jinja's trim_blocks would also eat the line break after an `{% endif %}` that
        ends a line of text, a trap for anyone editing a template. Here the line break
        of a tag-only line moves inside a comment instead: it vanishes from the output
        while the lexer still counts it, so error messages keep the file's line numbers.
        """

        def preprocess(self, source: str, name: str | None,
                       filename: str | None = None) -> str:
            return _STANDALONE.sub(r"\1{#\n#}", source)

    # utf-8-sig: Windows Notepad may save a byte-order mark at the top of the file.
    loader = FileSystemLoader([str(root) for root in roots(templates)], encoding="utf-8-sig")
    return SandboxedEnvironment(loader=loader, undefined=StrictUndefined, autoescape=False,
                                keep_trailing_newline=True, extensions=[StandaloneTags])


_TAG = r"(?:\{%(?:(?!%\}).)*%\}|\{#(?:(?!#\}).)*#\})"
_STANDALONE = re.compile(rf"^[ \t]*({_TAG}(?:[ \t]*{_TAG})*)[ \t]*\r?\n", re.MULTILINE)


def render_template(env: SandboxedEnvironment, name: str, context: dict[str, Any],
                    templates: Path | None, names: Iterable[str],
                    guide: str | None = README_NAME) -> str:
    """The text of one template; a mistake in it is an InvalidInput (template_error)."""
    try:
        return env.get_template(name).render(context)
    except Exception as error:  # a user's template may fail in any way: say where
        raise template_error(error, name, templates, names, guide) from None


# --------------------------------------------------------------------------- errors


def template_error(error: BaseException, name: str, templates: Path | None,
                   names: Iterable[str], guide: str | None = README_NAME) -> InvalidInput:
    """One French sentence: which file, which line, what is wrong, how to fix it.

    `names` are those the template may use; `guide` the file that documents them, which
    the message points to (None when there is no such file, as for the checklist)."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    filename, lineno = _failing_line(error, located(name, templates), roots(templates))
    where = f"Le modèle {shown(filename)}" + (f", ligne {lineno}," if lineno else "")
    see = f" (voir {guide})" if guide else ""
    detail = str(getattr(error, "message", None) or error)
    if isinstance(error, UnicodeDecodeError):
        return InvalidInput(f"{where} n'est pas enregistré en UTF-8 : ouvrez-le dans un "
                            "éditeur de texte et enregistrez-le avec l'encodage UTF-8.")
    if isinstance(error, SecurityError):
        culprit = re.search(r"attribute '([^']+)'", detail)
        used = f"« {culprit[1]} »" if culprit else "un nom interdit"
        return InvalidInput(f"{where} utilise {used}, interdit dans un modèle : retirez-le.")
    if isinstance(error, UndefinedError):
        unknown = re.search(r"'([^']+)' is undefined", detail)
        if unknown or not (attribute := re.search(r"has no attribute '([^']+)'", detail)):
            used = f"« {unknown[1]} »" if unknown else "un nom"
            return InvalidInput(f"{where} utilise {used}, qui n'existe pas : les noms "
                                f"possibles sont {', '.join(names)}{see}.")
        return InvalidInput(f"{where} utilise « .{attribute[1]} », qui n'existe pas : les "
                            "valeurs des modèles sont du texte, des nombres ou des listes, "
                            f"sans attributs{see}.")
    if isinstance(error, TemplateSyntaxError):
        unknown = re.search(r"No (filter|test) named '([^']+)'", detail)
        if unknown:
            kind = "le filtre" if unknown[1] == "filter" else "le test"
            return InvalidInput(f"{where} utilise {kind} « {unknown[2]} », qui n'existe pas : "
                                "corrigez son nom ou retirez-le.")
        return InvalidInput(f"{where} est mal écrit ({_syntax_in_french(detail)}) : vérifiez "
                            "que chaque {{ a son }}, chaque {% if %} son {% endif %} et "
                            "chaque {% for %} son {% endfor %}.")
    return InvalidInput(f"{where} n'a pas pu être appliqué ({type(error).__name__} : "
                        f"{detail}) : corrigez cette ligne.")


def _failing_line(error: BaseException, fallback: Path,
                  folders: list[Path]) -> tuple[str | Path, int | None]:
    """Jinja rewrites tracebacks so a template's frames carry its file and line: the
    deepest such frame is where the template went wrong (an included one, perhaps)."""
    lineno = getattr(error, "lineno", None)
    filename = getattr(error, "filename", None)
    if lineno is not None:
        return filename or fallback, lineno
    found: tuple[str | Path, int | None] = (fallback, None)
    for frame in traceback.extract_tb(error.__traceback__):
        if _is_template(frame.filename, folders):
            found = (frame.filename, frame.lineno)
    return found


def _is_template(filename: str, folders: list[Path]) -> bool:
    if not os.path.isfile(filename):
        return False
    path = Path(filename).resolve()
    return any(path.is_relative_to(folder.resolve()) for folder in folders)


def _syntax_in_french(detail: str) -> str:
    if "unexpected end of template" in detail.lower():
        block = re.search(r"needs to be closed is '(\w+)'", detail)
        return (f"le modèle se termine alors qu'un {{% {block[1]} %}} n'est pas fermé"
                if block else "le modèle se termine avant la fin d'un bloc")
    if "unexpected '}'" in detail:
        return "accolade « } » en trop"
    match = re.search(r"Encountered unknown tag '([^']+)'", detail)
    if match:
        return f"balise « {match[1]} » inconnue ou mal placée"
    return f"Jinja : « {detail} »"
