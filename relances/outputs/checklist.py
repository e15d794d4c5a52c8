"""The onboarding checklist of `relances accueil`: its Markdown and its PDF.

The checklist is one Jinja template that renders Markdown (templates/accueil/, which a
copy in modeles/accueil/ beside the workbook overrides, like the drafts' templates); the
PDF is drawn from that Markdown, so both outputs always say the same thing. Tick boxes
are AcroForm check boxes that also draw their square on the page: they tick on screen
and print as empty squares even from viewers that ignore forms. reportlab is imported
inside the functions that draw.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from relances.core.model import Prospect, Status
from relances.core.onboarding import (
    TRADES,
    WELCOME_PACK_ABOVE,
    CheckItem,
    Checklist,
    Milestone,
    Onboarding,
    parse_checklist,
)
from relances.outputs.pdf import printable, register_fonts
from relances.outputs.templates import environment, render_template
from relances.text.parsing import fold
from relances.text.show import format_amount, format_date

CHECKLIST_TEMPLATE = "accueil/checklist.md.j2"


# --------------------------------------------------------------------------- Markdown


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_BREAKS = re.compile(r"[ \t\r\n\f\v\u2028\u2029\x85]+")


def _markdown_text(value: object) -> str:
    """A value from the workbook printed as itself: special characters escaped, line
    breaks folded, so a cell can never add a section, a box or emphasis."""
    if value is None:
        return ""
    if isinstance(value, bool | int):
        return str(value)
    text = _LINE_BREAKS.sub(" ", str(value)).strip()  # no-break spaces stay unbreakable
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def checklist_context(plan: Onboarding) -> dict[str, Any]:
    """The names a checklist template may use, in French like the email templates'.
    Every text is already escaped for Markdown, so the template prints it as is."""
    p = plan.prospect
    md = _markdown_text
    phone = (p.phone or "").replace(" ", "\u00a0")  # a number never breaks across lines
    return {
        "client": md(p.name), "numero": p.id or "", "interlocuteur": md(p.interlocutor),
        "contact": " · ".join(md(part) for part in (p.email, phone) if part),
        "email": md(p.email), "telephone": md(phone), "projet": md(p.project),
        "montant": format_amount(p.amount) if p.amount is not None else "",
        "responsable": md(p.owner), "source": md(p.source),
        "statut": (p.status or Status.PROSPECT).value,
        "gagne": plan.won, "signe_le": format_date(plan.won_on),
        "colonne_statut_depuis": plan.dated,
        "metier": plan.trade or "", "metier_libelle": TRADES.get(plan.trade or "", ""),
        "demarrage": format_date(plan.start),
        "preparation_du": format_date(plan.prepare[0]) if plan.prepare else "",
        "preparation_au": format_date(plan.prepare[1]) if plan.prepare else "",
        "suivi": [{"jour": m.day, "date": format_date(m.when), "action": md(m.action),
                   "texte": md(_milestone_text(m))} for m in plan.milestones],
        "pack_accueil": plan.welcome_pack, "seuil_pack": format_amount(WELCOME_PACK_ABOVE),
        "dossier": md(plan.folder),
    }


def _milestone_text(milestone: Milestone) -> str:
    """"vérifier la satisfaction du client (Email)": the step's advice from Règles."""
    advice = (milestone.advice or "").strip()
    if not advice:
        return f"relance ({milestone.action})"
    return f"{advice[0].lower()}{advice[1:]} ({milestone.action})"


def checklist_markdown(plan: Onboarding, templates: Path | None = None) -> str:
    """The checklist as Markdown task lists ("- [ ] …"), from accueil/checklist.md.j2 in
    the user's `templates` folder (modeles/ beside the workbook) when it is there, else
    the built-in one: the same sandboxed Jinja, with the same rules and the same error
    messages, as the drafts' templates; LISEZMOI.txt does not describe its names, so a
    message about an unknown one does not point there."""
    context = checklist_context(plan)
    text = render_template(environment(templates), CHECKLIST_TEMPLATE, context, templates,
                           list(context), guide=None)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


# --------------------------------------------------------------------------- Markdown -> PDF


def inline_markup(text: str) -> str:
    """Markdown emphasis and escapes to reportlab's paragraph markup, XML-safe."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(_xml(text[i + 1]))
            i += 2
            continue
        if text.startswith("**", i):
            _toggle(out, open_tags, "b")
            i += 2
            continue
        if char == "*":
            _toggle(out, open_tags, "i")
            i += 1
            continue
        out.append(_xml(char))
        i += 1
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out)


def _toggle(out: list[str], open_tags: list[str], tag: str) -> None:
    if tag in open_tags:
        while open_tags:
            closing = open_tags.pop()
            out.append(f"</{closing}>")
            if closing == tag:
                break
    else:
        open_tags.append(tag)
        out.append(f"<{tag}>")


def _xml(char: str) -> str:
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char) or printable(char)


# --------------------------------------------------------------------------- PDF

_MARGIN_MM = 18
_INK, _MUTED, _ACCENT = "#1F2933", "#5F6B7A", "#1F4E79"
_PALE, _LINE, _CALLOUT = "#EEF3F8", "#C5D0DC", "#FFF8E6"
_BOX_SIDE = 9.5
"""Side of a tick box, in points: big enough to tick with a pen."""
_NOTE_LINES = 6


def checklist_pdf(markdown: str, footer: str) -> bytes:
    """An A4 checklist with real tick boxes, "page 1 / 3" at the foot of each page.

    Byte-for-byte the same for the same input (reportlab's invariant mode), so a second
    run can tell an untouched file from one that was ticked on screen or changed."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    doc = parse_checklist(markdown)
    styles = _styles()
    width = A4[0] - 2 * _MARGIN_MM * mm - 12  # the frame's own padding: 6 points a side

    left, right = _MARGIN_MM * mm, A4[0] - _MARGIN_MM * mm

    def chrome(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(styles["rule"])
        canvas.setLineWidth(0.5)
        canvas.line(left, 14 * mm, right, 14 * mm)
        canvas.setFont("Vera", 7.5)
        canvas.setFillColor(styles["muted"])
        canvas.drawString(left, 10 * mm, printable(footer))
        # "page 2 / 3": the total is a form drawn once the last page is known (one pass)
        label = f"page {document.page} / "
        start = right - canvas.stringWidth("page 99 / 99", "Vera", 7.5)
        canvas.drawString(start, 10 * mm, label)
        canvas.translate(start + canvas.stringWidth(label, "Vera", 7.5), 10 * mm)
        canvas.doForm(_PAGES_FORM)
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=left, rightMargin=_MARGIN_MM * mm,
        topMargin=16 * mm, bottomMargin=20 * mm,
        title=_plain(doc.title) or "Liste d'accueil", author="relances",
        subject="Liste d'accueil d'un nouveau client", invariant=1, lang="fr-FR")
    pdf.build(_story(doc, styles, width), onFirstPage=chrome, onLaterPages=chrome,
              canvasmaker=_counting_canvas(styles["muted"]))
    return buffer.getvalue()


_PAGES_FORM = "nombre_de_pages"


def _counting_canvas(colour: Any) -> Any:
    """A canvas that, when saved, draws the page count into the form the footers use."""
    from reportlab.pdfgen.canvas import Canvas

    class CountingCanvas(Canvas):  # type: ignore[misc]
        def save(self) -> None:
            self.beginForm(_PAGES_FORM)
            self.setFont("Vera", 7.5)
            self.setFillColor(colour)
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
            super().save()

    return CountingCanvas


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    ink, muted, accent = (colors.HexColor(c) for c in (_INK, _MUTED, _ACCENT))

    def style(name: str, **changes: Any) -> ParagraphStyle:
        base = {"fontName": "Vera", "fontSize": 9.5, "leading": 12.5, "textColor": ink}
        return ParagraphStyle(name, **{**base, **changes})

    return {
        "ink": ink, "muted": muted, "accent": accent, "white": colors.white,
        "pale": colors.HexColor(_PALE), "rule": colors.HexColor(_LINE),
        "callout": colors.HexColor(_CALLOUT),
        "kicker": style("kicker", fontSize=9, leading=12, textColor=accent, fontName="VeraBd"),
        "title": style("title", fontSize=20, leading=24, fontName="VeraBd"),
        "fact": style("fact", fontSize=9, leading=12),
        "box": style("box", fontSize=9, leading=12),
        "head": style("head", fontSize=11, leading=14, fontName="VeraBd",
                      textColor=colors.white),
        "when": style("when", fontSize=9, leading=14, textColor=colors.white,
                      alignment=TA_RIGHT),
        "body": style("body"),
        "detail": style("detail", fontSize=8.5, leading=11, textColor=muted),
        "note": style("note", fontSize=8.5, leading=11, textColor=muted, fontName="VeraIt"),
        "notes": style("notes", fontSize=9.5, leading=12, textColor=muted, fontName="VeraBd"),
    }


def _story(doc: Checklist, styles: dict[str, Any], width: float) -> list[Any]:
    """The flowables, made afresh for each pass (reportlab consumes them)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table

    story: list[Any] = []
    if doc.title:
        label, _, name = doc.title.partition(" : ")
        if name:
            story.append(Paragraph(inline_markup(label).upper(), styles["kicker"]))
        story += [Paragraph(inline_markup(name or label), styles["title"]), Spacer(1, 4 * mm)]
    if doc.facts:
        cells = [Paragraph(inline_markup(f), styles["fact"]) for f in doc.facts]
        cells += [Paragraph("", styles["fact"])] * (len(cells) % 2)
        table = Table([cells[i:i + 2] for i in range(0, len(cells), 2)],
                      colWidths=[width / 2] * 2)
        table.setStyle([
            ("BACKGROUND", (0, 0), (-1, -1), styles["pale"]),
            ("BOX", (0, 0), (-1, -1), 0.6, styles["rule"]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -2), 2),
            ("TOPPADDING", (0, 0), (-1, 0), 7), ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
        ])
        story += [table, Spacer(1, 3 * mm)]
    for kind, text in doc.intro:
        if kind == "note":
            story += [Paragraph(inline_markup(text), styles["note"]), Spacer(1, 2 * mm)]
            continue
        callout = Table([[Paragraph(inline_markup(text), styles["box"])]], colWidths=[width])
        callout.setStyle([
            ("LINEBEFORE", (0, 0), (0, -1), 3, styles["accent"]),
            ("BACKGROUND", (0, 0), (-1, -1), styles["callout"]),
            ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ])
        story += [callout, Spacer(1, 3 * mm)]
    boxes = iter(range(1, 100_000))
    for number, section in enumerate(doc.sections, start=1):
        heading: list[Any] = []
        if section.title:
            band = Table([[Paragraph(f"{number}.&nbsp;&nbsp;{inline_markup(section.title)}",
                                     styles["head"]),
                           Paragraph(inline_markup(section.when), styles["when"])]],
                         colWidths=[width * 0.55, width * 0.45])
            band.setStyle([
                ("BACKGROUND", (0, 0), (-1, -1), styles["accent"]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ])
            heading += [band, Spacer(1, 2.5 * mm)]
        parts = [_tick_box(c, styles, f"case{next(boxes):03d}") if isinstance(c, CheckItem)
                 else Paragraph(inline_markup(c), styles["note"]) for c in section.content]
        # a heading never ends a page alone: it keeps its first two lines with it
        story += [CondPageBreak(30 * mm), KeepTogether(heading + parts[:2]), *parts[2:],
                  Spacer(1, 4 * mm)]
    lines = Table([[""]] * _NOTE_LINES, colWidths=[width], rowHeights=[7 * mm] * _NOTE_LINES)
    lines.setStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, styles["rule"])])
    story.append(KeepTogether([Paragraph("Notes", styles["notes"]), lines]))
    return story


def _tick_box(item: CheckItem, styles: dict[str, Any], name: str) -> Any:
    """A tick box and its text, the details hanging under the text without a box.

    The box is an AcroForm check box (ticked with a click in a PDF reader, saved with the
    file) that also draws its square on the page, so it prints even from a reader that
    ignores forms."""
    from reportlab.platypus import Flowable, Paragraph

    body, gap, indent = styles["body"], 7.0, 8.0

    class TickBox(Flowable):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.text = Paragraph(inline_markup(item.text), body)
            self.details = [Paragraph(f"–&nbsp;&nbsp;{inline_markup(d)}", styles["detail"])
                            for d in item.details]
            self.parts: list[tuple[Any, float, float]] = []

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            left = _BOX_SIDE + gap
            inner = available_width - left
            self.parts = [(self.text, left, self.text.wrap(inner, available_height)[1])]
            self.parts += [(d, left + indent, d.wrap(inner - indent, available_height)[1])
                           for d in self.details]
            self.width = available_width
            self.height = sum(height for _, _, height in self.parts) + 5
            return self.width, self.height

        def draw(self) -> None:
            top = self.height - 2
            self.canv.acroForm.checkbox(
                name=name, checked=item.checked, buttonStyle="check", size=_BOX_SIDE, x=0,
                y=top - body.leading + 1.2, relative=True, borderWidth=0.8,
                borderColor=styles["muted"], fillColor=styles["white"],
                textColor=styles["accent"], forceBorder=True, fieldFlags="",
                annotationFlags="print", tooltip=_plain(item.text)[:200])
            for paragraph, left, height in self.parts:
                top -= height
                paragraph.drawOn(self.canv, left, top)

    return TickBox()


def _plain(text: str) -> str:
    """The text of a Markdown line, for a tooltip or a PDF title."""
    return re.sub(r"\\(.)|\*+", lambda m: m[1] or "", text).strip()


# --------------------------------------------------------------------------- file name


def checklist_filename(prospect: Prospect, suffix: str = ".pdf") -> str:
    """accueil-boulangerie-petit.pdf: lower case ASCII, readable, safe everywhere."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(prospect.name)).strip("-")[:60].strip("-")
    if not slug:
        slug = f"client-{prospect.id}" if prospect.id is not None else "client"
    return f"accueil-{slug}{suffix}"
