"""Watch a network learn: datasets, a bounded training run, and what each iteration did.

A :class:`TrainSpec` (plain data) picks a dataset, a network and an optimizer; a
:class:`Trainer` runs it one iteration at a time with the engine's own ``MLP`` (or, for the
sine wave, the book's step-59 ``SimpleRNN`` trained by truncated backpropagation through
time: an iteration is one window of ``BPTT_LENGTH`` points, after which
``loss.unchain_backward()`` cuts the graph behind the hidden state) and optimizers,
keeps the loss of every iteration and a bounded history of parameter snapshots, and
stops with a clear reason when the loss stops being finite (keeping the last finite
state). Any recorded iteration can be rebuilt as a graph (a
:class:`~classroom.lesson.Lesson` the player steps). Nothing here touches Streamlit.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

import autograd_core.functions as F
from autograd_core import MLP, Adam, MomentumSGD, Parameter, Variable, no_grad
from autograd_core.models import SimpleRNN
from autograd_core.optimizers import SGD, Optimizer

from .cache import BoundedCache
from .lesson import Lesson, LessonSpec, lesson_bytes

DATASETS = ("sin", "line", "moons", "xor", "sine_wave")
RECURRENT = "sine_wave"  # a series: the next value from the ones before (steps 59-60)
BPTT_LENGTH = 10  # points a window unrolls (the book: 30; 10 keep its graph readable)
# A dataset's own starting settings where the defaults do not suit it: an RNN explodes with
# SGD at 0.2 within 30 windows; the book trains it with Adam
RECOMMENDED: dict[str, dict[str, Any]] = {RECURRENT: {"optimizer": "Adam", "lr": 0.01}}
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
        if self.recurrent and len(self.hidden) != 1:
            raise TrainingError("rnn_layers", got=len(self.hidden))
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
    def recurrent(self) -> bool:
        """A series learnt by an RNN (its hidden size is ``hidden[0]``; the activation is
        the RNN's own tanh)."""
        return self.dataset == RECURRENT

    @property
    def sizes(self) -> tuple[int, ...]:
        """The network's layer sizes: the hidden ones, then one output (two classes)."""
        return (*self.hidden, 2 if self.classification else 1)

    @property
    def key(self) -> str:
        """A short stable digest (cache keys, file names)."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:12]


def defaults_for(dataset: str) -> TrainSpec:
    """The settings a run on ``dataset`` starts from (the defaults, and its own)."""
    return replace(TrainSpec(dataset=dataset), **RECOMMENDED.get(dataset, {}))


@functools.lru_cache(maxsize=64)  # a page rebuilds its run every tick: ~160 us saved a time
def make_data(dataset: str, points: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The dataset's inputs x (N, 1) or (N, 2) and targets: values (N, 1) for the sin curve
    and the line, integer classes (N,) for two moons and XOR. Seeded: always the same
    (shared and read-only)."""
    x, t = _draw_data(dataset, points, seed)
    x.flags.writeable = t.flags.writeable = False
    return x, t


def _draw_data(dataset: str, points: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if dataset == "sin":  # the book's step 43 data, drawn exactly as the book draws it
        rng = np.random.RandomState(seed)
        x = rng.rand(points, 1)
        return x, np.sin(2 * np.pi * x) + rng.rand(points, 1)
    rng = np.random.RandomState(seed)
    if dataset == RECURRENT:  # the book's SinCurve: sin on [0, 2 pi], the next value its label
        y = np.sin(np.linspace(0, 2 * np.pi, points + 1)) + rng.uniform(-0.05, 0.05, points + 1)
        return y[:-1, None], y[1:, None]
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
    """One training run. Everything the run has done lives in :attr:`record`, plain data
    (numbers, strings, lists, dicts and numpy arrays) that a session keeps; the model and
    its optimizer are rebuilt from it (:meth:`resume`) whenever a page needs them.

    ``Trainer(spec)`` starts a run: the model's initial parameters, nothing trained."""

    def __init__(self, spec: TrainSpec) -> None:
        spec = spec.check()
        x, t = make_data(spec.dataset, spec.points, spec.seed)
        model = _new_model(spec, x)
        params = _params(model, spec)
        per_snapshot = sum(p.data.nbytes for p in params) or 1
        record = {
            "spec": {**spec.__dict__, "hidden": list(spec.hidden)},
            "iteration": 0,
            "losses": [],                 # the loss of every iteration taken
            "stopped": None,              # why the run stopped on its own: {key, params}
            "last_updates": [],           # the latest step, per parameter: {name, old, grad, new}
            "params": [p.data for p in params],
            "optimizer": {},              # the optimizer's own state (see _optimizer_state)
            "snapshots": {},              # str(iteration) -> parameters, oldest first
            "max_snapshots": max(2, min(MAX_SNAPSHOTS, HISTORY_BYTES // per_snapshot)),
            # a recurrent run: where the next window starts and the hidden state it starts
            # from (None: the series' start), and the same per snapshot
            "window": {"pos": 0, "h": None},
            "windows": {},
        }
        self._attach(spec, record, model, x, t)
        self._remember()

    @classmethod
    def resume(cls, record: dict[str, Any]) -> Trainer:
        """The run ``record`` holds, ready to train on (its arrays are used, not copied)."""
        spec = TrainSpec(**{**record["spec"], "hidden": tuple(record["spec"]["hidden"])})
        x, t = make_data(spec.dataset, spec.points, spec.seed)
        run = object.__new__(cls)
        run._attach(spec, record, _model(spec, record["params"]), x, t)
        return run

    def _attach(self, spec: TrainSpec, record: dict[str, Any], model: MLP, x: np.ndarray,
                t: np.ndarray) -> None:
        self.spec, self.record, self.model, self.x, self.t = spec, record, model, x, t
        self.params: list[Parameter] = _params(model, spec)
        optimizer_cls = OPTIMIZERS[spec.optimizer]
        self.optimizer: Optimizer = (optimizer_cls(alpha=spec.lr) if optimizer_cls is Adam
                                     else optimizer_cls(lr=spec.lr)).setup(model)
        _load_optimizer_state(self.optimizer, self.params, record["optimizer"])

    def _save(self) -> None:
        """The model's and the optimizer's arrays back into the record."""
        self.record["params"] = [p.data for p in self.params]
        self.record["optimizer"] = _optimizer_state(self.optimizer, self.params)

    # --- the record, read ------------------------------------------------------------------
    @property
    def iteration(self) -> int:
        return self.record["iteration"]

    @property
    def losses(self) -> list[float]:
        return self.record["losses"]

    @property
    def stopped(self) -> Stop | None:
        stop = self.record["stopped"]
        return None if stop is None else Stop(stop["key"], dict(stop["params"]))

    @property
    def last_updates(self) -> list[ParamUpdate]:
        """What the latest step did to each parameter."""
        return [ParamUpdate(**update) for update in self.record["last_updates"]]

    @property
    def max_snapshots(self) -> int:
        return self.record["max_snapshots"]

    # --- the loss of one forward pass ----------------------------------------------------
    def loss(self, x: Any = None) -> Variable:
        """The loss of the current parameters on the data (the graph is recorded); for a
        recurrent run, the sum of the losses of the next window's points."""
        if self.spec.recurrent:
            return self._window_loss()
        return self._loss_of(self.model(self.x if x is None else x))

    def _window_loss(self, named: bool = False) -> Variable:
        """The next window of a recurrent run, unrolled: from the hidden state the last
        window left (a leaf: ``unchain_backward`` cut what made it), one RNN step and one
        loss per point. ``named``: each point's input and the cut state carry names."""
        window, rnn = self.record["window"], self.model.rnn
        h = window["h"]
        rnn.h = None if h is None else Variable(h.copy(), name="h (cut)" if named else None)
        loss = None
        for i in self.window_points():
            x = Variable(self.x[i:i + 1], name=f"x{i}") if named else self.x[i:i + 1]
            point = F.mean_squared_error(self.model(x), self.t[i:i + 1])
            loss = point if loss is None else loss + point
        return loss

    def window_points(self) -> range:
        """The points of a recurrent run's next window (its series' indices)."""
        pos = self.record["window"]["pos"]
        return range(pos, min(pos + BPTT_LENGTH, len(self.x)))

    def _series(self) -> np.ndarray:
        """A recurrent model's prediction of every next value, from the series' start
        (nothing recorded; once per look: status and chart share it)."""
        held = getattr(self, "_predicted", None)
        if held is None or held[0] != self.iteration:
            with no_grad(), np.errstate(all="ignore"):
                self.model.reset_state()
                held = self._predicted = (self.iteration, np.array(
                    [float(self.model(self.x[i:i + 1]).data[0, 0]) for i in range(len(self.x))]))
                self.model.reset_state()
        return held[1]

    def _loss_of(self, y: Variable) -> Variable:
        if self.spec.classification:
            return F.softmax_cross_entropy(y, self.t)
        return F.mean_squared_error(y, self.t)

    def scores(self) -> tuple[float, float | None]:
        """The loss of the parameters as they are now and, for classification, the share of
        points classified right: one forward pass, nothing recorded."""
        if self.spec.recurrent:
            return float(np.mean((self._series() - self.t[:, 0]) ** 2)), None
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
        snapshots, windows = self.record["snapshots"], self.record["windows"]
        snapshots[str(self.iteration)] = [p.data.copy() for p in self.params]
        if self.spec.recurrent:
            windows[str(self.iteration)] = dict(self.record["window"])
        while len(snapshots) > self.max_snapshots:
            oldest = next(iter(snapshots))  # the oldest goes first
            del snapshots[oldest]
            windows.pop(oldest, None)

    def set_params(self, values: list[np.ndarray]) -> None:
        for p, v in zip(self.params, values, strict=True):
            p.data = v.copy()

    # --- training --------------------------------------------------------------------------
    def step(self) -> list[ParamUpdate] | None:
        """One iteration: forward, backward, update. Returns each parameter's update, or None
        when the run stopped (the loss is not finite, or the iteration limit is reached)."""
        taken = self._step()
        self._save()
        return self.last_updates if taken else None

    def _step(self) -> bool:
        record = self.record
        if record["stopped"] is not None:
            return False
        if record["iteration"] >= MAX_ITERATIONS:
            record["stopped"] = {"key": "limit", "params": {"limit": MAX_ITERATIONS}}
            return False
        with np.errstate(all="ignore"):
            loss = self.loss()
            value = float(loss.data)
            if not np.isfinite(value):
                self._diverged(value)
                return False
            self.model.cleargrads()
            loss.backward()
            old = [p.data.copy() for p in self.params]
            self.optimizer.update()
        if self.spec.recurrent:  # truncated BPTT: cut behind the state the next window takes
            loss.unchain_backward()
            value /= len(self.window_points())  # a point's mean loss, as the other datasets'
            self._next_window()
        record["losses"].append(value)
        record["iteration"] += 1
        self._remember()
        record["last_updates"] = [
            {"name": p.name, "old": o, "grad": p.grad.data.copy(), "new": p.data.copy()}
            for p, o in zip(self.params, old, strict=True)]
        return True

    def _next_window(self) -> None:
        """Where the next window starts, and the hidden state it starts from (the series'
        start again, with no state, after its end: the book's reset_state per epoch)."""
        end = self.window_points().stop
        h = self.model.rnn.h
        self.record["window"] = ({"pos": 0, "h": None} if end >= len(self.x)
                                 else {"pos": end, "h": h.data.copy()})

    def _diverged(self, value: float) -> None:
        """The loss is inf/nan: go back to the last iteration whose loss was finite."""
        record, bad = self.record, self.iteration
        back = max((k for k in self.recorded() if k < bad), default=None)
        if back is not None:  # this iteration's parameters came from a diverging update
            self.set_params(record["snapshots"][str(back)])
            if self.spec.recurrent:
                record["window"] = dict(record["windows"][str(back)])
            for k in [k for k in self.recorded() if k > back]:
                del record["snapshots"][str(k)]
                record["windows"].pop(str(k), None)
            del record["losses"][back:]
            record["iteration"] = back
        record["stopped"] = {"key": "diverged", "params": {
            "iteration": bad, "kind": "nan" if np.isnan(value) else "inf", "lr": self.spec.lr,
            "back": record["iteration"]}}

    def run(self, iterations: int, seconds: float | None = None) -> int:
        """Up to ``iterations`` steps (fewer when ``seconds`` run out or the run stops).
        Returns the number taken."""
        deadline = None if seconds is None else time.perf_counter() + seconds
        taken = 0
        while taken < iterations:
            if not self._step():
                break
            taken += 1
            if deadline is not None and time.perf_counter() >= deadline:
                break
        self._save()
        return taken

    # --- what the page shows -----------------------------------------------------------------
    def recorded(self) -> list[int]:
        """Iterations that can be scrubbed back to (their parameters are kept)."""
        return [int(k) for k in self.record["snapshots"]]

    def at(self, iteration: int) -> Trainer:
        """A look at ``iteration`` (the nearest recorded one): this run's model with that
        snapshot's parameters (copies). The run itself is not changed."""
        nearest = min(self.recorded(), key=lambda k: (abs(k - iteration), -k))
        params = [a.copy() for a in self.record["snapshots"][str(nearest)]]
        view = object.__new__(Trainer)
        window = self.record["windows"].get(str(nearest), self.record["window"])
        view._attach(self.spec, {**self.record, "params": params, "iteration": nearest,
                                 "window": dict(window)},
                     _model(self.spec, params), self.x, self.t)
        return view

    def fit(self) -> dict[str, np.ndarray]:
        """The model's prediction: a curve over x for regression, class-1 probabilities on
        a grid for classification."""
        if self.spec.recurrent:  # the series' next values, predicted one after the other
            return {"x": np.arange(len(self.x)), "y": self._series()}
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
        """This iteration's forward and backward pass as a lesson for the player (a
        recurrent run's: its window unrolled, from the hidden state the last one left)."""
        sizes = ", ".join(map(str, self.spec.sizes))
        with np.errstate(all="ignore"):
            for p in self.params:
                p.cleargrad()
            if self.spec.recurrent:
                points = self.window_points()
                text = (f"{self.spec.dataset}: RNN({self.spec.hidden[0]}) + Linear(1), "
                        f"iteration {self.iteration}, points {points.start}-{points.stop - 1}")
                loss = self._window_loss(named=True)
            else:
                text = f"{self.spec.dataset}: MLP({sizes}), iteration {self.iteration}"
                loss = self.loss(Variable(self.x.copy(), name="x"))
        loss.name = "loss"
        spec = LessonSpec(text, (("run", self.spec.key), ("iteration", str(self.iteration))),
                          synthetic="training")
        inputs = {p.name: p for p in self.params}
        return Lesson(spec, inputs=inputs, output=loss, canonical=text)


def _bounds(v: np.ndarray) -> tuple[float, float]:
    pad = 0.1 * (v.max() - v.min() or 1.0)
    return float(v.min() - pad), float(v.max() + pad)


def _new_model(spec: TrainSpec, x: np.ndarray) -> MLP | SimpleRNN:
    """The spec's network, its weights drawn from the spec's seed."""
    rng = np.random.default_rng(spec.seed)
    if spec.recurrent:
        model = SimpleRNN(spec.hidden[0], 1, name="net")
        for layer in (model.rnn.x2h, model.rnn.h2h, model.fc):
            layer.rng = rng
        model.rnn.h2h._init_W()  # (made with its size, before it had the seed's rng)
        model(x[:1])  # sizes every W now (lazy in the book) so snapshots exist from 0
        model.reset_state()
        return model
    model = MLP(spec.sizes, activation=ACTIVATIONS[spec.activation], rng=rng, name="net")
    model(x)
    return model


def _params(model: MLP | SimpleRNN, spec: TrainSpec) -> list[Parameter]:
    """The network's parameters, named, in the order a record keeps them: W0, b0, W1, b1...
    (an RNN: Wx, bx, Wh for the recurrent layer, then Wy, by for its read-out)."""
    if spec.recurrent:
        rnn = model.rnn
        named = (("Wx", rnn.x2h.W), ("bx", rnn.x2h.b), ("Wh", rnn.h2h.W), ("Wy", model.fc.W),
                 ("by", model.fc.b))
    else:
        named = tuple((f"{kind}{i}", getattr(layer, kind)) for i, layer in
                      enumerate(model.layers) for kind in ("W", "b"))
    for name, p in named:
        p.name = name
    return [p for _, p in named]


def _model(spec: TrainSpec, params: list[np.ndarray]) -> MLP | SimpleRNN:
    """The spec's network holding ``params`` (in :func:`_params`' order; the arrays
    themselves)."""
    if spec.recurrent:
        model = SimpleRNN(spec.hidden[0], 1, name="net")
        rnn = model.rnn
        rnn.x2h.in_size, model.fc.in_size = 1, spec.hidden[0]
        rnn.x2h.W.data, rnn.x2h.b.data, rnn.h2h.W.data, model.fc.W.data, model.fc.b.data = params
        return model
    model = MLP(spec.sizes, activation=ACTIVATIONS[spec.activation], name="net")
    for i, layer in enumerate(model.layers):
        layer.in_size = params[2 * i].shape[0]
        layer.W.data, layer.b.data = params[2 * i], params[2 * i + 1]
    return model


# The optimizers keep their per-parameter arrays by the parameter's creation index; a run's
# record keeps them in the order of the model's parameters (a rebuilt model has new indices).
_OPTIMIZER_TABLES = ("ms", "vs")


def _optimizer_state(optimizer: Optimizer, params: list[Parameter]) -> dict[str, Any]:
    state: dict[str, Any] = {"t": int(getattr(optimizer, "t", 0))}
    for name in _OPTIMIZER_TABLES:
        table = getattr(optimizer, name, None)
        if table is not None:
            state[name] = [table.get(p.index) for p in params]
    return state


def _load_optimizer_state(optimizer: Optimizer, params: list[Parameter],
                          state: dict[str, Any]) -> None:
    if hasattr(optimizer, "t"):
        optimizer.t = state.get("t", 0)
    for name in _OPTIMIZER_TABLES:
        table = getattr(optimizer, name, None)
        for p, array in zip(params, state.get(name) or (), strict=False):
            if table is not None and array is not None:
                table[p.index] = array


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
