"""본문 글 검사: 굵은 글씨 함정, 용어집의 '피할 표현', 용어집 파일 형식.

검사 대상은 book/ 아래의 .md 파일과 노트북의 Markdown 셀이다 (book/_*/ 폴더와 체크포인트 제외).
코드 블록(```python 등)과 인라인 코드(`…`)는 검사하지 않는다. MyST 지시문(```{exercise} 등)의 본문은
글이므로 검사한다.

(a) 굵은 글씨 함정: ``**은닉층(hidden layer)**은``처럼 굵은 글씨가 문장 부호로 끝나고 바로 뒤에 글자(조사)가
    오면 CommonMark에서 닫는 ``**``로 인정되지 않아 별표가 그대로 보인다. ``**은닉층**(hidden layer)은``으로
    쓰십시오.
(b) 피할 표현: book/_data/glossary.yml의 각 용어의 ``avoid`` 목록(예: 히든 레이어, 바이어스)이 본문에 나오면
    실패한다. 괄호 안의 사용은 허용한다: ``편향(bias, 바이어스)``.
(c) 용어집 형식: 필수 키, 한국어 용어 중복, 레이블 모양, 정의 안의 피할 표현, 레이블이 책에 있는지.
"""

from __future__ import annotations

import importlib.util
import json
import re
import string
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
GLOSSARY = BOOK / "_data" / "glossary.yml"


def _load_glossary_ext() -> ModuleType:
    spec = importlib.util.spec_from_file_location("glossary_table", BOOK / "_ext" / "glossary_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("glossary_table", module)
    spec.loader.exec_module(module)
    return module


gt = _load_glossary_ext()


# --- 글 모으기 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """검사할 글 한 줄: 어느 파일(노트북이면 셀 번호까지)의 몇째 줄인지와 내용."""

    where: str
    lineno: int
    text: str

    def __str__(self) -> str:
        return f"{self.where}:{self.lineno}: {self.text.strip()[:100]}"


FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})(.*)$")
INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def prose_lines(text: str, where: str) -> list[Line]:
    """Markdown 글에서 코드 블록을 빼고 인라인 코드를 지운 줄들을 돌려준다."""
    lines: list[Line] = []
    code_fence: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        m = FENCE_RE.match(raw)
        if code_fence is not None:
            if (
                m
                and m.group(1)[0] == code_fence[0]
                and len(m.group(1)) >= len(code_fence)
                and not m.group(2).strip()
            ):
                code_fence = None
            continue
        if m:
            info = m.group(2).strip()
            # ``` 뒤가 비었거나 언어 이름이면 코드 블록, {지시문}이면 글로 검사, ::: 는 항상 지시문
            if m.group(1)[0] != ":" and not info.startswith("{"):
                code_fence = m.group(1)
            continue
        lines.append(Line(where, lineno, INLINE_CODE_RE.sub(" ", raw)))
    return lines


def _is_private(path: Path) -> bool:
    rel = path.relative_to(BOOK).parts
    return any(part.startswith("_") or part == ".ipynb_checkpoints" for part in rel[:-1])


def book_prose() -> list[Line]:
    lines: list[Line] = []
    for path in sorted(BOOK.rglob("*.md")):
        if not _is_private(path):
            lines += prose_lines(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    for path in sorted(BOOK.rglob("*.ipynb")):
        if _is_private(path):
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"], 1):
            if cell["cell_type"] == "markdown":
                src = cell["source"]
                src = "".join(src) if isinstance(src, list) else src
                lines += prose_lines(src, f"{path.relative_to(ROOT)}[셀 {i}]")
    return lines


# --- (a) 굵은 글씨 함정 ---------------------------------------------------------------------------

BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def _is_punct(ch: str) -> bool:
    """CommonMark의 문장 부호: ASCII 문장 부호나 유니코드 P*, S* 범주."""
    return ch in string.punctuation or unicodedata.category(ch)[0] in "PS"


def bold_traps(line: str) -> list[str]:
    """닫는 **가 문장 부호 뒤에 있고 바로 뒤에 글자·숫자가 붙은 굵은 글씨를 찾는다."""
    found = []
    for m in BOLD_RE.finditer(line):
        inner = m.group(1)
        after = line[m.end() : m.end() + 1]
        if _is_punct(inner[-1]) and after and after.isalnum():
            found.append(line[m.start() : m.end() + 3])
    return found


def test_bold_trap_in_book() -> None:
    bad = [f"{ln} → {trap!r}" for ln in book_prose() for trap in bold_traps(ln.text)]
    assert not bad, (
        "굵은 글씨가 문장 부호로 끝나고 바로 뒤에 글자가 붙어 별표가 그대로 보입니다. "
        "'**은닉층**(hidden layer)은'처럼 쓰십시오:\n" + "\n".join(bad)
    )


@pytest.mark.parametrize(
    "text",
    [
        "**은닉층(hidden layer)**은 입력층과 출력층 사이에 있습니다.",
        "이것이 **편향(bias).**입니다",
        "**학습률 α!**를 줄입니다",
        "앞은 괜찮고 **가중치** 뒤는 **기울기(gradient)**가 문제",
    ],
)
def test_bold_trap_catches_planted_example(text: str) -> None:
    assert bold_traps(text), f"함정을 찾지 못했습니다: {text}"


@pytest.mark.parametrize(
    "text",
    [
        "**은닉층**(hidden layer)은 입력층과 출력층 사이에 있습니다.",
        "**은닉층(hidden layer)** 은 띄어 쓰면 괜찮습니다.",
        "**편향(bias)**, 그리고 **가중치**",
        "**가**(a)**나**다",  # 짝을 왼쪽부터 맞추므로 (a)를 굵은 글씨로 오해하지 않는다
        "곱셈은 x**2 처럼",
    ],
)
def test_bold_trap_allows_good_examples(text: str) -> None:
    assert not bold_traps(text)


def test_code_is_not_linted() -> None:
    md = "글\n```python\ns = '**a(b)**c'\n```\n`**a(b)**c`는 코드\n```{note}\n**은닉층(hidden)**은\n```\n"
    lines = prose_lines(md, "x.md")
    traps = [(ln.lineno, t) for ln in lines for t in bold_traps(ln.text)]
    assert [lineno for lineno, _ in traps] == [7], traps  # 지시문 안의 글만 걸린다


# --- (b) 피할 표현 -------------------------------------------------------------------------------


def load_glossary() -> list[dict[str, Any]]:
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))


def paren_depths(text: str) -> list[int]:
    """각 글자 위치의 괄호 깊이 ((), （） 모두)."""
    depth = 0
    depths = []
    for ch in text:
        if ch in "(（":
            depth += 1
        depths.append(depth)
        if ch in ")）":
            depth = max(0, depth - 1)
    return depths


def avoided_terms(line: str, avoid: dict[str, str]) -> list[tuple[str, str]]:
    """줄에서 괄호 밖에 쓰인 피할 표현을 (표현, 써야 할 용어) 목록으로 돌려준다."""
    depths = paren_depths(line)
    found = []
    for variant, preferred in avoid.items():
        for m in re.finditer(re.escape(variant), line):
            if depths[m.start()] == 0:
                found.append((variant, preferred))
    return found


def avoid_map(entries: list[dict[str, Any]]) -> dict[str, str]:
    return {v: e["ko"] for e in entries for v in e.get("avoid", []) or []}


def test_no_avoided_terms_in_book() -> None:
    avoid = avoid_map(load_glossary())
    bad = [f"{ln} → '{v}' 대신 '{p}'" for ln in book_prose() for v, p in avoided_terms(ln.text, avoid)]
    assert not bad, "용어집에서 피하기로 한 표현이 본문에 있습니다 (괄호 안은 허용):\n" + "\n".join(bad)


def test_avoid_lint_catches_planted_examples() -> None:
    avoid = {"바이어스": "편향", "히든 레이어": "은닉층", "활성 함수": "활성화 함수"}
    assert avoided_terms("바이어스를 더합니다.", avoid) == [("바이어스", "편향")]
    assert avoided_terms("두 개의 히든 레이어", avoid) == [("히든 레이어", "은닉층")]
    assert avoided_terms("편향(bias, 바이어스)을 더하고 바이어스를 뺍니다", avoid) == [("바이어스", "편향")]
    assert avoided_terms("편향(bias, 바이어스)을 더합니다", avoid) == []
    assert avoided_terms("편향（바이어스）", avoid) == []
    assert avoided_terms("활성화 함수는 활성 함수가 아닙니다", avoid) == [("활성 함수", "활성화 함수")]
    md = "# 제목\n\n바이어스를 더합니다.\n"
    lines = prose_lines(md, "book/x.md")
    hits = [(ln.where, ln.lineno) for ln in lines if avoided_terms(ln.text, avoid)]
    assert hits == [("book/x.md", 3)]  # 파일과 줄 번호를 알려 준다


# --- (c) 용어집 형식 -----------------------------------------------------------------------------


def test_glossary_schema() -> None:
    problems = gt.validate_entries(load_glossary())
    assert not problems, "용어집 형식 오류:\n" + "\n".join(problems)


def test_glossary_schema_catches_planted_problems() -> None:
    good = {"ko": "편향", "en": "bias", "definition": "더하는 상수입니다.", "avoid": [], "section": None}
    assert gt.validate_entries([good]) == []
    assert any("중복" in p or "겹칩니다" in p for p in gt.validate_entries([good, dict(good)]))
    no_def = {k: v for k, v in good.items() if k != "definition"}
    assert any("definition" in p for p in gt.validate_entries([no_def]))
    assert any("section" in p for p in gt.validate_entries([{**good, "section": "perceptron"}]))
    assert any("avoid" in p for p in gt.validate_entries([{**good, "avoid": "바이어스"}]))
    assert any("알 수 없는 키" in p for p in gt.validate_entries([{**good, "sectoin": None}]))
    assert gt.validate_entries([]) and gt.validate_entries({"ko": "x"})


def test_avoid_variants_do_not_hit_preferred_terms() -> None:
    """피할 표현이 어떤 용어나 정의 자체에 들어 있으면(괄호 밖) 바른 글도 걸리므로 안 된다."""
    entries = load_glossary()
    avoid = avoid_map(entries)
    bad = [(v, e["ko"]) for e in entries for v in avoid if v in e["ko"]]
    bad += [(v, e["definition"]) for e in entries for v, _ in avoided_terms(e["definition"], avoid)]
    assert not bad, f"피할 표현이 용어나 정의에 들어 있습니다: {bad}"


def defined_labels() -> set[str]:
    """book/ 아래 페이지에 정의된 MyST 레이블 ``(label)=``."""
    label_re = re.compile(r"^\s*\(([A-Za-z0-9_.:-]+)\)=\s*$", re.MULTILINE)
    labels: set[str] = set()
    for path in BOOK.rglob("*.md"):
        if not _is_private(path):
            labels |= set(label_re.findall(path.read_text(encoding="utf-8")))
    for path in BOOK.rglob("*.ipynb"):
        if _is_private(path):
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                src = cell["source"]
                labels |= set(label_re.findall("".join(src) if isinstance(src, list) else src))
    return labels


def test_glossary_sections_exist() -> None:
    """section이 null이 아닌 용어의 레이블이 책 어딘가에 정의되어 있다 (없으면 빌드가 -W에서 실패한다)."""
    labels = defined_labels()
    missing = sorted({e["section"] for e in load_glossary() if e["section"] and e["section"] not in labels})
    assert not missing, (
        f"용어집이 가리키는 레이블이 책에 없습니다: {missing}. 그 장이 아직 없으면 section을 null로 두십시오."
    )
