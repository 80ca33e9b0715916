"""용어집(book/_data/glossary.yml)과 본문의 교차 검사 (브라우저·빌드 없이 원본만 읽는다).

(a) ``section``이 null이 아닌 용어: 그 레이블 ``(sec-…)=``이 목차(_toc.yml)에 있는 페이지에 정의되어 있고,
    그 레이블이 붙은 절(레이블 바로 뒤 제목부터 같은 수준 이하의 다음 제목 전까지)에 한국어 용어가 실제로
    나온다. 또 ``section``은 그 용어를 굵은 글씨로 처음 소개하는 페이지(목차 순서로 첫 페이지)에 있다.
(b) 본문에서 용어를 소개하는 모양 ``**은닉층**(hidden layer)``(또는 ``**은닉층(hidden layer)**``)으로
    나온 한국어 용어는 모두 용어집에 있거나, 아래 ``NOT_IN_GLOSSARY``에 이유와 함께 적혀 있다.
    용어집의 영어 용어도 소개할 때 쓴 영어와 맞는다.
(c) ``section``이 null인 용어는 목차의 어느 페이지에서도 소개되지 않는다 (소개되면 레이블을 채워야 한다).

원본은 이 저장소의 것을 읽는다 (``_toc.yml``, ``book/``의 .md와 노트북의 Markdown 셀).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "_data" / "glossary.yml"
TOC = ROOT / "_toc.yml"

# 용어를 소개하는 모양이지만 용어집에 넣지 않는 것: {한국어: 이유}
NOT_IN_GLOSSARY: dict[str, str] = {
    "신경망 놀이터": "3.4절 대화형 실험(데모)의 이름입니다. 개념을 가리키는 용어가 아닙니다.",
}

LABEL_RE = re.compile(r"^\s*\(([A-Za-z0-9_.:-]+)\)=\s*$")
HEADING_RE = re.compile(r"^(#{1,6})\s+\S")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
HANGUL_RE = re.compile(r"[가-힣]")
# **한국어**(English) 와 **한국어(English)**: 한국어 쪽에 한글이, 괄호 안에 라틴 글자가 있어야 한다
INTRO_RES = (
    re.compile(r"\*\*(?P<ko>[^*\n]*?[가-힣][^*\n]*?)\*\*\s?\((?P<en>[^()\n]*[A-Za-z][^()\n]*)\)"),
    re.compile(r"\*\*(?P<ko>[^*\n(]*?[가-힣][^*\n(]*?)\s?\((?P<en>[^()\n]*[A-Za-z][^()\n]*)\)\*\*"),
)


# --- 원본 읽기 -------------------------------------------------------------------------------------


def toc_entries(toc: dict[str, Any]) -> list[str]:
    """jb-book 목차의 root와 file 항목(확장자 없이)을 목차 순서대로."""
    found: list[str] = [str(toc["root"])] if "root" in toc else []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(str(node["file"]))
            for key in ("parts", "chapters", "sections"):
                walk(node.get(key) or [])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in found]


def source_path(entry: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        path = ROOT / f"{entry}{suffix}"
        if path.is_file():
            return path
    return None


def markdown_text(path: Path) -> str:
    """.md 파일의 글, 또는 노트북 Markdown 셀들을 빈 줄로 이은 글."""
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    parts = []
    for cell in cells:
        if cell["cell_type"] == "markdown":
            src = cell["source"]
            parts.append("".join(src) if isinstance(src, list) else src)
    return "\n\n".join(parts)


def prose_lines(text: str) -> list[str]:
    """코드 블록(```python 등) 안의 줄은 빈 줄로 바꾼다. 지시문(```{…})의 본문은 글로 남긴다."""
    out: list[str] = []
    fence: str | None = None
    directives: list[str] = []  # 열린 ```{지시문}: 빈 ```는 코드를 여는 게 아니라 이것을 닫는다
    for line in text.splitlines():
        m = FENCE_RE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = None
            out.append("")
            continue
        if m:
            info = m.group(2).strip()
            if info.startswith("{"):
                directives.append(m.group(1))
                out.append(line)
                continue
            if not info and directives and len(m.group(1)) >= len(directives[-1]):
                directives.pop()
                out.append(line)
                continue
            fence = m.group(1)
            out.append("")
            continue
        out.append(line)
    return out


@dataclass(frozen=True)
class Page:
    entry: str  # 목차의 file 값 (예: book/part1/perceptron)
    path: Path
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Intro:
    page: str
    ko: str
    en: str


@cache
def toc_pages() -> tuple[Page, ...]:
    toc = yaml.safe_load(TOC.read_text(encoding="utf-8")) or {}
    pages = []
    for entry in toc_entries(toc):
        path = source_path(entry)
        if path is not None:
            pages.append(Page(entry, path, tuple(prose_lines(markdown_text(path)))))
    return tuple(pages)


@cache
def glossary() -> tuple[dict[str, Any], ...]:
    return tuple(yaml.safe_load(GLOSSARY.read_text(encoding="utf-8")))


def label_sections(page: Page) -> dict[str, str]:
    """레이블 → 그 레이블이 붙은 절의 글 (제목부터 같은 수준 이하의 다음 제목 전까지)."""
    lines = page.lines
    headings = [(i, len(m.group(1))) for i, line in enumerate(lines) if (m := HEADING_RE.match(line))]
    sections: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = LABEL_RE.match(line)
        if not m:
            continue
        after = [(j, level) for j, level in headings if j > i]
        if not after:
            sections[m.group(1)] = "\n".join(lines[i:])
            continue
        start, level = after[0]
        end = next((j for j, lv in after[1:] if lv <= level), len(lines))
        sections[m.group(1)] = "\n".join(lines[start:end])
    return sections


@cache
def toc_labels() -> dict[str, tuple[str, str]]:
    """목차 페이지의 레이블 → (페이지, 절의 글)."""
    found: dict[str, tuple[str, str]] = {}
    for page in toc_pages():
        for label, text in label_sections(page).items():
            found.setdefault(label, (page.entry, text))
    return found


def find_intros(text: str) -> list[tuple[str, str]]:
    """소개하는 모양을 찾는다. 문단 안의 줄바꿈은 공백으로 보므로 영어 용어가 다음 줄로 넘어가도 찾는다."""
    joined = re.sub(r"(?<!\n)\n(?!\n)", " ", text)
    hits: list[tuple[int, str, str]] = []
    for regex in INTRO_RES:
        hits += [
            (m.start(), " ".join(m.group("ko").split()), " ".join(m.group("en").split()))
            for m in regex.finditer(joined)
        ]
    return [(ko, en) for _, ko, en in sorted(hits)]


@cache
def introductions() -> tuple[Intro, ...]:
    """목차 순서대로 본문에서 용어를 소개하는 곳들."""
    return tuple(Intro(page.entry, ko, en) for page in toc_pages() for ko, en in find_intros(page.text))


def main_english(en: str) -> str:
    """'multilayer perceptron (MLP)' → 'multilayer perceptron' (비교용, 소문자)."""
    return re.sub(r"\s*\(.*?\)\s*", " ", en).split(",")[0].strip().lower()


# --- 검사 도구 자체의 검사 -------------------------------------------------------------------------


def test_find_intros_patterns() -> None:
    text = (
        "**은닉층**(hidden layer)은 보이지 않습니다. **편향(bias)**을 더하고, **가중치** (weight)도 "
        "있습니다. **주의**(!)와 **ReLU**(relu)는 용어 모양이 아닙니다. **평균 제곱 오차**(mean squared error, MSE)"
    )
    assert find_intros(text) == [
        ("은닉층", "hidden layer"),
        ("편향", "bias"),
        ("가중치", "weight"),
        ("평균 제곱 오차", "mean squared error, MSE"),
    ]


def test_find_intros_across_line_break() -> None:
    """영어 용어가 다음 줄로 넘어가도 찾는다 (퍼셉트론 학습 규칙을 놓쳤던 경우)."""
    text = "로젠블랫의 **퍼셉트론 학습 규칙**(perceptron learning\nrule)은 틀린 점에서만 고칩니다.\n\n**가중치**\n\n(weight)"
    assert find_intros(text) == [("퍼셉트론 학습 규칙", "perceptron learning rule")]


def test_prose_lines_keep_text_after_directive_close() -> None:
    text = "```{solution-start} ex\n:class: dropdown\n```\n**편향**(bias)\n```python\nx = 1\n```\n"
    lines = prose_lines(text)
    assert "**편향**(bias)" in lines and "x = 1" not in lines


def test_label_sections_stop_at_same_level() -> None:
    text = "(sec-a)=\n# 제목\n머리\n(sec-a-x)=\n## 가\n가 글\n### 가-1\n깊은 글\n(sec-a-y)=\n## 나\n나 글\n"
    page = Page("p", Path("p.md"), tuple(prose_lines(text)))
    sections = label_sections(page)
    assert "나 글" in sections["sec-a"] and "머리" in sections["sec-a"]
    assert "깊은 글" in sections["sec-a-x"] and "나 글" not in sections["sec-a-x"]
    assert sections["sec-a-y"].startswith("## 나") and "가 글" not in sections["sec-a-y"]


def test_prose_lines_drop_code_but_keep_directives() -> None:
    text = "글\n```python\n# 주석은 제목이 아님\n```\n```{note}\n**편향**(bias)\n```\n"
    lines = prose_lines(text)
    assert "# 주석은 제목이 아님" not in lines and "**편향**(bias)" in lines


def test_toc_pages_found() -> None:
    pages = toc_pages()
    assert len(pages) >= 5, f"목차의 원본 페이지를 찾지 못했습니다: {[p.entry for p in pages]}"
    assert introductions(), "본문에서 용어를 소개하는 곳(**한국어**(English))을 하나도 찾지 못했습니다."


# --- (a) 용어집 → 본문 ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", [e for e in glossary() if e.get("section")], ids=lambda e: e["en"])
def test_glossary_section_exists_and_mentions_term(entry: dict[str, Any]) -> None:
    label = entry["section"]
    labels = toc_labels()
    assert label in labels, (
        f"용어 '{entry['ko']}'의 section '{label}'이 목차(_toc.yml)의 어느 페이지에도 없습니다. "
        "장이 아직 목차에 없으면 null로 두십시오."
    )
    page, text = labels[label]
    assert entry["ko"] in text, f"용어 '{entry['ko']}'가 그 section({label}, {page})의 글에 나오지 않습니다."


@pytest.mark.parametrize("entry", [e for e in glossary() if e.get("section")], ids=lambda e: e["en"])
def test_glossary_section_is_first_introduction(entry: dict[str, Any]) -> None:
    first = next((i for i in introductions() if i.ko == entry["ko"]), None)
    if first is None:
        return  # 굵은 글씨 소개가 없는 용어는 (a)의 위 검사로 충분하다
    labels = toc_labels()
    if entry["section"] not in labels:
        pytest.fail(f"용어 '{entry['ko']}'의 section '{entry['section']}'이 목차에 없습니다.")
    page = labels[entry["section"]][0]
    assert page == first.page, (
        f"용어 '{entry['ko']}'는 {first.page}에서 처음 소개되는데 용어집의 section({entry['section']})은 "
        f"{page}에 있습니다. section을 처음 소개하는 절의 레이블로 바꾸십시오."
    )


# --- (b) 본문 → 용어집 ---------------------------------------------------------------------------


def test_introduced_terms_are_in_glossary() -> None:
    known = {e["ko"] for e in glossary()}
    missing = sorted(
        {
            f"{i.ko}({i.en}) — {i.page}"
            for i in introductions()
            if i.ko not in known and i.ko not in NOT_IN_GLOSSARY
        }
    )
    assert not missing, (
        "본문에서 소개하지만 용어집(book/_data/glossary.yml)에 없는 용어입니다. 용어집에 더하거나, "
        "용어가 아니면 tests/test_glossary_links.py의 NOT_IN_GLOSSARY에 이유와 함께 적으십시오:\n"
        + "\n".join(missing)
    )


def test_not_in_glossary_is_current() -> None:
    """허용 목록이 낡지 않았다: 적힌 말은 실제로 소개되고, 용어집에는 없다."""
    introduced = {i.ko for i in introductions()}
    known = {e["ko"] for e in glossary()}
    stale = sorted(set(NOT_IN_GLOSSARY) - introduced)
    both = sorted(set(NOT_IN_GLOSSARY) & known)
    assert not both, f"NOT_IN_GLOSSARY의 말이 용어집에도 있습니다: {both}"
    assert not stale, (
        f"NOT_IN_GLOSSARY의 말이 본문 어디에서도 소개되지 않습니다(목록에서 지우십시오): {stale}"
    )


def test_glossary_english_matches_introductions() -> None:
    by_ko = {e["ko"]: e for e in glossary()}
    bad = sorted(
        {
            f"{i.ko}: 본문 '{i.en}' ↔ 용어집 '{by_ko[i.ko]['en']}' ({i.page})"
            for i in introductions()
            if i.ko in by_ko and main_english(by_ko[i.ko]["en"]) not in i.en.lower()
        }
    )
    assert not bad, "본문에서 소개한 영어 용어가 용어집의 영어와 다릅니다:\n" + "\n".join(bad)


# --- (c) null인 용어 ------------------------------------------------------------------------------


def test_null_section_terms_are_not_introduced_in_toc() -> None:
    null_terms = {e["ko"] for e in glossary() if not e.get("section")}
    introduced = sorted({f"{i.ko} — {i.page}" for i in introductions() if i.ko in null_terms})
    assert not introduced, (
        "용어집에서 section이 null인데 목차의 페이지가 소개하는 용어입니다. section을 채우십시오:\n"
        + "\n".join(introduced)
    )
