"""d2lutil.scalar_nn 테스트: 스칼라 신경망의 기울기를 torch(float64)와 비교, XOR 학습, 누적, 속도, 씨앗,
오류 경로, 퍼징. 엔진(Value) 자체는 tests/test_autograd.py."""

from __future__ import annotations

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

from d2lutil.autograd import Value
from d2lutil.scalar_nn import MLP, Module, Neuron, NeuronLayer

T = torch.float64
FUZZ_EXAMPLES = 40


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
    model = MLP([3, 4, 4, 2], activation=activation, output_activation="sigmoid", seed=seed)
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
    model = MLP([2, 4, 1], seed=0)
    losses = [_xor_step(model) for _ in range(300)]
    assert losses[-1] < 0.01 < losses[0]
    preds = [model(x) for x in XOR_X]
    assert [round(p.data) for p in preds if isinstance(p, Value)] == [0, 1, 1, 0]


def test_forgetting_zero_grad_accumulates_gradients() -> None:
    model = MLP([2, 3, 1], seed=1)
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
    model = MLP([2, 4, 1], seed=0)
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
    a = MLP([2, 3, 1], seed=5)
    b = MLP([2, 3, 1], seed=5)
    c = MLP([2, 3, 1], seed=6)
    d = MLP([2, 3, 1], seed=np.random.default_rng(5))
    e = NeuronLayer(2, 3, seed=random.Random(5))
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
    assert Module().parameters() == []
    with pytest.raises(NotImplementedError):
        Module().forward([])
    assert 0.0 < Neuron(1, activation="sigmoid")([1.0]).data < 1.0
    layer = NeuronLayer(2, 3)
    assert len(layer([1.0, 2.0])) == 3 and len(layer.parameters()) == 9
    assert len(NeuronLayer(2, 1)(range(2))) == 1  # 리스트·튜플이 아닌 Sequence도 받는다
    out = MLP([2, 3, 2])((1.0, Value(2.0)))
    assert isinstance(out, list) and len(out) == 2


def test_network_argument_errors() -> None:
    with pytest.raises(ValueError, match="in_features"):
        Neuron(0)
    with pytest.raises(ValueError, match="in_features"):
        Neuron(10**9)
    with pytest.raises(TypeError, match="in_features"):
        Neuron(2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="activation"):
        Neuron(2, activation="gelu")
    with pytest.raises(ValueError, match="seed"):
        Neuron(2, seed=-1)
    with pytest.raises(TypeError, match="seed"):
        Neuron(2, seed="0")
    with pytest.raises(ValueError, match="out_features"):
        NeuronLayer(2, 0)
    with pytest.raises(ValueError, match="in_features"):
        NeuronLayer(0, 2)
    with pytest.raises(TypeError, match="sizes"):
        MLP(2)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="sizes"):
        MLP("23")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sizes"):
        MLP([2])
    with pytest.raises(ValueError, match=r"sizes\[2\]"):
        MLP([2, 3, 0])
    with pytest.raises(ValueError, match="activation"):
        MLP([2, 1], activation="gelu")
    with pytest.raises(ValueError, match="output_activation"):
        MLP([2, 1], output_activation="softmax")
    n = Neuron(2)
    with pytest.raises(ValueError, match="x의 길이"):
        n([1.0])
    with pytest.raises(TypeError, match="x"):
        n(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"x\[1\]"):
        n([1.0, "a"])
    with pytest.raises(ValueError, match="x의 길이"):
        NeuronLayer(2, 3)([1.0])
    m = MLP([2, 2, 1])
    with pytest.raises(TypeError, match=r"x\[1\]"):
        m([1.0, None])
    with pytest.raises(ValueError, match=r"x\[0\]"):
        m([float("nan"), 1.0])
    with pytest.raises(TypeError, match="x"):
        m("ab")
    with pytest.raises(ValueError, match="x의 길이"):
        m([1.0, 2.0, 3.0])


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(a=junk(), b=junk(), c=junk(), d=junk())
def test_fuzz_network_constructors(a: Any, b: Any, c: Any, d: Any) -> None:
    call_and_allow_only_value_or_type_error(lambda: Neuron(a, activation=b, seed=c))
    call_and_allow_only_value_or_type_error(lambda: NeuronLayer(a, b, activation=c, seed=d))
    call_and_allow_only_value_or_type_error(lambda: MLP(a, activation=b, output_activation=c, seed=d))
    call_and_allow_only_value_or_type_error(lambda: MLP([a, b]))
    call_and_allow_only_value_or_type_error(lambda: MLP([2, 2], seed=a))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(x=junk() | st.lists(junk(), max_size=3))
def test_fuzz_network_calls(x: Any) -> None:
    for fn in (Neuron(2), NeuronLayer(2, 2), MLP([2, 2, 1])):
        call_and_allow_only_value_or_type_error(fn, x)
