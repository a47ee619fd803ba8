/* inspectgraph partnership view.  Data come from the JSON block
   #inspectgraph-data; every string is put into the page with textContent
   (never innerHTML) or drawn on the canvas by vis-network. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("inspectgraph-data").textContent);

  function textTip(text) {
    var el = document.createElement("div");
    el.className = "ig-tip";
    el.textContent = String(text);
    return el;
  }

  function svgEl(name, attrs) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    return el;
  }

  function points(list) {
    return list.map(function (p) { return p[0].toFixed(2) + "," + p[1].toFixed(2); }).join(" ");
  }

  function swatch(shape, fill, stroke) {
    var s = svgEl("svg", {width: 18, height: 18, viewBox: "0 0 18 18", "aria-hidden": "true"});
    var paint = {fill: fill, stroke: stroke, "stroke-width": 1.2};
    var c = 9, r = 7, el, i, pts;
    if (shape === "square") {
      el = svgEl("rect", Object.assign({x: 3, y: 3, width: 12, height: 12}, paint));
    } else if (shape === "diamond") {
      el = svgEl("polygon", Object.assign({points: points([[c, 1], [17, c], [c, 17], [1, c]])}, paint));
    } else if (shape === "triangle") {
      el = svgEl("polygon", Object.assign({points: points([[c, 2], [16, 15], [2, 15]])}, paint));
    } else if (shape === "triangleDown") {
      el = svgEl("polygon", Object.assign({points: points([[2, 3], [16, 3], [c, 16]])}, paint));
    } else if (shape === "star" || shape === "hexagon") {
      pts = [];
      var n = shape === "star" ? 10 : 6;
      for (i = 0; i < n; i++) {
        var a = -Math.PI / 2 + i * 2 * Math.PI / n;
        var rr = shape === "star" && i % 2 ? r * 0.45 : r + 1;
        pts.push([c + rr * Math.cos(a), c + rr * Math.sin(a)]);
      }
      el = svgEl("polygon", Object.assign({points: points(pts)}, paint));
    } else {
      el = svgEl("circle", Object.assign({cx: c, cy: c, r: r}, paint));
    }
    s.appendChild(el);
    return s;
  }

  function lineSample(width) {
    var s = svgEl("svg", {width: 40, height: 14, viewBox: "0 0 40 14", "aria-hidden": "true"});
    s.appendChild(svgEl("line", {x1: 2, y1: 7, x2: 38, y2: 7, stroke: "#7b8794",
      "stroke-width": Math.max(1, Math.min(12, Number(width) || 1)), "stroke-linecap": "butt"}));
    return s;
  }

  function textSpan(text, cls) {
    var el = document.createElement("span");
    if (cls) { el.className = cls; }
    el.textContent = String(text);
    return el;
  }

  function buildLegend(legend) {
    var types = document.getElementById("legend-types");
    legend.types.forEach(function (t) {
      var li = document.createElement("li");
      li.appendChild(swatch(t.shape, t.color, t.border));
      li.appendChild(textSpan(t.label));
      li.appendChild(textSpan(t.count, "count"));
      types.appendChild(li);
    });
    document.getElementById("legend-edge-text").textContent = legend.edges.text;
    var edges = document.getElementById("legend-edges");
    legend.edges.samples.forEach(function (s) {
      var li = document.createElement("li");
      li.appendChild(lineSample(s.width));
      li.appendChild(textSpan(s.label));
      edges.appendChild(li);
    });
  }

  buildLegend(data.legend);

  data.nodes.forEach(function (n) { if (typeof n.title === "string") { n.title = textTip(n.title); } });
  data.edges.forEach(function (e) { if (typeof e.title === "string") { e.title = textTip(e.title); } });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);

  window.inspectgraph = {network: network, nodes: nodes, edges: edges};
  network.once("afterDrawing", function () {
    window.inspectgraphCounts = {nodes: nodes.length, edges: edges.length};
    window.inspectgraphReady = true;
  });
  // Fit the nodes, then zoom out a little so that labels at the edge show.
  network.fit({animation: false, maxZoomLevel: 1.5});
  if (nodes.length > 0) {
    network.moveTo({scale: network.getScale() * 0.9, animation: false});
  }
})();
