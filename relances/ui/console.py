"""The console, set up once before any command speaks: what its code page cannot show,
and whether it is a terminal (colours, rich) or a pipe (plain text, rich never loaded).

Windows writes redirected output (`relances semaine > semaine.txt`) in cp1252 or cp850,
which have no ≥, → or Σ (cp850 not even € or —): those become an ASCII equivalent rather
than a UnicodeEncodeError at the end of a command that did its work.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

_ASCII = {"≥": ">=", "≤": "<=", "→": "->", "←": "<-", "Σ": "somme", "█": "#", "—": "-",
          "–": "-", "…": "...", "€": "EUR", "’": "'", "‘": "'", "ʼ": "'", "•": "*", "★": "*",
          "«": '"', "»": '"', "œ": "oe", "Œ": "OE", "\u00a0": " ", "\u202f": " "}
"""What a character becomes on a console or in a file whose code page lacks it (Windows
writes cp1252 or cp850 when output is redirected)."""


def _plain(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: a known equivalent, else the letter without its accent,
    else "?". Output never ends in a UnicodeEncodeError."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for character in error.object[error.start:error.end]:
        replacement = _ASCII.get(character)
        if replacement is None:
            bare = unicodedata.normalize("NFKD", character).encode("ascii", "ignore")
            replacement = bare.decode() or "?"
        out.append(replacement)
    return "".join(out), error.end


def prepare_streams() -> None:
    """Standard output and error write what their code page can show, the rest in ASCII
    (≥ as >=, → as ->): a French text must never crash a Windows console or a redirect."""
    codecs.register_error("relances-ascii", _plain)
    for stream in (sys.stdout, sys.stderr):
        if not _utf8(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="relances-ascii")


def _utf8(stream: TextIO) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    return encoding in ("utf8", "utf8sig")


class Output:
    """Where ui writes: rich's Console on a terminal, the bare stream when piped.

    Piped output (a script, `> fichier`, another program) has no colour to show: text is
    written as is, one line per line, never wrapped at 80 columns, and rich, whose import
    alone takes longer than listing 1 000 prospects, is not loaded at all. Tables and
    panels are still drawn by rich, piped or not."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self._stderr else sys.stdout

    @cached_property
    def rich(self) -> Console:
        from rich.console import Console

        # Cell text is data: "[rappel]" or ":smile:" in a note must print as typed.
        return Console(stderr=self._stderr, highlight=False, markup=False, emoji=False)

    @property
    def is_terminal(self) -> bool:
        """rich's answer, asked only when the stream may be a terminal: it is not one
        when it is no tty and no FORCE_COLOR or TTY_COMPATIBLE=1 says to treat it as one."""
        isatty = getattr(self.stream, "isatty", None)
        if not (isatty is not None and isatty()) and not os.environ.get("FORCE_COLOR") \
                and os.environ.get("TTY_COMPATIBLE") != "1":
            return False
        return self.rich.is_terminal

    def print(self, *objects: Any, style: str | None = None, end: str = "\n",
              soft_wrap: bool = False) -> None:
        if self.is_terminal or not all(isinstance(o, str) for o in objects):
            self.rich.print(*objects, style=style, end=end, soft_wrap=soft_wrap)
        else:
            self.stream.write(" ".join(objects) + end)


console = Output()
errors = Output(stderr=True)


def error(message: str) -> None:
    errors.print(message, style="bold red")


def print_json(data: object) -> None:
    """Compact for programs, indented when a person reads it; dates in ISO. orjson,
    because on 50 000 prospects the json module's encoding costs as much as reading the
    workbook."""
    import orjson

    option = orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
    if sys.stdout.isatty():
        option |= orjson.OPT_INDENT_2
    encoded = orjson.dumps(data, option=option)
    stream = sys.stdout
    if _utf8(stream) and hasattr(stream, "buffer"):
        stream.flush()  # orjson's UTF-8 as it is: not decoded to be encoded again
        stream.buffer.write(encoded)
    else:
        stream.write(encoded.decode())
