"""기울기 확인(gradient check): 역전파로 구한 기울기를 수치 미분과 비교한다.

중앙 차분 (f(x + h) − f(x − h)) / 2h의 오차는 O(h²)이고, h가 너무 작으면 반올림 오차가 커진다
(float64에서 h ≈ 1e-6이 무난하다). 두 기울기가 맞으면 :func:`relative_error`가 보통 1e-7 이하다.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from d2lutil._checks import as_float_array, check_positive

__all__ = ["numerical_gradient", "relative_error"]


def _scalar_output(value: Any) -> float:
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf" or arr.size != 1:
        raise TypeError(
            f"f는 실수 하나를 돌려줘야 합니다: {type(value).__name__} (모양 {arr.shape})를 돌려받았습니다."
        )
    v = float(arr.reshape(()))
    if not math.isfinite(v):
        raise ValueError(f"f의 값이 유한하지 않습니다({v}): 기울기를 수치로 구할 수 없습니다.")
    return v


def numerical_gradient(f: Callable[[np.ndarray], Any], x: Any, *, eps: float = 1e-6) -> np.ndarray:
    """f: 배열 → 실수의 x에서의 기울기를 중앙 차분으로 구한다. 결과 모양은 x와 같다.

    x를 수정하지 않는다: 원소마다 x의 복사본을 ±eps만큼 바꿔 f에 넘긴다 (f를 2·x.size번 부른다).
    """
    if not callable(f):
        raise TypeError(f"f는 함수여야 합니다: {type(f).__name__}를 받았습니다.")
    x = as_float_array(x, name="x")
    h = check_positive(eps, name="eps")
    grad = np.empty_like(x)
    for i in range(x.size):
        xp = x.copy()
        xp.flat[i] += h
        xm = x.copy()
        xm.flat[i] -= h
        grad.flat[i] = (_scalar_output(f(xp)) - _scalar_output(f(xm))) / (2.0 * h)
    return grad


def relative_error(a: Any, b: Any) -> float:
    """상대 오차 ‖a − b‖ / max(‖a‖ + ‖b‖, tiny) (L2 노름). 0이면 같고, 1이면 전혀 다르다.

    둘 다 0이면 0을 돌려준다. a와 b의 모양은 같아야 한다.
    """
    a_arr = as_float_array(a, name="a")
    b_arr = as_float_array(b, name="b")
    if a_arr.shape != b_arr.shape:
        raise ValueError(
            f"b의 모양이 맞지 않습니다: a와 같은 {a_arr.shape}를 기대했지만 {b_arr.shape}를 받았습니다."
        )
    m = max(float(np.max(np.abs(a_arr))), float(np.max(np.abs(b_arr))))
    if m == 0.0:
        return 0.0
    a_arr, b_arr = a_arr / m, b_arr / m  # 비율은 그대로이고, 1e300 같은 값에서도 제곱이 넘치지 않는다
    diff = float(np.linalg.norm(a_arr - b_arr))
    scale = float(np.linalg.norm(a_arr) + np.linalg.norm(b_arr))
    return diff / max(scale, np.finfo(np.float64).tiny)
