"""The chain rule of every backward step, written out with the numbers.

Each op declares its rule next to its ``backward`` (``Function.local_grads`` for
element-wise ops: ``gx = local * gy``; ``Function.grad_formulas`` for tensor ops,
shown with shapes). For a step of a :class:`~viz.model.frames.BackwardReplay` this
module writes, per function call and input, the formula, the numbers plugged in
and the result, which is the grad the engine computed (read from the step's
records, never recomputed), e.g.::

    Exp: gx = exp(x) * gy = 1.284 * 2.568 = 3.297
    Mul: gx0 = gy * x1 = 1 * 3 = 3
    a.grad = 8 (from Square #1) + 8 (from Square #2) = 16

Big tensors are summarised (shape, min, max, mean); NaN and infinity are said in
words.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np

from autograd_core import Function, Variable
from viz.i18n import t
from viz.render.style import fmt_number, fmt_param

SMALL = 6  # arrays with at most this many elements are written out in full
MAX_SUM_TERMS = 6  # a longer sum of contributions shows its first and last terms


def value_text(a: Any, lang: str = "en") -> str:
    """A value as the explanations write it: 4 significant digits, small arrays nested,
    big ones as (shape, min, max, mean); NaN/infinity in words."""
    if a is None:
        return "—"
    a = np.asarray(getattr(a, "data", a))
    if a.ndim == 0:
        return _number(a.item(), lang)
    if a.size <= SMALL:
        return _nested(a.tolist(), lang)
    finite = a[np.isfinite(a)] if np.issubdtype(a.dtype, np.floating) else a
    shape = "(" + ", ".join(str(d) for d in a.shape) + ("," if a.ndim == 1 else "") + ")"
    if not finite.size:
        return f"{shape} {t('all_nonfinite', lang)}"
    summary = t("summary", lang, shape=shape, lo=fmt_number(finite.min()),
                hi=fmt_number(finite.max()), mean=fmt_number(finite.mean()))
    bad = a.size - finite.size
    return summary + (f" ({t('nonfinite_count', lang, n=bad)})" if bad else "")


def _number(x: Any, lang: str) -> str:
    if isinstance(x, float) and not np.isfinite(x):
        return t("nan", lang) if np.isnan(x) else t("inf" if x > 0 else "neg_inf", lang)
    return fmt_number(x)


def _nested(x: Any, lang: str) -> str:
    if isinstance(x, list):
        return "[" + ", ".join(_nested(v, lang) for v in x) + "]"
    return _number(x, lang)


def shape_text(a: Any) -> str:
    """A shape as Python writes it: ``(2, 3)``, ``(3,)``, ``()``."""
    shape = tuple(np.shape(getattr(a, "data", a)))
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _data(v: Any) -> np.ndarray | None:
    return None if v is None else np.asarray(getattr(v, "data", v))


_TOKEN = re.compile(r"\b(x[01]?|y|gy)\b(\.T|\.shape)?")


def _symbol(i: int, n_inputs: int) -> str:
    return "gx" if n_inputs == 1 else f"gx{i}"


def _formula(text: str, f: Function) -> str:
    """The op's formula with its parameters filled in (Pow(3): "3 * x**(3 - 1)",
    LeakyReLU: "(1 if x > 0 else 0.2)")."""
    params = dict(f.params())
    if "c" not in params and hasattr(f, "c"):  # a mirror whose label says it (micrograd)
        params["c"] = f.c
    for name, value in params.items():
        if isinstance(value, (int, float, np.integer, np.floating)) and \
                not isinstance(value, bool):
            text = re.sub(rf"\b{re.escape(name)}\b", fmt_param(value), text)
    return text


def _local_value(f: Function, i: int) -> np.ndarray | None:
    """The local derivative d y / d x_i of an element-wise op, elementwise: its own
    backward run on ones (raw arrays: nothing is recorded)."""
    y = f.outputs[0]() if len(f.outputs) == 1 else None
    if y is None:
        return None
    with np.errstate(all="ignore"):
        grads = f.backward(np.ones_like(y.data))
    grads = grads if isinstance(grads, tuple) else (grads,)
    return None if grads[i] is None else np.asarray(getattr(grads[i], "data", grads[i]))


def _in_formula(name: str) -> str:
    """A name as it reads inside a formula: bracketed when it is more than one word."""
    return f"[{name}]" if " " in name or "'" in name else name


def _number_in_formula(a: Any, lang: str) -> str:
    """A scalar as it reads inside a formula: a negative one in parentheses (so that
    ``(-2)**2`` stays 4)."""
    text = value_text(a, lang)
    return f"({text})" if text.startswith("-") else text


def _bracketed(rule: str) -> str:
    """``1 - y**2`` as a factor: ``(1 - y**2)`` (a sum or difference at the top level)."""
    depth = 0
    for i, ch in enumerate(rule):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and ch in "+-" and 0 < i < len(rule) - 1 and rule[i - 1] == " ":
            return f"({rule})"
    return rule


_SYMBOL = re.compile(r"\b(x[01]?|y)\b")


def _substitute(rule: str, texts: dict[str, str]) -> str:
    """``rule`` with each symbol (x, x0, x1, y) written as ``texts`` says, as a factor."""
    return _bracketed(_SYMBOL.sub(lambda m: texts.get(m.group(1), m.group(1)), rule))


def _symbols(f: Function, gy: Any) -> dict[str, Variable]:
    """The rule's symbols (x, or x0 and x1; y) and the variables they stand for."""
    n = len(f.inputs)
    out = {("x" if n == 1 else f"x{i}"): x for i, x in enumerate(f.inputs)}
    y = f.outputs[0]() if len(f.outputs) == 1 else None
    if y is not None:
        out["y"] = y
    return out


def explain_call(f: Function, output_grads: tuple, input_grads: tuple,
                 lang: str = "en", graph: Any = None) -> list[str]:
    """One line per input of ``f`` that received a grad: the rule written with the
    variables' own names, the same rule with their values, the grad
    (``Square: gx = 2 * a * gy = 2 * 4 * 1 = 8``); arrays give the rule's value instead
    of every element. ``graph`` numbers repeated labels in names ("Square #2's output")."""
    cls = type(f)
    params = _params_text(f)
    label = f"{cls.label}({params})" if params else cls.label
    gy = _data(output_grads[0]) if len(output_grads) == 1 else None
    lines = []
    n = len(f.inputs)
    for i, (x, gx) in enumerate(zip(f.inputs, input_grads, strict=True)):
        if gx is None:
            continue
        sym = _symbol(i, n)
        result = value_text(gx, lang)
        if cls.local_grads and gy is not None:
            local = _formula(cls.local_grads[i], f)
            broadcast = np.shape(gy) != x.shape
            if local == "1" and not broadcast:
                lines.append(f"{label}: {sym} = gy = {result}")
                continue
            if local == "-1" and not broadcast:
                lines.append(f"{label}: {sym} = -gy = -({value_text(gy, lang)}) = {result}")
                continue
            symbols = _symbols(f, gy)
            named = _substitute(local, {s: _in_formula(variable_name(v, lang, graph))
                                        for s, v in symbols.items()})
            local_value = _local_value(f, i) if not broadcast else None
            if broadcast:  # summed back to the input's shape
                lines.append(f"{label}: {sym} = sum_to({named} * gy, {shape_text(x)}) = "
                             f"{result}")
                continue
            scalars = np.ndim(gy) == 0 and all(v.data is not None and np.ndim(v.data) == 0
                                               for v in symbols.values())
            if scalars:  # every symbol written as its value: the arithmetic can be checked
                numbers = _substitute(local, {s: _number_in_formula(v.data, lang)
                                              for s, v in symbols.items()})
                lines.append(f"{label}: {sym} = {named} * gy = {numbers} * "
                             f"{_number_in_formula(gy, lang)} = {result}")
            else:
                lines.append(f"{label}: {sym} = {named} * gy = "
                             f"{value_text(local_value, lang)} * {value_text(gy, lang)} = "
                             f"{result}")
            if getattr(cls, "foreign", False):  # another library's code: check its number
                lines[-1] += _disagreement(local_value, gy, gx, lang)
        elif cls.grad_formulas:  # a tensor op: the rule with names, then values or shapes
            formula = _formula(cls.grad_formulas[i], f)
            named = _TOKEN.sub(partial(_named_token, {
                s: _in_formula(variable_name(v, lang, graph))
                for s, v in _symbols(f, gy).items()}), formula)
            operands = [_operand(m, f, gy) for m in _TOKEN.finditer(formula)
                        if m.group(2) != ".shape"]
            if all(a is not None and a.size <= SMALL for a in operands):  # written out
                values = _TOKEN.sub(lambda m: _shape_of(m, f, gy) if m.group(2) == ".shape"
                                    else value_text(_operand(m, f, gy), lang), formula)
                lines.append(f"{label}: {sym} = {named} = {values} = {result}")
            else:  # too big to write out: their shapes, then the grad's summary
                shapes = _TOKEN.sub(lambda m: _shape_of(m, f, gy), formula)
                lines.append(f"{label}: {sym} = {named} = {shapes} → {result}")
        else:  # an op without a declared rule (a user's Function)
            lines.append(f"{label}: {sym} = {result} " + t("generic_rule", lang,
                                                           gy=value_text(gy, lang)))
    return lines


def _disagreement(local: Any, gy: Any, gx: Any, lang: str) -> str:
    """" (the rule gives 4.235)" when a recorded grad is not what the op's rule gives."""
    if local is None or gy is None or gx is None:
        return ""
    with np.errstate(all="ignore"):
        expected = np.asarray(local) * np.asarray(gy)
        got = _data(gx)
        if got.shape == expected.shape:
            if got.ndim == 0:  # the common case, without allclose's machinery
                a, b = float(got), float(expected)
                if a == b or abs(a - b) <= 1e-12 + 1e-6 * abs(b) or (a != a and b != b):
                    return ""
            elif np.allclose(got, expected, rtol=1e-6, atol=1e-12, equal_nan=True):
                return ""
    return " " + t("rule_gives", lang, value=value_text(expected, lang))


def _named_token(names: dict[str, str], m: re.Match) -> str:
    """A rule's token with its variable's name (gy stays gy): ``x1.T`` -> ``W.T``."""
    return names.get(m.group(1), m.group(1)) + (m.group(2) or "")


def _operand(m: re.Match, f: Function, gy: Any) -> np.ndarray | None:
    """The array a rule's token stands for (``x1.T``: transposed)."""
    name, suffix = m.group(1), m.group(2)
    if name == "gy":
        a = gy
    elif name == "y":
        out = f.outputs[0]()
        a = None if out is None else out.data
    else:
        a = f.inputs[0 if name in ("x", "x0") else 1].data
    if a is None:
        return None
    a = np.asarray(a)
    return a.swapaxes(-1, -2) if suffix == ".T" and a.ndim >= 2 else a


def _shape_of(m: re.Match, f: Function, gy: Any) -> str:
    """The shape of the array a rule's token stands for (``x1.T``: transposed)."""
    if m.group(1) == "gy":
        return shape_text(gy)
    a = _operand(m, f, gy)
    return "?" if a is None else shape_text(a)


def _params_text(f: Function) -> str:
    """Parameters that say something (an axis of None, keepdims=False are left out)."""
    return ", ".join(fmt_param(v) for v in f.params().values()
                     if v is not None and v is not False)


def consumer_names(consumers: list[Function]) -> dict[int, str]:
    """How a variable's consumers are told apart: "Square #1", "Square #2", "Exp"
    (numbered in creation order when a label occurs more than once)."""
    unique = sorted({f.index: f for f in consumers}.values(), key=lambda g: g.index)
    counts: dict[str, int] = {}
    for f in unique:
        counts[type(f).label] = counts.get(type(f).label, 0) + 1
    seen: dict[str, int] = {}
    names = {}
    for f in unique:
        label = type(f).label
        if counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} #{seen[label]}"
        names[f.index] = label
    return names


def contribution_terms(v: Variable, contributions: list[tuple[Function, Any]],
           names: dict[int, str]) -> list[tuple[str, Any]]:
    """(who sent it, grad) per contribution; a function that takes ``v`` twice
    (add(x, x)) is named with the operand: "Add (x0)", "Add (x1)"."""
    out = []
    sent: dict[int, int] = {}
    for f, g in contributions:
        name = names[f.index]
        slots = [i for i, x in enumerate(f.inputs) if x is v]
        if len(slots) > 1:
            k = sent.get(f.index, 0)
            sent[f.index] = k + 1
            name = f"{name} (x{slots[min(k, len(slots) - 1)]})"
        out.append((name, g))
    return out


def variable_name(v: Variable, lang: str, graph: Any = None) -> str:
    """A variable's name wherever viz and the app write about it: its own; else, for a
    computed one, "Square's output" ("Square #2's output" when ``graph`` has several
    Squares, numbered in creation order); an unnamed number (an op's constant, a leaf of
    micrograd) is its value; an unnamed array is "an input"."""
    if v.name:
        return v.name
    creator = v.creator
    if creator is not None:
        label = type(creator).label
        if graph is not None:
            label = graph.numbered_labels.get(creator.index, label)
        return t("output_of", lang, fn=label)
    if v.data is not None and np.ndim(v.data) == 0:  # an unnamed number: its value
        return value_text(v.data, lang)
    return t("a_leaf", lang)


def grad_name(name: str, lang: str) -> str:
    """How a variable's grad is written: ``x.grad`` for a name the user could type, else
    in words where the language reads better that way ("Square 출력의 기울기")."""
    if (name.isascii() and name.isidentifier()) or name.replace(".", "").isdigit():
        return f"{name}.grad"
    return t("grad_of", lang, name=name)


def sum_line(name: str, terms: list[tuple[str, Any]], total: Any, expected: int,
             earlier: Any, lang: str) -> str:
    """``a.grad = 8 (from Square #1) + 8 (from Square #2) = 16`` (and "so far" when
    partial; an earlier pass's grad first when there is one)."""
    parts = []
    if earlier is not None:
        parts.append(f"{value_text(earlier, lang)} ({t('earlier_grad', lang)})")
    shown = terms if len(terms) <= MAX_SUM_TERMS else terms[:MAX_SUM_TERMS - 2] + terms[-2:]
    parts += [f"{value_text(g, lang)} ({t('from_fn', lang, fn=fn)})" for fn, g in shown]
    if len(shown) < len(terms):  # a weight used by every sample: its first and last terms
        parts.insert(len(parts) - 2, t("more_terms", lang, n=len(terms) - len(shown)))
    text = " + ".join(parts).replace("+ -", "- ")
    line = f"{grad_name(name, lang)} = {text} = {value_text(total, lang)}"
    if len(terms) < expected:
        line += f" ({t('so_far', lang, got=len(terms), total=expected)})"
    return line


def explain_step(replay: Any, k: int, lang: str = "en") -> list[str]:
    """The chain rule of backward step ``k`` (1..n_steps) of ``replay``: a line per input
    of each function that ran, then the sum for each variable fed by several functions
    that received part of its grad in this step."""
    if not 1 <= k <= replay.n_steps:
        raise IndexError(f"step {k} is out of range: steps are 1..{replay.n_steps}")
    step = replay.steps[k - 1]
    lines: list[str] = []
    touched: list[Variable] = []
    for call in step.calls:
        lines += explain_call(call.function, call.output_grads, call.input_grads, lang,
                              replay.graph)
        for x, g in zip(call.function.inputs, call.input_grads, strict=True):
            if g is not None and all(x is not v for v in touched):
                touched.append(x)
    for v in touched:
        everything = replay.contributions(replay.n_steps, v)
        if len(everything) < 2:
            continue
        names = replay.consumer_names(v)
        so_far = sorted(contribution_terms(v, replay.contributions(k, v), names),
                        key=lambda term: term[0])
        lines.append(sum_line(variable_name(v, lang, replay.graph), so_far,
                              replay.grad_at(k, v), len(everything),
                              replay.earlier_grad(v), lang))
    return lines


def grad_story(replay: Any, k: int, v: Variable, lang: str = "en") -> str:
    """Where ``v``'s grad after ``k`` steps comes from, in one line: the seed, nothing yet,
    or the sum of what each function sent it (``a.grad = 8 (from Square #1) + ...``)."""
    name = variable_name(v, lang, replay.graph)
    total = replay.grad_at(k, v)
    if v is replay.output:
        return f"{grad_name(name, lang)} = {value_text(total, lang)} ({t('the_seed', lang)})"
    terms = sorted(contribution_terms(v, replay.contributions(k, v), replay.consumer_names(v)),
                   key=lambda term: term[0])
    if not terms:
        return f"{grad_name(name, lang)}: {t('no_grad_yet_story', lang)}"
    expected = len(replay.contributions(replay.n_steps, v))
    freed = total is None
    if freed:  # released since (retain_grad=False): the sum it was before
        total = replay.grad_before_freed(k, v)
    line = sum_line(name, terms, total, expected, replay.earlier_grad(v), lang)
    return f"{line} ({t('then_freed', lang)})" if freed else line
