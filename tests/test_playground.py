"""d2lutil.playground: 놀이터 데이터와 numpy 학습 엔진.

학습 한 걸음은 torch autograd(float64)와 torch.optim.SGD로 독립적으로 다시 계산해 비교한다.
자바스크립트 엔진과의 비교는 tests/test_playground_parity.py에 있다.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from d2lutil.playground import (
    DATASETS,
    DIVERGENCE_LIMIT,
    FEATURES,
    PlaygroundConfig,
    PlaygroundRun,
    PortableRng,
    feature_matrix,
    make_dataset,
)

TORCH_ACT = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "linear": lambda z: z,
}


# --------------------------------------------------------------------------- 데이터


@pytest.mark.parametrize("name", DATASETS)
def test_make_dataset_shapes_and_determinism(name: str) -> None:
    X, y = make_dataset(name, 120, seed=3)
    assert X.shape == (120, 2) and y.shape == (120,)
    assert set(np.unique(y)) == {0, 1}
    assert y.sum() == 60  # 두 클래스가 반씩
    assert np.abs(X).max() < 2.0
    X2, y2 = make_dataset(name, 120, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make_dataset(name, 120, seed=4)
    assert not np.allclose(X, X3)


def test_xor_labels_follow_quadrant_rule() -> None:
    X, y = make_dataset("xor", 300, noise=0.0, seed=1)
    expected = np.where(np.sign(X[:, 0]) != np.sign(X[:, 1]), 1, 0)
    np.testing.assert_array_equal(y, expected)


def test_circles_radii_without_noise() -> None:
    X, y = make_dataset("circles", 100, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all((r[y == 0] >= 0.7) & (r[y == 0] <= 1.0))
    assert np.all(r[y == 1] <= 0.5)


def test_spirals_and_moons_shapes_without_noise() -> None:
    X, y = make_dataset("spirals", 40, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], np.linspace(0.05, 1.0, 20))
    np.testing.assert_allclose(X[y == 1], -X[y == 0], atol=1e-12)  # 두 번째 나선은 반 바퀴 돌린 것
    X, y = make_dataset("moons", 60, noise=0.0)
    upper = X[y == 0] / 0.8 + [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)


def test_gaussian_centres() -> None:
    X, y = make_dataset("gaussian", 4000, noise=0.0)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [0.5, 0.5], atol=0.03)
    np.testing.assert_allclose(X[y == 0].std(axis=0), [0.2, 0.2], atol=0.02)


def test_portable_rng_matches_reference_values() -> None:
    """mulberry32의 첫 값들: 독립 구현(부호 없는 32비트 산술을 numpy uint32로)과 비교한다."""

    def reference(seed: int, count: int) -> list[int]:
        out = []
        a = np.uint32(seed)
        with np.errstate(over="ignore"):
            for _ in range(count):
                a = np.uint32(a + np.uint32(0x6D2B79F5))
                t = np.uint32((a ^ (a >> np.uint32(15))) * (a | np.uint32(1)))
                t = np.uint32(t + np.uint32((t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))) ^ t
                out.append(int(t ^ (t >> np.uint32(14))))
        return out

    for seed in (0, 1, 2**32 - 1):
        rng = PortableRng(seed)
        assert [rng.next_u32() for _ in range(50)] == reference(seed, 50)
    rng = PortableRng(7)
    u = np.array([rng.uniform() for _ in range(20000)])
    assert 0.0 <= u.min() and u.max() < 1.0 and abs(u.mean() - 0.5) < 0.01
    z = np.array([rng.normal() for _ in range(20000)])
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1.0) < 0.03
    assert sorted(rng.shuffle_indices(30)) == list(range(30))


def test_feature_matrix_columns() -> None:
    X = np.array([[0.5, -2.0], [1.0, 3.0]])
    F = feature_matrix(X, FEATURES)
    expected = np.column_stack(
        [X[:, 0], X[:, 1], X[:, 0] ** 2, X[:, 1] ** 2, X[:, 0] * X[:, 1], np.sin(X[:, 0]), np.sin(X[:, 1])]
    )
    np.testing.assert_array_equal(F, expected)
    with pytest.raises(ValueError, match="features"):
        feature_matrix(X, ("x3",))
    with pytest.raises(ValueError, match="X"):
        feature_matrix(np.zeros((2, 3)), ("x1",))


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"name": "mnist"}, ValueError, "name"),
        ({"name": 3}, ValueError, "name"),
        ({"name": "xor", "n": 2}, ValueError, "n"),
        ({"name": "xor", "n": 2.5}, TypeError, "n"),
        ({"name": "xor", "noise": -0.1}, ValueError, "noise"),
        ({"name": "xor", "seed": -1}, ValueError, "seed"),
    ],
)
def test_make_dataset_bad_input(kwargs: dict[str, Any], exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        make_dataset(**kwargs)


@pytest.mark.parametrize(
    ("field", "value", "exc"),
    [
        ("dataset", "mnist", ValueError),
        ("hidden", (8,) * 7, ValueError),
        ("hidden", (0,), ValueError),
        ("hidden", (33,), ValueError),
        ("hidden", (2.0,), TypeError),
        ("hidden", [8, 8], TypeError),
        ("features", (), ValueError),
        ("features", ("x1", "x1"), ValueError),
        ("features", ("x3",), ValueError),
        ("l1", -0.1, ValueError),
        ("noise", -0.1, ValueError),
        ("train_ratio", 0.95, ValueError),
        ("data_seed", -1, ValueError),
        ("activation", "gelu", ValueError),
        ("lr", 0.0, ValueError),
        ("lr", float("nan"), ValueError),
        ("batch_size", 0, ValueError),
        ("weight_decay", -1.0, ValueError),
        ("momentum", 1.0, ValueError),
        ("seed", -3, ValueError),
        ("n", 1, ValueError),
    ],
)
def test_config_bad_values_name_the_field(field: str, value: Any, exc: type) -> None:
    with pytest.raises(exc, match=field if field != "seed" else "seed"):
        PlaygroundConfig(**{field: value})


def test_run_rejects_non_config() -> None:
    with pytest.raises(TypeError, match="config"):
        PlaygroundRun({"dataset": "xor"})  # type: ignore[arg-type]


def test_train_to_and_params_at_reject_bad_epoch() -> None:
    run = PlaygroundRun(PlaygroundConfig(dataset="xor", n=20))
    with pytest.raises(ValueError, match="epoch"):
        run.train_to(-1)
    with pytest.raises(TypeError, match="epoch"):
        run.params_at(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="X"):
        run.predict_proba(np.zeros((3, 3)) * np.nan, 0)


# --------------------------------------------------------------------------- 학습 한 걸음 = torch


def torch_reference(
    params: list[np.ndarray], X: np.ndarray, y: np.ndarray, cfg: PlaygroundConfig, steps: int
) -> tuple[list[np.ndarray], list[float]]:
    """전체 배치 SGD(모멘텀·가중치 감쇠는 torch.optim.SGD)를 steps번. 각 걸음 전의 BCE 손실도 돌려준다."""
    ps = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params]
    weights, biases = ps[0::2], ps[1::2]
    opt = torch.optim.SGD(
        [
            {"params": weights, "weight_decay": cfg.weight_decay},
            {"params": biases, "weight_decay": 0.0},
        ],
        lr=cfg.lr,
        momentum=cfg.momentum,
    )
    Xt = torch.tensor(X)
    yt = torch.tensor(y, dtype=torch.float64)[:, None]
    act = TORCH_ACT[cfg.activation]
    losses = []
    for _ in range(steps):
        h = Xt
        for W, b in zip(weights[:-1], biases[:-1]):
            h = act(h @ W + b)
        z = h @ weights[-1] + biases[-1]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, yt)
        losses.append(loss.item())
        opt.zero_grad()
        (loss + cfg.l1 * sum(W.abs().sum() for W in weights)).backward()
        opt.step()
    return [p.detach().numpy() for p in ps], losses


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
@pytest.mark.parametrize(
    ("momentum", "weight_decay", "l1"), [(0.0, 0.0, 0.0), (0.9, 0.05, 0.0), (0.5, 0.01, 0.02)]
)
def test_full_batch_steps_match_torch(
    activation: str, momentum: float, weight_decay: float, l1: float
) -> None:
    cfg = PlaygroundConfig(
        dataset="moons",
        hidden=(5, 3),
        activation=activation,
        lr=0.3,
        batch_size=30,  # 전체 배치(훈련 점 30개): 미니배치 순서와 상관없이 기울기가 같다
        momentum=momentum,
        weight_decay=weight_decay,
        l1=l1,
        features=("x1", "x2", "x1x2"),
        n=60,
        seed=2,
    )
    run = PlaygroundRun(cfg).train_to(3)
    F = np.column_stack([run.X_train, run.X_train[:, 0] * run.X_train[:, 1]])
    expected, losses = torch_reference(run.params_at(0), F, run.y_train, cfg, steps=3)
    for got, want in zip(run.params_at(3), expected):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.train_loss[:3], losses, rtol=1e-10)


def test_minibatch_epoch_matches_torch_with_same_order() -> None:
    """배치 크기 7로 한 에포크: 엔진의 순서(같은 씨앗의 permutation)를 따라 torch로 걸음마다 갱신한다."""
    cfg = PlaygroundConfig(dataset="circles", hidden=(4, 4), lr=0.2, batch_size=7, momentum=0.5, n=60, seed=5)
    run = PlaygroundRun(cfg).train_to(1)
    rng = PortableRng(cfg.seed)
    # 초기화와 같은 순서로 난수를 소비한 뒤(가중치마다 정규 난수 하나) 섞기를 뽑는다
    for _ in range(2 * 4 + 4 * 4 + 4 * 1):
        rng.normal()
    order = rng.shuffle_indices(30)
    ps = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in run.params_at(0)]
    opt = torch.optim.SGD(ps, lr=cfg.lr, momentum=cfg.momentum)
    X = torch.tensor(run.X_train)
    y = torch.tensor(run.y_train, dtype=torch.float64)[:, None]
    for start in range(0, 30, cfg.batch_size):
        idx = torch.tensor(order[start : start + cfg.batch_size])
        h = X[idx]
        for W, b in zip(ps[0:-2:2], ps[1:-2:2]):
            h = torch.tanh(h @ W + b)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(h @ ps[-2] + ps[-1], y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    for got, want in zip(run.params_at(1), ps):
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------- 궤적, 발산, 결정성


def test_resuming_equals_training_at_once() -> None:
    cfg = PlaygroundConfig(dataset="xor", n=40, batch_size=8)
    a = PlaygroundRun(cfg).train_to(3).train_to(7)
    b = PlaygroundRun(cfg).train_to(7)
    assert a.epoch == b.epoch == 7
    for pa, pb in zip(a.params_at(7), b.params_at(7)):
        np.testing.assert_array_equal(pa, pb)
    assert a.train_loss == b.train_loss
    assert len(a.snapshots) == 8  # 에포크 0부터 7까지


def test_snapshots_are_copies_and_history_lengths() -> None:
    run = PlaygroundRun(PlaygroundConfig(dataset="circles", n=40)).train_to(4)
    assert not np.shares_memory(run.params_at(0)[0], run.params_at(4)[0])
    assert not np.allclose(run.params_at(0)[0], run.params_at(4)[0])
    assert len(run.train_loss) == len(run.test_loss) == 5
    # 마지막 은닉층 출력의 모양
    assert run.hidden_outputs(np.zeros((6, 2)), 4).shape == (6, 8)
    assert run.predict_proba(np.zeros((6, 2)), 4).shape == (6,)


def test_learns_circles() -> None:
    run = PlaygroundRun(PlaygroundConfig(dataset="circles", lr=0.03)).train_to(60)
    assert run.accuracy(60) >= 0.95
    assert run.train_loss[60] < 0.5 * run.train_loss[0]


def test_linear_network_cannot_solve_circles() -> None:
    run = PlaygroundRun(PlaygroundConfig(dataset="circles", activation="linear", lr=0.03)).train_to(40)
    assert run.accuracy(40) < 0.75


def test_divergence_stops_with_finite_snapshots() -> None:
    cfg = PlaygroundConfig(dataset="xor", hidden=(32,) * 6, activation="relu", lr=10.0)
    with np.errstate(all="raise"):  # 엔진이 경고(넘침)를 밖으로 흘리지 않는지 확인한다
        run = PlaygroundRun(cfg).train_to(20)
    assert run.diverged_at is not None and run.diverged_at <= 20
    assert run.last_epoch == run.diverged_at - 1
    for snap in run.snapshots:
        for p in snap:
            assert np.all(np.isfinite(p)) and np.abs(p).max() <= DIVERGENCE_LIMIT
    run.train_to(40)  # 발산한 뒤에는 더 학습하지 않는다
    assert run.last_epoch == run.diverged_at - 1
    assert np.all(np.isfinite(run.predict_proba(np.zeros((3, 2)), 40)))


def test_weight_decay_shrinks_weights() -> None:
    base = PlaygroundRun(PlaygroundConfig(dataset="moons", n=80)).train_to(30)
    decayed = PlaygroundRun(PlaygroundConfig(dataset="moons", n=80, weight_decay=0.1)).train_to(30)
    norm = lambda run: sum(float(np.sum(W**2)) for W in run.params_at(30)[0::2])  # noqa: E731
    assert norm(decayed) < 0.5 * norm(base)


def test_batch_size_one_and_larger_than_n() -> None:
    one = PlaygroundRun(PlaygroundConfig(dataset="xor", n=20, batch_size=1)).train_to(2)
    big = PlaygroundRun(PlaygroundConfig(dataset="xor", n=20, batch_size=500)).train_to(2)
    assert one.epoch == big.epoch == 2
    assert all(np.isfinite(one.train_loss)) and all(np.isfinite(big.train_loss))


def test_l1_drives_weights_toward_zero() -> None:
    base = PlaygroundRun(PlaygroundConfig(dataset="gaussian", n=80)).train_to(40)
    sparse = PlaygroundRun(PlaygroundConfig(dataset="gaussian", n=80, l1=0.02)).train_to(40)
    l1 = lambda run: sum(float(np.abs(W).sum()) for W in run.params_at(40)[0::2])  # noqa: E731
    assert l1(sparse) < 0.5 * l1(base)


def test_steps_and_epochs_agree() -> None:
    cfg = PlaygroundConfig(dataset="xor", n=46, batch_size=10)  # 훈련 점 23개: 에포크마다 3걸음(10, 10, 3)
    run = PlaygroundRun(cfg).step(7)
    assert (run.steps, run.epoch) == (7, 2)
    other = PlaygroundRun(cfg).train_to(2).step(1)
    for a, b in zip(run.params, other.params):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="count"):
        run.step(-1)


def test_no_hidden_layer_is_logistic_regression_on_features() -> None:
    cfg = PlaygroundConfig(dataset="circles", hidden=(), features=("x1sq", "x2sq"), lr=0.3)
    run = PlaygroundRun(cfg).train_to(60)
    assert [p.shape for p in run.params] == [(2, 1), (1,)]
    assert run.accuracy(60) >= 0.95  # 반지름으로 가르는 문제라 x₁²와 x₂²만으로 풀린다
    assert run.hidden_outputs(np.zeros((3, 2)), 0).shape == (3, 2)


def test_export_state_round_trips_through_json() -> None:
    import json

    run = PlaygroundRun(PlaygroundConfig(dataset="moons", n=40, batch_size=6)).step(5)
    state = json.loads(json.dumps(run.export_state()))
    assert state["config"]["noise"] == 0.1 and state["config"]["batchSize"] == 6
    assert state["pos"] == 6 and sorted(state["order"]) == list(range(20))
    np.testing.assert_array_equal(np.asarray(state["params"][0]), run.params[0])
    assert state["rngState"] == run.rng.state
