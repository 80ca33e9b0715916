"""d2lutil.demos.linear_regression: 경사 하강법 경로 데모와 그 계산 함수들."""

from __future__ import annotations

import io
import itertools
import time
import warnings

import numpy as np
import pytest
from PIL import Image

import d2lutil
from d2lutil.demos.linear_regression import (
    GradientDescentDemo,
    gradient_descent,
    least_squares_line,
    max_stable_lr,
    mse_cost,
)
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES, Demo

# 장의 데이터를 직접 적는다 (d2lutil.data와 독립)
X = np.array([2.0, 3.0, 4.0, 5.0])
Y = np.array([25.0, 50.0, 42.0, 61.0])


def closed_form_iterates(lr: float, steps: int) -> np.ndarray:
    """이차 비용의 경사 하강법은 θ_k − θ* = (I − lr·H)^k (θ_0 − θ*)이다. 그 식으로 (W, b)를 계산한다."""
    A = np.column_stack([X, np.ones_like(X)])
    H = 2.0 / len(X) * A.T @ A
    theta_star = np.polyfit(X, Y, 1)
    M = np.eye(2) - lr * H
    return np.array([theta_star + np.linalg.matrix_power(M, k) @ (-theta_star) for k in range(steps + 1)])


@pytest.fixture(scope="module")
def demo() -> GradientDescentDemo:
    d2lutil.use_korean_font()
    return GradientDescentDemo()


# --------------------------------------------------------------------------- 계산 함수


@pytest.mark.parametrize("lr", [0.001, 0.03, 0.065])
def test_gradient_descent_matches_matrix_power_formula(lr: float) -> None:
    Ws, bs, costs = gradient_descent(X, Y, lr, 60)
    expected = closed_form_iterates(lr, 60)
    np.testing.assert_allclose(Ws, expected[:, 0], rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(bs, expected[:, 1], rtol=1e-10, atol=1e-9)
    manual = [np.mean((Y - (w * X + b)) ** 2) for w, b in zip(Ws, bs)]
    np.testing.assert_allclose(costs, manual, rtol=1e-12)


def test_gradient_descent_reaches_polyfit() -> None:
    Ws, bs, costs = gradient_descent(X, Y, 0.05, 3000)
    W_ref, b_ref = np.polyfit(X, Y, 1)
    assert Ws[-1] == pytest.approx(W_ref, abs=1e-8)
    assert bs[-1] == pytest.approx(b_ref, abs=1e-8)
    assert np.all(np.diff(costs) <= 1e-12)  # 좋은 학습률에서 비용은 줄기만 한다


def test_gradient_descent_diverges_quietly_and_fills_nan() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Ws, bs, costs = gradient_descent(X, Y, 0.2, 2000)
    assert len(costs) == 2001
    assert costs[5] > costs[0]
    first_bad = int(np.argmax(~np.isfinite(costs)))
    assert first_bad > 0
    assert np.all(np.isnan(Ws[first_bad + 1 :]))


def test_start_point_and_zero_steps() -> None:
    Ws, bs, costs = gradient_descent(X, Y, 0.01, 0, w0=13.0, b0=1.0)
    assert Ws.tolist() == [13.0] and bs.tolist() == [1.0]
    assert costs[0] == pytest.approx(np.mean((Y - 13 * X - 1) ** 2))


def test_least_squares_line_matches_polyfit_and_lstsq() -> None:
    W, b = least_squares_line(X, Y)
    np.testing.assert_allclose([W, b], np.polyfit(X, Y, 1), rtol=1e-12)
    sol = np.linalg.lstsq(np.column_stack([X, np.ones(4)]), Y, rcond=None)[0]
    np.testing.assert_allclose([W, b], sol, rtol=1e-12)


def test_max_stable_lr_is_the_divergence_threshold() -> None:
    # H = (2/n)AᵀA = [[27, 7], [7, 2]]의 최대 고윳값은 (29 + √821)/2 (손으로 푼 2×2 고윳값)
    lam = (29.0 + np.sqrt(821.0)) / 2.0
    limit = max_stable_lr(X)
    assert limit == pytest.approx(2.0 / lam, rel=1e-12)
    below = gradient_descent(X, Y, 0.99 * limit, 3000)[2]
    above = gradient_descent(X, Y, 1.01 * limit, 3000)[2]
    assert below[-1] < below[0]
    assert not np.isfinite(above[-1]) or above[-1] > above[0]


def test_mse_cost_on_grid_matches_loop() -> None:
    W = np.array([[0.0, 13.0], [10.0, -1.0]])
    b = np.array([[0.0, 1.0], [9.5, 3.0]])
    got = mse_cost(X, Y, W, b)
    for i, j in itertools.product(range(2), range(2)):
        assert got[i, j] == pytest.approx(np.mean((Y - W[i, j] * X - b[i, j]) ** 2))


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: gradient_descent(X.reshape(2, 2), Y, 0.1, 3), ValueError, "x"),
        (lambda: gradient_descent(X, Y[:3], 0.1, 3), ValueError, "y"),
        (lambda: gradient_descent(X, Y, 0.0, 3), ValueError, "lr"),
        (lambda: gradient_descent(X, Y, "0.1", 3), TypeError, "lr"),
        (lambda: gradient_descent(X, Y, 0.1, -1), ValueError, "steps"),
        (lambda: gradient_descent(X, Y, 0.1, 2.5), TypeError, "steps"),
        (lambda: gradient_descent(X, Y, 0.1, 3, w0=float("nan")), ValueError, "w0"),
        (lambda: gradient_descent(None, Y, 0.1, 3), TypeError, "x"),
        (lambda: least_squares_line([1.0, 1.0], [2.0, 3.0]), ValueError, "x"),
        (lambda: max_stable_lr([[1.0, 2.0]]), ValueError, "x"),
        (lambda: mse_cost(X, [1.0, 2.0], 1.0, 0.0), ValueError, "y"),
    ],
)
def test_errors_name_the_argument(call, exc, name) -> None:
    with pytest.raises(exc, match=name):
        call()


# --------------------------------------------------------------------------- 데모


def test_draw_over_grid_shows_trajectory(demo: GradientDescentDemo) -> None:
    limit = max_stable_lr(X)
    for combo in demo.grid():
        demo.update(**combo)
        lr, steps = combo["lr"], combo["steps"]
        Ws, bs, costs = gradient_descent(X, Y, lr, steps)
        path_w, path_b = (np.asarray(v, dtype=float) for v in demo.path_line.get_data())
        assert len(path_w) == steps + 1
        # 그림 범위(양쪽으로 폭만큼 여유) 밖으로 처음 나간 점까지만 그린다
        span_w = demo.w_range[1] - demo.w_range[0]
        span_b = demo.b_range[1] - demo.b_range[0]
        with np.errstate(invalid="ignore"):
            out = ~(
                (np.abs(Ws - np.mean(demo.w_range)) <= 1.5 * span_w)
                & (np.abs(bs - np.mean(demo.b_range)) <= 1.5 * span_b)
            )
        last = int(np.argmax(out)) if out.any() else steps
        ok = np.zeros(steps + 1, dtype=bool)
        ok[: last + 1] = True
        ok &= np.abs(Ws) < 1e6
        np.testing.assert_allclose(path_w[ok], Ws[ok])
        np.testing.assert_allclose(path_b[ok], bs[ok])
        assert np.all(np.isnan(path_w[last + 1 :]))
        xs, ys = (np.asarray(v, dtype=float) for v in demo.fit_line.get_data())
        if abs(Ws[-1]) < 1e6:
            np.testing.assert_allclose(ys, Ws[-1] * xs + bs[-1])
        # 경고는 학습률이 한계를 넘을 때만, 그리고 그때는 언제나 나온다
        assert (demo.message is not None) == (lr > limit)


def test_divergent_title_fits(demo: GradientDescentDemo) -> None:
    demo.update(lr=0.072, steps=100)
    title = demo.title.get_text()
    assert "e+" in title and len(title) < 50  # 큰 값은 유효숫자 세 자리로 줄인다


def test_divergence_message_is_korean_and_specific(demo: GradientDescentDemo) -> None:
    demo.update(lr=0.08, steps=1000)
    assert demo.message is not None and "발산" in demo.message
    assert f"{max_stable_lr(X):.4f}" in demo.message
    assert len(demo.fit_line.get_data()[0]) == 0  # 넘친 직선은 그리지 않는다
    demo.update(lr=0.07, steps=2)
    assert demo.message is not None
    demo.update(lr=0.05, steps=1000)
    assert demo.message is None
    assert "W = 10.00, b = 9.50" in demo.title.get_text()


@pytest.mark.parametrize(("lr", "steps"), [(0.001, 0), (0.001, 1000), (0.08, 0), (0.08, 1000), (0.069, 1000)])
def test_extreme_slider_values(demo: GradientDescentDemo, lr: float, steps: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        demo.update(lr=lr, steps=steps)
        png = demo.render_png()
    assert png.startswith(b"\x89PNG")


def test_invalid_update_values(demo: GradientDescentDemo) -> None:
    with pytest.raises(ValueError, match="lr"):
        demo.update(lr=0.5)
    with pytest.raises(ValueError, match="steps"):
        demo.update(steps=5000)
    with pytest.raises(TypeError, match="steps"):
        demo.update(steps=1.5)


def test_blit_render_matches_full_render(demo: GradientDescentDemo) -> None:
    demo.update(lr=0.065, steps=10)
    fast = np.asarray(Image.open(io.BytesIO(demo.render_png())).convert("RGB"), dtype=float)
    full = np.asarray(Image.open(io.BytesIO(Demo.render_png(demo))).convert("RGB"), dtype=float)
    assert fast.shape == full.shape
    assert np.mean(np.abs(fast - full)) < 2.0  # 거의 같은 그림 (안티에일리어싱 차이만)


def test_kernel_free_html_size_and_determinism(demo: GradientDescentDemo) -> None:
    html_a = demo.kernel_free_html()
    assert len(html_a.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert html_a == demo.kernel_free_html()
    assert "발산" in html_a


def test_update_is_fast(demo: GradientDescentDemo) -> None:
    combos = demo.grid()
    for c in combos:  # 캐시를 채운다 (노트북에서는 kernel_free_html이 이미 채운다)
        demo.update(**c)
    times = []
    for c in itertools.islice(itertools.cycle(combos), 60):
        t = time.perf_counter()
        demo.update(**c)
        times.append(time.perf_counter() - t)
    assert float(np.median(times)) < 0.1


def test_other_dpi_falls_back_to_full_render(demo: GradientDescentDemo) -> None:
    png = demo.render_png(dpi=40)
    with Image.open(io.BytesIO(png)) as im:
        assert im.size == (
            round(GradientDescentDemo.figsize[0] * 40),
            round(GradientDescentDemo.figsize[1] * 40),
        )


def test_all_demos_lists_only_real_demos() -> None:
    from d2lutil.demos import all_demos
    from d2lutil.demos.torch_regression import TorchRegressionDemo

    found = all_demos()
    assert GradientDescentDemo in found and TorchRegressionDemo in found
    assert all(issubclass(cls, Demo) for cls in found)


def test_warm_fills_every_slider_value_and_view_starts_it() -> None:
    import threading
    import time as _time

    demo = GradientDescentDemo()
    p = demo._param("lr")
    expected = round((p.max - p.min) / p.step) + 1
    demo.view()  # 위젯을 띄우면 뒤에서 모든 학습률의 경로를 미리 계산한다
    deadline = _time.time() + 60
    while len(demo._cache) < expected and _time.time() < deadline:
        _time.sleep(0.05)
    assert len(demo._cache) == expected
    for t in [t for t in threading.enumerate() if t.name == "GradientDescentDemo.warm"]:
        t.join(timeout=10)
        assert not t.is_alive()
    # 슬라이더가 보내는 부동소수 오차가 있는 값도 같은 칸을 쓴다
    Ws, _, _ = demo.trajectory(0.051000000000000004)
    np.testing.assert_array_equal(Ws, gradient_descent(X, Y, 0.051, 1000)[0])
