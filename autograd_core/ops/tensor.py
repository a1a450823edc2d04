"""Shape and reduction ops: reshape, transpose, sum, broadcast_to, sum_to, matmul, indexing."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .._shapes import keepdims_shape, normalize_axes, sum_to_shape
from ..core import Function, Variable, as_variable
from ..registry import OpExample, op


def _scatter_add(gy: np.ndarray, slices: Any, shape: tuple[int, ...]) -> np.ndarray:
    gx = np.zeros(shape, dtype=np.result_type(gy.dtype, np.float64))
    np.add.at(gx, slices, gy)
    return gx


def sum_to_like(g: Any, shape: tuple[int, ...]) -> Any:
    """``sum_to`` for a grad that is a Variable (recorded) or a raw array."""
    if isinstance(g, Variable):
        return sum_to(g, shape)
    return sum_to_shape(np.asarray(g), shape)


def broadcast_to_like(g: Any, shape: tuple[int, ...]) -> Any:
    """``broadcast_to`` for a grad that is a Variable (recorded) or a raw array."""
    if isinstance(g, Variable):
        return broadcast_to(g, shape)
    return np.array(np.broadcast_to(g, shape))  # a real array, not a read-only view


def _size(shape: tuple[int, ...]) -> int:
    return int(np.prod(shape, dtype=np.float64))


def _reshape_cost(shapes: tuple[tuple[int, ...], ...], shape: Any) -> tuple[tuple[int, ...], int]:
    new = _shape_tuple(shape)
    if new.count(-1) == 1:  # the inferred axis, as numpy infers it
        known = _size(tuple(n for n in new if n != -1)) or 1
        new = tuple(_size(shapes[0]) // known if n == -1 else n for n in new)
    return new, _size(new)


def _transpose_cost(shapes: tuple[tuple[int, ...], ...], axes: Any = None
                    ) -> tuple[tuple[int, ...], int]:
    shape = shapes[0]
    new = shape[::-1] if axes is None else tuple(shape[a] for a in _shape_tuple(axes))
    return new, _size(new)


def _sum_cost(shapes: tuple[tuple[int, ...], ...], axis: Any = None, keepdims: bool = False
              ) -> tuple[tuple[int, ...], int]:
    shape = shapes[0]
    axes = normalize_axes(tuple(axis) if isinstance(axis, list) else axis, len(shape))
    new = tuple(1 if i in axes else n for i, n in enumerate(shape)) if keepdims \
        else tuple(n for i, n in enumerate(shape) if i not in axes)
    return new, _size(shape)


def _to_shape_cost(shapes: tuple[tuple[int, ...], ...], shape: Any
                   ) -> tuple[tuple[int, ...], int]:
    new = _shape_tuple(shape)
    return new, builtins.max(_size(new), _size(shapes[0]))  # (max is the op below)


def _matmul_cost(shapes: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], int]:
    a, b = shapes
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    lead = np.broadcast_shapes(a2[:-2], b2[:-2])
    new = lead + a2[-2:-1] + b2[-1:]
    if len(a) == 1:
        new = new[:-2] + new[-1:]
    if len(b) == 1:
        new = new[:-1]
    return new, _size(lead) * a2[-2] * a2[-1] * b2[-1]  # multiply-adds


# The tensor ops in PyTorch (registered with each op: torch=...): numpy's defaults, said
# in torch's words (dim, keepdim, a permutation that reverses the axes).
def _torch_transpose(t: Any, x: Any, axes: Any = None) -> Any:
    return x.permute(*(tuple(reversed(range(x.dim()))) if axes is None else tuple(axes)))


def _torch_sum(t: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if axis is None:
        return t.sum(x) if not keepdims else t.sum(x).reshape((1,) * x.dim())
    return t.sum(x, dim=axis, keepdim=keepdims)


def _torch_sum_to(t: Any, x: Any, shape: Any) -> Any:
    shape = _shape_tuple(shape)
    lead = x.dim() - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1
                                      and x.shape[lead + i] != 1)
    return (t.sum(x, dim=dims, keepdim=True) if dims else x).reshape(shape)


def _shape_tuple(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(n) for n in shape)


class Reshape(Function):
    """y = x.reshape(shape)"""

    grad_formulas = ("reshape(gy, x.shape)",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: np.ndarray) -> np.ndarray:
        try:
            return x.reshape(self.shape)
        except ValueError:
            raise ValueError(
                f"cannot reshape an array of shape {x.shape} ({x.size} elements) "
                f"into shape {self.shape}; the sizes must match"
            ) from None

    def backward(self, gy: Any) -> Any:
        return gy.reshape(self.inputs[0].data.shape)

    def params(self) -> dict[str, Any]:
        return {"shape": self.shape}


@op(Reshape, torch=lambda t, x, shape: t.reshape(x, tuple(shape)), cost=_reshape_cost,
    examples=(OpExample(shapes=((2, 3),), params={"shape": (3, 2)}),
              OpExample(shapes=((6,),), params={"shape": (2, 3)})))
def reshape(x: Any, shape: Any) -> Variable:
    """x with a new shape of the same size (``-1`` infers one dimension)."""
    shape = _shape_tuple(shape)
    x = as_variable(x)
    return Reshape(shape)(x)


class Transpose(Function):
    """y = x.transpose(axes)"""

    grad_formulas = ("transpose(gy)",)

    def __init__(self, axes: tuple[int, ...] | None = None) -> None:
        self.axes = axes

    def forward(self, x: np.ndarray) -> np.ndarray:
        axes = self.axes
        # range first: an out-of-range axis would otherwise wrap (3 % 2 == 1) and pass
        if axes is not None and (
            any(not -x.ndim <= a < x.ndim for a in axes)
            or sorted(a % x.ndim for a in axes) != list(range(x.ndim))
        ):
            raise ValueError(
                f"axes {self.axes} are not a permutation of the {x.ndim} axes of shape {x.shape}"
            )
        return np.transpose(x, self.axes)

    def backward(self, gy: Any) -> Any:
        if self.axes is None:
            return gy.transpose()
        ndim = len(self.axes)
        inverse = tuple(np.argsort([a % ndim for a in self.axes]).tolist())
        return gy.transpose(inverse)

    def params(self) -> dict[str, Any]:
        return {} if self.axes is None else {"axes": self.axes}


@op(Transpose, torch=_torch_transpose, cost=_transpose_cost,
    examples=(OpExample(shapes=((2, 3),)),
              OpExample(shapes=((2, 3, 4),), params={"axes": (1, 0, 2)})))
def transpose(x: Any, axes: Any = None) -> Variable:
    """Reverse the axes, or permute them as ``axes`` says."""
    axes = None if axes is None else _shape_tuple(axes)
    return Transpose(axes)(x)


class Sum(Function):
    """y = x.sum(axis, keepdims)"""

    grad_formulas = ("broadcast_to(gy, x.shape)",)

    def __init__(self, axis: int | tuple[int, ...] | None, keepdims: bool) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, x: np.ndarray) -> np.ndarray:
        normalize_axes(self.axis, x.ndim)  # a clear error for a bad axis
        return x.sum(axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy: Any) -> Any:
        shape = self.inputs[0].data.shape
        if not self.keepdims:
            gy = gy.reshape(keepdims_shape(shape, self.axis))
        return broadcast_to_like(gy, shape)

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"axis": self.axis}
        if self.keepdims:
            out["keepdims"] = True
        return out


@op(Sum, torch=_torch_sum, cost=_sum_cost,
    examples=(OpExample(shapes=((2, 3),)),
              OpExample(shapes=((2, 3),), params={"axis": 0}),
              OpExample(shapes=((2, 3, 2),), params={"axis": (0, 2), "keepdims": True})))
def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Variable:  # noqa: A001
    """Sum of elements, over all axes or over ``axis``."""
    if isinstance(axis, list):
        axis = tuple(axis)
    return Sum(axis, bool(keepdims))(x)


class BroadcastTo(Function):
    """y = np.broadcast_to(x, shape)"""

    grad_formulas = ("sum_to(gy, x.shape)",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: np.ndarray) -> np.ndarray:
        try:
            return np.array(np.broadcast_to(x, self.shape))
        except ValueError:
            raise ValueError(f"cannot broadcast shape {x.shape} to shape {self.shape}") from None

    def backward(self, gy: Any) -> Any:
        return sum_to_like(gy, self.inputs[0].data.shape)

    def params(self) -> dict[str, Any]:
        return {"shape": self.shape}


@op(BroadcastTo, torch=lambda t, x, shape: t.broadcast_to(x, tuple(shape)), cost=_to_shape_cost,
    examples=(OpExample(shapes=((3,),), params={"shape": (2, 3)}),
              OpExample(shapes=((),), params={"shape": (2, 2)})))
def broadcast_to(x: Any, shape: Any) -> Variable:
    """x repeated along new/size-1 axes to ``shape`` (numpy broadcasting rules)."""
    x = as_variable(x)
    shape = _shape_tuple(shape)
    if x.shape == shape:
        return x
    return BroadcastTo(shape)(x)


class SumTo(Function):
    """y = x summed over broadcast axes down to ``shape``."""

    grad_formulas = ("broadcast_to(gy, x.shape)",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not _broadcasts_to(self.shape, x.shape):
            raise ValueError(
                f"cannot sum shape {x.shape} down to shape {self.shape}: "
                f"{self.shape} does not broadcast to {x.shape}"
            )
        return sum_to_shape(x, self.shape)

    def backward(self, gy: Any) -> Any:
        return broadcast_to_like(gy, self.inputs[0].data.shape)

    def params(self) -> dict[str, Any]:
        return {"shape": self.shape}


def _broadcasts_to(small: tuple[int, ...], big: tuple[int, ...]) -> bool:
    try:
        return np.broadcast_shapes(small, big) == big
    except ValueError:
        return False


@op(SumTo, torch=_torch_sum_to, cost=_to_shape_cost,
    examples=(OpExample(shapes=((2, 3),), params={"shape": (3,)}),
              OpExample(shapes=((2, 3),), params={"shape": (2, 1)})))
def sum_to(x: Any, shape: Any) -> Variable:
    """Sum x over the axes that broadcasting added, down to ``shape``."""
    x = as_variable(x)
    shape = _shape_tuple(shape)
    if x.shape == shape:
        return x
    return SumTo(shape)(x)


class MatMul(Function):
    """y = x @ w (1-D and 2-D operands; stacks of matrices broadcast)."""

    grad_formulas = ("gy @ x1.T", "x0.T @ gy")

    commutative = False

    def forward(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        if x.ndim == 0 or w.ndim == 0:
            raise ValueError("matmul needs arrays with at least one dimension; use * for scalars")
        try:
            return np.matmul(x, w)
        except ValueError:
            if x.shape[-1] == (w.shape[0] if w.ndim == 1 else w.shape[-2]):
                # the matrix axes fit: it is the stacked (batch) axes that do not broadcast
                raise ValueError(
                    f"matmul shapes {x.shape} and {w.shape} do not match: their batch axes "
                    f"{x.shape[:-2]} and {w.shape[:-2]} do not broadcast"
                ) from None
            raise ValueError(
                f"matmul shapes {x.shape} and {w.shape} do not match: the last axis of the "
                f"first ({x.shape[-1]}) must equal the "
                f"{'only' if w.ndim == 1 else 'second-to-last'} axis of the second "
                f"({w.shape[0] if w.ndim == 1 else w.shape[-2]})"
            ) from None

    def backward(self, gy: Any) -> tuple[Any, Any]:
        x, w = self.inputs_like(gy)
        x_shape, w_shape = x.shape, w.shape
        # Promote vectors to matrices so one formula covers every case.
        x2 = x.reshape((1, x_shape[0])) if len(x_shape) == 1 else x
        w2 = w.reshape((w_shape[0], 1)) if len(w_shape) == 1 else w
        lead = np.broadcast_shapes(x2.shape[:-2], w2.shape[:-2])
        g = gy.reshape(lead + (x2.shape[-2], w2.shape[-1]))
        gx = sum_to_like(g @ _swap_last(w2), x2.shape)
        gw = sum_to_like(_swap_last(x2) @ g, w2.shape)
        return gx.reshape(x_shape), gw.reshape(w_shape)


def _swap_last(v: Any) -> Any:
    ndim = len(v.shape)
    return v.transpose(tuple(range(ndim - 2)) + (ndim - 1, ndim - 2))


@op(MatMul,
    torch=lambda t, a, b: t.matmul(a, b),
    n_inputs=2, symbol="@", ufunc=np.matmul, cost=_matmul_cost,
    operators=("__matmul__",), reflected={"__rmatmul__": lambda w, x: matmul(x, w)},
    examples=(OpExample(shapes=((2, 3), (3, 4))), OpExample(shapes=((3,), (3, 2))),
              OpExample(shapes=((2, 3), (3,))), OpExample(shapes=((2, 2, 3), (3, 2)))))
def matmul(x: Any, w: Any) -> Variable:
    """Matrix product x @ w."""
    return MatMul()(x, w)


class GetItem(Function):
    """y = x[slices]"""

    grad_formulas = ("scatter_add(zeros(x.shape), index, gy)",)

    def __init__(self, slices: Any) -> None:
        self.slices = slices

    def forward(self, x: np.ndarray) -> np.ndarray:
        try:
            return np.array(x[self.slices])
        except IndexError as exc:
            raise IndexError(
                f"index {self.slices!r} is invalid for shape {x.shape}: {exc}"
            ) from None

    def backward(self, gy: Any) -> Any:
        shape = self.inputs[0].data.shape
        if isinstance(gy, Variable):
            return GetItemGrad(self.slices, shape)(gy)
        return _scatter_add(np.asarray(gy), self.slices, shape)

    def params(self) -> dict[str, Any]:
        return {"index": self.slices}


class GetItemGrad(Function):
    """Scatter-add gy into zeros of the input's shape (the backward of GetItem)."""

    grad_formulas = ("gy[index]",)

    def __init__(self, slices: Any, in_shape: tuple[int, ...]) -> None:
        self.slices = slices
        self.in_shape = in_shape

    def forward(self, gy: np.ndarray) -> np.ndarray:
        return _scatter_add(gy, self.slices, self.in_shape)

    def backward(self, ggx: Any) -> Any:
        return ggx[self.slices]

    def params(self) -> dict[str, Any]:
        return {"index": self.slices}


def _get_item_cost(shapes: tuple[tuple[int, ...], ...], slices: Any
                   ) -> tuple[tuple[int, ...], int]:
    # indexing a zero-stride view of the shape: numpy's own rules, no memory for the input
    new = np.broadcast_to(np.zeros(()), shapes[0])[slices].shape
    return new, _size(new)


@op(GetItem, torch=lambda t, x, slices: x[slices], expression=False, cost=_get_item_cost,
    examples=(OpExample(shapes=((3, 4),), params={"slices": 1}),
              OpExample(shapes=((3, 4),), params={"slices": (slice(0, 2), slice(1, 3))}),
              OpExample(shapes=((4,),), params={"slices": np.array([0, 0, 2])})))
def get_item(x: Any, slices: Any) -> Variable:
    """x[slices]: integer, slice, tuple or integer-array indexing."""
    return GetItem(slices)(x)


class Max(Function):
    """y = x.max(axis, keepdims)"""

    # (the grad goes to every element that is the maximum, when several are)
    grad_formulas = ("broadcast_to(gy, x.shape) * (x == y)",)
    reduce = staticmethod(np.max)

    def __init__(self, axis: int | tuple[int, ...] | None = None,
                 keepdims: bool = False) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, x: np.ndarray) -> np.ndarray:
        normalize_axes(self.axis, x.ndim)  # a clear error for a bad axis
        if x.size == 0:
            raise ValueError(f"{type(self).__name__.lower()} of an empty array has no value")
        return self.reduce(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, gy: Any) -> Any:
        x = self.inputs[0].data
        y = self.outputs[0]().data
        shape = keepdims_shape(x.shape, self.axis)
        if not self.keepdims:
            gy = gy.reshape(shape)
        where = x == y.reshape(shape)  # a mask: a constant, its derivative zero
        return broadcast_to_like(gy, x.shape) * where

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"axis": self.axis}
        if self.keepdims:
            out["keepdims"] = True
        return out


class Min(Max):
    """y = x.min(axis, keepdims)"""

    grad_formulas = ("broadcast_to(gy, x.shape) * (x == y)",)
    reduce = staticmethod(np.min)


def _torch_reduce(name: str) -> Any:
    def run(t: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        fn = getattr(t, "amax" if name == "max" else "amin")
        if axis is None:
            y = fn(x)
            return y.reshape((1,) * x.dim()) if keepdims else y
        return fn(x, dim=axis, keepdim=keepdims)

    return run


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


# values apart (no two equal): the maximum is one element, where finite differences agree
_DISTINCT = dict(low=-2.0, high=2.0, distinct=True)


@op(Max, torch=_torch_reduce("max"), cost=_sum_cost,
    examples=(OpExample(shapes=((2, 3),), **_DISTINCT),
              OpExample(shapes=((2, 3),), params={"axis": 1}, **_DISTINCT),
              OpExample(shapes=((2, 3, 2),), params={"axis": (0, 2), "keepdims": True},
                        **_DISTINCT)))
def max(x: Any, axis: Any = None, keepdims: bool = False) -> Variable:  # noqa: A001
    """Largest element, over all axes or over ``axis`` (the book's ``F.max``)."""
    return Max(_axis(axis), bool(keepdims))(x)


@op(Min, torch=_torch_reduce("min"), cost=_sum_cost,
    examples=(OpExample(shapes=((2, 3),), **_DISTINCT),
              OpExample(shapes=((3, 2),), params={"axis": 0}, **_DISTINCT)))
def min(x: Any, axis: Any = None, keepdims: bool = False) -> Variable:  # noqa: A001
    """Smallest element, over all axes or over ``axis`` (the book's ``F.min``)."""
    return Min(_axis(axis), bool(keepdims))(x)
