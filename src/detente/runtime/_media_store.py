"""Where uploaded files live, behind one interface.

:class:`FolderStore` keeps them under one folder. With several hosts that folder is shared
(an NFS export or another network file system mounted at the same path, named by
``DETENTE_MEDIA_DIR`` on every host). A set of files is written into a temporary folder beside
its place and renamed into place in one step, so another host never sees half an upload.
"""

from __future__ import annotations

import os
import shutil
import uuid
from abc import ABC, abstractmethod
from pathlib import Path

__all__ = ["FolderStore", "MediaStore"]


class MediaStore(ABC):
    """Files grouped by a random key (one upload: its original and its resized copies)."""

    @abstractmethod
    def save(self, key: str, files: dict[str, bytes]) -> None:
        """Store every file of ``key`` at once; nothing is left behind when it fails.

        Raises ``FileExistsError`` when ``key`` exists."""

    @abstractmethod
    def path(self, key: str, name: str) -> Path | None:
        """A local path to read one file from, or None when it does not exist."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove every file of ``key`` (nothing happens when there is none)."""

    def read(self, key: str, name: str) -> bytes | None:
        """The bytes of one file, or None."""
        found = self.path(key, name)
        return found.read_bytes() if found is not None else None


class FolderStore(MediaStore):
    """Files under ``root/KEY[:2]/KEY/NAME``; ``root`` may be a folder every host mounts."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"FolderStore({str(self.root)!r})"

    def folder(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key[:2] / key

    def save(self, key: str, files: dict[str, bytes]) -> None:
        final = self.folder(key)
        if final.exists():
            raise FileExistsError(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = final.parent / f".{key}.{uuid.uuid4().hex}.partial"
        try:
            staging.mkdir()
            for name, data in files.items():
                target = staging / name
                with open(target, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.rename(staging, final)  # atomic on one file system, NFS included
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def path(self, key: str, name: str) -> Path | None:
        found = self.folder(key) / name
        return found if found.is_file() else None

    def delete(self, key: str) -> None:
        folder = self.folder(key)
        if folder.is_dir():
            shutil.rmtree(folder)
