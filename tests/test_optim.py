"""d2lutil.optim 테스트: torch.optim(float64)과 같은 궤적, 제자리 갱신의 범위, 오류 경로, 퍼징."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_activations import call_and_allow_only_value_or_type_error, junk

from d2lutil import layers as Ly
from d2lutil.optim import SGD, Adam

T = torch.float64


@st.composite
def params_and_grad_sequence(draw: st.DrawFn) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """매개변수 몇 개와, step마다 쓸 기울기 목록 여러 개."""
    shapes = draw(st.lists(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), min_size=1, max_size=3))
    params = [draw(hnp.arrays(np.float64, s, elements=st.floats(-3, 3))) for s in shapes]
    steps = draw(st.integers(1, 5))
    grads = [
        [draw(hnp.arrays(np.float64, s, elements=st.floats(-3, 3))) for s in shapes] for _ in range(steps)
    ]
    return params, grads


def _run_torch(
    opt_factory: Callable[[list[torch.Tensor]], torch.optim.Optimizer],
    params: list[np.ndarray],
    grads: list[list[np.ndarray]],
) -> list[np.ndarray]:
    tp = [torch.tensor(p, dtype=T, requires_grad=True) for p in params]
    opt = opt_factory(tp)
    for gs in grads:
        for p, g in zip(tp, gs):
            p.grad = torch.tensor(g, dtype=T)
        opt.step()
    return [p.detach().numpy() for p in tp]


# torch와 같은 식을 같은 순서로 계산한다. Adam은 m̂/(√v̂ + ε)를 torch가 step_size·m/(√v/√bc₂ + ε)로
# 바꿔 쓰므로 반올림이 조금 다르다 → rtol 1e-9 (float64 반올림 몇 번은 1e-15 수준).
@pytest.mark.parametrize("momentum", [0.0, 0.9])
@settings(max_examples=30, deadline=None)
@given(case=params_and_grad_sequence(), lr=st.floats(1e-3, 1.0))
def test_sgd_matches_torch(
    momentum: float, case: tuple[list[np.ndarray], list[list[np.ndarray]]], lr: float
) -> None:
    params, grads = case
    expected = _run_torch(lambda tp: torch.optim.SGD(tp, lr=lr, momentum=momentum), params, grads)
    ours = [p.copy() for p in params]
    opt = SGD(lr, momentum=momentum)
    for gs in grads:
        opt.step(ours, gs)
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    case=params_and_grad_sequence(),
    lr=st.floats(1e-4, 0.5),
    b1=st.floats(0.0, 0.99),
    b2=st.floats(0.5, 0.9999),
    eps=st.sampled_from([1e-8, 1e-3]),
)
def test_adam_matches_torch(
    case: tuple[list[np.ndarray], list[list[np.ndarray]]], lr: float, b1: float, b2: float, eps: float
) -> None:
    params, grads = case
    expected = _run_torch(lambda tp: torch.optim.Adam(tp, lr=lr, betas=(b1, b2), eps=eps), params, grads)
    ours = [p.copy() for p in params]
    opt = Adam(lr, betas=(b1, b2), eps=eps)
    for gs in grads:
        opt.step(ours, gs)
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_step_updates_params_in_place_and_leaves_grads_alone() -> None:
    p = np.array([1.0, 2.0])
    g = np.array([0.5, -1.0])
    alias = p  # 계층이 가진 바로 그 배열
    for opt in (SGD(0.1), SGD(0.1, momentum=0.5), Adam(0.1)):
        g0 = g.copy()
        opt.step([p], [g])
        np.testing.assert_array_equal(g, g0)
    assert alias is p
    assert not np.array_equal(p, [1.0, 2.0])


def test_sgd_trains_a_small_mlp_layer_params() -> None:
    # 모델의 params()를 넘기면 계층 안의 W, b가 바뀐다 (사본이 아니다)
    model = Ly.make_mlp([2, 3, 2], seed=0)
    W_before = model.layers[0].W.copy()  # type: ignore[attr-defined]
    loss = Ly.SoftmaxCrossEntropy()
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 1])
    losses = []
    opt = Adam(0.05)
    for _ in range(30):
        losses.append(loss(model.forward(X), y))
        model.backward(loss.backward())
        opt.step(model.parameters(), model.grads())
    assert not np.array_equal(model.layers[0].W, W_before)  # type: ignore[attr-defined]
    assert losses[-1] < 0.1 * losses[0]


def test_reset_and_changed_parameter_list() -> None:
    opt = SGD(0.1, momentum=0.9)
    a = np.zeros(2)
    opt.step([a], [np.ones(2)])
    with pytest.raises(ValueError, match="params"):
        opt.step([np.zeros(3)], [np.ones(3)])
    opt.reset()
    b = np.zeros(3)
    opt.step([b], [np.ones(3)])
    np.testing.assert_allclose(b, -0.1)  # 모멘텀이 처음부터 다시 시작한다
    adam = Adam(0.1)
    adam.step([a], [np.ones(2)])
    adam.reset()
    assert adam.t == 0
    assert "lr=0.1" in repr(adam) and "momentum=0.9" in repr(opt)


def test_empty_parameter_list_is_a_no_op() -> None:
    SGD(0.1).step([], [])


# --------------------------------------------------------------------------- 오류 경로


@pytest.mark.parametrize("bad_lr", [0.0, -1.0])
def test_learning_rate_must_be_positive(bad_lr: float) -> None:
    for cls in (SGD, Adam):
        with pytest.raises(ValueError, match="lr"):
            cls(bad_lr)


def test_constructor_errors() -> None:
    with pytest.raises(TypeError, match="lr"):
        SGD("0.1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lr"):
        SGD(float("nan"))
    with pytest.raises(ValueError, match="momentum"):
        SGD(0.1, momentum=1.0)
    with pytest.raises(ValueError, match="momentum"):
        SGD(0.1, momentum=-0.1)
    with pytest.raises(ValueError, match=r"betas\[0\]"):
        Adam(betas=(1.0, 0.999))
    with pytest.raises(ValueError, match=r"betas\[1\]"):
        Adam(betas=(0.9, -0.5))
    with pytest.raises(TypeError, match="betas"):
        Adam(betas=0.9)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="betas"):
        Adam(betas=(0.9,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="eps"):
        Adam(eps=0.0)


@pytest.mark.parametrize("opt", [SGD(0.1), Adam()], ids=["SGD", "Adam"])
def test_step_errors(opt: Any) -> None:
    p = np.zeros(2)
    with pytest.raises(TypeError, match="params"):
        opt.step(p, [np.ones(2)])  # 목록이 아닌 배열 하나
    with pytest.raises(ValueError, match="grads"):
        opt.step([p], [np.ones(2), np.ones(2)])
    with pytest.raises(ValueError, match=r"grads\[0\]의 모양"):
        opt.step([p], [np.ones(3)])
    with pytest.raises(ValueError, match=r"grads\[0\]"):
        opt.step([p], [np.array([np.nan, 0.0])])
    with pytest.raises(TypeError, match=r"grads\[0\]"):
        opt.step([p], [None])
    with pytest.raises(TypeError, match=r"params\[0\]"):
        opt.step([[0.0, 0.0]], [np.ones(2)])  # 리스트는 제자리에서 바꿀 수 없다
    with pytest.raises(TypeError, match=r"params\[0\]"):
        opt.step([np.zeros(2, dtype=np.int64)], [np.ones(2)])
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[0\]"):
        opt.step([frozen], [np.ones(2)])
    with pytest.raises(TypeError, match="grads"):
        opt.step([p], "g")


# --------------------------------------------------------------------------- 퍼징

FUZZ_EXAMPLES = 40


@pytest.mark.parametrize("cls", [SGD, Adam])
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(a=junk(), b=junk(), c=junk())
def test_fuzz_constructors(cls: Any, a: Any, b: Any, c: Any) -> None:
    args = (a, b, c) if cls is Adam else (a, b)  # Adam(lr, betas, eps), SGD(lr, momentum)
    call_and_allow_only_value_or_type_error(cls, *args)


@pytest.mark.parametrize("cls", [SGD, Adam])
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(params=junk() | st.lists(junk(), max_size=3), grads=junk() | st.lists(junk(), max_size=3))
def test_fuzz_step(cls: Any, params: Any, grads: Any) -> None:
    call_and_allow_only_value_or_type_error(cls(0.1).step, params, grads)
