"""Floor for read commands: python-calamine reads the Suivi sheet, nothing else.

Prints the wall and CPU seconds spent inside this process (import + open +
to_python) and the row count; the harness adds the interpreter start
(`python -c pass`), measured apart.
"""

import sys
import time

start, start_cpu = time.perf_counter(), time.process_time()
from python_calamine import CalamineWorkbook  # noqa: E402

rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name("Suivi").to_python()
print(f"{time.perf_counter() - start:.6f} {time.process_time() - start_cpu:.6f} {len(rows)}")
