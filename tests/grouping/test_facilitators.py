import itertools

from revans.grouping.facilitators import Facilitator, assign_facilitators, can_facilitate


def test_a_facilitator_never_gets_a_set_with_someone_from_their_organisation():
    sets = [{"a", "b"}, {"b", "c"}, {"c", "d"}]
    facilitators = [Facilitator("fa", "a"), Facilitator("fc", "c"), Facilitator("fx", "x")]
    result = assign_facilitators(sets, facilitators)
    assert len(result) == 3
    for g, key in result.items():
        org = {"fa": "a", "fc": "c", "fx": "x"}[key]
        assert org not in sets[g]


def test_augmenting_paths_cover_every_set_a_greedy_order_would_miss():
    # In order, set 0 would take f1, and then nobody may take set 1 (f2 is from y).
    sets = [{"x"}, {"y"}]
    facilitators = [Facilitator("f1", "q"), Facilitator("f2", "y")]
    assert assign_facilitators(sets, facilitators) == {0: "f2", 1: "f1"}


def test_sets_are_shared_out_evenly_before_anyone_gets_a_second():
    sets = [set() for _ in range(4)]
    facilitators = [Facilitator(k, None, capacity=3) for k in ("f1", "f2")]
    result = assign_facilitators(sets, facilitators)
    assert sorted(list(result.values()).count(k) for k in ("f1", "f2")) == [2, 2]


def test_capacity_and_fixed_sets_are_respected():
    sets = [set() for _ in range(4)]
    facilitators = [Facilitator("f1", None, capacity=2), Facilitator("f2", None, capacity=1)]
    result = assign_facilitators(sets, facilitators, fixed={0: "f1"})
    assert result[0] == "f1"
    counts = {k: list(result.values()).count(k) for k in ("f1", "f2")}
    assert counts == {"f1": 2, "f2": 1} and len(result) == 3


def test_same_organisation_allowed_when_asked():
    facilitator = Facilitator("f", "a")
    assert not can_facilitate(facilitator, {"a"})
    assert can_facilitate(facilitator, {"a"}, same_organisation=True)
    assert assign_facilitators([{"a"}], [facilitator]) == {}
    assert assign_facilitators([{"a"}], [facilitator], same_organisation=True) == {0: "f"}


def test_the_number_of_sets_covered_is_the_maximum_possible():
    orgs = "abcd"
    for seed in range(30):
        sets = [set(orgs[(seed + g * k) % 4] for k in range(1, 3)) for g in range(5)]
        facilitators = [Facilitator(f"f{k}", orgs[(seed * k) % 4], 1 + k % 2) for k in range(4)]
        result = assign_facilitators(sets, facilitators)
        best = 0
        keys = [None] + [f.key for f in facilitators]
        by_key = {f.key: f for f in facilitators}
        for choice in itertools.product(keys, repeat=len(sets)):
            ok = all(
                k is None or by_key[k].organisation not in sets[g] for g, k in enumerate(choice)
            ) and all(choice.count(f.key) <= f.capacity for f in facilitators)
            if ok:
                best = max(best, sum(k is not None for k in choice))
        assert len(result) == best


def test_preferred_facilitators_take_the_sets_first():
    # Four sets, two internal facilitators (two sets each) and two external ones.
    sets = [{"x"}, {"y"}, {"z"}, {"w"}]
    facilitators = [
        Facilitator("ext1", "e", capacity=2),
        Facilitator("ext2", "e", capacity=2),
        Facilitator("int1", "i", capacity=2),
        Facilitator("int2", "i", capacity=2),
    ]
    plain = assign_facilitators(sets, facilitators)
    assert sorted(plain.values()) == ["ext1", "ext2", "int1", "int2"]  # evenly, one each
    preferring = assign_facilitators(sets, facilitators, preferred={"int1", "int2"})
    assert sorted(preferring.values()) == ["int1", "int1", "int2", "int2"]


def test_the_preference_keeps_the_organisation_rule_and_the_others_take_the_rest():
    sets = [{"i"}, {"x"}, {"y"}]
    facilitators = [Facilitator("int", "i", capacity=3), Facilitator("ext", "e", capacity=3)]
    result = assign_facilitators(sets, facilitators, preferred={"int"})
    assert result == {0: "ext", 1: "int", 2: "int"}


def test_covering_every_set_comes_before_the_preference():
    # Matched first, the internal facilitator would take set 0, and the external one may not
    # take set 1 (someone in it is from her organisation): preferring blindly covers one set.
    sets = [{"x"}, {"e"}]
    facilitators = [Facilitator("int", "i"), Facilitator("ext", "e")]
    assert assign_facilitators(sets, facilitators, preferred={"int"}) == {0: "ext", 1: "int"}
    sets = [{"q"}, {"i"}, {"e"}]
    facilitators = [Facilitator("int", "i", capacity=2), Facilitator("ext", "e", capacity=1)]
    result = assign_facilitators(sets, facilitators, preferred={"int"})
    assert len(result) == 3 and result[1] == "ext" and result[2] == "int"
