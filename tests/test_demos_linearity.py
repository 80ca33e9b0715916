"""d2lutil.demos.linearity: 격자 변환 데모와 그 도우미 함수들."""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest
import torch

import d2lutil
from d2lutil.demos.linearity import (
    LinearityDemo,
    apply_layers,
    bent_lines,
    default_layers,
    grid_lines,
)
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES


@pytest.fixture(scope="module")
def demo() -> LinearityDemo:
    d2lutil.use_korean_font()
    return LinearityDemo()


def test_grid_lines_cover_square() -> None:
    lines = grid_lines(n_lines=5, n_points=11, extent=2.0)
    assert len(lines) == 10
    pts = np.concatenate(lines)
    np.testing.assert_allclose(pts.min(axis=0), [-2.0, -2.0])
    np.testing.assert_allclose(pts.max(axis=0), [2.0, 2.0])
    # 짝수 번째는 가로선(둘째 좌표가 일정), 홀수 번째는 세로선
    assert np.ptp(lines[0][:, 1]) == 0.0 and np.ptp(lines[1][:, 0]) == 0.0


def test_default_layers_are_deterministic_and_fold() -> None:
    a, b = default_layers(), default_layers()
    assert len(a) == 4
    for (wa, ba), (wb, bb) in zip(a, b):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)
        assert wa.shape == (2, 2) and ba.shape == (2,)
    # ReLU가 층마다 실제로 일부 점을 접는다 (전부도, 하나도 아니게)
    h = np.concatenate(grid_lines())
    for w, bias in a:
        z = h @ w + bias
        frac = float((z < 0).mean())
        assert 0.05 < frac < 0.95
        h = np.maximum(z, 0.0)


def test_apply_layers_matches_torch() -> None:
    """독립 계산: torch float64의 nn.Linear(전치 가중치)와 ReLU로 같은 점들을 통과시킨다."""
    layers = default_layers()
    pts = np.concatenate(grid_lines(n_lines=4, n_points=9))
    for activation in ("linear", "relu"):
        h = torch.tensor(pts, dtype=torch.float64)
        for w, b in layers:
            lin = torch.nn.Linear(2, 2, dtype=torch.float64)
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(w.T))
                lin.bias.copy_(torch.tensor(b))
                h = lin(h)
                if activation == "relu":
                    h = torch.relu(h)
        np.testing.assert_allclose(
            apply_layers(pts, layers, activation=activation), h.numpy(), rtol=1e-12, atol=1e-12
        )


def test_apply_layers_linear_equals_single_affine_map() -> None:
    layers = default_layers()
    pts = np.random.default_rng(0).normal(size=(50, 2))
    w_all, b_all = np.eye(2), np.zeros(2)
    for w, b in layers:
        w_all, b_all = w_all @ w, b_all @ w + b
    np.testing.assert_allclose(
        apply_layers(pts, layers, activation="linear"), pts @ w_all + b_all, atol=1e-12
    )


def test_apply_layers_n_zero_is_identity_and_does_not_mutate() -> None:
    pts = np.array([[1.0, -2.0], [0.5, 0.25]])
    before = pts.copy()
    out = apply_layers(pts, default_layers(), activation="relu", n=0)
    np.testing.assert_array_equal(out, pts)
    apply_layers(pts, default_layers(), activation="relu")
    np.testing.assert_array_equal(pts, before)


def test_bent_lines_counts() -> None:
    t = np.linspace(0.0, 1.0, 11)
    straight = np.column_stack([t, 2 * t + 1])
    kinked = np.column_stack([t, np.abs(t - 0.5)])
    point = np.zeros((5, 2))
    assert bent_lines([straight, kinked, point]) == 1


@pytest.mark.parametrize(
    ("call", "exc", "word"),
    [
        (lambda: apply_layers([[1.0, 2.0, 3.0]], default_layers(), activation="relu"), ValueError, "points"),
        (lambda: apply_layers([[1.0, 2.0]], default_layers(), activation="tanh"), ValueError, "activation"),
        (lambda: apply_layers([[1.0, 2.0]], default_layers(), activation="relu", n=9), ValueError, "n"),
        (lambda: apply_layers("ab", default_layers(), activation="relu"), TypeError, "points"),
        (lambda: grid_lines(n_lines=1), ValueError, "n_lines"),
        (lambda: grid_lines(extent=-1.0), ValueError, "extent"),
        (lambda: default_layers(0), ValueError, "n_layers"),
        (lambda: default_layers(seed=-1), ValueError, "seed"),
        (lambda: default_layers(fold=1.5), ValueError, "fold"),
        (lambda: bent_lines([np.zeros((3, 3))]), ValueError, "lines[0]"),
        (lambda: bent_lines([np.zeros((3, 2))], tol=0.0), ValueError, "tol"),
    ],
)
def test_errors_name_the_argument(call, exc, word) -> None:
    with pytest.raises(exc, match=word.replace("[", r"\[").replace("]", r"\]")):
        call()


def test_linear_grid_stays_straight_relu_bends(demo: LinearityDemo) -> None:
    for layers in range(5):
        demo.update(activation="linear", layers=layers)
        assert demo.bent == 0
        assert demo.message is None
    demo.update(activation="relu", layers=0)
    assert demo.bent == 0
    for layers in range(1, 5):
        demo.update(activation="relu", layers=layers)
        assert demo.bent > 0


def test_artists_show_transformed_points(demo: LinearityDemo) -> None:
    demo.update(activation="relu", layers=3)
    for art, line in zip(demo.artists, demo.lines_in):
        x, y = art.get_data()
        expected = apply_layers(line, demo.layers, activation="relu", n=3)
        np.testing.assert_allclose(np.column_stack([x, y]), expected)
        assert np.all(expected >= 0.0)  # ReLU 뒤에는 음수 좌표가 없다
    lo, hi = demo.ax.get_xlim()
    allx = np.concatenate([a.get_data()[0] for a in demo.artists])
    assert lo <= allx.min() and allx.max() <= hi


def test_bad_params_raise(demo: LinearityDemo) -> None:
    with pytest.raises(ValueError, match="layers"):
        demo.update(layers=5)
    with pytest.raises(ValueError, match="activation"):
        demo.update(activation="sigmoid")


def test_kernel_free_html_size_and_frames(demo: LinearityDemo) -> None:
    html = demo.kernel_free_html()
    assert len(html.encode("utf-8")) <= KERNEL_FREE_BUDGET_BYTES
    assert html.count("iVBOR") == 1 + len(demo.grid())  # 처음 프레임 + JSON 안의 모든 프레임
    assert len(demo.grid()) == 10


def test_update_is_fast(demo: LinearityDemo) -> None:
    combos = demo.grid()
    times = []
    for _ in range(3):
        for combo in combos:
            t0 = time.perf_counter()
            demo.update(**combo)
            times.append(time.perf_counter() - t0)
    assert statistics.median(times) < 0.1  # 목표는 30 ms. 부하가 걸린 기계에서도 흔들리지 않게 느슨히


def test_render_has_no_missing_glyphs(demo, caplog: pytest.LogCaptureFixture) -> None:
    """한글과 수식을 한 문자열에 섞으면 수식 글꼴에 한글이 없어 네모로 그려진다. 그런 경고가 없어야 한다."""
    import logging

    with caplog.at_level(logging.WARNING):
        for combo in (demo.grid()[0], demo.grid()[-1]):
            demo.update(**combo)
            demo.render_png()
    assert not [r for r in caplog.records if "glyph" in r.getMessage()]
