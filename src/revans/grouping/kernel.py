"""The compiled inner loops of the population search (memetic.py), for problems whose only
rules are group sizes and locked items.

Each function works in place on an assignment ``grp`` (item → group), the group sizes and
``G``, the sum of each item's diversities to each group (m × n, so that applying a move
updates two contiguous rows): the gain of a move or a swap costs two or four lookups and
applying one costs O(n). ``movable`` is False for locked
items. Randomness comes from a generator of their own (``rs``, one 64-bit word of state), so a
seed gives the same path and searches in several threads never share a state. Compiled once
and cached on disk by numba; every function releases the GIL.
"""

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar, cast

# LLVM's optimisation level 1 rather than numba's default 3: the first compile takes about a
# quarter less time (8.1 s against 11.2 s, the mean of three runs of each, interleaved, on a busy
# two-core machine) and the search makes as many local searches a second (MDGPLIB n=240).
# Read when numba is imported; NUMBA_OPT set in the environment wins.
os.environ.setdefault("NUMBA_OPT", "1")

import numpy as np
import numpy.typing as npt
from numba import config, njit

Floats = npt.NDArray[np.float64]  # the diversities d and the sums G
Ints = npt.NDArray[np.int64]  # an assignment, group sizes, size bounds
Flags = npt.NDArray[np.bool_]  # movable
Word = npt.NDArray[np.uint64]  # the generator's state, one word
Index = int | np.int64  # an item or a group, drawn by below() or read from an array

_GAIN = 1e-9  # smaller gains are rounding, not improvement

_F = TypeVar("_F", bound=Callable[..., object])

# numba's njit is untyped; a compiled function takes and returns what its Python source does,
# so each keeps the type of its source through this one cast.
_njit = cast(Callable[..., Callable[[_F], _F]], njit)


def _compiled(function: _F) -> _F:
    """Compile with numba, cached on disk and releasing the GIL."""
    return _njit(cache=True, nogil=True)(function)


@_compiled
def _next(rs: Word) -> np.uint64:
    """The next number of a splitmix64 generator whose state is rs[0]."""
    rs[0] += np.uint64(0x9E3779B97F4A7C15)
    z: np.uint64 = rs[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@_compiled
def below(rs: Word, k: int) -> np.int64:
    """A random integer in 0..k-1."""
    return np.int64(_next(rs) % np.uint64(k))


@_compiled
def sums(d: Floats, grp: Ints, m: int) -> Floats:
    """G: each item's sum of diversities to the members of each group."""
    n = d.shape[0]
    g_sum = np.zeros((m, n))
    for j in range(n):
        g = grp[j]
        for i in range(n):
            g_sum[g, i] += d[j, i]
    return g_sum


@_compiled
def objective(g_sum: Floats, grp: Ints) -> float:
    total = 0.0
    for i in range(grp.shape[0]):
        total += g_sum[grp[i], i]
    return 0.5 * total


@_compiled
def _move(d: Floats, g_sum: Floats, grp: Ints, size: Ints, i: Index, h: Index) -> None:
    g = grp[i]
    for j in range(d.shape[0]):
        g_sum[g, j] -= d[i, j]
        g_sum[h, j] += d[i, j]
    grp[i] = h
    size[g] -= 1
    size[h] += 1


@_compiled
def descent(
    d: Floats, g_sum: Floats, grp: Ints, size: Ints, lower: Ints, upper: Ints, movable: Flags
) -> float:
    """First-improvement local search over every one-move and every swap, until neither
    improves; returns the total gain."""
    m, n = g_sum.shape
    total = 0.0
    improved = True
    while improved:
        improved = False
        for v in range(n):
            if not movable[v]:
                continue
            for h in range(m):
                g = grp[v]
                if h == g or size[g] <= lower[g] or size[h] >= upper[h]:
                    continue
                gain = g_sum[h, v] - g_sum[g, v]
                if gain > _GAIN:
                    _move(d, g_sum, grp, size, v, h)
                    total += gain
                    improved = True
        for x in range(n):
            if not movable[x]:
                continue
            for y in range(x + 1, n):
                gx, gy = grp[x], grp[y]
                if gx == gy or not movable[y]:
                    continue
                gain = g_sum[gy, x] - g_sum[gx, x] + g_sum[gx, y] - g_sum[gy, y] - 2.0 * d[x, y]
                if gain > _GAIN:
                    _move(d, g_sum, grp, size, x, gy)
                    _move(d, g_sum, grp, size, y, gx)
                    total += gain
                    improved = True
    return total


@_compiled
def perturb(
    d: Floats,
    g_sum: Floats,
    grp: Ints,
    size: Ints,
    lower: Ints,
    upper: Ints,
    movable: Flags,
    strength: int,
    rs: Word,
) -> None:
    """Make ``strength`` random moves or swaps that keep the sizes within bounds, each drawn
    uniformly from all n·m moves and n(n-1)/2 swaps."""
    m, n = g_sum.shape
    moves, swaps = n * m, n * (n - 1) // 2
    made, tries = 0, 0
    while made < strength and tries < 50 * strength + 1000:
        tries += 1
        if below(rs, moves + swaps) < moves:
            v, h = below(rs, n), below(rs, m)
            g = grp[v]
            if movable[v] and h != g and size[g] > lower[g] and size[h] < upper[h]:
                _move(d, g_sum, grp, size, v, h)
                made += 1
        else:
            x, y = below(rs, n), below(rs, n)
            gx, gy = grp[x], grp[y]
            if movable[x] and movable[y] and gx != gy:
                _move(d, g_sum, grp, size, x, gy)
                _move(d, g_sum, grp, size, y, gx)
                made += 1


@_compiled
def directed(
    d: Floats,
    g_sum: Floats,
    grp: Ints,
    size: Ints,
    lower: Ints,
    upper: Ints,
    movable: Flags,
    rounds: int,
    rs: Word,
) -> None:
    """A perturbation guided by the objective: in each round, every group gives up the member
    that adds least to it; the groups left below their minimum take back, one by one, the
    given-up item with the highest mean diversity to their members, and the other items go,
    in random order, to the group with room where that mean is highest."""
    m, n = g_sum.shape
    out = np.empty(m, dtype=np.int64)
    for _ in range(rounds):
        count = 0
        for g in range(m):
            worst, pick = np.inf, -1
            for i in range(n):
                if grp[i] == g and movable[i] and g_sum[g, i] < worst:
                    worst, pick = g_sum[g, i], i
            if pick >= 0:
                out[count] = pick
                count += 1
        if count == 0:
            return
        for k in range(count):
            i = out[k]
            g = grp[i]
            for j in range(n):
                g_sum[g, j] -= d[i, j]
            size[g] -= 1
            grp[i] = -1
        for h in range(m):
            if size[h] >= lower[h]:
                continue
            best, pick = -np.inf, -1
            for k in range(count):
                i = out[k]
                if grp[i] < 0:
                    mean = g_sum[h, i] / max(size[h], 1)
                    if mean > best:
                        best, pick = mean, i
            if pick >= 0:
                _place(d, g_sum, grp, size, pick, h)
        order = np.arange(count)
        for k in range(count - 1, 0, -1):
            r = below(rs, k + 1)
            order[k], order[r] = order[r], order[k]
        for o in order:
            i = out[o]
            if grp[i] >= 0:
                continue
            best, pick = -np.inf, -1
            for h in range(m):
                if size[h] < upper[h]:
                    mean = g_sum[h, i] / max(size[h], 1)
                    if mean > best:
                        best, pick = mean, h
            _place(d, g_sum, grp, size, i, pick)


@_compiled
def _place(d: Floats, g_sum: Floats, grp: Ints, size: Ints, i: Index, h: Index) -> None:
    for j in range(d.shape[0]):
        g_sum[h, j] += d[i, j]
    grp[i] = h
    size[h] += 1


@_compiled
def crossover(
    d: Floats, first: Ints, second: Ints, lower: Ints, upper: Ints, movable: Flags, rs: Word
) -> Ints:
    """A child that inherits whole groups: taking in turn from each parent its group with the
    most diversity among the items not yet placed (as child group of the same number), then
    placing the items left over where they add most, first where a group is short of its
    minimum. Locked items sit in the same group in both parents, so they keep it. Returns the
    child, or an array starting with -1 when the sizes cannot be mended."""
    n, m = d.shape[0], lower.shape[0]
    child = np.full(n, -1, dtype=np.int64)
    parents = (first, second)
    # link[p, i]: i's diversity to the items not yet placed in its group of parent p.
    link = np.zeros((2, n))
    inner = np.zeros((2, m))
    for p in range(2):
        parent = parents[p]
        for i in range(n):
            for j in range(n):
                if parent[j] == parent[i]:
                    link[p, i] += d[i, j]
            inner[p, parent[i]] += 0.5 * link[p, i]
    taken = np.zeros(m, dtype=np.bool_)
    size = np.zeros(m, dtype=np.int64)
    turn = below(rs, 2)
    for _ in range(m):
        parent = parents[turn]
        best, g = -np.inf, -1
        for h in range(m):
            if not taken[h] and inner[turn, h] > best:
                best, g = inner[turn, h], h
        taken[g] = True
        for i in range(n):
            if child[i] < 0 and parent[i] == g:
                child[i] = g
                size[g] += 1
                for p in range(2):
                    other = parents[p]
                    inner[p, other[i]] -= link[p, i]
                    for j in range(n):
                        if child[j] < 0 and other[j] == other[i]:
                            link[p, j] -= d[i, j]
        turn = 1 - turn
    g_sum = np.zeros((m, n))
    for j in range(n):
        if child[j] >= 0:
            h = child[j]
            for i in range(n):
                g_sum[h, i] += d[j, i]
    left = 0
    for i in range(n):
        if child[i] < 0:
            left += 1
    # Groups above their minimum give back their least-linked free members while the items
    # left cannot bring the short groups up to theirs.
    while True:
        short = 0
        for h in range(m):
            short += max(lower[h] - size[h], 0)
        if short <= left:
            break
        worst, pick = np.inf, -1
        for i in range(n):
            h = child[i]
            if h >= 0 and movable[i] and size[h] > lower[h] and g_sum[h, i] < worst:
                worst, pick = g_sum[h, i], i
        if pick < 0:
            child[0] = -1
            return child
        h = child[pick]
        for j in range(n):
            g_sum[h, j] -= d[pick, j]
        child[pick] = -1
        size[h] -= 1
        left += 1
    order = np.empty(left, dtype=np.int64)
    k = 0
    for i in range(n):
        if child[i] < 0:
            order[k] = i
            k += 1
    for k in range(left - 1, 0, -1):
        r = below(rs, k + 1)
        order[k], order[r] = order[r], order[k]
    for k in range(left):
        i = order[k]
        short = 0
        for h in range(m):
            short += max(lower[h] - size[h], 0)
        only_short = short >= left - k
        best, pick = -np.inf, -1
        for h in range(m):
            if size[h] >= upper[h] or (only_short and size[h] >= lower[h]):
                continue
            if g_sum[h, i] > best:
                best, pick = g_sum[h, i], h
        if pick < 0:
            child[0] = -1
            return child
        _place(d, g_sum, child, size, i, pick)
    return child


@_compiled
def tabu(
    d: Floats,
    g_sum: Floats,
    grp: Ints,
    size: Ints,
    lower: Ints,
    upper: Ints,
    movable: Flags,
    depth: int,
    rs: Word,
) -> float:
    """Tabu search: each iteration makes the best move or swap of items not tabu (or any that
    beats the best so far), even when it loses, and makes the moved items tabu for a few
    iterations; it ends after ``depth`` iterations without a new best. Leaves ``grp`` at the
    best assignment visited (``g_sum`` and ``size`` then need rebuilding) and returns its gain
    over the start."""
    m, n = g_sum.shape
    until = np.zeros(n, dtype=np.int64)
    best_grp = grp.copy()
    current, best = 0.0, 0.0
    low, high = n // 40 + 2, n // 20 + 6
    iteration, stall = 0, 0
    while stall < depth:
        iteration += 1
        aspire = best - current + _GAIN
        top, kind, a, b = -np.inf, 0, -1, -1
        for v in range(n):
            g = grp[v]
            if not movable[v] or size[g] <= lower[g]:
                continue
            free = until[v] < iteration
            for h in range(m):
                if h == g or size[h] >= upper[h]:
                    continue
                gain = g_sum[h, v] - g_sum[g, v]
                if gain > top and (free or gain > aspire):
                    top, kind, a, b = gain, 1, v, h
        for x in range(n):
            if not movable[x]:
                continue
            gx = grp[x]
            fx = until[x] < iteration
            for y in range(x + 1, n):
                gy = grp[y]
                if gx == gy or not movable[y]:
                    continue
                gain = g_sum[gy, x] - g_sum[gx, x] + g_sum[gx, y] - g_sum[gy, y] - 2.0 * d[x, y]
                if gain > top and ((fx and until[y] < iteration) or gain > aspire):
                    top, kind, a, b = gain, 2, x, y
        if kind == 0:
            break
        tenure = low + below(rs, high - low + 1)
        if kind == 1:
            _move(d, g_sum, grp, size, a, b)
            until[a] = iteration + tenure
        else:
            ga, gb = grp[a], grp[b]
            _move(d, g_sum, grp, size, a, gb)
            _move(d, g_sum, grp, size, b, ga)
            until[a] = until[b] = iteration + tenure
        current += top
        if current > best + _GAIN:
            best, stall = current, 0
            best_grp[:] = grp
        else:
            stall += 1
    grp[:] = best_grp
    return best


def compile_all() -> None:
    """Compile (or load from the cache) every function now, on a tiny problem, so that no
    search spends its time limit compiling. Processes that start together (test workers, web
    workers) compile once: the others wait for the first, then load what it cached."""
    d = np.ones((4, 4)) - np.eye(4)
    grp = np.array([0, 0, 1, 1], dtype=np.int64)
    size = np.array([2, 2], dtype=np.int64)
    bounds = np.array([1, 1], dtype=np.int64), np.array([3, 3], dtype=np.int64)
    movable = np.ones(4, dtype=np.bool_)
    rs = np.array([1], dtype=np.uint64)
    with _one_compiler():
        g_sum = sums(d, grp, 2)
        objective(g_sum, grp)
        below(rs, 2)
        descent(d, g_sum, grp, size, *bounds, movable)
        perturb(d, g_sum, grp, size, *bounds, movable, 1, rs)
        directed(d, g_sum, grp, size, *bounds, movable, 1, rs)
        crossover(d, grp, grp.copy(), *bounds, movable, rs)
        tabu(d, sums(d, grp, 2), grp, size, *bounds, movable, 4, rs)


@contextlib.contextmanager
def _one_compiler() -> Iterator[None]:
    """Hold a lock beside numba's cache (none where the cache cannot be written)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: each process compiles for itself
        yield
        return
    # numba's config sets CACHE_DIR at import (from NUMBA_CACHE_DIR), unseen by mypy
    cache_dir: str = config.CACHE_DIR  # type: ignore[attr-defined]
    folder = Path(cache_dir or Path(__file__).parent / "__pycache__")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = os.open(folder / "kernel.compile.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)  # releases the lock
