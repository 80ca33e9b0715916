"""1.1 퍼셉트론과 XOR 문제 — 본문의 숫자를 독립적인 계산(선형 계획법, 다른 구현, 진리표)과 비교한다."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from nbdata import cell_outputs_text, glued, load_notebook
from scipy.optimize import linprog

NB = "book/part1/perceptron.ipynb"
POINTS = [(0, 0), (0, 1), (1, 0), (1, 1)]
TRUTH = {  # 파이썬의 논리 연산으로 직접 만든 진리표 (d2lutil과 독립)
    "AND": [int(a and b) for a, b in POINTS],
    "OR": [int(a or b) for a, b in POINTS],
    "NAND": [int(not (a and b)) for a, b in POINTS],
    "XOR": [a ^ b for a, b in POINTS],
}


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


def rosenblatt(
    points: list[tuple[int, ...]], labels: list[int], epochs: int
) -> tuple[list[int], list[tuple]]:
    """두 번째 구현: 순수 파이썬 정수 산술로 돌린 퍼셉트론 학습 규칙 (0에서 시작, 학습률 1).

    에포크별 틀린 횟수와 에포크가 끝날 때의 (w..., b)를 돌려준다.
    """
    w = [0] * len(points[0])
    b = 0
    mistakes, ends = [], []
    for _ in range(epochs):
        count = 0
        for x, t in zip(points, labels):
            out = 1 if sum(wi * xi for wi, xi in zip(w, x)) + b > 0 else 0
            if out != t:
                w = [wi + (t - out) * xi for wi, xi in zip(w, x)]
                b += t - out
                count += 1
        mistakes.append(count)
        ends.append((*w, b))
    return mistakes, ends


def separable_by_lp(labels: list[int], points: list[tuple[int, ...]] = POINTS) -> bool:
    """선형 계획법: y=1이면 w·x + b ≥ 1, y=0이면 w·x + b ≤ −1을 만족하는 (w, b)가 있는가.

    엄격한 부등식은 크기를 키우면 여유 1로 바꿀 수 있으므로 이것이 선형 분리 가능성과 같다.
    """
    A, rhs = [], []
    for x, t in zip(points, labels):
        row = [*x, 1.0]
        if t == 1:
            A.append([-v for v in row])  # −(w·x + b) ≤ −1
        else:
            A.append(row)  # w·x + b ≤ −1
        rhs.append(-1.0)
    n = len(points[0]) + 1
    res = linprog(np.zeros(n), A_ub=A, b_ub=rhs, bounds=[(None, None)] * n, method="highs")
    return res.status == 0


def test_epochs(g: dict[str, Any]) -> None:
    assert g["perceptron_epochs"] == len(g["perceptron_and_mistakes"]) == 10


@pytest.mark.parametrize("name", ["AND", "OR", "XOR"])
def test_mistake_counts_match_second_implementation(g: dict[str, Any], name: str) -> None:
    mistakes, _ = rosenblatt(POINTS, TRUTH[name], g["perceptron_epochs"])
    assert g[f"perceptron_{name.lower()}_mistakes"] == mistakes


def test_convergence_epochs(g: dict[str, Any]) -> None:
    for name in ("AND", "OR"):
        mistakes, _ = rosenblatt(POINTS, TRUTH[name], 50)
        first = mistakes.index(0) + 1
        assert g[f"perceptron_{name.lower()}_zero_epoch"] == first
        assert all(m == 0 for m in mistakes[first - 1 :])  # 한번 0이 되면 계속 0
    xor, ends = rosenblatt(POINTS, TRUTH["XOR"], 200)
    assert min(xor) > 0  # 200 에포크에도 0이 되지 않는다
    assert g["perceptron_xor_last"] == xor[g["perceptron_epochs"] - 1]
    e = g["perceptron_xor_repeat_epoch"]
    assert ends[e - 1] == ends[e] and ends[e - 2] != ends[e - 1]
    assert len(set(ends[e - 1 :])) == 1  # 그 뒤로는 에포크가 끝날 때마다 같은 상태


def test_linear_separability_by_lp() -> None:
    assert separable_by_lp(TRUTH["AND"])
    assert separable_by_lp(TRUTH["OR"])
    assert separable_by_lp(TRUTH["NAND"])
    assert not separable_by_lp(TRUTH["XOR"])
    # 특성 x1·x2를 더하면 XOR도 분리된다
    lifted = [(a, b, a * b) for a, b in POINTS]
    assert separable_by_lp(TRUTH["XOR"], lifted)


def test_grid_search_counts(g: dict[str, Any]) -> None:
    # 격자 위 조합 수와, 각 게이트를 모두 맞히는 조합 수를 네 부등식으로 직접 센다
    vals = np.arange(-32, 33) / 16
    assert g["perceptron_grid_combos"] == len(vals) ** 3
    w1, w2, b = np.meshgrid(vals, vals, vals, indexing="ij")
    conds = {
        "AND": (b <= 0) & (w2 + b <= 0) & (w1 + b <= 0) & (w1 + w2 + b > 0),
        "OR": (b <= 0) & (w2 + b > 0) & (w1 + b > 0) & (w1 + w2 + b > 0),
        "XOR": (b <= 0) & (w2 + b > 0) & (w1 + b > 0) & (w1 + w2 + b <= 0),
    }
    for name, ok in conds.items():
        assert g[f"perceptron_grid_{name.lower()}_ok"] == int(ok.sum())
    assert g["perceptron_grid_xor_ok"] == 0
    assert g["perceptron_grid_and_min"] == 0 and g["perceptron_grid_or_min"] == 0


def test_xor_best_line_makes_exactly_one_mistake(g: dict[str, Any]) -> None:
    # 다른 알고리즘: 격자 대신 무작위 직선 20만 개 — 어느 것도 XOR을 다 맞히지 못하고 최선은 1개 틀림
    rng = np.random.default_rng(1)
    params = rng.uniform(-3, 3, size=(200_000, 3))
    X = np.array(POINTS, dtype=float)
    pred = (params[:, :2] @ X.T + params[:, 2:]) > 0
    wrong = (pred != np.array(TRUTH["XOR"], dtype=bool)).sum(axis=1)
    assert wrong.min() == 1 == g["perceptron_grid_xor_min"]


def test_two_layer_xor_truth_table(g: dict[str, Any]) -> None:
    nand, orr, andd = (dict(zip(POINTS, TRUTH[k])) for k in ("NAND", "OR", "AND"))
    composed = [andd[(nand[p], orr[p])] for p in POINTS]
    assert composed == TRUTH["XOR"]
    assert g["perceptron_two_layer_ok"] is True
    text = cell_outputs_text(NB)
    for (a, b), h1, h2, t in zip(POINTS, TRUTH["NAND"], TRUTH["OR"], TRUTH["XOR"]):
        assert f" {a}  {b} |   {h1}      {h2}   |     {t}      |    {t}" in text


def test_feature_map_perceptron(g: dict[str, Any]) -> None:
    lifted = [(a, b, a * b) for a, b in POINTS]
    mistakes, ends = rosenblatt(lifted, TRUTH["XOR"], g["perceptron_epochs"])
    assert g["perceptron_phi_mistakes"] == mistakes
    assert g["perceptron_phi_zero_epoch"] == mistakes.index(0) + 1
    # 손으로 고른 평면 x1 + x2 − 2 x1x2 − 0.5도 네 점을 모두 맞힌다
    assert [int(a + b - 2 * a * b - 0.5 > 0) for a, b in POINTS] == TRUTH["XOR"]


def test_gate_weights_in_chapter_match_truth_tables() -> None:
    text = cell_outputs_text(NB)
    assert text.count("진리표와 같은가? True") == 3
    assert "진리표와 같은가? False" not in text
    # 본문에서 언급한 대안 AND (1, 1, −1.5)
    assert [int(a + b - 1.5 > 0) for a, b in POINTS] == TRUTH["AND"]


def test_every_exercise_solution_ran() -> None:
    text = cell_outputs_text(NB)
    assert "OR [1, 2, 1, 0" in text and text.count("같은가? True") >= 2
    assert "NOR: [1 0 0 0] / OR을 뒤집은 것: [1 0 0 0]" in text


def test_cites_and_labels_present() -> None:
    nb = load_notebook(NB)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for needle in (
        "(sec-perceptron)=",
        "{cite}`rosenblatt1958perceptron`",
        "{cite}`minsky1969perceptrons`",
        ":label: thm-xor-not-separable",
    ):
        assert needle in md
