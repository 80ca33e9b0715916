"""장마다 쓰는 대화형 데모. 모두 :class:`d2lutil.widgets.Demo`를 물려받는다.

모듈 하나가 장 하나를 맡는다 (예: ``d2lutil.demos.perceptron``). 벤치마크(``make bench``)는
``ALL_DEMOS``에 등록된 데모마다 ``update``를 격자 위에서 30번 불러 중앙값과 p95를 잰다.
"""

from __future__ import annotations

import importlib
import inspect

from d2lutil.widgets import Demo

#: 데모가 들어 있는 모듈 이름들 (장 순서). 새 데모 모듈을 만들면 여기에 더한다.
DEMO_MODULES: tuple[str, ...] = (
    "tensors",
    "perceptron",
    "linear_regression",
    "torch_regression",
    "mlp",
    "activations",
    "linearity",
    "forward",
    "chain_rule",
    "backprop",
    "vanishing",
    "playground",
    "regularization",
)


def all_demos() -> list[type[Demo]]:
    """존재하는 데모 모듈에서 Demo 하위 클래스를 모두 모은다 (벤치마크와 테스트용)."""
    found: list[type[Demo]] = []
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(f"d2lutil.demos.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"d2lutil.demos.{name}":
                continue
            raise
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Demo) and obj is not Demo and obj.__module__ == module.__name__:
                found.append(obj)
    return found
