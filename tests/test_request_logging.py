"""A refused request is logged once, as one line; a server error keeps its traceback."""

import io
import logging
import logging.config
import sys

import pytest

from config.logs import RefusalWithoutTraceback

from .factories import ActionFactory

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


@pytest.fixture
def console(monkeypatch, settings):
    """What the logging settings print, line by line: configured afresh, on a captured stderr,
    so that nothing another test did to the loggers (a Celery worker takes over the root
    logger's handlers) weighs on the answer."""
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate, lg.disabled) for lg in loggers]
    printed = io.StringIO()
    monkeypatch.setattr(sys, "stderr", printed)
    logging.config.dictConfig(settings.LOGGING)
    yield lambda: [line for line in printed.getvalue().splitlines() if line.strip()]
    for logger, handlers, level, propagate, disabled in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled


def test_a_refused_write_is_logged_once_as_one_warning_line(client, bob, scilly, console, caplog):
    action = ActionFactory(recommendation__inspection__council=scilly)
    client.force_login(bob)
    url = f"/councils/{scilly.slug}/actions/{action.pk}/edit/"
    assert client.get(url).status_code == 403
    assert console() == [f"Forbidden (Permission denied): {url}"]
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelno for r in refusals] == [logging.WARNING]


def test_another_councils_page_is_logged_once_as_one_line(client, charlie, scilly, console):
    client.force_login(charlie)
    url = f"/councils/{scilly.slug}/actions/"
    assert client.get(url).status_code == 404
    assert console() == [f"Not Found: {url}"]
