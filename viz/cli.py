"""Command line: draw an expression's graph, or its backward pass as a lesson.

Expressions use the safe expression language of the app (exprlang): parsed
with an allow-list, never given to eval.
"""

from __future__ import annotations

import argparse
import sys

EXAMPLES = """examples:
  python -m viz "square(exp(square(x)))" --var x=0.5 -o graph.png
  python -m viz "a = square(x)
y = square(a) + square(a)" --var x=2 -o diamond.svg --rankdir TB
  python -m viz "sum(x * y)" --var "x=[1, 2, 3]" --var "y=[4, 5, 6]" --steps frames/
  python -m viz "tanh(x)" --var x=1 --gif pass.gif --html pass.html
  python -m viz --list-functions
"""


def _parser() -> argparse.ArgumentParser:
    from .engines import describe_engines

    p = argparse.ArgumentParser(
        prog="python -m viz",
        description="Draw the computation graph of an expression (values and grads on the "
                    "nodes) and its backward pass step by step. " + describe_engines() + ".",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("expression", nargs="?", help="e.g. \"square(exp(square(x)))\"; several "
                   "lines (a = ..., y = ...) name intermediate results")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="value of an input: a number or a list like [1, 2, 3] (repeatable)")
    p.add_argument("-o", "--output", help="write the graph after backward: .png .svg .dot .pdf")
    p.add_argument("--steps", metavar="DIR", help="write every backward step as numbered frames")
    p.add_argument("--steps-format", default="svg", choices=("svg", "png", "dot"))
    p.add_argument("--gif", metavar="FILE", help="write the backward pass as an animated GIF")
    p.add_argument("--html", metavar="FILE", help="write a self-contained HTML player")
    p.add_argument("--rankdir", default="LR", choices=("LR", "TB", "RL", "BT"))
    p.add_argument("--verbose", action="store_true", help="show shapes and dtypes")
    p.add_argument("--theme", default="default", choices=("default", "projector"))
    p.add_argument("--lang", default="en", choices=("en", "ko"))
    p.add_argument("--engine", default="auto", choices=("auto", "dot", "wasm"))
    p.add_argument("--max-nodes", type=int, default=1500)
    p.add_argument("--no-backward", action="store_true", help="draw the forward graph only")
    p.add_argument("--list-functions", action="store_true", help="list the functions you can use")
    return p


def _values(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--var needs NAME=VALUE, got {pair!r}")
        out[name.strip()] = value.strip()
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m viz`` and the ``autograd-viz`` command."""
    args = _parser().parse_args(argv)
    from exprlang import ExpressionError
    from exprlang.engine import build_graph, default_functions

    from . import export
    from .dot import to_dot
    from .engines import RenderError, render_to_file

    if args.list_functions:
        for name, spec in sorted(default_functions().items()):
            params = "".join(f", {p}" for p in spec.params)
            inputs = ", ".join(f"x{i}" for i in range(spec.n_inputs))
            print(f"{name}({inputs}{params})  {spec.doc}")
        return 0
    if not args.expression:
        print("error: give an expression, e.g. python -m viz \"square(x)\" --var x=0.5",
              file=sys.stderr)
        return 2
    try:
        result = build_graph(args.expression, _values(args.var))
        y = result.output
        if args.steps or args.gif or args.html:
            export.export_steps(y, args.steps, formats=(args.steps_format,), gif=args.gif,
                                html=args.html, lang=args.lang, verbose=args.verbose,
                                rankdir=args.rankdir, theme=args.theme, max_nodes=args.max_nodes)
        elif not args.no_backward and y.creator is not None:
            y.backward(retain_grad=True)
        if args.output:
            dot = to_dot(y, verbose=args.verbose, rankdir=args.rankdir, theme=args.theme,
                         max_nodes=args.max_nodes)
            used = render_to_file(dot, args.output, engine=args.engine).engine_used
            print(f"wrote {args.output} ({used})")
        elif not (args.steps or args.gif or args.html):
            print(to_dot(y, verbose=args.verbose, rankdir=args.rankdir, theme=args.theme,
                         max_nodes=args.max_nodes), end="")
        for name in ("steps", "gif", "html"):
            if getattr(args, name):
                print(f"wrote {getattr(args, name)}")
    except ExpressionError as exc:
        print(f"error: {exc.message(args.lang)}", file=sys.stderr)
        return 2
    except (RenderError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
