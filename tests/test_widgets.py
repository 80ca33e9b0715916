"""d2lutil.widgets의 Demo 틀: update, 커널 없는 HTML, 위젯 상자, 오류 메시지."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

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


# --- 살아 있는 그림: 빠른 PNG, 바뀐 부분만 다시 그리기, 2배 해상도 ---------------------------------
def _png_pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGB"), dtype=float)


def test_encode_png_roundtrips_through_pil() -> None:
    from d2lutil.widgets import encode_png

    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    np.testing.assert_array_equal(_png_pixels(encode_png(rgba)), rgba[..., :3].astype(float))
    with pytest.raises(ValueError, match="rgba"):
        encode_png(np.zeros((4, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="rgba"):
        encode_png(np.zeros((4, 4, 4), dtype=np.float32))
    with pytest.raises(TypeError, match="rgba"):
        encode_png([[0, 0, 0]])  # type: ignore[arg-type]


class MovingDemo(Demo):
    """배경 위에서 선 하나와 글자 하나만 움직이고, 가끔 축 범위와 아티스트 구성을 바꾸는 데모."""

    params = (
        FloatParam("shift", "이동", -1.0, 1.0, 0.1, default=0.0),
        IntParam("mode", "모드", 0, 2, default=0),
    )

    def setup(self, fig: Figure) -> None:
        self.ax = fig.add_subplot()
        self.ax.imshow(np.linspace(0, 1, 64).reshape(8, 8), extent=(0, 1, -2, 2), aspect="auto", zorder=0)
        self.ax.plot([0, 1], [0, 0], color="k", zorder=3)  # 움직이는 선보다 위에 있는 고정된 선
        (self.line,) = self.ax.plot([], [], lw=3, zorder=2)
        self.text = self.ax.set_title("")
        self.extra = None
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(-2, 2)
        self.ax.legend(["line"], loc="upper right")

    def draw(self, *, shift: float, mode: int) -> str | None:
        x = np.linspace(0, 1, 20)
        self.line.set_data(x, x + shift)
        self.text.set_text(f"shift {shift:.1f}")
        self.ax.set_ylim(-2 - mode, 2 + mode)
        if self.extra is not None:
            self.extra.remove()
            self.extra = None
        if mode == 2:
            (self.extra,) = self.ax.plot([0.5], [0.5], "o", ms=12, color="C3")
        return None


def _full_draw(demo: Demo) -> np.ndarray:
    demo.fig.set_dpi(demo.dpi * demo.live_scale)
    demo.fig.canvas.draw()
    ref = np.asarray(demo.fig.canvas.buffer_rgba())[..., :3].astype(float)
    demo.fig.set_dpi(demo.dpi)
    return ref


@pytest.mark.parametrize("seq", [[0.0, 0.3, -0.5, 0.7, 0.7, -1.0], [0.1, -0.2]])
def test_live_frames_equal_full_draw(seq: list[float]) -> None:
    demo = MovingDemo()
    modes = [0, 0, 1, 1, 2, 0, 2, 2]
    for k, shift in enumerate(seq + seq[::-1]):
        demo.update(shift=shift, mode=modes[k % len(modes)])
        fast = _png_pixels(demo.render_live())
        ref = _full_draw(demo)
        assert fast.shape == ref.shape
        # 바뀐 부분만 다시 그린 그림이 처음부터 그린 그림과 같다 (글자 안티에일리어싱 차이만 허용)
        differing = (np.abs(fast - ref).max(axis=2) > 40).mean()
        assert differing < 0.002, (k, differing)


def test_live_png_is_scaled_and_blit_reuses_background() -> None:
    demo = MovingDemo()
    png = demo.render_live()
    h, w = _png_pixels(png).shape[:2]
    assert (w, h) == (round(demo.figsize[0] * demo.dpi * 2), round(demo.figsize[1] * demo.dpi * 2))
    assert demo.fig.dpi == demo.dpi  # 배율은 그리는 동안만 바꾼다
    demo.update(shift=0.5)
    demo.render_live()
    state = demo._blit
    demo.update(shift=-0.5)
    demo.render_live()
    assert demo._blit is state  # 선과 글자만 바뀌었으므로 배경을 다시 만들지 않았다
    assert demo.line in state.dynamic and demo.text in state.dynamic
    demo.update(mode=1)  # 축 범위가 바뀌면 배경을 새로 만든다
    demo.render_live()
    assert demo._blit is not state


def test_slider_readout_follows_fmt_or_step() -> None:
    from d2lutil.widgets import _slider_format

    assert _slider_format(FloatParam("lr", "학습률", 0.001, 0.08, 0.001, default=0.05, fmt="{:.3f}")) == ".3f"
    assert _slider_format(FloatParam("a", "α", 0.0, 2.0, 0.05, default=0.25)) == ".2f"
    assert _slider_format(FloatParam("t", "온도", 0.25, 10.0, 0.25, default=1.0)) == ".2f"
    assert _slider_format(FloatParam("w", "w", -2.0, 2.0, 0.1, default=1.0)) == ".1f"
    assert _slider_format(FloatParam("n", "n", 0.0, 10.0, 1.0, default=2.0)) == ".0f"

    class LrDemo(LineDemo):
        params = (FloatParam("slope", "학습률", 0.001, 0.08, 0.001, default=0.001),)

        def draw(self, *, slope: float) -> str | None:  # type: ignore[override]
            return None

    slider = LrDemo().controls()["slope"]
    assert slider.readout_format == ".3f"  # 0.001이 "0.00"으로 보이지 않는다


def test_view_image_is_laid_out_at_natural_size() -> None:
    demo = LineDemo()
    image = demo.view().children[1]
    assert image.layout.width == f"{round(demo.figsize[0] * demo.dpi)}px"
    assert image.layout.max_width == "100%"
    w = _png_pixels(image.value).shape[1]
    assert w == round(demo.figsize[0] * demo.dpi * demo.live_scale)


def test_static_env_leaves_no_widget_view(monkeypatch: pytest.MonkeyPatch) -> None:
    from d2lutil.widgets import LIVE_HINT, STATIC_ENV

    monkeypatch.setenv(STATIC_ENV, "1")
    bundle = LineDemo()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle
    # 정적 형태는 Jupyter에서 셀을 실행하면 살아난다고 한국어로 알리고, 책 HTML에서는 스크립트가 숨긴다
    assert html_unescape(LIVE_HINT) in html_unescape(bundle["text/html"])
    assert ".bd-article" in bundle["text/html"] and "-hint" in bundle["text/html"]


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


class BusyDemo(Demo):
    """바뀌는 것이 많은 데모: 아래(zorder 0)의 그림, 격자, 글자 상자, 범례 글자, 그림 전체의 글자, 축을 끈 칸."""

    params = (IntParam("k", "k", 0, 5, default=0), IntParam("grid", "grid", 0, 1, default=0))
    figsize = (4.0, 2.0)
    dpi = 40

    def setup(self, fig: Figure) -> None:
        self.ax, self.off = fig.subplots(1, 2)
        self.image = self.ax.imshow(np.zeros((4, 4)), extent=(0, 1, 0, 1), zorder=0, vmin=0, vmax=5)
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(0, 1)
        (self.line,) = self.ax.plot([0, 1], [0, 1], label="a")
        self.legend = self.ax.legend(loc="upper left")
        self.box = self.ax.text(0.5, 0.5, "x", bbox={"facecolor": "white"})
        self.caption = fig.text(0.01, 0.01, "")
        self.off.axis("off")
        (self.off_line,) = self.off.plot([0, 1], [1, 0])

    def draw(self, *, k: int, grid: int) -> str | None:
        self.image.set_data(np.full((4, 4), float(k)))
        if bool(grid) != getattr(self, "_grid", False):  # 격자는 바뀔 때만 (바꾸면 눈금 축이 stale)
            self.ax.grid(bool(grid))
            self._grid = bool(grid)
        self.box.get_bbox_patch().set_facecolor("C1" if k % 2 else "white")
        self.legend.get_texts()[0].set_text(f"a{k % 2}")
        self.caption.set_text(f"k = {k}")
        self.off_line.set_ydata([k / 5, 1 - k / 5])
        return None


def test_busy_live_frames_equal_full_draw() -> None:
    demo = BusyDemo()
    for k, grid in [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (0, 0), (1, 0), (2, 0)]:
        demo.update(k=k, grid=grid)
        fast = _png_pixels(demo.render_live())
        ref = _full_draw(demo)
        differing = (np.abs(fast - ref).max(axis=2) > 40).mean()
        assert differing < 0.01, (k, grid, differing)


def test_annotations_always_redraw_fully() -> None:
    class ArrowDemo(BusyDemo):
        def setup(self, fig: Figure) -> None:
            super().setup(fig)
            self.ann = self.ax.annotate("", xy=(0.9, 0.9), xytext=(0.1, 0.1), arrowprops={"arrowstyle": "->"})

        def draw(self, *, k: int, grid: int) -> str | None:
            self.ann.arrow_patch.set_color("C3" if k % 2 else "k")
            return super().draw(k=k, grid=grid)

    demo = ArrowDemo()
    for k in (1, 2, 3):
        demo.update(k=k)
        fast = _png_pixels(demo.render_live())
        assert (np.abs(fast - _full_draw(demo)).max(axis=2) > 40).mean() == 0
        assert demo._blit is None  # 배경을 쓰지 않는다


def test_static_demo_js_is_package_data() -> None:
    # 자바스크립트는 문자열로 이어 붙이지 않고 패키지 파일에서 읽는다 (설치해도 따라가도록 package-data)
    from importlib import resources

    from d2lutil.widgets import static_demo_js

    path = resources.files("d2lutil").joinpath("static", "static_demo.js")
    assert path.is_file()
    assert static_demo_js() == path.read_text(encoding="utf-8")
    assert "function frameIndex" in static_demo_js()
    html = LineDemo(html_id="js").kernel_free_html()
    assert static_demo_js() in html
    assert 'd2lStaticDemo.start(document.getElementById("d2l-js"));' in html
    payload = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html).group(1))
    assert payload["start"] == [2, 1, 0, 0]  # 기본값의 격자 위치는 JSON으로 넘긴다
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    package_data = re.search(r"\[tool\.setuptools\.package-data\]\s*d2lutil = (\[.*?\])", pyproject)
    assert package_data is not None and "static/*.js" in json.loads(package_data.group(1))


class ConstrainedDemo(LineDemo):
    layout = "constrained"


class LiveLayoutDemo(LineDemo):
    layout = "constrained"
    freeze_layout = False


def test_layout_is_a_class_attribute() -> None:
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    assert Demo.layout is None and LineDemo().fig.get_layout_engine() is None
    # 기본값으로 처음 그린 배치를 고정한다: 엔진은 남지 않고 축 자리는 constrained가 정한 자리다
    frozen = ConstrainedDemo()
    assert not isinstance(frozen.fig.get_layout_engine(), ConstrainedLayoutEngine)
    assert frozen.fig.axes[0].get_position().bounds != LineDemo().fig.axes[0].get_position().bounds
    assert isinstance(LiveLayoutDemo().fig.get_layout_engine(), ConstrainedLayoutEngine)


def test_no_demo_switches_the_layout_engine_itself() -> None:
    import inspect

    from d2lutil.demos import all_demos

    for cls in all_demos():
        source = inspect.getsource(inspect.getmodule(cls))
        assert "set_layout_engine" not in source, (
            f"{cls.__name__}: 배치 엔진은 layout 클래스 속성으로 정하세요"
        )
        assert cls.layout in (None, "constrained")


def test_consecutive_axis_changes_draw_once_and_match_full_draw() -> None:
    # 축 범위가 프레임마다 바뀌어도(범위 슬라이더를 끄는 중), 멈춘 뒤에도 그림은 전체 그리기와 같다
    demo = MovingDemo()
    demo.live_cache_bytes = 0
    for k, mode in enumerate([0, 1, 2, 0, 1, 1, 1, 2, 0, 0, 0]):
        demo.update(shift=0.1 * k - 0.4, mode=mode)
        fast = _png_pixels(demo.render_live())
        assert (np.abs(fast - _full_draw(demo)).max(axis=2) > 40).mean() < 0.002, k
        if k in (2, 3, 4):  # 직전 프레임도 축이 바뀌었다
            assert demo._blit is not None and demo._blit.streak
    assert demo._blit is not None and not demo._blit.streak  # 축이 멈추면 다시 작은 몫만 그린다
    assert demo.ax.yaxis not in demo._blit.dynamic


def test_same_limits_again_do_not_count_as_axis_change() -> None:
    demo = MovingDemo()
    demo.update(shift=0.2)
    demo.render_live()
    demo.update(shift=0.3)
    demo.render_live()
    state = demo._blit
    demo.update(shift=0.4)  # draw()가 같은 값으로 set_ylim을 다시 부른다: 눈금 축이 stale이 된다
    assert demo.ax.yaxis.stale
    demo.render_live()
    assert demo._blit is state  # 배경을 다시 만들지 않았다
    assert demo.ax.yaxis not in state.dynamic


def test_live_png_cache_and_prerender() -> None:
    demo = LineDemo()
    demo.update(slope=0.5)
    first = demo.render_live()
    demo.update(slope=-0.5)
    demo.render_live()
    demo.update(slope=0.5)
    assert demo.render_live() is first  # 같은 값이면 다시 그리지 않는다
    demo.live_cache_bytes = 0
    demo._frames.clear()
    demo.update(slope=0.0)
    demo.render_live()
    assert not demo._frames  # 0이면 기억하지 않는다

    demo = LineDemo()
    combos = demo.grid()[:4]
    assert demo.prerender(combos) == 4
    assert demo.prerender(combos) == 0  # 이미 있는 것은 다시 그리지 않는다
    for combo in combos:
        demo.update(**combo)
        png = demo.render_live()
        assert demo._frames[demo._frame_key(demo.values)] is png
        assert (np.abs(_png_pixels(png) - _full_draw(demo)).max(axis=2) > 40).mean() < 0.002
    assert demo._frame_key({"x": [1, 2]}) is None  # 해시할 수 없는 값은 기억하지 않는다


def test_new_tick_labels_at_same_limits_are_redrawn() -> None:
    class TickDemo(LineDemo):
        def draw(self, *, slope: float, n: int, color: str, lr: float) -> str | None:
            self.ax.set_xticks(
                [0.0, 0.5, 1.0], [f"{slope:.1f}", "m", "r"]
            )  # 축 범위는 그대로, 눈금 글자만 바뀐다
            return super().draw(slope=slope, n=n, color=color, lr=lr)

    demo = TickDemo()
    demo.live_cache_bytes = 0
    for slope in (0.5, 1.5, -1.5, -0.5, 0.5):
        demo.update(slope=slope)
        fast = _png_pixels(demo.render_live())
        assert (np.abs(fast - _full_draw(demo)).max(axis=2) > 40).mean() < 0.002, slope
