"""인자 검사 도우미. 모든 공개 함수가 이 모듈로 입력을 검사하고, 한국어 메시지로 실패를 알린다.

메시지는 언제나 (1) 인자 이름, (2) 기대한 것, (3) 실제로 받은 것을 말한다.
예: ``ValueError: X의 모양이 맞지 않습니다: (n, 3)을 기대했지만 (4, 2)를 받았습니다.``
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "as_float_array",
    "as_int_array",
    "check_shape",
    "check_positive",
    "check_nonnegative",
    "check_in_range",
    "check_int",
    "check_probabilities",
    "check_labels",
    "check_choice",
    "check_real",
    "check_seed",
    "check_sequence",
    "describe_shape",
]


def describe_shape(shape: Sequence[int | None]) -> str:
    """모양 튜플을 사람이 읽는 문자열로 바꾼다. None은 임의 크기 'n'으로 적는다."""
    parts = ["n" if s is None else str(s) for s in shape]
    if len(parts) == 1:
        return f"({parts[0]},)"
    return "(" + ", ".join(parts) + ")"


def _type_name(value: Any) -> str:
    return type(value).__name__


_add_reduce = np.add.reduce


def as_float_array(
    x: Any,
    *,
    name: str,
    allow_empty: bool = False,
    allow_nonfinite: bool = False,
    dtype: Any = np.float64,
) -> np.ndarray:
    """x를 부동소수 numpy 배열로 바꾼다. 문자열·객체·None·NaN/inf·빈 배열은 한국어 오류로 거절한다.

    입력 배열을 절대 수정하지 않는다: 이미 float64 배열이면 그대로 돌려주고, 아니면 복사본을 만든다.
    """
    # 빠른 길(학습 반복 안에서 가장 흔한 경우): 이미 그 dtype의 비어 있지 않은 배열이고 합이 유한하면 모든 원소가
    # 유한하다. 합이 넘쳤거나 NaN이면 아래의 느린 길이 정확히 다시 검사한다 (결과는 느린 길과 같다).
    if (
        type(x) is np.ndarray
        and x.dtype == dtype
        and x.size
        and (allow_nonfinite or math.isfinite(_add_reduce(x, None)))
    ):
        return x
    if x is None:
        raise TypeError(f"{name}에 None이 들어왔습니다: 숫자 배열을 기대했습니다.")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name}에 문자열({x!r})이 들어왔습니다: 숫자 배열을 기대했습니다.")
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch.Tensor를 import 없이 받아 준다
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # 들쭉날쭉한 중첩 리스트 등
        raise TypeError(f"{name}을(를) 숫자 배열로 바꿀 수 없습니다: {_type_name(x)} ({exc})") from None
    if arr.dtype == object or arr.dtype.kind in "USVMm":
        raise TypeError(
            f"{name}의 자료형이 숫자가 아닙니다: 실수 배열을 기대했지만 dtype={arr.dtype}를 받았습니다."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name}에 복소수가 들어왔습니다: 실수 배열을 기대했습니다.")
    arr = arr.astype(dtype, copy=False)
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name}이(가) 비어 있습니다: 원소가 하나 이상 있어야 합니다 (모양 {arr.shape}).")
    if not allow_nonfinite and arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name}에 NaN 또는 무한대가 {bad}개 있습니다: 유한한 값만 받습니다.")
    return arr


def as_int_array(x: Any, *, name: str, allow_empty: bool = False) -> np.ndarray:
    """x를 정수 배열로 바꾼다. 정수가 아닌 실수(예: 1.5)는 거절한다."""
    if x is None:
        raise TypeError(f"{name}에 None이 들어왔습니다: 정수 배열을 기대했습니다.")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name}에 문자열({x!r})이 들어왔습니다: 정수 배열을 기대했습니다.")
    if hasattr(x, "detach") and hasattr(x, "cpu"):
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name}을(를) 정수 배열로 바꿀 수 없습니다: {_type_name(x)} ({exc})") from None
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name}이(가) 비어 있습니다: 원소가 하나 이상 있어야 합니다.")
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "b":
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}에 NaN 또는 무한대가 있습니다: 정수만 받습니다.")
        if arr.size and np.max(np.abs(arr)) >= 2.0**62:
            raise ValueError(
                f"{name}에 정수로 나타낼 수 없을 만큼 큰 값이 있습니다: 최댓값 {np.max(np.abs(arr)):.3g}."
            )
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"{name}에 정수가 아닌 값이 있습니다: 정수 레이블을 기대했습니다.")
        return arr.astype(np.int64)
    raise TypeError(
        f"{name}의 자료형이 정수가 아닙니다: 정수 배열을 기대했지만 dtype={arr.dtype}를 받았습니다."
    )


def check_shape(x: np.ndarray, expected: Sequence[int | None], *, name: str) -> None:
    """x.shape가 expected와 맞는지 본다. expected의 None은 어떤 크기든 허용한다."""
    shape = np.shape(x)
    ok = len(shape) == len(expected) and all(e is None or e == s for e, s in zip(expected, shape))
    if not ok:
        raise ValueError(
            f"{name}의 모양이 맞지 않습니다: {describe_shape(expected)}을 기대했지만 "
            f"{describe_shape(shape)}를 받았습니다."
        )


def _check_real_scalar(value: Any, *, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}은(는) 실수여야 합니다: {_type_name(value)} 값 {value!r}를 받았습니다.")
    try:
        v = float(value)
    except OverflowError:  # 10**400 같은 아주 큰 정수
        raise ValueError(f"{name}이(가) 너무 큽니다: 유한한 실수여야 합니다.") from None
    if not np.isfinite(v):
        raise ValueError(f"{name}은(는) 유한한 실수여야 합니다: {value!r}를 받았습니다.")
    return v


def check_positive(value: Any, *, name: str) -> float:
    """value > 0인 유한 실수인지 본다 (예: 학습률)."""
    v = _check_real_scalar(value, name=name)
    if v <= 0:
        raise ValueError(f"{name}은(는) 0보다 커야 합니다: {value!r}를 받았습니다.")
    return v


def check_nonnegative(value: Any, *, name: str) -> float:
    """value ≥ 0인 유한 실수인지 본다 (예: 잡음 크기, 모멘텀)."""
    v = _check_real_scalar(value, name=name)
    if v < 0:
        raise ValueError(f"{name}은(는) 0 이상이어야 합니다: {value!r}를 받았습니다.")
    return v


def check_in_range(
    value: Any,
    low: float,
    high: float,
    *,
    name: str,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """low ≤ value ≤ high (경계 포함 여부는 인자로) 인지 본다."""
    v = _check_real_scalar(value, name=name)
    lo_ok = v >= low if low_inclusive else v > low
    hi_ok = v <= high if high_inclusive else v < high
    if not (lo_ok and hi_ok):
        lb = "[" if low_inclusive else "("
        hb = "]" if high_inclusive else ")"
        raise ValueError(f"{name}은(는) {lb}{low}, {high}{hb} 범위여야 합니다: {value!r}를 받았습니다.")
    return v


def check_int(value: Any, *, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """정수(불리언 제외)이고 [minimum, maximum] 안에 있는지 본다."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}은(는) 정수여야 합니다: {_type_name(value)} 값 {value!r}를 받았습니다.")
    v = int(value)
    if minimum is not None and v < minimum:
        raise ValueError(f"{name}은(는) {minimum} 이상이어야 합니다: {v}를 받았습니다.")
    if maximum is not None and v > maximum:
        raise ValueError(f"{name}은(는) {maximum} 이하여야 합니다: {v}를 받았습니다.")
    return v


def check_seed(seed: Any, *, name: str = "seed") -> int:
    """난수 씨앗은 0 이상 2**32 − 1 이하의 정수여야 한다 (numpy의 제한)."""
    return check_int(seed, name=name, minimum=0, maximum=2**32 - 1)


def check_probabilities(p: Any, *, name: str) -> np.ndarray:
    """모든 원소가 [0, 1] 안에 있는 확률 배열인지 본다."""
    arr = as_float_array(p, name=name)
    if np.any(arr < 0) or np.any(arr > 1):
        raise ValueError(
            f"{name}은(는) 확률이므로 [0, 1] 범위여야 합니다: 최솟값 {arr.min():.4g}, 최댓값 {arr.max():.4g}를 받았습니다."
        )
    return arr


def check_labels(y: Any, n_classes: int, *, name: str) -> np.ndarray:
    """정수 레이블이 0 ≤ y < n_classes인지 본다."""
    arr = as_int_array(y, name=name)
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(
            f"{name}의 레이블은 0 이상 {n_classes - 1} 이하여야 합니다: "
            f"최솟값 {arr.min()}, 최댓값 {arr.max()}를 받았습니다."
        )
    return arr


def check_choice(value: Any, choices: Sequence[str], *, name: str) -> str:
    """value가 허용된 선택지 가운데 하나인지 본다."""
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}은(는) {allowed} 가운데 하나여야 합니다: {value!r}를 받았습니다.")
    return value


def check_real(value: Any, *, name: str) -> float:
    """유한한 실수 하나인지 보고 float로 돌려준다 (불리언·문자열·NaN·무한대·넘치는 큰 정수는 거절)."""
    if type(value) is float and math.isfinite(value):  # 가장 흔한 경우는 빨리 지나간다
        return value
    return _check_real_scalar(value, name=name)


def check_sequence(value: Any, *, name: str, what: str = "목록") -> Sequence[Any]:
    """list·tuple 같은 순서 있는 모음인지 본다. 문자열·bytes는 글자의 모음이지만 거절한다."""
    if type(value) is list or type(value) is tuple:  # 가장 흔한 경우는 빨리 지나간다
        return value
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(
            f"{name}의 자료형이 맞지 않습니다: {what}을 기대했지만 {_type_name(value)}를 받았습니다."
        )
    return value


def check_axes(ax: Any) -> None:
    """matplotlib 축(Axes)인지 본다 (matplotlib은 이때 처음 불러온다)."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax에는 matplotlib 축(Axes)이 필요합니다: {type(ax).__name__}를 받았습니다.")
