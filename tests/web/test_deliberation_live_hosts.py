"""The live session mode across processes, for real: two `detente serve` hosts and a
`detente worker` on PostgreSQL and Redis, with HAProxy and nginx in front, configured as
docs/deployment.md says.

An event published by one process reaches a browser's stream held by another: a vote through
host A moves the projector's counters on host B, a recompute stored by the job worker redraws
its map, a moderation on host A tells a phone on host B. Through either proxy, events pass at
once (no buffering) and heartbeats keep an idle stream open past the proxy's idle timeout.

Slow (about a minute). Needs PostgreSQL, Redis, haproxy and nginx: skipped where one is absent,
a failure under CI.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from detente.accounts import create_user
from detente.deliberation import create_deliberation, seed_statements
from detente.forum import DEMO_EVENT_SLUG, load_demo_forum
from detente.store import create_db_engine, session_scope
from tests.conftest import CSRF_PATTERN, IN_CI, REPO_ROOT
from tests.web.sse_client import Stream

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

PASSWORD = "live hosts organizer password"
HEARTBEAT = 1.0
#: The proxies' idle timeouts in this test: a few heartbeats, so that a stream outliving them
#: proves the heartbeats keep it open.
PROXY_IDLE = 3
STATEMENTS = [
    "Nuclear launch decisions must stay with humans.",
    "Lethal autonomous weapons should be banned by treaty.",
    "Norms of responsible use beat a ban on autonomous weapons.",
    "Military AI raises the risk of accidental escalation.",
    "Verification of limits on military AI is impossible.",
    "Major powers need a standing dialogue on AI incidents.",
]


def _binary(name: str) -> str:
    found = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists()
                                   else None)
    if found is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
            return
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited: {log.read_text()[-2000:]}")
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {timeout} s")


def _documented(language: str) -> str:
    """The ```language block of docs/deployment.md."""
    text = (REPO_ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    found = re.search(rf"```{language}\n(.*?)```", text, re.S)
    assert found, f"no {language} block in docs/deployment.md"
    return found.group(1)


def haproxy_config(port: int, hosts: list[int]) -> str:
    """The documented HAProxy configuration on loopback, idle timeouts shortened."""
    config = _documented("haproxy")
    config = config.replace("bind :443 ssl crt /etc/haproxy/detente.pem",
                            f"bind 127.0.0.1:{port}")
    config = config.replace("10.0.0.11:8000", f"127.0.0.1:{hosts[0]}")
    config = config.replace("10.0.0.12:8000", f"127.0.0.1:{hosts[1]}")
    config = re.sub(r"timeout (client|server) 30s", rf"timeout \1 {PROXY_IDLE}s", config)
    assert "10.0.0." not in config and f"timeout server {PROXY_IDLE}s" in config
    return config


def nginx_config(port: int, hosts: list[int], folder: Path) -> str:
    """The documented nginx server, in a configuration of its own on loopback."""
    server = _documented("nginx")
    server = server.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    server = "\n".join(line for line in server.splitlines() if "ssl_certificate" not in line)
    server = server.replace("10.0.0.11:8000", f"127.0.0.1:{hosts[0]}")
    server = server.replace("10.0.0.12:8000", f"127.0.0.1:{hosts[1]}")
    # The stream location's own timeouts, shortened like HAProxy's.
    server = server.replace("proxy_read_timeout 1h;", f"proxy_read_timeout {PROXY_IDLE}s;")
    assert "10.0.0." not in server and "proxy_buffering off;" in server
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root (CI), nginx's workers would otherwise run as nobody, who cannot write tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""daemon off;
{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
{temp}
{server}
}}
"""


@dataclass
class Site:
    folder: Path
    env: dict[str, str]
    hosts: list[int] = field(default_factory=list)
    haproxy: int = 0
    nginx: int = 0
    processes: list[subprocess.Popen] = field(default_factory=list)

    def spawn(self, name: str, command: list[str]) -> tuple[subprocess.Popen, Path]:
        log = self.folder / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(command, env=self.env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process, log

    def url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        for process in reversed(self.processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


@pytest.fixture
def site(postgres_url: str, redis_url: str, redis_prefix: str,
         tmp_path: Path) -> Iterator[tuple[Site, int]]:
    haproxy, nginx = _binary("haproxy"), _binary("nginx")
    engine = create_db_engine(postgres_url)
    load_demo_forum(engine)
    with session_scope(engine) as db:
        create_user(db, "organizer", PASSWORD, organizer=True)
        deliberation = create_deliberation(db, DEMO_EVENT_SLUG, 2, "Where are the red lines?")
        seed_statements(db, deliberation, STATEMENTS)
        d = deliberation.id
    engine.dispose()
    env = {**os.environ, "DETENTE_DATABASE_URL": postgres_url, "DETENTE_REDIS_URL": redis_url,
           "DETENTE_REDIS_PREFIX": redis_prefix, "DETENTE_JOB_QUEUE": "postgresql",
           "DETENTE_SECRET_KEY": "live-hosts-test-secret-key-0123456789",
           "DETENTE_RECOMPUTE_DELAY": "0.3", "DETENTE_LIVE_HEARTBEAT": str(HEARTBEAT),
           "DETENTE_TRUSTED_PROXIES": "127.0.0.1", "DETENTE_MEDIA_DIR": str(tmp_path / "media")}
    site = Site(tmp_path, env)
    detente = str(Path(sys.executable).parent / "detente")
    try:
        started = []
        for name in ("host-a", "host-b"):
            port = _free_port()
            process, log = site.spawn(name, [detente, "serve", "--host", "127.0.0.1",
                                             "--port", str(port)])
            started.append((port, process, log))
            site.hosts.append(port)
        site.spawn("jobs", [detente, "worker", "--name", "live-test", "--heartbeat", "1"])
        for port, process, log in started:
            _wait_port(port, process, log)
        site.haproxy = _free_port()
        config = tmp_path / "haproxy.cfg"
        config.write_text(haproxy_config(site.haproxy, site.hosts))
        process, log = site.spawn("haproxy", [haproxy, "-f", str(config), "-db"])
        _wait_port(site.haproxy, process, log, 15)
        site.nginx = _free_port()
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp_path / kind).mkdir()
        config = tmp_path / "nginx.conf"
        config.write_text(nginx_config(site.nginx, site.hosts, tmp_path))
        process, log = site.spawn("nginx", [nginx, "-c", str(config), "-p", str(tmp_path)])
        _wait_port(site.nginx, process, log, 15)
        yield site, d
    finally:
        site.stop()


def _client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, follow_redirects=False, timeout=15)


def _join_and_vote(base: str, d: int, camp: int) -> str:
    """A participant joins through ``base`` and votes on everything; returns their token."""
    with _client(base) as client:
        token = client.post(f"/api/deliberations/{d}/participants").json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        while (answer := client.get(f"/api/deliberations/{d}/next",
                                    headers=headers)).status_code == 200:
            statement = answer.json()["statement"]["id"]
            value = camp if statement % 2 else -camp
            assert client.post(f"/api/deliberations/{d}/votes", headers=headers,
                               json={"statement": statement, "vote": value}).status_code == 201
    return token


def test_events_from_any_process_reach_streams_on_another_host_and_through_both_proxies(
        site: tuple[Site, int]) -> None:
    deployment, d = site
    a, b = (deployment.url(port) for port in deployment.hosts)
    projector = Stream(_client(b), f"/deliberations/{d}/live/events")
    phone = Stream(_client(b), f"/deliberations/{d}/events?waiting={len(STATEMENTS)}"
                               "&showing=1")
    proxied = {name: Stream(_client(deployment.url(port)), f"/deliberations/{d}/live/events")
               for name, port in (("haproxy", deployment.haproxy),
                                  ("nginx", deployment.nginx))}
    streams = [projector, phone, *proxied.values()]
    try:
        assert all(stream.status == 200 for stream in streams)
        for stream in (projector, *proxied.values()):
            stream.next("board")
        phone.next("statements")

        # Votes through host A reach the projector on host B (and behind both proxies).
        started = time.monotonic()
        _join_and_vote(a, d, 1)
        counted = projector.next("counts", where=lambda m: m["json"]["votes"] == 6)
        assert counted["at"] - started < 5, "the counts took too long to cross hosts"
        for name, stream in proxied.items():
            got = stream.next("counts", where=lambda m: m["json"]["votes"] == 6)
            assert got["at"] - started < 5, f"{name} held the event back"

        # Two more voters: the job worker recomputes; its result redraws the map on host B.
        _join_and_vote(a, d, 1)
        _join_and_vote(a, d, -1)
        board = projector.next("board", timeout=45, where=lambda m: bool(m["json"]["computed_at"]))
        assert "opinion-map" in board["json"]["html"]

        # A statement submitted and accepted on host A: the phone on host B hears of it.
        organizer = _client(a)
        token = CSRF_PATTERN.search(organizer.get("/login").text).group(1)
        assert organizer.post("/login", data={"username": "organizer", "password": PASSWORD,
                                              "next": "/", "csrf_token": token}
                              ).status_code == 303
        voter = _join_and_vote(a, d, 1)
        with _client(a) as client:
            submitted = client.post(f"/api/deliberations/{d}/statements",
                                    headers={"Authorization": f"Bearer {voter}"},
                                    json={"text": "Crisis hotlines should cover AI incidents."})
            assert submitted.status_code == 201
        csrf = CSRF_PATTERN.search(organizer.get(f"/deliberations/{d}/manage").text).group(1)
        assert organizer.post(f"/deliberations/{d}/moderate/{submitted.json()['id']}",
                              data={"csrf_token": csrf, "decision": "accepted"}
                              ).status_code == 303
        assert phone.next("statements", where=lambda m: m["json"]["new"] == 1)
        organizer.close()

        # Idle: heartbeats keep the proxied streams open past the proxies' idle timeout.
        quiet = {name: stream.events_within(PROXY_IDLE + 2) for name, stream in proxied.items()}
        for name, stream in proxied.items():
            assert sum(1 for m in quiet[name] if m.get(":comment") == "keep-alive") >= PROXY_IDLE
            assert stream.thread.is_alive(), f"{name} closed an idle stream"
        _join_and_vote(a, d, -1)
        for name, stream in proxied.items():
            assert stream.next("counts", where=lambda m: m["json"]["participants"] == 5), name
    finally:
        for stream in streams:
            stream.close()
