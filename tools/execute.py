"""노트북을 처음부터 다시 실행해 출력을 제자리에 저장한다 (make execute).

각 노트북은 자기 폴더를 작업 디렉터리로 삼아 새 커널에서 실행된다. 노트북이 첫 셀에서
``d2lutil.seed_everything(0)``을 부르므로 다시 실행해도 같은 출력이 나온다.
셀이 예외를 내면(``raises-exception`` 태그가 없는 한) 노트북 이름과 셀 번호를 알리고 멈춘다.
실행 시간은 ``_build/execution.json``에 적는다 (상태 페이지가 쓴다).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = Path(__file__).resolve().parents[1]
# 저장할 출력에는 살아 있는 위젯의 보기(model_id)를 남기지 않는다: 다시 열면 "model not found"가 나기 때문이다.
# 데모는 이 변수를 보고 정적 형태(커널 없는 HTML과 PNG)만 출력한다 (d2lutil.widgets.STATIC_ENV).
os.environ["D2L_STATIC_DEMOS"] = "1"


def execute(path: Path, timeout: int = 300) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellTimeoutError:
        print(
            f"\n[실행 실패] {path.relative_to(ROOT)}: 한 셀이 {timeout}초 안에 끝나지 않았습니다.",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    except CellExecutionError as exc:  # 노트북을 덮어쓰지 않고 멈춘다
        index = next(
            (
                i
                for i, c in enumerate(nb.cells)
                if c.get("outputs") and any(o.get("output_type") == "error" for o in c.outputs)
            ),
            None,
        )
        where = f"셀 {index + 1}번" if index is not None else "어느 셀"
        print(
            f"\n[실행 실패] {path.relative_to(ROOT)}의 {where}에서 오류가 났습니다:\n{str(exc)[-1500:]}",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    elapsed = time.perf_counter() - start
    # 위젯 보기를 남기지 않았으므로 예전 실행이 남긴 위젯 상태도 지운다
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "book").rglob("*.ipynb"))
    timings: dict[str, float] = {}
    for path in paths:
        if ".ipynb_checkpoints" in path.parts:
            continue
        secs = execute(path)
        rel = str(path.relative_to(ROOT))
        timings[rel] = round(secs, 2)
        print(f"{secs:6.1f} s  {rel}", flush=True)
    out = ROOT / "_build" / "execution.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(out.read_text()) if out.exists() else {}
    old.update(timings)
    out.write_text(json.dumps(old, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
