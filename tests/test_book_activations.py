"""2.2장(book/part2/activations.ipynb)의 핵심 숫자를 독립적인 계산(닫힌 식, numpy 역전파, torch)과 비교한다."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from nbdata import GLUE_RTOL, cell_outputs_text, glued

from d2lutil import activations as act

NB = "book/part2/activations.ipynb"


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


@pytest.fixture(scope="module")
def printed() -> str:
    return cell_outputs_text(NB)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _xor_init() -> list[np.ndarray]:
    """노트북의 train_xor와 같은 씨앗·순서로 뽑은 W1, b1, W2, b2 (numpy로 옮긴다)."""
    gen = torch.Generator().manual_seed(0)
    shapes = [(2, 4), (4,), (4, 1), (1,)]
    return [torch.randn(*s, generator=gen, dtype=torch.float64).numpy().copy() for s in shapes]


X_XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
Y_XOR = np.array([[0], [1], [1], [0]], dtype=float)


def test_relu_sparsity(g: dict[str, Any]) -> None:
    z = torch.randn(100, 100, generator=torch.Generator().manual_seed(0), dtype=torch.float64).numpy()
    assert g["act_relu_zero_frac"] == pytest.approx(float(np.mean(z <= 0)), abs=1e-12, rel=GLUE_RTOL)
    assert abs(g["act_relu_zero_frac"] - 0.5) < 0.03  # 이항분포의 표준편차 0.005의 여섯 배


def test_step_network_never_moves(g: dict[str, Any]) -> None:
    W1, b1, W2, b2 = _xor_init()
    step = lambda z: (z > 0).astype(float)  # noqa: E731
    out = step(step(X_XOR @ W1 + b1) @ W2 + b2)
    assert g["act_step_loss_first"] == pytest.approx(float(np.mean((out - Y_XOR) ** 2)), abs=1e-15)
    assert g["act_step_loss_last"] == g["act_step_loss_first"]
    assert g["act_step_grad_sum"] == 0.0


def test_sigmoid_network_learns_by_numpy_backprop(g: dict[str, Any]) -> None:
    """같은 초기값에서 손으로 쓴 numpy 역전파로 300단계(학습률 5)를 다시 돌린다."""
    W1, b1, W2, b2 = _xor_init()
    losses = []
    for _ in range(300):
        h = _sigmoid(X_XOR @ W1 + b1)
        o = _sigmoid(h @ W2 + b2)
        losses.append(float(np.mean((o - Y_XOR) ** 2)))
        dz2 = 2 * (o - Y_XOR) / o.size * o * (1 - o)
        dz1 = dz2 @ W2.T * h * (1 - h)
        W2, b2 = W2 - 5.0 * h.T @ dz2, b2 - 5.0 * dz2.sum(axis=0)
        W1, b1 = W1 - 5.0 * X_XOR.T @ dz1, b1 - 5.0 * dz1.sum(axis=0)
    assert g["act_sigmoid_loss_first"] == pytest.approx(losses[0], rel=GLUE_RTOL)
    assert g["act_sigmoid_loss_last"] == pytest.approx(losses[-1], rel=GLUE_RTOL)
    assert g["act_sigmoid_loss_last"] < 0.1 * g["act_sigmoid_loss_first"]


def test_sigmoid_and_tanh_facts(g: dict[str, Any], printed: str) -> None:
    assert g["act_sigmoid_grad_max"] == pytest.approx(0.25, abs=1e-15, rel=GLUE_RTOL)  # σ(0)(1 − σ(0)) = 1/4
    assert g["act_sigmoid_grad_argmax"] == 0.0
    assert g["act_tanh_grad_max"] == pytest.approx(1.0, abs=1e-15, rel=GLUE_RTOL)  # 1 − tanh²(0)
    assert g["act_tanh_grad_argmax"] == 0.0
    # 항등식 tanh(x) + 1 = 2σ(2x): 노트북은 "< 1e-12"라고 주장하고, 여기서 독립적으로 다시 확인한다
    x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    assert (torch.tanh(x) + 1 - 2 * torch.sigmoid(2 * x)).abs().max().item() < 1e-12
    assert "tanh(x) + 1 과 2σ(2x)의 최대 차이: < 1e-12" in printed
    assert g["act_sigmoid_grad_10"] == pytest.approx(math.exp(-10) / (1 + math.exp(-10)) ** 2, rel=GLUE_RTOL)


def test_relu_derivative_convention_at_zero(g: dict[str, Any]) -> None:
    x = torch.zeros(1, requires_grad=True)
    (grad,) = torch.autograd.grad(torch.relu(x).sum(), x)
    assert g["act_relu_grad_at_0"] == grad.item() == 0.0


def test_prelu_sign(g: dict[str, Any]) -> None:
    alpha, x = 0.25, -2.0
    assert g["act_prelu_value"] == pytest.approx(alpha * x, rel=GLUE_RTOL)  # 음수 쪽은 αx
    expected = F.prelu(torch.tensor([x], dtype=torch.float64), torch.tensor([alpha], dtype=torch.float64))
    assert g["act_prelu_torch"] == pytest.approx(expected.item(), rel=GLUE_RTOL)
    assert g["act_prelu_wrong"] == pytest.approx(-alpha * x, rel=GLUE_RTOL) and g["act_prelu_wrong"] > 0


@pytest.mark.parametrize(
    "name", ["step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "gelu", "softplus"]
)
def test_formula_vs_autograd_errors_are_rounding(printed: str, name: str) -> None:
    alpha = 0.25
    torch_fns = {
        "step": lambda t: (torch.sign(t) + 1) / 2,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, alpha),
        "prelu": lambda t: F.prelu(t, torch.tensor([alpha], dtype=torch.float64)),
        "elu": lambda t: F.elu(t, alpha),
        "gelu": F.gelu,
        "softplus": F.softplus,
    }
    grid = torch.linspace(-4, 4, 400, dtype=torch.float64, requires_grad=True)
    (auto,) = torch.autograd.grad(torch_fns[name](grid).sum(), grid)
    v = grid.detach().numpy()
    if name == "prelu":
        formula = act.prelu_grad(v, alpha)
    else:
        _, df = act.ACTIVATIONS[name]
        formula = df(v, alpha) if name in ("leaky_relu", "elu") else df(v)
    assert np.abs(auto.numpy() - formula).max() < 1e-12
    assert re.search(rf"^{re.escape(name)}\s+식과 자동 미분의 최대 차이 < 1e-12$", printed, re.M)


def test_softmax(g: dict[str, Any], printed: str) -> None:
    e = [math.exp(2.0), math.exp(1.0), math.exp(0.1)]
    assert g["act_softmax_p0"] == pytest.approx(e[0] / sum(e), rel=GLUE_RTOL)
    assert "softmax_vjp와 자동 미분의 최대 차이: < 1e-12" in printed


def test_gelu_minimum(g: dict[str, Any]) -> None:
    """GELU'(x) = Φ(x) + xφ(x) = 0의 근을 이분법(torch.special.ndtr)으로 찾아 최솟값과 비교한다."""
    d = lambda x: torch.special.ndtr(x) + x * torch.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    lo, hi = torch.tensor(-1.5, dtype=torch.float64), torch.tensor(-0.5, dtype=torch.float64)
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if d(mid) < 0 else (lo, mid)
    x_star = ((lo + hi) / 2).item()
    assert g["act_gelu_argmin"] == pytest.approx(x_star, abs=2e-5, rel=GLUE_RTOL)
    assert g["act_gelu_min"] == pytest.approx(
        F.gelu(torch.tensor(x_star, dtype=torch.float64)).item(), rel=GLUE_RTOL
    )
