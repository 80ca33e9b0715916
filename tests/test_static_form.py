"""d2lutil.static_form 테스트: 커널 없는 형태의 HTML 조각 — 처음 프레임, 조절 장치, 잘못된 인자의 한국어 오류."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from test_activations import call_and_allow_only_value_or_type_error, junk

from d2lutil.params import ChoiceParam, FloatParam
from d2lutil.static_form import LIVE_HINT, kernel_free_html

PARAMS = (
    FloatParam("lr", "학습률", 0.1, 1.0, 0.1, default=0.5, grid=(0.1, 0.5, 1.0)),
    ChoiceParam("kind", "종류", ("가", "나"), default="나"),
)
FRAMES = [(bytes([i]), f"경고 {i}" if i == 3 else "") for i in range(6)]


def test_first_frame_is_the_grid_index_of_the_start_values() -> None:
    html = kernel_free_html("d2l-x", PARAMS, {"lr": 0.5, "kind": "나"}, FRAMES, alt="그림 <설명>")
    data = json.loads(
        re.search(r'<script type="application/json" id="d2l-x-data">(.*?)</script>', html).group(1)
    )  # type: ignore[union-attr]
    assert data["sizes"] == [3, 2] and data["start"] == [1, 1]
    # 격자 순서(마지막 매개변수가 가장 빨리 바뀜)에서 (1, 1)은 1·2 + 1 = 3번째 프레임: 그 경고가 처음에 보인다
    assert 'src="data:image/png;base64,Aw=="' in html and ">경고 3</p>" in html
    assert 'alt="그림 &lt;설명&gt;"' in html and LIVE_HINT in html
    assert '<select id="d2l-x-c1" data-k="1">' in html and 'type="range" id="d2l-x-c0"' in html


def test_bad_arguments_get_korean_errors() -> None:
    with pytest.raises(ValueError, match="frames의 개수"):
        kernel_free_html("d2l-x", PARAMS, {}, FRAMES[:5], alt="")
    with pytest.raises(TypeError, match=r"frames\[0\]"):
        kernel_free_html("d2l-x", PARAMS, {}, [("png", "")] + FRAMES[1:], alt="")
    with pytest.raises(TypeError, match=r"params\[0\]"):
        kernel_free_html("d2l-x", ["lr"], {}, FRAMES, alt="")
    with pytest.raises(TypeError, match="uid"):
        kernel_free_html("", PARAMS, {}, FRAMES, alt="")
    with pytest.raises(TypeError, match="values"):
        kernel_free_html("d2l-x", PARAMS, [], FRAMES, alt="")


@settings(max_examples=80, deadline=None)
@given(uid=junk(), params=junk(), values=junk(), frames=junk())
def test_fuzz_only_value_or_type_errors(uid: Any, params: Any, values: Any, frames: Any) -> None:
    call_and_allow_only_value_or_type_error(lambda: kernel_free_html(uid, params, values, frames, alt=""))
