"""3.5 과적합과 드롭아웃, 3.6 라이트닝: 본문 숫자를 독립적으로 다시 계산해 비교한다.

* 드롭아웃 실험은 노트북과 같은 설정을 이 파일의 학습 루프(DataLoader 없이 같은 순열)로 다시 학습한다.
  씨앗 1, 2로도 학습해 "드롭아웃이 시험 손실을 낮춘다"는 결론이 씨앗 하나의 우연이 아닌지 본다.
* 은닉 유닛 절의 숫자 분류기는 3.4절 노트북에 저장된 시험 정확도와 같아야 한다(같은 모델을 다시 만든 것).
* 라이트닝 장은 lightning 없이 직접 쓴 루프로 같은 결과(시험 정확도)를 다시 내고, 파일을 남기지 않았는지 본다.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from nbdata import ROOT, glued, load_notebook
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from d2lutil.data import load_digits_split

NB = "book/part3/regularization.ipynb"
NB_LIGHT = "book/part3/lightning.ipynb"


@pytest.fixture(scope="module")
def g() -> dict[str, Any]:
    return glued(NB)


@pytest.fixture(scope="module")
def gl() -> dict[str, Any]:
    return glued(NB_LIGHT)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Any:
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return load_digits_split(test_size=0.2, seed=0)


def small_subset(split: Any) -> tuple[torch.Tensor, torch.Tensor]:
    X_train, _, y_train, _ = split
    idx = np.concatenate([np.flatnonzero(y_train == d)[:20] for d in range(10)])
    return torch.tensor(X_train[idx]), torch.tensor(y_train[idx])


def train_regularized(split: Any, p: float, wd: float, seed: int) -> tuple[float, float, float, float]:
    """노트북의 설정(64 → 256 → 256 → 10, SGD 0.02·모멘텀 0.9, 60 에포크, float64)을 따로 적은 학습."""
    Xs, ys = small_subset(split)
    Xte, yte = torch.tensor(split[1]), torch.tensor(split[3])
    torch.manual_seed(seed)
    mods: list[nn.Module] = [nn.Linear(64, 256), nn.ReLU()]
    if p:
        mods.append(nn.Dropout(p))
    mods += [nn.Linear(256, 256), nn.ReLU()]
    if p:
        mods.append(nn.Dropout(p))
    net = nn.Sequential(*mods, nn.Linear(256, 10)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9, weight_decay=wd)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(60):
        net.train()
        order = torch.randperm(len(Xs), generator=gen)
        for batch in order.split(32):
            opt.zero_grad()
            nn.functional.cross_entropy(net(Xs[batch]), ys[batch]).backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        ztr, zte = net(Xs), net(Xte)
    return (
        nn.functional.cross_entropy(ztr, ys).item(),
        (ztr.argmax(1) == ys).double().mean().item(),
        nn.functional.cross_entropy(zte, yte).item(),
        (zte.argmax(1) == yte).double().mean().item(),
    )


def test_dropout_scratch_numbers(g: dict[str, Any]) -> None:
    assert g["reg_scratch_same_zeros"] is True
    # p = 0.3: 버린 비율은 0.3, 평균은 입력 3 (표준오차 0.002의 몇 배 안)
    assert g["reg_drop_frac"] == 0.3
    assert abs(g["reg_mean_ours"] - 3.0) <= 0.01
    assert abs(g["reg_mean_torch"] - 3.0) <= 0.01


@pytest.mark.parametrize(
    ("key", "p", "wd"), [("none", 0.0, 0.0), ("dropout", 0.5, 0.0), ("decay", 0.0, 1e-3)]
)
def test_settings_reproduce(g: dict[str, Any], split: Any, key: str, p: float, wd: float) -> None:
    tr_loss, tr_acc, te_loss, te_acc = train_regularized(split, p, wd, seed=0)
    assert g[f"reg_{key}_train_loss"] == pytest.approx(tr_loss, abs=6e-4)
    assert g[f"reg_{key}_test_loss"] == pytest.approx(te_loss, abs=6e-4)
    assert g[f"reg_{key}_train_acc"] == pytest.approx(100 * tr_acc, abs=0.06)
    assert g[f"reg_{key}_test_acc"] == pytest.approx(100 * te_acc, abs=0.06)


def test_prose_claims_about_the_three_settings(g: dict[str, Any]) -> None:
    # 본문: 규제가 없으면 200장을 다 외우고, 드롭아웃은 훈련 손실이 더 높지만 시험 손실과 정확도는 더 좋다
    assert g["reg_none_train_acc"] == 100.0
    assert g["reg_dropout_train_loss"] > g["reg_none_train_loss"]
    assert g["reg_dropout_test_loss"] < g["reg_decay_test_loss"] < g["reg_none_test_loss"]
    assert g["reg_dropout_test_acc"] > g["reg_none_test_acc"]
    assert g["reg_n_small"] == 200
    assert g["reg_n_params"] == 64 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
    assert g["reg_one_image_pct"] == round(100 / 360, 2)


@pytest.mark.parametrize("seed", [1, 2])
def test_dropout_lowers_test_loss_for_other_seeds(split: Any, seed: int) -> None:
    none = train_regularized(split, 0.0, 0.0, seed=seed)
    drop = train_regularized(split, 0.5, 0.0, seed=seed)
    assert drop[2] < none[2]


def test_eval_mode_box(g: dict[str, Any]) -> None:
    assert g["reg_acc_train_mode_max"] < g["reg_acc_eval_mode"]
    assert g["reg_acc_eval_mode"] == g["reg_dropout_test_acc"]
    assert g["reg_acc_train_mode_min"] <= g["reg_acc_train_mode_max"]


def test_hidden_units_model_is_the_one_from_3_4(g: dict[str, Any], split: Any) -> None:
    """같은 씨앗·같은 DataLoader로 다시 만든 3.4절 모델: 3.4절 노트북에 저장된 시험 정확도와 같아야 한다."""
    digits = glued("book/part3/digits.ipynb")
    assert g["reg_digit_acc"] == pytest.approx(digits["digits_test_acc"], abs=1e-6)
    X_train, X_test, y_train, y_test = split
    Xtr = torch.tensor(X_train, dtype=torch.float32)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loader = DataLoader(
        TensorDataset(Xtr, torch.tensor(y_train)),
        batch_size=32,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    for _ in range(30):
        for xb, yb in loader:
            opt.zero_grad()
            nn.functional.cross_entropy(net(xb), yb).backward()
            opt.step()
    with torch.no_grad():
        h = torch.relu(net[0](torch.tensor(X_test, dtype=torch.float32))).numpy().astype(np.float64)
    assert g["reg_dead_units"] == int(np.sum(~np.any(h > 0, axis=0)))
    # 유닛마다 숫자별 평균 출력, 가장 센 숫자의 몫 (노트북과 다른 방식: 원-핫 행렬 곱)
    onehot = np.eye(10)[y_test]
    means = (onehot.T @ h) / onehot.sum(axis=0)[:, None]
    alive = h.max(axis=0) > 0
    share = means[:, alive].max(axis=0) / means[:, alive].sum(axis=0)
    assert g["reg_share_median"] == pytest.approx(float(np.median(share)), abs=0.006)
    assert g["reg_share_over_half"] == int(np.sum(share > 0.5))
    assert 0.1 < g["reg_share_median"] < 0.5  # 본문: 숫자 검출기도, 아무 숫자나 보는 유닛도 아니다


def test_lightning_matches_plain_loop(gl: dict[str, Any], split: Any) -> None:
    assert gl["light_param_diff"] == 0.0
    assert gl["light_loss_diff_small"] is True
    assert gl["light_last_batch"] == len(split[0]) % 32 != 0
    assert gl["light_test_acc"] == pytest.approx(gl["light_plain_acc"], abs=1e-7)
    # 3.4절의 같은 모델과도 같은 정확도
    assert gl["light_plain_acc"] == pytest.approx(
        glued("book/part3/digits.ipynb")["digits_binary_acc"], abs=1e-7
    )
    # 독립 계산: lightning 없이 같은 씨앗·같은 순서로 학습 (test_book_digits.py와 같은 방법)
    X_train, X_test, y_train, y_test = split
    Xtr = torch.tensor(X_train, dtype=torch.float32)
    t = torch.tensor(y_train == 0, dtype=torch.float32)[:, None]
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loader = DataLoader(
        TensorDataset(Xtr, t), batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    for _ in range(20):
        for xb, yb in loader:
            opt.zero_grad()
            nn.functional.binary_cross_entropy(net(xb), yb).backward()
            opt.step()
    with torch.no_grad():
        pred = (net(torch.tensor(X_test, dtype=torch.float32))[:, 0] >= 0.5).numpy()
    assert gl["light_test_acc"] == pytest.approx(float(np.mean(pred == (y_test == 0))), abs=1e-6)


def test_lightning_notebook_is_quiet_and_leaves_no_files() -> None:
    nb = load_notebook(NB_LIGHT)
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", "라이트닝 장의 출력에 stderr(경고·안내 문구)가 남았습니다"
    for leftover in ("lightning_logs", "checkpoints"):
        assert not (ROOT / "book" / "part3" / leftover).exists()
        assert not (ROOT / leftover).exists()
