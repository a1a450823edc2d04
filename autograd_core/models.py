"""Models (the book's step 45): a Layer that is a whole network, and the MLP.

``import autograd_core.models as M``: ``M.Model``, ``M.MLP``, and the recurrent models of
steps 59-60, ``M.SimpleRNN`` and ``M.BetterRNN``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .core import Variable
from .layers import LSTM, RNN, Layer, Linear
from .ops.elementwise import sigmoid


class Model(Layer):
    """A Layer that is a whole network; ``plot`` draws the graph of one call."""

    def plot(self, *inputs: Any, to_file: str = "model.png", **options: Any) -> Any:
        """Run the model on ``inputs`` and draw its graph into ``to_file`` (.png, .svg,
        .dot, .pdf); ``options`` go to ``viz.to_dot`` (e.g. ``collapse=["l0"]``)."""
        import viz

        return viz.render(self(*inputs), to_file, **options)


class MLP(Model):
    """A multi-layer perceptron: ``MLP((10, 1))`` is Linear(10), activation, Linear(1).

    Layers are ``l0``, ``l1``, ... (their groups' names in drawings). ``rng`` draws the
    initial weights (see :class:`~autograd_core.layers.Linear`).
    """

    def __init__(self, fc_output_sizes: Sequence[int],
                 activation: Callable[[Any], Variable] = sigmoid, *,
                 rng: np.random.Generator | None = None, name: str | None = None) -> None:
        super().__init__(name)
        sizes = tuple(int(n) for n in fc_output_sizes)
        if not sizes:
            raise ValueError("MLP needs at least one layer size, e.g. MLP((10, 1))")
        self.activation = activation
        self.layers = []
        for i, out_size in enumerate(sizes):
            layer = Linear(out_size, rng=rng)
            setattr(self, f"l{i}", layer)
            self.layers.append(layer)

    def forward(self, x: Any) -> Variable:
        for layer in self.layers[:-1]:
            x = self.activation(layer(x))
        return self.layers[-1](x)


class SimpleRNN(Model):
    """The book's step-59 model: an RNN layer and a Linear read-out."""

    def __init__(self, hidden_size: int, out_size: int, *, name: str | None = None) -> None:
        super().__init__(name)
        self.rnn = RNN(hidden_size)
        self.fc = Linear(out_size)

    def reset_state(self) -> None:
        self.rnn.reset_state()

    def forward(self, x: Any) -> Variable:
        return self.fc(self.rnn(x))


class BetterRNN(Model):
    """The book's step-60 model: an LSTM layer and a Linear read-out."""

    def __init__(self, hidden_size: int, out_size: int, *, name: str | None = None) -> None:
        super().__init__(name)
        self.rnn = LSTM(hidden_size)
        self.fc = Linear(out_size)

    def reset_state(self) -> None:
        self.rnn.reset_state()

    def forward(self, x: Any) -> Variable:
        return self.fc(self.rnn(x))
