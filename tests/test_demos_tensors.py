"""d2lutil.demos.tensors: 편향 브로드캐스팅 데모."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest

import d2lutil
from d2lutil.demos.tensors import BroadcastDemo, demo_points
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES


@pytest.fixture(scope="module")
def demo() -> BroadcastDemo:
    d2lutil.use_korean_font()
    return BroadcastDemo()


def test_points_fixed_shape() -> None:
    X = demo_points()
    assert X.shape == (6, 2)
    assert np.array_equal(X, demo_points())  # 난수 없이 언제나 같다


@pytest.mark.parametrize("b1", [-2.0, -0.3, 0.0, 2.0])
@pytest.mark.parametrize("b2", [-2.0, 0.7, 2.0])
def test_shift_matches_explicit_loop(demo: BroadcastDemo, b1: float, b2: float) -> None:
    demo.update(b1=b1, b2=b2)
    X = demo_points()
    # 브로드캐스팅 없이 행마다 더한 결과와 비교한다
    expected = np.array([[row[0] + b1, row[1] + b2] for row in X])
    np.testing.assert_allclose(demo.frame_info()["shifted"], expected)
    x_line, y_line = demo.b_arrow.get_data()
    assert (x_line[-1], y_line[-1]) == (b1, b2)
    segs = demo.arrows.get_segments()
    assert len(segs) == 6
    for seg, start in zip(segs, X):
        np.testing.assert_allclose(seg[0], start)
        np.testing.assert_allclose(seg[1] - seg[0], [b1, b2])
    assert demo.message is None
    assert f"[{b1:.1f}, {b2:.1f}]" in demo.title.get_text()


def test_points_stay_in_view_at_extremes(demo: BroadcastDemo) -> None:
    xmin, xmax = demo.ax.get_xlim()
    ymin, ymax = demo.ax.get_ylim()
    for b1 in (-2.0, 2.0):
        for b2 in (-2.0, 2.0):
            demo.update(b1=b1, b2=b2)
            Y = demo.frame_info()["shifted"]
            assert Y[:, 0].min() > xmin and Y[:, 0].max() < xmax
            assert Y[:, 1].min() > ymin and Y[:, 1].max() < ymax


@pytest.mark.parametrize(
    ("kwargs", "exc"),
    [
        ({"b1": 2.5}, ValueError),
        ({"b2": float("nan")}, ValueError),
        ({"b1": "1"}, TypeError),
        ({"c": 1.0}, ValueError),
    ],
)
def test_bad_values_rejected(demo: BroadcastDemo, kwargs: dict, exc: type) -> None:
    name = next(iter(kwargs))
    with pytest.raises(exc, match=name):
        demo.update(**kwargs)


def test_grid_and_html_budget(demo: BroadcastDemo) -> None:
    assert len(demo.grid()) == 25
    html = BroadcastDemo().kernel_free_html()
    assert len(html.encode("utf-8")) <= KERNEL_FREE_BUDGET_BYTES
    # 새 객체마다 같아야 nbval이 저장된 출력과 비교할 수 있다
    assert html == BroadcastDemo().kernel_free_html()
    assert 'id="d2l-broadcastdemo"' in html


def test_update_is_fast(demo: BroadcastDemo) -> None:
    times = []
    for combo in demo.grid():
        t = time.perf_counter()
        demo.update(**combo)
        times.append(time.perf_counter() - t)
    assert float(np.median(times)) < 0.1  # 목표는 30 ms, 공유 CPU에서 흔들리지 않게 느슨하게 잰다


def test_frames_render_without_missing_glyphs(demo: BroadcastDemo) -> None:
    # 한글과 수식($…$)을 한 문자열에 섞으면 글꼴 순서에 따라 한글이 네모로 그려진다: 경고를 오류로 본다
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for combo in demo.grid()[::6]:
            demo.update(**combo)
            assert demo.render_png()[:8] == b"\x89PNG\r\n\x1a\n"
