"""d2lutil.layers.Dropout 테스트: torch.nn.Dropout과 같은 약속인지 확인한다.

* 평가 모드는 항등 함수 (torch의 eval()과 똑같은 값), 학습 모드의 출력은 0 또는 x/(1 − p)
* 기댓값이 입력과 같고(역 드롭아웃), 버리는 비율이 p — torch의 비율과 같은 이항분포 범위 안
* 역전파는 순전파의 마스크를 그대로 다시 쓴다: torch autograd로 X ⊙ M을 미분한 값, 유한 차분과 비교
* 같은 씨앗이면 같은 마스크, forward마다 새 마스크, 입력 불변, 오류 경로
"""

from __future__ import annotations

import math

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from d2lutil import layers as Ly
from d2lutil.gradcheck import numerical_gradient, relative_error

probs = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8])
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)


@given(p=probs, X=hnp.arrays(np.float64, shapes, elements=st.floats(-5, 5)))
@settings(max_examples=60, deadline=None)
def test_eval_is_identity_like_torch(p: float, X: np.ndarray) -> None:
    layer = Ly.Dropout(p, seed=0).eval()
    out = layer.forward(X)
    ref = torch.nn.Dropout(p).eval()(torch.tensor(X)).numpy()
    np.testing.assert_array_equal(out, ref)
    np.testing.assert_array_equal(layer.backward(np.ones_like(X)), np.ones_like(X))
    assert out is not X  # 입력을 그대로 내주지 않는다: 호출자가 출력을 고쳐도 입력은 안전하다


@given(p=probs, X=hnp.arrays(np.float64, shapes, elements=st.floats(0.5, 5)), seed=st.integers(0, 10**6))
@settings(max_examples=60, deadline=None)
def test_train_output_is_zero_or_scaled(p: float, X: np.ndarray, seed: int) -> None:
    before = X.copy()
    out = Ly.Dropout(p, seed=seed).forward(X)
    kept = out != 0
    np.testing.assert_allclose(out[kept], X[kept] / (1 - p), rtol=1e-15)
    np.testing.assert_array_equal(X, before)  # 입력 불변


@given(
    p=st.sampled_from([0.1, 0.5, 0.8]),
    X=hnp.arrays(np.float64, shapes, elements=st.floats(-5, 5)),
    dY=st.floats(-3, 3),
    seed=st.integers(0, 10**6),
)
@settings(max_examples=60, deadline=None)
def test_backward_reuses_forward_mask_like_torch_autograd(
    p: float, X: np.ndarray, dY: float, seed: int
) -> None:
    layer = Ly.Dropout(p, seed=seed)
    layer.forward(X)
    assert layer.mask is not None
    G = np.full(X.shape, dY) + np.arange(X.size).reshape(X.shape)  # 원소마다 다른 위쪽 기울기
    # torch.nn.Dropout이 하는 일 그대로: 출력 = X ⊙ M, M은 0 또는 1/(1 − p). 같은 M으로 autograd
    Xt = torch.tensor(X, requires_grad=True)
    (Xt * torch.tensor(layer.mask)).backward(torch.tensor(G))
    assert Xt.grad is not None
    np.testing.assert_array_equal(layer.backward(G), Xt.grad.numpy())
    # 마스크는 0 또는 1/(1 − p)뿐이다
    assert set(np.unique(layer.mask)) <= {0.0, 1 / (1 - p)}


def test_backward_matches_finite_differences_with_fixed_mask() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(4, 5))
    G = rng.normal(size=(4, 5))
    layer = Ly.Dropout(0.5, seed=3)
    layer.forward(X)
    mask = layer.mask
    assert mask is not None

    def f(Z: np.ndarray) -> float:
        layer._rng = np.random.default_rng(3)  # 같은 마스크가 다시 나오게 한다
        return float(np.sum(layer.forward(Z) * G))

    num = numerical_gradient(f, X)
    layer._rng = np.random.default_rng(3)
    layer.forward(X)
    np.testing.assert_array_equal(layer.mask, mask)
    assert relative_error(layer.backward(G), num) < 1e-8


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_expected_value_and_drop_rate_match_torch(p: float) -> None:
    n = 200_000
    X = np.full(n, 3.0)
    out = Ly.Dropout(p, seed=0).forward(X)
    torch.manual_seed(0)
    out_t = torch.nn.Dropout(p).train()(torch.tensor(X)).numpy()
    # 버린 개수 ~ 이항분포(n, p): 표준편차 √(n p (1 − p)). 6σ 안이어야 한다 (우연히 틀릴 확률 ≈ 2e-9)
    sigma = math.sqrt(n * p * (1 - p))
    for o in (out, out_t):
        assert abs(int(np.sum(o == 0)) - n * p) < 6 * sigma
        # 평균의 표준오차: 한 원소의 표준편차 3·√(p/(1 − p))를 √n으로 나눈 값
        se = 3 * math.sqrt(p / (1 - p)) / math.sqrt(n)
        assert abs(float(o.mean()) - 3.0) < 6 * se
    # torch도 우리도 살아남은 원소의 값은 3/(1 − p)
    assert np.allclose(out[out != 0], 3 / (1 - p))
    assert np.allclose(out_t[out_t != 0], 3 / (1 - p))


def test_seeded_and_fresh_mask_each_forward() -> None:
    X = np.ones((50, 20))
    a = Ly.Dropout(0.5, seed=7).forward(X)
    b = Ly.Dropout(0.5, seed=7).forward(X)
    np.testing.assert_array_equal(a, b)
    layer = Ly.Dropout(0.5, seed=7)
    first, second = layer.forward(X), layer.forward(X)
    assert not np.array_equal(first, second)
    gen = np.random.default_rng(7)
    np.testing.assert_array_equal(Ly.Dropout(0.5, seed=gen).forward(X), a)


def test_p_zero_is_identity_in_train_mode() -> None:
    X = np.arange(6.0).reshape(2, 3)
    layer = Ly.Dropout(0.0)
    np.testing.assert_array_equal(layer.forward(X), X)
    np.testing.assert_array_equal(layer.backward(X), X)
    assert layer.mask is None


def test_sequential_train_eval_propagates() -> None:
    net = Ly.Sequential([Ly.Affine(np.eye(3), np.zeros(3)), Ly.Dropout(0.5, seed=0), Ly.ReLU()])
    X = np.ones((100, 3))
    assert net.training and all(layer.training for layer in net.layers)
    assert np.any(net.forward(X) == 0)
    assert net.eval() is net
    assert not net.training and not any(layer.training for layer in net.layers)
    np.testing.assert_array_equal(net.forward(X), X)
    net.train()
    assert all(layer.training for layer in net.layers)
    assert "Dropout(p=0.5)" in repr(net)


def test_errors_name_the_argument() -> None:
    with pytest.raises(ValueError, match="p"):
        Ly.Dropout(1.0)
    with pytest.raises(ValueError, match="p"):
        Ly.Dropout(-0.1)
    with pytest.raises(TypeError, match="p"):
        Ly.Dropout("0.5")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed"):
        Ly.Dropout(0.5, seed=-1)
    with pytest.raises(RuntimeError, match="forward"):
        Ly.Dropout(0.5).backward(np.ones(3))
    layer = Ly.Dropout(0.5)
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="dY"):
        layer.backward(np.ones((3, 2)))
    with pytest.raises(TypeError, match="mode"):
        layer.train("yes")  # type: ignore[arg-type]
