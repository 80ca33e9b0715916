"""2.2 "ReLU는 정말 여섯 배 빠를까?" 절의 숫자를 torch(float64, autograd, torch.optim.SGD)로 따로 다시 잰다.

노트북은 d2lutil.experiments(numpy)로 잽니다. 여기서는 같은 초기 가중치에서 torch로 학습해 에포크 수(정수)를
비교하고, 고른 학습률이 격자 안에서 정말 가장 빠른지(이웃 학습률보다 느리지 않은지)도 확인합니다.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from nbdata import glued
from test_experiments import torch_error_curve

from d2lutil.data import load_digits_split
from d2lutil.experiments import activation_race

NB = "book/part2/activations.ipynb"
HIDDEN = (32, 32, 32)
SEEDS = range(5)
MAX_EPOCHS = 40  # 노트북의 max_epochs
LRS = [0.05, 0.1, 0.2, 0.4, 0.8]  # 노트북의 격자 (노트북이 바뀌면 아래 테스트가 알려 줍니다)


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Any:
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    X, _, y, _ = load_digits_split(test_size=0.2, seed=0)
    return X, y


def torch_epochs(data: Any, activation: str, lr: float, seed: int) -> int | None:
    X, y = data
    errors = np.array(
        torch_error_curve(X, y, activation=activation, lr=lr, seed=seed, hidden=HIDDEN, epochs=MAX_EPOCHS)
    )
    finite_hits = np.flatnonzero(errors <= 0.25)
    # 발산하면 torch의 출력이 nan이 되어 argmax가 엉뚱한 값을 냅니다: 손실이 유한한 동안만 셉니다
    return int(finite_hits[0]) if finite_hits.size else None


def median_or_inf(es: list[int | None]) -> float:
    return float("inf") if None in es else float(np.median([e for e in es if e is not None]))


def test_best_lrs_and_epochs_match_torch(g: dict[str, Any], data: Any) -> None:
    assert g["act_race_n"] == len(data[1])
    best = {}
    for name in ("relu", "tanh"):
        lr = g[f"act_race_{name}_lr"]
        assert lr in LRS
        es = [torch_epochs(data, name, lr, s) for s in SEEDS]
        assert None not in es
        assert g[f"act_race_{name}_median"] == float(np.median(es))
        best[name] = np.array(es)
        # 격자에서 이웃한 학습률(절반, 두 배)은 중앙값이 더 크거나 실패해야 합니다: 고른 값이 정말 가장 빠르다
        i = LRS.index(lr)
        for j in (i - 1, i + 1):
            if 0 <= j < len(LRS):
                other = median_or_inf([torch_epochs(data, name, LRS[j], s) for s in SEEDS])
                assert other >= float(np.median(es))
    ratio = best["tanh"] / best["relu"]
    assert g["act_race_ratio_median"] == round(float(np.median(ratio)), 2)
    assert g["act_race_ratio_min"] == round(float(ratio.min()), 2)
    assert g["act_race_ratio_max"] == round(float(ratio.max()), 2)
    assert g["act_race_ratio_max"] < 1  # 이 작은 실험에서는 씨앗마다 tanh가 더 빠릅니다 (논문과 반대)


def test_same_lr_ratio_and_relu_failure(g: dict[str, Any], data: Any) -> None:
    relu = np.array([torch_epochs(data, "relu", 0.1, s) for s in SEEDS], dtype=float)
    tanh = np.array([torch_epochs(data, "tanh", 0.1, s) for s in SEEDS], dtype=float)
    assert g["act_race_ratio_same_lr"] == round(float(np.median(tanh / relu)), 2)
    lr = g["act_race_relu_fail_lr"]
    assert all(torch_epochs(data, "relu", lr, s) is None for s in SEEDS)
    assert not all(torch_epochs(data, "relu", lr / 2, s) is None for s in SEEDS)
    assert g["act_race_tanh_ok_at_fail"] == sum(torch_epochs(data, "tanh", lr, s) is not None for s in SEEDS)


def test_initial_slopes_with_torch_autograd(g: dict[str, Any], data: Any) -> None:
    from d2lutil.experiments import init_weights

    X = torch.tensor(data[0])
    Ws = [torch.tensor(W) for W, _ in init_weights([64, *HIDDEN, 10], seed=0)]
    means = {}
    for name, f in (("relu", torch.relu), ("tanh", torch.tanh)):
        h, slopes = X, []
        for W in Ws[:-1]:
            z = (h @ W).requires_grad_()
            (dz,) = torch.autograd.grad(f(z).sum(), z)
            slopes.append(dz.mean().item())
            h = f(z).detach()
        means[name] = round(float(np.mean(slopes)), 2)
    assert g["act_race_relu_slope"] == means["relu"]
    assert g["act_race_tanh_slope"] == means["tanh"]


def test_he_init_does_not_change_the_order(data: Any) -> None:
    """본문의 주장: ReLU에 맞춘 He 초기화를 두 신경망에 똑같이 써도 tanh가 더 빨리 25%에 닿는다."""
    X, y = data
    race = activation_race(X, y, lrs=[0.05, 0.1, 0.2, 0.4, 0.8], seeds=SEEDS, hidden=HIDDEN, scheme="he")
    relu, tanh = race["best_epochs"]["relu"], race["best_epochs"]["tanh"]
    assert relu is not None and tanh is not None
    assert race["best_lr"]["relu"] != 0.8 and race["best_lr"]["tanh"] != 0.8  # 격자가 최적값을 감싼다
    assert np.median(tanh) < np.median(relu)
