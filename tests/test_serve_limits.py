"""`inspectgraph serve` under its limits: the row cap, the time limit (a 503, never a cut),
queries that overrun, the memory budget and the hard memory limit, and many clients at once."""

import json
import sys
import threading
import time
from pathlib import Path

import pytest

from inspectgraph.endpoint.serve import Endpoint, EndpointConfig

sys.path.insert(0, str(Path(__file__).parent))
from serve_client import CROSS, FINDINGS, ask  # noqa: E402


def test_row_cap_is_an_error_not_a_cut(built_store_dir):
    config = EndpointConfig(memory_limit=0, memory_budget=0, max_rows=5, workers=1)
    with Endpoint(built_store_dir, config=config) as ep:
        status, _, body = ask(ep.url, FINDINGS)
        assert status == 400 and b"more than 5 rows" in body
        status, _, body = ask(ep.url, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert status == 400 and b"more than 5 triples" in body
        status, _, body = ask(ep.url, FINDINGS + " LIMIT 5")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5


@pytest.mark.slow  # two seconds or more: the full suite only
def test_time_limit_ends_in_an_error_and_the_endpoint_recovers(built_store_dir):
    config = EndpointConfig(memory_limit=0, memory_budget=0, timeout=1.5, workers=1)
    slow = CROSS
    with Endpoint(built_store_dir, config=config) as ep:
        started = time.monotonic()
        status, headers, body = ask(ep.url, slow, Accept="text/csv")
        assert status == 503 and b"time limit" in body
        assert headers["Content-Type"].startswith("text/plain")  # an error, not results
        assert time.monotonic() - started < 15
        for _ in range(100):  # a fresh worker replaces the stopped one
            status, _, body = ask(ep.url, "ASK { ?s ?p ?o }")
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.slow  # two seconds or more: the full suite only
def test_an_overrunning_query_is_stopped_without_cutting_short_the_others(built_store_dir):
    """Queries share a worker process (threads over one store); the one that overruns is
    answered 503 at its limit, the others sent meanwhile are answered in full, and the
    process that ran it is killed once nobody waits for it (the query stops)."""
    slow = CROSS
    with Endpoint(
        built_store_dir,
        config=EndpointConfig(memory_limit=0, memory_budget=0, timeout=2, workers=4),
    ) as ep:
        first = ep._pool._worker.process
        outcome = {}
        overrun = threading.Thread(target=lambda: outcome.update(slow=ask(ep.url, slow)[0]))
        overrun.start()
        others = []
        while overrun.is_alive() or not others:
            status, _, body = ask(ep.url, FINDINGS + " LIMIT 3")
            others.append((status, len(json.loads(body)["results"]["bindings"])))
        overrun.join()
        assert outcome["slow"] == 503
        assert set(others) == {(200, 3)}
        assert first.wait(timeout=30) is not None  # killed, with the query it ran
        assert ask(ep.url, "ASK { ?s ?p ?o }")[0] == 200


@pytest.mark.slow  # two seconds or more: the full suite only
def test_a_query_that_overran_runs_alone_and_stops_at_its_limit(built_store_dir):
    """The second time a query that overran is asked, it runs in a process of its own,
    killed at its limit: the shared process is not drained again, and answers others."""
    slow = CROSS
    # no memory budget: the first run's orphan (a cross product) can leave the last memory
    # sample over the default budget, and a suspect then shares; that is the next test's case
    config = EndpointConfig(memory_limit=0, timeout=1.5, workers=4, memory_budget=0)
    with Endpoint(built_store_dir, config=config) as ep:
        pool = ep._pool
        first = pool._worker.process
        assert ask(ep.url, slow)[0] == 503  # first time: in the shared process, drained
        for _ in range(600):
            if first.poll() is not None and not pool._draining and pool._spare is not None:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the first process was not drained and a spare started in 120 s")
        shared = pool._worker.process
        status, _, body = ask(ep.url, slow)
        assert status == 503 and b"time limit" in body
        assert pool.alone_runs == 1
        assert not pool._alone  # its process is gone, killed at the limit
        assert pool._worker.process is shared and shared.poll() is None  # not drained
        status, _, body = ask(ep.url, FINDINGS + " LIMIT 3")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
        # a query that finishes in time in its own process shares again
        quick = FINDINGS + " LIMIT 2"
        pool._suspect(json.dumps([quick, None, None, ep.url]))
        status, _, body = ask(ep.url, quick)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
        assert pool.alone_runs == 2 and not pool._is_suspect(
            json.dumps([quick, None, None, ep.url])
        )


@pytest.mark.slow  # two seconds or more: the full suite only
def test_a_suspect_past_the_memory_budget_shares_or_is_stopped_with_a_503(built_store_dir):
    """A query that overran before runs alone, but only under the memory budget (else
    it shares); past the budget while it runs alone, its process is the one stopped (a
    503 that says why), and the shared process answers on."""
    slow = CROSS
    with Endpoint(
        built_store_dir,
        config=EndpointConfig(memory_limit=0, memory_budget=0, timeout=6, workers=4),
    ) as ep:
        pool = ep._pool
        pool._suspect(json.dumps([slow, None, None, ep.url]))
        shared = pool._worker.process
        pool.memory_budget = 4  # bytes: always over it
        while pool.last_rss <= 4:
            time.sleep(0.1)
        status, _, body = ask(ep.url, slow)  # over the budget: it shares, and overruns
        assert status == 503 and b"time limit" in body and pool.alone_runs == 0
        for _ in range(150):  # its process drains and is replaced
            if shared.poll() is not None and not pool._draining:
                break
            time.sleep(0.2)
        shared = pool._worker.process
        pool.memory_budget = None  # under the budget: it starts, alone
        outcome = {}
        asking = threading.Thread(target=lambda: outcome.update(r=ask(ep.url, slow)))
        asking.start()
        while not pool._alone:
            time.sleep(0.05)
        pool.memory_budget = 4  # and now over it: that process is stopped
        asking.join()
        status, headers, body = outcome["r"]
        assert status == 503 and b"memory passed its budget" in body, body
        assert headers["Content-Type"].startswith("text/plain")
        assert pool.stopped == 1 and pool.alone_runs == 1
        assert pool._worker.process is shared and shared.poll() is None
        pool.memory_budget = None
        status, _, body = ask(ep.url, FINDINGS + " LIMIT 3")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3


@pytest.mark.slow
def test_a_memory_budget_replaces_the_worker_and_every_answer_arrives(built_store_dir):
    """A budget smaller than any process makes the watcher replace the shared process
    again and again while queries run; each request still gets its whole answer."""
    with Endpoint(
        built_store_dir, config=EndpointConfig(memory_limit=0, memory_budget=0, workers=4)
    ) as ep:
        expected = len(json.loads(ask(ep.url, FINDINGS)[2])["results"]["bindings"])
        ep._pool.memory_budget = 1  # byte: always over it (its watcher reads it anew)
        outcomes = []
        until = time.monotonic() + 120

        def client():  # until the shared process has been replaced three times
            while ep._pool.recycled < 3 and time.monotonic() < until:
                status, _, body = ask(ep.url, FINDINGS)
                rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else body
                outcomes.append((status, rows))

        threads = [threading.Thread(target=client) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        recycled = ep._pool.recycled
    assert expected > 20 and len(outcomes) >= 6
    assert set(outcomes) == {(200, expected)}, [o for o in outcomes if o != (200, expected)][:3]
    assert recycled >= 3


def test_many_clients_connecting_at_once_are_all_answered(built_store_dir):
    """Clients that connect together queue in the listen backlog, never reset (the load
    test's 16 clients met resets with the standard library's backlog of 5)."""
    outcomes = []
    with Endpoint(
        built_store_dir, config=EndpointConfig(memory_limit=0, memory_budget=0, workers=2)
    ) as ep:
        start = threading.Barrier(64)

        def client():
            start.wait()
            try:
                outcomes.append(ask(ep.url, "ASK { ?s ?p ?o }")[0])
            except OSError as exc:
                outcomes.append(repr(exc))

        threads = [threading.Thread(target=client) for _ in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert outcomes == [200] * 64, [o for o in outcomes if o != 200][:3]


def _product(n: int) -> str:
    """A query that counts n × n rows: a second or so for n = 2000, whatever the store."""
    left = f"{{ SELECT ?a WHERE {{ ?a ?b ?c }} LIMIT {n} }}"
    right = f"{{ SELECT ?d WHERE {{ ?d ?e ?f }} LIMIT {n} }}"
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ {left} {right} }}"


def _in_flight(pool, timeout: float = 30) -> None:
    """Wait until the shared process is running a query (a fresh one after a kill)."""
    until = time.monotonic() + timeout
    while pool._worker.killed or not pool._worker.waiting:
        assert time.monotonic() < until, "no query reached the worker"
        time.sleep(0.005)


def _answered_through_kills(ep, kills: int) -> None:
    """Ask for the 2000 x 2000 product and kill the shared process ``kills`` times while it
    runs the query (the memory limit's way): the answer still comes, and in full."""
    pool = ep._pool
    outcome = {}
    asking = threading.Thread(target=lambda: outcome.update(r=ask(ep.url, _product(2000))))
    asking.start()
    for _ in range(kills):
        _in_flight(pool)
        pool._over_limit(pool._sizes())
    asking.join()
    status, _, body = outcome["r"]
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(2000 * 2000)


def test_past_the_memory_limit_the_process_is_killed_and_its_queries_sent_again(
    built_store_dir,
):
    """The hard limit: the watcher kills the largest process the moment the tree passes
    it; a query that was running there is sent again to a fresh process and answered in
    full, not cut short and not an error."""
    query = _product(2000)
    config = EndpointConfig(timeout=60, workers=4, memory_budget=0, memory_limit=0)
    with Endpoint(built_store_dir, config=config) as ep:
        pool = ep._pool
        outcome = {}
        first = pool._worker.process
        asking = threading.Thread(target=lambda: outcome.update(r=ask(ep.url, query)))
        asking.start()
        _in_flight(pool)
        pool.memory_limit = 1  # byte: over it at the watcher's next sample
        while pool.limit_kills < 1:
            time.sleep(0.002)
        pool.memory_limit = None
        asking.join()
        status, _, body = outcome["r"]
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(2000 * 2000)
        assert first.poll() is not None and pool._worker.process is not first
        assert pool.limit_kills == 1 and pool.retried == 1


def test_a_query_in_flight_at_two_memory_kills_runs_alone_and_is_answered(built_store_dir):
    """The likeliest cause of the memory: a query in flight at two kills runs alone, where
    the limit stops it only if it is the largest process; innocent, it is answered in full."""
    config = EndpointConfig(timeout=60, workers=4, memory_budget=0, memory_limit=0)
    with Endpoint(built_store_dir, config=config) as ep:
        pool = ep._pool
        _answered_through_kills(ep, 2)
        assert pool.retried == 2 and pool.alone_runs == 1 and pool.limit_kills == 2


@pytest.mark.slow
def test_with_no_place_alone_a_query_killed_three_times_shares_again(built_store_dir):
    """With every place alone taken, a query in flight at each kill is sent again to the
    shared process, within its time limit, and answered in full: a kill is never the
    client's error; only the time limit ends it."""
    config = EndpointConfig(timeout=60, workers=4, memory_budget=0, memory_limit=0)
    with Endpoint(built_store_dir, config=config) as ep:
        pool = ep._pool
        while pool.alone_slots.acquire(blocking=False):  # every place alone taken
            pass
        _answered_through_kills(ep, 3)
        assert pool.retried == 3 and pool.alone_runs == 0 and pool.limit_kills == 3


def test_a_query_alone_past_the_memory_limit_is_stopped_with_a_503(built_store_dir):
    """Alone, a query is stopped by the limit only when its process is the largest: a 503
    that says why (never a cut), and the shared process answers on."""
    config = EndpointConfig(timeout=60, workers=4, memory_budget=0, memory_limit=0)
    with Endpoint(built_store_dir, config=config) as ep:
        pool = ep._pool
        pool._suspect(json.dumps([CROSS, None, None, ep.url]))
        shared = pool._worker.process
        outcome = {}
        asking = threading.Thread(target=lambda: outcome.update(r=ask(ep.url, CROSS)))
        asking.start()
        while not pool._alone:
            time.sleep(0.01)
        [alone] = pool._alone
        sizes = pool._sizes()
        while dict(sizes).get(alone, 0) <= max(s for w, s in sizes if w is not alone):
            time.sleep(0.05)  # the cross product grows past the idle shared process
            sizes = pool._sizes()
        pool.memory_limit = 64 * 2**30  # for the message (the watcher never reaches it)
        pool._over_limit(sizes)
        asking.join()
        status, headers, body = outcome["r"]
        assert status == 503 and b"memory passed its limit (65536 MB); it had overrun" in body, body
        assert headers["Content-Type"].startswith("text/plain")
        assert pool.stopped == 1 and shared.poll() is None
        status, _, body = ask(ep.url, FINDINGS + " LIMIT 3")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
