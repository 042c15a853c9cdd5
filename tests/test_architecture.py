"""The architecture is enforced, not just drawn: import-linter's contracts (pyproject.toml)
must hold, and they must be able to fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

SRC = ROOT / "src"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_MODULE_LINES = 350


def lint_imports(src: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)


def test_the_import_contracts_hold(tmp_path: Path) -> None:
    result = lint_imports(SRC, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_feature_importing_another_breaks_a_contract(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(SRC / "martechgov", copy / "martechgov",
                    ignore=shutil.ignore_patterns("__pycache__"))
    init = copy / "martechgov" / "discover" / "__init__.py"
    init.write_text(init.read_text() + "\nfrom martechgov.leadership import inventory\n")
    result = lint_imports(copy, tmp_path)
    assert result.returncode == 1
    assert "martechgov.discover -> martechgov.leadership" in result.stdout


def test_no_module_is_longer_than_the_house_limit() -> None:
    long = {str(path.relative_to(SRC)): n for path in sorted(SRC.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}
