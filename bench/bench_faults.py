"""A class through its faults: two app replicas, one real redis-server, a teacher and a few
students in headless Chromium (issue #29).

    python -m bench.bench_faults [--students 4] [--pause 10]

Faults, one after the other, each with the teacher stepping on:
  * Redis paused (SIGSTOP) for --pause seconds, then resumed;
  * Redis restarted empty (no persistence: the room is gone);
  * the replica serving half of the students restarted.
For each: generic error boxes seen on any page, tracebacks in the replicas' logs, and the
seconds from the recovery (Redis answering again, the replica answering its health check)
until every student's page shows the teacher's frame. Target: 0, 0 and <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.browser import ROOT, chromium_page, find_chromium, free_port

PLAYER = "[data-testid=agv-player]"
ERROR_BOX = "This app has encountered an error"


def redis_server(port: int, folder: str) -> subprocess.Popen:
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", folder],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    for _ in range(200):
        try:
            redis.Redis(port=port).ping()
            return proc
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def replica(port: int, redis_url: str, home: str, log: Path) -> subprocess.Popen:
    out = log.open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
         "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=dict(os.environ, AUTOGRAD_VIZ_ROOMS=redis_url, HOME=home),
        stdout=out, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=1) as answer:
                if answer.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("a replica did not start")


def start_a_class(teacher, url: str, example: str) -> str:
    """The teacher's page opens ``example`` at ``url`` and starts a class: its room code."""
    teacher.goto(f"{url}/?example={example}")
    teacher.locator(f"{PLAYER}[data-step='4']").wait_for(timeout=60_000)
    teacher.wait_for_timeout(1000)
    teacher.get_by_role("button", name="Start a class").click()
    teacher.wait_for_function("() => location.search.includes('teacher=')", timeout=30_000)
    return teacher.evaluate("new URLSearchParams(location.search).get('room')")


def step_of(page) -> str | None:
    try:
        return page.locator(PLAYER).first.get_attribute("data-step", timeout=1000)
    except Exception:  # noqa: BLE001 (a page reconnecting has no player for a moment)
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--pause", type=float, default=10.0)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-faults-")
    redis_port, ports = free_port(), (free_port(), free_port())
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    logs = [Path(folder) / f"replica{i}.log" for i in range(2)]
    store = redis_server(redis_port, folder)
    replicas = [replica(port, redis_url, folder, log) for port, log in zip(ports, logs,
                                                                          strict=True)]
    rows: list[tuple[str, int, int, float]] = []
    try:
        with chromium_page(find_chromium()) as teacher:
            code = start_a_class(teacher, f"http://127.0.0.1:{ports[0]}", "chain")
            students = []
            for i in range(args.students):
                page = teacher.context.browser.new_page()
                page.goto(f"http://127.0.0.1:{ports[i % 2]}/?room={code}")
                page.locator(f"{PLAYER}[data-step='4']").wait_for(timeout=60_000)
                students.append(page)
            pages = [teacher, *students]
            boxes = {"n": 0}

            def watch(seconds: float) -> None:  # error boxes while the fault lasts
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    boxes["n"] += sum(ERROR_BOX in p.inner_text("body") for p in pages)
                    time.sleep(0.5)

            def teacher_steps(to: int) -> None:
                while int(step_of(teacher) or 0) != to:
                    key = "ArrowRight" if int(step_of(teacher) or 0) < to else "ArrowLeft"
                    teacher.locator(PLAYER).press(key)
                    teacher.wait_for_timeout(150)

            def all_follow(to: int, since: float, pages_: list) -> float:
                deadline = since + 60
                while time.monotonic() < deadline:
                    if all(step_of(p) == str(to) for p in pages_):
                        return time.monotonic() - since
                    boxes["n"] += sum(ERROR_BOX in p.inner_text("body") for p in pages)
                    time.sleep(0.1)
                return float("inf")

            def tracebacks() -> int:
                return sum(log.read_text(errors="replace").count("Traceback") for log in logs)

            # 1. Redis paused
            boxes["n"], before = 0, tracebacks()
            store.send_signal(signal.SIGSTOP)
            teacher_steps(6)
            watch(args.pause)
            store.send_signal(signal.SIGCONT)
            took = all_follow(6, time.monotonic(), students)
            rows.append((f"Redis paused {args.pause:g} s", boxes["n"], tracebacks() - before,
                         took))
            # 2. Redis restarted empty
            boxes["n"], before = 0, tracebacks()
            store.kill()
            store.wait()
            store = redis_server(redis_port, folder)
            back = time.monotonic()
            teacher_steps(7)
            took = all_follow(7, back, students)
            rows.append(("Redis restarted empty", boxes["n"], tracebacks() - before, took))
            # 3. a replica restarted (the students on it)
            boxes["n"], before = 0, tracebacks()
            replicas[1].kill()
            replicas[1].wait()
            teacher_steps(5)
            watch(2)
            replicas[1] = replica(ports[1], redis_url, folder, logs[1])
            took = all_follow(5, time.monotonic(), students[1::2])
            rows.append(("a replica restarted", boxes["n"], tracebacks() - before, took))
    finally:
        for proc in (*replicas, store):
            proc.kill()
    print(f"{args.students} students (half on each replica), one teacher; "
          "recovery = Redis answering again / the replica answering its health check\n")
    print("| fault | error boxes | tracebacks in the logs | every student on the teacher's "
          "frame after recovery |")
    print("|---|---:|---:|---:|")
    for name, n_boxes, n_traces, took in rows:
        print(f"| {name} | {n_boxes} | {n_traces} | {took:.1f} s |")


if __name__ == "__main__":
    main()
