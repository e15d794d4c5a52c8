"""What relances writes beside the workbook: the agenda (.ics), drafts and call scripts,
the Jinja environment with its one error translator, the PDFs (dashboard, checklist),
the CSV, HubSpot, Pipedrive and JSON tables.

Each module turns values into bytes; the services write them, through workbook/files.
May import core and text, nothing else of relances."""
