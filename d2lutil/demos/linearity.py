"""2.3장 데모: 2차원 격자를 층 여러 개에 통과시킨다. 활성화가 없으면 격자는 평행사변형 격자로 남고,
ReLU를 넣으면 층마다 접힌다.

행 하나가 점 하나인 약속(행-표본 규약)을 쓴다: 점들 ``H``의 모양은 (n, 2)이고 한 층은 ``H W + b``이다.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from d2lutil._checks import as_float_array, check_choice, check_int, check_positive, check_seed, check_shape
from d2lutil.widgets import ChoiceParam, Demo, IntParam

__all__ = [
    "ACTIVATIONS",
    "LinearityDemo",
    "apply_layers",
    "bent_lines",
    "default_layers",
    "grid_lines",
]

#: 데모에서 고를 수 있는 활성화 이름
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
ACTIVATIONS: tuple[str, ...] = ("linear", "relu")

Layer = tuple[np.ndarray, np.ndarray]


def grid_lines(n_lines: int = 9, n_points: int = 81, extent: float = 1.0) -> list[np.ndarray]:
    """[-extent, extent]² 정사각형 위의 격자선들을 돌려준다.

    가로선과 세로선이 번갈아 나온다 (짝수 번째가 가로선). 각 선은 (n_points, 2) 배열이다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    n_lines = check_int(n_lines, name="n_lines", minimum=2, maximum=101)
    n_points = check_int(n_points, name="n_points", minimum=2, maximum=10_001)
    extent = check_positive(extent, name="extent")
    t = np.linspace(-extent, extent, n_points)
    lines: list[np.ndarray] = []
    for c in np.linspace(-extent, extent, n_lines):
        lines.append(np.column_stack([t, np.full_like(t, c)]))
        lines.append(np.column_stack([np.full_like(t, c), t]))
    return lines


def default_layers(n_layers: int = 4, *, seed: int = 3, fold: float = 0.3) -> list[Layer]:
    """데모가 쓰는 고정된 2→2 층들 [(W, b), ...]. 같은 씨앗이면 언제나 같은 값이다.

    W는 회전과 전단(shear)을 곱한 뒤 크기를 맞춘 2×2 행렬이고, 편향 b는 ReLU를 쓸 때 각 좌표에서
    점의 약 ``fold`` 비율이 0 아래로 내려가 접히도록 고른다. 그래야 층을 지날 때마다 접힘이 보인다.
    값은 소수 둘째 자리로 반올림해 책에 그대로 적을 수 있게 한다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    n_layers = check_int(n_layers, name="n_layers", minimum=1, maximum=20)
    seed = check_seed(seed)
    fold = float(check_positive(fold, name="fold"))
    if fold >= 1.0:
        raise ValueError(f"fold은(는) 0과 1 사이여야 합니다: {fold!r}를 받았습니다.")
    rng = np.random.default_rng(seed)
    h = np.concatenate(grid_lines())
    layers: list[Layer] = []
    for _ in range(n_layers):
        theta = rng.uniform(0.0, 2.0 * np.pi)
        rot = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
        shear = np.array([[1.0, rng.uniform(-0.8, 0.8)], [0.0, 1.0]])
        w = rot @ shear
        w = w / (h @ w).std()
        b = -np.quantile(h @ w, fold, axis=0)
        w, b = np.round(w, 2), np.round(b, 2)
        layers.append((w, b))
        h = np.maximum(h @ w + b, 0.0)
    return layers


def apply_layers(points: Any, layers: list[Layer], *, activation: str, n: int | None = None) -> np.ndarray:
    """점들 (m, 2)를 앞에서부터 ``n``개의 층에 통과시킨다: H ← act(H W + b).

    ``activation``은 "linear"(활성화 없음) 또는 "relu". ``n``이 None이면 모든 층을 쓴다.
    입력을 수정하지 않고 새 배열을 돌려준다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    h = as_float_array(points, name="points")
    check_shape(h, (None, 2), name="points")
    activation = check_choice(activation, ACTIVATIONS, name="activation")
    n = len(layers) if n is None else check_int(n, name="n", minimum=0, maximum=len(layers))
    for w, b in layers[:n]:
        # h @ w + b를 원소별 곱과 덧셈으로 풀어 씁니다. 작은 행렬 곱을 BLAS에 맡기면 CPU에 따라 FMA(곱셈과 덧셈을
        # 한 번에 반올림)를 쓰기도 하고 안 쓰기도 해서 마지막 비트가 달라지고, 그림의 픽셀 몇 개가 기계마다 바뀝니다.
        # 원소별 연산은 IEEE 754가 결과를 정확히 정하므로 어느 기계에서나 같습니다.
        h = sum(h[:, k : k + 1] * w[k] for k in range(w.shape[0])) + b
        if activation == "relu":
            h = np.maximum(h, 0.0)
    return h


def bent_lines(lines: list[np.ndarray], *, tol: float = 1e-9) -> int:
    """곧지 않은(꺾인) 선의 개수. 선 위의 점이 양 끝을 잇는 직선에서 tol보다 멀면 꺾였다고 본다.

    모든 점이 한 점으로 모인 선(길이 0)은 곧은 것으로 센다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    tol = check_positive(tol, name="tol")
    count = 0
    for k, line in enumerate(lines):
        pts = as_float_array(line, name=f"lines[{k}]")
        check_shape(pts, (None, 2), name=f"lines[{k}]")
        d = pts[-1] - pts[0]
        length = float(np.hypot(d[0], d[1]))
        rel = pts - pts[0]
        if length <= tol:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0]) / length
        if float(dist.max()) > tol * max(1.0, length):
            count += 1
    return count


class LinearityDemo(Demo):
    """격자를 층에 통과시킨 모습. 선형이면 곧은 평행선이 그대로, ReLU면 층마다 접힌다. 정의된 곳: 2.3 「왜 비선형이어야 하는가: 선형성의 증명」"""

    N_LAYERS: int = 4
    params = (
        ChoiceParam(
            "activation",
            "활성화",
            (("없음 (선형)", "linear"), ("ReLU", "relu")),
            default="linear",
        ),
        IntParam("layers", "통과한 층 수", 0, 4, 1, default=2, grid=(0, 1, 2, 3, 4)),
    )
    alt = (
        "정사각형 격자를 2→2 층에 차례로 통과시킨 그림. 활성화가 없으면 몇 층을 지나도 곧은 평행선으로 된 "
        "평행사변형 격자이고, ReLU를 넣으면 층마다 격자가 좌표축 쪽으로 접혀 꺾인 선이 생긴다."
    )
    figsize = (5.2, 4.4)
    layout = "constrained"  # 기본값으로 처음 그린 배치를 고정한다 (Demo.freeze_layout)

    def setup(self, fig: Figure) -> None:
        self.lines_in = grid_lines()
        self.layers = default_layers(self.N_LAYERS)
        self.ax = fig.add_subplot()
        self.artists = []
        for i, _ in enumerate(self.lines_in):
            (art,) = self.ax.plot([], [], color="C0" if i % 2 == 0 else "C1", lw=1.0)
            self.artists.append(art)
        self.ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
        self.ax.axvline(0.0, color="0.6", lw=0.6, zorder=0)
        self.ax.set_aspect("equal", adjustable="box")
        self.ax.set_xlabel("첫째 좌표 h₁ (임의 단위)")
        self.ax.set_ylabel("둘째 좌표 h₂ (임의 단위)")
        self.info = self.ax.text(
            0.02,
            0.98,
            "",
            transform=self.ax.transAxes,
            va="top",
            fontsize=9,
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.7", "alpha": 0.9},
        )
        self.current: list[np.ndarray] = []

    def draw(self, *, activation: str, layers: int) -> str | None:  # type: ignore[override]
        out = [apply_layers(line, self.layers, activation=activation, n=layers) for line in self.lines_in]
        self.current = out
        for art, pts in zip(self.artists, out):
            art.set_data(pts[:, 0], pts[:, 1])
        allpts = np.concatenate(out)
        lo, hi = allpts.min(axis=0), allpts.max(axis=0)
        center, half = (lo + hi) / 2, 0.54 * float(max(hi - lo)) + 0.05  # 두 축의 범위를 같게 (정사각형)
        self.ax.set_xlim(center[0] - half, center[0] + half)
        self.ax.set_ylim(center[1] - half, center[1] + half)
        bent = bent_lines(out, tol=1e-6)
        name = "활성화 없음 (선형)" if activation == "linear" else "ReLU"
        self.ax.set_title(f"{name}, 층 {layers}개를 지난 격자", fontsize=11)
        self.info.set_text(f"꺾인 격자선: {bent} / {len(out)}")
        self.bent = bent
        return None
