"""d2lutil 자체의 속도: 스칼라 자동 미분 한 걸음, numpy MLP 한 에포크 대 torch, 숫자 분류 학습 시간."""

from __future__ import annotations

import statistics
import time
from typing import Any


def autograd_step_ms(repeats: int = 2000) -> float:
    """2-4-1 MLP로 XOR 네 점에 대해 순전파 + 역전파 + 갱신 한 번의 중앙값(ms)."""
    from d2lutil.scalar_nn import MLP

    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    Y = [0.0, 1.0, 1.0, 0.0]
    model = MLP([2, 4, 1], seed=0)
    params = model.parameters()
    times: list[float] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        loss = sum(((model(x) - y) ** 2 for x, y in zip(X, Y)), start=0.0)
        model.zero_grad()
        loss.backward()  # type: ignore[union-attr]
        for p in params:
            p.data -= 0.05 * p.grad
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def numpy_vs_torch_epoch(repeats: int = 5) -> dict[str, float]:
    """64-32-10 MLP, 배치 64, 숫자 데이터 한 에포크: numpy 계층(d2lutil) 대 torch(CPU)."""
    import torch

    from d2lutil.data import load_digits_split
    from d2lutil.layers import SoftmaxCrossEntropy, make_mlp
    from d2lutil.optim import SGD

    X_train, _, y_train, _ = load_digits_split(test_size=0.2, seed=0)
    n = len(X_train)

    def numpy_epoch() -> float:
        model = make_mlp([64, 32, 10], activation="relu", seed=0)
        loss_layer = SoftmaxCrossEntropy()
        opt = SGD(lr=0.1)
        t0 = time.perf_counter()
        for i in range(0, n, 64):
            xb, yb = X_train[i : i + 64], y_train[i : i + 64]
            loss_layer.forward(model.forward(xb), yb)
            model.backward(loss_layer.backward())
            opt.step(model.parameters(), model.grads())
        return time.perf_counter() - t0

    torch.set_num_threads(2)
    Xt = torch.tensor(X_train, dtype=torch.float32)
    yt = torch.tensor(y_train, dtype=torch.long)

    def torch_epoch() -> float:
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = torch.nn.CrossEntropyLoss()
        t0 = time.perf_counter()
        for i in range(0, n, 64):
            opt.zero_grad()
            loss = loss_fn(model(Xt[i : i + 64]), yt[i : i + 64])
            loss.backward()
            opt.step()
        return time.perf_counter() - t0

    np_times = [numpy_epoch() for _ in range(repeats)]
    torch_times = [torch_epoch() for _ in range(repeats)]
    np_ms = statistics.median(np_times) * 1000
    torch_ms = statistics.median(torch_times) * 1000
    return {
        "numpy_epoch_ms": round(np_ms, 2),
        "torch_epoch_ms": round(torch_ms, 2),
        "ratio": round(np_ms / torch_ms, 2),
    }


def numpy_mlp_step(X: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[float, list[Any], Any]:
    """비교 기준: 64-100-10 ReLU 신경망의 한 걸음을 클래스·검사 없이 한 줄씩 쓴 numpy.

    (손실, [dW1, db1, dW2, db2], dX)를 돌려준다. layers의 Sequential.backward처럼 입력에 대한 기울기 dX까지 계산한다.
    ``tests/test_tools.py``가 layers와 같은 값을 내는지 확인한다 (같은 계산을 재는지).
    """
    import numpy as np

    rows = np.arange(len(y))
    h = X @ W1 + b1
    a = np.maximum(h, 0.0)
    z = a @ W2 + b2
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = -np.mean((shifted - np.log(total))[rows, y])
    dz = e / total
    dz[rows, y] -= 1.0
    dz /= len(y)
    dW2, db2 = a.T @ dz, dz.sum(axis=0)
    dh = (dz @ W2.T) * (h > 0)
    dW1, db1 = X.T @ dh, dh.sum(axis=0)
    dX = dh @ W1.T
    return float(loss), [dW1, db1, dW2, db2], dX


def layers_vs_numpy(rounds: int = 400, inner: int = 10) -> dict[str, float]:
    """64-100-10 ReLU 신경망, 배치 100: d2lutil.layers의 순전파 + softmax 교차 엔트로피 + 역전파 대
    같은 계산을 클래스·검사 없이 한 줄씩 적은 numpy. 두 쪽을 번갈아 rounds번 재어(한 번에 inner걸음)
    한 걸음의 중앙값(µs)과 그 비율을 낸다 (한 프로세스 안에서 번갈아 재므로 기계의 흔들림이 양쪽에 같다).
    """
    import numpy as np

    from d2lutil.layers import SoftmaxCrossEntropy, make_mlp

    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 64))
    y = rng.integers(0, 10, size=100)
    model = make_mlp([64, 100, 10], activation="relu", seed=0)
    loss_layer = SoftmaxCrossEntropy()
    W1, b1, W2, b2 = (p.copy() for p in model.parameters())

    def layers_step() -> None:
        loss_layer.forward(model.forward(X), y)
        model.backward(loss_layer.backward())

    def numpy_step() -> None:
        numpy_mlp_step(X, y, W1, b1, W2, b2)

    def timed(fn: Any) -> float:
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        return (time.perf_counter() - t0) / inner * 1e6

    for _ in range(20):  # 준비 운동 (캐시, BLAS 스레드)
        layers_step()
        numpy_step()
    lay: list[float] = []
    raw: list[float] = []
    for i in range(rounds):
        if i % 2:  # 순서도 번갈아: 앞에 잰 쪽이 늘 유리하거나 불리하지 않도록
            lay.append(timed(layers_step))
            raw.append(timed(numpy_step))
        else:
            raw.append(timed(numpy_step))
            lay.append(timed(layers_step))
    lay_us, raw_us = statistics.median(lay), statistics.median(raw)
    ratios = [a / b for a, b in zip(lay, raw)]
    return {
        "layers_us": round(lay_us, 1),
        "numpy_us": round(raw_us, 1),
        "ratio": round(lay_us / raw_us, 3),
        "ratio_median_of_pairs": round(statistics.median(ratios), 3),
    }


def playground_js() -> dict[str, Any]:
    """놀이터 자바스크립트 엔진(Node)의 프레임 계산 시간과 초당 걸음 수 (benchmarks/playground.mjs)."""
    import json
    import subprocess
    from pathlib import Path

    script = Path(__file__).with_name("playground.mjs")
    proc = subprocess.run(["node", str(script)], capture_output=True, text=True, check=True, timeout=300)
    return json.loads(proc.stdout)


def run() -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        out["autograd_step_ms"] = round(autograd_step_ms(), 4)
        print(
            f"  스칼라 자동 미분 2-4-1 XOR 한 걸음 중앙값 {out['autograd_step_ms']:.3f} ms (목표 ≤ 0.21)",
            flush=True,
        )
    except Exception as exc:  # 모듈이 아직 없을 때도 나머지는 잰다
        print(f"  스칼라 자동 미분: 잴 수 없음 ({type(exc).__name__}: {exc})")
    try:
        r = numpy_vs_torch_epoch()
        out["mlp_epoch"] = r
        print(
            f"  numpy MLP 64-32-10 한 에포크 {r['numpy_epoch_ms']:.1f} ms, torch {r['torch_epoch_ms']:.1f} ms,"
            f" 비율 {r['ratio']:.2f}배 (목표 ≤ 2)",
            flush=True,
        )
    except Exception as exc:
        print(f"  numpy 대 torch: 잴 수 없음 ({type(exc).__name__}: {exc})")
    try:
        r = layers_vs_numpy()
        out["layers_vs_numpy"] = r
        print(
            f"  numpy 계층 64-100-10 배치 100 한 걸음 중앙값 {r['layers_us']:.0f} µs, 한 줄씩 쓴 numpy"
            f" {r['numpy_us']:.0f} µs, 비율 {r['ratio']:.2f}배 (번갈아 잰 쌍의 중앙값 {r['ratio_median_of_pairs']:.2f};"
            " 목표 ≤ 1.2)",
            flush=True,
        )
    except Exception as exc:
        print(f"  numpy 계층 대 한 줄씩 쓴 numpy: 잴 수 없음 ({type(exc).__name__}: {exc})")
    try:
        out["playground_js"] = pj = playground_js()
        for name, v in pj.items():
            print(
                f"  놀이터 JS {name}: 프레임 계산 중앙값 {v['frame_median_ms']:.2f} ms, p95 {v['frame_p95_ms']:.2f} ms,"
                f" 초당 {v['steps_per_s']}걸음 (그리기 제외; 브라우저 측정은 tests/test_browser_playground.py)",
                flush=True,
            )
    except Exception as exc:
        print(f"  놀이터 JS: 잴 수 없음 ({type(exc).__name__}: {exc})")
    return out


if __name__ == "__main__":
    print(run())
