"""Optimizers (the book's step 46): ``optimizer.setup(model)``, then ``update()``.

``import autograd_core.optimizers as O``: ``O.SGD``, ``O.MomentumSGD``, ``O.Adam``, and the
hooks ``O.WeightDecay``, ``O.ClipGrad``, ``O.FreezeParam`` (``optimizer.add_hook(...)``).
Each updates ``param.data`` in place from ``param.grad`` (parameters without a grad
are left alone); per-parameter state is keyed by the parameter's creation index.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .core import Parameter


class Optimizer:
    """Updates the parameters of ``target`` (a Layer/Model) set by :meth:`setup`."""

    def __init__(self) -> None:
        self.target: Any = None
        self.hooks: list[Callable[[list[Parameter]], None]] = []

    def setup(self, target: Any) -> Optimizer:
        """Attach to ``target`` (anything with ``params()``); returns the optimizer."""
        if not hasattr(target, "params"):
            raise TypeError(f"an optimizer sets up a Layer or Model, got {type(target).__name__}")
        self.target = target
        return self

    def update(self) -> None:
        """One step on every parameter that has a grad."""
        if self.target is None:
            raise RuntimeError("call optimizer.setup(model) before update()")
        params = [p for p in self.target.params() if p.grad is not None]
        for hook in self.hooks:
            hook(params)
        for param in params:
            if param.grad is not None:  # a hook may have frozen it (FreezeParam)
                self.update_one(param)

    def update_one(self, param: Parameter) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update_one()")

    def add_hook(self, hook: Callable[[list[Parameter]], None]) -> None:
        """Call ``hook(params)`` before every update (e.g. weight decay, clipping)."""
        self.hooks.append(hook)


class SGD(Optimizer):
    """Plain gradient descent: ``W -= lr * grad``."""

    def __init__(self, lr: float = 0.01) -> None:
        super().__init__()
        self.lr = _positive("lr", lr)

    def update_one(self, param: Parameter) -> None:
        param.data -= self.lr * param.grad.data


class MomentumSGD(Optimizer):
    """Gradient descent with momentum: ``v = momentum * v - lr * grad; W += v``."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__()
        self.lr = _positive("lr", lr)
        self.momentum = float(momentum)
        self.vs: dict[int, np.ndarray] = {}

    def update_one(self, param: Parameter) -> None:
        v = self.vs.get(param.index)
        if v is None:
            v = self.vs[param.index] = np.zeros_like(param.data)
        v *= self.momentum
        v -= self.lr * param.grad.data
        param.data += v


class Adam(Optimizer):
    """Adam (Kingma & Ba) with the book's bias-corrected step size ``lr``."""

    def __init__(self, alpha: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__()
        self.alpha = _positive("alpha", alpha)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.t = 0
        self.ms: dict[int, np.ndarray] = {}
        self.vs: dict[int, np.ndarray] = {}

    def update(self) -> None:
        self.t += 1
        super().update()

    @property
    def lr(self) -> float:
        fix1 = 1.0 - math.pow(self.beta1, self.t)
        fix2 = 1.0 - math.pow(self.beta2, self.t)
        return self.alpha * math.sqrt(fix2) / fix1

    def update_one(self, param: Parameter) -> None:
        key = param.index
        if key not in self.ms:
            self.ms[key] = np.zeros_like(param.data)
            self.vs[key] = np.zeros_like(param.data)
        m, v, grad = self.ms[key], self.vs[key], param.grad.data
        m += (1 - self.beta1) * (grad - m)
        v += (1 - self.beta2) * (grad * grad - v)
        param.data -= self.lr * m / (np.sqrt(v) + self.eps)


# --- hooks: optimizer.add_hook(WeightDecay(1e-4)) (the book's dezero.optimizers) ---------

class WeightDecay:
    """Adds ``rate * W`` to every grad before the update (L2 regularisation)."""

    def __init__(self, rate: float) -> None:
        self.rate = _positive("WeightDecay's rate", rate)

    def __call__(self, params: list[Parameter]) -> None:
        for param in params:
            param.grad.data = param.grad.data + self.rate * param.data


class ClipGrad:
    """Scales every grad down when their overall norm is over ``max_norm``."""

    def __init__(self, max_norm: float) -> None:
        self.max_norm = _positive("ClipGrad's max_norm", max_norm)

    def __call__(self, params: list[Parameter]) -> None:
        total = math.sqrt(sum(float((p.grad.data ** 2).sum()) for p in params))
        rate = self.max_norm / (total + 1e-6)
        if rate < 1:
            for param in params:
                param.grad.data = param.grad.data * rate


class FreezeParam:
    """Leaves the parameters of the given layers (or parameters) as they are."""

    def __init__(self, *layers: Any) -> None:
        if not layers:
            raise ValueError("FreezeParam needs the layers (or parameters) to freeze")
        self.frozen: list[Parameter] = []
        for layer in layers:
            if isinstance(layer, Parameter):
                self.frozen.append(layer)
            elif hasattr(layer, "params"):
                self.frozen.extend(layer.params())
            else:
                raise TypeError(f"FreezeParam takes layers or parameters, got "
                                f"{type(layer).__name__}")

    def __call__(self, params: list[Parameter]) -> None:
        for param in self.frozen:
            param.grad = None


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number; got {value}")
    return value
