"""작은 공용 도구: 난수 씨앗 고정, 장치(device) 고르기, 시간 재기.

torch는 함수 안에서만 가져온다. 그래서 ``import d2lutil``은 torch 없이도 가볍다.
"""

from __future__ import annotations

import random
import statistics
import time
from types import TracebackType
from typing import TYPE_CHECKING

import numpy as np

from d2lutil._checks import check_int, check_seed

if TYPE_CHECKING:  # pragma: no cover - 타입 검사용
    import torch

__all__ = ["Timer", "seed_everything", "try_gpu"]


def seed_everything(seed: int) -> None:
    """파이썬 random, numpy 전역 난수, torch(CUDA 포함, 설치되어 있으면)의 씨앗을 모두 seed로 고정한다."""
    seed = check_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:  # pragma: no cover - torch 없는 환경
        return
    torch.manual_seed(seed)  # CPU와 모든 CUDA 장치의 씨앗을 함께 정한다
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def try_gpu(i: int = 0) -> torch.device:
    """i번째 GPU가 있으면 ``cuda:i``, 없으면 ``cpu`` 장치를 돌려준다."""
    i = check_int(i, name="i", minimum=0)
    import torch

    if torch.cuda.is_available() and torch.cuda.device_count() > i:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


class Timer:
    """여러 번 잰 시간을 모아 두는 초시계. ``with Timer() as t:`` 형태로도 쓴다.

    >>> t = Timer()
    >>> t.start(); ...; t.stop()  # 잰 시간(초)을 돌려주고 t.times에 쌓는다
    """

    def __init__(self) -> None:
        self.times: list[float] = []
        self._start: float | None = None

    def start(self) -> None:
        """시간 재기를 시작한다."""
        self._start = time.perf_counter()

    def stop(self) -> float:
        """시간 재기를 멈추고 이번에 잰 시간(초)을 돌려준다."""
        if self._start is None:
            raise RuntimeError("Timer.stop()을 start() 전에 불렀습니다: 먼저 start()를 부르세요.")
        elapsed = time.perf_counter() - self._start
        self._start = None
        self.times.append(elapsed)
        return elapsed

    @property
    def elapsed(self) -> list[float]:
        """지금까지 잰 시간들(초)의 복사본."""
        return list(self.times)

    def _require_times(self, what: str) -> None:
        if not self.times:
            raise RuntimeError(f"Timer.{what}(): 아직 잰 시간이 없습니다. start()와 stop()을 먼저 부르세요.")

    def median(self) -> float:
        """잰 시간들의 중앙값(초)."""
        self._require_times("median")
        return float(statistics.median(self.times))

    def sum(self) -> float:
        """잰 시간들의 합(초)."""
        return float(sum(self.times))

    def avg(self) -> float:
        """잰 시간들의 평균(초)."""
        self._require_times("avg")
        return self.sum() / len(self.times)

    def __enter__(self) -> Timer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Timer(n={len(self.times)}, sum={self.sum():.4g}s)"
