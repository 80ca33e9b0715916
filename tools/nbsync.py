"""장 노트북(book/**/*.ipynb)과 그 글 형태(text/**/*.md, jupytext MyST Markdown)를 맞춘다. 실행: make sync

짝은 jupytext.toml에 적혀 있다: book/<부>/<이름>.ipynb ↔ text/<부>/<이름>.md. 책을 빌드하고 nbval이 검사하는
것은 출력이 저장된 .ipynb이고, 글 형태는 diff를 읽고 글을 고치기 위한 것이다(text/는 _config.yml에서 뺐다).

    python tools/nbsync.py                   # .ipynb → .md (기본). 노트북에서 글 형태를 다시 만든다
    python tools/nbsync.py --from-text PATH  # .md → .ipynb. 바뀌지 않은 셀의 출력은 그대로 둔다
                                             # (고친 셀에는 옛 출력이 남을 수 있으니 tools/execute.py로 다시 실행)
    python tools/nbsync.py --check           # 짝이 맞지 않는 파일을 모두 적고 1로 끝난다

PATH는 어느 쪽 파일이든 된다. 주지 않으면 모든 짝을 다룬다. 기본 방향은 파일 시각을 보지 않으므로
언제 돌려도 결과가 같다 (jupytext --sync는 더 최근에 고친 쪽을 따른다).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs

ROOT = Path(__file__).resolve().parents[1]
TEXT_FORMAT = "md:myst"


def book_dir(root: Path) -> Path:
    return root / "book"


def text_dir(root: Path) -> Path:
    return root / "text"


def _is_page(path: Path, base: Path) -> bool:
    """book/_static 같은 _ 폴더와 체크포인트(.ipynb_checkpoints) 안의 파일은 장이 아니다."""
    return not any(part.startswith(("_", ".")) for part in path.relative_to(base).parts[:-1])


def text_path(notebook: Path, root: Path = ROOT) -> Path:
    return text_dir(root) / notebook.relative_to(book_dir(root)).with_suffix(".md")


def notebook_path(text: Path, root: Path = ROOT) -> Path:
    return book_dir(root) / text.relative_to(text_dir(root)).with_suffix(".ipynb")


def all_pairs(root: Path = ROOT) -> list[tuple[Path, Path]]:
    """(노트북, 글 형태) 짝 전부. 한쪽만 있는 것도 넣는다."""
    book, text = book_dir(root), text_dir(root)
    notebooks = {p for p in book.rglob("*.ipynb") if _is_page(p, book)}
    notebooks |= {notebook_path(p, root) for p in text.rglob("*.md") if _is_page(p, text)}
    return [(nb, text_path(nb, root)) for nb in sorted(notebooks)]


def pair_of(path: Path, root: Path = ROOT) -> tuple[Path, Path]:
    path = path.resolve()
    if path.suffix == ".ipynb" and path.is_relative_to(book_dir(root)):
        return path, text_path(path, root)
    if path.suffix == ".md" and path.is_relative_to(text_dir(root)):
        return notebook_path(path, root), path
    raise SystemExit(f"짝을 찾을 수 없는 파일입니다: {path} (book/의 .ipynb나 text/의 .md를 주십시오)")


def to_text(notebook: Path) -> str:
    """노트북의 글 형태(MyST Markdown). 출력과 실행 번호는 들어가지 않는다."""
    return jupytext.writes(nbformat.read(notebook, as_version=4), fmt=TEXT_FORMAT)


def from_text(text: Path, notebook: Path) -> str:
    """글 형태를 노트북 JSON으로. 노트북이 있으면 내용이 같은 셀의 출력·실행 번호·id를 그대로 가져온다."""
    new = jupytext.read(text, fmt=TEXT_FORMAT)
    if notebook.exists():
        old = nbformat.read(notebook, as_version=4)
        new = combine_inputs_with_outputs(new, old, fmt=TEXT_FORMAT)
        if "jupytext" not in old.metadata:  # jupytext가 읽으며 더한 메타데이터는 노트북에 남기지 않는다
            new.metadata.pop("jupytext", None)
    else:
        new.metadata.pop("jupytext", None)
    return nbformat.writes(new) + "\n"  # Jupyter와 nbformat.write가 저장하는 모양 그대로 (끝에 줄바꿈)


def _write_if_changed(path: Path, content: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return True


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def out_of_sync(pairs: list[tuple[Path, Path]], root: Path = ROOT) -> list[str]:
    """짝이 맞지 않는 파일마다 한 줄씩 이유를 돌려준다 (빈 목록이면 모두 맞음)."""
    problems = []
    for notebook, text in pairs:
        nb, md = _rel(notebook, root), _rel(text, root)
        if not notebook.exists():
            problems.append(f"노트북 없음: {md}의 짝 {nb} (--from-text로 만듭니다)")
        elif not text.exists():
            problems.append(f"글 형태 없음: {nb}의 짝 {md} (make sync로 만듭니다)")
        elif text.read_text(encoding="utf-8") != to_text(notebook):
            problems.append(f"내용이 다름: {nb} ↔ {md}")
    return problems


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description="장 노트북과 글 형태(text/*.md)를 맞춥니다.")
    parser.add_argument("paths", nargs="*", type=Path, help="다룰 파일 (.ipynb나 .md, 기본: 모두)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--from-text", action="store_true", help="글 형태의 고친 내용을 노트북에 옮깁니다")
    mode.add_argument("--check", action="store_true", help="고치지 않고, 짝이 맞지 않으면 1로 끝냅니다")
    args = parser.parse_args(argv)
    pairs = [pair_of(p, root) for p in args.paths] if args.paths else all_pairs(root)

    if args.check:
        problems = out_of_sync(pairs, root)
        for line in problems:
            print(line)
        if problems:
            print(
                f"짝이 맞지 않는 노트북 {len(problems)}개: make sync (노트북 → 글) 또는 "
                "python tools/nbsync.py --from-text 파일.md (글 → 노트북)",
                file=sys.stderr,
            )
            return 1
        print(f"노트북과 글 형태 {len(pairs)}쌍이 모두 맞습니다.")
        return 0

    missing = []
    for notebook, text in pairs:
        if args.from_text:
            if not text.exists():
                missing.append(f"글 형태 없음: {_rel(text, root)}")
            elif _write_if_changed(notebook, from_text(text, notebook)):
                print(f"고침: {_rel(notebook, root)} (바뀐 셀은 tools/execute.py로 다시 실행하십시오)")
        elif not notebook.exists():
            missing.append(f"노트북 없음: {_rel(text, root)}의 짝 (--from-text로 만듭니다)")
        elif _write_if_changed(text, to_text(notebook)):
            print(f"고침: {_rel(text, root)}")
    for line in missing:
        print(line, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
