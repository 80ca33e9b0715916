"""신경망 놀이터(playground)의 학습 엔진: 2차원 이진 분류를 numpy로 학습한다.

3.4장의 대화형 실험이 쓴다. 온라인 책에서는 같은 엔진을 자바스크립트로 옮긴
``book/_static/playground/engine.js``가 독자의 브라우저에서 돌고, 두 엔진은 한 모델이다: 같은 설정과 씨앗이면
같은 데이터, 같은 초기값, 같은 미니배치 순서, 같은 갱신을 만든다(``tests/test_playground_parity.py``가 걸음마다
비교한다). 그래서 난수는 numpy가 아니라 두 언어에서 똑같이 구현한 32비트 생성기 :class:`PortableRng`
(mulberry32)로 만든다.

* :func:`make_dataset` — XOR, 원(circles), 가우스(gaussian), 반달(moons), 나선(spirals) 다섯 가지 2차원 데이터.
* :func:`feature_matrix` — 입력 특성 x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂ 가운데 고른 것들.
* :class:`PlaygroundConfig` — 데이터, 특성, 층마다 뉴런 수, 활성화 함수, 학습률, 배치 크기, 모멘텀, L1·L2 규제, 씨앗.
* :class:`PlaygroundRun` — 설정 하나의 학습 궤적. ``step()``은 미니배치 하나, ``train_to(epoch)``는 에포크 단위로
  이어서 학습하고 에포크마다 스냅숏과 훈련·시험 손실을 기록한다. 학습이 발산하면(NaN, 무한대, 또는 가중치가
  :data:`DIVERGENCE_LIMIT`를 넘으면) 그 걸음에서 멈추고 ``diverged_at``에 에포크를 적는다.

출력층은 로짓 하나이고 손실은 시그모이드 + 이진 교차 엔트로피(로짓으로 안정하게 계산)이다. 규제는 가중치에만
적용한다(편향 제외). L2(가중치 감쇠 λ₂)는 손실에 (λ₂/2)·Σ‖W‖²를 더하는 것과 같아 기울기에 λ₂W를 더하고,
L1(λ₁)은 λ₁·Σ|W|를 더하는 것과 같아 기울기에 λ₁·sign(W)를 더한다. 모멘텀은 torch.optim.SGD와 같다
(v ← μv + g, W ← W − ηv).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from d2lutil import _kernels as K
from d2lutil._checks import (
    as_float_array,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_positive,
    check_seed,
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

DATASETS: tuple[str, ...] = ("circles", "xor", "gaussian", "spirals", "moons")
ACTIVATIONS: tuple[str, ...] = ("tanh", "relu", "sigmoid", "linear")
FEATURES: tuple[str, ...] = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
#: 매개변수의 절댓값이 이보다 커지면 발산으로 본다 (NaN이 되기 전에 멈춘다)
DIVERGENCE_LIMIT = 1e6
DEFAULT_NOISE = {"xor": 0.05, "circles": 0.05, "gaussian": 0.1, "moons": 0.1, "spirals": 0.04}
MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 32
MAX_EPOCHS = 5000
_MASK = 0xFFFFFFFF


class PortableRng:
    """mulberry32: 자바스크립트에서 정수 연산만으로 똑같이 구현할 수 있는 32비트 난수 생성기.

    ``uniform()``은 [0, 1)의 배수 2⁻³², ``normal()``은 박스-뮬러 변환(균등 난수 두 개로 정규 난수 하나)이다.
    상태는 32비트 정수 하나(``state``)라서 자바스크립트 쪽에 그대로 넘길 수 있다.
    """

    def __init__(self, seed: int) -> None:
        self.state = check_seed(seed) & _MASK

    def next_u32(self) -> int:
        self.state = a = (self.state + 0x6D2B79F5) & _MASK
        t = ((a ^ (a >> 15)) * (1 | a)) & _MASK
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & _MASK)) & _MASK) ^ t
        return (t ^ (t >> 14)) & _MASK

    def uniform(self) -> float:
        return self.next_u32() / 4294967296.0

    def normal(self) -> float:
        u1 = 1.0 - self.uniform()  # (0, 1]: 로그가 유한하다
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def shuffle_indices(self, n: int) -> list[int]:
        """0..n−1의 피셔-예이츠 섞기 (뒤에서부터, j = ⌊u·(i+1)⌋)."""
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(self.uniform() * (i + 1))
            order[i], order[j] = order[j], order[i]
        return order


def make_dataset(
    name: str, n: int = 400, *, noise: float | None = None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """놀이터 데이터 n개: ``(X (n, 2), y (n,) 0/1 정수)``. 좌표는 대략 [−1.2, 1.2] 안에 있다.

    점 i의 클래스는 i % 2이고(두 클래스가 반씩), 점은 만든 순서대로 놓인다(훈련·시험 나누기는
    :class:`PlaygroundRun`이 섞어서 한다). noise는 좌표에 더하는 가우스 잡음의 표준편차이고, None이면
    데이터마다 정한 기본값(:data:`DEFAULT_NOISE`)을 쓴다.

    * "circles": 클래스 1은 반지름 0–0.5의 원판, 클래스 0은 반지름 0.7–1.0의 고리.
    * "xor": [−1, 1]² 안의 균등한 점(축에서 0.1 떨어뜨림), x₁x₂ < 0이면 1.
    * "gaussian": 중심 (0.5, 0.5)(클래스 1)과 (−0.5, −0.5)(클래스 0), 표준편차 0.2 + noise.
    * "spirals": 반지름 0.05→1로 한 바퀴 반 감기는 나선 두 개.
    * "moons": 서로 맞물린 반달 두 개(scikit-learn의 make_moons 모양을 가운데로 옮기고 0.8배).
    """
    check_choice(name, DATASETS, name="name")
    n = check_int(n, name="n", minimum=4, maximum=100_000)
    noise = DEFAULT_NOISE[name] if noise is None else check_nonnegative(noise, name="noise")
    rng = PortableRng(check_seed(seed))
    X = np.empty((n, 2))
    y = np.empty(n, dtype=np.int64)
    per_class = (n + 1) // 2
    for i in range(n):
        label = i % 2
        k = i // 2
        if name == "circles":
            lo, hi = (0.0, 0.5) if label == 1 else (0.7, 1.0)
            r = lo + (hi - lo) * rng.uniform()
            t = 2.0 * math.pi * rng.uniform()
            x1, x2 = r * math.cos(t), r * math.sin(t)
        elif name == "xor":
            while True:  # 점의 사분면으로 클래스가 정해지므로 클래스에 맞는 점이 나올 때까지 뽑는다
                a = 2.0 * rng.uniform() - 1.0
                b = 2.0 * rng.uniform() - 1.0
                if (a * b < 0) == (label == 1):
                    break
            x1 = a + (0.1 if a >= 0 else -0.1)
            x2 = b + (0.1 if b >= 0 else -0.1)
        elif name == "gaussian":
            c = 0.5 if label == 1 else -0.5
            s = 0.2 + noise
            x1, x2 = c + s * rng.normal(), c + s * rng.normal()
        elif name == "spirals":
            r = 0.05 + 0.95 * k / max(per_class - 1, 1)
            t = 3.0 * math.pi * r + math.pi * label
            x1, x2 = r * math.cos(t), r * math.sin(t)
        else:  # moons
            t = math.pi * rng.uniform()
            if label == 0:
                a, b = math.cos(t), math.sin(t)
            else:
                a, b = 1.0 - math.cos(t), 0.5 - math.sin(t)
            x1, x2 = (a - 0.5) * 0.8, (b - 0.25) * 0.8
        if name != "gaussian" and noise > 0:
            x1 += noise * rng.normal()
            x2 += noise * rng.normal()
        X[i, 0], X[i, 1] = x1, x2
        y[i] = label
    return X, y


def feature_matrix(X: Any, features: tuple[str, ...]) -> np.ndarray:
    """원래 좌표 X (n, 2)에서 고른 입력 특성들의 행렬 (n, len(features))을 만든다."""
    X = as_float_array(X, name="X")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X는 (n, 2) 모양이어야 합니다: {X.shape}를 받았습니다.")
    x1, x2 = X[:, 0], X[:, 1]
    table = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1sq": lambda: x1 * x1,
        "x2sq": lambda: x2 * x2,
        "x1x2": lambda: x1 * x2,
        "sinx1": lambda: np.sin(x1),
        "sinx2": lambda: np.sin(x2),
    }
    for f in features:
        check_choice(f, FEATURES, name="features")
    return np.column_stack([table[f]() for f in features])


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


#: 놀이터의 활성화 함수 (수식은 _kernels에 한 벌). 시그모이드는 자바스크립트 엔진과 비트까지 같은 tanh 꼴이다.
_ACTIVATE = {"tanh": K.tanh, "relu": K.relu, "sigmoid": K.sigmoid_tanh, "linear": K.identity}


def _activate(z: np.ndarray, kind: str) -> np.ndarray:
    return _ACTIVATE[kind](z)


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
        for d_in, d_out in zip(c.dims[:-1], c.dims[1:]):
            scale = math.sqrt(gain / d_in)
            W = np.array([[scale * self.rng.normal() for _ in range(d_out)] for _ in range(d_in)])
            self.params += [W.reshape(d_in, d_out), np.zeros(d_out)]
        self.velocity = [np.zeros_like(p) for p in self.params]
        self._order: list[int] = []
        self._pos = 0
        self.last_grads: list[np.ndarray] | None = None
        self._record()

    # ------------------------------------------------------------------ 순전파
    @staticmethod
    def _forward(
        params: list[np.ndarray], F: np.ndarray, kind: str
    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        hs, zs = [F], []
        h = F
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
        """에포크 epoch에서 클래스 1일 확률 (n,). X는 원래 좌표 (n, 2)."""
        F = feature_matrix(X, self.config.features)
        with np.errstate(over="ignore", invalid="ignore"):
            _, _, z = self._forward(self.params_at(epoch), F, self.config.activation)
            return K.sigmoid_tanh(z[:, 0])

    def hidden_outputs(self, X: Any, epoch: int) -> np.ndarray:
        """에포크 epoch에서 마지막 은닉층 뉴런들의 출력 (n, 뉴런 수). 은닉층이 없으면 입력 특성."""
        F = feature_matrix(X, self.config.features)
        with np.errstate(over="ignore", invalid="ignore"):
            hs, _, _ = self._forward(self.params_at(epoch), F, self.config.activation)
            return hs[-1]

    def losses(self) -> tuple[float, float]:
        """지금 매개변수의 (훈련 손실, 시험 손실)."""
        kind = self.config.activation
        with np.errstate(over="ignore", invalid="ignore"):
            _, _, zt = self._forward(self.params, self._F_train, kind)
            _, _, zv = self._forward(self.params, self._F_test, kind)
        return _bce_with_logits(zt, self._yt), _bce_with_logits(zv, self._yv)

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
        c = self.config
        params, kind, lr, mu = self.params, c.activation, c.lr, c.momentum
        n = len(self._F_train)
        if self._pos == 0:
            self._order = self.rng.shuffle_indices(n)
        idx = self._order[self._pos : self._pos + c.batch_size]
        self._pos += len(idx)
        hs, zs, z = self._forward(params, self._F_train[idx], kind)
        p = K.sigmoid_tanh(z)
        grad = (p - self._yt[idx]) / len(idx)  # ∂(평균 BCE)/∂로짓
        n_layers = len(params) // 2
        grads: list[np.ndarray] = [np.empty(0)] * len(params)
        for layer in range(n_layers - 1, -1, -1):
            W, b = params[2 * layer], params[2 * layer + 1]
            dW = hs[layer].T @ grad
            db = grad.sum(axis=0)
            if layer > 0:
                grad = (grad @ W.T) * _activate_grad(zs[layer - 1], hs[layer], kind)
            if c.weight_decay:
                dW += c.weight_decay * W
            if c.l1:
                dW += c.l1 * np.sign(W)
            grads[2 * layer], grads[2 * layer + 1] = dW, db
            vW, vb = self.velocity[2 * layer], self.velocity[2 * layer + 1]
            vW *= mu  # torch.optim.SGD와 같은 모멘텀: v ← μv + g, p ← p − lr·v (μ = 0이면 v = g)
            vW += dW
            vb *= mu
            vb += db
            W -= lr * vW
            b -= lr * vb
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
