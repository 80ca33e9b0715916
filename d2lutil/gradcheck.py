"""기울기 확인(gradient check): 역전파로 구한 기울기를 수치 미분과 비교한다.

중앙 차분 (f(x + h) − f(x − h)) / 2h의 오차는 O(h²)이고, h가 너무 작으면 반올림 오차가 커진다
(float64에서 h ≈ 1e-6이 무난하다). 두 기울기가 맞으면 :func:`relative_error`가 보통 1e-7 이하다.

두 가지 방식이 있다:

* :func:`numerical_gradient` ``(f, x)``: f가 배열을 인자로 받는다. x의 복사본을 바꿔 넘기므로 x는 그대로다.
* :func:`numerical_gradient_inplace` ``(f, W)``: f는 인자 없이 매개변수 W를 읽는다 (신경망의 손실처럼).
  W의 원소를 제자리에서 바꿨다가 되돌린다 (밑바닥부터 시작하는 딥러닝의 ``numerical_gradient(f, W)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from d2lutil._checks import as_float_array, check_positive

__all__ = ["numerical_gradient", "numerical_gradient_inplace", "relative_error"]


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

    정의된 곳: 3.2 「역전파로 신경망 학습하기」
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


def numerical_gradient_inplace(f: Callable[[], Any], W: np.ndarray, *, eps: float = 1e-6) -> np.ndarray:
    """인자 없는 f()의 매개변수 배열 W에 대한 기울기를 중앙 차분으로 구한다. 결과는 W와 모양이 같은 float64.

    원소마다 W[i]를 제자리에서 +eps, −eps만큼 바꿔 f()를 부르고 원래 값으로 되돌린다. f가 예외를 내도
    W는 비트까지 원래 값으로 돌아온다. 분모는 2·eps가 아니라 W의 자료형에 실제로 저장된 두 걸음의 합이므로
    float32 배열에서도 걸음의 반올림이 기울기를 비틀지 않는다 (그래도 float64를 권한다).

    W는 f가 실제로 읽는 배열 그 자체여야 한다: 복사본(``W.copy()``)을 넘기면 f가 바뀐 값을 보지 못해 기울기가
    0으로 나온다. 그래서 실수 배열만 받고, 정수 배열·읽기 전용 배열·연속이 아닌 뷰(``W[:, ::2]`` 같은)는 거절한다.

    예: ``numerical_gradient_inplace(loss_value, net.W1)`` (loss_value()가 net.W1을 써서 손실을 계산할 때).

    정의된 곳: 3.2 「역전파로 신경망 학습하기」
    """
    if not callable(f):
        raise TypeError(f"f는 인자 없는 함수여야 합니다: {type(f).__name__}를 받았습니다.")
    _check_parameter(W)
    h = check_positive(eps, name="eps")
    grad = np.empty(W.shape, dtype=np.float64)
    for idx in np.ndindex(W.shape):
        old = W[idx].copy()  # 원래 값 (W의 자료형 그대로)
        try:
            W[idx] = old + h
            up, f_up = float(W[idx]) - float(old), _scalar_output(f())
            W[idx] = old - h
            down, f_down = float(old) - float(W[idx]), _scalar_output(f())
        finally:
            W[idx] = old
        if up == 0.0 or down == 0.0:
            raise ValueError(
                f"eps = {h:g}가 W의 자료형({W.dtype})에서 너무 작아 W{list(idx)}가 바뀌지 않습니다."
            )
        grad[idx] = (f_up - f_down) / (up + down)
    return grad


def _check_parameter(W: Any) -> None:
    """제자리에서 ±eps를 더할 수 있는 매개변수 배열인지 본다."""
    if not isinstance(W, np.ndarray):
        raise TypeError(
            f"W는 f가 읽는 numpy 배열 그 자체여야 합니다: {type(W).__name__}를 받았습니다 "
            "(리스트나 복사본을 바꾸면 f가 그 변화를 보지 못합니다)."
        )
    if W.dtype.kind != "f":
        raise TypeError(
            f"W는 실수(float) 배열이어야 합니다: dtype={W.dtype}를 받았습니다. 정수 배열에는 eps만큼의 "
            "작은 변화를 저장할 수 없습니다: W.astype(float)로 만든 배열을 f가 읽게 하세요."
        )
    if W.size == 0:
        raise ValueError(f"W가 비어 있습니다: 원소가 하나 이상 있어야 합니다 (모양 {W.shape}).")
    if not W.flags.writeable:
        raise ValueError("W가 읽기 전용입니다: 제자리에서 바꿀 수 있는 배열을 넘기세요.")
    if not (W.flags.c_contiguous or W.flags.f_contiguous):
        raise ValueError(
            f"W가 연속된 메모리가 아닌 뷰입니다(strides={W.strides}): 잘라 낸 조각 대신 f가 읽는 매개변수 배열 "
            "전체를 넘기세요."
        )
    if not np.all(np.isfinite(W)):
        raise ValueError("W에 NaN 또는 무한대가 있습니다: 유한한 값에서만 기울기를 구할 수 있습니다.")


def relative_error(a: Any, b: Any) -> float:
    """상대 오차 ‖a − b‖ / max(‖a‖ + ‖b‖, tiny) (L2 노름). 0이면 같고, 1이면 전혀 다르다.

    둘 다 0이면 0을 돌려준다. a와 b의 모양은 같아야 한다.

    정의된 곳: 3.2 「역전파로 신경망 학습하기」
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
