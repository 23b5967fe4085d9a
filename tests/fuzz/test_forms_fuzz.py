"""Arbitrary data posted to every form of Revans: never a server error, and nothing half-done.

Every URL pattern of the access table (src/revans/core/tests/test_access.py) is posted to by a
person its table allows to use it, so the form code really runs; a pattern whose view neither
reads a post nor changes anything when posted to (it answers a post as a get, or with 405) takes
no form and is skipped. The data are the form's own fields (read from its page,
plus the ones the table posts) filled by Hypothesis with arbitrary text, several values, odd
numbers and dates, files, fields left out and fields nobody asked for, and now and then a body
that is not a form at all. Each example runs in a savepoint rolled back after it, so every
example starts from the same world.

A response that refuses the input (4xx, a form shown again with its errors, or an error message)
must leave every table as it was.
"""

import io
from copy import deepcopy
from html.parser import HTMLParser
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.forms import BaseForm, BaseFormSet, FileField
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from revans.core.tests.test_access import LOGIN, PERSON, TABLE, url_for
from revans.core.tests.test_bad_input import FIELDS

from .fuzzing import FUZZ, changed, rolled_back, tables

# Downloads (PDF, Word, spreadsheets, calendars) have no form; making one to find that out
# was a third of this module's time.
DOWNLOADS = ("_pdf", "_docx", "_csv", "_xlsx", "_ics", "_md")
CSRF = "fuzz" * 8  # a CSRF secret of the right shape, in the cookie and the header
# Who posts: someone the table lets in (a page first, then a post that redirects); a pattern
# nobody in the world may use is posted to by mo, to show it refuses cleanly.
PREFERRED = ("member", "facilitator", "manager", "observer", "other", "anonymous")

ODD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "-1",
    "0",
    "1.5",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e309",
    "nan",
    "-inf",
    "2026-02-30",
    "31/12/2026",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2026-13-01T25:61",
    "12:60",
    "<script>alert(1)</script>",
    "\u202e\U0001f600\ufffd",
    "on",
    "true",
    "None",
    "[]",
    "{}",
    "\r\n",
    "%00",
    "../../etc/passwd",
    "new",
]
one_value = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
)


def value_for(samples: list[str]) -> st.SearchStrategy:
    """A field's value: one of the values its page offers, or anything; once in a while
    several values under the one name."""
    single = st.one_of(st.sampled_from(samples), one_value) if samples else one_value
    return st.one_of(single, single, st.lists(single, min_size=2, max_size=3))


def a_picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(out, "PNG")
    return out.getvalue()


# Files that pass a first look (a real picture, a cohort's columns) and files that do not.
SAMPLE_FILES = [
    a_picture(),
    a_picture()[:40],
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"email,name,organisation\nc1@example.org,C1,Merseyvale Council\n",
    b"email,name\n\x00,\xff\xfe\n",
]
a_file = st.builds(
    SimpleUploadedFile,
    name=st.one_of(
        st.sampled_from(["photo.png", "notes.pdf", "cohort.csv", "cohort.xlsx", "a.mp3", ".png"]),
        st.text(min_size=1, max_size=30).filter(lambda n: n.strip("/\\.") != ""),
    ),
    content=st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(SAMPLE_FILES),
    ),
    content_type=st.sampled_from(["image/png", "application/pdf", "text/csv", "", "x/y"]),
)
# A body that is not the form the view expects: a broken multipart, JSON, bytes.
raw_body = st.tuples(
    st.binary(max_size=500),
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=fuzz",
            "multipart/form-data",
            "application/json",
            "text/plain",
        ]
    ),
)


class FormFields(HTMLParser):
    """The fields of the forms on a page that post to ``url`` (or, with ``method="get"``, that
    ask it for a page): each name with the values the page offers for it (its value, its
    options, its text), and which take files."""

    def __init__(self, url: str, method: str = "post") -> None:
        super().__init__()
        self.url = url
        self.method = method
        self.fields: dict[str, list[str]] = {}
        self.files: set[str] = set()
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None

    def posts_here(self, attrs: dict) -> bool:
        target = attrs.get(f"hx-{self.method}") or attrs.get("action")
        method = (attrs.get("method") or "get").lower()
        if attrs.get(f"hx-{self.method}"):
            method = self.method
        return method == self.method and (not target or urlsplit(target).path == self.url)

    def add(self, name: str, value: str | None) -> None:
        samples = self.fields.setdefault(name, [])
        if value is not None and value not in samples:
            samples.append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_form = self.posts_here(a)
            return
        name = a.get("name")
        if tag in ("input", "button") and name and name != "csrfmiddlewaretoken":
            if a.get("type") == "file":
                self.files.add(name)
            elif self.in_form or (a.get(f"hx-{self.method}") and self.posts_here(a)):
                self.add(name, a.get("value"))
        elif tag == "select" and name and self.in_form:
            self.select = name
            self.add(name, None)
        elif tag == "option" and self.select:
            self.add(self.select, a.get("value"))
        elif tag == "textarea" and name and self.in_form:
            self.textarea = name
            self.add(name, None)

    def handle_data(self, data):
        if self.textarea and data.strip():
            self.add(self.textarea, data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def context_fields(response, files: set[str]) -> dict[str, list[str]]:
    """The fields of the forms the view put in its page's context (and of their formsets,
    management forms included), with their initial values and choices; adds the names of
    those that take files to ``files``."""
    fields: dict[str, list[str]] = {}
    forms: list[BaseForm] = []
    for context in contexts_of(response):
        for value in context.flatten().values():
            if isinstance(value, BaseFormSet):
                forms += [value.management_form, *value.forms]
            elif isinstance(value, BaseForm):
                forms.append(value)
    for form in forms:
        for bound in form:
            if isinstance(bound.field, FileField):
                files.add(bound.html_name)
            samples = fields.setdefault(bound.html_name, [])
            initial = bound.value()
            if initial not in (None, "") and not isinstance(initial, list | tuple):
                samples.append(str(initial))
            for choice, _label in getattr(bound.field, "choices", None) or ():
                if str(choice) not in samples:
                    samples.append(str(choice))
    return fields


def contexts_of(response) -> list:
    contexts = response.context or []
    return contexts if isinstance(contexts, list) else [contexts]


def takes_posts(person, url: str) -> bool:
    """Whether the view reads what is posted to it, or changes something when posted to (a
    button with no fields); views that answer every method alike, or 405, take no form."""
    read = []
    load = WSGIRequest._load_post_and_files

    def loading(request):
        read.append(request.path)
        return load(request)

    with rolled_back(), patch.object(WSGIRequest, "_load_post_and_files", loading):
        client = client_for(person, csrf=False)  # the CSRF check reads every post
        before = tables()
        response = client.post(url, {"probe": "1"})
        wrote = tables() != before
    return response.status_code != 405 and (bool(read) or wrote)


def poster(name: str) -> str:
    expected = TABLE[name]["expected"]
    for wanted in (200, 302):
        for role in PREFERRED:
            if expected[role] == wanted:
                return role
    return "member"


def client_for(person, csrf: bool = True) -> Client:
    """A browser as Revans meets one: its CSRF token checked, so its body is read by the
    middleware before any view (a body that cannot be read is a 400 before the view)."""
    client = Client(
        enforce_csrf_checks=csrf, raise_request_exception=False, headers={"X-CSRFToken": CSRF}
    )
    client.cookies[django_settings.CSRF_COOKIE_NAME] = CSRF
    if person is not None:
        client.force_login(person)
    return client


def refused(response) -> bool:
    """The response turns the input down: a 4xx, an error message, or a form shown again with
    its errors."""
    if 400 <= response.status_code < 500:
        return True
    request = getattr(response, "wsgi_request", None)
    if request is not None and any(m.level >= constants.ERROR for m in get_messages(request)):
        return True
    for context in contexts_of(response):
        for value in context.flatten().values():
            bound = isinstance(value, BaseForm | BaseFormSet) and value.is_bound
            if bound and not value.is_valid():
                return True
    return False


@pytest.fixture
def world(world_made_once):
    return world_made_once


# Downloads have no form; of the rest, a page's own get forms are the second test's.
POSTED = sorted(name for name in TABLE if not name.endswith(DOWNLOADS))
PAGES = sorted(name for name in POSTED if TABLE[name]["method"] == "get")


@pytest.mark.parametrize("name", POSTED)
def test_arbitrary_posts_never_fail_and_refusals_change_nothing(world, name):
    role = poster(name)
    person = PERSON[role] and getattr(world, PERSON[role])
    ids: dict = {}
    url = url_for(name, world, ids)
    if not takes_posts(person, url):
        pytest.skip("answers a post as it answers a get: no form to fuzz")
    spec = TABLE[name]
    known = spec["data"](ids) if callable(spec["data"]) else dict(spec["data"])
    fields = {key: [str(value)] for key, value in known.items()}
    page = FormFields(url)
    with rolled_back():
        shown = client_for(person).get(url)
        if shown.status_code == 200 and "html" in shown.get("Content-Type", ""):
            page.feed(shown.content.decode())
            found = [context_fields(shown, page.files), page.fields]
        else:
            found = []
    if not any(found):
        # No page to read (a post-only URL) or a page before its form (a choice first):
        # every field name the forms of Revans take.
        found = [{key: [] for key in FIELDS}]
        page.files.add("file")  # the uploads' forms
    for each in found:
        for key, samples in each.items():
            fields.setdefault(key, []).extend(s for s in samples if s not in fields[key])
    form = st.fixed_dictionaries(
        {},
        optional={
            **{key: value_for(samples) for key, samples in fields.items()},
            **{key: a_file for key in page.files},
        },
    )
    extra = st.dictionaries(st.text(min_size=1, max_size=12), one_value, max_size=2)
    # Mostly the form, sometimes with fields it never asked for, now and then not a form.
    posts = st.one_of(
        form.map(lambda data: ("form", data)),
        form.map(lambda data: ("form", data)),
        st.tuples(form, extra).map(lambda both: ("form", {**both[1], **both[0]})),
        raw_body.map(lambda body: ("raw", body)),
    )

    client = client_for(person)
    signed_in = deepcopy(client.cookies)
    before = tables()  # as every example starts: each is rolled back

    @FUZZ
    @given(post=posts)
    def post_anything(post):
        client.cookies = deepcopy(signed_in)  # an example that signed out is undone
        with rolled_back():
            kind, data = post
            if kind == "form":
                response = client.post(url, data)
            else:
                response = client.post(url, data[0], content_type=data[1])
            assert response.status_code < 500, f"{response.status_code} from {name}: {data!r:.300}"
            if refused(response):
                after = tables()
                assert after == before, (
                    f"{name} refused the post but changed {changed(before, after)}"
                )

    post_anything()
    # The table's own post still works afterwards (nothing the fuzzing did was kept).
    if spec["method"] == "post":
        expected = spec["expected"][role]
        client.cookies = deepcopy(signed_in)
        response = client.post(url, known)
        if expected == LOGIN:
            assert response.status_code == 302
        else:
            assert response.status_code == expected


@pytest.mark.parametrize("name", PAGES)
def test_arbitrary_queries_to_a_pages_own_get_forms_never_fail(world, name):
    """A page's own search and filter forms (``method="get"``), filled with anything."""
    role = poster(name)
    person = PERSON[role] and getattr(world, PERSON[role])
    url = url_for(name, world)
    page = FormFields(url, method="get")
    client = client_for(person)
    with rolled_back():
        shown = client.get(url)
        if shown.status_code == 200 and "html" in shown.get("Content-Type", ""):
            page.feed(shown.content.decode())
    if not page.fields:
        pytest.skip("no form on the page asks it for another")
    query = st.fixed_dictionaries(
        {}, optional={key: value_for(samples) for key, samples in page.fields.items()}
    ).map(
        lambda data: {
            key: value[:2000] if isinstance(value, str) else value for key, value in data.items()
        }
    )

    @FUZZ
    @given(data=query)
    def ask_anything(data):
        with rolled_back():
            response = client.get(url, data)
            assert response.status_code < 500, f"{response.status_code} from {name}: {data!r:.300}"

    ask_anything()
