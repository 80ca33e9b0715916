"""1.1 퍼셉트론과 XOR 문제 — 가중치와 편향으로 결정 경계 직선을 움직이는 데모.

퍼셉트론 ŷ = step(w₁x₁ + w₂x₂ + b)의 결정 경계는 직선 w₁x₁ + w₂x₂ + b = 0이다. 슬라이더로 w₁, w₂, b를
바꾸며 AND, OR, XOR의 네 점을 모두 맞히는 직선을 찾아본다. AND와 OR은 찾을 수 있지만 XOR은 언제나
하나 이상 틀린다.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from d2lutil._checks import as_float_array, as_int_array, check_in_range, check_shape
from d2lutil.data import logic_gate
from d2lutil.perceptron import step
from d2lutil.plotting import CLASS_COLORS
from d2lutil.widgets import ChoiceParam, Demo, FloatParam, Param

__all__ = ["PerceptronDemo", "half_plane_polygon", "count_mistakes"]

#: 그림에 보이는 영역 [lo, hi] × [lo, hi]
_LO, _HI = -0.5, 1.5
_BOX = np.array([[_LO, _LO], [_HI, _LO], [_HI, _HI], [_LO, _HI]], dtype=np.float64)


def half_plane_polygon(w1: float, w2: float, b: float, box: np.ndarray = _BOX) -> np.ndarray:
    """볼록 다각형 box를 반평면 w₁x₁ + w₂x₂ + b > 0으로 잘라 낸 꼭짓점들 (k, 2)을 돌려준다.

    한 번의 서덜랜드–호지먼(Sutherland–Hodgman) 자르기다. 겹치는 부분이 없으면 (0, 2) 배열.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    w1, w2, b = (check_in_range(v, -1e12, 1e12, name=n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
    box = as_float_array(box, name="box")
    check_shape(box, (None, 2), name="box")
    w = np.array([w1, w2], dtype=np.float64)
    values = box @ w + b
    out: list[np.ndarray] = []
    n = len(box)
    for i in range(n):
        p, q = box[i], box[(i + 1) % n]
        vp, vq = values[i], values[(i + 1) % n]
        if vp > 0:
            out.append(p)
        if (vp > 0) != (vq > 0):  # 변이 경계를 가로지르면 교점을 넣는다
            t = vp / (vp - vq)
            out.append(p + t * (q - p))
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def count_mistakes(X: np.ndarray, y: np.ndarray, w1: float, w2: float, b: float) -> tuple[np.ndarray, int]:
    """퍼셉트론의 예측 ŷ = step(X·w + b)와 틀린 점의 개수. 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""
    w1, w2, b = (check_in_range(v, -1e12, 1e12, name=n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
    X = as_float_array(X, name="X")
    check_shape(X, (None, 2), name="X")
    y = as_int_array(y, name="y")
    check_shape(y, (X.shape[0],), name="y")
    pred = step(X @ np.array([w1, w2]) + b).astype(np.int64)
    return pred, int(np.sum(pred != y))


class PerceptronDemo(Demo):
    """w₁, w₂, b 슬라이더와 게이트 드롭다운: 결정 경계 직선과 틀린 점의 개수. 정의된 곳: 1.1 「퍼셉트론과 XOR 문제」"""

    params: ClassVar[tuple[Param, ...]] = (
        ChoiceParam("gate", "게이트", (("AND", "AND"), ("OR", "OR"), ("XOR", "XOR")), default="AND"),
        FloatParam("w1", "w₁", -2.0, 2.0, 0.1, default=1.0, grid=(-1.0, 1.0)),
        FloatParam("w2", "w₂", -2.0, 2.0, 0.1, default=1.0, grid=(-1.0, 1.0)),
        FloatParam("b", "b (편향)", -2.0, 2.0, 0.1, default=-0.5, grid=(-1.5, -0.5, 0.5)),
    )
    alt = (
        "네 입력점 (0,0), (0,1), (1,0), (1,1) 위에 결정 경계 직선 w₁x₁ + w₂x₂ + b = 0을 그리고, "
        "출력이 1인 쪽을 주황색으로 칠한 그림. 정답이 1인 점은 주황 원, 0인 점은 파란 사각형이고, "
        "틀린 점은 빨간 고리로 표시되며 제목에 틀린 개수가 나온다."
    )
    figsize: ClassVar[tuple[float, float]] = (4.2, 3.2)

    def setup(self, fig: Figure) -> None:
        # 배치를 고정한다: 프레임마다 레이아웃을 다시 풀지 않아 빠르고, 어느 프레임이든 같은 자리에 그려진다
        ax = fig.add_axes((0.14, 0.15, 0.56, 0.74))
        self.ax = ax
        ax.set_xlim(_LO, _HI)
        ax.set_ylim(_LO, _HI)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁ (입력 1)")
        ax.set_ylabel("x₂ (입력 2)")
        ax.grid(True, alpha=0.3)
        self.region = Polygon(np.zeros((1, 2)), closed=True, color=CLASS_COLORS[1], alpha=0.15, lw=0)
        ax.add_patch(self.region)
        (self.line,) = ax.plot([], [], color="0.2", lw=2)
        X, _ = logic_gate("AND")
        self.X = X
        self.ones = ax.scatter([], [], s=110, marker="o", color=CLASS_COLORS[1], zorder=3, label="정답 1")
        self.zeros = ax.scatter([], [], s=110, marker="s", color=CLASS_COLORS[0], zorder=3, label="정답 0")
        self.wrong = ax.scatter(
            [], [], s=420, facecolors="none", edgecolors="#c00000", linewidths=2.5, zorder=4, label="틀린 점"
        )
        ax.set_xticks([0.0, 1.0])
        ax.set_yticks([0.0, 1.0])
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, markerscale=0.5)
        self.title = ax.set_title("")
        self.mistakes = 0

    def draw(self, *, gate: str, w1: float, w2: float, b: float) -> str | None:
        X, y = logic_gate(gate)
        self.ones.set_offsets(X[y == 1])
        self.zeros.set_offsets(X[y == 0])
        pred, self.mistakes = count_mistakes(X, y, w1, w2, b)
        wrong = X[pred != y]
        self.wrong.set_offsets(wrong if len(wrong) else np.zeros((0, 2)))
        poly = half_plane_polygon(w1, w2, b)
        self.region.set_xy(poly if len(poly) else np.zeros((1, 2)))
        message: str | None = None
        if w1 == 0.0 and w2 == 0.0:
            self.line.set_data([], [])
            message = "w₁과 w₂가 모두 0이면 경계 직선이 없습니다: 모든 점의 출력이 같아집니다."
        elif abs(w2) >= abs(w1):  # 기울기가 완만하면 x₂를 x₁의 함수로 그린다
            xs = np.array([_LO, _HI])
            self.line.set_data(xs, -(w1 * xs + b) / w2)
        else:  # 가파르면 x₁을 x₂의 함수로 그린다 (세로선도 그릴 수 있다)
            ys = np.array([_LO, _HI])
            self.line.set_data(-(w2 * ys + b) / w1, ys)
        self.title.set_text(f"{gate}: 틀린 점 {self.mistakes}개  (w₁={w1:.1f}, w₂={w2:.1f}, b={b:.1f})")
        return message
