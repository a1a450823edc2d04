"""Watch a network learn: datasets, a bounded training run, and what each iteration did.

A :class:`TrainSpec` (plain data) picks a dataset, a network and an optimizer; a
:class:`Trainer` runs it one iteration at a time with the engine's own ``MLP`` and
optimizers, keeps the loss of every iteration and a bounded history of parameter
snapshots, and stops with a clear reason when the loss stops being finite (keeping
the last finite state). Any recorded iteration can be rebuilt as a graph (a
:class:`~classroom.lesson.Lesson` the player steps). Nothing here touches Streamlit.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import autograd_core.functions as F
from autograd_core import MLP, Adam, MomentumSGD, Parameter, Variable, no_grad
from autograd_core.optimizers import SGD, Optimizer

from .cache import BoundedCache
from .lesson import Lesson, LessonSpec, lesson_bytes

DATASETS = ("sin", "line", "moons", "xor")
ACTIVATIONS = {"sigmoid": F.sigmoid, "tanh": F.tanh, "relu": F.relu}
OPTIMIZERS = {"SGD": SGD, "MomentumSGD": MomentumSGD, "Adam": Adam}

# Bounds, each named in the message that enforces it.
MAX_LAYERS = 4              # hidden layers
MAX_UNITS = 64              # units in one hidden layer
MIN_POINTS, MAX_POINTS = 10, 1000
MAX_ITERATIONS = 100_000    # iterations one run may take (and losses kept)
HISTORY_BYTES = 8_000_000   # parameter snapshots kept for scrubbing, per run
MAX_SNAPSHOTS = 500
LR_RANGE = (1e-5, 10.0)
FIT_POINTS = 200            # x values of a regression's fitted curve
BOUNDARY_GRID = 40          # a classifier's decision boundary: a GRID x GRID mesh
LESSON_CACHE_BYTES = 200_000_000  # what cached iteration lessons hold, all sessions


class TrainingError(ValueError):
    """A spec out of bounds: ``key`` names the message (classroom.i18n), ``params`` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        from .i18n import t

        super().__init__(t(f"train_error_{key}", "en", **params))
        self.key = key
        self.params = params


@dataclass(frozen=True)
class TrainSpec:
    """Everything a training run depends on (plain, hashable data)."""

    dataset: str = "sin"
    hidden: tuple[int, ...] = (10,)
    activation: str = "sigmoid"
    optimizer: str = "SGD"
    lr: float = 0.2
    points: int = 100
    seed: int = 0

    def check(self) -> TrainSpec:
        """This spec, or TrainingError naming the limit it breaks."""
        if self.dataset not in DATASETS:
            raise TrainingError("dataset", got=self.dataset, known=", ".join(DATASETS))
        if self.activation not in ACTIVATIONS:
            raise TrainingError("activation", got=self.activation, known=", ".join(ACTIVATIONS))
        if self.optimizer not in OPTIMIZERS:
            raise TrainingError("optimizer", got=self.optimizer, known=", ".join(OPTIMIZERS))
        if not 1 <= len(self.hidden) <= MAX_LAYERS:
            raise TrainingError("layers", got=len(self.hidden), limit=MAX_LAYERS)
        if any(not 1 <= n <= MAX_UNITS for n in self.hidden):
            raise TrainingError("units", got=max(self.hidden), limit=MAX_UNITS)
        if not MIN_POINTS <= self.points <= MAX_POINTS:
            raise TrainingError("points", got=self.points, low=MIN_POINTS, high=MAX_POINTS)
        low, high = LR_RANGE
        if not (np.isfinite(self.lr) and low <= self.lr <= high):
            raise TrainingError("lr", got=self.lr, low=low, high=high)
        return self

    @property
    def classification(self) -> bool:
        return self.dataset in ("moons", "xor")

    @property
    def key(self) -> str:
        """A short stable digest (cache keys, file names)."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:12]


def make_data(dataset: str, points: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The dataset's inputs x (N, 1) or (N, 2) and targets: values (N, 1) for the sin curve
    and the line, integer classes (N,) for two moons and XOR. Seeded: always the same."""
    if dataset == "sin":  # the book's step 43 data, drawn exactly as the book draws it
        rng = np.random.RandomState(seed)
        x = rng.rand(points, 1)
        return x, np.sin(2 * np.pi * x) + rng.rand(points, 1)
    rng = np.random.RandomState(seed)
    if dataset == "line":
        x = rng.rand(points, 1)
        return x, 5 + 2 * x + rng.rand(points, 1)
    half = points // 2
    labels = np.r_[np.zeros(points - half, dtype=np.int64), np.ones(half, dtype=np.int64)]
    if dataset == "moons":
        angle = rng.rand(points) * np.pi
        x = np.where(labels[:, None] == 0,
                     np.c_[np.cos(angle), np.sin(angle)],
                     np.c_[1 - np.cos(angle), 0.5 - np.sin(angle)])
        return x + rng.normal(0, 0.1, x.shape), labels
    if dataset == "xor":
        corner = rng.randint(0, 2, size=(points, 2))
        labels = (corner[:, 0] ^ corner[:, 1]).astype(np.int64)
        x = corner * 2.0 - 1.0 + rng.normal(0, 0.35, (points, 2))
        return x, labels
    raise TrainingError("dataset", got=dataset, known=", ".join(DATASETS))


@dataclass(frozen=True)
class ParamUpdate:
    """One parameter in one optimizer step: its value before, its grad, its value after."""

    name: str
    old: np.ndarray
    grad: np.ndarray
    new: np.ndarray


@dataclass
class Stop:
    """Why a run stopped on its own: ``key`` names the message (classroom.i18n)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


class Trainer:
    """One training run: the model, its optimizer, every loss, a bounded snapshot history."""

    def __init__(self, spec: TrainSpec) -> None:
        self.spec = spec.check()
        self.x, self.t = make_data(spec.dataset, spec.points, spec.seed)
        out = 2 if spec.classification else 1
        rng = np.random.default_rng(spec.seed)
        self.model = MLP((*spec.hidden, out), activation=ACTIVATIONS[spec.activation], rng=rng,
                         name="net")
        self.model(self.x)  # sizes every W now (lazy in the book) so snapshots exist from 0
        self.params: list[Parameter] = list(self.model.params())
        for i, layer in enumerate(self.model.layers):
            layer.W.name, layer.b.name = f"W{i}", f"b{i}"
        optimizer_cls = OPTIMIZERS[spec.optimizer]
        self.optimizer: Optimizer = (optimizer_cls(alpha=spec.lr) if optimizer_cls is Adam
                                     else optimizer_cls(lr=spec.lr)).setup(self.model)
        self.iteration = 0
        self.losses: list[float] = []
        self.stopped: Stop | None = None
        self.last_updates: list[ParamUpdate] = []  # what the latest step did to each parameter
        per_snapshot = sum(p.data.nbytes for p in self.params) or 1
        self.max_snapshots = max(2, min(MAX_SNAPSHOTS, HISTORY_BYTES // per_snapshot))
        self.snapshots: OrderedDict[int, list[np.ndarray]] = OrderedDict()
        self._remember()

    # --- the loss of one forward pass ----------------------------------------------------
    def loss(self, x: Any = None) -> Variable:
        """The loss of the current parameters on the data (the graph is recorded)."""
        return self._loss_of(self.model(self.x if x is None else x))

    def _loss_of(self, y: Variable) -> Variable:
        if self.spec.classification:
            return F.softmax_cross_entropy(y, self.t)
        return F.mean_squared_error(y, self.t)

    def scores(self) -> tuple[float, float | None]:
        """The loss of the parameters as they are now and, for classification, the share of
        points classified right: one forward pass, nothing recorded."""
        with no_grad(), np.errstate(all="ignore"):
            y = self.model(self.x)
            loss = float(self._loss_of(y).data)
        if not self.spec.classification:
            return loss, None
        return loss, float((y.data.argmax(axis=1) == self.t).mean())

    def current_loss(self) -> float:
        """The loss of the parameters as they are now (nothing is recorded)."""
        return self.scores()[0]

    def _remember(self) -> None:
        self.snapshots[self.iteration] = [p.data.copy() for p in self.params]
        while len(self.snapshots) > self.max_snapshots:
            self.snapshots.popitem(last=False)  # the oldest goes first

    def set_params(self, values: list[np.ndarray]) -> None:
        for p, v in zip(self.params, values, strict=True):
            p.data = v.copy()

    # --- training --------------------------------------------------------------------------
    def step(self) -> list[ParamUpdate] | None:
        """One iteration: forward, backward, update. Returns each parameter's update, or None
        when the run stopped (the loss is not finite, or the iteration limit is reached)."""
        if self.stopped is not None:
            return None
        if self.iteration >= MAX_ITERATIONS:
            self.stopped = Stop("limit", {"limit": MAX_ITERATIONS})
            return None
        with np.errstate(all="ignore"):
            loss = self.loss()
            value = float(loss.data)
            if not np.isfinite(value):
                return self._diverged(value)
            self.model.cleargrads()
            loss.backward()
            old = [p.data.copy() for p in self.params]
            self.optimizer.update()
        self.losses.append(value)
        self.iteration += 1
        self._remember()
        self.last_updates = [ParamUpdate(p.name, o, p.grad.data.copy(), p.data.copy())
                             for p, o in zip(self.params, old, strict=True)]
        return self.last_updates

    def _diverged(self, value: float) -> None:
        """The loss is inf/nan: go back to the last iteration whose loss was finite."""
        bad = self.iteration
        back = max((k for k in self.snapshots if k < bad), default=None)
        if back is not None:  # this iteration's parameters came from a diverging update
            self.set_params(self.snapshots[back])
            for k in [k for k in self.snapshots if k > back]:
                del self.snapshots[k]
            del self.losses[back:]
            self.iteration = back
        self.stopped = Stop("diverged", {"iteration": bad, "kind": "nan" if np.isnan(value)
                                         else "inf", "lr": self.spec.lr, "back": self.iteration})
        return None

    def run(self, iterations: int, seconds: float | None = None) -> int:
        """Up to ``iterations`` steps (fewer when ``seconds`` run out or the run stops).
        Returns the number taken."""
        deadline = None if seconds is None else time.perf_counter() + seconds
        taken = 0
        while taken < iterations:
            if self.step() is None:
                break
            taken += 1
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return taken

    # --- what the page shows -----------------------------------------------------------------
    def recorded(self) -> list[int]:
        """Iterations that can be scrubbed back to (their parameters are kept)."""
        return list(self.snapshots)

    def at(self, iteration: int) -> Trainer:
        """A look at ``iteration`` (the nearest recorded one): a copy of this run's model
        with that snapshot's parameters. The run itself is not changed."""
        keys = list(self.snapshots)
        nearest = min(keys, key=lambda k: (abs(k - iteration), -k))
        view = object.__new__(Trainer)
        view.__dict__.update(self.__dict__)
        view.model = _copy_model(self)
        view.params = list(view.model.params())
        view.iteration = nearest
        view.set_params(self.snapshots[nearest])
        return view

    def fit(self) -> dict[str, np.ndarray]:
        """The model's prediction: a curve over x for regression, class-1 probabilities on
        a grid for classification."""
        with no_grad(), np.errstate(all="ignore"):
            if not self.spec.classification:
                xs = np.linspace(self.x.min(), self.x.max(), FIT_POINTS)[:, None]
                return {"x": xs[:, 0], "y": self.model(xs).data[:, 0]}
            (x0, x1), (y0, y1) = _bounds(self.x[:, 0]), _bounds(self.x[:, 1])
            gx, gy = np.meshgrid(np.linspace(x0, x1, BOUNDARY_GRID),
                                 np.linspace(y0, y1, BOUNDARY_GRID))
            grid = np.c_[gx.ravel(), gy.ravel()]
            p = F.softmax(self.model(grid)).data[:, 1]
            return {"x": grid[:, 0], "y": grid[:, 1], "p": p}

    def accuracy(self) -> float | None:
        """Share of points classified right (classification only)."""
        return self.scores()[1]

    def grads(self) -> dict[str, np.ndarray]:
        """Each parameter's grad at this iteration (one forward and backward, recorded)."""
        with np.errstate(all="ignore"):
            loss = self.loss()
            for p in self.params:
                p.cleargrad()
            loss.backward()
        return {p.name: p.grad.data.copy() for p in self.params}

    def lesson(self) -> Lesson:
        """This iteration's forward and backward pass as a lesson for the player."""
        names = ", ".join(map(str, self.spec.hidden))
        text = (f"{self.spec.dataset}: MLP({names}, {'2' if self.spec.classification else '1'})"
                f", iteration {self.iteration}")
        x = Variable(self.x.copy(), name="x")
        with np.errstate(all="ignore"):
            for p in self.params:
                p.cleargrad()
            loss = self.loss(x)
        loss.name = "loss"
        spec = LessonSpec(text, (("run", self.spec.key), ("iteration", str(self.iteration))),
                          synthetic="training")
        inputs = {p.name: p for p in self.params}
        return Lesson(spec, inputs=inputs, output=loss, canonical=text)


def _bounds(v: np.ndarray) -> tuple[float, float]:
    pad = 0.1 * (v.max() - v.min() or 1.0)
    return float(v.min() - pad), float(v.max() + pad)


def _copy_model(trainer: Trainer) -> MLP:
    spec = trainer.spec
    model = MLP((*spec.hidden, 2 if spec.classification else 1),
                activation=ACTIVATIONS[spec.activation], name="net")
    for layer, src in zip(model.layers, trainer.model.layers, strict=True):
        layer.in_size = src.in_size
        layer.W.data, layer.W.name = src.W.data.copy(), src.W.name
        layer.b.data, layer.b.name = src.b.data.copy(), src.b.name
    return model


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden layer sizes from text such as ``"10"`` or ``"16, 16"`` (bounds are checked by
    :meth:`TrainSpec.check`); TrainingError when it is not whole numbers."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",")]
    if not parts or any(not p.isdigit() or len(p) > 6 for p in parts):
        raise TrainingError("hidden_text", got=str(text)[:40])
    return tuple(int(p) for p in parts)


def loss_series(losses: list[float], max_points: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """(iterations, losses) thinned to at most ``max_points`` for a chart (the last kept)."""
    n = len(losses)
    if n <= max_points:
        return np.arange(n), np.asarray(losses)
    idx = np.unique(np.r_[np.linspace(0, n - 1, max_points).astype(int), n - 1])
    return idx, np.asarray(losses)[idx]


def histogram(values: np.ndarray, bins: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """(bin centres, counts) of ``values`` (an all-equal array gets one bar)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.zeros(0), np.zeros(0, dtype=int)
    low, high = float(v.min()), float(v.max())
    if high - low < 1e-12:
        return np.array([low]), np.array([v.size])
    counts, edges = np.histogram(v, bins=bins, range=(low, high))
    return (edges[:-1] + edges[1:]) / 2, counts


# An iteration's lesson depends only on the spec and the iteration (training is seeded and
# deterministic), so sessions share them; weighed by the bytes their arrays hold.
_LESSONS: BoundedCache[Lesson] = BoundedCache(max_entries=32, max_weight=LESSON_CACHE_BYTES,
                                              weigh=lesson_bytes)


def iteration_lesson(run: Trainer, iteration: int) -> Lesson:
    """The lesson of ``run``'s recorded ``iteration`` nearest to it (built once, shared)."""
    view = run.at(iteration)
    return _LESSONS.get_or_make((run.spec, view.iteration), view.lesson)
