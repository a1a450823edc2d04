"""The book's datasets (steps 48-60): ``Spiral`` (three classes on a spiral) and
``SinCurve`` (a noisy sine wave to predict one step ahead), and ``Dataset`` to make more.

A dataset is indexable: ``dataset[i]`` is ``(x, t)``; ``len(dataset)`` its size. As in the
book, ``get_spiral`` seeds numpy's global generator (1984 for training, 2020 for test)
so every reader gets the same points.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


class Dataset:
    """Data and labels made by :meth:`prepare`; ``transform`` is applied to each x."""

    def __init__(self, train: bool = True, transform: Callable[[Any], Any] | None = None,
                 target_transform: Callable[[Any], Any] | None = None) -> None:
        self.train = bool(train)
        self.transform = transform or (lambda x: x)
        self.target_transform = target_transform or (lambda t: t)
        self.data: np.ndarray | None = None
        self.label: np.ndarray | None = None
        self.prepare()

    def prepare(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement prepare()")

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        if not isinstance(index, (int, np.integer)):
            raise TypeError(f"a dataset is indexed by one integer, got {type(index).__name__}")
        x = self.transform(self.data[index])
        return x, (None if self.label is None else self.target_transform(self.label[index]))

    def __len__(self) -> int:
        return len(self.data)


def get_spiral(train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """300 points in 2-D, three classes wound in a spiral (the book's ``get_spiral``)."""
    np.random.seed(seed=1984 if train else 2020)
    num_data, num_class, input_dim = 100, 3, 2
    x = np.zeros((num_data * num_class, input_dim), dtype=np.float32)
    t = np.zeros(num_data * num_class, dtype=np.int32)
    for j in range(num_class):
        for i in range(num_data):
            rate = i / num_data
            radius = 1.0 * rate
            theta = j * 4.0 + 4.0 * rate + np.random.randn() * 0.2
            ix = num_data * j + i
            x[ix] = np.array([radius * np.sin(theta), radius * np.cos(theta)]).flatten()
            t[ix] = j
    indices = np.random.permutation(num_data * num_class)
    return x[indices], t[indices]


class Spiral(Dataset):
    """The spiral of :func:`get_spiral` as a dataset (x: 2 numbers, t: the class)."""

    def prepare(self) -> None:
        self.data, self.label = get_spiral(self.train)


class SinCurve(Dataset):
    """999 steps of sin(x) on [0, 2 pi] with uniform noise in [-0.05, 0.05] (training) or
    of cos(x) (test); each x's label is the next value."""

    def prepare(self) -> None:
        num_data = 1000
        x = np.linspace(0, 2 * np.pi, num_data)
        noise = np.random.uniform(-0.05, 0.05, size=x.shape)
        y = np.sin(x) + noise if self.train else np.cos(x)
        self.data = y[:-1][:, np.newaxis]
        self.label = y[1:][:, np.newaxis]
