"""The rest of DeZero's library, with the book's names and behaviour: max, min, clip,
leaky_relu, log_softmax (registry ops: their derivatives are checked with every other op's
in test_gradcheck), the functions made of other ops, dropout and test mode, the optimizer
hooks, utils, unchain_backward, RNN and LSTM with truncated BPTT, Spiral, SinCurve and the
data loaders. Bad input gets a message naming the argument."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import autograd_core as ag
import autograd_core.functions as F
import autograd_core.layers as L
import autograd_core.models as M
import autograd_core.optimizers as O
from autograd_core import Variable, gradient_check, no_grad
from autograd_core.dataloaders import DataLoader, SeqDataLoader
from autograd_core.datasets import SinCurve, Spiral, get_spiral
from autograd_core.utils import array_allclose, array_equal


def test_max_and_min_send_the_grad_to_the_extreme_elements():
    x = Variable(np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]]))
    y = F.max(x, axis=1)
    y.backward()
    assert y.data.tolist() == [5.0, 7.0]
    assert x.grad.data.tolist() == [[0, 1, 0], [1, 0, 1]]  # a tie: each maximum gets gy
    x.cleargrad()
    z = F.min(x, keepdims=True)
    z.backward()
    assert z.shape == (1, 1) and z.data.item() == 0.0
    assert x.grad.data.tolist() == [[0, 0, 0], [0, 1, 0]]


def test_clip_passes_the_grad_inside_its_bounds():
    x = Variable(np.array([-2.0, 0.5, 3.0]))
    y = F.clip(x, -1, 1)
    y.backward()
    assert y.data.tolist() == [-1.0, 0.5, 1.0] and x.grad.data.tolist() == [0, 1, 0]


def test_leaky_relu_and_log_softmax():
    x = Variable(np.array([[-2.0, 3.0]]))
    assert F.leaky_relu(x).data.tolist() == [[-0.4, 3.0]]
    assert F.leaky_relu(x, slope=0.1).data.tolist() == [[-0.2, 3.0]]
    big = Variable(np.array([[1000.0, 0.0]]))
    assert np.isfinite(F.log_softmax(big).data).all()  # no overflow
    np.testing.assert_allclose(F.log_softmax(x).data, np.log(F.softmax(x).data))


def test_the_simple_versions_agree_with_the_ops():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    t = np.array([0, 2, 1, 1])
    np.testing.assert_allclose(F.softmax_simple(Variable(x)).data,
                               F.softmax(Variable(x)).data)
    a, b = Variable(x.copy()), Variable(x.copy())
    simple = F.softmax_cross_entropy_simple(a, t)
    fused = F.softmax_cross_entropy(b, t)
    simple.backward()
    fused.backward()
    assert float(simple.data) == pytest.approx(float(fused.data))
    np.testing.assert_allclose(a.grad.data, b.grad.data, rtol=1e-10)
    assert gradient_check(lambda v: F.softmax_cross_entropy_simple(v, t), x)
    assert gradient_check(lambda v: F.softmax_simple(v, axis=0), x)


def test_accuracy_is_the_share_of_right_rows():
    y = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    acc = F.accuracy(y, np.array([1, 0, 0, 0]))
    assert float(acc.data) == 0.75 and acc.creator is None


def test_dropout_drops_while_training_only():
    np.random.seed(0)
    x = Variable(np.ones((1000, 10)))
    y = F.dropout(x, dropout_ratio=0.3)
    kept = y.data != 0
    assert 0.65 < kept.mean() < 0.75
    np.testing.assert_allclose(y.data[kept], 1 / 0.7)  # inverted dropout: scaled up
    y.backward()  # the grad goes through the kept elements, scaled the same way
    np.testing.assert_allclose(x.grad.data, kept / 0.7)
    with ag.test_mode():
        assert F.dropout(x) is x and ag.Config.train is False
    assert ag.Config.train is True


def test_test_mode_is_per_thread():
    seen = []
    inside, done = threading.Event(), threading.Event()

    def other() -> None:
        inside.wait(5)
        seen.append(ag.Config.train)
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with ag.test_mode():
        inside.set()
        done.wait(5)
    thread.join(5)
    assert seen == [True]


def _model_and_grads():
    np.random.seed(0)
    model = L.Linear(3, in_size=2)
    x = np.random.rand(4, 2)
    loss = F.sum(model(x) ** 2)
    model.cleargrads()
    loss.backward()
    return model


def test_weight_decay_adds_rate_times_the_weights():
    model = _model_and_grads()
    w0, g0 = model.W.data.copy(), model.W.grad.data.copy()
    optimizer = O.SGD(lr=0.1).setup(model)
    optimizer.add_hook(O.WeightDecay(1e-2))
    optimizer.update()
    np.testing.assert_allclose(model.W.data, w0 - 0.1 * (g0 + 1e-2 * w0), rtol=1e-6)


def test_clip_grad_scales_the_grads_to_the_norm():
    model = _model_and_grads()
    grads = [p.grad.data.copy() for p in model.params()]
    norm = np.sqrt(sum((g ** 2).sum() for g in grads))
    optimizer = O.SGD(lr=1.0).setup(model)
    optimizer.add_hook(O.ClipGrad(norm / 2))
    before = [p.data.copy() for p in model.params()]
    optimizer.update()
    for p, b, g in zip(model.params(), before, grads, strict=True):
        np.testing.assert_allclose(b - p.data, g / 2, rtol=1e-4)


def test_freeze_param_leaves_a_layer_as_it_is():
    np.random.seed(0)
    model = M.MLP((4, 1))
    x, t = np.random.rand(8, 2), np.random.rand(8, 1)
    loss = F.mean_squared_error(model(x), t)
    model.cleargrads()
    loss.backward()
    frozen = model.l0.W.data.copy()
    free = model.l1.W.data.copy()
    optimizer = O.SGD(lr=0.5).setup(model)
    optimizer.add_hook(O.FreezeParam(model.l0))
    optimizer.update()
    assert array_equal(model.l0.W.data, frozen) and not array_equal(model.l1.W.data, free)


def test_utils_compare_variables_and_arrays():
    a = Variable(np.array([1.0, 2.0]))
    assert array_equal(a, np.array([1.0, 2.0])) and not array_equal(a, np.array([1.0]))
    assert array_allclose(a, a.data + 1e-7) and not array_allclose(a, a.data + 1)


def test_unchain_backward_cuts_the_graph_upstream():
    x = Variable(np.array(2.0))
    a = ag.square(x)
    y = ag.exp(a) * 3
    mul = y.creator
    y.unchain_backward()  # as the book's: y itself and everything upstream
    assert y.creator is None and a.creator is None and mul.inputs[0].creator is None
    with pytest.warns(ag.NothingUpstreamWarning):
        y.backward()
    assert x.grad is None  # nothing upstream of the cut


def test_the_books_sine_wave_with_truncated_bptt():
    """Step 59: SimpleRNN(100, 1) on SinCurve, Adam, backward every 30 steps then
    loss.unchain_backward(); the loss falls and the model predicts cos from cos."""
    np.random.seed(0)
    train_set = SinCurve(train=True)
    seqlen = len(train_set)
    model = M.SimpleRNN(100, 1)
    optimizer = O.Adam().setup(model)
    losses = []
    for _ in range(8):
        model.reset_state()
        loss, count = 0, 0
        for x, t in train_set:
            y = model(x.reshape(1, 1))
            loss += F.mean_squared_error(y, t)
            count += 1
            if count % 30 == 0 or count == seqlen:
                model.cleargrads()
                loss.backward()
                loss.unchain_backward()
                optimizer.update()
        losses.append(float(loss.data) / count)
    assert losses[0] > 0.1 and min(losses) < 0.01
    model.reset_state()
    test = SinCurve(train=False)
    with no_grad():
        predicted = [model(np.array(x).reshape(1, 1)).data.item() for x, _ in test]
    error = np.abs(np.array(predicted[50:]) - test.label[50:, 0])
    assert error.mean() < 0.1


def test_lstm_learns_a_batch_of_the_series():
    np.random.seed(0)
    train_set = SinCurve(train=True)
    loader = SeqDataLoader(train_set, batch_size=10)
    model = M.BetterRNN(20, 1)
    optimizer = O.Adam().setup(model)
    first = last = None
    for _ in range(3):
        model.reset_state()
        loss, count = 0, 0
        for x, t in loader:
            loss += F.mean_squared_error(model(x), t)
            count += 1
            if count % 30 == 0 or count == loader.max_iter:
                model.cleargrads()
                loss.backward()
                loss.unchain_backward()
                optimizer.update()
        first = first if first is not None else float(loss.data) / count
        last = float(loss.data) / count
    assert last < first
    assert model.rnn.h.shape == (10, 20) and model.rnn.c.shape == (10, 20)


def test_spiral_and_the_data_loader():
    x, t = get_spiral(train=True)
    assert x.shape == (300, 2) and x.dtype == np.float32 and t.dtype == np.int32
    assert np.bincount(t).tolist() == [100, 100, 100]
    again, _ = get_spiral(train=True)
    assert array_equal(x, again)  # the book's seed: the same points for every reader
    data = Spiral(train=False)
    assert len(data) == 300 and data[0][0].shape == (2,)
    loader = DataLoader(Spiral(), batch_size=64, shuffle=True)
    batches = list(loader)
    assert [len(b[0]) for b in batches] == [64, 64, 64, 64, 44]
    assert sorted(np.concatenate([b[1] for b in batches]).tolist()) == sorted(t.tolist())
    assert len(list(loader)) == 5  # a second epoch
    ordered = SeqDataLoader(SinCurve(train=False), batch_size=3)
    xs, _ = next(iter(ordered))
    assert xs.shape == (3, 1)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: F.max(Variable(np.ones((2, 3))), axis=2), "axis 2 is out of range"),
    (lambda: F.min(Variable(np.ones(0))), "min of an empty array"),
    (lambda: F.clip(Variable(np.ones(3)), 2, 1), "x_min <= x_max; got x_min=2 > x_max=1"),
    (lambda: F.clip(Variable(np.ones(3)), "a", 1), "x_min must be a number, got str"),
    (lambda: F.clip(Variable(np.ones(3)), 0, float("nan")), "x_max must be a number, got NaN"),
    (lambda: F.leaky_relu(Variable(np.ones(3)), slope="0.1"), "slope must be a number"),
    (lambda: F.log_softmax(Variable(np.ones((2, 3))), axis=2), "axis 2 is out of range"),
    (lambda: F.dropout(Variable(np.ones(3)), 1.0), r"dropout_ratio must be a number in \[0, 1\)"),
    (lambda: F.dropout(Variable(np.ones(3)), -0.1), "dropout_ratio must be a number"),
    (lambda: F.accuracy(np.ones((4, 2)), np.ones(3)), "one label per row"),
    (lambda: F.softmax_cross_entropy_simple(Variable(np.ones((2, 3))), np.array([0, 3])),
     r"labels must be in 0\.\.2"),
    (lambda: O.WeightDecay(-1), "WeightDecay's rate must be a positive number"),
    (lambda: O.ClipGrad(0), "ClipGrad's max_norm must be a positive number"),
    (lambda: O.FreezeParam(), "needs the layers"),
    (lambda: DataLoader(Spiral(), batch_size=0), "batch_size must be a whole number"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_a_recurrent_layer_fed_another_feature_size():
    rnn = L.RNN(4, name="rnn")
    rnn(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"RNN 'rnn' was built for 2 feature\(s\) per sample; "
                                         r"got x of shape \(1, 3\)"):
        rnn(np.ones((1, 3)))
    lstm = L.LSTM(4, name="lstm")
    with pytest.raises(ValueError, match=r"takes one time step at a time, of shape"):
        lstm(np.ones(3))
