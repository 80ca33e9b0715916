"""2.1장(book/part2/mlp.ipynb)의 핵심 숫자를 독립적인 계산(torch, 닫힌 식)과 비교한다."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from nbdata import GLUE_RTOL, cell_outputs_text, glued
from torch import nn

NB = "book/part2/mlp.ipynb"


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


def _random_net() -> tuple[torch.Tensor, ...]:
    """노트북과 같은 씨앗·순서로 뽑은 X, W1, b1, W2, b2 (torch float64로 다시 계산한다)."""
    rng = np.random.default_rng(0)
    shapes = [(6, 4), (4, 5), (5,), (5, 3), (3,)]
    return tuple(torch.from_numpy(rng.normal(size=s)) for s in shapes)


def test_parameter_and_layer_count(g: dict[str, Any]) -> None:
    model = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3))
    assert g["mlp_n_params"] == sum(p.numel() for p in model.parameters())
    assert g["mlp_n_params_torch"] == g["mlp_n_params"]
    assert g["mlp_n_layers"] == sum(isinstance(m, nn.Linear) for m in model)


def test_collapse_is_rounding_only(g: dict[str, Any]) -> None:
    text = cell_outputs_text(NB)
    assert "두 층과 한 층의 최대 차이: < 1e-12" in text
    assert "nn.Linear 두 개와 합친 한 층의 최대 차이: < 1e-12" in text


def test_relu_breaks_the_collapse(g: dict[str, Any]) -> None:
    X, W1, b1, W2, b2 = _random_net()
    x = torch.ones(1, 4, dtype=torch.float64)
    relu_net = lambda z: torch.relu(z @ W1 + b1) @ W2 + b2  # noqa: E731
    collapsed = x @ (W1 @ W2) + (b1 @ W2 + b2)
    assert g["mlp_relu_gap"] == pytest.approx((relu_net(x) - collapsed).abs().max().item(), rel=GLUE_RTOL)
    assert g["mlp_relu_gap"] > 0.1
    violation = relu_net(x) + relu_net(-x) - 2 * relu_net(torch.zeros_like(x))
    assert g["mlp_affine_violation"] == pytest.approx(violation.abs().max().item(), rel=GLUE_RTOL)
    assert g["mlp_affine_violation"] > 0.1


def test_scratch_equals_sequential(g: dict[str, Any]) -> None:
    assert "두 구현의 최대 차이: < 1e-12 / allclose: True" in cell_outputs_text(NB)
    d, h1, h2, q = 4, 5, 6, 3
    assert g["mlp_seq_n_params"] == (d + 1) * h1 + (h1 + 1) * h2 + (h2 + 1) * q


@pytest.mark.parametrize("n_units", [3, 6, 20])
def test_universal_approximation_mse(g: dict[str, Any], n_units: int) -> None:
    """꺾이는 점 t_i = −π + 2πi/n에서 relu(x − t_i) 특징의 최소제곱을 torch로 다시 푼다."""
    x = torch.linspace(-math.pi, math.pi, 201, dtype=torch.float64)
    t = -math.pi + 2 * math.pi * torch.arange(n_units, dtype=torch.float64) / n_units
    A = torch.cat([torch.relu(x[:, None] - t[None, :]), torch.ones(201, 1, dtype=torch.float64)], dim=1)
    y = torch.sin(x)
    coef = torch.linalg.lstsq(A, y[:, None], driver="gelsd").solution[:, 0]
    mse = torch.mean((A @ coef - y) ** 2).item()
    assert g[f"mlp_uat_mse_{n_units}"] == pytest.approx(mse, rel=GLUE_RTOL)


def test_uat_error_shrinks(g: dict[str, Any]) -> None:
    assert g["mlp_uat_mse_3"] > g["mlp_uat_mse_6"] > g["mlp_uat_mse_20"]
