"""신경망 놀이터(playground)의 학습 엔진: 2차원 이진 분류를 numpy로 학습한다. 정의된 곳: 3.4 「신경망 놀이터」.

온라인 책에서는 같은 엔진을 자바스크립트로 옮긴 ``book/_static/playground/engine.js``가 독자의 브라우저에서
돌고, 두 엔진은 한 모델이다: 같은 설정과 씨앗이면 같은 데이터, 같은 초기값, 같은 미니배치 순서, 같은 갱신을
만든다(``tests/test_playground_parity.py``가 걸음마다 비교한다). 데이터와 두 언어 공통의 난수 생성기는
:mod:`d2lutil.playground_data`에 있다.

* :class:`PlaygroundConfig` — 데이터, 특성, 층마다 뉴런 수, 활성화 함수, 학습률, 배치 크기, 모멘텀, L1·L2 규제, 씨앗.
* :class:`PlaygroundRun` — 설정 하나의 학습 궤적. ``step()``은 미니배치 하나, ``train_to(epoch)``는 에포크 단위로
  이어서 학습하고 에포크마다 스냅숏과 훈련·시험 손실을 기록한다. 학습이 발산하면(NaN, 무한대, 또는 가중치가
  :data:`DIVERGENCE_LIMIT`를 넘으면) 그 걸음에서 멈추고 ``diverged_at``에 에포크를 적는다.

신경망은 아핀 층과 활성화를 번갈아 쌓고 출력층은 로짓 하나다. 손실은 시그모이드 + 이진 교차 엔트로피(로짓으로
안정하게 계산)이다. 수식(아핀 층의 순전파·역전파, 활성화와 그 도함수, 손실, 모멘텀 SGD)은 모두 :mod:`d2lutil._kernels`의
것을 부른다. 규제는 가중치에만 적용한다(편향 제외). L2(가중치 감쇠 λ₂)는 손실에 (λ₂/2)·Σ‖W‖²를 더하는 것과 같아
기울기에 λ₂W를 더하고, L1(λ₁)은 λ₁·Σ|W|를 더하는 것과 같아 기울기에 λ₁·sign(W)를 더한다.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from d2lutil import _kernels as K
from d2lutil._checks import (
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_positive,
    check_seed,
)
from d2lutil.playground_data import (
    DATASETS,
    DEFAULT_NOISE,
    FEATURES,
    PortableRng,
    feature_matrix,
    make_dataset,
)

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "DIVERGENCE_LIMIT",
    "FEATURES",
    "PlaygroundConfig",
    "PlaygroundRun",
    "PortableRng",
    "feature_matrix",
    "make_dataset",
]

ACTIVATIONS: tuple[str, ...] = tuple(K.FROM_OUTPUT)  # tanh, relu, sigmoid, linear
#: 매개변수의 절댓값이 이보다 커지면 발산으로 본다 (NaN이 되기 전에 멈춘다)
DIVERGENCE_LIMIT = 1e6
MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 32
MAX_EPOCHS = 5000


@dataclass(frozen=True)
class PlaygroundConfig:
    """학습 설정 하나. 만들 때 모든 값을 검사한다 (잘못된 값은 인자 이름을 담은 한국어 오류).

    hidden은 은닉층마다의 뉴런 수(빈 튜플이면 은닉층 없이 로지스틱 회귀), n은 훈련과 시험을 합한 점의 수,
    train_ratio는 그 가운데 훈련에 쓰는 비율이다. data_seed는 데이터를, seed는 초기값과 미니배치 순서를 정한다.
    """

    dataset: str = "circles"
    hidden: tuple[int, ...] = (8, 8)
    activation: str = "tanh"
    lr: float = 0.03
    batch_size: int = 10
    weight_decay: float = 0.0
    l1: float = 0.0
    momentum: float = 0.9
    features: tuple[str, ...] = ("x1", "x2")
    noise: float | None = None
    n: int = 400
    train_ratio: float = 0.5
    seed: int = 0
    data_seed: int = 0

    def __post_init__(self) -> None:
        check_choice(self.dataset, DATASETS, name="dataset")
        if not isinstance(self.hidden, tuple):
            raise TypeError(f"hidden은 정수의 튜플이어야 합니다: {type(self.hidden).__name__}를 받았습니다.")
        check_int(len(self.hidden), name="hidden의 길이(은닉층 수)", maximum=MAX_HIDDEN_LAYERS)
        for units in self.hidden:
            check_int(units, name="hidden의 뉴런 수", minimum=1, maximum=MAX_UNITS)
        check_choice(self.activation, ACTIVATIONS, name="activation")
        check_positive(self.lr, name="lr")
        check_int(self.batch_size, name="batch_size", minimum=1)
        check_nonnegative(self.weight_decay, name="weight_decay")
        check_nonnegative(self.l1, name="l1")
        check_in_range(self.momentum, 0.0, 1.0, name="momentum", high_inclusive=False)
        if not isinstance(self.features, tuple) or not self.features:
            raise ValueError(
                f"features는 특성 이름 하나 이상의 튜플이어야 합니다: {self.features!r}를 받았습니다."
            )
        for f in self.features:
            check_choice(f, FEATURES, name="features")
        if len(set(self.features)) != len(self.features):
            raise ValueError(f"features에 같은 특성이 두 번 있습니다: {self.features!r}")
        if self.noise is not None:
            check_nonnegative(self.noise, name="noise")
        check_int(self.n, name="n", minimum=4, maximum=100_000)
        check_in_range(self.train_ratio, 0.1, 0.9, name="train_ratio")
        check_seed(self.seed)
        check_seed(self.data_seed, name="data_seed")

    @property
    def n_train(self) -> int:
        """훈련 점의 수: round(n · train_ratio), 단 훈련과 시험에 적어도 하나씩."""
        return min(max(int(math.floor(self.n * self.train_ratio + 0.5)), 1), self.n - 1)

    @property
    def dims(self) -> list[int]:
        """층마다의 너비: [특성 수, 은닉층들, 1]."""
        return [len(self.features), *self.hidden, 1]


@dataclass
class PlaygroundRun:
    """설정 하나의 학습 궤적. 에포크 0(초기값)부터 학습한 에포크까지의 스냅숏과 손실을 가진다.

    같은 설정이면 결과가 언제나 같다. 데이터는 ``data_seed``로 만들어 같은 생성기로 섞은 뒤 앞의 ``n_train``개를
    훈련에, 나머지를 시험에 쓴다. 초기값(층마다 W를 행 우선으로, N(0, gain/입력 수), ReLU는 gain 2 나머지는 1,
    편향은 0)과 에포크마다의 미니배치 순서는 ``seed``의 생성기 하나에서 차례로 뽑는다.
    """

    config: PlaygroundConfig
    X_train: np.ndarray = field(init=False, repr=False)
    y_train: np.ndarray = field(init=False, repr=False)
    X_test: np.ndarray = field(init=False, repr=False)
    y_test: np.ndarray = field(init=False, repr=False)
    epoch: int = field(init=False, default=0)
    steps: int = field(init=False, default=0)
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
        X, y = make_dataset(c.dataset, c.n, noise=c.noise, seed=c.data_seed)
        split = PortableRng(c.data_seed ^ 0x9E3779B9).shuffle_indices(c.n)
        train_idx, test_idx = split[: c.n_train], split[c.n_train :]
        self.X_train, self.y_train = X[train_idx], y[train_idx]
        self.X_test, self.y_test = X[test_idx], y[test_idx]
        self._F_train = feature_matrix(self.X_train, c.features)
        self._F_test = feature_matrix(self.X_test, c.features)
        self._yt = self.y_train.astype(np.float64)[:, None]
        self._yv = self.y_test.astype(np.float64)[:, None]
        self.rng = PortableRng(c.seed)
        gain = 2.0 if c.activation == "relu" else 1.0  # ReLU는 He, 나머지는 LeCun 방식
        self.params: list[np.ndarray] = []
        for n_in, n_out in zip(c.dims[:-1], c.dims[1:]):
            scale = math.sqrt(gain / n_in)
            W = np.array([[scale * self.rng.normal() for _ in range(n_out)] for _ in range(n_in)])
            self.params += [W, np.zeros(n_out)]  # W: (n_in, n_out), 행 우선으로 뽑았다
        self.velocity = [np.zeros_like(p) for p in self.params]
        self._order: list[int] = []
        self._pos = 0
        self.last_grads: list[np.ndarray] | None = None
        self._record()

    # ------------------------------------------------------------------ 순전파
    @staticmethod
    def _forward(params: list[np.ndarray], F: np.ndarray, kind: str) -> list[np.ndarray]:
        """층마다의 출력 [F, h₁, …, 로짓]. 은닉층의 출력은 활성화를 거치고, 마지막 층은 로짓 그대로다."""
        activate = K.FROM_OUTPUT[kind][0]
        hs = [F]
        for i in range(0, len(params), 2):  # params = [W₁, b₁, W₂, b₂, …]
            z = K.affine(hs[-1], params[i], params[i + 1])  # h W + b
            hs.append(z if i == len(params) - 2 else activate(z))
        return hs

    def params_at(self, epoch: int) -> list[np.ndarray]:
        """에포크 epoch가 끝난 뒤의 매개변수 (발산했으면 마지막으로 유한했던 값). 복사본이 아니다."""
        epoch = check_int(epoch, name="epoch", minimum=0)
        return self.snapshots[min(epoch, len(self.snapshots) - 1)]

    def predict_proba(self, X: Any, epoch: int) -> np.ndarray:
        """에포크 epoch에서 클래스 1일 확률 (n,). X는 원래 좌표 (n, 2)."""
        F = feature_matrix(X, self.config.features)
        with np.errstate(over="ignore", invalid="ignore"):
            logits = self._forward(self.params_at(epoch), F, self.config.activation)[-1]
            return K.sigmoid_tanh(logits[:, 0])

    def hidden_outputs(self, X: Any, epoch: int) -> np.ndarray:
        """에포크 epoch에서 마지막 은닉층 뉴런들의 출력 (n, 뉴런 수). 은닉층이 없으면 입력 특성."""
        F = feature_matrix(X, self.config.features)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward(self.params_at(epoch), F, self.config.activation)[-2]

    def losses(self) -> tuple[float, float]:
        """지금 매개변수의 (훈련 손실, 시험 손실)."""
        kind = self.config.activation
        with np.errstate(over="ignore", invalid="ignore"):
            zt = self._forward(self.params, self._F_train, kind)[-1]
            zv = self._forward(self.params, self._F_test, kind)[-1]
        return K.bce_with_logits(zt, self._yt), K.bce_with_logits(zv, self._yv)

    # ------------------------------------------------------------------ 학습
    def _record(self) -> None:
        train, test = self.losses()
        self.train_loss.append(train)
        self.test_loss.append(test)
        self.snapshots.append([p.copy() for p in self.params])

    def _diverging(self) -> bool:
        for p in self.params:
            if not np.all(np.isfinite(p)) or np.max(np.abs(p)) > DIVERGENCE_LIMIT:
                return True
        return False

    def _step(self) -> bool:
        """미니배치 하나로 한 걸음. 에포크가 끝났으면 True. 검사는 부르는 쪽이 한다."""
        c, params = self.config, self.params
        n = len(self._F_train)
        if self._pos == 0:
            self._order = self.rng.shuffle_indices(n)
        idx = self._order[self._pos : self._pos + c.batch_size]
        self._pos += len(idx)
        hs = self._forward(params, self._F_train[idx], c.activation)
        activation_grad = K.FROM_OUTPUT[c.activation][1]  # f'(z)를 출력 h = f(z)로 계산한다
        dY = (K.sigmoid_tanh(hs[-1]) - self._yt[idx]) / len(idx)  # ∂(평균 BCE)/∂로짓 = (σ(로짓) − y) / 배치
        grads: list[np.ndarray] = [np.empty(0)] * len(params)
        for layer in reversed(range(len(params) // 2)):  # 마지막 층부터: W = params[2l], b = params[2l + 1]
            i = 2 * layer
            W, b = params[i], params[i + 1]
            if layer > 0:  # dX = dY Wᵀ (갱신하기 전의 W로), dW = hᵀ dY, db = Σ_행 dY
                dX, dW, db = K.affine_backward(hs[layer], W, dY)
            else:  # 첫 층: 입력 특성에 대한 기울기는 필요 없다
                dX, (dW, db) = None, K.affine_param_grads(hs[0], dY)
            if c.weight_decay:
                dW += c.weight_decay * W
            if c.l1:
                dW += c.l1 * np.sign(W)
            K.sgd_step(W, self.velocity[i], dW, c.lr, c.momentum)  # v ← μv + g, W ← W − lr·v
            K.sgd_step(b, self.velocity[i + 1], db, c.lr, c.momentum)
            grads[i], grads[i + 1] = dW, db
            if dX is not None:  # 아래 층의 출력 h에 대한 기울기 → 그 층의 z에 대한 기울기
                dY = dX * activation_grad(hs[layer])
        self.last_grads = grads
        self.steps += 1
        if self._pos >= n:
            self._pos = 0
            return True
        return False

    def _stop_diverged(self) -> None:
        self.diverged_at = self.epoch + 1
        self.params = [p.copy() for p in self.snapshots[-1]]  # 마지막 유한한 값으로 되돌린다
        self.velocity = [np.zeros_like(p) for p in self.params]

    def step(self, count: int = 1) -> PlaygroundRun:
        """미니배치 count개만큼 학습한다. 에포크가 끝날 때마다 스냅숏과 손실을 기록한다."""
        count = check_int(count, name="count", minimum=0, maximum=10_000_000)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(count):
                if self.diverged_at is not None:
                    break
                finished = self._step()
                if self._diverging():
                    self._stop_diverged()
                    break
                if finished:
                    self.epoch += 1
                    self._record()
        return self

    def train_to(self, epoch: int) -> PlaygroundRun:
        """에포크 epoch까지 (이미 학습한 곳에서 이어서) 학습한다. 발산하면 그 자리에서 멈춘다."""
        epoch = check_int(epoch, name="epoch", minimum=0, maximum=MAX_EPOCHS)
        n = len(self._F_train)
        while self.epoch < epoch and self.diverged_at is None:
            left = -(-(n - self._pos) // self.config.batch_size)  # 이 에포크에 남은 걸음 수
            self.step(left)
        return self

    @property
    def last_epoch(self) -> int:
        """기록이 있는 마지막 에포크 (발산했으면 발산 직전)."""
        return len(self.snapshots) - 1

    def accuracy(self, epoch: int, *, test: bool = True) -> float:
        """에포크 epoch에서 시험(또는 훈련) 세트 정확도 (문턱 0.5)."""
        X, y = (self.X_test, self.y_test) if test else (self.X_train, self.y_train)
        return float(np.mean((self.predict_proba(X, epoch) >= 0.5) == (y == 1)))

    def export_state(self) -> dict[str, Any]:
        """자바스크립트 엔진에 넘길 상태: 설정, 데이터, 지금 매개변수·속도, 생성기 상태, 에포크 안 위치."""
        c = self.config
        return {
            "config": {
                "dataset": c.dataset,
                "hidden": list(c.hidden),
                "activation": c.activation,
                "lr": c.lr,
                "batchSize": c.batch_size,
                "l2": c.weight_decay,
                "l1": c.l1,
                "momentum": c.momentum,
                "features": list(c.features),
                "noise": DEFAULT_NOISE[c.dataset] if c.noise is None else c.noise,
                "n": c.n,
                "trainRatio": c.train_ratio,
                "seed": c.seed,
                "dataSeed": c.data_seed,
            },
            "XTrain": self.X_train.tolist(),
            "yTrain": self.y_train.tolist(),
            "XTest": self.X_test.tolist(),
            "yTest": self.y_test.tolist(),
            "params": [p.tolist() for p in self.params],
            "velocity": [v.tolist() for v in self.velocity],
            "rngState": self.rng.state,
            "pos": self._pos,
            "order": list(self._order),
        }
