"""d2lutil.autograd 테스트: 무작위 계산 그래프를 torch autograd(float64)와 비교, 긴 사슬, 누적, 두 번 역전파,
신경망의 기울기와 학습, 속도, 오류 경로, 퍼징."""

from __future__ import annotations

import math
import random
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_activations import call_and_allow_only_value_or_type_error, junk

from d2lutil.autograd import MLP, Layer, Module, Neuron, Value

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
    assert Module().parameters() == []


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


# --------------------------------------------------------------------------- 신경망


def _torch_forward(model: MLP, x: list[float], acts: list[str]) -> tuple[list[torch.Tensor], torch.Tensor]:
    """같은 가중치로 torch에서 계산한다. 돌려주는 것: (매개변수 텐서들, 출력 벡터)."""
    fns: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
        "tanh": torch.tanh,
        "relu": torch.relu,
        "sigmoid": torch.sigmoid,
        "linear": lambda t: t,
    }
    params: list[torch.Tensor] = []
    h = torch.tensor(x, dtype=T)
    for layer, act in zip(model.layers, acts):
        W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=T, requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=T, requires_grad=True)
        params += [W, b]
        h = fns[act](W @ h + b)
    return params, h


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), x=st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_mlp_gradients_match_torch(activation: str, seed: int, x: list[float]) -> None:
    model = MLP(3, [4, 4, 2], activation=activation, output_activation="sigmoid", seed=seed)
    out = model(x)
    assert isinstance(out, list)
    loss = (out[0] - 1.0) ** 2 + (out[1] + 0.5) ** 2
    model.zero_grad()
    loss.backward()
    params_t, out_t = _torch_forward(model, x, [activation, activation, "sigmoid"])
    loss_t = (out_t[0] - 1.0) ** 2 + (out_t[1] + 0.5) ** 2
    loss_t.backward()
    assert loss.data == pytest.approx(loss_t.item(), rel=1e-10)
    ours = [p.grad for layer in model.layers for p in [*(w for n in layer.neurons for w in n.w)]]
    ours_b = [n.b.grad for layer in model.layers for n in layer.neurons]
    theirs = [g for W in params_t[0::2] if W.grad is not None for g in W.grad.flatten().tolist()]
    theirs_b = [g for b in params_t[1::2] if b.grad is not None for g in b.grad.tolist()]
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours_b, theirs_b, rtol=1e-9, atol=1e-12)
    assert len(model.parameters()) == (3 * 4 + 4) + (4 * 4 + 4) + (4 * 2 + 2)


XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]


def _xor_step(model: MLP, lr: float = 0.1) -> float:
    """순전파 + 역전파 + 갱신 한 번. 반환값은 갱신 전 손실(MSE)."""
    loss = sum(((model(x) - y) ** 2 for x, y in zip(XOR_X, XOR_Y)), Value(0.0)) * 0.25
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def test_mlp_learns_xor() -> None:
    model = MLP(2, [4, 1], seed=0)
    losses = [_xor_step(model) for _ in range(300)]
    assert losses[-1] < 0.01 < losses[0]
    preds = [model(x) for x in XOR_X]
    assert [round(p.data) for p in preds if isinstance(p, Value)] == [0, 1, 1, 0]


def test_forgetting_zero_grad_accumulates_gradients() -> None:
    model = MLP(2, [3, 1], seed=1)
    out = model([1.0, -1.0])
    assert isinstance(out, Value)
    out.backward()
    once = [p.grad for p in model.parameters()]
    out2 = model([1.0, -1.0])
    assert isinstance(out2, Value)
    out2.backward()  # zero_grad() 없이: 흔한 실수
    np.testing.assert_allclose([p.grad for p in model.parameters()], [2 * g for g in once])


def test_xor_step_is_fast() -> None:
    """2-4-1 MLP, XOR 네 점: 순전파+역전파+갱신 한 번이 중앙값 0.4ms 이하 (CPU 시간으로 잰다:
    다른 프로세스와 코어를 나눠 쓸 때 벽시계 시간은 기다림까지 재기 때문이다)."""
    if sys.gettrace() is not None:
        pytest.skip("커버리지·디버거가 줄마다 끼어들면 몇 배 느려지므로 시간을 재지 않는다")
    model = MLP(2, [4, 1], seed=0)
    for _ in range(20):
        _xor_step(model)
    per_step = [
        t / 50 for t in timeit.repeat(lambda: _xor_step(model), number=50, repeat=11, timer=time.process_time)
    ]
    median_ms = statistics.median(per_step) * 1e3
    print(f"autograd XOR 2-4-1: 중앙값 {median_ms:.3f} ms/step")
    assert median_ms <= 0.4


def test_seeding_is_explicit_and_leaves_global_random_state_alone() -> None:
    py_state, np_state = random.getstate(), np.random.get_state()
    a = MLP(2, [3, 1], seed=5)
    b = MLP(2, [3, 1], seed=5)
    c = MLP(2, [3, 1], seed=6)
    d = MLP(2, [3, 1], seed=np.random.default_rng(5))
    e = Layer(2, 3, seed=random.Random(5))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]
    assert len(d.parameters()) == len(a.parameters())
    assert [p.data for p in e.parameters()] == [p.data for p in a.layers[0].parameters()]
    assert random.getstate() == py_state
    np.testing.assert_array_equal(np.random.get_state()[1], np_state[1])
    assert all(-1.0 <= p.data <= 1.0 for p in a.parameters())
    assert "Neuron(2, tanh)" in repr(a) and "linear" in repr(a)


def test_neuron_and_layer_outputs() -> None:
    n = Neuron(2, activation="linear", seed=0)
    n.w[0].data, n.w[1].data, n.b.data = 2.0, -1.0, 0.5
    assert n([3.0, 4.0]).data == 2.5
    assert Neuron(1, activation="relu")([-5.0]).data == 0.0
    assert 0.0 < Neuron(1, activation="sigmoid")([1.0]).data < 1.0
    layer = Layer(2, 3)
    assert len(layer([1.0, 2.0])) == 3 and len(layer.parameters()) == 9
    out = MLP(2, [3, 2])((1.0, Value(2.0)))
    assert isinstance(out, list) and len(out) == 2


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


def test_network_argument_errors() -> None:
    with pytest.raises(ValueError, match="nin"):
        Neuron(0)
    with pytest.raises(ValueError, match="nin"):
        Neuron(10**9)
    with pytest.raises(TypeError, match="nin"):
        Neuron(2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="activation"):
        Neuron(2, activation="gelu")
    with pytest.raises(ValueError, match="seed"):
        Neuron(2, seed=-1)
    with pytest.raises(TypeError, match="seed"):
        Neuron(2, seed="0")
    with pytest.raises(ValueError, match="nout"):
        Layer(2, 0)
    with pytest.raises(TypeError, match="nouts"):
        MLP(2, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nouts"):
        MLP(2, [])
    with pytest.raises(ValueError, match=r"nouts\[1\]"):
        MLP(2, [3, 0])
    with pytest.raises(ValueError, match="output_activation"):
        MLP(2, [1], output_activation="softmax")
    n = Neuron(2)
    with pytest.raises(ValueError, match="x의 길이"):
        n([1.0])
    with pytest.raises(TypeError, match="x"):
        n(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="other"):
        n([1.0, "a"])
    m = MLP(2, [2, 1])
    with pytest.raises(TypeError, match=r"x\[1\]"):
        m([1.0, None])
    with pytest.raises(ValueError, match=r"x\[0\]"):
        m([float("nan"), 1.0])
    with pytest.raises(TypeError, match="x"):
        m("ab")
    with pytest.raises(ValueError, match="x의 길이"):
        m([1.0, 2.0, 3.0])


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


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(a=junk(), b=junk(), c=junk(), d=junk())
def test_fuzz_network_constructors(a: Any, b: Any, c: Any, d: Any) -> None:
    call_and_allow_only_value_or_type_error(lambda: Neuron(a, activation=b, seed=c))
    call_and_allow_only_value_or_type_error(lambda: Layer(a, b, activation=c, seed=d))
    call_and_allow_only_value_or_type_error(lambda: MLP(a, b, activation=c, output_activation=d))
    call_and_allow_only_value_or_type_error(lambda: MLP(2, [2], seed=a))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(x=junk() | st.lists(junk(), max_size=3))
def test_fuzz_network_calls(x: Any) -> None:
    for fn in (Neuron(2), Layer(2, 2), MLP(2, [2, 1])):
        call_and_allow_only_value_or_type_error(fn, x)
