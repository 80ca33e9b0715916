"""2.2장 데모: 활성화 함수와 매개변수(α, 입력 범위)를 골라 f와 f′을 나란히 본다.

왼쪽 축은 f(x), 오른쪽 축은 식으로 계산한 f′(x)(선)과 중앙 차분으로 잰 기울기(점)다. 두 값이 겹치면
도함수 식이 맞다는 뜻이다. α는 leaky ReLU, pReLU, ELU에만 쓰인다.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from d2lutil import activations as act
from d2lutil._checks import check_choice
from d2lutil.widgets import ChoiceParam, Demo, FloatParam

__all__ = ["FUNCTIONS", "ActivationDemo", "evaluate"]

#: 이름 → (보이는 이름, 식, α를 쓰는가)
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
FUNCTIONS: Mapping[str, tuple[str, str, bool]] = MappingProxyType(
    {
        "step": ("계단 함수", "x > 0이면 1, 아니면 0", False),
        "sigmoid": ("시그모이드", "σ(x) = 1 / (1 + e^(−x))", False),
        "tanh": ("tanh", "tanh(x) = 2σ(2x) − 1", False),
        "relu": ("ReLU", "max(0, x)", False),
        "leaky_relu": ("leaky ReLU", "x > 0이면 x, 아니면 αx", True),
        "prelu": ("pReLU", "max(0, x) + α·min(0, x)", True),
        "elu": ("ELU", "x > 0이면 x, 아니면 α(e^x − 1)", True),
        "gelu": ("GELU", "x·Φ(x)", False),
        "softplus": ("softplus", "log(1 + e^x)", False),
    }
)


def _pair(name: str) -> tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]:
    if name == "prelu":
        return act.prelu, act.prelu_grad
    return act.ACTIVATIONS[name]


def evaluate(name: str, x: Any, alpha: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """이름으로 고른 활성화 함수의 (f(x), f′(x))를 돌려준다. α를 쓰지 않는 함수는 alpha를 무시한다. 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""
    check_choice(name, list(FUNCTIONS), name="name")
    f, df = _pair(name)
    if FUNCTIONS[name][2]:
        return f(x, alpha), df(x, alpha)
    return f(x), df(x)


class ActivationDemo(Demo):
    """활성화 함수, α, 입력 범위를 골라 f(x)와 f′(x)를 함께 그린다. 정의된 곳: 2.2 「활성화 함수」"""

    params = (
        ChoiceParam(
            "name",
            "함수",
            tuple((label, key) for key, (label, _, _) in FUNCTIONS.items()),
            default="relu",
        ),
        FloatParam("alpha", "α", 0.0, 2.0, 0.05, default=0.25, grid=(0.25, 1.0)),
        FloatParam("limit", "입력 범위 ±", 1.0, 10.0, 0.5, default=4.0),
    )
    alt = "고른 활성화 함수 f(x)(왼쪽)와 그 도함수 f′(x)(오른쪽, 선은 식, 점은 수치 미분)를 나란히 그린 그림"
    figsize = (6.4, 3.0)
    n_points = 401

    def setup(self, fig: Figure) -> None:
        # 프레임마다 배치를 다시 계산하지 않도록 여백을 고정한다 (커널 없는 형태를 빨리 만든다)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.88, wspace=0.3)
        self.ax_f, self.ax_df = fig.subplots(1, 2)
        (self.f_line,) = self.ax_f.plot([], [], color="#0072B2", lw=2)
        (self.df_line,) = self.ax_df.plot([], [], color="#D55E00", lw=2, label="식")
        (self.df_points,) = self.ax_df.plot([], [], "o", color="0.2", ms=3, label="수치 미분")
        for ax, ylabel in ((self.ax_f, "f(x)"), (self.ax_df, "f′(x)")):
            ax.axhline(0.0, color="0.7", lw=0.8, zorder=0)
            ax.axvline(0.0, color="0.7", lw=0.8, zorder=0)
            ax.grid(True, alpha=0.3)
            ax.set_xlabel("입력 x")
            ax.set_ylabel(ylabel)
        self.ax_df.legend(loc="upper left", fontsize=8)

    def draw(self, *, name: str, alpha: float, limit: float) -> str | None:  # type: ignore[override]
        label, formula, uses_alpha = FUNCTIONS[name]
        x = np.linspace(-limit, limit, self.n_points)
        y, dy = evaluate(name, x, alpha)
        self.f_line.set_data(x, y)
        self.df_line.set_data(x, dy)
        # 수치 미분: 꺾이는 점(0)을 걸치지 않도록 0이 아닌 점에서 중앙 차분을 잰다
        xs = np.linspace(-limit, limit, 16)
        xs = xs[np.abs(xs) > 1e-9]
        h = 1e-5
        num = (evaluate(name, xs + h, alpha)[0] - evaluate(name, xs - h, alpha)[0]) / (2 * h)
        self.df_points.set_data(xs, num)
        for ax, vals, top in ((self.ax_f, y, 0.1), (self.ax_df, np.concatenate([dy, num]), 0.5)):
            lo, hi = float(vals.min()), float(vals.max())
            pad = max(0.1 * (hi - lo), 0.1)
            # 오른쪽 그림은 위쪽에 범례 자리를 비워 둔다: 곡선이 범례에 가리지 않는다 (예: α = 2의 f′ = 2)
            ax.set_xlim(-limit, limit)
            ax.set_ylim(lo - pad, hi + max(top * (hi - lo), top))
        shown = f"{label}: {formula}"
        if uses_alpha:
            shown += f"  (α = {alpha:g})"
        self.ax_f.set_title(shown, fontsize=9, loc="left")
        self.ax_df.set_title(
            f"x = 0에서 쓰는 값 f′(0) = {float(evaluate(name, np.zeros(1), alpha)[1][0]):.3g}", fontsize=9
        )
        if name == "step":
            return "계단 함수의 도함수는 0이 아닌 모든 곳에서 0입니다: 경사 하강법이 받을 신호가 없습니다."
        if uses_alpha and name in ("leaky_relu", "prelu") and alpha > 1.0:
            return "α > 1이면 음수 쪽 기울기가 양수 쪽보다 커집니다: 보통은 0과 1 사이의 작은 값을 씁니다."
        if uses_alpha and alpha == 0.0:
            return "α = 0이면 음수 쪽이 ReLU처럼 완전히 0이 됩니다."
        return None
