"""자바스크립트 놀이터 엔진(book/_static/playground/engine.js)과 d2lutil.playground가 같은 것을 계산하는가.

파이썬이 설정·데이터·초기 매개변수·생성기 상태를 JSON으로 내보내면 Node가 같은 상태에서 N걸음을 밟으며 걸음마다
손실과 매개변수를 돌려주고, 파이썬이 같은 걸음을 밟으며 비교한다(둘 다 float64). 설정만 넘겨 자바스크립트가
씨앗으로 데이터와 초기값을 직접 만들게도 해서, 두 엔진의 난수·데이터·초기화가 같은지도 본다. 마지막으로 놀이터의
"파이썬으로 보기"가 만든 코드를 그대로 실행해 자바스크립트와 같은 손실에 닿는지 본다.

허용 오차 PARITY_ATOL = 1e-9 (손실과 매개변수의 절대 차이)의 근거: 두 엔진은 같은 식을 같은 순서로 계산하지만
(1) numpy 행렬 곱(BLAS)과 np.mean(쌍별 합)은 덧셈 순서가 자바스크립트의 단순 반복과 달라 연산마다 ~1e-16의
상대 오차가 생기고, (2) V8의 Math.tanh·exp·log1p·sin·cos(fdlibm 계열)와 glibc/numpy의 같은 함수는 1 ulp까지
다를 수 있다. 학습이 발산하지 않는 설정에서 이 차이는 300걸음 뒤에도 ~1e-15에 머물렀으므로(이 파일의 측정),
1e-9는 여섯 자리의 여유를 두고, 부호·1/N·모멘텀 순서 같은 실제 오류(≥1e-3)는 놓치지 않는다.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from d2lutil.playground import PlaygroundConfig, PlaygroundRun

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "js" / "parity_runner.mjs"
PARITY_ATOL = 1e-9
STEPS = 120

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node가 없습니다 (apt-get install nodejs)")

CONFIGS = [
    PlaygroundConfig(),  # 기본: 원, 8-8 tanh, 학습률 0.03, 배치 10, 모멘텀 0.9
    PlaygroundConfig(
        dataset="spirals",
        hidden=(8, 6, 4),
        lr=0.05,
        batch_size=7,
        l1=0.001,
        weight_decay=0.002,
        features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"),
        seed=3,
        data_seed=5,
    ),
    PlaygroundConfig(dataset="xor", hidden=(8,) * 6, activation="relu", lr=0.01, batch_size=1, noise=0.2),
    PlaygroundConfig(dataset="moons", hidden=(), activation="linear", lr=1.0, momentum=0.0, train_ratio=0.3),
    PlaygroundConfig(dataset="gaussian", hidden=(3, 5), activation="sigmoid", lr=0.3, batch_size=200, n=300),
]


def run_node(job: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.run(
        [str(NODE), str(RUNNER), str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: f"{c.dataset}-{c.activation}-{len(c.hidden)}")
def test_js_engine_matches_python_step_by_step(cfg: PlaygroundConfig, tmp_path: Path) -> None:
    run = PlaygroundRun(cfg)
    state = run.export_state()
    out = run_node({"state": state, "config": state["config"], "steps": STEPS}, tmp_path)

    worst = 0.0
    for step, rec in enumerate(out["fromState"], start=1):
        run.step(1)
        train, test = run.losses()
        assert rec["epoch"] == run.epoch, f"걸음 {step}: 에포크가 다릅니다"
        for got, want in zip(rec["params"], run.params):
            diff = float(np.max(np.abs(np.asarray(got) - want.ravel())))
            worst = max(worst, diff)
            assert diff <= PARITY_ATOL, f"걸음 {step}: 매개변수 차이 {diff:.2e}"
        assert abs(rec["train"] - train) <= PARITY_ATOL and abs(rec["test"] - test) <= PARITY_ATOL
    assert len(out["fromState"]) == STEPS

    # 씨앗만으로: 자바스크립트가 만든 데이터와 초기값이 파이썬과 같다
    fresh = PlaygroundRun(cfg)
    seed = out["fromSeed"]
    np.testing.assert_allclose(np.ravel(seed["XTrain"]), fresh.X_train.ravel(), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(seed["yTrain"], fresh.y_train)
    np.testing.assert_allclose(np.ravel(seed["XTest"]), fresh.X_test.ravel(), rtol=0, atol=1e-12)
    for got, want in zip(seed["params"], fresh.params):
        np.testing.assert_allclose(got, want.ravel(), rtol=0, atol=1e-12)
    fresh.step(STEPS)
    assert seed["steps"] == fresh.steps and seed["epoch"] == fresh.epoch
    assert abs(seed["train"] - fresh.losses()[0]) <= PARITY_ATOL


@pytest.mark.parametrize("cfg", CONFIGS[:3], ids=lambda c: c.dataset)
def test_exported_python_code_reaches_the_js_loss(cfg: PlaygroundConfig, tmp_path: Path) -> None:
    """놀이터의 '파이썬으로 보기' 코드를 실행하면 자바스크립트와 같은 손실에 닿는다."""
    state = PlaygroundRun(cfg).export_state()
    seed = run_node({"config": state["config"], "steps": STEPS}, tmp_path)["fromSeed"]
    namespace: dict[str, Any] = {}
    exec(compile(seed["code"], "<놀이터 코드>", "exec"), namespace)  # noqa: S102 - 시험하려는 코드
    run = namespace["run"]
    assert run.config == dataclasses.replace(cfg, noise=state["config"]["noise"])  # 잡음은 값으로 적힌다
    assert run.steps == STEPS
    assert abs(namespace["train_loss"] - seed["train"]) <= PARITY_ATOL
    assert abs(namespace["test_loss"] - seed["test"]) <= PARITY_ATOL


def test_python_engine_is_not_trivially_equal(tmp_path: Path) -> None:
    """비교가 헛돌지 않는지: 학습률을 조금 바꾼 파이썬 학습은 허용 오차를 크게 넘게 달라진다."""
    cfg = CONFIGS[0]
    state = PlaygroundRun(cfg).export_state()
    seed = run_node({"config": state["config"], "steps": STEPS}, tmp_path)["fromSeed"]
    other = PlaygroundRun(PlaygroundConfig(lr=cfg.lr * 1.01)).step(STEPS)
    assert abs(other.losses()[0] - seed["train"]) > 1e3 * PARITY_ATOL
