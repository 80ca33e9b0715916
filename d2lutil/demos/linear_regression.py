"""1.2 선형 회귀와 경사 하강법의 데모: 학습률과 단계 수에 따라 경사 하강법이 지나는 길.

왼쪽 그림은 비용 cost(W, b)의 등고선 위에 (W, b)가 지나간 경로를, 오른쪽 그림은 공부 시간–점수
데이터 위에 지금 단계의 직선과 최소제곱 직선을 그린다. 학습률이 너무 크면 경고 문구를 돌려준다.

경로는 학습률마다 한 번만 계산해 저장해 두고, 단계 수 슬라이더는 저장된 경로를 자르기만 한다.
"""

from __future__ import annotations

import io
import math
from typing import Any, ClassVar

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from d2lutil._checks import as_float_array, check_int, check_positive
from d2lutil.korean import with_particle
from d2lutil.widgets import Demo, FloatParam, IntParam

__all__ = [
    "BlitMixin",
    "GradientDescentDemo",
    "gradient_descent",
    "least_squares_line",
    "mse_cost",
    "max_stable_lr",
]

#: 경로를 그릴 때 이보다 큰 값은 그림 밖으로 보고 선을 끊는다 (발산한 경로의 거대한 좌표 방지).
_DRAW_LIMIT = 1e6


def _check_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_float_array(x, name="x")
    y = as_float_array(y, name="y")
    if x.ndim != 1:
        raise ValueError(f"x는 1차원 배열이어야 합니다: 모양 {x.shape}를 받았습니다.")
    if y.shape != x.shape:
        raise ValueError(f"y의 모양이 x와 같아야 합니다: {x.shape}을 기대했지만 {y.shape}를 받았습니다.")
    return x, y


def mse_cost(x: Any, y: Any, W: Any, b: Any) -> np.ndarray:
    """평균 제곱 오차 cost(W, b) = mean((y − (W x + b))²). W와 b는 같은 모양의 배열(격자)이어도 된다. 정의된 곳: 1.2 「선형 회귀와 경사 하강법」"""
    x, y = _check_xy(x, y)
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        err = y - (W[..., None] * x + b[..., None])
        return np.mean(err**2, axis=-1)


def least_squares_line(x: Any, y: Any) -> tuple[float, float]:
    """정규 방정식 (AᵀA)θ = Aᵀy (A = [x, 1])을 풀어 최소제곱 직선의 (W, b)를 돌려준다. 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)"""
    x, y = _check_xy(x, y)
    if np.ptp(x) == 0:
        raise ValueError(
            "x의 값이 모두 같아 직선을 하나로 정할 수 없습니다: 서로 다른 x가 둘 이상 필요합니다."
        )
    # 정규 방정식의 닫힌 해를 math.fsum(정확히 반올림한 합)으로 계산합니다. np.linalg.solve(AᵀA, Aᵀy)는 BLAS
    # 커널에 따라 마지막 비트가 달라져, 이 값으로 그리는 등고선의 픽셀이 CPU마다 바뀌었습니다.
    n = len(x)
    sx, sy = math.fsum(x), math.fsum(y)
    sxx, sxy = math.fsum(x * x), math.fsum(x * y)
    W = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    b = (sy - W * sx) / n
    return float(W), float(b)


def max_stable_lr(x: Any) -> float:
    """경사 하강법이 발산하지 않는 학습률의 상한 2/λ_max. λ_max는 비용의 헤세 행렬 (2/n)AᵀA의 최대 고윳값. 정의된 곳: 1.2 「선형 회귀와 경사 하강법」"""
    x = as_float_array(x, name="x")
    if x.ndim != 1:
        raise ValueError(f"x는 1차원 배열이어야 합니다: 모양 {x.shape}를 받았습니다.")
    A = np.column_stack([x, np.ones_like(x)])
    hessian = 2.0 / len(x) * (A.T @ A)
    return float(2.0 / np.linalg.eigvalsh(hessian)[-1])


def gradient_descent(
    x: Any, y: Any, lr: float, steps: int, *, w0: float = 0.0, b0: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """H(x) = W x + b를 평균 제곱 오차로 경사 하강법 steps번 학습한다.

    기울기: ∂cost/∂W = −(2/n) Σ (y − H(x)) x,  ∂cost/∂b = −(2/n) Σ (y − H(x)).
    돌려주는 값: 길이 steps + 1인 (W들, b들, 비용들), 처음 값 포함. 발산해서 값이 무한대가 되면
    그 뒤는 NaN으로 채운다 (경고 없이).

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    x, y = _check_xy(x, y)
    lr = check_positive(lr, name="lr")
    steps = check_int(steps, name="steps", minimum=0, maximum=1_000_000)
    w0 = float(as_float_array(w0, name="w0"))
    b0 = float(as_float_array(b0, name="b0"))
    Ws = np.full(steps + 1, np.nan)
    bs = np.full(steps + 1, np.nan)
    costs = np.full(steps + 1, np.nan)
    n = len(x)
    W, b = w0, b0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps + 1):
            err = y - (W * x + b)
            cost = float(err @ err) / n
            Ws[k], bs[k], costs[k] = W, b, cost
            if not np.isfinite(cost):
                break
            if k == steps:
                break
            dW = -2.0 / n * float(err @ x)
            db = -2.0 / n * float(err.sum())
            W, b = W - lr * dW, b - lr * db
    return Ws, bs, costs


def _inside(v: np.ndarray, lim: tuple[float, float]) -> np.ndarray:
    """값이 그림의 범위 안(양쪽으로 범위 폭만큼 여유)에 있는가."""
    span = lim[1] - lim[0]
    with np.errstate(invalid="ignore"):
        return np.isfinite(v) & (v >= lim[0] - span) & (v <= lim[1] + span)


def _short(v: float) -> str:
    """제목에 쓰는 숫자: 보통은 소수 둘째 자리, 아주 크면 유효숫자 세 자리 (제목이 그림 밖으로 넘치지 않게)."""
    return f"{v:.2f}" if abs(v) < 1e4 else f"{v:.3g}"


class BlitMixin:
    """움직이는 아티스트만 다시 그리는(blitting) PNG 렌더링. ``class MyDemo(BlitMixin, Demo)``처럼 쓴다.

    축 눈금·범례·등고선처럼 변하지 않는 부분은 처음 한 번만 그려 배경으로 저장하고, 프레임마다
    ``animated()``가 돌려준 아티스트만 그 위에 그린다. 글자 배치가 대부분인 전체 그리기를 건너뛰므로
    PNG 한 장이 몇 배 빨리 나온다. 축 범위는 고정되어 있어야 한다 (``draw``에서 바꾸지 않는다).
    Demo의 하위 클래스가 아니므로 ``all_demos()``가 데모로 세지 않는다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """

    fig: Figure
    dpi: ClassVar[int]

    def animated(self) -> list[Artist]:  # pragma: no cover - 하위 클래스가 정한다
        raise NotImplementedError

    def render_png(self, *, colors: int | None = None, dpi: int | None = None) -> bytes:
        """현재 그림을 PNG 바이트로 만든다 (Demo.render_png와 같은 인자, 같은 그림)."""
        if dpi is not None and dpi != self.dpi:
            return Demo.render_png(self, colors=colors, dpi=dpi)  # type: ignore[arg-type]
        from PIL import Image

        canvas = self.fig.canvas
        artists = self.animated()
        background = getattr(self, "_background", None)
        if background is None:
            for a in artists:
                a.set_visible(False)
            canvas.draw()  # type: ignore[no-untyped-call]
            background = canvas.copy_from_bbox(self.fig.bbox)  # type: ignore[attr-defined]
            self._background = background
            for a in artists:
                a.set_visible(True)
        canvas.restore_region(background)  # type: ignore[attr-defined]
        for a in artists:
            self.fig.draw_artist(a)
        width, height = canvas.get_width_height()
        rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
        image = Image.fromarray(rgba[:height, :width, :3].copy(), "RGB")
        if colors:
            image = image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=bool(colors))
        return out.getvalue()


class GradientDescentDemo(BlitMixin, Demo):
    """학습률과 단계 수를 골라 경사 하강법의 경로(등고선 위)와 맞춘 직선을 본다. 정의된 곳: 1.2 「선형 회귀와 경사 하강법」"""

    params = (
        FloatParam(
            "lr",
            "학습률",
            0.001,
            0.08,
            0.001,
            default=0.05,
            grid=(0.001, 0.01, 0.05, 0.065, 0.07),
            fmt="{:.3f}",
        ),
        IntParam("steps", "단계 수", 0, 1000, 1, default=100, grid=(2, 10, 100, 1000)),
    )
    alt = (
        "왼쪽은 가중치 W와 편향 b에 대한 평균 제곱 오차의 등고선과 경사 하강법이 지나간 경로, "
        "오른쪽은 공부 시간과 점수 네 점 위에 지금 단계의 직선과 최소제곱 직선을 그린 그림"
    )
    figsize = (8.0, 3.4)
    dpi = 72

    #: 등고선을 그릴 범위 (W, b)
    w_range = (-4.0, 26.0)
    b_range = (-8.0, 22.0)

    def setup(self, fig: Figure) -> None:
        from d2lutil.data import study_hours

        self.x, self.y = study_hours()
        self.w_star, self.b_star = least_squares_line(self.x, self.y)
        self.lr_limit = max_stable_lr(self.x)
        self._cache: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

        gs = fig.add_gridspec(1, 2, left=0.07, right=0.98, bottom=0.14, top=0.91, wspace=0.22)
        self.ax_cost = fig.add_subplot(gs[0, 0])
        self.ax_fit = fig.add_subplot(gs[0, 1])
        ws = np.linspace(*self.w_range, 121)
        bs = np.linspace(*self.b_range, 121)
        WW, BB = np.meshgrid(ws, bs)
        cost = mse_cost(self.x, self.y, WW, BB)
        c_min = float(mse_cost(self.x, self.y, self.w_star, self.b_star))
        levels = c_min + np.geomspace(1.0, float(cost.max()) - c_min, 10)
        # 안티에일리어싱을 끄면 프레임 PNG가 훨씬 작아진다 (커널 없는 형태의 크기 예산).
        self.ax_cost.contour(WW, BB, cost, levels=levels, colors="0.55", linewidths=0.7, antialiased=False)
        self.ax_cost.plot([self.w_star], [self.b_star], "*", color="#009E73", ms=12, label="최솟값")
        (self.path_line,) = self.ax_cost.plot([], [], "o-", color="#D55E00", ms=2.5, lw=1, label="경로")
        (self.start_pt,) = self.ax_cost.plot([0.0], [0.0], "s", color="#0072B2", ms=6, label="시작")
        self.ax_cost.set_xlim(*self.w_range)
        self.ax_cost.set_ylim(*self.b_range)
        self.ax_cost.set_xlabel("가중치 W (점/시간)")
        self.ax_cost.set_ylabel("편향 b (점)")
        self.ax_cost.legend(loc="upper right", fontsize=8)

        self.ax_fit.plot(self.x, self.y, "o", color="#0072B2", label="데이터")
        xs = np.array([0.0, 6.0])
        self.ax_fit.plot(
            xs, self.w_star * xs + self.b_star, "--", color="#009E73", lw=1, label="최소제곱 직선"
        )
        (self.fit_line,) = self.ax_fit.plot(xs, 0 * xs, "-", color="#D55E00", lw=2, label="지금 직선")
        self.xs = xs
        self.ax_fit.set_xlim(*xs)
        self.ax_fit.set_ylim(0.0, 90.0)
        self.ax_fit.set_xlabel("공부 시간 (시간)")
        self.ax_fit.set_ylabel("점수 (점)")
        self.ax_fit.legend(loc="upper left", fontsize=8)
        self.title = self.ax_fit.text(
            0.5, 1.02, "", transform=self.ax_fit.transAxes, ha="center", va="bottom", fontsize=9
        )

    def kernel_free_html(self, *, colors: int = 32, max_frames: int = 64) -> str:
        """바탕 클래스와 같지만 팔레트를 32색으로 줄여 프레임을 작게 만든다."""
        return super().kernel_free_html(colors=colors, max_frames=max_frames)

    def animated(self) -> list[Artist]:
        return [self.path_line, self.start_pt, self.fit_line, self.title]

    def trajectory(self, lr: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """학습률 lr로 최대 단계 수만큼 간 경로 (W, b, 비용). 학습률마다 한 번만 계산한다."""
        key = round(float(lr), 10)  # 슬라이더가 보내는 0.051000000000000004 같은 값도 같은 칸을 쓴다
        if key not in self._cache:
            steps_max = self._param("steps").max  # type: ignore[union-attr]
            self._cache[key] = gradient_descent(self.x, self.y, key, int(steps_max))
        return self._cache[key]

    def warm(self) -> None:
        """슬라이더가 가질 수 있는 모든 학습률의 경로를 미리 계산한다 (위젯을 띄운 뒤 뒤에서 돈다)."""
        p = self._param("lr")
        n = round((p.max - p.min) / p.step)  # type: ignore[union-attr]
        for k in range(n + 1):
            self.trajectory(p.min + k * p.step)  # type: ignore[union-attr]

    def draw(self, *, lr: float, steps: int) -> str | None:  # type: ignore[override]
        Ws, bs, costs = self.trajectory(lr)
        W, b = Ws[: steps + 1].copy(), bs[: steps + 1].copy()
        far = ~(np.isfinite(W) & np.isfinite(b)) | (np.abs(W) > _DRAW_LIMIT) | (np.abs(b) > _DRAW_LIMIT)
        # 발산한 경로는 그림 밖으로 처음 나간 점까지만 그린다: 그 뒤의 지그재그가 그림 전체를 칠하지 않게
        outside = ~_inside(W, self.w_range) | ~_inside(b, self.b_range)
        if outside.any():
            far[int(np.argmax(outside)) + 1 :] = True
        W[far] = np.nan
        b[far] = np.nan
        self.path_line.set_data(W, b)
        w_now, b_now, c_now = Ws[steps], bs[steps], costs[steps]
        if (
            np.isfinite(w_now)
            and np.isfinite(b_now)
            and abs(w_now) < _DRAW_LIMIT
            and abs(b_now) < _DRAW_LIMIT
        ):
            self.fit_line.set_data(self.xs, w_now * self.xs + b_now)
            self.title.set_text(
                f"{steps}단계: W = {_short(w_now)}, b = {_short(b_now)}, 비용 = {_short(c_now)}"
            )
        else:
            self.fit_line.set_data([], [])
            self.title.set_text(f"{steps}단계: 값이 너무 커져 직선을 그릴 수 없습니다")
        if not np.isfinite(c_now) or (steps > 0 and c_now > costs[0]):
            shown = "무한대" if not np.isfinite(c_now) else f"{c_now:.3g}"
            return (
                f"발산합니다: 학습률 {lr:g}에서 비용이 처음 {costs[0]:.1f}에서 {with_particle(shown, '으로/로')} 커졌습니다. "
                f"이 데이터에서는 학습률이 {self.lr_limit:.4f}보다 작아야 합니다."
            )
        if lr > self.lr_limit:
            return (
                f"학습률 {with_particle(f'{lr:g}', '은/는')} 한계 {self.lr_limit:.4f}보다 큽니다: 지금은 비용이 줄어 보여도 "
                "단계를 늘리면 진동이 커지며 발산합니다."
            )
        return None
