"""d2lutil.demos.regularization: 드롭아웃 마스크 데모."""

from __future__ import annotations

import numpy as np
import pytest

import d2lutil
from d2lutil.demos.regularization import DropoutDemo, dropout_image
from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES


@pytest.fixture(scope="module")
def demo() -> DropoutDemo:
    d2lutil.use_korean_font()
    return DropoutDemo()


def test_dropout_image_is_mask_times_image() -> None:
    img = np.linspace(0.0, 1.0, 64).reshape(8, 8)
    mask, out = dropout_image(img, p=0.5, draw=3)
    assert set(np.unique(mask)) <= {0.0, 2.0}
    np.testing.assert_array_equal(out, img * mask)
    mask0, out0 = dropout_image(img, p=0.0, draw=0)
    np.testing.assert_array_equal(mask0, np.ones((8, 8)))
    np.testing.assert_array_equal(out0, img)


def test_grid_and_extremes(demo: DropoutDemo) -> None:
    for params in demo.grid():
        demo.update(**params)
        assert demo.message is None
        expected_kept = int(np.sum(dropout_image(demo.image, **params)[0] > 0))
        assert demo.kept == expected_kept
    demo.update(p=0.0, draw=0)
    assert demo.kept == 64 and demo.mean_out == pytest.approx(float(demo.image.mean()))
    demo.update(p=0.9, draw=9)
    assert demo.kept < 64
    # 마스크를 씌운 그림의 픽셀 값은 원래 값의 0배 또는 1/(1 − p)배
    shown = np.asarray(demo.im_out.get_array())
    ratio = shown[demo.image > 0] / demo.image[demo.image > 0]
    assert np.all(np.isclose(ratio, 0.0) | np.isclose(ratio, 10.0))


def test_kernel_free_form_fits_budget(demo: DropoutDemo) -> None:
    html = demo.kernel_free_html()
    assert len(html.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert html.count("data:image/png;base64") >= 1
