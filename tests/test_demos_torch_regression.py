"""d2lutil.demos.torch_regression: numpy 복제 학습(sgd_replica)과 비용 곡선 데모."""

from __future__ import annotations

import io
import itertools
import time
import warnings

import numpy as np
import pytest
import torch
from PIL import Image

import d2lutil
from d2lutil.demos.torch_regression import TorchRegressionDemo, sgd_replica
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES, Demo

X = [[1.0], [2.0], [3.0]]  # 장의 데이터를 직접 적는다 (d2lutil.data와 독립)
Y = [[2.0], [4.0], [6.0]]


def torch_run(lr: float, epochs: int) -> dict[str, np.ndarray]:
    """장에 나오는 그대로의 파이토치 학습 (float32)."""
    x, y = torch.tensor(X), torch.tensor(Y)
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    Ws, bs, costs = [], [], []
    for epoch in range(epochs + 1):
        cost = torch.mean((x * W + b - y) ** 2)
        Ws.append(W.item())
        bs.append(b.item())
        costs.append(cost.item())
        if epoch == epochs:
            break
        opt.zero_grad()
        cost.backward()
        opt.step()
    return {"W": np.array(Ws), "b": np.array(bs), "cost": np.array(costs)}


@pytest.fixture(scope="module")
def demo() -> TorchRegressionDemo:
    d2lutil.use_korean_font()
    return TorchRegressionDemo()


@pytest.mark.parametrize("lr", [0.001, 0.01, 0.15])
def test_replica_matches_torch_sgd(lr: float) -> None:
    ref = torch_run(lr, 400)
    got = sgd_replica(X, Y, lr, 400)
    for key in ("W", "b"):
        np.testing.assert_allclose(got[key], ref[key], rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(got["cost"], ref["cost"], rtol=1e-3, atol=1e-6)
    assert got["W"].dtype == np.float32


def test_replica_first_cost_and_2000_epochs() -> None:
    got = sgd_replica(X, Y, 0.01, 2000)
    assert got["cost"][0] == pytest.approx((4 + 16 + 36) / 3, rel=1e-6)  # W = b = 0이면 mean(y²)
    ref = torch_run(0.01, 2000)
    assert got["W"][-1] == pytest.approx(ref["W"][-1], rel=1e-5)
    assert got["b"][-1] == pytest.approx(ref["b"][-1], rel=1e-3, abs=1e-6)


def test_replica_vectorised_equals_separate_runs() -> None:
    lrs = np.array([0.001, 0.05, 0.2])
    many = sgd_replica(X, Y, lrs, 300)
    assert many["W"].shape == (301, 3)
    for i, lr in enumerate(lrs):
        one = sgd_replica(X, Y, float(lr), 300)
        np.testing.assert_array_equal(many["W"][:, i], one["W"])


def test_replica_diverges_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = sgd_replica(X, Y, 0.2, 2000)
    assert got["cost"][10] > got["cost"][0]
    assert not np.isfinite(got["cost"][-1])


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: sgd_replica(X, Y[:2], 0.01, 10), ValueError, "y"),
        (lambda: sgd_replica(X, Y, 0.0, 10), ValueError, "lr"),
        (lambda: sgd_replica(X, Y, [0.1, -0.1], 10), ValueError, "lr"),
        (lambda: sgd_replica(X, Y, "fast", 10), TypeError, "lr"),
        (lambda: sgd_replica(X, Y, 0.01, -1), ValueError, "epochs"),
        (lambda: sgd_replica(X, Y, 0.01, 1.5), TypeError, "epochs"),
        (lambda: sgd_replica(None, Y, 0.01, 10), TypeError, "x"),
    ],
)
def test_errors_name_the_argument(call, exc, name) -> None:
    with pytest.raises(exc, match=name):
        call()


def test_draw_over_grid(demo: TorchRegressionDemo) -> None:
    for combo in demo.grid():
        demo.update(**combo)
        lr, epochs = combo["lr"], combo["epochs"]
        ref = sgd_replica(X, Y, lr, epochs)
        xs, ys = (np.asarray(v, dtype=float) for v in demo.cost_line.get_data())
        assert len(xs) == epochs + 1
        finite = np.isfinite(ref["cost"])
        np.testing.assert_allclose(ys[finite], ref["cost"][finite], rtol=1e-6)
        # 학습률 0.2만 한계(2/λ_max ≈ 0.18)를 넘으므로 그때만 경고가 나온다
        assert (demo.message is not None) == (lr == 0.2)
        if np.isfinite(ref["W"][-1]):
            fx, fy = (np.asarray(v, dtype=float) for v in demo.fit_line.get_data())
            np.testing.assert_allclose(fy, ref["W"][-1] * fx + ref["b"][-1], rtol=1e-5, atol=1e-5)


def test_lr_limit_is_two_over_largest_eigenvalue(demo: TorchRegressionDemo) -> None:
    # H = (2/3)[[14, 6], [6, 3]]의 최대 고윳값을 torch로 따로 계산한다
    H = 2.0 / 3.0 * torch.tensor([[14.0, 6.0], [6.0, 3.0]], dtype=torch.float64)
    assert demo.lr_limit == pytest.approx(2.0 / torch.linalg.eigvalsh(H)[-1].item(), rel=1e-12)


def test_extremes_and_divergence_message(demo: TorchRegressionDemo) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lr, epochs in itertools.product(demo.lrs, (0, 1, 2000)):
            demo.update(lr=lr, epochs=epochs)
            demo.render_png()
    demo.update(lr=0.2, epochs=2000)
    assert demo.message is not None and "발산" in demo.message
    assert len(demo.fit_line.get_data()[0]) == 0
    demo.update(lr=0.01, epochs=2000)
    assert demo.message is None
    assert "W = 1.997" in demo.title.get_text()


def test_invalid_update_values(demo: TorchRegressionDemo) -> None:
    with pytest.raises(ValueError, match="lr"):
        demo.update(lr=0.3)
    with pytest.raises(ValueError, match="epochs"):
        demo.update(epochs=2001)


def test_blit_render_matches_full_render(demo: TorchRegressionDemo) -> None:
    demo.update(lr=0.15, epochs=100)
    fast = np.asarray(Image.open(io.BytesIO(demo.render_png())).convert("RGB"), dtype=float)
    full = np.asarray(Image.open(io.BytesIO(Demo.render_png(demo))).convert("RGB"), dtype=float)
    assert fast.shape == full.shape
    assert np.mean(np.abs(fast - full)) < 2.0


def test_kernel_free_html_size(demo: TorchRegressionDemo) -> None:
    html_a = demo.kernel_free_html()
    assert len(html_a.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert html_a == demo.kernel_free_html()


def test_update_is_fast(demo: TorchRegressionDemo) -> None:
    times = []
    for c in itertools.islice(itertools.cycle(demo.grid()), 60):
        t = time.perf_counter()
        demo.update(**c)
        times.append(time.perf_counter() - t)
    assert float(np.median(times)) < 0.1
