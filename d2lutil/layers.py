"""순전파(forward)와 역전파(backward)를 가진 numpy 계층들.

약속:

* 모양: X는 (n, d_in), W는 (d_in, d_out), b는 (d_out,). Y = X W + b.
* 계층은 입력을 절대 수정하지 않는다 (새 배열을 만들어 돌려준다). 역전파에 필요한 것만 기억해 둔다.
* 매개변수가 있는 계층은 ``params()``와 같은 순서의 ``grads()``를 돌려준다. 옵티마이저는
  ``params()``의 배열을 제자리에서 바꾼다: 이것이 유일하게 문서화된 수정이며, 그래서 ``Affine``은
  생성할 때 받은 W, b를 복사해 둔다.
* ``forward`` 전에 ``backward``를 부르면 RuntimeError.
* 모든 계층에는 ``training`` 표시가 있다(처음에는 True). ``train()``과 ``eval()``이 바꾸며, 지금은
  ``Dropout``만 이 표시에 따라 다르게 계산한다 (파이토치의 ``nn.Module.train()``/``eval()``과 같은 약속).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from d2lutil import activations as act
from d2lutil._checks import as_float_array, check_choice, check_in_range, check_int, check_seed, check_shape
from d2lutil.losses import cross_entropy_with_logits, cross_entropy_with_logits_grad

__all__ = [
    "Affine",
    "Dropout",
    "Layer",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Tanh",
    "make_mlp",
]

_SCHEMES = ("he", "xavier", "normal")
_MAX_WEIGHTS = 10**8  # 800MB. 교재용 계층이 이보다 크면 거의 언제나 크기를 잘못 넣은 것이다.


def _rng(seed: Any) -> np.random.Generator:
    """seed는 정수(0 … 2**32−1) 또는 np.random.Generator. 전역 난수 상태는 쓰지 않는다."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_seed(seed))


def _not_yet(layer: object) -> RuntimeError:
    return RuntimeError(
        f"{type(layer).__name__}.backward를 forward보다 먼저 불렀습니다: forward를 먼저 부르세요."
    )


def _check_dY(dY: Any, shape: tuple[int, ...]) -> np.ndarray:
    d = as_float_array(dY, name="dY")
    check_shape(d, shape, name="dY")
    return d


class Layer:
    """모든 계층의 바탕. 매개변수가 없는 계층은 params()와 grads()가 빈 목록이다."""

    training: bool = True  # 학습 모드인가? train()/eval()이 인스턴스마다 바꾼다

    def train(self, mode: bool = True) -> Layer:
        """학습 모드(mode=True) 또는 평가 모드(mode=False)로 바꾸고 자신을 돌려준다."""
        if not isinstance(mode, bool):
            raise TypeError(f"mode는 True 또는 False여야 합니다: {type(mode).__name__}를 받았습니다.")
        self.training = mode
        return self

    def eval(self) -> Layer:
        """평가 모드로 바꾼다. ``train(False)``와 같다."""
        return self.train(False)

    def forward(self, X: Any) -> np.ndarray:  # pragma: no cover - 하위 클래스가 구현한다
        raise NotImplementedError

    def backward(self, dY: Any) -> np.ndarray:  # pragma: no cover - 하위 클래스가 구현한다
        raise NotImplementedError

    def params(self) -> list[np.ndarray]:
        return []

    def grads(self) -> list[np.ndarray]:
        return []

    def __call__(self, X: Any) -> np.ndarray:
        return self.forward(X)


class Affine(Layer):
    """완전연결(아핀) 계층 Y = X W + b. 역전파: dW = Xᵀ dY, db = Σ_행 dY, dX = dY Wᵀ."""

    def __init__(self, W: Any, b: Any) -> None:
        W_arr = as_float_array(W, name="W")
        check_shape(W_arr, (None, None), name="W")
        b_arr = as_float_array(b, name="b")
        check_shape(b_arr, (W_arr.shape[1],), name="b")
        self.W = W_arr.copy()  # 옵티마이저가 제자리에서 바꾸므로 호출자의 배열과 떼어 놓는다
        self.b = b_arr.copy()
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self._X: np.ndarray | None = None

    @classmethod
    def init(cls, d_in: int, d_out: int, *, seed: Any, scheme: str = "he") -> Affine:
        """정규분포로 W를 초기화하고 b = 0으로 둔다.

        scheme: "he" (표준편차 √(2/d_in), ReLU용), "xavier" (√(2/(d_in + d_out)), 시그모이드·tanh용),
        "normal" (0.01). seed는 정수 또는 np.random.Generator.
        """
        d_in = check_int(d_in, name="d_in", minimum=1)
        d_out = check_int(d_out, name="d_out", minimum=1)
        if d_in * d_out > _MAX_WEIGHTS:
            raise ValueError(
                f"d_in × d_out = {d_in * d_out}이 너무 큽니다: 가중치는 {_MAX_WEIGHTS}개 이하여야 합니다 "
                "(메모리를 다 쓰는 실수를 막습니다)."
            )
        check_choice(scheme, _SCHEMES, name="scheme")
        rng = _rng(seed)
        std = {"he": np.sqrt(2.0 / d_in), "xavier": np.sqrt(2.0 / (d_in + d_out)), "normal": 0.01}[scheme]
        return cls(rng.normal(0.0, std, size=(d_in, d_out)), np.zeros(d_out))

    def forward(self, X: Any) -> np.ndarray:
        X = as_float_array(X, name="X")
        check_shape(X, (None, self.W.shape[0]), name="X")
        self._X = X
        return X @ self.W + self.b

    def backward(self, dY: Any) -> np.ndarray:
        if self._X is None:
            raise _not_yet(self)
        dY = _check_dY(dY, (self._X.shape[0], self.W.shape[1]))
        self.dW = self._X.T @ dY
        self.db = dY.sum(axis=0)
        return dY @ self.W.T

    def params(self) -> list[np.ndarray]:
        return [self.W, self.b]

    def grads(self) -> list[np.ndarray]:
        return [self.dW, self.db]

    def __repr__(self) -> str:
        return f"Affine({self.W.shape[0]} → {self.W.shape[1]})"


class _Elementwise(Layer):
    """원소별 활성화 계층: forward는 f(X), backward는 dY ⊙ f'(X)."""

    def __init__(self) -> None:
        self._X: np.ndarray | None = None

    def _f(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - 하위 클래스가 구현한다
        raise NotImplementedError

    def _df(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - 하위 클래스가 구현한다
        raise NotImplementedError

    def forward(self, X: Any) -> np.ndarray:
        X = as_float_array(X, name="X")
        self._X = X
        return self._f(X)

    def backward(self, dY: Any) -> np.ndarray:
        if self._X is None:
            raise _not_yet(self)
        dY = _check_dY(dY, self._X.shape)
        return dY * self._df(self._X)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ReLU(_Elementwise):
    """ReLU 계층. 역전파는 X > 0인 곳만 dY를 통과시킨다 (X = 0에서는 막는다). 입력을 고치지 않는다."""

    def _f(self, X: np.ndarray) -> np.ndarray:
        return act.relu(X)

    def _df(self, X: np.ndarray) -> np.ndarray:
        return act.relu_grad(X)


class Sigmoid(_Elementwise):
    """시그모이드 계층. 역전파: dX = dY ⊙ σ(X)(1 − σ(X))."""

    def _f(self, X: np.ndarray) -> np.ndarray:
        return act.sigmoid(X)

    def _df(self, X: np.ndarray) -> np.ndarray:
        return act.sigmoid_grad(X)


class Tanh(_Elementwise):
    """tanh 계층. 역전파: dX = dY ⊙ (1 − tanh²(X))."""

    def _f(self, X: np.ndarray) -> np.ndarray:
        return act.tanh(X)

    def _df(self, X: np.ndarray) -> np.ndarray:
        return act.tanh_grad(X)


class Dropout(Layer):
    """드롭아웃(역 드롭아웃) 계층. 정의된 곳: 3.5절.

    학습 모드에서는 원소마다 확률 p로 0을 만들고, 남은 원소는 1/(1 − p)배 키운다. 그래서 출력의 기댓값이
    입력과 같고, 평가 모드에서는 아무것도 하지 않는다(항등 함수). 역전파는 순전파에서 쓴 **같은 마스크**를
    기울기에 곱한다. 마스크는 forward를 부를 때마다 새로 뽑는다. seed: 정수 또는 np.random.Generator.
    파이토치의 ``nn.Dropout(p)``과 같은 약속이지만, p = 1(모두 버림)은 받지 않는다.
    """

    def __init__(self, p: float = 0.5, *, seed: Any = 0) -> None:
        self.p = check_in_range(p, 0.0, 1.0, name="p", high_inclusive=False)
        self._rng = _rng(seed)
        self.mask: np.ndarray | None = None  # 0 또는 1/(1 − p). 평가 모드의 forward 뒤에는 None
        self._shape: tuple[int, ...] | None = None

    def forward(self, X: Any) -> np.ndarray:
        X = as_float_array(X, name="X")
        self._shape = X.shape
        if not self.training or self.p == 0.0:
            self.mask = None
            return X.copy()
        keep = self._rng.random(X.shape) >= self.p  # 살아남을 확률 1 − p
        self.mask = keep / (1.0 - self.p)  # 역 드롭아웃: 학습 때 미리 키워 두면 평가 때 고칠 것이 없다
        return X * self.mask

    def backward(self, dY: Any) -> np.ndarray:
        if self._shape is None:
            raise _not_yet(self)
        dY = _check_dY(dY, self._shape)
        return dY.copy() if self.mask is None else dY * self.mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


class SoftmaxCrossEntropy:
    """softmax와 교차 엔트로피를 합친 손실 계층. 합치면 역전파가 (softmax(z) − onehot(y)) / n으로 단순하다.

    ``forward(logits, labels) -> float`` (배치 평균), ``backward(dout=1.0) -> dlogits``.
    """

    def __init__(self) -> None:
        self._logits: np.ndarray | None = None
        self._labels: np.ndarray | None = None

    def forward(self, logits: Any, labels: Any) -> float:
        loss = cross_entropy_with_logits(logits, labels)  # 여기서 모양·레이블을 검사한다
        self._logits = as_float_array(logits, name="logits")
        self._labels = np.asarray(labels)
        return loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        if self._logits is None or self._labels is None:
            raise _not_yet(self)
        d = as_float_array(dout, name="dout")
        check_shape(d, (), name="dout")
        return float(d) * cross_entropy_with_logits_grad(self._logits, self._labels)

    def params(self) -> list[np.ndarray]:
        return []

    def grads(self) -> list[np.ndarray]:
        return []

    def __call__(self, logits: Any, labels: Any) -> float:
        return self.forward(logits, labels)


class Sequential(Layer):
    """계층을 차례로 잇는다. forward는 앞에서 뒤로, backward는 뒤에서 앞으로 지나간다.

    손실 계층(SoftmaxCrossEntropy)은 넣지 않고 따로 둔다 (forward 인자가 다르다).
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            raise TypeError(f"layers는 계층의 목록이어야 합니다: {type(layers).__name__}를 받았습니다.")
        if len(layers) == 0:
            raise ValueError("layers가 비어 있습니다: 계층이 하나 이상 있어야 합니다.")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layers[{i}]가 계층이 아닙니다: forward/backward를 가진 Layer를 기대했지만 "
                    f"{type(layer).__name__}를 받았습니다."
                )
        self.layers = list(layers)

    def forward(self, X: Any) -> np.ndarray:
        out: Any = X
        for layer in self.layers:
            out = layer.forward(out)
        return np.asarray(out)

    def backward(self, dY: Any) -> np.ndarray:
        grad: Any = dY
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return np.asarray(grad)

    def train(self, mode: bool = True) -> Sequential:
        """자신과 안의 모든 계층을 학습 모드(mode=True) 또는 평가 모드로 바꾼다."""
        super().train(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def params(self) -> list[np.ndarray]:
        return [p for layer in self.layers for p in layer.params()]

    def grads(self) -> list[np.ndarray]:
        return [g for layer in self.layers for g in layer.grads()]

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}])"


_ACTIVATION_LAYERS: dict[str, tuple[type[_Elementwise], str]] = {
    "relu": (ReLU, "he"),
    "sigmoid": (Sigmoid, "xavier"),
    "tanh": (Tanh, "xavier"),
}


def make_mlp(sizes: Sequence[int], *, activation: str = "relu", seed: Any = 0) -> Sequential:
    """다층 퍼셉트론 Affine → 활성화 → … → Affine을 만든다 (마지막 층 뒤에는 활성화가 없다: 로짓을 낸다).

    sizes: [d_in, 은닉1, …, d_out] (두 개 이상). activation: "relu"(He 초기화), "sigmoid"·"tanh"
    (Xavier 초기화). seed: 정수 또는 np.random.Generator.
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes는 정수의 목록이어야 합니다: {type(sizes).__name__}를 받았습니다.")
    if len(sizes) < 2:
        raise ValueError(
            f"sizes에는 입력과 출력 크기, 적어도 두 개가 필요합니다: {list(sizes)!r}를 받았습니다."
        )
    dims = [check_int(s, name=f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
    check_choice(activation, tuple(_ACTIVATION_LAYERS), name="activation")
    layer_cls, scheme = _ACTIVATION_LAYERS[activation]
    rng = _rng(seed)
    layers: list[Layer] = []
    for i, (d_in, d_out) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(Affine.init(d_in, d_out, seed=rng, scheme=scheme))
        if i < len(dims) - 2:
            layers.append(layer_cls())
    return Sequential(layers)
