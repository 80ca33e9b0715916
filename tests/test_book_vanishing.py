"""3.3 기울기 소실: 노트북에 저장된 숫자를 독립적인 계산과 비교한다.

층별 기울기는 노트북이 파이토치 자동 미분으로 구했다. 여기서는 같은 씨앗으로 같은 가중치를 만든 뒤
넘파이 층(d2lutil.layers)의 역전파로 다시 구해 비교한다.
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest
import torch
from nbdata import GLUE_RTOL, glued
from torch import nn

from d2lutil.data import load_digits_split
from d2lutil.layers import Affine, ReLU, Sequential, Sigmoid, SoftmaxCrossEntropy

NB = "book/part3/vanishing.ipynb"


@pytest.fixture(scope="module")
def values() -> dict:
    return glued(NB)


def test_bound_is_quarter_to_the_depth(values: dict) -> None:
    assert values["van_depth"] == 10
    # σ'의 최댓값을 격자에서 직접 찾아 상한을 다시 만든다
    z = np.linspace(-10, 10, 200_001)
    s = 1 / (1 + np.exp(-z))
    assert math.isclose(values["van_bound"], (s * (1 - s)).max() ** 10, rel_tol=GLUE_RTOL)


def test_chain_gradient_matches_product_formula(values: dict) -> None:
    gen = torch.Generator().manual_seed(0)
    w = torch.randn(10, generator=gen, dtype=torch.float64).numpy()
    b = torch.randn(10, generator=gen, dtype=torch.float64).numpy()

    # 복소 스텝 미분(complex-step): f'(x) = Im f(x + ih) / h. 자동 미분·곱 공식과 독립이고 반올림 오차가 없다.
    def chain(x: complex) -> complex:
        h = x
        for wi, bi in zip(w, b):
            h = 1 / (1 + cmath.exp(-(wi * h + bi)))
        return h

    step = 1e-30
    cs = chain(0.5 + 1j * step).imag / step
    assert math.isclose(values["van_chain_autograd"], cs, rel_tol=GLUE_RTOL)


def _torch_model(activation: type[nn.Module], init: str) -> nn.Sequential:
    torch.manual_seed(0)
    layers: list[nn.Module] = []
    d_in = 64
    for _ in range(10):
        layers += [nn.Linear(d_in, 32, dtype=torch.float64), activation()]
        d_in = 32
    layers.append(nn.Linear(d_in, 10, dtype=torch.float64))
    net = nn.Sequential(*layers)
    for m in net:
        if isinstance(m, nn.Linear) and init != "default":
            if init == "xavier":
                nn.init.xavier_normal_(m.weight)
            else:
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


@pytest.mark.parametrize(
    ("key", "activation", "init", "np_act"),
    [
        ("sig_default", nn.Sigmoid, "default", Sigmoid),
        ("sig_xavier", nn.Sigmoid, "xavier", Sigmoid),
        ("relu_default", nn.ReLU, "default", ReLU),
        ("relu_he", nn.ReLU, "he", ReLU),
    ],
)
def test_layer_norms_match_numpy_backprop(values: dict, key: str, activation, init: str, np_act) -> None:
    net = _torch_model(activation, init)
    layers = []
    linears = [m for m in net if isinstance(m, nn.Linear)]
    for i, lin in enumerate(linears):
        W = lin.weight.detach().double().numpy().T  # 이 책의 관례: X @ W + b
        layers.append(Affine(W, lin.bias.detach().double().numpy()))
        if i < len(linears) - 1:
            layers.append(np_act())
    model = Sequential(layers)
    X_train, _, y_train, _ = load_digits_split(test_size=0.2, seed=0)
    X = X_train[:256].astype(np.float64)
    loss = SoftmaxCrossEntropy()
    loss.forward(model.forward(X), y_train[:256])
    model.backward(loss.backward())
    norms = np.array([np.linalg.norm(layer.dW) for layer in model.layers if isinstance(layer, Affine)])
    stored = np.array(values[f"van_norms_{key}"])
    np.testing.assert_allclose(stored, norms, rtol=2e-3, atol=1e-12)
    assert math.isclose(values[f"van_ratio_{key}"], norms[0] / norms[-1], rel_tol=5e-3)


def test_story_holds(values: dict) -> None:
    # 본문이 말하는 순서: 시그모이드 < ReLU 기본 < ReLU+He, 그리고 ReLU+He만 학습한다
    assert values["van_ratio_sig_default"] < 1e-6
    assert values["van_ratio_sig_xavier"] < 1e-5
    assert values["van_ratio_relu_default"] < 1e-2
    assert 0.3 < values["van_ratio_relu_he"] < 10
    assert math.isclose(values["van_ln10"], math.log(10), rel_tol=GLUE_RTOL)
    for key in ("sig_default", "sig_xavier", "relu_default"):
        assert abs(values[f"van_final_loss_{key}"] - math.log(10)) < 0.05
        assert values[f"van_acc_{key}"] < 0.2
    assert values["van_final_loss_relu_he"] < 1.0
    assert values["van_acc_relu_he"] > 0.7  # 찍기(0.1)보다 훨씬 높다
