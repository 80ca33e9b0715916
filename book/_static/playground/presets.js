// 책의 "해 볼 만한 실험"을 한 번에 맞추는 프리셋. 값은 기본 설정(engine.js의 defaultConfig) 위에 덮어씁니다.
// 글에서 <a href="#pg:preset=이름">으로 걸면 그 설정으로 바뀝니다.
export const PRESETS = {
  // 3.4 신경망 놀이터
  "linear": { label: "선형 활성화로 원 풀기", config: { dataset: "circles", activation: "linear" } },
  "tanh": { label: "원 · tanh", config: { dataset: "circles", activation: "tanh" } },
  "relu": { label: "원 · ReLU", config: { dataset: "circles", activation: "relu" } },
  "spiral-deep": { label: "나선 · 은닉층 4개", config: { dataset: "spirals", hidden: [8, 8, 8, 8] } },
  "spiral-features": {
    label: "나선 · 특성 일곱 개",
    config: { dataset: "spirals", hidden: [8, 8, 8, 8], features: ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"] },
  },
  "lr-big": { label: "학습률 3", config: { dataset: "circles", lr: 3 } },
  "lr-10": { label: "학습률 10", config: { dataset: "circles", lr: 10 } },
  "batch-1": { label: "배치 크기 1", config: { dataset: "circles", batchSize: 1 } },
  "decay": { label: "반달 · 가중치 감쇠 0.05", config: { dataset: "moons", noise: 0.2, trainRatio: 0.2, l2: 0.05 } },
  "no-decay": { label: "반달 · 감쇠 없음", config: { dataset: "moons", noise: 0.2, trainRatio: 0.2 } },
  // 3.2 역전파: XOR (전체 배치 경사 하강법, 모멘텀 없음 — 3.2의 학습과 같은 방식)
  "xor-221": { label: "XOR 2-2-1", config: { dataset: "xor", hidden: [2], lr: 1, momentum: 0, batchSize: 200 } },
  "xor-231": { label: "XOR 2-3-1", config: { dataset: "xor", hidden: [3], lr: 1, momentum: 0, batchSize: 200 } },
  "xor-241": { label: "XOR 2-4-1", config: { dataset: "xor", hidden: [4], lr: 1, momentum: 0, batchSize: 200 } },
  "xor-241-slow": { label: "2-4-1 · 학습률 0.1", config: { dataset: "xor", hidden: [4], lr: 0.1, momentum: 0, batchSize: 200 } },
  "xor-241-fast": { label: "2-4-1 · 학습률 10", config: { dataset: "xor", hidden: [4], lr: 10, momentum: 0, batchSize: 200 } },
};

export const PRESET_GROUPS = {
  digits: ["linear", "tanh", "relu", "spiral-deep", "spiral-features", "lr-big", "lr-10", "batch-1", "no-decay", "decay"],
  xor: ["xor-221", "xor-231", "xor-241", "xor-241-slow", "xor-241-fast"],
};
