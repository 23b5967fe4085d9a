"""The anytime search: a feasible start, then iterated tabu search over one-moves and swaps.

The state keeps, for each item, the sum of its diversities to each group (``G``, n × m), so the
gain of every move and every swap comes from a few numpy operations on G, and applying a move
updates two columns. Each rule keeps its own counts in the same way, so the moves that would
break a rule are masked out before the best one is chosen: every state the search visits holds
every rule. After a tabu phase stalls, the search restarts from its best assignment shaken by a
few random (rule-holding) moves and swaps (iterated local search, as in Lai & Hao 2016 and Yang
et al. 2022).
"""

import time
from collections.abc import Callable

import numpy as np

from .problem import Infeasible, Problem, impossibilities, must_link_units

Progress = Callable[[float, float], None]
"""Called now and then with (fraction of the time used, best objective so far)."""

CONSTRUCTION_ATTEMPTS = 200


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

    def neighbourhood(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Gains of all one-moves (n × m) and swaps (n × n), and where each holds every rule."""
        grp, items = self.grp, self.items
        delta = self.g_sum - self.g_sum[items, grp][:, None]
        across = delta[:, grp]
        swap_gain = across + across.T - self.twice_d
        move_ok = self.movable[:, None] & (self.size < self.upper)[None, :]
        move_ok &= (self.size > self.lower)[grp][:, None]
        move_ok[items, grp] = False
        swap_ok = self.movable[:, None] & self.movable[None, :] & (grp[:, None] != grp[None, :])
        if self.cl is not None:
            move_ok &= self.cl_count == 0
            # After a swap, i sits in j's group without j: only partners other than j count.
            fine = (self.cl_count[:, grp] - self.cl) == 0
            swap_ok &= fine & fine.T
        if self.org is not None:
            held = self.cap > self.org_count[:, self.org_safe].T  # n × m: room for i's organisation
            move_ok &= held | ~self.has_org[:, None]
            same = self.org[:, None] == self.org[None, :]
            room = self.org_count[:, self.org_safe][grp].T - same < self.cap
            fine = room | ~self.has_org[:, None]
            swap_ok &= fine & fine.T
        if self.avail is not None:
            shared = self.slot_count == self.size[:, None]  # slots every member of a group has
            move_ok &= (self.avail @ shared.T.astype(np.int32)) > 0
            # Slots every other member of i's group has: j can take i's place if j has one.
            without = (self.slot_count[grp] - self.avail) == (self.size[grp] - 1)[:, None]
            fits = (without.astype(np.int32) @ self.avail.T) > 0  # [i, j]: j fits in i's group
            swap_ok &= fits & fits.T
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
    n = problem.n
    best_grp, best = state.grp.copy(), state.objective
    tabu_until = np.zeros(n, dtype=np.int64)
    iteration = 0
    next_report = start
    depth = max(100, 2 * n)  # iterations without improvement before a phase ends
    neg = -np.inf

    def report(now: float) -> None:
        if progress is not None:
            progress(min(1.0, (now - start) / seconds) if seconds > 0 else 1.0, best)

    while True:
        phase_best, stall = state.objective, 0
        current = phase_best
        while stall < depth:
            now = time.perf_counter()
            if now >= deadline or (max_iterations is not None and iteration >= max_iterations):
                report(now)
                return best_grp, iteration
            if now >= next_report:
                report(now)
                next_report = now + 0.1
            delta, move_ok, swap_gain, swap_ok = state.neighbourhood()
            free = tabu_until <= iteration
            aspire = best - current + 1e-9
            move_gain = np.where(move_ok & (free[:, None] | (delta > aspire)), delta, neg)
            swap_gain = np.where(
                swap_ok & ((free[:, None] & free[None, :]) | (swap_gain > aspire)), swap_gain, neg
            )
            mi = int(np.argmax(move_gain))
            si = int(np.argmax(swap_gain))
            mg, sg = move_gain.flat[mi], swap_gain.flat[si]
            if mg == neg and sg == neg:
                if not (move_ok.any() or swap_ok.any()):
                    report(now)
                    return best_grp, iteration  # nothing can move: the start is the answer
                tabu_until[:] = 0
                continue
            tenure = int(rng.integers(n // 40 + 2, n // 20 + 6))
            if mg >= sg:
                i, h = divmod(mi, problem.m)
                state.move(i, h)
                tabu_until[i] = iteration + tenure
                current += mg
            else:
                i, j = divmod(si, n)
                gi, gj = state.grp[i], state.grp[j]
                state.move(i, gj)
                state.move(j, gi)
                tabu_until[i] = tabu_until[j] = iteration + tenure
                current += sg
            iteration += 1
            if current > phase_best + 1e-9:
                phase_best, stall = current, 0
            else:
                stall += 1
            if current > best + 1e-9:
                best, best_grp = current, state.grp.copy()
        # Restart from the best, shaken; a fresh state also clears rounding drift in the sums.
        state = State(problem, best_grp)
        _shake(state, rng, int(rng.integers(max(2, n // 20), max(3, n // 8) + 1)))
        tabu_until[:] = 0


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
