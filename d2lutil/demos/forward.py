"""2.4장 데모: 소프트맥스의 온도와 로짓 크기. 로짓에 큰 상수를 더하면 단순한 계산은 넘쳐서 nan이 되고,
최댓값을 뺀 계산은 그대로다.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from d2lutil._checks import as_float_array, check_positive
from d2lutil.activations import softmax
from d2lutil.korean import with_particle
from d2lutil.widgets import Demo, FloatParam

__all__ = ["BASE_LOGITS", "FLOAT64_MAX_LOG10", "SoftmaxDemo", "naive_softmax", "overflows"]

#: 데모의 기본 로짓. c = 1000을 더하면 본문의 예 [1010, 1000, 990]이 된다.
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
BASE_LOGITS: tuple[float, float, float] = (10.0, 0.0, -10.0)

#: float64로 나타낼 수 있는 가장 큰 수의 상용로그 (약 308.25)
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
FLOAT64_MAX_LOG10: float = float(np.log10(np.finfo(np.float64).max))


def naive_softmax(z: Any) -> np.ndarray:
    """최댓값을 빼지 않고 e^{z_i} / Σ_j e^{z_j}를 그대로 계산한다 (넘침을 보여 주려는 용도).

    넘침 경고는 숨기고 결과(inf/inf = nan 포함)만 돌려준다. 마지막 축을 따라 계산한다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    z = as_float_array(z, name="z")
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def overflows(z: Any) -> bool:
    """e^{z_i} 가운데 하나라도 float64의 최댓값을 넘는지 (그래서 단순한 계산이 망가지는지). 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""
    z = as_float_array(z, name="z")
    return bool(np.any(z / np.log(10.0) > FLOAT64_MAX_LOG10))


class SoftmaxDemo(Demo):
    """온도 T와 로짓에 더한 상수 c에 따른 소프트맥스 확률: 단순한 계산과 안정된 계산을 나란히 본다. 정의된 곳: 2.4 「신경망의 순전파: 행렬, 배치, 출력층」"""

    params = (
        FloatParam("temperature", "온도 T", 0.25, 10.0, 0.25, default=1.0, grid=(0.5, 1.0, 5.0), fmt="{:g}"),
        FloatParam(
            "shift", "로짓에 더한 상수 c", 0.0, 1000.0, 10.0, default=0.0, grid=(0.0, 350.0, 700.0, 1000.0)
        ),
    )
    alt = (
        "로짓 [10, 0, −10]에 상수 c를 더하고 온도 T로 나눈 뒤 소프트맥스를 계산한 그림. 왼쪽은 세 클래스의 "
        "확률 막대(단순한 계산과 최댓값을 뺀 계산), 오른쪽은 e^{z/T}의 자릿수와 float64 한계선이다. "
        "자릿수가 한계선을 넘으면 단순한 계산은 nan이 되지만 안정된 계산은 c와 상관없이 같다."
    )
    figsize = (7.6, 3.4)
    layout = "constrained"  # 기본값으로 처음 그린 배치를 고정한다 (Demo.freeze_layout)

    def setup(self, fig: Figure) -> None:
        self.ax_p, self.ax_e = fig.subplots(1, 2, width_ratios=(1.15, 1.0))
        k = len(BASE_LOGITS)
        self.x = np.arange(k, dtype=float)
        width = 0.38
        self.bars_naive = self.ax_p.bar(
            self.x - width / 2,
            np.zeros(k),
            width,
            color="0.75",
            hatch="//",
            edgecolor="0.4",
            label="단순한 계산",
        )
        self.bars_stable = self.ax_p.bar(
            self.x + width / 2, np.zeros(k), width, color="C0", label="최댓값을 뺀 계산"
        )
        self.nan_text = [
            self.ax_p.text(
                xi - width / 2, 0.03, "", ha="center", va="bottom", color="#b00020", fontsize=9, rotation=90
            )
            for xi in self.x
        ]
        self.ax_p.set_ylim(0.0, 1.12)
        self.ax_p.set_xticks(self.x, [f"클래스 {i}" for i in range(k)])
        self.ax_p.set_ylabel("확률 (0~1)")
        self.ax_p.legend(loc="upper right", fontsize=8)
        self.bars_exp = self.ax_e.bar(self.x, np.zeros(k), 0.6, color="C2")
        self.ax_e.axhline(FLOAT64_MAX_LOG10, color="#b00020", ls="--", lw=1.2)
        self.ax_e.text(
            k - 0.5,
            FLOAT64_MAX_LOG10,
            "float64 한계 (약 1.8×10³⁰⁸)",
            ha="right",
            va="bottom",
            fontsize=8,
            color="#b00020",
        )
        self.ax_e.set_xticks(self.x, [f"클래스 {i}" for i in range(k)])
        self.ax_e.set_ylabel("e^(z/T)의 자릿수 (log₁₀, 자리)")
        self.ax_e.set_ylim(-80.0, 2100.0 / np.log(10.0))
        self.ax_e.axhline(0.0, color="0.5", lw=0.6)
        self.probs_naive = np.zeros(k)
        self.probs_stable = np.zeros(k)

    def draw(self, *, temperature: float, shift: float) -> str | None:  # type: ignore[override]
        t = check_positive(temperature, name="temperature")
        z = (np.asarray(BASE_LOGITS) + shift) / t
        p_naive = naive_softmax(z)
        p_stable = softmax(z)
        self.probs_naive, self.probs_stable = p_naive, p_stable
        for bar, p, txt in zip(self.bars_naive, p_naive, self.nan_text):
            ok = bool(np.isfinite(p))
            bar.set_height(float(p) if ok else 0.0)
            txt.set_text("" if ok else "nan")
        for bar, p in zip(self.bars_stable, p_stable):
            bar.set_height(float(p))
        digits = z / np.log(10.0)
        over = digits > FLOAT64_MAX_LOG10
        for bar, d, o in zip(self.bars_exp, digits, over):
            bar.set_height(float(d))
            bar.set_color("#b00020" if o else "C2")
        shown = ", ".join(f"{v:.3g}" for v in p_stable)
        self.ax_p.set_title(f"T = {t:g}, c = {shift:g}\n안정된 확률 [{shown}]", fontsize=9)
        self.ax_e.set_title(f"가장 큰 지수 z/T = {z.max():.1f}", fontsize=9)
        if bool(over.any()):
            return (
                f"단순한 소프트맥스가 넘쳤습니다: {with_particle(f'e^{z.max():.0f}', '은/는')} float64의 최댓값(약 1.8×10^308)보다 커서 "
                "inf가 되고, inf/inf = nan이 됩니다. 최댓값을 뺀 계산은 c와 상관없이 같은 확률을 줍니다."
            )
        return None
