"""3.1 연쇄 법칙과 계산 그래프: 본문 숫자를 독립적인 계산(닫힌 식, torch)과 비교한다."""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from nbdata import GLUE_RTOL, cell_outputs_text, glued

NB = "book/part3/chain_rule.ipynb"


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


def test_one_variable_chain_rule(g: dict) -> None:
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ((3 * x + 1) ** 2).backward()
    assert g["one_u"] == 7.0
    assert g["one_dydx"] == pytest.approx(float(x.grad), rel=GLUE_RTOL)
    assert g["one_dydx"] == 2 * (3 * 2 + 1) * 3  # 닫힌 식 f'(g(x))·g'(x)


def test_two_path_example(g: dict) -> None:
    u, v = 2.0, 3.0
    assert g["uv_z"] == pytest.approx(u * u * v + u * v * v, rel=GLUE_RTOL)
    assert g["uv_dz_du"] == pytest.approx(2 * u * v + v * v, rel=GLUE_RTOL)  # 전개한 식을 직접 미분
    assert g["uv_dz_dv"] == pytest.approx(u * u + 2 * u * v, rel=GLUE_RTOL)


def test_diamond_counts_follow_closed_forms(g: dict) -> None:
    d = g["diamond_depth"]
    assert g["diamond_paths"] == 2**d
    assert g["diamond_mul_paths"] == (2 * d - 1) * 2**d
    assert g["diamond_mul_back"] == 4 * d


def test_diamond_gradient_matches_torch(g: dict) -> None:
    x0 = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    x = x0
    for _ in range(g["diamond_depth"]):
        x = torch.sin(x) * torch.cos(x)
    x.backward()
    assert g["diamond_grad"] == pytest.approx(float(x0.grad), rel=GLUE_RTOL)


def test_engine_numbers_match_torch(g: dict) -> None:
    vals = {"x1": 2.0, "w1": 0.5, "x2": -1.0, "w2": 1.5, "b": 0.5, "t": 1.0}
    tv = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in vals.items()}
    loss = (torch.sigmoid(tv["w1"] * tv["x1"] + tv["w2"] * tv["x2"] + tv["b"]) - tv["t"]) ** 2
    loss.backward()
    assert g["engine_loss"] == pytest.approx(loss.item(), rel=GLUE_RTOL)
    assert g["engine_grad_w1"] == pytest.approx(float(tv["w1"].grad), rel=GLUE_RTOL)
    assert g["engine_grad_w2"] == pytest.approx(float(tv["w2"].grad), rel=GLUE_RTOL)
    assert g["engine_grad_b"] == pytest.approx(float(tv["b"].grad), rel=GLUE_RTOL)
    assert "가장 큰 차이: < 1e-12" in cell_outputs_text(NB)
    # 손 계산: σ(0) = 0.5, dL/da = 2(0.5 − 1) = −1, σ'(0) = 0.25 → ∂L/∂w1 = −0.25·x1
    assert g["engine_grad_w1"] == pytest.approx(-0.25 * 2.0, rel=GLUE_RTOL)
    assert math.isclose(g["engine_loss"], 0.25)
