// node --test tests/js/ : 놀이터 엔진의 자바스크립트 단위 테스트 (파이썬과의 비교는 tests/test_playground_parity.py)
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Network, Rng, makeDataset, normalizeConfig, encodeState, decodeState, pythonCode, DATASETS, FEATURES,
} from "../../book/_static/playground/engine.js";

function batchLoss(net, rows) {
  let s = 0;
  for (const i of rows) {
    const z = net.forwardPoint(net.XTrain[2 * i], net.XTrain[2 * i + 1]);
    s += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - net.yTrain[i] * z;
  }
  return s / rows.length;
}

for (const activation of ["tanh", "sigmoid", "linear", "relu"]) {
  test(`기울기가 중앙 차분과 맞는다 (${activation})`, () => {
    const cfg = { dataset: "moons", hidden: [4, 3], activation, lr: 1e-300, momentum: 0, batchSize: 5, features: ["x1", "x2", "x1x2"], n: 40 };
    const net = new Network(cfg);
    const before = net.snapshot();
    net.step(1); // lr이 아주 작아 매개변수가 사실상 그대로이고, gW·gb에 첫 배치의 기울기가 남는다
    const rows = Array.from(net.order.subarray(0, 5));
    net.restore(before);
    const h = 1e-6;
    for (let l = 0; l < net.nLayers; l++) {
      for (let i = 0; i < net.W[l].length; i++) {
        const w0 = net.W[l][i];
        net.W[l][i] = w0 + h;
        const up = batchLoss(net, rows);
        net.W[l][i] = w0 - h;
        const down = batchLoss(net, rows);
        net.W[l][i] = w0;
        const numeric = (up - down) / (2 * h);
        assert.ok(Math.abs(numeric - net.gW[l][i]) < 1e-6 * Math.max(1, Math.abs(numeric)), `층 ${l} 가중치 ${i}: ${numeric} vs ${net.gW[l][i]}`);
      }
    }
  });
}

test("난수와 데이터는 씨앗으로 정해지고 두 클래스가 반씩이다", () => {
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 100; i++) assert.equal(a.nextU32(), b.nextU32());
  for (const name of DATASETS) {
    const d1 = makeDataset(name, 100, undefined, 1);
    const d2 = makeDataset(name, 100, undefined, 1);
    const d3 = makeDataset(name, 100, undefined, 2);
    assert.deepEqual(d1.X, d2.X);
    assert.notDeepEqual(d1.X, d3.X);
    assert.equal(d1.y.reduce((s, v) => s + v, 0), 50);
    assert.ok(d1.X.every((v) => Math.abs(v) < 1.6), name);
  }
});

test("학습하면 기본 설정(원)의 손실이 줄어든다", () => {
  const net = new Network({});
  const first = net.losses().train;
  net.step(net.stepsPerEpoch() * 30);
  assert.equal(net.epoch, 30);
  assert.ok(net.losses().train < 0.5 * first);
  assert.ok(net.accuracy() > 0.9);
});

test("학습률 10에서는 발산을 알리고 매개변수는 유한하게 남는다", () => {
  const net = new Network({ dataset: "spirals", hidden: [8, 8, 8, 8, 8, 8], activation: "relu", lr: 10, batchSize: 1 });
  net.step(2000);
  assert.equal(net.diverged, true);
  assert.ok(net.W.every((w) => w.every((v) => Number.isFinite(v) && Math.abs(v) <= 1e6)));
  const steps = net.steps;
  net.step(10);
  assert.equal(net.steps, steps, "발산한 뒤에는 더 학습하지 않는다");
});

test("L1은 가중치의 절댓값 합을 줄인다", () => {
  const sumAbs = (net) => net.W.reduce((s, w) => s + w.reduce((t, v) => t + Math.abs(v), 0), 0);
  const a = new Network({ dataset: "gaussian" });
  const b = new Network({ dataset: "gaussian", l1: 0.02 });
  a.step(600);
  b.step(600);
  assert.ok(sumAbs(b) < 0.5 * sumAbs(a));
});

test("URL 해시로 상태가 왕복한다", () => {
  const cfg = normalizeConfig({ dataset: "xor", hidden: [3, 1, 8], features: ["x1sq", "sinx2"], lr: 0.003, l1: 0.01, trainRatio: 0.7, seed: 9, dataSeed: 4, noise: 0.3, batchSize: 25, momentum: 0 });
  const back = decodeState(encodeState(cfg, { disc: 1 }));
  assert.deepEqual(back.config, cfg);
  assert.equal(back.extra.disc, "1");
  assert.deepEqual(decodeState(encodeState({ hidden: [] })).config.hidden, []);
});

test("잘못된 설정은 인자 이름을 담은 한국어 오류", () => {
  for (const [bad, word] of [
    [{ dataset: "mnist" }, "dataset"],
    [{ hidden: [9] }, "hidden"],
    [{ hidden: [1, 1, 1, 1, 1, 1, 1] }, "hidden"],
    [{ lr: 0 }, "lr"],
    [{ lr: NaN }, "lr"],
    [{ momentum: 1 }, "momentum"],
    [{ features: [] }, "features"],
    [{ features: ["x3"] }, "features"],
    [{ batchSize: 0 }, "batchSize"],
    [{ seed: -1 }, "seed"],
  ]) {
    assert.throws(() => normalizeConfig(bad), (err) => err.message.includes(word) && /[가-힣]/.test(err.message));
  }
});

test("파이썬 코드에 모든 설정이 담긴다", () => {
  const code = pythonCode({ hidden: [5], features: FEATURES.slice(0, 3), l2: 0.01 }, 77, true);
  assert.match(code, /hidden=\(5,\)/);
  assert.match(code, /features=\("x1", "x2", "x1sq"\)/);
  assert.match(code, /weight_decay=0.01/);
  assert.match(code, /run\.step\(77\)/);
  assert.match(code, /^# 주의/);
});
