"""Command line: draw an expression's graph, or its backward pass as a lesson.

Expressions use the safe expression language of the app (:mod:`exprlang`):
parsed with an allow-list and bounded before any work, never given to eval.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

EXAMPLES = """examples:
  %(prog)s "square(exp(square(x)))" --var x=0.5 -o graph.png
  %(prog)s "a = square(x)
y = square(a) + square(a)" --var x=2 -o diamond.svg --rankdir TB
  %(prog)s "sum(x * y)" --var "x=[1, 2, 3]" --var "y=[4, 5, 6]" --steps frames/
  %(prog)s "tanh(x)" --var x=1 --gif pass.gif --html pass.html
  %(prog)s "x ** 3" --var x=2 --grad-graph -o double_backprop.svg
  %(prog)s "square(exp(square(x)))" --var x=0.5      (prints the DOT text)
  %(prog)s "a = square(x)
y = square(a) + square(a)" --var x=2 --explain      (the chain rule of every step)
  %(prog)s --mlp 1,10,1 -o mlp.svg                   (the book's two-layer network's loss)
  %(prog)s --mlp 2,16,16,2 --collapse all --expand l1 -o mlp.png
  %(prog)s "sigmoid(tanh(x))" --var x=1 --torch       (the same in PyTorch, grads compared)
  %(prog)s "sigmoid(tanh(x))" --var x=1 --torch --html side_by_side.html
  %(prog)s --list-functions

exit status: 0 on success, 2 for bad input (expression, values, options) or a
graph that cannot be drawn, 1 for an unexpected internal error.
"""

FRAME_FORMATS = ("svg", "png", "dot", "pdf")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too)
        self.exit(2, f"error: {message} (see --help)\n")


def _prog() -> str:
    argv0 = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m viz" if argv0 in ("", "__main__.py", "-m", "-c") else argv0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m viz`` / ``autograd-viz``."""
    from viz.layout.engines import describe_engines
    from viz.model.bigraph import POLICIES
    from viz.render.style import THEMES

    p = _Parser(
        prog=_prog(),
        description="Draw the computation graph of an expression, with values and grads on "
                    "the nodes, and its backward pass step by step. Engines: "
                    + describe_engines() + ".",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("expression", nargs="?",
                   help='e.g. "square(exp(square(x)))"; several lines (a = ..., y = ...) name '
                        "intermediate results, the last line is the output")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="value of an input: a number or a list like [1, 2, 3] (repeatable)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the graph after backward: .png .svg .dot .pdf")
    p.add_argument("--steps", metavar="DIR",
                   help="write every backward step as numbered frames step_000.svg ...")
    p.add_argument("--steps-format", default="svg", choices=FRAME_FORMATS,
                   help="format of the --steps frames (default svg)")
    p.add_argument("--gif", metavar="FILE", help="write the backward pass as an animated GIF")
    p.add_argument("--html", metavar="FILE",
                   help="write the backward pass as one self-contained HTML player")
    p.add_argument("--rankdir", default="LR", choices=("LR", "TB", "RL", "BT"),
                   help="layout direction (default LR: left to right)")
    p.add_argument("--verbose", action="store_true", help="show shapes and dtypes of scalars too")
    p.add_argument("--theme", default="default", choices=tuple(THEMES),
                   help="'projector': larger text and thicker borders")
    p.add_argument("--lang", default="en", choices=("en", "ko"), help="language of the frames")
    p.add_argument("--engine", default="auto", choices=("auto", "dot", "wasm"),
                   help="Graphviz engine: the system dot or the pip-installed wasm build")
    p.add_argument("--max-nodes", type=int, default=1500, metavar="N",
                   help="largest graph drawn whole (default 1500)")
    p.add_argument("--big-graph", default="auto", choices=POLICIES,
                   help="what to draw of a graph over --max-nodes (default auto)")
    p.add_argument("--last-generations", type=int, metavar="N",
                   help="draw only the last N generations")
    p.add_argument("--grad-graph", action="store_true",
                   help="backward(create_graph=True): also draw the recorded graph of the grads")
    p.add_argument("--no-backward", action="store_true", help="draw the forward graph only")
    p.add_argument("--pitfall", choices=("overwrite", "inplace", "no_cleargrad",
                                          "no_generations", "recursion"),
                   help="replay the backward pass with a naive loop the book replaces, "
                        "next to the real one, and exit")
    p.add_argument("--explain", action="store_true",
                   help="print every backward step's chain rule with the numbers, and exit")
    p.add_argument("--mlp", metavar="SIZES",
                   help="instead of an expression: the mean squared error of an MLP with these "
                        "sizes (input, hidden..., output; e.g. 1,10,1) on a small fixed batch, "
                        "each layer a group")
    p.add_argument("--activation", default="sigmoid", choices=("sigmoid", "tanh", "relu"),
                   help="--mlp's activation between layers (default sigmoid)")
    p.add_argument("--batch", type=int, default=4, metavar="N",
                   help="--mlp's batch size (default 4)")
    p.add_argument("--collapse", action="append", default=[], metavar="NAME",
                   help="draw this group (a layer, e.g. l0, or a scope) as one box with its "
                        "inputs, outputs and parameter count; 'all' for every outer group "
                        "(repeatable)")
    p.add_argument("--expand", action="append", default=[], metavar="NAME",
                   help="keep this group open (after --collapse all; repeatable)")
    p.add_argument("--torch", action="store_true",
                   help="also build the expression with PyTorch and compare the two backward "
                        "passes: their grads (printed), or both players side by side (--html)")
    p.add_argument("--list-functions", action="store_true",
                   help="list the functions expressions can use, and exit")
    return p


MLP_LIMITS = {"layers": 6, "units": 256, "batch": 256}


def _mlp_loss(sizes_text: str, activation: str, batch: int) -> Any:
    """The loss of an MLP (the book's MLP, layers l0, l1...) on a fixed random batch."""
    import numpy as np

    import autograd_core as ag

    try:
        sizes = [int(p) for p in sizes_text.replace(" ", "").split(",")]
    except ValueError:
        raise ValueError(f"--mlp needs whole numbers separated by commas, e.g. 1,10,1; "
                         f"got {sizes_text!r}") from None
    if not 2 <= len(sizes) <= MLP_LIMITS["layers"] + 1 or min(sizes) < 1 \
            or max(sizes) > MLP_LIMITS["units"]:
        raise ValueError(f"--mlp takes 2 to {MLP_LIMITS['layers'] + 1} sizes of 1 to "
                         f"{MLP_LIMITS['units']} (input, hidden..., output); got {sizes_text!r}")
    if not 1 <= batch <= MLP_LIMITS["batch"]:
        raise ValueError(f"--batch must be 1 to {MLP_LIMITS['batch']}; got {batch}")
    rng = np.random.default_rng(0)
    model = ag.MLP(sizes[1:], activation=getattr(ag, activation), rng=rng, name="mlp")
    x = ag.Variable(rng.random((batch, sizes[0])), name="x")
    loss = ag.mean_squared_error(model(x), rng.random((batch, sizes[-1])))
    loss.name = "loss"
    return loss


def _values(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--var needs NAME=VALUE, got {pair!r}")
        out[name.strip()] = value.strip()
    return out


def _one_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines) if lines else "failed"


def _list_functions() -> None:
    from exprlang.engine import default_functions

    for name, spec in sorted(default_functions().items()):
        params = "".join(f", {p}" for p in spec.params)
        inputs = ", ".join(f"x{i}" for i in range(spec.n_inputs))
        print(f"{name}({inputs}{params})  {spec.doc.replace('``', '')}")


def _explain(y: Any, lang: str, inputs: dict[str, Any] | None = None) -> None:
    """Every step's chain rule; with ``inputs`` (--grad-graph), as the app steps it: the
    backward pass of the gradient dy/d(first input), i.e. the second derivatives."""
    from viz.model.frames import BackwardReplay

    if y.creator is None:
        raise ValueError("the expression has no operation to explain; use a function of an "
                         'input, e.g. "square(x)"')
    if inputs:
        name, x = next(iter(inputs.items()))
        y.backward(create_graph=True)
        gx = x.grad
        for v in inputs.values():
            v.cleargrad()
        if gx is None or gx.creator is None:
            raise ValueError(f"dy/d{name} does not depend on {name}: there is no second "
                             "derivative to step through (it is 0)")
        gx.name = gx.name or f"dy/d{name}"
        y = gx
        from viz.i18n import t

        print(t("cli_second_order", lang, name=gx.name))
    replay = BackwardReplay(y)
    print(replay.caption(0, lang))
    for k in range(1, replay.n_steps + 1):
        print(replay.caption(k, lang))
        for line in replay.explain(k, lang):
            print(f"    {line}")


def _pitfall(y: Any, name: str, lang: str) -> None:
    from viz.i18n import t
    from viz.model.frames import BackwardReplay
    from viz.model.pitfalls import run

    if y.creator is None:
        raise ValueError("the expression has no operation to replay; use a function of an "
                         'input, e.g. "square(x)"')
    replay = BackwardReplay(y)
    outcome = run(replay, name)
    print(t(f"pitfall_{name}", lang))
    print(t(f"pitfall_why_{name}", lang))
    if not outcome.applies and name != "recursion":
        print(t("pitfall_no_change", lang))
    for line in outcome.lines(replay, lang):
        print(f"    {line}")


def _torch(args: argparse.Namespace, y: Any) -> None:
    """--torch: the expression built with PyTorch too, both passes recorded and compared."""
    from exprlang.engine import build_torch_graph
    from viz.player.compare import compare

    if args.mlp:
        raise ValueError("--torch compares an expression; it does not take --mlp")
    try:
        import torch  # noqa: F401 (only to say how to get it)
    except ImportError:
        raise ValueError('--torch needs PyTorch: pip install "autograd-viz[torch]"') from None
    ty, names = build_torch_graph(args.expression, _values(args.var))
    comparison = compare(y, ty, names_b=names, lang=args.lang)
    if args.html:
        comparison.save(args.html)
        print(f"wrote {args.html}")
        return
    for label, replay in zip(comparison.labels, (comparison.left, comparison.right),
                             strict=True):
        order = " → ".join(", ".join(type(c.function).label for c in step.calls)
                           for step in replay.steps)
        print(f"{label}: {replay.n_steps} steps: {order}")
    for row in comparison.rows:
        from viz.model.explain import value_text

        mark = "ok" if row.ok else f"DIFFERENT: {row.detail}"
        print(f"{row.name}.grad: {comparison.labels[0]} {value_text(row.left, args.lang)}, "
              f"{comparison.labels[1]} {value_text(row.right, args.lang)}  {mark}")


def _run(args: argparse.Namespace) -> None:
    from exprlang.engine import build_graph
    from viz import export
    from viz.layout.engines import render_to_file
    from viz.render.dot import to_dot

    if args.max_nodes < 1:
        raise ValueError("--max-nodes must be at least 1")
    if args.last_generations is not None and args.last_generations < 1:
        raise ValueError("--last-generations must be at least 1")
    big_graph = "last_generations" if args.last_generations else args.big_graph
    drawing: dict[str, Any] = dict(verbose=args.verbose, rankdir=args.rankdir, theme=args.theme,
                                   max_nodes=args.max_nodes, big_graph=big_graph,
                                   last_generations=args.last_generations)
    if args.collapse or args.expand:
        drawing.update(collapse=tuple(args.collapse), expand=tuple(args.expand))
    inputs: dict[str, Any] = {}
    if args.mlp:
        y = _mlp_loss(args.mlp, args.activation, args.batch)
    else:
        built = build_graph(args.expression, _values(args.var))
        y, inputs = built.output, dict(built.inputs)
    if args.torch:
        _torch(args, y)
        return
    if args.explain:
        _explain(y, args.lang, inputs if args.grad_graph else None)
        return
    if args.pitfall:
        _pitfall(y, args.pitfall, args.lang)
        return
    lesson = args.steps or args.gif or args.html
    frames = 0
    if lesson and y.creator is not None:
        frames = export.export_steps(y, args.steps, formats=(args.steps_format,), gif=args.gif,
                                     html=args.html, lang=args.lang, engine=args.engine,
                                     create_graph=args.grad_graph, **drawing).n_steps + 1
    elif not args.no_backward and y.creator is not None:
        y.backward(retain_grad=True, create_graph=args.grad_graph)
    elif lesson:
        raise ValueError("the expression has no operation to step through; use a function "
                         'of an input, e.g. "square(x)"')
    dot = to_dot(y, grad_graphs=args.grad_graph, **drawing)
    if args.output:
        used = render_to_file(dot, args.output, engine=args.engine).engine_used
        print(f"wrote {args.output} ({used})")
    elif not lesson:
        sys.stdout.write(dot)
    for name in ("steps", "gif", "html"):
        if getattr(args, name):
            print(f"wrote {getattr(args, name)} ({frames} frames)")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m viz`` and the ``autograd-viz`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.list_functions:
        _list_functions()
        return 0
    if not args.expression and not args.mlp:
        print(f'error: give an expression, e.g. {_prog()} "square(x)" --var x=0.5, or '
              "--mlp 1,10,1 (see --help)", file=sys.stderr)
        return 2
    if args.expression and args.mlp:
        print("error: give an expression or --mlp, not both (see --help)", file=sys.stderr)
        return 2
    from exprlang import ExpressionError
    from viz.i18n import t
    from viz.layout.engines import RenderError
    from viz.model.bigraph import BigGraphError

    try:
        _run(args)
    except ExpressionError as exc:
        if exc.code == "missing_value":  # on the command line a value comes from --var
            name = exc.params.get("name", "x")
            print(f"error: {_one_line(t('cli_missing_value', args.lang, name=name))}",
                  file=sys.stderr)
        else:
            print(f"error: {_one_line(exc.message(args.lang))}", file=sys.stderr)
        return 2
    except (RenderError, BigGraphError, ValueError, OSError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still no traceback for a command-line user
        print(f"error: unexpected {type(exc).__name__}: {_one_line(str(exc))} "
              "(please report it)", file=sys.stderr)
        return 1
    return 0
