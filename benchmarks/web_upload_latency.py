"""How long other requests wait while the server processes a 49-megapixel photo upload.

Starts ``detente serve`` (one worker, SQLite, the demo forum) on a free port, logs in as an
organizer, then uploads a 7,000 x 7,000 JPEG while a second client asks for ``/api/events``
every 10 ms. Prints the upload's own time and the latency of the other requests that ran while
the upload was being processed (median, p99, max) beside their latency in the two seconds
before it (idle), as one JSON line.

    python benchmarks/web_upload_latency.py [--repeat 3]

Before the image work moved off the event loop, each of these requests waited for the whole
decode-resize-encode (seconds); after, they wait no longer than usual.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image, ImageDraw

PASSWORD = "benchmark password 1"
DETENTE = str(Path(sys.executable).parent / "detente")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _photo(edge: int = 7000) -> bytes:
    """A 49-megapixel JPEG with enough detail to cost real decoding work (~10 MB)."""
    image = Image.linear_gradient("L").resize((edge, edge)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x in range(0, edge, 37):
        draw.line([(x, 0), (edge - x, edge)], fill=(200, 90, (x * 7) % 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _measure(base: str, photo: bytes) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base, timeout=120) as organizer, \
            httpx.AsyncClient(base_url=base, timeout=120) as visitor:
        token = CSRF.search((await organizer.get("/login")).text).group(1)  # type: ignore[union-attr]
        await organizer.post("/login", data={"username": "bench", "password": PASSWORD,
                                             "csrf_token": token})
        page = await organizer.get("/events/ciss-ai-international-security-2026/media")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        for _ in range(20):  # warm up
            await visitor.get("/api/events")
        latencies: list[float] = []
        done = asyncio.Event()

        async def ping() -> None:
            while not done.is_set():
                start = time.perf_counter()
                await visitor.get("/api/events")
                latencies.append(time.perf_counter() - start)
                await asyncio.sleep(0.01)

        pinger = asyncio.create_task(ping())
        await asyncio.sleep(2.0)  # the same requests with no upload: the baseline
        idle = sorted(latencies)
        before = len(latencies)
        start = time.perf_counter()
        response = await organizer.post(
            "/events/ciss-ai-international-security-2026/media", data={"csrf_token": token},
            files={"file": ("big.jpg", photo, "image/jpeg")}, follow_redirects=False)
        upload = time.perf_counter() - start
        await asyncio.sleep(0.05)
        done.set()
        await pinger
        assert response.status_code == 303, response.text[:300]
        during = sorted(latencies[before:])
        return {"idle_median_ms": round(1000 * statistics.median(idle), 1),
                "idle_max_ms": round(1000 * idle[-1], 1),
                "upload_s": round(upload, 3), "other_requests": len(during),
                "median_ms": round(1000 * statistics.median(during), 1),
                "p99_ms": round(1000 * during[max(0, int(len(during) * 0.99) - 1)], 1),
                "max_ms": round(1000 * during[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    photo = _photo()
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, DETENTE_DATABASE_URL=f"sqlite:///{Path(folder) / 'd.db'}",
                   DETENTE_MEDIA_DIR=str(Path(folder) / "media"),
                   DETENTE_SECRET_KEY="benchmark-secret-key-0123456789")
        subprocess.run([DETENTE, "demo", "--no-serve"], env=env,
                       check=True, capture_output=True)
        subprocess.run([sys.executable, "-c",
                        "from detente.accounts import create_user\n"
                        "from detente.settings import load_settings\n"
                        "from detente.store import create_db_engine, session_scope\n"
                        "e = create_db_engine(load_settings().database_url)\n"
                        "with session_scope(e) as db:\n"
                        f"    create_user(db, 'bench', {PASSWORD!r}, organizer=True)\n"],
                       env=env, check=True)
        port = _port()
        server = subprocess.Popen([DETENTE, "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    httpx.get(f"{base}/api/events", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            runs = [asyncio.run(_measure(base, photo)) for _ in range(args.repeat)]
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(json.dumps({"photo_bytes": len(photo), "pixels": 7000 * 7000, "runs": runs}))


if __name__ == "__main__":
    main()
