"""d2lutil.experiments 테스트: 같은 학습을 torch autograd + torch.optim.SGD(float64)로 따로 적어 비교한다."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from d2lutil.data import load_digits_split
from d2lutil.experiments import activation_race, epochs_to_error, init_weights, training_error_curve


def torch_error_curve(
    X: np.ndarray, y: np.ndarray, *, activation: str, lr: float, seed: int, hidden: Any, epochs: int
) -> list[float]:
    """같은 초기 가중치에서 torch로 전체 배치 SGD(모멘텀 0.9)를 돌려 에포크마다 훈련 오차를 잰다."""
    n_classes = int(y.max()) + 1
    params = []
    for W, b in init_weights([X.shape[1], *hidden, n_classes], seed=seed):
        params += [torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)]
    f = torch.relu if activation == "relu" else torch.tanh
    opt = torch.optim.SGD(params, lr=lr, momentum=0.9)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    errors = []
    for k in range(epochs + 1):
        h = Xt
        for i in range(0, len(params) - 2, 2):
            h = f(h @ params[i] + params[i + 1])
        logits = h @ params[-2] + params[-1]
        errors.append(float((logits.argmax(dim=1) != yt).double().mean()))
        if k == epochs:
            break
        opt.zero_grad()
        torch.nn.functional.cross_entropy(logits, yt).backward()
        opt.step()
    return errors


@pytest.fixture(scope="module")
def small() -> tuple[np.ndarray, np.ndarray]:
    X, _, y, _ = load_digits_split(test_size=0.2, seed=0)
    return X[:300], y[:300]


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("lr", [0.05, 0.3])
def test_curve_matches_torch(small: Any, activation: str, lr: float) -> None:
    X, y = small
    ours = training_error_curve(X, y, activation=activation, lr=lr, seed=3, hidden=(16, 16), epochs=25)
    ref = torch_error_curve(X, y, activation=activation, lr=lr, seed=3, hidden=(16, 16), epochs=25)
    # float64 두 구현의 차이는 1e-15 수준이라 틀린 개수(정수)가 같아야 한다
    np.testing.assert_array_equal(np.round(ours * len(y)), np.round(np.array(ref) * len(y)))
    assert len(ours) == 26


def test_same_seed_same_initial_weights() -> None:
    a, b = init_weights([4, 3, 2], seed=5), init_weights([4, 3, 2], seed=5)
    for (Wa, ba), (Wb, bb) in zip(a, b):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)
    W = init_weights([400, 300], seed=0)[0][0]
    assert W.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)  # Xavier 정규분포
    W = init_weights([400, 300], seed=0, scheme="he")[0][0]
    assert W.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)


def test_epochs_to_error_is_first_hit(small: Any) -> None:
    X, y = small
    curve = training_error_curve(X, y, activation="tanh", lr=0.1, seed=0, epochs=60)
    k = epochs_to_error(X, y, activation="tanh", lr=0.1, seed=0, target=0.25, max_epochs=60)
    assert k is not None and curve[k] <= 0.25 and np.all(curve[:k] > 0.25)
    assert epochs_to_error(X, y, activation="relu", lr=0.1, seed=0, target=0.0, max_epochs=3) is None


def test_divergence_stops_and_returns_none(small: Any) -> None:
    X, y = small
    curve = training_error_curve(X, y, activation="relu", lr=50.0, seed=0, epochs=60)
    assert len(curve) < 61
    assert epochs_to_error(X, y, activation="relu", lr=50.0, seed=0) is None


def test_race_picks_fastest_lr_where_all_seeds_finish(small: Any) -> None:
    X, y = small
    lrs, seeds = [0.05, 0.2, 50.0], [0, 1, 2]
    r = activation_race(X, y, lrs=lrs, seeds=seeds, hidden=(16,), max_epochs=40)
    for a in ("relu", "tanh"):
        table = {
            lr: [
                epochs_to_error(X, y, activation=a, lr=lr, seed=s, hidden=(16,), max_epochs=40) for s in seeds
            ]
            for lr in lrs
        }
        assert r["epochs"][a] == table
        assert None in table[50.0]  # 발산하는 학습률은 고르지 않는다
        finished = {lr: es for lr, es in table.items() if None not in es}
        medians = {lr: float(np.median(es)) for lr, es in finished.items()}
        best = min(medians.values())
        assert r["best_lr"][a] == min(lr for lr, m in medians.items() if m == best)
        assert r["best_epochs"][a] == table[r["best_lr"][a]]


def test_race_with_no_finishing_lr(small: Any) -> None:
    X, y = small
    r = activation_race(X, y, lrs=[50.0], seeds=[0], activations=["tanh"])
    assert r["best_lr"]["tanh"] is None and r["best_epochs"]["tanh"] is None


def test_errors_name_the_argument(small: Any) -> None:
    X, y = small
    with pytest.raises(ValueError, match="activation"):
        training_error_curve(X, y, activation="gelu", lr=0.1, seed=0)
    with pytest.raises(ValueError, match="lr"):
        training_error_curve(X, y, activation="relu", lr=0.0, seed=0)
    with pytest.raises(ValueError, match="momentum"):
        training_error_curve(X, y, activation="relu", lr=0.1, seed=0, momentum=1.0)
    with pytest.raises(ValueError, match="stop_at"):
        training_error_curve(X, y, activation="relu", lr=0.1, seed=0, stop_at=2.0)
    with pytest.raises(ValueError, match="X"):
        training_error_curve(X[0], y, activation="relu", lr=0.1, seed=0)
    with pytest.raises(ValueError, match="y"):
        training_error_curve(X, y[:5], activation="relu", lr=0.1, seed=0)
    with pytest.raises(ValueError, match="sizes"):
        init_weights([3], seed=0)
    with pytest.raises(ValueError, match="scheme"):
        init_weights([3, 2], seed=0, scheme="lecun")
    with pytest.raises(TypeError, match="sizes"):
        init_weights([3, 2.5], seed=0)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="lrs"):
        activation_race(X, y, lrs=[], seeds=[0])
    with pytest.raises(ValueError, match="activations"):
        activation_race(X, y, lrs=[0.1], seeds=[0], activations=["step"])
