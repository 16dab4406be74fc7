"""Node positions computed before the page is drawn, fast enough for 10,000 nodes.

Small graphs (a few hundred nodes) get a force-directed layout (Fruchterman-Reingold, vectorised with numpy).
Larger ones are split into communities (label propagation on a sparse matrix); the communities are laid out
recursively as the nodes of a smaller graph, each community is laid out on its own inside a disc, and the discs are
pushed apart until they no longer overlap. Everything is O(edges) per pass apart from the small dense layouts, so a
10,000-node landscape takes a second or two where networkx's ``spring_layout`` takes minutes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

#: Up to this many nodes a graph is laid out directly with forces (dense, O(n^2) per iteration).
DIRECT_LIMIT = 250
#: Distance between neighbouring nodes on the page, in vis-network pixels.
DEFAULT_SPACING = 130.0
#: Size of node labels and the width they wrap at, in vis-network pixels (the page's options use the same).
LABEL_FONT_SIZE = 24
LABEL_WIDTH = 230
#: Up to this many nodes, nodes are moved apart until no node or label covers another (O(n^2) per pass).
LABEL_SPREAD_LIMIT = 250
#: What a small landscape should fit in, in vis-network pixels: the canvas between the side panels of a 1400x900
#: window (800x855 CSS pixels) at the zoom where labels are 12 px, less a margin.
READABLE_EXTENT = (1500.0, 1550.0)
_LINE_HEIGHT = 1.25
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


def _text_width(text: str, font_size: float) -> float:
    """A generous estimate of the width of ``text`` in a sans-serif font (wide East Asian characters: 1 em)."""
    ems = sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.62 for char in text)
    return ems * font_size


def label_width(text: str, *, font_size: float = LABEL_FONT_SIZE) -> float:
    """The width a label wraps at: :data:`LABEL_WIDTH`, or its longest word (vis-network would cut that word)."""
    return max([LABEL_WIDTH] + [_text_width(word, font_size) + 4.0 for word in text.split()])


def wrapped_lines(text: str, *, font_size: float = LABEL_FONT_SIZE) -> list[str]:
    """``text`` broken on spaces into lines no wider than :func:`label_width` (as vis-network's ``widthConstraint``)."""
    width = label_width(text, font_size=font_size)
    lines: list[str] = []
    for word in text.split() or [""]:
        if lines and _text_width(f"{lines[-1]} {word}", font_size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def node_box(label: str, size: float, *, font_size: float = LABEL_FONT_SIZE) -> tuple[float, float, float]:
    """Half the width, the height above the centre and the height below it of a node drawn with its label under it."""
    lines = wrapped_lines(label, font_size=font_size)
    label_width = max(_text_width(line, font_size) for line in lines)
    half_width = max(size, label_width / 2.0)
    below = size + 4.0 + len(lines) * font_size * _LINE_HEIGHT
    return half_width, size, below


def spread_labels(
    positions: Mapping[Hashable, tuple[float, float]],
    boxes: Mapping[Hashable, tuple[float, float, float]],
    *,
    gap: float = 14.0,
    rounds: int = 300,
) -> dict[Hashable, tuple[float, float]]:
    """Positions moved as little as needed for no two boxes (see :func:`node_box`) to overlap.

    Each round pushes every overlapping pair apart along the axis where they overlap least, half each way
    (O(n^2) per round: meant for the few hundred nodes whose labels are drawn on first open).
    """
    nodes = list(positions)
    if len(nodes) < 2:
        return dict(positions)
    points = np.array([positions[node] for node in nodes], dtype=float)
    shape = np.array([boxes[node] for node in nodes], dtype=float)
    half, above, below = shape[:, 0] + gap / 2, shape[:, 1] + gap / 2, shape[:, 2] + gap / 2
    upper = np.triu(np.ones((len(nodes), len(nodes)), dtype=bool), 1)
    for _ in range(rounds):
        dx = points[None, :, 0] - points[:, None, 0]
        dy = points[None, :, 1] - points[:, None, 1]
        overlap_x = half[:, None] + half[None, :] - np.abs(dx)
        # j below i: i's lower part meets j's upper part; j above i: the other way round
        overlap_y = np.where(dy >= 0, below[:, None] + above[None, :] - dy, above[:, None] + below[None, :] + dy)
        hit = upper & (overlap_x > 0) & (overlap_y > 0)
        if not hit.any():
            break
        first, second = np.nonzero(hit)
        along_x = overlap_x[first, second] < overlap_y[first, second]
        sign_x = np.where(dx[first, second] >= 0, 1.0, -1.0)
        sign_y = np.where(dy[first, second] >= 0, 1.0, -1.0)
        push = np.zeros((len(first), 2))
        push[along_x, 0] = sign_x[along_x] * (overlap_x[first, second][along_x] / 2 + 0.5)
        push[~along_x, 1] = sign_y[~along_x] * (overlap_y[first, second][~along_x] / 2 + 0.5)
        shift = np.zeros_like(points)
        np.add.at(shift, second, push)
        np.add.at(shift, first, -push)
        counts = np.bincount(np.concatenate([first, second]), minlength=len(nodes)).clip(min=1)
        points += shift / np.sqrt(counts)[:, None]
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, points, strict=True)}


def _extent(points: np.ndarray, shape: np.ndarray) -> tuple[float, float]:
    left = (points[:, 0] - shape[:, 0]).min()
    right = (points[:, 0] + shape[:, 0]).max()
    top = (points[:, 1] - shape[:, 1]).min()
    bottom = (points[:, 1] + shape[:, 2]).max()
    return float(right - left), float(bottom - top)


def readable_layout(
    positions: Mapping[Hashable, tuple[float, float]],
    boxes: Mapping[Hashable, tuple[float, float, float]],
    *,
    extent: tuple[float, float] = READABLE_EXTENT,
) -> dict[Hashable, tuple[float, float]]:
    """Positions where no node or label covers another, drawn closer together (keeping their arrangement) until the
    whole fits in ``extent`` or cannot get smaller without overlaps; then spread along its short axis towards the
    canvas's shape."""
    placed = spread_labels(positions, boxes)
    shape = np.array([boxes[node] for node in placed], dtype=float)
    area = float((2 * shape[:, 0] * (shape[:, 1] + shape[:, 2])).sum())
    if area > 0.4 * extent[0] * extent[1]:
        return placed  # too many labels to fit at a readable zoom: no use drawing them closer
    placed = _shrink_to_fit(placed, boxes, shape, extent)
    return _spread_to_fill(placed, shape, extent)


def _spread_to_fill(
    placed: dict[Hashable, tuple[float, float]], shape: np.ndarray, extent: tuple[float, float]
) -> dict[Hashable, tuple[float, float]]:
    """Positions moved apart from their centre along the short axis (by at most 1.5 and within ``extent``) so that
    the layout's shape comes closer to the canvas's: a wide layout gets more room between rows."""
    points = np.array(list(placed.values()))
    centre = points.mean(axis=0)

    def largest(axis: int, low: np.ndarray, high: np.ndarray) -> float:
        """The largest factor (1 to 3) that keeps the extent along ``axis`` within bounds."""
        offsets = points[:, axis] - centre[axis]
        smallest, biggest = 1.0, 3.0
        if ((offsets * smallest + high).max() - (offsets * smallest - low).min()) > extent[axis]:
            return 1.0
        for _ in range(30):
            middle = (smallest + biggest) / 2
            if (offsets * middle + high).max() - (offsets * middle - low).min() <= extent[axis]:
                smallest = middle
            else:
                biggest = middle
        return smallest

    width, height = _extent(points, shape)
    aspect = extent[0] / extent[1]
    if width / height > aspect:  # wider than the canvas: more room between rows
        across, down = 1.0, min(1.5, width / (aspect * height), largest(1, shape[:, 1], shape[:, 2]))
    else:  # taller: more room between columns
        across, down = min(1.5, aspect * height / width, largest(0, shape[:, 0], shape[:, 0])), 1.0
    spread = centre + (points - centre) * np.array([across, down])
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(placed, spread, strict=True)}


def _shrink_to_fit(
    placed: dict[Hashable, tuple[float, float]],
    boxes: Mapping[Hashable, tuple[float, float, float]],
    shape: np.ndarray,
    extent: tuple[float, float],
) -> dict[Hashable, tuple[float, float]]:
    """Positions drawn towards their centre, and apart again where boxes meet, until they fit in ``extent``."""
    for _ in range(12):
        points = np.array(list(placed.values()))
        width, height = _extent(points, shape)
        if width <= extent[0] and height <= extent[1]:
            break
        factor = max(0.8, min(extent[0] / width, extent[1] / height))
        centre = points.mean(axis=0)
        shrunk = centre + (points - centre) * factor
        placed = spread_labels(dict(zip(placed, map(tuple, shrunk), strict=True)), boxes)
    return placed
