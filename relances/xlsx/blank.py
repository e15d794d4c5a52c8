"""A new worksheet, for the sheets relances adds (Journal, Tableau de bord): one that
prints well from the start."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from relances.xlsx.xml import DECLARATION, MAIN, REL


def blank_sheet(widths: Iterable[float], frozen_rows: int = 1, one_page: bool = False,
                footer: str = "&C&F - page &P / &N") -> bytes:
    """A new worksheet that prints well: landscape A4 one page wide (or on one page), the
    header row frozen, the file name and page number in the footer."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    pane = (f'<pane ySplit="{frozen_rows}" topLeftCell="A{frozen_rows + 1}" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
            f'activeCell="A{frozen_rows + 1}" sqref="A{frozen_rows + 1}"/>'
            if frozen_rows else "")
    height = 1 if one_page else 0
    return (DECLARATION + (
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetPr><pageSetUpPr fitToPage="1"/>'
        f'</sheetPr><sheetViews><sheetView workbookViewId="0">{pane}</sheetView>'
        f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        '<sheetData/><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" '
        'header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" '
        f'fitToWidth="1" fitToHeight="{height}"/><headerFooter><oddFooter>'
        f'{escape(footer)}</oddFooter></headerFooter></worksheet>').encode())
