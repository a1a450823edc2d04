"""Browser benchmark: click "Next step" until the page shows the recoloured graph.

Run from the repo root:  python -m bench.bench_app [--clicks 15] [--graphs 200,1000,...]

Starts `streamlit run app.py` headless, opens it in headless Chromium at
``?bench=<graph>`` (generated graphs from a fixed allow-list: a long chain and a
"ladder" whose values each feed two functions, with crossing edges, at about 200
and 1,000 nodes), clicks "Next step" repeatedly and measures the time from the
click until the SVG in the page is the next frame with the functions of that
step drawn as running. After every click it also checks that no node moved.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from typing import Any

from .browser import NODE_BOXES_JS, chromium_page, find_chromium, streamlit_server

GRAPH = '[data-testid="ag-graph"]'
TARGET_MS = {200: 300, 1000: 1000}
DEFAULT_GRAPHS = ("200", "1000", "ladder-200", "ladder-1000")

# true once the SVG on the page is frame k and shows a running function
FRAME_READY_JS = """(k) => {
  const box = document.querySelector('[data-testid="ag-graph"]');
  if (!box || box.dataset.step !== String(k)) return false;
  return Array.from(box.querySelectorAll('svg g.node polygon, svg g.node ellipse'))
    .some(p => (p.getAttribute('fill') || '').toLowerCase() === '#e69f00');
}"""

# the previous run has finished: the last element is there and nothing is stale
IDLE_JS = """() => !!document.querySelector('.st-key-dl_html')
  && !document.querySelector('[data-stale="true"]')
  && !!document.querySelector('.st-key-btn_next button')"""

# Timed inside the page: from the click event to the first animation frame at which the
# SVG is frame k (so the recoloured graph is about to be painted). Milliseconds.
CLICK_TO_FRAME_JS = """async ([key, k]) => {
  const ready = FRAME_READY;
  const button = document.querySelector('.st-key-' + key + ' button');
  const start = performance.now();
  button.click();
  while (!ready(k)) { await new Promise(r => requestAnimationFrame(r)); }
  return performance.now() - start;
}""".replace("FRAME_READY", FRAME_READY_JS)
NEXT = "btn_next"  # the button's widget key (Streamlit puts it in a class)


def measure(page: Any, url: str, graph: str, clicks: int, pause_ms: int) -> dict[str, Any]:
    """Median/max click-to-recoloured time over ``clicks`` steps of one graph."""
    page.goto(f"{url}/?bench={graph}")
    page.wait_for_selector(f'{GRAPH}[data-step="0"] svg g.node', timeout=120_000)
    boxes = page.evaluate(NODE_BOXES_JS)
    page.wait_for_function(IDLE_JS, timeout=60_000)
    page.evaluate(CLICK_TO_FRAME_JS, [NEXT, 1])  # warm-up: the first step of this graph
    times, moved = [], 0
    for k in range(2, clicks + 2):
        page.wait_for_function(IDLE_JS, timeout=60_000)
        page.wait_for_timeout(pause_ms)  # a teacher pauses between steps
        times.append(page.evaluate(CLICK_TO_FRAME_JS, [NEXT, k]) / 1000)
        if page.evaluate(NODE_BOXES_JS) != boxes:
            moved += 1
    nodes = len(boxes)
    return {"graph": graph, "nodes": nodes, "clicks": clicks,
            "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000,
            "moved": moved, "target_ms": TARGET_MS[200 if nodes < 600 else 1000]}


def table(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = ["| graph | nodes | clicks | median click→recoloured (ms) | max (ms) | target | "
             "steps where a node moved |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        verdict = "PASS" if r["median_ms"] < r["target_ms"] and not r["moved"] else "FAIL"
        lines.append(f"| {r['graph']} | {r['nodes']:,} | {r['clicks']} | {r['median_ms']:.0f} "
                     f"| {r['max_ms']:.0f} | < {r['target_ms']} ms: {verdict} | {r['moved']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=15)
    parser.add_argument("--pause-ms", type=int, default=0,
                        help="wait between clicks (0: click as soon as the frame is shown)")
    parser.add_argument("--graphs", default=",".join(DEFAULT_GRAPHS),
                        help="comma-separated ?bench= values (default: %(default)s)")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install chromium", file=sys.stderr)
        return 2
    with streamlit_server() as url, chromium_page(chromium) as page:
        rows = [measure(page, url, graph, args.clicks, args.pause_ms)
                for graph in args.graphs.split(",")]
    print(table(rows))
    return 0 if all(r["median_ms"] < r["target_ms"] and not r["moved"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
