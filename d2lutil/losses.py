"""손실 함수와 그 기울기 (numpy). 모든 손실은 배치에 대한 평균이다.

``*_grad``는 손실(스칼라)을 첫 번째 인자(예측)로 미분한 기울기를 돌려주고, 모양은 첫 번째 인자와 같다.
평균을 내므로 기울기에도 1/N이 붙는다. 예측과 정답의 모양은 정확히 같아야 한다: (n, 1)과 (n,)을
섞으면 numpy 브로드캐스트가 조용히 (n, n) 행렬을 만들어 틀린 손실을 내므로, 여기서는 오류로 알린다.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from d2lutil import _kernels as K
from d2lutil._checks import (
    as_float_array,
    check_in_range,
    check_labels,
    check_probabilities,
    check_shape,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "bce_with_logits",
    "bce_with_logits_grad",
    "cross_entropy_with_logits",
    "cross_entropy_with_logits_grad",
    "mse",
    "mse_grad",
]


def _same_shape(a: np.ndarray, b: np.ndarray, *, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b}의 모양이 맞지 않습니다: {name_a}와 같은 {a.shape}를 기대했지만 {b.shape}를 받았습니다."
        )


# --------------------------------------------------------------------------- 평균 제곱 오차


def _mse_args(y_pred: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    p = as_float_array(y_pred, name="y_pred")
    t = as_float_array(y, name="y")
    _same_shape(p, t, name_a="y_pred", name_b="y")
    return p, t


def mse(y_pred: Any, y: Any) -> float:
    """평균 제곱 오차 MSE = (1/N) Σ (ŷ − y)². N은 원소 수 (torch의 ``mse_loss``와 같다)."""
    p, t = _mse_args(y_pred, y)
    return float(np.mean((p - t) ** 2))


def mse_grad(y_pred: Any, y: Any) -> np.ndarray:
    """∂MSE/∂ŷ = 2(ŷ − y) / N."""
    p, t = _mse_args(y_pred, y)
    return 2.0 * (p - t) / p.size


# --------------------------------------------------------------------------- 이진 교차 엔트로피


def _bce_args(p: Any, y: Any, eps: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(max(p, eps), max(1 − p, eps), y). 1 − p는 p ≥ 0.5에서 float64로 정확히 계산된다."""
    prob = check_probabilities(p, name="p")
    target = check_probabilities(y, name="y")
    _same_shape(prob, target, name_a="p", name_b="y")
    e = check_in_range(eps, 0.0, 0.5, name="eps", low_inclusive=False, high_inclusive=False)
    return np.maximum(prob, e), np.maximum(1.0 - prob, e), target


def binary_cross_entropy(p: Any, y: Any, *, eps: float = 1e-12) -> float:
    """이진 교차 엔트로피 −(1/N) Σ [y log p + (1 − y) log(1 − p)].

    p는 확률 [0, 1], y는 정답 [0, 1] (보통 0 또는 1). log 0을 피하려고 p와 1 − p를 각각 eps 이상으로
    자르므로 p = 0, p = 1에서도 유한하다 (틀린 확신 하나의 손실은 최대 −log(eps) ≈ 27.6).
    로짓이 있으면 더 정확한 :func:`bce_with_logits`를 쓴다.
    """
    q, r, t = _bce_args(p, y, eps)
    return float(-np.mean(t * np.log(q) + (1.0 - t) * np.log(r)))


def binary_cross_entropy_grad(p: Any, y: Any, *, eps: float = 1e-12) -> np.ndarray:
    """∂BCE/∂p = (−y/p + (1 − y)/(1 − p)) / N = (p − y) / (p(1 − p)) / N (p, 1 − p는 eps 이상으로 자른 값)."""
    q, r, t = _bce_args(p, y, eps)
    return (-t / q + (1.0 - t) / r) / q.size


def _logit_args(z: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    logits = as_float_array(z, name="z")
    target = check_probabilities(y, name="y")
    _same_shape(logits, target, name_a="z", name_b="y")
    return logits, target


def bce_with_logits(z: Any, y: Any) -> float:
    """로짓 z에서 바로 계산하는 이진 교차 엔트로피: BCE(σ(z), y).

    log σ(z) = −softplus(−z)를 이용한 안정한 식 max(z, 0) − z·y + log(1 + e^{−|z|})의 평균이다.
    z = ±1000에서도 넘치지 않고 정확하다.
    """
    logits, t = _logit_args(z, y)
    return K.bce_with_logits(logits, t)


def bce_with_logits_grad(z: Any, y: Any) -> np.ndarray:
    """∂/∂z = (σ(z) − y) / N. 시그모이드와 교차 엔트로피를 합치면 기울기가 이렇게 단순해진다."""
    logits, t = _logit_args(z, y)
    return (K.sigmoid(logits) - t) / logits.size


# --------------------------------------------------------------------------- 다중 분류 교차 엔트로피


def _ce_args(logits: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    z = as_float_array(logits, name="logits")
    check_shape(z, (None, None), name="logits")
    y = check_labels(labels, z.shape[1], name="labels")
    check_shape(y, (z.shape[0],), name="labels")
    return z, y


def cross_entropy_with_logits(logits: Any, labels: Any) -> float:
    """교차 엔트로피 −(1/n) Σ_i log softmax(z_i)[y_i] (log-sum-exp로 안정하게 계산).

    logits: (n, C) 실수, labels: (n,) 정수 0 … C−1. 정답 확률이 0으로 반올림될 만큼 틀려도
    (예: 로짓 [1000, 0], 정답 1) 손실은 1000으로 유한하다.
    """
    z, y = _ce_args(logits, labels)
    return float(-np.mean(K.log_softmax(z, axis=1)[np.arange(z.shape[0]), y]))


def cross_entropy_with_logits_grad(logits: Any, labels: Any) -> np.ndarray:
    """∂/∂z = (softmax(z) − onehot(y)) / n."""
    z, y = _ce_args(logits, labels)
    return K.softmax_cross_entropy_grad(K.softmax(z, axis=1), y)
