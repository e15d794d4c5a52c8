"""Open workbooks with a real LibreOffice from the tests.

Usage in a test module (the fixture is re-exported by ``tests/conftest.py``)::

    @pytest.mark.libreoffice
    def test_x(libreoffice, tmp_path):
        [out] = libreoffice([tmp_path / "in" / "book.xlsx"], tmp_path / "out")

``convert`` batches several files into ONE ``soffice`` run (starting LibreOffice
costs about a second, each extra file only a fraction of that), with a fresh
user profile per call so that runs never share state and can run in parallel.

With ``recalc=True`` the profile is seeded so that LibreOffice recalculates
every formula on load (``OOXMLRecalcMode``/``ODFRecalcMode`` = 0, "always"):
without it LibreOffice keeps the cached values stored in the file and only
computes formulas that have no cached value at all.

Pitfalls seen with LibreOffice 7.4:

* converting to the SAME folder as the input (same name, same extension) fails
  while ``soffice`` still exits 0 and the untouched input stays in place; the
  filter name (``xlsx:"Calc MS Excel 2007 XML"``, what plain ``xlsx`` resolves
  to) does not help. ``convert`` therefore refuses an ``outdir`` that holds an
  input, and deletes stale outputs before the run so that a leftover file can
  never pass for a converted one;
* ``soffice`` exits 0 when a file cannot be loaded or stored: the outputs are
  checked one by one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

__all__ = ["RECALC_XCU", "convert", "libreoffice", "soffice_path"]

_FALLBACKS = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice")

# 0 = always recalculate, 1 = never, 2 = prompt (never, when headless).
RECALC_XCU = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    """Path of the LibreOffice executable, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _FALLBACKS:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _output_name(src: Path, fmt: str) -> str:
    # "xlsx:Calc MS Excel 2007 XML" -> extension "xlsx"
    return f"{src.stem}.{fmt.split(':', 1)[0]}"


def convert(
    files: Sequence[Path],
    outdir: Path,
    fmt: str = "xlsx",
    recalc: bool = True,
    timeout: float = 180,
) -> list[Path]:
    """Convert ``files`` with one ``soffice --headless --convert-to`` run.

    Returns the converted files (``outdir / <stem>.<ext>``) in input order.
    ``fmt`` is what ``--convert-to`` takes: ``xlsx``, ``ods``, ``pdf``, ``csv``
    or ``ext:Filter Name``. Raises AssertionError, with soffice's output, when
    LibreOffice is absent, times out or leaves an output missing.
    """
    exe = soffice_path()
    assert exe is not None, "LibreOffice (soffice) absent"
    sources = [Path(f).resolve() for f in files]
    assert sources, "convert() needs at least one file"
    for src in sources:
        assert src.is_file(), f"input file missing: {src}"
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    clash = [str(s) for s in sources if s.parent == outdir]
    assert not clash, (
        f"outdir must differ from the inputs' folder (soffice cannot overwrite "
        f"its input and still exits 0): {clash}"
    )
    outputs = [outdir / _output_name(src, fmt) for src in sources]
    assert len(set(outputs)) == len(outputs), f"two inputs share a stem: {sources}"
    for out in outputs:  # a stale file must not pass for a fresh conversion
        out.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="lo-profile-") as tmp:
        profile = Path(tmp, "profile")
        home = Path(tmp, "home")
        home.mkdir()
        if recalc:
            (profile / "user").mkdir(parents=True)
            (profile / "user" / "registrymodifications.xcu").write_text(
                RECALC_XCU, encoding="utf-8"
            )
        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        env = {**os.environ, "HOME": str(home), "TMPDIR": tmp}
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            start_new_session=True,  # soffice forks soffice.bin: kill the group
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            raise AssertionError(
                f"soffice timed out after {timeout}s\ncmd: {cmd}\n"
                f"stdout:\n{stdout}\nstderr:\n{stderr}"
            ) from None

    missing = [str(out) for out in outputs if not out.is_file()]
    assert not missing, (
        f"soffice (exit {proc.returncode}) did not produce {missing}\n"
        f"cmd: {cmd}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    )
    return outputs


@pytest.fixture
def libreoffice() -> Iterator[Callable[..., list[Path]]]:
    """The ``convert`` function; skips the test when LibreOffice is absent."""
    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) absent")
    yield convert
