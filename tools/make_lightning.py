"""3.6 같은 모델을 라이트닝으로 노트북(book/part3/lightning.ipynb)의 원본. 실행: python tools/make_lightning.py

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
(sec-lightning)=
# 3.6 같은 모델을 라이트닝으로
""")

code(
    """
import sys

if "google.colab" in sys.modules:  # Colab에서는 도우미 패키지를 설치합니다
    %pip install -q "d2lutil @ git+https://github.com/nn-textbook-ko/nn-textbook" "lightning==2.6.6" "torchmetrics==1.9.0"
import logging
import tempfile
import time
import warnings

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import d2lutil
from d2lutil.book import glue
from d2lutil.data import load_digits_split

start = time.perf_counter()
import lightning as L
from torchmetrics.classification import BinaryAccuracy

lightning_import_seconds = time.perf_counter() - start

d2lutil.use_korean_font()
d2lutil.seed_everything(0)
torch.set_num_threads(1)  # 작은 신경망은 스레드 하나가 가장 빠르고, 결과도 늘 같습니다
# 라이트닝의 안내 문구("GPU available: False" 같은 줄)와 작은 데이터에 대한 경고를 숨깁니다
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", module="lightning")
warnings.filterwarnings("ignore", message=".*does not have many workers.*")
""",
    tags=["hide-input"],
)

md("""
## 학습 목표

- 파이토치 라이트닝(PyTorch Lightning)이 학습 루프의 어느 부분을 대신해 주는지 설명합니다.
- {ref}`sec-digits-binary`의 "0인가?" 이진 분류기를 `LightningModule`(`training_step`, `test_step`, `configure_optimizers`, `self.log`)과 torchmetrics의 `BinaryAccuracy`로 다시 씁니다.
- `lightning.Trainer`를 CPU에서, 로그 파일과 체크포인트를 남기지 않고, 결과가 늘 같게 설정합니다.
- 같은 씨앗과 같은 미니배치 순서에서 라이트닝과 직접 쓴 학습 루프가 **비트 하나까지** 같은 매개변수에 이른다는 것을 확인합니다.
""")

md("""
(sec-lightning-why)=
## 왜 라이트닝인가

{ref}`sec-digits-binary`의 학습 루프를 다시 보면, 모델과 상관없이 늘 같은 줄이 되풀이됩니다. 에포크와 미니배치를 도는
두 겹의 `for`, `zero_grad()` → `backward()` → `step()`, 손실을 모아 평균 내기, 평가할 때 `model.eval()`과
`torch.no_grad()`, 데이터를 GPU로 옮기기 같은 일입니다. **파이토치 라이트닝**(PyTorch Lightning)은 이런 "공학"을
`Trainer`에 맡기고, 사용자는 "과학"만 `LightningModule`의 메서드 몇 개로 적게 하는 라이브러리입니다.

| 직접 쓴 루프 | 라이트닝 |
|---|---|
| `for epoch ...: for xb, yb in loader:` | `Trainer(max_epochs=20).fit(model, loader)` |
| 순전파와 손실 | `training_step(batch, batch_idx)`가 손실을 돌려줌 |
| `opt.zero_grad()`, `loss.backward()`, `opt.step()` | `Trainer`가 대신 부름 |
| 옵티마이저 만들기 | `configure_optimizers()` |
| 손실·정확도 모으기와 평균 | `self.log(..., on_epoch=True)`, torchmetrics |
| `model.eval()`, `torch.no_grad()` | `Trainer.test()`가 대신 켬 |
| `.to(device)` | `Trainer(accelerator="cpu")` 또는 `"gpu"` |

먼저 {ref}`sec-digits`와 같은 데이터와 같은 직접 쓴 루프로 기준을 만듭니다.
""")

code("""
X_train, X_test, y_train, y_test = load_digits_split(test_size=0.2, seed=0)
Xtr = torch.tensor(X_train, dtype=torch.float32)
Xte = torch.tensor(X_test, dtype=torch.float32)
is_zero_train = torch.tensor(y_train == 0, dtype=torch.float32).unsqueeze(1)
is_zero_test = torch.tensor(y_test == 0, dtype=torch.float32).unsqueeze(1)


def make_loader():
    \"\"\"3.4절과 같은 미니배치 순서: 32개씩, 씨앗 0인 생성기로 에포크마다 섞습니다.\"\"\"
    return DataLoader(
        TensorDataset(Xtr, is_zero_train), batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0)
    )


torch.manual_seed(0)
plain_net = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
bce = nn.BCELoss()
plain_opt = torch.optim.Adam(plain_net.parameters(), lr=1e-3)
plain_loader = make_loader()
plain_losses = []
for _ in range(20):  # 3.4절과 같은 20 에포크
    total = 0.0
    for xb, yb in plain_loader:
        loss = bce(plain_net(xb), yb)
        plain_opt.zero_grad()
        loss.backward()
        plain_opt.step()
        total += loss.item() * len(xb)
    plain_losses.append(total / len(Xtr))
with torch.no_grad():
    plain_acc = ((plain_net(Xte) >= 0.5) == is_zero_test.bool()).float().mean().item()
print(f"직접 쓴 루프: 마지막 에포크 손실 {plain_losses[-1]:.4f}, 시험 정확도 {plain_acc:.4f}")
glue("light_plain_acc", plain_acc, display=False)
""")

md("""
(sec-lightning-module)=
## `LightningModule`로 다시 쓰기

같은 신경망(64 → 16 → 1, ReLU 함수, 시그모이드 출력)을 **라이트닝 모듈**(`LightningModule`)로 씁니다. `nn.Module`을
물려받은 클래스라 `forward`는 그대로이고, 메서드 세 개를 더합니다.

- `training_step`: 미니배치 하나의 손실을 돌려줍니다. `backward()`와 `step()`은 부르지 않습니다.
- `test_step`: 시험 미니배치에서 잴 것을 잽니다. `Trainer.test()`가 평가 모드와 `torch.no_grad()`를 켠 채 부릅니다.
- `configure_optimizers`: 옵티마이저를 돌려줍니다(Adam, 학습률 $10^{-3}$).

정확도는 torchmetrics의 `BinaryAccuracy`가 잽니다. 미니배치마다 `update`로 맞힌 개수를 쌓고, 에포크 끝에 `compute`로
전체 정확도를 냅니다. 미니배치 정확도의 평균이 아니라 전체에서 맞힌 비율이므로 마지막 미니배치가 작아도 정확합니다.
`self.log`로 적은 값은 `trainer.callback_metrics`에 모입니다.
""")

code('''
class ZeroDetector(L.LightningModule):
    """ "이 숫자는 0인가?" 이진 분류기: 64 → 16 → 1, ReLU 함수, 시그모이드 출력, 이진 교차 엔트로피."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
        self.loss_fn = nn.BCELoss()
        self.train_acc = BinaryAccuracy()
        self.test_acc = BinaryAccuracy()
        self.epoch_losses = []  # 비교용: 에포크마다 self.log가 모은 평균 손실

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        p = self(x)
        loss = self.loss_fn(p, y)
        self.train_acc.update(p, y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)  # 에포크 평균 (미니배치 크기로 가중)
        return loss  # zero_grad(), backward(), step()은 Trainer가 합니다

    def on_train_epoch_end(self):
        self.log("train_acc", self.train_acc.compute())
        self.train_acc.reset()
        self.epoch_losses.append(self.trainer.callback_metrics["train_loss"].item())

    def test_step(self, batch, batch_idx):
        x, y = batch
        p = self(x)
        self.test_acc.update(p, y)
        self.log("test_loss", self.loss_fn(p, y))
        self.log("test_acc", self.test_acc)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
''')

md("""
`Trainer`의 설정은 이 책의 약속에 맞춥니다. `accelerator="cpu"`로 장치를 정하고, `logger=False`와
`enable_checkpointing=False`로 로그 폴더(`lightning_logs/`)와 체크포인트 파일을 만들지 않고, 진행 막대와 모델 요약표를 끄고,
`deterministic=True`로 결정적인 연산만 쓰게 합니다. 라이트닝이 무엇인가를 쓰더라도 저장소 밖의 임시 폴더에 쓰고 지우도록
`default_root_dir`도 임시 폴더로 둡니다. 모델을 만들기 직전에 `torch.manual_seed(0)`을 부르므로 초기 가중치가 직접 쓴 루프와
같고, 같은 `make_loader()`로 미니배치 순서도 같습니다.
""")

code("""
torch.manual_seed(0)  # 직접 쓴 루프와 같은 초기 가중치
model = ZeroDetector()
with tempfile.TemporaryDirectory() as tmp:
    trainer = L.Trainer(
        max_epochs=20,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        deterministic=True,
        default_root_dir=tmp,
    )
    start = time.perf_counter()
    trainer.fit(model, make_loader())
    lightning_fit_seconds = time.perf_counter() - start
    train_acc_final = float(trainer.callback_metrics["train_acc"])  # test()가 callback_metrics를 새로 채우기 전에
    test_metrics = trainer.test(model, DataLoader(TensorDataset(Xte, is_zero_test), batch_size=512), verbose=False)[0]
print(f"라이트닝: 마지막 에포크 손실 {model.epoch_losses[-1]:.4f}, 시험 정확도 {test_metrics['test_acc']:.4f}")
glue("light_test_acc", test_metrics["test_acc"], display=False)
glue("light_train_acc", round(train_acc_final, 4), display=False)
""")

md("""
(sec-lightning-compare)=
## 직접 쓴 루프와 같은가

두 방법이 같은 계산을 했다면 매개변수가 같아야 합니다. 매개변수마다 차이의 절댓값이 가장 큰 값, 에포크별 평균 손실의 차이,
시험 정확도를 비교합니다.
""")

code("""
param_diff = max((a - b).abs().max().item() for a, b in zip(plain_net.parameters(), model.net.parameters()))
loss_diff = float(np.max(np.abs(np.array(plain_losses) - np.array(model.epoch_losses))))
with torch.no_grad():
    manual_acc = ((model(Xte) >= 0.5) == is_zero_test.bool()).float().mean().item()
print(f"매개변수 차이의 최댓값: {param_diff}")
print(f"에포크 평균 손실 차이의 최댓값: {'< 1e-6' if loss_diff < 1e-6 else f'{loss_diff:.1e}'}")
print(f"시험 정확도: 직접 쓴 루프 {plain_acc:.4f}, 라이트닝(BinaryAccuracy) {test_metrics['test_acc']:.4f}, 직접 센 값 {manual_acc:.4f}")
glue("light_param_diff", param_diff, display=False)
glue("light_loss_diff_small", loss_diff < 1e-6, display=False)
glue("light_last_batch", len(Xtr) % 32, display=False)
""")

md("""
매개변수 차이의 최댓값이 {glue:text}`light_param_diff`, 곧 **비트 하나까지 같습니다**. 라이트닝은 직접 쓴 루프와 똑같은
순서로 순전파, `zero_grad()`, `backward()`, `step()`을 부르고, 미니배치 순서는 같은 생성기가 정하기 때문입니다. 그래서 시험
정확도도 {glue:josa}`light_test_acc:.4f|으로/로` 직접 쓴 루프({glue:text}`light_plain_acc:.4f`)와 같고, {ref}`sec-digits-binary`의
값과도 같습니다. 에포크 평균 손실은 float32로 더하는 순서가 달라 반올림 수준(1e-6 미만)에서만 다를 수 있습니다.
`self.log(..., on_epoch=True)`는 미니배치 크기로 가중 평균을 내므로, 마지막 미니배치가 {glue:text}`light_last_batch`개로 작아도 직접 쓴 루프의
`loss.item() * len(xb)` 합과 같은 값이 됩니다.

:::{admonition} 흔한 오해: "라이트닝을 쓰면 결과가 달라진다"
:class: warning
라이트닝은 계산을 바꾸지 않고 계산을 부르는 순서를 정리할 뿐입니다. 결과가 다르다면 대개 초기화나 데이터 순서가 다른 것입니다.
모델을 만들기 전에 씨앗을 정했는지, `DataLoader`의 `generator`가 같은지, 라이트닝의 `seed_everything`이나 `Trainer`의
설정(예: 정밀도 `precision`, 기울기 누적)이 계산을 바꾸지 않았는지 확인하세요.
:::

시간은 어떨까요? 라이트닝은 미니배치마다 훅(hook)을 부르고 기록을 모으는 일을 더 하므로, 이렇게 작은 모델에서는 직접 쓴
루프보다 느리고, `import lightning`도 파이토치 위에 몇 초가 더 듭니다. 아래 셀의 출력은 컴퓨터마다 다르므로 자동 검사에서
비교하지 않습니다.
""")

code(
    """
print(f"import lightning (torchmetrics 포함): {lightning_import_seconds:.1f}초")
print(f"라이트닝으로 20 에포크 학습: {lightning_fit_seconds:.2f}초")
""",
    tags=["nbval-ignore-output"],
)

md("""
모델이 커지면 미니배치 하나의 계산이 이 부담보다 훨씬 커지고, GPU 여러 개, 혼합 정밀도, 체크포인트, 조기 종료 같은 기능을
설정 한 줄로 켤 수 있다는 장점이 커집니다. 이 책은 학습 루프를 직접 쓰며 배우고, 라이트닝은 그 루프를 이해한 뒤에 쓰는 도구로
소개합니다.
""")

md("""
## 요약

- 라이트닝은 학습 루프(두 겹의 `for`, `zero_grad()`, `backward()`, `step()`), 평가 모드와 `no_grad`, 장치 옮기기, 기록 모으기를 `Trainer`가 맡고, 사용자는 `LightningModule`의 `training_step`, `test_step`, `configure_optimizers`만 씁니다.
- torchmetrics의 `BinaryAccuracy`는 미니배치마다 맞힌 개수를 쌓았다가 전체 정확도를 냅니다.
- `logger=False`, `enable_checkpointing=False`, `enable_progress_bar=False`, `deterministic=True`, 임시 `default_root_dir`로 파일을 남기지 않고 늘 같은 결과를 얻습니다.
- 같은 씨앗과 같은 미니배치 순서라면 라이트닝과 직접 쓴 루프는 매개변수까지 똑같습니다(차이 {glue:text}`light_param_diff`).
""")

md("""
## 연습 문제

```{exercise} 검증 단계 더하기
:label: ex-light-val

`ZeroDetector`에 `validation_step`을 더하고, 훈련 세트에서 검증 세트를 떼어 `trainer.fit(model, train_loader, val_loader)`로
학습하세요. 라이트닝은 검증할 때 무엇을 대신 켜고 끕니까? {ref}`sec-digits`의 흔한 오해 상자(시험 세트로 설정 고르기)와
연결해 검증 세트가 왜 필요한지 설명하세요.
```

```{solution-start} ex-light-val
:class: dropdown
```

`validation_step`은 `test_step`과 같은 모양으로 씁니다. 라이트닝은 검증할 때 `model.eval()`과 `torch.no_grad()`를 켜고,
끝나면 `model.train()`으로 되돌립니다. 검증 세트는 학습 설정(에포크 수, 학습률 등)을 고르는 데 쓰고, 시험 세트는 마지막에
한 번만 봅니다.
""")

code("""
class ZeroDetectorWithVal(ZeroDetector):
    def __init__(self):
        super().__init__()
        self.val_acc = BinaryAccuracy()

    def validation_step(self, batch, batch_idx):
        x, y = batch
        p = self(x)
        self.val_acc.update(p, y)
        self.log("val_loss", self.loss_fn(p, y))
        self.log("val_acc", self.val_acc)


gen = torch.Generator().manual_seed(0)
perm = torch.randperm(len(Xtr), generator=gen)
fit_idx, val_idx = perm[:1150], perm[1150:]
fit_loader = DataLoader(TensorDataset(Xtr[fit_idx], is_zero_train[fit_idx]), batch_size=32, shuffle=True, generator=gen)
val_loader = DataLoader(TensorDataset(Xtr[val_idx], is_zero_train[val_idx]), batch_size=512)
torch.manual_seed(0)
val_model = ZeroDetectorWithVal()
with tempfile.TemporaryDirectory() as tmp:
    val_trainer = L.Trainer(
        max_epochs=5, accelerator="cpu", logger=False, enable_checkpointing=False,
        enable_progress_bar=False, enable_model_summary=False, deterministic=True, default_root_dir=tmp,
    )
    val_trainer.fit(val_model, fit_loader, val_loader)
print(f"검증 세트 {len(val_idx)}장의 정확도 (5 에포크): {val_trainer.callback_metrics['val_acc']:.4f}")
""")

md("""
```{solution-end}
```

```{exercise} 라이트닝이 없었다면
:label: ex-light-loop

`Trainer.fit`이 하는 일을 의사 코드로 적어 보세요. `training_step`, `configure_optimizers`, `on_train_epoch_end`가 어느 줄에서
불립니까? `self.log(..., on_epoch=True)`의 평균은 어떻게 계산해야 직접 쓴 루프의 평균 손실과 같아집니까?
```

````{solution} ex-light-loop
:class: dropdown

```text
optimizer = model.configure_optimizers()
for epoch in range(max_epochs):
    model.train()
    for batch_idx, batch in enumerate(train_loader):
        loss = model.training_step(batch, batch_idx)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.on_train_epoch_end()
```

에포크 평균은 미니배치 손실에 미니배치 크기를 곱해 더한 뒤 전체 샘플 수로 나눠야 합니다. 라이트닝은 배치에서 크기를 읽어 이렇게
가중 평균을 냅니다. 미니배치 손실을 그냥 평균하면 마지막의 작은 미니배치가 지나치게 큰 몫을 차지합니다.
````

```{exercise} 정확도를 평균 내면 안 되는 까닭
:label: ex-light-metric

미니배치 두 개의 정확도가 32개 가운데 32개(1.0)와 4개 가운데 2개(0.5)입니다. 두 정확도의 평균과 전체 정확도를 구하고,
`BinaryAccuracy`가 어느 쪽을 내는지 말하세요.
```

```{solution} ex-light-metric
:class: dropdown

평균은 $(1.0 + 0.5)/2 = 0.75$이고 전체 정확도는 $34/36 \\approx 0.944$입니다. `BinaryAccuracy`는 `update`마다 맞힌 개수와
전체 개수를 쌓았다가 `compute`에서 나누므로 전체 정확도 0.944를 냅니다.
```
""")

md("""
## 퀴즈

**1.** 라이트닝의 `training_step`에서 하지 **않아야** 하는 일은?

(가) 순전파 (나) 손실 계산 (다) `loss.backward()`와 `optimizer.step()` 부르기 (라) `self.log`로 기록하기

```{admonition} 정답과 해설
:class: dropdown
(다). 자동 최적화에서는 `Trainer`가 `training_step`이 돌려준 손실로 `zero_grad()`, `backward()`, `step()`을 부릅니다. 직접 부르면 두 번 계산됩니다.
```

**2.** `Trainer(logger=False, enable_checkpointing=False)`로 설정하면?

(가) 학습이 되지 않는다 (나) `lightning_logs/` 폴더와 체크포인트 파일을 만들지 않는다 (다) `self.log`가 오류를 낸다

```{admonition} 정답과 해설
:class: dropdown
(나). `self.log`로 적은 값은 파일 대신 `trainer.callback_metrics`에 남아 코드에서 읽을 수 있습니다.
```

**3.** 라이트닝과 직접 쓴 루프의 결과가 비트 하나까지 같으려면 무엇이 같아야 합니까? 두 가지를 드세요.

```{admonition} 정답과 해설
:class: dropdown
초기 가중치(모델을 만들기 직전의 `torch.manual_seed`)와 미니배치 순서(`DataLoader`의 `generator`)입니다. 옵티마이저와 학습률,
손실 함수, 에포크 수가 같다는 것은 물론이고요.
```
""")

path = book.write(ROOT / "book" / "part3" / "lightning.ipynb")
subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(path)], check=True)
print(path)
