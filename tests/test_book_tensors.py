"""0.1 준비: 텐서와 그래프 — 본문의 숫자를 독립적으로 다시 계산해 확인한다."""

from __future__ import annotations

from typing import Any

import pytest
from nbdata import GLUE_RTOL, cell_outputs_text, glued, load_notebook

NB = "book/part0/tensors.ipynb"

# SYLLABUS의 퀴즈 점수 표를 그대로 옮겨 적는다 (d2lutil.data와 독립)
QUIZ = [[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]]


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


def test_first_weighted_score(g: dict[str, Any]) -> None:
    expected = 0.3 * QUIZ[0][0] + 0.3 * QUIZ[0][1] + 0.4 * QUIZ[0][2]
    assert g["tensors_first_weighted"] == pytest.approx(expected, rel=GLUE_RTOL)


def test_autograd_example_matches_closed_form(g: dict[str, Any]) -> None:
    w = 2.0
    assert g["tensors_y_at_2"] == pytest.approx(w**2 + 3 * w, rel=GLUE_RTOL)
    assert g["tensors_grad_at_2"] == pytest.approx(2 * w + 3, rel=GLUE_RTOL)  # d/dw (w² + 3w) = 2w + 3


def test_printed_shapes_and_errors() -> None:
    text = cell_outputs_text(NB)
    assert "X의 모양: (5, 3)" in text
    assert "(2, 3) @ (3, 2) → (2, 2)" in text
    assert "브로드캐스팅과 직접 쌓은 결과의 최대 차이: 0.0" in text
    # 세 겹 for 문 풀이가 @와 같은 답을 냈다
    assert "True" in text


def test_error_cells_are_tagged_and_raise() -> None:
    nb = load_notebook(NB)
    errors = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                assert "raises-exception" in cell["metadata"].get("tags", [])
                errors.append(output["evalue"])
    assert len(errors) == 2
    assert "size 5 is different from 3" in errors[0]
    assert "행렬 곱을 할 수 없습니다" in errors[1]


def test_wrong_bias_example() -> None:
    # H + b와 H + b.reshape(2, 1)을 손으로 계산한 결과가 출력에 있다
    H = [[1.0, 2.0], [3.0, 4.0]]
    b = [10.0, 20.0]
    right = [[H[i][j] + b[j] for j in range(2)] for i in range(2)]
    wrong = [[H[i][j] + b[i] for j in range(2)] for i in range(2)]
    assert right != wrong
    text = cell_outputs_text(NB).replace(" ", "")
    assert f"[[{right[0][0]:g}.{right[0][1]:g}.]" in text
    assert f"[[{wrong[0][0]:g}.{wrong[0][1]:g}.]" in text
