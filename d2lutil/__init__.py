"""d2lutil: 신경망 교과서의 작은 도우미 패키지.

가져오기(import)만으로는 아무것도 바꾸지 않는다: 글꼴 설정과 난수 씨앗은 노트북이
``d2lutil.use_korean_font()``와 ``d2lutil.seed_everything(0)``을 직접 불러서 정한다.
torch는 필요한 함수 안에서만, matplotlib은 그림 도우미(``set_figsize``)를 처음 쓸 때 가져오므로
``import d2lutil``과 ``from d2lutil.autograd import Value``는 가볍다.

하위 모듈은 ``from d2lutil import activations``처럼 가져다 쓴다.
"""

from __future__ import annotations

from typing import Any

from d2lutil.fonts import use_korean_font
from d2lutil.utils import Timer, seed_everything, try_gpu

__all__ = ["Timer", "seed_everything", "set_figsize", "try_gpu", "use_korean_font"]
__version__ = "0.1.0"


#: matplotlib을 쓰는 하위 모듈: ``import d2lutil`` 뒤 ``d2lutil.plotting``처럼 처음 쓸 때 가져온다
_LAZY_SUBMODULES = ("plotting", "widgets", "demos")


def __getattr__(name: str) -> Any:
    """``d2lutil.set_figsize``나 ``d2lutil.plotting``을 처음 쓸 때 그림 모듈(matplotlib)을 가져온다 (PEP 562)."""
    if name == "set_figsize":
        from d2lutil.plotting import set_figsize

        return set_figsize
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"d2lutil.{name}")
    raise AttributeError(f"모듈 'd2lutil'에는 {name!r} 속성이 없습니다.")
