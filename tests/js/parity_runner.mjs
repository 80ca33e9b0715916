// tests/test_playground_parity.py가 부르는 스크립트: 파이썬이 내보낸 상태(또는 설정만)로 걸음을 밟고 결과를 JSON으로 씁니다.
// 사용법: node tests/js/parity_runner.mjs 입력.json  →  표준 출력에 {"fromState": [...], "fromSeed": {...}}
import { readFileSync } from "node:fs";
import { Network, pythonCode } from "../../book/_static/playground/engine.js";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = {};
if (job.state) {
  const net = new Network(job.state.config, job.state);
  const trace = [];
  for (let s = 0; s < job.steps; s++) {
    net.step(1);
    const { train, test } = net.losses();
    trace.push({ train, test, params: net.params(), epoch: net.epoch });
  }
  out.fromState = trace;
}
if (job.config) {
  const net = new Network(job.config);
  const init = { params: net.params(), XTrain: Array.from(net.XTrain), yTrain: Array.from(net.yTrain), XTest: Array.from(net.XTest) };
  net.step(job.steps);
  const { train, test } = net.losses();
  out.fromSeed = { ...init, train, test, steps: net.steps, epoch: net.epoch, code: pythonCode(job.config, net.steps) };
}
process.stdout.write(JSON.stringify(out));
