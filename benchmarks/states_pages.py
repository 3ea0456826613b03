"""Time the state-position pages: the first request (which must not wait for a long analysis)
and the same page once the analysis is cached.

    DETENTE_DATABASE_URL=sqlite:///history.db python benchmarks/states_pages.py

The database must hold the shipped facts and the 1946-2019 history (``detente states
load-facts`` and ``detente states import-unga ../shared/data/unga-votes``). For each page the
script times the first response, waits until the background analysis is done (polling every
0.5 s), then times the cached page three times and keeps the median.
"""

from __future__ import annotations

import statistics
import time
import warnings

from states_import import machine  # type: ignore[import-not-found]

from detente.settings import load_settings
from detente.web.app import create_app

PAGES = (
    ("AI topic (3 roll calls)", "/states?topic=ai"),
    ("all roll calls, 1946-2025 (6,205)", "/states?topic="),
    ("ideal points of six states, 1990-2019 (30 sessions)",
     "/states/ideal-points?states=USA,CHN,RUS,GBR,FRA,IND&from=1990&to=2019"),
)


def main() -> None:
    """Time each page cold (first request) and warm (cached)."""
    warnings.filterwarnings("ignore")
    from fastapi.testclient import TestClient

    client = TestClient(create_app(load_settings()))
    print(machine())
    for label, path in PAGES:
        started = time.perf_counter()
        first = client.get(path)
        cold = time.perf_counter() - started
        pending = 'class="pending"' in first.text
        while 'class="pending"' in client.get(path).text:
            time.sleep(0.5)
        ready = time.perf_counter() - started
        warm = []
        for _ in range(3):
            started = time.perf_counter()
            client.get(path)
            warm.append(time.perf_counter() - started)
        state = "computing in the background" if pending else "complete"
        print(f"{label}: first response {cold:.2f} s ({state}), result ready after "
              f"{ready:.1f} s, cached page {statistics.median(warm):.2f} s")


if __name__ == "__main__":
    main()
