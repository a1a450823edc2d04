"""The widget where notebooks run: a real JupyterLab and Notebook 7 driven in Chromium, a
notebook executed headless (nbclient) and converted (nbconvert), and a marimo app."""

from __future__ import annotations

import base64
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.browser import (  # noqa: E402
    TOKEN,
    chromium_page,
    find_chromium,
    jupyter_server,
    marimo_server,
)

pytestmark = pytest.mark.browser
PLAYER = "[data-testid=agv-player]"
CELLS = [
    'import numpy as np, viz\nfrom autograd_core import Variable, square, exp\n'
    'x = Variable(np.array(0.5), name="x")\ny = square(exp(square(x)))\n'
    'w = viz.show(y, steps=True)\nw',
    'print("STATE", w.step, repr(w.selected), w.variable is x)',
    "w.step = 3",
    'print("CAPTION", w.caption)',
]


def write_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium was found: .ci/run installs it")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    write_notebook(folder / "demo.ipynb")
    return folder


@pytest.fixture(scope="module")
def lab(chromium: str, notebook_dir: Path) -> Iterator[str]:
    with jupyter_server(notebook_dir, "lab") as url:
        yield url


def run_cell(page, index: int) -> None:
    """Select cell ``index`` (command mode) and run it with Shift+Enter, again until the
    notebook has run it (right after the page opens the kernel may not be connected yet,
    though the page says "Idle": the key then only moves the selection)."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    for _ in range(15):
        prompt.click()
        page.keyboard.press("Shift+Enter")
        try:  # a new execution count: "[3]:" (a busy "[*]:" may still be a no-op)
            page.wait_for_function(
                "([el, before]) => /\\[\\d+\\]/.test(el.textContent) && "
                "el.textContent.trim() !== before.trim()",
                arg=[prompt.element_handle(), before], timeout=4_000)
            return
        except Exception:  # noqa: BLE001 (not run: the kernel is still connecting)
            continue
    raise AssertionError(f"cell {index} did not run")


def output_text(page, index: int, marker: str) -> str:
    """The text cell ``index`` printed, once it contains ``marker``."""
    out = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea-output")
    out.filter(has_text=marker).first.wait_for(timeout=30_000)
    return out.first.inner_text()


def shown_step(page) -> int:
    return int(page.locator(PLAYER).first.get_attribute("data-phase-step"))


def test_the_widget_in_jupyterlab(lab: str, chromium: str) -> None:
    with chromium_page(chromium, 1400, 1000) as page:
        page.goto(f"{lab}/lab/tree/demo.ipynb?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        run_cell(page, 0)
        page.wait_for_selector(f"{PLAYER}[data-ready='1']", timeout=60_000)
        assert page.inner_text("[data-testid=agv-title]") == \
            "Backward pass of square(exp(square(x)))"
        assert shown_step(page) == 0
        # keys step the widget only while it has focus: not in the notebook's command mode
        page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-InputPrompt").click()
        page.keyboard.press("Escape")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        assert shown_step(page) == 0
        # and the widget's keys are its own: ArrowRight steps, ArrowDown moves no cell
        page.locator(PLAYER).first.focus()
        active = page.locator(".jp-Cell.jp-mod-active .jp-InputPrompt").inner_text()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        page.wait_for_function(f"() => document.querySelector('{PLAYER}')"
                               ".getAttribute('data-phase-step') === '1'", timeout=10_000)
        assert page.locator(".jp-Cell.jp-mod-active .jp-InputPrompt").inner_text() == active
        page.keyboard.press("0")  # the whole graph in view (x may start off to the left)
        page.locator("[data-testid=node-v0]").click()  # select x in the graph
        page.wait_for_timeout(500)
        run_cell(page, 1)
        assert output_text(page, 1, "STATE").strip() == "STATE 1 'v0' True"
        run_cell(page, 2)  # w.step = 3, from Python
        page.wait_for_function(f"() => document.querySelector('{PLAYER}')"
                               ".getAttribute('data-phase-step') === '3'", timeout=10_000)
        page.wait_for_function("() => (document.querySelector('[data-testid=agv-details]')"
                               " || {}).textContent === 'x.grad = 3.297 (from Square) = 3.297'",
                               timeout=10_000)
        run_cell(page, 3)
        assert output_text(page, 3, "CAPTION").strip() == \
            "CAPTION Step 3 of 3: generation 0 runs Square"
        # the cell run again: one player on the page, the old view's listeners gone with it
        run_cell(page, 0)
        page.wait_for_timeout(1500)
        page.wait_for_selector(f"{PLAYER}[data-ready='1']", timeout=60_000)
        assert page.locator(PLAYER).count() == 1
        page.locator(PLAYER).first.focus()
        page.keyboard.press("End")
        page.wait_for_function(f"() => document.querySelector('{PLAYER}')"
                               ".getAttribute('data-phase-step') === '3'", timeout=10_000)


# Notebook 7.6's own settings code throws this on a fresh profile, with or without widgets
NOTEBOOK_7_OWN = (("Cannot read properties of undefined (reading 'schema')", "notebook_core."),)


def test_the_widget_in_notebook_7(chromium: str, notebook_dir: Path) -> None:
    with jupyter_server(notebook_dir, "notebook") as url, \
            chromium_page(chromium, 1300, 1000, foreign_errors=NOTEBOOK_7_OWN) as page:
        page.goto(f"{url}/notebooks/demo.ipynb?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        run_cell(page, 0)
        page.wait_for_selector(f"{PLAYER}[data-ready='1']", timeout=60_000)
        page.locator(PLAYER).first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => document.querySelector('{PLAYER}')"
                               ".getAttribute('data-phase-step') === '2'", timeout=10_000)
        page.wait_for_timeout(500)
        run_cell(page, 1)
        assert output_text(page, 1, "STATE").strip() == "STATE 2 '' False"


def test_executed_headless_and_converted_shows_a_picture(tmp_path: Path) -> None:
    import nbclient
    from nbconvert import HTMLExporter

    nb = nbformat.read(write_notebook(tmp_path / "demo.ipynb"), as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    widget_output = nb.cells[0].outputs[0]
    assert "application/vnd.jupyter.widget-view+json" in widget_output.data
    svg = widget_output.data["image/svg+xml"]
    assert "Before backward (0/3)" in svg  # the frame on screen when the cell ran
    assert nb.cells[3].outputs[0].text.strip() == \
        "CAPTION Step 3 of 3: generation 0 runs Square"
    # saved as JupyterLab saves it (no widget state): viewers show the picture
    nb.metadata.pop("widgets", None)
    page, _ = HTMLExporter().from_notebook_node(nb)
    found = re.search(r'data-mime-type="image/svg\+xml"[^>]*>\s*<img[^>]*src="data:image/svg'
                      r'\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    assert found, "no picture of the widget in the page"
    picture = base64.b64decode(found.group(1)).decode()
    assert "<svg" in picture and "Before backward (0/3)" in picture


MARIMO_APP = '''import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    import numpy as np

    import viz
    from autograd_core import Variable, exp, square

    x = Variable(np.array(0.5), name="x")
    y = square(exp(square(x)))
    w = mo.ui.anywidget(viz.show(y, steps=True))
    w
    return (w,)


@app.cell
def _(w):
    print("STEP", w.value["step"])
    return


if __name__ == "__main__":
    app.run()
'''


def test_the_widget_in_marimo(chromium: str, tmp_path: Path) -> None:
    script = tmp_path / "steps.py"
    script.write_text(MARIMO_APP)
    with marimo_server(script) as url, chromium_page(chromium, 1300, 900) as page:
        page.goto(url)
        page.wait_for_selector(f"{PLAYER}[data-ready='1']", timeout=60_000)
        assert page.inner_text("[data-testid=agv-title]") == \
            "Backward pass of square(exp(square(x)))"
        page.locator(PLAYER).first.focus()
        page.keyboard.press("ArrowRight")
        page.get_by_text("STEP 1").wait_for(timeout=30_000)  # marimo reran the next cell
