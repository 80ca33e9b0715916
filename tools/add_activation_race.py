"""2.2 활성화 함수 노트북에 "ReLU는 정말 여섯 배 빠를까?" 절(셀 몇 개)을 끼워 넣는다. 실행: python tools/add_activation_race.py

activations.ipynb는 생성 스크립트 없이 직접 고치는 노트북이라, 이 절의 셀만 이 파일이 관리한다.
이미 들어 있으면(레이블 sec-activations-race) 그 셀들을 지우고 새로 넣는다. 넣은 뒤 tools/execute.py로 실행한다.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbgen import NotebookBuilder

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "book" / "part2" / "activations.ipynb"
MARK = "race-cell"  # 이 스크립트가 넣은 셀의 메타데이터 표시
AFTER = "(sec-activations-smooth)="  # 실험 셀은 이 셀 바로 앞에 넣는다 (ReLU 절의 끝)
QUIZ = "## 퀴즈"  # 연습 문제 셀은 퀴즈 바로 앞에 넣는다

cells = NotebookBuilder()
md, code = cells.md, cells.code

md("""
(sec-activations-race)=
### 작게 다시 재 보기: ReLU는 정말 여섯 배 빠를까?

AlexNet 논문의 그림 1은 "훈련 오차가 처음 25%에 닿을 때까지 몇 에포크가 걸리는가"를 ReLU 신경망과 tanh 신경망에서
잰 것입니다 {cite}`krizhevsky2012imagenet`. 같은 질문을 이 책의 데이터로, 몇 초 안에 끝나는 크기로 줄여 물어 봅니다.

- 데이터: {ref}`sec-digits`의 8×8 손글씨 숫자 훈련 세트({glue:text}`act_race_n`장).
- 신경망: 64 → 32 → 32 → 32 → 10. 은닉층 세 개에 같은 활성화 함수를 쓰고(가중치 층은 논문처럼 4개), 출력은
  소프트맥스와 교차 엔트로피입니다.
- 학습: 모멘텀 0.9인 경사 하강법(논문도 모멘텀 0.9). 한 걸음에 훈련 세트 전체를 쓰므로 한 에포크가 곧 한 걸음이고,
  섞는 순서가 없어 씨앗은 초기 가중치만 정합니다. 계산은 float64입니다.
- 초기화: 두 신경망에 같은 규칙(Xavier 정규분포)을 써서, 같은 씨앗이면 **똑같은 초기 가중치**에서 출발합니다.
- 학습률: 논문처럼 활성화 함수마다 "가장 빨리 학습하는 값"을 따로 고릅니다. 두 배 간격의 학습률 5개를 두 함수에
  똑같이 돌리고, 씨앗 5개가 모두 40 에포크 안에 25%에 닿은 학습률 가운데 에포크 수의 중앙값이 가장 작은 것을 고릅니다.

표의 숫자는 에포크 수이고, `-`는 40 에포크 안에 닿지 못했거나 발산한 경우입니다.
""")

code("""
from d2lutil.data import load_digits_split
from d2lutil.experiments import activation_race, training_error_curve

X_dig, _, y_dig, _ = load_digits_split(test_size=0.2, seed=0)
race_lrs = [0.05, 0.1, 0.2, 0.4, 0.8]
race = activation_race(X_dig, y_dig, lrs=race_lrs, seeds=range(5), hidden=(32, 32, 32), target=0.25, max_epochs=40)
print("학습률 | ReLU (씨앗 0–4)     | tanh (씨앗 0–4)")
for lr in race_lrs:
    row = [" ".join("  -" if e is None else f"{e:3d}" for e in race["epochs"][name][lr]) for name in ("relu", "tanh")]
    print(f"{lr:6.3f} | {row[0]} | {row[1]}")
glue("act_race_n", len(X_dig), display=False)
""")

code("""
relu_best = np.array(race["best_epochs"]["relu"])
tanh_best = np.array(race["best_epochs"]["tanh"])
race_ratio = tanh_best / relu_best  # 논문의 "6배"는 이 비(tanh 에포크 / ReLU 에포크)가 약 6이라는 뜻
print(f"ReLU: 학습률 {race['best_lr']['relu']}, 에포크 {relu_best.tolist()} (중앙값 {np.median(relu_best):g})")
print(f"tanh: 학습률 {race['best_lr']['tanh']}, 에포크 {tanh_best.tolist()} (중앙값 {np.median(tanh_best):g})")
print(f"씨앗별 비 tanh/ReLU: {np.round(race_ratio, 2).tolist()}")
print(f"중앙값 {np.median(race_ratio):.2f}, 범위 {race_ratio.min():.2f}–{race_ratio.max():.2f}  (논문: 약 6)")
same_lr = np.array(race["epochs"]["tanh"][0.1]) / np.array(race["epochs"]["relu"][0.1])
print(f"같은 학습률 0.1에서의 비: 중앙값 {np.median(same_lr):.2f}")
glue("act_race_relu_lr", race["best_lr"]["relu"], display=False)
glue("act_race_tanh_lr", race["best_lr"]["tanh"], display=False)
glue("act_race_relu_median", float(np.median(relu_best)), display=False)
glue("act_race_tanh_median", float(np.median(tanh_best)), display=False)
glue("act_race_ratio_median", round(float(np.median(race_ratio)), 2), display=False)
glue("act_race_ratio_min", round(float(race_ratio.min()), 2), display=False)
glue("act_race_ratio_max", round(float(race_ratio.max()), 2), display=False)
glue("act_race_ratio_same_lr", round(float(np.median(same_lr)), 2), display=False)
relu_fail_lr = min(lr for lr in race_lrs if all(e is None for e in race["epochs"]["relu"][lr]))
glue("act_race_relu_fail_lr", relu_fail_lr, display=False)
glue("act_race_tanh_ok_at_fail", sum(e is not None for e in race["epochs"]["tanh"][relu_fail_lr]), display=False)
""")

code(
    """
fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
for name, label, style in (("relu", "ReLU", "-"), ("tanh", "tanh", "--")):
    lr = race["best_lr"][name]
    curve = training_error_curve(X_dig, y_dig, activation=name, lr=lr, seed=0, hidden=(32, 32, 32), epochs=40)
    ax.plot(100 * curve, style, lw=2, label=f"{label} (학습률 {lr})")
ax.axhline(25, color="gray", lw=1, ls=":")
ax.text(40, 26.5, "훈련 오차 25%", ha="right", color="gray")
ax.set_xlabel("에포크 (회, 한 에포크 = 전체 배치 한 걸음)")
ax.set_ylabel("훈련 오차 (%)")
ax.set_ylim(0, 100)
ax.grid(True, alpha=0.3)
ax.legend()
plt.show()
""",
    tags=["hide-input"],
    caption="씨앗 0에서, 각자 가장 좋은 학습률로 학습한 ReLU 신경망(실선)과 tanh 신경망(점선)의 훈련 오차. AlexNet 논문의 그림 1과 같은 방식으로 그렸지만 결과는 반대입니다. 이 작은 신경망에서는 tanh 신경망이 25% 선(회색 점선)을 먼저 지납니다.",
    alt="가로축은 에포크(0–40), 세로축은 훈련 오차(%). 두 곡선 모두 90% 근처에서 시작해 내려가는데, 점선(tanh)이 실선(ReLU)보다 먼저 25% 가로선 아래로 내려간다.",
    name="fig-activations-race",
)

md("""
학습률을 각자 가장 좋은 값으로 고르면 ReLU 신경망(학습률 {glue:text}`act_race_relu_lr`)은 중앙값
{glue:text}`act_race_relu_median:g` 에포크, tanh 신경망(학습률 {glue:text}`act_race_tanh_lr`)은
{glue:text}`act_race_tanh_median:g` 에포크에 훈련 오차 25%에 닿았습니다. 씨앗마다 잰 비 tanh/ReLU는 중앙값
{glue:text}`act_race_ratio_median`(씨앗 5개의 범위 {glue:text}`act_race_ratio_min`–{glue:text}`act_race_ratio_max`)입니다.
논문의 약 6과 방향부터 반대입니다. 이 실험에서는 tanh 신경망이 더 빨랐고, 같은 학습률 0.1에서 비교해도 비가
{glue:josa}`act_race_ratio_same_lr|으로/로` 마찬가지입니다. ReLU에 맞춘 He 초기화를 두 신경망에 똑같이 써도 순서는 바뀌지
않습니다(`tests/test_book_activations_race.py`가 확인합니다).

그러면 논문이 틀린 걸까요? 그렇지 않습니다. 재는 대상이 다릅니다.

1. **규모와 단계가 다릅니다.** 논문은 32×32 컬러 그림 5만 장을 합성곱 신경망으로 여러 에포크 동안 학습했고, 여기서는
   쉬운 8×8 숫자에서 학습의 맨 처음 몇십 걸음만 봅니다. 25%는 이 데이터에서 "막 배우기 시작한" 수준입니다.
2. **tanh의 약점인 포화가 아직 일어나지 않습니다.** 작게 초기화한 신경망의 처음에는 가중합이 0 근처라 tanh가 거의
   항등 함수처럼 움직이고 기울기가 1에 가깝습니다. 반면 ReLU는 처음부터 유닛의 절반쯤이 기울기 0입니다. 아래 셀이 학습
   전의 평균 기울기를 잽니다.
3. **ReLU 신경망은 더 작은 학습률에서 무너집니다.** 출력에 위 끝이 없어서, 표에서 보듯 ReLU는 학습률
   {glue:text}`act_race_relu_fail_lr`부터 모든 씨앗이 실패하지만 tanh는 같은 학습률에서 씨앗
   {glue:text}`act_race_tanh_ok_at_fail`개가 모두 25%에 닿습니다. 학습률을 각자 고르면 tanh가 더 큰 걸음을 쓸 수 있습니다.

그러니 "ReLU는 tanh보다 6배 빠르다"는 특정 신경망과 데이터에서 잰 결과이지 활성화 함수의 고정된 성질이 아닙니다.
ReLU의 진짜 장점인 포화 없는 기울기는 신경망이 깊어지고 오래 학습할 때 드러납니다({ref}`sec-vanishing`).
""")

code("""
from d2lutil.experiments import init_weights

W_init = [W for W, _ in init_weights([64, 32, 32, 32, 10], seed=0)]
h_relu = h_tanh = X_dig
relu_slopes, tanh_slopes = [], []
for W in W_init[:-1]:  # 은닉층 세 개 (편향은 처음에 0)
    z_relu, z_tanh = h_relu @ W, h_tanh @ W
    relu_slopes.append(act.relu_grad(z_relu).mean())
    tanh_slopes.append(act.tanh_grad(z_tanh).mean())
    h_relu, h_tanh = act.relu(z_relu), act.tanh(z_tanh)
print("학습 전, 은닉층마다 활성화 함수 기울기의 평균")
print("  ReLU:", [round(float(v), 2) for v in relu_slopes])
print("  tanh:", [round(float(v), 2) for v in tanh_slopes])
glue("act_race_relu_slope", round(float(np.mean(relu_slopes)), 2), display=False)
glue("act_race_tanh_slope", round(float(np.mean(tanh_slopes)), 2), display=False)
""")

md("""
학습 전 은닉층의 평균 기울기는 ReLU가 약 {glue:text}`act_race_relu_slope`, tanh가 약 {glue:text}`act_race_tanh_slope`입니다.
처음 몇십 걸음 동안은 tanh 신경망이 역전파로 더 많은 신호를 받습니다. 학습률을 왜 따로 골라야 공정한지는
{ref}`ex-act-race`에서 생각해 봅니다.
""")

exercise = NotebookBuilder()
exercise.md("""
```{exercise} 공정한 경주
:label: ex-act-race

{ref}`sec-activations-race`에서는 학습률을 활성화 함수마다 따로 골랐습니다. (1) 두 신경망에 학습률 하나만 정해 비교하면
어떤 문제가 생길 수 있는지, 표의 학습률 {glue:text}`act_race_relu_fail_lr` 줄을 예로 들어 설명하세요. (2) 초기 가중치를 씨앗마다 두 신경망에서 똑같이
둔 까닭은 무엇입니까? (3) 여러분의 실험에서 ReLU가 tanh보다 빨라지게 하려면 무엇을 바꿔 보겠습니까? 까닭과 함께 두 가지를
드세요.
```

```{solution} ex-act-race
:class: dropdown

(1) 학습률 하나는 한쪽에 유리할 수 있습니다. {glue:text}`act_race_relu_fail_lr`에서는 ReLU 신경망이 모든 씨앗에서 실패하고 tanh는 잘 학습하므로
"tanh가 압도적으로 빠르다"는 결론이 나오고, 아주 작은 학습률에서는 차이가 다르게 보입니다. 각 함수가 가장 잘하는 학습률끼리
비교해야 활성화 함수의 차이를 잽니다. 격자가 각 함수의 최적값을 양쪽에서 감싸는지(더 큰 학습률이 실패하는지)도 확인해야
합니다. (2) 씨앗마다 출발점을 같게 두면 두 신경망의 차이가 초깃값의 운이 아니라 활성화 함수에서 옵니다. 씨앗별 비를
짝지어 계산할 수 있어 퍼짐도 작아집니다. (3) 예를 들어 은닉층을 훨씬 깊게 쌓으면 tanh의 기울기가 층마다 1보다 작은 값으로
곱해져 줄어들고({ref}`sec-vanishing`), 더 오래 학습하거나 가중합이 커지는 설정(큰 초기 가중치)에서는 tanh가 포화해 기울기를
잃습니다. 두 경우 모두 포화하지 않는 ReLU에 유리합니다. `activation_race`의 `hidden`과 `scheme` 인자로 직접 확인해 보세요.
```
""")


def main() -> None:
    nb = nbformat.read(NB, as_version=4)
    kept = [c for c in nb.cells if not c.metadata.get(MARK)]
    for c in cells.cells + exercise.cells:
        c.metadata[MARK] = True
    at = next(i for i, c in enumerate(kept) if c.cell_type == "markdown" and c.source.startswith(AFTER))
    kept = kept[:at] + cells.cells + kept[at:]
    quiz = next(i for i, c in enumerate(kept) if c.cell_type == "markdown" and c.source.startswith(QUIZ))
    nb.cells = kept[:quiz] + exercise.cells + kept[quiz:]
    nbformat.write(nb, NB)
    # 셀 안의 코드를 ruff 형식에 맞춘다 (lint 게이트가 노트북의 형식도 검사한다)
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(NB)], check=True)
    print(NB)


if __name__ == "__main__":
    main()
