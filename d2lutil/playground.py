"""신경망 놀이터(playground)의 학습 엔진: 2차원 이진 분류를 numpy로 빠르게 학습한다.

3.4장의 대화형 실험(:mod:`d2lutil.demos.playground`)이 쓴다. 구성은 단순하다.

* :func:`make_dataset` — XOR, 원(circles), 반달(moons), 나선(spirals) 네 가지 2차원 데이터 (훈련·시험 따로).
* :class:`PlaygroundConfig` — 데이터, 은닉층 수·너비, 활성화 함수, 학습률, 배치 크기, 가중치 감쇠(L2), 씨앗.
* :class:`PlaygroundRun` — 설정 하나의 학습 궤적. ``train_to(epoch)``로 필요한 만큼 이어서 학습하고,
  에포크마다 매개변수 스냅숏과 훈련·시험 손실을 기록한다. 학습이 발산하면(NaN, 무한대, 또는 가중치가
  :data:`DIVERGENCE_LIMIT`를 넘으면) 그 에포크에서 멈추고 ``diverged_at``에 적는다.

출력층은 로짓 하나이고 손실은 시그모이드 + 이진 교차 엔트로피(로짓으로 안정하게 계산)이다. 가중치 감쇠는
손실에 (λ/2)·Σ‖W‖²를 더하는 것과 같아서 기울기에 λW를 더한다 (편향에는 적용하지 않는다).
계산은 모두 벡터화되어 있고 내부 반복에서는 검사를 하지 않는다 (입력은 설정을 만들 때 한 번 검사한다).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from d2lutil._checks import (
    as_float_array,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_positive,
    check_seed,
)
from d2lutil.data import make_circles, make_moons, make_spirals

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "DIVERGENCE_LIMIT",
    "PlaygroundConfig",
    "PlaygroundRun",
    "make_dataset",
]

DATASETS: tuple[str, ...] = ("xor", "circles", "moons", "spirals")
ACTIVATIONS: tuple[str, ...] = ("tanh", "relu", "sigmoid", "linear")
#: 매개변수의 절댓값이 이보다 커지면 발산으로 본다 (NaN이 되기 전에 멈춘다)
DIVERGENCE_LIMIT = 1e6
_DEFAULT_NOISE = {"xor": 0.05, "circles": 0.08, "moons": 0.1, "spirals": 0.04}
MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 32
MAX_EPOCHS = 5000


def make_dataset(
    name: str, n: int = 200, *, noise: float | None = None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """놀이터 데이터 n개: ``(X (n, 2), y (n,) 0/1 정수)``. 좌표는 대략 [−1.2, 1.2] 안에 있다.

    name: "xor"(사분면의 부호가 다르면 1), "circles"(동심원), "moons"(반달, 가운데로 옮김),
    "spirals"(나선 두 개). noise가 None이면 데이터마다 정한 기본값을 쓴다.
    """
    check_choice(name, DATASETS, name="name")
    n = check_int(n, name="n", minimum=4, maximum=100_000)
    noise = _DEFAULT_NOISE[name] if noise is None else check_nonnegative(noise, name="noise")
    seed = check_seed(seed)
    if name == "xor":
        rng = np.random.default_rng(seed)
        X = rng.uniform(-1.0, 1.0, size=(n, 2))
        X += 0.1 * np.sign(X)  # 축에서 조금 떨어뜨려 사분면이 또렷하게 한다
        y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
        X = X + noise * rng.standard_normal((n, 2))
        return X, y
    if name == "circles":
        return make_circles(n, noise, seed)
    if name == "moons":
        X, y = make_moons(n, noise, seed)
        return (X - np.array([0.5, 0.25])) * 1.1, y
    return make_spirals(n, noise, seed)


@dataclass(frozen=True)
class PlaygroundConfig:
    """학습 설정 하나. 만들 때 모든 값을 검사한다 (잘못된 값은 인자 이름을 담은 한국어 오류)."""

    dataset: str = "circles"
    hidden_layers: int = 2
    units: int = 8
    activation: str = "tanh"
    lr: float = 0.1
    batch_size: int = 10
    weight_decay: float = 0.0
    momentum: float = 0.9
    seed: int = 0
    n: int = 200

    def __post_init__(self) -> None:
        check_choice(self.dataset, DATASETS, name="dataset")
        check_int(self.hidden_layers, name="hidden_layers", minimum=1, maximum=MAX_HIDDEN_LAYERS)
        check_int(self.units, name="units", minimum=1, maximum=MAX_UNITS)
        check_choice(self.activation, ACTIVATIONS, name="activation")
        check_positive(self.lr, name="lr")
        check_int(self.batch_size, name="batch_size", minimum=1)
        check_nonnegative(self.weight_decay, name="weight_decay")
        check_in_range(self.momentum, 0.0, 1.0, name="momentum", high_inclusive=False)
        check_seed(self.seed)
        check_int(self.n, name="n", minimum=4, maximum=100_000)


def _activate(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "tanh":
        return np.tanh(z)
    if kind == "relu":
        return np.maximum(z, 0.0)
    if kind == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # 넘침 없이 σ(z)를 계산한다
    return z


def _activate_grad(z: np.ndarray, h: np.ndarray, kind: str) -> np.ndarray | float:
    """활성화 함수의 도함수를 입력 z와 출력 h로 계산한다 (ReLU는 z = 0에서 0)."""
    if kind == "tanh":
        return 1.0 - h * h
    if kind == "relu":
        return (z > 0.0).astype(z.dtype)
    if kind == "sigmoid":
        return h * (1.0 - h)
    return 1.0


def _bce_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    """평균 이진 교차 엔트로피 mean(log(1 + e^z) − y·z): 로짓으로 계산해 넘치지 않는다."""
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


@dataclass
class PlaygroundRun:
    """설정 하나의 학습 궤적. 에포크 0(초기값)부터 학습한 에포크까지의 스냅숏과 손실을 가진다.

    ``train_to(epoch)``는 이미 학습한 데서 이어서 학습한다. 같은 설정이면 결과가 언제나 같다
    (초기화와 미니배치 순서를 ``config.seed``로 정한다).
    """

    config: PlaygroundConfig
    X_train: np.ndarray = field(init=False, repr=False)
    y_train: np.ndarray = field(init=False, repr=False)
    X_test: np.ndarray = field(init=False, repr=False)
    y_test: np.ndarray = field(init=False, repr=False)
    epoch: int = field(init=False, default=0)
    diverged_at: int | None = field(init=False, default=None)
    train_loss: list[float] = field(init=False, default_factory=list)
    test_loss: list[float] = field(init=False, default_factory=list)
    snapshots: list[list[np.ndarray]] = field(init=False, default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.config, PlaygroundConfig):
            raise TypeError(
                f"config는 PlaygroundConfig여야 합니다: {type(self.config).__name__}를 받았습니다."
            )
        c = self.config
        self.X_train, self.y_train = make_dataset(c.dataset, c.n, seed=c.seed)
        self.X_test, self.y_test = make_dataset(c.dataset, c.n, seed=c.seed + 1)
        self._yt = self.y_train.astype(np.float64)[:, None]
        self._yv = self.y_test.astype(np.float64)[:, None]
        self._rng = np.random.default_rng(c.seed)
        dims = [2] + [c.units] * c.hidden_layers + [1]
        gain = 2.0 if c.activation == "relu" else 1.0  # ReLU는 He, 나머지는 Xavier(LeCun) 방식
        self._params: list[np.ndarray] = []
        for d_in, d_out in zip(dims[:-1], dims[1:]):
            self._params.append(self._rng.normal(0.0, np.sqrt(gain / d_in), size=(d_in, d_out)))
            self._params.append(np.zeros(d_out))
        self._velocity = [np.zeros_like(p) for p in self._params]
        self._record()

    # ------------------------------------------------------------------ 순전파
    @staticmethod
    def _forward(
        params: list[np.ndarray], X: np.ndarray, kind: str
    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        hs, zs = [X], []
        h = X
        for i in range(0, len(params) - 2, 2):
            z = h @ params[i] + params[i + 1]
            h = _activate(z, kind)
            zs.append(z)
            hs.append(h)
        return hs, zs, h @ params[-2] + params[-1]

    def params_at(self, epoch: int) -> list[np.ndarray]:
        """에포크 epoch가 끝난 뒤의 매개변수 (발산했으면 마지막으로 유한했던 값). 복사본이 아니다."""
        epoch = check_int(epoch, name="epoch", minimum=0)
        return self.snapshots[min(epoch, len(self.snapshots) - 1)]

    def predict_proba(self, X: Any, epoch: int) -> np.ndarray:
        """에포크 epoch에서 클래스 1일 확률 (n,)."""
        X = as_float_array(X, name="X")
        with np.errstate(over="ignore", invalid="ignore"):
            _, _, z = self._forward(self.params_at(epoch), X, self.config.activation)
            return 0.5 * (1.0 + np.tanh(0.5 * z[:, 0]))

    def hidden_outputs(self, X: Any, epoch: int) -> np.ndarray:
        """에포크 epoch에서 마지막 은닉층 뉴런들의 출력 (n, units)."""
        X = as_float_array(X, name="X")
        with np.errstate(over="ignore", invalid="ignore"):
            hs, _, _ = self._forward(self.params_at(epoch), X, self.config.activation)
            return hs[-1]

    # ------------------------------------------------------------------ 학습
    def _record(self) -> None:
        kind = self.config.activation
        _, _, zt = self._forward(self._params, self.X_train, kind)
        _, _, zv = self._forward(self._params, self.X_test, kind)
        self.train_loss.append(_bce_with_logits(zt, self._yt))
        self.test_loss.append(_bce_with_logits(zv, self._yv))
        self.snapshots.append([p.copy() for p in self._params])

    def _diverging(self) -> bool:
        for p in self._params:
            if not np.all(np.isfinite(p)) or np.max(np.abs(p)) > DIVERGENCE_LIMIT:
                return True
        return False

    def _one_epoch(self) -> None:
        c = self.config
        params, kind, lr, wd, mu = self._params, c.activation, c.lr, c.weight_decay, c.momentum
        vel = self._velocity
        order = self._rng.permutation(len(self.X_train))
        n_layers = len(params) // 2
        for start in range(0, len(order), c.batch_size):
            idx = order[start : start + c.batch_size]
            hs, zs, z = self._forward(params, self.X_train[idx], kind)
            p = 0.5 * (1.0 + np.tanh(0.5 * z))
            grad = (p - self._yt[idx]) / len(idx)  # ∂(평균 BCE)/∂로짓
            for layer in range(n_layers - 1, -1, -1):
                W, b = params[2 * layer], params[2 * layer + 1]
                dW = hs[layer].T @ grad
                db = grad.sum(axis=0)
                if layer > 0:
                    grad = (grad @ W.T) * _activate_grad(zs[layer - 1], hs[layer], kind)
                if wd:
                    dW += wd * W
                if mu:  # torch.optim.SGD와 같은 모멘텀: v ← μv + g, p ← p − lr·v
                    vW, vb = vel[2 * layer], vel[2 * layer + 1]
                    vW *= mu
                    vW += dW
                    vb *= mu
                    vb += db
                    dW, db = vW, vb
                W -= lr * dW
                b -= lr * db

    def train_to(self, epoch: int) -> PlaygroundRun:
        """에포크 epoch까지 (이미 학습한 곳에서 이어서) 학습한다. 발산하면 그 자리에서 멈춘다."""
        epoch = check_int(epoch, name="epoch", minimum=0, maximum=MAX_EPOCHS)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            while self.epoch < epoch and self.diverged_at is None:
                self._one_epoch()
                self.epoch += 1
                if self._diverging():
                    self.diverged_at = self.epoch
                    self._params = [p.copy() for p in self.snapshots[-1]]  # 마지막 유한한 값으로 되돌린다
                    self._velocity = [np.zeros_like(p) for p in self._params]
                    break
                self._record()
        return self

    @property
    def last_epoch(self) -> int:
        """기록이 있는 마지막 에포크 (발산했으면 발산 직전)."""
        return len(self.snapshots) - 1

    def accuracy(self, epoch: int, *, test: bool = True) -> float:
        """에포크 epoch에서 시험(또는 훈련) 세트 정확도 (문턱 0.5)."""
        X, y = (self.X_test, self.y_test) if test else (self.X_train, self.y_train)
        return float(np.mean((self.predict_proba(X, epoch) >= 0.5) == (y == 1)))
