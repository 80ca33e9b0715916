// 신경망 놀이터의 화면 (ES 모듈, 의존성 없음). mount(요소, {presets, preset})로 붙입니다.
// 학습은 engine.js가 하고, 여기서는 컨트롤, 그림(결정 경계, 뉴런마다의 출력, 연결선, 손실 곡선), URL 해시를 맡습니다.
import { Network, normalizeConfig, encodeState, decodeState, pythonCode, nTrain, DATASETS, FEATURES, DEFAULT_NOISE, MAX_HIDDEN_LAYERS, MAX_UNITS } from "./engine.js";
import { PRESETS, PRESET_GROUPS } from "./presets.js";

const LR_VALUES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1];
const MOMENTA = [0, 0.5, 0.9, 0.99];
const BATCHES = [1, 2, 5, 10, 20, 30, 50, 100, 200];
const DATA_LABELS = { circles: "원", xor: "XOR", gaussian: "가우스", spirals: "나선", moons: "반달" };
const ACT_LABELS = { tanh: "tanh", relu: "ReLU", sigmoid: "시그모이드", linear: "선형(없음)" };
const FEATURE_LABELS = { x1: "x₁", x2: "x₂", x1sq: "x₁²", x2sq: "x₂²", x1x2: "x₁x₂", sinx1: "sin x₁", sinx2: "sin x₂" };
const EXTENT = 1.6; // 그림의 좌표 범위 [−1.6, 1.6]²
const MAX_RES = 48; // 결정 경계 격자 (가장 촘촘할 때)
const HEAT_BUDGET = 250000; // 결정 경계 한 장에 쓰는 곱셈-덧셈 수의 상한
const NRES = 16; // 뉴런 그림 격자
const NEG = [0, 114, 178]; // 파랑: 클래스 0, 음수
const POS = [213, 94, 0]; // 주황: 클래스 1, 양수
const FRAME_BUDGET_MS = 8; // 한 프레임에 학습에 쓰는 시간의 상한 (큰 신경망에서도 화면이 멈추지 않게)
const BLOW_UP = 2; // 훈련 손실이 처음의 이 배수를 넘으면 발산으로 보고 멈춥니다

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== undefined && v !== null) e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function svgEl(tag, attrs = {}) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function fmt(v) {
  if (v === 0) return "0";
  if (Math.abs(v) >= 0.001) return String(Number(v.toPrecision(3)));
  return v.toExponential(0).replace("e-", "e−");
}

function colour(t, strength = 0.6) {
  // t ∈ [−1, 1]: 음수는 파랑, 양수는 주황, 0은 흰색
  const c = t > 0 ? POS : NEG;
  const a = Math.min(Math.abs(t), 1) * strength;
  return [255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a];
}

let cssLoaded = false;
function ensureCss() {
  if (cssLoaded || document.querySelector("link[data-d2l-pg]")) return;
  cssLoaded = true;
  document.head.append(el("link", { rel: "stylesheet", href: new URL("playground.css", import.meta.url).href, "data-d2l-pg": "" }));
}

function presetConfig(name) {
  const p = PRESETS[name];
  if (!p) return null;
  const cfg = { ...p.config };
  if (cfg.noise === undefined) cfg.noise = DEFAULT_NOISE[cfg.dataset || "circles"];
  return normalizeConfig(cfg);
}

function select(id, label, values, show, onchange) {
  const s = el("select", { id, onchange: () => onchange(s.value) });
  for (const v of values) s.append(el("option", { value: String(v), text: show(v) }));
  return [el("label", { for: id, text: label }), s];
}

class Playground {
  constructor(root, opts = {}) {
    this.root = root;
    this.id = root.id || "d2l-pg";
    this.group = opts.presets || "digits";
    this.playing = false;
    this.frameTimes = [];
    this.stepsPerFrame = [];
    this.history = [];
    this.edited = false;
    this.gradMode = false;
    this.lastBatch = null;
    this.showTest = false;
    this.discretize = false;
    this.message = "";
    ensureCss();
    this.build();
    this.readLayout();
    const fromHash = this.hashConfig();
    this.setConfig(fromHash || presetConfig(opts.preset) || normalizeConfig(opts.config || {}), false);
    window.addEventListener("hashchange", () => {
      const cfg = this.hashConfig();
      if (cfg) {
        this.setConfig(cfg, false);
        this.root.scrollIntoView({ block: "start" });
      }
    });
    // 크기와 색은 바뀔 때만 읽습니다: 프레임마다 읽으면 브라우저가 레이아웃을 다시 계산해 느려집니다
    new ResizeObserver(() => {
      this.readLayout();
      this.layoutEdges();
      this.render();
    }).observe(this.root);
    new MutationObserver(() => {
      this.readLayout();
      this.render();
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    this.frame = this.frame.bind(this);
    requestAnimationFrame(this.frame);
    window.d2lPlayground = window.d2lPlayground || {};
    window.d2lPlayground[this.id] = this;
  }

  // ------------------------------------------------------------------ 화면 만들기
  build() {
    const id = this.id;
    this.root.textContent = "";
    this.root.classList.add("d2l-pg");
    this.root.setAttribute("role", "group");
    this.root.setAttribute("aria-label", "신경망 놀이터");
    // 맨 위: 재생, 한 걸음, 초기화, 에포크, 학습 설정
    this.playBtn = el("button", { type: "button", class: "pg-play", onclick: () => this.toggle() });
    const stepBtn = el("button", { type: "button", text: "한 걸음", title: "미니배치 하나로 한 걸음 학습하고 기울기를 연결선에 보여 줍니다", onclick: () => this.stepOnce() });
    const resetBtn = el("button", { type: "button", text: "초기화", title: "같은 설정으로 처음부터 다시 학습합니다", onclick: () => this.setConfig(this.config, false) });
    this.epochOut = el("output", { class: "pg-epoch", "aria-live": "off" });
    this.updatePlay();
    const top = el("div", { class: "pg-top" }, this.playBtn, stepBtn, resetBtn, this.epochOut);
    const settings = el("div", { class: "pg-settings" });
    const pair = (...xs) => el("span", { class: "pg-field" }, ...xs);
    this.lrSel = select(`${id}-lr`, "학습률", LR_VALUES, fmt, (v) => this.change({ lr: Number(v) }));
    this.actSel = select(`${id}-act`, "활성화 함수", Object.keys(ACT_LABELS), (v) => ACT_LABELS[v], (v) => this.change({ activation: v }));
    this.regSel = select(`${id}-reg`, "규제", ["none", "l1", "l2"], (v) => ({ none: "없음", l1: "L1", l2: "L2 (가중치 감쇠)" })[v], () => this.changeReg());
    this.rateSel = select(`${id}-rate`, "규제 세기 λ", REG_RATES, fmt, () => this.changeReg());
    this.momSel = select(`${id}-mom`, "모멘텀", MOMENTA, String, (v) => this.change({ momentum: Number(v) }));
    settings.append(pair(...this.lrSel), pair(...this.actSel), pair(...this.regSel), pair(...this.rateSel), pair(...this.momSel));
    // 프리셋
    const presets = el("div", { class: "pg-presets", role: "group", "aria-label": "프리셋" }, el("span", { class: "pg-presets-label", text: "프리셋:" }));
    for (const name of PRESET_GROUPS[this.group] || []) {
      presets.append(el("button", { type: "button", "data-preset": name, text: PRESETS[name].label, onclick: () => this.setConfig(presetConfig(name), true) }));
    }
    // 왼쪽: 데이터
    this.dataBtns = {};
    const dataRow = el("div", { class: "pg-datasets", role: "group", "aria-label": "데이터" });
    for (const ds of DATASETS) {
      this.dataBtns[ds] = el("button", { type: "button", "aria-pressed": "false", text: DATA_LABELS[ds], onclick: () => this.change({ dataset: ds, noise: DEFAULT_NOISE[ds] }) });
      dataRow.append(this.dataBtns[ds]);
    }
    this.ratio = el("input", { type: "range", id: `${id}-ratio`, min: 10, max: 90, step: 10, oninput: () => this.change({ trainRatio: Number(this.ratio.value) / 100 }) });
    this.ratioOut = el("output", { for: `${id}-ratio` });
    this.noise = el("input", { type: "range", id: `${id}-noise`, min: 0, max: 50, step: 1, oninput: () => this.change({ noise: Number(this.noise.value) / 100 }) });
    this.noiseOut = el("output", { for: `${id}-noise` });
    this.batchSel = select(`${id}-batch`, "배치 크기", BATCHES, String, (v) => this.change({ batchSize: Number(v) }));
    this.seedIn = el("input", { type: "number", id: `${id}-seed`, min: 0, max: 4294967295, step: 1, onchange: () => this.change({ seed: Math.max(0, Math.floor(Number(this.seedIn.value) || 0)) }) });
    const data = el(
      "div",
      { class: "pg-data" },
      el("h4", { text: "데이터" }),
      dataRow,
      el("div", { class: "pg-row" }, el("label", { for: `${id}-ratio`, text: "훈련 데이터 비율" }), this.ratio, this.ratioOut),
      el("div", { class: "pg-row" }, el("label", { for: `${id}-noise`, text: "잡음" }), this.noise, this.noiseOut),
      el("div", { class: "pg-row" }, ...this.batchSel),
      el("button", { type: "button", text: "데이터 다시 만들기", onclick: () => this.change({ dataSeed: (this.config.dataSeed + 1) >>> 0 }) }),
      el("div", { class: "pg-row" }, el("label", { for: `${id}-seed`, text: "초기값 씨앗" }), this.seedIn),
    );
    // 가운데: 특성, 은닉층, 연결선
    this.layerOut = el("output", { class: "pg-layers-count" });
    const layerCtl = el(
      "div",
      { class: "pg-layer-ctl" },
      el("button", { type: "button", class: "pg-small", text: "+", "aria-label": "은닉층 더하기", onclick: () => this.changeLayers(+1) }),
      el("button", { type: "button", class: "pg-small", text: "−", "aria-label": "은닉층 빼기", onclick: () => this.changeLayers(-1) }),
      this.layerOut,
    );
    this.net = el("div", { class: "pg-net" });
    this.svg = svgEl("svg", { class: "pg-edges", "aria-hidden": "true" });
    this.gradNote = el("p", { class: "pg-note" });
    const middle = el("div", { class: "pg-middle" }, el("h4", { text: "특성과 은닉층" }), layerCtl, this.net, this.gradNote);
    // 오른쪽: 출력
    this.lossOut = el("p", { class: "pg-loss", "aria-live": "off" });
    this.msg = el("p", { class: "pg-msg", role: "status", "aria-live": "polite" });
    this.lossCanvas = el("canvas", { class: "pg-losschart", role: "img", "aria-label": "에포크에 따른 훈련 손실(실선)과 시험 손실(점선)" });
    this.heat = el("canvas", { class: "pg-heat", role: "img", "aria-label": "결정 경계: 신경망이 평면의 각 점을 클래스 1(주황)로 볼 확률을 색으로 칠하고 훈련 데이터 점을 찍은 그림" });
    this.testChk = el("input", { type: "checkbox", id: `${id}-test`, onchange: () => { this.showTest = this.testChk.checked; this.writeHash(); this.render(); } });
    this.discChk = el("input", { type: "checkbox", id: `${id}-disc`, onchange: () => { this.discretize = this.discChk.checked; this.writeHash(); this.render(); } });
    const out = el(
      "div",
      { class: "pg-out" },
      el("h4", { text: "출력" }),
      this.lossOut,
      this.msg,
      el(
        "div",
        { class: "pg-out-body" },
        el(
          "div",
          { class: "pg-out-left" },
          this.lossCanvas,
          el("div", { class: "pg-row" }, this.testChk, el("label", { for: `${id}-test`, text: "시험 데이터 보기" })),
          el("div", { class: "pg-row" }, this.discChk, el("label", { for: `${id}-disc`, text: "출력 이산화 (0.5에서 자르기)" })),
          el("p", { class: "pg-legend", text: "색: 주황은 클래스 1·양수, 파랑은 클래스 0·음수. 선의 굵기는 가중치(한 걸음 뒤에는 기울기)의 크기입니다." }),
        ),
        this.heat,
      ),
    );
    // 아래: 가중치 고치기, 파이썬으로 보기, 링크
    this.editLayer = el("select", { id: `${id}-el`, onchange: () => this.fillEditor() });
    this.editFrom = el("select", { id: `${id}-ef`, onchange: () => this.fillEditor(false) });
    this.editTo = el("select", { id: `${id}-et`, onchange: () => this.fillEditor(false) });
    this.editVal = el("input", { type: "number", id: `${id}-ev`, step: "0.1", onkeydown: (e) => { if (e.key === "Enter") this.applyEdit(); } });
    this.editor = el(
      "details",
      { class: "pg-editor" },
      el("summary", { text: "가중치 고치기" }),
      el(
        "div",
        { class: "pg-row pg-wrap" },
        el("label", { for: `${id}-el`, text: "층" }), this.editLayer,
        el("label", { for: `${id}-ef`, text: "보내는 뉴런" }), this.editFrom,
        el("label", { for: `${id}-et`, text: "받는 뉴런" }), this.editTo,
        el("label", { for: `${id}-ev`, text: "가중치" }), this.editVal,
        el("button", { type: "button", text: "적용", onclick: () => this.applyEdit() }),
      ),
      el("p", { class: "pg-note", text: "연결선을 누르면 그 가중치가 여기에 나옵니다." }),
    );
    this.code = el("code", {});
    this.pyDetails = el(
      "details",
      { class: "pg-python", ontoggle: () => this.updateCode() },
      el("summary", { text: "파이썬으로 보기" }),
      el("p", { class: "pg-note", text: "지금 설정과 학습한 걸음 수를 d2lutil로 재현하는 코드입니다. 같은 씨앗이면 같은 손실이 나옵니다." }),
      el("pre", {}, this.code),
      el("button", { type: "button", text: "코드 복사", onclick: () => this.copy(this.code.textContent, "코드를 복사했습니다.") }),
    );
    this.linkBtn = el("button", { type: "button", text: "링크 복사", onclick: () => this.copy(this.shareUrl(), "지금 설정을 담은 링크를 복사했습니다.") });
    const bottom = el("div", { class: "pg-bottom" }, this.editor, this.pyDetails, el("div", { class: "pg-row" }, this.linkBtn));
    this.root.append(top, settings, presets, el("div", { class: "pg-main" }, data, middle, out), bottom);
  }

  // ------------------------------------------------------------------ 설정
  hashConfig() {
    const h = decodeURIComponent(location.hash || "");
    if (!h.startsWith("#pg:")) return null;
    const body = h.slice(4);
    try {
      if (body.startsWith("preset=")) return presetConfig(body.slice(7));
      const { config, extra } = decodeState(body);
      this.showTest = this.testChk.checked = extra.test === "1";
      this.discretize = this.discChk.checked = extra.disc === "1";
      return config;
    } catch (err) {
      this.say(`주소의 놀이터 설정을 읽지 못했습니다: ${err.message}`);
      return null;
    }
  }

  // 주소에 담는 상태: 설정 전부와 "시험 데이터 보기", "출력 이산화" (손으로 고친 가중치는 담지 않습니다)
  hashText() {
    return `#pg:${encodeState(this.config, { test: this.showTest ? 1 : 0, disc: this.discretize ? 1 : 0 })}`;
  }

  writeHash() {
    if (history.replaceState) history.replaceState(null, "", this.hashText());
  }

  shareUrl() {
    return `${location.href.split("#")[0]}${this.hashText()}`;
  }

  change(delta) {
    let cfg;
    try {
      cfg = normalizeConfig({ ...this.config, ...delta });
    } catch (err) {
      this.say(err.message);
      return;
    }
    this.setConfig(cfg, true);
  }

  changeReg() {
    const kind = this.regSel[1].value;
    const rate = Number(this.rateSel[1].value);
    this.change({ l1: kind === "l1" ? rate : 0, l2: kind === "l2" ? rate : 0 });
  }

  changeLayers(d) {
    const h = [...this.config.hidden];
    if (d > 0 && h.length < MAX_HIDDEN_LAYERS) h.push(h.length ? h[h.length - 1] : 4);
    if (d < 0 && h.length > 0) h.pop();
    this.change({ hidden: h });
  }

  changeUnits(layer, d) {
    const h = [...this.config.hidden];
    h[layer] = Math.min(MAX_UNITS, Math.max(1, h[layer] + d));
    this.change({ hidden: h });
  }

  toggleFeature(f) {
    const on = this.config.features.includes(f);
    const next = on ? this.config.features.filter((x) => x !== f) : FEATURES.filter((x) => x === f || this.config.features.includes(x));
    if (!next.length) {
      this.say("입력 특성은 적어도 하나 있어야 합니다.");
      return;
    }
    this.change({ features: next });
  }

  setConfig(cfg, writeHash) {
    const structural = !this.config || this.config.hidden.join() !== cfg.hidden.join() || this.config.features.join() !== cfg.features.join();
    this.config = cfg;
    this.network = new Network(cfg);
    this.edited = false;
    this.gradMode = false;
    this.lastBatch = null;
    const l = this.network.losses();
    this.initLoss = l.train;
    this.history = [{ x: 0, train: l.train, test: l.test }];
    this.say("");
    this.syncControls();
    if (structural || !this.nodes) this.buildNetwork();
    this.fillEditor();
    if (writeHash) this.writeHash();
    this.render();
  }

  syncControls() {
    const c = this.config;
    this.lrSel[1].value = String(LR_VALUES.includes(c.lr) ? c.lr : 0.03);
    if (!LR_VALUES.includes(c.lr)) this.lrSel[1].append(el("option", { value: String(c.lr), text: fmt(c.lr) }));
    this.lrSel[1].value = String(c.lr);
    this.actSel[1].value = c.activation;
    const kind = c.l1 > 0 ? "l1" : c.l2 > 0 ? "l2" : "none";
    this.regSel[1].value = kind;
    const rate = kind === "l1" ? c.l1 : kind === "l2" ? c.l2 : Number(this.rateSel[1].value) || 0.001;
    if (!REG_RATES.includes(rate)) this.rateSel[1].append(el("option", { value: String(rate), text: fmt(rate) }));
    this.rateSel[1].value = String(rate);
    this.rateSel[1].disabled = kind === "none";
    this.momSel[1].value = String(c.momentum);
    if (!BATCHES.includes(c.batchSize)) this.batchSel[1].append(el("option", { value: String(c.batchSize), text: String(c.batchSize) }));
    this.batchSel[1].value = String(c.batchSize);
    for (const ds of DATASETS) this.dataBtns[ds].setAttribute("aria-pressed", String(ds === c.dataset));
    this.ratio.value = String(Math.round(c.trainRatio * 100));
    this.ratioOut.textContent = `${Math.round(c.trainRatio * 100)}% (${nTrain(c)}개)`;
    this.ratio.setAttribute("aria-valuetext", this.ratioOut.textContent);
    this.noise.value = String(Math.round(c.noise * 100));
    this.noiseOut.textContent = `σ = ${fmt(c.noise)}`;
    this.noise.setAttribute("aria-valuetext", this.noiseOut.textContent);
    this.seedIn.value = String(c.seed);
    this.layerOut.textContent = `은닉층 ${c.hidden.length}개`;
    for (const b of this.root.querySelectorAll("[data-preset]")) {
      const p = presetConfig(b.dataset.preset);
      b.setAttribute("aria-pressed", String(encodeState(p) === encodeState(c)));
    }
  }

  // 특성 열, 은닉층 열, 출력 노드, 연결선을 새로 만듭니다 (구조가 바뀔 때만)
  buildNetwork() {
    const c = this.config;
    this.net.textContent = "";
    this.svg.textContent = "";
    this.net.append(this.svg);
    const cols = el("div", { class: "pg-cols" });
    this.nodes = []; // 층마다 [{canvas, ...}]
    const featCol = el("div", { class: "pg-col" }, el("div", { class: "pg-col-head", text: "입력" }));
    const featNodes = [];
    this.featBtns = {};
    for (const f of FEATURES) {
      const on = c.features.includes(f);
      const canvas = el("canvas", { width: NRES, height: NRES, class: "pg-node", "aria-hidden": "true" });
      const btn = el("button", { type: "button", class: "pg-feature", "aria-pressed": String(on), title: `특성 ${FEATURE_LABELS[f]} ${on ? "빼기" : "넣기"}`, onclick: () => this.toggleFeature(f) }, canvas, el("span", { text: FEATURE_LABELS[f] }));
      btn.setAttribute("aria-label", `입력 특성 ${FEATURE_LABELS[f]}`);
      this.featBtns[f] = btn;
      featCol.append(btn);
      if (on) featNodes.push({ canvas, anchor: canvas });
      this.drawFeature(canvas, f);
    }
    this.nodes.push(featNodes);
    cols.append(featCol);
    c.hidden.forEach((units, l) => {
      const col = el(
        "div",
        { class: "pg-col" },
        el(
          "div",
          { class: "pg-col-head" },
          el("button", { type: "button", class: "pg-small", text: "+", "aria-label": `은닉층 ${l + 1}에 뉴런 더하기`, onclick: () => this.changeUnits(l, +1) }),
          el("button", { type: "button", class: "pg-small", text: "−", "aria-label": `은닉층 ${l + 1}에서 뉴런 빼기`, onclick: () => this.changeUnits(l, -1) }),
          el("span", { class: "pg-units", text: `${units}개` }),
        ),
      );
      const layer = [];
      for (let j = 0; j < units; j++) {
        const canvas = el("canvas", { width: NRES, height: NRES, class: "pg-node", role: "img", "aria-label": `은닉층 ${l + 1}의 뉴런 ${j + 1}이 평면의 각 점에서 내는 값 (마우스를 올리면 오른쪽 큰 그림에 보입니다)` });
        canvas.addEventListener("pointerenter", () => this.hover(l + 1, j));
        canvas.addEventListener("pointerleave", () => this.hover(null));
        col.append(canvas);
        layer.push({ canvas, anchor: canvas });
      }
      this.nodes.push(layer);
      cols.append(col);
    });
    const outCanvas = el("canvas", { width: NRES, height: NRES, class: "pg-node pg-outnode", role: "img", "aria-label": "출력 뉴런" });
    cols.append(el("div", { class: "pg-col" }, el("div", { class: "pg-col-head", text: "출력" }), outCanvas));
    this.nodes.push([{ canvas: outCanvas, anchor: outCanvas }]);
    this.net.append(cols);
    // 연결선: 층 l의 보내는 뉴런 k → 받는 뉴런 j
    this.edges = [];
    for (let l = 0; l < this.nodes.length - 1; l++) {
      const layer = [];
      for (let k = 0; k < this.nodes[l].length; k++) {
        for (let j = 0; j < this.nodes[l + 1].length; j++) {
          const path = svgEl("path", { class: "pg-edge", "data-l": l, "data-k": k, "data-j": j });
          const title = svgEl("title");
          path.append(title);
          path.addEventListener("click", () => this.openEditor(l, k, j));
          this.svg.append(path);
          layer.push({ path, title, k, j });
        }
      }
      this.edges.push(layer);
    }
    requestAnimationFrame(() => this.layoutEdges());
  }

  readLayout() {
    const style = getComputedStyle(this.root);
    this.ink = style.color;
    this.gridInk = style.getPropertyValue("--pg-grid").trim() || "#ccc";
    this.heatSize = Math.max(120, Math.round(this.heat.clientWidth || 260));
    this.lossWidth = Math.max(120, Math.round(this.lossCanvas.clientWidth || 260));
  }

  layoutEdges() {
    if (!this.edges) return;
    const box = this.net.getBoundingClientRect();
    this.svg.setAttribute("width", box.width);
    this.svg.setAttribute("height", box.height);
    const centre = (node, side) => {
      const r = node.anchor.getBoundingClientRect();
      return [side > 0 ? r.right - box.left : r.left - box.left, r.top + r.height / 2 - box.top];
    };
    this.edges.forEach((layer, l) => {
      for (const e of layer) {
        const [x0, y0] = centre(this.nodes[l][e.k], +1);
        const [x1, y1] = centre(this.nodes[l + 1][e.j], -1);
        const mx = (x0 + x1) / 2;
        e.path.setAttribute("d", `M${x0.toFixed(1)},${y0.toFixed(1)} C${mx.toFixed(1)},${y0.toFixed(1)} ${mx.toFixed(1)},${y1.toFixed(1)} ${x1.toFixed(1)},${y1.toFixed(1)}`);
      }
    });
  }

  // ------------------------------------------------------------------ 학습
  toggle() {
    if (this.network.diverged || this.blownUp) return;
    this.playing = !this.playing;
    this.gradMode = false;
    this.updatePlay();
    if (!this.playing) this.render();
  }

  updatePlay() {
    this.playBtn.textContent = this.playing ? "❚❚ 일시정지" : "▶ 학습 재생";
    this.playBtn.setAttribute("aria-pressed", String(this.playing));
  }

  stepOnce() {
    if (this.network.diverged || this.blownUp) return;
    this.playing = false;
    this.updatePlay();
    const net = this.network;
    const start = net.pos;
    net.step(1);
    const bs = Math.min(this.config.batchSize, net.yTrain.length - start);
    this.lastBatch = Array.from(net.order.subarray(start, start + bs));
    this.gradMode = true;
    this.record();
    this.render();
  }

  // 시간 예산 안에서 최대 한 에포크를 학습합니다
  train() {
    const net = this.network;
    const spe = net.stepsPerEpoch();
    const t0 = performance.now();
    let done = 0;
    const chunk = Math.max(1, Math.ceil(spe / 8));
    // 그리기에 시간이 많이 들수록 학습에 쓰는 시간을 줄입니다 (프레임 전체가 16 ms 안팎이 되게)
    const budget = Math.max(2, Math.min(FRAME_BUDGET_MS, 14 - (this.renderMs || 0)));
    while (done < spe && !net.diverged) {
      net.step(Math.min(chunk, spe - done));
      done += Math.min(chunk, spe - done);
      if (performance.now() - t0 > budget) break;
    }
    this.stepsPerFrame.push(done);
    this.record();
  }

  record() {
    const net = this.network;
    const l = net.losses();
    this.history.push({ x: net.steps / net.stepsPerEpoch(), train: l.train, test: l.test });
    if (this.history.length > 1200) this.history = this.history.filter((_, i) => i % 2 === 0 || i === this.history.length - 1);
    const lr = fmt(this.config.lr);
    if (net.diverged) {
      this.stop(`학습률 ${lr}에서 학습이 발산했습니다: 가중치가 10⁶을 넘거나 NaN이 되었습니다. 발산하기 직전의 상태를 보여 줍니다. 학습률을 낮추고 다시 해 보세요.`);
    } else if (!(l.train <= BLOW_UP * this.initLoss)) {
      this.blownUp = true;
      this.stop(`학습률 ${lr}에서 학습이 발산했습니다: 훈련 손실(${fmt(l.train)})이 처음(${fmt(this.initLoss)})의 ${BLOW_UP}배를 넘었습니다. 학습률이 너무 커서 골짜기를 건너뛰며 튀고 있습니다. 학습률을 낮추고 다시 해 보세요.`);
    }
  }

  stop(text) {
    this.playing = false;
    this.updatePlay();
    this.say(text);
    this.root.classList.add("pg-diverged");
  }

  say(text) {
    this.message = text;
    if (this.msg) this.msg.textContent = text;
    if (!text) {
      this.blownUp = false;
      this.root.classList.remove("pg-diverged");
    }
  }

  frame() {
    if (this.playing) {
      const t0 = performance.now();
      this.train();
      const t1 = performance.now();
      this.render();
      const t2 = performance.now();
      this.renderMs = 0.8 * (this.renderMs || 0) + 0.2 * (t2 - t1);
      this.frameTimes.push(t2 - t0);
      if (this.frameTimes.length > 5000) this.frameTimes.splice(0, 1000);
    }
    requestAnimationFrame(this.frame);
  }

  // ------------------------------------------------------------------ 그리기
  render() {
    const net = this.network;
    const spe = net.stepsPerEpoch();
    const l = this.history[this.history.length - 1];
    this.epochOut.textContent = `에포크 ${Math.floor(net.steps / spe)} · 걸음 ${net.steps}`;
    this.lossOut.innerHTML = "";
    this.lossOut.append(
      el("span", { class: "pg-sw pg-sw-train" }), `훈련 손실 ${l.train.toFixed(3)}  `,
      el("span", { class: "pg-sw pg-sw-test" }), `시험 손실 ${l.test.toFixed(3)}  `,
      `시험 정확도 ${Math.round(net.accuracy() * 100)}%`,
    );
    this.drawHeat();
    this.drawNeurons();
    this.drawEdges();
    this.drawLoss();
    if (this.pyDetails.open) this.updateCode();
  }

  // 뉴런 위에 마우스를 올리면 그 뉴런의 출력을 큰 그림에 보여 줍니다 (TensorFlow Playground처럼)
  hover(layer, j) {
    this.hovered = layer === null ? null : { layer, j };
    this.drawHeat();
  }

  drawHeat() {
    const net = this.network;
    const hv = this.hovered && this.hovered.layer < net.nLayers ? this.hovered : null;
    const kind = this.config.activation;
    // 격자 해상도는 신경망 크기에 맞춥니다: 큰 신경망도 한 프레임 안에 그리도록 점당 곱셈 수 × 점 수를 제한합니다
    let cost = 0;
    for (let l = 0; l < net.nLayers; l++) cost += net.dims[l] * net.dims[l + 1];
    const RES = Math.max(24, Math.min(MAX_RES, 4 * Math.floor(Math.sqrt(HEAT_BUDGET / cost) / 4)));
    if (!this.heatSmall || this.heatSmall.width !== RES) {
      this.heatSmall = el("canvas", { width: RES, height: RES });
      this.heatImg = this.heatSmall.getContext("2d").createImageData(RES, RES);
    }
    const small = this.heatSmall;
    const sctx = small.getContext("2d");
    const img = this.heatImg;
    const d = img.data;
    for (let r = 0; r < RES; r++) {
      const x2 = EXTENT - ((r + 0.5) / RES) * 2 * EXTENT;
      for (let c = 0; c < RES; c++) {
        const x1 = -EXTENT + ((c + 0.5) / RES) * 2 * EXTENT;
        const z = net.forwardPoint(x1, x2);
        let t = Math.tanh(0.5 * z); // 2p − 1
        if (hv) {
          const v = net.one[hv.layer][hv.j];
          t = kind === "sigmoid" ? 2 * v - 1 : kind === "tanh" ? v : Math.tanh(v);
        }
        if (this.discretize) t = t >= 0 ? 1 : -1;
        const [R, G, B] = colour(t, 0.55);
        const o = 4 * (r * RES + c);
        d[o] = R;
        d[o + 1] = G;
        d[o + 2] = B;
        d[o + 3] = 255;
      }
    }
    sctx.putImageData(img, 0, 0);
    const canvas = this.heat;
    const dpr = window.devicePixelRatio || 1;
    const size = this.heatSize;
    if (canvas.width !== Math.round(size * dpr)) {
      canvas.width = Math.round(size * dpr);
      canvas.height = Math.round(size * dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.imageSmoothingEnabled = !this.discretize;
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
    ctx.setTransform(canvas.width / (2 * EXTENT), 0, 0, -canvas.height / (2 * EXTENT), canvas.width / 2, canvas.height / 2);
    const px = (2 * EXTENT) / canvas.width;
    const dot = (X, y, i, test) => {
      ctx.beginPath();
      ctx.arc(X[2 * i], X[2 * i + 1], (test ? 3.2 : 2.8) * dpr * px, 0, 2 * Math.PI);
      const c = y[i] === 1 ? POS : NEG;
      ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
      ctx.fill();
      ctx.lineWidth = (test ? 1.4 : 0.8) * dpr * px;
      ctx.strokeStyle = test ? "#000" : "#fff";
      ctx.stroke();
    };
    for (let i = 0; i < net.yTrain.length; i++) dot(net.XTrain, net.yTrain, i, false);
    if (this.showTest) for (let i = 0; i < net.yTest.length; i++) dot(net.XTest, net.yTest, i, true);
    if (this.gradMode && this.lastBatch) {
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1.5 * dpr * px;
      for (const i of this.lastBatch) {
        ctx.beginPath();
        ctx.arc(net.XTrain[2 * i], net.XTrain[2 * i + 1], 6 * dpr * px, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  drawFeature(canvas, f) {
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(NRES, NRES);
    const vals = [];
    for (let r = 0; r < NRES; r++) {
      const x2 = EXTENT - ((r + 0.5) / NRES) * 2 * EXTENT;
      for (let c = 0; c < NRES; c++) {
        const x1 = -EXTENT + ((c + 0.5) / NRES) * 2 * EXTENT;
        const v = { x1, x2, x1sq: x1 * x1, x2sq: x2 * x2, x1x2: x1 * x2, sinx1: Math.sin(x1), sinx2: Math.sin(x2) }[f];
        vals.push(v);
      }
    }
    const m = Math.max(...vals.map(Math.abs)) || 1;
    vals.forEach((v, i) => {
      const [R, G, B] = colour(v / m, 0.85);
      img.data.set([R, G, B, 255], 4 * i);
    });
    ctx.putImageData(img, 0, 0);
  }

  drawNeurons() {
    const net = this.network;
    const layers = net.nLayers; // 은닉층 수 + 1
    const n = NRES * NRES;
    if (!this.neuronVals || this.neuronVals.length !== layers) this.neuronVals = net.dims.slice(1).map((d) => new Float64Array(d * n));
    for (let r = 0; r < NRES; r++) {
      const x2 = EXTENT - ((r + 0.5) / NRES) * 2 * EXTENT;
      for (let c = 0; c < NRES; c++) {
        const x1 = -EXTENT + ((c + 0.5) / NRES) * 2 * EXTENT;
        net.forwardPoint(x1, x2);
        const p = r * NRES + c;
        for (let l = 1; l <= layers; l++) {
          const h = net.one[l];
          const store = this.neuronVals[l - 1];
          for (let j = 0; j < h.length; j++) store[j * n + p] = h[j];
        }
      }
    }
    const kind = this.config.activation;
    for (let l = 1; l <= layers; l++) {
      const store = this.neuronVals[l - 1];
      const width = net.dims[l];
      const isOut = l === layers;
      for (let j = 0; j < width; j++) {
        const node = this.nodes[l][j];
        const ctx = node.canvas.getContext("2d");
        const img = node.img || (node.img = ctx.createImageData(NRES, NRES));
        let scale = 1;
        let shift = 0;
        if (isOut) scale = 0; // 출력은 로짓: tanh(z/2) = 2p − 1로 그립니다
        else if (kind === "sigmoid") shift = 0.5;
        else if (kind !== "tanh") {
          let m = 1e-12;
          for (let p = 0; p < n; p++) m = Math.max(m, Math.abs(store[j * n + p]));
          scale = 1 / m;
        }
        for (let p = 0; p < n; p++) {
          const v = store[j * n + p];
          const t = isOut ? Math.tanh(0.5 * v) : kind === "sigmoid" ? 2 * (v - shift) : v * scale;
          const [R, G, B] = colour(t, 0.85);
          const o = 4 * p;
          img.data[o] = R;
          img.data[o + 1] = G;
          img.data[o + 2] = B;
          img.data[o + 3] = 255;
        }
        ctx.putImageData(img, 0, 0);
      }
    }
  }

  drawEdges() {
    if (!this.edges) return;
    const net = this.network;
    const grad = this.gradMode;
    this.gradNote.textContent = grad
      ? `한 걸음: 미니배치 ${this.lastBatch ? this.lastBatch.length : 0}개(결정 경계 그림에서 검은 고리)의 역전파로 구한 기울기 ∂L/∂w를 연결선에 그렸습니다. 굵기는 크기, 주황은 양수, 파랑은 음수입니다. 갱신은 w ← w − η·v, v ← μv + ∂L/∂w입니다.`
      : "";
    this.edges.forEach((layer, l) => {
      const W = net.W[l];
      const G = net.gW[l];
      const dout = net.dims[l + 1];
      let gmax = 1e-12;
      if (grad) for (let i = 0; i < G.length; i++) gmax = Math.max(gmax, Math.abs(G[i]));
      for (const e of layer) {
        const w = W[e.k * dout + e.j];
        const g = G[e.k * dout + e.j];
        const v = grad ? g / gmax : w;
        const width = (grad ? 0.5 + 4.5 * Math.abs(v) : Math.min(0.5 + Math.abs(v) * 2, 7)).toFixed(1);
        const stroke = v > 0 ? "rgb(213,94,0)" : "rgb(0,114,178)";
        if (e.width !== width) e.path.setAttribute("stroke-width", (e.width = width));
        if (e.stroke !== stroke) e.path.setAttribute("stroke", (e.stroke = stroke));
        if (!this.playing) e.title.textContent = `w = ${w.toFixed(3)}, 마지막 걸음의 ∂L/∂w = ${g.toPrecision(3)}`;
      }
    });
  }

  drawLoss() {
    const canvas = this.lossCanvas;
    const dpr = window.devicePixelRatio || 1;
    const w = this.lossWidth;
    const h = 80;
    if (canvas.width !== Math.round(w * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const hist = this.history;
    const xmax = Math.max(hist[hist.length - 1].x, 1);
    let ymax = 0;
    for (const p of hist) ymax = Math.max(ymax, Number.isFinite(p.train) ? p.train : 0, Number.isFinite(p.test) ? p.test : 0);
    ymax = Math.min(Math.max(ymax, 0.1), BLOW_UP * this.initLoss * 1.05);
    ctx.strokeStyle = this.gridInk;
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
    const line = (key, colourText, dash) => {
      ctx.beginPath();
      ctx.setLineDash(dash);
      hist.forEach((p, i) => {
        const x = (p.x / xmax) * (w - 2) + 1;
        const y = h - 1 - (Math.min(p[key], ymax) / ymax) * (h - 2);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.strokeStyle = colourText;
      ctx.lineWidth = 1.6;
      ctx.stroke();
      ctx.setLineDash([]);
    };
    line("train", "rgb(0,114,178)", []);
    line("test", "rgb(213,94,0)", [4, 3]);
    ctx.fillStyle = this.ink;
    ctx.font = "11px sans-serif";
    ctx.fillText(`손실 최대 ${ymax.toFixed(2)} · 에포크 ${xmax.toFixed(0)}`, 4, 12);
  }

  // ------------------------------------------------------------------ 가중치 고치기, 코드, 링크
  fillEditor(resetLayer = true) {
    const net = this.network;
    if (resetLayer) {
      const cur = Number(this.editLayer.value) || 0;
      this.editLayer.textContent = "";
      for (let l = 0; l < net.nLayers; l++) this.editLayer.append(el("option", { value: l, text: l === net.nLayers - 1 ? `${l + 1} (출력으로)` : String(l + 1) }));
      this.editLayer.value = String(Math.min(cur, net.nLayers - 1));
      const l = Number(this.editLayer.value);
      const names = (layer) => (layer === 0 ? this.config.features.map((f) => FEATURE_LABELS[f]) : Array.from({ length: net.dims[layer] }, (_, i) => `뉴런 ${i + 1}`));
      this.editFrom.textContent = "";
      names(l).forEach((s, i) => this.editFrom.append(el("option", { value: i, text: s })));
      this.editTo.textContent = "";
      (l === net.nLayers - 1 ? ["출력"] : names(l + 1)).forEach((s, i) => this.editTo.append(el("option", { value: i, text: s })));
    }
    const l = Number(this.editLayer.value);
    const k = Number(this.editFrom.value);
    const j = Number(this.editTo.value);
    this.editVal.value = net.W[l][k * net.dims[l + 1] + j].toFixed(3);
  }

  openEditor(l, k, j) {
    this.editor.open = true;
    this.editLayer.value = String(l);
    this.fillEditor();
    this.editFrom.value = String(k);
    this.editTo.value = String(j);
    this.fillEditor(false);
    this.editVal.focus();
    this.editVal.select();
  }

  applyEdit() {
    const v = Number(this.editVal.value);
    if (!Number.isFinite(v)) {
      this.say("가중치는 수여야 합니다.");
      return;
    }
    const net = this.network;
    const l = Number(this.editLayer.value);
    net.W[l][Number(this.editFrom.value) * net.dims[l + 1] + Number(this.editTo.value)] = v;
    this.edited = true;
    this.record();
    this.render();
  }

  updateCode() {
    this.code.textContent = pythonCode(this.config, this.network.steps, this.edited);
  }

  copy(text, okText) {
    const fallback = () => {
      const box = el("input", { type: "text", value: text, readonly: true, "aria-label": "복사할 내용" });
      this.say("자동으로 복사하지 못했습니다. 아래 칸의 내용을 직접 복사하세요.");
      this.msg.append(" ", box);
      box.select();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(() => this.say(okText), fallback);
    else fallback();
  }
}

export function mount(root, opts) {
  return new Playground(root, opts);
}
