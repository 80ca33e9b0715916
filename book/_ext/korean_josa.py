"""glue 값 뒤에 알맞은 조사를 붙이는 역할 ``{glue:josa}``.

``{glue:text}`acc:.4f`가``처럼 조사를 직접 쓰면 값이 바뀔 때(0.9750 → 0.9812) 조사가 틀려집니다.
이 역할은 값을 ``{glue:text}``와 똑같이 꾸민 뒤, 그 글의 한국어 읽기에 맞는 조사를 붙입니다.

    {glue:josa}`acc:.4f|이/가`      →  0.9750이
    {glue:josa}`n_errors|을/를`     →  4를
    {glue:josa}`lr:.2f|으로/로`     →  0.10으로

``|`` 뒤에는 조사의 두 형태를 씁니다(은/는, 이/가, 을/를, 과/와, 으로/로, 이나/나, 이라/라, 이다/다,
이에요/예요; 순서는 상관없습니다). 조사를 고르는 규칙은 ``d2lutil/korean.py`` 한 곳에 있고, 이 확장은 그
파일을 경로로 불러 씁니다(설치된 d2lutil의 판이 아니라 이 저장소의 것을 쓰도록).
``tests/test_text_lint.py``는 ``{glue:text}`` 뒤에 직접 쓴 조사가 저장된 값과 맞는지 검사합니다.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole
from sphinx.application import Sphinx

_KOREAN_PY = Path(__file__).resolve().parents[2] / "d2lutil" / "korean.py"


def _load_korean() -> ModuleType:
    name = "_d2l_book_korean"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, _KOREAN_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


korean = _load_korean()


def split_josa(text: str) -> tuple[str, str]:
    """'이름:.4f|이/가' → ('이름:.4f', '이/가'). 조사가 없거나 모르는 조사면 ValueError."""
    key, sep, particle = text.rpartition("|")
    if not sep or not key.strip():
        raise ValueError(f"glue:josa에는 '이름:형식|은/는'처럼 조사를 적어야 합니다: {text!r}")
    korean.particle_for("1", particle.strip())  # 모르는 조사면 여기서 한국어 ValueError
    return key.strip(), particle.strip()


class PasteJosaRole(PasteTextRole):
    """``{glue:text}``처럼 값을 붙이고, 그 뒤에 읽기에 맞는 조사를 더한다."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            key, particle = split_josa(self.text)
        except ValueError as exc:
            msg = self.inliner.reporter.warning(str(exc), line=self.line)
            return [], [msg]
        self.text = key
        pasted, messages = super().run()
        if not pasted or not isinstance(pasted[0], nodes.inline):
            return pasted, messages
        node = pasted[0]
        value = node.astext()
        try:
            josa = korean.particle_for(value, particle)
        except ValueError as exc:
            msg = self.inliner.reporter.warning(f"glue:josa {key!r}: {exc}", line=self.line)
            return pasted, [*messages, msg]
        return [node, nodes.Text(josa)], messages


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")  # glue 도메인이 먼저 있어야 한다
    app.add_role_to_domain("glue", "josa", PasteJosaRole())
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
