"""d2lutil.plotting: 그림 크기, 축을 받아 아티스트를 돌려주는 도우미들 (글꼴은 test_fonts.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_fonts import draw_strict  # noqa: E402

from d2lutil import plotting  # noqa: E402
from d2lutil.autograd import Value  # noqa: E402
from d2lutil.plotting import (  # noqa: E402
    draw_graph,
    plot_cost_path,
    plot_decision_boundary,
    plot_function_and_derivative,
    plot_history,
    set_figsize,
    small_multiples,
    use_korean_font,
)


@pytest.fixture(autouse=True)
def _isolated_rc() -> Iterator[None]:
    """테스트마다 rcParams를 되돌리고, 남은 그림을 닫는다."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def ax() -> Iterator[Any]:
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


# --------------------------------------------------------------------------- 그림 크기


def test_set_figsize() -> None:
    set_figsize(4, 3)
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (4.0, 3.0)
    with pytest.raises(ValueError, match="w"):
        set_figsize(0, 3)
    with pytest.raises(TypeError, match="h"):
        set_figsize(4, "3")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- 함수와 도함수


def test_plot_function_and_derivative_draws_exact_values(ax: Any) -> None:
    before = plt.get_fignums()
    x = np.linspace(-3, 3, 41)
    lines = plot_function_and_derivative(ax, x, np.tanh, lambda t: 1 - np.tanh(t) ** 2, label="tanh")
    assert plt.get_fignums() == before  # 새 그림을 만들지 않는다
    assert len(lines) == 2
    np.testing.assert_allclose(np.asarray(lines[0].get_ydata(), dtype=float), np.tanh(x))
    # 도함수를 중앙 차분으로 따로 계산해 비교한다
    h = 1e-6
    numeric = (np.tanh(x + h) - np.tanh(x - h)) / (2 * h)
    np.testing.assert_allclose(np.asarray(lines[1].get_ydata(), dtype=float), numeric, atol=1e-8)
    assert lines[1].get_label() == "tanh′"
    only = plot_function_and_derivative(ax, x, np.sin, label="sin")
    assert len(only) == 1


def test_plot_function_and_derivative_custom_df_label(ax: Any) -> None:
    lines = plot_function_and_derivative(ax, [0.0, 1.0], np.exp, np.exp, label="e^x", df_label="도함수")
    assert lines[1].get_label() == "도함수"


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"x": [[1.0, 2.0]]}, ValueError, "x"),
        ({"x": []}, ValueError, "x"),
        ({"x": ["a"]}, TypeError, "x"),
        ({"x": [np.nan]}, ValueError, "x"),
        ({"f": 3}, TypeError, "f"),
        ({"f": lambda t: t[:1]}, ValueError, "f"),
        ({"f": lambda t: 1 / 0}, ValueError, "f"),
        ({"f": lambda t: t + np.inf}, ValueError, "f"),
        ({"df": "x"}, TypeError, "df"),
        ({"label": 3}, TypeError, "label"),
        ({"df_label": 3}, TypeError, "df_label"),
    ],
)
def test_plot_function_and_derivative_bad_input(
    ax: Any, kwargs: dict[str, Any], exc: type, word: str
) -> None:
    args: dict[str, Any] = {"x": [0.0, 1.0], "f": np.sin, "df": None, "label": "f"}
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        plot_function_and_derivative(ax, **args)


def test_plotting_helpers_reject_non_axes() -> None:
    with pytest.raises(TypeError, match="ax"):
        plot_function_and_derivative(None, [0.0], np.sin, label="f")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- 결정 경계


def _xor_like() -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    return X, np.array([0, 1, 1, 0])


def test_plot_decision_boundary_returns_artists(ax: Any) -> None:
    X, y = _xor_like()
    before = plt.get_fignums()
    arts = plot_decision_boundary(ax, lambda G: (G[:, 0] * G[:, 1] < 0).astype(int), X, y, resolution=30)
    assert plt.get_fignums() == before
    assert set(arts) == {"regions", "points"}
    np.testing.assert_allclose(arts["points"].get_offsets(), X)
    np.testing.assert_array_equal(arts["points"].get_array(), y)
    assert ax.get_xlim() == pytest.approx((-1.5, 1.5))
    draw_strict(ax.figure)


def test_predict_output_forms_agree() -> None:
    # 레이블, 양성 확률, (m, 1) 확률, (m, 2) 점수가 모두 같은 클래스를 준다.
    rng = np.random.default_rng(0)
    G = rng.uniform(-1, 1, (50, 2))
    expected = (G[:, 0] + G[:, 1] > 0).astype(int)  # 독립 계산
    p = 1 / (1 + np.exp(-5 * (G[:, 0] + G[:, 1])))
    forms = [
        lambda g: (g.sum(axis=1) > 0).astype(int),
        lambda g: 1 / (1 + np.exp(-5 * g.sum(axis=1))),
        lambda g: (1 / (1 + np.exp(-5 * g.sum(axis=1))))[:, None],
        lambda g: np.column_stack([-g.sum(axis=1), g.sum(axis=1)]),
    ]
    for form in forms:
        np.testing.assert_array_equal(plotting._predict_labels(form, G), expected)
    assert np.all((p >= 0.5) == expected)


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"X": np.zeros((3, 3))}, ValueError, "X"),
        ({"X": [["a", "b"]]}, TypeError, "X"),
        ({"y": [0, 1]}, ValueError, "y"),
        ({"y": [0.5, 1, 0, 1]}, ValueError, "y"),
        ({"y": [-1, 1, 0, 1]}, ValueError, "y"),
        ({"predict": None}, TypeError, "predict"),
        ({"predict": lambda g: g[:3, 0]}, ValueError, "predict"),
        ({"predict": lambda g: g[:, 0] * 7.5}, ValueError, "predict"),
        ({"predict": lambda g: np.full(len(g), np.nan)}, ValueError, "predict"),
        ({"predict": lambda g: g.reshape(-1, 1, 2)}, ValueError, "predict"),
        ({"predict": lambda g: undefined_name}, ValueError, "predict"),  # type: ignore[name-defined] # noqa: F821
        ({"resolution": 1}, ValueError, "resolution"),
        ({"resolution": 2.5}, TypeError, "resolution"),
        ({"margin": -0.1}, ValueError, "margin"),
    ],
)
def test_plot_decision_boundary_bad_input(ax: Any, kwargs: dict[str, Any], exc: type, word: str) -> None:
    X, y = _xor_like()
    args: dict[str, Any] = {"predict": lambda g: np.zeros(len(g), int), "X": X, "y": y, "resolution": 10}
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        plot_decision_boundary(ax, **args)


def test_plot_decision_boundary_single_point(ax: Any) -> None:
    arts = plot_decision_boundary(ax, lambda g: np.zeros(len(g)), [[0.0, 0.0]], [0], margin=0.0, resolution=5)
    lo, hi = ax.get_xlim()
    assert hi > lo
    assert arts["points"].get_offsets().shape == (1, 2)


# --------------------------------------------------------------------------- 학습 곡선


def test_plot_history(ax: Any) -> None:
    history = {"train_loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.4], "train_acc": [0.3, 0.6, 0.9]}
    lines = plot_history(ax, history)
    assert [ln.get_label() for ln in lines] == ["훈련 손실", "검증 손실", "훈련 정확도"]
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines[1].get_ydata(), history["val_loss"])
    assert ax.get_xlabel() == "에포크"
    sub = plot_history(ax, {"loss": [float("nan"), 2.0], "val_acc": [0.1, 0.2]}, ["loss"], xlabel="단계")
    assert len(sub) == 1 and sub[0].get_label() == "loss" and ax.get_xlabel() == "단계"


@pytest.mark.parametrize(
    ("history", "keys", "exc", "word"),
    [
        ([1.0, 2.0], None, TypeError, "history"),
        ({}, None, ValueError, "history"),
        ({"a": [1.0]}, ["b"], ValueError, "keys"),
        ({"a": [1.0]}, "a", TypeError, "keys"),
        ({"a": []}, None, ValueError, "history"),
        ({"a": [[1.0, 2.0]]}, None, ValueError, "history"),
        ({"a": ["x"]}, None, TypeError, "history"),
    ],
)
def test_plot_history_bad_input(ax: Any, history: Any, keys: Any, exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        plot_history(ax, history, keys)


def test_plot_history_bad_xlabel(ax: Any) -> None:
    with pytest.raises(TypeError, match="xlabel"):
        plot_history(ax, {"a": [1.0]}, xlabel=3)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- 비용 곡선


def test_plot_cost_path_matches_gradient_descent(ax: Any) -> None:
    # 비용 (w − 3)², 학습률 0.1의 경사 하강: w ← w − 0.1·2(w − 3)
    def cost(w: np.ndarray) -> np.ndarray:
        return (w - 3.0) ** 2

    path = [0.0]
    for _ in range(10):
        path.append(path[-1] - 0.1 * 2 * (path[-1] - 3.0))
    ws = np.linspace(-1, 6, 50)
    arts = plot_cost_path(ax, cost, ws, path)
    assert set(arts) == {"curve", "path", "start", "end"}
    np.testing.assert_allclose(arts["curve"].get_ydata(), (ws - 3) ** 2)
    np.testing.assert_allclose(arts["path"].get_ydata(), [(p - 3) ** 2 for p in path])
    # 닫힌 꼴: w_k = 3 − 3·0.8^k
    assert arts["end"].get_xdata()[0] == pytest.approx(3 - 3 * 0.8**10)
    assert arts["start"].get_xdata()[0] == 0.0


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"cost": "x"}, TypeError, "cost"),
        ({"ws": [[0.0]]}, ValueError, "ws"),
        ({"path": []}, ValueError, "path"),
        ({"path": [np.inf]}, ValueError, "path"),
        ({"cost": lambda w: np.log(w - 10)}, ValueError, "cost"),
    ],
)
def test_plot_cost_path_bad_input(ax: Any, kwargs: dict[str, Any], exc: type, word: str) -> None:
    args: dict[str, Any] = {"cost": np.square, "ws": [0.0, 1.0], "path": [1.0, 0.5]}
    args.update(kwargs)
    with np.errstate(invalid="ignore"), pytest.raises(exc, match=word):
        plot_cost_path(ax, **args)


# --------------------------------------------------------------------------- 작은 그림 여러 장


def test_small_multiples_creates_one_figure() -> None:
    before = set(plt.get_fignums())
    fig, axes = small_multiples(5, 3)
    assert set(plt.get_fignums()) - before == {fig.number}
    assert len(axes) == 5 and len(fig.axes) == 5  # 남는 한 칸은 지운다
    fig2, axes2 = small_multiples(2, 5, figsize=(4, 2))
    assert len(axes2) == 2 and tuple(fig2.get_size_inches()) == (4.0, 2.0)
    plt.close(fig)
    plt.close(fig2)


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "word"),
    [
        ((0, 2), {}, ValueError, "n"),
        ((2, 0), {}, ValueError, "ncols"),
        ((2.0, 1), {}, TypeError, "n"),
        ((2, 1), {"figsize": (1,)}, TypeError, "figsize"),
        ((2, 1), {"figsize": (1, -1)}, ValueError, "figsize"),
    ],
)
def test_small_multiples_bad_input(
    args: tuple[Any, ...], kwargs: dict[str, Any], exc: type, word: str
) -> None:
    with pytest.raises(exc, match=word):
        small_multiples(*args, **kwargs)


# --------------------------------------------------------------------------- 계산 그래프


def _small_graph() -> tuple[Value, list[Value]]:
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    d.grad, e.grad, c.grad, a.grad, b.grad = 1.0, 1.0, 1.0, -3.0, 2.0
    return d, [a, b, c, e, d]


def test_draw_graph_layout_by_depth(ax: Any) -> None:
    use_korean_font()
    root, (a, b, c, e, d) = _small_graph()
    before = plt.get_fignums()
    out = draw_graph(ax, root)
    assert plt.get_fignums() == before
    pos = out["positions"]
    assert pos[id(a)][0] == pos[id(b)][0] == pos[id(c)][0] == 0.0  # 잎(입력)은 깊이 0
    assert pos[id(e)][0] == 1.0
    assert pos[id(d)][0] == 2.0  # c → d는 한 걸음이지만 d의 깊이는 가장 긴 경로(2)
    assert len(out["edges"]) == 4
    assert len({pos[id(n)] for n in (a, b, c)}) == 3  # 같은 열의 노드는 겹치지 않는다
    text = out["nodes"][id(e)].get_text()
    assert "e [*]" in text and "data -6" in text and "grad 1" in text
    assert "grad -3" in out["nodes"][id(a)].get_text()
    draw_strict(ax.figure)


def test_draw_graph_shared_node_and_long_chain(ax: Any) -> None:
    x = Value(3.0, label="x")
    y = x * x  # 같은 노드를 두 번 쓴다
    out = draw_graph(ax, y)
    assert len(out["nodes"]) == 2
    assert len(out["edges"]) == 1  # 같은 입력의 화살표는 하나 (Value.trace()의 간선)
    chain = Value(1.0, label="x0")
    for _ in range(1500):  # 재귀로 짰다면 파이썬 재귀 한도에 걸린다
        chain = chain.relu()
    fig, ax2 = plt.subplots()
    out = draw_graph(ax2, chain, max_nodes=2000)
    assert out["positions"][id(chain)][0] == 1500.0
    plt.close(fig)


def test_draw_graph_diamond_uses_longest_path(ax: Any) -> None:
    x = Value(2.0, label="z")
    e = x * x
    e.label = "b"
    d = e + x
    out = draw_graph(ax, d)
    pos = out["positions"]
    assert len(out["nodes"]) == 3
    assert (pos[id(x)][0], pos[id(e)][0], pos[id(d)][0]) == (0.0, 1.0, 2.0)


def test_draw_graph_after_backward_and_input_order(ax: Any) -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    out = a * b
    out.backward()
    arts = draw_graph(ax, out)
    assert len(arts["nodes"]) == 3
    assert "grad -3" in arts["nodes"][id(a)].get_text()
    pos = arts["positions"]
    assert pos[id(a)][1] > pos[id(b)][1]  # 한 연산의 입력은 적힌 순서대로 위에서 아래로


class _NoGrad:
    """data와 _prev는 있지만 trace()가 없는 객체: autograd.Value가 아니다."""

    data = 1.0
    _prev: tuple[Any, ...] = ()


def test_draw_graph_bad_input(ax: Any) -> None:
    root, _ = _small_graph()
    with pytest.raises(TypeError, match="root"):
        draw_graph(ax, None)
    with pytest.raises(TypeError, match="root"):
        draw_graph(ax, _NoGrad())
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(ax, root, max_nodes=3)
    with pytest.raises(TypeError, match="max_nodes"):
        draw_graph(ax, root, max_nodes="3")  # type: ignore[arg-type]
    bad = Value(1.0)
    bad.data = "abc"  # type: ignore[assignment]
    with pytest.raises(TypeError, match="root"):
        draw_graph(ax, bad)
    with pytest.raises(TypeError, match="ax"):
        draw_graph("ax", root)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- 무작위 잡동사니


JUNK = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    st.lists(st.text(max_size=2), max_size=3),
    st.builds(lambda: np.array([object(), 1], dtype=object)),
    st.builds(lambda: np.empty((0, 2))),
    st.dictionaries(st.text(max_size=3), st.lists(st.floats(), max_size=3), max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(junk=JUNK, which=st.integers(0, 3))
def test_fuzz_plotting_raises_only_value_or_type_error(junk: Any, which: int) -> None:
    fig, ax = plt.subplots()
    X, y = _xor_like()
    calls = [
        lambda: plot_function_and_derivative(ax, junk, np.sin, label="f"),
        lambda: plot_decision_boundary(ax, lambda g: np.zeros(len(g)), junk, y, resolution=5),
        lambda: plot_history(ax, junk),
        lambda: plot_cost_path(ax, np.square, [0.0, 1.0], junk),
    ]
    extra = [
        lambda: set_figsize(junk, 2),
        lambda: small_multiples(junk, 2),
        lambda: draw_graph(ax, junk),
        lambda: plot_decision_boundary(ax, lambda g: np.zeros(len(g)), X, junk, resolution=5),
    ]
    try:
        for call in (calls[which], extra[which]):
            try:
                call()
            except (ValueError, TypeError):
                pass
    finally:
        plt.close("all")
