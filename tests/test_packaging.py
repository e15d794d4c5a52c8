"""The tests must run against the INSTALLED package, with its package data.

.ci/run installs the checkout non-editable (``pip install ".[test]"``), so a
file missing from ``[tool.setuptools.package-data]`` only shows up if the tests
import that installed copy, not the ``relances/`` folder of the checkout.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import relances

REPO = Path(__file__).resolve().parents[1]


def test_every_file_of_the_package_is_installed() -> None:
    """Modules and package data (templates…) tracked in git all reach the installed package."""
    listed = subprocess.run(["git", "ls-files", "relances"], cwd=REPO, capture_output=True,
                            text=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    installed = Path(relances.__file__).parent
    tracked = [Path(line).relative_to("relances") for line in listed.stdout.splitlines()]
    assert tracked, "git lists no file under relances/"
    missing = [str(path) for path in tracked if not (installed / path).is_file()]
    assert not missing, f"not installed next to {installed}: {missing}"


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI tests the installed package")
def test_ci_imports_the_installed_package() -> None:
    location = Path(relances.__file__).resolve()
    assert not location.is_relative_to(REPO / "relances"), (
        f"relances imported from the checkout ({location}), not from the installed "
        "package: the checkout's root is on sys.path"
    )
    assert "site-packages" in location.parts, location
