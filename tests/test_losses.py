"""d2lutil.losses 테스트: 값과 기울기를 torch(float64)·유한 차분과 비교, 경계값, 오류 경로, 퍼징."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from test_activations import call_and_allow_only_value_or_type_error, junk

from d2lutil import losses as L
from d2lutil.gradcheck import numerical_gradient

T = torch.float64
# float64에서 같은 수학을 다른 식으로 계산한 차이는 반올림 몇 번(상대 ~1e-15)이다 → rtol 1e-9로 여유 있게.
RTOL, ATOL = 1e-9, 1e-12

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)


def _torch_loss_and_grad(
    loss_fn: Callable[..., torch.Tensor], pred: np.ndarray, *rest: Any
) -> tuple[float, np.ndarray]:
    pt = torch.tensor(pred, dtype=T, requires_grad=True)
    out = loss_fn(pt, *rest)
    out.backward()
    assert pt.grad is not None
    return out.item(), pt.grad.numpy()


@st.composite
def pred_and_target(
    draw: st.DrawFn, low: float, high: float, t_low: float, t_high: float
) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(shapes)
    p = draw(hnp.arrays(np.float64, shape, elements=st.floats(low, high)))
    t = draw(hnp.arrays(np.float64, shape, elements=st.floats(t_low, t_high)))
    return p, t


@settings(max_examples=50, deadline=None)
@given(pt=pred_and_target(-100, 100, -100, 100))
def test_mse_matches_torch(pt: tuple[np.ndarray, np.ndarray]) -> None:
    p, t = pt
    ref, ref_grad = _torch_loss_and_grad(F.mse_loss, p, torch.tensor(t, dtype=T))
    assert L.mse(p, t) == pytest.approx(ref, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(L.mse_grad(p, t), ref_grad, rtol=RTOL, atol=ATOL)


# BCE: 잘라내기(eps)가 끼어들지 않도록 p를 [0.001, 0.999]에서 뽑는다. 그 안에서 torch의 BCE와 같은 식이다.
@settings(max_examples=50, deadline=None)
@given(pt=pred_and_target(0.001, 0.999, 0.0, 1.0))
def test_binary_cross_entropy_matches_torch(pt: tuple[np.ndarray, np.ndarray]) -> None:
    p, t = pt
    ref, ref_grad = _torch_loss_and_grad(F.binary_cross_entropy, p, torch.tensor(t, dtype=T))
    assert L.binary_cross_entropy(p, t) == pytest.approx(ref, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(L.binary_cross_entropy_grad(p, t), ref_grad, rtol=1e-7, atol=ATOL)


@settings(max_examples=50, deadline=None)
@given(pt=pred_and_target(-50, 50, 0.0, 1.0))
def test_bce_with_logits_matches_torch(pt: tuple[np.ndarray, np.ndarray]) -> None:
    z, t = pt
    ref, ref_grad = _torch_loss_and_grad(F.binary_cross_entropy_with_logits, z, torch.tensor(t, dtype=T))
    assert L.bce_with_logits(z, t) == pytest.approx(ref, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(L.bce_with_logits_grad(z, t), ref_grad, rtol=RTOL, atol=ATOL)


@st.composite
def logits_and_labels(draw: st.DrawFn, scale: float = 50.0) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 6))
    c = draw(st.integers(1, 5))
    z = draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-scale, scale)))
    y = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return z, y


@settings(max_examples=60, deadline=None)
@given(zy=logits_and_labels())
def test_cross_entropy_with_logits_matches_torch(zy: tuple[np.ndarray, np.ndarray]) -> None:
    z, y = zy
    ref, ref_grad = _torch_loss_and_grad(F.cross_entropy, z, torch.tensor(y))
    assert L.cross_entropy_with_logits(z, y) == pytest.approx(ref, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(L.cross_entropy_with_logits_grad(z, y), ref_grad, rtol=RTOL, atol=ATOL)


# 유한 차분: 절단 오차 O(eps²) + 반올림 ≈ 1e-16·|L|/eps → rtol 1e-5, atol 1e-7이면 충분하다.
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_all_gradients_match_finite_differences(data: st.DataObject) -> None:
    p, t = data.draw(pred_and_target(-3, 3, -3, 3))
    np.testing.assert_allclose(
        L.mse_grad(p, t), numerical_gradient(lambda v: L.mse(v, t), p), rtol=1e-5, atol=1e-7
    )
    q, y = data.draw(pred_and_target(0.05, 0.95, 0.0, 1.0))
    np.testing.assert_allclose(
        L.binary_cross_entropy_grad(q, y),
        numerical_gradient(lambda v: L.binary_cross_entropy(v, y), q),
        rtol=1e-5,
        atol=1e-7,
    )
    z, y = data.draw(pred_and_target(-5, 5, 0.0, 1.0))
    np.testing.assert_allclose(
        L.bce_with_logits_grad(z, y),
        numerical_gradient(lambda v: L.bce_with_logits(v, y), z),
        rtol=1e-5,
        atol=1e-7,
    )
    z, labels = data.draw(logits_and_labels(scale=5.0))
    np.testing.assert_allclose(
        L.cross_entropy_with_logits_grad(z, labels),
        numerical_gradient(lambda v: L.cross_entropy_with_logits(v, labels), z),
        rtol=1e-5,
        atol=1e-7,
    )


# --------------------------------------------------------------------------- 경계값과 책의 숫자


def test_mse_worked_example_from_the_book() -> None:
    # 공부 시간 예제: y = 13x + 1의 MSE는 62.5 (오차 −2, 10, −11, −5의 제곱 평균을 손으로 계산)
    x = np.array([2.0, 3.0, 4.0, 5.0])
    y = np.array([25.0, 50.0, 42.0, 61.0])
    by_hand = sum(e * e for e in (-2.0, 10.0, -11.0, -5.0)) / 4
    assert L.mse(13 * x + 1, y) == by_hand == 62.5


def test_bce_is_finite_at_probabilities_zero_and_one() -> None:
    p = np.array([0.0, 1.0, 0.0, 1.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])  # 앞 둘은 완벽히 맞고, 뒤 둘은 완전히 틀린 확신
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        loss = L.binary_cross_entropy(p, y)
        grad = L.binary_cross_entropy_grad(p, y)
    # 잘린 확률 eps = 1e-12: 틀린 두 항은 −log(1e-12)씩, 맞은 두 항은 −log(1 − 1e-12) ≈ 1e-12씩
    expected = (2 * -math.log(1e-12) + 2 * -math.log1p(-1e-12)) / 4
    assert loss == pytest.approx(expected, rel=1e-9)
    assert np.all(np.isfinite(grad))
    assert L.binary_cross_entropy([1.0], [1.0]) < 1e-11


def test_cross_entropy_is_finite_when_the_true_class_has_probability_zero_or_one() -> None:
    z = np.array([[1000.0, 0.0], [1000.0, 0.0]])
    labels = np.array([1, 0])  # 첫 예: 정답 확률이 e^{-1000} → 0으로 반올림, 둘째 예: 정답 확률 1
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        loss = L.cross_entropy_with_logits(z, labels)
        grad = L.cross_entropy_with_logits_grad(z, labels)
    ref = F.cross_entropy(torch.tensor(z, dtype=T), torch.tensor(labels)).item()
    assert loss == pytest.approx(ref) == pytest.approx(500.0)
    np.testing.assert_allclose(grad, [[0.5, -0.5], [0.0, 0.0]], atol=1e-15)  # (softmax − onehot)/n, 손으로


def test_bce_with_logits_is_stable_at_1000() -> None:
    z = np.array([1000.0, -1000.0])
    y = np.array([0.0, 1.0])
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        assert L.bce_with_logits(z, y) == pytest.approx(1000.0)
        np.testing.assert_allclose(L.bce_with_logits_grad(z, y), [0.5, -0.5])


def test_losses_do_not_mutate_inputs() -> None:
    z = np.array([[2.0, -1.0, 0.5]])
    labels = np.array([2])
    p = np.array([0.0, 0.3, 1.0])
    y = np.array([0.0, 1.0, 1.0])
    copies = [a.copy() for a in (z, labels, p, y)]
    L.cross_entropy_with_logits_grad(z, labels)
    L.binary_cross_entropy_grad(p, y)
    L.bce_with_logits_grad(p, y)
    L.mse_grad(p, y)
    for a, c in zip((z, labels, p, y), copies):
        np.testing.assert_array_equal(a, c)


# --------------------------------------------------------------------------- 오류 경로

TWO_ARG = [
    L.mse,
    L.mse_grad,
    L.binary_cross_entropy,
    L.binary_cross_entropy_grad,
    L.bce_with_logits,
    L.bce_with_logits_grad,
]
FIRST_NAME = {
    L.mse: "y_pred",
    L.mse_grad: "y_pred",
    L.binary_cross_entropy: "p",
    L.binary_cross_entropy_grad: "p",
    L.bce_with_logits: "z",
    L.bce_with_logits_grad: "z",
}
BAD: list[tuple[Any, type[Exception]]] = [
    (None, TypeError),
    ("0.5", TypeError),
    (np.array([0.5, None], dtype=object), TypeError),
    ([[0.5], [0.5, 0.5]], TypeError),
    (np.array([np.nan, 0.5]), ValueError),
    (np.array([np.inf, 0.5]), ValueError),
    (np.array([]), ValueError),
]


@pytest.mark.parametrize("fn", TWO_ARG, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("bad", "exc"), BAD, ids=range(len(BAD)))
def test_bad_first_and_second_argument(fn: Callable[..., Any], bad: Any, exc: type[Exception]) -> None:
    good = np.array([0.5, 0.5])
    with pytest.raises(exc, match=FIRST_NAME[fn]):
        fn(bad, good)
    with pytest.raises(exc, match="y"):
        fn(good, bad)


@pytest.mark.parametrize("fn", TWO_ARG, ids=lambda f: f.__name__)
def test_shape_mismatch_is_an_error_not_a_silent_broadcast(fn: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="y의 모양"):
        fn(np.full((4, 1), 0.5), np.full(4, 0.5))  # 브로드캐스트하면 (4, 4)가 되어 조용히 틀린다


@pytest.mark.parametrize("fn", [L.binary_cross_entropy, L.binary_cross_entropy_grad])
def test_bce_probabilities_outside_0_1(fn: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="p"):
        fn([1.2, 0.5], [1.0, 0.0])
    with pytest.raises(ValueError, match="y"):
        fn([0.2, 0.5], [-1.0, 0.0])
    with pytest.raises(ValueError, match="eps"):
        fn([0.2], [1.0], eps=0.0)


@pytest.mark.parametrize("fn", [L.bce_with_logits, L.bce_with_logits_grad])
def test_bce_with_logits_targets_outside_0_1(fn: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="y"):
        fn([3.0], [2.0])


@pytest.mark.parametrize("fn", [L.cross_entropy_with_logits, L.cross_entropy_with_logits_grad])
def test_cross_entropy_bad_arguments(fn: Callable[..., Any]) -> None:
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="labels"):
        fn(z, [0, 3])  # 클래스 범위 밖
    with pytest.raises(ValueError, match="labels"):
        fn(z, [-1, 0])
    with pytest.raises(ValueError, match="labels"):
        fn(z, [0, 1, 2])  # 개수가 다르다
    with pytest.raises(ValueError, match="labels"):
        fn(z, [0.5, 1])  # 정수가 아니다
    with pytest.raises(TypeError, match="labels"):
        fn(z, ["a", "b"])
    with pytest.raises(ValueError, match="logits"):
        fn(np.zeros(3), [0])  # 1차원 로짓
    with pytest.raises(TypeError, match="logits"):
        fn(None, [0])
    with pytest.raises(ValueError, match="logits"):
        fn(np.array([[np.nan, 0.0]]), [0])


# --------------------------------------------------------------------------- 퍼징

FUZZ_EXAMPLES = 40
PUBLIC = [*TWO_ARG, L.cross_entropy_with_logits, L.cross_entropy_with_logits_grad]


@pytest.mark.parametrize("fn", PUBLIC, ids=lambda f: f.__name__)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(a=junk(), b=junk())
def test_fuzz(fn: Callable[..., Any], a: Any, b: Any) -> None:
    call_and_allow_only_value_or_type_error(fn, a, b)
