"""d2lutil._kernels 테스트: 놀이터·역전파 데모·층이 함께 쓰는 식을 torch autograd(float64)와 비교한다.

층(test_layers)과 놀이터(test_playground_parity)가 2차원 경우를 이미 본다. 여기서는 그 둘이 보지 않는 것:
맨 앞에 신경망 축이 있는 아핀 역전파(train_xor_many가 쓴다), 출력으로 쓴 도함수, 모멘텀 SGD, 축별 BCE.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from d2lutil import _kernels as K

T = torch.float64
RTOL, ATOL = 1e-9, 1e-12  # 합의 순서(BLAS) 차이는 상대 1e-15 수준
vals = st.floats(-4.0, 4.0)


@st.composite
def batched_affine(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    s, n, i, o = (draw(st.integers(1, 4)) for _ in range(4))
    batched_x = draw(st.booleans())  # 첫 층의 X는 모든 신경망이 같다 (m, i)
    X = draw(hnp.arrays(np.float64, (s, n, i) if batched_x else (n, i), elements=vals))
    W = draw(hnp.arrays(np.float64, (s, i, o), elements=vals))
    b = draw(hnp.arrays(np.float64, (s, o), elements=vals))
    dY = draw(hnp.arrays(np.float64, (s, n, o), elements=vals))
    return X, W, b, dY


@settings(max_examples=60, deadline=None)
@given(case=batched_affine())
def test_batched_affine_backward_matches_torch(case: tuple[np.ndarray, ...]) -> None:
    X, W, b, dY = case
    Y = K.affine(X, W, b[:, None, :])
    dX, dW, db = K.affine_backward(X, W, dY)
    Xt, Wt, bt = (torch.tensor(a, dtype=T, requires_grad=True) for a in (X, W, b))
    Yt = Xt @ Wt + bt[:, None, :]
    Yt.backward(torch.tensor(dY, dtype=T))
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=RTOL, atol=ATOL)
    assert dX is not None and dX.shape == np.broadcast_shapes(X.shape, (W.shape[0], 1, 1))
    # X가 신경망 축 없이 공유되면 torch는 신경망마다의 기울기를 더한다: 커널은 신경망마다 따로 준다
    dX_torch = Xt.grad.numpy()  # type: ignore[union-attr]
    np.testing.assert_allclose(dX.sum(axis=0) if X.ndim == 2 else dX, dX_torch, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dW, Wt.grad.numpy(), rtol=RTOL, atol=ATOL)  # type: ignore[union-attr]
    np.testing.assert_allclose(db, bt.grad.numpy(), rtol=RTOL, atol=ATOL)  # type: ignore[union-attr]
    for a, b_ in zip(K.affine_param_grads(X, dY), (dW, db)):
        np.testing.assert_array_equal(a, b_)


@pytest.mark.parametrize("kind", list(K.FROM_OUTPUT))
def test_from_output_derivative_matches_autograd(kind: str) -> None:
    z = np.linspace(-6.0, 6.0, 241)
    z = z[np.abs(z) > 1e-9]  # ReLU는 0에서 미분되지 않는다
    f, df_from_output = K.FROM_OUTPUT[kind]
    zt = torch.tensor(z, dtype=T, requires_grad=True)
    torch_f = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid, "linear": lambda t: t * 1.0}
    yt = torch_f[kind](zt)
    yt.sum().backward()
    np.testing.assert_allclose(f(z), yt.detach().numpy(), rtol=1e-12, atol=1e-15)
    grad = np.broadcast_to(df_from_output(f(z)), z.shape)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-9, atol=1e-12)  # type: ignore[union-attr]


@settings(max_examples=40, deadline=None)
@given(
    p0=hnp.arrays(np.float64, (3, 2), elements=vals),
    grads=st.lists(hnp.arrays(np.float64, (3, 2), elements=vals), min_size=1, max_size=5),
    lr=st.floats(1e-3, 1.0),
    momentum=st.sampled_from([0.0, 0.5, 0.9]),
)
def test_sgd_step_matches_torch_sgd(
    p0: np.ndarray, grads: list[np.ndarray], lr: float, momentum: float
) -> None:
    p, v = p0.copy(), np.zeros_like(p0)
    pt = torch.tensor(p0, dtype=T, requires_grad=True)
    opt = torch.optim.SGD([pt], lr=lr, momentum=momentum)
    for g in grads:
        K.sgd_step(p, v, g, lr, momentum)
        pt.grad = torch.tensor(g, dtype=T)
        opt.step()
    np.testing.assert_allclose(p, pt.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_sgd_step_per_network_learning_rate_and_no_velocity() -> None:
    p = np.ones((2, 3))
    K.sgd_step(p, None, np.full((2, 3), 2.0), np.array([[0.5], [0.25]]))
    np.testing.assert_array_equal(p, [[0.0] * 3, [0.5] * 3])


def test_bce_with_logits_axis_is_per_network_mean() -> None:
    z = np.array([[-1000.0, 0.0, 3.0], [1000.0, 2.0, -2.0]])
    y = np.array([0.0, 1.0, 1.0])
    per_net = K.bce_with_logits(z, y, axis=-1)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(z), torch.tensor(y).expand(2, 3), reduction="none"
    ).mean(dim=1)
    np.testing.assert_allclose(per_net, expected.numpy(), rtol=1e-12)
    assert K.bce_with_logits(z, y) == pytest.approx(float(per_net.mean()), rel=1e-12)
