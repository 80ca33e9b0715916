"""저장된(실행된) 노트북에서 값을 읽는 테스트 도우미.

장의 노트북은 본문에 쓰는 숫자를 ``myst_nb.glue(name, value, display=False)``로 붙여 둡니다.
테스트는 그 값을 노트북 파일에서 꺼내 독립적으로 다시 계산한 값과 비교합니다. 그래서 장의 코드가
숫자를 바꾸면(또는 다시 실행하지 않으면) 테스트가 실패합니다.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: 노트북은 ``d2lutil.book.glue``로 실수를 유효숫자 6자리로 반올림해 붙인다(CPU마다 다른 마지막 자리를 지우려고).
#: 6자리 반올림의 상대 오차는 최대 5e-6(1.000005 → 1.00001)이므로, 붙인 값과 독립 계산을 비교하는 허용 오차는 1e-5다.
GLUE_RTOL = 1e-5


def load_notebook(relpath: str) -> dict[str, Any]:
    return json.loads((ROOT / relpath).read_text(encoding="utf-8"))


def glued(relpath: str) -> dict[str, Any]:
    """노트북에 glue로 붙인 값들을 {이름: 값} 사전으로 돌려준다.

    값은 text/plain 표현을 ``ast.literal_eval``로 되살린 것이다 (숫자, 문자열, 리스트, 튜플).
    numpy 스칼라는 ``np.float64(1.5)`` 꼴이므로 괄호 안의 값을 꺼낸다.
    """
    out: dict[str, Any] = {}
    nb = load_notebook(relpath)
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            # myst_nb.glue는 'application/papermill.record/text/plain' 같은 접두사를 붙여 저장한다
            prefix = meta.get("mime_prefix", "")
            text = output["data"].get(prefix + "text/plain", output["data"].get("text/plain", ""))
            if isinstance(text, list):
                text = "".join(text)
            out[meta["name"]] = _parse(text)
    return out


def glued_plain(relpath: str) -> dict[str, str]:
    """노트북에 glue로 붙인 값의 text/plain 원문 {이름: 글} (책이 ``{glue:text}``로 꾸미기 전의 글)."""
    out: dict[str, str] = {}
    for cell in load_notebook(relpath)["cells"]:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            text = output["data"].get(prefix + "text/plain", output["data"].get("text/plain", ""))
            out[meta["name"]] = "".join(text) if isinstance(text, list) else text
    return out


def _parse(text: str) -> Any:
    text = text.strip()
    for prefix in ("np.float64(", "np.float32(", "np.int64(", "np.True_", "np.False_"):
        if text.startswith(prefix) and text.endswith(")"):
            text = text[len(prefix) : -1]
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text.strip("'\"")


def cell_outputs_text(relpath: str) -> str:
    """노트북의 모든 stream/text 출력을 하나의 문자열로 (인쇄된 숫자를 찾을 때)."""
    nb = load_notebook(relpath)
    parts: list[str] = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append("".join(output.get("text", "")))
            elif "data" in output and "text/plain" in output["data"]:
                parts.append("".join(output["data"]["text/plain"]))
    return "\n".join(parts)
