"""2.1장 데모: 은닉 ReLU 유닛 n개로 1차원 곡선을 근사한다 (보편 근사 정리를 눈으로 보기).

은닉층 유닛 i는 ``relu(x − t_i)``다. 꺾이는 점 t_i는 구간에 고르게 놓는다(첫 점은 구간의 왼쪽 끝이라서
그 유닛은 구간 안에서 직선 x − t_0처럼 행동한다). 은닉층은 고정하고 출력층의 가중치 v와 편향 c만
최소제곱으로 구한다: ŷ(x) = Σ_i v_i relu(x − t_i) + c. 그래서 학습 없이 바로 답이 나오고 결과는
꺾이는 점이 n개인 조각별 선형 함수다. 유닛이 많아질수록 조각이 짧아져 곡선에 가까워진다.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from d2lutil._checks import as_float_array, check_choice, check_int
from d2lutil.widgets import ChoiceParam, Demo, IntParam

__all__ = ["TARGETS", "ReluFit", "ReluFitDemo", "fit_relu_features", "relu_features", "relu_knots"]

#: 근사할 목표 함수들: 이름 → (보이는 이름, 함수, 구간)
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
TARGETS: Mapping[str, tuple[str, Callable[[np.ndarray], np.ndarray], tuple[float, float]]] = MappingProxyType(
    {
        "sin": ("사인 곡선 sin(x)", np.sin, (-np.pi, np.pi)),
        "bump": ("종 모양 exp(−x²)", lambda x: np.exp(-(x**2)), (-3.0, 3.0)),
        "wave": ("x·sin(2x)", lambda x: x * np.sin(2.0 * x), (-3.0, 3.0)),
    }
)


def relu_knots(n: int, lo: float, hi: float) -> np.ndarray:
    """은닉 유닛 n개의 꺾이는 점 t_0 < … < t_{n−1}: [lo, hi)를 n칸으로 나눈 왼쪽 끝들. 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""
    n = check_int(n, name="n", minimum=1, maximum=10_000)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(
            f"구간 [lo, hi]가 올바르지 않습니다: lo < hi인 유한한 수를 기대했지만 [{lo}, {hi}]를 받았습니다."
        )
    return lo + (hi - lo) * np.arange(n) / n


def relu_features(x: Any, knots: Any) -> np.ndarray:
    """은닉층의 출력 H[j, i] = relu(x_j − t_i). x: (m,), knots: (n,) → (m, n).

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    x = as_float_array(x, name="x")
    t = as_float_array(knots, name="knots")
    if x.ndim != 1:
        raise ValueError(f"x는 1차원 배열이어야 합니다: 모양 {x.shape}를 받았습니다.")
    if t.ndim != 1:
        raise ValueError(f"knots는 1차원 배열이어야 합니다: 모양 {t.shape}를 받았습니다.")
    return np.maximum(x[:, None] - t[None, :], 0.0)


@dataclass(frozen=True)
class ReluFit:
    """최소제곱 적합 결과: 꺾이는 점, 출력층 가중치 v (n,), 편향 c, 평균 제곱 오차. 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""

    knots: np.ndarray
    v: np.ndarray
    c: float
    mse: float

    def predict(self, x: Any) -> np.ndarray:
        """ŷ(x) = relu(x − t) · v + c."""
        return relu_features(x, self.knots) @ self.v + self.c


def fit_relu_features(x: Any, y: Any, n: int, *, lo: float | None = None, hi: float | None = None) -> ReluFit:
    """은닉 ReLU 유닛 n개(고정)와 선형 출력층으로 y ≈ ŷ(x)를 최소제곱으로 맞춘다.

    구간 [lo, hi]는 주지 않으면 x의 최솟값·최댓값이다. 출력층은 n개의 가중치와 편향 하나, 모두 n + 1개의
    매개변수를 가진다.

    정의된 곳: 2.1 「은닉층과 다층 퍼셉트론」
    """
    x = as_float_array(x, name="x")
    y = as_float_array(y, name="y")
    if x.ndim != 1:
        raise ValueError(f"x는 1차원 배열이어야 합니다: 모양 {x.shape}를 받았습니다.")
    if y.shape != x.shape:
        raise ValueError(f"y의 모양이 맞지 않습니다: x와 같은 {x.shape}을 기대했지만 {y.shape}를 받았습니다.")
    lo = float(x.min()) if lo is None else float(lo)
    hi = float(x.max()) if hi is None else float(hi)
    knots = relu_knots(n, lo, hi)
    A = np.column_stack([relu_features(x, knots), np.ones_like(x)])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = A @ coef - y
    return ReluFit(knots=knots, v=coef[:-1].copy(), c=float(coef[-1]), mse=float(np.mean(resid**2)))


class ReluFitDemo(Demo):
    """은닉 ReLU 유닛 수 n을 바꾸며 조각별 선형 근사가 목표 곡선에 다가가는 모습을 본다. 정의된 곳: 2.1 「은닉층과 다층 퍼셉트론」"""

    params = (
        IntParam("n", "은닉 유닛 수 n", 1, 60, 1, default=6, grid=(1, 3, 6, 12, 30)),
        ChoiceParam(
            "target",
            "목표 함수",
            tuple((label, key) for key, (label, _, _) in TARGETS.items()),
            default="sin",
            grid=("sin", "wave"),
        ),
    )
    alt = "은닉 ReLU 유닛 수를 늘릴수록 꺾은선 근사(주황)가 목표 곡선(회색)에 가까워지는 그림"
    figsize = (6.4, 3.4)
    n_points = 201
    n_max = 60  # 슬라이더 n의 최댓값 (params의 IntParam과 같다)

    def setup(self, fig: Figure) -> None:
        # 프레임마다 배치를 다시 계산하지 않도록 여백을 고정한다 (커널 없는 형태를 빨리 만든다)
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9)
        self.ax = fig.add_subplot()
        (self.target_line,) = self.ax.plot([], [], color="0.55", lw=3, label="목표 함수")
        (self.fit_line,) = self.ax.plot([], [], color="#D55E00", lw=1.6, label="ReLU 근사")
        (self.knot_marks,) = self.ax.plot([], [], "|", color="#0072B2", ms=10, mew=1.5, label="꺾이는 점")
        self.ax.set_xlabel("입력 x")
        self.ax.set_ylabel("출력 y")
        self.ax.grid(True, alpha=0.3)
        self.ax.legend(loc="upper left", fontsize=8)
        self._y_ranges: dict[str, tuple[float, float]] = {}

    def _y_range(self, target: str) -> tuple[float, float]:
        """목표 함수와, n = 1부터 최대까지의 모든 근사가 들어가는 y 범위 (목표마다 한 번 계산한다)."""
        cache = self._y_ranges
        if target not in cache:
            _, f, (lo, hi) = TARGETS[target]
            x = np.linspace(lo, hi, self.n_points)
            y = f(x)
            fits = [fit_relu_features(x, y, n).predict(x) for n in range(1, self.n_max + 1)]
            cache[target] = (
                float(min(y.min(), *(v.min() for v in fits))),
                float(max(y.max(), *(v.max() for v in fits))),
            )
        return cache[target]

    def draw(self, *, n: int, target: str) -> str | None:  # type: ignore[override]
        check_choice(target, list(TARGETS), name="target")
        _, f, (lo, hi) = TARGETS[target]
        x = np.linspace(lo, hi, self.n_points)
        y = f(x)
        fit = fit_relu_features(x, y, n)
        yhat = fit.predict(x)
        self.target_line.set_data(x, y)
        self.fit_line.set_data(x, yhat)
        ymin, ymax = self._y_range(target)
        pad = 0.12 * (ymax - ymin)
        self.knot_marks.set_data(fit.knots, np.full(n, ymin - 0.5 * pad))
        # 축 범위는 목표 함수마다 고정한다(모든 n의 근사가 들어가는 범위): n을 바꿀 때 눈금을 다시 그리지 않는다
        self.ax.set_xlim(lo, hi)
        self.ax.set_ylim(ymin - pad, ymax + pad)
        self.ax.set_title(
            f"은닉 유닛 {n}개 (매개변수 {3 * n + 1}개): 평균 제곱 오차 {fit.mse:.2e}", fontsize=10
        )
        self.last_fit = fit
        if n == 1:
            return "유닛이 하나면 꺾이는 점이 없어 직선 하나뿐입니다: 곡선을 따라갈 수 없습니다."
        return None
