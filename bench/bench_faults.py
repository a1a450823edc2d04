"""A class through its faults: two app replicas, one real redis-server, a teacher and a few
students in headless Chromium (issue #29).

    python -m bench.bench_faults [--students 4] [--pause 10] [--proxy]

Faults, one after the other, each with the teacher stepping on:
  * Redis paused (SIGSTOP) for --pause seconds, then resumed;
  * Redis restarted empty (no persistence: the room is gone);
  * the replica serving half of the students restarted.
For each: generic error boxes seen on any page, tracebacks in the replicas' logs, and the
seconds from the recovery (Redis answering again, the replica answering its health check)
until every student's page shows the teacher's frame. Target: 0, 0 and <= 2 s.

``--proxy``: everyone goes through the README's nginx (its upstream block: each browser kept
on one replica by its XSRF cookie), as a class with two replicas does; needs nginx
(Debian: apt-get install nginx-light). A replica that dies then sends its pages to the
other one; the students of the whole class are timed, from the recovery and from the kill.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.browser import (
    ROOT,
    answering,
    chromium_page,
    find_chromium,
    free_port,
    streamlit_command,
)

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


def replica(port: int, redis_url: str, home: str, log: Path,
            proxied: bool = False) -> subprocess.Popen:
    out = log.open("ab")
    env = dict(os.environ, AUTOGRAD_VIZ_ROOMS=redis_url, HOME=home)
    if proxied:
        env["AUTOGRAD_VIZ_TRUSTED_PROXY"] = "loopback"  # (the README's setting)
    proc = subprocess.Popen(streamlit_command(port), cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT)
    if not answering(f"http://127.0.0.1:{port}", proc, 60):
        raise RuntimeError("a replica did not start")
    return proc


# The README's nginx block (its upstream and location), in a configuration of its own
NGINX_CONF = """daemon off; worker_processes 1; pid {folder}/nginx.pid;
error_log {folder}/nginx.log;
events {{ worker_connections 1024; }}
http {{ access_log off;
  client_body_temp_path {folder}/nb; proxy_temp_path {folder}/np;
  fastcgi_temp_path {folder}/nf; uwsgi_temp_path {folder}/nu; scgi_temp_path {folder}/ns;
  upstream autograd_viz {{ hash $cookie__streamlit_xsrf consistent;
                          server 127.0.0.1:{one}; server 127.0.0.1:{two}; }}
  server {{ listen 127.0.0.1:{port};
    location / {{ proxy_pass http://autograd_viz; proxy_http_version 1.1;
                 proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";
                 proxy_set_header Host $host; proxy_read_timeout 1d;
                 proxy_set_header X-Real-IP $remote_addr;
                 proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }} }} }}
"""


def nginx(port: int, ports: tuple[int, int], folder: str) -> subprocess.Popen:
    conf = Path(folder) / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, port=port, one=ports[0], two=ports[1]))
    proc = subprocess.Popen(["nginx", "-p", folder, "-c", str(conf)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not answering(f"http://127.0.0.1:{port}", proc, 10):
        raise RuntimeError("nginx did not start (Debian: apt-get install nginx-light)")
    return proc


def sessions(port: int) -> int:
    """The sessions a replica counts as connected (Streamlit's metrics endpoint)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics",
                                timeout=5) as answer:
        found = re.search(rb"^active_sessions (\d+)", answer.read(), re.MULTILINE)
    return int(found.group(1)) if found else 0


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
    parser.add_argument("--proxy", action="store_true",
                        help="everyone through the README's nginx (see the docstring)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-faults-")
    redis_port, ports = free_port(), (free_port(), free_port())
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    logs = [Path(folder) / f"replica{i}.log" for i in range(2)]
    store = redis_server(redis_port, folder)
    replicas = [replica(port, redis_url, folder, log, args.proxy)
                for port, log in zip(ports, logs, strict=True)]
    proxy_port = free_port()
    proxy = nginx(proxy_port, ports, folder) if args.proxy else None
    urls = ([f"http://127.0.0.1:{proxy_port}"] * 2 if proxy is not None
            else [f"http://127.0.0.1:{port}" for port in ports])
    rows: list[tuple[str, int, int, float]] = []
    try:
        with chromium_page(find_chromium()) as teacher:
            code = start_a_class(teacher, urls[0], "chain")
            # the replica restarted below: half of the students' (behind the proxy, the
            # teacher's own, with the students there: they all move to the other one)
            victim = 1 if proxy is None or sessions(ports[1]) > 0 else 0
            students = []
            for i in range(args.students):
                page = teacher.context.browser.new_page()  # (a context of its own: cookies)
                page.goto(f"{urls[i % 2]}/?room={code}")
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
            replicas[victim].kill()
            replicas[victim].wait()
            killed = time.monotonic()
            teacher_steps(5)
            # behind the proxy the pages go to the other replica while this one is down
            failover = all_follow(5, killed, students) if proxy is not None else None
            watch(2)
            replicas[victim] = replica(ports[victim], redis_url, folder, logs[victim],
                                       args.proxy)
            back = time.monotonic()
            # behind the proxy a page may be on either replica: the whole class is timed
            took = all_follow(5, back, students if proxy is not None else students[1::2])
            name = "a replica restarted"
            if failover is not None:
                name += f" (behind nginx: every student on the frame {failover:.1f} s after " \
                        "the kill, on the other replica)"
            rows.append((name, boxes["n"], tracebacks() - before, took))
    finally:
        for proc in (*replicas, store, *([proxy] if proxy is not None else [])):
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
