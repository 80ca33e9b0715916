"""활성화 함수와 그 도함수 (numpy).

모든 함수는 입력을 float64 배열로 바꿔 검사하고(문자열·None·NaN/inf·빈 배열은 한국어 오류), 입력을
수정하지 않으며, 새 배열을 돌려준다. |x| ≤ 1e3 에서 넘침(overflow) 경고 없이 계산한다: 지수는 언제나
``exp(-|x|)``처럼 0 이하의 값에만 적용한다.

미분할 수 없는 점의 약속 (torch와 같다):

* ``relu_grad(0) = 0``, ``leaky_relu_grad(0) = prelu_grad(0) = α``, ``elu_grad(0) = α``.
* 계단 함수의 도함수는 0이 아닌 모든 곳에서 0이고 0에서는 정의되지 않는다. ``step_grad``는 0에서도 0을
  돌려준다. 그래서 계단 함수로는 경사 하강법이 아무 신호도 받지 못한다.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from d2lutil import _kernels as K
from d2lutil._checks import as_float_array, check_int, check_nonnegative

__all__ = [
    "ACTIVATIONS",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "log_softmax",
    "prelu",
    "prelu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_vjp",
    "softplus",
    "softplus_grad",
    "step",
    "step_grad",
    "tanh",
    "tanh_grad",
]

_SQRT_2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_erf = np.frompyfunc(math.erf, 1, 1)  # numpy에는 erf가 없다. math.erf를 원소별로 쓴다 (정확하다).


def _x(x: Any) -> np.ndarray:
    return as_float_array(x, name="x")


# --------------------------------------------------------------------------- 계단 함수


def step(x: Any) -> np.ndarray:
    """계단 함수(헤비사이드): x > 0이면 1, 아니면 0 (step(0) = 0)."""
    return K.step(_x(x))


def step_grad(x: Any) -> np.ndarray:
    """계단 함수의 도함수: x ≠ 0에서 0. x = 0에서는 정의되지 않지만 관례대로 0을 돌려준다."""
    return K.step_grad(_x(x))


# --------------------------------------------------------------------------- 시그모이드, tanh


def sigmoid(x: Any) -> np.ndarray:
    """시그모이드 σ(x) = 1 / (1 + e^{-x}). e^{-|x|}만 계산하므로 x = ±1000에서도 넘치지 않는다."""
    return K.sigmoid(_x(x))


def sigmoid_grad(x: Any) -> np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)), 최댓값은 x = 0에서 0.25.

    1 − σ(x)는 큰 x에서 자릿수 상쇄가 일어나므로 같은 값 e^{-|x|} / (1 + e^{-|x|})²로 계산한다.
    """
    return K.sigmoid_grad(_x(x))


def tanh(x: Any) -> np.ndarray:
    """쌍곡탄젠트 tanh(x) = (e^x − e^{-x}) / (e^x + e^{-x}) = 2σ(2x) − 1. 값의 범위는 (−1, 1)."""
    return K.tanh(_x(x))


def tanh_grad(x: Any) -> np.ndarray:
    """tanh'(x) = 1 − tanh²(x), 최댓값은 x = 0에서 1.

    큰 |x|에서 상쇄를 피하려고 같은 값 4e^{-2|x|} / (1 + e^{-2|x|})²로 계산한다.
    """
    return K.tanh_grad(_x(x))


# --------------------------------------------------------------------------- ReLU 가족


def relu(x: Any) -> np.ndarray:
    """ReLU(x) = max(0, x)."""
    return K.relu(_x(x))


def relu_grad(x: Any) -> np.ndarray:
    """ReLU'(x) = 1 (x > 0), 0 (x ≤ 0). x = 0에서는 관례대로 0 (torch도 0)."""
    return K.relu_grad(_x(x))


def leaky_relu(x: Any, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: x > 0이면 x, 아니면 αx. α ≥ 0."""
    a = check_nonnegative(alpha, name="alpha")
    x = _x(x)
    return np.where(x > 0, x, a * x)


def leaky_relu_grad(x: Any, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU의 도함수: x > 0이면 1, 아니면 α (x = 0에서 α, torch와 같다)."""
    a = check_nonnegative(alpha, name="alpha")
    return np.where(_x(x) > 0, 1.0, a)


def _alpha_array(alpha: Any, x: np.ndarray) -> np.ndarray:
    a = as_float_array(alpha, name="alpha")
    try:
        np.broadcast_shapes(a.shape, x.shape)
    except ValueError:
        raise ValueError(
            f"alpha의 모양 {a.shape}를 x의 모양 {x.shape}에 브로드캐스트할 수 없습니다."
        ) from None
    return a


def prelu(x: Any, alpha: Any) -> np.ndarray:
    """PReLU(x) = max(0, x) + α·min(0, x). α는 학습되는 값(스칼라 또는 x에 브로드캐스트되는 배열).

    흔한 오해: 음수 쪽은 −α·x가 아니라 α·x다. α = 0.25, x = −2이면 −0.5.
    """
    x = _x(x)
    a = _alpha_array(alpha, x)
    return np.maximum(x, 0.0) + a * np.minimum(x, 0.0)


def prelu_grad(x: Any, alpha: Any) -> np.ndarray:
    """PReLU의 x에 대한 도함수: x > 0이면 1, 아니면 α (x = 0에서 α). 결과 모양은 브로드캐스트 모양."""
    x = _x(x)
    a = _alpha_array(alpha, x)
    return np.where(x > 0, 1.0, a)


def elu(x: Any, alpha: float = 1.0) -> np.ndarray:
    """ELU(x) = x (x > 0), α(e^x − 1) (x ≤ 0). α ≥ 0."""
    a = check_nonnegative(alpha, name="alpha")
    x = _x(x)
    return np.where(x > 0, x, a * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: Any, alpha: float = 1.0) -> np.ndarray:
    """ELU'(x) = 1 (x > 0), αe^x (x ≤ 0). x = 0에서 α (torch와 같다)."""
    a = check_nonnegative(alpha, name="alpha")
    x = _x(x)
    return np.where(x > 0, 1.0, a * np.exp(np.minimum(x, 0.0)))


# --------------------------------------------------------------------------- GELU, softplus


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """표준정규 누적분포 Φ(x) = (1 + erf(x/√2)) / 2."""
    return 0.5 * (1.0 + np.asarray(_erf(x / _SQRT_2), dtype=np.float64))


def gelu(x: Any) -> np.ndarray:
    """GELU(x) = x·Φ(x) = x/2 · (1 + erf(x/√2)). tanh 근사가 아닌 정확한 식이다."""
    x = _x(x)
    return x * _normal_cdf(x)


def gelu_grad(x: Any) -> np.ndarray:
    """GELU'(x) = Φ(x) + x·φ(x). φ는 표준정규 밀도."""
    x = _x(x)
    cdf = _normal_cdf(x)
    xc = np.clip(x, -40.0, 40.0)  # |x| > 40이면 φ(x)는 어차피 0이다 (x²의 넘침을 막는다)
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * xc * xc)
    return cdf + xc * pdf


def softplus(x: Any) -> np.ndarray:
    """softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^{-|x|}). ReLU를 매끄럽게 만든 함수."""
    x = _x(x)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus_grad(x: Any) -> np.ndarray:
    """softplus'(x) = σ(x)."""
    return sigmoid(x)


# --------------------------------------------------------------------------- softmax


def _axis(axis: Any, ndim: int) -> int:
    return check_int(axis, name="axis", minimum=-max(ndim, 1), maximum=max(ndim, 1) - 1)


def softmax(x: Any, axis: int = -1) -> np.ndarray:
    """softmax(x)_i = e^{x_i} / Σ_j e^{x_j} (axis를 따라). 최댓값을 빼서 넘침을 막는다.

    최댓값 c를 빼도 결과는 같다: e^{x_i − c} / Σ_j e^{x_j − c} = e^{x_i} / Σ_j e^{x_j}.
    0차원 입력은 원소 하나짜리 벡터처럼 다뤄 1을 돌려준다.
    """
    x = _x(x)
    ax = _axis(axis, x.ndim)
    if x.ndim == 0:
        return np.ones_like(x)
    return K.softmax(x, axis=ax)


def log_softmax(x: Any, axis: int = -1) -> np.ndarray:
    """log softmax(x) = x − logsumexp(x). 아주 작은 확률의 로그도 −inf가 되지 않는다."""
    x = _x(x)
    ax = _axis(axis, x.ndim)
    if x.ndim == 0:
        return np.zeros_like(x)
    return K.log_softmax(x, axis=ax)


def softmax_vjp(x: Any, dy: Any, axis: int = -1) -> np.ndarray:
    """softmax의 벡터-야코비안 곱: dx = s ⊙ (dy − Σ dy ⊙ s), s = softmax(x).

    softmax는 원소별 함수가 아니어서 야코비안 diag(s) − s sᵀ 전체가 필요하다. 이 함수는 그 행렬을
    만들지 않고 dy와의 곱만 계산한다 (역전파가 실제로 필요한 것).
    """
    s = softmax(x, axis=axis)
    dy = as_float_array(dy, name="dy")
    if dy.shape != s.shape:
        raise ValueError(
            f"dy의 모양이 맞지 않습니다: x와 같은 {s.shape}을 기대했지만 {dy.shape}를 받았습니다."
        )
    if s.ndim == 0:
        return np.zeros_like(s)
    return s * (dy - (dy * s).sum(axis=axis, keepdims=True))


# --------------------------------------------------------------------------- 이름으로 찾기

ActivationPair = tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]

#: 이름 → (f, f'). 원소별 함수만 들어 있다 (prelu는 α가 꼭 필요하고 softmax는 원소별이 아니라서 뺐다).
ACTIVATIONS: Mapping[str, ActivationPair] = MappingProxyType(
    {
        "step": (step, step_grad),
        "sigmoid": (sigmoid, sigmoid_grad),
        "tanh": (tanh, tanh_grad),
        "relu": (relu, relu_grad),
        "leaky_relu": (leaky_relu, leaky_relu_grad),
        "elu": (elu, elu_grad),
        "gelu": (gelu, gelu_grad),
        "softplus": (softplus, softplus_grad),
    }
)
