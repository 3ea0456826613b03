"""Rate limits: counted in the process by default, in Redis across processes when configured."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from detente.errors import InputError, RateLimitedError, UnavailableError
from detente.runtime import RateLimits, Rule, parse_rate
from tests.conftest import run_async


def test_parse_rate_reads_count_and_seconds_and_names_bad_values() -> None:
    assert parse_rate("120/60") == (120, 60.0)
    assert parse_rate("5") == (5, 60.0)
    with pytest.raises(InputError, match="DETENTE_VOTE_RATE_LIMIT"):
        parse_rate("lots/60", "DETENTE_VOTE_RATE_LIMIT")
    with pytest.raises(InputError):
        parse_rate("0/60")


def test_in_process_limit_refuses_past_the_count_per_key() -> None:
    limits = RateLimits()
    rule = Rule("vote", 3, 60)

    async def run() -> list[bool]:
        return [await limits.hit(rule, "p1") for _ in range(4)] + [await limits.hit(rule, "p2")]

    assert run_async(run) == [True, True, True, False, True]


def test_check_raises_429_with_retry_after() -> None:
    limits = RateLimits()
    rule = Rule("login", 1, 30)

    async def run() -> None:
        await limits.check(rule, "10.0.0.1")
        await limits.check(rule, "10.0.0.1")

    with pytest.raises(RateLimitedError) as caught:
        run_async(run)
    assert caught.value.status_code == 429 and caught.value.retry_after == 30


HIT_SCRIPT = """
import asyncio, sys
from detente.runtime import RateLimits, Rule
limits = RateLimits(sys.argv[1], sys.argv[2])
rule = Rule("vote", 4, 60)
async def run():
    return sum([await limits.hit(rule, "p1") for _ in range(3)])
print(asyncio.run(run()))
"""


def test_redis_limit_holds_across_processes(redis_url: str, redis_prefix: str) -> None:
    """Three processes hit the same key three times each; the limit of 4 holds in total."""
    processes = [subprocess.Popen([sys.executable, "-c", HIT_SCRIPT, redis_url, redis_prefix],
                                  stdout=subprocess.PIPE, text=True) for _ in range(3)]
    allowed = [int(p.communicate(timeout=60)[0]) for p in processes]
    assert sum(allowed) == 4


def test_unreachable_redis_refuses_with_503_instead_of_waiving_the_limit() -> None:
    limits = RateLimits("redis://127.0.0.1:1/0", "detente-test-down")
    with pytest.raises(UnavailableError) as caught:
        run_async(lambda: limits.check(Rule("vote", 5, 60), "p1"))
    assert caught.value.status_code == 503 and caught.value.retry_after >= 1


def test_a_redis_restart_costs_no_refusal_once_it_answers_again(own_redis) -> None:  # type: ignore[no-untyped-def]
    # Each worker's pool still holds connections to the Redis that went away; the first use of
    # each used to fail ("Connection closed by server") and answer 503 although Redis was back.
    port, stop, restart = own_redis
    rule = Rule("vote", 1000, 60)

    async def run() -> tuple[int, bool]:
        limits = RateLimits(f"redis://127.0.0.1:{port}/0")
        await asyncio.gather(*(limits.hit(rule, f"p{i}") for i in range(8)))
        stop()
        down = False
        try:
            await limits.hit(rule, "p0")
        except UnavailableError:
            down = True
        restart()
        # As under load: several requests at once take several of the pool's connections.
        answers = await asyncio.gather(
            *(limits.hit(rule, f"p{i}") for i in range(16)), return_exceptions=True
        )
        return sum(isinstance(a, UnavailableError) for a in answers), down

    refused, down = run_async(run)
    assert down, "a limit that cannot be counted while Redis is down is refused, not waived"
    assert refused == 0
