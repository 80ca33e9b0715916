// node --test tests/js/ : 커널 없는 데모(d2lutil/static/static_demo.js)의 프레임 고르기
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { frameIndex, start } = require("../../d2lutil/static/static_demo.js");

test("프레임 번호는 itertools.product 순서다 (마지막 매개변수가 가장 빠르다)", () => {
  const sizes = [3, 2, 2, 1];
  const seen = [];
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 2; c++) seen.push(frameIndex([a, b, c, 0], sizes));
  assert.deepEqual(seen, [...Array(12).keys()]);
  assert.equal(frameIndex([], []), 0);
});

/** start()가 쓰는 만큼만 흉내 낸 DOM: querySelector(#id), querySelectorAll, closest, 이벤트. */
function fakeDemo(payload, { inBook = false } = {}) {
  const byId = {};
  const el = (id, extra = {}) => (byId[id] = { id, textContent: "", attrs: {}, ...extra });
  const listeners = {};
  const input = el("d2l-t-c0", {
    dataset: { k: "0" },
    value: "0",
    addEventListener: (type, fn) => (listeners[type] = fn),
    setAttribute(name, v) { this.attrs[name] = v; },
  });
  el("d2l-t-c0-out");
  el("d2l-t-img", { src: "" });
  el("d2l-t-msg");
  el("d2l-t-hint", { hidden: false });
  el("d2l-t-data", { textContent: JSON.stringify(payload) });
  const root = {
    id: "d2l-t",
    querySelector: (sel) => byId[sel.slice(1)] ?? null,
    querySelectorAll: () => [input],
    closest: () => (inBook ? {} : null),
  };
  return { root, byId, input, fire: () => listeners.input() };
}

test("슬라이더를 움직이면 그림·경고·읽은 값이 바뀐다", () => {
  const payload = { frames: ["AAA", "BBB", "CCC", "DDD"], messages: ["", "", "경고", ""], labels: [["0.1", "1"], ["a", "b"]], sizes: [2, 2], start: [0, 1] };
  const { root, byId, input, fire } = fakeDemo(payload);
  const demo = start(root);
  assert.equal(byId["d2l-t-hint"].hidden, false); // Jupyter에서는 안내가 보인다
  input.value = "1";
  fire();
  assert.deepEqual(demo.idx, [1, 1]);
  assert.equal(byId["d2l-t-img"].src, "data:image/png;base64,DDD");
  assert.equal(byId["d2l-t-c0-out"].textContent, "1");
  assert.equal(input.attrs["aria-valuetext"], "1");
  demo.idx[1] = 0;
  demo.show();
  assert.equal(byId["d2l-t-msg"].textContent, "경고");
  assert.deepEqual(payload.start, [0, 1]); // 처음 위치(JSON)는 바꾸지 않는다
});

test("책의 HTML 안에서는 '셀을 실행하면' 안내를 숨긴다", () => {
  const payload = { frames: ["A"], messages: [""], labels: [["x"]], sizes: [1], start: [0] };
  const { root, byId } = fakeDemo(payload, { inBook: true });
  start(root);
  assert.equal(byId["d2l-t-hint"].hidden, true);
});
