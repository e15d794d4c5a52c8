"""What relances writes beside the workbook: the agenda (.ics), drafts and call scripts,
the Jinja environment, the PDFs, the CSV, HubSpot, Pipedrive and JSON tables.

Each builder is pure: plain values in, bytes out, no clock and no file; the services
write what they produce through workbook/files, atomically. May import core and text
only; heavy libraries (icalendar, jinja2, reportlab) are imported inside the functions
that need them.
"""
