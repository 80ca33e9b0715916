"""d2lutil.demos.mlp 검사: ReLU 특징 최소제곱 적합과 ReluFitDemo."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import d2lutil
from d2lutil.demos.mlp import TARGETS, ReluFitDemo, fit_relu_features, relu_features, relu_knots
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES


@pytest.fixture(scope="module")
def demo() -> ReluFitDemo:
    d2lutil.use_korean_font()
    return ReluFitDemo()


# --------------------------------------------------------------------------- 적합


def test_knots_even_and_left_end() -> None:
    t = relu_knots(4, -2.0, 2.0)
    np.testing.assert_allclose(t, [-2.0, -1.0, 0.0, 1.0])


def test_features_match_torch_relu() -> None:
    x = np.linspace(-3, 3, 31)
    t = relu_knots(5, -3.0, 3.0)
    expected = torch.relu(torch.tensor(x)[:, None] - torch.tensor(t)[None, :]).numpy()
    np.testing.assert_array_equal(relu_features(x, t), expected)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 25), seed=st.integers(0, 2**16))
def test_fit_matches_torch_lstsq(n: int, seed: int) -> None:
    """numpy lstsq 적합이 torch의 SVD 기반 최소제곱(독립 구현)과 같은 예측을 낸다."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, 80))
    y = np.sin(x) + 0.1 * rng.normal(size=80)
    fit = fit_relu_features(x, y, n)
    A = torch.tensor(np.column_stack([relu_features(x, fit.knots), np.ones_like(x)]))
    # SVD 기반(gelsd): 꺾이는 점 두 개가 같은 샘플 틈에 들어가면 A의 열이 겹쳐 계수가 모자라므로(rank < 열 수),
    # QR로 R을 푸는 방법은 최소제곱 해를 못 찾는다 (n=21, seed=343에서 MSE 0.00709 대 0.00662)
    coef = torch.linalg.lstsq(A, torch.tensor(y).unsqueeze(1), driver="gelsd").solution.numpy().ravel()
    np.testing.assert_allclose(fit.predict(x), A.numpy() @ coef, atol=1e-7)
    assert fit.mse == pytest.approx(float(np.mean((A.numpy() @ coef - y) ** 2)), rel=1e-6, abs=1e-12)


def test_one_unit_is_the_least_squares_line() -> None:
    """유닛 하나(꺾이는 점이 왼쪽 끝)는 구간 안에서 직선이므로 np.polyfit의 1차 적합과 같다."""
    x = np.linspace(-np.pi, np.pi, 101)
    y = np.sin(x)
    fit = fit_relu_features(x, y, 1)
    slope, intercept = np.polyfit(x, y, 1)
    np.testing.assert_allclose(fit.predict(x), slope * x + intercept, atol=1e-10)


def test_fit_is_piecewise_linear_with_kinks_only_at_knots() -> None:
    x = np.linspace(-3, 3, 601)
    fit = fit_relu_features(x, np.exp(-(x**2)), 6)
    yhat = fit.predict(x)
    second = np.abs(np.diff(yhat, 2))
    bent = x[1:-1][second > 1e-9]
    # 꺾임은 꺾이는 점 바로 옆(격자 간격 안)에서만 일어난다
    for xb in bent:
        assert np.min(np.abs(fit.knots - xb)) <= 0.011


def test_error_drops_with_more_units() -> None:
    x = np.linspace(-np.pi, np.pi, 201)
    mses = [fit_relu_features(x, np.sin(x), n).mse for n in (1, 3, 6, 12, 30)]
    assert all(b < a for a, b in zip(mses, mses[1:]))
    assert mses[-1] < 1e-3 * mses[0]


def test_errors_name_the_argument() -> None:
    with pytest.raises(ValueError, match="n"):
        relu_knots(0, 0.0, 1.0)
    with pytest.raises(TypeError, match="n"):
        relu_knots(2.5, 0.0, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lo, hi"):
        relu_knots(3, 1.0, 1.0)
    with pytest.raises(ValueError, match="x"):
        relu_features(np.zeros((2, 2)), [0.0])
    with pytest.raises(ValueError, match="knots"):
        relu_features([0.0, 1.0], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="y"):
        fit_relu_features([0.0, 1.0, 2.0], [0.0, 1.0], 2)
    with pytest.raises(ValueError, match="x"):
        fit_relu_features(np.zeros((3, 1)), np.zeros((3, 1)), 2)
    with pytest.raises(TypeError, match="x"):
        fit_relu_features("abc", [1.0], 1)


# --------------------------------------------------------------------------- 데모


def test_update_over_grid_and_extremes(demo: ReluFitDemo) -> None:
    combos = demo.grid() + [{"n": 60, "target": t} for t in TARGETS] + [{"n": 1, "target": "wave"}]
    for combo in combos:
        demo.update(**combo)
        x, yhat = demo.fit_line.get_data()
        _, f, (lo, hi) = TARGETS[combo["target"]]
        np.testing.assert_allclose(demo.target_line.get_data()[1], f(np.asarray(x)))
        # 그려진 근사선은 같은 데이터에 대한 독립적인 최소제곱(정규방정식) 해와 같다
        knots = relu_knots(combo["n"], lo, hi)
        A = np.column_stack([relu_features(x, knots), np.ones(len(x))])
        coef = np.linalg.solve(A.T @ A, A.T @ f(np.asarray(x)))
        np.testing.assert_allclose(yhat, A @ coef, atol=1e-6)
        assert len(demo.knot_marks.get_data()[0]) == combo["n"]
        assert str(combo["n"]) in demo.ax.get_title()
        if combo["n"] == 1:
            assert demo.message and "직선" in demo.message
        else:
            assert demo.message is None


def test_axis_limits_fixed_per_target_and_hold_every_fit(demo: ReluFitDemo) -> None:
    # n을 바꿔도 축 범위가 그대로여야 살아 있는 그림이 눈금을 다시 그리지 않는다 (바뀐 선만 다시 그린다)
    assert demo._param("n").max == demo.n_max
    for target in TARGETS:
        limits = set()
        for n in (1, 2, 7, 30, 60):
            demo.update(n=n, target=target)
            lo, hi = demo.ax.get_ylim()
            limits.add((lo, hi))
            ys = np.concatenate([demo.fit_line.get_data()[1], demo.target_line.get_data()[1]])
            assert lo < ys.min() and ys.max() < hi  # 어떤 근사도 잘리지 않는다
        assert len(limits) == 1


def test_bad_params_rejected(demo: ReluFitDemo) -> None:
    with pytest.raises(ValueError, match="n"):
        demo.update(n=0)
    with pytest.raises(TypeError, match="n"):
        demo.update(n=2.5)
    with pytest.raises(ValueError, match="target"):
        demo.update(target="cos")
    demo.update(**demo.defaults())


def test_kernel_free_html_size_and_determinism(demo: ReluFitDemo) -> None:
    html1 = demo.kernel_free_html()
    assert len(html1.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert html1 == ReluFitDemo().kernel_free_html()
    assert len(demo.grid()) <= 40


def test_update_is_fast(demo: ReluFitDemo) -> None:
    times = []
    for combo in demo.grid() * 3:
        t0 = time.perf_counter()
        demo.update(**combo)
        times.append(time.perf_counter() - t0)
    assert float(np.median(times)) < 0.1
