"""The book's data loaders (steps 50, 60): mini-batches of a dataset, for ``for x, t in``.

``DataLoader(dataset, batch_size, shuffle=True)`` gives ``(x, t)`` batches in a new
random order each epoch (an epoch ends with StopIteration; the loader starts over).
``SeqDataLoader`` keeps a time series in order: batch row k reads from offset
k * len // batch_size, one step further each iteration (for an RNN's batch).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class DataLoader:
    """Mini-batches of ``dataset`` (anything with ``len`` and ``[i] -> (x, t)``)."""

    def __init__(self, dataset: Any, batch_size: int, shuffle: bool = True) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number of at least 1; "
                             f"got {batch_size!r}")
        if len(dataset) == 0:
            raise ValueError("the dataset is empty: there is nothing to load")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.data_size = len(dataset)
        self.max_iter = math.ceil(self.data_size / batch_size)
        self.reset()

    def reset(self) -> None:
        """Start a new epoch (a new order when shuffling)."""
        self.iteration = 0
        self.index = (np.random.permutation(self.data_size) if self.shuffle
                      else np.arange(self.data_size))

    def __iter__(self) -> DataLoader:
        return self

    def __next__(self) -> tuple[np.ndarray, np.ndarray]:
        if self.iteration >= self.max_iter:
            self.reset()
            raise StopIteration
        i, size = self.iteration, self.batch_size
        batch = [self.dataset[int(k)] for k in self.index[i * size:(i + 1) * size]]
        self.iteration += 1
        return np.array([x for x, _ in batch]), np.array([t for _, t in batch])

    def next(self) -> tuple[np.ndarray, np.ndarray]:  # the book's name
        return self.__next__()


class SeqDataLoader(DataLoader):
    """Batches of a time series kept in order (the book's step 60)."""

    def __init__(self, dataset: Any, batch_size: int) -> None:
        super().__init__(dataset, batch_size, shuffle=False)

    def __next__(self) -> tuple[np.ndarray, np.ndarray]:
        if self.iteration >= self.max_iter:
            self.reset()
            raise StopIteration
        jump = self.data_size // self.batch_size
        offsets = [(i * jump + self.iteration) % self.data_size
                   for i in range(self.batch_size)]
        batch = [self.dataset[k] for k in offsets]
        self.iteration += 1
        return np.array([x for x, _ in batch]), np.array([t for _, t in batch])
