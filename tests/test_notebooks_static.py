"""저장된 노트북(book/**/*.ipynb)과 목차(_toc.yml)를 실행 없이 검사한다.

노트북마다 따로 매개변수화하므로 실패하면 테스트 이름에 파일이 나온다.
- 모든 코드 셀이 순서대로 실행되었다 (실행 번호 1…n, 빠짐·None 없음, 빈 코드 셀 없음).
- 오류 출력은 ``raises-exception`` 태그가 붙은 셀에만 있다.
- 커널 이름은 ``python3``이다.
- 출력에 글쓴이 컴퓨터의 경로(/work/, /root/, /home/, C:\\Users)가 없다.
- 출력 하나가 1 MB를 넘지 않는다.
- 출력에 글꼴 경고("Glyph … missing", "findfont")가 없다.
- book/ 아래의 모든 노트북과 .md 페이지(book/_*/ 폴더 제외)가 _toc.yml에 있고, 목차의 모든 항목이 있다.
- 노트북마다 글 형태(text/<부>/<이름>.md, jupytext MyST)가 있고 노트북과 맞는다 (tools/nbsync.py --check).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
TOC = ROOT / "_toc.yml"

MAX_OUTPUT_BYTES = 1_000_000
LOCAL_PATH_RE = re.compile(r"/work/|/root/|/home/|[A-Za-z]:\\\\?Users", re.IGNORECASE)
FONT_WARNING_RE = re.compile(r"Glyph \d+.*?missing|findfont", re.IGNORECASE | re.DOTALL)
TEXT_MIME_SKIP = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _is_private(path: Path) -> bool:
    """book/_static, book/_ext 같은 book/_*/ 폴더, _build, 체크포인트 폴더는 책 페이지가 아니다."""
    rel = path.relative_to(BOOK).parts
    return any(part.startswith("_") or part == ".ipynb_checkpoints" for part in rel[:-1])


def book_files(suffix: str) -> list[Path]:
    return sorted(p for p in BOOK.rglob(f"*{suffix}") if not _is_private(p))


NOTEBOOKS = book_files(".ipynb")
NB_IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def output_texts(output: dict[str, Any]) -> Iterator[str]:
    """출력 하나에서 사람이 읽는 글(스트림, text/*, 오류 추적)을 꺼낸다. 그림 데이터는 건너뛴다."""
    if "text" in output:
        yield _join(output["text"])
    for mime, value in output.get("data", {}).items():
        if mime in TEXT_MIME_SKIP:
            continue
        yield (
            value
            if isinstance(value, str)
            else _join(value)
            if isinstance(value, list)
            else json.dumps(value)
        )
    if output.get("output_type") == "error":
        yield "\n".join(output.get("traceback", []))
        yield f"{output.get('ename', '')}: {output.get('evalue', '')}"


def _join(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _cell_name(index: int, cell: dict[str, Any]) -> str:
    first = _source(cell).strip().splitlines()[:1]
    return f"코드 셀 {index}({first[0][:40] if first else '빈 셀'})"


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "book/ 아래에 노트북이 하나도 없습니다."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_executed_in_order(path: Path) -> None:
    cells = code_cells(load(path))
    assert cells, f"{path.name}: 코드 셀이 없습니다."
    empty = [i for i, c in enumerate(cells, 1) if not _source(c).strip()]
    assert not empty, f"{path.name}: 빈 코드 셀이 있습니다 (코드 셀 번호 {empty}). 지우십시오."
    counts = [c.get("execution_count") for c in cells]
    expected = list(range(1, len(cells) + 1))
    assert counts == expected, (
        f"{path.name}: 실행 번호가 1…{len(cells)}이 아닙니다: {counts}. "
        "커널을 새로 시작해 처음부터 끝까지 실행한 뒤 저장하십시오 (make execute)."
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_no_unexpected_errors(path: Path) -> None:
    bad = []
    for i, cell in enumerate(code_cells(load(path)), 1):
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and "raises-exception" not in tags:
                bad.append(f"{_cell_name(i, cell)}: {out.get('ename')}: {out.get('evalue')}")
    assert not bad, f"{path.name}: raises-exception 태그 없이 오류가 저장되었습니다: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_kernelspec(path: Path) -> None:
    spec = load(path).get("metadata", {}).get("kernelspec", {})
    assert spec.get("name") == "python3", f"{path.name}: 커널 이름이 python3이 아닙니다: {spec.get('name')!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_no_local_paths_in_outputs(path: Path) -> None:
    bad = []
    for i, cell in enumerate(code_cells(load(path)), 1):
        for out in cell.get("outputs", []):
            for text in output_texts(out):
                m = LOCAL_PATH_RE.search(text)
                if m:
                    snippet = text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
                    bad.append(f"{_cell_name(i, cell)}: …{snippet}…")
    assert not bad, f"{path.name}: 출력에 이 컴퓨터의 경로가 있습니다: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_output_size(path: Path) -> None:
    bad = []
    for i, cell in enumerate(code_cells(load(path)), 1):
        for out in cell.get("outputs", []):
            size = len(json.dumps(out, ensure_ascii=False).encode("utf-8"))
            if size > MAX_OUTPUT_BYTES:
                bad.append(f"{_cell_name(i, cell)}: {size:,} 바이트")
    assert not bad, f"{path.name}: {MAX_OUTPUT_BYTES:,} 바이트를 넘는 출력이 있습니다: {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_no_font_warnings(path: Path) -> None:
    bad = []
    for i, cell in enumerate(code_cells(load(path)), 1):
        for out in cell.get("outputs", []):
            for text in output_texts(out):
                m = FONT_WARNING_RE.search(text)
                if m:
                    bad.append(f"{_cell_name(i, cell)}: {m.group(0)[:80]!r}")
    assert not bad, (
        f"{path.name}: 출력에 글꼴 경고가 있습니다 (d2lutil.use_korean_font()를 불렀는지 확인하십시오): {bad}"
    )


# --- 목차 ----------------------------------------------------------------------------------------


def toc_entries(toc: dict[str, Any]) -> list[str]:
    """_toc.yml(jb-book 형식)의 모든 file 항목(확장자 없음)을 순서대로 돌려준다."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(str(node["file"]))
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    if "root" in toc:
        found.append(str(toc["root"]))
    walk(toc)
    return found


def _stem(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix()


def test_toc_entries_exist() -> None:
    entries = toc_entries(yaml.safe_load(TOC.read_text(encoding="utf-8")))
    assert entries, "_toc.yml에 항목이 없습니다."
    missing = [
        e
        for e in entries
        if not any((ROOT / (e.removesuffix(s) + s)).is_file() for s in (".md", ".ipynb"))
        and not (ROOT / e).is_file()
    ]
    assert not missing, f"_toc.yml에 있지만 파일이 없는 항목: {missing}"


def test_every_page_is_in_toc() -> None:
    entries = {
        str(Path(e).with_suffix("")) if e.endswith((".md", ".ipynb")) else e
        for e in toc_entries(yaml.safe_load(TOC.read_text(encoding="utf-8")))
    }
    pages = book_files(".md") + book_files(".ipynb")
    orphans = [str(p.relative_to(ROOT)) for p in pages if _stem(p) not in entries]
    assert not orphans, f"_toc.yml에 없는 페이지(빌드에서 빠집니다): {orphans}"


def test_toc_walker_finds_nested_entries() -> None:
    """목차 읽기가 parts/chapters/sections를 모두 따라가는지 (이 검사가 헛돌지 않도록)."""
    toc = {
        "root": "book/intro",
        "parts": [
            {"caption": "1부", "chapters": [{"file": "a", "sections": [{"file": "a/b"}]}]},
            {"chapters": [{"file": "c.ipynb"}, {"url": "https://example.com"}]},
        ],
    }
    assert toc_entries(toc) == ["book/intro", "a", "a/b", "c.ipynb"]


def test_output_scanners_catch_planted_problems() -> None:
    """경로·글꼴 경고 검사가 실제로 걸러 내는지 심어 둔 예로 확인한다."""
    path_out = {"output_type": "stream", "name": "stdout", "text": ["저장: /work/main/x.npy\n"]}
    font_out = {
        "output_type": "stream",
        "name": "stderr",
        "text": "UserWarning: Glyph 54617 (\\N{HANGUL SYLLABLE HAG}) missing from font(s) DejaVu Sans.",
    }
    win_out = {"output_type": "execute_result", "data": {"text/plain": "'C:\\\\Users\\\\me\\\\a.csv'"}}
    assert any(LOCAL_PATH_RE.search(t) for t in output_texts(path_out))
    assert any(LOCAL_PATH_RE.search(t) for t in output_texts(win_out))
    assert any(FONT_WARNING_RE.search(t) for t in output_texts(font_out))
    ok = {"output_type": "stream", "name": "stdout", "text": "기울기: 0.25\n"}
    assert not any(LOCAL_PATH_RE.search(t) or FONT_WARNING_RE.search(t) for t in output_texts(ok))
    # 그림 데이터(base64)는 검사하지 않는다
    img = {"output_type": "display_data", "data": {"image/png": "L3dvcmsv/work/"}}
    assert not any(LOCAL_PATH_RE.search(t) for t in output_texts(img))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_colab_setup_cell_is_folded(path: Path) -> None:
    """첫 코드 셀(Colab 설치와 import)은 HTML에서 접힌 한 줄("코드 보기")로만 보입니다. Colab에서는 그대로 실행됩니다.

    이 셀이 학습 목표보다 먼저 펼쳐져 있으면 모든 장이 설치 코드로 시작하는 것처럼 보입니다.
    """
    first = code_cells(load(path))[0]
    tags = first.get("metadata", {}).get("tags", [])
    assert 'if "google.colab" in sys.modules:' in _source(first), "첫 코드 셀에 Colab 설치 분기가 없습니다."
    assert "hide-input" in tags or "remove-input" in tags, f"첫 코드 셀에 hide-input 태그가 없습니다: {tags}"


def _load_nbsync():
    spec = importlib.util.spec_from_file_location("nbsync_tool", ROOT / "tools" / "nbsync.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nbsync = _load_nbsync()
PAIRS = nbsync.all_pairs(ROOT)


def test_every_notebook_has_a_text_form() -> None:
    assert [nb for nb, _ in PAIRS] == NOTEBOOKS, "text/에 짝 노트북이 없는 글 형태가 있습니다"
    assert all(text.exists() for _, text in PAIRS), "글 형태가 없는 노트북이 있습니다: make sync"


@pytest.mark.parametrize("pair", PAIRS, ids=[str(nb.relative_to(ROOT)) for nb, _ in PAIRS])
def test_text_form_in_sync(pair: tuple[Path, Path]) -> None:
    """글 형태는 노트북에서 만든 그대로이고, 글 형태를 노트북에 되돌려도 노트북이 한 바이트도 바뀌지 않는다."""
    notebook, text = pair
    assert nbsync.out_of_sync([pair], ROOT) == [], "노트북과 글 형태가 다릅니다: make sync"
    assert nbsync.from_text(text, notebook) == notebook.read_text(encoding="utf-8")


def test_sync_check_reports_a_changed_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """임시 사본에서 노트북 셀 하나를 고치면 --check가 그 짝을 적고 1로 끝난다."""
    for notebook, text in PAIRS[:2]:
        for src in (notebook, text):
            dst = tmp_path / src.relative_to(ROOT)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    assert nbsync.main(["--check"], root=tmp_path) == 0
    changed = tmp_path / PAIRS[1][0].relative_to(ROOT)
    nb = json.loads(changed.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = ["# 고친 제목\n"]
    changed.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (tmp_path / PAIRS[0][1].relative_to(ROOT)).unlink()
    capsys.readouterr()
    assert nbsync.main(["--check"], root=tmp_path) == 1
    out = capsys.readouterr().out
    assert f"내용이 다름: {PAIRS[1][0].relative_to(ROOT)}" in out
    assert f"글 형태 없음: {PAIRS[0][0].relative_to(ROOT)}" in out
    assert nbsync.main([], root=tmp_path) == 0  # make sync가 고치면 다시 맞는다
    assert nbsync.main(["--check"], root=tmp_path) == 0


def test_text_folder_is_not_a_book_source() -> None:
    """Sphinx가 한 문서의 원본을 둘(book/x.ipynb, text/x.md) 보지 않도록 text/는 빌드에서 뺀다."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "text" in config["exclude_patterns"]
    assert not any(entry.startswith("text/") for entry in toc_entries(yaml.safe_load(TOC.read_text())))
