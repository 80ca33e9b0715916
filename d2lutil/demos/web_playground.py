"""온라인 책의 신경망 놀이터: 브라우저가 자바스크립트로 학습하는 놀이터를 책 페이지에 붙이는 HTML 조각.

책과 함께 배포되는 ``_static/playground/ui.js``와 ``engine.js``(파이썬 :mod:`d2lutil.playground`와 같은 엔진)가
독자의 브라우저에서 실시간으로 학습한다(TensorFlow Playground와 같은 방식). Jupyter에서는 :class:`WebPlayground`가
곁에 받은 로컬 데모의 위젯을 보여 준다. 3.2와 3.4가 쓴다.
"""

from __future__ import annotations

import base64
import html
import json
import os
from typing import Any

from d2lutil.widgets import STATIC_ENV, Demo

__all__ = ["PRESETS", "PRESET_GROUPS", "WebPlayground", "playground_html"]

#: 책의 프리셋 묶음과 그 프리셋 이름들 (book/_static/playground/presets.js의 PRESET_GROUPS와 같다: 테스트가 비교한다)
PRESETS: dict[str, tuple[str, ...]] = {
    "digits": (
        "linear",
        "tanh",
        "relu",
        "spiral-deep",
        "spiral-features",
        "lr-big",
        "lr-10",
        "batch-1",
        "no-decay",
        "decay",
    ),
    "xor": ("xor-221", "xor-231", "xor-241", "xor-241-slow", "xor-241-fast"),
}
PRESET_GROUPS: tuple[str, ...] = tuple(PRESETS)
_PLACEHOLDER = (
    "신경망 놀이터: 온라인 책에서는 이 자리에서 브라우저가 자바스크립트로 직접 신경망을 학습합니다(커널이 필요 "
    "없습니다). Jupyter에서는 이 셀을 실행하면 살아 있는 위젯이 나타납니다."
)


def playground_html(html_id: str, *, presets: str = "digits", preset: str | None = None) -> str:
    """온라인 책에 넣을 놀이터 HTML 조각. ``_static/playground/ui.js``를 페이지 기준 경로로 불러 붙인다.

    경로는 Sphinx가 ``<html data-content_root="../../">``에 적어 두는 책 뿌리에서 만든다. 그 속성이 없는 곳
    (Jupyter, nbviewer처럼 책 밖에서 이 HTML을 보여 줄 때)에서는 셀을 실행하라는 안내만 보인다.

    정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
    """
    if not isinstance(html_id, str) or not html_id.replace("-", "").isalnum():
        raise ValueError(
            f"html_id는 영문자·숫자·하이픈으로 된 문자열이어야 합니다: {html_id!r}를 받았습니다."
        )
    if presets not in PRESET_GROUPS:
        raise ValueError(
            f"presets는 {', '.join(PRESET_GROUPS)} 가운데 하나여야 합니다: {presets!r}를 받았습니다."
        )
    if preset is not None and not isinstance(preset, str):
        raise TypeError(f"preset은 문자열이거나 None이어야 합니다: {type(preset).__name__}를 받았습니다.")
    if preset is not None and preset not in PRESETS[presets]:
        raise ValueError(
            f"preset은 {', '.join(PRESETS[presets])} 가운데 하나여야 합니다: {preset!r}를 받았습니다."
        )
    opts = json.dumps({"presets": presets, "preset": preset}, ensure_ascii=False)
    uid = f"d2l-pg-{html_id}"
    # 글의 프리셋 링크(#pg:preset=이름)가 가리키는 빈 앵커: 자바스크립트 없이도 링크가 놀이터로 데려가고,
    # 링크 검사(tests/test_links.py)가 그 id를 찾는다. 자바스크립트는 hashchange에서 그 프리셋을 적용한다.
    anchors = "".join(
        f'<span id="pg:preset={name}" class="d2l-pg-anchor"></span>' for name in PRESETS[presets]
    )
    return (
        f"{anchors}"
        f'<div id="{uid}" class="d2l-pg-host"><p class="d2l-pg-loading">{html.escape(_PLACEHOLDER)}</p></div>'
        '<script type="module">'
        f'const host = document.getElementById("{uid}");'
        "const root = document.documentElement.dataset.content_root;"
        "if (root !== undefined) {"
        '  import(root + "_static/playground/ui.js")'
        f"    .then((m) => m.mount(host, {opts}))"
        "    .catch((err) => { host.textContent = location.protocol === 'file:'"
        "      ? '파일로 연 책에서는 브라우저가 자바스크립트 모듈을 막아 놀이터가 뜨지 않습니다. '"
        "        + 'make serve로 책을 띄운 뒤 http://127.0.0.1:8000/ 에서 보세요.'"
        '      : "신경망 놀이터를 불러오지 못했습니다: " + err; });'
        "}"
        "</script>"
    )


class WebPlayground:
    """온라인 책에는 자바스크립트 놀이터를, Jupyter에는 ``local`` 데모의 위젯을 보여 주는 출력.

    ``local``은 :class:`d2lutil.widgets.Demo`(예: 3.2의 XOR 데모). 그 PNG는 HTML이 아닌 출력(PDF 등)의 정적
    그림이 된다.

    정의된 곳: 3.2 「역전파로 신경망 학습하기」
    """

    def __init__(self, local: Demo, *, presets: str = "digits", preset: str | None = None) -> None:
        if not isinstance(local, Demo):
            raise TypeError(f"local은 Demo여야 합니다: {type(local).__name__}를 받았습니다.")
        self.local = local
        self.html = playground_html(local.html_id, presets=presets, preset=preset)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Demo의 묶음과 같되 text/html만 놀이터 조각이다 (데모의 미리 그린 프레임은 만들지 않는다)."""
        bundle: dict[str, Any] = {
            "text/plain": f"<{type(self.local).__name__}: {self.local.alt}>",
            "text/html": self.html,
            "image/png": base64.b64encode(self.local.render_png()).decode("ascii"),
        }
        if (
            os.environ.get(STATIC_ENV) == "1"
        ):  # 저장할 노트북을 실행할 때: 위젯 보기(model_id)를 남기지 않는다
            return bundle
        try:
            widget_bundle = self.local.view()._repr_mimebundle_()
        except Exception:  # 위젯을 쓸 수 없는 환경(커널 밖)에서는 정적 형태만 준다
            widget_bundle = None
        if widget_bundle:
            bundle.update({k: v for k, v in widget_bundle.items() if k != "text/plain"})
        return bundle
