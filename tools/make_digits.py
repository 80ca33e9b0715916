"""3.4 실전: 손글씨 숫자 분류 노트북(book/part3/digits.ipynb)의 원본. 실행: python tools/make_digits.py

셀을 고칠 때는 이 파일을 고치고 다시 만든 뒤 tools/execute.py로 실행한다.
"""

from __future__ import annotations

from pathlib import Path

from nbgen import NotebookBuilder

ROOT = Path(__file__).resolve().parents[1]
book = NotebookBuilder()
md = book.md
code = book.code

md("""
(sec-digits)=
# 3.4 실전: 손글씨 숫자 분류
""")

code(
    """
import sys

if "google.colab" in sys.modules:  # Colab에서는 도우미 패키지를 설치합니다
    %pip install -q "d2lutil @ git+https://github.com/nn-textbook-ko/nn-textbook"
import os
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from d2lutil.book import glue
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import d2lutil
from d2lutil.data import load_digits_split, minibatches
from d2lutil.demos.playground import PlaygroundDemo
from d2lutil.download import DownloadError, load_fashion_mnist
from d2lutil.layers import SoftmaxCrossEntropy, make_mlp
from d2lutil.optim import Adam
from d2lutil.train import train

d2lutil.use_korean_font()
d2lutil.seed_everything(0)
torch.set_num_threads(1)  # 이렇게 작은 신경망은 스레드 하나가 가장 빠르고, 결과도 늘 같습니다
""",
    tags=["hide-input"],
)

md("""
## 학습 목표

- 실제 데이터(8×8 손글씨 숫자 1,797장)를 훈련 세트와 시험 세트로 나누고, 모델을 시험 세트로만 평가하는 이유를 설명합니다.
- 시그모이드 출력 하나와 이진 교차 엔트로피로 "이 숫자는 0인가?"를 가려내는 이진 분류기를 학습합니다.
- `nn.Sequential`, `nn.CrossEntropyLoss`, Adam으로 열 가지 숫자를 구별하는 다층 퍼셉트론을 학습하고 정확도 97% 이상을 얻습니다.
- 학습 곡선, 혼동 행렬, 틀린 예시를 읽고 모델이 어디서 헷갈리는지 말합니다.
- 같은 모델을 {ref}`sec-backprop`에서 만든 넘파이 층으로 다시 학습해 파이토치와 결과와 속도를 비교합니다.
- 과적합과 가중치 감쇠가 무엇인지 알고, 신경망 놀이터에서 설정을 바꾸며 학습이 어떻게 달라지는지 관찰합니다.
""")

md("""
(sec-digits-data)=
## 데이터: 8×8 손글씨 숫자

지금까지는 XOR처럼 손으로 적을 수 있는 작은 데이터만 다루었습니다. 이 장에서는 진짜 데이터로 신경망을 학습합니다.
scikit-learn에 들어 있는 손글씨 숫자 데이터는 0부터 9까지의 숫자를 8×8 픽셀 흑백 그림으로 담고 있습니다.
패키지 안에 들어 있어 내려받을 필요가 없습니다. 픽셀 밝기는 원래 0–16이고, `load_digits_split`이 16으로 나누어
[0, 1] 범위로 맞춥니다. 그림 한 장은 64개의 수가 되고, 이것이 신경망의 입력입니다.

데이터의 20%를 **시험 세트**(test set)로 떼어 두고 학습에는 쓰지 않습니다. 숫자마다 비율이 같도록 층화(stratified)
분할하고, 씨앗을 고정해 언제 실행해도 같은 분할이 나오게 합니다.
""")

code("""
X_train, X_test, y_train, y_test = load_digits_split(test_size=0.2, seed=0)
print("훈련 세트:", X_train.shape, " 시험 세트:", X_test.shape)
print("숫자별 훈련 데이터 수:", np.bincount(y_train))
print("숫자별 시험 데이터 수:", np.bincount(y_test))
print(f"픽셀 값 범위: [{X_train.min():.1f}, {X_train.max():.1f}]")
glue("digits_n_total", len(X_train) + len(X_test), display=False)
glue("digits_n_train", len(X_train), display=False)
glue("digits_n_test", len(X_test), display=False)
""")

md("""
전체 {glue:text}`digits_n_total`장 가운데 {glue:text}`digits_n_train`장으로 학습하고 {glue:text}`digits_n_test`장으로
평가합니다. 숫자마다 훈련 데이터가 140장 안팎으로 고르게 들어 있습니다. 몇 장을 그림으로 보겠습니다.
""")

code(
    """
fig, axes = plt.subplots(2, 10, figsize=(8, 2.1))
for ax, image, label in zip(axes.ravel(), X_train, y_train):
    ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(f"정답 {label}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
""",
    tags=["hide-input"],
    caption="훈련 세트의 처음 20장. 8×8 픽셀이라 사람 눈에도 흐릿하지만 대부분은 알아볼 수 있습니다. 신경망은 이 64개의 밝기 값만 보고 숫자를 맞혀야 합니다.",
    alt="흐릿한 8×8 픽셀 손글씨 숫자 20장을 2줄로 늘어놓은 그림. 각 그림 위에 '정답 3'처럼 실제 숫자가 적혀 있다.",
    name="fig-digits-samples",
)

md("""
(sec-digits-binary)=
## 먼저 이진 분류: "이 숫자는 0인가?"

열 가지를 한꺼번에 구별하기 전에 더 쉬운 문제부터 풀어 봅니다. 입력 그림이 숫자 0이면 1, 아니면 0을 맞히는
**이진 분류**(binary classification)입니다. {ref}`sec-forward-output`에서 보았듯이 이진 분류의 출력층은 뉴런
하나에 시그모이드 함수를 써서 "0일 확률" $p$를 냅니다. 손실 함수는 이진 교차 엔트로피입니다.

$$
\\mathcal{L} = -\\frac{1}{n}\\sum_{i=1}^{n} \\bigl[\\, y_i \\log p_i + (1 - y_i)\\log(1 - p_i) \\,\\bigr]
$$ (eq-digits-bce)

신경망은 입력 64개 → 은닉층 뉴런 16개(ReLU 함수) → 출력 뉴런 1개(시그모이드 함수)입니다. 손글씨 숫자 강의에서
흔히 쓰는 MNIST용 784→16→1 모양을 8×8 그림에 맞게 줄인 것입니다. 학습은 미니배치 32개씩, Adam 옵티마이저
{cite:p}`kingma2015adam`로 학습률 $10^{-3}$에서 20 에포크 합니다. Adam은 매개변수마다 기울기의 평균과 제곱 평균을
따로 추적해 걸음 크기를 스스로 조절하는 경사 하강법의 한 변형으로, 학습률을 세심하게 고르지 않아도 잘 작동합니다.
학습 루프는 {ref}`sec-torch-regression`에서 본 그대로 순전파 → 손실 → `zero_grad()` → `backward()` → `step()`을
미니배치마다 되풀이합니다. `DataLoader`는 에포크마다 훈련 데이터를 섞어 32개씩 잘라 줍니다.
""")

code("""
Xtr = torch.tensor(X_train, dtype=torch.float32)
Xte = torch.tensor(X_test, dtype=torch.float32)
ytr = torch.tensor(y_train)
yte = torch.tensor(y_test)
is_zero_train = (ytr == 0).float().unsqueeze(1)  # (n, 1) 모양의 0/1 목표값
is_zero_test = (yte == 0).float().unsqueeze(1)

torch.manual_seed(0)
binary_net = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
bce = nn.BCELoss()
binary_opt = torch.optim.Adam(binary_net.parameters(), lr=1e-3)
binary_loader = DataLoader(
    TensorDataset(Xtr, is_zero_train), batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0)
)
binary_losses = []
for _ in range(20):  # 20 에포크
    total = 0.0
    for xb, yb in binary_loader:
        loss = bce(binary_net(xb), yb)
        binary_opt.zero_grad()
        loss.backward()
        binary_opt.step()
        total += loss.item() * len(xb)
    binary_losses.append(total / len(Xtr))
first, last = binary_losses[0], binary_losses[-1]
print(f"첫 에포크 손실 {first:.4f} → 마지막 에포크 손실 {last:.4f}")
""")

md("""
이제 시험 세트에서 확률이 0.5 이상이면 "0이다"라고 판정해 정확도를 잽니다. 비교를 위해 아무것도 배우지 않고
언제나 "0이 아니다"라고 답하는 모델의 정확도도 계산합니다.
""")

code("""
with torch.no_grad():
    p_zero = binary_net(Xte)
pred_zero = p_zero >= 0.5
binary_acc = (pred_zero == is_zero_test.bool()).float().mean().item()
always_no_acc = (is_zero_test == 0).float().mean().item()
missed = int((~pred_zero & is_zero_test.bool()).sum())
false_alarm = int((pred_zero & ~is_zero_test.bool()).sum())
print(f"시험 정확도: {binary_acc:.4f}")
print(f"언제나 '0이 아니다'라고 답할 때의 정확도: {always_no_acc:.4f}")
print(f"놓친 0: {missed}장,  0이 아닌데 0이라고 한 것: {false_alarm}장")
glue("digits_binary_acc", binary_acc, display=False)
glue("digits_always_no_acc", always_no_acc, display=False)
glue("digits_binary_missed", missed, display=False)
glue("digits_binary_false_alarm", false_alarm, display=False)
""")

md("""
시험 정확도는 {glue:text}`digits_binary_acc:.4f`입니다. 그런데 언제나 "0이 아니다"라고만 답해도 정확도가
{glue:josa}`digits_always_no_acc:.4f|이나/나` 됩니다. 시험 세트의 10%만 0이기 때문입니다. 그러니 이 문제에서는
정확도 하나보다 놓친 0({glue:text}`digits_binary_missed`장)과 잘못 울린 경보({glue:text}`digits_binary_false_alarm`장)를
함께 봐야 모델이 정말로 0을 알아보는지 알 수 있습니다.

:::{admonition} 흔한 오해: "정확도 90%면 잘 배운 모델이다"
:class: warning
클래스의 비율이 치우친 문제에서는 가장 흔한 답만 되풀이해도 정확도가 높게 나옵니다. 정확도를 볼 때는 언제나
"아무것도 배우지 않은 모델"의 정확도와 비교하고, 클래스마다 몇 개를 맞히고 틀렸는지도 확인하세요.
:::
""")

md("""
(sec-digits-multiclass)=
## 열 가지 숫자 분류: `nn.Sequential`과 `nn.CrossEntropyLoss`

이제 열 가지 숫자를 모두 구별합니다. 출력층은 뉴런 10개이고 소프트맥스 함수로 확률을 만듭니다({ref}`sec-forward-output`).
파이토치의 `nn.CrossEntropyLoss`는 **로짓**(소프트맥스에 넣기 전의 값)을 받아 소프트맥스와 교차 엔트로피를 한꺼번에,
넘침 없이 계산합니다. 그래서 모델의 마지막 층에는 소프트맥스를 넣지 않습니다. 은닉층은 128개 뉴런에 ReLU 함수를
씁니다. ReLU 함수를 고른 이유는 {ref}`sec-activations`와 {ref}`sec-vanishing`에서 본 그대로입니다.

학습 곡선을 그리려고 에포크마다 시험 세트의 손실과 정확도도 기록합니다. 모델의 설정은 미리 정해 두었고
시험 세트를 보고 고치지 않았다는 점이 중요합니다(아래의 흔한 오해 상자를 보세요).
""")

code("""
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_loader = DataLoader(
    TensorDataset(Xtr, ytr), batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0)
)
test_loader = DataLoader(TensorDataset(Xte, yte), batch_size=512)

start = time.perf_counter()
history = train(
    model, loss_fn, optimizer, train_loader, epochs=30, val_loader=test_loader, device="cpu", progress=False
)
torch_seconds = time.perf_counter() - start

with torch.no_grad():
    test_pred = model(Xte).argmax(dim=1)
test_acc = (test_pred == yte).float().mean().item()
print(model)
print(f"훈련 정확도: {history['train_acc'][-1]:.4f}")
print(f"시험 정확도: {test_acc:.4f}")
glue("digits_test_acc", test_acc, display=False)
glue("digits_train_acc", history["train_acc"][-1], display=False)
glue("digits_epochs", len(history["train_loss"]), display=False)
glue("digits_n_params", sum(p.numel() for p in model.parameters()), display=False)
""")

md("""
시험 정확도는 {glue:text}`digits_test_acc:.4f`입니다. 학습에 걸린 시간은 실행하는 컴퓨터마다 다르므로 따로
출력합니다(이 셀의 출력은 자동 검사에서 비교하지 않습니다).
""")

code(
    """
print(f"파이토치 학습 시간 ({len(history['train_loss'])} 에포크): {torch_seconds:.2f}초")
""",
    tags=["nbval-ignore-output"],
)

code(
    """
epochs = np.arange(1, len(history["train_loss"]) + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
ax_loss.plot(epochs, history["train_loss"], "o-", ms=3, label="훈련 세트")
ax_loss.plot(epochs, history["val_loss"], "s--", ms=3, label="시험 세트")
ax_loss.set_xlabel("에포크 (회)")
ax_loss.set_ylabel("손실 (교차 엔트로피)")
ax_loss.set_yscale("log")
ax_acc.plot(epochs, 100 * np.array(history["train_acc"]), "o-", ms=3, label="훈련 세트")
ax_acc.plot(epochs, 100 * np.array(history["val_acc"]), "s--", ms=3, label="시험 세트")
ax_acc.set_xlabel("에포크 (회)")
ax_acc.set_ylabel("정확도 (%)")
ax_acc.set_ylim(80, 100.5)
for ax in (ax_loss, ax_acc):
    ax.grid(True, alpha=0.3)
    ax.legend()
plt.show()
""",
    tags=["hide-input"],
    caption="열 가지 숫자 분류기의 학습 곡선. 훈련 손실(로그 눈금)은 끝까지 꾸준히 줄지만 시험 손실은 중간부터 훨씬 느리게 줄고, 훈련 정확도가 시험 정확도보다 높은 곳에서 계속 오릅니다. 이렇게 벌어지는 틈이 과적합의 신호입니다.",
    alt="왼쪽은 에포크에 따른 훈련·시험 손실(로그 눈금), 오른쪽은 훈련·시험 정확도(%) 그래프. 훈련 손실은 계속 내려가고 시험 손실은 평평해지며, 정확도는 두 곡선 모두 빠르게 95% 위로 올라간다.",
    name="fig-digits-curves",
)

md("""
:::{admonition} 흔한 오해: "시험 세트로 설정을 고르면 된다"
:class: warning
위 그림처럼 에포크마다 시험 정확도를 보다가 가장 좋았던 에포크나 은닉층 크기를 고르면, 그 숫자는 더 이상 새
데이터에 대한 정직한 추정이 아닙니다. 시험 세트에 맞춰 고른 셈이기 때문입니다. 설정을 고를 때는 훈련 세트에서
**검증 세트**(validation set)를 따로 떼어 쓰고, 시험 세트는 마지막에 한 번만 봅니다. 이 장에서는 모든 설정을
미리 정해 두고 시험 세트는 보고만 했습니다.
:::
""")

md("""
(sec-digits-errors)=
## 어디서 틀렸을까: 혼동 행렬과 틀린 예시

정확도 하나로는 **어떤** 숫자를 헷갈리는지 알 수 없습니다. **혼동 행렬**(confusion matrix)은 $i$행 $j$열에
"실제 숫자가 $i$인데 $j$로 예측한 개수"를 적은 10×10 표입니다. 대각선이 맞힌 개수이고, 대각선 밖이 틀린 개수입니다.
""")

code("""
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, test_pred.numpy()), 1)
off = confusion - np.diag(np.diag(confusion))
most = [f"실제 {t} → 예측 {p}" for t, p in zip(*np.nonzero(off == off.max()))]  # 같은 횟수는 모두
print("틀린 개수:", off.sum(), "/", confusion.sum())
print(f"가장 많이 헷갈린 경우({off.max()}번씩):", ", ".join(most))
glue("digits_confusion", confusion.tolist(), display=False)
glue("digits_n_wrong", int(off.sum()), display=False)
""")

code(
    """
fig, ax = plt.subplots(figsize=(4.6, 4.2), layout="constrained")
ax.imshow(np.log1p(confusion), cmap="Blues")
for i in range(10):
    for j in range(10):
        if confusion[i, j]:
            color = "white" if confusion[i, j] > 20 else "black"
            ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=8, color=color)
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel("예측한 숫자")
ax.set_ylabel("실제 숫자")
plt.show()
""",
    tags=["hide-input"],
    caption="시험 세트의 혼동 행렬(칸의 숫자는 그림 장수). 대각선에 거의 모든 그림이 모여 있고, 대각선 밖의 몇 안 되는 칸이 모델이 헷갈린 숫자 쌍입니다.",
    alt="10×10 격자. 대각선 칸은 진한 파란색에 30을 넘는 숫자가 적혀 있고, 대각선 밖에는 1이나 2가 적힌 옅은 칸이 몇 개 흩어져 있다.",
    name="fig-digits-confusion",
)

md("""
틀린 그림을 직접 보면 모델의 실수를 이해하는 데 도움이 됩니다. 각 그림 위에 모델의 예측과 실제 정답을 적었습니다.
""")

code(
    """
wrong = np.flatnonzero(test_pred.numpy() != y_test)
fig, axes = plt.subplots(1, len(wrong), figsize=(1.0 * len(wrong), 1.5), squeeze=False)
for ax, i in zip(axes[0], wrong):
    ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(f"예측 {test_pred[i].item()}\\n정답 {y_test[i]}", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
""",
    tags=["hide-input"],
    caption="시험 세트에서 틀린 그림 전부. 사람이 봐도 애매한 획이 많습니다. 8×8로 줄이는 동안 숫자를 가르는 작은 차이가 사라진 경우가 대부분입니다.",
    alt="모델이 틀린 손글씨 숫자 그림들을 한 줄로 늘어놓은 그림. 각 그림 위에 '예측 8, 정답 1'처럼 예측한 숫자와 실제 숫자가 적혀 있다.",
    name="fig-digits-wrong",
)

md("""
(sec-digits-numpy)=
## 밑바닥부터: 넘파이 층으로 같은 모델 학습하기

{ref}`sec-backprop`에서 순전파와 역전파를 직접 구현한 넘파이 층(`d2lutil.layers`)이 있습니다. 같은 구조
(64 → 128 → 10, ReLU 함수), 같은 손실(소프트맥스 + 교차 엔트로피), 같은 옵티마이저(Adam, 학습률 $10^{-3}$),
같은 미니배치 크기와 에포크 수로 학습해 봅니다. 파이토치의 자동 미분 대신 우리가 유도한 역전파 식이 기울기를 구합니다.
""")

code("""
np_model = make_mlp([64, 128, 10], activation="relu", seed=0)
np_loss = SoftmaxCrossEntropy()
np_opt = Adam(lr=1e-3)

start = time.perf_counter()
for epoch in range(30):
    for xb, yb in minibatches(X_train, y_train, 32, seed=epoch):
        np_loss.forward(np_model.forward(xb), yb)
        np_model.backward(np_loss.backward())
        np_opt.step(np_model.parameters(), np_model.grads())
numpy_seconds = time.perf_counter() - start

np_acc = float(np.mean(np_model.forward(X_test).argmax(axis=1) == y_test))
print(f"numpy 계층의 시험 정확도: {np_acc:.4f}   (파이토치: {test_acc:.4f})")
glue("digits_numpy_acc", np_acc, display=False)
""")

md("""
넘파이 층도 {glue:josa}`digits_numpy_acc:.4f|으로/로` 파이토치와 비슷한 정확도에 이릅니다. 초깃값과 미니배치 순서가
달라서 두 모델의 가중치는 서로 다릅니다. 그래서 정확도가 같게 나오더라도 그것은 맞힌 시험 그림의 개수가 같다는 뜻일 뿐,
그림마다의 예측까지 같다는 뜻은 아닙니다. 속도는 어떨까요?
""")

code(
    """
print(f"numpy 계층: {numpy_seconds:.2f}초,  파이토치: {torch_seconds:.2f}초")
print(f"numpy / 파이토치 시간 비율: {numpy_seconds / torch_seconds:.2f}배")
""",
    tags=["nbval-ignore-output"],
)

md("""
이 정도로 작은 신경망에서는 넘파이가 파이토치와 비슷하거나 오히려 빠를 수 있습니다. 행렬이 작으면 계산 자체보다
함수를 부르는 비용이 시간을 좌우하는데, 파이토치는 자동 미분을 위해 계산 그래프를 기록하는 일을 더 합니다.
게다가 위의 파이토치 시간에는 `DataLoader`가 샘플을 하나씩 꺼내 미니배치로 묶는 비용과 에포크마다 시험 세트를
평가하는 비용까지 들어 있습니다.
신경망과 데이터가 커지고 GPU를 쓰면 사정이 완전히 달라집니다. 그래서 실제로는 파이토치 같은 라이브러리를 쓰고,
넘파이 구현은 그 안에서 일어나는 일을 이해하는 데 씁니다.
""")

md("""
(sec-digits-overfitting)=
## 과적합과 가중치 감쇠

학습 곡선에서 훈련 정확도는 {glue:text}`digits_train_acc:.4f`까지 올랐지만 시험 정확도는
{glue:text}`digits_test_acc:.4f`였습니다. 모델이 훈련 데이터에는 점점 더 잘 맞지만 새 데이터에서는 그만큼 나아지지
않는 현상을 **과적합**(overfitting)이라고 합니다. 훈련 데이터의 우연한 특징(잡음)까지 외우기 때문에 생깁니다.
데이터가 적고 모델의 매개변수가 많을수록 심해집니다. 이 모델의 매개변수는 $64 \\times 128 + 128 + 128 \\times 10 + 10 =$
{glue:text}`digits_n_params`개인데 훈련 그림은 {glue:text}`digits_n_train`장뿐입니다.

과적합을 줄이는 가장 오래된 방법 하나는 가중치가 커지지 못하게 벌점을 주는 것입니다. 손실에 가중치 제곱의 합을
더하면

$$
\\tilde{\\mathcal{L}}(\\mathbf{W}) = \\mathcal{L}(\\mathbf{W}) + \\frac{\\lambda}{2}\\lVert \\mathbf{W} \\rVert^2
$$ (eq-digits-l2)

이고, 경사 하강법의 한 걸음은 $\\mathbf{W} \\leftarrow (1 - \\eta\\lambda)\\,\\mathbf{W} - \\eta \\nabla \\mathcal{L}(\\mathbf{W})$가
됩니다(연습 문제 1). 매 걸음 가중치를 $1 - \\eta\\lambda$배로 살짝 줄이므로 이 방법을 **가중치 감쇠**(weight decay), 또는
L2 규제라고 부릅니다. 파이토치에서는 `torch.optim.SGD(..., weight_decay=λ)`처럼 옵티마이저의 인자로 줍니다.
아래 신경망 놀이터에서 가중치 감쇠 $\\lambda$를 키우면 결정 경계가 더 매끈해지는 것을 볼 수 있습니다.
또 다른 규제인 드롭아웃과 일부러 과적합시킨 실험은 {ref}`sec-regularization`에서 이어집니다.
""")

md("""
(sec-digits-fashion)=
## 더 큰 데이터: Fashion-MNIST (선택)

8×8 숫자는 작아서 빠르지만 너무 쉽습니다. Fashion-MNIST {cite:p}`xiao2017fashion`는 티셔츠, 바지, 운동화처럼 옷과
신발 10종류를 28×28 흑백 그림 70,000장(훈련 60,000장, 시험 10,000장)에 담은 데이터로, 손글씨 MNIST와 같은 형식이지만
더 어렵습니다. 약 30 MB를 인터넷에서 내려받아야 하므로, 이 책의 온라인 판은 이 절을 실행하지 않습니다. 직접 해
보려면 환경 변수 `D2L_ALLOW_DOWNLOAD=1`을 설정하고 Jupyter를 실행하세요(Colab에서는 첫 셀에
`os.environ["D2L_ALLOW_DOWNLOAD"] = "1"`을 더하면 됩니다). `load_fashion_mnist`는 파일을 한 번만 내려받아 캐시에 두고,
SHA-256 체크섬으로 파일이 온전한지 확인합니다.
""")

code('''
def fashion_experiment(epochs=3):
    """Fashion-MNIST에 784 → 128 → 10 다층 퍼셉트론을 학습하고 시험 정확도를 출력합니다."""
    Xf_train, yf_train, Xf_test, yf_test = load_fashion_mnist()
    Xf_train = torch.tensor(Xf_train.reshape(len(Xf_train), -1))
    Xf_test = torch.tensor(Xf_test.reshape(len(Xf_test), -1))
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    loader = DataLoader(TensorDataset(Xf_train, torch.tensor(yf_train)), batch_size=128, shuffle=True)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    train(net, nn.CrossEntropyLoss(), optimizer, loader, epochs=epochs, device="cpu")
    with torch.no_grad():
        acc = (net(Xf_test).argmax(dim=1) == torch.tensor(yf_test)).float().mean().item()
    print(f"Fashion-MNIST 시험 정확도 ({epochs} 에포크): {acc:.4f}")


if os.environ.get("D2L_ALLOW_DOWNLOAD") == "1":
    try:
        fashion_experiment()
    except DownloadError as exc:
        print(f"Fashion-MNIST를 내려받지 못해 이 절을 건너뜁니다: {exc}")
else:
    print("이 절은 건너뜁니다: Fashion-MNIST는 인터넷에서 내려받아야 합니다.")
    print("직접 해 보려면 환경 변수 D2L_ALLOW_DOWNLOAD=1을 설정한 뒤 이 셀을 다시 실행하세요.")
''')

md("""
인터넷에 연결해 실행했다면 같은 크기의 모델이 8×8 숫자에서 얻은 정확도와 비교해 보세요. Fashion-MNIST를
발표한 논문의 기준 실험에서도 같은 종류의 모델들이 손글씨 MNIST보다 이 데이터에서 눈에 띄게 낮은 정확도를
냈습니다. 옷의 종류(예를 들어 셔츠와 티셔츠)는 숫자보다 서로 더 비슷하게 생겼기 때문입니다.
""")

md("""
(sec-digits-playground)=
## 대화형 실험

마지막으로 작은 **신경망 놀이터**(playground)에서 지금까지 배운 것을 한꺼번에 실험해 봅니다. 2차원 평면의 점을 두
클래스로 나누는 문제 다섯 가지(원, XOR, 가우스, 나선, 반달) 가운데 하나를 고르고, 입력 특성, 은닉층 수와 층마다 뉴런 수,
활성화 함수, 학습률, 배치 크기, 모멘텀, 규제(L1 또는 L2 가중치 감쇠)를 정합니다. **학습 재생**을 누르면 신경망이 미니배치
SGD로 학습하며 다음 두 그림을 실시간으로 보여 줍니다.

- 가운데: 입력 특성과 은닉층 뉴런 하나하나가 평면의 각 점에서 내는 값, 그리고 가중치를 나타내는 연결선(굵기는 크기,
  주황은 양수, 파랑은 음수),
- 오른쪽: 에포크에 따른 훈련 손실과 시험 손실, 훈련 데이터와 결정 경계(색이 진할수록 확신이 큽니다).

온라인 책에서는 이 학습이 여러분의 브라우저 안에서 자바스크립트로 돌아갑니다. 그 엔진은
`d2lutil.playground`(numpy)와 같은 데이터, 같은 초깃값, 같은 갱신을 계산하도록 만들었고, 테스트가 두 엔진을 한 걸음씩
비교합니다. **한 걸음**을 누르면 미니배치 하나의 역전파로 구한 기울기 $\\partial L/\\partial w$가 연결선에
그려집니다({ref}`sec-backprop`). **파이썬으로 보기**를 펼치면 지금 설정을 `d2lutil`로 재현하는 코드가 나오고, 설정은
주소(URL)에 담기므로 **링크 복사**로 다른 사람과 나눌 수 있습니다. Jupyter에서 실행하면 같은 넘파이 엔진을 쓰는 위젯이
나오고, **학습 재생** 버튼으로 에포크를 넘기며 학습 과정을 볼 수 있습니다.

해 볼 만한 실험입니다. 괄호 안의 링크(놀이터의 프리셋 단추와 같습니다)를 누르면 놀이터가 그 설정으로 바뀝니다.

- 활성화 함수를 "선형(없음)"으로 두고 원을 풀어 보세요(<a href="#pg:preset=linear">선형 활성화로 원 풀기</a>). 은닉층을
  아무리 늘려도 경계가 직선입니다({ref}`sec-linearity`).
- tanh 함수와 ReLU 함수의 결정 경계 모양을 비교하세요(<a href="#pg:preset=tanh">원 · tanh</a>,
  <a href="#pg:preset=relu">원 · ReLU</a>). ReLU 함수의 경계는 직선 조각을 이어 붙인 모양입니다.
- 나선은 어렵습니다. 은닉층을 네 개로 늘리고 오래 학습해 보세요(<a href="#pg:preset=spiral-deep">나선 · 은닉층 4개</a>).
  입력 특성에 $x_1^2$, $\\sin x_1$ 같은 것을 더하면 어떻게 달라지나요(<a href="#pg:preset=spiral-features">나선 · 특성 일곱 개</a>)?
- 학습률을 1 이상으로 올려 보세요(<a href="#pg:preset=lr-big">학습률 3</a>, <a href="#pg:preset=lr-10">학습률 10</a>).
  손실이 튀거나 학습이 발산합니다. 훈련 손실이 처음의 두 배를 넘거나 가중치가 발산하면 학습이 멈추고 경고가 나타납니다.
- 배치 크기를 1로 줄이면 손실 곡선이 어떻게 변하는지 보세요(<a href="#pg:preset=batch-1">배치 크기 1</a>). 훈련 데이터가
  적고 잡음이 많은 반달에서 가중치 감쇠를 0.05 정도로 주면 경계가 어떻게 변하는지도 보세요
  (<a href="#pg:preset=no-decay">반달 · 감쇠 없음</a>, <a href="#pg:preset=decay">반달 · 가중치 감쇠 0.05</a>).
""")

code("""
PlaygroundDemo()
""")

md("""
## 요약

- scikit-learn의 8×8 손글씨 숫자 1,797장을 층화 분할해 훈련 세트로 학습하고 시험 세트로만 평가했습니다.
- "0인가?" 이진 분류는 시그모이드 출력 하나와 이진 교차 엔트로피로 풀었습니다. 클래스가 치우친 문제에서는 언제나 같은 답을 내는 모델의 정확도와 비교해야 합니다.
- 열 가지 숫자 분류는 `nn.Sequential`(64 → 128 → 10), `nn.CrossEntropyLoss`(로짓을 받습니다), Adam으로 시험 정확도 {glue:josa}`digits_test_acc:.4f|을/를` 얻었습니다.
- 혼동 행렬과 틀린 예시는 정확도 하나로는 알 수 없는, 모델이 헷갈리는 숫자 쌍을 보여 줍니다.
- 역전파를 직접 구현한 넘파이 층으로도 같은 모델을 비슷한 정확도로 학습할 수 있습니다.
- 훈련 성능과 시험 성능의 틈이 과적합이고, 가중치 감쇠(L2 규제)는 매 걸음 가중치를 조금씩 줄여 과적합을 누그러뜨립니다.
""")

md("""
## 연습 문제

```{exercise} 가중치 감쇠라는 이름
:label: ex-digits-decay

식 {eq}`eq-digits-l2`의 $\\tilde{\\mathcal{L}}$에 학습률 $\\eta$로 경사 하강법을 한 걸음 적용하면
$\\mathbf{W} \\leftarrow (1 - \\eta\\lambda)\\,\\mathbf{W} - \\eta \\nabla \\mathcal{L}(\\mathbf{W})$가 됨을 보이세요.
$\\mathcal{L}$의 기울기가 0이라면 가중치는 $t$걸음 뒤에 어떻게 됩니까? $\\eta\\lambda$가 어떤 범위에 있어야 합니까?
```

```{solution} ex-digits-decay
:class: dropdown

$\\frac{\\lambda}{2}\\lVert \\mathbf{W} \\rVert^2 = \\frac{\\lambda}{2}\\sum_{ij} W_{ij}^2$을 $W_{ij}$로 미분하면 $\\lambda W_{ij}$이므로
$\\nabla \\tilde{\\mathcal{L}} = \\nabla \\mathcal{L} + \\lambda \\mathbf{W}$입니다. 따라서
$\\mathbf{W} - \\eta \\nabla \\tilde{\\mathcal{L}} = \\mathbf{W} - \\eta\\lambda \\mathbf{W} - \\eta \\nabla \\mathcal{L} = (1 - \\eta\\lambda)\\mathbf{W} - \\eta \\nabla \\mathcal{L}$입니다.
$\\nabla \\mathcal{L} = 0$이면 $\\mathbf{W}_t = (1 - \\eta\\lambda)^t \\mathbf{W}_0$로 기하급수적으로 0을 향해 "감쇠"합니다.
$0 < \\eta\\lambda < 1$이어야 부호가 바뀌지 않고 줄어듭니다($1 < \\eta\\lambda < 2$이면 부호가 번갈아 바뀌며 줄고,
$\\eta\\lambda > 2$이면 오히려 커집니다).
```

```{exercise} 시그모이드와 이진 교차 엔트로피의 기울기
:label: ex-digits-bce-grad

샘플 하나에서 $p = \\sigma(z)$이고 $\\ell = -[\\,y \\log p + (1 - y)\\log(1 - p)\\,]$일 때 $\\partial \\ell / \\partial z = p - y$임을 보이세요.
이 결과가 왜 편리한지 {ref}`sec-backprop`의 역전파와 연결해 설명하세요.
```

```{solution} ex-digits-bce-grad
:class: dropdown

$\\partial \\ell / \\partial p = -y/p + (1 - y)/(1 - p)$이고 $\\sigma'(z) = p(1 - p)$이므로 연쇄 법칙으로
$\\partial \\ell / \\partial z = \\bigl(-y/p + (1 - y)/(1 - p)\\bigr)\\, p(1 - p) = -y(1 - p) + (1 - y)p = p - y$입니다.
시그모이드 함수의 도함수가 따로 곱해지지 않으므로 $p$가 0이나 1 근처로 포화되어도 출력층의 기울기가 사라지지 않습니다
(틀린 답을 확신할수록 기울기가 큽니다). 역전파에서는 이 $p - y$를 출력층에서 시작하는 기울기로 그대로 쓰면 됩니다.
소프트맥스와 교차 엔트로피를 합친 층의 기울기 $\\operatorname{softmax}(\\mathbf{z}) - \\operatorname{onehot}(y)$와 같은 모양입니다.
```

```{exercise} 숫자마다 얼마나 잘 맞힐까
:label: ex-digits-recall

혼동 행렬 `confusion`에서 숫자마다 "실제로 그 숫자인 그림 가운데 맞힌 비율"을 계산하고, 가장 어려운 숫자를 찾으세요.
행의 합과 열의 합은 각각 무엇을 뜻합니까?
```

```{solution-start} ex-digits-recall
:class: dropdown
```

$i$행의 합은 실제로 숫자 $i$인 그림의 수, $j$열의 합은 모델이 $j$라고 예측한 그림의 수입니다. 따라서 대각선을
행의 합으로 나누면 숫자마다 맞힌 비율(재현율, recall)이 됩니다.
""")

code("""
per_digit = np.diag(confusion) / confusion.sum(axis=1)
for digit, rate in enumerate(per_digit):
    print(f"숫자 {digit}: {rate:.3f}")
print("가장 어려운 숫자:", per_digit.argmin())
""")

md("""
대부분의 숫자는 거의 다 맞히고, 틀린 그림이 몇 개의 숫자에 몰려 있습니다. 틀린 예시 그림과 함께 보면
어떤 획 모양이 헷갈림을 만드는지 짐작할 수 있습니다.

```{solution-end}
```
""")

md("""
## 퀴즈

**1.** 시험 세트의 10%만 숫자 0인 데이터에서 "이 숫자는 0인가?" 분류기의 정확도가 90%입니다. 이 모델에 대해 무엇을 말할 수 있습니까?

(가) 0을 90% 알아본다 (나) 아무것도 배우지 않았을 수도 있다 (다) 과적합되었다

```{admonition} 정답과 해설
:class: dropdown
(나). 언제나 "0이 아니다"라고만 답해도 정확도가 90%입니다. 클래스가 치우친 문제에서는 놓친 0과 잘못 울린 경보를 따로
세거나 혼동 행렬을 봐야 합니다.
```

**2.** `nn.CrossEntropyLoss`를 쓸 때 모델의 마지막 층에 `nn.Softmax`를 넣으면 어떻게 됩니까?

(가) 더 정확해진다 (나) 소프트맥스가 두 번 적용되어 기울기가 약해지고 학습이 느려진다 (다) 오류가 난다

```{admonition} 정답과 해설
:class: dropdown
(나). `nn.CrossEntropyLoss`는 로짓을 받아 안에서 (로그) 소프트맥스를 계산합니다. 확률을 넣으면 값이 0–1에 갇힌 채로
다시 소프트맥스를 지나므로 출력 사이의 차이가 줄고 기울기도 작아집니다. 오류는 나지 않아서 더 찾기 어려운 실수입니다.
```

**3.** 훈련 정확도는 100%인데 시험 정확도는 그보다 낮습니다. 이 틈을 줄이는 데 도움이 되지 **않는** 것은 무엇입니까?

(가) 훈련 데이터를 더 모은다 (나) 가중치 감쇠를 쓴다 (다) 은닉층의 뉴런 수를 크게 늘린다

```{admonition} 정답과 해설
:class: dropdown
(다). 훈련 정확도와 시험 정확도의 틈은 과적합의 신호입니다. 데이터를 늘리거나 가중치 감쇠로 가중치를 작게 묶으면
틈이 줄어드는 경우가 많습니다. 뉴런을 늘리면 모델이 외울 수 있는 것이 더 많아져 보통은 틈이 커집니다.
```

**4.** 가중치 감쇠 $\\lambda = 0.01$, 학습률 $\\eta = 0.1$이면 손실의 기울기가 0일 때 가중치는 한 걸음마다 몇 배가 됩니까?

```{admonition} 정답과 해설
:class: dropdown
$1 - \\eta\\lambda = 1 - 0.1 \\times 0.01 = 0.999$배입니다. 1,000걸음이면 $0.999^{1000} \\approx 0.37$배로 줄어듭니다.
```
""")

print(book.write(ROOT / "book" / "part3" / "digits.ipynb"))
