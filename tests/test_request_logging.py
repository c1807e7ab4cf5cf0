"""A refused request is logged once, as one line; a server error keeps its traceback."""

import io
import logging
import sys

import pytest

from config.logs import RefusalWithoutTraceback

pytestmark = pytest.mark.django_db


def test_a_forbidden_page_is_logged_once_without_a_traceback(client, sam):
    console = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        # A scrutiny member reads Scilly's pages only: recording an inspection is refused.
        client.force_login(sam)
        response = client.get("/councils/isles-of-scilly/inspections/new/")
    finally:
        console.setStream(previous)
    assert response.status_code == 403
    logged = stream.getvalue()
    assert logged.count("Forbidden (Permission denied)") == 1, logged
    assert "Traceback" not in logged


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "x", (), sys.exc_info()
        )
    record.status_code = 500
    assert RefusalWithoutTraceback().filter(record)
    assert record.exc_info is not None
    record.status_code = 404
    RefusalWithoutTraceback().filter(record)
    assert record.exc_info is None
