"""What every renderer shares: the warning of unreadable cells, the colours of a row
(the workbook's own code), tables drawn fast, the progress bar."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

from relances.core.model import Notice, Problem, Prospect, Settings
from relances.text.show import format_amount, format_percent, format_weekday
from relances.ui.console import console, errors
from relances.ui.options import said

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relances.services.common import Moved


def warn_problems(problems: Sequence[Problem], limit: int = 5) -> None:
    """Commands carry on past cells they cannot read, but never silently: the prospect
    is kept with that one field empty, and the cell is left as it is."""
    notices = [p for p in problems if isinstance(p, Notice)]
    for notice in notices:
        errors.print(f"Note : {said(str(notice))}.", style="yellow")
    problems = [p for p in problems if not isinstance(p, Notice)]
    if not problems:
        return
    errors.print(f"Attention : {len(problems)} cellule(s) illisible(s), lue(s) comme vide(s) "
                 "et laissée(s) telle(s) quelle(s) (détail : relances verifier).",
                 style="yellow")
    for problem in problems[:limit]:
        errors.print(f"  {said(str(problem))}", style="yellow")
    if len(problems) > limit:
        errors.print(f"  … et {len(problems) - limit} autre(s).", style="yellow")


def row_style(p: Prospect, today: date, settings: Settings) -> str:
    """The same precedence as the workbook's conditional formats."""
    if not p.active:
        return "grey50"
    if p.alert:
        return "dark_orange"
    if p.is_stale(today, settings):
        return "red"
    return ""


def days_text(days: int | None) -> str:
    return "" if days is None else f"{days} j"


def moved(change: Moved | None) -> None:
    """A date typed for a day off, and where it went."""
    if change is not None:
        console.print(f"Prochaine relance : {format_weekday(change.typed)} → "
                      f"{format_weekday(change.planned)} (les relances tombent un jour "
                      "ouvré).")


T = TypeVar("T")


@dataclass(frozen=True)
class GridColumn(Generic[T]):
    """One column of a table drawn by `grid`: its header, its alignment, the widest it
    may grow, how to write its cells and, on a terminal only, a cell's own style (bold
    red for an overdue date…)."""

    header: str
    right: bool
    cap: int
    texts: Callable[[Sequence[T]], list[str]] | None
    """Every cell of the column at once: one comprehension, not a call per cell (None
    when the renderer gives `grid` the rows already written)."""
    style: Callable[[T], str] | None = None


def each(text: Callable[[T], str]) -> Callable[[Sequence[T]], list[str]]:
    """A column whose cells are written one by one, for the shorter tables."""
    return lambda items: list(map(text, items))


def ident_text(p: Prospect) -> str:
    return "" if p.id is None else str(p.id)


def amount_text(p: Prospect) -> str:
    return "" if p.amount is None else format_amount(p.amount)


def percent_text(p: Prospect) -> str:
    return "" if p.probability is None else format_percent(p.probability)


def grid(title: str, columns: Sequence[GridColumn[T]], items: Sequence[T],
         row_style: Callable[[T], str] | None = None,
         cells: Sequence[Sequence[str]] | None = None) -> None:
    """A table drawn by hand rather than with rich's Table, which measures every cell
    twice: 10 000 prospects print in a few hundredths of a second instead of ten. Cells
    are written column by column (or given as `cells`, one row an item, by a renderer
    that shows an item in several tables and writes it once), each line is then one
    str.format, and styles are worked out only for a terminal."""
    written = zip(*cells, strict=True) if cells is not None else (c.texts(items) for c in columns)
    texts = [_fitted([c.header, *column], c.cap)
             for c, column in zip(columns, written, strict=True)]
    widths = [max(map(len, column)) for column in texts]
    template = "  ".join(f"{{:{'>' if c.right else '<'}{width}}}"
                         for width, c in zip(widths, columns, strict=True))
    lines = [title, *(template.format(*values).rstrip()
                      for values in zip(*texts, strict=True))]
    plain = "\n".join(lines) + "\n"
    if not console.is_terminal:
        sys.stdout.write(plain)  # piped: no colour to compute
        return
    from rich.text import Span, Text

    spans = [Span(0, len(title), "bold")]
    offset = len(title) + 1
    for line, item in zip(lines[1:], (None, *items), strict=True):
        start, end = offset, offset + len(line)
        style = "" if item is None or row_style is None else row_style(item)
        if style:
            spans.append(Span(start, end, style))
        for width, c in zip(widths, columns, strict=True):
            cell = "bold" if item is None else c.style(item) if c.style else ""
            if cell:
                spans.append(Span(start, min(start + width, end), cell))
            start += width + 2
        offset = end + 1
    console.print(Text(plain, spans=spans, no_wrap=True, overflow="ellipsis"), end="")


def _fitted(column: list[str], cap: int) -> list[str]:
    """A column's texts, those longer than its widest allowed width cut with an ellipsis."""
    if max(map(len, column)) <= cap:
        return column
    return [text if len(text) <= cap else text[: cap - 1] + "…" for text in column]


def plural(count: int, word: str) -> str:
    """French counts: 0 and 1 are singular."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def listed_lines(title: str, lines: Sequence[str], limit: int) -> None:
    if not lines:
        return
    console.print(title, style="bold", soft_wrap=True)
    for line in lines[:limit]:
        console.print(f"  {line}", soft_wrap=True)
    if len(lines) > limit:
        console.print(f"  … et {len(lines) - limit} autre(s).")


@contextmanager
def progress(delay: float = 1.0) -> Iterator[Callable[[str, int, int | None], None]]:
    """A progress bar that appears only when the work lasts more than `delay` seconds, and
    only in a terminal (a pipe or a log gets the summary alone)."""
    if not errors.is_terminal:
        yield lambda what, done, total: None
        return
    import threading

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=errors.rich, transient=True)
    task = bar.add_task("", total=None)
    timer = threading.Timer(delay, bar.start)
    timer.daemon = True
    timer.start()

    def report(what: str, done: int, total: int | None) -> None:
        bar.update(task, description=what, completed=done, total=total)

    try:
        yield report
    finally:
        timer.cancel()
        timer.join()
        bar.stop()
