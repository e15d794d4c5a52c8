"""The house as DESIGN.md draws it, read from the code: every module's imports (those at
the top and those inside functions alike) point down the floors, never up or sideways
into a floor not below; no cycle; the file format, printing and the clock each stay on
their own floor; no file grows past what a newcomer reads at once."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "relances"

MAY_IMPORT = {
    "cli": {"ui", "services", "core", "text"},
    "ui": {"services", "core", "text"},
    "services": {"outputs", "workbook", "core", "text"},
    "outputs": {"core", "text"},
    "workbook": {"xlsx", "core", "text"},
    "core": {"text"},
    "text": set(),
    "xlsx": set(),
}
"""Each floor and the floors it may use (besides itself), as DESIGN.md draws them, with
what every floor may read below it: core and text."""

FILE_FORMAT = {"openpyxl", "lxml", "python_calamine", "defusedxml"}
FORMAT_FLOORS = {"workbook", "xlsx"}
PRINTING_FLOORS = {"cli", "ui"}
CLOCK_FLOORS = {"cli"}
MAX_LINES = 520
_CLOCK = {("date", "today"), ("datetime", "now"), ("datetime", "today"),
          ("datetime", "utcnow"), ("time", "time"), ("time", "localtime")}


def modules() -> dict[str, Path]:
    """relances.core.model -> its file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def floor(module: str) -> str | None:
    """The floor of relances.<floor>.…; None for the package's own entry points."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in MAY_IMPORT) \
        else None


def imports(path: Path, module: str) -> list[tuple[str, int]]:
    """Every module `path` imports, with the line: `from . import x` made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((base, node.lineno))
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


ALL = modules()


def test_the_package_has_the_floors_of_the_design() -> None:
    floors = {floor(name) for name in ALL} - {None}
    assert floors == set(MAY_IMPORT)
    loose = sorted(name for name in ALL if floor(name) is None
                   and name not in ("relances", "relances.__main__"))
    assert not loose, f"modules outside any floor: {loose}"


@pytest.mark.parametrize("name", sorted(ALL))
def test_imports_point_down_the_floors(name: str) -> None:
    here = floor(name)
    if here is None:
        return
    wrong = [f"{ALL[name].name}:{line} imports {target}"
             for target, line in imports(ALL[name], name)
             if target.startswith("relances.") and target in ALL
             and floor(target) not in (here, *MAY_IMPORT[here])]
    assert not wrong


@pytest.mark.parametrize("name", sorted(ALL))
def test_the_file_format_stays_in_workbook_and_xlsx(name: str) -> None:
    if floor(name) in FORMAT_FLOORS:
        return
    used = [f"{line}: {target}" for target, line in imports(ALL[name], name)
            if target.split(".")[0] in FILE_FORMAT]
    assert not used


@pytest.mark.parametrize("name", sorted(ALL))
def test_only_cli_and_ui_print_and_only_cli_reads_the_clock(name: str) -> None:
    tree = ast.parse(ALL[name].read_text(encoding="utf-8"))
    prints, clocks = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id == "print":
            prints.append(node.lineno)
        if isinstance(function, ast.Attribute) and function.attr in ("write", "flush") \
                and isinstance(function.value, ast.Attribute) \
                and function.value.attr in ("stdout", "stderr"):
            prints.append(node.lineno)
        if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) \
                and (function.value.id, function.attr) in _CLOCK:
            clocks.append(node.lineno)
    assert floor(name) in PRINTING_FLOORS or not prints, f"prints at lines {prints}"
    assert floor(name) in CLOCK_FLOORS or not clocks, f"reads the clock at lines {clocks}"


def test_no_import_cycle() -> None:
    """Between modules, lazy imports included: a cycle means two rooms that are one."""
    graph = {name: {target for target, _ in imports(path, name)
                    if target in ALL and target != name and not name.startswith(target + ".")}
             for name, path in ALL.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles


@pytest.mark.parametrize("name", sorted(ALL))
def test_files_stay_short(name: str) -> None:
    lines = len(ALL[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{ALL[name].name}: {lines} lines"


@pytest.mark.parametrize("name", sorted(n for n, p in ALL.items() if p.name == "__init__.py"
                                        and floor(n) is not None))
def test_each_floor_says_what_lives_there_and_what_it_may_import(name: str) -> None:
    docstring = ast.get_docstring(ast.parse(ALL[name].read_text(encoding="utf-8"))) or ""
    assert len(docstring) > 80 and "import" in docstring.lower(), docstring


_OPTION_WORD = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


@pytest.mark.parametrize("name", sorted(n for n in ALL if floor(n) in (
    "services", "outputs", "workbook", "core", "text")))
def test_below_the_command_line_no_option_is_named(name: str) -> None:
    """An error says which parameter it is about (core/errors.option), cli names it: the
    texts of services, outputs, workbook, core and text never spell an option."""
    tree = ast.parse(ALL[name].read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    named = [f"{node.lineno}: {node.value!r}" for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and id(node) not in docstrings and _OPTION_WORD.search(node.value)]
    assert not named


def test_the_readme_maps_every_floor() -> None:
    """« Pour contribuer » gives a newcomer one line a folder: none is left out."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Pour contribuer", 1)[1].split("\n## ", 1)[0]
    missing = [floor for floor in MAY_IMPORT if f"`relances/{floor}/`" not in section]
    assert not missing and "`templates/`" in section


LAZY_FLOORS = {"cli", "services", "workbook"}
"""Where relances modules may be imported inside a function: the command line (so that
--help loads no command), the services and the datastore (so that a read command loads
neither the writer, lxml, nor the drafts' and PDFs' modules: 35 ms and more)."""
LAZY_EXCEPTIONS = {("relances.text.parsing", "relances.text.datetext")}
"""datetext holds dateutil, which a workbook of real dates never needs."""


@pytest.mark.parametrize("name", sorted(n for n in ALL if floor(n) not in LAZY_FLOORS))
def test_elsewhere_relances_is_imported_at_the_top(name: str) -> None:
    tree = ast.parse(ALL[name].read_text(encoding="utf-8"))
    inner = [(node.lineno, node.module) for function in ast.walk(tree)
             if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
             for node in ast.walk(function)
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("relances")
             and (name, node.module) not in LAZY_EXCEPTIONS]
    assert not inner


@pytest.mark.parametrize("name", sorted(ALL))
def test_type_only_imports_sit_in_one_block_at_the_top(name: str) -> None:
    tree = ast.parse(ALL[name].read_text(encoding="utf-8"))
    blocks = [node for node in ast.walk(tree) if isinstance(node, ast.If)
              and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"]
    first_code = next((node.lineno for node in tree.body if isinstance(
        node, ast.FunctionDef | ast.ClassDef | ast.Assign | ast.AnnAssign)), math.inf)
    assert len(blocks) <= 1 and all(block in tree.body and block.lineno < first_code
                                    for block in blocks)


_NAMED = r"""(?:option\(|about=|about: str = |refuse_future\()['"](\w+)['"]"""
"""A parameter named to an error: option("…"), about="…", refuse_future("…", …)."""


def test_every_parameter_an_error_names_has_its_option() -> None:
    """A parameter without an entry would reach the user as its code name (« phone »)."""
    from relances.services.prospects import _GIVEN
    from relances.ui.options import OPTION_NAMES

    said = set(_GIVEN)
    for path in ALL.values():
        text = path.read_text(encoding="utf-8")
        said |= set(re.findall(_NAMED, text))
    assert said - set(OPTION_NAMES) == set()
