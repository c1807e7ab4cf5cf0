"""A refused request is logged once, as one line; a server error keeps its traceback."""

import logging
import sys

import pytest

from config.logs import RefusalWithoutTraceback

pytestmark = pytest.mark.django_db


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
