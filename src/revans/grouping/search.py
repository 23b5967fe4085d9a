"""The anytime search: feasible starts, then, when the only rules are group sizes and locked
items (the Maximally Diverse Grouping Problem itself), the compiled population search of
memetic.py; under any other rule (must-link too), the tabu search below with a small pool
mixed by crossover.

The state keeps, for each item, the sum of its diversities to each group (``G``, n × m), so the
gain of every move and every swap comes from a few numpy operations on G, and applying a move
updates two columns. Each rule keeps its own counts in the same way, so the moves that would
break a rule are masked out before the best one is chosen: every state the search accepts
holds every rule. With equal group sizes (swaps only) each iteration scores the swaps among a
candidate list, the free items that gain most from leaving their group; with size ranges every
move and swap is scored. Must-linked items move as a unit, alone or in exchange for as many
items of another group, after each tabu phase and in perturbations.

A single tabu search from one start settles in one region and stays there (more time bought
nothing). So the search keeps a small pool of good assignments and, after the pool is filled
from random starts, starts each tabu phase from a child of two members by group-based
crossover (the three-phase search of Yang et al. 2022), or, less often (and always under
cannot-link, organisation or availability rules), from a member shaken by random rule-holding
swaps; when sizes can vary, half the shakes first refill or empty one group greedily, since a
local search alone keeps the sizes it starts with (iterated local search, as in Lai & Hao 2016).
"""

import contextlib
import time
from collections.abc import Callable, Hashable
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from .crossover import crossover
from .problem import Assignment, Infeasible, Problem, impossibilities, must_link_units

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Counts = npt.NDArray[np.int32]  # rule counts: partners, organisations, slots
Flags = npt.NDArray[np.bool_]

Progress = Callable[[float, float], bool | None]
"""Called now and then with (fraction of the time used, best objective so far); returning True
stops the search early, with the best assignment found so far."""

CONSTRUCTION_ATTEMPTS = 200
DEPTH_MIN, DEPTH_PER_ITEM = 100, 2.0  # tabu iterations without improvement before a phase ends
CANDIDATES_MIN, CANDIDATES_PER_ITEM = 24, 0.3  # items whose swaps are scored each iteration
SHAKE_LOW, SHAKE_HIGH = 0.05, 0.125  # perturbation strength, as a share of n
POOL = 3  # assignments kept for crossover, when the rules allow it
CROSSOVER = 0.7  # share of children made by crossover rather than by shaking one member
RESIZE = 0.5  # share of perturbations that refill or empty a group first, when sizes can vary


class State:
    """An assignment with the sums and counts that make moves cheap to evaluate and apply."""

    def __init__(self, problem: Problem, assignment: Assignment):
        n, m = problem.n, problem.m
        self.problem = problem
        self.d = problem.diversity
        self.twice_d = 2.0 * self.d
        self.grp: Assignment = assignment.astype(np.int64)  # a copy
        self.lower: Ints = np.array([a for a, _ in problem.bounds], dtype=np.int64)
        self.upper: Ints = np.array([b for _, b in problem.bounds], dtype=np.int64)
        onehot = np.zeros((n, m))
        onehot[np.arange(n), self.grp] = 1.0
        self.g_sum: Floats = self.d @ onehot
        self.size: Ints = onehot.sum(axis=0).astype(np.int64)
        # Items locked, or tied to others by must-link, never move on their own; the units of
        # must-linked items that are not locked move as a whole (_move_units).
        self.movable = np.ones(n, dtype=bool)
        self.movable[list(problem.locked)] = False
        self.units: list[Ints] = []
        for unit in must_link_units(n, problem.must_link):
            if len(unit) > 1:
                if self.movable[unit].all():
                    self.units.append(np.array(unit))
                self.movable[unit] = False
        self.items = np.arange(n)
        self.resizable = bool((self.lower < self.upper).any())
        self.ruled = _pairwise_rules(problem)
        # When every swap is scored and sizes are the only rules, the swaps never allowed (within
        # a group, or of an item that cannot move on its own) carry -inf here, so one addition
        # masks them (best_swap); a move updates the moved item's row and column.
        self.barred: Floats | None = None
        if self.resizable and not self.ruled:
            never = (self.grp[:, None] == self.grp[None, :]) | ~self.movable[:, None]
            self.barred = np.where(never | ~self.movable[None, :], -np.inf, 0.0)
            # Reused every iteration: allocating n × n arrays anew costs more than filling them.
            self.across, self.swap_gain = np.empty((n, n)), np.empty((n, n))

        self.cl: Counts | None = None
        if problem.cannot_link:
            self.cl = np.zeros((n, n), dtype=np.int32)
            for i, j in problem.cannot_link:
                self.cl[i, j] = self.cl[j, i] = 1
            self.cl_count: Counts = self.cl @ onehot.astype(np.int32)  # partners of i in each group
        self.org: Ints | None = None
        if problem.organisation is not None:
            labels = {
                label: k
                for k, label in enumerate(dict.fromkeys(problem.organisation))
                if label is not None
            }
            self.org = np.array(
                [labels.get(label, -1) for label in problem.organisation], dtype=np.int64
            )
            self.has_org = self.org >= 0
            self.org_safe = np.where(self.has_org, self.org, 0)
            self.org_count = np.zeros((m, max(len(labels), 1)), dtype=np.int32)
            np.add.at(self.org_count, (self.grp[self.has_org], self.org[self.has_org]), 1)
            assert problem.max_per_organisation is not None  # required with organisation labels
            self.cap = problem.max_per_organisation
        self.avail: Counts | None = None
        if problem.availability is not None:
            slots = sorted({s for item in problem.availability for s in item}, key=repr)
            index = {s: k for k, s in enumerate(slots)}
            self.avail = np.zeros((n, len(slots)), dtype=np.int32)
            for item, item_slots in enumerate(problem.availability):
                self.avail[item, [index[s] for s in item_slots]] = 1
            self.slot_count: Counts = onehot.T.astype(np.int32) @ self.avail  # m × slots

    @property
    def objective(self) -> float:
        return 0.5 * float(self.g_sum[self.items, self.grp].sum())

    def move(self, i: int, h: int) -> None:
        """Put item i in group h."""
        g = self.grp[i]
        self.g_sum[:, g] -= self.d[:, i]
        self.g_sum[:, h] += self.d[:, i]
        self.size[g] -= 1
        self.size[h] += 1
        self.grp[i] = h
        if self.barred is not None and self.movable[i]:
            row = np.where((self.grp == h) | ~self.movable, -np.inf, 0.0)
            self.barred[i] = row
            self.barred[:, i] = row
        if self.cl is not None:
            self.cl_count[:, g] -= self.cl[:, i]
            self.cl_count[:, h] += self.cl[:, i]
        if self.org is not None and self.has_org[i]:
            self.org_count[g, self.org[i]] -= 1
            self.org_count[h, self.org[i]] += 1
        if self.avail is not None:
            self.slot_count[g] -= self.avail[i]
            self.slot_count[h] += self.avail[i]

    def holds(self, moved: list[int], groups: set[int]) -> bool:
        """Whether every rule holds after a compound step that moved ``moved`` and changed
        only ``groups`` (the rest held before it)."""
        touched = list(groups)
        size = self.size[touched]
        if (size < self.lower[touched]).any() or (size > self.upper[touched]).any():
            return False
        if self.cl is not None and self.cl_count[moved, self.grp[moved]].any():
            return False
        if self.org is not None and (self.org_count[touched] > self.cap).any():
            return False
        if self.avail is not None:
            shared = self.slot_count[touched] == size[:, None]
            if not (shared.any(axis=1) | (size == 0)).all():
                return False
        return True

    def move_mask(self) -> Flags:
        """Where each one-move keeps every group within its size bounds (n × m)."""
        grp, items = self.grp, self.items
        move_ok: Flags = self.movable[:, None] & (self.size < self.upper)[None, :]
        move_ok &= (self.size > self.lower)[grp][:, None]
        move_ok[items, grp] = False
        return move_ok

    def best_swap(self, delta: Floats, free: Flags, aspire: float) -> tuple[int, float]:
        """The best allowed swap over every pair, as (flat index in n × n, gain), when sizes
        are the only rules (``barred`` is kept): the same choice as masking ``neighbourhood``,
        in fewer passes over n × n arrays (1.2× faster at n = 120, 2× at 240, 4× at 480). A
        swap of a tabu item is allowed only when it gains more than ``aspire``."""
        across = np.take(np.ascontiguousarray(delta.T), self.grp, axis=0, out=self.across)
        gain = np.add(across, across.T, out=self.swap_gain)
        gain -= self.twice_d
        gain += self.barred
        k = int(np.argmax(gain))
        if gain.flat[k] > aspire:
            return k, float(gain.flat[k])
        tabu = np.flatnonzero(~free)
        gain[tabu] = -np.inf
        gain[:, tabu] = -np.inf
        k = int(np.argmax(gain))
        return k, float(gain.flat[k])

    def neighbourhood(self, cand: Ints | None = None) -> tuple[Floats, Flags | None, Floats, Flags]:
        """Gains of all one-moves (n × m) and of the swaps among ``cand`` (every item when None;
        k × k, indexed within ``cand``), and where each holds every rule. ``move_ok`` is None
        when no group's size can change (equal bounds: swaps only)."""
        grp, items = self.grp, self.items
        delta = self.g_sum - self.g_sum[items, grp][:, None]
        c = items if cand is None else cand
        gc = grp[c]
        across = delta[c][:, gc]  # [a, b]: gain of c_a leaving for c_b's group
        twice_d = self.twice_d if cand is None else self.twice_d[np.ix_(c, c)]
        swap_gain = across + across.T - twice_d
        movable = self.movable[c]
        swap_ok = movable[:, None] & movable[None, :] & (gc[:, None] != gc[None, :])
        move_ok = self.move_mask() if self.resizable else None
        if self.cl is not None:
            if move_ok is not None:
                move_ok &= self.cl_count == 0
            # After a swap, i sits in j's group without j: only partners other than j count.
            cl = self.cl if cand is None else self.cl[np.ix_(c, c)]
            fine = (self.cl_count[c][:, gc] - cl) == 0
            swap_ok &= fine & fine.T
        if self.org is not None:
            if move_ok is not None:
                held = self.cap > self.org_count[:, self.org_safe].T  # room for i's organisation
                move_ok &= held | ~self.has_org[:, None]
            org, has_org = self.org[c], self.has_org[c]
            same = org[:, None] == org[None, :]
            room = self.org_count[:, self.org_safe[c]][gc].T - same < self.cap
            fine = room | ~has_org[:, None]
            swap_ok &= fine & fine.T
        if self.avail is not None:
            shared = self.slot_count == self.size[:, None]  # slots every member of a group has
            if move_ok is not None:
                move_ok &= (self.avail @ shared.T.astype(np.int32)) > 0
            # Slots every other member of i's group has: j can take i's place if j has one.
            avail = self.avail[c]
            without = (self.slot_count[gc] - avail) == (self.size[gc] - 1)[:, None]
            fits = (without.astype(np.int32) @ avail.T) > 0  # [i, j]: j fits in i's group
            swap_ok &= fits & fits.T
        if move_ok is None and cand is None:
            move_ok = np.zeros((self.problem.n, self.problem.m), dtype=bool)
        return delta, move_ok, swap_gain, swap_ok


def construct(problem: Problem, rng: np.random.Generator) -> Assignment:
    """A random assignment that holds every rule, placed greedily unit by unit (must-linked
    items together), the most constrained first. Raises Infeasible when none is found."""
    reasons = impossibilities(problem)
    if reasons:
        raise Infeasible(reasons)
    n, m = problem.n, problem.m
    units = must_link_units(n, problem.must_link)
    partners: list[set[int]] = [set() for _ in range(n)]
    for i, j in problem.cannot_link:
        partners[i].add(j)
        partners[j].add(i)
    org = problem.organisation
    cap = problem.max_per_organisation  # set whenever org is
    avail = problem.availability
    lower = [a for a, _ in problem.bounds]
    upper = [b for _, b in problem.bounds]

    def difficulty(unit: list[int]) -> tuple[bool, int, int, int]:
        locked = any(i in problem.locked for i in unit)
        degree = sum(len(partners[i]) for i in unit)
        slots = min(len(avail[i]) for i in unit) if avail is not None else 0
        return (not locked, -len(unit), -degree, slots)

    failure = ""
    for attempt in range(CONSTRUCTION_ATTEMPTS):
        noise = rng.random(len(units))
        if attempt == 0:
            order = sorted(range(len(units)), key=lambda u: (difficulty(units[u]), noise[u]))
        else:
            # Later attempts shuffle more, keeping locked and tied units early.
            order = sorted(range(len(units)), key=lambda u: (difficulty(units[u])[:2], noise[u]))
        grp = np.full(n, -1)
        size = [0] * m
        org_count: list[dict[Hashable, int]] = [{} for _ in range(m)]
        shared: list[frozenset[Hashable] | None] = [None] * m
        remaining = n
        for u in order:
            unit = units[u]
            locks = {problem.locked[i] for i in unit if i in problem.locked}
            unit_slots = frozenset.intersection(*(avail[i] for i in unit)) if avail else None
            unit_orgs: dict[Hashable, int] = {}
            if org is not None:
                for i in unit:
                    if org[i] is not None:
                        unit_orgs[org[i]] = unit_orgs.get(org[i], 0) + 1
            deficit = sum(max(0, lower[g] - size[g]) for g in range(m))
            candidates = []
            for g in locks or range(m):
                if size[g] + len(unit) > upper[g]:
                    continue
                if any(grp[p] == g for i in unit for p in partners[i]):
                    continue
                if cap is not None and any(
                    org_count[g].get(o, 0) + c > cap for o, c in unit_orgs.items()
                ):
                    continue
                here = shared[g]
                if unit_slots is not None and here is not None and not here & unit_slots:
                    continue
                # Leave enough items to bring every other group up to its minimum.
                fills = min(len(unit), max(0, lower[g] - size[g]))
                if deficit - fills > remaining - len(unit):
                    continue
                candidates.append(g)
            if not candidates:
                failure = f"items {unit} fit in no group without breaking a rule"
                break
            short = [g for g in candidates if size[g] < lower[g]]
            pool = short or candidates
            g = pool[int(rng.integers(len(pool)))]
            grp[unit] = g
            size[g] += len(unit)
            remaining -= len(unit)
            for o, c in unit_orgs.items():
                org_count[g][o] = org_count[g].get(o, 0) + c
            if unit_slots is not None:
                here = shared[g]
                shared[g] = unit_slots if here is None else here & unit_slots
        else:
            return grp
    raise Infeasible(
        [
            f"no assignment holding every rule was found in {CONSTRUCTION_ATTEMPTS} attempts ({failure})"
        ]
    )


class _Stop(Exception):
    """The time or the iterations are spent, or ``progress`` asked the search to stop."""


class _Run:
    """The budget of one search, the best assignment found so far, and the tabu search that
    spends the budget."""

    def __init__(
        self,
        problem: Problem,
        seconds: float,
        rng: np.random.Generator,
        progress: Progress | None,
        max_iterations: int | None,
        first: Assignment,
    ):
        self.problem, self.seconds, self.rng = problem, seconds, rng
        self.progress, self.max_iterations = progress, max_iterations
        self.start = time.perf_counter()
        self.deadline = self.start + seconds
        self.next_report = self.start
        self.iteration = 0
        self.best, self.best_grp = problem.objective(first), first.copy()
        n = problem.n
        self.tabu_until = np.zeros(n, dtype=np.int64)
        self.depth = max(DEPTH_MIN, int(DEPTH_PER_ITEM * n))  # iterations without improvement
        # With equal bounds (swaps only), swaps are scored among candidates; with size ranges,
        # the candidates (drawn to the large groups) miss the swaps that matter: all are scored.
        resizable = any(a < b for a, b in problem.bounds)
        self.pick = n if resizable else min(n, max(CANDIDATES_MIN, int(CANDIDATES_PER_ITEM * n)))

    def offer(self, grp: Assignment, value: float) -> None:
        """Keep ``grp`` as the best assignment when it is better."""
        if value > self.best + 1e-9:
            self.best, self.best_grp = value, grp.copy()

    def used(self) -> float:
        """The share of the budget spent: of the iterations when they bound the run (so that
        it repeats exactly), else of the time."""
        if self.max_iterations is not None:
            return min(1.0, self.iteration / max(self.max_iterations, 1))
        return (
            min(1.0, (time.perf_counter() - self.start) / self.seconds) if self.seconds > 0 else 1.0
        )

    def tick(self) -> None:
        """Raise _Stop when the budget is spent or ``progress`` asks to stop."""
        now = time.perf_counter()
        spent = now >= self.deadline or (
            self.max_iterations is not None and self.iteration >= self.max_iterations
        )
        if spent or now >= self.next_report:
            self.next_report = now + 0.1
            stop = self.progress is not None and self.progress(
                min(1.0, (now - self.start) / self.seconds) if self.seconds > 0 else 1.0,
                self.best,
            )
            if spent or stop:
                raise _Stop

    def tabu(self, state: State) -> tuple[float, Assignment]:
        """Tabu search from ``state`` until ``depth`` iterations pass without improving on
        its best, then must-linked units moved greedily (and on again when that improves).
        Returns the best objective and assignment it visited."""
        problem, rng = self.problem, self.rng
        n, m = problem.n, problem.m
        items, tabu_until, neg = state.items, self.tabu_until, -np.inf
        tabu_until[:] = 0
        current = state.objective
        self.offer(state.grp, current)
        phase_best, phase_grp, stall = current, state.grp.copy(), 0
        while True:
            while stall < self.depth:
                self.tick()
                free = tabu_until <= self.iteration
                cand: Ints | None = None
                if self.pick < n:
                    # Swaps only among the items that gain most from leaving their group.
                    delta = state.g_sum - state.g_sum[items, state.grp][:, None]
                    delta[items, state.grp] = neg
                    score = delta.max(axis=1) + np.where(free, 0.0, -1e18)
                    cand = np.sort(np.argpartition(-score, self.pick - 1)[: self.pick])
                aspire = self.best - current + 1e-9
                if cand is None and state.barred is not None:
                    delta = state.g_sum - state.g_sum[items, state.grp][:, None]
                    move_ok: Flags | None = state.move_mask()
                    si, sg = state.best_swap(delta, free, aspire)
                    width = n
                    swap_ok: Flags | None = None  # scored through barred, made below if needed
                else:
                    delta, move_ok, swap_gain, swap_ok = state.neighbourhood(cand)
                    cfree = free if cand is None else free[cand]
                    swap_gain = np.where(
                        swap_ok & ((cfree[:, None] & cfree[None, :]) | (swap_gain > aspire)),
                        swap_gain,
                        neg,
                    )
                    si = int(np.argmax(swap_gain))
                    sg = swap_gain.flat[si]
                    width = swap_gain.shape[1]
                mg = neg
                if move_ok is not None:
                    move_gain = np.where(move_ok & (free[:, None] | (delta > aspire)), delta, neg)
                    mi = int(np.argmax(move_gain))
                    mg = move_gain.flat[mi]
                if mg == neg and sg == neg:
                    if swap_ok is None:
                        assert state.barred is not None  # the path above that leaves it None
                        swap_ok = np.isfinite(state.barred)
                    if not (swap_ok.any() or (move_ok is not None and move_ok.any())):
                        if cand is None or not (state.movable.sum() > 1):
                            if not state.units:
                                raise _Stop  # nothing can move: the start is the answer
                            self.iteration += 1
                            break  # only must-linked units can move
                        self.pick = n  # the candidates cannot swap; look at every item
                    tabu_until[:] = 0
                    continue
                tenure = int(rng.integers(n // 40 + 2, n // 20 + 6))
                if mg >= sg:
                    i, h = divmod(mi, m)
                    state.move(i, h)
                    tabu_until[i] = self.iteration + tenure
                    current += mg
                else:
                    i, j = divmod(si, width)
                    if cand is not None:
                        i, j = int(cand[i]), int(cand[j])
                    gi, gj = state.grp[i], state.grp[j]
                    state.move(i, gj)
                    state.move(j, gi)
                    tabu_until[i] = tabu_until[j] = self.iteration + tenure
                    current += sg
                self.iteration += 1
                if current > phase_best + 1e-9:
                    phase_best, stall, phase_grp = current, 0, state.grp.copy()
                    self.offer(phase_grp, phase_best)
                else:
                    stall += 1
            # A fresh state also clears rounding drift in the sums.
            state = State(problem, phase_grp)
            if not (state.units and _move_units(state, rng, improve=True)):
                return phase_best, phase_grp
            current = phase_best = state.objective
            phase_grp, stall = state.grp.copy(), 0
            self.offer(phase_grp, phase_best)


def search(
    problem: Problem,
    seconds: float,
    seed: int,
    progress: Progress | None = None,
    max_iterations: int | None = None,
) -> tuple[Assignment, int]:
    """A memetic search from feasible starts until ``seconds`` pass (or ``max_iterations``
    iterations, for runs that must repeat exactly). When the only rules are sizes and locks,
    the compiled population search of memetic.py (an iteration is a local search). Otherwise
    a small pool of assignments, each improved by tabu search; then, over and over, a child of
    two members by group-based crossover (or a member shaken by random rule-holding moves)
    improved by tabu search and kept in the pool when it beats the worst member (an iteration
    is a tabu move). Returns the best assignment found and the number of iterations."""
    if problem.own_groups:
        raise ValueError("groups of their own are solved part by part: call grouping.solve")
    rng = np.random.default_rng(seed)
    start = construct(problem, rng)
    run = _Run(problem, seconds, rng, progress, max_iterations, start)

    def starts(k: int) -> Assignment:
        """The k-th start: every other one at the sizes with the most pairs, the rest random."""
        if k == 0:
            return start
        return _start_with_most_pairs(problem, rng) if k % 2 else construct(problem, rng)

    units = must_link_units(problem.n, problem.must_link)
    ruled = _pairwise_rules(problem)
    if problem.m > 1 and not ruled and all(len(unit) == 1 for unit in units):
        from .memetic import memetic

        with contextlib.suppress(_Stop):
            memetic(problem, starts, run, seed)
        return run.best_grp, run.iteration
    size = POOL if problem.m > 1 and not ruled else 1
    pool: list[tuple[float, Assignment]] = []
    try:
        while len(pool) < size:
            pool.append(run.tabu(State(problem, starts(len(pool)))))
        while True:
            child = None
            if size > 1 and rng.random() < CROSSOVER:
                a, b = rng.choice(size, 2, replace=False)
                child = crossover(problem, units, pool[a][1], pool[b][1], rng)
            if child is None:
                state = State(problem, pool[int(rng.integers(size))][1])
                low, high = max(2, int(SHAKE_LOW * problem.n)), max(3, int(SHAKE_HIGH * problem.n))
                _perturb(state, rng, int(rng.integers(low, high + 1)))
            else:
                state = State(problem, child)
            _keep(pool, *run.tabu(state))
    except _Stop:
        pass
    return run.best_grp, run.iteration


def _pairwise_rules(problem: Problem) -> bool:
    """Whether a rule other than sizes, locks and must-link binds (cannot-link, organisation
    caps, shared availability): whole groups taken from good assignments may then break it."""
    return bool(problem.cannot_link) or (
        problem.organisation is not None or problem.availability is not None
    )


def _start_with_most_pairs(problem: Problem, rng: np.random.Generator) -> Assignment:
    """A random start whose group sizes give the most pairs within the bounds (diversity is a
    sum over pairs, and a local search rarely grows a small group far), or any random start
    when the rules do not allow those sizes."""
    bounds = problem.bounds
    if all(a == b for a, b in bounds):
        return construct(problem, rng)
    order = rng.permutation(len(bounds))
    # pairs[t]: the most pairs from the groups so far holding t items; chosen[k][t]: the size.
    pairs = {0: 0}
    chosen = []
    for g in order:
        a, b = bounds[g]
        following: dict[int, int] = {}
        sizes: dict[int, int] = {}
        for t, value in pairs.items():
            for k in range(a, b + 1):
                if t + k <= problem.n and value + k * (k - 1) // 2 > following.get(t + k, -1):
                    following[t + k], sizes[t + k] = value + k * (k - 1) // 2, k
        pairs = following
        chosen.append(sizes)
    target = [0] * len(bounds)
    left = problem.n
    for g, sizes in zip(order[::-1], chosen[::-1], strict=True):
        target[g] = sizes[left]
        left -= sizes[left]
    fixed = replace(problem, bounds=[(k, k) for k in target])
    try:
        return construct(fixed, rng)
    except Infeasible:
        return construct(problem, rng)


def _keep(pool: list[tuple[float, Assignment]], value: float, grp: Assignment) -> None:
    """Put a result in the pool: in place of a member of the same objective (most likely the
    same assignment), else of the worst member when it is better."""
    for k, (other, _) in enumerate(pool):
        if abs(other - value) <= 1e-9 * max(1.0, abs(value)):
            pool[k] = (value, grp)
            return
    worst = min(range(len(pool)), key=lambda k: pool[k][0])
    if value > pool[worst][0]:
        pool[worst] = (value, grp)


def _perturb(state: State, rng: np.random.Generator, strength: int) -> None:
    """Apply ``strength`` random moves or swaps that hold every rule (and one random step of a
    must-linked unit): cheaply when the only rules are group sizes and locked items, else
    through the full neighbourhood (_shake)."""
    if state.units:
        _move_units(state, rng, improve=False)
    if state.ruled:
        _shake(state, rng, strength)
        return
    movable = np.flatnonzero(state.movable)
    if len(movable) < 2:
        return
    if state.resizable and rng.random() < RESIZE:
        _resize(state, rng, movable)
    for _ in range(strength):
        i = int(movable[rng.integers(len(movable))])
        g = state.grp[i]
        others = movable[state.grp[movable] != g]
        if len(others):
            j = int(others[rng.integers(len(others))])
            gj = state.grp[j]
            state.move(i, gj)
            state.move(j, g)


def _resize(state: State, rng: np.random.Generator, movable: Ints) -> None:
    """Change the group sizes: fill one random group to its maximum, or empty it to its
    minimum, each step moving the item that loses least (a local search alone keeps the sizes
    it starts with, since items are drawn to the groups that are already large)."""
    h = int(rng.integers(state.problem.m))
    grow = rng.random() < 0.5
    while True:
        size, lower, upper, grp = state.size, state.lower, state.upper, state.grp
        if grow:
            if size[h] >= upper[h]:
                return
            ok = (grp[movable] != h) & (size[grp[movable]] > lower[grp[movable]])
            if not ok.any():
                return
            who = movable[ok]
            gain = state.g_sum[who, h] - state.g_sum[who, grp[who]]
            state.move(int(who[np.argmax(gain)]), h)
        else:
            if size[h] <= lower[h]:
                return
            who = movable[grp[movable] == h]
            room = (size < upper) & (np.arange(state.problem.m) != h)
            if not len(who) or not room.any():
                return
            gain = state.g_sum[who] - state.g_sum[who, h][:, None]
            gain[:, ~room] = -np.inf
            k = int(np.argmax(gain))
            i, g = divmod(k, state.problem.m)
            state.move(int(who[i]), g)


def _shake(state: State, rng: np.random.Generator, strength: int) -> None:
    """Apply ``strength`` random moves or swaps that hold every rule."""
    m, n = state.problem.m, state.problem.n
    for _ in range(strength):
        _, move_ok, _, swap_ok = state.neighbourhood()
        assert move_ok is not None  # with every item as a candidate, moves are always masked
        moves, swaps = np.flatnonzero(move_ok), np.flatnonzero(swap_ok)
        total = len(moves) + len(swaps)
        if not total:
            return
        pick = int(rng.integers(total))
        if pick < len(moves):
            i, h = divmod(int(moves[pick]), m)
            state.move(i, h)
        else:
            i, j = divmod(int(swaps[pick - len(moves)]), n)
            gi, gj = state.grp[i], state.grp[j]
            state.move(i, gj)
            state.move(j, gi)


Step = list[tuple[int, int]]
"""A compound step: (item, group) moves applied in order."""


def _move_units(state: State, rng: np.random.Generator, improve: bool) -> bool:
    """Move must-linked units as a whole: to another group, or in exchange for as many items
    of that group (the free items that lose least by the exchange, or a unit of the same
    size). With ``improve``, apply the best rule-holding step while one gains; else one random
    rule-holding step. Returns whether a unit moved."""
    moved = False
    while True:
        steps = _unit_steps(state)
        if not improve:
            return any(_apply(state, steps[k]) is not None for k in rng.permutation(len(steps)))
        best, best_gain = None, 1e-9
        for step in steps:
            made = _apply(state, step)
            if made is not None:
                gain, back = made
                _revert(state, back)
                if gain > best_gain:
                    best, best_gain = step, gain
        if best is None:
            return moved
        _apply(state, best)
        moved = True


def _unit_steps(state: State) -> list[Step]:
    """Every candidate step of a unit: to each other group, alone or in exchange."""
    steps = []
    grp, m = state.grp, state.problem.m
    for unit in state.units:
        g, size = int(grp[unit[0]]), len(unit)
        for h in range(m):
            if h == g:
                continue
            going = [(int(i), h) for i in unit]
            steps.append(going)
            free = np.flatnonzero(state.movable & (grp == h))
            if len(free) >= size:
                # Gain of coming to g, less the pairs with the unit that the exchange splits.
                gain = state.g_sum[free, g] - state.g_sum[free, h]
                gain -= 2.0 * state.d[np.ix_(free, unit)].sum(axis=1)
                chosen = free[np.argsort(-gain, kind="stable")[:size]]
                steps.append(going + [(int(j), g) for j in chosen])
            for other in state.units:
                if len(other) == size and grp[other[0]] == h:
                    steps.append(going + [(int(j), g) for j in other])
    return steps


def _apply(state: State, step: Step) -> tuple[float, Step] | None:
    """Make a compound step; return its gain and the step that takes it back. When it breaks
    a rule, take it back and return None."""
    back = [(i, int(state.grp[i])) for i, _ in reversed(step)]
    gain = 0.0
    for i, h in step:
        gain += state.g_sum[i, h] - state.g_sum[i, state.grp[i]]
        state.move(i, h)
    if state.holds([i for i, _ in step], {g for _, g in back} | {h for _, h in step}):
        return gain, back
    _revert(state, back)
    return None


def _revert(state: State, back: Step) -> None:
    for i, g in back:
        state.move(i, g)
