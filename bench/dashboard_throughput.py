"""Dashboard throughput as a ratio to a trivial view, under gunicorn, with wrk on loopback.

Target (QUALITY.md): the dashboard serves at least 0.15x the requests per second of the trivial
view, both measured in the same run on the same server. Needs wrk (`apt-get install wrk`).
The cache is Redis, as deployed (docker-compose.yml), unless --cache-url says otherwise.

    .venv/bin/python bench/dashboard_throughput.py [--seconds 10] [--connections 8] [--rounds 3]
        [--cache-url redis://127.0.0.1:6379/13]
"""

import argparse
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

from _setup import BENCH_ENV, ROOT, manage, prepare_database, setup_django


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_cookies(username: str, council: str) -> str:
    """The cookies a signed-in browser sends: its session, and the CSRF cookie of its last page."""
    setup_django()
    from django.test import Client

    from councils.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(f"/councils/{council}/dashboard/")
    return "; ".join(f"{name}={client.cookies[name].value}" for name in ("sessionid", "csrftoken"))


def wrk(url: str, cookies: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-H",
            f"Cookie: {cookies}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"{url} answered with errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--council", default="isles-of-scilly")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    BENCH_ENV["CACHE_URL"] = args.cache_url
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    prepare_database()
    manage("collectstatic", "--no-input")
    cookie = browser_cookies("scilly-lead-member", args.council)
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=BENCH_ENV,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        trivial_url = f"{base}/healthz/"
        dashboard_url = f"{base}/councils/{args.council}/dashboard/"
        wrk(dashboard_url, cookie, 2, args.connections)  # warm up connections and caches
        print(f"cache          {args.cache_url}")
        print(f"server         {args.workers} gunicorn workers, {args.connections} wrk connections")
        # Rounds of one after the other, so that a noisy neighbour on a shared machine weighs on
        # both sides of a ratio; the median ratio is the figure.
        ratios = []
        for number in range(1, args.rounds + 1):
            trivial = wrk(trivial_url, cookie, args.seconds, args.connections)
            dashboard = wrk(dashboard_url, cookie, args.seconds, args.connections)
            ratios.append(dashboard / trivial)
            print(
                f"round {number}: trivial view {trivial:7.1f} requests/s, "
                f"dashboard {dashboard:6.1f} requests/s, ratio {ratios[-1]:.3f}",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ratio = statistics.median(ratios)
    print(f"median ratio   {ratio:.3f} (target at least 0.15)")
    sys.exit(0 if ratio >= 0.15 else 1)


if __name__ == "__main__":
    main()
