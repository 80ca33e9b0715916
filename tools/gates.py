"""make test의 본체: 모든 검사(게이트)를 차례로 돌리고 게이트마다 한 줄로 요약한다.

하나라도 실패하면 0이 아닌 값으로 끝난다. 실패한 게이트가 있어도 나머지는 계속 돌려서
한 번에 모든 문제를 보여 준다 (단, 책 빌드가 실패하면 브라우저 검사는 실패로 센다).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOGS = ROOT / "_build" / "gates"


@dataclass
class Gate:
    name: str
    what: str
    commands: list[list[str]]
    ok_codes: tuple[int, ...] = (0,)


def tool(name: str) -> str:
    return str(BIN / name)


# 다른 CPU에서도 저장된 출력이 같은지 한 기계에서 확인하려고, 수치 커널을 바꾼 환경에서 노트북을 다시 실행한다.
# AVX-512 기계에서는 기본(AVX-512) · AVX2 · 일반(SSE) 세 경로를, AVX2뿐인 기계에서도 AVX2와 일반 두 경로를 돈다.
# torch(ATen 벡터 커널과 MKL), numpy(자체 SIMD 디스패치), OpenBLAS(numpy의 행렬 곱) 셋을 모두 바꾼다.
# 없는 기능을 끄라는 값은 무시되므로 어느 x86 기계에서나 쓸 수 있다. 자세한 설명: CONTRIBUTING.md "재현성".
_NPY_AVX512 = "X86_V4 AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR"
NUMERIC_VARIANTS: dict[str, dict[str, str]] = {
    "avx2-1thread": {
        "ATEN_CPU_CAPABILITY": "avx2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_CORETYPE": "Haswell",
        "OPENBLAS_NUM_THREADS": "1",
        "NPY_DISABLE_CPU_FEATURES": _NPY_AVX512,
    },
    "generic-allthreads": {
        "ATEN_CPU_CAPABILITY": "default",
        "MKL_CBWR": "COMPATIBLE",
        "OPENBLAS_CORETYPE": "Nehalem",
        "OPENBLAS_NUM_THREADS": str(os.cpu_count() or 2),
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 AVX AVX2 FMA3 F16C " + _NPY_AVX512,
    },
}


def nbval_command(py: str, workers: str) -> list[str]:
    return [
        py,
        "-m",
        "pytest",
        "-q",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        "tests/nbval_sanitize.cfg",
        "-n",
        workers,
        "--dist",
        "loadscope",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "book",
    ]


def gates() -> list[Gate]:
    py = sys.executable
    workers = os.environ.get("GATE_WORKERS", "2")
    return [
        Gate(
            "lint",
            "ruff check / ruff format --check (파이썬과 노트북), mypy (d2lutil)",
            [
                [tool("ruff"), "check", "."],
                [tool("ruff"), "format", "--check", "."],
                [tool("mypy"), "d2lutil"],
            ],
        ),
        Gate(
            "unit",
            "d2lutil 단위·속성 테스트와 책의 숫자 (커버리지 95% 이상), 놀이터 JS 엔진 (node --test)",
            [
                [
                    py,
                    "-m",
                    "pytest",
                    "tests",
                    "-q",
                    "-m",
                    "not browser",
                    "--ignore=tests/test_notebooks_static.py",
                    "--ignore=tests/test_text_lint.py",
                    "-n",
                    workers,
                    "--cov=d2lutil",
                    "--cov-report=term-missing:skip-covered",
                    "--cov-fail-under=95",
                ],
                ["node", "--test", "tests/js/"],  # 놀이터의 자바스크립트 엔진 (book/_static/playground)
            ],
        ),
        Gate(
            "static",
            "노트북 정적 검사, 굵은 글씨·용어집 린트",
            [[py, "-m", "pytest", "-q", "tests/test_notebooks_static.py", "tests/test_text_lint.py"]],
        ),
        Gate(
            "nbval",
            "모든 노트북을 다시 실행해 저장된 출력과 비교 (nbval)",
            [nbval_command(py, workers)],
        ),
        Gate(
            "nbval-cpu",
            "다른 수치 커널(AVX2·일반 SSE, 스레드 1개·전부)에서도 저장된 출력이 같은지 (nbval)",
            [
                ["env", *(f"{k}={v}" for k, v in env.items()), *nbval_command(py, workers)]
                for env in NUMERIC_VARIANTS.values()
            ],
        ),
        Gate(
            "build",
            "jupyter-book build -W -n --keep-going (경고는 오류)",
            [[tool("jupyter-book"), "build", ".", "-W", "-n", "--keep-going", "--all"]],
        ),
        Gate(
            "browser",
            "헤드리스 Chromium: 콘솔 오류, 한글 글꼴, 수식, 대체 텍스트, 한국어 검색, 어두운 테마",
            [
                [py, "tests/find_browser.py"],
                # 파일마다 다른 프로세스에서 돌린다: Playwright 동기 API는 한 프로세스에 하나만 띄울 수 있다.
                [py, "-m", "pytest", "-q", "-m", "browser", "tests/test_browser.py"],
                [py, "-m", "pytest", "-q", "-m", "browser", "tests/test_release.py", "tests/test_links.py"],
                [py, "-m", "pytest", "-q", "-s", "-m", "browser", "tests/test_browser_playground.py"],
            ],
        ),
    ]


def run_gate(gate: Gate) -> tuple[bool, float, Path]:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{gate.name}.log"
    start = time.perf_counter()
    ok = True
    with log.open("w", encoding="utf-8") as fh:
        for cmd in gate.commands:
            fh.write("$ " + " ".join(cmd) + "\n")
            fh.flush()
            proc = subprocess.Popen(
                cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                fh.write(line)
                sys.stdout.write(f"  [{gate.name}] {line}")
            code = proc.wait()
            # pytest의 5는 '테스트가 하나도 없음': 게이트가 아무것도 검사하지 않았다면 실패다.
            if code not in gate.ok_codes:
                fh.write(f"[exit {code}]\n")
                ok = False
                break
    return ok, time.perf_counter() - start, log


def main() -> int:
    # MPLBACKEND는 정하지 않는다: nbval의 커널이 물려받으면 inline 그림이 사라져 출력이 달라진다.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    only = set(sys.argv[1:])
    results: list[tuple[Gate, bool, float, Path]] = []
    for gate in gates():
        if only and gate.name not in only:
            continue
        print(f"==> {gate.name}: {gate.what}", flush=True)
        if gate.name == "browser" and any(g.name == "build" and not ok for g, ok, _, _ in results):
            print("  [browser] 책 빌드가 실패해서 브라우저 검사를 할 수 없습니다 → 실패로 셉니다.")
            results.append((gate, False, 0.0, LOGS / "build.log"))
            continue
        ok, secs, log = run_gate(gate)
        results.append((gate, ok, secs, log))
    print("\n게이트 요약 (gate summary)")
    for gate, ok, secs, log in results:
        mark = "통과 PASS" if ok else "실패 FAIL"
        print(f"  {gate.name:<8} {mark}  {secs:7.1f} s   {gate.what}   (기록: {log.relative_to(ROOT)})")
    passed = sum(ok for _, ok, _, _ in results)
    failed = len(results) - passed
    total = sum(s for _, _, s, _ in results)
    print(f"  총 {total:.1f} s")
    print(f"gates: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
