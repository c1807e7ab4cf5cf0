"""Run a function on untrusted input in a child process with a time and a memory limit.

A small PDF can hold millions of drawing operators or a stream that inflates a thousandfold, and
pypdf, like any parser, spends the time and memory the file asks for. Reading it in a child keeps
that cost out of the web worker or command that asked: the child gets a CPU-time limit and an
address-space limit (setrlimit), and the caller waits for it no longer than the time allowed, then
kills it. The function and its arguments go to the child, and its result or exception comes back,
by pickling; the function must be importable by name (a module-level function).

Pure Python, no Django: the caller passes the limits (inspections/importing.py reads them from the
settings). Children are forked by multiprocessing's fork server, a small single-threaded process
started on first use (about 0.25 s) with the modules in PRELOAD already imported, so each child
starts in 20 to 50 ms without copying the caller's threads, database connections or memory. As
always with multiprocessing, each child imports the caller's main script again, which must keep
its work under `if __name__ == "__main__":` (manage.py and gunicorn's do); and a daemonic process
(a Celery prefork worker) may not start children: call this from the web or a command.

The limits guard against a file that costs time or memory; they are not a wall against code
that a file might get run: the child runs as the same user as its caller.
"""

import logging
import math
import multiprocessing
import resource
import signal
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

# Imported once by the fork server, so that no child imports them again.
PRELOAD = ["inspections.sandbox", "inspections.report_parser"]
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(PRELOAD)
MEGABYTE = 1024 * 1024


class LimitExceeded(Exception):
    """The child ran out of time or memory, or died, before it returned."""


class OutOfTime(LimitExceeded):
    pass


class OutOfMemory(LimitExceeded):
    pass


class ChildDied(LimitExceeded):
    pass


def run_limited(func: Callable, *args: Any, seconds: float, memory_mb: int) -> Any:
    """Return func(*args) computed in a child process, or raise what it raised.

    Raise OutOfTime if it has not answered after `seconds` of wall-clock time (or used that much
    CPU time), OutOfMemory if it needed more than `memory_mb` of address space, and ChildDied if
    it ended any other way. The child is always gone when this returns.
    """
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(sender, func, args, seconds, memory_mb), daemon=True
    )
    started = time.monotonic()
    process.start()
    sender.close()  # only the child holds the sending end: its death ends the wait below
    answered, outcome = False, None
    try:
        # Answered when the child sends its outcome, or when it dies and the pipe closes.
        answered = receiver.poll(seconds)
        outcome = receiver.recv() if answered else None
    except EOFError:
        outcome = None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
        exitcode = process.exitcode
        process.close()
    elapsed = time.monotonic() - started
    if outcome is None:
        raise _death(func, answered=answered, exitcode=exitcode, elapsed=elapsed)
    kind, value = outcome
    if kind == "returned":
        return value
    if kind == "raised":
        raise value
    if kind == "memory":
        logger.warning("%s ran out of memory (%d MB)", _name(func), memory_mb)
        raise OutOfMemory(f"{_name(func)} needed more than {memory_mb} MB")
    logger.error("%s failed in its child process: %s", _name(func), value)
    raise ChildDied(value)


def _death(func: Callable, *, answered: bool, exitcode: int | None, elapsed: float) -> Exception:
    """Why a child that sent nothing back ended: the time limit, the memory limit or a crash."""
    name = _name(func)
    if not answered or exitcode == -signal.SIGXCPU:
        logger.warning("%s took too long: stopped after %.1f s", name, elapsed)
        return OutOfTime(f"{name} took longer than allowed")
    if exitcode == -signal.SIGKILL:
        # Not sent by us (we kill only after the wait): the kernel's out-of-memory killer.
        logger.warning("%s was killed, out of memory, after %.1f s", name, elapsed)
        return OutOfMemory(f"{name} was killed for its memory")
    logger.error("%s died with exit code %s after %.1f s", name, exitcode, elapsed)
    return ChildDied(f"{name} died with exit code {exitcode}")


def _name(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def _child(sender, func: Callable, args: tuple, seconds: float, memory_mb: int) -> None:
    """In the child: set the limits, run the function, send back what happened."""
    cpu = max(1, math.ceil(seconds))
    # At the soft limit the kernel sends SIGXCPU, which ends the process; the hard limit, a
    # second later, is SIGKILL. This stops a child whose caller died and so cannot kill it.
    _set_limit(resource.RLIMIT_CPU, cpu, cpu + 1)
    _set_limit(resource.RLIMIT_AS, memory_mb * MEGABYTE)
    _set_limit(resource.RLIMIT_CORE, 0)  # no core file from SIGXCPU
    try:
        outcome = ("returned", func(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:
        outcome = ("raised", exc)
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", None))
    except Exception as exc:  # a result or exception that cannot be pickled
        sender.send(("failed", f"{type(exc).__name__}: {exc} sending {outcome[0]}"))
    finally:
        sender.close()


def _set_limit(which: int, soft: int, hard: int | None = None) -> None:
    """Lower a resource limit, never above the hard limit the process already has."""
    _, current_hard = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(which, (soft, hard))
