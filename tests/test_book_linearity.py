"""2.3장(book/part2/linearity.ipynb)의 핵심 숫자를 독립적인 계산과 비교한다."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from nbdata import GLUE_RTOL, cell_outputs_text, glued

NB = "book/part2/linearity.ipynb"


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


def test_scalar_chain_weight(g: dict[str, Any]) -> None:
    """y = f(w3 f(w2 f(w1 x))), f(t) = 2t를 torch로 x = 1에서 직접 계산한 값이 합친 가중치다."""
    x = torch.tensor(1.0, dtype=torch.float64)

    def f(t: torch.Tensor) -> torch.Tensor:
        return 2.0 * t

    y = f(1.5 * f(-3.0 * f(0.5 * x)))
    assert g["scalar_w"] == pytest.approx(y.item(), abs=1e-15, rel=GLUE_RTOL)


def test_composition_check_is_at_rounding_level(g: dict[str, Any]) -> None:
    assert "가법성 오차 < 1e-12, 동차성 오차 < 1e-12, x(AB)와의 차이 < 1e-12" in cell_outputs_text(NB)


def _deep_stack() -> torch.nn.Sequential:
    torch.manual_seed(0)
    sizes = [5, 32, 32, 32, 32, 32, 3]
    return torch.nn.Sequential(*[torch.nn.Linear(i, o) for i, o in zip(sizes[:-1], sizes[1:])])


def test_torch_collapsed_weights_by_probing(g: dict[str, Any]) -> None:
    """다른 알고리즘: float64 신경망에 0과 단위벡터를 넣어 아핀 사상 f(x) = xW + b의 W와 b를 읽는다."""
    deep = _deep_stack().double()
    with torch.no_grad():
        b = deep(torch.zeros(1, 5, dtype=torch.float64))[0]
        W = deep(torch.eye(5, dtype=torch.float64)) - b
    np.testing.assert_allclose(
        np.array(g["torch_W"]), W.numpy(), atol=1e-6, rtol=1e-3
    )  # 본문은 네 자리만 붙인다 (float32 초기값)
    np.testing.assert_allclose(
        np.array(g["torch_b"]), b.numpy(), atol=1e-6, rtol=1e-3
    )  # 본문은 네 자리만 붙인다 (float32 초기값)


def test_torch_single_layer_matches_float32(g: dict[str, Any]) -> None:
    assert "출력의 최대 절댓값 차이 (float32): < 1e-5" in cell_outputs_text(NB)
    deep = _deep_stack()
    assert g["torch_n_deep"] == sum(p.numel() for p in deep.parameters())
    sizes = [5, 32, 32, 32, 32, 32, 3]
    assert g["torch_n_deep"] == sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:]))
    assert g["torch_n_single"] == 5 * 3 + 3


def test_rank_of_narrow_network(g: dict[str, Any]) -> None:
    d = g["rank_d"]
    assert d == 8
    rng = np.random.default_rng(8)
    W1 = torch.tensor(rng.normal(size=(d, d // 2)))
    W2 = torch.tensor(rng.normal(size=(d // 2, d)))
    W_full = torch.tensor(rng.normal(size=(d, d)))
    assert g["rank_narrow"] == int(torch.linalg.matrix_rank(W1 @ W2)) == d // 2
    assert g["rank_full"] == int(torch.linalg.matrix_rank(W_full)) == d


def _random_relu_net(widths: list[int], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    sizes = [1, *widths, 1]
    return [(rng.normal(size=(i, o)), rng.normal(size=o)) for i, o in zip(sizes[:-1], sizes[1:])]


def _exact_pieces(layers: list[tuple[np.ndarray, np.ndarray]], lo: float, hi: float) -> int:
    """구간을 정확히 따라가며 센다: 구간마다 h(x) = x·s + t를 유지하고, ReLU 노드의 0점에서 구간을 자른다.
    마지막에 기울기가 같은 이웃 구간은 하나로 합친다 (함수가 연속이므로 같은 직선이다)."""
    segs = [(lo, hi, np.array([1.0]), np.array([0.0]))]
    for k, (W, b) in enumerate(layers):
        last = k == len(layers) - 1
        new = []
        for left, right, s, t in segs:
            s2, t2 = s @ W, t @ W + b
            if last:
                new.append((left, right, s2, t2))
                continue
            cuts = sorted(
                {-t2[j] / s2[j] for j in range(len(s2)) if s2[j] != 0 and left < -t2[j] / s2[j] < right}
            )
            pts = [left, *cuts, right]
            for a, c in zip(pts[:-1], pts[1:]):
                on = ((a + c) / 2 * s2 + t2) > 0
                new.append((a, c, s2 * on, t2 * on))
        segs = new
    slopes = [float(s[0]) for _, _, s, _ in segs]
    changes = sum(
        1 for p, q in zip(slopes[:-1], slopes[1:]) if not math.isclose(p, q, rel_tol=1e-9, abs_tol=1e-12)
    )
    return 1 + changes


def test_shallow_relu_pieces(g: dict[str, Any]) -> None:
    net = _random_relu_net([6], seed=5)
    w, b = net[0][0][0], net[0][1]
    kinks = -b / w
    by_kinks = 1 + int(np.sum((kinks > -10.0) & (kinks < 10.0)))
    assert g["pieces_shallow"] == g["pieces_shallow_exact"] == by_kinks == _exact_pieces(net, -10.0, 10.0)
    assert g["bound_shallow"] == 6 + 1
    assert g["pieces_shallow"] <= g["bound_shallow"]


def test_deep_relu_pieces(g: dict[str, Any]) -> None:
    net = _random_relu_net([6, 6, 6], seed=5)
    assert g["pieces_deep"] == _exact_pieces(net, -10.0, 10.0)
    assert g["bound_deep"] == 7**3
    assert g["pieces_deep"] <= g["bound_deep"]


def test_tent_map_pieces(g: dict[str, Any]) -> None:
    """텐트 함수를 L번 합성하면 [0, 1]에서 조각이 2^L개다 (닫힌 꼴)."""
    L = g["tent_L"]
    assert g["pieces_tent"] == 2**L
    first = (np.array([[1.0, 1.0]]), np.array([0.0, -0.5]))
    middle = (np.array([[2.0, 2.0], [-4.0, -4.0]]), np.array([0.0, -0.5]))
    last = (np.array([[2.0], [-4.0]]), np.array([0.0]))
    assert _exact_pieces([first] + [middle] * (L - 1) + [last], 0.0, 1.0) == 2**L
