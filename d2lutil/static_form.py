"""데모의 커널 없는 형태: 미리 그린 프레임들과 범위 입력(range input)으로 된 HTML 조각.

온라인 책에는 파이썬 커널이 없다. 그래서 :class:`d2lutil.widgets.Demo`가 매개변수 격자의 모든 조합을 미리 그리고,
이 모듈이 그 프레임들을 JSON으로 담은 HTML 조각을 만든다. 슬라이더를 움직이면 패키지 파일
``d2lutil/static/static_demo.js``(``tests/js/static_demo.test.mjs``가 검사한다)가 해당 프레임으로 바꿔 끼운다.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from d2lutil._checks import check_sequence
from d2lutil.params import ChoiceParam, Param

__all__ = ["KERNEL_FREE_BUDGET_BYTES", "LIVE_HINT", "kernel_free_html", "static_demo_js"]

#: 데모 하나의 커널 없는 형태가 차지해도 되는 최대 크기(바이트)
#: 정의된 곳: 책에서는 쓰지 않음 (테스트가 커널 없는 형태의 크기를 검사한다)
KERNEL_FREE_BUDGET_BYTES = 250_000
#: 커널 없는 형태 안에서, Jupyter에서 보일 때만 나오는 안내 (책 HTML에서는 스크립트가 숨긴다)
LIVE_HINT = "미리 그려 둔 그림입니다. 이 셀을 실행하면(Shift+Enter) 슬라이더가 살아나 그림이 바로 바뀝니다."


@functools.cache
def static_demo_js() -> str:
    """커널 없는 형태의 자바스크립트(패키지 파일 ``d2lutil/static/static_demo.js``)를 읽어 돌려준다.

    정의된 곳: 책에서는 직접 쓰지 않음 (모든 데모의 커널 없는 형태가 쓴다)
    """
    return resources.files("d2lutil").joinpath("static", "static_demo.js").read_text(encoding="utf-8")


def _control(k: int, p: Param, shown: list[str], start: int, cid: str) -> str:
    """매개변수 하나의 조절 장치: 값이 하나면 글, 선택지면 드롭다운, 아니면 범위 입력."""
    label = html.escape(p.label)
    if len(shown) == 1:
        return f'<span class="d2l-demo-fixed">{label}: {html.escape(shown[0])}</span>'
    if isinstance(p, ChoiceParam):
        opts = "".join(
            f'<option value="{i}"{" selected" if i == start else ""}>{html.escape(s)}</option>'
            for i, s in enumerate(shown)
        )
        return f'<label for="{cid}">{label}</label> <select id="{cid}" data-k="{k}">{opts}</select>'
    return (
        f'<label for="{cid}">{label}</label> '
        f'<input type="range" id="{cid}" data-k="{k}" min="0" max="{len(shown) - 1}" step="1" '
        f'value="{start}" aria-valuetext="{html.escape(shown[start])}"> '
        f'<output id="{cid}-out" for="{cid}">{html.escape(shown[start])}</output>'
    )


def kernel_free_html(
    uid: str,
    params: Sequence[Param],
    values: Mapping[str, Any],
    frames: Sequence[tuple[bytes, str]],
    *,
    alt: str,
) -> str:
    """프레임(격자 순서의 (PNG, 경고 문구) 목록, 마지막 매개변수가 가장 빨리 바뀜)을 담은 HTML 조각.

    uid는 요소 id의 앞부분, values는 처음에 보일 매개변수 값이다(격자에 없는 값이면 첫 값).
    보통은 :meth:`d2lutil.widgets.Demo.kernel_free_html`이 부른다.
    """
    if not isinstance(uid, str) or not uid:
        raise TypeError(f"uid는 비어 있지 않은 문자열이어야 합니다: {uid!r}를 받았습니다.")
    params = check_sequence(params, name="params")
    for i, p in enumerate(params):
        if not isinstance(p, Param):
            raise TypeError(
                f"params[{i}]는 데모 매개변수(Param)여야 합니다: {type(p).__name__}를 받았습니다."
            )
    if not isinstance(values, Mapping):
        raise TypeError(f"values는 이름 → 값 사전이어야 합니다: {type(values).__name__}를 받았습니다.")
    axes_values = [list(p.grid_values()) for p in params]
    expected = math.prod(len(v) for v in axes_values)
    frames = check_sequence(frames, name="frames")
    if len(frames) != expected:
        raise ValueError(
            f"frames의 개수가 격자와 맞지 않습니다: {expected}개(격자 크기의 곱)를 기대했지만 {len(frames)}개를 받았습니다."
        )
    for i, frame in enumerate(frames):
        if not (
            isinstance(frame, tuple)
            and len(frame) == 2
            and isinstance(frame[0], bytes)
            and isinstance(frame[1], str)
        ):
            raise TypeError(
                f"frames[{i}]는 (PNG 바이트, 경고 문구) 짝이어야 합니다: {frame!r:.60}를 받았습니다."
            )
    if not isinstance(alt, str):
        raise TypeError(f"alt는 문자열이어야 합니다: {type(alt).__name__}를 받았습니다.")
    start = []
    for p, vals in zip(params, axes_values):
        d = values.get(p.name, p.default)
        start.append(vals.index(d) if d in vals else 0)
    index0 = 0  # 처음 보일 프레임: 격자 좌표 start를 한 줄로 편 번호
    for i, vals in zip(start, axes_values):
        index0 = index0 * len(vals) + i
    labels = [[p.describe(v) for v in vals] for p, vals in zip(params, axes_values)]
    controls = [
        _control(k, p, shown, start[k], f"{uid}-c{k}") for k, (p, shown) in enumerate(zip(params, labels))
    ]
    pngs = [base64.b64encode(png).decode("ascii") for png, _ in frames]
    messages = [message for _, message in frames]
    payload = json.dumps(
        {
            "frames": pngs,
            "messages": messages,
            "labels": labels,
            "sizes": [len(v) for v in axes_values],
            "start": start,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return (
        f'<div class="d2l-demo" id="{uid}">'
        f'<div class="d2l-demo-controls">{" ".join(controls)}</div>'
        f'<img id="{uid}-img" src="data:image/png;base64,{pngs[index0]}" alt="{html.escape(alt)}">'
        f'<p id="{uid}-msg" class="d2l-demo-msg" aria-live="polite">{html.escape(messages[index0])}</p>'
        f'<p id="{uid}-hint" class="d2l-demo-hint" style="font-size:90%;color:#555">ⓘ {html.escape(LIVE_HINT)}</p>'
        f'<script type="application/json" id="{uid}-data">{payload}</script>'
        f"<script>{static_demo_js()}d2lStaticDemo.start(document.getElementById({json.dumps(uid)}));</script>"
        "</div>"
    )
