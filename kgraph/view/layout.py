"""Node positions computed before the page is drawn, fast enough for 10,000 nodes.

Small graphs (a few hundred nodes) get a force-directed layout (Fruchterman-Reingold, vectorised with numpy).
Larger ones are split into communities (label propagation on a sparse matrix); the communities are laid out
recursively as the nodes of a smaller graph, each community is laid out on its own inside a disc, and the discs are
pushed apart until they no longer overlap. Everything is O(edges) per pass apart from the small dense layouts, so a
10,000-node landscape takes a second or two where networkx's ``spring_layout`` takes minutes.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

#: Up to this many nodes a graph is laid out directly with forces (dense, O(n^2) per iteration).
DIRECT_LIMIT = 250
#: Distance between neighbouring nodes on the page, in vis-network pixels.
DEFAULT_SPACING = 130.0
_GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))


def compute_layout(
    graph: nx.Graph, *, seed: int = 7, spacing: float = DEFAULT_SPACING
) -> dict[Hashable, tuple[float, float]]:
    """Positions (x, y) in pixels for every node of ``graph``; deterministic for a given graph and seed."""
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in graph.edges() if u != v]
    adjacency = _symmetric(len(nodes), pairs)
    rng = np.random.default_rng(seed)
    positions = _layout(adjacency, rng, depth=0) * spacing
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, positions, strict=True)}


def _symmetric(size: int, pairs: list[tuple[int, int]]) -> sparse.csr_matrix:
    if not pairs:
        return sparse.csr_matrix((size, size))
    rows, cols = np.array(pairs, dtype=np.int64).T
    matrix = sparse.coo_matrix(
        (np.ones(2 * len(rows)), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(size, size)
    ).tocsr()
    matrix.data[:] = 1.0
    return matrix


def _layout(adjacency: sparse.csr_matrix, rng: np.random.Generator, *, depth: int) -> np.ndarray:
    """Positions centred on 0 where neighbours sit about one unit apart; separate pieces are packed side by side."""
    count, labels = connected_components(adjacency, directed=False)
    if count == 1:
        return _connected(adjacency, rng, depth=depth)
    sizes = np.bincount(labels, minlength=count)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    positions = np.zeros((adjacency.shape[0], 2))
    radii = np.zeros(count)
    for piece in range(count):
        members = order[bounds[piece] : bounds[piece + 1]]
        inner = (
            _connected(adjacency[members][:, members].tocsr(), rng, depth=depth)
            if len(members) > 1
            else np.zeros((1, 2))
        )
        positions[members] = inner
        radii[piece] = float(np.sqrt((inner**2).sum(axis=1)).max()) + 0.8
    centres = _sunflower(sizes.astype(float)) * (2.0 * float(np.sqrt(np.mean(radii**2))))
    for _ in range(10):
        centres = _separate(centres * 0.8, radii, scale=False, rounds=25)
    return positions + centres[labels]


def _connected(adjacency: sparse.csr_matrix, rng: np.random.Generator, *, depth: int) -> np.ndarray:
    """The layout of one connected graph."""
    size = adjacency.shape[0]
    if size <= DIRECT_LIMIT:
        return _forces(adjacency, rng)
    labels = _communities(adjacency, rng)
    count = int(labels.max()) + 1
    if depth > 6 or count <= 1 or count > 0.8 * size:
        return _sunflower(np.asarray(adjacency.sum(axis=1)).ravel())
    membership = sparse.csr_matrix((np.ones(size), (np.arange(size), labels)), shape=(size, count))
    between = (membership.T @ adjacency @ membership).tocsr()
    between.setdiag(0)
    between.eliminate_zeros()
    between.data[:] = 1.0
    centres = _layout(between, rng, depth=depth + 1)

    positions = np.zeros((size, 2))
    radii = np.zeros(count)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    for community in range(count):
        members = order[bounds[community] : bounds[community + 1]]
        inner = _layout(adjacency[members][:, members].tocsr(), rng, depth=depth + 1)
        positions[members] = inner
        radii[community] = float(np.sqrt((inner**2).sum(axis=1)).max()) + 0.8
    placed = _separate(centres, radii)
    return positions + placed[labels]


def _communities(adjacency: sparse.csr_matrix, rng: np.random.Generator, rounds: int = 12) -> np.ndarray:
    """Label propagation, half of the nodes at a time (so that bipartite parts do not oscillate); labels 0..k-1."""
    size = adjacency.shape[0]
    labels = np.arange(size)
    coo = adjacency.tocoo()
    for _ in range(rounds):
        votes = sparse.csr_matrix(
            (
                np.concatenate([coo.data, np.full(size, 0.5)]),
                (np.concatenate([coo.row, np.arange(size)]), np.concatenate([labels[coo.col], labels])),
            ),
            shape=(size, size),
        )
        votes.data += rng.random(votes.data.size) * 0.01
        chosen = np.asarray(votes.argmax(axis=1)).ravel()
        moving = rng.random(size) < 0.5
        changed = moving & (chosen != labels)
        if not changed.any():
            break
        labels = np.where(moving, chosen, labels)
    _, dense = np.unique(labels, return_inverse=True)
    return _absorb_small(adjacency, dense.ravel())


def _absorb_small(adjacency: sparse.csr_matrix, labels: np.ndarray, smallest: int = 8) -> np.ndarray:
    """Merge each community of fewer than ``smallest`` nodes into the community it has most links with."""
    for _ in range(3):
        count = int(labels.max()) + 1
        sizes = np.bincount(labels, minlength=count)
        small = sizes < smallest
        if not small.any():
            break
        membership = sparse.csr_matrix(
            (np.ones(len(labels)), (np.arange(len(labels)), labels)), shape=(len(labels), count)
        )
        between = (membership.T @ adjacency @ membership).tolil()
        between.setdiag(0)
        between = between.tocsr()
        between.data += sizes[between.indices] * 1e-6
        target = np.asarray(between.argmax(axis=1)).ravel()
        linked = np.asarray(between.max(axis=1).todense()).ravel() > 0
        moving = small & linked
        if not moving.any():
            break
        destination = np.arange(count)
        destination[moving] = target[moving]
        labels = destination[labels]
        _, labels = np.unique(labels, return_inverse=True)
        labels = labels.ravel()
    return labels


def _forces(adjacency: sparse.csr_matrix, rng: np.random.Generator, iterations: int = 60) -> np.ndarray:
    """Fruchterman-Reingold with a little gravity (keeps separate pieces together); ideal edge length 1."""
    size = adjacency.shape[0]
    if size == 1:
        return np.zeros((1, 2))
    iterations = min(iterations, 25 + 2 * size)
    linked = adjacency.toarray()
    x, y = rng.uniform(-1.0, 1.0, (2, size)) * np.sqrt(size)
    step = np.sqrt(size) * 0.5
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        squared = np.maximum(dx * dx + dy * dy, 1e-4)
        strength = 4.0 / squared - linked * np.sqrt(squared)
        np.fill_diagonal(strength, 0.0)
        move_x = (dx * strength).sum(axis=1) - 0.03 * x
        move_y = (dy * strength).sum(axis=1) - 0.03 * y
        length = np.maximum(np.sqrt(move_x * move_x + move_y * move_y), 1e-9)
        scale = np.minimum(length, step) / length
        x += move_x * scale
        y += move_y * scale
        step = max(step * 0.92, 0.02)
    return np.column_stack([x - x.mean(), y - y.mean()])


def _sunflower(importance: np.ndarray) -> np.ndarray:
    """Nodes on a Vogel spiral, the most important in the middle, about one unit apart."""
    order = np.argsort(-importance, kind="stable")
    steps = np.arange(len(order))
    radius = 0.6 * np.sqrt(steps)
    angle = steps * _GOLDEN_ANGLE
    positions = np.zeros((len(order), 2))
    positions[order] = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return positions


def _separate(centres: np.ndarray, radii: np.ndarray, *, scale: bool = True, rounds: int = 80) -> np.ndarray:
    """Scale the centres to the size of the discs (unless ``scale`` is false), then push overlapping discs apart."""
    if len(centres) == 1:
        return np.zeros((1, 2))
    points = centres * (2.0 * float(np.median(radii)) + 0.5) if scale else centres.copy()
    gap = 0.6
    for _ in range(rounds):
        tree = cKDTree(points)
        pairs = tree.query_pairs(2.0 * float(radii.max()) + gap, output_type="ndarray")
        if not len(pairs):
            break
        first, second = pairs[:, 0], pairs[:, 1]
        delta = points[second] - points[first]
        distance = np.sqrt((delta**2).sum(axis=1))
        overlap = radii[first] + radii[second] + gap - distance
        hit = overlap > 0
        if not hit.any():
            break
        first, second, delta, distance, overlap = first[hit], second[hit], delta[hit], distance[hit], overlap[hit]
        tiny = distance < 1e-6
        delta[tiny] = np.random.default_rng(len(points)).normal(size=(int(tiny.sum()), 2))
        distance = np.maximum(np.sqrt((delta**2).sum(axis=1)), 1e-6)
        push = delta / distance[:, None] * (overlap / 2.0)[:, None]
        shift = np.zeros_like(points)
        np.add.at(shift, second, push)
        np.add.at(shift, first, -push)
        points += shift
    return points - points.mean(axis=0)
