"""1.3 파이토치로 선형 회귀 구현하기의 데모: 학습률과 에포크에 따른 비용 곡선과 직선.

데이터는 y = 2x인 세 점(``d2lutil.data.doubling``)이고, 모델은 H(x) = W x + b, W와 b는 0에서
시작한다. 장의 파이토치 코드(``optim.SGD``, 전체 배치)를 float32 numpy로 똑같이 따라 하는
``sgd_replica``로 모든 학습률의 학습 경로를 처음에 한 번에 계산해 둔다. 에포크 슬라이더는 저장된
경로를 자르기만 하므로 ``update``가 빠르다. (테스트가 이 복제본을 실제 torch 학습과 비교한다.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from d2lutil._checks import as_float_array, check_int
from d2lutil.demos.linear_regression import BlitMixin
from d2lutil.korean import with_particle
from d2lutil.widgets import ChoiceParam, Demo, IntParam

__all__ = ["TorchRegressionDemo", "sgd_replica"]


def sgd_replica(x: Any, y: Any, lr: Any, epochs: int, *, dtype: Any = np.float32) -> dict[str, np.ndarray]:
    """``optim.SGD([W, b], lr)``로 H(x) = W x + b를 평균 제곱 오차로 학습하는 과정을 numpy로 따라 한다.

    x, y: 같은 길이의 1차원 자료 (또는 (n, 1) 열벡터). lr: 학습률 하나 또는 여러 개의 1차원 배열
    (학습률마다 독립된 학습을 한꺼번에 돌린다). W = b = 0에서 시작한다.
    돌려주는 사전의 "W", "b", "cost"는 길이 epochs + 1 (학습률이 여럿이면 (epochs + 1, m))이고,
    k번째 값은 k번 갱신한 뒤의 값이다 (cost[0]은 처음 비용). 발산해 넘치면 inf/NaN이 된다(경고 없음).

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    x = as_float_array(x, name="x", dtype=dtype).reshape(-1)
    y = as_float_array(y, name="y", dtype=dtype).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"y의 원소 수가 x와 같아야 합니다: {x.shape}을 기대했지만 {y.shape}를 받았습니다.")
    lrs = as_float_array(lr, name="lr", dtype=dtype)
    scalar = lrs.ndim == 0
    lrs = lrs.reshape(-1)
    if np.any(lrs <= 0):
        raise ValueError(f"lr은(는) 0보다 커야 합니다: {lr!r}를 받았습니다.")
    epochs = check_int(epochs, name="epochs", minimum=0, maximum=1_000_000)

    n = dtype(len(x))
    two = dtype(2.0)
    W = np.zeros_like(lrs)
    b = np.zeros_like(lrs)
    Ws = np.empty((epochs + 1, len(lrs)), dtype=dtype)
    bs = np.empty_like(Ws)
    costs = np.empty_like(Ws)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(epochs + 1):
            err = W[:, None] * x + b[:, None] - y  # (m, n)
            Ws[k], bs[k] = W, b
            costs[k] = (err * err).sum(axis=1) / n
            if k == epochs:
                break
            g = two * err / n  # d cost / d H
            W = W - lrs * (g * x).sum(axis=1)
            b = b - lrs * g.sum(axis=1)
    if scalar:
        return {"W": Ws[:, 0], "b": bs[:, 0], "cost": costs[:, 0]}
    return {"W": Ws, "b": bs, "cost": costs}


class TorchRegressionDemo(BlitMixin, Demo):
    """학습률과 에포크 수를 골라 비용 곡선과 학습된 직선을 본다. 정의된 곳: 1.3 「파이토치로 선형 회귀 구현하기」"""

    params = (
        ChoiceParam(
            "lr",
            "학습률",
            (("0.001", 0.001), ("0.01", 0.01), ("0.05", 0.05), ("0.15", 0.15), ("0.2", 0.2)),
            default=0.01,
        ),
        IntParam("epochs", "에포크 (회)", 0, 2000, 10, default=2000, grid=(10, 100, 500, 2000)),
    )
    alt = (
        "왼쪽은 에포크에 따른 비용(로그 눈금)과 지금 에포크의 점, 오른쪽은 y = 2x인 세 점 위에 "
        "지금 에포크까지 학습한 직선 H(x) = Wx + b를 그린 그림"
    )
    figsize = (8.0, 3.4)
    dpi = 72

    def setup(self, fig: Figure) -> None:
        from d2lutil.data import doubling

        x, y = doubling()
        self.x, self.y = x.ravel(), y.ravel()
        lr_param = self._param("lr")
        assert isinstance(lr_param, ChoiceParam)
        self.lrs = [float(v) for _, v in lr_param.pairs()]
        epochs_param = self._param("epochs")
        assert isinstance(epochs_param, IntParam)
        # 모든 학습률의 경로를 한 번에 계산한다 (학습률 축으로 벡터화).
        run = sgd_replica(self.x, self.y, np.array(self.lrs), epochs_param.max)
        self.runs = {
            lr: {k: v[:, i].astype(np.float64) for k, v in run.items()} for i, lr in enumerate(self.lrs)
        }

        # 발산하지 않는 학습률의 상한 2/λ_max (λ_max: 비용의 헤세 행렬 (2/n)AᵀA의 최대 고윳값)
        A = np.column_stack([self.x, np.ones_like(self.x)])
        self.lr_limit = float(2.0 / np.linalg.eigvalsh(2.0 / len(self.x) * (A.T @ A))[-1])

        gs = fig.add_gridspec(1, 2, left=0.11, right=0.98, bottom=0.14, top=0.91, wspace=0.22)
        self.ax_cost = fig.add_subplot(gs[0, 0])
        self.ax_fit = fig.add_subplot(gs[0, 1])

        self.epoch_axis = np.arange(epochs_param.max + 1)
        (self.cost_all,) = self.ax_cost.plot([], [], "-", color="0.75", lw=1, label="전체 경로")
        (self.cost_line,) = self.ax_cost.plot([], [], "-", color="#D55E00", lw=2, label="지금까지")
        (self.cost_now,) = self.ax_cost.plot([], [], "o", color="#D55E00", ms=6)
        self.ax_cost.set_yscale("log")
        # 눈금 글자를 1e-06처럼 적는다 (기본 수식 글꼴의 빼기 기호(U+2212)는 한글 글꼴 설정에서 깨진다).
        self.ax_cost.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
        self.ax_cost.set_xlim(0, epochs_param.max)
        self.ax_cost.set_ylim(1e-7, 1e4)
        self.ax_cost.set_xlabel("에포크 (회)")
        self.ax_cost.set_ylabel("비용 (MSE, 로그 눈금)")
        self.ax_cost.grid(True, alpha=0.3)
        self.ax_cost.legend(loc="upper right", fontsize=8)

        self.xs = np.array([0.0, 4.0])
        self.ax_fit.plot(self.xs, 2.0 * self.xs, "--", color="#009E73", lw=1, label="정답 y = 2x")
        self.ax_fit.plot(self.x, self.y, "o", color="#0072B2", ms=7, label="데이터")
        (self.fit_line,) = self.ax_fit.plot([], [], "-", color="#D55E00", lw=2, label="H(x) = Wx + b")
        self.ax_fit.set_xlim(*self.xs)
        self.ax_fit.set_ylim(-1.0, 9.0)
        self.ax_fit.set_xlabel("x (입력)")
        self.ax_fit.set_ylabel("y (출력)")
        self.ax_fit.legend(loc="upper left", fontsize=8)
        self.title = self.ax_fit.text(
            0.5, 1.02, "", transform=self.ax_fit.transAxes, ha="center", va="bottom", fontsize=9
        )

    def animated(self) -> list[Artist]:
        return [self.cost_all, self.cost_line, self.cost_now, self.fit_line, self.title]

    def draw(self, *, lr: float, epochs: int) -> str | None:  # type: ignore[override]
        run = self.runs[lr]
        cost = run["cost"]
        shown = np.where(np.isfinite(cost), cost, np.nan)
        self.cost_all.set_data(self.epoch_axis, shown)
        self.cost_line.set_data(self.epoch_axis[: epochs + 1], shown[: epochs + 1])
        self.cost_now.set_data([epochs], [shown[epochs]])
        W, b, c = run["W"][epochs], run["b"][epochs], cost[epochs]
        if np.isfinite(W) and np.isfinite(b) and np.isfinite(c):
            self.fit_line.set_data(self.xs, W * self.xs + b)
            self.title.set_text(f"에포크 {epochs}: W = {W:.4g}, b = {b:.4g}, 비용 = {c:.4g}")
        else:
            self.fit_line.set_data([], [])
            self.title.set_text(f"에포크 {epochs}: 값이 넘쳐(inf/NaN) 직선을 그릴 수 없습니다")
        if not np.isfinite(c) or (epochs > 0 and c > cost[0]):
            return (
                f"발산합니다: 학습률 {lr:g}에서 비용이 처음 {cost[0]:.4g}보다 커졌습니다"
                f" ({'inf/NaN' if not np.isfinite(c) else f'{c:.3g}'}). "
                f"이 데이터에서는 학습률이 {self.lr_limit:.4f}보다 작아야 합니다."
            )
        if lr > self.lr_limit:
            return (
                f"학습률 {with_particle(f'{lr:g}', '은/는')} 한계 {self.lr_limit:.4f}보다 큽니다: 아직은 괜찮아 보여도 "
                "에포크를 늘리면 진동이 커지며 발산합니다."
            )
        return None
