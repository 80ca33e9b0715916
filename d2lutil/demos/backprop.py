"""3.2절 데모: 작은 신경망이 XOR를 배우는 과정을 에포크마다 본다.

신경망은 2-H-1 구조다: 은닉층은 tanh, 출력층은 로짓 하나(시그모이드와 이진 교차 엔트로피를 합친
``bce_with_logits``)이고, 전체 배치 경사 하강법으로 학습한다. 초기값은 ``layers.make_mlp``와 같다.

``train_xor_many``는 같은 역전파 식을 '네트워크' 축 하나를 더해 여러 신경망(씨앗·학습률이 다른)에
한꺼번에 적용한다. 그래서 100개 씨앗의 성공률을 1초 안에 잴 수 있고, 데모는 슬라이더가 고를 수 있는
모든 조합의 궤적을 미리 계산해 두어 ``update``가 그림만 바꾼다.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from d2lutil import _kernels as K
from d2lutil._checks import as_float_array, check_int, check_positive
from d2lutil.data import logic_gate
from d2lutil.layers import Affine, make_mlp
from d2lutil.plotting import CLASS_COLORS
from d2lutil.widgets import ChoiceParam, Demo, IntParam

__all__ = [
    "XorRuns",
    "XorTrainingDemo",
    "collapsed_pairs",
    "forward_many",
    "initial_params",
    "train_xor_many",
]

#: 두 점이 '같은 곳으로 모였다'고 볼 은닉 표현 사이의 거리
COLLAPSE_TOL = 0.05


def _xor() -> tuple[np.ndarray, np.ndarray]:
    X, y = logic_gate("XOR")
    return X.astype(np.float64), y.astype(np.float64)


def initial_params(hidden: int, seeds: Sequence[int]) -> tuple[np.ndarray, ...]:
    """씨앗마다 ``make_mlp([2, hidden, 1], activation="tanh", seed=s)``의 초기값을 쌓아 돌려준다.

    돌려주는 값: W1 (S, 2, H), b1 (S, H), W2 (S, H), b2 (S,).

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    hidden = check_int(hidden, name="hidden", minimum=1, maximum=64)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) == 0:
        raise TypeError(f"seeds는 정수 씨앗의 비어 있지 않은 목록이어야 합니다: {seeds!r}를 받았습니다.")
    W1, b1, W2, b2 = [], [], [], []
    for s in seeds:
        net = make_mlp([2, hidden, 1], activation="tanh", seed=s)
        first, last = net.layers[0], net.layers[2]
        assert isinstance(first, Affine) and isinstance(last, Affine)
        W1.append(first.W)
        b1.append(first.b)
        W2.append(last.W[:, 0])
        b2.append(last.b[0])
    return np.stack(W1), np.stack(b1), np.stack(W2), np.array(b2)


def forward_many(
    W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray, X: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """S개 신경망의 순전파. X (m, 2) → 은닉 표현 (S, m, H)와 로짓 (S, m). 정의된 곳: 3.2 「역전파로 신경망 학습하기」

    식은 한 신경망의 ``Affine → Tanh → Affine``과 같고(_kernels.affine), 배열 맨 앞에 신경망 축 S가 있을 뿐이다.
    """
    hid = K.tanh(K.affine(X, W1, b1[:, None, :]))  # (m, 2) @ (S, 2, H) → (S, m, H)
    z = K.affine(hid, W2[:, :, None], b2[:, None, None])  # (S, m, H) @ (S, H, 1) → (S, m, 1)
    return hid, z[:, :, 0]


@dataclass(frozen=True)
class XorRuns:
    """``train_xor_many``의 결과. S개 신경망의 궤적을 담는다.

    checkpoints (C,): 매개변수를 기록한 에포크 (0 = 초기값). W1 (C, S, 2, H), b1 (C, S, H), W2 (C, S, H),
    b2 (C, S). loss (epochs + 1, S): e번 갱신한 뒤의 손실 (loss[0]은 초기값의 손실).

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """

    hidden: int
    seeds: np.ndarray
    lrs: np.ndarray
    epochs: int
    checkpoints: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    loss: np.ndarray

    def params_at(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """k번째 기록 지점의 (W1, b1, W2, b2)."""
        return self.W1[k], self.b1[k], self.W2[k], self.b2[k]

    def accuracy(self, k: int = -1) -> np.ndarray:
        """k번째 기록 지점에서 네 점에 대한 정확도 (S,). 로짓 > 0이면 1로 예측한다."""
        X, y = _xor()
        _, z = forward_many(*self.params_at(k), X)
        return np.mean((z > 0) == (y > 0.5), axis=1)

    def solved(self) -> np.ndarray:
        """마지막에 네 점을 모두 맞힌 신경망 (S,) 불리언."""
        return self.accuracy(-1) == 1.0


def train_xor_many(
    hidden: int,
    seeds: Sequence[int],
    lr: float | Sequence[float] | np.ndarray,
    *,
    epochs: int = 1000,
    record_every: int = 10,
) -> XorRuns:
    """S개의 2-hidden-1 tanh 신경망을 XOR 네 점으로 전체 배치 경사 하강법 학습한다.

    한 신경망의 식은 ``Affine → Tanh → Affine``과 ``bce_with_logits``의 역전파와 똑같다.
    다른 점은 모든 배열 맨 앞에 신경망 축 S가 있다는 것뿐이다. lr은 하나이거나 신경망마다 하나(길이 S).

    정의된 곳: 3.2 「역전파로 신경망 학습하기」
    """
    hidden = check_int(hidden, name="hidden", minimum=1, maximum=64)
    epochs = check_int(epochs, name="epochs", minimum=1, maximum=100_000)
    record_every = check_int(record_every, name="record_every", minimum=1, maximum=epochs)
    W1, b1, W2, b2 = initial_params(hidden, seeds)
    S = W1.shape[0]
    lr_arr = as_float_array(lr, name="lr")
    if lr_arr.ndim == 0:
        check_positive(float(lr_arr), name="lr")
        lr_arr = np.full(S, float(lr_arr))
    elif lr_arr.shape != (S,):
        raise ValueError(
            f"lr의 모양이 맞지 않습니다: 스칼라 또는 ({S},)를 기대했지만 {lr_arr.shape}를 받았습니다."
        )
    elif np.any(lr_arr <= 0):
        raise ValueError(f"lr은(는) 모두 양수여야 합니다: 최솟값 {lr_arr.min()}를 받았습니다.")
    X, y = _xor()
    n = X.shape[0]

    checkpoints = np.arange(0, epochs + 1, record_every)
    if checkpoints[-1] != epochs:
        checkpoints = np.append(checkpoints, epochs)
    C = len(checkpoints)
    rec = {
        "W1": np.empty((C, S, 2, hidden)),
        "b1": np.empty((C, S, hidden)),
        "W2": np.empty((C, S, hidden)),
        "b2": np.empty((C, S)),
    }
    loss = np.empty((epochs + 1, S))
    k = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs + 1):
            if k < C and checkpoints[k] == epoch:
                for name, arr in zip(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2)):
                    rec[name][k] = arr
                k += 1
            # 순전파: 은닉층 tanh, 출력은 로짓
            hid, z = forward_many(W1, b1, W2, b2, X)
            loss[epoch] = K.bce_with_logits(z, y, axis=-1)
            if epoch == epochs:
                break
            # 역전파: dL/dz = (σ(z) − y) / n, 그다음 층마다 dX = dY Wᵀ, dW = Xᵀ dY, db = Σ dY
            dz = (K.sigmoid_tanh(z) - y) / n  # σ(z) = (1 + tanh(z/2)) / 2, 넘침 없음
            dhid, dW2, db2 = K.affine_backward(hid, W2[:, :, None], dz[:, :, None])
            dpre = dhid * K.tanh_grad_from_output(hid)  # tanh' = 1 − h²
            dW1, db1 = K.affine_param_grads(X, dpre)
            # 경사 하강법 갱신 (신경망마다 자기 학습률)
            K.sgd_step(W1, None, dW1, lr_arr[:, None, None])
            K.sgd_step(b1, None, db1, lr_arr[:, None])
            K.sgd_step(W2, None, dW2[:, :, 0], lr_arr[:, None])
            K.sgd_step(b2, None, db2[:, 0], lr_arr)
    return XorRuns(
        hidden=hidden,
        seeds=np.asarray(list(seeds)),
        lrs=lr_arr,
        epochs=epochs,
        checkpoints=checkpoints,
        loss=loss,
        **rec,
    )


def collapsed_pairs(hid: np.ndarray, y: np.ndarray, *, tol: float = COLLAPSE_TOL) -> np.ndarray:
    """은닉 표현 hid (S, m, H)에서 클래스가 다른 두 점이 거리 tol 안으로 모인 신경망 (S,) 불리언.

    그런 두 점은 출력층이 무엇을 하든 같은 로짓을 받으므로 둘 다 맞힐 수 없다.

    정의된 곳: 3.2 「역전파로 신경망 학습하기」
    """
    hid = as_float_array(hid, name="hid")
    if hid.ndim != 3:
        raise ValueError(f"hid의 모양이 맞지 않습니다: (S, m, H)를 기대했지만 {hid.shape}를 받았습니다.")
    y = np.asarray(y)
    diff = y[:, None] != y[None, :]
    dist = np.linalg.norm(hid[:, :, None, :] - hid[:, None, :, :], axis=-1)  # (S, m, m)
    return np.any((dist < tol) & diff[None], axis=(1, 2))


# --------------------------------------------------------------------------- 데모

_HIDDEN = (2, 3, 4, 8)
_LRS = (0.1, 0.3, 1.0, 3.0, 10.0)
_SEEDS = tuple(range(10))
_EPOCHS = 1000
_EVERY = 10
_LIM = (-0.5, 1.5)
_RES = 161
#: 출력 확률을 몇 개의 띠로 나눠 칠한다 (색이 적어야 커널 없는 형태의 PNG가 작다)
_BANDS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
_CMAP = ListedColormap(["#8DB8DA", "#BBD4E9", "#E3EDF6", "#F8E1D2", "#EEB894", "#E08E5B"])
_NORM = BoundaryNorm(_BANDS, _CMAP.N)
_LOSS_TICKS = (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)


class XorTrainingDemo(Demo):
    """은닉 유닛 수·학습률·초기값 씨앗을 고르고 에포크를 넘기며 결정 경계와 손실 곡선을 본다. 정의된 곳: 3.2 「역전파로 신경망 학습하기」"""

    params = (
        ChoiceParam("hidden", "은닉 유닛 수", tuple((str(h), h) for h in _HIDDEN), default=4, grid=(2, 4)),
        ChoiceParam("lr", "학습률", tuple((f"{v:g}", v) for v in _LRS), default=1.0, grid=(1.0, 10.0)),
        IntParam("seed", "초기값 씨앗", 0, len(_SEEDS) - 1, default=1, grid=(1,)),
        IntParam("epoch", "에포크", 0, _EPOCHS, step=_EVERY, default=_EPOCHS, grid=(100, 1000)),
    )
    alt = (
        "XOR 네 점 위에 신경망의 출력 확률을 색으로 칠하고 결정 경계(검은 선)와 은닉 유닛마다의 직선"
        "(회색 점선)을 그린 왼쪽 그림, 에포크에 따른 손실 곡선과 현재 에포크를 표시한 오른쪽 그림"
    )
    figsize = (7.6, 3.4)

    def setup(self, fig: Figure) -> None:
        self.X, self.y = _xor()
        lrs = np.repeat(np.array(_LRS), len(_SEEDS))
        seeds = [s for _ in _LRS for s in _SEEDS]
        # 은닉 유닛 수마다 (학습률 × 씨앗) 50개 신경망을 한 번에 학습해 둔다
        self.runs = {h: train_xor_many(h, seeds, lrs, epochs=_EPOCHS, record_every=_EVERY) for h in _HIDDEN}
        g = np.linspace(*_LIM, _RES)
        gx, gy = np.meshgrid(g, g)
        self.grid_points = np.column_stack([gx.ravel(), gy.ravel()])

        self.ax_b, self.ax_l = fig.subplots(1, 2, width_ratios=(1.0, 1.25))
        ax = self.ax_b
        self.image = ax.imshow(
            np.full((_RES, _RES), 0.5),
            origin="lower",
            extent=(*_LIM, *_LIM),
            cmap=_CMAP,
            norm=_NORM,
            interpolation="nearest",
        )
        self.contour: Any = None
        self.unit_lines = [ax.plot([], [], "--", color="0.35", lw=0.9)[0] for _ in range(max(_HIDDEN))]
        colors = [CLASS_COLORS[int(c)] for c in self.y]
        ax.scatter(self.X[:, 0], self.X[:, 1], c=colors, s=70, edgecolors="black", linewidths=0.8, zorder=4)
        ax.set_xlim(*_LIM)
        ax.set_ylim(*_LIM)
        ax.set_aspect("equal")
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        ax.set_xlabel("입력 $x_1$")
        ax.set_ylabel("입력 $x_2$")
        self.title = ax.set_title("", fontsize=10)

        al = self.ax_l
        epochs = np.arange(_EPOCHS + 1)
        (self.loss_line,) = al.plot(epochs, np.ones(_EPOCHS + 1), color=CLASS_COLORS[0], lw=1.5)
        (self.loss_dot,) = al.plot([0], [1.0], "o", color=CLASS_COLORS[1], ms=7, zorder=3, clip_on=False)
        al.axhline(np.log(2) / 2, color="0.5", lw=0.8, ls=":")
        al.text(0.97 * _EPOCHS, np.log(2) / 2 * 1.15, "두 점을 포기한 손실 ln2/2", ha="right", va="bottom",
                fontsize=8, color="0.35")  # fmt: skip
        al.set_yscale("log")
        # 눈금을 고정해 두면 그릴 때마다 눈금을 새로 계산하지 않아 빠르고, 수식 글꼴도 필요 없다
        al.set_yticks(_LOSS_TICKS, labels=[f"{v:g}" for v in _LOSS_TICKS])
        al.yaxis.set_minor_locator(NullLocator())
        al.set_xlim(0, _EPOCHS)
        al.set_xticks([0, 250, 500, 750, 1000])
        al.set_ylim(1e-4, 10.0)
        al.set_xlabel("에포크 (회)")
        al.set_ylabel("손실 (이진 교차 엔트로피)")
        al.grid(True, alpha=0.3)
        self.ax_b.set_position((0.06, 0.15, 0.36, 0.74))
        self.ax_l.set_position((0.55, 0.15, 0.40, 0.74))

    def _index(self, lr: float, seed: int) -> int:
        return _LRS.index(lr) * len(_SEEDS) + seed

    def draw(self, *, hidden: int, lr: float, seed: int, epoch: int) -> str | None:  # type: ignore[override]
        runs = self.runs[hidden]
        s = self._index(lr, seed)
        k = int(np.searchsorted(runs.checkpoints, epoch))
        k = min(k, len(runs.checkpoints) - 1)
        W1, b1, W2, b2 = (a[s : s + 1] for a in runs.params_at(k))
        shown_epoch = int(runs.checkpoints[k])

        # 왼쪽: 출력 확률, 결정 경계, 은닉 유닛의 직선
        _, zg = forward_many(W1, b1, W2, b2, self.grid_points)
        prob = K.sigmoid_tanh(zg[0])
        self.image.set_data(prob.reshape(_RES, _RES))
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        if prob.min() < 0.5 < prob.max():
            gx = self.grid_points[:, 0].reshape(_RES, _RES)
            gy = self.grid_points[:, 1].reshape(_RES, _RES)
            self.contour = self.ax_b.contour(gx, gy, prob.reshape(_RES, _RES), levels=[0.5], colors="black",
                                             linewidths=1.6)  # fmt: skip
        for j, line in enumerate(self.unit_lines):
            if j < hidden:
                line.set_data(*_line_in_box(W1[0, :, j], b1[0, j], _LIM))
            else:
                line.set_data([], [])
        hid, z = forward_many(W1, b1, W2, b2, self.X)
        acc = float(np.mean((z[0] > 0) == (self.y > 0.5)))
        self.title.set_text(f"2-{hidden}-1, 학습률 {lr:g}: 에포크 {shown_epoch}, 정확도 {acc:.0%}")

        # 오른쪽: 손실 곡선과 현재 위치
        curve = runs.loss[:, s]
        shown = np.clip(np.where(np.isfinite(curve), curve, 10.0), 1e-4, 10.0)
        self.loss_line.set_ydata(shown)
        self.loss_dot.set_data([shown_epoch], [shown[shown_epoch]])

        if not np.all(np.isfinite(curve)):
            return "손실이 무한대나 NaN이 되었습니다: 학습률을 줄이세요."
        final_acc = float(runs.accuracy(-1)[s])
        if final_acc < 1.0 and curve[-1] > 1.0:
            return (
                f"학습률 {lr:g}이 너무 큽니다: 손실이 줄지 않고 튀어 마지막 손실이 {curve[-1]:.2f}입니다. "
                "학습률을 줄여 보세요."
            )
        if shown_epoch == _EPOCHS and acc < 1.0:
            if collapsed_pairs(hid, self.y)[0]:
                return (
                    "1000 에포크 뒤에도 XOR를 풀지 못했습니다: 클래스가 다른 두 점이 은닉층에서 같은 곳으로 "
                    "모여 출력층이 둘을 구별할 수 없습니다. 은닉 유닛을 늘리거나 씨앗을 바꿔 보세요."
                )
            return "1000 에포크 뒤에도 네 점을 모두 맞히지 못했습니다: 학습률을 키우거나 씨앗을 바꿔 보세요."
        return None


def _line_in_box(w: np.ndarray, b: float, lim: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """직선 w·x + b = 0을 정사각형 lim × lim 안에서 그릴 두 끝점. w가 0이면 빈 선."""
    lo, hi = lim
    if abs(w[1]) >= abs(w[0]):
        if w[1] == 0.0:
            return np.array([]), np.array([])
        xs = np.array([lo, hi])
        return xs, -(w[0] * xs + b) / w[1]
    ys = np.array([lo, hi])
    return -(w[1] * ys + b) / w[0], ys
