"""Variable and Function: the define-by-run graph.

Every Function call records the graph: the outputs point at their creator, the
creator keeps its inputs (strongly) and its outputs (weakly), and both carry a
*generation* used to order the backward pass. ``Function.__call__`` owns all of
this bookkeeping, so an op is only its math (``forward``/``backward``).

Every Variable and Function also carries a creation ``index`` drawn from a
counter (never ``id()``), which makes graph walks and drawings deterministic.
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import numpy as np

from .config import DERIVATIVE_ORDER, ENABLE_BACKPROP, SCOPE

_variable_counter = itertools.count()
_new_object = object.__new__  # a Variable built by _fill skips __init__'s type check
_function_counter = itertools.count()


def as_array(x: Any, dtype: Any = None) -> np.ndarray:
    """Return ``x`` as an ndarray; numpy scalars and Python numbers become 0-d arrays."""
    if isinstance(x, np.ndarray):
        return x if dtype is None else x.astype(dtype, copy=False)
    if np.isscalar(x) and not isinstance(x, (str, bytes)):
        return np.array(x, dtype=dtype)
    raise TypeError(
        f"expected a number or numpy.ndarray, got {type(x).__name__} ({_short(x)}); "
        "wrap array-like data with np.array(...)"
    )


def _short(x: Any, limit: int = 40) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _not_an_array_message(data: Any) -> str:
    kind = type(data).__name__
    if isinstance(data, (bool, int, float, complex, np.generic)):
        fix = f"Variable(np.array({data!r}))"
    elif isinstance(data, (list, tuple)):
        fix = "Variable(np.array([...]))"
    else:
        fix = "Variable(np.array(value))"
    return (
        f"Variable data must be a numpy.ndarray or None, got {kind} ({_short(data)}). "
        f"Wrap it first, e.g. {fix}"
    )


# ufuncs with no useful derivative (piecewise constant, or not numbers at all) beyond
# those whose every output is a bool (comparisons, isnan, logical_and...).
_STEP_UFUNCS = frozenset({np.floor, np.ceil, np.trunc, np.rint, np.sign, np.floor_divide,
                          np.remainder, np.fmod, np.bitwise_and, np.bitwise_or,
                          np.bitwise_xor, np.invert, np.left_shift, np.right_shift, np.gcd,
                          np.lcm})


def _without_derivative(ufunc: np.ufunc) -> bool:
    """True for ufuncs a Variable applies to its data, giving a plain array."""
    if ufunc in _STEP_UFUNCS:
        return True
    outputs = [t.split("->")[1] for t in ufunc.types if "O" not in t]  # not object loops
    return bool(outputs) and all(set(out) == {"?"} for out in outputs)


class Variable:
    """A node holding an ndarray (``data``) and, after backward, its gradient (``grad``).

    ``grad`` is itself a Variable once a backward pass has set it (so a gradient
    can be differentiated again), or None. ``creator`` is the Function that
    produced this variable (None for leaves), ``generation`` its depth in the
    graph, ``index`` its creation order. :func:`variable_origin` tells a user's
    leaf from a wrapped constant and from a result computed under ``no_grad``.
    """

    __slots__ = ("data", "name", "grad", "creator", "generation", "index", "origin", "__weakref__")
    # Make numpy defer to us: ndarray (op) Variable gives a Variable, not an array.
    __array_priority__ = 200

    def __init__(self, data: np.ndarray | None, name: str | None = None) -> None:
        if data is not None and not isinstance(data, np.ndarray):
            raise TypeError(_not_an_array_message(data))
        _fill(self, data, name, None, 0, "leaf")

    # --- numpy-like properties -------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __len__(self) -> int:
        if self.data is None or self.data.ndim == 0:
            raise TypeError("len() of a 0-d Variable is undefined; use .size or .shape")
        return len(self.data)

    def __repr__(self) -> str:
        if self.data is None:
            return "variable(None)"
        text = str(self.data).replace("\n", "\n" + " " * 9)
        return f"variable({text})"

    # A Variable behaves like its array wherever numpy or Python expects one.
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        data = np.asarray(self.data, dtype=dtype)
        return data.copy() if copy else data

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    # Ordering compares the data and gives a plain bool array (no graph). Equality stays
    # identity (Variables are dict keys and list members); ``v == array`` compares data
    # through numpy (np.equal, below).
    def __lt__(self, other: Any) -> np.ndarray:
        return np.less(self.data, getattr(other, "data", other))

    def __le__(self, other: Any) -> np.ndarray:
        return np.less_equal(self.data, getattr(other, "data", other))

    def __gt__(self, other: Any) -> np.ndarray:
        return np.greater(self.data, getattr(other, "data", other))

    def __ge__(self, other: Any) -> np.ndarray:
        return np.greater_equal(self.data, getattr(other, "data", other))

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *args: Any, **kwargs: Any) -> Any:
        from .registry import op_for_ufunc

        func = op_for_ufunc(ufunc) if method == "__call__" and not kwargs else None
        if func is None and _without_derivative(ufunc):
            # comparisons, predicates, rounding: computed on the data, a plain array back
            raw = [a.data if isinstance(a, Variable) else a for a in args]
            if "out" in kwargs:
                kwargs["out"] = tuple(o.data if isinstance(o, Variable) else o
                                      for o in kwargs["out"])
            return getattr(ufunc, method)(*raw, **kwargs)
        if func is None:
            raise TypeError(
                f"numpy.{ufunc.__name__} cannot be differentiated through a Variable; "
                "use the autograd_core function of the same name if there is one, "
                "or apply it to the raw array (v.data)"
            )
        return func(*args)

    # --- graph bookkeeping ------------------------------------------------------
    def set_creator(self, func: Function) -> None:
        """Record ``func`` as this variable's creator (one generation after it)."""
        self.creator = func
        self.generation = func.generation + 1

    def cleargrad(self) -> None:
        """Forget the gradient (before reusing this variable in another backward pass)."""
        self.grad = None

    def unchain(self) -> None:
        """Cut the link to the creator, making this variable a leaf."""
        self.creator = None

    def unchain_backward(self) -> None:
        """Cut every link upstream of this variable (truncated backpropagation through
        time: the next backward stops here, and the old graph can be freed)."""
        if self.creator is None:
            return
        functions = [self.creator]
        self.unchain()
        while functions:
            f = functions.pop()
            for x in f.inputs:
                if x.creator is not None:
                    functions.append(x.creator)
                    x.unchain()

    def backward(self, retain_grad: bool = False, create_graph: bool = False) -> None:
        """Backpropagate from this variable to every variable it depends on.

        The seed gradient is ``self.grad`` if set (an ndarray or a number), else
        ones of this variable's shape (also for non-scalar outputs, as in the
        book). Intermediate grads are freed unless ``retain_grad`` is True. With
        ``create_graph=True`` the backward computation is itself recorded, so
        grads can be differentiated again. This drains :func:`backward_steps`.
        """
        from .backprop import backward

        backward(self, retain_grad=retain_grad, create_graph=create_graph, _stacklevel=3)

    # --- tensor methods (ops live in autograd_core.ops.tensor) ------------------
    def reshape(self, *shape: Any) -> Variable:
        """``x.reshape(2, 3)`` or ``x.reshape((2, 3))``."""
        from .ops.tensor import reshape

        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape)

    def transpose(self, *axes: Any) -> Variable:
        """Reverse the axes, or permute them as given: ``x.transpose(1, 0, 2)``."""
        from .ops.tensor import transpose

        if not axes:
            return transpose(self)
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]  # x.transpose((1, 0)) or x.transpose(None), as numpy allows
        return transpose(self, axes)

    @property
    def T(self) -> Variable:  # noqa: N802 (numpy's name)
        from .ops.tensor import transpose

        return transpose(self)

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Variable:
        from .ops.tensor import sum as sum_

        return sum_(self, axis, keepdims)

    def __getitem__(self, slices: Any) -> Variable:
        from .ops.tensor import get_item

        return get_item(self, slices)


def _fill(v: Variable, data: np.ndarray | None, name: str | None, creator: Function | None,
          generation: int, origin: str) -> Variable:
    """Set every slot of a new Variable: the one place a Variable is built (by __init__, by
    Function.__call__ for an op's output, by the backward pass for a grad).

    ``origin`` says what ``v`` is whenever it has no creator (see :func:`variable_origin`).
    """
    v.data = data
    v.name = name
    v.grad = None
    v.creator = creator
    v.generation = generation
    v.index = next(_variable_counter)
    v.origin = origin
    return v


class Parameter(Variable):
    """A Variable an optimizer updates (a layer's weights and biases).

    It behaves as a Variable everywhere; drawings show it apart from data inputs and
    inside the group of the layer that owns it (``scope``, set when the layer runs).
    """

    __slots__ = ("scope",)

    def __init__(self, data: np.ndarray | None, name: str | None = None) -> None:
        super().__init__(data, name)
        self.scope: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return "parameter" + super().__repr__()[len("variable"):]


def as_variable(obj: Any) -> Variable:
    """Return ``obj`` if it is a Variable, else wrap it (numbers become 0-d arrays)."""
    if isinstance(obj, Variable):
        return obj
    return _fill(_new_object(Variable), as_array(obj), None, None, 0, "constant")


def variable_origin(v: Variable) -> str:
    """Where ``v`` came from: "computed" (has a creator), "no_grad" (computed while
    grad mode was off, so it has none), "constant" (a number or array wrapped by an
    op) or "leaf" (made by the user)."""
    if v.creator is not None:
        return "computed"
    return v.origin


# --- Function.__call__'s per-input work: its one speed trick ------------------------------
# Every op of every program runs through Function.__call__. Wrapping the inputs, reading
# their arrays and their newest generation is written out for one and two inputs (almost
# every call) because a comprehension or generator costs a frame per call on Python 3.11,
# a third of an op's bookkeeping.
def _prepared(inputs: tuple[Any, ...]) -> tuple[tuple[Variable, ...], tuple[Any, ...], int]:
    """The inputs as Variables (numbers and arrays wrapped), their arrays, and the newest
    input's generation."""
    if len(inputs) == 1:
        x = inputs[0]
        if type(x) is not Variable:  # `type() is` is cheaper than isinstance; a Parameter
            x = as_variable(x)       # or a number takes this branch and is returned as is
            inputs = (x,)            # or wrapped
        return inputs, (x.data,), x.generation
    if len(inputs) == 2:
        x0, x1 = inputs
        if type(x0) is not Variable or type(x1) is not Variable:
            x0, x1 = inputs = (as_variable(x0), as_variable(x1))
        g0, g1 = x0.generation, x1.generation
        return inputs, (x0.data, x1.data), g0 if g0 > g1 else g1
    inputs = tuple([as_variable(x) for x in inputs])
    return (inputs, tuple([x.data for x in inputs]),
            max([x.generation for x in inputs]) if inputs else 0)


class Function:
    """Base class of every differentiable operation.

    Subclasses implement ``forward(*xs)`` on ndarrays (returning one array or a
    tuple) and ``backward(*gys)`` returning one gradient per input. ``backward``
    receives Variables when the pass records a graph (``create_graph=True``) and
    numpy values otherwise (an ndarray; a 0-d grad may be a numpy scalar, as numpy hands
    it back); writing it with operators and numpy ufuncs on
    :meth:`inputs_like` makes one body serve both (ufuncs on Variables dispatch
    to the registered ops, so the recorded math is differentiable). A book-style
    backward that uses ``self.inputs[0].data`` also works. Calling the function
    runs forward and, when grad mode is on, records the graph.

    Class attributes used for display: ``label`` (short op label) and
    ``commutative`` (whether operand order matters when drawing edges).
    """

    # A one-output call (almost every call) keeps its output's weakref in ``_outputs`` as is,
    # not in a tuple: one object fewer per op for the cyclic collector to rescan (at
    # 100,000 ops it costs more than the ops). ``outputs`` gives the tuple either way.
    __slots__ = ("inputs", "_outputs", "generation", "index", "order", "__weakref__",
                 "__dict__")

    label = "Function"
    commutative = True
    # the scope path (layers, viz.scope) the call was made in; set per call only inside one
    scope: tuple[str, ...] = ()
    # How viz.model.explain writes this op's chain rule, one entry per input: the local
    # derivative (gx = local * gy) of an element-wise op, or the whole formula of a
    # tensor op. An op with neither gets a generic line.
    local_grads: tuple[str, ...] = ()
    grad_formulas: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "label" not in cls.__dict__:
            cls.label = cls.__name__  # a user's op is labelled by its class name

    def __call__(self, *inputs: Any) -> Any:
        """Run ``forward`` on the inputs' arrays and, in grad mode, record the call (the
        book's step 11-17): its inputs, weak references to its outputs, and its generation,
        that of its newest input (its outputs are one generation later)."""
        inputs, xs, generation = _prepared(inputs)
        ys = self.forward(*xs)
        if type(ys) is not tuple:  # one output: the path almost every op takes
            y = ys if type(ys) is np.ndarray else self._checked(ys)
            if not ENABLE_BACKPROP.get():
                return _fill(_new_object(Variable), y, None, None, 0, "no_grad")
            output = _fill(_new_object(Variable), y, None, self, generation + 1, "leaf")
            self._record(inputs, generation)
            self._outputs = weakref.ref(output)  # (see __slots__: not in a tuple)
            return output
        arrays = [y if type(y) is np.ndarray else self._checked(y) for y in ys]
        if not ENABLE_BACKPROP.get():
            outputs = tuple([_fill(_new_object(Variable), a, None, None, 0, "no_grad")
                             for a in arrays])
        else:
            outputs = tuple([_fill(_new_object(Variable), a, None, self, generation + 1, "leaf")
                             for a in arrays])
            self._record(inputs, generation)
            self._outputs = tuple([weakref.ref(y) for y in outputs])
        return outputs[0] if len(outputs) == 1 else outputs

    def _checked(self, y: Any) -> np.ndarray:
        """A forward's result that is not an ndarray: numpy's 0-d scalars become 0-d
        arrays; anything else is the op's mistake, named."""
        if isinstance(y, (np.generic, np.ndarray)):
            return np.asarray(y)
        try:
            return as_array(y)
        except TypeError:
            raise TypeError(
                f"{type(self).__name__}.forward returned {type(y).__name__}; return an "
                "ndarray (or a tuple of them, one per output)"
            ) from None

    def _record(self, inputs: tuple[Variable, ...], generation: int) -> None:
        self.generation = generation
        self.index = next(_function_counter)
        self.order = DERIVATIVE_ORDER.get()
        self.inputs = inputs
        if scope := SCOPE.get():
            self.scope = scope

    def forward(self, *xs: np.ndarray) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def backward(self, *gys: Variable) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement backward()")

    # Ops write backward once for both kinds of backward pass: with create_graph
    # the grads are Variables and so must the operands be (the math is recorded);
    # otherwise grads are raw numpy values and so are the operands (fast).
    def inputs_like(self, gy: Any) -> tuple[Any, ...]:
        """The inputs in the same form as ``gy``: Variables if it is one, else their arrays
        (a 0-d array as its numpy scalar: numpy's scalar math is several times faster
        than its 0-d array math, and a scalar result is what numpy hands back anyway)."""
        inputs = self.inputs
        if isinstance(gy, Variable):
            return inputs
        if len(inputs) == 2:  # the common cases, without a comprehension frame
            a, b = inputs[0].data, inputs[1].data
            return (a if a.ndim else a[()], b if b.ndim else b[()])
        if len(inputs) == 1:
            a = inputs[0].data
            return (a if a.ndim else a[()],)
        return tuple([x.data if x.data.ndim else x.data[()] for x in inputs])

    def output_like(self, gy: Any) -> Any:
        """The (single) output in the same form as ``gy`` (see :meth:`inputs_like`)."""
        refs = self._outputs
        y = (refs if type(refs) is weakref.ref else refs[0])()
        return y if isinstance(gy, Variable) else y.data

    @property
    def outputs(self) -> tuple[weakref.ref, ...]:
        """Weak references to the outputs, in order (call one to get the Variable, or None
        once it has been freed)."""
        refs = self._outputs
        return (refs,) if type(refs) is weakref.ref else refs

    @outputs.setter
    def outputs(self, refs: tuple[weakref.ref, ...]) -> None:
        self._outputs = tuple(refs)

    # The book's first steps use a single input/output: f.input, f.output.
    @property
    def input(self) -> Variable:
        if len(self.inputs) != 1:
            raise AttributeError(
                f"{type(self).__name__} has {len(self.inputs)} inputs; use .inputs[i]"
            )
        return self.inputs[0]

    @property
    def output(self) -> Variable | None:
        """The single output (None once it has been freed: outputs are held weakly)."""
        if len(self.outputs) != 1:
            raise AttributeError(
                f"{type(self).__name__} has {len(self.outputs)} outputs; use .outputs[i]()"
            )
        return self.outputs[0]()

    def params(self) -> dict[str, Any]:
        """Constant parameters shown in drawings (e.g. Pow's exponent); none by default."""
        return {}

    def __repr__(self) -> str:
        index = getattr(self, "index", None)
        if index is None:
            return f"<{type(self).__name__} (not in a graph)>"
        return f"<{type(self).__name__} #{index} generation={self.generation}>"
