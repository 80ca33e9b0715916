"""그림 도우미: 그림 크기, 그리고 '축을 받아 아티스트를 돌려주는' 함수들.

규칙: 여기 있는 함수는 ``plt.show()``를 부르지 않고, 새 그림(figure)을 몰래 만들지 않는다.
호출하는 쪽이 ``fig, ax = plt.subplots()``로 축을 만들어 넘기고, 돌려받은 아티스트를
위젯에서 제자리 갱신(``line.set_data`` 등)에 쓴다. 예외는 ``small_multiples`` 하나로,
이름 그대로 그림을 만들어 돌려준다(그림은 호출한 쪽이 소유한다).

``matplotlib.pyplot``은 ``small_multiples`` 안에서만 가져온다. 그래서 ``import d2lutil``이
그림 백엔드를 건드리지 않는다. 한글 글꼴은 :mod:`d2lutil.fonts`에, 계산 그래프 그림은 :mod:`d2lutil.graph_plot`에
있다 (``use_korean_font``와 ``draw_graph``는 예전처럼 여기서도 가져올 수 있다).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.colors import ListedColormap

from d2lutil._checks import (
    as_float_array,
    as_int_array,
    check_axes,
    check_int,
    check_nonnegative,
    check_positive,
)
from d2lutil.fonts import use_korean_font
from d2lutil.graph_plot import draw_graph

if TYPE_CHECKING:  # pragma: no cover - 타입 검사용
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

__all__ = [
    "use_korean_font",
    "set_figsize",
    "plot_function_and_derivative",
    "plot_decision_boundary",
    "plot_history",
    "plot_cost_path",
    "small_multiples",
    "draw_graph",
    "CLASS_COLORS",
]

#: 클래스별 색 (색각 이상이 있어도 구별되는 Okabe–Ito 팔레트).
#: 정의된 곳: 1.1 「퍼셉트론과 XOR 문제」
CLASS_COLORS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

#: history 키를 범례용 한국어 이름으로 바꾼다. 없는 키는 그대로 쓴다.
HISTORY_LABELS: Mapping[str, str] = {
    "train_loss": "훈련 손실",
    "val_loss": "검증 손실",
    "train_acc": "훈련 정확도",
    "val_acc": "검증 정확도",
}

# --------------------------------------------------------------------------- 그림 크기


def set_figsize(w: float = 3.5, h: float = 2.5) -> None:
    """앞으로 만들 그림의 기본 크기를 (w, h) 인치로 정한다. 정의된 곳: 책에서는 쓰지 않음 (테스트·벤치마크용)"""
    w = check_positive(w, name="w")
    h = check_positive(h, name="h")
    mpl.rcParams["figure.figsize"] = (w, h)


# --------------------------------------------------------------------------- 공통 검사


def _check_callable(f: Any, *, name: str) -> None:
    if not callable(f):
        raise TypeError(f"{name}은(는) 호출할 수 있는 함수여야 합니다: {type(f).__name__}를 받았습니다.")


def _call_on(f: Callable[[np.ndarray], Any], x: np.ndarray, *, name: str) -> np.ndarray:
    """f(x)를 부르고 결과가 x와 같은 모양의 유한한 실수 배열인지 본다."""
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # 넘침은 아래에서 알린다
            out = f(x)
    except Exception as exc:  # 사용자의 함수가 무엇을 던지든 인자 이름을 붙여 알린다
        raise ValueError(f"{name}(x)를 계산하다 오류가 났습니다: {type(exc).__name__}: {exc}") from exc
    y = as_float_array(out, name=f"{name}(x)")
    if y.shape != x.shape:
        raise ValueError(
            f"{name}(x)의 모양이 x와 같아야 합니다: {x.shape}을 기대했지만 {y.shape}를 받았습니다."
        )
    return y


def _check_1d(x: Any, *, name: str) -> np.ndarray:
    arr = as_float_array(x, name=name)
    if arr.ndim != 1:
        raise ValueError(f"{name}은(는) 1차원 배열이어야 합니다: 모양 {arr.shape}를 받았습니다.")
    return arr


# --------------------------------------------------------------------------- 함수와 도함수


def plot_function_and_derivative(
    ax: Axes,
    x: Any,
    f: Callable[[np.ndarray], Any],
    df: Callable[[np.ndarray], Any] | None = None,
    *,
    label: str,
    df_label: str | None = None,
) -> list[Line2D]:
    """f(x)를 실선으로, df가 있으면 f'(x)를 점선으로 ax에 그리고 그린 선들을 돌려준다. 정의된 곳: 2.2 「활성화 함수」"""
    check_axes(ax)
    x = _check_1d(x, name="x")
    _check_callable(f, name="f")
    if not isinstance(label, str):
        raise TypeError(f"label은(는) 문자열이어야 합니다: {type(label).__name__}를 받았습니다.")
    if df_label is not None and not isinstance(df_label, str):
        raise TypeError(f"df_label은(는) 문자열이어야 합니다: {type(df_label).__name__}를 받았습니다.")
    lines = ax.plot(x, _call_on(f, x, name="f"), "-", label=label)
    if df is not None:
        _check_callable(df, name="df")
        dy = _call_on(df, x, name="df")
        lines += ax.plot(x, dy, "--", label=df_label if df_label is not None else f"{label}′")
    ax.axhline(0.0, color="0.7", lw=0.8, zorder=0)
    ax.set_xlabel("x")
    ax.legend()
    ax.grid(True, alpha=0.3)
    return lines


# --------------------------------------------------------------------------- 결정 경계


def _predict_labels(predict: Callable[[np.ndarray], Any], grid: np.ndarray) -> np.ndarray:
    """predict(grid)의 결과를 클래스 번호로 바꾼다: 레이블, 양성 확률, 또는 (m, k) 점수 모두 받는다."""
    try:
        out = predict(grid)
    except Exception as exc:
        raise ValueError(f"predict(grid)를 계산하다 오류가 났습니다: {type(exc).__name__}: {exc}") from exc
    p = as_float_array(out, name="predict(X)의 결과")
    m = grid.shape[0]
    if p.ndim == 2 and p.shape[0] == m and p.shape[1] == 1:
        p = p[:, 0]
    if p.ndim == 2 and p.shape[0] == m:
        return np.argmax(p, axis=1)
    if p.shape != (m,):
        raise ValueError(
            f"predict(X)의 결과 모양이 맞지 않습니다: ({m},), ({m}, 1) 또는 ({m}, k)를 기대했지만 "
            f"{p.shape}를 받았습니다."
        )
    if np.all(p == np.round(p)):
        return p.astype(np.int64)
    if p.min() < 0 or p.max() > 1:
        raise ValueError("predict(X)의 1차원 결과는 정수 레이블이거나 [0, 1]의 양성 확률이어야 합니다.")
    return (p >= 0.5).astype(np.int64)


def plot_decision_boundary(
    ax: Axes,
    predict: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    *,
    resolution: int = 200,
    margin: float = 0.5,
) -> dict[str, Any]:
    """2차원 데이터 X와 레이블 y 위에 분류기 predict의 결정 영역을 칠한다.

    predict는 (m, 2) 배열을 받아 (m,) 레이블, (m,) 양성 확률(0.5에서 자름), 또는 (m, k) 클래스별
    점수·확률(argmax)을 돌려주면 된다. 돌려주는 사전: ``{"regions": 칠한 영역, "points": 산점도}``.

    정의된 곳: 3.2 「역전파로 신경망 학습하기」
    """
    check_axes(ax)
    _check_callable(predict, name="predict")
    X = as_float_array(X, name="X")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X의 모양이 맞지 않습니다: (n, 2)를 기대했지만 {X.shape}를 받았습니다.")
    y = as_int_array(y, name="y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y의 모양이 맞지 않습니다: ({X.shape[0]},)을 기대했지만 {y.shape}를 받았습니다.")
    if y.min() < 0:
        raise ValueError(f"y의 레이블은 0 이상이어야 합니다: 최솟값 {y.min()}를 받았습니다.")
    resolution = check_int(resolution, name="resolution", minimum=2, maximum=2000)
    margin = check_nonnegative(margin, name="margin")

    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    hi = np.where(hi > lo, hi, lo + 1.0)  # 모든 점이 한 곳에 모여도 격자가 납작해지지 않게
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    z = _predict_labels(predict, grid).reshape(gx.shape)

    n_classes = int(max(y.max(), z.max(), 1)) + 1
    cmap = ListedColormap([CLASS_COLORS[k % len(CLASS_COLORS)] for k in range(n_classes)])
    levels = np.arange(n_classes + 1) - 0.5
    regions = ax.contourf(gx, gy, z, levels=levels, cmap=cmap, alpha=0.25)
    points = ax.scatter(
        X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5, edgecolors="white", linewidths=0.5
    )
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return {"regions": regions, "points": points}


# --------------------------------------------------------------------------- 학습 곡선


def plot_history(
    ax: Axes,
    history: Mapping[str, Sequence[float]],
    keys: Sequence[str] | None = None,
    *,
    xlabel: str = "에포크",
) -> list[Line2D]:
    """학습 기록(예: ``train()``이 돌려준 사전)의 곡선을 에포크 1부터 그린다.

    keys를 주지 않으면 모든 키를 그린다. 발산한 학습도 보여 줄 수 있도록 NaN·무한대는 허용한다
    (그 점은 선이 끊겨 보인다).

    정의된 곳: 책에서는 쓰지 않음 (테스트·벤치마크용)
    """
    check_axes(ax)
    if not isinstance(history, Mapping):
        raise TypeError(f"history는 사전(dict)이어야 합니다: {type(history).__name__}를 받았습니다.")
    if keys is None:
        keys = list(history)
    elif isinstance(keys, str) or not isinstance(keys, Sequence):
        raise TypeError(f"keys는 문자열의 리스트여야 합니다: {type(keys).__name__}를 받았습니다.")
    if not keys:
        raise ValueError("history에 그릴 곡선이 없습니다: 키가 하나 이상 있어야 합니다.")
    if not isinstance(xlabel, str):
        raise TypeError(f"xlabel은(는) 문자열이어야 합니다: {type(xlabel).__name__}를 받았습니다.")
    lines: list[Line2D] = []
    for key in keys:
        if key not in history:
            raise ValueError(
                f"keys의 {key!r}가 history에 없습니다: 있는 키는 {sorted(map(str, history))}입니다."
            )
        values = _check_1d_allow_nonfinite(history[key], name=f"history[{key!r}]")
        epochs = np.arange(1, len(values) + 1)
        lines += ax.plot(
            epochs,
            values,
            marker="o" if len(values) < 30 else None,
            ms=3,
            label=HISTORY_LABELS.get(str(key), str(key)),
        )
    ax.set_xlabel(xlabel)
    ax.legend(handles=lines)  # 손으로 건넨 선은 "_"로 시작하는 키도 범례에 나온다
    ax.grid(True, alpha=0.3)
    return lines


def _check_1d_allow_nonfinite(x: Any, *, name: str) -> np.ndarray:
    arr = as_float_array(x, name=name, allow_nonfinite=True)
    if arr.ndim != 1:
        raise ValueError(f"{name}은(는) 1차원 수열이어야 합니다: 모양 {arr.shape}를 받았습니다.")
    return arr


# --------------------------------------------------------------------------- 비용 곡선과 경사 하강 경로


def plot_cost_path(
    ax: Axes,
    cost: Callable[[np.ndarray], Any],
    ws: Any,
    path: Any,
) -> dict[str, Any]:
    """비용 곡선 cost(ws)와 경사 하강법이 지나간 점들 path를 함께 그린다.

    cost는 1차원 배열을 받아 같은 모양의 비용을 돌려주는 함수, ws는 곡선을 그릴 가중치 격자,
    path는 방문한 가중치의 수열(처음 값 포함)이다. 돌려주는 사전:
    ``{"curve": 비용 곡선, "path": 경로 선, "start": 시작점, "end": 끝점}``.

    정의된 곳: 1.2 「선형 회귀와 경사 하강법」
    """
    check_axes(ax)
    _check_callable(cost, name="cost")
    ws = _check_1d(ws, name="ws")
    path = _check_1d(path, name="path")
    curve_y = _call_on(cost, ws, name="cost")
    path_y = _call_on(cost, path, name="cost")
    (curve,) = ax.plot(ws, curve_y, "-", color="0.3", label="비용")
    (line,) = ax.plot(path, path_y, "o-", color=CLASS_COLORS[1], ms=4, lw=1, label="경사 하강 경로")
    (start,) = ax.plot(path[:1], path_y[:1], "s", color=CLASS_COLORS[0], ms=7, label="시작")
    (end,) = ax.plot(path[-1:], path_y[-1:], "*", color=CLASS_COLORS[2], ms=11, label="끝")
    ax.set_xlabel("가중치 $w$")
    ax.set_ylabel("비용")
    ax.legend()
    ax.grid(True, alpha=0.3)
    return {"curve": curve, "path": line, "start": start, "end": end}


# --------------------------------------------------------------------------- 작은 그림 여러 장


def small_multiples(n: int, ncols: int, *, figsize: tuple[float, float] | None = None) -> tuple[Figure, Any]:
    """n개의 작은 축을 ncols 열로 늘어놓은 새 그림을 만든다 (이 함수만 그림을 만든다).

    돌려주는 값: ``(fig, axes)``. axes는 길이 n의 1차원 배열이고, 남는 칸의 축은 지운다.
    그림은 호출한 쪽이 소유한다: 다 쓰면 ``plt.close(fig)``.

    정의된 곳: 2.1 「은닉층과 다층 퍼셉트론」
    """
    import matplotlib.pyplot as plt

    n = check_int(n, name="n", minimum=1, maximum=400)
    ncols = check_int(ncols, name="ncols", minimum=1, maximum=400)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    if figsize is None:
        figsize = (2.2 * ncols, 2.0 * nrows)
    elif not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise TypeError(f"figsize는 (너비, 높이) 두 수여야 합니다: {figsize!r}를 받았습니다.")
    else:
        figsize = (
            check_positive(figsize[0], name="figsize[0]"),
            check_positive(figsize[1], name="figsize[1]"),
        )
    fig, grid = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, layout="constrained")
    flat = grid.ravel()
    for extra in flat[n:]:
        fig.delaxes(extra)
    return fig, flat[:n]
