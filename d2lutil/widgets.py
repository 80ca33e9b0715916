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
import functools
import html
import io
import itertools
import json
import math
import numbers
import os
import re
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, ClassVar, Literal

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.spines import Spine

__all__ = [
    "ChoiceParam",
    "Demo",
    "FloatParam",
    "IntParam",
    "KERNEL_FREE_BUDGET_BYTES",
]

#: 데모 하나의 커널 없는 형태가 차지해도 되는 최대 크기(바이트)
#: 정의된 곳: 책에서는 쓰지 않음 (테스트가 커널 없는 형태의 크기를 검사한다)
KERNEL_FREE_BUDGET_BYTES = 250_000
#: 이 환경 변수가 "1"이면 살아 있는 위젯을 만들지 않고 정적 형태만 출력한다 (tools/execute.py가 켠다).
#: 저장된 노트북에 위젯 보기(model_id)가 남으면 다시 열 때 "model not found"가 나기 때문이다.
STATIC_ENV = "D2L_STATIC_DEMOS"
#: 커널 없는 형태 안에서, Jupyter에서 보일 때만 나오는 안내 (책 HTML에서는 스크립트가 숨긴다)
LIVE_HINT = "미리 그려 둔 그림입니다. 이 셀을 실행하면(Shift+Enter) 슬라이더가 살아나 그림이 바로 바뀝니다."


@functools.cache
def static_demo_js() -> str:
    """커널 없는 형태의 자바스크립트(패키지 파일 ``d2lutil/static/static_demo.js``)를 읽어 돌려준다.

    정의된 곳: 책에서는 직접 쓰지 않음 (모든 데모의 커널 없는 형태가 쓴다)
    """
    return resources.files("d2lutil").joinpath("static", "static_demo.js").read_text(encoding="utf-8")


def _slider_format(p: FloatParam) -> str:
    """슬라이더 옆 숫자의 형식: fmt가 "{:.3f}" 꼴이면 그대로, 아니면 step의 소수 자릿수만큼."""
    m = re.fullmatch(r"\{:([^{}]*)\}", p.fmt)
    if m and m.group(1) and m.group(1) != "g":
        return m.group(1)
    decimals = 0
    for v in (p.step, p.min, p.default):
        text = f"{abs(v):.10f}".rstrip("0")
        decimals = max(decimals, len(text.split(".")[1]) if "." in text else 0)
    return f".{min(decimals, 6)}f"


def encode_png(rgba: np.ndarray) -> bytes:
    """(높이, 너비, 4) uint8 배열을 빠르게 PNG로 만든다 (필터 없음 + zlib 압축 수준 1, 알파는 버림).

    matplotlib/PIL의 PNG 저장은 줄마다 필터를 골라 보느라 느리다(2배 해상도 그림에서 9–20 ms). 필터 없이
    가장 빠른 압축 수준 1로 누르면 3–7 ms이고, 크기는 PIL의 ``compress_level=1``과 비슷하다
    (Z_RLE 전략보다 시간은 같고 파일은 1.2–5배 작아, 브라우저로 보내고 푸는 시간도 준다).

    정의된 곳: 책에서는 쓰지 않음 (살아 있는 위젯과 벤치마크용)
    """
    if not isinstance(rgba, np.ndarray):
        raise TypeError(f"rgba는 numpy 배열이어야 합니다: {type(rgba).__name__}를 받았습니다.")
    if rgba.ndim != 3 or rgba.shape[2] not in (3, 4) or rgba.dtype != np.uint8:
        raise ValueError(
            f"rgba는 (높이, 너비, 3 또는 4) 모양의 uint8 배열이어야 합니다: {rgba.shape} {rgba.dtype}"
        )
    h, w = rgba.shape[:2]
    raw = np.empty((h, 1 + 3 * w), dtype=np.uint8)
    raw[:, 0] = 0
    raw[:, 1:] = rgba[:, :, :3].reshape(h, 3 * w)
    comp = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)
    data = comp.compress(raw.tobytes()) + comp.flush()

    def chunk(tag: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _is_stale(artist: Artist, state: _BlitState | None) -> bool:
    """아티스트가 마지막으로 그린 뒤 바뀌었는가. stale 표시가 부모에게 전해지지 않는 부분도 본다:
    글자 상자(bbox patch), 주석 화살표(arrow_patch), 범례 글자."""
    if artist.stale:
        return True
    for part in (getattr(artist, "_bbox_patch", None), getattr(artist, "arrow_patch", None)):
        if part is not None and part.stale:
            return True
    from matplotlib.legend import Legend

    if isinstance(artist, Legend) and state is not None:
        sig = tuple(t.get_text() for t in artist.get_texts())
        old = state.signatures.setdefault(id(artist), sig)
        if old != sig:
            state.signatures[id(artist)] = sig
            return True
    return False


def _axis_signature(axis: Axis) -> tuple[Any, ...]:
    """눈금 축이 무엇을 그릴지 정하는 것들 (축 범위는 _layout_key가 본다). 눈금을 계산하지 않아 싸다.

    눈금 위치·글자는 축 범위와 눈금 정하기(locator)·글자 만들기(formatter)로 정해지므로 그 객체와 고정된
    값(set_xticks의 위치와 글자)을 본다. 격자선·눈금 모양은 눈금 설정(tick_params, grid)에 있다.
    """
    parts: list[Any] = []
    for ticker in (axis.major, axis.minor):
        loc, fmt = ticker.locator, ticker.formatter
        parts += [id(loc), tuple(getattr(loc, "locs", ())), id(fmt), tuple(getattr(fmt, "seq", ()))]
    parts += [dict(axis._major_tick_kw), dict(axis._minor_tick_kw)]  # type: ignore[attr-defined]
    label = axis.label
    parts += [
        label.get_text(),
        label.get_color(),
        label.get_fontsize(),
        label.get_visible(),
        axis.get_visible(),
    ]
    return tuple(parts)


def _is_blank_text(artist: Artist) -> bool:
    from matplotlib.text import Text

    return isinstance(artist, Text) and not artist.get_text()


def _layered_types() -> tuple[type, ...]:
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    return (Legend, Axis, Text)


_LAYERED = _layered_types()


def _layerable(artist: Artist) -> bool:
    """한 번 그려 둔 층으로 대신해도 되는가: 범례, 눈금 축, 상자·화살표가 없는 글자."""
    from matplotlib.text import Annotation, Text

    if isinstance(artist, Annotation) or (isinstance(artist, Text) and artist.get_bbox_patch() is not None):
        return False
    return isinstance(artist, _LAYERED)


def _composite(frame: np.ndarray, layer: tuple[int, int, np.ndarray, np.ndarray]) -> None:
    """투명 층을 그림 위에 겹친다 (Agg가 직접 그린 것과 같은 '위에 덮기' 합성)."""
    y0, x0, premult, alpha = layer
    h, w = alpha.shape[:2]
    if h == 0:
        return
    dst = frame[y0 : y0 + h, x0 : x0 + w, :3]
    dst[...] = np.rint(dst * (1.0 - alpha) + premult).astype(np.uint8)


class _BlitState:
    """살아 있는 그림의 배경(바뀌는 아티스트를 숨기고 그린 그림)과 그 배경이 유효한 조건."""

    def __init__(
        self, key: tuple[Any, ...], background: Any, static: set[int], dynamic: list[Artist]
    ) -> None:
        self.key = key
        self.background = background
        #: 바뀌지 않았지만 바뀐 것 위에 있어 다시 그려야 하는 비싼 아티스트(범례, 눈금 축, 글자)를 한 번 그려 둔
        #: 투명 층: id → (y0, x0, 색 × 알파, 알파). 프레임마다 그리지 않고 numpy로 겹친다.
        self.layers: dict[int, tuple[int, int, np.ndarray, np.ndarray]] = {}
        self.static = static  # 배경에 그려진 아티스트의 id
        self.hidden: set[int] = set()
        self.signatures: dict[int, tuple[str, ...]] = {}
        self.dynamic = dynamic  # 프레임마다 다시 그리는 아티스트
        self.streak = False  # 축이 잇달아 바뀌는 중에 만든 배경인가 (그렇다면 다시 그릴 몫이 크다)


@dataclass(frozen=True)
class FloatParam:
    """실수 슬라이더. ``grid``는 커널 없는 형태에서 쓸 값들이다 (없으면 기본값 하나). 정의된 곳: 책에서는 직접 쓰지 않음 (데모 모듈이 슬라이더를 정할 때 쓴다)"""

    name: str
    label: str
    min: float
    max: float
    step: float
    default: float
    grid: tuple[float, ...] = ()
    log: bool = False
    continuous: bool = True
    fmt: str = "{:g}"

    def validate(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{self.name}은(는) 실수여야 합니다: {type(value).__name__} 값 {value!r}를 받았습니다."
            )
        v = float(value)
        if not math.isfinite(v) or v < self.min - 1e-12 or v > self.max + 1e-12:
            raise ValueError(
                f"{self.name}은(는) [{self.min}, {self.max}] 범위여야 합니다: {value!r}를 받았습니다."
            )
        return v

    def grid_values(self) -> tuple[float, ...]:
        return tuple(self.grid) if self.grid else (self.default,)

    def describe(self, value: Any) -> str:
        return self.fmt.format(value)


@dataclass(frozen=True)
class IntParam:
    """정수 슬라이더. 정의된 곳: 책에서는 직접 쓰지 않음 (데모 모듈이 슬라이더를 정할 때 쓴다)"""

    name: str
    label: str
    min: int
    max: int
    step: int = 1
    default: int = 0
    grid: tuple[int, ...] = ()
    continuous: bool = True

    def validate(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(
                f"{self.name}은(는) 정수여야 합니다: {type(value).__name__} 값 {value!r}를 받았습니다."
            )
        v = int(value)
        if v < self.min or v > self.max:
            raise ValueError(
                f"{self.name}은(는) {self.min} 이상 {self.max} 이하여야 합니다: {v}를 받았습니다."
            )
        return v

    def grid_values(self) -> tuple[int, ...]:
        return tuple(self.grid) if self.grid else (self.default,)

    def describe(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class ChoiceParam:
    """드롭다운. ``options``는 (보이는 이름, 값) 쌍 또는 문자열들. 정의된 곳: 책에서는 직접 쓰지 않음 (데모 모듈이 드롭다운을 정할 때 쓴다)"""

    name: str
    label: str
    options: tuple[Any, ...]
    default: Any
    grid: tuple[Any, ...] = field(default=())
    continuous: bool = True

    def pairs(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for opt in self.options:
            if isinstance(opt, tuple) and len(opt) == 2:
                out.append((str(opt[0]), opt[1]))
            else:
                out.append((str(opt), opt))
        return out

    def validate(self, value: Any) -> Any:
        values = [v for _, v in self.pairs()]
        if value not in values:
            allowed = ", ".join(repr(v) for v in values)
            raise ValueError(f"{self.name}은(는) {allowed} 가운데 하나여야 합니다: {value!r}를 받았습니다.")
        return value

    def grid_values(self) -> tuple[Any, ...]:
        return tuple(self.grid) if self.grid else tuple(v for _, v in self.pairs())

    def describe(self, value: Any) -> str:
        for shown, v in self.pairs():
            if v == value:
                return shown
        return str(value)


Param = FloatParam | IntParam | ChoiceParam


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "demo"


class Demo:
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

    # --- 살아 있는 그림: 바뀐 아티스트만 다시 그리기(blitting) ------------------------------------
    def _children(self) -> list[Artist]:
        """배경/다시 그리기를 가를 아티스트들: 축 안의 자식들과 그림 바로 아래의 자식들(축 제외)."""
        out: list[Artist] = []
        for child in self.fig.get_children():
            if isinstance(child, Axes):
                # 축 바탕(patch)은 데모가 바꾸지 않는다. 축을 끈 그림에서는 그려지지 않아 늘 stale로 남는다.
                out.extend(a for a in child.get_children() if a is not child.patch)
            elif child is not self.fig.patch:
                out.append(child)
        return out

    def _layout_key(self) -> tuple[Any, ...]:
        axes = tuple(
            (id(ax), ax.get_position().bounds, ax.viewLim.bounds, ax.get_xscale(), ax.get_yscale())
            for ax in self.fig.axes
        )
        return (self.fig.canvas.get_width_height(), self.fig.dpi, axes)

    def _redraw_set(self, changed: list[Artist], children: list[Artist]) -> list[Artist]:
        """바뀐 아티스트와, 같은 축에서 그보다 위(zorder)에 그려지는 모든 아티스트 (그리는 순서대로).

        바뀐 것 위에 놓인 것까지 배경에서 빼고 다시 그려야 겹치는 순서가 전체 그리기와 같다.
        """
        changed_ids = {id(a) for a in changed}
        groups: list[list[Artist]] = []
        for ax in self.fig.axes:
            kids = [a for a in ax.get_children() if a is not ax.patch]
            if not ax.axison:  # 축을 끈 그림: Axes.draw처럼 눈금 축과 테두리를 그리지 않는다
                kids = [a for a in kids if not isinstance(a, (Axis, Spine))]
            hit = [a for a in kids if id(a) in changed_ids]
            if not hit:
                continue
            # 축이 그리는 순서(zorder로 안정 정렬)에서 처음 바뀐 것부터 끝까지
            order = sorted(kids, key=lambda a: a.get_zorder())
            first = next(i for i, a in enumerate(order) if id(a) in changed_ids)
            groups.append(
                [a for a in order[first:] if id(a) in changed_ids or not self._axis_is_outside(a, hit)]
            )
        top = [a for a in children if id(a) in changed_ids and a.axes is None]
        if top:
            rest = [c for c in self.fig.get_children() if not isinstance(c, Axes) and c is not self.fig.patch]
            order = sorted(rest, key=lambda a: a.get_zorder())
            first = next(i for i, a in enumerate(order) if id(a) in changed_ids)
            groups.append(order[first:])
        return [a for g in groups for a in g]

    @staticmethod
    def _axis_is_outside(artist: Artist, hit: list[Artist]) -> bool:
        """눈금 축(Axis)이 축 안쪽에 아무것도 그리지 않아, 축 안에 잘려 그려지는 아래 아티스트와 겹치지 않는가.

        격자선이 없고 눈금이 바깥을 향하면 눈금 글자는 모두 축 밖에 있으므로 배경에 남겨 둬도 된다
        (글자를 프레임마다 다시 그리는 것이 가장 비싸다).
        """
        if not isinstance(artist, Axis):
            return False
        import matplotlib as mpl

        below = [a for a in hit if a.get_zorder() < artist.get_zorder()]
        if any(not a.get_clip_on() for a in below):
            return False
        if any(line.get_visible() for line in artist.get_gridlines()):
            return False
        from matplotlib.axis import XAxis

        direction = (
            mpl.rcParams["xtick.direction"] if isinstance(artist, XAxis) else mpl.rcParams["ytick.direction"]
        )
        return bool(direction == "out")

    def _draw_live(self) -> np.ndarray:
        """현재 값의 그림을 ``dpi × live_scale``로 그려 RGBA 배열로 돌려준다 (가능하면 바뀐 부분만)."""
        canvas = self.fig.canvas
        children = self._children()
        from matplotlib.text import Annotation

        if any(isinstance(a, Annotation) for a in children):
            # 주석(화살표)은 다른 글자의 자리를 따라 그려져 따로 다시 그리면 어긋난다: 늘 전체를 그린다
            canvas.draw()  # type: ignore[no-untyped-call]
            if self.fig.get_layout_engine() is not None:
                self.fig.set_layout_engine("none")
            return np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
        ids = {id(a) for a in children}
        # 빈 글자(쓰지 않는 축 제목 등)는 그릴 것이 없으므로 바뀐 것으로 치지 않는다
        state = self._blit
        hidden = state.hidden if state is not None else set()
        stale = [
            a
            for a in children
            if _is_stale(a, state) and not _is_blank_text(a) and (a.get_visible() or id(a) not in hidden)
        ]
        key = self._layout_key()
        # 같은 값으로 다시 정한 축 범위(set_xlim)도 눈금 축을 stale로 만든다: 눈금이 그대로면 바뀐 것이 아니다
        stale = [
            a for a in stale if not (isinstance(a, Axis) and self._axis_sigs.get(id(a)) == _axis_signature(a))
        ]
        # 배치·축 범위·눈금이 바뀌었는가 (그러면 배경을 통째로 새로 만들어야 한다)
        structural = state is not None and (
            key != state.key
            or not state.static <= ids
            or any(isinstance(a, Axis) for a in stale if id(a) in state.static)
        )
        # 축이 바뀌던 중에 만든 배경(streak)은 다시 그릴 몫이 크다: 축이 멈추면 작게 다시 만든다
        if state is not None and not structural and not state.streak:
            if all(id(a) not in state.static for a in stale):
                dyn_ids = {id(a) for a in state.dynamic}
                new = [a for a in children if id(a) not in state.static and id(a) not in dyn_ids]
                redraw = [
                    a for a in self._redraw_set(state.dynamic + new, children) if id(a) not in state.static
                ]
                state.dynamic = [a for a in redraw if id(a) in ids]
                stale_ids = {id(a) for a in stale} | {id(a) for a in new}
                canvas.restore_region(state.background)  # type: ignore[attr-defined]
                frame = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
                for a in state.dynamic:
                    if id(a) in stale_ids:
                        state.layers.pop(id(a), None)
                        self.fig.draw_artist(a)
                        continue
                    layer = state.layers.get(id(a))
                    if layer is None and _layerable(a):
                        layer = state.layers[id(a)] = self._make_layer(a)
                    if layer is None:
                        self.fig.draw_artist(a)
                    else:
                        _composite(frame, layer)
                self._rebuilt = False
                return frame
        # 배경을 새로 만든다: 바뀐 아티스트(와 그 위의 것들)를 숨기고 전체를 그린다
        streak = structural and self._rebuilt
        if state is None:
            dynamic: list[Artist] = []
        elif streak:
            # 축 범위가 프레임마다 바뀌는 중이다(예: 범위 슬라이더를 끄는 중): 모두 다시 그릴 몫으로 둔다.
            # 전부 숨긴 채 그린 배경 위에 하나씩 그리는 편이 전체를 한 번 그리는 것보다 10 %쯤 싸다
            # (숨긴 제목의 자리를 Axes.draw가 눈금 글자 상자로 다시 계산하지 않는다).
            dynamic = self._redraw_set(children, children)
        else:
            # 이번에 바뀐 것과 처음 보는 것만 다시 그릴 몫으로 둔다. 예전에 바뀌었던 것까지 계속 두면
            # 다시 그릴 몫이 자꾸 늘어 결국 프레임마다 거의 전부를 그리게 된다.
            known = state.static | {id(a) for a in state.dynamic}
            fresh = [a for a in children if id(a) not in known]
            dynamic = self._redraw_set(stale + fresh, children)
        shown = [(a, a.get_visible()) for a in dynamic]
        for a, _ in shown:
            a.set_visible(False)
        canvas.draw()  # type: ignore[no-untyped-call]
        if self.fig.get_layout_engine() is not None:
            # 첫 전체 그리기에서 정한 배치를 고정한다: 프레임마다 constrained layout을 다시 계산하지 않는다
            self.fig.set_layout_engine("none")
        background = canvas.copy_from_bbox(self.fig.bbox)  # type: ignore[attr-defined]
        for a, visible in shown:
            a.set_visible(visible)
        for a in dynamic:
            self.fig.draw_artist(a)
        dyn_ids = {id(a) for a in dynamic}
        self._blit = _BlitState(self._layout_key(), background, ids - dyn_ids, dynamic)
        # 배경을 만들 때 원래 보이지 않던 아티스트: 계속 보이지 않으면 stale이어도 그림에 영향이 없다
        self._blit.hidden = {id(a) for a in children if not a.get_visible() and id(a) not in dyn_ids}
        self._blit.streak = streak
        self._rebuilt = structural
        self._axis_sigs = {id(a): _axis_signature(a) for a in children if isinstance(a, Axis)}
        return np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]

    def _make_layer(self, artist: Artist) -> tuple[int, int, np.ndarray, np.ndarray]:
        """아티스트 하나를 투명한 바탕에 그려, 그려진 부분의 (y0, x0, 색 × 알파, 알파)를 돌려준다."""
        from matplotlib.backends.backend_agg import RendererAgg

        w, h = self.fig.canvas.get_width_height()
        renderer = RendererAgg(w, h, self.fig.dpi)
        artist.draw(renderer)
        rgba = np.asarray(renderer.buffer_rgba())
        alpha = rgba[..., 3]
        rows = np.flatnonzero(alpha.any(axis=1))
        cols = np.flatnonzero(alpha.any(axis=0))
        if rows.size == 0:
            return (0, 0, np.zeros((0, 0, 3), np.float32), np.zeros((0, 0, 1), np.float32))
        y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        a = rgba[y0:y1, x0:x1, 3:4].astype(np.float32) / 255.0
        return (int(y0), int(x0), rgba[y0:y1, x0:x1, :3].astype(np.float32) * a, a)

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
        """격자 위 모든 조합을 그린 프레임과 범위 입력으로 된 HTML 조각을 만든다.

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
        frames: list[str] = []
        messages: list[str] = []
        for combo in combos:
            self.update(**combo)
            frames.append(base64.b64encode(self.render_png(colors=colors)).decode("ascii"))
            messages.append(self.message or "")
        self.update(**saved)

        uid = f"d2l-{self.html_id}"
        axes_values = [list(p.grid_values()) for p in self.params]
        start = []
        for p, vals in zip(self.params, axes_values):
            d = saved.get(p.name, p.default)
            start.append(vals.index(d) if d in vals else 0)
        index0 = 0
        for i, vals in zip(start, axes_values):
            index0 = index0 * len(vals) + i

        controls_html = []
        labels_js = []
        for k, (p, vals) in enumerate(zip(self.params, axes_values)):
            shown = [p.describe(v) for v in vals]
            labels_js.append(shown)
            cid = f"{uid}-c{k}"
            if len(vals) == 1:
                controls_html.append(
                    f'<span class="d2l-demo-fixed">{html.escape(p.label)}: {html.escape(shown[0])}</span>'
                )
                continue
            if isinstance(p, ChoiceParam):
                opts = "".join(
                    f'<option value="{i}"{" selected" if i == start[k] else ""}>{html.escape(s)}</option>'
                    for i, s in enumerate(shown)
                )
                controls_html.append(
                    f'<label for="{cid}">{html.escape(p.label)}</label> <select id="{cid}" data-k="{k}">{opts}</select>'
                )
            else:
                controls_html.append(
                    f'<label for="{cid}">{html.escape(p.label)}</label> '
                    f'<input type="range" id="{cid}" data-k="{k}" min="0" max="{len(vals) - 1}" step="1" '
                    f'value="{start[k]}" aria-valuetext="{html.escape(shown[start[k]])}"> '
                    f'<output id="{cid}-out" for="{cid}">{html.escape(shown[start[k]])}</output>'
                )
        payload = json.dumps(
            {
                "frames": frames,
                "messages": messages,
                "labels": labels_js,
                "sizes": [len(v) for v in axes_values],
                "start": start,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        alt = html.escape(self.alt)
        msg0 = html.escape(messages[index0])
        return (
            f'<div class="d2l-demo" id="{uid}">'
            f'<div class="d2l-demo-controls">{" ".join(controls_html)}</div>'
            f'<img id="{uid}-img" src="data:image/png;base64,{frames[index0]}" alt="{alt}">'
            f'<p id="{uid}-msg" class="d2l-demo-msg" aria-live="polite">{msg0}</p>'
            f'<p id="{uid}-hint" class="d2l-demo-hint" style="font-size:90%;color:#555">ⓘ {html.escape(LIVE_HINT)}</p>'
            f'<script type="application/json" id="{uid}-data">{payload}</script>'
            f"<script>{static_demo_js()}d2lStaticDemo.start(document.getElementById({json.dumps(uid)}));</script>"
            "</div>"
        )

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
