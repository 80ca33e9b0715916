"""3.3 기울기 소실 데모: 격자 전체, 극단값, 크기 예산, 오류 메시지."""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest

import d2lutil
from d2lutil.demos.vanishing import VanishingDemo, build_deep_mlp, layer_gradient_norms
from d2lutil.gradcheck import numerical_gradient
from d2lutil.layers import SoftmaxCrossEntropy
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES


@pytest.fixture(scope="module")
def demo() -> VanishingDemo:
    d2lutil.use_korean_font()
    return VanishingDemo()


def test_grid_and_messages(demo: VanishingDemo) -> None:
    for params in demo.grid():
        demo.update(**params)
        x, y = demo.line.get_data()
        assert len(x) == params["depth"] + 1
        ratio = float(demo.ratio_text.get_text().split("=")[1])
        assert (demo.message is not None) == (ratio < 1e-3 or ratio > 1e3)
    demo.update(depth=20, activation="sigmoid", scheme="xavier")
    assert demo.message is not None and "기울기 소실" in demo.message
    demo.update(depth=20, activation="relu", scheme="he")
    assert demo.message is None


def test_extremes_do_not_break(demo: VanishingDemo) -> None:
    for depth in (1, 30):
        for activation in ("sigmoid", "tanh", "relu"):
            for scheme in ("normal", "xavier", "he"):
                demo.update(depth=depth, activation=activation, scheme=scheme)
                lo, hi = demo.ax.get_ylim()
                assert 0 < lo < hi and np.isfinite(hi)


def test_kernel_free_budget_and_speed(demo: VanishingDemo) -> None:
    html = demo.kernel_free_html()
    assert len(html.encode()) <= KERNEL_FREE_BUDGET_BYTES
    times = []
    grid = demo.grid()
    for i in range(30):
        t0 = time.perf_counter()
        demo.update(**grid[i % len(grid)])
        times.append(time.perf_counter() - t0)
    assert statistics.median(times) < 0.1  # 목표는 30 ms; 바쁜 CI에서도 흔들리지 않도록 느슨하게


def test_layer_gradient_norms_match_finite_differences() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(8, 64))
    y = rng.integers(0, 10, size=8)
    model = build_deep_mlp(2, width=4, activation="tanh", scheme="xavier", seed=3)
    norms = layer_gradient_norms(model, X, y)
    first = model.layers[0]
    W0 = first.W.copy()

    def loss_of(W: np.ndarray) -> float:
        first.W[...] = W
        return SoftmaxCrossEntropy().forward(model.forward(X), y)

    fd = numerical_gradient(loss_of, W0.copy())
    first.W[...] = W0
    assert norms.shape == (3,)
    np.testing.assert_allclose(norms[0], np.linalg.norm(fd), rtol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"depth": 0, "activation": "relu", "scheme": "he"}, ValueError, "depth"),
        ({"depth": "3", "activation": "relu", "scheme": "he"}, TypeError, "depth"),
        ({"depth": 3, "activation": "gelu", "scheme": "he"}, ValueError, "activation"),
        ({"depth": 3, "activation": "relu", "scheme": "lecun"}, ValueError, "scheme"),
        ({"depth": 3, "width": 0, "activation": "relu", "scheme": "he"}, ValueError, "width"),
    ],
)
def test_build_rejects_bad_input(kwargs: dict, exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        build_deep_mlp(**kwargs)


def test_norms_reject_bad_input() -> None:
    model = build_deep_mlp(1, activation="relu", scheme="he")
    with pytest.raises(TypeError, match="X"):
        layer_gradient_norms(model, "x", [0])
    with pytest.raises(ValueError, match="y"):
        layer_gradient_norms(model, np.zeros((1, 64)), [0.5])
