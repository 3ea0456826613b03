"""The docs keep up with the code: doctests run, every public name and JSON key is documented."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import detente.consensus as dc

from .test_model import JSON_KEYS

DOC = Path(__file__).resolve().parents[2] / "docs" / "consensus.md"
MODULES = ["_matrix", "_pca", "_clustering", "_repness", "_result", "_model", "_io"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"detente.consensus.{name}")
    failures, _ = doctest.testmod(module, extraglobs=vars(dc))
    assert failures == 0


def test_every_public_name_and_json_key_is_in_the_user_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [n for n in dc.__all__ if f"`{n}" not in text] == []
    assert [k for k in JSON_KEYS if f'"{k}"' not in text] == []
