"""d2lutil.data: 책의 작은 표, 논리 게이트, 합성 데이터, 손글씨 숫자, 미니배치."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d2lutil import data
from d2lutil.data import (
    doubling,
    load_digits_split,
    logic_gate,
    make_blobs,
    make_circles,
    make_moons,
    make_spirals,
    minibatches,
    quiz_scores,
    study_hours,
)

MAKERS: list[Callable[..., tuple[np.ndarray, np.ndarray]]] = [
    make_circles,
    make_moons,
    make_spirals,
    make_blobs,
]


# --------------------------------------------------------------------------- 책의 표와 그 숫자들


def test_study_hours_table() -> None:
    x, y = study_hours()
    assert x.dtype == np.float64 and y.dtype == np.float64
    assert x.tolist() == [2, 3, 4, 5] and y.tolist() == [25, 50, 42, 61]


def test_study_hours_line_13x_plus_1_has_mse_62_5() -> None:
    x, y = study_hours()
    pred = 13 * x + 1
    assert pred.tolist() == [27, 40, 53, 66]
    err = y - pred
    assert err.tolist() == [-2, 10, -11, -5]
    assert float(np.sum(err**2)) == 250.0
    # 두 번째 길: 제곱 오차를 하나씩 파이썬 정수로 더해 평균
    by_hand = sum((int(b) - (13 * int(a) + 1)) ** 2 for a, b in zip(x, y)) / 4
    assert float(np.mean(err**2)) == by_hand == 62.5


def test_study_hours_least_squares_is_10x_plus_9_5() -> None:
    x, y = study_hours()
    w, b = np.polyfit(x, y, 1)
    # 닫힌 꼴 정규 방정식으로 한 번 더
    w2 = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    b2 = y.mean() - w2 * x.mean()
    assert w == pytest.approx(10.0) and w2 == pytest.approx(10.0)
    assert b == pytest.approx(9.5) and b2 == pytest.approx(9.5)
    assert float(np.mean((y - (w * x + b)) ** 2)) == pytest.approx(47.25)
    assert y.mean() == 44.5


def test_doubling_first_cost_with_zero_init() -> None:
    x, y = doubling()
    assert x.shape == y.shape == (3, 1)
    np.testing.assert_array_equal(y, 2 * x)
    # W = b = 0이면 예측이 0이므로 비용은 y²의 평균 = (4 + 16 + 36) / 3
    assert float(np.mean(y**2)) == pytest.approx(56 / 3) == pytest.approx(18.6667, abs=1e-4)


def test_quiz_scores_table() -> None:
    X, y = quiz_scores()
    assert X.shape == (5, 3) and y.shape == (5, 1)
    assert X[3].tolist() == [96, 98, 100] and y[:, 0].tolist() == [152, 185, 180, 196, 142]
    # 퀴즈 점수의 합이 기말 점수를 잘 설명한다 (상관계수 > 0.99)
    assert np.corrcoef(X.sum(axis=1), y[:, 0])[0, 1] > 0.99


def test_tables_are_fresh_each_call() -> None:
    for fn in (study_hours, doubling, quiz_scores):
        a, _ = fn()
        a[...] = -1
        assert np.all(fn()[0] != -1)


# --------------------------------------------------------------------------- 논리 게이트


@pytest.mark.parametrize(
    ("name", "op"),
    [
        ("AND", lambda a, b: a and b),
        ("OR", lambda a, b: a or b),
        ("NAND", lambda a, b: not (a and b)),
        ("XOR", lambda a, b: a != b),
        ("xor", lambda a, b: a != b),
    ],
)
def test_logic_gate_truth_tables(name: str, op: Callable[[bool, bool], bool]) -> None:
    X, y = logic_gate(name)
    assert X.shape == (4, 2) and y.shape == (4,) and y.dtype == np.int64
    assert [tuple(r) for r in X.astype(int)] == list(itertools.product([0, 1], repeat=2))
    assert y.tolist() == [int(op(bool(a), bool(b))) for a, b in X.astype(int)]


@pytest.mark.parametrize(
    ("bad", "exc"), [("NOR", ValueError), ("", ValueError), (1, TypeError), (None, TypeError)]
)
def test_logic_gate_bad_name(bad: Any, exc: type) -> None:
    with pytest.raises(exc, match="name"):
        logic_gate(bad)


# --------------------------------------------------------------------------- 합성 데이터


@pytest.mark.parametrize("maker", MAKERS)
@pytest.mark.parametrize("n", [2, 3, 101, 200])
def test_synthetic_shapes_balance_and_determinism(maker: Callable[..., Any], n: int) -> None:
    if maker is make_blobs and n < 3:
        pytest.skip("make_blobs는 기본 3클래스이므로 n ≥ 3")
    X, y = maker(n=n, noise=0.1, seed=3)
    assert X.shape == (n, 2) and y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1  # 클래스 균형
    X2, y2 = maker(n=n, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = maker(n=n, noise=0.1, seed=4)
    assert not np.array_equal(X, X3)
    X[...] = 0  # 받은 배열을 고쳐도 다음 호출은 새 배열
    assert not np.array_equal(maker(n=n, noise=0.1, seed=3)[0], X)


@pytest.mark.parametrize("maker", MAKERS)
def test_synthetic_does_not_touch_global_rng(maker: Callable[..., Any]) -> None:
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    maker(n=20)
    assert np.random.rand() == expected


def test_circles_radii_without_noise() -> None:
    X, y = make_circles(n=100, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.5)


def test_moons_without_noise_lie_on_two_half_circles() -> None:
    X, y = make_moons(n=100, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_spirals_radius_grows_with_angle() -> None:
    X, y = make_spirals(n=90, noise=0.0, n_classes=3)
    assert set(np.unique(y)) == {0, 1, 2}
    assert np.hypot(X[:, 0], X[:, 1]).max() == pytest.approx(1.0)


def test_blobs_centres_match_noise_and_layout() -> None:
    X, y = make_blobs(n=3000, noise=0.2, seed=1, n_classes=4)
    for c in range(4):
        centre = 2.0 * np.array([np.cos(np.pi * c / 2), np.sin(np.pi * c / 2)])
        np.testing.assert_allclose(X[y == c].mean(axis=0), centre, atol=0.05)
        assert X[y == c].std(axis=0) == pytest.approx([0.2, 0.2], rel=0.1)


@pytest.mark.parametrize("maker", MAKERS)
@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"n": 0}, ValueError, "n"),
        ({"n": -5}, ValueError, "n"),
        ({"n": 1}, ValueError, "n"),
        ({"n": 10.0}, TypeError, "n"),
        ({"n": "10"}, TypeError, "n"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": float("nan")}, ValueError, "noise"),
        ({"noise": None}, TypeError, "noise"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
    ],
)
def test_synthetic_bad_input(maker: Callable[..., Any], kwargs: dict[str, Any], exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        maker(**kwargs)


def test_synthetic_bad_n_classes() -> None:
    with pytest.raises(ValueError, match="n_classes"):
        make_spirals(n_classes=1)
    with pytest.raises(ValueError, match="n"):
        make_blobs(n=2, n_classes=3)


# --------------------------------------------------------------------------- 손글씨 숫자


def test_load_digits_split_stratified_and_scaled() -> None:
    from sklearn.datasets import load_digits

    X_tr, X_te, y_tr, y_te = load_digits_split(test_size=0.2, seed=0)
    assert len(X_tr) + len(X_te) == 1797
    assert X_tr.shape[1] == 64 and X_tr.dtype == np.float64
    assert X_tr.min() >= 0.0 and max(X_tr.max(), X_te.max()) == 1.0
    assert len(X_te) == int(np.ceil(0.2 * 1797))
    # 층화: 각 세트의 클래스 비율이 전체와 거의 같다
    full = np.bincount(load_digits().target) / 1797
    np.testing.assert_allclose(np.bincount(y_te) / len(y_te), full, atol=0.01)
    np.testing.assert_allclose(np.bincount(y_tr) / len(y_tr), full, atol=0.01)
    # 같은 씨앗이면 같은 분할, 다른 씨앗이면 다른 분할
    again = load_digits_split(test_size=0.2, seed=0)
    np.testing.assert_array_equal(again[1], X_te)
    other = load_digits_split(test_size=0.2, seed=1)
    assert not np.array_equal(other[1], X_te)
    # 원래 데이터의 행과 같은 값인지 (16으로 나눈 것)
    rows = {tuple(r) for r in load_digits().data / 16.0}
    assert all(tuple(r) in rows for r in X_te[:20])


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": 1.0}, ValueError, "test_size"),
        ({"test_size": -0.2}, ValueError, "test_size"),
        ({"test_size": 0.001}, ValueError, "test_size"),
        ({"test_size": 0.999}, ValueError, "test_size"),
        ({"test_size": "0.2"}, TypeError, "test_size"),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_load_digits_split_bad_input(kwargs: dict[str, Any], exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        load_digits_split(**kwargs)


# --------------------------------------------------------------------------- 미니배치


def test_minibatches_cover_every_sample_once() -> None:
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    batches = list(minibatches(X, y, 3, seed=1))
    assert [len(b[0]) for b in batches] == [3, 3, 3, 1]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen.tolist()) == list(range(10))
    assert seen.tolist() != list(range(10))  # 섞였다
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0], 2 * yb)  # X와 y의 짝이 유지된다
        assert yb.dtype == np.int64
    again = [b[1].tolist() for b in minibatches(X, y, 3, seed=1)]
    assert again == [b[1].tolist() for b in batches]


def test_minibatches_without_shuffle_and_copies() -> None:
    X = np.arange(6.0)
    y = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]
    batches = list(minibatches(X, y, 4, shuffle=False))
    assert batches[0][0].tolist() == [0, 1, 2, 3] and batches[1][1].tolist() == [4.5, 5.5]
    batches[0][0][:] = -1
    assert X[0] == 0.0  # 배치는 복사본


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "word"),
    [
        ((np.zeros(3), np.zeros(2), 1), {}, ValueError, "y"),
        ((np.zeros(3), 5.0, 1), {}, ValueError, "y"),
        ((5.0, 5.0, 1), {}, ValueError, "X"),
        ((np.zeros(3), np.zeros(3), 0), {}, ValueError, "batch_size"),
        ((np.zeros(3), np.zeros(3), 1.5), {}, TypeError, "batch_size"),
        ((["a"], [1], 1), {}, TypeError, "X"),
        ((np.zeros(1), ["a"], 1), {}, TypeError, "y"),
        ((np.zeros(1), [np.nan], 1), {}, ValueError, "y"),
        ((np.array([]), np.array([]), 1), {}, ValueError, "X"),
        ((np.zeros(2), np.zeros(2), 1), {"shuffle": "yes"}, TypeError, "shuffle"),
        ((np.zeros(2), np.zeros(2), 1), {"seed": -3}, ValueError, "seed"),
    ],
)
def test_minibatches_bad_input(args: tuple[Any, ...], kwargs: dict[str, Any], exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        minibatches(*args, **kwargs)  # 반복을 시작하기 전에 오류가 난다


# --------------------------------------------------------------------------- 무작위 잡동사니

JUNK = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    st.lists(st.lists(st.integers(-3, 3), max_size=3), max_size=3),
    st.builds(lambda: np.array(["a", None], dtype=object)),
    st.builds(lambda: np.empty((0,))),
)


@settings(max_examples=80, deadline=None)
@given(junk=JUNK)
def test_fuzz_data_raises_only_value_or_type_error(junk: Any) -> None:
    calls: list[Callable[[], Any]] = [
        lambda: logic_gate(junk),
        lambda: make_circles(n=junk),
        lambda: make_moons(noise=junk),
        lambda: make_spirals(seed=junk),
        lambda: make_blobs(n=10, n_classes=junk),
        lambda: list(minibatches(junk, junk, 2)),
        lambda: list(minibatches(np.zeros((3, 2)), np.zeros(3), junk)),
        lambda: list(minibatches(np.zeros(3), junk, 1, seed=junk)),
    ]
    for call in calls:
        try:
            call()
        except (ValueError, TypeError):
            pass


@settings(max_examples=10, deadline=None)
@given(junk=st.one_of(st.none(), st.text(max_size=3), st.floats(allow_nan=True), st.integers(-5, 5)))
def test_fuzz_load_digits_split(junk: Any) -> None:
    for kwargs in ({"test_size": junk}, {"seed": junk, "test_size": 0.5}):
        try:
            load_digits_split(**kwargs)
        except (ValueError, TypeError):
            pass


def test_public_names() -> None:
    for name in data.__all__:
        assert hasattr(data, name)
