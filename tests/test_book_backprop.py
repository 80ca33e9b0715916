"""3.2 역전파로 신경망 학습하기: 본문 숫자를 독립적인 계산(torch autograd, 수치 미분)과 비교한다.

성공률은 노트북과 같은 초기값(씨앗마다 ``make_mlp``)에서 torch autograd로 다시 학습해 센다. 노트북은
numpy 역전파(``train_xor_many``)를 쓰므로 두 계산은 기울기를 구하는 방법이 서로 독립이다.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
import torch
from nbdata import GLUE_RTOL, cell_outputs_text, glued

from d2lutil import layers

NB = "book/part3/backprop.ipynb"
X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # 진리표를 직접 적는다
Y_XOR = np.array([0.0, 1.0, 1.0, 0.0])
LR, EPOCHS = 1.0, 1000


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Any:
    """작은 텐서를 수천 번 다루므로 스레드 하나가 훨씬 빠르다 (2코어를 나눠 쓰는 기계에서 열 배 넘게)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# --------------------------------------------------------------------------- 기울기 확인


def gradcheck_network() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """노트북과 같은 씨앗으로 같은 신경망의 매개변수와 데이터를 만든다."""
    rng = np.random.default_rng(1)
    net = layers.Sequential(
        [
            layers.Affine.random(4, 5, seed=11),
            layers.ReLU(),
            layers.Affine.random(5, 5, seed=12, scheme="xavier"),
            layers.Sigmoid(),
            layers.Affine.random(5, 3, seed=13, scheme="xavier"),
        ]
    )
    X = rng.normal(size=(6, 4))
    y = rng.integers(0, 3, size=6)
    params = [p + 0.1 * rng.normal(size=p.shape) for p in net.parameters()]
    return params, X, y


def torch_loss(params: list[torch.Tensor], X: np.ndarray, y: np.ndarray) -> torch.Tensor:
    W1, b1, W2, b2, W3, b3 = params
    h = torch.sigmoid(torch.relu(torch.tensor(X) @ W1 + b1) @ W2 + b2)
    return torch.nn.functional.cross_entropy(h @ W3 + b3, torch.tensor(y))


def test_gradcheck_errors_recomputed_independently(g: dict) -> None:
    params, X, y = gradcheck_network()
    # 1) 노트북의 numpy 역전파를 다시 돌린다
    net = layers.Sequential(
        [layers.Affine(params[0], params[1]), layers.ReLU(), layers.Affine(params[2], params[3]),
         layers.Sigmoid(), layers.Affine(params[4], params[5])]
    )  # fmt: skip
    ce = layers.SoftmaxCrossEntropy()
    ce.forward(net.forward(X), y)
    net.backward(ce.backward())
    backprop = net.grads()
    # 2) 수치 미분은 torch로 계산한 손실에 직접 중앙 차분을 적용한다 (d2lutil.gradcheck를 쓰지 않는다)
    h = 1e-6
    worst = 0.0
    for i, p in enumerate(params):
        num = np.empty_like(p)
        for j in range(p.size):
            vals = []
            for sign in (1.0, -1.0):
                q = [torch.tensor(a) for a in params]
                q[i].view(-1)[j] += sign * h
                vals.append(torch_loss(q, X, y).item())
            num.flat[j] = (vals[0] - vals[1]) / (2 * h)
        err = np.linalg.norm(backprop[i] - num) / (np.linalg.norm(backprop[i]) + np.linalg.norm(num))
        worst = max(worst, float(err))
    assert worst <= 1e-7
    # 노트북도 여섯 배열 모두 같은 주장("< 1e-7")을 찍는다
    text = cell_outputs_text(NB)
    assert len(re.findall(r"상대 오차 < 1e-7", text)) == 6


def test_backprop_matches_torch_autograd(g: dict) -> None:
    params, X, y = gradcheck_network()
    pt = [torch.tensor(a, requires_grad=True) for a in params]
    torch_loss(pt, X, y).backward()
    net = layers.Sequential(
        [layers.Affine(params[0], params[1]), layers.ReLU(), layers.Affine(params[2], params[3]),
         layers.Sigmoid(), layers.Affine(params[4], params[5])]
    )  # fmt: skip
    ce = layers.SoftmaxCrossEntropy()
    ce.forward(net.forward(X), y)
    net.backward(ce.backward())
    for mine, t in zip(net.grads(), pt):
        np.testing.assert_allclose(mine, t.grad.numpy(), rtol=1e-10, atol=1e-14)
    assert re.search(r"상대 오차: \{'W1': '< 1e-12', 'b1': '< 1e-12', 'W2': '< 1e-12'", cell_outputs_text(NB))


# --------------------------------------------------------------------------- XOR


def torch_xor_runs(hidden: int, seeds: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """make_mlp의 초기값에서 torch autograd로 전체 배치 경사 하강법을 한다. (마지막 로짓 (S, 4), 손실 곡선 (E+1, S))."""
    inits = [layers.make_mlp([2, hidden, 1], activation="tanh", seed=s).parameters() for s in seeds]
    W1 = torch.tensor(np.stack([p[0] for p in inits]), requires_grad=True)
    b1 = torch.tensor(np.stack([p[1] for p in inits]), requires_grad=True)
    W2 = torch.tensor(np.stack([p[2] for p in inits]), requires_grad=True)  # (S, H, 1)
    b2 = torch.tensor(np.stack([p[3] for p in inits]), requires_grad=True)  # (S, 1)
    X = torch.tensor(X_XOR)
    Y = torch.tensor(Y_XOR).expand(len(seeds), 4)
    ps = [W1, b1, W2, b2]
    curve = []
    for epoch in range(EPOCHS + 1):
        z = (torch.tanh(X @ W1 + b1[:, None, :]) @ W2)[..., 0] + b2
        per_net = torch.nn.functional.binary_cross_entropy_with_logits(z, Y, reduction="none").mean(1)
        curve.append(per_net.detach().numpy())
        if epoch == EPOCHS:
            break
        grads = torch.autograd.grad(per_net.sum(), ps)
        with torch.no_grad():
            for p, gr in zip(ps, grads):
                p -= LR * gr
    return z.detach().numpy(), np.array(curve)


def test_single_run_numbers(g: dict) -> None:
    z, curve = torch_xor_runs(4, [0])
    assert g["xor_loss_first"] == pytest.approx(curve[0, 0], rel=GLUE_RTOL)
    assert g["xor_loss_last"] == pytest.approx(curve[-1, 0], rel=GLUE_RTOL)
    assert g["xor_acc"] == float(np.mean((z[0] > 0) == (Y_XOR > 0.5)))


@pytest.mark.parametrize("hidden", [2, 3, 4, 8])
def test_success_rate_recomputed_with_torch(g: dict, hidden: int) -> None:
    z, curve = torch_xor_runs(hidden, list(range(100)))
    solved = np.all((z > 0) == (Y_XOR > 0.5), axis=1)
    assert g[f"success_{hidden}"] == pytest.approx(solved.mean(), rel=GLUE_RTOL)
    if hidden == 2:
        # 실패한 신경망은 두 점을 포기한 손실 ln2/2 근처에 멈춘다
        assert g["fail_loss_mean"] == pytest.approx(curve[-1][~solved].mean(), rel=1e-4)
        assert abs(g["fail_loss_mean"] - math.log(2) / 2) < 0.01


def test_chosen_architecture_is_reliable(g: dict) -> None:
    assert g["success_4"] >= 0.95
    assert g["success_2"] < g["success_4"]
    assert g["fail_collapsed"] >= 0.9
