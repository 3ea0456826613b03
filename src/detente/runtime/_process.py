"""Child processes that do not outlive their server."""

from __future__ import annotations

import os
import threading
import time

__all__ = ["watch_parent"]


def watch_parent(parent_pid: int, interval: float = 0.5) -> threading.Thread:
    """Exit this process when ``parent_pid`` is no longer its parent.

    A SIGKILLed server cannot stop its children; they are re-parented (to init or a
    sub-reaper), which this daemon thread notices within ``interval`` seconds. Polling
    ``getppid`` works whichever thread started the process (``PR_SET_PDEATHSIG`` fires when
    the creating *thread* ends, which a pool may do at any time).
    """

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(0)
            time.sleep(interval)

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread
