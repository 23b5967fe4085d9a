"""The sample problems shipped for question practice: complete, distinct, the right length."""

import json
import re
from importlib.resources import files

from revans.coach.scenarios import all_scenarios, get_scenario

FIELDS = {"slug", "title", "presenter", "role", "summary", "account", "hopes"}


def raw() -> list[dict]:
    return json.loads(files("revans.coach").joinpath("data/scenarios.json").read_text("utf-8"))


def test_every_scenario_has_every_field_and_nothing_else():
    for item in raw():
        assert set(item) == FIELDS, item.get("slug")
        for field in FIELDS - {"account", "hopes"}:
            assert isinstance(item[field], str) and item[field].strip(), (item["slug"], field)
        assert all(isinstance(p, str) and p.strip() for p in item["account"]), item["slug"]
        assert all(isinstance(h, str) and h.strip() for h in item["hopes"]), item["slug"]


def test_there_are_five_or_six_scenarios_with_unique_url_safe_slugs():
    slugs = [s.slug for s in all_scenarios()]
    assert 5 <= len(slugs) <= 6
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
    assert len({s.title for s in all_scenarios()}) == len(slugs)


def test_each_account_is_120_to_200_words_in_the_first_person():
    for scenario in all_scenarios():
        assert 120 <= scenario.words <= 200, (scenario.slug, scenario.words)
        assert re.search(r"\bI\b", " ".join(scenario.account)), scenario.slug


def test_each_scenario_lists_three_or_four_hopes():
    for scenario in all_scenarios():
        assert 3 <= len(scenario.hopes) <= 4, scenario.slug


def test_presenters_are_named_by_first_name_only():
    for scenario in all_scenarios():
        assert re.fullmatch(r"[A-Z][a-z]+", scenario.presenter), scenario.presenter


def test_scenarios_are_found_by_slug_and_unknown_slugs_are_not():
    first = all_scenarios()[0]
    assert get_scenario(first.slug) is first
    assert get_scenario("no-such-scenario") is None
    assert get_scenario("") is None
