"""d2lutil.activations 테스트: torch autograd(float64)·유한 차분과 비교, 수치 안정성, 오류 경로, 퍼징.

이 파일의 ``junk()`` 전략은 다른 d2lutil 테스트 파일들도 가져다 쓴다.
"""

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

from d2lutil import activations as A
from d2lutil.gradcheck import numerical_gradient

# --------------------------------------------------------------------------- 공용 전략


def junk() -> st.SearchStrategy[Any]:
    """공개 함수에 넣을 잡동사니: None, 문자열, 딕셔너리, 들쭉날쭉한 중첩 리스트, 거대·NaN 실수,
    차원이 틀린 배열, 문자열·객체 배열, 빈 배열, 그리고 멀쩡한 수와 배열도 조금."""
    any_float = st.floats(allow_nan=True, allow_infinity=True)
    ragged = st.recursive(
        st.floats(-5, 5) | st.integers(-3, 3) | st.none() | st.text(max_size=2),
        lambda inner: st.lists(inner, max_size=3),
        max_leaves=8,
    )
    return st.one_of(
        st.none(),
        st.booleans(),
        st.text(max_size=4),
        st.binary(max_size=3),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
        any_float,
        st.integers(min_value=-(10**40), max_value=10**40),
        st.complex_numbers(max_magnitude=10, allow_nan=False),
        ragged,
        hnp.arrays(
            np.float64, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3), elements=any_float
        ),
        hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)),
        st.just(np.array(["a", "b"])),
        st.just(np.array([1.0, None], dtype=object)),
        st.just(np.zeros((0, 3))),
        st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
    )


def call_and_allow_only_value_or_type_error(fn: Callable[..., Any], *args: Any) -> None:
    """fn(*args)가 성공하거나 ValueError/TypeError만 내는지 본다 (다른 예외는 그대로 테스트 실패)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(*args)
        except (ValueError, TypeError) as exc:
            assert str(exc), "오류 메시지가 비어 있습니다"


# --------------------------------------------------------------------------- 참값 (torch)

T = torch.float64


def _t(x: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(x, dtype=T, requires_grad=grad)


# 이름 → (torch 함수, 추가 인자). ELU·leaky는 기본이 아닌 α로도 본다.
TORCH_REF: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
    "elu": lambda x: F.elu(x, 1.0),
    "gelu": lambda x: F.gelu(x),  # approximate="none": erf를 쓰는 정확한 식
    # torch의 softplus는 x > threshold에서 x를 그대로 돌려준다. 값 범위(±30)보다 크게 잡아 정확한 식을 쓴다.
    "softplus": lambda x: F.softplus(x, beta=1.0, threshold=50.0),
}

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5)
moderate = st.floats(-30.0, 30.0, allow_nan=False, allow_infinity=False)


def arrays(elements: st.SearchStrategy[float] = moderate) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shapes, elements=elements)


# 값: float64에서 두 구현(같은 수학, 다른 식)의 차이는 반올림 몇 번(상대 ~1e-15)이다. rtol=1e-9는 여유 있게
# 잡은 것이고, atol=1e-12는 torch가 σ(1 − σ), 1 − tanh²처럼 포화 영역에서 자릿수 상쇄가 나는 식을 쓰기
# 때문이다 (우리 식은 그 상쇄를 피한다: 차이는 절대 1e-16 수준).
RTOL, ATOL = 1e-9, 1e-12


@pytest.mark.parametrize("name", sorted(TORCH_REF))
@settings(max_examples=40, deadline=None)
@given(x=arrays())
def test_values_and_derivatives_match_torch(name: str, x: np.ndarray) -> None:
    f, df = A.ACTIVATIONS[name]
    xt = _t(x, grad=True)
    yt = TORCH_REF[name](xt)
    yt.backward(torch.ones_like(yt))
    assert xt.grad is not None
    np.testing.assert_allclose(f(x), yt.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(df(x), xt.grad.numpy(), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("alpha", [0.0, 0.2, 1.7])
@settings(max_examples=20, deadline=None)
@given(x=arrays())
def test_parametrised_relu_family_matches_torch(alpha: float, x: np.ndarray) -> None:
    cases = [
        (A.leaky_relu, A.leaky_relu_grad, lambda t: F.leaky_relu(t, alpha)),
        (A.elu, A.elu_grad, lambda t: F.elu(t, alpha)),
        (A.prelu, A.prelu_grad, lambda t: F.prelu(t, torch.tensor([alpha], dtype=T))),
    ]
    for f, df, ref in cases:
        xt = _t(x, grad=True)
        yt = ref(xt)
        yt.backward(torch.ones_like(yt))
        assert xt.grad is not None
        np.testing.assert_allclose(f(x, alpha), yt.detach().numpy(), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(df(x, alpha), xt.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_prelu_negative_side_is_alpha_times_x_and_alpha_may_be_an_array() -> None:
    # 흔한 오해(−αx)를 막는 예: α = 0.25, x = −2 → −0.5
    assert A.prelu(np.array([-2.0]), 0.25)[0] == pytest.approx(-0.5)
    x = np.array([[-2.0, 3.0], [-1.0, -4.0]])
    alpha = np.array([0.1, 0.5])  # 열마다 다른 α (브로드캐스트)
    expected = torch.where(_t(x) > 0, _t(x), _t(alpha) * _t(x)).numpy()
    np.testing.assert_allclose(A.prelu(x, alpha), expected)
    np.testing.assert_allclose(A.prelu_grad(x, alpha), [[0.1, 1.0], [0.1, 0.5]])


away_from_kinks = st.floats(-20.0, 20.0).filter(lambda v: abs(v) > 1e-3)


@pytest.mark.parametrize("name", sorted(A.ACTIVATIONS))
@settings(max_examples=15, deadline=None)
@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), elements=away_from_kinks)
)
def test_derivatives_match_finite_differences(name: str, x: np.ndarray) -> None:
    # 원소별 함수이므로 Σ f(x)의 기울기가 곧 f'(x)다. 꺾인 점(0)에서 eps 이상 떨어진 값만 쓴다.
    # 중앙 차분 오차: 절단 O(eps²·f''') ≈ 1e-12, 반올림 ≈ 1e-16·|Σf|/eps ≈ 1e-8 → atol 1e-6, rtol 1e-5.
    f, df = A.ACTIVATIONS[name]
    numeric = numerical_gradient(lambda v: float(np.sum(f(v))), x)
    np.testing.assert_allclose(df(x), numeric, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- 약속과 알려진 사실


def test_kink_conventions_match_torch_at_zero() -> None:
    zero = np.array([0.0])
    for f, df in [(torch.relu, A.relu_grad), (lambda t: F.leaky_relu(t, 0.01), A.leaky_relu_grad)]:
        xt = _t(zero, grad=True)
        f(xt).sum().backward()
        assert xt.grad is not None
        assert df(zero)[0] == xt.grad.item()
    assert A.relu_grad(zero)[0] == 0.0  # ReLU'(0) = 0 (torch도 0)
    assert A.elu_grad(zero, 0.5)[0] == 0.5


def test_step_is_heaviside_with_zero_at_zero_and_has_no_gradient() -> None:
    x = np.array([-3.0, -1e-9, 0.0, 1e-9, 2.0])
    expected = torch.heaviside(_t(x), torch.tensor(0.0, dtype=T)).numpy()
    np.testing.assert_array_equal(A.step(x), expected)
    np.testing.assert_array_equal(A.step_grad(x), np.zeros(5))


@settings(max_examples=40, deadline=None)
@given(x=arrays())
def test_textbook_identities(x: np.ndarray) -> None:
    # tanh(x) + 1 = 2σ(2x),  σ' ≤ 1/4,  tanh' ≤ 1
    np.testing.assert_allclose(A.tanh(x) + 1.0, 2.0 * A.sigmoid(2.0 * x), rtol=1e-12, atol=1e-15)
    assert np.all(A.sigmoid_grad(x) <= 0.25) and np.all(A.tanh_grad(x) <= 1.0)


def test_derivative_maxima_at_zero() -> None:
    assert A.sigmoid_grad(0.0) == 0.25
    assert A.tanh_grad(0.0) == 1.0


# --------------------------------------------------------------------------- 수치 안정성


def _strict() -> Any:
    """경고를 오류로, numpy의 넘침·0 나누기·무효 연산을 예외로 바꾼다 (아래 언더플로는 무해하므로 허용)."""
    return np.errstate(over="raise", divide="raise", invalid="raise")


@settings(max_examples=30, deadline=None)
@given(x=arrays(st.floats(-1e3, 1e3)))
def test_no_overflow_for_inputs_up_to_1e3(x: np.ndarray) -> None:
    with warnings.catch_warnings(), _strict():
        warnings.simplefilter("error")
        for name, (f, df) in A.ACTIVATIONS.items():
            assert np.all(np.isfinite(f(x))), name
            assert np.all(np.isfinite(df(x))), name
        for g in (A.prelu, A.prelu_grad):
            assert np.all(np.isfinite(g(x, 0.25)))
        assert np.all(np.isfinite(A.softmax(x)))
        assert np.all(np.isfinite(A.log_softmax(x)))
        assert np.all(np.isfinite(A.softmax_vjp(x, np.ones_like(x))))


def test_sigmoid_at_plus_minus_1000_is_finite_and_exact() -> None:
    with warnings.catch_warnings(), _strict():
        warnings.simplefilter("error")
        s = A.sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(s, [0.0, 1.0])  # 참값은 e^{-1000} ≈ 0, 1 − e^{-1000} ≈ 1 (float64 반올림)


def test_softmax_overflow_example_from_the_book() -> None:
    x = np.array([1010.0, 1000.0, 990.0])
    with np.errstate(all="ignore"):
        naive = np.exp(x) / np.exp(x).sum()
    assert np.all(np.isnan(naive))  # 책의 요점: 그냥 계산하면 nan
    with warnings.catch_warnings(), _strict():
        warnings.simplefilter("error")
        ours = A.softmax(x)
    # 독립 계산 1: torch(float64). 독립 계산 2: 파이썬 math로 log-sum-exp를 손으로.
    ref_torch = torch.softmax(_t(x), dim=0).numpy()
    m = max(x)
    lse = m + math.log(math.fsum(math.exp(v - m) for v in x))
    ref_manual = np.array([math.exp(v - lse) for v in x])
    np.testing.assert_allclose(ours, ref_torch, rtol=1e-12)
    np.testing.assert_allclose(ours, ref_manual, rtol=1e-12)
    np.testing.assert_allclose(ours, [0.9999546, 4.54e-05, 2.06e-09], rtol=5e-3)  # 책의 값(유효숫자 3자리)
    assert ours.sum() == pytest.approx(1.0)


# --------------------------------------------------------------------------- softmax (임의의 축)


@st.composite
def array_and_axis(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    x = draw(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=moderate))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return x, axis


@settings(max_examples=60, deadline=None)
@given(xa=array_and_axis(), data=st.data())
def test_softmax_log_softmax_and_vjp_match_torch_on_any_axis(
    xa: tuple[np.ndarray, int], data: st.DataObject
) -> None:
    x, axis = xa
    dy = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-3, 3)))
    xt = _t(x, grad=True)
    yt = torch.softmax(xt, dim=axis)
    yt.backward(_t(dy))
    assert xt.grad is not None
    np.testing.assert_allclose(A.softmax(x, axis=axis), yt.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        A.log_softmax(x, axis), torch.log_softmax(_t(x), dim=axis).numpy(), rtol=RTOL, atol=ATOL
    )
    np.testing.assert_allclose(A.softmax_vjp(x, dy, axis=axis), xt.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_softmax_of_a_scalar_is_one() -> None:
    assert A.softmax(3.0) == 1.0
    assert A.log_softmax(3.0) == 0.0
    assert A.softmax_vjp(3.0, 1.0) == 0.0


def test_functions_do_not_mutate_input() -> None:
    x = np.array([[-2.0, 0.0, 3.0]])
    before = x.copy()
    for f, df in A.ACTIVATIONS.values():
        f(x)
        df(x)
    A.softmax(x)
    A.softmax_vjp(x, x)
    np.testing.assert_array_equal(x, before)


def test_accepts_lists_ints_and_torch_tensors() -> None:
    np.testing.assert_allclose(A.relu([-1, 2]), [0.0, 2.0])
    np.testing.assert_allclose(A.sigmoid(torch.tensor([0.0])), [0.5])


# --------------------------------------------------------------------------- 오류 경로

ELEMENTWISE = [*(f for f, _ in A.ACTIVATIONS.values()), *(df for _, df in A.ACTIVATIONS.values())]
BAD_X: list[tuple[Any, type[Exception]]] = [
    (None, TypeError),
    ("abc", TypeError),
    (np.array([1.0, None], dtype=object), TypeError),
    (np.array(["1", "2"]), TypeError),
    ([[1.0, 2.0], [3.0]], TypeError),  # 들쭉날쭉한 리스트
    (np.array([1.0, np.nan]), ValueError),
    (np.array([np.inf]), ValueError),
    (np.array([]), ValueError),
]


@pytest.mark.parametrize("fn", ELEMENTWISE + [A.softmax, A.log_softmax], ids=lambda f: f.__name__)
@pytest.mark.parametrize(("bad", "exc"), BAD_X, ids=range(len(BAD_X)))
def test_bad_x_is_rejected_with_a_message_naming_x(
    fn: Callable[..., Any], bad: Any, exc: type[Exception]
) -> None:
    with pytest.raises(exc, match="x"):
        fn(bad)


@pytest.mark.parametrize("fn", [A.prelu, A.prelu_grad])
def test_prelu_bad_arguments(fn: Callable[..., Any]) -> None:
    with pytest.raises(TypeError, match="x"):
        fn(None, 0.25)
    with pytest.raises(TypeError, match="alpha"):
        fn([1.0], "a")
    with pytest.raises(ValueError, match="alpha"):
        fn([1.0], np.nan)
    with pytest.raises(ValueError, match="alpha"):
        fn(np.ones((2, 3)), np.ones(2))  # 브로드캐스트 불가


@pytest.mark.parametrize("fn", [A.leaky_relu, A.leaky_relu_grad, A.elu, A.elu_grad])
def test_alpha_must_be_a_nonnegative_real(fn: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="alpha"):
        fn([1.0], -0.1)
    with pytest.raises(TypeError, match="alpha"):
        fn([1.0], "0.1")
    with pytest.raises(ValueError, match="alpha"):
        fn([1.0], float("inf"))


@pytest.mark.parametrize("fn", [A.softmax, A.log_softmax])
def test_softmax_axis_is_checked(fn: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="axis"):
        fn(np.ones((2, 3)), 2)
    with pytest.raises(TypeError, match="axis"):
        fn(np.ones((2, 3)), 1.0)


def test_softmax_vjp_checks_dy() -> None:
    with pytest.raises(ValueError, match="dy"):
        A.softmax_vjp(np.ones(3), np.ones(4))
    with pytest.raises(TypeError, match="dy"):
        A.softmax_vjp(np.ones(3), None)


def test_activations_mapping_is_read_only() -> None:
    with pytest.raises(TypeError):
        A.ACTIVATIONS["new"] = (A.relu, A.relu_grad)  # type: ignore[index]


# --------------------------------------------------------------------------- 퍼징

FUZZ_EXAMPLES = 40
PUBLIC_1 = ELEMENTWISE + [A.softmax, A.log_softmax]
PUBLIC_2 = [
    A.leaky_relu,
    A.leaky_relu_grad,
    A.elu,
    A.elu_grad,
    A.prelu,
    A.prelu_grad,
    A.softmax,
    A.log_softmax,
]


@pytest.mark.parametrize("fn", PUBLIC_1, ids=lambda f: f.__name__)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(x=junk())
def test_fuzz_one_argument(fn: Callable[..., Any], x: Any) -> None:
    call_and_allow_only_value_or_type_error(fn, x)


@pytest.mark.parametrize("fn", PUBLIC_2 + [A.softmax_vjp], ids=lambda f: f.__name__)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(x=junk(), y=junk())
def test_fuzz_two_arguments(fn: Callable[..., Any], x: Any, y: Any) -> None:
    call_and_allow_only_value_or_type_error(fn, x, y)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(x=junk(), dy=junk(), axis=junk())
def test_fuzz_softmax_vjp_three_arguments(x: Any, dy: Any, axis: Any) -> None:
    call_and_allow_only_value_or_type_error(A.softmax_vjp, x, dy, axis)


@pytest.mark.parametrize("x", [1.21547626e-15, 2.47334998e-11, -3e-9, 0.0])
def test_derivative_maxima_hold_exactly_near_zero(x: float) -> None:
    """퍼징이 찾은 경우: 0 근처에서 반올림 때문에 σ'이 0.25를, tanh'이 1을 1비트 넘던 것."""
    assert A.sigmoid_grad(x) <= 0.25 and A.tanh_grad(x) <= 1.0
