"""Media storage: a folder (shared by every host) written all at once or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.runtime import FolderStore


def test_saved_files_are_read_back_and_deleted(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    store.save("abcdef", {"original.jpg": b"x" * 10, "thumb.jpg": b"y"})
    assert store.read("abcdef", "original.jpg") == b"x" * 10
    assert store.path("abcdef", "thumb.jpg") == tmp_path / "ab" / "abcdef" / "thumb.jpg"
    assert store.path("abcdef", "page.jpg") is None
    store.delete("abcdef")
    assert store.read("abcdef", "original.jpg") is None
    store.delete("abcdef")  # nothing there: no error


def test_a_key_is_never_overwritten(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    store.save("k1", {"a": b"1"})
    with pytest.raises(FileExistsError):
        store.save("k1", {"a": b"2"})
    assert store.read("k1", "a") == b"1"


def test_a_failed_save_leaves_nothing_behind(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    with pytest.raises(TypeError):
        store.save("k2", {"a": b"1", "b": "not bytes"})  # type: ignore[dict-item]
    assert store.path("k2", "a") is None
    assert list((tmp_path / "k2").iterdir()) == []


@pytest.mark.parametrize("key", ["", "../x", "a/b", ".hidden"])
def test_keys_cannot_escape_the_folder(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError):
        FolderStore(tmp_path).path(key, "a")
