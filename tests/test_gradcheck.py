"""d2lutil.gradcheck 테스트: 수치 기울기(복사본·제자리 두 방식)를 닫힌 꼴·torch와 비교, 제자리 방식이 W를
정확히 되돌리는지, 상대 오차의 성질, 오류 경로, 퍼징."""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_activations import call_and_allow_only_value_or_type_error, junk

from d2lutil.gradcheck import numerical_gradient, numerical_gradient_inplace, relative_error

T = torch.float64
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float64, shapes, elements=st.floats(-2, 2)))
def test_numerical_gradient_matches_torch_autograd(x: np.ndarray) -> None:
    # f(x) = Σ sin(x)·x² + (Σx)³ : 원소끼리 섞이는 항이 있어 야코비안이 대각이 아니다.
    def f_torch(t: torch.Tensor) -> torch.Tensor:
        return (torch.sin(t) * t**2).sum() + t.sum() ** 3

    xt = torch.tensor(x, dtype=T, requires_grad=True)
    f_torch(xt).backward()
    assert xt.grad is not None
    numeric = numerical_gradient(lambda v: f_torch(torch.tensor(v, dtype=T)).item(), x)
    # 중앙 차분 오차: 절단 eps²·f'''/6 ≈ 1e-12·(최대 수백) + 반올림 1e-16·|f|/eps ≈ 1e-8 → rtol 1e-6, atol 1e-6.
    np.testing.assert_allclose(numeric, xt.grad.numpy(), rtol=1e-6, atol=1e-6)
    assert numeric.shape == x.shape


def test_quadratic_is_exact_up_to_rounding() -> None:
    # 이차식에는 중앙 차분의 절단 오차가 없다: ∇(xᵀAx) = (A + Aᵀ)x
    A = np.array([[2.0, 1.0], [0.0, 3.0]])
    x = np.array([0.5, -1.5])
    numeric = numerical_gradient(lambda v: float(v @ A @ v), x)
    np.testing.assert_allclose(numeric, (A + A.T) @ x, rtol=1e-8)


def test_does_not_mutate_x_and_accepts_lists_and_scalar_outputs() -> None:
    x = np.array([1.0, 2.0])
    seen: list[np.ndarray] = []

    def f(v: np.ndarray) -> np.ndarray:
        seen.append(v)
        return np.array([v.sum()])  # 원소 하나짜리 배열도 스칼라로 받아 준다

    numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    assert all(v is not x for v in seen) and len(seen) == 4
    np.testing.assert_allclose(numerical_gradient(lambda v: float(v[0] * 3), [1, 2]), [3.0, 0.0], atol=1e-8)


def test_eps_tradeoff_is_visible() -> None:
    # h가 너무 작으면 반올림 오차가 커진다 (책에서 보여 줄 현상)
    x = np.array([1.0])
    exact = np.cos(1.0)
    good = abs(numerical_gradient(lambda v: float(np.sin(v[0])), x, eps=1e-6)[0] - exact)
    tiny = abs(numerical_gradient(lambda v: float(np.sin(v[0])), x, eps=1e-14)[0] - exact)
    assert good < 1e-9 < tiny


@settings(max_examples=60, deadline=None)
@given(
    a=hnp.arrays(np.float64, (3,), elements=st.floats(-1e6, 1e6)),
    b=hnp.arrays(np.float64, (3,), elements=st.floats(-1e6, 1e6)),
    scale=st.floats(1e-3, 1e3),
)
def test_relative_error_properties(a: np.ndarray, b: np.ndarray, scale: float) -> None:
    e = relative_error(a, b)
    assert 0.0 <= e <= 1.0 + 1e-12  # 삼각부등식: ‖a − b‖ ≤ ‖a‖ + ‖b‖
    assert e == pytest.approx(relative_error(b, a))  # 대칭
    assert e == pytest.approx(relative_error(scale * a, scale * b), abs=1e-12)  # 크기에 무관
    assert relative_error(a, a) == 0.0


def test_relative_error_known_values() -> None:
    assert relative_error(0.0, 0.0) == 0.0  # 둘 다 0이어도 0으로 나누지 않는다
    assert relative_error([1.0, 0.0], [-1.0, 0.0]) == pytest.approx(1.0)  # 반대 방향
    # 손으로: ‖(1, 2) − (1, 2.002)‖ / (‖(1, 2)‖ + ‖(1, 2.002)‖)
    expected = 0.002 / (np.hypot(1, 2) + np.hypot(1, 2.002))
    assert relative_error([1.0, 2.0], [1.0, 2.002]) == pytest.approx(expected, rel=1e-9)
    assert relative_error([1e300, 1e300], [1e300, 1e300]) == 0.0  # 제곱이 넘치지 않는다
    assert relative_error([1e300], [-1e300]) == pytest.approx(1.0)


# --------------------------------------------------------------------------- 제자리 방식


def _f_torch(t: torch.Tensor) -> torch.Tensor:
    # 위와 같은 함수: 원소끼리 섞이는 항이 있어 야코비안이 대각이 아니다.
    return (torch.sin(t) * t**2).sum() + t.sum() ** 3


@settings(max_examples=40, deadline=None)
@given(
    W=hnp.arrays(np.float64, shapes, elements=st.floats(-2, 2)),
    fortran=st.booleans(),
)
def test_inplace_gradient_matches_torch_and_restores_w_exactly(W: np.ndarray, fortran: bool) -> None:
    """f는 인자 없이 W를 읽는다 (신경망 손실처럼). 결과는 torch autograd와 같고, W는 비트까지 그대로다."""
    if fortran:
        W = np.asfortranarray(W)  # W.T 같은 F 순서 배열도 된다
    original = W.copy()
    calls: list[np.ndarray] = []

    def loss() -> float:
        calls.append(W.copy())
        return _f_torch(torch.tensor(W, dtype=T)).item()

    wt = torch.tensor(original, dtype=T, requires_grad=True)
    _f_torch(wt).backward()
    assert wt.grad is not None
    numeric = numerical_gradient_inplace(loss, W)
    # 오차 예산은 위의 numerical_gradient와 같다 (같은 중앙 차분): rtol 1e-6, atol 1e-6.
    np.testing.assert_allclose(numeric, wt.grad.numpy(), rtol=1e-6, atol=1e-6)
    assert numeric.shape == W.shape and numeric.dtype == np.float64
    assert W.tobytes() == original.tobytes()  # 정확히 원래 값
    assert len(calls) == 2 * W.size
    # 부를 때마다 바뀐 원소는 정확히 하나
    assert all(np.count_nonzero(c != original) <= 1 for c in calls)
    # 복사본 방식과 (반올림 몇 번 안에서) 같은 값
    copy_way = numerical_gradient(lambda v: _f_torch(torch.tensor(v, dtype=T)).item(), original)
    np.testing.assert_allclose(numeric, copy_way, rtol=1e-6, atol=1e-8)


def test_inplace_restores_w_even_when_f_raises_midway() -> None:
    W = np.array([[0.1, -0.2], [0.3, 1e-300]])
    original = W.copy()
    n_calls = 0

    def loss() -> float:
        nonlocal n_calls
        n_calls += 1
        if n_calls == 6:  # 세 번째 원소를 −eps만큼 바꾼 채로 실패
            raise RuntimeError("손실 계산 실패")
        return float(np.sum(W**2))

    with pytest.raises(RuntimeError, match="손실 계산 실패"):
        numerical_gradient_inplace(loss, W)
    assert W.tobytes() == original.tobytes()
    with pytest.raises(ValueError, match="f의 값"), np.errstate(invalid="ignore"):
        numerical_gradient_inplace(lambda: float(np.log(W[0, 1])), W)  # log(음수) = nan
    assert W.tobytes() == original.tobytes()


def test_inplace_on_float32_uses_the_stored_step() -> None:
    """float32에서 1 + 1e-6은 1 + 9.5e-7로 저장된다. 실제 걸음으로 나누므로 기울기가 5% 비뚤어지지 않는다."""
    W = np.array([1.0, 3.0], dtype=np.float32)

    def loss() -> float:
        return float(np.sum(W.astype(np.float64) * np.array([2.0, -5.0])))  # 선형: 기울기 (2, −5)

    np.testing.assert_allclose(numerical_gradient_inplace(loss, W), [2.0, -5.0], rtol=1e-9)
    assert W.dtype == np.float32 and W.tolist() == [1.0, 3.0]
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient_inplace(loss, np.array([1e4], dtype=np.float16), eps=1e-6)


def test_inplace_gradient_of_a_network_parameter() -> None:
    """3.2절의 쓰임새: 손실 함수가 닫힌 W를 읽는다. ∇_W ½‖XW − Y‖² = Xᵀ(XW − Y)."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    W = rng.normal(size=(3, 2))

    def loss_value() -> float:
        return 0.5 * float(np.sum((X @ W - Y) ** 2))

    exact = X.T @ (X @ W - Y)
    assert relative_error(numerical_gradient_inplace(loss_value, W), exact) < 1e-8


def test_inplace_errors() -> None:
    W = np.zeros((2, 3))
    f = lambda: float(np.sum(W))  # noqa: E731
    with pytest.raises(TypeError, match="f"):
        numerical_gradient_inplace("loss", W)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="W"):
        numerical_gradient_inplace(f, [1.0, 2.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="W는 실수"):
        numerical_gradient_inplace(f, np.zeros(3, dtype=np.int64))
    with pytest.raises(TypeError, match="W는 실수"):
        numerical_gradient_inplace(f, np.zeros(3, dtype=bool))
    with pytest.raises(ValueError, match="W가 연속된 메모리가 아닌 뷰"):
        numerical_gradient_inplace(f, W[:, ::2])
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="W가 읽기 전용"):
        numerical_gradient_inplace(f, ro)
    with pytest.raises(ValueError, match="W가 비어"):
        numerical_gradient_inplace(f, np.zeros((0, 3)))
    with pytest.raises(ValueError, match="W에 NaN"):
        numerical_gradient_inplace(f, np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient_inplace(f, W, eps=-1.0)
    with pytest.raises(TypeError, match="f는 실수 하나"):
        numerical_gradient_inplace(lambda: W, W)
    assert not W.any()


# --------------------------------------------------------------------------- 오류 경로


def test_numerical_gradient_errors() -> None:
    with pytest.raises(TypeError, match="f"):
        numerical_gradient("sum", [1.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="x"):
        numerical_gradient(np.sum, None)
    with pytest.raises(ValueError, match="x"):
        numerical_gradient(np.sum, [np.nan])
    with pytest.raises(ValueError, match="x"):
        numerical_gradient(np.sum, [])
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(np.sum, [1.0], eps=0.0)
    with pytest.raises(TypeError, match="eps"):
        numerical_gradient(np.sum, [1.0], eps="1e-6")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="f는 실수 하나"):
        numerical_gradient(lambda v: v, [1.0, 2.0])  # 배열을 돌려주는 f
    with pytest.raises(TypeError, match="f는 실수 하나"):
        numerical_gradient(lambda v: "loss", [1.0])
    with pytest.raises(ValueError, match="f의 값"):
        numerical_gradient(lambda v: float("nan"), [1.0])


def test_relative_error_errors() -> None:
    with pytest.raises(ValueError, match="b의 모양"):
        relative_error([1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="a"):
        relative_error(None, [1.0])
    with pytest.raises(ValueError, match="b"):
        relative_error([1.0], [np.inf])


# --------------------------------------------------------------------------- 퍼징

FUZZ_EXAMPLES = 60


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(a=junk(), b=junk())
def test_fuzz_relative_error(a: Any, b: Any) -> None:
    call_and_allow_only_value_or_type_error(relative_error, a, b)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(x=junk(), eps=junk(), out=junk())
def test_fuzz_numerical_gradient(x: Any, eps: Any, out: Any) -> None:
    call_and_allow_only_value_or_type_error(lambda: numerical_gradient(lambda v: out, x, eps=eps))
    call_and_allow_only_value_or_type_error(lambda: numerical_gradient(np.sum, x))
    call_and_allow_only_value_or_type_error(lambda: numerical_gradient(out, [1.0]))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(W=junk(), eps=junk(), out=junk())
def test_fuzz_numerical_gradient_inplace(W: Any, eps: Any, out: Any) -> None:
    call_and_allow_only_value_or_type_error(lambda: numerical_gradient_inplace(lambda: out, W, eps=eps))
    call_and_allow_only_value_or_type_error(lambda: numerical_gradient_inplace(lambda: out, np.ones(2)))
    call_and_allow_only_value_or_type_error(lambda: numerical_gradient_inplace(out, np.ones(2)))
