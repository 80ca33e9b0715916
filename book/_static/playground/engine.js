// 신경망 놀이터의 학습 엔진 (ES 모듈, 의존성 없음).
// d2lutil/playground.py와 한 모델입니다: 같은 설정과 씨앗이면 같은 데이터, 같은 초기값, 같은 미니배치 순서,
// 같은 갱신을 float64로 계산합니다. 바꿀 때는 두 파일을 함께 바꾸고 tests/test_playground_parity.py를 돌리십시오.

export const DATASETS = ["circles", "xor", "gaussian", "spirals", "moons"];
export const ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear"];
export const FEATURES = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"];
export const DEFAULT_NOISE = { xor: 0.05, circles: 0.05, gaussian: 0.1, moons: 0.1, spirals: 0.04 };
export const DIVERGENCE_LIMIT = 1e6;
export const MAX_HIDDEN_LAYERS = 6;
export const MAX_UNITS = 8; // 브라우저 화면에서는 층마다 8개까지 (파이썬 엔진은 32개까지)

// mulberry32: 파이썬의 PortableRng와 비트 하나까지 같은 32비트 생성기
export class Rng {
  constructor(seed) {
    this.state = seed >>> 0;
  }
  nextU32() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    const a = this.state;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }
  uniform() {
    return this.nextU32() / 4294967296;
  }
  normal() {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  shuffleIndices(n) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}

// 데이터 n개: {X: Float64Array(2n) (x1, x2 번갈아), y: Uint8Array(n)}. 점 i의 클래스는 i % 2.
export function makeDataset(name, n, noise, seed) {
  if (!DATASETS.includes(name)) throw new Error(`알 수 없는 데이터입니다: ${name}`);
  if (noise === undefined || noise === null) noise = DEFAULT_NOISE[name];
  const rng = new Rng(seed);
  const X = new Float64Array(2 * n);
  const y = new Uint8Array(n);
  const perClass = Math.floor((n + 1) / 2);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const k = Math.floor(i / 2);
    let x1, x2;
    if (name === "circles") {
      const lo = label === 1 ? 0 : 0.7;
      const hi = label === 1 ? 0.5 : 1.0;
      const r = lo + (hi - lo) * rng.uniform();
      const t = 2 * Math.PI * rng.uniform();
      x1 = r * Math.cos(t);
      x2 = r * Math.sin(t);
    } else if (name === "xor") {
      let a, b;
      for (;;) {
        a = 2 * rng.uniform() - 1;
        b = 2 * rng.uniform() - 1;
        if (a * b < 0 === (label === 1)) break;
      }
      x1 = a + (a >= 0 ? 0.1 : -0.1);
      x2 = b + (b >= 0 ? 0.1 : -0.1);
    } else if (name === "gaussian") {
      const c = label === 1 ? 0.5 : -0.5;
      const s = 0.2 + noise;
      x1 = c + s * rng.normal();
      x2 = c + s * rng.normal();
    } else if (name === "spirals") {
      const r = 0.05 + (0.95 * k) / Math.max(perClass - 1, 1);
      const t = 3 * Math.PI * r + Math.PI * label;
      x1 = r * Math.cos(t);
      x2 = r * Math.sin(t);
    } else {
      const t = Math.PI * rng.uniform();
      let a, b;
      if (label === 0) {
        a = Math.cos(t);
        b = Math.sin(t);
      } else {
        a = 1 - Math.cos(t);
        b = 0.5 - Math.sin(t);
      }
      x1 = (a - 0.5) * 0.8;
      x2 = (b - 0.25) * 0.8;
    }
    if (name !== "gaussian" && noise > 0) {
      x1 += noise * rng.normal();
      x2 += noise * rng.normal();
    }
    X[2 * i] = x1;
    X[2 * i + 1] = x2;
    y[i] = label;
  }
  return { X, y };
}

function featureValue(f, x1, x2) {
  switch (f) {
    case "x1":
      return x1;
    case "x2":
      return x2;
    case "x1sq":
      return x1 * x1;
    case "x2sq":
      return x2 * x2;
    case "x1x2":
      return x1 * x2;
    case "sinx1":
      return Math.sin(x1);
    default:
      return Math.sin(x2);
  }
}

export function featureMatrix(X, features) {
  const n = X.length / 2;
  const m = features.length;
  const F = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) F[i * m + j] = featureValue(features[j], X[2 * i], X[2 * i + 1]);
  }
  return F;
}

export function defaultConfig() {
  return {
    dataset: "circles",
    hidden: [8, 8],
    activation: "tanh",
    lr: 0.03,
    batchSize: 10,
    l2: 0,
    l1: 0,
    momentum: 0.9,
    features: ["x1", "x2"],
    noise: DEFAULT_NOISE.circles,
    n: 400,
    trainRatio: 0.5,
    seed: 0,
    dataSeed: 0,
  };
}

function fail(name, msg) {
  throw new RangeError(`${name}: ${msg}`);
}

// 설정을 검사하고 빠진 값을 기본값으로 채운 새 객체를 돌려줍니다 (잘못된 값은 한국어 오류).
export function normalizeConfig(cfg, maxUnits = MAX_UNITS) {
  const c = { ...defaultConfig(), ...(cfg || {}) };
  if (!DATASETS.includes(c.dataset)) fail("dataset", `${DATASETS.join(", ")} 가운데 하나여야 합니다`);
  if (!ACTIVATIONS.includes(c.activation)) fail("activation", `${ACTIVATIONS.join(", ")} 가운데 하나여야 합니다`);
  if (!Array.isArray(c.hidden) || c.hidden.length > MAX_HIDDEN_LAYERS) fail("hidden", "은닉층은 0–6개여야 합니다");
  c.hidden = c.hidden.map((u) => {
    if (!Number.isInteger(u) || u < 1 || u > maxUnits) fail("hidden", `층마다 뉴런은 1–${maxUnits}개여야 합니다`);
    return u;
  });
  const pos = (name) => {
    if (!(typeof c[name] === "number" && Number.isFinite(c[name]) && c[name] > 0)) fail(name, "양수여야 합니다");
  };
  const nonneg = (name) => {
    if (!(typeof c[name] === "number" && Number.isFinite(c[name]) && c[name] >= 0)) fail(name, "0 이상이어야 합니다");
  };
  pos("lr");
  nonneg("l1");
  nonneg("l2");
  nonneg("noise");
  if (!(c.momentum >= 0 && c.momentum < 1)) fail("momentum", "0 이상 1 미만이어야 합니다");
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1) fail("batchSize", "1 이상의 정수여야 합니다");
  if (!Number.isInteger(c.n) || c.n < 4 || c.n > 100000) fail("n", "4–100000이어야 합니다");
  if (!(c.trainRatio >= 0.1 && c.trainRatio <= 0.9)) fail("trainRatio", "0.1–0.9여야 합니다");
  if (!Array.isArray(c.features) || c.features.length === 0) fail("features", "특성을 하나 이상 골라야 합니다");
  c.features = FEATURES.filter((f) => c.features.includes(f)).length === c.features.length ? [...c.features] : fail("features", "알 수 없는 특성이 있습니다");
  if (new Set(c.features).size !== c.features.length) fail("features", "같은 특성이 두 번 있습니다");
  for (const s of ["seed", "dataSeed"]) {
    if (!Number.isInteger(c[s]) || c[s] < 0 || c[s] > 4294967295) fail(s, "0 이상 2³²−1 이하의 정수여야 합니다");
  }
  c.hidden = [...c.hidden];
  return c;
}

export function nTrain(c) {
  return Math.min(Math.max(Math.floor(c.n * c.trainRatio + 0.5), 1), c.n - 1);
}

function bceWithLogits(z, y) {
  // 로짓 z의 이진 교차 엔트로피: 파이썬 d2lutil._kernels.bce_with_logits와 같은 식 (넘치지 않는다)
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

function activate(kind, z) {
  if (kind === "tanh") return Math.tanh(z);
  if (kind === "relu") return z > 0 ? z : 0;
  if (kind === "sigmoid") return 0.5 * (1 + Math.tanh(0.5 * z));
  return z;
}

function activateGrad(kind, z, h) {
  if (kind === "tanh") return 1 - h * h;
  if (kind === "relu") return z > 0 ? 1 : 0;
  if (kind === "sigmoid") return h * (1 - h);
  return 1;
}

export class Network {
  // state(선택): 파이썬 PlaygroundRun.export_state()의 결과. 주면 데이터·매개변수·생성기 상태를 그대로 씁니다.
  constructor(config, state) {
    const c = normalizeConfig(config, state ? 32 : MAX_UNITS);
    this.config = c;
    this.dims = [c.features.length, ...c.hidden, 1];
    this.nLayers = this.dims.length - 1;
    if (state) {
      this.XTrain = Float64Array.from(state.XTrain.flat());
      this.yTrain = Float64Array.from(state.yTrain);
      this.XTest = Float64Array.from(state.XTest.flat());
      this.yTest = Float64Array.from(state.yTest);
    } else {
      const { X, y } = makeDataset(c.dataset, c.n, c.noise, c.dataSeed);
      const split = new Rng((c.dataSeed ^ 0x9e3779b9) >>> 0).shuffleIndices(c.n);
      const nt = nTrain(c);
      this.XTrain = new Float64Array(2 * nt);
      this.yTrain = new Float64Array(nt);
      this.XTest = new Float64Array(2 * (c.n - nt));
      this.yTest = new Float64Array(c.n - nt);
      for (let r = 0; r < c.n; r++) {
        const i = split[r];
        const [Xd, yd, o] = r < nt ? [this.XTrain, this.yTrain, r] : [this.XTest, this.yTest, r - nt];
        Xd[2 * o] = X[2 * i];
        Xd[2 * o + 1] = X[2 * i + 1];
        yd[o] = y[i];
      }
    }
    this.FTrain = featureMatrix(this.XTrain, c.features);
    this.FTest = featureMatrix(this.XTest, c.features);
    this.W = [];
    this.b = [];
    this.vW = [];
    this.vb = [];
    this.gW = [];
    this.gb = [];
    if (state) {
      for (let l = 0; l < this.nLayers; l++) {
        this.W.push(Float64Array.from(state.params[2 * l].flat()));
        this.b.push(Float64Array.from(state.params[2 * l + 1]));
        this.vW.push(Float64Array.from(state.velocity[2 * l].flat()));
        this.vb.push(Float64Array.from(state.velocity[2 * l + 1]));
      }
      this.rng = new Rng(state.rngState);
      this.pos = state.pos;
      this.order = Int32Array.from(state.order);
    } else {
      this.rng = new Rng(c.seed);
      const gain = c.activation === "relu" ? 2 : 1;
      for (let l = 0; l < this.nLayers; l++) {
        const din = this.dims[l];
        const dout = this.dims[l + 1];
        const scale = Math.sqrt(gain / din);
        const W = new Float64Array(din * dout);
        for (let i = 0; i < din * dout; i++) W[i] = scale * this.rng.normal();
        this.W.push(W);
        this.b.push(new Float64Array(dout));
        this.vW.push(new Float64Array(din * dout));
        this.vb.push(new Float64Array(dout));
      }
      this.pos = 0;
      this.order = new Int32Array(0);
    }
    for (let l = 0; l < this.nLayers; l++) {
      this.gW.push(new Float64Array(this.W[l].length));
      this.gb.push(new Float64Array(this.b[l].length));
    }
    this.steps = 0;
    this.epoch = 0;
    this.diverged = false;
    // 한 걸음에 쓰는 버퍼: 층마다 (배치 × 너비)의 z와 h, 그리고 역전파의 기울기
    const bs = Math.min(c.batchSize, this.yTrain.length);
    this.hs = this.dims.map((d) => new Float64Array(bs * d));
    this.zs = this.dims.map((d) => new Float64Array(bs * d));
    this.gradA = new Float64Array(bs * Math.max(...this.dims));
    this.gradB = new Float64Array(bs * Math.max(...this.dims));
    this.one = this.dims.map((d) => new Float64Array(d));
    this.oneZ = this.dims.map((d) => new Float64Array(d));
  }

  // 배치 행 m개(F의 행 rows)를 순전파해 hs, zs를 채웁니다. 마지막 hs는 로짓입니다.
  _forwardBatch(F, rows, m) {
    const kind = this.config.activation;
    const nf = this.dims[0];
    const h0 = this.hs[0];
    for (let r = 0; r < m; r++) for (let k = 0; k < nf; k++) h0[r * nf + k] = F[rows[r] * nf + k];
    for (let l = 0; l < this.nLayers; l++) {
      const din = this.dims[l];
      const dout = this.dims[l + 1];
      const W = this.W[l];
      const b = this.b[l];
      const hin = this.hs[l];
      const z = this.zs[l + 1];
      const hout = this.hs[l + 1];
      const last = l === this.nLayers - 1;
      for (let r = 0; r < m; r++) {
        for (let j = 0; j < dout; j++) {
          let acc = 0;
          for (let k = 0; k < din; k++) acc += hin[r * din + k] * W[k * dout + j];
          const zz = acc + b[j];
          z[r * dout + j] = zz;
          hout[r * dout + j] = last ? zz : activate(kind, zz);
        }
      }
    }
  }

  // 미니배치 하나로 한 걸음. 에포크가 끝났으면 true.
  _step() {
    const c = this.config;
    const n = this.yTrain.length;
    if (this.pos === 0) this.order = this.rng.shuffleIndices(n);
    const start = this.pos;
    const m = Math.min(c.batchSize, n - start);
    const rows = this.order.subarray(start, start + m);
    this.pos += m;
    this._forwardBatch(this.FTrain, rows, m);
    const kind = c.activation;
    let grad = this.gradA;
    let next = this.gradB;
    const logits = this.hs[this.nLayers];
    for (let r = 0; r < m; r++) {
      const p = 0.5 * (1 + Math.tanh(0.5 * logits[r]));
      grad[r] = (p - this.yTrain[rows[r]]) / m;
    }
    const { lr, momentum: mu, l1, l2 } = c;
    for (let l = this.nLayers - 1; l >= 0; l--) {
      const din = this.dims[l];
      const dout = this.dims[l + 1];
      const W = this.W[l];
      const b = this.b[l];
      const h = this.hs[l];
      const gW = this.gW[l];
      const gb = this.gb[l];
      for (let k = 0; k < din; k++) {
        for (let j = 0; j < dout; j++) {
          let acc = 0;
          for (let r = 0; r < m; r++) acc += h[r * din + k] * grad[r * dout + j];
          gW[k * dout + j] = acc;
        }
      }
      for (let j = 0; j < dout; j++) {
        let acc = 0;
        for (let r = 0; r < m; r++) acc += grad[r * dout + j];
        gb[j] = acc;
      }
      if (l > 0) {
        const zprev = this.zs[l];
        for (let r = 0; r < m; r++) {
          for (let k = 0; k < din; k++) {
            let acc = 0;
            for (let j = 0; j < dout; j++) acc += grad[r * dout + j] * W[k * dout + j];
            next[r * din + k] = acc * activateGrad(kind, zprev[r * din + k], h[r * din + k]);
          }
        }
      }
      if (l2) for (let i = 0; i < W.length; i++) gW[i] += l2 * W[i];
      if (l1) for (let i = 0; i < W.length; i++) gW[i] += l1 * Math.sign(W[i]);
      const vW = this.vW[l];
      const vb = this.vb[l];
      for (let i = 0; i < W.length; i++) {
        vW[i] = mu * vW[i] + gW[i];
        W[i] -= lr * vW[i];
      }
      for (let j = 0; j < dout; j++) {
        vb[j] = mu * vb[j] + gb[j];
        b[j] -= lr * vb[j];
      }
      if (l > 0) {
        const t = grad;
        grad = next;
        next = t;
      }
    }
    this.steps += 1;
    if (this.pos >= n) {
      this.pos = 0;
      return true;
    }
    return false;
  }

  _diverging() {
    for (let l = 0; l < this.nLayers; l++) {
      for (const arr of [this.W[l], this.b[l]]) {
        for (let i = 0; i < arr.length; i++) {
          const v = arr[i];
          if (!(Math.abs(v) <= DIVERGENCE_LIMIT)) return true; // NaN도 여기서 걸립니다
        }
      }
    }
    return false;
  }

  snapshot() {
    return { W: this.W.map((w) => w.slice()), b: this.b.map((v) => v.slice()) };
  }

  restore(snap) {
    this.W = snap.W.map((w) => w.slice());
    this.b = snap.b.map((v) => v.slice());
    this.vW = this.W.map((w) => new Float64Array(w.length));
    this.vb = this.b.map((v) => new Float64Array(v.length));
  }

  // count 걸음 학습합니다. 발산하면 멈추고 직전 걸음의 값으로 되돌린 뒤 this.diverged = true.
  step(count = 1) {
    let epochs = 0;
    const before = count > 0 && !this.diverged ? this.snapshot() : null; // 발산하면 이 값(마지막으로 유한했던 값)으로
    for (let s = 0; s < count && !this.diverged; s++) {
      const finished = this._step();
      if (this._diverging()) {
        this.diverged = true;
        this.restore(before);
        break;
      }
      if (finished) {
        this.epoch += 1;
        epochs += 1;
      }
    }
    return epochs;
  }

  stepsPerEpoch() {
    return Math.ceil(this.yTrain.length / this.config.batchSize);
  }

  // 좌표 (x1, x2) 하나의 순전파. 층마다의 출력(hs)을 this.one에 남기고 로짓을 돌려줍니다.
  forwardPoint(x1, x2) {
    const kind = this.config.activation;
    const f = this.config.features;
    const h0 = this.one[0];
    for (let k = 0; k < f.length; k++) h0[k] = featureValue(f[k], x1, x2);
    for (let l = 0; l < this.nLayers; l++) {
      const din = this.dims[l];
      const dout = this.dims[l + 1];
      const W = this.W[l];
      const b = this.b[l];
      const hin = this.one[l];
      const hout = this.one[l + 1];
      const last = l === this.nLayers - 1;
      for (let j = 0; j < dout; j++) {
        let acc = 0;
        for (let k = 0; k < din; k++) acc += hin[k] * W[k * dout + j];
        const zz = acc + b[j];
        hout[j] = last ? zz : activate(kind, zz);
      }
    }
    return this.one[this.nLayers][0];
  }

  _loss(X, y) {
    let s = 0;
    const n = y.length;
    for (let i = 0; i < n; i++) s += bceWithLogits(this.forwardPoint(X[2 * i], X[2 * i + 1]), y[i]);
    return s / n;
  }

  losses() {
    return { train: this._loss(this.XTrain, this.yTrain), test: this._loss(this.XTest, this.yTest) };
  }

  accuracy(test = true) {
    const X = test ? this.XTest : this.XTrain;
    const y = test ? this.yTest : this.yTrain;
    let ok = 0;
    for (let i = 0; i < y.length; i++) ok += (this.forwardPoint(X[2 * i], X[2 * i + 1]) >= 0) === (y[i] === 1) ? 1 : 0;
    return ok / y.length;
  }

  params() {
    const out = [];
    for (let l = 0; l < this.nLayers; l++) out.push(Array.from(this.W[l]), Array.from(this.b[l]));
    return out;
  }
}

function pyFloat(v) {
  if (Number.isInteger(v)) return v.toFixed(1);
  return String(v);
}

// 지금 설정을 재현하는 파이썬 코드 (d2lutil.playground). steps는 지금까지 학습한 걸음 수.
export function pythonCode(config, steps, edited = false) {
  const c = normalizeConfig(config);
  const tuple = (arr, q) => (arr.length === 1 ? `(${q(arr[0])},)` : `(${arr.map(q).join(", ")})`);
  const lines = [
    "from d2lutil.playground import PlaygroundConfig, PlaygroundRun",
    "",
    "config = PlaygroundConfig(",
    `    dataset="${c.dataset}",`,
    `    hidden=${c.hidden.length ? tuple(c.hidden, String) : "()"},`,
    `    activation="${c.activation}",`,
    `    lr=${pyFloat(c.lr)},`,
    `    batch_size=${c.batchSize},`,
    `    weight_decay=${pyFloat(c.l2)},  # L2 규제`,
    `    l1=${pyFloat(c.l1)},  # L1 규제`,
    `    momentum=${pyFloat(c.momentum)},`,
    `    features=${tuple(c.features, (f) => `"${f}"`)},`,
    `    noise=${pyFloat(c.noise)},`,
    `    n=${c.n},`,
    `    train_ratio=${pyFloat(c.trainRatio)},`,
    `    seed=${c.seed},`,
    `    data_seed=${c.dataSeed},`,
    ")",
    "run = PlaygroundRun(config)",
    `run.step(${steps})  # 놀이터에서 학습한 걸음(미니배치) 수`,
    "train_loss, test_loss = run.losses()",
    'print(f"걸음 {run.steps}, 에포크 {run.epoch}: 훈련 손실 {train_loss:.4f}, 시험 손실 {test_loss:.4f}")',
  ];
  if (edited) lines.splice(0, 0, "# 주의: 손으로 고친 가중치는 이 코드에 담기지 않습니다.");
  return lines.join("\n") + "\n";
}

// URL 해시에 담는 짧은 문자열과 그 반대
const KEYS = [
  ["dataset", "ds", String],
  ["noise", "nz", Number],
  ["trainRatio", "tr", Number],
  ["batchSize", "bs", Number],
  ["activation", "act", String],
  ["lr", "lr", Number],
  ["l1", "l1", Number],
  ["l2", "l2", Number],
  ["momentum", "mu", Number],
  ["seed", "seed", Number],
  ["dataSeed", "dseed", Number],
];

export function encodeState(config, extra = {}) {
  const c = normalizeConfig(config);
  const parts = KEYS.map(([k, short]) => `${short}=${encodeURIComponent(String(c[k]))}`);
  parts.push(`h=${c.hidden.join(",")}`);
  parts.push(`f=${c.features.join(",")}`);
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${encodeURIComponent(String(v))}`);
  return parts.join("&");
}

export function decodeState(text) {
  const out = {};
  const extra = {};
  for (const part of text.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    const value = decodeURIComponent(part.slice(eq + 1));
    const known = KEYS.find(([, short]) => short === key);
    if (known) out[known[0]] = known[2](value);
    else if (key === "h") out.hidden = value === "" ? [] : value.split(",").map(Number);
    else if (key === "f") out.features = value.split(",").filter(Boolean);
    else extra[key] = value;
  }
  return { config: normalizeConfig(out), extra };
}
