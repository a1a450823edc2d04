"""The command line (python -m viz / autograd-viz), end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PIL import Image

from viz.export.cli import main


def _cli(*args, cwd):
    env = dict(os.environ, PYTHONPATH=os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "viz", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def test_png_svg_frames_gif_and_html_in_a_subprocess(tmp_path):
    done = _cli("square(exp(square(x)))", "--var", "x=0.5", "-o", "g.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote g.png (")
    png = tmp_path / "g.png"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(png).width > 300
    done = _cli("a = square(x)\ny = square(a) + square(a)", "--var", "x=2", "-o", "g.svg",
                "--steps", "frames", "--gif", "p.gif", "--html", "p.html", "--rankdir", "TB",
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote frames (4 frames)" in done.stdout and "wrote p.gif (4 frames)" in done.stdout
    assert sorted(os.listdir(tmp_path / "frames")) == [f"step_{k:03d}.svg" for k in range(4)]
    assert Image.open(tmp_path / "p.gif").n_frames == 4
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    scene = json.loads(page.split('id="agv-scene">', 1)[1].split("</script>", 1)[0])
    assert len(scene["frames"]) == 4 and scene["rankdir"] == "TB"
    assert "RUNNING" in json.dumps(scene["frames"][1])
    assert "http://" not in page.replace("http://www.w3.org", "")
    svg = (tmp_path / "g.svg").read_text()
    assert "grad 64" in svg and "<a " not in svg


def test_prints_dot_and_options_in_process(tmp_path, capsys):
    assert main(["x * y", "--var", "x=2", "--var", "y=[1, 2, 3]", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph autograd {") and "(3,) float64" in out
    assert main(["x ** 3", "--var", "x=2", "--grad-graph", "--rankdir", "TB"]) == 0
    out = capsys.readouterr().out
    assert "grad of" in out and "order 1" in out and "rankdir=TB" in out
    assert main(["tanh(x)", "--var", "x=1", "--steps", str(tmp_path / "f"),
                 "--steps-format", "dot", "--theme", "projector", "--lang", "ko"]) == 0
    frames = sorted(os.listdir(tmp_path / "f"))
    assert frames == ["step_000.dot", "step_001.dot"]
    assert "기울기" in (tmp_path / "f" / "step_001.dot").read_text(encoding="utf-8")
    assert main(["--list-functions"]) == 0
    listing = capsys.readouterr().out
    assert "square(x0)" in listing and "sum(x0" in listing


@pytest.mark.parametrize("args", [
    ["9**9**9"],
    ["__import__('os').system('echo pwned')"],
    ["x +", "--var", "x=1"],
    ["square(x)"],                           # no value for x
    ["square(x)", "--var", "x=[1,"],
    ["square(x)", "--var", "x"],
    ["square(x)", "--var", "x=1", "-o", "g.jpeg"],
    ["square(x)", "--var", "x=1", "--rankdir", "XY"],
    ["square(x)", "--var", "x=1", "--max-nodes", "0"],
    [],
])
def test_bad_input_exits_2_with_one_line(args, capsys):
    with pytest.raises(SystemExit) as stop:
        raise SystemExit(main(args))
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_bad_expression_in_a_subprocess_and_help(tmp_path):
    done = _cli("exp(", "--var", "x=1", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("error: ")
    assert "Traceback" not in done.stderr and not os.listdir(tmp_path)
    helped = _cli("--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert 'python -m viz "square(exp(square(x)))" --var x=0.5 -o graph.png' in helped.stdout


def test_explain_prints_every_step_with_its_numbers(capsys):
    assert main(["a = square(x)\ny = square(a) + square(a)", "--var", "x=2", "--explain"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Before backward (0/3): the output's grad is seeded with 1"
    assert "    a.grad = 8 (from Square #1) + 8 (from Square #2) = 16" in out
    assert out[-1] == "    Square: gx = 2 * x * gy = 2 * 2 * 16 = 64"
    assert main(["exp(x) * x", "--var", "x=1", "--explain", "--lang", "ko"]) == 0
    assert "    x.grad = 2.718 (Exp에서) + 2.718 (Mul에서) = 5.437" in capsys.readouterr().out
    assert main(["x", "--var", "x=1", "--explain"]) == 2  # nothing to explain: a message
    assert "no operation to explain" in capsys.readouterr().err


def test_pitfall_prints_the_naive_pass_next_to_the_real_one(capsys):
    assert main(["a = square(x)\ny = square(a) + square(a)", "--var", "x=2",
                 "--pitfall", "no_generations"]) == 0
    out = capsys.readouterr().out
    assert "Add → Square → Square* → Square" in out and "x.grad: 32 (naive) / 64 (real)" in out
    assert main(["x + x", "--var", "x=3", "--pitfall", "overwrite", "--lang", "ko"]) == 0
    assert "x.grad: 1 (단순) / 2 (실제)" in capsys.readouterr().out


def test_cli_words_fit_the_command_line(capsys):
    """Issue #9.17: a missing value named the app's 'x = 0.5'; the function list showed
    reStructuredText backticks and the internal name PowVar."""
    assert main(["x * y", "--var", "x=1"]) == 2
    assert "give it with --var y=0.5" in capsys.readouterr().err
    assert main(["--list-functions"]) == 0
    listing = capsys.readouterr().out
    assert "``" not in listing and "PowVar" not in listing and "pow(x0, c)" in listing


def test_a_gif_too_big_is_refused_at_once_naming_the_limit(tmp_path, capsys):
    """Issue #27.24: the 80-term sum's GIF ran 3 min 14 s and wrote 31.9 MB without a
    word, where the app refuses it. One bound everywhere (viz.export.animate.GIF_BUDGET)."""
    import time

    from viz.export.animate import GIF_BUDGET

    sum80 = " + ".join(f"{i}*x" for i in range(1, 81))  # the app's "sum80"
    gif = tmp_path / "g.gif"
    started = time.perf_counter()
    assert main([sum80, "--var", "x=0.5", "--gif", str(gif)]) == 2
    assert time.perf_counter() - started < 30
    err = capsys.readouterr().err
    assert f"more than the {GIF_BUDGET:,} it draws" in err and "--html" in err
    assert not gif.exists()


def test_gif_frames_are_drawn_at_most_gif_max_side(tmp_path):
    from viz.export.animate import GIF_MAX_SIDE

    chain = "x" + "".join(f" * {1 + k / 100}" for k in range(60))  # long, left to right
    gif = tmp_path / "chain.gif"
    assert main([chain, "--var", "x=0.5", "--gif", str(gif)]) == 0
    with Image.open(gif) as im:
        assert max(im.size) <= GIF_MAX_SIDE and im.n_frames > 10


def test_grad_graph_explain_steps_the_second_order_as_the_app_does(capsys):
    """Issue #27.25: --grad-graph --explain explained the first order while the app steps
    the second (the book's Newton example: f''(2) = 44)."""
    assert main(["y = x**4 - 2 * x**2", "--var", "x=2", "--grad-graph", "--explain"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The backward pass of dy/dx (second derivatives)")
    assert "x.grad = -4 (from Pow #1) + 48 (from Pow #2) = 44" in out
    assert main(["y = x**4 - 2 * x**2", "--var", "x=2", "--explain"]) == 0
    first = capsys.readouterr().out  # without --grad-graph: the first order, f'(2) = 24
    assert "second derivatives" not in first
    assert first.splitlines()[-1].strip() == "x.grad = 32 (from Pow #1) - 8 (from Pow #2) = 24"
