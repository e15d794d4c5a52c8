"""The tests must run against the INSTALLED package, with its package data.

.ci/run installs the checkout non-editable (``pip install ".[test]"``), so a
file missing from ``[tool.setuptools.package-data]`` only shows up if the tests
import that installed copy, not the ``relances/`` folder of the checkout.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import pytest

import relances

REPO = Path(__file__).resolve().parents[1]


def test_templates_are_package_data() -> None:
    templates = files("relances") / "templates"
    assert templates.is_dir(), f"no templates/ next to {relances.__file__}"
    assert any(templates.iterdir()), f"templates/ is empty in {templates}"
    assert (Path(relances.__file__).parent / "templates").is_dir()


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI tests the installed package")
def test_ci_imports_the_installed_package() -> None:
    location = Path(relances.__file__).resolve()
    assert not location.is_relative_to(REPO / "relances"), (
        f"relances imported from the checkout ({location}), not from the installed "
        "package: the checkout's root is on sys.path"
    )
    assert "site-packages" in location.parts, location
