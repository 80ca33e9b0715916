"""d2lutil.utils: 씨앗 고정, 장치 고르기, 초시계."""

from __future__ import annotations

import random
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from d2lutil import utils
from d2lutil.utils import Timer, seed_everything, try_gpu


def _draws() -> tuple[float, float, float]:
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_seed_everything_repeats_all_three_generators() -> None:
    seed_everything(123)
    first = _draws()
    seed_everything(123)
    assert _draws() == first
    seed_everything(124)
    assert _draws() != first


def test_seed_everything_matches_each_library_seeded_directly() -> None:
    # 독립 계산: 라이브러리마다 직접 씨앗을 준 결과와 같아야 한다.
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    expected = _draws()
    seed_everything(7)
    assert _draws() == expected


def test_seed_everything_seeds_cuda_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "manual_seed_all", calls.append)
    seed_everything(5)
    assert calls and set(calls) == {5}  # torch.manual_seed도 한 번 부를 수 있다


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "0", None, True])
def test_seed_everything_rejects_bad_seed(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="seed"):
        seed_everything(bad)  # type: ignore[arg-type]


def test_try_gpu_cpu_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert try_gpu() == torch.device("cpu")
    assert try_gpu(3) == torch.device("cpu")


def test_try_gpu_cuda_branch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert try_gpu() == torch.device("cuda:0")
    assert try_gpu(1) == torch.device("cuda:1")
    assert try_gpu(2) == torch.device("cpu")  # 없는 번호는 CPU로


@pytest.mark.parametrize("bad", [-1, 0.5, "0", None])
def test_try_gpu_rejects_bad_index(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="i"):
        try_gpu(bad)  # type: ignore[arg-type]


def test_timer_start_stop_and_statistics() -> None:
    t = Timer()
    for pause in (0.002, 0.001, 0.003):
        t.start()
        time.sleep(pause)
        got = t.stop()
        assert got >= pause * 0.5
    assert len(t.elapsed) == 3
    assert t.median() == pytest.approx(float(np.median(t.times)))
    assert t.sum() == pytest.approx(float(np.sum(t.times)))
    assert t.avg() == pytest.approx(float(np.mean(t.times)))
    assert "n=3" in repr(t)
    t.elapsed.append(99.0)  # 복사본이므로 안쪽은 그대로
    assert len(t.times) == 3


def test_timer_context_manager() -> None:
    with Timer() as t:
        time.sleep(0.001)
    assert len(t.times) == 1 and t.times[0] > 0


def test_timer_errors_are_korean() -> None:
    t = Timer()
    with pytest.raises(RuntimeError, match="start"):
        t.stop()
    with pytest.raises(RuntimeError, match="median"):
        t.median()
    with pytest.raises(RuntimeError, match="avg"):
        t.avg()


def test_import_is_light_and_has_no_torch() -> None:
    # 여러 도우미가 CPU를 나눠 쓰므로 벽시계 대신 CPU 시간의 세 번 가운데 최솟값을 본다.
    code = (
        "import sys, time; t = time.process_time(); import d2lutil; "
        "print(time.process_time() - t, 'torch' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(3)
    ]
    assert min(float(r[0]) for r in runs) < 0.5
    assert all(r[1:] == ["False", "False"] for r in runs)


def test_public_names() -> None:
    assert set(utils.__all__) == {"Timer", "seed_everything", "try_gpu"}
