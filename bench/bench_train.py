"""Training benchmark (issue #12): one iteration of the book's 1-10-1 network, and the live
training page in a real browser.

Run from the repo root:

    python -m bench.bench_train               # engines, then the page (about a minute)
    python -m bench.bench_train --no-browser  # the engines only

1. One training iteration (forward, backward, SGD update) of the book's two-layer network
   fitting sin(2 pi x) on 100 points (Linear(10), sigmoid, Linear(1), mean squared error;
   steps 43-46), in each engine, in the same run:

     autograd_core   MLP((10, 1)) with optimizers.SGD
     app's Trainer   the same through classroom.training.Trainer.step (what the page runs:
                     it also keeps a snapshot and each parameter's update)
     dezero          PyPI dezero 0.0.13's layers.Linear, functions, optimizers.SGD
     torch eager     nn.Linear / Sigmoid / mse_loss / optim.SGD, float32, one thread

   Each cell is the median over REPEATS runs of ITERATIONS iterations, engines interleaved
   and rotated. Targets: autograd_core <= dezero, and <= 2x torch.

2. The live page: `streamlit run app.py` headless, Chromium opens "Train a network", clicks
   Train, and counts how often the status line changes for SECONDS seconds (each change is
   one fragment rerun that also redrew the three charts); then Pause is clicked and the time
   until the Train button is back is measured. Target: >= 10 updates a second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import autograd_core as ag
import autograd_core.functions as F

from .peers import PeerUnavailable, load_dezero_nn, load_torch

ITERATIONS = 300
REPEATS = 9
SECONDS = 6.0


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(0)
    x = rng.rand(100, 1)
    return x, np.sin(2 * np.pi * x) + rng.rand(100, 1)


def ours() -> Callable[[], float]:
    x, y = _data()
    model = ag.MLP((10, 1), rng=np.random.default_rng(0))
    optimizer = ag.SGD(0.2).setup(model)

    def iteration() -> float:
        loss = F.mean_squared_error(model(x), y)
        model.cleargrads()
        loss.backward()
        optimizer.update()
        return float(loss.data)

    return iteration


def app_trainer() -> Callable[[], float]:
    from classroom.training import Trainer, TrainSpec

    run = Trainer(TrainSpec())

    def iteration() -> float:
        run.step()
        return run.losses[-1]

    return iteration


def dezero() -> Callable[[], float]:
    DF, DL, DO = load_dezero_nn()  # noqa: N806 (the book's F, L, O)
    x, y = _data()
    np.random.seed(0)
    net = DL.Layer()
    net.l1, net.l2 = DL.Linear(10), DL.Linear(1)
    optimizer = DO.SGD(0.2).setup(net)

    def iteration() -> float:
        loss = DF.mean_squared_error(net.l2(DF.sigmoid(net.l1(x))), y)
        net.cleargrads()
        loss.backward()
        optimizer.update()
        return float(loss.data)

    return iteration


def torch_eager() -> Callable[[], float]:
    torch = load_torch()
    torch.manual_seed(0)
    x, y = (torch.tensor(a, dtype=torch.float32) for a in _data())
    model = torch.nn.Sequential(torch.nn.Linear(1, 10), torch.nn.Sigmoid(),
                                torch.nn.Linear(10, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)

    def iteration() -> float:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return float(loss)

    return iteration


ENGINES: dict[str, Callable[[], Callable[[], float]]] = {
    "autograd_core": ours, "app's Trainer": app_trainer, "dezero": dezero,
    "torch eager": torch_eager}


def measure_engines() -> tuple[dict[str, float], dict[str, str]]:
    """Median seconds per iteration of each available engine (and why others are missing)."""
    made, missing = {}, {}
    for name, make in ENGINES.items():
        try:
            made[name] = make()
        except PeerUnavailable as exc:
            missing[name] = str(exc)
    samples: dict[str, list[float]] = {name: [] for name in made}
    names = list(made)
    for name in names:  # warm up: lazy weights, caches
        for _ in range(20):
            made[name]()
    for r in range(REPEATS):
        for name in names[r % len(names):] + names[:r % len(names)]:
            iteration = made[name]
            start = time.perf_counter()
            for _ in range(ITERATIONS):
                iteration()
            samples[name].append((time.perf_counter() - start) / ITERATIONS)
    return {name: statistics.median(v) for name, v in samples.items()}, missing


STATUS_JS = """() => { window.__updates = []; let last = null;
  const poll = () => {
    const el = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] strong')]
      .find(e => e.textContent.startsWith('Iteration'));
    if (el && el.textContent !== last) {
      last = el.textContent; window.__updates.push([performance.now(), last]); }
    requestAnimationFrame(poll); };
  poll(); }"""


def measure_page(seconds: float = SECONDS) -> dict[str, float]:
    """Updates per second of the live page while training, and Pause's latency."""
    from .browser import chromium_page, find_chromium, streamlit_server

    executable = find_chromium()
    if executable is None:
        raise PeerUnavailable("no Chromium found (Debian: apt-get install chromium)")
    with streamlit_server() as url, chromium_page(executable) as page:
        page.goto(url)
        page.get_by_text("Train a network").click()
        page.wait_for_selector("text=Watch a network learn", timeout=60_000)
        page.wait_for_selector("text=The graph of this iteration", timeout=60_000)
        page.evaluate(STATUS_JS)
        page.get_by_role("button", name="Train", exact=True).click()
        page.wait_for_timeout(seconds * 1000)
        updates = page.evaluate("window.__updates")
        start = time.perf_counter()
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Train", exact=True).wait_for(timeout=30_000)
        pause = time.perf_counter() - start
    times = [u[0] / 1000 for u in updates[1:]]  # the first is the page before Train
    gaps = np.diff(times) if len(times) > 1 else np.array([np.inf])
    return {"updates": len(times), "rate": (len(times) - 1) / (times[-1] - times[0])
            if len(times) > 1 else 0.0, "gap_p95": float(np.percentile(gaps, 95)),
            "pause": pause, "iterations": float(updates[-1][1].split()[1].replace(",", ""))
            if updates else 0.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="skip the live page")
    args = parser.parse_args(argv)

    times, missing = measure_engines()
    ok = True
    print("## One training iteration: 1-10-1 network, 100 points, forward + backward + SGD\n")
    print("| engine | µs / iteration | ratio to autograd_core |")
    print("|---|---:|---:|")
    base = times["autograd_core"]
    for name, seconds in times.items():
        print(f"| {name} | {seconds * 1e6:.0f} | {seconds / base:.2f} |")
    for name, why in missing.items():
        print(f"| {name} | not run: {why} | |")
    for peer, limit in (("dezero", 1.0), ("torch eager", 2.0)):
        if peer in times:
            ratio = base / times[peer]
            verdict = "PASS" if ratio <= limit else "FAIL"
            ok &= ratio <= limit
            print(f"\ntarget autograd_core <= {limit:g}x {peer}: {ratio:.2f}x {verdict}")
    if not args.no_browser:
        try:
            page = measure_page()
        except PeerUnavailable as exc:
            print(f"\nlive page: not run ({exc})")
        else:
            verdict = "PASS" if page["rate"] >= 10 else "FAIL"
            ok &= page["rate"] >= 10
            print(f"\n## The live page, {SECONDS:g} s of training in headless Chromium\n")
            print("| updates | updates / s | p95 gap between updates | iterations trained "
                  "| Pause until Train is back |")
            print("|---:|---:|---:|---:|---:|")
            print(f"| {page['updates']} | {page['rate']:.1f} | {page['gap_p95'] * 1000:.0f} ms "
                  f"| {page['iterations']:,.0f} | {page['pause']:.2f} s |")
            print(f"\ntarget >= 10 updates / s: {page['rate']:.1f} {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
