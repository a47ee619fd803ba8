"""Test helpers for users and our own tests: compare graphs the way rdflib does."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

__all__ = ["OxigraphServer", "assert_isomorphic", "free_port", "same_partnership_graph"]


def same_partnership_graph(a, b) -> bool:
    """Whether two partnership graphs have the same nodes and edges with the same attributes,
    and the same findings behind the type-level statistics (in any order)."""
    ia, ib = a.graph["_incidence"], b.graph["_incidence"]
    return (
        dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        and {frozenset(e[:2]): e[2] for e in a.edges(data=True)}
        == {frozenset(e[:2]): e[2] for e in b.edges(data=True)}
        and sorted(ia["findings"], key=repr) == sorted(ib["findings"], key=repr)
        and (ia["types"], ia["total"]) == (ib["types"], ib["total"])
    )


def assert_isomorphic(a: Graph, b: Graph) -> None:
    """Fail with the differing triples (a few of each side) unless ``a`` and ``b`` are
    isomorphic."""
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    if ia == ib:
        return
    _both, only_a, only_b = graph_diff(ia, ib)
    sample_a = sorted(t.n3() if hasattr(t, "n3") else str(t) for t in list(only_a)[:5])
    sample_b = sorted(str(t) for t in list(only_b)[:5])
    raise AssertionError(
        f"graphs differ: {len(only_a)} triples only in first, {len(only_b)} "
        f"only in second\n first: {sample_a}\n second: {sample_b}"
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """A real ``oxigraph serve`` (PyPI ``oxigraph``) on a free loopback port.

    For tests and benchmarks of the remote store::

        with OxigraphServer() as server:
            store = open_store(server.query_url, kind="remote")

    ``location=None`` keeps the data in memory; ``union_default_graph`` makes the
    default graph the union of the named graphs (``--union-default-graph``).
    """

    def __init__(
        self,
        location=None,
        *,
        union_default_graph: bool = False,
        executable: str | None = None,
        startup_timeout: float = 20.0,
    ):
        self.location = location
        self.union_default_graph = union_default_graph
        self.executable = executable or _oxigraph_executable()
        self.startup_timeout = startup_timeout
        self.process = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    def start(self) -> OxigraphServer:
        import subprocess
        import time
        import urllib.request

        for _attempt in range(3):  # the port may be taken between choosing and binding
            self.port = free_port()
            args = [self.executable, "serve", "--bind", f"127.0.0.1:{self.port}"]
            if self.location is not None:
                args += ["--location", str(self.location)]
            if self.union_default_graph:
                args.append("--union-default-graph")
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + self.startup_timeout
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    with urllib.request.urlopen(self.query_url, timeout=2) as response:
                        response.read()
                    return self
                except OSError:
                    time.sleep(0.05)
            self.stop()
        raise RuntimeError(f"`{' '.join(args)}` did not start")

    def clear(self) -> None:
        """Remove every graph (``DROP ALL``)."""
        import urllib.request

        request = urllib.request.Request(
            self.update_url,
            data=b"DROP ALL",
            method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()

    def peak_rss(self) -> int:
        """Peak resident memory of the server process so far, in bytes (Linux)."""
        from pathlib import Path

        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except Exception:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _oxigraph_executable() -> str:
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` command is missing: pip install oxigraph")
    return found
