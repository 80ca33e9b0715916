"""3.4 실전: 손글씨 숫자 분류: 본문 숫자를 독립적으로 다시 계산해 비교한다.

* 파이토치 모델은 노트북과 같은 씨앗·같은 DataLoader로, d2lutil.train 대신 이 파일의 학습 루프로 다시 학습한다.
* 넘파이 층 모델은 같은 초기 가중치에서 torch autograd(float64)와 torch.optim.Adam으로 다시 학습한다.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from nbdata import GLUE_RTOL, cell_outputs_text, glued
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from d2lutil.data import load_digits_split
from d2lutil.layers import make_mlp

NB = "book/part3/digits.ipynb"


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
def split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return load_digits_split(test_size=0.2, seed=0)


def test_split_sizes(g: dict[str, Any]) -> None:
    from sklearn.datasets import load_digits

    n = len(load_digits().target)
    assert g["digits_n_total"] == n == 1797
    assert g["digits_n_test"] == math.ceil(0.2 * n)
    assert g["digits_n_train"] == n - math.ceil(0.2 * n)


def loop_train(
    net: nn.Module, loss_fn: Any, X: torch.Tensor, y: torch.Tensor, *, epochs: int, batch_size: int = 32
) -> None:
    """노트북과 같은 DataLoader(씨앗 0)로 미니배치를 받아 Adam으로 학습하는, 따로 적은 루프."""
    loader = DataLoader(
        TensorDataset(X, y), batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(net(xb), yb).backward()
            opt.step()


def test_binary_zero_detector(g: dict[str, Any], split: Any) -> None:
    X_train, X_test, y_train, y_test = split
    Xtr = torch.tensor(X_train, dtype=torch.float32)
    Xte = torch.tensor(X_test, dtype=torch.float32)
    t_train = torch.tensor(y_train == 0, dtype=torch.float32)[:, None]
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
    loop_train(net, nn.BCELoss(), Xtr, t_train, epochs=20)
    with torch.no_grad():
        pred = (net(Xte)[:, 0] >= 0.5).numpy()
    truth = y_test == 0
    acc = float(np.mean(pred == truth))
    assert g["digits_binary_acc"] == pytest.approx(acc, abs=1.01 / len(y_test), rel=GLUE_RTOL)
    assert acc > 0.98
    assert g["digits_always_no_acc"] == pytest.approx(np.mean(y_test != 0), abs=1e-7, rel=GLUE_RTOL)
    assert g["digits_binary_missed"] == int(np.sum(~pred & truth))
    assert g["digits_binary_false_alarm"] == int(np.sum(pred & ~truth))


@pytest.fixture(scope="module")
def ten_class_predictions(split: Any) -> np.ndarray:
    X_train, X_test, y_train, _ = split
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    loop_train(
        net,
        nn.CrossEntropyLoss(),
        torch.tensor(X_train, dtype=torch.float32),
        torch.tensor(y_train),
        epochs=30,
    )
    with torch.no_grad():
        return net(torch.tensor(X_test, dtype=torch.float32)).argmax(dim=1).numpy()


def test_ten_class_accuracy_target(g: dict[str, Any], split: Any, ten_class_predictions: np.ndarray) -> None:
    y_test = split[3]
    acc = float(np.mean(ten_class_predictions == y_test))
    assert acc >= 0.97  # 이슈의 목표: 고정된 분할과 씨앗에서 시험 정확도 0.97 이상
    assert g["digits_test_acc"] >= 0.97
    assert g["digits_test_acc"] == pytest.approx(acc, abs=1.01 / len(y_test), rel=GLUE_RTOL)
    assert g["digits_epochs"] == 30
    assert g["digits_n_params"] == 64 * 128 + 128 + 128 * 10 + 10


def test_confusion_matrix(g: dict[str, Any], split: Any, ten_class_predictions: np.ndarray) -> None:
    from sklearn.metrics import confusion_matrix

    y_test = split[3]
    cm = np.array(g["digits_confusion"])
    assert cm.shape == (10, 10)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(y_test, minlength=10))
    assert np.trace(cm) / cm.sum() == pytest.approx(g["digits_test_acc"], abs=1e-6, rel=GLUE_RTOL)
    assert g["digits_n_wrong"] == cm.sum() - np.trace(cm)
    expected = confusion_matrix(y_test, ten_class_predictions, labels=range(10))
    if np.mean(ten_class_predictions == y_test) == pytest.approx(
        g["digits_test_acc"], abs=1e-6, rel=GLUE_RTOL
    ):
        np.testing.assert_array_equal(cm, expected)


def test_numpy_model_matches_torch_float64(g: dict[str, Any], split: Any) -> None:
    """같은 초기값(make_mlp seed=0)과 같은 미니배치 순서로 torch float64 + torch.optim.Adam 학습."""
    X_train, X_test, y_train, y_test = split
    init = [p.copy() for p in make_mlp([64, 128, 10], activation="relu", seed=0).parameters()]
    ps = [torch.tensor(p, requires_grad=True) for p in init]
    opt = torch.optim.Adam(ps, lr=1e-3, eps=1e-8)
    X = torch.tensor(X_train)
    y = torch.tensor(y_train)
    for epoch in range(30):
        order = np.random.default_rng(epoch).permutation(len(X_train))
        for start in range(0, len(order), 32):
            idx = torch.tensor(order[start : start + 32])
            logits = torch.relu(X[idx] @ ps[0] + ps[1]) @ ps[2] + ps[3]
            opt.zero_grad()
            nn.functional.cross_entropy(logits, y[idx]).backward()
            opt.step()
    with torch.no_grad():
        logits = torch.relu(torch.tensor(X_test) @ ps[0] + ps[1]) @ ps[2] + ps[3]
    acc = float(np.mean(logits.argmax(dim=1).numpy() == y_test))
    assert g["digits_numpy_acc"] == pytest.approx(acc, abs=1.01 / len(y_test), rel=GLUE_RTOL)
    assert abs(g["digits_numpy_acc"] - g["digits_test_acc"]) <= 0.02  # "비슷한 정확도"


def test_quiz_decay_factor() -> None:
    assert 1 - 0.1 * 0.01 == pytest.approx(0.999)
    assert round(0.999**1000, 2) == 0.37


def test_fashion_section_is_skipped_offline() -> None:
    text = cell_outputs_text(NB)
    assert "이 절은 건너뜁니다" in text and "D2L_ALLOW_DOWNLOAD=1" in text
