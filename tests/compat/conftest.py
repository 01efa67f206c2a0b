"""A Python client generated, at test time, from EcoTaxa's OpenAPI file 0.0.37."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

FILE_NAME = "ecotaxa-openapi-0.0.37.json"
REPO = Path(__file__).resolve().parents[2]
PACKAGE = "ecotaxa_client_0037"


def _openapi_file() -> Path:
    """``COPEPOD_ECOTAXA_OPENAPI``, else a copy beside this file, else the shared reference folder
    beside the repository."""
    candidates = [Path(os.environ["COPEPOD_ECOTAXA_OPENAPI"])] if os.environ.get("COPEPOD_ECOTAXA_OPENAPI") else []
    candidates += [Path(__file__).parent / FILE_NAME, REPO.parent / "shared" / "reference" / FILE_NAME]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    message = f"EcoTaxa's OpenAPI file 0.0.37 not found; looked at {', '.join(map(str, candidates))}"
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def ecotaxa_client(tmp_path_factory):
    """The generated package, imported unchanged."""
    out = tmp_path_factory.mktemp("generated")
    generator = Path(sys.executable).parent / "openapi-python-client"
    done = subprocess.run([str(generator), "generate", "--path", str(_openapi_file()),
                           "--output-path", str(out / PACKAGE), "--meta", "none"],
                          capture_output=True, text=True, timeout=120)
    assert (out / PACKAGE / "__init__.py").is_file(), done.stdout + done.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
