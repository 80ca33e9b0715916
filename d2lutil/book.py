"""책의 노트북이 본문에 숫자를 붙일 때 쓰는 도구 (정의된 곳: 기여 안내, 모든 장의 첫 코드 셀).

본문의 숫자는 ``glue("이름", 값)``으로 노트북에 붙이고 글에서는 ``{glue:text}`이름:.4f```로 씁니다.
부동소수점 계산의 마지막 몇 자리는 CPU, BLAS 커널, 스레드 수에 따라 달라집니다(덧셈 순서가 바뀌면
반올림 오차가 달라지므로). 그래서 이 ``glue``는 실수를 **유효숫자 6자리로 반올림해서** 붙입니다.
저장된 값이 어느 기계에서나 같아지고, 본문은 어차피 6자리보다 적게 보여 줍니다.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from d2lutil._checks import check_int

__all__ = ["below", "glue", "round_sig"]

SIGNIFICANT_DIGITS = 6


def round_sig(value: Any, digits: int = SIGNIFICANT_DIGITS) -> Any:
    """실수를 유효숫자 ``digits``자리로 반올림한다. 리스트·튜플·배열은 원소마다 반올림한다.

    정수, 불리언, 문자열, ``nan``과 ``inf``는 그대로 둔다. numpy 스칼라는 파이썬 수로,
    numpy 배열은 (중첩) 리스트로 바꾼다 (노트북에 저장되는 표현이 짧고 읽기 쉽도록).

    >>> round_sig(1.0793824318)
    1.07938
    >>> round_sig([2.220446049250313e-16, 3])
    [2.22045e-16, 3]
    """
    digits = check_int(digits, name="digits", minimum=1, maximum=17)
    return _round(value, digits)


def _round(value: Any, digits: int) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x) or x == 0.0:
            return 0.0 if x == 0.0 else x  # -0.0도 0.0으로: 부호 있는 0은 기계마다 달라질 수 있다
        near = float(f"{x:.{digits}g}")
        return near if math.isfinite(near) else x  # 1.8e308을 올림하면 inf가 되므로 그대로 둔다
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        return _round(value.tolist(), digits)
    if isinstance(value, (list, tuple)):
        rounded = [_round(v, digits) for v in value]
        return rounded if isinstance(value, list) else tuple(rounded)
    if isinstance(value, Mapping):
        return {k: _round(v, digits) for k, v in value.items()}
    raise TypeError(
        f"value의 형식을 반올림할 수 없습니다: 수, 문자열, 리스트, 튜플, 배열, 사전을 기대했지만 "
        f"{type(value).__name__}을(를) 받았습니다."
    )


def glue(name: str, value: Any, display: bool = False, *, digits: int = SIGNIFICANT_DIGITS) -> None:
    """``myst_nb.glue``와 같지만 실수를 유효숫자 ``digits``자리로 반올림해서 붙인다.

    기본값은 ``display=False``입니다 (붙인 값을 셀 출력으로 보여 주지 않고 본문에서만 씁니다).
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name은 비어 있지 않은 문자열이어야 합니다: {name!r}을(를) 받았습니다.")
    rounded = round_sig(value, digits)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab처럼 myst_nb가 없는 곳: 붙일 곳(책 빌드)이 없으니 아무것도 하지 않는다
        return
    myst_glue(name, rounded, display=display)


def below(error: float, bound: float = 1e-12) -> str:
    """반올림 오차 수준의 값을 기계와 상관없이 같은 글로 보여 준다: ``error < bound``이면 ``"< 1e-12"``.

    ``2.2e-16``과 ``1.1e-16``처럼 반올림 오차의 정확한 크기는 CPU마다 다르므로 그대로 찍지 않고,
    어느 기계에서나 성립하는 주장("차이가 1e-12보다 작다")만 보여 준다. 주장이 틀리면(오차가 크면)
    실제 값과 함께 ``"… (기준 1e-12 초과!)"``를 돌려주므로 출력 비교(nbval)에서 바로 드러난다.

    >>> below(2.2e-16)
    '< 1e-12'
    """
    err = _real(error, "error")
    limit = _real(bound, "bound")
    if not math.isfinite(limit) or limit <= 0:
        raise ValueError(f"bound는 양의 유한한 수여야 합니다: {bound!r}을(를) 받았습니다.")
    shown = _short_exp(f"{limit:.0e}")
    if math.isfinite(err) and abs(err) < limit:
        return f"< {shown}"
    return f"{err:.1e} (기준 {shown} 초과!)"


def _real(value: Any, name: str) -> float:
    """실수 하나를 float로. 너무 큰 정수는 ±inf로 (float로 바꿀 수 없어도 '초과'라고 말할 수 있도록)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(
            f"{name}은(는) 실수여야 합니다: {type(value).__name__} 값 {value!r}을(를) 받았습니다."
        )
    try:
        return float(value)
    except OverflowError:
        big: Any = value  # float로 못 바꾸는 것은 아주 큰 정수뿐
        return math.inf if big > 0 else -math.inf


def _short_exp(text: str) -> str:
    """``1e-07`` → ``1e-7``: 지수의 앞자리 0을 뺀다."""
    mantissa, _, exponent = text.partition("e")
    sign = "-" if exponent.startswith("-") else ""
    return f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"
