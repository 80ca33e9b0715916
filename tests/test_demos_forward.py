"""d2lutil.demos.forward: 소프트맥스 온도·넘침 데모."""

from __future__ import annotations

import math
import statistics
import time

import numpy as np
import pytest
import torch

import d2lutil
from d2lutil.demos.forward import BASE_LOGITS, FLOAT64_MAX_LOG10, SoftmaxDemo, naive_softmax, overflows
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES


@pytest.fixture(scope="module")
def demo() -> SoftmaxDemo:
    d2lutil.use_korean_font()
    return SoftmaxDemo()


def _reference(z: np.ndarray) -> np.ndarray:
    return torch.softmax(torch.tensor(z, dtype=torch.float64), dim=-1).numpy()


def test_float64_limit_constant() -> None:
    assert FLOAT64_MAX_LOG10 == pytest.approx(math.log10(1.7976931348623157e308), rel=1e-15)


def test_naive_softmax_matches_torch_when_small() -> None:
    z = np.array([[1.0, -2.0, 0.5], [3.0, 3.0, -1.0]])
    np.testing.assert_allclose(naive_softmax(z), _reference(z), rtol=1e-13)


def test_naive_softmax_overflows_to_nan_without_warning() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 경고가 나면 실패
        p = naive_softmax([1010.0, 1000.0, 990.0])
    assert np.isnan(p).all()


def test_overflows_threshold() -> None:
    # float64에서 e^709는 유한하고 e^710은 넘친다 (math.exp로 독립 확인)
    math.exp(709.0)
    with pytest.raises(OverflowError):
        math.exp(710.0)
    assert not overflows([709.0, 0.0])
    assert overflows([710.0, 0.0])


@pytest.mark.parametrize(
    ("call", "exc", "word"),
    [
        (lambda: naive_softmax("abc"), TypeError, "z"),
        (lambda: naive_softmax([]), ValueError, "z"),
        (lambda: overflows([np.nan]), ValueError, "z"),
    ],
)
def test_errors_name_the_argument(call, exc, word) -> None:
    with pytest.raises(exc, match=word):
        call()


def test_stable_bars_ignore_shift_and_match_torch(demo: SoftmaxDemo) -> None:
    for t in (0.25, 0.5, 1.0, 5.0, 10.0):
        expected = _reference(np.asarray(BASE_LOGITS) / t)
        for c in (0.0, 350.0, 700.0, 1000.0):
            demo.update(temperature=t, shift=c)
            heights = np.array([b.get_height() for b in demo.bars_stable])
            np.testing.assert_allclose(heights, expected, rtol=1e-9, atol=1e-15)


def test_message_exactly_when_naive_overflows(demo: SoftmaxDemo) -> None:
    for t in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        for c in (0.0, 100.0, 350.0, 690.0, 700.0, 1000.0):
            demo.update(temperature=t, shift=c)
            z = (np.asarray(BASE_LOGITS) + c) / t
            # 독립 판단: math.exp가 넘치는지
            try:
                [math.exp(v) for v in z]
                over = False
            except OverflowError:
                over = True
            assert (demo.message is not None) == over, (t, c)
            naive_heights = [b.get_height() for b in demo.bars_naive]
            if over:
                assert "넘쳤습니다" in demo.message and "nan" in demo.message
                assert any(txt.get_text() == "nan" for txt in demo.nan_text)
                assert np.isnan(demo.probs_naive).any()
            else:
                np.testing.assert_allclose(naive_heights, _reference(z), rtol=1e-9, atol=1e-15)
                assert all(txt.get_text() == "" for txt in demo.nan_text)


def test_exponent_bars_and_colors(demo: SoftmaxDemo) -> None:
    from matplotlib.colors import to_rgb

    demo.update(temperature=1.0, shift=1000.0)
    heights = [b.get_height() for b in demo.bars_exp]
    np.testing.assert_allclose(heights, np.array([1010.0, 1000.0, 990.0]) / math.log(10.0))
    for b in demo.bars_exp:  # 세 지수가 모두 한계를 넘으므로 모두 빨간색
        assert b.get_facecolor()[:3] == pytest.approx(to_rgb("#b00020"))
    demo.update(temperature=5.0, shift=1000.0)
    assert demo.message is None
    for b in demo.bars_exp:
        assert b.get_facecolor()[:3] == pytest.approx(to_rgb("C2"))


def test_extreme_slider_values(demo: SoftmaxDemo) -> None:
    for t in (0.25, 10.0):
        for c in (0.0, 1000.0):
            demo.update(temperature=t, shift=c)
            assert np.all(np.isfinite(demo.probs_stable))
            assert demo.probs_stable.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="temperature"):
        demo.update(temperature=0.0)
    with pytest.raises(ValueError, match="shift"):
        demo.update(shift=1e4)
    with pytest.raises(TypeError, match="shift"):
        demo.update(shift="big")


def test_kernel_free_html(demo: SoftmaxDemo) -> None:
    demo.update(temperature=1.0, shift=0.0)
    html = demo.kernel_free_html()
    assert len(html.encode("utf-8")) <= KERNEL_FREE_BUDGET_BYTES
    assert len(demo.grid()) == 12
    assert "넘쳤습니다" in html  # 넘치는 프레임의 메시지가 함께 실린다
    assert demo.values == {"temperature": 1.0, "shift": 0.0}  # 프레임을 만든 뒤 원래 값으로 돌아온다


def test_update_is_fast(demo: SoftmaxDemo) -> None:
    times = []
    for _ in range(3):
        for combo in demo.grid():
            t0 = time.perf_counter()
            demo.update(**combo)
            times.append(time.perf_counter() - t0)
    assert statistics.median(times) < 0.1  # 목표 30 ms, 부하에 흔들리지 않게 느슨히


def test_render_has_no_missing_glyphs(demo, caplog: pytest.LogCaptureFixture) -> None:
    """한글과 수식을 한 문자열에 섞으면 수식 글꼴에 한글이 없어 네모로 그려진다. 그런 경고가 없어야 한다."""
    import logging

    with caplog.at_level(logging.WARNING):
        for combo in (demo.grid()[0], demo.grid()[-1]):
            demo.update(**combo)
            demo.render_png()
    assert not [r for r in caplog.records if "glyph" in r.getMessage()]
