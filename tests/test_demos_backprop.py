"""d2lutil.demos.backprop: 여러 신경망을 한꺼번에 학습하는 XOR 학습기와 그 데모."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
import torch

import d2lutil
from d2lutil import layers, losses, optim
from d2lutil.demos.backprop import (
    XorTrainingDemo,
    collapsed_pairs,
    forward_many,
    initial_params,
    train_xor_many,
)
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES

# XOR 진리표를 직접 적는다 (d2lutil.data와 독립)
X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0.0, 1.0, 1.0, 0.0])


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Any:
    """작은 텐서 연산을 여러 번 하므로 스레드 하나가 훨씬 빠르다 (2코어를 나눠 쓰는 기계)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def layer_loop(hidden: int, seed: int, lr: float, epochs: int) -> tuple[list[np.ndarray], list[float]]:
    """책 본문과 같은 for 문 학습: make_mlp + SGD + bce_with_logits."""
    model = layers.make_mlp([2, hidden, 1], activation="tanh", seed=seed)
    opt = optim.SGD(lr=lr)
    Y = Y_XOR.reshape(-1, 1)
    hist = []
    for epoch in range(epochs + 1):
        z = model.forward(X_XOR)
        hist.append(losses.bce_with_logits(z, Y))
        if epoch == epochs:
            break
        model.backward(losses.bce_with_logits_grad(z, Y))
        opt.step(model.parameters(), model.grads())
    return [p.copy() for p in model.parameters()], hist


def torch_train(W1, b1, W2, b2, lr, epochs):  # type: ignore[no-untyped-def]
    """같은 초기값에서 torch autograd(float64)로 학습한다: 역전파 식과 독립인 계산."""
    ps = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (W1, b1, W2, b2)]
    X = torch.tensor(X_XOR)
    Y = torch.tensor(Y_XOR).expand(W1.shape[0], 4)
    lr_t = torch.as_tensor(lr, dtype=torch.float64)
    for _ in range(epochs):
        h = torch.tanh(torch.einsum("mi,sih->smh", X, ps[0]) + ps[1][:, None, :])
        z = torch.einsum("smh,sh->sm", h, ps[2]) + ps[3][:, None]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, Y, reduction="none").mean(1).sum()
        grads = torch.autograd.grad(loss, ps)
        with torch.no_grad():
            for p, g in zip(ps, grads):
                p -= lr_t.reshape((-1,) + (1,) * (p.ndim - 1)) * g
    return [p.detach().numpy() for p in ps]


@pytest.mark.parametrize(("hidden", "seed", "lr"), [(4, 0, 1.0), (2, 1, 0.5), (3, 7, 2.0)])
def test_matches_layer_loop(hidden: int, seed: int, lr: float) -> None:
    runs = train_xor_many(hidden, [seed], lr, epochs=60, record_every=20)
    params, hist = layer_loop(hidden, seed, lr, 60)
    W1, b1, W2, b2 = runs.params_at(-1)
    np.testing.assert_allclose(W1[0], params[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b1[0], params[1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(W2[0], params[2][:, 0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b2[0], params[3][0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(runs.loss[:, 0], hist, rtol=1e-10)
    assert list(runs.checkpoints) == [0, 20, 40, 60]


def test_matches_torch_with_per_network_learning_rates() -> None:
    seeds = [0, 1, 2, 3, 4, 5]
    lrs = np.array([0.1, 0.3, 1.0, 3.0, 1.0, 0.5])
    runs = train_xor_many(3, seeds, lrs, epochs=80, record_every=80)
    init = initial_params(3, seeds)
    expected = torch_train(*init, lrs, 80)
    for got, want in zip(runs.params_at(-1), expected):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-11)


def test_initial_params_follow_make_mlp() -> None:
    W1, b1, W2, b2 = initial_params(3, [5, 6])
    for i, s in enumerate([5, 6]):
        net = layers.make_mlp([2, 3, 1], activation="tanh", seed=s)
        np.testing.assert_array_equal(W1[i], net.parameters()[0])
        np.testing.assert_array_equal(W2[i], net.parameters()[2][:, 0])
    assert b1.shape == (2, 3) and b2.shape == (2,)


def test_checkpoints_include_last_epoch_and_loss_starts_at_init() -> None:
    runs = train_xor_many(2, [0, 1], 1.0, epochs=25, record_every=10)
    assert list(runs.checkpoints) == [0, 10, 20, 25]
    init = initial_params(2, [0, 1])
    _, z = forward_many(*init, X_XOR)
    p = 1.0 / (1.0 + np.exp(-z))
    bce = -(Y_XOR * np.log(p) + (1 - Y_XOR) * np.log(1 - p)).mean(axis=1)
    np.testing.assert_allclose(runs.loss[0], bce, rtol=1e-12)
    np.testing.assert_array_equal(runs.W1[0], init[0])


def test_solved_agrees_with_accuracy() -> None:
    runs = train_xor_many(2, list(range(8)), 1.0, epochs=300, record_every=300)
    acc = runs.accuracy(-1)
    np.testing.assert_array_equal(runs.solved(), acc == 1.0)
    assert runs.solved().any() and not runs.solved().all()  # 2-2-1은 씨앗 몇 개에서 실패한다


def test_collapsed_pairs_detects_merged_opposite_classes() -> None:
    y = np.array([0, 1, 1, 0])
    apart = np.array([[[-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]]])
    merged = apart.copy()
    merged[0, 1] = merged[0, 3] + 0.01  # 클래스 1인 점이 클래스 0인 점 위로
    same_class = apart.copy()
    same_class[0, 3] = same_class[0, 0]  # 같은 클래스끼리 겹친 것은 문제가 아니다
    assert collapsed_pairs(np.concatenate([apart, merged, same_class]), y).tolist() == [False, True, False]


def test_collapsed_pairs_rejects_bad_shape() -> None:
    with pytest.raises(ValueError, match="hid"):
        collapsed_pairs(np.zeros((4, 2)), np.zeros(4))


@pytest.mark.parametrize(
    ("kwargs", "exc", "name"),
    [
        ({"hidden": 0}, ValueError, "hidden"),
        ({"hidden": 2.5}, TypeError, "hidden"),
        ({"lr": -1.0}, ValueError, "lr"),
        ({"lr": [0.1, 0.2, 0.3]}, ValueError, "lr"),
        ({"lr": [0.1, -0.2]}, ValueError, "lr"),
        ({"lr": "fast"}, TypeError, "lr"),
        ({"seeds": []}, TypeError, "seeds"),
        ({"seeds": "01"}, TypeError, "seeds"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"record_every": 0}, ValueError, "record_every"),
    ],
)
def test_train_xor_many_errors(kwargs: dict, exc: type[Exception], name: str) -> None:
    args = {"hidden": 2, "seeds": [0, 1], "lr": 1.0, "epochs": 10, "record_every": 5}
    args.update(kwargs)
    with pytest.raises(exc, match=name):
        train_xor_many(args.pop("hidden"), args.pop("seeds"), args.pop("lr"), **args)


# --------------------------------------------------------------------------- 데모


@pytest.fixture(scope="module")
def demo() -> XorTrainingDemo:
    d2lutil.use_korean_font()
    return XorTrainingDemo()


def test_grid_updates_and_image_shows_network_output(demo: XorTrainingDemo) -> None:
    for combo in demo.grid():
        demo.update(**combo)
        runs = demo.runs[combo["hidden"]]
        s = demo._index(combo["lr"], combo["seed"])
        k = list(runs.checkpoints).index(combo["epoch"])
        W1, b1, W2, b2 = (a[s] for a in runs.params_at(k))
        # 격자 점 하나를 골라 torch로 직접 계산한 확률과 칠한 띠가 맞는지 본다
        g = torch.tensor(demo.grid_points[[0, 6000, 13000, -1]])
        h = torch.tanh(g @ torch.tensor(W1) + torch.tensor(b1))
        p = torch.sigmoid(h @ torch.tensor(W2) + float(b2)).numpy()
        shown = np.asarray(demo.image.get_array()).ravel()[[0, 6000, 13000, -1]]
        np.testing.assert_allclose(shown, p, rtol=1e-9, atol=1e-12)
        assert f"에포크 {combo['epoch']}" in demo.title.get_text()
        np.testing.assert_allclose(demo.loss_line.get_ydata(), np.clip(runs.loss[:, s], 1e-4, 10.0))


def test_messages(demo: XorTrainingDemo) -> None:
    demo.update(hidden=2, lr=1.0, seed=1, epoch=1000)
    assert demo.message is not None and "같은 곳" in demo.message
    assert "정확도 100%" not in demo.title.get_text()
    demo.update(hidden=4, lr=1.0, seed=1, epoch=1000)
    assert demo.message is None
    assert "정확도 100%" in demo.title.get_text()
    demo.update(hidden=4, lr=10.0, seed=1, epoch=1000)
    assert demo.message is not None and "너무 큽니다" in demo.message
    demo.update(hidden=2, lr=1.0, seed=1, epoch=100)  # 중간 에포크에서는 조용하다
    assert demo.message is None


def test_extremes_do_not_raise(demo: XorTrainingDemo) -> None:
    for hidden in (2, 3, 4, 8):
        for lr in (0.1, 10.0):
            for seed in (0, 9):
                for epoch in (0, 10, 990, 1000):
                    demo.update(hidden=hidden, lr=lr, seed=seed, epoch=epoch)
                    visible = sum(len(line.get_xdata()) > 0 for line in demo.unit_lines)
                    assert visible <= hidden


@pytest.mark.parametrize(
    ("kwargs", "exc"),
    [
        ({"epoch": 1001}, ValueError),
        ({"epoch": -10}, ValueError),
        ({"hidden": 5}, ValueError),
        ({"lr": 2.0}, ValueError),
    ],
)
def test_demo_rejects_bad_values(demo: XorTrainingDemo, kwargs: dict, exc: type[Exception]) -> None:
    name = next(iter(kwargs))
    with pytest.raises(exc, match=name):
        demo.update(**kwargs)


def test_kernel_free_html_and_speed(demo: XorTrainingDemo) -> None:
    html = demo.kernel_free_html()
    assert len(html.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert html.count("iVBOR") == len(demo.grid()) + 1
    times = []
    for hidden in (2, 4, 8):
        for epoch in (0, 100, 500, 1000):
            t0 = time.perf_counter()
            demo.update(hidden=hidden, lr=1.0, seed=3, epoch=epoch)
            times.append(time.perf_counter() - t0)
    assert float(np.median(times)) < 0.1
