"""순전파(forward)와 역전파(backward)를 가진 넘파이 층들. 정의된 곳: 3.2 「역전파로 신경망 학습하기」.

약속:

* 모양: X는 (n, in_features), W는 (in_features, out_features), b는 (out_features,). Y = X W + b.
* 검사는 경계에서 한 번: 생성자가 W, b를, 바깥에서 부른 ``forward``가 X를, ``backward``가 dY를 검사한다.
  안쪽 계산(``_forward``, ``_backward``)은 검사하지 않고 수식만 적는다. ``Sequential``은 X와 dY를 한 번만
  검사하고 안의 계층들은 ``_forward``/``_backward``로 부른다 (학습 고리에서 검사가 계산보다 비싸지 않도록).
* 계층은 입력을 절대 수정하지 않는다 (새 배열을 만들어 돌려준다). 역전파에 필요한 것만 기억해 둔다.
* 매개변수가 있는 계층은 ``parameters()``와 같은 순서의 ``grads()``를 돌려준다. 옵티마이저는
  ``parameters()``의 배열을 제자리에서 바꾼다: 이것이 유일하게 문서화된 수정이며, 그래서 ``Affine``은
  생성할 때 받은 W, b를 복사해 둔다.
* ``forward`` 전에 ``backward``를 부르면 RuntimeError.
* 모든 계층에는 ``training`` 표시가 있다(처음에는 True). ``train()``과 ``eval()``이 바꾸며, 지금은
  ``Dropout``만 이 표시에 따라 다르게 계산한다 (파이토치의 ``nn.Module.train()``/``eval()``과 같은 약속).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from d2lutil import _kernels as K
from d2lutil._checks import as_float_array, check_choice, check_in_range, check_int, check_shape
from d2lutil.losses import _ce_args

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


def _not_yet(layer: object) -> RuntimeError:
    return RuntimeError(
        f"{type(layer).__name__}.backward를 forward보다 먼저 불렀습니다: forward를 먼저 부르세요."
    )


class Layer:
    """모든 계층의 바탕. 정의된 곳: 3.2 「역전파로 신경망 학습하기」.

    하위 클래스는 수식만 ``_forward(X)``와 ``_backward(dY)``에 적는다. 공개 ``forward``/``backward``는 입력을
    한 번 검사하고 그 둘을 부른다. 매개변수가 없는 계층은 ``parameters()``와 ``grads()``가 빈 목록이다.
    """

    training: bool = True  # 학습 모드인가? train()/eval()이 인스턴스마다 바꾼다
    _out_shape: tuple[int, ...] | None = None  # 마지막 forward 출력의 모양 (backward가 dY를 검사한다)

    def forward(self, X: Any) -> np.ndarray:
        """X를 검사하고(실수, 유한, 비어 있지 않음, 계층에 맞는 모양) 순전파 출력을 돌려준다."""
        X = as_float_array(X, name="X")
        self._check_input(X)
        Y = self._forward(X)
        self._out_shape = Y.shape
        return Y

    def backward(self, dY: Any) -> np.ndarray:
        """dY(출력에 대한 기울기)를 검사하고 입력에 대한 기울기를 돌려준다. 매개변수 기울기는 grads()에."""
        if self._out_shape is None:
            raise _not_yet(self)
        dY = as_float_array(dY, name="dY")
        check_shape(dY, self._out_shape, name="dY")
        return self._backward(dY)

    def _check_input(self, X: np.ndarray) -> None:
        """계층마다의 모양 검사 (기본: 아무 모양이나 받는다)."""

    def _forward(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - 하위 클래스가 구현한다
        raise NotImplementedError

    def _backward(self, dY: np.ndarray) -> np.ndarray:  # pragma: no cover - 하위 클래스가 구현한다
        raise NotImplementedError

    def train(self, mode: bool = True) -> Layer:
        """학습 모드(mode=True) 또는 평가 모드(mode=False)로 바꾸고 자신을 돌려준다."""
        if not isinstance(mode, bool):
            raise TypeError(f"mode는 True 또는 False여야 합니다: {type(mode).__name__}를 받았습니다.")
        self.training = mode
        return self

    def eval(self) -> Layer:
        """평가 모드로 바꾼다. ``train(False)``와 같다."""
        return self.train(False)

    def parameters(self) -> list[np.ndarray]:
        """학습할 배열들 (옵티마이저가 제자리에서 바꾼다)."""
        return []

    def grads(self) -> list[np.ndarray]:
        """마지막 backward가 계산한 기울기들, ``parameters()``와 같은 순서."""
        return []

    def __call__(self, X: Any) -> np.ndarray:
        return self.forward(X)


class Affine(Layer):
    """완전연결(아핀) 계층 Y = X W + b. 정의된 곳: 3.2 「역전파로 신경망 학습하기」.

    역전파: dW = Xᵀ dY, db = Σ_행 dY, dX = dY Wᵀ. W: (in_features, out_features), b: (out_features,).
    """

    def __init__(self, W: Any, b: Any) -> None:
        W = as_float_array(W, name="W")
        check_shape(W, (None, None), name="W")
        b = as_float_array(b, name="b")
        check_shape(b, (W.shape[1],), name="b")
        self.W = W.copy()  # 옵티마이저가 제자리에서 바꾸므로 호출자의 배열과 떼어 놓는다
        self.b = b.copy()
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.X: np.ndarray | None = None  # 역전파가 dW를 계산할 때 쓰는 입력

    @classmethod
    def random(cls, in_features: int, out_features: int, *, seed: Any, scheme: str = "he") -> Affine:
        """정규분포로 W를 뽑고 b = 0으로 둔 계층. seed는 정수 또는 np.random.Generator.

        scheme: "he" (표준편차 √(2/in_features), ReLU용), "xavier" (√(2/(in_features + out_features)),
        시그모이드·tanh용), "normal" (0.01).
        """
        n_in = check_int(in_features, name="in_features", minimum=1)
        n_out = check_int(out_features, name="out_features", minimum=1)
        if n_in * n_out > _MAX_WEIGHTS:
            raise ValueError(
                f"in_features × out_features = {n_in * n_out}이 너무 큽니다: 가중치는 {_MAX_WEIGHTS}개 "
                "이하여야 합니다 (메모리를 다 쓰는 실수를 막습니다)."
            )
        check_choice(scheme, _SCHEMES, name="scheme")
        std = {"he": np.sqrt(2.0 / n_in), "xavier": np.sqrt(2.0 / (n_in + n_out)), "normal": 0.01}[scheme]
        return cls(K.rng(seed).normal(0.0, std, size=(n_in, n_out)), np.zeros(n_out))

    @property
    def in_features(self) -> int:
        return int(self.W.shape[0])

    @property
    def out_features(self) -> int:
        return int(self.W.shape[1])

    def _check_input(self, X: np.ndarray) -> None:
        check_shape(X, (None, self.in_features), name="X")

    def _forward(self, X: np.ndarray) -> np.ndarray:
        self.X = X
        return K.affine(X, self.W, self.b)  # X W + b

    def _backward(self, dY: np.ndarray) -> np.ndarray:
        assert self.X is not None  # forward가 먼저 불렸다 (공개 backward가 검사한다)
        dX, self.dW, self.db = K.affine_backward(self.X, self.W, dY)  # dY Wᵀ, Xᵀ dY, Σ_행 dY
        return dX

    def parameters(self) -> list[np.ndarray]:
        return [self.W, self.b]

    def grads(self) -> list[np.ndarray]:
        return [self.dW, self.db]

    def __repr__(self) -> str:
        return f"Affine({self.in_features} → {self.out_features})"


class _Elementwise(Layer):
    """원소별 활성화 계층: forward는 f(X), backward는 dY ⊙ f'(X). f와 f'은 d2lutil._kernels에 있다."""

    kind: str  # _kernels.ELEMENTWISE의 이름

    def __init__(self) -> None:
        self.f, self.df = K.ELEMENTWISE[self.kind]
        self.X: np.ndarray | None = None  # 역전파가 f'(X)를 계산할 때 쓰는 입력

    def _forward(self, X: np.ndarray) -> np.ndarray:
        self.X = X
        return self.f(X)

    def _backward(self, dY: np.ndarray) -> np.ndarray:
        return dY * self.df(self.X)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ReLU(_Elementwise):
    """ReLU 계층. 역전파는 X > 0인 곳만 dY를 통과시킨다 (X = 0에서는 막는다). 입력을 고치지 않는다.

    정의된 곳: 3.2 「역전파로 신경망 학습하기」.
    """

    kind = "relu"


class Sigmoid(_Elementwise):
    """시그모이드 계층. 역전파: dX = dY ⊙ σ(X)(1 − σ(X)). 정의된 곳: 3.2 「역전파로 신경망 학습하기」."""

    kind = "sigmoid"


class Tanh(_Elementwise):
    """tanh 계층. 역전파: dX = dY ⊙ (1 − tanh²(X)). 정의된 곳: 3.2 「역전파로 신경망 학습하기」."""

    kind = "tanh"


class Dropout(Layer):
    """드롭아웃(역 드롭아웃) 계층. 정의된 곳: 3.5 「과적합과 드롭아웃」.

    학습 모드에서는 원소마다 확률 p로 0을 만들고, 남은 원소는 1/(1 − p)배 키운다. 그래서 출력의 기댓값이
    입력과 같고, 평가 모드에서는 아무것도 하지 않는다(항등 함수). 역전파는 순전파에서 쓴 **같은 마스크**를
    기울기에 곱한다. 마스크는 forward를 부를 때마다 새로 뽑는다. seed: 정수 또는 np.random.Generator.
    파이토치의 ``nn.Dropout(p)``과 같은 약속이지만, p = 1(모두 버림)은 받지 않는다.
    """

    def __init__(self, p: float = 0.5, *, seed: Any = 0) -> None:
        self.p = check_in_range(p, 0.0, 1.0, name="p", high_inclusive=False)
        self._rng = K.rng(seed)
        self.mask: np.ndarray | None = None  # 0 또는 1/(1 − p). 평가 모드의 forward 뒤에는 None

    def _forward(self, X: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            self.mask = None
            return X.copy()
        keep = self._rng.random(X.shape) >= self.p  # 살아남을 확률 1 − p
        self.mask = keep / (1.0 - self.p)  # 역 드롭아웃: 학습 때 미리 키워 두면 평가 때 고칠 것이 없다
        return X * self.mask

    def _backward(self, dY: np.ndarray) -> np.ndarray:
        return dY.copy() if self.mask is None else dY * self.mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


class SoftmaxCrossEntropy:
    """softmax와 교차 엔트로피를 합친 손실 계층. 정의된 곳: 3.2 「역전파로 신경망 학습하기」.

    합치면 역전파가 (softmax(z) − onehot(y)) / n으로 단순하다. ``forward(logits, labels) -> float``
    (배치 평균)은 softmax 확률을 기억해 두고, ``backward(dout=1.0) -> dlogits``가 그것을 쓴다.
    """

    def __init__(self) -> None:
        self.p: np.ndarray | None = None  # softmax(logits), (n, C)
        self.labels: np.ndarray | None = None

    def forward(self, logits: Any, labels: Any) -> float:
        z, self.labels = _ce_args(logits, labels)  # 모양·레이블을 여기서 한 번 검사한다
        loss, self.p = K.softmax_cross_entropy(z, self.labels)
        return loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        if self.p is None or self.labels is None:
            raise _not_yet(self)
        if type(dout) is not float or not math.isfinite(dout):  # 흔한 경우(유한한 float)는 검사할 것이 없다
            d = as_float_array(dout, name="dout")
            check_shape(d, (), name="dout")
            dout = float(d)
        return dout * K.softmax_cross_entropy_grad(self.p, self.labels)

    def parameters(self) -> list[np.ndarray]:
        return []

    def grads(self) -> list[np.ndarray]:
        return []

    def __call__(self, logits: Any, labels: Any) -> float:
        return self.forward(logits, labels)


class Sequential(Layer):
    """계층을 차례로 잇는다. 정의된 곳: 3.2 「역전파로 신경망 학습하기」.

    forward는 앞에서 뒤로, backward는 뒤에서 앞으로 지나간다. 입력 X와 기울기 dY는 여기서 한 번만
    검사하고, 안의 계층들은 검사 없이 부른다 (이웃한 Affine의 너비는 만들 때 맞춰 본다).
    손실 계층(SoftmaxCrossEntropy)은 넣지 않고 따로 둔다 (forward 인자가 다르다).
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            raise TypeError(f"layers는 계층의 목록이어야 합니다: {type(layers).__name__}를 받았습니다.")
        if len(layers) == 0:
            raise ValueError("layers가 비어 있습니다: 계층이 하나 이상 있어야 합니다.")
        width: int | None = None  # 지금까지 마지막 Affine의 출력 너비
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layers[{i}]가 계층이 아닙니다: forward/backward를 가진 Layer를 기대했지만 "
                    f"{type(layer).__name__}를 받았습니다."
                )
            if isinstance(layer, Affine):
                if width is not None and layer.in_features != width:
                    raise ValueError(
                        f"layers[{i}]의 입력 너비가 앞 층과 맞지 않습니다: in_features = {width}를 기대했지만 "
                        f"{layer.in_features}를 받았습니다."
                    )
                width = layer.out_features
            elif isinstance(layer, Sequential):
                width = None  # 안쪽 Sequential은 스스로 검사했다
        self.layers = list(layers)

    def _check_input(self, X: np.ndarray) -> None:
        self.layers[0]._check_input(X)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            X = layer._forward(X)
        return X

    def _backward(self, dY: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers):
            dY = layer._backward(dY)
        return dY

    def train(self, mode: bool = True) -> Sequential:
        """자신과 안의 모든 계층을 학습 모드(mode=True) 또는 평가 모드로 바꾼다."""
        super().train(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def parameters(self) -> list[np.ndarray]:
        return [p for layer in self.layers for p in layer.parameters()]

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
    """다층 퍼셉트론 Affine → 활성화 → … → Affine. 정의된 곳: 3.2 「역전파로 신경망 학습하기」.

    마지막 층 뒤에는 활성화가 없다 (로짓을 낸다). sizes: 입력부터 출력까지의 너비 [입력, 은닉1, …, 출력]
    (두 개 이상). activation: "relu"(He 초기화), "sigmoid"·"tanh"(Xavier 초기화).
    seed: 정수 또는 np.random.Generator.
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes는 정수의 목록이어야 합니다: {type(sizes).__name__}를 받았습니다.")
    if len(sizes) < 2:
        raise ValueError(
            f"sizes에는 입력과 출력 크기, 적어도 두 개가 필요합니다: {list(sizes)!r}를 받았습니다."
        )
    widths = [check_int(s, name=f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
    check_choice(activation, tuple(_ACTIVATION_LAYERS), name="activation")
    layer_cls, scheme = _ACTIVATION_LAYERS[activation]
    rng = K.rng(seed)
    layers: list[Layer] = []
    for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(Affine.random(n_in, n_out, seed=rng, scheme=scheme))
        if i < len(widths) - 2:
            layers.append(layer_cls())
    return Sequential(layers)
