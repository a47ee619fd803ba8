"""The worker pool of the endpoint: worker processes (:mod:`.evaluation`) that evaluate the
queries in threads over one store, the time limit (a query over it is answered 503, never
cut short), and the memory budget."""

from __future__ import annotations

import collections
import json
import os
import sys
import threading
import time

from ..errors import StoreError
from .negotiation import HTTPError

__all__ = ["WorkerPool", "take_slot"]


class _Worker:
    """One worker process (``python -m inspectgraph.endpoint.evaluation --worker``), its pipes, and the
    requests waiting for its answers."""

    def __init__(self, source: dict):
        import subprocess
        from multiprocessing.connection import Connection

        # two malloc arenas, not glibc's eight per core: with a thread per query, each
        # arena kept its own high-water mark of freed memory
        env = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "inspectgraph.endpoint.evaluation",
                "--worker",
                json.dumps(source),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        # the connections own their descriptors; the Popen pipe objects are closed now
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        _ready, self.triples = self.answers.recv()  # EOFError if it could not open the store
        self.lock = threading.Lock()
        self.waiting: dict[int, _Answer] = {}  # job id -> the request waiting for it
        self.draining = False  # takes no new jobs; killed when nobody waits for it
        # jobs still running that nobody waits for: job id -> (query key, overran at)
        self.orphans: dict[int, tuple[str, float]] = {}
        self.on_kill = lambda: None  # the pool's: another worker may drain now
        self.dead = False
        self.taken = 0  # jobs sent to it
        self.over_budget = False  # killed by the memory budget (a suspect running alone)
        self.over_limit = False  # killed by the hard memory limit: its requests retry
        self.killed = False
        self._kill_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def submit(self, job_id: int, job: dict) -> _Answer | None:
        """Send ``job``; ``None`` if this worker takes no new jobs (it drains)."""
        answer = _Answer()
        with self.lock:
            if self.draining or self.killed:
                return None
            if self.dead:
                answer.crashed()
                return answer
            self.waiting[job_id] = answer
            self.taken += 1
            try:
                self.jobs.send((job_id, job))
            except OSError:
                answer.crashed()
        return answer

    def done_with(self, job_id: int) -> None:
        """The request for ``job_id`` has its answer or gave up; a draining worker that
        nobody waits for any more is killed (with any query still running in it)."""
        with self.lock:
            self.waiting.pop(job_id, None)
            finished = self.draining and not self.waiting
        if finished:
            self.kill()

    def _read(self) -> None:
        while True:
            try:
                job_id, status, content_type = self.answers.recv()
                body = self.answers.recv_bytes()
            except (EOFError, OSError):
                break
            with self.lock:
                answer = self.waiting.get(job_id)
                self.orphans.pop(job_id, None)  # it finished after all
            if answer is not None:
                answer.give((status, content_type, body))
            del body
        with self.lock:  # the process died (killed, or out of memory)
            self.dead = True
            for answer in self.waiting.values():
                answer.crashed()
        self.answers.close()

    def stop(self) -> None:
        try:
            with self.lock:
                self.jobs.send(None)
            self.process.wait(timeout=2)
        except Exception:  # noqa: BLE001 - it is going away anyway
            pass
        self.kill()

    def kill(self) -> None:
        """End the process (once: the pool's watcher and a request may both call it)."""
        with self._kill_lock:
            if self.killed:
                return
            self.killed = True
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.jobs.close()
        self.on_kill()


class _Answer:
    """Where a request waits for its worker's answer."""

    def __init__(self):
        self.ready = threading.Event()
        self.result: tuple[int, str, bytes] | None = None

    def give(self, result: tuple[int, str, bytes]) -> None:
        self.result = result
        self.ready.set()

    def crashed(self) -> None:
        self.ready.set()  # with no result


def take_slot(slots: threading.Semaphore, timeout: float, limit: float | None = None) -> None:
    """Wait up to ``timeout`` for one of the queries-at-once ``slots``; a 503 with
    Retry-After when none frees in time (the wait counts against the query's ``limit``,
    by default ``timeout``)."""
    if not slots.acquire(timeout=timeout):
        raise HTTPError(
            503,
            f"every worker stayed busy for the time limit ({limit or timeout:g} s); "
            "try again later",
            [("Retry-After", "5")],
        )


class WorkerPool:
    """Evaluates queries, at most ``size`` at once, in worker processes (threads over one
    store); a query that overruns the time limit is answered 503, never cut short.

    pyoxigraph cannot stop a query, so a query is stopped by ending its process. The
    shared process also runs other clients' queries, so it is not killed at once: a query
    that overruns runs on (an *orphan*: nobody waits for it), since under load most
    overruns are queries a few seconds from their end. When an orphan has run on for
    another time limit, or more than ``max_orphans`` run, the process is set to drain
    (a fresh process takes every new query) and killed when the last request still
    waiting for it has its answer or its own time limit, so that no other query is cut
    short. One process drains at a time. Each drain costs the next queries a cold block
    cache (a query's second run in a process is 1.2–1.8× faster than its first), which is
    why an overrun alone does not drain.

    A query that overran is a *suspect*: the next time it is asked, it runs alone in a
    process of its own (a spare, started beforehand), killed the moment it overruns (as
    Oxigraph's server cancels a query at its limit), so that it neither runs on after
    its 503 nor drains the shared process; one that finishes in time shares again. At
    most a quarter of ``size`` suspects run at once (each has a process and memory of
    its own), and one starts only while the memory is under the budget; otherwise it
    runs in the shared process like any query.

    With ``memory_budget`` (bytes), a thread watches the resident memory of the server
    and its workers: past the budget, the largest suspect running alone is stopped if it
    holds half the budget, else the shared process is set to drain (new queries go to a
    fresh one) and is killed as soon as only orphans remain in it. The budget decides
    what is replaced next; ``memory_limit`` (bytes) is the bound: the watcher samples
    ten times a second, and past the limit the largest process is killed at once. A
    suspect running alone is answered 503; the requests waiting on a shared or
    draining process are sent again to a fresh one (queries only read), within their
    own time limit (a kill is never the client's error: only the time limit ends a
    query). From its second kill on, a query runs alone if a suspect's place is free, so
    that a query that is itself the cause is stopped there (503) and the others are not
    killed again with it.

    One process for all queries, rather than one each, shares one block cache and one
    heap among them: with 16 clients on the national store, 16 processes answered about
    half as many queries as Oxigraph's server, in 2 GB, and threads about as many
    (docs/benchmarks.md)."""

    #: how many suspect queries are remembered (the least recently seen are forgotten)
    SUSPECTS = 256

    def __init__(
        self,
        source: dict,
        size: int,
        memory_budget: int | None = None,
        memory_limit: int | None = None,
    ):
        self.source = source
        self.size = max(1, size)
        self.slots = threading.BoundedSemaphore(self.size)
        # suspects at once, each in its own process with its own memory; more wait
        self.alone_slots = threading.BoundedSemaphore(max(1, self.size // 4))
        self.closed = False
        self.grace = 30.0  # how long an orphan may run on (the time limit: see run)
        self.max_orphans = max(1, self.size // 4)  # more in the shared process drain it
        self.memory_budget = memory_budget
        self.memory_limit = memory_limit
        self.limit_kills = 0  #: processes killed because memory passed the limit
        self.retried = 0  #: queries sent again after their process was killed so
        self.recycled = 0  #: shared processes replaced because memory passed the budget
        self.alone_runs = 0  #: suspect queries run in a process of their own
        self.stopped = 0  #: suspects stopped because memory passed the budget
        self.peak_rss = 0  #: the largest resident memory the watcher saw (bytes)
        self.last_rss = 0  #: the resident memory the watcher saw last (bytes)
        self._lock = threading.RLock()  # a worker killed under it calls _drain_next
        self._ids = iter(range(1, 2**62))
        self._suspects: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._alone: set[_Worker] = set()  # processes running one suspect query each
        self._spare: _Worker | None = None  # ready for the next suspect
        self._spare_lock = threading.Lock()
        self._refills: list[threading.Thread] = []  # starting spares (joined by close)
        self._worker = self._start(count=True)
        self._draining: set[_Worker] = set()  # killed by their last request, or close()
        self.triples = self._worker.triples
        threading.Thread(target=self._watch, daemon=True).start()

    def _current(self) -> _Worker:
        """The process taking new queries: a fresh one when the last drains or died."""
        with self._lock:
            if self._worker.draining or self._worker.dead or self._worker.killed:
                self._worker = self._start()
            return self._worker

    def _start(self, count: bool = False) -> _Worker:
        try:  # only the first process counts the triples (seconds on a national store)
            worker = _Worker({**self.source, "count": count})
        except EOFError:
            raise StoreError(f"{self.source['path']}: a worker could not open the store") from None
        worker.on_kill = self._drain_next
        return worker

    def _overran(self, worker: _Worker, job_id: int, key: str) -> None:
        """``job_id`` overran in ``worker``: it runs on, an orphan, until it finishes or
        its process drains (see :meth:`_drain_next`)."""
        with worker.lock:
            worker.orphans[job_id] = (key, time.monotonic())
        self._suspect(key)
        self._drain_next()

    def _drain_next(self) -> None:
        """Drain the shared process if an orphan in it has run on for another time limit
        (that query becomes a suspect) or more than ``max_orphans`` run in it; not while
        another process drains (one at a time, so that memory holds at most two stores'
        caches and heaps). Called on each overrun, when a process is killed, and by the
        watcher four times a second."""
        with self._lock:
            self._draining = {w for w in self._draining if w.process.poll() is None}
            worker = self._worker
            if self.closed or self._draining or worker.draining:
                return
            now = time.monotonic()
            with worker.lock:
                orphans = list(worker.orphans.values())
            long = [key for key, overran in orphans if now - overran >= self.grace]
            for key in long:
                self._suspect(key)
            if long or len(orphans) > self.max_orphans:
                self._drain(worker)

    def _drain(self, worker: _Worker) -> None:
        """Set the shared ``worker`` to drain (under ``_lock``); killed at once if idle."""
        with worker.lock:
            worker.draining = True
            idle = not worker.waiting
        worker.on_kill = lambda: self._drained(worker)
        self._draining.add(worker)
        self._worker = self._start()  # ready before the next query asks for it
        if idle:
            worker.kill()

    def _drained(self, worker: _Worker) -> None:
        """``worker`` was killed after draining: the orphans still running in it when it
        was killed become suspects (they were not seen to finish); the next may drain."""
        with worker.lock:
            keys = [key for key, _overran in worker.orphans.values()]
        for key in keys:
            self._suspect(key)
        self._drain_next()

    # -- suspects: queries that overran once run alone next time

    def _suspect(self, key: str) -> None:
        with self._lock:
            self._suspects[key] = None
            self._suspects.move_to_end(key)
            while len(self._suspects) > self.SUSPECTS:
                self._suspects.popitem(last=False)
            start_spare = self._spare is None and not self.closed
        if start_spare:
            self._start_refill()

    def _is_suspect(self, key: str) -> bool:
        with self._lock:
            return key in self._suspects

    def _refill(self) -> None:
        """Start a spare process for the next suspect (in the background: a second)."""
        if self.closed:
            return
        try:
            worker = self._start()
        except StoreError:
            return
        worker.on_kill = lambda: None
        with self._spare_lock:
            if self._spare is None and not self.closed:
                self._spare = worker
                return
        worker.kill()

    def _take_spare(self) -> _Worker:
        with self._spare_lock:
            worker, self._spare = self._spare, None
        if worker is None or worker.dead or worker.killed:
            worker = self._start()
            worker.on_kill = lambda: None
        self._start_refill()
        return worker

    def _start_refill(self) -> None:
        thread = threading.Thread(target=self._refill, daemon=True)
        with self._lock:
            self._refills = [t for t in self._refills if t.is_alive()] + [thread]
        thread.start()

    def _run_alone(
        self,
        job: dict,
        key: str,
        deadline: float,
        why: str = "it had overrun the time limit before",
    ) -> tuple[int, str, bytes] | None:
        """A suspect query in a process of its own, killed when it is answered or overruns;
        ``why`` it runs alone is said if the memory stops it."""
        worker = self._take_spare()
        with self._lock:
            self._alone.add(worker)
            self.alone_runs += 1
        try:
            answer = worker.submit(next(self._ids), job)
            answered = answer.ready.wait(max(0.0, deadline - time.monotonic()))
            if answered and answer.result is None and worker.over_budget:
                raise HTTPError(
                    503,
                    "the query was stopped when the endpoint's memory passed its "
                    f"{'limit' if worker.over_limit else 'budget'} ({self._bound_mb(worker)} MB); "
                    f"{why}. "
                    "No partial results are returned. Narrow it down or add LIMIT.",
                )
            if answered and answer.result is None:
                raise HTTPError(500, "the query crashed its worker process (out of memory?)")
            if answered:
                with self._lock:  # in time after all: it may share the process again
                    self._suspects.pop(key, None)
                return answer.result
            return None
        finally:
            worker.kill()  # nothing else runs in it
            with self._lock:
                self._alone.discard(worker)

    # -- the memory budget

    def processes(self) -> list[_Worker]:
        """Every live worker process: the shared one, those draining, alone and spare."""
        with self._lock:
            workers = [self._worker, *self._draining, *self._alone]
        spare = self._spare
        if spare is not None:
            workers.append(spare)
        return [w for w in workers if not w.dead and w.process.poll() is None]

    def resident(self) -> int:
        """Resident memory (bytes) of this process and its worker processes."""
        return _rss(os.getpid()) + sum(size for _w, size in self._sizes())

    def _sizes(self) -> list[tuple[_Worker, int]]:
        return [(w, _rss(w.process.pid)) for w in self.processes()]

    def _bound_mb(self, worker: _Worker) -> int:
        """The bound (MB) that stopped ``worker``: the limit, or else the budget."""
        bound = self.memory_limit if worker.over_limit else self.memory_budget
        return (bound or 0) // 2**20

    def _watch(self) -> None:
        """Drains the shared process when its orphans call for it, or memory does; kills
        a process past the hard limit. Ten samples a second: a query can take
        400 MB a second (the cross product of the load test), so the limit is overshot by
        at most about 40 MB."""
        beat = 0
        while not self.closed:
            time.sleep(0.1)
            beat += 1
            try:
                if beat % 2 == 0:
                    self._drain_next()
                if self.memory_budget or self.memory_limit:
                    sizes = self._sizes()
                    total = self.last_rss = _rss(os.getpid()) + sum(s for _w, s in sizes)
                    self.peak_rss = max(self.peak_rss, total)
                    if self.memory_limit and total > self.memory_limit:
                        self._over_limit(sizes)
                    elif self.memory_budget and total > self.memory_budget and beat % 2 == 0:
                        self._over_budget()
            except (OSError, StoreError) as exc:  # a worker that could not start: next time
                sys.stderr.write(f"inspectgraph serve: {exc}\n")

    def _over_limit(self, sizes: list[tuple[_Worker, int]]) -> None:
        """Past the hard limit: kill a process now (not the spare, which runs nothing): of
        those holding a quarter of the limit or more, the one with the fewest requests
        waiting on it (a draining process with only orphans, a suspect alone), the
        largest of those; if none is that large, the largest. Its requests are answered
        503 (a suspect alone) or sent again (see :meth:`_run_shared`)."""
        with self._lock:
            alone = set(self._alone)
            running = [(s, w) for w, s in sizes if w is not self._spare and not w.killed]
        if not running:
            return
        large = [(s, w) for s, w in running if s >= (self.memory_limit or 0) // 4]
        if large:
            size, worker = min(large, key=lambda pair: (len(pair[1].waiting), -pair[0]))
        else:
            size, worker = max(running, key=lambda pair: pair[0])
        self.limit_kills += 1
        worker.over_limit = True
        if worker in alone:
            worker.over_budget = True  # its request answers 503 (see _run_alone)
            self.stopped += 1
        with worker.lock:
            waiting = len(worker.waiting)
        worker.kill()
        sys.stderr.write(
            f"inspectgraph serve: memory past the limit ({(self.memory_limit or 0) // 2**20} MB): "
            f"killed a worker process of {size // 2**20} MB "
            f"({'a suspect alone' if worker in alone else f'{waiting} queries sent again'})\n"
        )

    def _over_budget(self) -> None:
        """Past the budget: stop the largest suspect running alone if it holds half
        of the budget (one query can take gigabytes: a cross product held 3.8 GB after 20
        s), else replace the shared process (:meth:`_recycle`)."""
        with self._lock:
            alone = [(_rss(w.process.pid), w) for w in self._alone if not w.dead]
        if alone:
            size, worker = max(alone, key=lambda pair: pair[0])
            if size > self.memory_budget // 2:
                worker.over_budget = True
                self.stopped += 1
                worker.kill()  # its request answers 503 (see _run_alone)
                return
        self._recycle()

    def _recycle(self) -> None:
        """Past the budget: new queries go to a fresh process; the shared one is killed
        as soon as only overrunning queries remain in it. Not while another drains (its
        memory is about to go) nor if the shared process has taken no query yet."""
        with self._lock:
            self._draining = {w for w in self._draining if w.process.poll() is None}
            worker = self._worker
            if self.closed or self._draining or worker.draining or not worker.taken:
                return
            self.recycled += 1
            self._drain(worker)

    # -- running a query

    def run(self, job: dict, timeout: float) -> tuple[int, str, bytes]:
        self.grace = timeout
        deadline = time.monotonic() + timeout
        key = _job_key(job)
        # a suspect runs alone if a place among the few suspects at once is free now and
        # the memory is under the budget; else it shares (waiting, small queries that had
        # overrun under load timed out behind large ones)
        suspect = self._is_suspect(key) and self._take_alone()
        try:
            take_slot(self.slots, max(0.0, deadline - time.monotonic()), timeout)
            try:
                if suspect:
                    result = self._run_alone(job, key, deadline)
                else:
                    result = self._run_shared(job, key, deadline)
            finally:
                self.slots.release()
        finally:
            if suspect:
                self.alone_slots.release()
        if result is None:
            raise HTTPError(
                503,
                f"the query exceeded the time limit of {timeout:g} s and was "
                "stopped; no partial results are returned. Narrow it down or add "
                "LIMIT.",
            )
        return result

    def _take_alone(self) -> bool:
        if self.memory_budget and self.last_rss > self.memory_budget:
            return False
        return self.alone_slots.acquire(blocking=False)

    def _run_shared(self, job: dict, key: str, deadline: float) -> tuple[int, str, bytes] | None:
        kills = 0  # how often a process running this query was killed past the memory limit
        while True:
            if kills and time.monotonic() >= deadline:
                return None  # killed, and no time left to send it again: a time-limit 503
            job_id = next(self._ids)
            answer = None
            while answer is None:  # a worker set to drain meanwhile takes no new job
                worker = self._current()
                answer = worker.submit(job_id, job)
            try:
                answered = answer.ready.wait(max(0.0, deadline - time.monotonic()))
                if answered and answer.result is None and worker.over_limit:
                    kills += 1
                    self.retried += 1
                    if kills == 1:
                        continue  # in a fresh process, within what is left of its time
                    if self.alone_slots.acquire(blocking=False):
                        try:  # alone, where the limit stops it only if it is the one
                            return self._run_alone(job, key, deadline, _TWICE)
                        finally:
                            self.alone_slots.release()
                    continue  # no place alone: shares again, within its time limit
                if answered and answer.result is None:
                    raise HTTPError(500, "the query crashed its worker process (out of memory?)")
                if answered:
                    return answer.result
                self._overran(worker, job_id, key)
                return None
            finally:
                worker.done_with(job_id)

    def close(self) -> None:
        self.closed = True
        for thread in list(self._refills):  # a spare starting now is killed as it is ready
            thread.join(timeout=30)
        with self._lock:
            self._worker.stop()
            for worker in [*self._draining, *self._alone]:
                worker.kill()
        with self._spare_lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare.kill()


_TWICE = "it ran alone after two worker processes running it had passed the memory limit"


def _job_key(job: dict) -> str:
    """What makes two jobs the same query (the format of the answer aside)."""
    return json.dumps([job["query"], job["default"], job["named"], job.get("base")])


def _rss(pid: int) -> int:
    """Resident memory of process ``pid`` in bytes (0 if gone, or not Linux)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
