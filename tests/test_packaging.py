"""The tests must run against the INSTALLED package, with its package data.

.ci/run installs the checkout non-editable (``pip install ".[test]"``), so a
file missing from ``[tool.setuptools.package-data]`` only shows up if the tests
import that installed copy, not the ``relances/`` folder of the checkout. The
built-in templates sit at the top of the repository (``templates/``) and are
mapped into the package as ``relances/templates/``.
"""

from __future__ import annotations

import os
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest

import relances

REPO = Path(__file__).resolve().parents[1]


def _tracked(folder: str) -> list[Path]:
    """The files git tracks under `folder`, relative to it."""
    listed = subprocess.run(["git", "ls-files", folder], cwd=REPO, capture_output=True,
                            text=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    tracked = [Path(line).relative_to(folder) for line in listed.stdout.splitlines()]
    assert tracked, f"git lists no file under {folder}/"
    return tracked


def test_every_file_of_the_package_is_installed() -> None:
    """Modules tracked in git all reach the installed package."""
    installed = Path(relances.__file__).parent
    missing = [str(path) for path in _tracked("relances") if not (installed / path).is_file()]
    assert not missing, f"not installed next to {installed}: {missing}"


def test_every_template_is_installed() -> None:
    """The built-in templates live at the top of the repository (templates/) and reach
    the installed package as relances/templates/, package data of relances.templates."""
    installed = Path(str(files("relances.templates")))
    if not Path(relances.__file__).resolve().is_relative_to(REPO):
        assert installed == Path(relances.__file__).parent / "templates", installed
    missing = [str(path) for path in _tracked("templates") if not (installed / path).is_file()]
    assert not missing, f"not installed in {installed}: {missing}"


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI tests the installed package")
def test_ci_imports_the_installed_package() -> None:
    location = Path(relances.__file__).resolve()
    assert not location.is_relative_to(REPO / "relances"), (
        f"relances imported from the checkout ({location}), not from the installed "
        "package: the checkout's root is on sys.path"
    )
    assert "site-packages" in location.parts, location
