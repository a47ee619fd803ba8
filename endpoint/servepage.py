"""The query page of ``inspectgraph serve``: one self-contained HTML file.

Everything is inline (no script, style, font or image from anywhere else) and the
server sends it with a Content-Security-Policy that forbids other origins, so the
page works offline and talks only to its own endpoint. Results are written with
``textContent``, never as HTML.
"""

from __future__ import annotations

import html
import json

__all__ = ["render_page"]


def render_page(title: str, examples: list[dict], graphs: int) -> bytes:
    """The page as UTF-8 bytes; ``examples`` are ``{name, title, query}`` dicts.

    >>> page = render_page("T", [{"name": "q", "title": "Q", "query": "ASK {}"}], 2)
    >>> b"<title>T</title>" in page and b"http" not in page.split(b"<body")[0]
    True
    """
    data = json.dumps(examples, ensure_ascii=False).replace("</", "<\\/")
    text = (
        PAGE.replace("{{TITLE}}", html.escape(title))
        .replace("{{GRAPHS}}", str(graphs))
        .replace("{{EXAMPLES}}", data)
    )
    return text.encode("utf-8")


PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>
  :root { --fg: #1d2433; --muted: #5b6476; --line: #d8dde6; --accent: #1f5fbf; --bad: #a32020; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
         color: var(--fg); }
  header { padding: 12px 20px; border-bottom: 1px solid var(--line); display: flex; gap: 16px;
           align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0; }
  header span { color: var(--muted); font-size: 13px; }
  main { padding: 12px 20px; }
  .bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
  textarea { width: 100%; min-height: 260px;
             font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace;
             padding: 8px; border: 1px solid var(--line); border-radius: 4px; resize: vertical; }
  button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 6px 14px;
           font-size: 14px; cursor: pointer; }
  button.secondary { background: #eef2f8; color: var(--fg); }
  select { padding: 4px; }
  #status { color: var(--muted); font-size: 13px; }
  #error { color: var(--bad); white-space: pre-wrap; font-family: ui-monospace, Menlo, monospace; }
  table { border-collapse: collapse; margin-top: 8px; font-size: 13px; }
  th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
  th { background: #f3f5f9; position: sticky; top: 0; }
  td.iri { color: var(--accent); cursor: pointer; }
  td .dt { color: var(--muted); font-size: 11px; }
  pre#graph { background: #f7f8fa; padding: 8px; overflow: auto; font-size: 12px; }
  #results { overflow: auto; max-height: 70vh; }
</style>
</head>
<body>
<header>
  <h1>{{TITLE}}</h1>
  <span>SPARQL 1.1 endpoint at <code id="endpoint"></code> &middot; {{GRAPHS}} named graphs,
    queried as one (the default graph is their union) &middot; read-only &middot;
    <a href="browse">browse the graph</a></span>
</header>
<main>
  <div class="bar">
    <label>Example <select id="examples">
      <option value="">(choose a named query)</option></select></label>
  </div>
  <textarea id="query" spellcheck="false" aria-label="SPARQL query">PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n) ?class
LIMIT 50</textarea>
  <div class="bar">
    <button id="run" title="Ctrl+Enter">Run</button>
    <label>Download as <select id="format">
      <option value="csv">CSV</option><option value="tsv">TSV</option>
      <option value="json">SPARQL JSON</option><option value="xml">SPARQL XML</option>
      <option value="ttl">Turtle (CONSTRUCT)</option>
      <option value="nt">N-Triples (CONSTRUCT)</option>
      <option value="jsonld">JSON-LD (CONSTRUCT)</option>
    </select></label>
    <button id="download" class="secondary">Download</button>
    <span id="status"></span>
  </div>
  <div id="error"></div>
  <div id="results"></div>
</main>
<script type="application/json" id="example-data">{{EXAMPLES}}</script>
<script>
(function () {
  "use strict";
  var endpoint = new URL("sparql", window.location.href).href;
  var $ = function (id) { return document.getElementById(id); };
  $("endpoint").textContent = endpoint;
  var examples = JSON.parse($("example-data").textContent);
  examples.forEach(function (ex, i) {
    var o = document.createElement("option");
    o.value = String(i);
    o.textContent = ex.name + " \u2014 " + ex.title;
    $("examples").appendChild(o);
  });
  $("examples").addEventListener("change", function () {
    if (this.value !== "") { $("query").value = examples[Number(this.value)].query; }
  });

  function prefixes(query) {
    var out = [], re = /PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>/gi, m;
    while ((m = re.exec(query)) !== null) { out.push([m[1] || "", m[2]]); }
    return out;
  }
  function compact(iri, pfx) {
    for (var i = 0; i < pfx.length; i++) {
      var ns = pfx[i][1];
      if (ns && iri.indexOf(ns) === 0 && /^[\w.-]*$/.test(iri.slice(ns.length))) {
        return pfx[i][0] + ":" + iri.slice(ns.length);
      }
    }
    return "<" + iri + ">";
  }
  function post(query, accept, format) {
    var body = new URLSearchParams();
    body.set("query", query);
    if (format) { body.set("format", format); }
    return fetch(endpoint, { method: "POST", body: body,
      headers: { "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" } });
  }
  function clear() { $("error").textContent = ""; $("results").textContent = ""; }

  function showTable(data, pfx) {
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement("table"), tr = document.createElement("tr");
    vars.forEach(function (v) {
      var th = document.createElement("th"); th.textContent = "?" + v; tr.appendChild(th);
    });
    table.appendChild(tr);
    rows.forEach(function (row) {
      var r = document.createElement("tr");
      vars.forEach(function (v) {
        var td = document.createElement("td"), t = row[v];
        if (t && t.type === "uri") {
          td.textContent = compact(t.value, pfx);
          td.className = "iri";
          td.title = "Show what the graph says about " + t.value;
          td.addEventListener("click", function () {
            $("query").value = "SELECT ?property ?value\nWHERE { <" + t.value +
              "> ?property ?value }\n" +
              "ORDER BY ?property ?value";
            run();
          });
        } else if (t && t.type === "literal") {
          td.textContent = t.value;
          if (t.datatype || t["xml:lang"]) {
            var s = document.createElement("span"); s.className = "dt";
            s.textContent = t["xml:lang"] ? " @" + t["xml:lang"] : " " + compact(t.datatype, pfx);
            td.appendChild(s);
          }
        } else if (t) {
          td.textContent = t.type === "bnode" ? "_:" + t.value : JSON.stringify(t.value);
        }
        r.appendChild(td);
      });
      table.appendChild(r);
    });
    $("results").appendChild(table);
    return rows.length;
  }

  function run() {
    clear();
    var query = $("query").value, started = performance.now();
    $("status").textContent = "running\u2026";
    post(query, "application/sparql-results+json, text/turtle;q=0.9").then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (text) { return [response, type, text]; });
    }).then(function (r) {
      var response = r[0], type = r[1], text = r[2];
      var seconds = ((performance.now() - started) / 1000).toFixed(2) + " s";
      if (!response.ok) {
        $("status").textContent = "error " + response.status + " after " + seconds;
        $("error").textContent = text;
        return;
      }
      if (type.indexOf("json") >= 0) {
        var data = JSON.parse(text);
        if (typeof data.boolean === "boolean") {
          $("results").textContent = data.boolean ? "true" : "false";
          $("status").textContent = "ASK answered in " + seconds;
        } else {
          var n = showTable(data, prefixes(query));
          $("status").textContent = n + " row" + (n === 1 ? "" : "s") + " in " + seconds;
        }
      } else {
        var pre = document.createElement("pre"); pre.id = "graph"; pre.textContent = text;
        $("results").appendChild(pre);
        $("status").textContent = "graph in " + seconds;
      }
    }).catch(function (e) {
      $("status").textContent = "";
      $("error").textContent = "The endpoint did not answer: " + e;
    });
  }

  function download() {
    var format = $("format").value, query = $("query").value;
    $("error").textContent = "";
    post(query, "*/*", format).then(function (response) {
      return response.blob().then(function (blob) { return [response, blob]; });
    }).then(function (r) {
      if (!r[0].ok) { return r[1].text().then(function (t) { $("error").textContent = t; }); }
      var a = document.createElement("a");
      a.href = URL.createObjectURL(r[1]);
      a.download = "results." + format;
      document.body.appendChild(a); a.click(); a.remove();
    }).catch(function (e) { $("error").textContent = "The endpoint did not answer: " + e; });
  }

  $("run").addEventListener("click", run);
  $("download").addEventListener("click", download);
  $("query").addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(); }
  });
})();
</script>
</body>
</html>
"""
