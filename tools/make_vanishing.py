"""3.3 기울기 소실 노트북(book/part3/vanishing.ipynb)의 원본. 실행: python tools/make_vanishing.py

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
(sec-vanishing)=
# 3.3 기울기 소실
""")

code(
    """
import sys

if "google.colab" in sys.modules:  # Colab에서는 도우미 패키지를 설치합니다
    %pip install -q "d2lutil @ git+https://github.com/nn-textbook-ko/nn-textbook"
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from d2lutil.book import below, glue
from torch import nn

import d2lutil
from d2lutil.data import load_digits_split
from d2lutil.demos.vanishing import VanishingDemo

d2lutil.use_korean_font()
d2lutil.seed_everything(0)
torch.set_num_threads(1)  # 작은 모델에서는 스레드 하나가 더 빠르고, 결과도 실행마다 같습니다
""",
    tags=["hide-input"],
)

md("""
## 학습 목표

- 역전파에서 기울기가 층마다 **곱해진다**는 사실로부터, 깊은 신경망의 앞쪽 층 기울기가 사라지는 이유를 설명합니다.
- 시그모이드 함수의 도함수가 0.25를 넘지 않는다는 사실이 깊이에 따라 어떤 결과를 낳는지 계산합니다.
- 10층 다층 퍼셉트론에서 층별 기울기의 크기를 재고, 그 차이가 학습 곡선에 어떻게 나타나는지 확인합니다.
- ReLU 함수와 Xavier·He 초기화가 왜 도움이 되는지 분산의 관점에서 설명합니다.
""")

md("""
(sec-vanishing-product)=
## 기울기는 층을 지날 때마다 곱해집니다

{ref}`sec-backprop`에서 역전파는 출력 쪽의 기울기에 각 층의 국소 기울기를 차례로 곱해 입력 쪽으로 보낸다는 것을
보았습니다. 뉴런이 하나씩인 가장 단순한 사슬로 이 곱을 적어 보겠습니다. $h_0 = x$에서 시작해 층마다

$$
z_l = w_l h_{l-1} + b_l, \\qquad h_l = \\sigma(z_l), \\qquad l = 1, \\dots, L
$$

를 계산하고 마지막 $h_L$로 손실 $\\mathcal{L}$을 구한다고 합시다. {ref}`sec-chain-rule`의 연쇄 법칙을 $L$번
쓰면 첫 입력에 대한 기울기는 다음과 같습니다.

$$
\\frac{\\partial \\mathcal{L}}{\\partial h_0}
= \\frac{\\partial \\mathcal{L}}{\\partial h_L} \\prod_{l=1}^{L} \\sigma'(z_l)\\, w_l
$$ (eq-vanishing-product)

{ref}`sec-activations`에서 확인했듯이 시그모이드 함수의 도함수 $\\sigma'(z) = \\sigma(z)(1-\\sigma(z))$는
$z = 0$에서 가장 크고 그 값이 $1/4$입니다. 따라서 가중치의 크기가 1을 넘지 않으면 곱의 인수 하나하나가
$1/4$ 이하이고, $L$층을 지나면 기울기는 적어도 $4^{L}$분의 1로 줄어듭니다.
""")

code("""
depth = 10
bound = 0.25**depth
print(f"인수 하나의 최댓값: {0.25}")
print(f"{depth}층을 지난 뒤의 상한: 0.25^{depth} = {bound:.3e}")
glue("van_depth", depth, display=False)
glue("van_bound", bound, display=False)
""")

md("""
10층이면 상한이 {glue:text}`van_bound:.2e`, 즉 백만분의 1 정도입니다. 출력 쪽의 기울기가 1이어도 첫 층에는
백만분의 1도 안 되는 신호만 도착합니다. 이것이 **기울기 소실**(vanishing gradient)입니다. 이 현상은
{cite:t}`hochreiter1991untersuchungen`가 처음 자세히 분석했고, {cite:t}`glorot2010understanding`가 깊은
신경망 학습이 어려운 까닭으로 다시 짚었습니다.

식 {eq}`eq-vanishing-product`가 자동 미분의 결과와 정말 같은지 숫자로 확인해 봅니다. 가중치와 편향을 무작위로
뽑은 10층 사슬에서 파이토치가 구한 기울기와, 각 층의 $\\sigma'(z_l) w_l$을 직접 곱한 값을 비교합니다.
""")

code("""
gen = torch.Generator().manual_seed(0)
w = torch.randn(depth, generator=gen, dtype=torch.float64)
b = torch.randn(depth, generator=gen, dtype=torch.float64)

x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
h = x
zs = []
for i in range(depth):
    z = w[i] * h + b[i]
    zs.append(z.detach())
    h = torch.sigmoid(z)
h.backward()  # 손실 대신 h_L 자체를 미분합니다 (∂L/∂h_L = 1)

s = torch.sigmoid(torch.stack(zs))
product = torch.prod(s * (1 - s) * w).item()
print(f"자동 미분:  ∂h_L/∂x = {x.grad.item():.6e}")
print(f"곱셈 공식:  Π σ'(z_l) w_l = {product:.6e}")
print(f"상대 오차: {below(abs(x.grad.item() - product) / abs(product))}")
glue("van_chain_autograd", x.grad.item(), display=False)
""")

md("""
두 값이 부동소수 오차 범위에서 같습니다. 가중치를 무작위로 뽑았을 뿐인데도 기울기가 이미 아주 작습니다.

행렬로 쓴 층에서도 이야기는 같습니다. 샘플 하나를 행 하나로 두는 이 책의 관례($\\mathbf{Z}_l = \\mathbf{H}_{l-1}\\mathbf{W}_l + \\mathbf{b}_l$)에서
한 층을 거꾸로 지나는 계산은

$$
\\frac{\\partial \\mathcal{L}}{\\partial \\mathbf{H}_{l-1}}
= \\left(\\frac{\\partial \\mathcal{L}}{\\partial \\mathbf{H}_{l}} \\odot \\sigma'(\\mathbf{Z}_l)\\right) \\mathbf{W}_l^{\\top}
$$

이므로, 원소별 곱 $\\odot$ 때문에 크기가 최대 $1/4$배가 되고, 행렬 $\\mathbf{W}_l^{\\top}$을 곱하면서 최대
$\\lVert \\mathbf{W}_l \\rVert_2$(가장 큰 특잇값)배가 됩니다. 가중치를 아주 크게 잡지 않는 한 층마다 기울기가 줄어듭니다.
""")

md("""
(sec-vanishing-experiment)=
## 실험: 10층 다층 퍼셉트론의 층별 기울기

이제 실제 데이터로 확인합니다. {ref}`sec-digits`에서 쓸 scikit-learn의 8×8 손글씨 숫자(입력 64개, 클래스 10개)를
그대로 쓰고, 너비 32인 은닉층을 10개 쌓은 다층 퍼셉트론을 네 가지로 만듭니다.

| 이름 | 활성화 함수 | 가중치 초기화 |
|---|---|---|
| 시그모이드 + 기본 초기화 | 시그모이드 | 파이토치 `nn.Linear`의 기본값 |
| 시그모이드 + Xavier | 시그모이드 | Xavier 정규분포 {cite:p}`glorot2010understanding` |
| ReLU + 기본 초기화 | ReLU | 파이토치 `nn.Linear`의 기본값 |
| ReLU + He | ReLU | He 정규분포 {cite:p}`he2015delving` |

파이토치의 기본 초기화는 $[-1/\\sqrt{n_\\text{in}},\\, 1/\\sqrt{n_\\text{in}}]$ 구간의 균등분포입니다.
네 모델 모두 같은 씨앗에서 시작합니다.
""")

code('''
X_train, X_test, y_train, y_test = load_digits_split(test_size=0.2, seed=0)
# float64로 계산합니다(초기 가중치도 float64로 뽑습니다): 깊은 신경망의 학습은 반올림 오차의 작은 차이도
# 키우므로, float32라면 CPU마다 다른 숫자가 나옵니다. float64와 작은 학습률이면 어느 기계에서나 같습니다.
X_train = torch.tensor(X_train, dtype=torch.float64)
X_test = torch.tensor(X_test, dtype=torch.float64)
y_train = torch.tensor(y_train)
y_test = torch.tensor(y_test)
print("훈련 세트:", tuple(X_train.shape), " 시험 세트:", tuple(X_test.shape))

CONFIGS = {
    "시그모이드 + 기본 초기화": (nn.Sigmoid, "default"),
    "시그모이드 + Xavier": (nn.Sigmoid, "xavier"),
    "ReLU + 기본 초기화": (nn.ReLU, "default"),
    "ReLU + He": (nn.ReLU, "he"),
}


def make_deep_mlp(activation, init, depth=10, width=32, seed=0):
    """은닉층 depth개(너비 width)와 출력층 하나로 된 다층 퍼셉트론을 만듭니다."""
    torch.manual_seed(seed)
    layers, d_in = [], 64
    for _ in range(depth):
        layers += [nn.Linear(d_in, width, dtype=torch.float64), activation()]
        d_in = width
    layers.append(nn.Linear(d_in, 10, dtype=torch.float64))
    net = nn.Sequential(*layers)
    for m in net:
        if isinstance(m, nn.Linear) and init != "default":
            if init == "xavier":
                nn.init.xavier_normal_(m.weight)
            else:
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


def weight_grad_norms(net, X, y):
    """교차 엔트로피 손실에 대한 ‖∂L/∂W_l‖을 입력 쪽 층부터 돌려줍니다."""
    net.zero_grad()
    nn.functional.cross_entropy(net(X), y).backward()
    return [m.weight.grad.norm().item() for m in net if isinstance(m, nn.Linear)]


norms = {name: weight_grad_norms(make_deep_mlp(*cfg), X_train[:256], y_train[:256]) for name, cfg in CONFIGS.items()}
for name, ns in norms.items():
    print(f"{name:<16} 첫 층 {ns[0]:9.2e}   마지막 층 {ns[-1]:9.2e}   비율 {ns[0] / ns[-1]:9.2e}")
''')

code(
    """
keys = {
    "시그모이드 + 기본 초기화": "sig_default",
    "시그모이드 + Xavier": "sig_xavier",
    "ReLU + 기본 초기화": "relu_default",
    "ReLU + He": "relu_he",
}
for name, ns in norms.items():
    glue(f"van_ratio_{keys[name]}", ns[0] / ns[-1], display=False)
    glue(f"van_norms_{keys[name]}", ns, display=False)
""",
    tags=["remove-cell"],
)

code(
    """
fig, ax = plt.subplots(figsize=(7, 4))
styles = ["o-", "s-", "^--", "d--"]
for (name, ns), style in zip(norms.items(), styles):
    ax.semilogy(range(1, len(ns) + 1), ns, style, label=name)
ax.set_xlabel("층 번호 (1 = 입력 쪽, 11 = 출력층)")
ax.set_ylabel("기울기 크기 ‖∂L/∂W‖ (로그 눈금)")
ax.set_xticks(range(1, 12))
ax.grid(True, alpha=0.3)
ax.legend(fontsize=9)
plt.show()
""",
    tags=["hide-input"],
    caption="초기화 직후 10층 다층 퍼셉트론의 층별 가중치 기울기 크기(로그 눈금). 시그모이드는 입력 쪽으로 갈수록 기울기가 작아져 첫 층에서는 마지막 층의 백만분의 1 안팎이 되고, ReLU와 He 초기화만 모든 층의 기울기가 비슷한 크기를 유지합니다.",
    alt="네 모델의 층별 기울기 크기를 로그 눈금으로 그린 꺾은선 그래프. 시그모이드 두 모델과 기본 초기화 ReLU는 왼쪽(입력 쪽)으로 갈수록 선이 내려가고, ReLU와 He 초기화는 거의 수평이다.",
    name="fig-vanishing-norms",
)

md("""
로그 눈금에서 직선으로 내려간다는 것은 층마다 거의 같은 비율로 줄어든다는 뜻입니다. 첫 층과 마지막 층의
기울기 비율은 다음과 같습니다.

- 시그모이드 + 기본 초기화: {glue:text}`van_ratio_sig_default:.1e`
- 시그모이드 + Xavier: {glue:text}`van_ratio_sig_xavier:.1e`
- ReLU + 기본 초기화: {glue:text}`van_ratio_relu_default:.1e`
- ReLU + He: {glue:text}`van_ratio_relu_he:.2f`

Xavier 초기화는 시그모이드의 사정을 조금 낫게 할 뿐 해결하지 못합니다. 도함수의 상한 $1/4$은 초기화로 바꿀 수
없기 때문입니다. 눈여겨볼 것은 세 번째 줄입니다. ReLU 함수를 써도 초기화가 맞지 않으면 기울기가 사라집니다.
""")

md("""
:::{admonition} 흔한 오해: "ReLU를 쓰면 기울기 소실은 없다"
:class: warning
ReLU 함수의 도함수는 양수 구간에서 정확히 1이므로 활성화 함수 때문에 기울기가 줄어들지는 않습니다. 하지만
식 {eq}`eq-vanishing-product`의 곱에는 가중치도 들어 있습니다. 가중치가 너무 작으면(위의 "ReLU + 기본 초기화")
층마다 신호가 줄어 결국 기울기가 사라지고, 너무 크면 거꾸로 폭주합니다. ReLU 함수는 **알맞은 초기화와 함께**
쓸 때 깊은 신경망을 학습시킵니다.
:::
""")

md("""
(sec-vanishing-training)=
## 기울기가 사라지면 학습이 멈춥니다

기울기가 작다는 것은 경사 하강법의 한 걸음이 작다는 뜻입니다. 앞쪽 층이 거의 움직이지 않으면 뒤쪽 층은 의미
없는 특징을 받아 학습하게 됩니다. 네 모델을 같은 조건(미니배치 64, 학습률 0.02의 SGD, 20 에포크)으로 학습시켜
손실이 어떻게 변하는지 봅니다. 클래스가 10개이므로 아무것도 배우지 못한 모델의 교차 엔트로피는
$\\ln 10$ 근처에 머뭅니다.
""")

code('''
def train_deep(net, epochs=20, lr=0.02, batch_size=64, seed=0):
    """미니배치 SGD로 학습하고 에포크마다의 평균 훈련 손실과 마지막 시험 정확도를 돌려줍니다."""
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        perm = torch.randperm(len(X_train), generator=gen)
        total = 0.0
        for k in range(0, len(X_train), batch_size):
            idx = perm[k : k + batch_size]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(X_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        losses.append(total / len(X_train))
    with torch.no_grad():
        acc = (net(X_test).argmax(dim=1) == y_test).float().mean().item()
    return losses, acc


histories = {}
for name, cfg in CONFIGS.items():
    histories[name] = train_deep(make_deep_mlp(*cfg))
    losses, acc = histories[name]
    print(f"{name:<16} 손실 {losses[0]:.3f} → {losses[-1]:.3f}   시험 정확도 {acc:.3f}")
print(f"ln 10 = {math.log(10):.3f}")
glue("van_ln10", math.log(10), display=False)
''')

code(
    """
for name, (losses, acc) in histories.items():
    glue(f"van_final_loss_{keys[name]}", losses[-1], display=False)
    glue(f"van_acc_{keys[name]}", acc, display=False)
""",
    tags=["remove-cell"],
)

code(
    """
fig, ax = plt.subplots(figsize=(7, 4))
for (name, (losses, _)), style in zip(histories.items(), styles):
    ax.plot(range(1, len(losses) + 1), losses, style, label=name, markersize=4)
ax.axhline(math.log(10), color="gray", lw=1, ls=":")
ax.text(1, math.log(10) + 0.05, "ln 10 (찍기 수준)", color="gray", fontsize=9)
ax.set_xlabel("에포크 (회)")
ax.set_ylabel("평균 훈련 손실 (교차 엔트로피)")
ax.grid(True, alpha=0.3)
ax.legend(fontsize=9)
plt.show()
""",
    tags=["hide-input"],
    caption="같은 조건으로 20 에포크 학습한 네 모델의 훈련 손실. 기울기가 사라진 세 모델은 ln 10 근처에서 움직이지 않고, ReLU와 He 초기화만 손실이 빠르게 줄어듭니다.",
    alt="에포크에 따른 훈련 손실 그래프. 세 선은 약 2.3에서 평평하게 머물고, ReLU와 He 초기화의 선만 0 가까이로 떨어진다.",
    name="fig-vanishing-training",
)

md("""
ReLU + He 모델은 시험 정확도 {glue:text}`van_acc_relu_he:.3f`에 이르지만, 나머지 세 모델의 손실은 20 에포크가
지나도 {glue:text}`van_ln10:.3f` 근처에 머물러 있고 시험 정확도도 찍기 수준({glue:text}`van_acc_sig_default:.3f`)입니다.
층별 기울기 그림에서 본 차이가 그대로 학습의 성패로 이어졌습니다.
""")

md("""
(sec-vanishing-remedies)=
## 무엇이 도움이 될까요

**활성화 함수.** ReLU 함수 가족은 양수 구간의 도함수가 1이라 활성화 함수 때문에 기울기가 줄지 않습니다
{cite:p}`nair2010rectified`. 시그모이드 함수는 도함수가 $1/4$ 이하이고 입력이 크면 포화되어 0에 가까워집니다.

**초기화.** 좋은 초기화는 층을 지나도 신호의 분산이 유지되도록 가중치의 분산을 고릅니다. 입력이 $n_\\text{in}$개,
출력이 $n_\\text{out}$개인 층에서

$$
\\text{Xavier: } \\operatorname{Var}(w) = \\frac{2}{n_\\text{in} + n_\\text{out}}, \\qquad
\\text{He: } \\operatorname{Var}(w) = \\frac{2}{n_\\text{in}}
$$

입니다. He 초기화의 분자 2는 ReLU 함수가 입력의 절반 정도를 0으로 만들어 출력의 제곱 평균 $\\mathbb{E}[h^2]$을 입력 분산의 절반으로 줄이는 것을
되돌려 놓기 위한 것입니다(연습 문제 2). 파이토치 기본 초기화의 분산은 $1/(3 n_\\text{in})$이라 ReLU 함수와 함께
쓰면 층마다 신호의 분산이 약 $1/6$로 줄어듭니다. 위 실험의 "ReLU + 기본 초기화"가 실패한 까닭입니다.
""")

code("""
n_in = 32
print(f"파이토치 기본 초기화 Var(w) = 1/(3·n_in) = {1 / (3 * n_in):.5f}")
print(f"He 초기화              Var(w) = 2/n_in     = {2 / n_in:.5f}")
print(f"ReLU 층 하나를 지날 때 분산의 비율 (기본): n_in · Var(w) / 2 = {n_in * (1 / (3 * n_in)) / 2:.4f}")
print(f"ReLU 층 하나를 지날 때 분산의 비율 (He):   n_in · Var(w) / 2 = {n_in * (2 / n_in) / 2:.4f}")
""")

md("""
이 밖에도 배치 정규화, 잔차 연결처럼 기울기가 잘 흐르도록 신경망의 구조를 바꾸는 방법이 있습니다. 이 책의 범위를
넘으므로 이름만 소개합니다.
""")

md("""
(sec-vanishing-demo)=
## 대화형 실험

은닉층 수, 활성화 함수, 초기화를 바꾸며 층별 기울기 크기를 직접 보세요. 이 데모는 넘파이로 만든
{ref}`sec-backprop`의 층(`d2lutil.layers`)으로 너비 32인 다층 퍼셉트론을 만들고, 손글씨 숫자 128장에 대한
교차 엔트로피의 기울기를 역전파로 구합니다. 첫 층과 마지막 층의 비율이 $10^{-3}$보다 작으면 경고가 나타납니다.
특히 다음을 비교해 보세요.

- 시그모이드 함수에서 은닉층을 3개에서 20개로 늘릴 때 선의 기울기(층마다 줄어드는 비율)
- 같은 ReLU 함수라도 "작은 정규분포"와 "He" 초기화의 차이
- tanh 함수는 0 근처에서 도함수가 1이라 시그모이드 함수보다 훨씬 잘 버팁니다
""")

code("""
VanishingDemo()
""")

md("""
## 요약

- 역전파에서 기울기는 층마다 $\\sigma'(z_l)$와 가중치의 곱을 지나므로, 깊이에 대해 **지수적으로** 커지거나 작아집니다.
- 시그모이드 함수의 도함수는 $1/4$ 이하라서, 가중치가 크지 않으면 10층만 지나도 기울기가 $4^{-10} \\approx 10^{-6}$ 이하로 줄어듭니다.
- 10층 실험에서 시그모이드 모델의 첫 층 기울기는 마지막 층의 백만분의 1 안팎이거나 그보다 작았고, 학습이 진행되지 않았습니다.
- ReLU 함수와 He 초기화를 함께 쓰면 모든 층의 기울기가 비슷한 크기로 유지되고 학습이 잘 됩니다. 초기화가 맞지 않으면 ReLU 함수도 기울기 소실을 겪습니다.
""")

md("""
## 연습 문제

```{exercise} tanh 사슬의 상한
:label: ex-vanishing-tanh

시그모이드 대신 $\\tanh$를 쓰는 사슬 $h_l = \\tanh(w_l h_{l-1} + b_l)$에서 식 {eq}`eq-vanishing-product`에 해당하는
식을 쓰고, 인수 하나 $|\\tanh'(z_l)\\, w_l|$의 상한을 구하세요. 시그모이드 함수와 비교해 무엇이 다릅니까?
```

```{solution} ex-vanishing-tanh
:class: dropdown

연쇄 법칙으로 $\\dfrac{\\partial \\mathcal{L}}{\\partial h_0} = \\dfrac{\\partial \\mathcal{L}}{\\partial h_L}\\prod_{l=1}^{L} \\tanh'(z_l)\\, w_l$
이고 $\\tanh'(z) = 1 - \\tanh^2(z) \\le 1$이며 등호는 $z = 0$에서만 성립합니다. 따라서
$|\\tanh'(z_l)\\, w_l| \\le |w_l|$입니다. 시그모이드 함수의 상한 $|w_l|/4$보다 네 배 느슨하므로, $|w_l| \\approx 1$이고
$z_l$이 0 근처에 있으면 기울기가 거의 줄지 않습니다. 하지만 $|z_l|$이 커서 포화되면 $\\tanh'(z_l)$이 0에 가까워져
역시 기울기가 사라집니다. 대화형 실험에서 tanh 함수가 시그모이드 함수보다 잘 버티는 것이 이 때문입니다.
```

```{exercise} He 초기화의 분산 유도
:label: ex-vanishing-he

$n$개의 입력 $x_i$가 서로 독립이고, 가중치 $w_i$는 평균 0, 분산 $v$인 분포에서 독립으로 뽑으며 $x_i$와도 독립이라고 합시다.
$z = \\sum_{i=1}^{n} w_i x_i$이고 $x_i = \\operatorname{ReLU}(u_i)$이며, $u_i$는 0에 대해 대칭인 분포를 따른다고 합시다.
$\\operatorname{Var}(z) = \\operatorname{Var}(u_i)$가 되도록 하는 $v$를 구하세요.
```

```{solution} ex-vanishing-he
:class: dropdown

$w_i$의 평균이 0이고 $x_i$와 독립이므로 $\\operatorname{Var}(w_i x_i) = \\mathbb{E}[w_i^2]\\,\\mathbb{E}[x_i^2] = v\\, \\mathbb{E}[x_i^2]$이고,
독립인 항의 합이므로 $\\operatorname{Var}(z) = n v\\, \\mathbb{E}[x_i^2]$입니다. $u_i$가 0에 대해 대칭이면 ReLU 함수는 절반의
경우에 $u_i$를, 나머지 절반에 0을 내므로 $\\mathbb{E}[x_i^2] = \\tfrac{1}{2}\\mathbb{E}[u_i^2] = \\tfrac{1}{2}\\operatorname{Var}(u_i)$입니다
(평균이 0이므로 $\\mathbb{E}[u_i^2] = \\operatorname{Var}(u_i)$). 따라서 $\\operatorname{Var}(z) = \\tfrac{n v}{2}\\operatorname{Var}(u_i)$이고,
이것이 $\\operatorname{Var}(u_i)$와 같으려면 $v = 2/n$이어야 합니다. 이것이 He 초기화입니다 {cite:p}`he2015delving`.
```

```{exercise} 층마다 줄어드는 비율 재기
:label: ex-vanishing-rate

`d2lutil.demos.vanishing`의 `build_deep_mlp`와 `layer_gradient_norms`로 시그모이드 함수와 Xavier 초기화를 쓴
다층 퍼셉트론을 은닉층 5, 10, 20개로 만들고, 층 번호에 대한 $\\log_{10}\\lVert \\partial \\mathcal{L}/\\partial \\mathbf{W}_l \\rVert$를
직선으로 맞추어 층 하나를 지날 때 기울기가 몇 배가 되는지 구하세요. 깊이에 따라 그 비율이 달라집니까?
```

```{solution-start} ex-vanishing-rate
:class: dropdown
```

은닉층 수마다 층별 기울기의 로그를 직선으로 맞추고, 기울기(slope)를 $10^{\\text{slope}}$로 바꾸면 층 하나를
지날 때 곱해지는 평균 비율입니다. 입력 쪽에서 출력 쪽으로 갈수록 커지므로 거꾸로(역전파 방향) 보면 그 역수만큼 줄어듭니다.
""")

code("""
from d2lutil.demos.vanishing import build_deep_mlp, layer_gradient_norms

X_np, y_np = X_train[:128].numpy().astype(np.float64), y_train[:128].numpy()
for hidden in (5, 10, 20):
    model = build_deep_mlp(hidden, activation="sigmoid", scheme="xavier", seed=0)
    ns = layer_gradient_norms(model, X_np, y_np)
    slope = np.polyfit(np.arange(len(ns)), np.log10(ns), 1)[0]
    print(f"은닉층 {hidden:2d}개: 역전파로 층 하나를 지날 때 기울기가 약 {10**-slope:.3f}배가 됩니다")
""")

md("""
세 깊이 모두 비율이 비슷합니다(약 0.2~0.3배). 층을 하나 지날 때마다 거의 같은 배율 $r$이 곱해지므로 $L$층에서 첫 층과 마지막 층의
기울기 비율은 약 $r^{L}$이고, 깊이가 두 배가 되면 $r^{2L} = (r^{L})^2$, 즉 그 비율의 제곱이 됩니다. 비율이 시그모이드 도함수의 상한 0.25 근처인 것도 확인할 수 있습니다.

```{solution-end}
```
""")

md("""
## 퀴즈

**1.** 은닉층이 20개이고 모든 가중치의 크기가 1 이하인 시그모이드 사슬에서, 출력 쪽 기울기가 1일 때 첫 입력에
대한 기울기의 크기는 최대 얼마입니까?

(가) $0.25 \\times 20 = 5$ (나) $0.25^{20} \\approx 9.1 \\times 10^{-13}$ (다) $0.5^{20}$ (라) 1

```{admonition} 정답과 해설
:class: dropdown
(나). 기울기는 층마다 $\\sigma'(z_l) w_l$를 곱하며, 그 크기가 $1/4$ 이하이므로 20층이면 $0.25^{20}$ 이하입니다.
곱이지 합이 아니므로 (가)는 틀립니다.
```

**2.** 다음 가운데 ReLU 함수를 쓴 깊은 신경망에서도 기울기가 사라질 수 있는 경우는 무엇입니까?

(가) 가중치를 분산이 매우 작은 분포에서 뽑았을 때 (나) 학습률이 클 때 (다) 출력층에 소프트맥스를 쓸 때

```{admonition} 정답과 해설
:class: dropdown
(가). ReLU 함수의 도함수는 양수 구간에서 1이지만, 역전파의 곱에는 가중치도 들어 있습니다. 가중치가 너무 작으면
층마다 신호가 줄어듭니다. 본문의 "ReLU + 기본 초기화" 모델이 그 예입니다.
```

**3.** He 초기화가 Xavier 초기화보다 가중치의 분산을 대략 두 배로 잡는 이유는 무엇입니까?

```{admonition} 정답과 해설
:class: dropdown
ReLU 함수는 대칭인 입력의 절반 정도를 0으로 만들어 출력의 제곱 평균을 입력 분산의 절반으로 줄입니다.
분산을 $2/n_\\text{in}$으로 잡으면 그 절반이 보충되어 층을 지나도 신호의 분산이 유지됩니다(연습 문제 2).
```

**4.** 시그모이드 함수 대신 tanh 함수를 쓰면 기울기 소실이 완전히 사라집니까?

```{admonition} 정답과 해설
:class: dropdown
아닙니다. $\\tanh'$의 최댓값은 1이라 시그모이드 함수보다 훨씬 낫지만, 입력의 절댓값이 크면 포화되어 도함수가
0에 가까워집니다. 대화형 실험에서 초기화를 바꾸어 가며 확인해 보세요.
```
""")

print(book.write(ROOT / "book" / "part3" / "vanishing.ipynb"))
