"""Malformed input on every URL of the authorization table never causes a server error.

For each URL, as an officer and as a scrutiny member (and anonymously where anonymous people
get a page: signing in), malformed values go into the query string, one parameter at a time
and all at once, and into every field of the page's form, one field at a time with the others
valid. Any answer of 500 or more fails, with what was sent and the exception it raised.

Each request runs in a savepoint that is rolled back, so that one accepted write does not
turn the rest into conflicts or duplicates.
"""

import re
import sys
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import transaction

from .helpers import TABLE, authorization_world, url_for

pytestmark = pytest.mark.django_db

# Values a person could only send by editing the page or the address.
MALFORMED = [
    "99999999999999999999999",  # beyond any integer column
    "-99999999999999999999999",
    "2147483648",  # one more than a PostgreSQL integer holds
    "-1",
    "0",
    "not a number",
    "x" * 10_000,
    "nul\x00byte",
    "\u00fcn\u00efc\u00f6d\u00e9 \u2603 \U0001d518\U0001d52b",
    "",
    "99999999999",  # a date typed as a number
    "2024-02-30",
    "1e308",
    "1.5",
    " ",
    ["1", "2"],  # two values where one is expected
]
# For the second and later parts of one value (the month and year of a date, the later forms of a
# formset), which the same code reads as the first: fewer values, to keep the run short.
MALFORMED_AGAIN = ["99999999999999999999999", "not a number", "nul\x00byte", ["1", "2"]]
AGAIN = re.compile(r"_[12]$|-[1-9]\d*-")
# Numbers no row has, in place of each id in the address.
MISSING_IDS = ["99999999999999999999999", "2147483648"]
# Query parameters the views read, tried on every URL whatever its page shows.
QUERY_PARAMETERS = [
    "page",
    "sort",
    "q",
    "status",
    "rag",
    "owner",
    "recommendation",
    "overdue",
    "due_within",
    "inspection",
    "since",
    "since_0",
    "since_1",
    "since_2",
    "milestone",
    "year",
    "region",
    "setup",
    "next",
]
# Pages whose htmx requests read the query string for a fragment of their own.
HTMX_READS = {"action_list", "dashboard", "overview", "pack_job_status"}
# Bytes that are not UTF-8, and a NUL, straight into the query string.
RAW_QUERIES = ["%FF%FE=%FF", "page=%00", "q=%ED%A0%80", "since=%C0%AF"]


class FormReader(HTMLParser):
    """The forms of a page: method, where they post, and each field's name and value."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        fields = self._form["fields"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                fields.setdefault(name, [])
                if "checked" in attrs:
                    fields[name].append(attrs.get("value") or "on")
                return
            fields[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_forms(html: str) -> list[dict]:
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        # A group of radios or checkboxes with none checked is left out, as a browser does.
        form["fields"] = {k: v for k, v in form["fields"].items() if v != []}
    return reader.forms


@pytest.fixture
def world(scilly, nottingham, alice, bob, sam, dina, charlie, helen):
    users = {
        "anonymous": None,
        "officer": alice,
        "lead_member": bob,
        "scrutiny": sam,
        "admin": dina,
        "platform_admin": helen,
        "outsider": charlie,
    }
    return authorization_world(scilly=scilly, users=users)


class Fuzzer:
    def __init__(self, client):
        self.client = client
        self.client.raise_request_exception = False
        self.errors = []
        self.requests = 0
        self._last_exception = None

    def _remember(self, sender, request, **kwargs):
        self._last_exception = repr(sys.exc_info()[1])[:300]

    def send(self, method, url, data=None, headers=None, what=""):
        self._last_exception = None
        self.requests += 1
        for value in (data or {}).values():
            if isinstance(value, SimpleUploadedFile):
                value.seek(0)
        got_request_exception.connect(self._remember)
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url, headers=headers or {})
                else:
                    response = self.client.post(url, data or {}, headers=headers or {})
                transaction.set_rollback(True)
        finally:
            got_request_exception.disconnect(self._remember)
        if response.status_code >= 500:
            self.errors.append(
                f"{method} {url[:120]} {what}: {response.status_code} {self._last_exception}"
            )
        return response


def short(value) -> str:
    text = repr(value)
    return text if len(text) < 40 else f"{text[:30]}...({len(text)} chars)"


def query(params: dict) -> str:
    return urlencode(params, doseq=True)


def fuzz_url(fuzzer: Fuzzer, world, name: str):
    row = TABLE[name]
    url = url_for(name, world["kwargs"])
    page = fuzzer.client.get(url)
    # A file download streams; it has no form to read.
    html = (
        page.content.decode(errors="replace")
        if page.status_code == 200 and not page.streaming
        else ""
    )
    forms = read_forms(html)

    # The address: an id that no row has, beyond what the id columns hold.
    for key in (
        "pk",
        "action_pk",
        "job_pk",
        "milestone_pk",
        "intervention_pk",
        "meeting_pk",
        "evidence_pk",
        "membership_pk",
        "link_pk",
    ):
        for missing in MISSING_IDS:
            other = url_for(name, world["kwargs"] | {key: missing})
            if other != url:
                fuzzer.send("GET", other, what=f"{key}={missing}")
                fuzzer.send("POST", other, row.post(world) if row.post else {}, what=key)

    # The query string: every parameter at once, then each one the page's own forms send.
    headers = [{}]
    if row.htmx or name in HTMX_READS:
        headers.append({"HX-Request": "true"})
    for value in MALFORMED:
        for header in headers:
            fuzzer.send(
                "GET",
                f"{url}?{query(dict.fromkeys(QUERY_PARAMETERS, value))}",
                headers=header,
                what=f"all parameters = {short(value)}{' (htmx)' if header else ''}",
            )
    for raw in RAW_QUERIES:
        fuzzer.send("GET", f"{url}?{raw}", what=raw)
    get_fields = {f for form in forms if form["method"] == "get" for f in form["fields"]}
    for field in sorted(get_fields):
        for value in MALFORMED:
            fuzzer.send("GET", f"{url}?{query({field: value})}", what=f"{field}={short(value)}")

    # The form: each field in turn, with the others as the page filled them or as valid data.
    path = urlsplit(url).path
    fields = {}
    for form in forms:
        if form["method"] == "post" and urlsplit(form["action"]).path in ("", path):
            fields |= form["fields"]
    fields.pop("csrfmiddlewaretoken", None)
    valid = row.post(world) if row.post else {}
    base = fields | valid
    if not base:
        base = {"anything": "1"}
    for field in sorted(base):
        for value in MALFORMED_AGAIN if AGAIN.search(field) else MALFORMED:
            for header in headers:
                fuzzer.send(
                    "POST",
                    url,
                    base | {field: value},
                    headers=header,
                    what=f"{field}={short(value)}{' (htmx)' if header else ''}",
                )


CASES = [(name, role) for name in sorted(TABLE) for role in ("officer", "scrutiny")] + [
    # Where an officer and a scrutiny member are turned away before any input is read.
    ("login", "anonymous"),
    ("overview", "platform_admin"),
]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_malformed_input_never_causes_a_server_error(client, world, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    fuzzer = Fuzzer(client)
    fuzz_url(fuzzer, world, name)
    assert fuzzer.errors == [], f"{len(fuzzer.errors)} of {fuzzer.requests}:\n" + "\n".join(
        fuzzer.errors[:40]
    )
