"""퍼셉트론: 계단·부호 단위, 손으로 고른 논리 게이트 가중치, 퍼셉트론 학습 규칙.

퍼셉트론은 가중합에 편향을 더한 값 z = x·w + b가 0보다 크면 1, 아니면 0을 낸다.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from d2lutil import _kernels as K
from d2lutil._checks import as_float_array, check_int, check_labels, check_positive

__all__ = ["step", "sign", "GATE_PARAMS", "gate", "perceptron_train", "PerceptronResult"]


def step(x: Any) -> np.ndarray:
    """계단 함수: x > 0이면 1.0, 아니면(0 포함) 0.0."""
    return K.step(as_float_array(x, name="x"))


def sign(x: Any) -> np.ndarray:
    """부호 단위: x > 0이면 +1.0, 아니면(0 포함) −1.0. 계단 함수와 같은 문턱을 쓴다 (sign = 2·step − 1)."""
    x = as_float_array(x, name="x")
    return np.where(x > 0, 1.0, -1.0)


#: 손으로 고른 게이트 가중치: 이름 → (w, b). 읽기 전용이다.
GATE_PARAMS: Mapping[str, tuple[tuple[float, float], float]] = MappingProxyType(
    {
        "AND": ((0.5, 0.5), -0.7),  # 둘 다 1일 때만 0.5 + 0.5 − 0.7 > 0
        "OR": ((0.5, 0.5), -0.2),  # 하나라도 1이면 0.5 − 0.2 > 0
        "NAND": ((-0.5, -0.5), 0.7),  # AND의 부호를 모두 뒤집은 것
    }
)


def _check_gate_inputs(X: Any) -> np.ndarray:
    X = as_float_array(X, name="X")
    if X.ndim == 1 and X.shape == (2,):
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X의 모양이 맞지 않습니다: (n, 2) 또는 (2,)를 기대했지만 {X.shape}를 받았습니다.")
    return X


def gate(name: str, X: Any) -> np.ndarray:
    """이름이 name인 게이트를 퍼셉트론으로 계산한다. X는 (n, 2), 결과는 (n,) 0/1 정수.

    "AND", "OR", "NAND"는 단층 퍼셉트론 하나이고, "XOR"은 두 층으로 만든다:
    XOR(a, b) = AND(NAND(a, b), OR(a, b)).
    """
    if not isinstance(name, str):
        raise TypeError(f"name은(는) 문자열이어야 합니다: {type(name).__name__}를 받았습니다.")
    key = name.upper()
    allowed = (*GATE_PARAMS, "XOR")
    if key not in allowed:
        raise ValueError(
            f"name은(는) {', '.join(repr(a) for a in allowed)} 가운데 하나여야 합니다: {name!r}를 받았습니다."
        )
    X = _check_gate_inputs(X)
    if key == "XOR":
        hidden = np.column_stack([gate("NAND", X), gate("OR", X)])
        return gate("AND", hidden)
    w, b = GATE_PARAMS[key]
    return step(X @ np.asarray(w) + b).astype(np.int64)


class PerceptronResult(NamedTuple):
    """perceptron_train의 결과: 마지막 가중치 w, 편향 b, 에포크마다 틀린 개수 mistakes."""

    w: np.ndarray
    b: float
    mistakes: list[int]

    @property
    def converged(self) -> bool:
        """마지막 에포크에서 하나도 틀리지 않았는가."""
        return bool(self.mistakes) and self.mistakes[-1] == 0


def perceptron_train(
    X: Any,
    y: Any,
    *,
    lr: float = 1.0,
    epochs: int = 20,
    w0: Any = None,
    b0: float = 0.0,
) -> PerceptronResult:
    """퍼셉트론 학습 규칙(로젠블랫)으로 w, b를 배운다. y는 0/1 레이블.

    샘플을 차례로 보며 예측 ŷ = step(x·w + b)가 틀리면 w ← w + lr·(y − ŷ)·x, b ← b + lr·(y − ŷ).
    에포크마다 틀린(갱신한) 횟수를 기록한다. 선형 분리 가능한 데이터(AND, OR)에서는 언젠가 0이
    되고 그 뒤로는 변하지 않는다. XOR처럼 분리할 수 없으면 끝까지 0이 되지 않는다.
    에포크 수는 언제나 epochs개를 채운다(그래프로 비교하기 쉽도록).
    """
    X = as_float_array(X, name="X")
    if X.ndim != 2:
        raise ValueError(f"X는 (n, d) 2차원 배열이어야 합니다: 모양 {X.shape}를 받았습니다.")
    y = check_labels(y, 2, name="y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y의 모양이 맞지 않습니다: ({X.shape[0]},)을 기대했지만 {y.shape}를 받았습니다.")
    lr = check_positive(lr, name="lr")
    epochs = check_int(epochs, name="epochs", minimum=1, maximum=100_000)
    if w0 is None:
        w = np.zeros(X.shape[1])
    else:
        w = as_float_array(w0, name="w0").copy()  # 호출한 쪽의 배열을 고치지 않는다
        if w.shape != (X.shape[1],):
            raise ValueError(
                f"w0의 모양이 맞지 않습니다: ({X.shape[1]},)을 기대했지만 {w.shape}를 받았습니다."
            )
    b_arr = as_float_array(b0, name="b0")
    if b_arr.ndim != 0:
        raise ValueError(f"b0은(는) 스칼라여야 합니다: 모양 {b_arr.shape}를 받았습니다.")
    b = float(b_arr)

    mistakes: list[int] = []
    for _ in range(epochs):
        count = 0
        for xi, yi in zip(X, y):
            error = yi - (1.0 if xi @ w + b > 0 else 0.0)
            if error != 0:
                w = w + lr * error * xi
                b = b + lr * error
                count += 1
        mistakes.append(count)
    return PerceptronResult(w=w, b=float(b), mistakes=mistakes)
