"""Logging filters: what a request log line carries."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (a 4xx: forbidden, not found) is an expected answer, not a fault: it is
    logged as one line, without the traceback of the exception that produced it. Server errors
    keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
