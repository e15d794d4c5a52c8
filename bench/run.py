#!/usr/bin/env python3
"""Benchmark relances against the floors it cannot beat, on trackers of realistic size.

    python bench/run.py [--rows 1000 10000 50000] [--repeat 5] [--fresh]

Every figure is the median wall-clock time of --repeat whole-process runs (a fresh
process each time, after --warmup untimed rounds), with RELANCES_AUJOURDHUI fixed.
Commands and floors are run in interleaved rounds, so a burst of load from
another program slows them alike. Peak memory is the child's own max RSS (wait4).

Setup, reused between runs (--fresh rebuilds everything):
- bench/.venv-tool: relances installed from the working tree, or from a commit
  with --ref (non-editable, from a copy, so nothing is built inside the checkout),
  reinstalled whenever relances/, pyproject.toml or the ref changes. numpy must not
  be importable there: openpyxl imports it whenever it is present, which would slow
  every command.
- bench/.venv-pandas: pandas + openpyxl + python-calamine, for the pandas line only.
- bench/trackers/suivi-N.xlsx: `relances init`, then N prospects written by the
  tool's own writer (bench/generate.py).

To benchmark a new command, add a line to COMMANDS (and a floor to FLOORS if
none of the existing ones fits). Unix only (wait4, /dev/null).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
FLOOR_SCRIPTS = BENCH / "floors"
TRACKERS = BENCH / "trackers"
WORK = TRACKERS / ".work"
TOOL_VENV = BENCH / ".venv-tool"
PANDAS_VENV = BENCH / ".venv-pandas"
TODAY = "16/03/2026"
"""RELANCES_AUJOURDHUI for every run (a Monday), and the generator's today."""
SEED = "1"
MEMORY_LIMIT_MB = 1024.0
WRITE_MEMORY_MB = 300.0
"""A write parses one sheet, never the workbook: 300 MB at most, even at 50 000 rows."""
PANDAS_PACKAGES = ("pandas", "openpyxl", "python-calamine")
SOURCE_IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "bench", "tests", "build", "dist", "*.egg-info", "__pycache__",
    ".hypothesis", ".ruff_cache", ".pytest_cache", ".ci", "*.xlsx")


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_script(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


TOOL_PY = venv_python(TOOL_VENV)
PANDAS_PY = venv_python(PANDAS_VENV)
RELANCES = venv_script(TOOL_VENV, "relances")


# --------------------------------------------------------------------------- what is measured


@dataclass(frozen=True)
class Probe:
    """One process to time. argv placeholders: {file} the tracker, {copy} a fresh copy
    of it made before each run (not timed), {out} a scratch path, {middle} the name of
    the prospect on the middle row, {python}/{pandas_python} the venvs' interpreters."""

    label: str
    argv: tuple[str, ...]
    inner_time: bool = False
    """The process prints the wall and CPU seconds it spent inside itself (its first two
    words): the floor then uses them (`name.inner`), without the interpreter start."""
    pandas: bool = False


@dataclass(frozen=True)
class Floor:
    """What a command cannot go below: a sum of probe medians (the inner time of a
    probe that reports one is used instead of its wall time, for `name.inner`)."""

    label: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Command:
    """A relances command, the floor it is compared with and the allowed factor (None:
    compared with the floor for information, memory checked, no time target)."""

    label: str
    args: tuple[str, ...]
    floor: str
    factor: float | None
    memory_mb: float = MEMORY_LIMIT_MB
    from_rows: int = 0
    """The time target holds from this size on (below, the start of Python and of the
    libraries is most of the time, and the ratio is for reference)."""


PROBES: dict[str, Probe] = {
    "python": Probe("python -c pass (interpreter start)", ("{python}", "-c", "pass")),
    "typer": Probe("minimal Typer app --help, relances' settings (plain help)",
                   ("{python}", str(FLOOR_SCRIPTS / "typer_min.py"), "--plain", "--help")),
    "typer-default": Probe("minimal Typer app --help, Typer defaults (rich help)",
                           ("{python}", str(FLOOR_SCRIPTS / "typer_min.py"), "--help")),
    "typer-calamine": Probe("minimal Typer app whose command reads Suivi with calamine",
                            ("{python}", str(FLOOR_SCRIPTS / "typer_calamine.py"), "{file}")),
    "typer-calamine-journal": Probe(
        "minimal Typer app whose command reads Suivi and Journal with calamine",
        ("{python}", str(FLOOR_SCRIPTS / "typer_calamine.py"), "{file}", "Suivi", "Journal")),
    "liste": Probe("relances liste (plain), the reference of liste --json",
                   ("{python}", "-m", "relances", "liste", "-f", "{file}")),
    "calamine": Probe("python-calamine read of Suivi (to_python), whole process",
                      ("{python}", str(FLOOR_SCRIPTS / "calamine_read.py"), "{file}"),
                      inner_time=True),
    "calamine-journal": Probe("python-calamine read of Suivi and Journal, whole process",
                              ("{python}", str(FLOOR_SCRIPTS / "calamine_read.py"), "{file}",
                               "Suivi", "Journal"), inner_time=True),
    "openpyxl": Probe("openpyxl load_workbook + save",
                      ("{python}", str(FLOOR_SCRIPTS / "openpyxl_load_save.py"), "{file}",
                       "{out}")),
    "pandas-calamine": Probe("pandas.read_excel(engine='calamine') [pandas venv]",
                             ("{pandas_python}", str(FLOOR_SCRIPTS / "pandas_read.py"),
                              "{file}", "calamine"), pandas=True),
    "pandas-openpyxl": Probe("pandas.read_excel(engine='openpyxl') [pandas venv]",
                             ("{pandas_python}", str(FLOOR_SCRIPTS / "pandas_read.py"),
                              "{file}", "openpyxl"), pandas=True),
}

FLOORS: dict[str, Floor] = {
    "help": Floor("minimal Typer --help", ("typer",)),
    "read": Floor("Typer app reading Suivi with calamine", ("typer-calamine",)),
    "read-journal": Floor("Typer app reading Suivi and Journal with calamine",
                          ("typer-calamine-journal",)),
    "liste": Floor("plain relances liste", ("liste",)),
    "write": Floor("openpyxl load + save", ("openpyxl",)),
}

COMMANDS: tuple[Command, ...] = (
    Command("relances --help", ("--help",), "help", 1.3),
    Command("relances liste", ("liste", "-f", "{file}"), "read", 2.0),
    # Programs read every --json: the same prospects as liste, in JSON, costs little more.
    Command("relances liste --json", ("liste", "-f", "{file}", "--json"), "liste", 1.2),
    # voir shows the prospect's history, which is the Journal sheet: reading it is part
    # of the work voir cannot avoid.
    Command("relances voir", ("voir", "-f", "{file}", "{middle}"), "read-journal", 2.0),
    # A write that changes a few cells parses one sheet, not the workbook.
    Command("relances ajouter", ("ajouter", "-f", "{copy}", "Bench SARL", "--montant", "1000"),
            "write", 0.3, WRITE_MEMORY_MB, 10_000),
    Command("relances semaine", ("semaine", "-f", "{file}"), "read", 2.0),
    Command("relances maj", ("maj", "-f", "{copy}", "{middle}", "--canal", "Tel", "--resume",
                             "Rappel du banc d'essai", "--issue", "interesse"), "write", 0.3,
            WRITE_MEMORY_MB, 10_000),
    Command("relances planifier", ("planifier", "-f", "{copy}"), "write", 0.6, WRITE_MEMORY_MB,
            10_000),
    # emails and agenda read like liste but then render templates and write files (one
    # per draft, an .ics): the read floor says what their reading costs, not their target.
    Command("relances emails", ("emails", "-f", "{file}", "--sortie", "{out}", "--remplacer"),
            "read", None),
    Command("relances agenda", ("agenda", "-f", "{file}", "--sortie", "{out}.ics"), "read",
            None),
    Command("relances analyse", ("analyse", "-f", "{copy}"), "write", 0.6, WRITE_MEMORY_MB,
            10_000),
    Command("relances importer", ("importer", "-f", "{copy}", "{file}"), "write", 0.6,
            WRITE_MEMORY_MB, 10_000),
    # A command missing from the installed version is reported as ERROR and the others
    # are still measured.
)


# --------------------------------------------------------------------------- running processes


@dataclass
class Sample:
    wall: float
    cpu: float
    """user + system CPU seconds of the process: less sensitive to other programs' load."""
    peak_mb: float
    inner: float | None = None
    inner_cpu: float | None = None


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None
    """Why the process failed (then it is not run again): a command not there yet."""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def spread(self) -> tuple[float, float]:
        walls = [s.wall for s in self.samples]
        return min(walls), max(walls)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def inner(self) -> float:
        values = [s.inner for s in self.samples if s.inner is not None]
        return statistics.median(values) if values else float("nan")

    @property
    def inner_cpu(self) -> float:
        values = [s.inner_cpu for s in self.samples if s.inner_cpu is not None]
        return statistics.median(values) if values else float("nan")

    @property
    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)


class ProcessFailed(RuntimeError):
    pass


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("RELANCES_FICHIER", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV",
                        "PYTHONDONTWRITEBYTECODE")}
    env.update(RELANCES_AUJOURDHUI=TODAY, COLUMNS="120", LINES="40", PYTHONIOENCODING="utf-8")
    return env


def run_once(argv: list[str], env: dict[str, str], capture: bool = False) -> Sample:
    """Time one whole process; its own peak RSS comes from wait4, not from the harness."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                   stdout=out if capture else subprocess.DEVNULL,
                                   stderr=err, env=env, cwd=WORK)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise ProcessFailed(f"{' '.join(argv)}\n  exit {process.returncode}: "
                                f"{err.read().decode(errors='replace')[-2000:]}")
        out.seek(0)
        printed = out.read().decode(errors="replace")
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    words = printed.split() if capture else []
    inner, inner_cpu = (float(words[0]), float(words[1])) if len(words) >= 2 else (None, None)
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak, inner, inner_cpu)


@dataclass
class Job:
    key: str
    argv: list[str]
    copy_from: Path | None = None
    inner_time: bool = False


def expand(template: tuple[str, ...], values: dict[str, str]) -> list[str]:
    return [part.format(**values) for part in template]


def run_rounds(jobs: list[Job], repeat: int, warmup: int,
               env: dict[str, str]) -> dict[str, Series]:
    """`warmup` untimed rounds, then `repeat` timed rounds; each round runs every job once,
    so a burst of load from another program slows commands and floors alike."""
    results = {job.key: Series() for job in jobs}
    for round_number in range(1 - warmup, repeat + 1):
        for job in jobs:
            if results[job.key].error:
                continue
            scratch = Path(tempfile.mkdtemp(prefix="run-", dir=WORK))
            try:
                argv = [a.replace("{copy}", str(scratch / "suivi.xlsx"))
                        .replace("{out}", str(scratch / "out.xlsx")) for a in job.argv]
                if job.copy_from is not None:
                    shutil.copyfile(job.copy_from, scratch / "suivi.xlsx")
                sample = run_once(argv, env, capture=job.inner_time)
            except ProcessFailed as failure:
                results[job.key].error = str(failure)
                print(f"ÉCHEC : {failure}", file=sys.stderr, flush=True)
                continue
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            if round_number > 0:
                results[job.key].samples.append(sample)
        print(f"    round {round_number if round_number > 0 else 'warm-up'} done "
              f"(load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
    return results


# --------------------------------------------------------------------------- setup


def sh(argv: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in argv], text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"échec : {' '.join(map(str, argv))}\n{result.stdout[-3000:]}"
                 f"{result.stderr[-3000:]}")
    return result


def source_fingerprint(ref: str | None = None) -> str:
    """What is installed: a commit, or a digest of the working tree's package files."""
    if ref:
        return "git-" + sh(["git", "-C", REPO, "rev-parse", f"{ref}^{{commit}}"]).stdout.strip()
    digest = hashlib.sha256()
    files = [REPO / "pyproject.toml", *sorted((REPO / "relances").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return "tree-" + digest.hexdigest()[:16]


def export_source(ref: str | None, target: Path) -> None:
    """A copy to build from: pip never writes build/ or *.egg-info into the checkout."""
    if not ref:
        shutil.copytree(REPO, target, ignore=SOURCE_IGNORE)
        return
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def ensure_tool_venv(fresh: bool, ref: str | None, extras: list[str]) -> None:
    """relances and its dependencies, from a copy of the sources, without numpy."""
    marker = TOOL_VENV / ".relances-fingerprint"
    if fresh and TOOL_VENV.exists():
        shutil.rmtree(TOOL_VENV)
    if not TOOL_PY.exists():
        print(f"création de {TOOL_VENV.relative_to(REPO)}…", file=sys.stderr, flush=True)
        sh([sys.executable, "-m", "venv", TOOL_VENV])
        sh([TOOL_PY, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    fingerprint = source_fingerprint(ref) + "".join(f" +{extra}" for extra in extras)
    if not marker.exists() or marker.read_text() != fingerprint:
        print(f"installation de relances ({ref or 'arbre de travail'}, non éditable)…",
              file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "relances-src"
            export_source(ref, source)
            sh([TOOL_PY, "-m", "pip", "uninstall", "-q", "-y", "relances"])
            sh([TOOL_PY, "-m", "pip", "install", "-q", source, *extras])
        marker.write_text(fingerprint)
    forbidden = sh([TOOL_PY, "-c", "import importlib.util as u; print(' '.join(n for n in "
                    "('numpy', 'pandas') if u.find_spec(n)))"]).stdout.split()
    if forbidden:
        sys.exit(f"REFUS : {', '.join(forbidden)} importable dans {TOOL_VENV} : openpyxl "
                 "importe numpy dès qu'il est présent, les mesures seraient faussées. "
                 "Relancez avec --fresh.")


def ensure_pandas_venv(fresh: bool) -> None:
    if fresh and PANDAS_VENV.exists():
        shutil.rmtree(PANDAS_VENV)
    marker = PANDAS_VENV / ".ready"
    if marker.exists():
        return
    print(f"création de {PANDAS_VENV.relative_to(REPO)}…", file=sys.stderr, flush=True)
    sh([sys.executable, "-m", "venv", PANDAS_VENV])
    sh([PANDAS_PY, "-m", "pip", "install", "-q", "--upgrade", "pip", *PANDAS_PACKAGES])
    marker.write_text("ok")


@dataclass
class Tracker:
    path: Path
    rows: int
    middle_name: str
    info: dict


def ensure_tracker(rows: int, fresh: bool) -> Tracker:
    """relances init, then the prospects; cached with a JSON sidecar until --fresh."""
    path = TRACKERS / f"suivi-{rows}.xlsx"
    sidecar = path.with_suffix(".json")
    if fresh or not path.exists() or not sidecar.exists():
        print(f"génération de {path.relative_to(REPO)} ({rows} lignes)…", file=sys.stderr,
              flush=True)
        staging = Path(tempfile.mkdtemp(prefix=".gen-", dir=TRACKERS))
        try:
            target = staging / path.name
            sh([RELANCES, "init", "-f", target], env=child_env())
            output = sh([TOOL_PY, BENCH / "generate.py", target, str(rows), TODAY, SEED],
                        env=child_env()).stdout
            info = json.loads(output.strip().splitlines()[-1])
            info["installed"] = (TOOL_VENV / ".relances-fingerprint").read_text()
            os.replace(target, path)
            sidecar.write_text(json.dumps(info, ensure_ascii=False, indent=1))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    info = json.loads(sidecar.read_text())
    return Tracker(path, rows, info["middle_name"], info)


# --------------------------------------------------------------------------- one table


@dataclass
class Line:
    label: str
    median: float
    cpu: float
    spread: tuple[float, float]
    floor: float | None
    floor_cpu: float | None
    floor_label: str
    factor: float | None
    peak_mb: float
    time_ok: bool | None = None
    memory_ok: bool | None = None
    error: str | None = None
    memory_mb: float = MEMORY_LIMIT_MB


def measure(tracker: Tracker, repeat: int, warmup: int,
            pandas: bool) -> tuple[list[Line], dict]:
    values = {"file": str(tracker.path), "middle": tracker.middle_name,
              "python": str(TOOL_PY), "pandas_python": str(PANDAS_PY),
              "copy": "{copy}", "out": "{out}"}
    jobs: list[Job] = []
    for key, probe in PROBES.items():
        if probe.pandas and not pandas:
            continue
        jobs.append(Job(key, expand(probe.argv, values), inner_time=probe.inner_time))
    for command in COMMANDS:
        argv = [str(RELANCES), *expand(command.args, values)]
        copy_from = tracker.path if "{copy}" in command.args else None
        jobs.append(Job(command.label, argv, copy_from=copy_from))
    load_before = os.getloadavg()
    started = time.perf_counter()
    series = run_rounds(jobs, repeat, warmup, child_env())
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()

    def part(name: str, cpu: bool = False) -> float:
        key, _, which = name.partition(".")
        if which == "inner":
            return series[key].inner_cpu if cpu else series[key].inner
        return series[key].cpu if cpu else series[key].wall

    lines = []
    for command in COMMANDS:
        floor = FLOORS[command.floor]
        broken = [k for k in (command.label, *(p.partition(".")[0] for p in floor.parts))
                  if series[k].error or not series[k].samples]
        if broken:
            lines.append(Line(command.label, math.nan, math.nan, (math.nan, math.nan), None,
                              None, floor.label, command.factor, math.nan,
                              memory_mb=command.memory_mb,
                              error="ERROR: " + ", ".join(broken) + " failed"))
            continue
        floor_value = sum(part(p) for p in floor.parts)
        floor_cpu = sum(part(p, cpu=True) for p in floor.parts)
        result = series[command.label]
        lines.append(Line(command.label, result.wall, result.cpu, result.spread, floor_value,
                          floor_cpu, floor.label, command.factor, result.peak_mb,
                          None if command.factor is None or tracker.rows < command.from_rows
                          else result.wall <= command.factor * floor_value,
                          result.peak_mb < command.memory_mb, memory_mb=command.memory_mb))
    for key, probe in PROBES.items():
        if key in series and series[key].samples:
            result = series[key]
            lines.append(Line(probe.label, result.wall, result.cpu, result.spread, None, None,
                              "", None, result.peak_mb))
    meta = {"load_before": load_before, "load_after": load_after, "seconds": elapsed,
            "calamine_inner": series["calamine"].inner,
            "samples": {k: [vars(s) for s in v.samples] for k, v in series.items()},
            "errors": {k: v.error for k, v in series.items() if v.error}}
    return lines, meta


def verdict(line: Line) -> str:
    if line.error:
        return line.error
    if line.memory_ok is None:
        return "reference"
    failed = [what for what, ok in (("time", line.time_ok), ("memory", line.memory_ok))
              if ok is False]
    if failed:
        return "FAIL (" + ", ".join(failed) + ")"
    return "PASS" if line.time_ok else "PASS (memory; time for reference)"


def table(lines: list[Line]) -> str:
    out = ["| command | median s | min–max s | floor s | ratio | target | peak MB | result "
           "| cpu s (floor) | cpu ratio |",
           "|---|---:|---:|---|---:|---|---:|---|---:|---:|"]
    for line in lines:
        spread = f"{line.spread[0]:.3f}–{line.spread[1]:.3f}"
        if line.error:
            out.append(f"| {line.label} | | | | | {_target(line.factor, line.memory_mb)} | "
                       f"| {line.error} | | |")
            continue
        if line.floor is None or line.floor_cpu is None:
            out.append(f"| {line.label} | {line.median:.3f} | {spread} | | | | "
                       f"{line.peak_mb:.0f} | {verdict(line)} | {line.cpu:.3f} | |")
            continue
        out.append(
            f"| {line.label} | {line.median:.3f} | {spread} | {line.floor:.3f} "
            f"({line.floor_label}) | "
            f"{line.median / line.floor:.2f} | {_target(line.factor, line.memory_mb)} | "
            f"{line.peak_mb:.0f} | {verdict(line)} | "
            f"{line.cpu:.3f} ({line.floor_cpu:.3f}) | {line.cpu / line.floor_cpu:.2f} |")
    return "\n".join(out)


def _target(factor: float | None, memory_mb: float) -> str:
    time = "" if factor is None else f"≤ {factor:g} × floor, "
    return f"{time}< {memory_mb:.0f} MB"


def versions() -> str:
    names = ("relances", "typer", "click", "rich", "openpyxl", "python-calamine")
    code = ("import importlib.metadata as m, sys\n"
            "def v(n):\n"
            "    try: return f'{n} {m.version(n)}'\n"
            "    except m.PackageNotFoundError: return f'{n} absent'\n"
            "print(', '.join(v(n) for n in sys.argv[1:]))")
    return sh([TOOL_PY, "-c", code, *names]).stdout.strip()


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000, 50000],
                        help="tracker sizes (default: 1000 10000 50000)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed runs per command, median kept (default: 5)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed rounds before the timed ones (default: 1)")
    parser.add_argument("--fresh", action="store_true",
                        help="rebuild both venvs and regenerate the trackers")
    parser.add_argument("--regenerate", action="store_true",
                        help="regenerate the trackers only (after a change to generate.py)")
    parser.add_argument("--ref", metavar="GIT_REF",
                        help="install relances from this commit (git archive) instead of "
                             "the working tree, e.g. --ref HEAD")
    parser.add_argument("--with", dest="extras", metavar="PACKAGE", action="append",
                        default=[], help="also install PACKAGE in the tool venv (a dependency "
                        "missing from pyproject.toml); said in the report")
    parser.add_argument("--no-pandas", action="store_true",
                        help="skip the pandas reference lines (and the pandas venv)")
    parser.add_argument("--markdown", type=Path,
                        help="also write the report there (always written to "
                             "bench/trackers/last-results.md)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.repeat < 1:
        sys.exit("--repeat doit valoir au moins 1")
    TRACKERS.mkdir(exist_ok=True)
    WORK.mkdir(exist_ok=True)
    for leftover in [*TRACKERS.glob(".gen-*"), *WORK.glob("run-*")]:
        shutil.rmtree(leftover, ignore_errors=True)  # from an interrupted run
    ensure_tool_venv(args.fresh, args.ref, args.extras)
    if not args.no_pandas:
        ensure_pandas_venv(args.fresh)
    trackers = [ensure_tracker(rows, args.fresh or args.regenerate) for rows in args.rows]
    report = [
        "## relances benchmark",
        "",
        f"- {time.strftime('%Y-%m-%d %H:%M')}, {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        f"- {versions()}; installed from "
        f"{(TOOL_VENV / '.relances-fingerprint').read_text()}",
        f"- median of {args.repeat} whole-process runs (after {args.warmup} warm-up "
        "round(s)), "
        f"RELANCES_AUJOURDHUI={TODAY}; peak MB = max RSS of the process over the runs",
    ]
    failures = errors = 0
    for tracker in trackers:
        size = tracker.path.stat().st_size / 1e6
        print(f"mesure : {tracker.path.name} ({tracker.rows} lignes)…", file=sys.stderr,
              flush=True)
        lines, meta = measure(tracker, args.repeat, args.warmup, not args.no_pandas)
        failures += sum(1 for line in lines if verdict(line).startswith("FAIL"))
        errors += len(meta["errors"])
        report += [
            "",
            f"### {tracker.rows:,} rows".replace(",", " "),
            "",
            f"`{tracker.path.name}`: {size:.1f} MB, {tracker.info['prospects']} prospects, "
            f"{tracker.info['journal']} Journal lines; `voir` looks up "
            f"« {tracker.middle_name} » (row {tracker.info['middle_row']}). "
            f"Load average {meta['load_before'][0]:.2f} before, {meta['load_after'][0]:.2f} "
            f"after ({meta['seconds']:.0f} s). calamine in-process read: "
            f"{meta['calamine_inner']:.3f} s.",
            "",
            table(lines),
        ]
        (TRACKERS / f"samples-{tracker.rows}.json").write_text(json.dumps(meta, indent=1))
        print("\n".join(report[-5:]), flush=True)
    text = "\n".join(report) + "\n"
    (TRACKERS / "last-results.md").write_text(text)
    if args.markdown:
        args.markdown.write_text(text)
    print("\n" + text)
    return 2 if errors else 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
