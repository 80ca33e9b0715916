"""d2lutil.widgets의 Demo 틀: update, 커널 없는 HTML, 위젯 상자, 오류 메시지."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from d2lutil.widgets import KERNEL_FREE_BUDGET_BYTES, ChoiceParam, Demo, FloatParam, IntParam


class LineDemo(Demo):
    params = (
        FloatParam("slope", "기울기", -2.0, 2.0, 0.1, default=1.0, grid=(-1.0, 0.0, 1.0)),
        IntParam("n", "점 개수", 2, 50, 1, default=10, grid=(5, 10)),
        ChoiceParam("color", "색", (("파랑", "C0"), ("주황", "C1")), default="C0"),
        FloatParam("lr", "학습률", 1e-3, 1.0, 0.1, default=0.1, log=True),
    )
    alt = "기울기에 따라 직선이 바뀌는 그림"

    def setup(self, fig: Figure) -> None:
        self.ax = fig.add_subplot()
        (self.line,) = self.ax.plot([], [])
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(-2, 2)

    def draw(self, *, slope: float, n: int, color: str, lr: float) -> str | None:
        x = np.linspace(0, 1, n)
        self.line.set_data(x, slope * x)
        self.line.set_color(color)
        return "기울기가 음수입니다" if slope < 0 else None


def test_update_changes_artists_and_keeps_previous_values() -> None:
    demo = LineDemo()
    demo.update(slope=2.0)
    x, y = demo.line.get_data()
    np.testing.assert_allclose(y, 2.0 * np.asarray(x))
    assert len(x) == 10  # 기본값 유지
    demo.update(n=3)
    x, y = demo.line.get_data()
    assert len(x) == 3
    np.testing.assert_allclose(y, 2.0 * np.asarray(x))  # 직전 기울기 유지


def test_message_reflects_state() -> None:
    demo = LineDemo()
    assert demo.message is None
    demo.update(slope=-1.0)
    assert demo.message == "기울기가 음수입니다"


@pytest.mark.parametrize(
    ("kwargs", "exc", "word"),
    [
        ({"slope": 5.0}, ValueError, "slope"),
        ({"slope": "큰 값"}, TypeError, "slope"),
        ({"slope": float("nan")}, ValueError, "slope"),
        ({"n": 1}, ValueError, "n"),
        ({"n": 2.5}, TypeError, "n"),
        ({"n": True}, TypeError, "n"),
        ({"color": "C9"}, ValueError, "color"),
        ({"unknown": 1}, ValueError, "unknown"),
    ],
)
def test_bad_parameters_raise_korean_errors(kwargs: dict, exc: type, word: str) -> None:
    demo = LineDemo()
    with pytest.raises(exc, match=word) as info:
        demo.update(**kwargs)
    assert re.search("[가-힣]", str(info.value))


def test_render_png_is_png_and_quantized_is_smaller() -> None:
    demo = LineDemo()
    full = demo.render_png()
    small = demo.render_png(colors=16)
    assert full.startswith(b"\x89PNG") and small.startswith(b"\x89PNG")
    assert len(small) < len(full)


def test_grid_is_product_in_order() -> None:
    demo = LineDemo()
    grid = demo.grid()
    assert len(grid) == 3 * 2 * 2 * 1
    assert grid[0] == {"slope": -1.0, "n": 5, "color": "C0", "lr": 0.1}
    assert grid[1]["color"] == "C1"  # 마지막 매개변수가 가장 빨리 바뀐다


def test_kernel_free_html_frames_match_updates() -> None:
    demo = LineDemo(html_id="선 데모 Test")
    html = demo.kernel_free_html()
    assert len(html.encode()) <= KERNEL_FREE_BUDGET_BYTES
    assert 'id="d2l-test"' in html  # 한글은 빠지고 결정적인 id만 남는다
    payload = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html).group(1))
    assert len(payload["frames"]) == len(demo.grid()) == 12
    assert payload["sizes"] == [3, 2, 2, 1]
    # 음수 기울기 프레임에만 경고가 있다
    for combo, msg in zip(demo.grid(), payload["messages"]):
        assert (msg != "") == (combo["slope"] < 0)
    for frame in payload["frames"]:
        assert base64.b64decode(frame).startswith(b"\x89PNG")
    # 같은 데모를 다시 그리면 바이트 단위로 같다 (nbval이 비교할 수 있다)
    assert LineDemo(html_id="선 데모 Test").kernel_free_html() == html
    # 만든 뒤에도 상태는 그대로다
    assert demo.values == demo.defaults()
    assert 'alt="기울기에 따라 직선이 바뀌는 그림"' in html


def test_kernel_free_html_refuses_too_many_frames() -> None:
    demo = LineDemo()
    with pytest.raises(ValueError, match="프레임"):
        demo.kernel_free_html(max_frames=4)


def test_view_builds_widgets_and_reacts() -> None:
    demo = LineDemo()
    box = demo.view()
    controls = box.children[0].children
    image = box.children[1]
    status = box.children[2]
    assert [c.description for c in controls] == ["기울기", "점 개수", "색", "학습률"]
    before = image.value
    controls[0].value = -1.5  # 슬라이더를 움직이면 그림과 경고가 바뀐다
    assert demo.values["slope"] == -1.5
    assert image.value != before
    assert "음수" in status.value
    controls[2].value = "C1"
    assert demo.values["color"] == "C1"


def test_mimebundle_has_static_forms() -> None:
    bundle = LineDemo()._repr_mimebundle_()
    assert "text/html" in bundle and "image/png" in bundle and "text/plain" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
