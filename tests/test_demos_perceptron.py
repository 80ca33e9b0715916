"""d2lutil.demos.perceptron: 결정 경계 직선과 틀린 점 개수 데모."""

from __future__ import annotations

import itertools
import re
import time
import warnings

import numpy as np
import pytest

import d2lutil
from d2lutil.demos.perceptron import PerceptronDemo, count_mistakes, half_plane_polygon
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES

TRUTH = {  # 진리표를 직접 적는다 (d2lutil.data와 독립)
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "XOR": [0, 1, 1, 0],
}
POINTS = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]


def manual_mistakes(gate: str, w1: float, w2: float, b: float) -> int:
    return sum(int(w1 * a + w2 * c + b > 0) != t for (a, c), t in zip(POINTS, TRUTH[gate]))


@pytest.fixture(scope="module")
def demo() -> PerceptronDemo:
    d2lutil.use_korean_font()
    return PerceptronDemo()


def test_mistakes_over_grid_match_manual_count(demo: PerceptronDemo) -> None:
    for combo in demo.grid():
        demo.update(**combo)
        expected = manual_mistakes(combo["gate"], combo["w1"], combo["w2"], combo["b"])
        assert demo.mistakes == expected
        assert len(demo.wrong.get_offsets()) == expected
        assert f"틀린 점 {expected}개" in demo.title.get_text()


def test_grid_lets_reader_solve_and_or_but_not_xor(demo: PerceptronDemo) -> None:
    best: dict[str, int] = {}
    for combo in demo.grid():
        demo.update(**combo)
        best[combo["gate"]] = min(best.get(combo["gate"], 4), demo.mistakes)
    assert best == {"AND": 0, "OR": 0, "XOR": 1}


def test_xor_never_zero_on_slider_lattice(demo: PerceptronDemo) -> None:
    # 슬라이더가 갈 수 있는 모든 값(0.1 간격)에서도 XOR은 하나 이상 틀린다
    vals = np.round(np.arange(-2.0, 2.0001, 0.1), 10)
    w1, w2, b = np.meshgrid(vals, vals, vals, indexing="ij")
    X = np.array(POINTS)
    z = X[:, 0, None, None, None] * w1 + X[:, 1, None, None, None] * w2 + b
    wrong = ((z > 0).astype(int) != np.array(TRUTH["XOR"])[:, None, None, None]).sum(axis=0)
    assert wrong.min() == 1
    for i, j, k in itertools.islice(zip(*np.nonzero(wrong == 1)), 0, None, 997):
        demo.update(gate="XOR", w1=float(vals[i]), w2=float(vals[j]), b=float(vals[k]))
        assert demo.mistakes == 1


def test_line_lies_on_boundary(demo: PerceptronDemo) -> None:
    for w1, w2, b in [
        (1.0, 1.0, -1.5),
        (2.0, 0.1, -1.5),
        (0.0, 1.0, -0.5),
        (1.0, 0.0, -0.5),
        (-2.0, 2.0, 2.0),
    ]:
        demo.update(gate="AND", w1=w1, w2=w2, b=b)
        xs, ys = demo.line.get_data()
        assert len(xs) == 2
        np.testing.assert_allclose(w1 * np.asarray(xs) + w2 * np.asarray(ys) + b, 0.0, atol=1e-12)


def test_zero_weights_message(demo: PerceptronDemo) -> None:
    demo.update(gate="OR", w1=0.0, w2=0.0, b=0.5)
    assert demo.message is not None and "w₁" in demo.message
    assert len(demo.line.get_data()[0]) == 0
    assert demo.mistakes == 1  # b > 0이면 모두 1로 예측: OR에서는 (0,0) 하나만 틀린다
    demo.update(w1=1.0)
    assert demo.message is None


@pytest.mark.parametrize("w1", [-2.0, 2.0])
@pytest.mark.parametrize("w2", [-2.0, 0.0, 2.0])
@pytest.mark.parametrize("b", [-2.0, 2.0])
def test_extremes_do_not_raise(demo: PerceptronDemo, w1: float, w2: float, b: float) -> None:
    for gate in ("AND", "OR", "XOR"):
        demo.update(gate=gate, w1=w1, w2=w2, b=b)
        assert demo.mistakes == manual_mistakes(gate, w1, w2, b)


def test_half_plane_polygon_area() -> None:
    box = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    tri = half_plane_polygon(1.0, 1.0, -1.0, box)  # x1 + x2 > 1: 넓이 1/2인 삼각형

    def area(p: np.ndarray) -> float:
        x, y = p[:, 0], p[:, 1]
        return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))

    assert area(tri) == pytest.approx(0.5)
    assert area(half_plane_polygon(1.0, 0.0, -0.25, box)) == pytest.approx(0.75)
    assert half_plane_polygon(0.0, 0.0, -1.0, box).shape == (0, 2)
    assert area(half_plane_polygon(0.0, 0.0, 1.0, box)) == pytest.approx(1.0)


def test_count_mistakes_helper() -> None:
    X = np.array(POINTS)
    pred, n = count_mistakes(X, np.array(TRUTH["AND"]), 1.0, 1.0, -1.5)
    assert n == 0 and pred.tolist() == TRUTH["AND"]


@pytest.mark.parametrize(
    ("kwargs", "exc"),
    [
        ({"gate": "NOR"}, ValueError),
        ({"w1": 3.0}, ValueError),
        ({"w2": float("inf")}, ValueError),
        ({"b": None}, TypeError),
    ],
)
def test_bad_values_rejected(demo: PerceptronDemo, kwargs: dict, exc: type) -> None:
    name = next(iter(kwargs))
    with pytest.raises(exc, match=name):
        demo.update(**kwargs)


def test_html_budget_and_determinism(demo: PerceptronDemo) -> None:
    assert len(demo.grid()) == 36
    html = PerceptronDemo().kernel_free_html()
    assert len(html.encode("utf-8")) <= KERNEL_FREE_BUDGET_BYTES
    # 새 객체마다 같아야 nbval이 저장된 출력과 비교할 수 있다
    assert html == PerceptronDemo().kernel_free_html()


def test_update_is_fast(demo: PerceptronDemo) -> None:
    times = []
    for combo in demo.grid():
        t = time.perf_counter()
        demo.update(**combo)
        times.append(time.perf_counter() - t)
    assert float(np.median(times)) < 0.1  # 목표는 30 ms, 공유 CPU에서 흔들리지 않게 느슨하게 잰다


def test_frames_render_without_missing_glyphs(demo: PerceptronDemo) -> None:
    # 한글과 수식($…$)을 한 문자열에 섞으면 글꼴 순서에 따라 한글이 네모로 그려진다: 경고를 오류로 본다
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for combo in demo.grid()[::7]:
            demo.update(**combo)
            assert demo.render_png()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("call", "exc", "word"),
    [
        (lambda: half_plane_polygon(None, 1.0, 0.0), TypeError, "w1"),
        (lambda: half_plane_polygon(1.0, 10**400, 0.0), ValueError, "w2"),
        (lambda: half_plane_polygon(1.0, 1.0, float("nan")), ValueError, "b"),
        (lambda: half_plane_polygon(1.0, 1.0, 0.0, box=np.zeros((3, 3))), ValueError, "box"),
        (lambda: count_mistakes(np.zeros((4, 3)), np.zeros(4), 1.0, 1.0, 0.0), ValueError, "X"),
        (lambda: count_mistakes(np.zeros((4, 2)), np.zeros(3), 1.0, 1.0, 0.0), ValueError, "y"),
        (lambda: count_mistakes(np.zeros((4, 2)), np.zeros(4), "1", 1.0, 0.0), TypeError, "w1"),
    ],
)
def test_helpers_reject_bad_input_in_korean(call, exc: type, word: str) -> None:
    with pytest.raises(exc, match=word) as info:
        call()
    assert re.search("[가-힣]", str(info.value))
