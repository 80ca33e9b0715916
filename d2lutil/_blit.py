"""살아 있는 그림을 빠르게: 바뀐 아티스트만 다시 그리기(blitting)와 빠른 PNG 압축.

``Demo``(``d2lutil.widgets``)가 ``LiveRenderer``를 물려받는다. 슬라이더를 움직일 때마다 그림 전체를 그리면
20–50 ms가 들지만, 바뀌지 않는 부분(배경)을 한 번 그려 두고 바뀐 아티스트와 그 위에 놓인 것만 다시 그리면
몇 ms로 줄어든다. 배치·축 범위·눈금이 바뀌면 배경을 새로 만든다.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.spines import Spine

__all__ = ["LiveRenderer", "encode_png"]


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


class LiveRenderer:
    """``Demo``가 물려받는 살아 있는 그림 그리기. ``fig``, ``_blit``, ``_rebuilt``, ``_axis_sigs``를 쓴다.

    정의된 곳: 책에서는 직접 쓰지 않음 (모든 데모의 살아 있는 위젯이 쓴다)
    """

    fig: Figure
    _blit: _BlitState | None
    _rebuilt: bool
    _axis_sigs: dict[int, tuple[Any, ...]]

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
