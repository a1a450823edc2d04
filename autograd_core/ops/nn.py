"""Neural-network ops (the book's steps 38-47): linear, relu, softmax, and two losses.

Like every op, each backward is written on ``inputs_like(gy)`` so one body serves
an ordinary backward pass (raw arrays) and ``create_graph=True`` (Variables).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Function, Variable
from ..registry import OpExample, op
from .tensor import sum_to_like


class LinearFunction(Function):
    """y = x @ W + b"""

    label = "Linear"
    grad_formulas = ("gy @ x1.T", "x0.T @ gy", "sum_to(gy, b.shape)")
    commutative = False

    def forward(self, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        if x.ndim != 2 or w.ndim != 2 or x.shape[1] != w.shape[0]:
            raise ValueError(
                f"linear needs x of shape (N, I) and W of shape (I, O); got x {x.shape} "
                f"and W {w.shape}"
            )
        try:
            return x @ w + b
        except ValueError:
            raise ValueError(
                f"linear's bias of shape {b.shape} does not broadcast to its output "
                f"({x.shape[0]}, {w.shape[1]}); give b the shape ({w.shape[1]},)"
            ) from None

    def backward(self, gy: Any) -> tuple[Any, Any, Any]:
        x, w, b = self.inputs_like(gy)
        return gy @ w.T, x.T @ gy, sum_to_like(gy, b.shape)


def _linear_cost(shapes: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], int]:
    (n, i), (_, o) = shapes[0], shapes[1]
    return (n, o), n * i * o + n * o


def _loss_cost(shapes: tuple[tuple[int, ...], ...], **params: Any) -> tuple[tuple[int, ...], int]:
    return (), int(np.prod(shapes[0], dtype=np.float64))


@op(LinearFunction,
    torch=lambda t, x, w, b: t.nn.functional.linear(x, w.T, b),
    n_inputs=3, expression=False, cost=_linear_cost,
    examples=(OpExample(shapes=((4, 3), (3, 2), (2,))), OpExample(shapes=((5, 1), (1, 10), (10,)))))
def linear(x: Any, W: Any, b: Any = None) -> Variable:  # noqa: N803 (the book's name)
    """The affine map x @ W + b of a batch x (N, I), weights W (I, O) and bias b (O,)."""
    if b is None:
        from .tensor import matmul

        return matmul(x, W)
    return LinearFunction()(x, W, b)


class ReLU(Function):
    """y = max(x, 0)"""

    label = "ReLU"
    local_grads = ("(x > 0)",)

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0.0)

    def backward(self, gy: Any) -> Any:
        # the mask is a constant: its derivative is zero wherever it exists
        return gy * (self.inputs[0].data > 0)


# values kept away from the kink at 0, where no finite difference agrees
@op(ReLU,
    torch=lambda t, x: t.relu(x),
    examples=(OpExample(low=0.1, high=2.0), OpExample(low=-2.0, high=-0.1),
                    OpExample(shapes=((2, 3),), low=0.1, high=2.0)))
def relu(x: Any) -> Variable:
    """Rectified linear unit max(x, 0)."""
    return ReLU()(x)


def _softmax_array(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))  # shifted: exp never overflows
    return e / e.sum(axis=axis, keepdims=True)


class Softmax(Function):
    """y = exp(x) / sum(exp(x), axis)"""

    grad_formulas = ("y * (gy - sum(y * gy, axis))",)

    def __init__(self, axis: int = 1) -> None:
        self.axis = axis

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not -x.ndim <= self.axis < x.ndim:
            raise ValueError(f"softmax axis {self.axis} is out of range for shape {x.shape}")
        return _softmax_array(x, self.axis)

    def backward(self, gy: Any) -> Any:
        y = self.output_like(gy)
        gx = y * gy
        return gx - y * gx.sum(axis=self.axis, keepdims=True)

    def params(self) -> dict[str, Any]:
        return {"axis": self.axis}


@op(Softmax,
    torch=lambda t, x, axis=1: t.softmax(x, dim=axis),
    examples=(OpExample(shapes=((2, 3),)),
                       OpExample(shapes=((3, 2),), params={"axis": 0})))
def softmax(x: Any, axis: int = 1) -> Variable:
    """Softmax over ``axis`` (each row of a batch sums to 1)."""
    return Softmax(int(axis))(x)


class MeanSquaredError(Function):
    """y = sum((x0 - x1)²) / len(x0)"""

    label = "MSE"
    grad_formulas = ("2 * (x0 - x1) * gy / len(x0)", "-2 * (x0 - x1) * gy / len(x0)")

    def forward(self, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
        if x0.ndim == 0:
            raise ValueError("mean_squared_error needs a batch (at least one axis); got a scalar")
        try:
            diff = x0 - x1
        except ValueError:
            raise ValueError(
                f"mean_squared_error's prediction {x0.shape} and target {x1.shape} "
                "shapes do not match"
            ) from None
        return (diff**2).sum() / len(diff)

    def backward(self, gy: Any) -> tuple[Any, Any]:
        x0, x1 = self.inputs_like(gy)
        diff = x0 - x1
        gx0 = diff * (gy * (2.0 / len(diff)))
        return sum_to_like(gx0, x0.shape), sum_to_like(-gx0, x1.shape)


@op(MeanSquaredError,
    torch=lambda t, a, b: t.nn.functional.mse_loss(a, b),
    n_inputs=2, expression=False, cost=_loss_cost,
    examples=(OpExample(shapes=((5, 1), (5, 1))), OpExample(shapes=((4,), (4,)))))
def mean_squared_error(x0: Any, x1: Any) -> Variable:
    """Mean over the batch of the squared error between prediction x0 and target x1."""
    return MeanSquaredError()(x0, x1)


class SoftmaxCrossEntropy(Function):
    """y = -mean(log softmax(x)[range(N), t])"""

    label = "SoftmaxCE"
    grad_formulas = ("(softmax(x) - onehot(t)) * gy / N",)

    def __init__(self, t: np.ndarray) -> None:
        self.t = t

    def forward(self, x: np.ndarray) -> np.ndarray:
        n = _check_labels(x, self.t)
        shifted = x - x.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return -log_p[np.arange(n), self.t].sum() / n

    def backward(self, gy: Any) -> Any:
        (x,) = self.inputs_like(gy)
        n, classes = x.shape
        onehot = np.eye(classes, dtype=np.float64)[self.t]
        y = softmax(x, 1) if isinstance(gy, Variable) else _softmax_array(x, 1)
        return (y - onehot) * (gy * (1.0 / n))


def _check_labels(x: np.ndarray, t: np.ndarray) -> int:
    if x.ndim != 2:
        raise ValueError(f"softmax_cross_entropy needs scores of shape (N, classes); got {x.shape}")
    n, classes = x.shape
    if t.shape != (n,) or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"softmax_cross_entropy needs one integer label per row: t of shape "
                         f"({n},), got {t.dtype} {t.shape}")
    if n and (t.min() < 0 or t.max() >= classes):
        raise ValueError(f"softmax_cross_entropy labels must be in 0..{classes - 1}; "
                         f"got {t.min()}..{t.max()}")
    return n


@op(SoftmaxCrossEntropy, expression=False, cost=_loss_cost,
    examples=(OpExample(shapes=((3, 4),), params={"t": np.array([0, 3, 1])}),))
def softmax_cross_entropy(x: Any, t: Any) -> Variable:
    """Cross-entropy of softmax(x) against integer class labels t (one per row)."""
    labels = np.asarray(getattr(t, "data", t))
    return SoftmaxCrossEntropy(labels)(x)


class LeakyReLU(Function):
    """y = x where x > 0, slope * x elsewhere"""

    label = "LeakyReLU"
    local_grads = ("(1 if x > 0 else slope)",)

    def __init__(self, slope: float) -> None:
        self.slope = slope

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.where(x > 0, x, x * self.slope)

    def backward(self, gy: Any) -> Any:
        x = self.inputs[0].data
        return gy * np.where(x > 0, 1.0, self.slope)  # piecewise constant: a constant

    def params(self) -> dict[str, Any]:
        return {"slope": self.slope}


@op(LeakyReLU,
    torch=lambda t, x, slope=0.2: t.nn.functional.leaky_relu(x, slope),
    examples=(OpExample(low=0.1, high=2.0), OpExample(low=-2.0, high=-0.1),
              OpExample(shapes=((2, 3),), params={"slope": 0.1}, low=-2.0, high=-0.1)))
def leaky_relu(x: Any, slope: float = 0.2) -> Variable:
    """x where positive, ``slope`` times x elsewhere (the book's ``F.leaky_relu``)."""
    if isinstance(slope, bool) or not isinstance(slope, (int, float, np.integer, np.floating)):
        raise TypeError(f"leaky_relu's slope must be a number, got {type(slope).__name__}")
    return LeakyReLU(float(slope))(x)


class LogSoftmax(Function):
    """y = log(softmax(x, axis)), computed without overflow"""

    grad_formulas = ("gy - exp(y) * sum(gy, axis)",)

    def __init__(self, axis: int = 1) -> None:
        self.axis = axis

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not -x.ndim <= self.axis < max(x.ndim, 1):
            raise ValueError(f"log_softmax axis {self.axis} is out of range for shape {x.shape}")
        shifted = x - x.max(axis=self.axis, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=self.axis, keepdims=True))

    def backward(self, gy: Any) -> Any:
        y = self.output_like(gy)
        return gy - np.exp(y) * gy.sum(axis=self.axis, keepdims=True)

    def params(self) -> dict[str, Any]:
        return {"axis": self.axis}


@op(LogSoftmax,
    torch=lambda t, x, axis=1: t.log_softmax(x, dim=axis),
    examples=(OpExample(shapes=((2, 3),)), OpExample(shapes=((3, 2),), params={"axis": 0})))
def log_softmax(x: Any, axis: int = 1) -> Variable:
    """log of softmax over ``axis``, without overflow (the book's ``F.log_softmax``)."""
    return LogSoftmax(int(axis))(x)


# --- the book's functions made of other ops (their graph shows each op) ---------------------

def softmax_simple(x: Any, axis: int = 1) -> Variable:
    """softmax written with exp, sum and a division (the book's step 47 version)."""
    from .elementwise import exp
    from .tensor import sum as sum_

    y = exp(x)
    return y / sum_(y, axis=axis, keepdims=True)


def softmax_cross_entropy_simple(x: Any, t: Any) -> Variable:
    """The cross entropy of softmax(x) and labels t, written with other ops (step 47)."""
    from ..core import as_variable
    from .elementwise import clip, log
    from .tensor import get_item
    from .tensor import sum as sum_

    x = as_variable(x)
    labels = np.asarray(getattr(t, "data", t))
    n = _check_labels(x.data, labels)
    p = clip(softmax_simple(x), 1e-15, 1.0)  # log(0) would be -inf
    tlog_p = get_item(log(p), (np.arange(n), labels))
    return -1 * sum_(tlog_p) / n


def accuracy(y: Any, t: Any) -> Variable:
    """The share of rows whose largest score is the label (no graph: not differentiable)."""
    scores = np.asarray(getattr(y, "data", y))
    labels = np.asarray(getattr(t, "data", t))
    if scores.ndim != 2 or labels.shape != (scores.shape[0],):
        raise ValueError(f"accuracy needs scores of shape (N, classes) and one label per row; "
                         f"got y {scores.shape} and t {labels.shape}")
    return Variable(np.asarray((scores.argmax(axis=1) == labels).mean()))


def dropout(x: Any, dropout_ratio: float = 0.5) -> Variable:
    """Inverted dropout (the book's step 54): while training (``Config.train``), each
    element is kept with probability 1 - ``dropout_ratio`` and scaled by its inverse;
    in test mode (``with test_mode():``) x is returned as it is."""
    from ..config import TRAIN
    from ..core import as_variable

    if isinstance(dropout_ratio, bool) or not isinstance(dropout_ratio, (int, float)) \
            or not 0.0 <= dropout_ratio < 1.0:
        raise ValueError(f"dropout_ratio must be a number in [0, 1); got {dropout_ratio!r}")
    x = as_variable(x)
    if not TRAIN.get():
        return x
    mask = np.random.rand(*x.shape) > dropout_ratio
    return x * (mask / (1.0 - dropout_ratio))
