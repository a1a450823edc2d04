"""Browser benchmark: click "Next step" until the SVG shows the recoloured graph.

Run from the repo root:  python -m bench.bench_app [--clicks 15]

Starts `streamlit run app.py` headless, opens it in headless Chromium at
?bench=200 and ?bench=1000 (generated graphs of about 200 and 1,000 nodes),
clicks "Next step" repeatedly and measures the time from the click until the
function that runs in that step is drawn as running. Also checks that no node
moved between steps.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from .browser import NODE_BOXES_JS, chromium_page, find_chromium, streamlit_server

RUNNING = "#e69f00"
RUNNING_COUNT_JS = """() => Array.from(document.querySelectorAll(
  '[data-testid="ag-graph"] svg g.node polygon')).filter(
  p => p.getAttribute('fill') === '#e69f00').length"""
FRAME_JS = """() => { const m = document.body.innerText.match(/Frame (\\d+) of/);
  return m ? parseInt(m[1], 10) : -1; }"""


def measure(page, url: str, nodes: int, clicks: int) -> dict:
    page.goto(f"{url}/?bench={nodes}")
    page.wait_for_selector('[data-testid="ag-graph"] svg g.node', timeout=120_000)
    page.wait_for_function(f"() => ({FRAME_JS})() === 0", timeout=60_000)
    boxes = page.evaluate(NODE_BOXES_JS)
    button = page.get_by_role("button", name="Next step ▶")
    times, moved = [], 0
    for k in range(1, clicks + 1):
        start = time.perf_counter()
        button.click()
        page.wait_for_function(
            f"() => ({FRAME_JS})() === {k} && ({RUNNING_COUNT_JS})() > 0", timeout=60_000)
        times.append(time.perf_counter() - start)
        if page.evaluate(NODE_BOXES_JS) != boxes:
            moved += 1
    return {"nodes": len(boxes), "median_ms": statistics.median(times) * 1000,
            "max_ms": max(times) * 1000, "moved": moved, "clicks": clicks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=15)
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 2
    rows = []
    with streamlit_server() as url, chromium_page(chromium) as page:
        for nodes, target in ((200, 300), (1000, 1000)):
            row = measure(page, url, nodes, args.clicks)
            row["target_ms"] = target
            rows.append(row)
    print("| graph nodes | clicks | median click→recoloured (ms) | max (ms) | target | "
          "steps where a node moved |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        verdict = "PASS" if r["median_ms"] < r["target_ms"] and not r["moved"] else "FAIL"
        print(f"| {r['nodes']:,} | {r['clicks']} | {r['median_ms']:.0f} | {r['max_ms']:.0f} | "
              f"< {r['target_ms']} ms: {verdict} | {r['moved']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
