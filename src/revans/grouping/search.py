"""The anytime search: a feasible start, then iterated tabu search over one-moves and swaps.

The state keeps, for each item, the sum of its diversities to each group (``G``, n × m), so the
gain of every move and every swap comes from a few numpy operations on G, and applying a move
updates two columns. Each rule keeps its own counts in the same way, so the moves that would
break a rule are masked out before the best one is chosen: every state the search visits holds
every rule. With equal group sizes (swaps only) each iteration scores the swaps among a
candidate list, the free items that gain most from leaving their group; with size ranges every
move and swap is scored. After a tabu phase stalls, the search restarts from its best assignment
shaken by random (rule-holding) swaps, and, when sizes can vary, half the time first refills or
empties one group greedily, since a local search alone keeps the sizes it starts with (iterated
local search, as in Lai & Hao 2016 and Yang et al. 2022).
"""

import time
from collections.abc import Callable

import numpy as np

from .problem import Infeasible, Problem, impossibilities, must_link_units

Progress = Callable[[float, float], bool | None]
"""Called now and then with (fraction of the time used, best objective so far); returning True
stops the search early, with the best assignment found so far."""

CONSTRUCTION_ATTEMPTS = 200
DEPTH_MIN, DEPTH_PER_ITEM = 100, 2.0  # tabu iterations without improvement before a phase ends
CANDIDATES_MIN, CANDIDATES_PER_ITEM = 24, 0.3  # items whose swaps are scored each iteration
SHAKE_LOW, SHAKE_HIGH = 0.05, 0.125  # perturbation strength, as a share of n
ACCEPT = 0.0  # go on from a phase's best when within this share of the best found
RESIZE = 0.5  # share of perturbations that refill or empty a group first, when sizes can vary
PERTURB_MOVES = 0.0  # share of the perturbation made of one-moves when sizes can change


class State:
    """An assignment with the sums and counts that make moves cheap to evaluate and apply."""

    def __init__(self, problem: Problem, assignment: np.ndarray):
        n, m = problem.n, problem.m
        self.problem = problem
        self.d = problem.diversity
        self.twice_d = 2.0 * self.d
        self.grp = assignment.astype(np.intp).copy()
        self.lower = np.array([a for a, _ in problem.bounds])
        self.upper = np.array([b for _, b in problem.bounds])
        onehot = np.zeros((n, m))
        onehot[np.arange(n), self.grp] = 1.0
        self.g_sum = self.d @ onehot
        self.size = onehot.sum(axis=0).astype(np.intp)
        units = must_link_units(n, problem.must_link)
        # Items locked, or tied to others by must-link, move only with their unit (perturbation).
        self.movable = np.ones(n, dtype=bool)
        self.movable[list(problem.locked)] = False
        for unit in units:
            if len(unit) > 1:
                self.movable[unit] = False
        self.items = np.arange(n)
        self.resizable = bool((self.lower < self.upper).any())
        self.ruled = bool(problem.cannot_link or problem.organisation is not None) or (
            problem.availability is not None
        )

        self.cl = None
        if problem.cannot_link:
            self.cl = np.zeros((n, n), dtype=np.int32)
            for i, j in problem.cannot_link:
                self.cl[i, j] = self.cl[j, i] = 1
            self.cl_count = self.cl @ onehot.astype(np.int32)  # partners of i in each group
        self.org = None
        if problem.organisation is not None:
            labels = {
                label: k
                for k, label in enumerate(dict.fromkeys(problem.organisation))
                if label is not None
            }
            self.org = np.array([labels.get(label, -1) for label in problem.organisation])
            self.has_org = self.org >= 0
            self.org_safe = np.where(self.has_org, self.org, 0)
            self.org_count = np.zeros((m, max(len(labels), 1)), dtype=np.int32)
            np.add.at(self.org_count, (self.grp[self.has_org], self.org[self.has_org]), 1)
            self.cap = problem.max_per_organisation
        self.avail = None
        if problem.availability is not None:
            slots = sorted({s for item in problem.availability for s in item}, key=repr)
            index = {s: k for k, s in enumerate(slots)}
            self.avail = np.zeros((n, len(slots)), dtype=np.int32)
            for item, item_slots in enumerate(problem.availability):
                self.avail[item, [index[s] for s in item_slots]] = 1
            self.slot_count = onehot.T.astype(np.int32) @ self.avail  # m × slots

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
        if self.cl is not None:
            self.cl_count[:, g] -= self.cl[:, i]
            self.cl_count[:, h] += self.cl[:, i]
        if self.org is not None and self.has_org[i]:
            self.org_count[g, self.org[i]] -= 1
            self.org_count[h, self.org[i]] += 1
        if self.avail is not None:
            self.slot_count[g] -= self.avail[i]
            self.slot_count[h] += self.avail[i]

    def neighbourhood(
        self, cand: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
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
        move_ok = None
        if self.resizable:
            move_ok = self.movable[:, None] & (self.size < self.upper)[None, :]
            move_ok &= (self.size > self.lower)[grp][:, None]
            move_ok[items, grp] = False
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


def construct(problem: Problem, rng: np.random.Generator) -> np.ndarray:
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
    avail = problem.availability
    lower = [a for a, _ in problem.bounds]
    upper = [b for _, b in problem.bounds]

    def difficulty(unit: list[int]) -> tuple:
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
        org_count: list[dict] = [{} for _ in range(m)]
        shared: list[frozenset | None] = [None] * m
        remaining = n
        for u in order:
            unit = units[u]
            locks = {problem.locked[i] for i in unit if i in problem.locked}
            unit_slots = frozenset.intersection(*(avail[i] for i in unit)) if avail else None
            unit_orgs: dict = {}
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
                if any(
                    org_count[g].get(o, 0) + c > problem.max_per_organisation
                    for o, c in unit_orgs.items()
                ):
                    continue
                if unit_slots is not None and shared[g] is not None and not shared[g] & unit_slots:
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
                shared[g] = unit_slots if shared[g] is None else shared[g] & unit_slots
        else:
            return grp
    raise Infeasible(
        [
            f"no assignment holding every rule was found in {CONSTRUCTION_ATTEMPTS} attempts ({failure})"
        ]
    )


def search(
    problem: Problem,
    seconds: float,
    seed: int,
    progress: Progress | None = None,
    max_iterations: int | None = None,
) -> tuple[np.ndarray, int]:
    """Iterated tabu search from a feasible start until ``seconds`` pass (or ``max_iterations``
    tabu iterations, for runs that must repeat exactly). Returns the best assignment found and
    the number of iterations."""
    start = time.perf_counter()
    deadline = start + seconds
    rng = np.random.default_rng(seed)
    state = State(problem, construct(problem, rng))
    n, m = problem.n, problem.m
    best_grp, best = state.grp.copy(), state.objective
    tabu_until = np.zeros(n, dtype=np.int64)
    iteration = 0
    next_report = start
    depth = max(DEPTH_MIN, int(DEPTH_PER_ITEM * n))  # iterations without improvement
    # With equal bounds (swaps only), swaps are scored among candidates; with size ranges, the
    # candidates (drawn to the large groups) miss the swaps that matter: all are scored.
    pick = n if state.resizable else min(n, max(CANDIDATES_MIN, int(CANDIDATES_PER_ITEM * n)))
    items = state.items
    neg = -np.inf

    def report(now: float) -> bool:
        """Tell ``progress``; True when it asks the search to stop."""
        if progress is None:
            return False
        return bool(progress(min(1.0, (now - start) / seconds) if seconds > 0 else 1.0, best))

    while True:
        current = state.objective
        phase_best, phase_grp, stall = current, state.grp.copy(), 0
        while stall < depth:
            now = time.perf_counter()
            if now >= deadline or (max_iterations is not None and iteration >= max_iterations):
                report(now)
                return best_grp, iteration
            if now >= next_report:
                if report(now):
                    return best_grp, iteration
                next_report = now + 0.1
            free = tabu_until <= iteration
            cand = None
            if pick < n:
                # Swaps only among the items that gain most from leaving their group (free first).
                delta = state.g_sum - state.g_sum[items, state.grp][:, None]
                delta[items, state.grp] = neg
                score = delta.max(axis=1) + np.where(free, 0.0, -1e18)
                cand = np.sort(np.argpartition(-score, pick - 1)[:pick])
            delta, move_ok, swap_gain, swap_ok = state.neighbourhood(cand)
            aspire = best - current + 1e-9
            cfree = free if cand is None else free[cand]
            swap_gain = np.where(
                swap_ok & ((cfree[:, None] & cfree[None, :]) | (swap_gain > aspire)),
                swap_gain,
                neg,
            )
            si = int(np.argmax(swap_gain))
            sg = swap_gain.flat[si]
            mg = neg
            if move_ok is not None:
                move_gain = np.where(move_ok & (free[:, None] | (delta > aspire)), delta, neg)
                mi = int(np.argmax(move_gain))
                mg = move_gain.flat[mi]
            if mg == neg and sg == neg:
                if not (swap_ok.any() or (move_ok is not None and move_ok.any())):
                    if cand is None or not (state.movable.sum() > 1):
                        report(now)
                        return best_grp, iteration  # nothing can move: the start is the answer
                    pick = n  # the candidates cannot swap; look at every item
                tabu_until[:] = 0
                continue
            tenure = int(rng.integers(n // 40 + 2, n // 20 + 6))
            if mg >= sg:
                i, h = divmod(mi, m)
                state.move(i, h)
                tabu_until[i] = iteration + tenure
                current += mg
            else:
                i, j = divmod(si, swap_gain.shape[1])
                if cand is not None:
                    i, j = int(cand[i]), int(cand[j])
                gi, gj = state.grp[i], state.grp[j]
                state.move(i, gj)
                state.move(j, gi)
                tabu_until[i] = tabu_until[j] = iteration + tenure
                current += sg
            iteration += 1
            if current > phase_best + 1e-9:
                phase_best, stall = current, 0
                if current > best + 1e-9:
                    best, best_grp = current, state.grp.copy()
                    phase_grp = best_grp
                else:
                    phase_grp = state.grp.copy()
            else:
                stall += 1
        # Go on from this phase's best when close to the best found, else from the best;
        # shaken. A fresh state also clears rounding drift in the sums.
        accept = phase_best >= best - ACCEPT * abs(best)
        state = State(problem, phase_grp if accept else best_grp)
        low, high = max(2, int(SHAKE_LOW * n)), max(3, int(SHAKE_HIGH * n))
        _perturb(state, rng, int(rng.integers(low, high + 1)))
        tabu_until[:] = 0


def _perturb(state: State, rng: np.random.Generator, strength: int) -> None:
    """Apply ``strength`` random moves or swaps that hold every rule: cheaply when the only
    rules are group sizes and locked items, else through the full neighbourhood (_shake)."""
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
        if state.resizable and rng.random() < PERTURB_MOVES and state.size[g] > state.lower[g]:
            room = np.flatnonzero(state.size < state.upper)
            room = room[room != g]
            if len(room):
                state.move(i, int(room[rng.integers(len(room))]))
                continue
        others = movable[state.grp[movable] != g]
        if len(others):
            j = int(others[rng.integers(len(others))])
            gj = state.grp[j]
            state.move(i, gj)
            state.move(j, g)


def _resize(state: State, rng: np.random.Generator, movable: np.ndarray) -> None:
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
