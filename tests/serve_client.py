"""What the endpoint tests share: a client that never raises on an HTTP error, and queries.

The tests' endpoints run inside the pytest worker, and the serve memory limit counts the
memory of the process the endpoint runs in: a worker holding an earlier file's fixtures
(the whole corpus of test_national.py) is past the default limit (1,792 MB) before any
query, and the watcher would kill the workers under every test. So every test's
EndpointConfig says memory_limit=0 and memory_budget=0 (no sampling, no replacing) unless it
is about them: test_serve_limits.py sets the pool's budget or limit itself there."""

import urllib.error
import urllib.parse
import urllib.request

IG = "https://w3id.org/inspectgraph/def/"
FINDINGS = (
    f"SELECT ?f ?d WHERE {{ ?f a <{IG}Finding> ; <http://purl.org/dc/terms/description> ?d }} "
    "ORDER BY ?f"
)
#: a cross product: never finishes within a test's time limit, and its memory grows
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def http(url, data=None, headers=None, method=None):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def ask(url, query, **headers):
    return http(
        url,
        urllib.parse.urlencode({"query": query}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
