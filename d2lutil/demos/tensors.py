"""0.1 준비: 텐서와 그래프 — 편향 벡터의 브로드캐스팅 데모.

점 6개를 행으로 쌓은 X (6, 2)에 편향 b (2,)를 더하면 넘파이가 b를 모든 행에 되풀이해 더한다
(브로드캐스팅). 슬라이더로 b₁, b₂를 바꾸면 모든 점이 같은 화살표만큼 함께 움직인다.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from d2lutil.plotting import CLASS_COLORS
from d2lutil.widgets import Demo, FloatParam, Param

__all__ = ["BroadcastDemo", "demo_points"]

#: 보이는 영역의 반지름. 점(최대 1.5)에 편향(최대 ±2)을 더해도 안에 든다.
_LIMIT = 4.0


def demo_points() -> np.ndarray:
    """데모에 쓰는 점 6개 X (6, 2). 난수를 쓰지 않는 고정 값이라 그림이 언제나 같다. 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""
    return np.array(
        [[-1.0, -0.5], [-0.5, 1.0], [0.0, 0.0], [0.5, -1.0], [1.0, 0.5], [1.5, 1.5]],
        dtype=np.float64,
    )


class BroadcastDemo(Demo):
    """X (6, 2) + b (2,): 편향 b가 모든 행(점)에 똑같이 더해지는 모습을 보여 준다. 정의된 곳: 0.1 「준비: 텐서와 그래프」"""

    params: ClassVar[tuple[Param, ...]] = (
        FloatParam("b1", "b₁ (가로 이동)", -2.0, 2.0, 0.1, default=1.0, grid=(-2.0, -1.0, 0.0, 1.0, 2.0)),
        FloatParam("b2", "b₂ (세로 이동)", -2.0, 2.0, 0.1, default=0.0, grid=(-2.0, -1.0, 0.0, 1.0, 2.0)),
    )
    alt = (
        "회색 빈 원 6개(X의 행)와 그 점들에 편향 b를 더한 파란 점 6개(X + b의 행). "
        "모든 점이 같은 화살표 b만큼 옮겨져 있어, 편향이 모든 행에 똑같이 더해진다는 것을 보여 준다."
    )
    figsize: ClassVar[tuple[float, float]] = (5.2, 3.6)

    def setup(self, fig: Figure) -> None:
        self.X = demo_points()
        # 배치를 고정한다: 프레임마다 레이아웃을 다시 풀지 않아 빠르고, 어느 프레임이든 같은 자리에 그려진다
        ax = fig.add_axes((0.1, 0.13, 0.52, 0.77))
        self.ax = ax
        ax.set_xlim(-_LIMIT, _LIMIT)
        ax.set_ylim(-_LIMIT, _LIMIT)
        ax.set_aspect("equal")
        ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
        ax.grid(True, alpha=0.3)
        ax.set_xlabel("x₁ (첫째 특성)")
        ax.set_ylabel("x₂ (둘째 특성)")
        ax.scatter(
            self.X[:, 0], self.X[:, 1], s=40, facecolors="none", edgecolors="0.5", label="X (더하기 전)"
        )
        self.arrows = LineCollection([], colors="0.6", linewidths=1.0, linestyles="dashed")
        ax.add_collection(self.arrows)
        self.moved = ax.scatter(self.X[:, 0], self.X[:, 1], s=40, color=CLASS_COLORS[0], label="X + b")
        (self.b_arrow,) = ax.plot([0.0, 0.0], [0.0, 0.0], color=CLASS_COLORS[1], lw=2.5, label="b (원점에서)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
        self.title = ax.set_title("")

    def shifted(self, b1: float, b2: float) -> np.ndarray:
        """X + b를 브로드캐스팅으로 계산한다. 결과 모양은 X와 같은 (6, 2)."""
        return self.X + np.array([b1, b2])

    def draw(self, *, b1: float, b2: float) -> str | None:
        Y = self.shifted(b1, b2)
        self.moved.set_offsets(Y)
        self.arrows.set_segments([np.array([x, y]) for x, y in zip(self.X, Y)])
        self.b_arrow.set_data([0.0, b1], [0.0, b2])
        self.title.set_text(
            f"X (6, 2) + b (2,)의 모양은 (6, 2),  b = [{b1:.1f}, {b2:.1f}]",
        )
        return None

    def frame_info(self) -> dict[str, Any]:
        """테스트와 본문에서 쓰는 현재 상태: 옮겨진 점들과 편향."""
        return {
            "shifted": np.asarray(self.moved.get_offsets()),
            "b": np.array([self.values["b1"], self.values["b2"]]),
        }
