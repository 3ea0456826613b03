"""The inline recompute process never outlives its server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SERVER = """
import asyncio, os, sys
from detente.deliberation import Recomputer
from detente.store import create_db_engine, upgrade
engine = create_db_engine(sys.argv[1]); upgrade(engine)
recomputer = Recomputer(engine, delay=0.0)
recomputer._pool()  # the worker process, as after the first vote
import multiprocessing, time
time.sleep(1.0)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
from multiprocessing import resource_tracker
tracker = resource_tracker._resource_tracker._pid
print(tracker or "", flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_recompute_process_and_resource_tracker_die_with_a_killed_server(tmp_path: Path
                                                                           ) -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER, f"sqlite:///{tmp_path / 'd.db'}"],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        children = [int(p) for p in server.stdout.readline().split()]  # type: ignore[union-attr]
        tracker = server.stdout.readline().strip()  # type: ignore[union-attr]
        if tracker:
            children.append(int(tracker))
        assert children and all(_alive(pid) for pid in children)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.1)
        assert [pid for pid in children if _alive(pid)] == []
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        for pid in children if "children" in dir() else []:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
