"""d2lutil: 신경망 교과서의 작은 도우미 패키지.

가져오기(import)만으로는 아무것도 바꾸지 않는다: 글꼴 설정과 난수 씨앗은 노트북이
``d2lutil.use_korean_font()``와 ``d2lutil.seed_everything(0)``을 직접 불러서 정한다.
torch는 필요한 함수 안에서만 가져오므로 ``import d2lutil``은 가볍다.

하위 모듈은 ``from d2lutil import activations``처럼 가져다 쓴다.
"""

from __future__ import annotations

from d2lutil.plotting import set_figsize, use_korean_font
from d2lutil.utils import Timer, seed_everything, try_gpu

__all__ = ["Timer", "seed_everything", "set_figsize", "try_gpu", "use_korean_font"]
__version__ = "0.1.0"
