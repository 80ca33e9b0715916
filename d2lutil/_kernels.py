"""수식 한 벌: 검사하지 않는 numpy 계산 핵심(kernel).

공개 함수(activations, losses, perceptron, layers)는 입력을 한 번 검사한 뒤 이 함수들을 부르고, 놀이터 엔진과
데모는 이미 검사한 배열로 곧바로 부른다. 그래서 시그모이드·교차 엔트로피 같은 식은 이 파일에만 있다.
입력은 float64 배열이라고 믿는다 (검사는 d2lutil._checks가 한다). 입력을 수정하지 않는다.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from d2lutil._checks import check_seed


def rng(seed: Any) -> np.random.Generator:
    """seed는 정수(0 … 2**32−1) 또는 np.random.Generator. 전역 난수 상태는 쓰지 않는다."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_seed(seed))


# --------------------------------------------------------------------------- 원소별 활성화


def step(x: np.ndarray) -> np.ndarray:
    """계단 함수: x > 0이면 1, 아니면 0."""
    return (x > 0).astype(np.float64)


def step_grad(x: np.ndarray) -> np.ndarray:
    """계단 함수의 도함수: 어디서나 0 (x = 0에서도 관례대로 0)."""
    return np.zeros_like(x)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^{-x}). e^{-|x|}만 계산하므로 넘치지 않는다."""
    e = np.exp(-np.abs(x))  # 0 < e ≤ 1
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """σ'(x) = e^{-|x|} / (1 + e^{-|x|})² (= σ(1 − σ), 큰 x에서 자릿수 상쇄가 없는 꼴)."""
    e = np.exp(-np.abs(x))
    # x가 0에 아주 가까우면 반올림 때문에 0.25를 1비트 넘을 수 있어(0.25000000000000006) 상한으로 자른다
    return np.minimum(e / (1.0 + e) ** 2, 0.25)


def sigmoid_tanh(x: np.ndarray) -> np.ndarray:
    """σ(x) = (1 + tanh(x/2)) / 2. 놀이터가 쓰는 꼴: 자바스크립트 엔진과 비트까지 같은 값을 낸다."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def tanh(x: np.ndarray) -> np.ndarray:
    """tanh(x)."""
    return np.tanh(x)


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """tanh'(x) = 4e^{-2|x|} / (1 + e^{-2|x|})² (= 1 − tanh², 큰 |x|에서 상쇄가 없는 꼴)."""
    e = np.exp(-2.0 * np.abs(x))
    # 0 근처에서 반올림 때문에 1을 1비트 넘을 수 있어(1.0000000000000002) 상한으로 자른다
    return np.minimum(4.0 * e / (1.0 + e) ** 2, 1.0)


def relu(x: np.ndarray) -> np.ndarray:
    """ReLU(x) = max(0, x)."""
    return np.maximum(x, 0.0)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """ReLU'(x) = 1 (x > 0), 0 (x ≤ 0)."""
    return (x > 0).astype(np.float64)


def identity(x: np.ndarray) -> np.ndarray:
    """항등 함수 (선형 활성화)."""
    return x


def identity_grad(x: np.ndarray) -> np.ndarray:
    """항등 함수의 도함수: 어디서나 1."""
    return np.ones_like(x)


def tanh_grad_from_output(h: np.ndarray) -> np.ndarray:
    """tanh'(z)를 출력 h = tanh(z)로: 1 − h². 놀이터와 역전파 데모가 쓴다 (자바스크립트 엔진과 같은 식)."""
    return 1.0 - h * h


def sigmoid_grad_from_output(h: np.ndarray) -> np.ndarray:
    """σ'(z)를 출력 h = σ(z)로: h(1 − h)."""
    return h * (1.0 - h)


Kernel = Callable[[np.ndarray], np.ndarray]

#: 원소별 활성화 하나의 (f, f') 표. 공개 표(activations.ACTIVATIONS)와 계층, 놀이터가 이 표에서 찾는다.
ELEMENTWISE: dict[str, tuple[Kernel, Kernel]] = {
    "step": (step, step_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "linear": (identity, identity_grad),
}


#: 놀이터의 활성화 (f, 출력 h로 쓴 f'). 시그모이드는 tanh 꼴, ReLU'은 h > 0 (= z > 0), 선형은 1.
#: 자바스크립트 엔진(book/_static/playground/engine.js)과 같은 식이라 두 엔진이 같은 값을 낸다.
FROM_OUTPUT: dict[str, tuple[Kernel, Kernel]] = {
    "tanh": (tanh, tanh_grad_from_output),
    "relu": (relu, relu_grad),
    "sigmoid": (sigmoid_tanh, sigmoid_grad_from_output),
    "linear": (identity, identity_grad),
}


# --------------------------------------------------------------------------- 아핀 층과 경사 하강


def affine(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Y = X W + b. 맨 앞에 신경망 축이 더 있어도 된다 (X (…, n, i), W (…, i, o), b (…, 1, o) 또는 (o,))."""
    return X @ W + b


def affine_param_grads(X: np.ndarray, dY: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Y = X W + b의 매개변수 기울기 (dW, db) = (Xᵀ dY, Σ_행 dY). 첫 층은 입력 기울기가 필요 없어 이것만 부른다."""
    return X.mT @ dY, dY.sum(axis=-2)  # .mT: 마지막 두 축만 바꾼 전치 (2차원이면 .T와 같다)


def affine_backward(
    X: np.ndarray, W: np.ndarray, dY: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y = X W + b의 역전파 (dX, dW, db): dX = dY Wᵀ, dW = Xᵀ dY, db = Σ_행 dY."""
    return dY @ W.mT, *affine_param_grads(X, dY)


def sgd_step(p: np.ndarray, v: np.ndarray | None, g: np.ndarray, lr: Any, momentum: float = 0.0) -> None:
    """모멘텀 SGD 한 걸음을 제자리에서: v ← μv + g, p ← p − lr·v (torch.optim.SGD와 같은 식).

    μ = 0이면 v를 쓰지 않고(None이어도 된다) p ← p − lr·g. lr은 수 또는 p에 브로드캐스트되는 배열.
    """
    if momentum == 0.0 or v is None:
        p -= lr * g
        return
    v *= momentum
    v += g
    p -= lr * v


# --------------------------------------------------------------------------- softmax와 손실


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(x) = e^{x − max} / Σ e^{x − max} (최댓값을 빼서 넘침을 막는다)."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(x) = (x − max) − log Σ e^{x − max}."""
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """(평균 교차 엔트로피, softmax(z)). z: (n, C) 로짓, y: (n,) 정수 레이블.

    지수는 한 번만 계산한다. 손실은 :func:`log_softmax`와, 확률은 :func:`softmax`와 비트까지 같다.
    """
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    log_p = shifted - np.log(total)
    loss = float(-np.mean(log_p[np.arange(z.shape[0]), y]))
    return loss, e / total


def softmax_cross_entropy_grad(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂(평균 교차 엔트로피)/∂z = (softmax(z) − onehot(y)) / n. p = softmax(z)."""
    g = p.copy()
    g[np.arange(p.shape[0]), y] -= 1.0
    return g / p.shape[0]


def bce_with_logits(z: np.ndarray, y: np.ndarray, axis: int | None = None) -> Any:
    """로짓 z의 평균 이진 교차 엔트로피 mean(max(z, 0) − z·y + log(1 + e^{−|z|})).

    axis=None이면 전체 평균(float), 아니면 그 축을 따라 평균한 배열 (여러 신경망의 손실을 한 번에).
    """
    losses = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(losses)) if axis is None else np.mean(losses, axis=axis)
