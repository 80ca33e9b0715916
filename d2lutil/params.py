"""데모의 매개변수 정의: 실수 슬라이더, 정수 슬라이더, 드롭다운.

``d2lutil.widgets.Demo``의 하위 클래스가 ``params = (FloatParam(...), ...)``로 쓴다. 각 매개변수는 값을
검사하고(``validate``), 커널 없는 형태에서 미리 그릴 값들(``grid_values``)과 화면에 보일 글자(``describe``)를 준다.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ChoiceParam", "FloatParam", "IntParam", "Param"]


@dataclass(frozen=True)
class FloatParam:
    """실수 슬라이더. ``grid``는 커널 없는 형태에서 쓸 값들이다 (없으면 기본값 하나). 정의된 곳: 책에서는 직접 쓰지 않음 (데모 모듈이 슬라이더를 정할 때 쓴다)"""

    name: str
    label: str
    min: float
    max: float
    step: float
    default: float
    grid: tuple[float, ...] = ()
    log: bool = False
    continuous: bool = True
    fmt: str = "{:g}"

    def validate(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{self.name}은(는) 실수여야 합니다: {type(value).__name__} 값 {value!r}를 받았습니다."
            )
        v = float(value)
        if not math.isfinite(v) or v < self.min - 1e-12 or v > self.max + 1e-12:
            raise ValueError(
                f"{self.name}은(는) [{self.min}, {self.max}] 범위여야 합니다: {value!r}를 받았습니다."
            )
        return v

    def grid_values(self) -> tuple[float, ...]:
        return tuple(self.grid) if self.grid else (self.default,)

    def describe(self, value: Any) -> str:
        return self.fmt.format(value)


@dataclass(frozen=True)
class IntParam:
    """정수 슬라이더. 정의된 곳: 책에서는 직접 쓰지 않음 (데모 모듈이 슬라이더를 정할 때 쓴다)"""

    name: str
    label: str
    min: int
    max: int
    step: int = 1
    default: int = 0
    grid: tuple[int, ...] = ()
    continuous: bool = True

    def validate(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(
                f"{self.name}은(는) 정수여야 합니다: {type(value).__name__} 값 {value!r}를 받았습니다."
            )
        v = int(value)
        if v < self.min or v > self.max:
            raise ValueError(
                f"{self.name}은(는) {self.min} 이상 {self.max} 이하여야 합니다: {v}를 받았습니다."
            )
        return v

    def grid_values(self) -> tuple[int, ...]:
        return tuple(self.grid) if self.grid else (self.default,)

    def describe(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class ChoiceParam:
    """드롭다운. ``options``는 (보이는 이름, 값) 쌍 또는 문자열들. 정의된 곳: 책에서는 직접 쓰지 않음 (데모 모듈이 드롭다운을 정할 때 쓴다)"""

    name: str
    label: str
    options: tuple[Any, ...]
    default: Any
    grid: tuple[Any, ...] = field(default=())
    continuous: bool = True

    def pairs(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for opt in self.options:
            if isinstance(opt, tuple) and len(opt) == 2:
                out.append((str(opt[0]), opt[1]))
            else:
                out.append((str(opt), opt))
        return out

    def validate(self, value: Any) -> Any:
        values = [v for _, v in self.pairs()]
        if value not in values:
            allowed = ", ".join(repr(v) for v in values)
            raise ValueError(f"{self.name}은(는) {allowed} 가운데 하나여야 합니다: {value!r}를 받았습니다.")
        return value

    def grid_values(self) -> tuple[Any, ...]:
        return tuple(self.grid) if self.grid else tuple(v for _, v in self.pairs())

    def describe(self, value: Any) -> str:
        for shown, v in self.pairs():
            if v == value:
                return shown
        return str(value)


Param = FloatParam | IntParam | ChoiceParam


def _slider_format(p: FloatParam) -> str:
    """슬라이더 옆 숫자의 형식: fmt가 "{:.3f}" 꼴이면 그대로, 아니면 step의 소수 자릿수만큼."""
    m = re.fullmatch(r"\{:([^{}]*)\}", p.fmt)
    if m and m.group(1) and m.group(1) != "g":
        return m.group(1)
    decimals = 0
    for v in (p.step, p.min, p.default):
        text = f"{abs(v):.10f}".rstrip("0")
        decimals = max(decimals, len(text.split(".")[1]) if "." in text else 0)
    return f".{min(decimals, 6)}f"
