"""d2lutil.autograd 테스트: 무작위 계산 그래프를 torch autograd(float64)와 비교, 긴 사슬, 누적, 두 번 역전파,
유한하지 않은 기울기, 오류 경로, 옮긴 이름의 경고, 퍼징. 신경망(scalar_nn)은 tests/test_scalar_nn.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_activations import call_and_allow_only_value_or_type_error, junk

from d2lutil.autograd import Value

T = torch.float64


def _tt(v: float) -> torch.Tensor:
    return torch.tensor(v, dtype=T, requires_grad=True)


# --------------------------------------------------------------------------- 무작위 그래프 vs torch

# (이름, 정의역 검사(a, b, c), Value 연산, torch 연산). a, b는 이미 있는 노드, c는 상수.
# 정의역·크기 검사로 log 0, 0 나누기, 넘침을 피한다 (그런 입력의 오류 처리는 아래에서 따로 시험한다).
Op = tuple[str, Callable[[float, float, float], bool], Callable[..., Any], Callable[..., Any]]
OPS: list[Op] = [
    ("a+b", lambda a, b, c: True, lambda a, b, c: a + b, lambda a, b, c: a + b),
    ("a-b", lambda a, b, c: True, lambda a, b, c: a - b, lambda a, b, c: a - b),
    ("a*b", lambda a, b, c: True, lambda a, b, c: a * b, lambda a, b, c: a * b),
    ("a/b", lambda a, b, c: abs(b) > 0.05, lambda a, b, c: a / b, lambda a, b, c: a / b),
    ("c+a", lambda a, b, c: True, lambda a, b, c: c + a, lambda a, b, c: c + a),
    ("c-a", lambda a, b, c: True, lambda a, b, c: c - a, lambda a, b, c: c - a),
    ("c*a", lambda a, b, c: True, lambda a, b, c: c * a, lambda a, b, c: c * a),
    ("c/a", lambda a, b, c: abs(a) > 0.05, lambda a, b, c: c / a, lambda a, b, c: c / a),
    ("a+c", lambda a, b, c: True, lambda a, b, c: a + c, lambda a, b, c: a + c),
    ("a-c", lambda a, b, c: True, lambda a, b, c: a - c, lambda a, b, c: a - c),
    ("a*c", lambda a, b, c: True, lambda a, b, c: a * c, lambda a, b, c: a * c),
    ("a/c", lambda a, b, c: abs(c) > 0.05, lambda a, b, c: a / c, lambda a, b, c: a / c),
    ("-a", lambda a, b, c: True, lambda a, b, c: -a, lambda a, b, c: -a),
    ("a**2", lambda a, b, c: True, lambda a, b, c: a**2, lambda a, b, c: a**2),
    ("a**3", lambda a, b, c: True, lambda a, b, c: a**3, lambda a, b, c: a**3),
    ("a**-1", lambda a, b, c: abs(a) > 0.05, lambda a, b, c: a**-1, lambda a, b, c: a**-1),
    ("a**0.5", lambda a, b, c: a > 0.05, lambda a, b, c: a**0.5, lambda a, b, c: a**0.5),
    ("a**-1.5", lambda a, b, c: a > 0.05, lambda a, b, c: a**-1.5, lambda a, b, c: a**-1.5),
    ("a**0", lambda a, b, c: True, lambda a, b, c: a**0, lambda a, b, c: a**0),
    ("2**a", lambda a, b, c: a < 20, lambda a, b, c: 2.0**a, lambda a, b, c: 2.0**a),
    ("exp", lambda a, b, c: a < 10, lambda a, b, c: a.exp(), lambda a, b, c: a.exp()),
    ("log", lambda a, b, c: a > 0.05, lambda a, b, c: a.log(), lambda a, b, c: a.log()),
    ("tanh", lambda a, b, c: True, lambda a, b, c: a.tanh(), lambda a, b, c: a.tanh()),
    ("sigmoid", lambda a, b, c: True, lambda a, b, c: a.sigmoid(), lambda a, b, c: torch.sigmoid(a)),
    ("relu", lambda a, b, c: True, lambda a, b, c: a.relu(), lambda a, b, c: torch.relu(a)),
]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_expression_graphs_match_torch(data: st.DataObject) -> None:
    """잎 1~4개에서 시작해 연산 1~15개를 무작위로 쌓는다. 피연산자는 앞의 어느 노드든 될 수 있으므로
    한 노드가 여러 번 쓰이는(기울기가 누적되는) 그래프가 자주 나온다. 출력은 마지막 노드다."""
    n_leaves = data.draw(st.integers(1, 4), label="잎 수")
    leaf_values = [data.draw(st.floats(-3, 3), label=f"x{i}") for i in range(n_leaves)]
    ours: list[Value] = [Value(v, f"x{i}") for i, v in enumerate(leaf_values)]
    theirs: list[torch.Tensor] = [_tt(v) for v in leaf_values]
    for _ in range(data.draw(st.integers(1, 15), label="연산 수")):
        i = data.draw(st.integers(0, len(ours) - 1))
        j = data.draw(st.integers(0, len(ours) - 1))
        c = data.draw(st.floats(-2, 2))
        a, b = ours[i].data, ours[j].data
        allowed = [op for op in OPS if op[1](a, b, c)]
        name, _, f_ours, f_torch = data.draw(st.sampled_from(allowed), label="연산")
        v = f_ours(ours[i], ours[j], c)
        if abs(v.data) > 1e4:  # 값이 너무 커지면 이 연산은 버린다 (기울기도 터무니없이 커진다)
            continue
        t = f_torch(theirs[i], theirs[j], c)
        t.retain_grad()
        ours.append(v)
        theirs.append(t)
    out, out_t = ours[-1], theirs[-1]
    out.backward()
    out_t.backward()
    # 값: 같은 float64 식이라 차이는 반올림 몇 번. 기울기: 한 노드에 여러 갈래를 더하는 순서가 torch와
    # 달라 상쇄가 일어나면 상대 오차가 커질 수 있으므로 rtol 1e-7에 atol 1e-8을 더한다.
    assert out.data == pytest.approx(out_t.item(), rel=1e-9, abs=1e-12)
    for k, (v, t) in enumerate(zip(ours, theirs)):
        ref = 0.0 if t.grad is None else t.grad.item()  # 출력에 닿지 않는 노드: torch는 None, 우리는 0
        assert v.grad == pytest.approx(ref, rel=1e-7, abs=1e-8), f"노드 {k}"


# --------------------------------------------------------------------------- 구조: 사슬, 누적, 두 번


def test_chain_of_10000_ops_backpropagates_without_recursion() -> None:
    x = Value(1.0, "x")
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()  # 재귀였다면 RecursionError
    # 닫힌 꼴: y = 1.0001^10000 · x 이므로 dy/dx = 1.0001^10000 ≈ e
    assert x.grad == pytest.approx(math.pow(1.0001, 10_000), rel=1e-10)
    nodes, edges = y.trace()
    assert len(nodes) == 20_001 and len(edges) == 20_000  # x, 상수 1만 개, 곱 1만 개
    y.zero_grad()
    assert x.grad == 0.0


def test_node_used_twice_gets_both_contributions() -> None:
    x = Value(3.0, "x")
    y = x * x  # dy/dx = 2x = 6: 두 갈래(각 3)를 더해야 한다
    y.backward()
    assert x.grad == 6.0
    # 다이아몬드: a = 2x, z = a·a + a → dz/dx = (2a + 1)·2 = 26
    x2 = Value(3.0)
    a = 2 * x2
    z = a * a + a
    z.backward()
    xt = _tt(3.0)
    at = 2 * xt
    (at * at + at).backward()
    assert xt.grad is not None
    assert x2.grad == xt.grad.item() == 26.0


def test_calling_backward_twice_accumulates_leaf_grads_like_torch() -> None:
    """약속: 잎 노드의 grad는 누적되고(두 번이면 두 배), 중간 노드의 grad는 매번 새로 계산된다."""
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    h = a * b
    out = h.tanh() + a
    out.backward()
    first = (a.grad, b.grad, h.grad)
    out.backward()
    at, bt = _tt(2.0), _tt(-3.0)
    ht = at * bt
    ht.retain_grad()
    outt = ht.tanh() + at
    outt.backward(retain_graph=True)
    outt.backward()
    assert at.grad is not None and bt.grad is not None and ht.grad is not None
    assert a.grad == pytest.approx(at.grad.item()) == pytest.approx(2 * first[0])
    assert b.grad == pytest.approx(bt.grad.item()) == pytest.approx(2 * first[1])
    assert h.grad == pytest.approx(first[2])  # 중간 노드는 두 배가 되지 않는다
    assert out.grad == 1.0
    out.zero_grad()  # 그래프 전체를 0으로
    out.backward()
    assert a.grad == pytest.approx(first[0])


def test_backward_on_a_leaf_and_a_constant() -> None:
    x = Value(5.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0  # 잎은 누적


def test_reflected_operations_with_a_value_on_both_sides() -> None:
    a, b = Value(6.0), Value(2.0)
    assert a.__radd__(b).data == 8.0 and a.__rsub__(b).data == -4.0
    assert a.__rmul__(b).data == 12.0 and a.__rtruediv__(b).data == pytest.approx(1 / 3)


def test_trace_lists_nodes_in_topological_order_and_edges_once() -> None:
    x, w = Value(2.0, "x"), Value(-1.0, "w")
    y = (x * w + x).relu()
    y.label = "y"
    nodes, edges = y.trace()
    assert nodes[-1] is y and set(nodes) >= {x, w}
    position = {id(n): i for i, n in enumerate(nodes)}
    assert all(position[id(src)] < position[id(dst)] for src, dst in edges)
    assert len(edges) == 5  # x→*, w→*, *→+, x→+, +→relu
    sq = x * x
    assert len(sq.trace()[1]) == 1  # 같은 입력은 간선 하나
    assert [n._op for n in nodes if n._prev] == ["*", "+", "relu"]
    assert "y" in repr(y) and "data=0" in repr(y)


def test_relu_derivative_at_zero_is_zero_like_torch() -> None:
    x = Value(0.0)
    x.relu().backward()
    xt = _tt(0.0)
    torch.relu(xt).backward()
    assert xt.grad is not None
    assert x.grad == xt.grad.item() == 0.0


def test_sigmoid_and_tanh_are_stable_for_large_inputs() -> None:
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(1000.0).tanh().data == 1.0


def test_accepts_numpy_and_int_scalars() -> None:
    v = Value(np.float64(2.0)) * np.int64(3) + 1
    assert v.data == 7.0 and type(v.data) is float


# --------------------------------------------------------------------------- 오류 경로


@pytest.mark.parametrize(
    ("bad", "exc"),
    [
        (None, TypeError),
        ("1.0", TypeError),
        (True, TypeError),
        ([1.0], TypeError),
        (1j, TypeError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (10**400, ValueError),
    ],
)
def test_value_rejects_bad_data(bad: Any, exc: type[Exception]) -> None:
    with pytest.raises(exc, match="data"):
        Value(bad)


def test_value_rejects_bad_label() -> None:
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "op", ["__add__", "__sub__", "__mul__", "__truediv__", "__radd__", "__rsub__", "__rmul__", "__rtruediv__"]
)
@pytest.mark.parametrize(("bad", "exc"), [(None, TypeError), ("x", TypeError), (float("nan"), ValueError)])
def test_operations_reject_bad_other(op: str, bad: Any, exc: type[Exception]) -> None:
    with pytest.raises(exc, match="other"):
        getattr(Value(2.0), op)(bad)


def test_domain_errors_are_korean_value_errors() -> None:
    with pytest.raises(ValueError, match="log"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="log"):
        Value(-1.0).log()
    with pytest.raises(ValueError, match="0으로 나눌"):
        Value(1.0) / 0
    with pytest.raises(ValueError, match="0으로 나눌"):
        1.0 / Value(0.0)
    with pytest.raises(ValueError, match="분수 거듭제곱"):
        Value(-8.0) ** (1 / 3)
    with pytest.raises(ValueError, match="도함수"):
        Value(0.0) ** 0.5
    with pytest.raises(ValueError, match="도함수"):
        Value(0.0) ** -1
    with pytest.raises(TypeError, match="k"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match="k"):
        Value(2.0) ** "3"  # type: ignore[operator]
    with pytest.raises(ValueError, match="exp"):
        Value(1000.0).exp()
    with pytest.raises(ValueError, match="넘"):
        Value(1e200) * 1e200
    with pytest.raises(ValueError, match="넘"):
        Value(10.0) ** 400
    with pytest.raises(ValueError, match="base"):
        (-2.0) ** Value(0.5)
    with pytest.raises(ValueError, match="넘"):
        2.0 ** Value(5000.0)


# --------------------------------------------------------------------------- 퍼징

FUZZ_EXAMPLES = 40
BINARY = [
    "__add__",
    "__sub__",
    "__mul__",
    "__truediv__",
    "__radd__",
    "__rsub__",
    "__rmul__",
    "__rtruediv__",
    "__pow__",
    "__rpow__",
]


@pytest.mark.parametrize("op", BINARY)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(data=st.floats(-1e3, 1e3), other=junk())
def test_fuzz_value_operations(op: str, data: float, other: Any) -> None:
    call_and_allow_only_value_or_type_error(getattr(Value(data), op), other)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(data=junk(), label=junk())
def test_fuzz_value_constructor(data: Any, label: Any) -> None:
    call_and_allow_only_value_or_type_error(Value, data)
    call_and_allow_only_value_or_type_error(Value, 1.0, label)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(data=st.floats(allow_nan=False, allow_infinity=False))
def test_fuzz_unary_functions_on_any_finite_float(data: float) -> None:
    for name in ("exp", "log", "tanh", "sigmoid", "relu", "__neg__", "backward", "zero_grad", "trace"):
        call_and_allow_only_value_or_type_error(getattr(Value(data), name))


# --------------------------------------------------------------------------- 유한하지 않은 기울기


def test_nonfinite_gradient_is_reported_with_node_and_op() -> None:
    """1/x를 x = 1e-308에서 미분하면 −1/x² = −inf. 예전에는 조용히 −inf를 돌려줬다."""
    x = Value(1e-308, label="x")
    y = 1 / x
    assert y.data == pytest.approx(1e308)  # 순전파 값은 아직 유한하다
    with pytest.raises(ValueError, match=r"노드 'x'의 기울기가 유한하지 않습니다\(grad = -inf\).*'/' 연산"):
        y.backward()
    with pytest.raises(ValueError, match="이름 없는 잎 노드의 기울기.*'/' 연산"):
        (1 / Value(1e-308)).backward()
    with pytest.raises(ValueError, match=r"'\*' 연산의 결과 노드의 기울기.*'/' 연산"):
        (1 / (Value(1e-308) * 1.0)).backward()  # 넘친 곳이 중간 노드이면 그 연산 이름으로 부른다


def test_nonfinite_gradient_from_a_sum_of_finite_contributions() -> None:
    """기여 하나하나는 유한한데(각 1e308) 더하면 넘치는 경우: 연산은 짚지 못해도 노드는 밝힌다."""
    a = Value(1e-10, "a")
    y = a * 1e308 + a * 1e308  # 값은 2e298로 유한, ∂y/∂a = 1e308 + 1e308 = inf
    with pytest.raises(ValueError, match="노드 'a'.*더하다가 넘쳤습니다"):
        y.backward()


@settings(max_examples=60, deadline=None)
@given(x=st.floats(1e-320, 1e-100), k=st.sampled_from([-1.0, -2.0, -0.5, None]))
def test_backward_never_returns_a_nonfinite_gradient(x: float, k: float | None) -> None:
    """작은 x에서 1/x와 x^k(음의 k)의 도함수는 쉽게 넘친다: 결과는 유한한 기울기이거나 한국어 ValueError."""
    v = Value(x, "x")
    try:
        y = 1 / v if k is None else v**k
        y.backward()
    except ValueError as exc:
        assert "넘" in str(exc) or "유한하지 않습니다" in str(exc)
    else:
        assert math.isfinite(v.grad)


# --------------------------------------------------------------------------- 옮긴 이름


def test_old_network_names_still_import_with_a_deprecation_warning() -> None:
    import d2lutil.autograd as autograd
    from d2lutil import scalar_nn

    for old, new in [("Module", "Module"), ("Neuron", "Neuron"), ("Layer", "NeuronLayer"), ("MLP", "MLP")]:
        with pytest.warns(DeprecationWarning, match=f"scalar_nn.{new}"):
            assert getattr(autograd, old) is getattr(scalar_nn, new)
    assert autograd.__all__ == ["Value"]
    with pytest.raises(AttributeError):
        autograd.Nothing  # noqa: B018
