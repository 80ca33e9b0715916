// make bench: 놀이터 자바스크립트 엔진의 속도 (Node, 그리기 제외). 한 "프레임"은 브라우저의 한 프레임이 하는 계산:
// 한 에포크 학습(기본 설정은 20걸음) + 손실 두 개 + 결정 경계 48×48 + 뉴런 그림 16×16의 순전파.
import { Network } from "../book/_static/playground/engine.js";

function bench(config, frames) {
  const net = new Network(config);
  const times = [];
  let steps = 0;
  const t0 = performance.now();
  for (let f = 0; f < frames; f++) {
    const a = performance.now();
    const before = net.steps;
    net.step(net.stepsPerEpoch());
    steps += net.steps - before;
    net.losses();
    for (let i = 0; i < 48 * 48 + 16 * 16; i++) net.forwardPoint((i % 48) / 15 - 1.6, Math.floor(i / 48) / 15 - 1.6);
    times.push(performance.now() - a);
  }
  const total = (performance.now() - t0) / 1000;
  times.sort((x, y) => x - y);
  return {
    frame_median_ms: +times[times.length >> 1].toFixed(3),
    frame_p95_ms: +times[Math.round(0.95 * (times.length - 1))].toFixed(3),
    steps_per_s: Math.round(steps / total),
  };
}

const out = {
  default_2x8_batch10: bench({}, 200),
  largest_6x8_batch1: bench({ dataset: "spirals", hidden: [8, 8, 8, 8, 8, 8], batchSize: 1 }, 30),
};
process.stdout.write(JSON.stringify(out));
