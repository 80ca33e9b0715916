"""3.5 과적합과 드롭아웃 노트북(book/part3/regularization.ipynb)의 원본. 실행: python tools/make_regularization.py

셀을 고칠 때는 이 파일을 고치고 다시 만든 뒤 tools/execute.py로 실행한다.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nbgen import NotebookBuilder

ROOT = Path(__file__).resolve().parents[1]
book = NotebookBuilder()
md = book.md
code = book.code

md("""
(sec-regularization)=
# 3.5 과적합과 드롭아웃
""")

code(
    """
import sys

if "google.colab" in sys.modules:  # Colab에서는 도우미 패키지를 설치합니다
    %pip install -q "d2lutil @ git+https://github.com/nn-textbook-ko/nn-textbook"
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import d2lutil
from d2lutil.book import glue
from d2lutil.data import load_digits_split
from d2lutil.demos.regularization import DropoutDemo
from d2lutil.layers import Dropout

d2lutil.use_korean_font()
d2lutil.seed_everything(0)
torch.set_num_threads(1)  # 작은 신경망은 스레드 하나가 가장 빠르고, 결과도 늘 같습니다
""",
    tags=["hide-input"],
)

md("""
## 학습 목표

- 드롭아웃이 학습 때 무엇을 하고 평가 때 무엇을 하지 않는지, 남은 값을 왜 $1/(1-p)$배 키우는지 설명합니다.
- 드롭아웃 층의 순전파와 역전파를 넘파이로 구현하고, 역전파가 순전파의 마스크를 그대로 다시 쓴다는 것을 확인합니다.
- 일부러 과적합하는 설정에서 `nn.Dropout`과 가중치 감쇠를 켜고 끄며 훈련·시험 곡선을 비교하고, 효과를 숫자로 말합니다.
- `model.eval()`을 잊으면 무슨 일이 생기는지 압니다.
- {ref}`sec-digits`에서 학습한 신경망의 첫 층 가중치를 그림으로 그려 보고, 은닉 유닛이 "무엇을 배웠는지"라는 말이 어디까지 맞는지 따져 봅니다.
""")

md("""
(sec-regularization-idea)=
## 드롭아웃의 생각

{ref}`sec-digits-overfitting`에서 과적합을 누그러뜨리는 방법으로 가중치 감쇠를 보았습니다. 과적합을 막는 방법을
통틀어 **규제**(regularization)라고 합니다. 이 장에서는 AlexNet {cite:p}`krizhevsky2012imagenet`이 완전연결 층에 써서 널리
알려진 규제, **드롭아웃**(dropout) {cite:p}`srivastava2014dropout`을 다룹니다.

생각은 단순합니다. 학습하는 동안 미니배치마다 은닉 유닛 하나하나를 확률 $p$로 꺼 버립니다(출력을 0으로 만듭니다).
어떤 유닛도 특정한 동료 유닛이 늘 곁에 있으리라고 기댈 수 없으니, 유닛마다 혼자서도 쓸모 있는 특징을 배우게 됩니다.
미니배치마다 다른 유닛이 꺼지므로, 매개변수를 나눠 쓰는 수많은 "작은 신경망"을 한꺼번에 학습하고 평가할 때 그 평균을
쓰는 것과 비슷하다고 볼 수도 있습니다.

은닉층의 출력을 $\\mathbf{h}$라 하면, 학습 때는 원소마다 따로 뽑은 마스크 $m_i \\sim \\operatorname{Bernoulli}(1 - p)$로

$$
\\tilde{h}_i = \\frac{m_i\\, h_i}{1 - p}
$$ (eq-dropout)

를 다음 층에 넘깁니다. $1/(1-p)$로 나누는 까닭은 기댓값을 맞추기 위해서입니다.
$\\mathbb{E}[\\tilde{h}_i] = \\frac{(1 - p)\\, h_i}{1 - p} = h_i$이므로, 평가 때는 드롭아웃을 그냥 빼면(항등 함수로 두면)
다음 층이 학습 때와 같은 크기의 입력을 받습니다. 학습 때 미리 키워 두는 이 방식을 **역 드롭아웃**(inverted dropout)이라고
하며, 파이토치의 `nn.Dropout`도 이렇게 합니다(원래 논문은 학습 때 키우지 않고 평가 때 가중치에 $1-p$를 곱했습니다).
그래서 드롭아웃 층에는 **학습 모드**와 **평가 모드**(evaluation mode)가 있고, 파이토치에서는 `model.train()`과
`model.eval()`이 이 모드를 바꿉니다.

역전파는 어떨까요? 마스크를 상수로 보면 식 {eq}`eq-dropout`은 $h_i$에 상수를 곱하는 일이므로
$\\partial \\mathcal{L} / \\partial h_i = \\frac{m_i}{1 - p}\\, \\partial \\mathcal{L} / \\partial \\tilde{h}_i$입니다.
**순전파에서 쓴 바로 그 마스크**를 기울기에 곱해야 합니다. 새로 뽑으면 틀린 기울기가 됩니다.
""")

md("""
(sec-regularization-scratch)=
## 밑바닥부터: 넘파이 드롭아웃 층

`d2lutil.layers.Dropout`은 {ref}`sec-backprop`의 층들과 같은 약속(`forward`, `backward`, 입력을 고치지 않음)을 따르고,
`train()`과 `eval()`로 모드를 바꿉니다. 마스크는 `forward`를 부를 때마다 새로 뽑아 `self.mask`에 기억해 두었다가
`backward`에서 다시 씁니다. 모두 1인 입력에 $p = 0.5$로 적용해 봅시다.
""")

code("""
drop = Dropout(p=0.5, seed=0)
ones = np.ones((3, 8))
out = drop.forward(ones)
print("학습 모드 출력:\\n", out)
grad_in = drop.backward(np.full((3, 8), 0.1))
print("역전파 (위에서 온 기울기 0.1):\\n", grad_in)
print("출력이 0인 곳과 기울기가 0인 곳이 같은가?", bool(np.array_equal(out == 0, grad_in == 0)))
print("평가 모드 출력이 입력과 같은가?", bool(np.array_equal(drop.eval().forward(ones), ones)))
glue("reg_scratch_same_zeros", bool(np.array_equal(out == 0, grad_in == 0)), display=False)
""")

md("""
살아남은 원소는 $1/(1 - 0.5) = 2$가 되고, 역전파에서도 같은 자리만 기울기(0.1 × 2)를 받습니다. 기댓값이 정말 입력과
같은지 많은 원소로 확인하고, 파이토치의 `nn.Dropout`과 나란히 놓아 봅니다.
""")

code("""
n = 1_000_000
x_big = np.full(n, 3.0)
ours = Dropout(p=0.3, seed=1).forward(x_big)
torch.manual_seed(1)
theirs = nn.Dropout(p=0.3).train()(torch.tensor(x_big)).numpy()
se = 3.0 * np.sqrt(0.3 / 0.7) / np.sqrt(n)  # 평균의 표준오차
for name, o in (("d2lutil Dropout", ours), ("nn.Dropout     ", theirs)):
    print(f"{name}: 0인 비율 {np.mean(o == 0):.3f}, 평균 {o.mean():.3f} (입력 3.000), 살아남은 값 {o.max():.4f}")
print(f"평균의 표준오차: {se:.4f}")
glue("reg_mean_ours", round(float(ours.mean()), 2), display=False)
glue("reg_mean_torch", round(float(theirs.mean()), 2), display=False)
glue("reg_drop_frac", round(float(np.mean(ours == 0)), 2), display=False)
""")

md("""
$p = 0.3$이면 원소의 {glue:text}`reg_drop_frac`쯤이 0이 되고, 남은 값은 $3/0.7 \\approx 4.2857$입니다. 평균은 두 구현 모두
입력과 같은 3 근처({glue:text}`reg_mean_ours`, {glue:text}`reg_mean_torch`)입니다. 마스크를 뽑는 난수 생성기가 서로 달라
0이 되는 자리는 다르지만, 약속(확률 $p$로 0, 남은 값은 $1/(1-p)$배, 평가 때는 항등)은 같습니다.
`tests/test_layers_dropout.py`가 이 약속과 역전파를 torch autograd와 유한 차분으로 검사합니다.
""")

md("""
(sec-regularization-demo)=
### 대화형 실험: 마스크를 눈으로 보기

드롭아웃은 보통 은닉 유닛에 쓰지만, 눈으로 보기 쉽도록 손글씨 숫자 한 장의 픽셀 64개에 같은 `Dropout` 층을 씌워 봅니다.
$p$를 바꾸면 꺼지는 픽셀 수와 남은 픽셀의 밝기가 함께 바뀝니다. 마스크 번호(씨앗)를 바꾸면 같은 $p$에서 다른 마스크가
나옵니다. 학습 중에는 미니배치마다 이렇게 새 마스크를 뽑습니다. 평균 밝기가 $p$와 상관없이 원래 값 근처에 머무는지 보세요.
Jupyter에서 실행하면 슬라이더로, 온라인 책에서는 미리 그린 프레임으로 넘겨 볼 수 있습니다.
""")

code("""
DropoutDemo()
""")

md("""
(sec-regularization-experiment)=
## 과적합하는 설정에서 비교하기

{ref}`sec-digits`의 신경망은 훈련 그림이 충분히 많아 과적합이 그리 심하지 않았습니다. 규제의 효과를 또렷이 보려고
일부러 과적합하기 쉬운 설정을 만듭니다.

- 훈련 데이터: {ref}`sec-digits`와 같은 분할의 훈련 세트에서 숫자마다 앞의 20장씩, 모두 200장만 씁니다. 시험 세트는 그대로입니다.
- 신경망: 64 → 256 → 256 → 10, ReLU 함수. 매개변수가 훈련 그림보다 수백 배 많습니다.
- 학습: 미니배치 32개, 모멘텀 0.9인 SGD, 학습률 0.02, 60 에포크. float64로 계산해 어느 CPU에서나 같은 숫자가 나오게 합니다.
- 비교하는 세 설정: 아무 규제 없음, 두 은닉층 뒤에 `nn.Dropout(0.5)`, 가중치 감쇠 $\\lambda = 10^{-3}$
  (`SGD(..., weight_decay=1e-3)`, {ref}`sec-digits-overfitting`의 식 그대로).

씨앗이 같으면 세 설정의 초기 가중치와 미니배치 순서가 같습니다. 에포크가 끝날 때마다 `model.eval()`로 바꿔 훈련 세트 200장과
시험 세트 전체의 손실과 정확도를 잽니다.
""")

code('''
X_train, X_test, y_train, y_test = load_digits_split(test_size=0.2, seed=0)
small_idx = np.concatenate([np.flatnonzero(y_train == d)[:20] for d in range(10)])
Xs, ys = torch.tensor(X_train[small_idx]), torch.tensor(y_train[small_idx])
Xte64, yte = torch.tensor(X_test), torch.tensor(y_test)


def make_net(p_drop):
    """64 → 256 → 256 → 10. p_drop > 0이면 두 은닉층 뒤에 드롭아웃을 둡니다."""
    layers = [nn.Linear(64, 256), nn.ReLU()]
    layers += [nn.Dropout(p_drop)] if p_drop else []
    layers += [nn.Linear(256, 256), nn.ReLU()]
    layers += [nn.Dropout(p_drop)] if p_drop else []
    return nn.Sequential(*layers, nn.Linear(256, 10)).double()


def run_setting(p_drop, weight_decay, *, seed=0, epochs=60):
    """한 설정을 학습하고 에포크마다 (훈련 손실, 훈련 정확도, 시험 손실, 시험 정확도)를 돌려줍니다."""
    torch.manual_seed(seed)  # 초기 가중치와 드롭아웃 마스크
    net = make_net(p_drop)
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9, weight_decay=weight_decay)
    order = torch.Generator().manual_seed(seed)  # 미니배치 순서
    loss_fn = nn.CrossEntropyLoss()
    history = []
    for _ in range(epochs):
        net.train()  # 드롭아웃 켜기
        perm = torch.randperm(len(Xs), generator=order)
        for i in range(0, len(Xs), 32):
            batch = perm[i : i + 32]
            loss = loss_fn(net(Xs[batch]), ys[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()  # 평가할 때는 드롭아웃 끄기
        with torch.no_grad():
            z_tr, z_te = net(Xs), net(Xte64)
            history.append([
                loss_fn(z_tr, ys).item(), (z_tr.argmax(1) == ys).double().mean().item(),
                loss_fn(z_te, yte).item(), (z_te.argmax(1) == yte).double().mean().item(),
            ])
    return net, np.array(history)


settings = {"규제 없음": (0.0, 0.0), "드롭아웃 0.5": (0.5, 0.0), "가중치 감쇠": (0.0, 1e-3)}
results = {name: run_setting(p, wd) for name, (p, wd) in settings.items()}
print(f"훈련 {len(Xs)}장, 시험 {len(Xte64)}장, 60 에포크 뒤 (평가 모드)")
print("설정          훈련 손실  훈련 정확도  시험 손실  시험 정확도")
for name, (_, h) in results.items():
    print(f"{name:<10} {h[-1, 0]:10.3f} {100 * h[-1, 1]:10.1f}% {h[-1, 2]:10.3f} {100 * h[-1, 3]:10.1f}%")
keys = {"규제 없음": "none", "드롭아웃 0.5": "dropout", "가중치 감쇠": "decay"}
for name, key in keys.items():
    h = results[name][1]
    glue(f"reg_{key}_train_loss", round(float(h[-1, 0]), 3), display=False)
    glue(f"reg_{key}_test_loss", round(float(h[-1, 2]), 3), display=False)
    glue(f"reg_{key}_train_acc", round(100 * float(h[-1, 1]), 1), display=False)
    glue(f"reg_{key}_test_acc", round(100 * float(h[-1, 3]), 1), display=False)
glue("reg_n_small", len(Xs), display=False)
glue("reg_n_params", sum(p.numel() for p in make_net(0).parameters()), display=False)
glue("reg_one_image_pct", round(100 / len(yte), 2), display=False)
''')

code(
    """
fig, (ax_tr, ax_te) = plt.subplots(1, 2, figsize=(9.5, 3.6), layout="constrained", sharey=True)
styles = {"규제 없음": "-", "드롭아웃 0.5": "--", "가중치 감쇠": "-."}
epochs_axis = np.arange(1, 61)
for name, (_, h) in results.items():
    ax_tr.plot(epochs_axis, h[:, 0], styles[name], lw=2, label=name)
    ax_te.plot(epochs_axis, h[:, 2], styles[name], lw=2, label=name)
ax_tr.set_title("훈련 세트 (200장)")
ax_te.set_title("시험 세트")
for ax in (ax_tr, ax_te):
    ax.set_xlabel("에포크 (회)")
    ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
ax_tr.set_ylabel("손실 (교차 엔트로피, 로그 눈금)")
ax_te.legend()
plt.show()
""",
    tags=["hide-input"],
    caption="훈련 그림 200장으로 학습한 세 설정의 손실 곡선(평가 모드로 잰 값, 로그 눈금). 규제가 없으면 훈련 손실은 계속 0을 향해 내려가지만 시험 손실은 20 에포크쯤부터 더 내려가지 않고 평평해집니다. 그 뒤의 학습은 훈련 그림을 외우는 데만 쓰입니다. 드롭아웃을 쓰면 훈련 손실은 덜 내려가고 들쭉날쭉하지만 시험 손실은 끝까지 조금씩 내려가 가장 낮은 곳에 이릅니다.",
    alt="두 그래프. 왼쪽은 훈련 세트, 오른쪽은 시험 세트의 손실(로그 눈금)을 에포크 1–60에 대해 그렸다. 세 선(규제 없음, 드롭아웃 0.5, 가중치 감쇠)이 있다. 왼쪽에서는 규제 없음이 가장 낮게 내려가고, 오른쪽에서는 드롭아웃 선이 가장 낮다.",
    name="fig-regularization-curves",
)

md("""
60 에포크 뒤 규제 없는 신경망은 훈련 정확도 {glue:text}`reg_none_train_acc`%, 훈련 손실 {glue:josa}`reg_none_train_loss|으로/로`
200장을 거의 외웠지만, 시험 손실은 {glue:text}`reg_none_test_loss`, 시험 정확도는 {glue:text}`reg_none_test_acc`%입니다.
매개변수 {glue:text}`reg_n_params`개로 그림 {glue:text}`reg_n_small`장을 배우니 당연한 결과입니다.

- **드롭아웃 0.5**는 시험 손실을 {glue:text}`reg_dropout_test_loss`까지 낮추고 시험 정확도를 {glue:text}`reg_dropout_test_acc`%로 올렸습니다.
  훈련 손실({glue:text}`reg_dropout_train_loss`)은 규제 없을 때보다 높습니다. 외우기 어렵게 만든 대가이자 목적입니다.
- **가중치 감쇠** $\\lambda = 10^{-3}$은 시험 손실을 {glue:josa}`reg_decay_test_loss|으로/로` 조금 낮췄고 시험 정확도는
  {glue:text}`reg_decay_test_acc`%입니다. 가중치를 작게 묶으면 확률이 덜 극단적이 되어 손실은 좋아지지만, 예측한 숫자 자체는
  잘 바뀌지 않습니다. 이 $\\lambda$는 작은 편이라 효과도 작습니다. `settings`에 더 큰 $\\lambda$를 더해 직접 비교해 보세요.

시험 그림 한 장은 {glue:text}`reg_one_image_pct`%에 해당하므로, 정확도의 1%p 안팎 차이는 그림 몇 장의 차이입니다.
손실은 확률 전체를 보므로 정확도보다 덜 들쭉날쭉합니다. 씨앗 하나로 잰 결과라서 `tests/test_book_regularization.py`는
씨앗 1과 2로도 학습해 "드롭아웃이 시험 손실을 낮춘다"는 결론이 바뀌지 않는지 확인합니다.
""")

md("""
(sec-regularization-eval)=
### 흔한 오해: 평가할 때도 드롭아웃이 켜져 있다

:::{admonition} 흔한 오해: "`model.eval()`은 빼먹어도 된다"
:class: warning
`nn.Dropout`은 모드만 보고 움직입니다. 학습이 끝난 뒤 `model.eval()`을 부르지 않으면 시험 데이터에서도 유닛의 절반이
무작위로 꺼진 채 예측합니다. 같은 그림을 두 번 넣어도 답이 달라지고, 정확도도 떨어집니다. 아래 셀이 드롭아웃 신경망으로 이를
보여 줍니다. 평가할 때는 `model.eval()`과 `torch.no_grad()`를 함께 쓰고, 다시 학습할 때는 `model.train()`으로 돌려 놓으세요.
:::
""")

code("""
dropout_net = results["드롭아웃 0.5"][0]
torch.manual_seed(0)
dropout_net.train()  # 실수: 평가 모드로 바꾸지 않음
with torch.no_grad():
    acc_train_mode = [(dropout_net(Xte64).argmax(1) == yte).double().mean().item() for _ in range(5)]
dropout_net.eval()
with torch.no_grad():
    acc_eval_mode = (dropout_net(Xte64).argmax(1) == yte).double().mean().item()
print("학습 모드로 다섯 번 잰 시험 정확도:", [f"{100 * a:.1f}%" for a in acc_train_mode])
print(f"평가 모드의 시험 정확도: {100 * acc_eval_mode:.1f}%")
glue("reg_acc_train_mode_min", round(100 * min(acc_train_mode), 1), display=False)
glue("reg_acc_train_mode_max", round(100 * max(acc_train_mode), 1), display=False)
glue("reg_acc_eval_mode", round(100 * acc_eval_mode, 1), display=False)
""")

md("""
학습 모드로 두면 시험 정확도가 잴 때마다 {glue:text}`reg_acc_train_mode_min`%에서 {glue:text}`reg_acc_train_mode_max`%
사이로 흔들리고, 평가 모드의 {glue:text}`reg_acc_eval_mode`%보다 낮습니다.
""")

md("""
(sec-regularization-hidden)=
## 은닉 유닛은 무엇을 배웠을까

흔히 "입력에 가까운 층은 단순한 특징을, 출력에 가까운 층은 복잡한 특징을 배운다"고 말합니다. 정말 그런지 {ref}`sec-digits`의
열 가지 숫자 분류기(64 → 128 → 10, Adam, 30 에포크)를 같은 씨앗과 같은 미니배치 순서로 다시 학습해 들여다봅니다. 은닉 유닛
$j$의 가중합은 $z_j = \\sum_{k} x_k W_{kj} + b_j$이므로, 첫 층 가중치 행렬의 $j$열 $W_{:,j}$(64개)를 8×8로 다시 늘어놓으면 "이
유닛이 어느 픽셀이 밝을 때 켜지는가"를 그림으로 볼 수 있습니다. 빨간 픽셀은 밝을수록 $z_j$를 키우고, 파란 픽셀은 줄입니다.
""")

code("""
Xtr32 = torch.tensor(X_train, dtype=torch.float32)
Xte32 = torch.tensor(X_test, dtype=torch.float32)
torch.manual_seed(0)
digit_net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
digit_opt = torch.optim.Adam(digit_net.parameters(), lr=1e-3)
digit_loader = DataLoader(
    TensorDataset(Xtr32, torch.tensor(y_train)), batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0)
)
for _ in range(30):  # 3.4절과 같은 30 에포크
    for xb, yb in digit_loader:
        loss = nn.functional.cross_entropy(digit_net(xb), yb)
        digit_opt.zero_grad()
        loss.backward()
        digit_opt.step()
with torch.no_grad():
    hidden_act = torch.relu(digit_net[0](Xte32)).numpy()  # (시험 그림 수, 128)
    digit_acc = (digit_net(Xte32).argmax(1).numpy() == y_test).mean()
W1 = digit_net[0].weight.detach().numpy()  # (128, 64): 파이토치는 (출력, 입력) 순서
print(f"시험 정확도 {digit_acc:.4f} (3.4절과 같은 모델)")
glue("reg_digit_acc", float(digit_acc), display=False)
""")

md("""
시험 정확도 {glue:josa}`reg_digit_acc:.4f|은/는` {ref}`sec-digits-multiclass`와 같은 값입니다. 같은 모델을 다시 만든 것입니다.
시험 세트에서 평균 출력이 가장 큰 은닉 유닛 16개의 가중치를 그립니다. 제목의 숫자는 그 유닛이 평균적으로 가장 세게 켜지는 숫자입니다.
""")

code(
    """
class_mean = np.stack([hidden_act[y_test == d].mean(axis=0) for d in range(10)])  # (10, 128)
top_units = np.argsort(-hidden_act.mean(axis=0))[:16]
fig, axes = plt.subplots(2, 8, figsize=(9, 3.4), layout="constrained")
for ax, j in zip(axes.ravel(), top_units):
    w = W1[j].reshape(8, 8)
    lim = np.abs(w).max()
    ax.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_title(f"유닛 {j}\\n가장 센 숫자 {class_mean[:, j].argmax()}", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
""",
    tags=["hide-input"],
    caption="3.4절 숫자 분류기에서 시험 세트의 평균 출력이 가장 큰 은닉 유닛 16개의 첫 층 가중치(8×8, 빨강은 양수, 파랑은 음수, 유닛마다 색 범위를 맞춤). 획이나 모서리 같은 깔끔한 '단순한 특징'은 보이지 않습니다. 대부분은 몇 군데 빨간 덩어리와 파란 덩어리가 섞인 얼룩으로, 여러 숫자의 일부와 조금씩 겹치는 흐릿한 틀에 가깝습니다.",
    alt="2줄 8칸의 작은 8×8 색 격자 16개. 각 격자는 빨간 칸과 파란 칸이 얼룩처럼 섞여 있고, 위에 '유닛 번호'와 '가장 센 숫자'가 적혀 있다. 숫자 모양이나 뚜렷한 선은 거의 보이지 않는다.",
    name="fig-regularization-hidden",
)

code("""
share = class_mean.max(axis=0) / np.maximum(class_mean.sum(axis=0), 1e-12)  # 가장 센 숫자가 차지하는 몫
dead = int(np.sum(hidden_act.max(axis=0) == 0))
alive = hidden_act.max(axis=0) > 0
print(f"시험 세트에서 한 번도 켜지지 않은 유닛: {dead}개 / 128개")
print(f"가장 센 숫자가 평균 출력에서 차지하는 몫의 중앙값: {np.median(share[alive]):.2f} (한 숫자만 보면 1, 고르게 보면 0.1)")
print(f"그 몫이 0.5를 넘는 유닛: {int(np.sum(share[alive] > 0.5))}개")
glue("reg_dead_units", dead, display=False)
glue("reg_share_median", round(float(np.median(share[alive])), 2), display=False)
glue("reg_share_over_half", int(np.sum(share[alive] > 0.5)), display=False)
""")

md("""
숫자를 보는 방식을 숫자로 재 보면, 유닛이 켜질 때 가장 센 숫자가 평균 출력에서 차지하는 몫은 중앙값
{glue:text}`reg_share_median`입니다. 한 숫자에만 반응하는 "숫자 검출기"(몫 1)도, 모든 숫자에 똑같이 반응하는 유닛(몫 0.1)도
아니고, 대부분 몇 가지 숫자에 함께 반응합니다. 몫이 0.5를 넘는 유닛은 {glue:text}`reg_share_over_half`개, 시험 세트에서 한
번도 켜지지 않은 유닛은 {glue:text}`reg_dead_units`개입니다.

"단순한 특징에서 복잡한 특징으로"라는 그림은 이 신경망에서는 확인할 수 없습니다. 은닉층이 하나뿐이라 "앞쪽 층"과 "뒤쪽 층"을
비교할 수 없고, 8×8 그림은 획이 한두 픽셀 굵기라 모서리나 곡선 같은 작은 조각을 담을 자리가 없습니다. 이 말은 큰 그림을 여러
층의 합성곱 신경망으로 학습할 때 첫 층 필터가 모서리와 색 얼룩처럼 보인다는 관찰에서 나왔습니다. 여기서 볼 수 있는 것은 더
소박합니다. 각 유닛은 숫자들을 가르는 데 쓸모 있는 밝은 곳과 어두운 곳의 조합을 배웠고, 숫자 하나를 알아보는 일은 여러
유닛이 나눠 맡습니다.
""")

md("""
## 요약

- 과적합을 막는 방법을 규제라고 합니다. 가중치 감쇠는 가중치를 작게 묶고, 드롭아웃은 학습 때 은닉 유닛을 확률 $p$로 꺼서 유닛들이 서로에게 기대지 못하게 합니다.
- 역 드롭아웃은 학습 때 남은 값을 $1/(1-p)$배 키워 기댓값을 맞추므로, 평가 때는 드롭아웃을 빼기만 하면 됩니다. 역전파는 순전파의 마스크를 그대로 씁니다.
- 훈련 그림 200장으로 과적합시킨 신경망에서 드롭아웃 0.5는 시험 손실을 {glue:text}`reg_none_test_loss`에서 {glue:josa}`reg_dropout_test_loss|으로/로` 낮췄고, 가중치 감쇠는 {glue:josa}`reg_decay_test_loss|으로/로` 낮췄습니다.
- 평가할 때 `model.eval()`을 잊으면 드롭아웃이 켜진 채로 예측해 결과가 흔들리고 나빠집니다.
- 첫 층 가중치를 그림으로 보면 은닉 유닛은 깔끔한 획이 아니라 여러 숫자에 걸친 흐릿한 밝기 조합을 배웁니다. "단순한 특징에서 복잡한 특징으로"는 깊은 합성곱 신경망의 이야기이고, 은닉층 하나짜리 신경망으로는 보여 줄 수 없습니다.
""")

md("""
## 연습 문제

```{exercise} 드롭아웃의 기댓값과 분산
:label: ex-reg-moments

$\\tilde{h} = m h / (1 - p)$, $m \\sim \\operatorname{Bernoulli}(1 - p)$일 때 $\\mathbb{E}[\\tilde{h}] = h$와
$\\operatorname{Var}[\\tilde{h}] = \\frac{p}{1 - p} h^2$을 보이세요. $p$가 1에 다가가면 어떻게 됩니까? 이 결과로 위 셀의
"평균의 표준오차" 식을 설명하세요.
```

```{solution} ex-reg-moments
:class: dropdown

$m$은 확률 $1 - p$로 1, 확률 $p$로 0이므로 $\\mathbb{E}[m] = \\mathbb{E}[m^2] = 1 - p$입니다. 따라서
$\\mathbb{E}[\\tilde{h}] = \\frac{(1 - p) h}{1 - p} = h$이고
$\\mathbb{E}[\\tilde{h}^2] = \\frac{(1 - p) h^2}{(1 - p)^2} = \\frac{h^2}{1 - p}$이므로
$\\operatorname{Var}[\\tilde{h}] = \\frac{h^2}{1 - p} - h^2 = \\frac{p}{1 - p} h^2$입니다. $p \\to 1$이면 분산이 끝없이 커집니다.
거의 모든 유닛을 끄고 남은 몇 개를 아주 크게 키우기 때문입니다. 그래서 $p = 1$은 쓸 수 없고(`Dropout(1.0)`은 오류), 보통
0.1–0.5를 씁니다. 독립인 원소 $n$개의 평균은 분산이 $n$분의 1이 되므로 표준오차는 $|h|\\sqrt{p/(1-p)}/\\sqrt{n}$이고,
$h = 3$, $p = 0.3$을 넣은 것이 위 셀의 식입니다.
```

```{exercise} 넘파이 신경망에 드롭아웃 넣기
:label: ex-reg-scratch

`d2lutil.layers`로 `Sequential([Affine.random(64, 128, seed=0), ReLU(), Dropout(0.5, seed=1), Affine.random(128, 10, seed=2)])`를 만들어
손글씨 숫자 훈련 그림 200장(위와 같은 `small_idx`)에 Adam으로 학습하세요. 평가하기 전에 무엇을 불러야 합니까? 드롭아웃이 있을 때와
없을 때 시험 정확도를 비교하세요.
```

```{solution-start} ex-reg-scratch
:class: dropdown
```

평가하기 전에 `net.eval()`을 불러 드롭아웃을 끄고, 다시 학습할 때는 `net.train()`을 부릅니다. `Sequential.train()`과 `eval()`은
안의 모든 층의 모드를 함께 바꿉니다.
""")

code("""
from d2lutil.data import minibatches
from d2lutil.layers import Affine, ReLU, Sequential, SoftmaxCrossEntropy
from d2lutil.optim import Adam


def numpy_net_accuracy(p_drop):
    layers = [Affine.random(64, 128, seed=0), ReLU()]
    layers += [Dropout(p_drop, seed=1)] if p_drop else []
    net = Sequential([*layers, Affine.random(128, 10, seed=2)])
    loss, opt = SoftmaxCrossEntropy(), Adam(lr=1e-3)
    for epoch in range(50):
        net.train()
        for xb, yb in minibatches(X_train[small_idx], y_train[small_idx], 32, seed=epoch):
            loss.forward(net.forward(xb), yb)
            net.backward(loss.backward())
            opt.step(net.parameters(), net.grads())
    net.eval()
    return float(np.mean(net.forward(X_test).argmax(axis=1) == y_test))


for p_drop in (0.0, 0.5):
    print(f"드롭아웃 p = {p_drop}: 시험 정확도 {100 * numpy_net_accuracy(p_drop):.1f}%")
""")

md("""
씨앗 하나로 잰 정확도라 차이가 작을 수 있습니다. 손실도 함께 재거나 씨앗을 바꿔 가며 비교해 보세요.

```{solution-end}
```
""")

md("""
```{exercise} 같은 마스크가 아니면
:label: ex-reg-mask

누군가 드롭아웃의 `backward`에서 마스크를 새로 뽑았다고 합시다. 이 기울기는 어떤 함수의 기울기입니까? 기울기 확인
({ref}`sec-backprop`)으로 이 실수를 잡을 수 있을까요?
```

```{solution} ex-reg-mask
:class: dropdown

새 마스크 $m'$로 곱한 기울기 $m' \\odot \\delta / (1 - p)$는 순전파에서 실제로 계산한 함수 $m \\odot h / (1 - p)$의 기울기가
아닙니다. 평균적으로는 방향이 맞지만($\\mathbb{E}[m'] = 1 - p$), 꺼진 유닛에 기울기를 주고 켜진 유닛의 기울기를 빼먹으니
매개변수마다 틀린 값입니다. 기울기 확인은 마스크를 고정한 함수 $f(h) = \\sum_i m_i h_i / (1 - p) \\cdot \\delta_i$를 수치로
미분해 비교하므로 잡아냅니다. 단, 수치 미분을 할 때도 마스크가 바뀌지 않게 난수 상태를 고정해야 합니다
(`tests/test_layers_dropout.py`가 그렇게 합니다).
```
""")

md("""
## 퀴즈

**1.** `nn.Dropout(p=0.2)`가 학습 모드에서 입력 5.0을 0이 아닌 값으로 내보냈습니다. 그 값은 얼마입니까?

(가) 5.0 (나) 4.0 (다) 6.25 (라) 1.0

```{admonition} 정답과 해설
:class: dropdown
(다). 역 드롭아웃은 남은 값을 $1/(1 - p) = 1/0.8$배 키우므로 $5.0 / 0.8 = 6.25$입니다. 그래서 평균이 $0.8 \\times 6.25 = 5.0$으로 입력과 같습니다.
```

**2.** 드롭아웃 신경망을 평가 모드(`model.eval()`)로 바꾸면 드롭아웃 층은 무엇을 합니까?

(가) 여전히 확률 $p$로 유닛을 끈다 (나) 아무것도 하지 않는다(항등 함수) (다) 출력에 $1 - p$를 곱한다

```{admonition} 정답과 해설
:class: dropdown
(나). 학습 때 이미 $1/(1-p)$배로 키워 두었으므로 평가 때는 고칠 것이 없습니다. (다)는 학습 때 키우지 않는 원래 논문 방식의 평가 규칙입니다.
```

**3.** 드롭아웃 층의 역전파에서 위에서 온 기울기에 곱하는 것은?

(가) 새로 뽑은 마스크 (나) 순전파에서 쓴 마스크를 $1 - p$로 나눈 것 (다) 언제나 $1 - p$

```{admonition} 정답과 해설
:class: dropdown
(나). 순전파는 입력에 $m / (1 - p)$를 곱했으므로 역전파도 같은 $m / (1 - p)$를 곱합니다. 마스크를 새로 뽑으면 틀린 기울기입니다.
```

**4.** 위 실험에서 가중치 감쇠는 시험 손실을 낮췄지만 시험 정확도는 거의 바꾸지 않았습니다. 어떻게 그럴 수 있습니까?

```{admonition} 정답과 해설
:class: dropdown
교차 엔트로피 손실은 정답에 준 확률을 보고, 정확도는 가장 큰 점수의 숫자만 봅니다. 가중치가 작아지면 틀린 그림에 지나치게
확신하던 확률이 누그러져 손실은 줄지만, 가장 큰 점수의 숫자는 그대로일 수 있습니다.
```
""")

path = book.write(ROOT / "book" / "part3" / "regularization.ipynb")
subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(path)], check=True)
print(path)
