"""The console, set up once before any command speaks: what its code page cannot show.

Windows writes redirected output (`relances semaine > semaine.txt`) in cp1252 or cp850,
which have no ≥, → or Σ (cp850 not even € or —): those become an ASCII equivalent rather
than a UnicodeEncodeError at the end of a command that did its work.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

_ASCII = {"≥": ">=", "≤": "<=", "→": "->", "←": "<-", "Σ": "somme", "█": "#", "—": "-",
          "–": "-", "…": "...", "€": "EUR", "’": "'", "‘": "'", "ʼ": "'", "•": "*",
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
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="relances-ascii")
