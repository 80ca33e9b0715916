"""2.4장(book/part2/forward.ipynb)의 핵심 숫자를 독립적인 계산과 비교한다."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from nbdata import GLUE_RTOL, cell_outputs_text, glued

NB = "book/part2/forward.ipynb"
LOGITS = [1010.0, 1000.0, 990.0]


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


def test_stable_softmax_matches_torch_float64(g: dict[str, Any]) -> None:
    expected = torch.softmax(torch.tensor(LOGITS, dtype=torch.float64), dim=0).numpy()
    np.testing.assert_allclose(g["softmax_stable"], expected, rtol=GLUE_RTOL)
    for k in range(3):
        assert g[f"softmax_stable_{k}"] == pytest.approx(expected[k], rel=GLUE_RTOL)


def test_stable_softmax_matches_log_sum_exp_in_pure_python(g: dict[str, Any]) -> None:
    """두 번째 독립 계산: math 모듈만으로 log-sum-exp를 구하고 p_k = exp(a_k − LSE)."""
    m = max(LOGITS)
    lse = m + math.log(sum(math.exp(a - m) for a in LOGITS))
    expected = [math.exp(a - lse) for a in LOGITS]
    for got, want in zip(g["softmax_stable"], expected):
        assert got == pytest.approx(want, rel=GLUE_RTOL)
    # SYLLABUS에 적힌 값과도 (유효숫자 범위에서) 같다
    assert g["softmax_stable"] == pytest.approx([0.9999546, 4.54e-05, 2.06e-09], rel=1e-3)


def test_naive_softmax_is_all_nan(g: dict[str, Any]) -> None:
    """e^a가 하나라도 넘치면 분모가 inf이므로 넘친 성분은 inf/inf = nan, 나머지는 0이다.
    여기서는 세 로짓 모두 넘치므로(math.exp로 확인) 세 성분 모두 nan이다."""
    overflowed = 0
    for a in LOGITS:
        try:
            math.exp(a)
        except OverflowError:
            overflowed += 1
    assert overflowed == 3
    assert g["naive_nan_count"] == overflowed


def _params() -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    rng = np.random.default_rng(0)
    sizes = [4, 5, 3, 3]
    Ws = [rng.normal(scale=0.5, size=(i, o)) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(scale=0.1, size=o) for o in sizes[1:]]
    X = np.array([[1.0, 0.5, -0.3, 2.0], [0.2, -1.0, 0.8, 0.0]])
    return Ws, bs, X


def test_three_layer_forward_matches_torch(g: dict[str, Any]) -> None:
    Ws, bs, X = _params()
    h = torch.tensor(X, dtype=torch.float64)
    for k, (W, b) in enumerate(zip(Ws, bs)):
        h = torch.nn.functional.linear(h, torch.tensor(W.T), torch.tensor(b))
        if k < 2:
            h = torch.relu(h)
    assert h.shape == (2, 3)
    np.testing.assert_allclose(np.array(g["forward_logits"]), h.numpy(), atol=1e-9, rtol=GLUE_RTOL)
    probs = torch.softmax(h, dim=1).numpy()
    np.testing.assert_allclose(np.array(g["forward_probs"]), probs, atol=1e-9, rtol=GLUE_RTOL)
    np.testing.assert_allclose(np.array(g["forward_probs"]).sum(axis=1), 1.0, atol=1e-9, rtol=GLUE_RTOL)


def test_shift_invariance_and_order(g: dict[str, Any]) -> None:
    assert "식 그대로, c = −50, −3.5, 7, 300: < 1e-12, < 1e-12, < 1e-12, < 1e-12" in cell_outputs_text(NB)
    assert g["argmax_agree"] is True


def test_batch_is_faster_than_loop(g: dict[str, Any]) -> None:
    """저장된 실행에서 배치가 반복문보다 빨랐다 (측정값이므로 느슨하게 1배 초과만 본다)."""
    assert g["batch_speedup"] > 1.0
    assert g["batch_us_per_sample"] < g["loop_us_per_sample"]
    assert g["loop_us_per_sample"] / g["batch_us_per_sample"] == pytest.approx(
        g["batch_speedup"], rel=GLUE_RTOL
    )
