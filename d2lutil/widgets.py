"""대화형 데모의 공통 틀: 하나의 ``update``로 두 가지 형태를 만든다.

* 로컬(Jupyter Lab, VS Code, Colab): ``view()``가 슬라이더·드롭다운과 그림(``widgets.Image``)을 묶은
  ipywidgets 상자를 돌려준다. 슬라이더를 움직이면 ``update``가 그림의 아티스트만 바꾸고 PNG를 다시 만든다.
* 온라인 책(커널 없음): ``kernel_free_html()``이 같은 ``update``를 매개변수 격자 위에서 돌려 얻은 프레임을
  HTML 범위 입력(range input)으로 넘겨 보는 작은 페이지 조각을 만든다.

노트북 셀의 마지막 줄에 데모 객체를 두면 ``_repr_mimebundle_``이 두 형태를 한 출력에 담는다.
Jupyter는 살아 있는 위젯을, 책의 HTML 빌드는(``nb_mime_priority_overrides``로 위젯을 빼므로)
커널 없이 움직이는 프레임을 보여 준다.

하위 클래스가 할 일은 셋뿐이다::

    class MyDemo(Demo):
        params = (FloatParam("lr", "학습률", 0.01, 1.0, 0.01, default=0.1, grid=(0.01, 0.1, 0.5)),)
        alt = "학습률에 따라 경사 하강법 경로가 달라지는 그림"

        def setup(self, fig):          # 그림 안의 축과 아티스트를 한 번 만든다
            self.ax = fig.add_subplot()
            (self.line,) = self.ax.plot([], [])

        def draw(self, *, lr):         # 매개변수로 아티스트만 바꾼다. 경고 문구를 돌려줄 수 있다.
            self.line.set_data(...)
            return None
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from d2lutil import static_form
from d2lutil._blit import LiveRenderer, _BlitState, encode_png
from d2lutil.params import ChoiceParam, FloatParam, IntParam, Param, _slider_format
from d2lutil.static_form import KERNEL_FREE_BUDGET_BYTES, static_demo_js
from d2lutil.static_form import LIVE_HINT as LIVE_HINT

__all__ = [
    "ChoiceParam",
    "Demo",
    "FloatParam",
    "IntParam",
    "KERNEL_FREE_BUDGET_BYTES",
    "static_demo_js",
]

#: 이 환경 변수가 "1"이면 살아 있는 위젯을 만들지 않고 정적 형태만 출력한다 (tools/execute.py가 켠다).
#: 저장된 노트북에 위젯 보기(model_id)가 남으면 다시 열 때 "model not found"가 나기 때문이다.
STATIC_ENV = "D2L_STATIC_DEMOS"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "demo"


class Demo(LiveRenderer):
    """모든 데모의 바탕 클래스. 하위 클래스는 ``params``, ``alt``, ``setup``, ``draw``를 정한다.

    정의된 곳: 책에서는 직접 쓰지 않음 (0.1의 BroadcastDemo부터 모든 장의 대화형 데모가 물려받는다)
    """

    params: ClassVar[tuple[Param, ...]] = ()
    #: 그림이 무엇을 보여 주는지 말하는 대체 텍스트 (스크린 리더와 캡션에 쓰인다)
    alt: ClassVar[str] = "대화형 데모 그림"
    figsize: ClassVar[tuple[float, float]] = (6.4, 3.6)
    dpi: ClassVar[int] = 80
    #: 살아 있는 위젯의 그림은 화면에 ``figsize × dpi`` CSS 픽셀로 놓고 이 배율만큼 촘촘하게 그린다
    #: (2배 화면에서도 선명하다). 1이면 예전처럼 한 배로 그린다.
    live_scale: ClassVar[float] = 2.0
    #: 그림의 배치 엔진. None(기본값)이면 데모가 ``setup``에서 여백을 직접 정한다(``add_axes``,
    #: ``subplots_adjust``, ``add_gridspec(left=…)``). ``"constrained"``이면 matplotlib이 여백을 계산한다.
    layout: ClassVar[Literal["constrained"] | None] = None
    #: ``layout``이 있을 때, 기본값으로 처음 그린 배치를 고정하는가. 프레임마다 배치를 다시 풀면
    #: 그리기가 두 배 넘게 느리다. 살아 있는 위젯은 이 값과 상관없이 첫 전체 그리기의 배치를 고정한다.
    freeze_layout: ClassVar[bool] = True
    #: 살아 있는 위젯이 기억해 두는 PNG의 총 크기(바이트). 0이면 기억하지 않는다.
    live_cache_bytes: ClassVar[int] = 8_000_000

    def __init__(self, *, html_id: str | None = None) -> None:
        self.html_id = _slug(html_id or type(self).__name__)
        self.fig = Figure(figsize=self.figsize, dpi=self.dpi, layout=self.layout)
        FigureCanvasAgg(self.fig)
        self.message: str | None = None
        self._blit: _BlitState | None = None
        #: 직전 프레임이 배치·축 범위·눈금이 바뀌어 배경을 새로 만들었는가
        self._rebuilt = False
        #: 마지막으로 배경에 그린 눈금 축마다 (눈금 위치, 눈금 글자, 축 이름)
        self._axis_sigs: dict[int, tuple[Any, ...]] = {}
        #: 살아 있는 위젯의 PNG 캐시: 매개변수 값 → PNG (슬라이더를 되돌리면 다시 그리지 않는다)
        self._frames: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._frames_bytes = 0
        self._frames_lock = threading.Lock()
        self.setup(self.fig)
        self.values: dict[str, Any] = {}
        self.update(**self.defaults())
        if self.layout is not None and self.freeze_layout:
            self.fig.canvas.draw()  # type: ignore[no-untyped-call]
            self.fig.set_layout_engine("none")

    # --- 하위 클래스가 채우는 부분 ---------------------------------------------------------
    def setup(self, fig: Figure) -> None:  # pragma: no cover - 추상 메서드
        raise NotImplementedError

    #: 매개변수(키워드 인자)로 아티스트를 고치고, 경고 문구(또는 None)를 돌려주는 메서드.
    #: 하위 클래스마다 키워드 인자가 다르므로 타입은 Callable[..., str | None]로 둔다.
    draw: Callable[..., str | None]

    def warm(self) -> None:
        """살아 있는 위젯을 띄운 뒤 뒤(스레드)에서 부르는 미리 계산. 하위 클래스가 캐시를 채우는 데 쓴다."""

    # --- 공통 부분 -------------------------------------------------------------------------
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def _param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params)
        raise ValueError(f"알 수 없는 매개변수 {name!r}입니다: {known} 가운데 하나를 쓰세요.")

    def update(self, **params: Any) -> Figure:
        """매개변수로 그림을 고친다. 빠진 매개변수는 직전 값(처음에는 기본값)을 쓴다.

        그림의 아티스트만 바꾸므로 빠르다. 돌려주는 값은 같은 ``Figure`` 객체다.
        """
        merged = dict(self.values or self.defaults())
        for name, value in params.items():
            merged[name] = self._param(name).validate(value)
        self.values = merged
        self.message = self.draw(**merged)
        return self.fig

    def render_png(self, *, colors: int | None = None, dpi: int | None = None) -> bytes:
        """현재 그림을 PNG 바이트로 만든다. ``colors``를 주면 팔레트 PNG로 줄인다."""
        self._blit = None  # 전체 그리기가 stale 표시를 지우므로 살아 있는 그림의 배경은 새로 만든다
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=dpi or self.dpi, metadata={"Software": None})
        data = buf.getvalue()
        if colors:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as im:
                small = im.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
                out = io.BytesIO()
                small.save(out, format="PNG", optimize=True)
                data = out.getvalue()
        return data

    def render_live(self) -> bytes:
        """살아 있는 위젯에 보낼 PNG: ``live_scale``배 해상도, 바뀐 아티스트만 다시 그리고 빠르게 압축한다.

        한 번 그린 값의 PNG는 ``live_cache_bytes``까지 기억해 두었다가 같은 값이 오면 그대로 돌려준다
        (그림은 매개변수 값만으로 정해진다: ``update``가 모든 값으로 ``draw``를 부른다).
        """
        target = self.dpi * self.live_scale
        cache_key = self._frame_key(self.values)
        with self._frames_lock:
            if cache_key is not None and cache_key in self._frames:
                self._frames.move_to_end(cache_key)
                return self._frames[cache_key]
        base = self.fig.dpi
        if self._blit is not None and self._blit.key[1] != target:
            self._blit = None
        self.fig.set_dpi(target)
        try:
            png = encode_png(self._draw_live())
        finally:
            self.fig.set_dpi(base)
        self._remember(cache_key, png)
        return png

    def _frame_key(self, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """PNG 캐시의 열쇠: (해상도, 매개변수 값들). 해시할 수 없는 값(목록 등)이면 None (기억하지 않는다)."""
        key = (self.dpi * self.live_scale, *sorted(values.items()))
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def _remember(self, key: tuple[Any, ...] | None, png: bytes) -> None:
        if key is None or len(png) > self.live_cache_bytes:
            return
        with self._frames_lock:
            if key in self._frames:
                return
            self._frames[key] = png
            self._frames_bytes += len(png)
            while self._frames_bytes > self.live_cache_bytes:
                _, old = self._frames.popitem(last=False)
                self._frames_bytes -= len(old)

    def prerender(self, combos: list[dict[str, Any]]) -> int:
        """combos의 살아 있는 그림을 따로 만든 같은 데모(자기 그림)로 미리 그려 PNG 캐시에 넣는다.

        ``warm``에서(뒤 스레드) 부르도록 만든 것이다: 이 객체의 그림은 건드리지 않으므로 슬라이더 처리와
        겹쳐도 안전하다. 미리 그린 프레임 수를 돌려준다. 정의된 곳: 책에서는 쓰지 않음 (데모의 ``warm``용)
        """
        other = type(self)(html_id=self.html_id)
        done = 0
        for combo in combos:
            other.update(**combo)
            key = self._frame_key(other.values)
            with self._frames_lock:
                if key is None or key in self._frames:
                    continue
            self._remember(key, other.render_live())
            done += 1
        return done

    # --- 로컬 형태: ipywidgets ----------------------------------------------------------------
    def controls(self) -> dict[str, Any]:
        """매개변수마다 ipywidgets 컨트롤을 만든다."""
        import ipywidgets as widgets

        style = {"description_width": "initial"}
        out: dict[str, Any] = {}
        for p in self.params:
            value = self.values.get(p.name, p.default)
            if isinstance(p, ChoiceParam):
                out[p.name] = widgets.Dropdown(
                    options=p.pairs(), value=value, description=p.label, style=style
                )
            elif isinstance(p, IntParam):
                out[p.name] = widgets.IntSlider(
                    min=p.min,
                    max=p.max,
                    step=p.step,
                    value=value,
                    description=p.label,
                    continuous_update=p.continuous,
                    style=style,
                )
            elif p.log:
                out[p.name] = widgets.FloatLogSlider(
                    min=math.log10(p.min),
                    max=math.log10(p.max),
                    step=p.step,
                    value=value,
                    description=p.label,
                    continuous_update=p.continuous,
                    readout_format=".3g",
                    style=style,
                )
            else:
                out[p.name] = widgets.FloatSlider(
                    min=p.min,
                    max=p.max,
                    step=p.step,
                    value=value,
                    description=p.label,
                    continuous_update=p.continuous,
                    readout_format=_slider_format(p),
                    style=style,
                )
        return out

    def view(self) -> Any:
        """슬라이더와 그림을 묶은 ipywidgets 상자를 돌려준다 (Jupyter Lab, VS Code, Colab).

        그림은 ``figsize × dpi`` CSS 픽셀 크기로 놓고(늘여 흐려지지 않게) ``live_scale``배로 촘촘히 그린다.
        """
        import ipywidgets as widgets

        controls = self.controls()
        width = round(self.figsize[0] * self.dpi)
        image = widgets.Image(
            value=self.render_live(),
            format="png",
            layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto"),
        )
        status = widgets.HTML(value=self._status_html())

        def on_change(change: Mapping[str, Any]) -> None:
            values = {name: c.value for name, c in controls.items()}
            self.update(**values)
            image.value = self.render_live()
            status.value = self._status_html()

        for c in controls.values():
            c.observe(on_change, names="value")
        if type(self).warm is not Demo.warm:  # 미리 계산할 것이 있으면 뒤에서(스레드) 채운다
            threading.Thread(target=self.warm, name=f"{type(self).__name__}.warm", daemon=True).start()
        row = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        box = widgets.VBox([row, image, status])
        box.add_class("d2l-demo")
        return box

    def _status_html(self) -> str:
        if not self.message:
            return ""
        return f'<p style="color:#b00020;font-weight:bold">⚠ {html.escape(self.message)}</p>'

    # --- 온라인 형태: 커널 없이 움직이는 프레임 ----------------------------------------------------
    def grid(self) -> list[dict[str, Any]]:
        """커널 없는 형태에서 미리 그릴 매개변수 조합들 (마지막 매개변수가 가장 빨리 바뀐다)."""
        names = [p.name for p in self.params]
        return [
            dict(zip(names, combo)) for combo in itertools.product(*(p.grid_values() for p in self.params))
        ]

    def kernel_free_html(self, *, colors: int = 64, max_frames: int = 64) -> str:
        """격자 위 모든 조합을 그린 프레임과 범위 입력으로 된 HTML 조각 (:func:`d2lutil.static_form.kernel_free_html`).

        요소 id는 ``html_id``에서 만들어지므로 다시 실행해도 같다 (nbval이 비교할 수 있다).
        """
        combos = self.grid()
        if len(combos) > max_frames:
            raise ValueError(
                f"격자의 프레임 수가 너무 많습니다: 최대 {max_frames}개를 기대했지만 {len(combos)}개입니다. "
                "각 매개변수의 grid를 줄이세요."
            )
        saved = dict(self.values)
        self._blit = None  # 격자를 도는 동안 아티스트가 바뀌고 stale 표시가 지워진다
        frames: list[tuple[bytes, str]] = []
        for combo in combos:
            self.update(**combo)
            frames.append((self.render_png(colors=colors), self.message or ""))
        self.update(**saved)
        return static_form.kernel_free_html(f"d2l-{self.html_id}", self.params, saved, frames, alt=self.alt)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Jupyter에는 위젯을, 책의 HTML에는 커널 없는 형태를, 그 밖의 출력에는 기본 프레임 PNG를 준다."""
        bundle: dict[str, Any] = {
            "text/plain": f"<{type(self).__name__}: {self.alt}>",
            "text/html": self.kernel_free_html(),
            "image/png": base64.b64encode(self.render_png()).decode("ascii"),
        }
        if os.environ.get(STATIC_ENV) == "1":  # 저장할 노트북을 실행할 때: 위젯 보기를 남기지 않는다
            return bundle
        try:
            widget_bundle = self.view()._repr_mimebundle_()
        except Exception:  # 위젯을 쓸 수 없는 환경(커널 밖)에서는 정적 형태만 준다
            widget_bundle = None
        if widget_bundle:
            bundle.update({k: v for k, v in widget_bundle.items() if k != "text/plain"})
        return bundle
