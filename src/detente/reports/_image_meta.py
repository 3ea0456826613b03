"""Metadata out of every stored image: EXIF, XMP, IPTC, comments, text chunks.

Photos carry what their camera or editor wrote: GPS position, device serial numbers, the
owner's name, editing history, free-text comments. None of it is shown by detente, so none of
it is stored:

- the re-encoded sizes are written from pixels alone (:func:`sRGB_pixels`): colours are
  converted to sRGB when the photo has another ICC profile, and nothing else of the source
  goes into the file;
- the original is kept bit-for-bit in its image data, with its metadata segments removed
  (:func:`strip_original`): JPEG ``COM`` and ``APPn`` segments other than JFIF, the ICC profile
  and Adobe's colour-transform marker; PNG ``tEXt``/``zTXt``/``iTXt``/``eXIf``/``tIME`` chunks;
  WebP ``EXIF``/``XMP`` chunks; GIF comments and application blocks other than looping. The
  ICC profile stays (it is needed to show the colours right). A JPEG whose EXIF turned it
  upright keeps that one tag, Orientation, in a new minimal EXIF block.
"""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageCms

__all__ = ["sRGB_pixels", "strip_original"]

# --- the re-encoded sizes -------------------------------------------------------------------


def sRGB_pixels(image: Image.Image) -> Image.Image:
    """A new image with the pixels of ``image`` in sRGB and no metadata at all."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in {"RGB", "RGBA", "CMYK", "L", "LA"}:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            target_mode = "RGBA" if image.mode in {"RGBA", "LA"} else "RGB"
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=target_mode)
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: keep the pixel values as they are
    clean = image.copy()
    clean.info = {}
    return clean


# --- the original ---------------------------------------------------------------------------

#: JPEG APPn segments kept: APP0 JFIF/JFXX, APP2 ICC_PROFILE, APP14 Adobe (colour transform).
_JPEG_KEEP_APP = {0xE0: (b"JFIF\x00", b"JFXX\x00"), 0xE2: (b"ICC_PROFILE\x00",),
                  0xEE: (b"Adobe",)}
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_GIF_KEEP_APPS = {b"NETSCAPE2.0", b"ANIMEXTS1.0"}


def strip_original(data: bytes, fmt: str, orientation: int = 1) -> bytes:
    """``data`` without its metadata; the image data itself is unchanged.

    ``fmt`` is Pillow's format name (JPEG, PNG, WEBP or GIF); ``orientation`` the EXIF
    Orientation of a JPEG (1 = upright), kept so that viewers still turn the photo upright.
    Raises ValueError for a file whose structure is broken.
    """
    if fmt == "JPEG":
        return _strip_jpeg(data, orientation)
    if fmt == "PNG":
        return _strip_png(data)
    if fmt == "WEBP":
        return _strip_webp(data)
    if fmt == "GIF":
        return _strip_gif(data)
    raise ValueError(f"no metadata stripping for {fmt}")


def _orientation_segment(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    payload = b"Exif\x00\x00" + exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _strip_jpeg(data: bytes, orientation: int) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG file")
    out = [data[:2]]
    if orientation != 1:
        out.append(_orientation_segment(orientation))
    i = 2
    while i < len(data):
        if data[i] != 0xFF or i + 1 >= len(data):
            raise ValueError("broken JPEG segment")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # end of image: anything after it is dropped
            out.append(data[i:i + 2])
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(data[i:i + 2])
            i += 2
            continue
        if i + 4 > len(data):
            raise ValueError("truncated JPEG segment")
        end = i + 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
        if end < i + 4 or end > len(data):
            raise ValueError("truncated JPEG segment")
        payload = data[i + 4:end]
        if marker == 0xFE or (0xE1 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP):
            keep = False
        elif marker in _JPEG_KEEP_APP:
            keep = payload.startswith(_JPEG_KEEP_APP[marker])
        else:
            keep = True
        if keep:
            out.append(data[i:end])
        i = end
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            j = data.find(b"\xff", i)
            while j != -1 and j + 1 < len(data) and (
                    data[j + 1] in (0x00, 0xFF) or 0xD0 <= data[j + 1] <= 0xD7):
                j = data.find(b"\xff", j + 1)
            if j == -1 or j + 1 >= len(data):
                j = len(data)
            out.append(data[i:j])
            i = j
    return b"".join(out)


def _strip_png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise ValueError("not a PNG file")
    out = [signature]
    i = len(signature)
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > len(data):
            raise ValueError("truncated PNG chunk")
        if kind not in _PNG_DROP:
            out.append(data[i:end])
        i = end
        if kind == b"IEND":
            return b"".join(out)
    raise ValueError("truncated PNG file")


def _strip_webp(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP file")
    if len(data) < 8 + struct.unpack("<I", data[4:8])[0]:
        raise ValueError("truncated WebP file")
    chunks = []
    i = 12
    while i + 8 <= len(data):
        kind = data[i:i + 4]
        size = struct.unpack("<I", data[i + 4:i + 8])[0]
        end = i + 8 + size + (size & 1)
        if i + 8 + size > len(data):
            raise ValueError("truncated WebP chunk")
        if kind not in (b"EXIF", b"XMP "):
            chunk = bytearray(data[i:min(end, len(data))])
            if kind == b"VP8X" and len(chunk) > 8:
                chunk[8] &= ~(0x08 | 0x04) & 0xFF  # clear the EXIF and XMP flags
            chunks.append(bytes(chunk))
        i = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _gif_sub_blocks_end(data: bytes, i: int) -> int:
    while True:
        if i >= len(data):
            raise ValueError("truncated GIF block")
        size = data[i]
        i += 1 + size
        if size == 0:
            return i


def _strip_gif(data: bytes) -> bytes:
    if data[:3] != b"GIF":
        raise ValueError("not a GIF file")
    flags = data[10]
    i = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    if i > len(data):
        raise ValueError("truncated GIF header")
    out = [data[:i]]
    while i < len(data):
        block = data[i]
        if block == 0x3B:  # trailer
            out.append(data[i:i + 1])
            break
        if block == 0x21:  # extension: label, then data sub-blocks
            label = data[i + 1]
            end = _gif_sub_blocks_end(data, i + 2)
            keep = label not in (0xFE, 0xFF)
            if label == 0xFF:
                keep = data[i + 3:i + 14] in _GIF_KEEP_APPS
            if keep:
                out.append(data[i:end])
            i = end
        elif block == 0x2C:  # image: descriptor, local colour table, LZW size, sub-blocks
            if i + 10 > len(data):
                raise ValueError("truncated GIF image")
            local = data[i + 9]
            start = i + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            end = _gif_sub_blocks_end(data, start + 1)
            out.append(data[i:end])
            i = end
        else:
            raise ValueError("broken GIF block")
    return b"".join(out)
