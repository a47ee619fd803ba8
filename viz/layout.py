"""Precomputed node positions for drawing a partnership graph.

The browser view draws with physics turned off, so every node needs a fixed
position before the page is written.  :func:`compute_layout` provides them.

It is a force-directed (Fruchterman--Reingold) layout written in plain Python,
so that drawing needs neither NumPy nor SciPy (which ``networkx.spring_layout``
and ``networkx.kamada_kawai_layout`` require).  Repulsion is computed exactly
only between nodes in neighbouring cells of a fine grid (the grid variant of
Fruchterman and Reingold's algorithm); farther nodes repel each other through
the centres of mass of the cells of a coarse grid (a one-level Barnes--Hut
approximation).  The cost stays close to linear in the number of nodes: a
1,000-node graph is laid out in about half a second.

Each connected component is laid out on its own and the components are then
packed into rows, largest first, so that small components and isolated
agencies do not drift off to the edges of the picture.
"""

import math

from networkx.utils import py_random_state

__all__ = ["authority_layout", "compute_layout", "grouped_layout"]

#: Length (in output units) of an ideal edge when ``scale`` is None.
UNIT_LENGTH = 100.0

# Coarse-grid cells a side for the far-field repulsion.
_COARSE = 8

# Gap between packed components, in units of the ideal edge length.
_PAD = 1.5


@py_random_state("seed")
def compute_layout(G, seed=0, scale=None, *, edge_length=UNIT_LENGTH, iterations=None, weight=None):
    """Return fixed 2-D positions for the nodes of `G`.

    Parameters
    ----------
    G : networkx.Graph
        The graph to lay out.  Edge direction and multi-edges are ignored.
    seed : int, random.Random or None, optional (default=0)
        Indicator of random number generation state (see
        :ref:`networkx:randomness`) for the random initial positions.  The same
        graph (with the same node and edge order) and the same integer seed
        always give the same layout.  None uses the global random state.
    scale : float or None, optional (default=None)
        If None, positions keep the layout's natural size, in which an ideal
        edge is `edge_length` units long; this suits vis-network, where units
        are screen pixels at zoom 1.  Otherwise positions are rescaled
        (keeping the aspect ratio) so that the largest absolute coordinate
        equals `scale`, as in :func:`networkx.spring_layout`.
    edge_length : float, optional (default=100)
        Ideal edge length when `scale` is None.
    iterations : int or None, optional (default=None)
        Number of force-directed iterations per component.  None chooses a
        number that decreases for very large components.
    weight : str or None, optional (default=None)
        Edge attribute holding a positive number by which that edge's
        attraction is multiplied (for example ``"inspections"`` to pull
        recurrent partners closer).  None weighs all edges equally.

    Returns
    -------
    pos : dict
        A dictionary mapping each node to an ``(x, y)`` tuple of floats,
        centred on the origin.  Each component is turned so that its longest
        axis is horizontal, to suit wide screens.

    See Also
    --------
    networkx.spring_layout

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(4)
    >>> pos = compute_layout(G, seed=1)
    >>> sorted(pos) == list(G)
    True
    >>> pos == compute_layout(G, seed=1)
    True
    >>> pos = compute_layout(G, seed=1, scale=1)
    >>> max(max(abs(x), abs(y)) for x, y in pos.values())
    1.0
    >>> compute_layout(nx.Graph())
    {}
    """
    nodes = list(G)
    if not nodes:
        return {}
    if scale is not None and not scale > 0:
        raise ValueError(f"scale must be positive or None, got {scale!r}")
    if scale is None and not edge_length > 0:
        raise ValueError(f"edge_length must be positive, got {edge_length!r}")
    if iterations is not None and iterations < 0:
        raise ValueError(f"iterations must be non-negative, got {iterations!r}")
    rng = seed  # a random.Random instance, thanks to @py_random_state
    index = {n: i for i, n in enumerate(nodes)}

    # Undirected, simple adjacency on integer indices, in G's edge order.
    weights = {}
    for u, v, data in G.edges(data=True):
        i, j = index[u], index[v]
        if i == j:
            continue
        key = (i, j) if i < j else (j, i)
        w = 1.0
        if weight is not None:
            w = _positive(data.get(weight, 1.0))
        weights[key] = max(w, weights.get(key, 0.0))
    adj = [[] for _ in nodes]
    for i, j in weights:
        adj[i].append(j)
        adj[j].append(i)

    # Connected components, largest first; ties keep the order of G's nodes.
    comps = []
    seen = [False] * len(nodes)
    for start in range(len(nodes)):
        if seen[start]:
            continue
        seen[start] = True
        comp, stack = [start], [start]
        while stack:
            for j in adj[stack.pop()]:
                if not seen[j]:
                    seen[j] = True
                    comp.append(j)
                    stack.append(j)
        comp.sort()
        comps.append(comp)
    comps.sort(key=lambda c: (-len(c), c[0]))

    # Local index of each node within its component, and per-component edges.
    which = [0] * len(nodes)
    local = [0] * len(nodes)
    for c, comp in enumerate(comps):
        for k, i in enumerate(comp):
            which[i] = c
            local[i] = k
    comp_edges = [[] for _ in comps]
    for (i, j), w in weights.items():
        comp_edges[which[i]].append((local[i], local[j], w))

    boxes = []
    for comp, edges in zip(comps, comp_edges, strict=True):
        xs, ys = _spring(len(comp), edges, rng, iterations)
        boxes.append((comp, xs, ys))

    coords = _pack(boxes, len(nodes))

    if scale is None:
        factor = float(edge_length)
    else:
        extent = max(max(abs(x), abs(y)) for x, y in coords)
        factor = scale / extent if extent > 0 else 0.0
    return {nodes[i]: (coords[i][0] * factor, coords[i][1] * factor) for i in range(len(nodes))}


def _positive(value):
    try:
        w = float(value)
    except (TypeError, ValueError):
        return 1.0
    return w if math.isfinite(w) and w > 0 else 1.0


def _spring(n, edges, rng, iterations):
    """Fruchterman--Reingold with grid repulsion; ideal edge length 1.

    Repulsion is exact within the cut-off radius (neighbouring grid cells)
    and approximated by :func:`_far_field` beyond it.
    """
    if n == 1:
        return [0.0], [0.0]
    if n == 2:
        return [-0.5, 0.5], [0.0, 0.0]
    if iterations is None:
        iterations = 80 if n <= 200 else 50
    side = math.sqrt(n)
    xs = [rng.uniform(0.0, side) for _ in range(n)]
    ys = [rng.uniform(0.0, side) for _ in range(n)]
    cell = 2.0  # repulsion cut-off radius (twice the ideal edge length)
    cut2 = cell * cell
    temp = max(side / 5.0, 1.0)
    cool = temp / (iterations + 1)
    neighbour_cells = ((1, -1), (1, 0), (1, 1), (0, 1))
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        grid = {}
        for i in range(n):
            grid.setdefault((int(xs[i] // cell), int(ys[i] // cell)), []).append(i)
        for (cx, cy), members in grid.items():
            # Pairs within the cell.
            m = len(members)
            for a in range(m):
                i = members[a]
                xi, yi = xs[i], ys[i]
                for b in range(a + 1, m):
                    j = members[b]
                    ddx = xi - xs[j]
                    ddy = yi - ys[j]
                    d2 = ddx * ddx + ddy * ddy
                    if d2 < 1e-9:
                        ddx, ddy = rng.uniform(-0.01, 0.01), rng.uniform(-0.01, 0.01)
                        d2 = ddx * ddx + ddy * ddy + 1e-9
                    f = 1.0 / d2
                    dx[i] += ddx * f
                    dy[i] += ddy * f
                    dx[j] -= ddx * f
                    dy[j] -= ddy * f
            # Pairs with half of the neighbouring cells (each pair once).
            for ox, oy in neighbour_cells:
                other = grid.get((cx + ox, cy + oy))
                if not other:
                    continue
                for i in members:
                    xi, yi = xs[i], ys[i]
                    for j in other:
                        ddx = xi - xs[j]
                        ddy = yi - ys[j]
                        d2 = ddx * ddx + ddy * ddy
                        if d2 >= cut2:
                            continue
                        if d2 < 1e-9:
                            d2 = 1e-9
                        f = 1.0 / d2
                        dx[i] += ddx * f
                        dy[i] += ddy * f
                        dx[j] -= ddx * f
                        dy[j] -= ddy * f
        _far_field(xs, ys, dx, dy, cell)
        for i, j, w in edges:
            ddx = xs[i] - xs[j]
            ddy = ys[i] - ys[j]
            f = math.sqrt(ddx * ddx + ddy * ddy) * w
            dx[i] -= ddx * f
            dy[i] -= ddy * f
            dx[j] += ddx * f
            dy[j] += ddy * f
        for i in range(n):
            d = math.hypot(dx[i], dy[i])
            if d > temp:
                f = temp / d
                xs[i] += dx[i] * f
                ys[i] += dy[i] * f
            else:
                xs[i] += dx[i]
                ys[i] += dy[i]
        temp -= cool
    return _level(xs, ys)


def _far_field(xs, ys, dx, dy, near):
    """Add long-range repulsion, cell to cell (a one-level Barnes--Hut).

    Nodes are binned in a coarse grid (at most ``_COARSE + 1`` cells a side);
    every cell pushes the nodes of each non-adjacent cell as if its nodes sat
    at its centre of mass.  Without this, the short-range grid repulsion
    cannot resist the pull of the edges and large components collapse.
    """
    n = len(xs)
    x_lo, y_lo = min(xs), min(ys)
    span = max(max(xs) - x_lo, max(ys) - y_lo)
    size = max(2.0 * near, span / _COARSE)
    bins = {}
    for i in range(n):
        key = (int((xs[i] - x_lo) // size), int((ys[i] - y_lo) // size))
        acc = bins.get(key)
        if acc is None:
            bins[key] = [1, xs[i], ys[i], [i]]
        else:
            acc[0] += 1
            acc[1] += xs[i]
            acc[2] += ys[i]
            acc[3].append(i)
    cells = [
        (kx, ky, m, sx / m, sy / m, members) for (kx, ky), (m, sx, sy, members) in bins.items()
    ]
    bins_com = {(c[0], c[1]): (c[2], c[3], c[4]) for c in cells}
    floor = (size / 2.0) ** 2
    for kax, kay, _, xa, ya, members in cells:
        fx = fy = 0.0
        for kbx, kby, mb, xb, yb, _ in cells:
            if -1 <= kax - kbx <= 1 and -1 <= kay - kby <= 1:
                continue
            ddx = xa - xb
            ddy = ya - yb
            f = mb / (ddx * ddx + ddy * ddy)
            fx += ddx * f
            fy += ddy * f
        # Adjacent cells act on each node from their centre of mass (the
        # near field within the cut-off was counted exactly; at least half a
        # cell's distance is assumed, so nothing blows up).
        adjacent = [
            bins_com[(kax + ox, kay + oy)]
            for ox in (-1, 0, 1)
            for oy in (-1, 0, 1)
            if (ox or oy) and (kax + ox, kay + oy) in bins_com
        ]
        for i in members:
            gx, gy = fx, fy
            xi, yi = xs[i], ys[i]
            for mb, xb, yb in adjacent:
                ddx = xi - xb
                ddy = yi - yb
                d2 = ddx * ddx + ddy * ddy
                f = mb / (d2 if d2 > floor else floor)
                gx += ddx * f
                gy += ddy * f
            dx[i] += gx
            dy[i] += gy


def _level(xs, ys):
    """Turn points about their centroid so the principal axis is horizontal."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    theta = 0.5 * math.atan2(2.0 * sxy, sxx - syy)
    c, s = math.cos(theta), math.sin(theta)
    rx = [(x - mx) * c + (y - my) * s for x, y in zip(xs, ys, strict=True)]
    ry = [-(x - mx) * s + (y - my) * c for x, y in zip(xs, ys, strict=True)]
    return rx, ry


def _pack(boxes, n):
    """Shelf-pack laid-out components into rows; return centred coordinates."""
    placed = []
    total = 0.0
    for comp, xs, ys in boxes:
        x0, y0 = min(xs), min(ys)
        w = max(xs) - x0 + _PAD
        h = max(ys) - y0 + _PAD
        placed.append((comp, xs, ys, x0, y0, w, h))
        total += w * h
    row_width = max(math.sqrt(total) * 1.5, placed[0][5])
    coords = [None] * n
    cx = cy = row_h = 0.0
    for comp, xs, ys, x0, y0, w, h in placed:
        if cx > 0 and cx + w > row_width:
            cx, cy, row_h = 0.0, cy + row_h, 0.0
        for k, i in enumerate(comp):
            coords[i] = (xs[k] - x0 + cx, ys[k] - y0 + cy)
        cx += w
        row_h = max(row_h, h)
    min_x = min(x for x, _ in coords)
    max_x = max(x for x, _ in coords)
    min_y = min(y for _, y in coords)
    max_y = max(y for _, y in coords)
    mx, my = (min_x + max_x) / 2.0, (min_y + max_y) / 2.0
    return [(x - mx, y - my) for x, y in coords]


def grouped_layout(G, attribute="agency_type", seed=0, *, edge_length=UNIT_LENGTH):
    """Return positions that keep nodes with the same `attribute` value together.

    Each group (e.g. every police force, every council) is laid out on its own with
    :func:`compute_layout`, using only the edges inside it, and the groups are placed
    around a circle, largest first, so that edges between groups -- the partnerships a
    national graph is about -- cross the middle and each type of agency stays legible.

    Parameters
    ----------
    G : networkx.Graph
        The graph to lay out.
    attribute : str, optional (default="agency_type")
        Node attribute naming the group; nodes without it form the group ``"other"``.
    seed : int, optional (default=0)
        Seed of every group's layout; the same graph and seed give the same positions.
    edge_length : float, optional (default=100)
        Ideal edge length inside a group.

    Returns
    -------
    dict
        Node -> (x, y).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["p1", "p2"], agency_type="police")
    >>> G.add_nodes_from(["c1", "c2", "c3"], agency_type="local_authority")
    >>> G.add_edges_from([("p1", "c1"), ("p2", "c2"), ("p2", "c3")])
    >>> pos = grouped_layout(G, seed=1)
    >>> sorted(pos) == sorted(G)
    True
    >>> pos == grouped_layout(G, seed=1)
    True
    >>> import math
    >>> def centre(ns):
    ...     return sum(pos[n][0] for n in ns) / len(ns), sum(pos[n][1] for n in ns) / len(ns)
    >>> math.dist(centre(["p1", "p2"]), centre(["c1", "c2", "c3"])) > 100
    True
    """
    groups = {}
    for n, d in G.nodes(data=True):
        groups.setdefault(str(d.get(attribute) or "other"), []).append(n)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    boxes = []
    for key, members in ordered:
        sub = G.subgraph(members)
        local = compute_layout(sub, seed=seed, edge_length=edge_length)
        xs = [local[n][0] for n in members]
        ys = [local[n][1] for n in members]
        cx, cy = (min(xs) + max(xs)) / 2.0, (min(ys) + max(ys)) / 2.0
        radius = max([math.hypot(x - cx, y - cy) for x, y in zip(xs, ys, strict=True)] + [0.0])
        boxes.append((key, members, local, cx, cy, radius + edge_length))
    if len(boxes) == 1:
        _, members, local, cx, cy, _ = boxes[0]
        return {n: (local[n][0] - cx, local[n][1] - cy) for n in members}
    # groups on a circle big enough that neighbouring groups do not overlap
    total = sum(2.0 * r for *_, r in boxes)
    ring = max(total / (2.0 * math.pi), max(r for *_, r in boxes) * 1.5)
    pos = {}
    angle = -math.pi / 2.0
    for _key, members, local, cx, cy, r in boxes:
        step = (2.0 * r / total) * 2.0 * math.pi
        theta = angle + step / 2.0
        ox, oy = ring * math.cos(theta), ring * math.sin(theta)
        for n in members:
            pos[n] = (local[n][0] - cx + ox, local[n][1] - cy + oy)
        angle += step
    return pos


def authority_layout(G, *, edge_length=UNIT_LENGTH):
    """Return positions that put each inspected authority's agencies beside it.

    Every agency belongs to the authority whose inspections name it (node attribute
    ``authorities``, a list of labels); the agency labelled like the authority (its
    council) -- or, failing that, its best-connected agency -- sits at the centre of the
    authority's group and the others on a ring around it, ordered by agency type and
    label. Groups are placed around a circle, largest first. An agency named in the
    inspections of several authorities (a police force, an NHS trust) sits between them,
    at the mean of their centres.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("c", label="Sunderland City Council", agency_type="local_authority",
    ...            authorities=["Sunderland City Council"])
    >>> G.add_node("t", label="TfC", agency_type="local_authority",
    ...            authorities=["Sunderland City Council"])
    >>> G.add_node("p", label="Police", agency_type="police",
    ...            authorities=["Sunderland City Council"])
    >>> G.add_edges_from([("c", "t"), ("p", "t")])
    >>> pos = authority_layout(G)
    >>> pos["c"]
    (0.0, 0.0)
    >>> round(math.dist(pos["c"], pos["t"])) == round(math.dist(pos["c"], pos["p"])) == 100
    True
    """
    if len(G) == 0:
        return {}
    home, shared = {}, {}
    for n, d in G.nodes(data=True):
        authorities = sorted(d.get("authorities") or ["other"])
        if len(authorities) == 1:
            home.setdefault(authorities[0], []).append(n)
        else:
            shared[n] = authorities
    for n, authorities in list(shared.items()):
        if not any(a in home for a in authorities):
            home.setdefault(authorities[0], []).append(n)  # no group of its own to sit between
            del shared[n]
    groups = sorted(home.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    local = {}
    radii = []
    for authority, members in groups:
        by_label = [n for n in members if str(G.nodes[n].get("label") or "") == authority]
        hub = (by_label or sorted(members, key=lambda n: (-G.degree(n), str(n))))[0]
        others = sorted(
            (n for n in members if n != hub),
            key=lambda n: (str(G.nodes[n].get("agency_type") or ""), str(G.nodes[n].get("label"))),
        )
        ring = edge_length * max(1.0, len(others) / 6.0)
        places = {hub: (0.0, 0.0)}
        for k, n in enumerate(others):
            angle = -2 * math.pi * k / len(others)  # from the right, clockwise: wide pages
            places[n] = (ring * math.cos(angle), ring * math.sin(angle))
        local[authority] = places
        radii.append(ring + edge_length)
    centres = {}
    if len(groups) == 1:
        centres[groups[0][0]] = (0.0, 0.0)
    else:
        total = sum(2.0 * r for r in radii)
        circle = max(total / (2.0 * math.pi), max(radii) * 1.5)
        angle = -math.pi / 2.0
        for (authority, _), r in zip(groups, radii, strict=True):
            step = (2.0 * r / total) * 2.0 * math.pi
            theta = angle + step / 2.0
            centres[authority] = (circle * math.cos(theta), circle * math.sin(theta))
            angle += step
    pos = {}
    for authority, places in local.items():
        cx, cy = centres[authority]
        for n, (x, y) in places.items():
            pos[n] = (x + cx, y + cy)
    for n, authorities in sorted(shared.items(), key=lambda kv: str(kv[0])):
        mine = [centres[a] for a in authorities if a in centres]
        pos[n] = (sum(x for x, _ in mine) / len(mine), sum(y for _, y in mine) / len(mine))
    # agencies shared by the same authorities would sit on one point: fan them out
    seen = {}
    for n in sorted(shared, key=str):
        key = (round(pos[n][0], 3), round(pos[n][1], 3))
        k = seen.get(key, 0)
        seen[key] = k + 1
        if k:
            pos[n] = (pos[n][0] + 0.6 * edge_length * k, pos[n][1])
    return pos
