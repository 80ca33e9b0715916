"""d2lutil.layers 테스트: 역전파를 torch autograd(float64)·유한 차분과 비교, 입력 불변, 오류 경로, 퍼징."""

from __future__ import annotations

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

from d2lutil import layers as Ly
from d2lutil.gradcheck import numerical_gradient, relative_error
from d2lutil.optim import SGD

T = torch.float64
# 같은 float64 행렬 곱·원소별 식을 torch와 numpy가 계산한다. 합의 순서(BLAS)가 달라 생기는 차이는
# 상대 1e-15 수준이다 → rtol 1e-9, atol 1e-12로 여유 있게 잡는다.
RTOL, ATOL = 1e-9, 1e-12


def _t(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(a, dtype=T, requires_grad=grad)


vals = st.floats(-5.0, 5.0)


@st.composite
def affine_case(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n, d_in, d_out = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    X = draw(hnp.arrays(np.float64, (n, d_in), elements=vals))
    W = draw(hnp.arrays(np.float64, (d_in, d_out), elements=vals))
    b = draw(hnp.arrays(np.float64, (d_out,), elements=vals))
    dY = draw(hnp.arrays(np.float64, (n, d_out), elements=vals))
    return X, W, b, dY


@settings(max_examples=50, deadline=None)
@given(case=affine_case())
def test_affine_forward_backward_match_torch_and_do_not_mutate(
    case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    X, W, b, dY = case
    copies = [a.copy() for a in case]
    layer = Ly.Affine(W, b)
    Y = layer.forward(X)
    dX = layer.backward(dY)
    Xt, Wt, bt = _t(X, True), _t(W, True), _t(b, True)
    Yt = Xt @ Wt + bt
    Yt.backward(_t(dY))
    assert Xt.grad is not None and Wt.grad is not None and bt.grad is not None
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(layer.dW, Wt.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(layer.db, bt.grad.numpy(), rtol=RTOL, atol=ATOL)
    for a, c in zip(case, copies):
        np.testing.assert_array_equal(a, c)  # 입력(X, W, b, dY)은 그대로다
    assert [g.shape for g in layer.grads()] == [p.shape for p in layer.parameters()]


ACT_LAYERS: list[tuple[type[Ly.Layer], Callable[[torch.Tensor], torch.Tensor]]] = [
    (Ly.ReLU, torch.relu),
    (Ly.Sigmoid, torch.sigmoid),
    (Ly.Tanh, torch.tanh),
]


@pytest.mark.parametrize(("cls", "ref"), ACT_LAYERS, ids=lambda v: getattr(v, "__name__", ""))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_activation_layers_match_torch_and_do_not_mutate(
    cls: type[Ly.Layer], ref: Callable[[torch.Tensor], torch.Tensor], data: st.DataObject
) -> None:
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
    X = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-30, 30)))
    dY = data.draw(hnp.arrays(np.float64, shape, elements=vals))
    X0, dY0 = X.copy(), dY.copy()
    layer = cls()
    Y = layer.forward(X)
    dX = layer.backward(dY)
    Xt = _t(X, True)
    Yt = ref(Xt)
    Yt.backward(_t(dY))
    assert Xt.grad is not None
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(X, X0)  # 『밑바닥부터』의 ReLU와 달리 입력을 고치지 않는다
    np.testing.assert_array_equal(dY, dY0)
    assert layer.parameters() == [] and layer.grads() == []


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_softmax_cross_entropy_layer_matches_torch(data: st.DataObject) -> None:
    n, c = data.draw(st.integers(1, 5)), data.draw(st.integers(2, 5))
    z = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-30, 30)))
    y = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    dout = data.draw(st.floats(0.1, 3.0))
    z0 = z.copy()
    layer = Ly.SoftmaxCrossEntropy()
    loss = layer(z, y)
    dz = layer.backward(dout)
    zt = _t(z, True)
    lt = F.cross_entropy(zt, torch.tensor(y))
    (lt * dout).backward()
    assert zt.grad is not None
    assert loss == pytest.approx(lt.item(), rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(dz, zt.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(z, z0)


# --------------------------------------------------------------------------- 2층 MLP 전체


def _torch_mlp_grads(
    model: Ly.Sequential, X: np.ndarray, y: np.ndarray, act: Callable[[torch.Tensor], torch.Tensor]
) -> tuple[float, list[np.ndarray]]:
    """같은 가중치로 torch에서 순전파·역전파를 해서 (손실, 매개변수 기울기들)을 돌려준다."""
    params = [_t(p, True) for p in model.parameters()]
    W1, b1, W2, b2 = params
    logits = act(_t(X) @ W1 + b1) @ W2 + b2
    loss = F.cross_entropy(logits, torch.tensor(y))
    loss.backward()
    return loss.item(), [p.grad.numpy() for p in params if p.grad is not None]


@pytest.mark.parametrize(
    ("activation", "act"), [("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]
)
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 8), data=st.data())
def test_two_layer_mlp_gradients_match_torch(
    activation: str, act: Callable[[torch.Tensor], torch.Tensor], seed: int, n: int, data: st.DataObject
) -> None:
    model = Ly.make_mlp([3, 5, 4], activation=activation, seed=seed)
    X = data.draw(hnp.arrays(np.float64, (n, 3), elements=vals))
    y = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, 3)))
    loss_layer = Ly.SoftmaxCrossEntropy()
    loss = loss_layer(model.forward(X), y)
    model.backward(loss_layer.backward())
    ref_loss, ref_grads = _torch_mlp_grads(model, X, y, act)
    assert loss == pytest.approx(ref_loss, rel=RTOL)
    assert len(model.grads()) == 4
    for g, r in zip(model.grads(), ref_grads):
        np.testing.assert_allclose(g, r, rtol=RTOL, atol=ATOL)


def test_mlp_backprop_passes_gradient_check() -> None:
    # 책의 3.2절: 역전파와 수치 미분의 상대 오차가 1e-7 이하. (tanh: 매끄러워서 꺾인 점 걱정이 없다)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 4, size=6)
    model = Ly.make_mlp([3, 5, 4], activation="tanh", seed=3)
    loss_layer = Ly.SoftmaxCrossEntropy()
    loss_layer(model.forward(X), y)
    model.backward(loss_layer.backward())
    for p, g in zip(model.parameters(), model.grads()):
        original = p.copy()

        def loss_at(v: np.ndarray, p: np.ndarray = p) -> float:
            p[...] = v
            return loss_layer.forward(model.forward(X), y)

        numeric = numerical_gradient(loss_at, original)
        p[...] = original
        assert relative_error(g, numeric) < 1e-7


# --------------------------------------------------------------------------- 초기화·구성


def test_init_schemes_have_the_documented_spread_and_are_reproducible() -> None:
    d_in, d_out = 400, 300
    for scheme, std in [("he", np.sqrt(2 / d_in)), ("xavier", np.sqrt(2 / (d_in + d_out))), ("normal", 0.01)]:
        layer = Ly.Affine.random(d_in, d_out, seed=0, scheme=scheme)
        assert layer.W.std() == pytest.approx(std, rel=0.02)  # 12만 개 표본의 표준편차: 상대 오차 ≈ 0.2%
        assert np.all(layer.b == 0)
    a = Ly.Affine.random(3, 2, seed=7)
    b = Ly.Affine.random(3, 2, seed=7)
    c = Ly.Affine.random(3, 2, seed=8)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, c.W)
    d = Ly.Affine.random(3, 2, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a.W, d.W)


def test_make_mlp_structure_and_seed() -> None:
    model = Ly.make_mlp([2, 4, 3, 1], activation="sigmoid", seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Affine", "Sigmoid", "Affine", "Sigmoid", "Affine"]  # 마지막 뒤에는 활성화 없음
    assert [p.shape for p in model.parameters()] == [(2, 4), (4,), (4, 3), (3,), (3, 1), (1,)]
    again = Ly.make_mlp([2, 4, 3, 1], activation="sigmoid", seed=0)
    for p, q in zip(model.parameters(), again.parameters()):
        np.testing.assert_array_equal(p, q)
    assert "Affine(2 → 4)" in repr(model) and "Sigmoid()" in repr(model)
    assert model(np.zeros((5, 2))).shape == (5, 1)


def test_affine_keeps_its_own_copy_of_the_weights() -> None:
    W, b = np.ones((2, 2)), np.zeros(2)
    layer = Ly.Affine(W, b)
    layer.forward(np.ones((1, 2)))
    layer.backward(np.ones((1, 2)))
    SGD(lr=0.5).step(layer.parameters(), layer.grads())  # 계층의 W는 바뀌고
    np.testing.assert_array_equal(W, np.ones((2, 2)))  # 호출자의 W는 그대로다
    assert not np.array_equal(layer.W, W)


def test_grads_are_zero_before_backward() -> None:
    layer = Ly.Affine(np.ones((2, 3)), np.zeros(3))
    assert all(np.all(g == 0) for g in layer.grads())


# --------------------------------------------------------------------------- 오류 경로


def test_affine_constructor_errors() -> None:
    with pytest.raises(ValueError, match="W의 모양"):
        Ly.Affine(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="b의 모양"):
        Ly.Affine(np.ones((2, 3)), np.zeros(2))
    with pytest.raises(TypeError, match="W"):
        Ly.Affine(None, np.zeros(3))
    with pytest.raises(TypeError, match="b"):
        Ly.Affine(np.ones((2, 3)), "b")
    with pytest.raises(ValueError, match="W"):
        Ly.Affine(np.array([[np.nan]]), np.zeros(1))
    with pytest.raises(ValueError, match="W"):
        Ly.Affine(np.zeros((0, 3)), np.zeros(3))


def test_affine_random_errors() -> None:
    with pytest.raises(ValueError, match="in_features"):
        Ly.Affine.random(0, 3, seed=0)
    with pytest.raises(TypeError, match="out_features"):
        Ly.Affine.random(2, 3.0, seed=0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scheme"):
        Ly.Affine.random(2, 3, seed=0, scheme="kaiming")
    with pytest.raises(ValueError, match="seed"):
        Ly.Affine.random(2, 3, seed=-1)
    with pytest.raises(TypeError, match="seed"):
        Ly.Affine.random(2, 3, seed="0")
    with pytest.raises(ValueError, match="in_features × out_features"):
        Ly.Affine.random(10**5, 10**5, seed=0)  # 80GB를 잡기 전에 멈춘다


def test_forward_and_backward_shape_errors_name_the_argument_in_korean() -> None:
    layer = Ly.Affine(np.ones((3, 2)), np.zeros(2))
    with pytest.raises(
        ValueError, match=r"X의 모양이 맞지 않습니다: \(n, 3\)을 기대했지만 \(4, 2\)를 받았습니다"
    ):
        layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="X의 모양"):
        layer.forward(np.ones(3))
    with pytest.raises(TypeError, match="X"):
        layer.forward([["a", "b", "c"]])
    with pytest.raises(ValueError, match="X"):
        layer.forward(np.array([[np.inf, 0.0, 0.0]]))
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match="dY의 모양"):
        layer.backward(np.ones((4, 3)))
    with pytest.raises(ValueError, match="dY"):
        layer.backward(np.full((4, 2), np.nan))
    relu = Ly.ReLU()
    relu.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match="dY의 모양"):
        relu.backward(np.ones((2, 3)))
    with pytest.raises(TypeError, match="X"):
        relu.forward(None)


@pytest.mark.parametrize(
    "layer", [Ly.Affine(np.ones((1, 1)), np.zeros(1)), Ly.ReLU(), Ly.SoftmaxCrossEntropy()]
)
def test_backward_before_forward_is_a_runtime_error(layer: Any) -> None:
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.ones((1, 1)))


def test_softmax_cross_entropy_errors() -> None:
    layer = Ly.SoftmaxCrossEntropy()
    with pytest.raises(ValueError, match="labels"):
        layer.forward(np.zeros((2, 3)), [0, 5])
    with pytest.raises(ValueError, match="logits"):
        layer.forward(np.zeros(3), [0])
    layer.forward(np.zeros((2, 3)), [0, 1])
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones(2))
    with pytest.raises(TypeError, match="dout"):
        layer.backward("1")
    assert layer.parameters() == [] and layer.grads() == []


def test_sequential_and_make_mlp_errors() -> None:
    with pytest.raises(TypeError, match="layers"):
        Ly.Sequential(Ly.ReLU())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="layers"):
        Ly.Sequential([])
    with pytest.raises(TypeError, match=r"layers\[1\]"):
        Ly.Sequential([Ly.ReLU(), lambda x: x])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="sizes"):
        Ly.make_mlp(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sizes"):
        Ly.make_mlp([3])
    with pytest.raises(ValueError, match=r"sizes\[1\]"):
        Ly.make_mlp([3, 0, 2])
    with pytest.raises(TypeError, match=r"sizes\[0\]"):
        Ly.make_mlp([2.5, 2])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="activation"):
        Ly.make_mlp([2, 2], activation="gelu")
    with pytest.raises(ValueError, match="seed"):
        Ly.make_mlp([2, 2], seed=2**40)


# --------------------------------------------------------------------------- 퍼징

FUZZ_EXAMPLES = 40


def _fresh(kind: str) -> Any:
    """퍼징 대상: 각 공개 호출을 '정상적으로 만든 뒤' 잡동사니 인자로 부르는 함수."""
    if kind == "Affine":
        return Ly.Affine
    if kind == "Affine.random":
        return lambda a, b, c, d: Ly.Affine.random(a, b, seed=c, scheme=d)
    if kind == "make_mlp":
        return lambda a, b, c, d: Ly.make_mlp(a, activation=b, seed=c)
    if kind == "Sequential":
        return Ly.Sequential
    if kind in ("Affine.forward", "ReLU.forward", "Sigmoid.forward", "Tanh.forward"):
        cls = getattr(Ly, kind.split(".")[0])
        layer = cls(np.ones((2, 3)), np.zeros(3)) if cls is Ly.Affine else cls()
        return layer.forward
    if kind.endswith(".backward"):
        cls = getattr(Ly, kind.split(".")[0])
        if cls is Ly.SoftmaxCrossEntropy:
            loss = Ly.SoftmaxCrossEntropy()
            loss.forward(np.zeros((2, 3)), [0, 2])
            return loss.backward
        layer = cls(np.ones((2, 3)), np.zeros(3)) if cls is Ly.Affine else cls()
        layer.forward(np.ones((4, 2)))
        return layer.backward
    assert kind == "SoftmaxCrossEntropy.forward"
    return Ly.SoftmaxCrossEntropy().forward


FUZZ_TARGETS = {
    "Affine": 2,
    "Affine.random": 4,
    "make_mlp": 4,
    "Sequential": 1,
    "Affine.forward": 1,
    "ReLU.forward": 1,
    "Sigmoid.forward": 1,
    "Tanh.forward": 1,
    "Affine.backward": 1,
    "ReLU.backward": 1,
    "Sigmoid.backward": 1,
    "Tanh.backward": 1,
    "SoftmaxCrossEntropy.forward": 2,
    "SoftmaxCrossEntropy.backward": 1,
}


@pytest.mark.parametrize("kind", sorted(FUZZ_TARGETS))
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(args=st.lists(junk(), min_size=4, max_size=4))
def test_fuzz(kind: str, args: list[Any]) -> None:
    call_and_allow_only_value_or_type_error(_fresh(kind), *args[: FUZZ_TARGETS[kind]])
