"""1.2 선형 회귀와 경사 하강법: 본문에 붙인(glue) 숫자를 독립적인 계산과 비교한다.

노트북의 코드가 숫자를 바꾸거나 노트북을 다시 실행하지 않으면 실패한다. 기대값은 닫힌 해,
np.polyfit, 고윳값 공식, 행렬 거듭제곱으로 따로 계산한다 (노트북의 코드를 부르지 않는다).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from nbdata import GLUE_RTOL, ROOT, glued, load_notebook

NB = "book/part1/linear_regression.ipynb"
X = np.array([2.0, 3.0, 4.0, 5.0])  # SYLLABUS의 표를 그대로 적는다
Y = np.array([25.0, 50.0, 42.0, 61.0])
A = np.column_stack([X, np.ones(4)])
H = 2.0 / 4 * A.T @ A  # 비용의 헤세 행렬


@pytest.fixture(scope="module")
def g() -> dict:
    return glued(NB)


def test_worked_table_for_13x_plus_1(g: dict) -> None:
    err = Y - (13 * X + 1)
    assert err.tolist() == [-2.0, 10.0, -11.0, -5.0]
    assert g["sse_13"] == pytest.approx(float((err**2).sum()), rel=GLUE_RTOL) == 250.0
    assert g["mse_13"] == pytest.approx(float((err**2).mean()), rel=GLUE_RTOL) == 62.5
    assert g["err_sum_13"] == pytest.approx(float(err.sum()), rel=GLUE_RTOL)
    assert g["mean_err_sq_13"] == pytest.approx(float(err.mean() ** 2), rel=GLUE_RTOL)
    assert g["mae_13"] == pytest.approx(float(np.abs(err).mean()), rel=GLUE_RTOL)
    assert g["mean_score"] == pytest.approx(float(Y.mean()), rel=GLUE_RTOL) == 44.5


def test_least_squares_line_matches_polyfit(g: dict) -> None:
    W, b = np.polyfit(X, Y, 1)
    assert g["W_star"] == pytest.approx(W, abs=1e-12, rel=GLUE_RTOL) and round(g["W_star"], 6) == 10.0
    assert g["b_star"] == pytest.approx(b, abs=1e-12, rel=GLUE_RTOL) and round(g["b_star"], 6) == 9.5
    assert g["mse_star"] == pytest.approx(np.mean((Y - W * X - b) ** 2), rel=GLUE_RTOL)
    assert round(g["mse_star"], 6) == 47.25
    assert g["mse_star"] < g["mse_13"]


def test_gradient_at_13_1_matches_finite_differences(g: dict) -> None:
    def cost(w: float, b: float) -> float:
        return float(np.mean((Y - w * X - b) ** 2))

    h = 1e-5
    assert g["dW_13"] == pytest.approx((cost(13 + h, 1) - cost(13 - h, 1)) / (2 * h), rel=GLUE_RTOL)
    assert g["db_13"] == pytest.approx((cost(13, 1 + h) - cost(13, 1 - h)) / (2 * h), rel=GLUE_RTOL)


def test_learning_rate_limits_from_eigenvalues(g: dict) -> None:
    # 2×2 대칭 행렬 [[27, 7], [7, 2]]의 고윳값을 근의 공식으로 구한다
    tr, det = H[0, 0] + H[1, 1], H[0, 0] * H[1, 1] - H[0, 1] ** 2
    lam_max = (tr + np.sqrt(tr**2 - 4 * det)) / 2
    lam_min = (tr - np.sqrt(tr**2 - 4 * det)) / 2
    assert g["lr_limit_2d"] == pytest.approx(2 / lam_max, rel=GLUE_RTOL)
    assert g["cond_2d"] == pytest.approx(lam_max / lam_min, rel=GLUE_RTOL)
    assert g["lr_limit_1d"] == pytest.approx(2 / H[0, 0], rel=GLUE_RTOL)


def test_one_dimensional_descent_closed_form(g: dict) -> None:
    # b를 b*로 고정하면 W_k − W* = (1 − lr·H₀₀)^k (W₀ − W*)
    W_star = np.polyfit(X, Y, 1)[0]
    for key, lr in (("W_small_20", 0.001), ("W_big_20", 0.08)):
        expected = W_star + (1 - lr * H[0, 0]) ** 20 * (0.0 - W_star)
        assert g[key] == pytest.approx(expected, rel=GLUE_RTOL)
    assert abs(g["W_big_20"] - W_star) > W_star  # 발산: 출발점보다 멀어졌다


def test_two_dimensional_descent_reaches_closed_form(g: dict) -> None:
    W, b = np.polyfit(X, Y, 1)
    assert g["W_gd"] == pytest.approx(W, abs=1e-6, rel=GLUE_RTOL)
    assert g["b_gd"] == pytest.approx(b, abs=1e-6, rel=GLUE_RTOL)
    assert g["gd_gap"] < 1e-6
    # 학습률 0.07, 300단계: θ_k − θ* = (I − lr·H)^k (θ₀ − θ*)
    theta_star = np.array([W, b])
    theta = theta_star + np.linalg.matrix_power(np.eye(2) - 0.07 * H, 300) @ (-theta_star)
    expected = np.mean((Y - theta[0] * X - theta[1]) ** 2)
    assert g["cost_diverge_300"] == pytest.approx(expected, rel=GLUE_RTOL)
    assert g["cost_diverge_300"] > 1e6


def test_notebook_structure() -> None:
    nb = load_notebook(NB)
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert text.startswith("(sec-linear-regression)=\n# 1.2 ")
    for heading in ("## 학습 목표", "## 대화형 실험", "## 요약", "## 연습 문제", "## 퀴즈", "흔한 오해"):
        assert heading in text
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    demo_html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(demo_html) == 1
    html = "".join(demo_html[0])
    assert 0 < len(html.encode()) <= 250_000
    assert "/work/" not in json.dumps(nb["cells"])
    assert (ROOT / NB).stat().st_size < 2_000_000
