"""Hostile report PDFs: how long the upload page and `import_report` take to refuse them, and how
much memory the web or command process reaches, beside a real report imported the same way.

Target (docs/design.md, Reliability): a report upload never holds a web worker for more than a
few seconds (REPORT_PARSE_SECONDS), an upload that runs out of time or memory is refused with a
clear message, and the web process's own memory does not grow with the file. Each case runs in a
fresh process, killed after --timeout seconds; "peak MB" is that process's maximum resident set
(the command's, or the web process's), which leaves out the child process that reads the PDF, and
"upload" how much of it the upload itself added.

    .venv/bin/python bench/crafted_pdf.py [--timeout 120] [--only cli|upload] [--case TEXT]
"""

import argparse
import html as html_lib
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Its own database, so that other benchmarks' data neither slows nor is changed by this one.
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ofsted_bench_import"
)

from _setup import BENCH_ENV, ROOT, prepare_database

sys.path.insert(0, str(ROOT))
from tests.hostile import inflated_stream, operator_flood, operator_flood_pages

REPORTS = ROOT / "tests" / "fixtures" / "ofsted-reports"
UPLOAD = "/councils/isles-of-scilly/inspections/import/"
CASES = {
    # The security review's file: one page, a text operator repeated 190,000 times.
    "1 page, 190,000 x '(x) Tj'": lambda: operator_flood(190_000),
    "1 page, 400,000 x '(x) Tj'": lambda: operator_flood(400_000),
    "1 page, 190,000 x '[(x) -300 (y)] TJ'": lambda: operator_flood(190_000, b"[(x) -300 (y)] TJ "),
    "60 pages, 40,000 operators each": lambda: operator_flood_pages(60, 40_000),
    "1 page, 70 MB content stream": lambda: inflated_stream(70),
    "real: isles-of-scilly-2023-08-25": lambda: (
        REPORTS / "isles-of-scilly-2023-08-25.pdf"
    ).read_bytes(),
    "real: liverpool-2026-07-07 (slowest)": lambda: (
        REPORTS / "liverpool-2026-07-07.pdf"
    ).read_bytes(),
}


def run(args: list[str], env: dict, timeout: float) -> dict:
    """Run a process to its end or the timeout; its wall time, exit status, peak RSS and output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err)
        killed = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                os.kill(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                killed = True
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped here
        out.seek(0)
        err.seek(0)
        return {
            "seconds": seconds,
            "killed": killed,
            "status": process.returncode,
            "peak_mb": usage.ru_maxrss / 1024,
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace"),
        }


def upload_one(path: str) -> None:
    """In a fresh process: upload one file as the demo officer and print what happened."""
    os.environ.update(BENCH_ENV, DEBUG="1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client

    from councils.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="scilly-officer"))
    client.get(UPLOAD)  # templates and imports loaded before the clock starts
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Written first, so that it is known even if the upload is killed at the timeout.
    print(f"peak before the upload: {before:.1f} MB", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with open(path, "rb") as file:
        response = client.post(UPLOAD, {"report": file})
    seconds = time.perf_counter() - started
    html = response.content.decode(errors="replace")
    summary = re.search(r"govuk-error-summary__list\">\s*<li><a [^>]*>(.*?)</a>", html, re.S)
    message = html_lib.unescape(summary.group(1)) if summary else ""
    print(
        json.dumps(
            {
                "seconds": seconds,
                "status": response.status_code,
                "read": "Check what was read" in html,
                "message": message,
            }
        )
    )


def overhead(seconds: float, memory_mb: int) -> None:
    """The 29 real reports read in this process and in a child, as report_read does."""
    from inspections import sandbox
    from inspections.report_parser import parse_report
    from tests.hostile import echo

    started = time.perf_counter()
    sandbox.run_limited(echo, None, seconds=seconds, memory_mb=memory_mb)
    first = time.perf_counter() - started
    here, child = [], []
    for path in sorted(REPORTS.glob("*.pdf")):
        data = path.read_bytes()
        started = time.perf_counter()
        read_here = parse_report(data)
        here.append(time.perf_counter() - started)
        started = time.perf_counter()
        read_there = sandbox.run_limited(parse_report, data, seconds=seconds, memory_mb=memory_mb)
        child.append(time.perf_counter() - started)
        assert read_there == read_here, path.name
    extra = [b - a for a, b in zip(here, child, strict=True)]
    print(
        f"\n{len(here)} real reports, each read in this process, then in a child with the fork "
        f"server warm (it started in {first:.2f} s):\n"
        f"  in all {sum(here):.2f} s here, {sum(child):.2f} s in a child "
        f"({(sum(child) / sum(here) - 1) * 100:+.0f}%); "
        f"median per report {statistics.median(here) * 1000:.0f} ms here, "
        f"{statistics.median(child) * 1000:.0f} ms in a child "
        f"(median cost {statistics.median(extra) * 1000:+.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--only", choices=["cli", "upload"])
    parser.add_argument("--case", default="", help="only the cases whose name contains this")
    parser.add_argument(
        "--no-overhead", action="store_true", help="skip reading the real reports twice"
    )
    parser.add_argument("--upload-one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.upload_one:
        upload_one(args.upload_one)
        return
    prepare_database()
    env = {**BENCH_ENV, "DEBUG": "1"}
    settings = {
        name: os.environ.get(name, "default")
        for name in ("REPORT_PARSE_SECONDS", "REPORT_PARSE_MEMORY_MB")
    }
    print(f"timeout {args.timeout:.0f} s; {settings}")
    print(f"{'case':<40}{'KB':>6}  {'how':<7}{'seconds':>8}{'peak MB':>9}{'upload':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CASES.items():
            if args.case not in name:
                continue
            path = Path(folder) / "report.pdf"
            path.write_bytes(make())
            size = path.stat().st_size / 1024
            if args.only != "upload":
                cli = run(
                    [sys.executable, "manage.py", "import_report", str(path), "--dry-run"],
                    env,
                    args.timeout,
                )
                if cli["killed"]:
                    outcome = "killed at the timeout"
                elif cli["status"] == 0:
                    outcome = "read: " + cli["stdout"].splitlines()[0]
                else:
                    error = cli["stderr"].strip().splitlines() or ["?"]
                    outcome = f"exit {cli['status']}: " + error[-1].removeprefix(
                        "CommandError: "
                    ).removeprefix("Error: ")
                print(
                    f"{name:<40}{size:>6.0f}  {'cli':<7}{cli['seconds']:>8.2f}"
                    f"{cli['peak_mb']:>9.0f}  {outcome}",
                    flush=True,
                )
            if args.only != "cli":
                one = run([sys.executable, __file__, "--upload-one", str(path)], env, args.timeout)
                if one["killed"]:
                    seconds, outcome = one["seconds"], "killed at the timeout"
                elif one["status"] != 0:
                    seconds, outcome = one["seconds"], "crashed: " + one["stderr"][-200:]
                else:
                    got = json.loads(one["stdout"].strip().splitlines()[-1])
                    seconds = got["seconds"]
                    outcome = f"{got['status']}: " + (
                        "preview shown" if got["read"] else got["message"] or "no message"
                    )
                before = re.search(r"peak before the upload: ([\d.]+) MB", one["stderr"])
                growth = f"+{one['peak_mb'] - float(before.group(1)):.0f}" if before else "?"
                print(
                    f"{'' if args.only is None else name:<40}{'':>6}  {'upload':<7}{seconds:>8.2f}"
                    f"{one['peak_mb']:>9.0f}{growth:>8}  {outcome}",
                    flush=True,
                )
    if not args.no_overhead:
        overhead(
            seconds=float(os.environ.get("REPORT_PARSE_SECONDS") or 10),
            memory_mb=int(os.environ.get("REPORT_PARSE_MEMORY_MB") or 512),
        )


if __name__ == "__main__":
    main()
