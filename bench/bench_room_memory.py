"""Memory that comes back after a class (issue #29.7).

Run from the repo root:  python -m bench.bench_room_memory [--minutes 10] [--students 60]

Starts `streamlit run app.py` headless with short expiries (a room: ``--room-ttl`` s after
its last activity; a closed tab's session: ``--session-ttl`` s). A teacher (headless
Chromium) starts a class that ``--students`` students follow (websocket clients, as in
bench_room) and steps every 3 s for ``--minutes``; meanwhile ``--rooms`` other teachers'
pages each start a class and are closed (abandoned rooms). Then everyone leaves and,
once the sessions and rooms have expired, the server's resident memory is compared with
what it was before the class (the server having served one lesson already: its imports
and caches are not the class's). Target: back within 10 MiB. ``--malloc-arenas 2`` runs
the server as the README's replicas do (``MALLOC_ARENA_MAX=2``: glibc's arenas).
``--warm-class N`` holds a short class of N students before the RSS is taken: what a
server keeps once it has held any class (the room watcher's thread, worker threads) is
then not counted against this one (a separate figure, not the target's).
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
import urllib.request

from .bench_room import PLAYER, Student, _rss_mib, _server_pid, _students_thread
from .browser import chromium_page, find_chromium, streamlit_server

TARGET_MIB = 10.0


def _start_a_class(page, url: str) -> str:
    page.goto(f"{url}/?example=diamond")
    page.wait_for_selector(f"{PLAYER}[data-ready='1']", timeout=60_000)
    page.get_by_role("button", name="Start a class").click()
    page.wait_for_function("() => location.search.includes('room=')", timeout=30_000)
    return page.evaluate("new URLSearchParams(location.search).get('room')")


def _open_sessions(url: str) -> int:
    """The sessions Streamlit counts as connected (its metrics endpoint)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=5) as answer:
        found = re.search(r"^active_sessions (\d+)", answer.read().decode(), re.MULTILINE)
    return int(found.group(1)) if found else -1


def _hold_a_class(browser, url: str, pid: int,
                  args: argparse.Namespace) -> tuple[int, int, float]:
    """One class: a teacher steps every 3 s for ``--minutes`` while ``--students`` follow and
    ``--rooms`` other classes are started and abandoned; then everyone leaves. The students
    who joined, the steps taken and the server's peak RSS."""
    teacher = browser.new_page()
    code = _start_a_class(teacher, url)
    students = [Student(url, code) for _ in range(args.students)]
    stop = threading.Event()
    thread = _students_thread(students, stop)
    end = time.monotonic() + 60 * args.minutes
    every = 60 * args.minutes / max(1, args.rooms)
    next_room, made, peak, steps = time.monotonic() + every / 2, 0, _rss_mib(pid), 0
    while time.monotonic() < end:
        teacher.locator(PLAYER).focus()
        teacher.keyboard.press("ArrowRight" if steps % 8 < 4 else "ArrowLeft")
        steps += 1
        time.sleep(3)
        if time.monotonic() >= next_room and made < args.rooms:
            other = browser.new_page()
            _start_a_class(other, url)
            other.close()  # abandoned: the room expires, the session goes
            made += 1
            next_room += every
        peak = max(peak, _rss_mib(pid))
    joined = sum(s.step is not None for s in students)
    stop.set()
    thread.join(30)
    if thread.is_alive():  # (their pages would still be open: nothing would be freed)
        raise RuntimeError("the students did not leave")
    teacher.close()
    return joined, steps, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--rooms", type=int, default=50, help="rooms created and abandoned")
    parser.add_argument("--room-ttl", type=float, default=30.0)
    parser.add_argument("--session-ttl", type=float, default=10.0)
    parser.add_argument("--classes", type=int, default=1,
                        help="classes one after the other (each row: from the first's start)")
    parser.add_argument("--warm-class", type=int, default=0, metavar="N",
                        help="before the RSS is taken, a 15-second class of N students that "
                        "then expires (what a server keeps once it has held any class); 0: none")
    parser.add_argument("--malloc-arenas", type=int, default=0,
                        help="MALLOC_ARENA_MAX for the server (Linux, glibc; as the README's "
                        "replicas: 2); 0: glibc's default")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 2
    env = {"AUTOGRAD_VIZ_ROOM_TTL_S": str(args.room_ttl)}
    if args.malloc_arenas:
        env["MALLOC_ARENA_MAX"] = str(args.malloc_arenas)
    options = ("--server.disconnectedSessionTTL", str(int(args.session_ttl)))
    rows, good = [], True
    with streamlit_server(env=env, options=options) as url, chromium_page(chromium) as first:
        pid = _server_pid(url)
        first.goto(f"{url}/?example=diamond")  # the server has served a lesson: warm
        first.wait_for_selector(f"{PLAYER}[data-ready='1']", timeout=60_000)
        first.close()
        time.sleep(args.session_ttl + 8)
        if args.warm_class:
            warm = argparse.Namespace(**{**vars(args), "students": args.warm_class,
                                         "minutes": 0.25, "rooms": 0})
            _hold_a_class(first.context.browser, url, pid, warm)
            time.sleep(args.session_ttl + args.room_ttl + 15)
        rss_start = _rss_mib(pid)
        for _ in range(args.classes):
            try:
                joined, steps, peak = _hold_a_class(first.context.browser, url, pid, args)
            except RuntimeError as error:
                print(error, file=sys.stderr)
                return 1
            time.sleep(args.session_ttl + args.room_ttl + 15)  # (+ the watcher's looks)
            still_open = _open_sessions(url)  # (a client whose leaving Streamlit missed)
            rss_end = min(_rss_mib(pid) for _ in range(3) if time.sleep(1) is None)
            grew = rss_end - rss_start
            passed = grew <= TARGET_MIB and joined == args.students and still_open == 0
            good = good and passed
            rows.append(f"| {len(rows) + 1} | {joined} / {args.students} | {steps} | "
                        f"{rss_start:.0f} | {peak:.0f} | {rss_end:.0f} | {grew:+.1f} | "
                        f"{still_open} | <= {TARGET_MIB:g} MiB: {'PASS' if passed else 'FAIL'} |")
    print(f"#### A class that ends: {args.students} students for {args.minutes:g} min, "
          f"{args.rooms} rooms abandoned (room expiry {args.room_ttl:g} s, session "
          f"{args.session_ttl:g} s; "
          f"{f'after a warm-up class of {args.warm_class}; ' if args.warm_class else ''}"
          f"C's allocator: "
          f"{f'MALLOC_ARENA_MAX={args.malloc_arenas}' if args.malloc_arenas else 'default'})\n")
    print("| class | students joined | steps | server RSS before the first (MiB) | peak | "
          "after everyone left and the rooms expired | grew (MiB) | sessions still open "
          "| target |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
