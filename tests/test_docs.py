"""docs/architecture.md: its picture is drawn from the code and kept current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "architecture_svg.py"


def test_the_architecture_picture_is_drawn_from_the_current_code() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_picture_shows_every_module_and_the_engine_imports_only_errors_and_safecsv() -> None:
    picture = (REPO / "docs" / "architecture.svg").read_text(encoding="utf-8")
    modules = sorted(p.stem for p in (REPO / "src" / "detente").iterdir()
                     if (p.suffix == ".py" and p.stem != "__init__")
                     or (p / "__init__.py").is_file())
    for name in modules:
        assert f">{name}</text>" in picture, name
    assert "<title>consensus imports errors</title>" in picture
    assert "<title>consensus imports safecsv</title>" in picture
    assert picture.count("<title>consensus imports") == 2  # errors and safecsv only
    assert "(architecture.svg)" in (REPO / "docs" / "architecture.md").read_text("utf-8")


def test_every_regression_test_named_in_the_security_section_exists() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"(tests/[\w/]+\.py)::(\w+)", text))
    assert len(named) >= 50, "the regression table lost its test names"
    missing = [f"{path}::{name}" for path, name in sorted(named)
               if not (root / path).is_file()
               or not re.search(rf"^def {name}\(", (root / path).read_text("utf-8"), re.M)]
    assert missing == [], f"docs/architecture.md names tests that do not exist: {missing}"
