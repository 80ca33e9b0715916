"""3.5장 데모: 손글씨 숫자 한 장에 드롭아웃 마스크를 씌워 본다.

드롭아웃은 보통 은닉 유닛에 쓰지만, 눈으로 보기 쉽도록 8×8 입력 픽셀 64개에 ``d2lutil.layers.Dropout``을
그대로 적용한다. p를 키우면 꺼지는 픽셀이 늘고 남은 픽셀은 1/(1 − p)배 밝아지며, 평균 밝기는 대략 그대로다.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from d2lutil.layers import Dropout
from d2lutil.widgets import Demo, FloatParam, IntParam

__all__ = ["DropoutDemo", "dropout_image"]


def dropout_image(image: np.ndarray, *, p: float, draw: int) -> tuple[np.ndarray, np.ndarray]:
    """그림(모양 상관없음)에 학습 모드 드롭아웃을 한 번 적용해 (마스크, 결과)를 돌려준다. draw가 씨앗이다. 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""
    layer = Dropout(p, seed=draw)
    out = layer.forward(image)
    mask = np.ones_like(out) if layer.mask is None else layer.mask
    return mask, out


class DropoutDemo(Demo):
    """원래 그림, 드롭아웃 마스크, 마스크를 씌운 그림을 나란히 그린다. 정의된 곳: 3.5 「과적합과 드롭아웃」"""

    params = (
        FloatParam("p", "버릴 확률 p", 0.0, 0.9, 0.05, default=0.5, grid=(0.0, 0.25, 0.5, 0.75)),
        IntParam("draw", "마스크 번호(씨앗)", 0, 9, 1, default=0, grid=(0, 1, 2)),
    )
    alt = (
        "세 칸짜리 그림. 왼쪽은 8×8 손글씨 숫자, 가운데는 꺼진 픽셀(검정)과 살아남은 픽셀(밝음)을 보여 주는 마스크, "
        "오른쪽은 마스크를 씌운 결과. p가 커질수록 꺼진 픽셀이 많아지고 남은 픽셀은 더 밝아진다."
    )
    figsize = (7.2, 2.9)
    layout = "constrained"
    freeze_layout = False  # 정적 프레임마다 배치를 다시 푼다 (살아 있는 위젯은 첫 배치를 고정)

    def setup(self, fig: Figure) -> None:
        from d2lutil.data import load_digits_split

        X_train, _, y_train, _ = load_digits_split(test_size=0.2, seed=0)
        self.image = X_train[int(np.flatnonzero(y_train == 3)[0])].reshape(8, 8)  # 훈련 세트의 첫 숫자 3
        axes = fig.subplots(1, 3)
        self.ax_in, self.ax_mask, self.ax_out = axes
        vmax = 4.0  # p = 0.75일 때 남은 픽셀은 최대 4배 밝아진다
        self.im_in = self.ax_in.imshow(self.image, cmap="gray_r", vmin=0, vmax=vmax)
        self.im_mask = self.ax_mask.imshow(np.ones((8, 8)), cmap="gray", vmin=0, vmax=vmax)
        self.im_out = self.ax_out.imshow(self.image, cmap="gray_r", vmin=0, vmax=vmax)
        self.ax_in.set_title("원래 그림 (밝기 0–1)", fontsize=9)
        for ax in axes:
            ax.set_xticks([])
            ax.set_yticks([])
        fig.colorbar(self.im_out, ax=list(axes), shrink=0.8, label="픽셀 값 (0–4)")
        self.kept = 64
        self.mean_out = float(self.image.mean())

    def draw(self, *, p: float, draw: int) -> str | None:  # type: ignore[override]
        mask, out = dropout_image(self.image, p=p, draw=draw)
        self.im_mask.set_data(mask)
        self.im_out.set_data(out)
        self.kept = int(np.sum(mask > 0))
        self.mean_out = float(out.mean())
        self.ax_mask.set_title(
            f"마스크: 살아남은 픽셀 {self.kept}/64\n(값 0 또는 {1 / (1 - p):.2f})", fontsize=9
        )
        self.ax_out.set_title(
            f"드롭아웃 뒤: 평균 밝기 {self.mean_out:.3f}\n(원래 {self.image.mean():.3f})", fontsize=9
        )
        return None
