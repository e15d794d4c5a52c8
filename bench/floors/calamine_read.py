"""Floor for read commands: python-calamine reads the sheets a command needs, nothing else.

    python calamine_read.py FILE [SHEET ...]     (default: Suivi)

Prints the wall and CPU seconds spent inside this process (import + open +
to_python of each sheet) and the row count; the harness adds the interpreter start
(`python -c pass`), measured apart.
"""

import sys
import time

start, start_cpu = time.perf_counter(), time.process_time()
from python_calamine import CalamineWorkbook  # noqa: E402

book = CalamineWorkbook.from_path(sys.argv[1])
rows = sum(len(book.get_sheet_by_name(name).to_python()) for name in sys.argv[2:] or ["Suivi"])
print(f"{time.perf_counter() - start:.6f} {time.process_time() - start_cpu:.6f} {rows}")
