"""d2lutil의 모든 공개 함수와 클래스(데모 포함)에 잡동사니 위치 인자를 넣어 본다.

약속: 잘못된 입력에는 ValueError나 TypeError만 나온다 (numpy 깊은 곳의 OverflowError, IndexError,
ZeroDivisionError 같은 것이 새어 나오지 않는다). 모듈별 테스트가 메시지의 내용(한국어, 인자 이름)을
확인하고, 이 테스트는 패키지 전체에 빠진 곳이 없는지 훑는다.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import d2lutil
import d2lutil.demos

JUNK: list[Any] = [
    None,
    "abc",
    [[1, 2], [3]],
    {"a": 1},
    float("nan"),
    float("inf"),
    -1,
    0,
    10**400,
    np.array([]),
    np.array(["a"]),
    np.zeros((2, 3, 4)),
    object(),
    True,
    1e308,
    -5.5,
]
# 네트워크를 쓰거나(내려받기) 전역 난수 상태를 바꾸는 함수는 각자의 테스트에서 다룬다.
SKIP = {"download", "load_fashion_mnist", "seed_everything"}
CALLS_PER_TARGET = 60


def _targets() -> list[tuple[str, Callable[..., Any], int]]:
    names = [f"d2lutil.{m.name}" for m in pkgutil.iter_modules(d2lutil.__path__) if not m.ispkg]
    names += [f"d2lutil.demos.{m.name}" for m in pkgutil.iter_modules(d2lutil.demos.__path__)]
    found = []
    for module_name in names:
        if module_name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(module_name)
        for name, obj in list(vars(module).items()):
            if name.startswith("_") or name in SKIP or not callable(obj):
                continue
            if getattr(obj, "__module__", None) != module_name:
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            try:
                sig = inspect.signature(obj)
            except (TypeError, ValueError):
                continue
            required = [
                p
                for p in sig.parameters.values()
                if p.default is inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            if 1 <= len(required) <= 3:
                found.append((f"{module_name}.{name}", obj, len(required)))
    return found


TARGETS = _targets()


def test_enough_targets_are_fuzzed() -> None:
    assert len(TARGETS) >= 40  # 새 모듈이 빠지지 않았는지 대략 확인


@pytest.mark.parametrize(("name", "func", "arity"), TARGETS, ids=[t[0] for t in TARGETS])
def test_junk_raises_only_value_or_type_error(name: str, func: Callable[..., Any], arity: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for args in itertools.islice(itertools.product(JUNK, repeat=arity), CALLS_PER_TARGET):
            try:
                func(*args)
            except (ValueError, TypeError):
                pass
            except Exception as exc:  # pragma: no cover - 실패할 때만
                pytest.fail(f"{name}{args!r:.120}에서 {type(exc).__name__}: {exc}")
