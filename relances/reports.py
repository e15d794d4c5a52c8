"""Printable documents made with reportlab: the monthly dashboard and the onboarding
checklist. Fonts come from reportlab's own Vera family, which carries accents and the
euro sign on every system; reportlab is imported inside the functions that draw."""

from __future__ import annotations

# --------------------------------------------------------------------------- dashboard (analyse)


# --------------------------------------------------------------------------- checklist (accueil)
