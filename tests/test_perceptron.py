"""d2lutil.perceptron: 계단·부호 단위, 논리 게이트, 퍼셉트론 학습 규칙."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d2lutil.data import logic_gate
from d2lutil.perceptron import GATE_PARAMS, PerceptronResult, gate, perceptron_train, sign, step

TRUTH: dict[str, Callable[[int, int], bool]] = {
    "AND": lambda a, b: bool(a and b),
    "OR": lambda a, b: bool(a or b),
    "NAND": lambda a, b: not (a and b),
    "XOR": lambda a, b: a != b,
}
INPUTS = np.array(list(itertools.product([0, 1], repeat=2)), dtype=float)


def test_step_and_sign_threshold_at_zero() -> None:
    x = np.array([-2.0, -1e-12, 0.0, 1e-12, 3.0])
    np.testing.assert_array_equal(step(x), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(sign(x), [-1, -1, -1, 1, 1])
    np.testing.assert_array_equal(sign(x), 2 * step(x) - 1)
    assert step(5).shape == ()


@pytest.mark.parametrize("fn", [step, sign])
@pytest.mark.parametrize(
    ("bad", "exc"), [(None, TypeError), ("1", TypeError), ([np.nan], ValueError), ([], ValueError)]
)
def test_units_reject_bad_input(fn: Callable[[Any], Any], bad: Any, exc: type) -> None:
    with pytest.raises(exc, match="x"):
        fn(bad)


@pytest.mark.parametrize("name", ["AND", "OR", "NAND", "XOR"])
def test_gates_match_python_boolean_operators(name: str) -> None:
    expected = [int(TRUTH[name](int(a), int(b))) for a, b in INPUTS]
    assert gate(name, INPUTS).tolist() == expected
    assert gate(name.lower(), INPUTS).tolist() == expected
    _, y = logic_gate(name)
    assert y.tolist() == expected
    assert gate(name, INPUTS[3]).tolist() == expected[3:]  # 입력 하나 (2,)도 받는다


def test_gate_params_are_hand_chosen_and_read_only() -> None:
    assert set(GATE_PARAMS) == {"AND", "OR", "NAND"}
    for name, (w, b) in GATE_PARAMS.items():
        z = INPUTS @ np.asarray(w) + b
        assert np.all(np.abs(z) > 0.05), f"{name}: 어느 입력도 문턱 0에 붙어 있지 않다"
    with pytest.raises(TypeError):
        GATE_PARAMS["AND"] = ((1.0, 1.0), -1.5)  # type: ignore[index]


def test_xor_is_nand_or_then_and() -> None:
    hidden = np.column_stack([gate("NAND", INPUTS), gate("OR", INPUTS)])
    assert gate("AND", hidden).tolist() == gate("XOR", INPUTS).tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize(
    ("name", "X", "exc", "word"),
    [
        ("NOR", INPUTS, ValueError, "name"),
        (None, INPUTS, TypeError, "name"),
        ("AND", np.zeros((4, 3)), ValueError, "X"),
        ("AND", np.zeros(3), ValueError, "X"),
        ("AND", [["a", "b"]], TypeError, "X"),
        ("AND", [[np.inf, 0.0]], ValueError, "X"),
    ],
)
def test_gate_bad_input(name: Any, X: Any, exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        gate(name, X)


@pytest.mark.parametrize("name", ["AND", "OR", "NAND"])
def test_perceptron_learns_separable_gates(name: str) -> None:
    X, y = logic_gate(name)
    result = perceptron_train(X, y, epochs=20)
    assert isinstance(result, PerceptronResult)
    assert len(result.mistakes) == 20
    assert result.mistakes[-1] == 0 and result.converged
    first_zero = result.mistakes.index(0)
    assert all(m == 0 for m in result.mistakes[first_zero:])  # 한 번 0이면 계속 0
    # 독립 확인: 배운 직선이 네 점을 모두 맞힌다
    pred = (X @ result.w + result.b > 0).astype(int)
    np.testing.assert_array_equal(pred, y)


def test_perceptron_first_epoch_by_hand() -> None:
    # AND, w = 0, b = 0, lr = 1: 손으로 따라가면 첫 에포크에 (1,1)에서만 한 번 틀린다
    X, y = logic_gate("AND")
    result = perceptron_train(X, y, epochs=1)
    assert result.mistakes == [1]
    np.testing.assert_array_equal(result.w, [1.0, 1.0])
    assert result.b == 1.0


def test_perceptron_never_solves_xor() -> None:
    X, y = logic_gate("XOR")
    result = perceptron_train(X, y, epochs=200)
    assert min(result.mistakes) > 0 and not result.converged
    # 독립 확인: 격자 위의 어떤 (w1, w2, b)도 XOR의 네 점을 가르지 못한다
    grid = np.linspace(-2, 2, 21)
    for w1, w2, b in itertools.product(grid, grid, grid):
        pred = (X @ np.array([w1, w2]) + b > 0).astype(int)
        assert not np.array_equal(pred, y)


def test_perceptron_w0_not_mutated_and_used() -> None:
    X, y = logic_gate("OR")
    w0 = np.array([0.5, 0.5])
    result = perceptron_train(X, y, w0=w0, b0=-0.2, epochs=3)
    assert result.mistakes == [0, 0, 0]  # 이미 OR을 푸는 가중치에서 시작
    np.testing.assert_array_equal(w0, [0.5, 0.5])
    result.w[0] = 99.0
    assert w0[0] == 0.5


@settings(max_examples=30, deadline=None)
@given(
    w=st.tuples(st.floats(-3, 3), st.floats(-3, 3)).filter(lambda t: abs(t[0]) + abs(t[1]) > 0.5),
    b=st.floats(-1, 1),
    seed=st.integers(0, 1000),
)
def test_perceptron_converges_on_separable_data_with_margin(
    w: tuple[float, float], b: float, seed: int
) -> None:
    # 여유(margin)가 있는 선형 분리 데이터에서는 수렴한다 (퍼셉트론 수렴 정리).
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (40, 2))
    z = X @ np.array(w) + b
    keep = np.abs(z) > 0.2
    X, y = X[keep], (z[keep] > 0).astype(int)
    if len(y) == 0:
        return
    result = perceptron_train(X, y, epochs=500)
    assert result.converged
    np.testing.assert_array_equal((X @ result.w + result.b > 0).astype(int), y)


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"X": np.zeros(4)}, ValueError, "X"),
        ({"X": None}, TypeError, "X"),
        ({"y": [0, 1, 2, 1]}, ValueError, "y"),
        ({"y": [0, 1]}, ValueError, "y"),
        ({"y": [0.5, 1, 0, 1]}, ValueError, "y"),
        ({"lr": 0}, ValueError, "lr"),
        ({"lr": "1"}, TypeError, "lr"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 2.0}, TypeError, "epochs"),
        ({"w0": [1.0]}, ValueError, "w0"),
        ({"w0": ["a", "b"]}, TypeError, "w0"),
        ({"b0": [1.0, 2.0]}, ValueError, "b0"),
        ({"b0": np.nan}, ValueError, "b0"),
    ],
)
def test_perceptron_train_bad_input(kwargs: dict[str, Any], exc: type, word: str) -> None:
    X, y = logic_gate("AND")
    args: dict[str, Any] = {"X": X, "y": y}
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        perceptron_train(args.pop("X"), args.pop("y"), **args)


JUNK = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.integers(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    st.lists(st.lists(st.integers(-2, 2), min_size=0, max_size=3), max_size=4),
    st.builds(lambda: np.array([object()], dtype=object)),
    st.builds(lambda: np.empty((0, 2))),
)


@settings(max_examples=80, deadline=None)
@given(junk=JUNK)
def test_fuzz_perceptron_raises_only_value_or_type_error(junk: Any) -> None:
    X, y = logic_gate("AND")
    calls: list[Callable[[], Any]] = [
        lambda: step(junk),
        lambda: sign(junk),
        lambda: gate(junk, X),
        lambda: gate("OR", junk),
        lambda: perceptron_train(junk, y),
        lambda: perceptron_train(X, junk),
        lambda: perceptron_train(X, y, lr=junk, epochs=1),
        lambda: perceptron_train(X, y, epochs=junk) if not isinstance(junk, int) or junk < 50 else None,
        lambda: perceptron_train(X, y, w0=junk, epochs=1),
        lambda: perceptron_train(X, y, b0=junk, epochs=1),
    ]
    for call in calls:
        try:
            call()
        except (ValueError, TypeError):
            pass
