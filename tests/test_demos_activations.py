"""d2lutil.demos.activations 검사: evaluate와 ActivationDemo."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import d2lutil
from d2lutil.demos.activations import FUNCTIONS, ActivationDemo, evaluate
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES

ALPHA = 0.3

#: torch로 쓴 같은 함수들 (독립 구현). 계단 함수는 (sign + 1) / 2 꼴이다: 0에서 0.5이므로 0은 비교에서 뺀다.
TORCH = {
    "step": lambda x: (torch.sign(x) + 1) / 2,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, ALPHA),
    "prelu": lambda x: F.prelu(x, torch.tensor([ALPHA], dtype=torch.float64)),
    "elu": lambda x: F.elu(x, ALPHA),
    "gelu": F.gelu,
    "softplus": F.softplus,
}


@pytest.fixture(scope="module")
def demo() -> ActivationDemo:
    d2lutil.use_korean_font()
    return ActivationDemo()


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_evaluate_matches_torch_autograd(name: str) -> None:
    x = np.concatenate([np.linspace(-6, -0.01, 50), np.linspace(0.01, 6, 50)])
    xt = torch.tensor(x, requires_grad=True)
    yt = TORCH[name](xt)
    (gt,) = torch.autograd.grad(yt.sum(), xt)
    y, dy = evaluate(name, x, ALPHA)
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dy, gt.numpy(), rtol=1e-8, atol=1e-12)


def test_alpha_ignored_where_unused() -> None:
    x = np.linspace(-2, 2, 9)
    for name, (_, _, uses_alpha) in FUNCTIONS.items():
        a = evaluate(name, x, 0.1)
        b = evaluate(name, x, 0.9)
        same = np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
        assert same != uses_alpha, name


def test_evaluate_errors_name_argument() -> None:
    with pytest.raises(ValueError, match="name"):
        evaluate("swish", [0.0])
    with pytest.raises(TypeError, match="x"):
        evaluate("relu", "0")
    with pytest.raises(ValueError, match="alpha"):
        evaluate("elu", [0.0], -1.0)


def test_update_over_grid_and_extremes(demo: ActivationDemo) -> None:
    combos = demo.grid()
    for name in FUNCTIONS:
        for alpha in (0.0, 2.0):
            for limit in (1.0, 10.0):
                combos.append({"name": name, "alpha": alpha, "limit": limit})
    for combo in combos:
        demo.update(**combo)
        x, y = demo.f_line.get_data()
        _, dy = demo.df_line.get_data()
        assert np.min(x) == -combo["limit"] and np.max(x) == combo["limit"]
        name, alpha = combo["name"], combo["alpha"]
        xt = torch.tensor(np.asarray(x), requires_grad=True)
        if name == "prelu":
            yt = F.prelu(xt, torch.tensor([alpha], dtype=torch.float64))
        elif name == "leaky_relu":
            yt = F.leaky_relu(xt, alpha)
        elif name == "elu":
            yt = F.elu(xt, alpha)
        else:
            yt = TORCH[name](xt)
        (gt,) = torch.autograd.grad(yt.sum(), xt)
        keep = np.asarray(x) != 0  # 0에서의 약속은 따로 본다 (계단 함수의 torch 대용은 0.5를 준다)
        np.testing.assert_allclose(np.asarray(y)[keep], yt.detach().numpy()[keep], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(np.asarray(dy)[keep], gt.numpy()[keep], rtol=1e-7, atol=1e-12)
        # 수치 미분 점들은 식의 도함수와 겹친다
        xs, num = demo.df_points.get_data()
        assert np.all(np.asarray(xs) != 0)
        np.testing.assert_allclose(num, evaluate(name, np.asarray(xs), alpha)[1], atol=1e-5)
        msg = demo.message
        if name == "step":
            assert msg and "신호" in msg
        elif name in ("leaky_relu", "prelu") and alpha > 1:
            assert msg and "α > 1" in msg
        elif FUNCTIONS[name][2] and alpha == 0:
            assert msg and "α = 0" in msg
        else:
            assert msg is None
        title = demo.ax_f.get_title(loc="left")
        assert FUNCTIONS[name][0] in title
        assert ("α =" in title) == FUNCTIONS[name][2]


def test_relu_title_shows_zero_convention(demo: ActivationDemo) -> None:
    demo.update(name="relu", alpha=0.25, limit=4.0)
    assert demo.ax_df.get_title().endswith("= 0")
    demo.update(name="prelu", alpha=0.25)
    assert demo.ax_df.get_title().endswith("= 0.25")


def test_bad_params_rejected(demo: ActivationDemo) -> None:
    with pytest.raises(ValueError, match="name"):
        demo.update(name="swish")
    with pytest.raises(ValueError, match="alpha"):
        demo.update(alpha=-0.1)
    with pytest.raises(ValueError, match="limit"):
        demo.update(limit=0.5)
    with pytest.raises(ValueError, match="limit"):
        demo.update(limit=float("nan"))
    with pytest.raises(TypeError, match="alpha"):
        demo.update(alpha="0.1")
    demo.update(**demo.defaults())


def test_kernel_free_html_size_and_determinism(demo: ActivationDemo) -> None:
    html1 = demo.kernel_free_html()
    assert len(html1.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert html1 == ActivationDemo().kernel_free_html()
    assert len(demo.grid()) <= 40


def test_update_is_fast(demo: ActivationDemo) -> None:
    times = []
    for combo in demo.grid() * 3:
        t0 = time.perf_counter()
        demo.update(**combo)
        times.append(time.perf_counter() - t0)
    assert float(np.median(times)) < 0.1


@pytest.mark.parametrize("name", ["leaky_relu", "prelu", "elu", "relu", "sigmoid", "tanh", "step"])
@pytest.mark.parametrize("alpha", [0.0, 0.25, 1.0, 2.0])
def test_legend_does_not_cover_derivative(name: str, alpha: float) -> None:
    """f′ 곡선과 수치 미분 점이 범례 상자 밖에 있다 (α = 2에서 f′ = 2가 범례에 가리던 문제)."""
    from d2lutil.demos.activations import FUNCTIONS, ActivationDemo

    if name not in FUNCTIONS:
        pytest.skip(f"{name} 없음")
    demo = ActivationDemo()
    demo.update(name=name, alpha=alpha)
    demo.fig.canvas.draw()
    box = demo.ax_df.get_legend().get_window_extent()
    for artist in (demo.df_line, demo.df_points):
        pts = demo.ax_df.transData.transform(np.column_stack(artist.get_data()))
        inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)
        assert not inside.any(), f"{name}, α={alpha}: 범례가 점 {int(inside.sum())}개를 가립니다"
