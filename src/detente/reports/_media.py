"""Media: photos and documents attached to an event or one of its sessions.

An upload is checked before anything is written: its size, its declared type and extension
against what the bytes decode to, and, for images, the pixel count before decoding (so a
decompression bomb is refused without being expanded). Images are re-encoded with Pillow into
the sizes the pages need (:data:`IMAGE_SIZES`), with the EXIF orientation applied, colours in
sRGB and no metadata at all; the original keeps its image data bit for bit but loses its
metadata too (EXIF but the orientation, XMP, IPTC, comments: see :mod:`._image_meta`). It is
kept under a random name and served only to organizers.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import object_session

from detente.errors import InputError, NotFoundError
from detente.forum import Guard, Text, attribution_guard
from detente.i18n import gettext as _
from detente.runtime import FolderStore, MediaStore
from detente.store.models.auth import User
from detente.store.models.forum import Event
from detente.store.models.publications import MediaItem, MediaKind

from ._image_meta import sRGB_pixels, strip_original

__all__ = [
    "IMAGE_SIZES",
    "MAX_IMAGE_PIXELS",
    "MAX_UPLOAD_BYTES",
    "MediaFile",
    "ShownMedia",
    "add_media",
    "caption_texts",
    "delete_media",
    "get_media",
    "list_media",
    "media_file",
    "shown_media",
    "sizes",
    "update_media",
]

#: Long edge in pixels of each re-encoded size; images are never enlarged.
IMAGE_SIZES: dict[str, int] = {"thumb": 320, "page": 1024, "print": 2000}
#: Largest file accepted (20 MiB).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Largest image accepted, in pixels (50 megapixels: a 8660 x 5773 photo).
MAX_IMAGE_PIXELS = 50_000_000

# Pillow format -> (content type, extensions that may carry it).
_IMAGE_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "JPEG": ("image/jpeg", ("jpg", "jpeg")),
    "PNG": ("image/png", ("png",)),
    "WEBP": ("image/webp", ("webp",)),
    "GIF": ("image/gif", ("gif",)),
}
_DOCUMENT_FORMATS: dict[str, tuple[str, bytes]] = {"pdf": ("application/pdf", b"%PDF-")}
_REFUSED_AS_IMAGE = {"svg", "svgz", "html", "htm", "xhtml", "xml", "js"}


@dataclass(frozen=True)
class MediaFile:
    """A file to serve: where it is and the only type it may be served with."""

    path: Path
    content_type: str
    download_name: str
    inline: bool


class ShownMedia:
    """A media item as visitors see it: its captions, or none where they are held under the
    Chatham House rule. Every other attribute is the item's own."""

    def __init__(self, item: MediaItem, caption: str | None, caption_local: str | None) -> None:
        self.item = item
        self.caption = caption
        self.caption_local = caption_local

    def __getattr__(self, name: str) -> Any:
        return getattr(self.item, name)


def caption_texts(item: MediaItem, caption: str | None = None,
                  caption_local: str | None = None, *, token: str | None = None) -> list[Text]:
    """The captions of ``item`` (or the given ones) as texts the attribution policy checks."""
    key = token or item.token
    return [Text(f"media:{key}:caption", "caption", caption if caption is not None
                 else item.caption, "en"),
            Text(f"media:{key}:caption_local", "caption", caption_local if caption_local
                 is not None else item.caption_local, "zh")]


def shown_media(guard: Guard, items: Sequence[MediaItem]) -> list[ShownMedia]:
    """``items`` with held captions left out."""
    shown = []
    for item in items:
        english, chinese = caption_texts(item)
        shown.append(ShownMedia(item, guard.shown(english.target, "caption", item.caption),
                                guard.shown(chinese.target, "caption", item.caption_local)))
    return shown


def _extension(filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    if "." not in name:
        raise InputError(_("the file name has no extension"), location=filename)
    return name.rsplit(".", 1)[1].lower()


def _declared_kind(extension: str, declared_type: str | None, filename: str) -> MediaKind:
    """What the upload claims to be, refusing markup and unknown kinds outright."""
    declared = (declared_type or "").split(";")[0].strip().lower()
    if extension in _REFUSED_AS_IMAGE or declared in {"image/svg+xml", "text/html",
                                                     "application/xhtml+xml"}:
        raise InputError(_("SVG and HTML files are not accepted (they can carry scripts); "
                           "upload a JPEG, PNG, WebP or GIF image or a PDF"), location=filename)
    image_exts = {e for _, exts in _IMAGE_FORMATS.values() for e in exts}
    if extension in image_exts:
        if declared and declared != "application/octet-stream" and \
                not declared.startswith("image/"):
            raise InputError(_("declared as %(type)s but named as an image")
                             % {"type": declared}, location=filename)
        return MediaKind.IMAGE
    if extension in _DOCUMENT_FORMATS:
        expected = _DOCUMENT_FORMATS[extension][0]
        if declared and declared not in {expected, "application/octet-stream"}:
            raise InputError(_("declared as %(type)s but named .%(ext)s")
                             % {"type": declared, "ext": extension}, location=filename)
        return MediaKind.DOCUMENT
    raise InputError(_("files of type .%(ext)s are not accepted; upload a JPEG, PNG, "
                       "WebP or GIF image or a PDF") % {"ext": extension}, location=filename)


def _open_image(data: bytes, extension: str, declared_type: str | None,
                filename: str) -> Image.Image:
    """Decode ``data`` as the image its name and type claim, refusing bombs and disguises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format or ""
            if fmt not in _IMAGE_FORMATS:
                raise InputError(_("the content is %(format)s, not an accepted image format; "
                                   "upload a JPEG, PNG, WebP or GIF image")
                                 % {"format": fmt}, location=filename)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise InputError(_("the image is %(w)d × %(h)d pixels, more than the %(max)s "
                                   "allowed; make it smaller and upload it again")
                                 % {"w": width, "h": height, "max": f"{MAX_IMAGE_PIXELS:,}"},
                                 location=filename)
            image.load()
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(_("the image would expand to more than %(max)s pixels; make it "
                           "smaller and upload it again") % {"max": f"{MAX_IMAGE_PIXELS:,}"},
                         location=filename) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputError(_("the image cannot be read: it is not a JPEG, PNG, WebP or GIF "
                           "image, or it is damaged"), location=filename) from exc
    content_type, extensions = _IMAGE_FORMATS[fmt]
    if extension not in extensions:
        raise InputError(_("named .%(ext)s but the content is %(format)s")
                         % {"ext": extension, "format": fmt}, location=filename)
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared not in {"", "application/octet-stream", content_type} and not (
            declared == "image/jpg" and content_type == "image/jpeg"):
        raise InputError(_("declared as %(type)s but the content is %(content)s")
                         % {"type": declared, "content": content_type}, location=filename)
    return image


def _variants(image: Image.Image) -> tuple[str, dict[str, bytes]]:
    """The re-encoded sizes of ``image``: orientation applied, metadata dropped."""
    upright = ImageOps.exif_transpose(image) or image
    if getattr(upright, "n_frames", 1) > 1:
        upright.seek(0)
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or (
        upright.mode == "P" and "transparency" in upright.info)
    fmt = "png" if has_alpha else "jpeg"
    mode = "RGBA" if has_alpha else "RGB"
    if upright.mode not in {"RGB", "RGBA", "CMYK", "L", "LA"}:
        upright = upright.convert(mode)  # palettes and odd modes first (keeps the profile)
    base = sRGB_pixels(upright).convert(mode)
    base.info = {}  # EXIF, XMP, comments, ICC: nothing of the source goes into the sizes
    out: dict[str, bytes] = {}
    for name, edge in IMAGE_SIZES.items():
        copy = base.copy()
        copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if fmt == "jpeg":
            copy.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
        else:
            copy.save(buffer, "PNG", optimize=True)
        out[name] = buffer.getvalue()
    return fmt, out


def _check_document(data: bytes, extension: str, filename: str) -> str:
    content_type, magic = _DOCUMENT_FORMATS[extension]
    if not data.startswith(magic):
        raise InputError(_("named .%(ext)s but the content is not a %(kind)s file")
                         % {"ext": extension, "kind": extension.upper()}, location=filename)
    return content_type


def _store(media: Path | str | MediaStore) -> MediaStore:
    """The media store: a :class:`MediaStore`, or a folder path (a :class:`FolderStore`)."""
    return media if isinstance(media, MediaStore) else FolderStore(media)


def add_media(
    db: DbSession,
    media_dir: Path | MediaStore,
    event: Event,
    data: bytes,
    filename: str,
    *,
    declared_type: str | None = None,
    session_position: int | None = None,
    caption: str | None = None,
    caption_local: str | None = None,
    credit: str | None = None,
    user: User | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    override_reason: str | None = None,
) -> MediaItem:
    """Check, store and record one upload for ``event``.

    Captions are checked under the event's attribution policy; a held caption is refused
    unless ``override_reason`` says why it may be published (the override is audited).

    Raises
    ------
    InputError
        For an empty or oversized file, an unknown or refused type, or content that is not
        what its name and declared type claim. Nothing is written then.
    AttributionHeld
        For a caption that attributes a view to a participant, without ``override_reason``.
    """
    guard = attribution_guard(db, event)
    held = guard.enforce([Text("media:new:caption", "caption", caption, "en"),
                          Text("media:new:caption_local", "caption", caption_local, "zh")],
                         reason=override_reason, user=user, record=False)
    if not data:
        raise InputError(_("the file is empty"), location=filename)
    if len(data) > max_bytes:
        raise InputError(_("the file is %(size)s bytes, more than the %(max)s allowed")
                         % {"size": f"{len(data):,}", "max": f"{max_bytes:,}"},
                         location=filename)
    extension = _extension(filename)
    kind = _declared_kind(extension, declared_type, filename)
    session_id = _session_id(event, session_position)
    width = height = None
    variant_format = None
    variants: dict[str, bytes] = {}
    stored = data
    if kind == MediaKind.IMAGE:
        image = _open_image(data, extension, declared_type, filename)
        content_type = _IMAGE_FORMATS[image.format or ""][0]
        orientation = image.getexif().get(0x0112, 1) if image.format == "JPEG" else 1
        try:
            stored = strip_original(data, image.format or "", orientation)
        except ValueError as exc:
            raise InputError(_("the image cannot be read: it is not a JPEG, PNG, WebP or "
                               "GIF image, or it is damaged"), location=filename) from exc
        variant_format, variants = _variants(image)
        width, height = image.size[::-1] if orientation in (5, 6, 7, 8) else image.size
    else:
        content_type = _check_document(data, extension, filename)
    token = secrets.token_hex(16)
    position = db.scalar(select(func.coalesce(func.max(MediaItem.position), 0))
                         .where(MediaItem.event_id == event.id)) or 0
    item = MediaItem(
        token=token, event_id=event.id, session_id=session_id, kind=kind,
        original_name=PurePosixPath(filename.replace("\\", "/")).name[:255],
        extension=extension, content_type=content_type, size_bytes=len(stored),
        sha256=hashlib.sha256(data).hexdigest(), width=width, height=height,
        variant_format=variant_format, caption=_clean(caption),
        caption_local=_clean(caption_local), credit=_clean(credit), position=position + 1,
        uploaded_by_id=user.id if user else None,
    )
    db.add(item)
    db.flush()
    for hold in held:
        guard.override(hold, override_reason or "", user,
                       target=hold.target.replace(":new:", f":{token}:"))
    files = {f"original.{extension}": stored}
    for name, blob in variants.items():
        files[f"{name}.{'jpg' if variant_format == 'jpeg' else 'png'}"] = blob
    _store(media_dir).save(token, files)  # all files at once, or none
    return item


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text else None


def _session_id(event: Event, position: int | None) -> int | None:
    if position is None:
        return None
    for session in event.sessions:
        if session.position == position:
            return session.id
    raise InputError(_("event %(event)r has no session %(position)s")
                     % {"event": event.slug, "position": position}, location="--session")


def list_media(db: DbSession, event: Event, kind: MediaKind | None = None) -> list[MediaItem]:
    """Media of ``event`` in their display order."""
    query = select(MediaItem).where(MediaItem.event_id == event.id)
    if kind is not None:
        query = query.where(MediaItem.kind == kind)
    return list(db.scalars(query.order_by(MediaItem.position, MediaItem.id)))


def get_media(db: DbSession, token: str) -> MediaItem:
    """A media item by its token."""
    item = db.scalar(select(MediaItem).where(MediaItem.token == token))
    if item is None:
        raise NotFoundError(_("no media %(token)r") % {"token": token})
    return item


def update_media(item: MediaItem, *, caption: str | None = None,
                 caption_local: str | None = None, credit: str | None = None,
                 session_position: int | None = None, user: User | None = None,
                 override_reason: str | None = None) -> MediaItem:
    """Change captions, credit or the session of a media item (None leaves a field alone).

    Raises
    ------
    AttributionHeld
        For a caption that attributes a view to a participant under the Chatham House rule,
        without ``override_reason``; nothing is changed then.
    """
    db = object_session(item)
    if db is not None and (caption is not None or caption_local is not None):
        attribution_guard(db, item.event).enforce(
            [t for t, given in zip(caption_texts(item, caption, caption_local),
                                   (caption, caption_local), strict=True) if given is not None],
            reason=override_reason, user=user)
    if caption is not None:
        item.caption = _clean(caption)
    if caption_local is not None:
        item.caption_local = _clean(caption_local)
    if credit is not None:
        item.credit = _clean(credit)
    if session_position is not None:
        item.session_id = _session_id(item.event, session_position) if session_position else None
    return item


def delete_media(db: DbSession, media_dir: Path | MediaStore, item: MediaItem) -> None:
    """Remove a media item and its files."""
    token = item.token
    db.delete(item)
    db.flush()
    _store(media_dir).delete(token)


def media_file(media_dir: Path | MediaStore, item: MediaItem | ShownMedia,
               size: str) -> MediaFile:
    """The file of one size of ``item`` (``original`` or one of :data:`IMAGE_SIZES`).

    Raises
    ------
    NotFoundError
        For an unknown size, a size that a document does not have, or a missing file.
    """
    stem = PurePosixPath(item.original_name).stem or "file"
    if size == "original":
        file_name = f"original.{item.extension}"
        content_type, inline = item.content_type, item.kind == MediaKind.IMAGE
        name = f"{stem}.{item.extension}"
    elif size in IMAGE_SIZES and item.kind == MediaKind.IMAGE:
        ext = "jpg" if item.variant_format == "jpeg" else "png"
        file_name = f"{size}.{ext}"
        content_type = "image/jpeg" if ext == "jpg" else "image/png"
        inline, name = True, f"{stem}-{size}.{ext}"
    else:
        raise NotFoundError(_("media %(token)r has no size %(size)r")
                            % {"token": item.token, "size": size})
    path = _store(media_dir).path(item.token, file_name)
    if path is None:
        raise NotFoundError(_("the file of media %(token)r (%(size)s) is missing")
                            % {"token": item.token, "size": size})
    return MediaFile(path, content_type, name, inline)


def sizes(item: MediaItem) -> Sequence[str]:
    """The sizes ``item`` can be served in."""
    return [*IMAGE_SIZES, "original"] if item.kind == MediaKind.IMAGE else ["original"]
