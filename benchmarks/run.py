"""make bench: 독자가 기다리는 시간을 잰다. 표를 출력하고 benchmarks/results.json에 적는다.

잰 것
* 노트북마다 차가운(cold) 실행 시간 (새 커널, nbclient)
* 책 빌드 시간: 처음부터(cold) / 바뀐 것 없이 다시(warm)
* 데모마다 update + 그리기(render) + PNG 압축(encode)의 중앙값·p95 (살아 있는 위젯과 같은 길, 격자 위 30번)
* JupyterLab에서 잰 키 입력 → 새 그림 시간 (tests/test_jupyterlab.py가 _build/jupyterlab_latency.json에 적은 값)
* d2lutil 성능: import 시간, 스칼라 자동 미분 한 걸음, numpy MLP 한 에포크 대 torch
* 최대 메모리 (이 프로세스와 자식 프로세스의 최대 RSS)

``--quick``을 주면 책 빌드를 건너뛴다. 결과로 상태 페이지(book/appendix/status.md)를 만든다.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def bench_notebooks() -> dict[str, dict[str, Any]]:
    import nbformat
    from nbclient import NotebookClient

    out: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "book").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        start = time.perf_counter()
        ok = True
        error = ""
        try:
            client.execute()
        except Exception as exc:  # 상태 페이지에 실패로 적는다
            ok = False
            error = type(exc).__name__
        secs = time.perf_counter() - start
        rel = str(path.relative_to(ROOT))
        out[rel] = {"seconds": round(secs, 2), "passed": ok, "error": error}
        print(f"  노트북 {rel:<42} {secs:6.1f} s  {'통과' if ok else '실패 ' + error}", flush=True)
    return out


def bench_build() -> dict[str, float]:
    jb = str(Path(sys.executable).parent / "jupyter-book")
    times: dict[str, float] = {}
    for label, args in (("cold", ["--all"]), ("warm", [])):
        start = time.perf_counter()
        subprocess.run([jb, "build", ".", *args], cwd=ROOT, check=True, capture_output=True)
        times[label] = round(time.perf_counter() - start, 1)
        print(f"  책 빌드 ({label}) {times[label]:6.1f} s", flush=True)
    return times


#: 값을 바꾸면 다시 학습하는 매개변수 (슬라이더 끌기 시간에서 뺀다: 목표가 다르다)
TRAINING_PARAMS: dict[str, frozenset[str]] = {
    "PlaygroundDemo": frozenset(
        {"dataset", "layers", "units", "activation", "lr", "batch_size", "weight_decay"}
    ),
}


def _live_frame_ms(demo: Any, params: dict[str, Any]) -> tuple[float, float, float, float]:
    """update, 그리기, 압축, CPU 시간(ms): 살아 있는 위젯과 같은 길이되 PNG 캐시는 쓰지 않는다."""
    from d2lutil.widgets import encode_png

    c0 = time.process_time()
    t0 = time.perf_counter()
    demo.update(**params)
    t1 = time.perf_counter()
    base = demo.fig.dpi
    demo.fig.set_dpi(demo.dpi * demo.live_scale)
    try:
        rgba = demo._draw_live()
        t2 = time.perf_counter()
        encode_png(rgba)
    finally:
        demo.fig.set_dpi(base)
    t3 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (time.process_time() - c0) * 1000


def _drag_values(p: Any, n: int) -> list[Any]:
    """슬라이더를 기본값에서 한 칸씩 n번 움직인 값들 (끝에 닿으면 되돌아온다). 로그 슬라이더는 지수로 한 칸."""
    import math

    values, v, sign = [], p.default, 1
    for _ in range(n):
        if getattr(p, "log", False):
            nxt = 10 ** (math.log10(v) + sign * p.step)
        else:
            nxt = v + sign * p.step
        if not p.min <= nxt <= p.max:
            sign = -sign
            nxt = 10 ** (math.log10(v) + sign * p.step) if getattr(p, "log", False) else v + sign * p.step
        v = type(p.default)(round(nxt, 12)) if isinstance(p.default, float) else int(nxt)
        values.append(v)
    return values


def bench_drags(demo: Any, presses: int = 20) -> dict[str, dict[str, float]]:
    """슬라이더마다 기본값에서 한 칸씩 presses번 움직일 때의 update + 그리기 + 압축 (중앙값, p95).

    독자가 슬라이더 하나를 키보드나 마우스로 끄는 경우다. 격자 순회(여러 값이 한꺼번에 바뀐다)보다 이쪽이
    JupyterLab에서 잰 키 입력 → 새 그림 시간에 가깝다.
    """
    from d2lutil.widgets import ChoiceParam

    skip = TRAINING_PARAMS.get(type(demo).__name__, frozenset())
    out: dict[str, dict[str, float]] = {}
    for p in demo.params:
        if isinstance(p, ChoiceParam) or p.name in skip:
            continue
        demo.update(**demo.defaults())
        for _ in range(2):  # 배경 만들기
            _live_frame_ms(demo, {})
            _live_frame_ms(demo, {p.name: _drag_values(p, 1)[0]})
        demo.update(**demo.defaults())
        _live_frame_ms(demo, {})
        totals = [sum(_live_frame_ms(demo, {p.name: v})[:3]) for v in _drag_values(p, presses)]
        out[p.name] = {
            "median_ms": round(statistics.median(totals), 2),
            "p95_ms": round(percentile(totals, 95), 2),
        }
    demo.update(**demo.defaults())
    return out


def bench_demos(calls: int = 30) -> dict[str, dict[str, Any]]:
    """데모마다 독자가 기다리는 커널 쪽 시간: update, 그리기(render), PNG 압축(encode)과 그 합.

    살아 있는 위젯과 같은 길(``Demo.render_live``: 2배 해상도, 바뀐 아티스트만 다시 그리기)로 잰다.
    격자 위의 값을 차례로 넣되 처음 두 번(배경을 만드는 준비)은 세지 않는다. 벽시계 시간이다.
    ``render_live``의 PNG 캐시(같은 값을 다시 보면 그리지 않는다)는 쓰지 않으므로 처음 보는 값의 시간이다.
    ``drag``는 슬라이더 하나를 한 칸씩 끄는 경우의 시간이다(:func:`bench_drags`).
    """
    import d2lutil
    from d2lutil.demos import all_demos

    d2lutil.use_korean_font()
    out: dict[str, dict[str, Any]] = {}
    for cls in all_demos():
        demo = cls()
        grid = demo.grid()
        update_ms: list[float] = []
        render_ms: list[float] = []
        encode_ms: list[float] = []
        total_ms: list[float] = []
        cpu_ms: list[float] = []
        for i in range(calls + 2):
            u, r, e, c = _live_frame_ms(demo, grid[i % len(grid)])
            if i < 2:
                continue
            cpu_ms.append(c)
            update_ms.append(u)
            render_ms.append(r)
            encode_ms.append(e)
            total_ms.append(u + r + e)
        html_kb = len(demo.kernel_free_html().encode()) / 1000
        name = f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}"
        out[name] = {
            "update_median_ms": round(statistics.median(update_ms), 2),
            "update_p95_ms": round(percentile(update_ms, 95), 2),
            "render_median_ms": round(statistics.median(render_ms), 2),
            "encode_median_ms": round(statistics.median(encode_ms), 2),
            "total_median_ms": round(statistics.median(total_ms), 2),
            "total_p95_ms": round(percentile(total_ms, 95), 2),
            # CPU 시간: 기계를 여럿이 나눠 쓸 때 벽시계 시간보다 덜 흔들린다
            "cpu_median_ms": round(statistics.median(cpu_ms), 2),
            "cpu_p95_ms": round(percentile(cpu_ms, 95), 2),
            "kernel_free_kb": round(html_kb, 1),
            "frames": len(grid),
            "drag": bench_drags(demo),
        }
        r = out[name]
        print(
            f"  데모 {name:<40} update {r['update_median_ms']:6.2f}  render {r['render_median_ms']:6.1f}"
            f"  encode {r['encode_median_ms']:5.1f}  합 중앙값 {r['total_median_ms']:6.1f} ms  p95 {r['total_p95_ms']:6.1f} ms"
            f"  (CPU {r['cpu_median_ms']:5.1f} / {r['cpu_p95_ms']:5.1f})"
            f"  커널 없는 형태 {r['kernel_free_kb']:6.1f} KB",
            flush=True,
        )
        for pname, d in r["drag"].items():
            print(
                f"      슬라이더 {pname:<14} 끌기 중앙값 {d['median_ms']:6.1f} ms  p95 {d['p95_ms']:6.1f} ms",
                flush=True,
            )
    return out


def browser_latency() -> dict[str, Any]:
    """tests/test_jupyterlab.py가 JupyterLab에서 잰 키 입력 → 새 그림 시간 (있으면)."""
    path = ROOT / "_build" / "jupyterlab_latency.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def bench_library() -> dict[str, Any]:
    out: dict[str, Any] = {}
    code = "import time; t=time.perf_counter(); import d2lutil; print(time.perf_counter()-t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    ]
    out["import_d2lutil_s"] = round(statistics.median(runs), 3)
    print(f"  import d2lutil 중앙값 {out['import_d2lutil_s']:.3f} s", flush=True)
    try:
        from benchmarks import library as lib
    except ImportError:
        return out
    out.update(lib.run())
    return out


def bench_import_lightning(runs: int = 5) -> dict[str, float]:
    """3.6절이 쓰는 ``import lightning``의 시간. 새 파이썬 프로세스에서 runs번 재어 중앙값(torch 포함)과 torch만의 중앙값."""

    def median_import(module: str) -> float:
        code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
        times = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(runs)
        ]
        return round(statistics.median(times), 2)

    out = {"import_lightning_s": median_import("lightning"), "import_torch_s": median_import("torch")}
    print(
        f"  import lightning 중앙값 {out['import_lightning_s']:.2f} s (그 가운데 torch {out['import_torch_s']:.2f} s)",
        flush=True,
    )
    return out


def write_status(results: dict[str, Any]) -> None:
    """상태 페이지 book/appendix/status.md를 새로 쓴다 (QuantEcon의 실행 상태 표처럼)."""
    m = results["machine"]
    lines = [
        "(sec-status)=",
        "# 실행 상태",
        "",
        "노트북마다 새 커널에서 처음부터 실행한 시간과 성공 여부입니다. `make bench`가 이 페이지를 만듭니다.",
        "시간은 아래 기계에서 한 번 잰 값이므로 여러분의 컴퓨터에서는 다를 수 있습니다.",
        "",
        f"- 잰 때: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- 기계: CPU {m['cpus']}개, 파이썬 {m['python']}",
        "",
        "| 노트북 | 실행 시간 (초) | 결과 |",
        "|---|---:|---|",
    ]
    for rel, r in results.get("notebooks", {}).items():
        doc = rel.removesuffix(".ipynb")
        mark = "통과" if r["passed"] else f"실패 ({r['error']})"
        lines.append(f"| {{doc}}`/{doc}` | {r['seconds']:.1f} | {mark} |")
    demos = results.get("demos", {})
    if demos:
        lines += [
            "",
            "## 데모의 반응 시간",
            "",
            "슬라이더를 한 번 움직였을 때 커널이 새 그림을 만들기까지의 시간입니다: 값 바꾸기(`update`), 2배 해상도로",
            "그리기(바뀐 부분만), PNG 압축의 합을 매개변수 격자 위에서 30번 잰 중앙값과 p95입니다.",
            "목표는 학습을 하지 않는 데모에서 키 입력부터 새 그림까지 중앙값 30 ms, p95 50 ms입니다.",
            "'끌기'는 슬라이더 하나를 한 칸씩 20번 움직인 합의 중앙값 / p95로, 가장 느린 슬라이더의 값입니다",
            "(다시 학습하는 놀이터 설정은 뺍니다). 한 번 본 값은 PNG 캐시에서 바로 나오므로 여기에 넣지 않았습니다.",
            "",
            "| 데모 | update (ms) | 그리기 (ms) | 압축 (ms) | 합 중앙값 (ms) | 합 p95 (ms) | CPU 중앙값 (ms) | 끌기 (ms) | 커널 없는 형태 (KB) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, r in demos.items():
            drags = list(r.get("drag", {}).items())
            worst = max(drags, key=lambda kv: kv[1]["median_ms"], default=None)
            drag = f"{worst[1]['median_ms']:.1f} / {worst[1]['p95_ms']:.1f} (`{worst[0]}`)" if worst else "–"
            lines.append(
                f"| `{name}` | {r['update_median_ms']:.1f} | {r['render_median_ms']:.1f} | {r['encode_median_ms']:.1f}"
                f" | {r['total_median_ms']:.1f} | {r['total_p95_ms']:.1f} | {r['cpu_median_ms']:.1f}"
                f" | {drag} | {r['kernel_free_kb']:.0f} |"
            )
    lat = results.get("browser_latency") or {}
    if lat:
        lines += [
            "",
            f"JupyterLab에서 `{lat['chapter']}`을 실행하고 학습률 슬라이더를 키보드로 {lat['presses']}번 움직여 잰",
            f"키 입력 → 새 그림 시간(브라우저 포함)은 중앙값 {lat['median_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms입니다",
            "(`tests/test_jupyterlab.py`).",
        ]
        if "baseline_median_ms" in lat:
            lines += [
                f"같은 때 8×8 그림 하나만 바꾸는 가장 작은 위젯은 중앙값 {lat['baseline_median_ms']:.1f} ms였습니다",
                "(JupyterLab과 커널의 왕복만 드는 시간).",
            ]
    path = ROOT / "book" / "appendix" / "status.md"
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="책 빌드와 노트북 실행을 건너뛴다")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "platform": platform.platform(),
        },
    }
    print("d2lutil", flush=True)
    results["library"] = bench_library()
    results["library"].update(bench_import_lightning())
    print("데모 (update + 그리기 + 압축, 격자 위에서 30번)", flush=True)
    results["demos"] = bench_demos()
    results["browser_latency"] = browser_latency()
    if not args.quick:
        print("노트북 (차가운 실행)", flush=True)
        results["notebooks"] = bench_notebooks()
        print("책 빌드", flush=True)
        results["build"] = bench_build()
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    results["peak_memory_mb"] = round(peak_kb / 1024, 1)
    print(f"최대 메모리 {results['peak_memory_mb']} MB")
    (ROOT / "benchmarks" / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    )
    if not args.quick:
        write_status(results)
    slow = [n for n, r in results["demos"].items() if r["update_median_ms"] > 30 or r["update_p95_ms"] > 80]
    if slow:
        print("목표(중앙값 ≤ 30 ms, p95 ≤ 80 ms)를 넘은 데모: " + ", ".join(slow))
    print("결과: benchmarks/results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
