"""d2lutil.train: 파이토치 학습 루프, 평가, 정확도."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from d2lutil import train as train_mod
from d2lutil.data import doubling, make_blobs
from d2lutil.train import accuracy, evaluate, train

CPU = torch.device("cpu")


def _blobs_loaders(seed: int = 0) -> tuple[DataLoader[Any], DataLoader[Any]]:
    X, y = make_blobs(n=300, noise=0.9, seed=seed, n_classes=3)
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    g = torch.Generator().manual_seed(seed)
    train_dl = DataLoader(TensorDataset(Xt[:240], yt[:240]), batch_size=32, shuffle=True, generator=g)
    val_dl = DataLoader(TensorDataset(Xt[240:], yt[240:]), batch_size=64)
    return train_dl, val_dl


# --------------------------------------------------------------------------- 책의 숫자: y = 2x 회귀


def test_linear_regression_matches_hand_written_loop_and_book_numbers() -> None:
    x, y = doubling()
    X, Y = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)

    model = nn.Linear(1, 1)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    history = train(model, nn.MSELoss(), opt, [(X, Y)], epochs=2000, device="cpu", progress=False)
    assert set(history) == {"train_loss"}  # 회귀이므로 정확도는 없다

    # 독립 계산: 책 1.3절의 손으로 쓴 루프
    W = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    hand_opt = torch.optim.SGD([W, b], lr=0.01)
    losses = []
    for _ in range(2000):
        cost = torch.mean((X * W + b - Y) ** 2)
        losses.append(float(cost.detach()))
        hand_opt.zero_grad()
        cost.backward()
        hand_opt.step()
    np.testing.assert_allclose(history["train_loss"], losses, rtol=1e-5, atol=1e-7)
    assert history["train_loss"][0] == pytest.approx(56 / 3, rel=1e-6)  # 첫 비용 18.6667
    w_lib, b_lib = float(model.weight.detach()), float(model.bias.detach())
    assert w_lib == pytest.approx(float(W.detach()), rel=1e-5)
    assert b_lib == pytest.approx(float(b.detach()), rel=1e-4, abs=1e-7)
    assert w_lib == pytest.approx(1.997, abs=5e-4)
    assert b_lib == pytest.approx(0.006, abs=5e-4)


def test_divergence_is_recorded_not_raised() -> None:
    x, y = doubling()
    X, Y = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    model = nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=5.0)  # 학습률이 너무 크다
    history = train(model, nn.MSELoss(), opt, [(X, Y)], epochs=60, device="cpu", progress=False)
    assert not np.isfinite(history["train_loss"][-1]) or history["train_loss"][-1] > 1e20


# --------------------------------------------------------------------------- 분류


def test_multiclass_history_and_evaluate_agree() -> None:
    torch.manual_seed(0)
    train_dl, val_dl = _blobs_loaders()
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    history = train(model, nn.CrossEntropyLoss(), opt, train_dl, epochs=8, val_loader=val_dl, progress=False)
    assert set(history) == {"train_loss", "train_acc", "val_loss", "val_acc"}
    assert all(len(v) == 8 for v in history.values())
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["val_acc"][-1] > 0.8

    result = evaluate(model, val_dl, nn.CrossEntropyLoss())
    assert result["acc"] == pytest.approx(history["val_acc"][-1])
    assert result["loss"] == pytest.approx(history["val_loss"][-1], rel=1e-5)
    # 독립 계산: 검증 세트 전체를 한 번에 넣어 numpy로 정확도와 손실을 잰다
    Xv, yv = val_dl.dataset.tensors  # type: ignore[attr-defined]
    with torch.no_grad():
        logits = model(Xv)
    assert result["acc"] == pytest.approx(float(np.mean(logits.numpy().argmax(1) == yv.numpy())))
    z = logits.double().numpy()
    lse = np.log(np.exp(z - z.max(1, keepdims=True)).sum(1)) + z.max(1)
    nll = float(np.mean(lse - z[np.arange(len(z)), yv.numpy()]))
    assert result["loss"] == pytest.approx(nll, rel=1e-4)
    assert not model.training  # 평가 뒤에는 eval 모드


@pytest.mark.parametrize(("loss_fn", "head"), [(nn.BCEWithLogitsLoss(), []), (nn.BCELoss(), [nn.Sigmoid()])])
def test_binary_accuracy_uses_the_right_threshold(loss_fn: nn.Module, head: list[nn.Module]) -> None:
    torch.manual_seed(1)
    X, y = make_blobs(n=200, noise=0.5, seed=2, n_classes=2)
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)[:, None]
    dl = DataLoader(TensorDataset(Xt, yt), batch_size=50)
    model = nn.Sequential(nn.Linear(2, 1), *head)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    history = train(model, loss_fn, opt, dl, epochs=10, progress=False)
    with torch.no_grad():
        out = model(Xt)
    prob = out if head else torch.sigmoid(out)
    expected = float(np.mean((prob.numpy()[:, 0] > 0.5) == y))  # 독립 계산: 확률 0.5에서 자름
    assert evaluate(model, dl, loss_fn)["acc"] == pytest.approx(expected)
    assert history["train_acc"][-1] > 0.9


# --------------------------------------------------------------------------- 장치와 진행 막대


class DeviceCheck(nn.Module):
    """입력이 매개변수와 같은 장치에 있는지 확인하는 모델."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(2, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        assert x.device == self.lin.weight.device
        return self.lin(x)


def test_device_none_uses_try_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def fake_try_gpu(i: int = 0) -> torch.device:
        calls.append(i)
        return CPU

    monkeypatch.setattr(train_mod, "try_gpu", fake_try_gpu)
    model = DeviceCheck()
    batch = [(torch.zeros(4, 2, dtype=torch.float64).float(), torch.tensor([0, 1, 0, 1]))]
    train(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), batch, epochs=1)
    assert calls == [0]
    evaluate(model, batch, nn.CrossEntropyLoss())
    assert calls == [0, 0]
    evaluate(model, batch, nn.CrossEntropyLoss(), device=CPU)
    assert calls == [0, 0]


def _tiny_run(progress: bool | None, epochs: int = 3) -> dict[str, list[float]]:
    model = nn.Linear(2, 2)
    batch = [(torch.randn(4, 2), torch.tensor([0, 1, 0, 1]))]
    return train(
        model,
        nn.CrossEntropyLoss(),
        torch.optim.SGD(model.parameters(), lr=0.1),
        batch,
        epochs=epochs,
        device="cpu",
        progress=progress,
    )


def test_progress_forced_on_and_off(capsys: pytest.CaptureFixture[str]) -> None:
    _tiny_run(False)
    assert "학습 에포크" not in capsys.readouterr().err
    _tiny_run(True)
    assert "학습 에포크" in capsys.readouterr().err


def test_progress_auto(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _tiny_run(None)  # 빠른 학습: 막대 없음
    assert "학습 에포크" not in capsys.readouterr().err
    monkeypatch.setattr(train_mod, "PROGRESS_AFTER_S", 0.0)  # '2초 넘게 걸릴 것'으로 예측되게
    history = _tiny_run(None, epochs=4)
    err = capsys.readouterr().err
    assert "학습 에포크" in err and "4/4" in err
    assert len(history["train_loss"]) == 4


# --------------------------------------------------------------------------- accuracy


def test_accuracy_against_numpy() -> None:
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((50, 4))
    y = rng.integers(0, 4, 50)
    assert accuracy(torch.tensor(logits), torch.tensor(y)) == pytest.approx(np.mean(logits.argmax(1) == y))
    assert accuracy(logits, y) == pytest.approx(np.mean(logits.argmax(1) == y))  # numpy도 받는다
    z = rng.standard_normal(30)
    t = rng.integers(0, 2, 30)
    assert accuracy(z, t) == pytest.approx(np.mean((z > 0) == t))
    assert accuracy(z[:, None], t[:, None].astype(float), threshold=0.3) == pytest.approx(
        np.mean((z > 0.3) == t)
    )


@pytest.mark.parametrize(
    ("logits", "y", "exc", "word"),
    [
        (None, [1], TypeError, "logits"),
        ("ab", [1], TypeError, "logits"),
        ([[0.1, 0.9]], None, TypeError, "y"),
        ([["a"]], [0], TypeError, "logits"),
        (torch.zeros(0, 3), torch.zeros(0), ValueError, "logits"),
        ([[np.nan, 1.0]], [0], ValueError, "logits"),
        (torch.zeros(2, 2, 2), [0, 1], ValueError, "logits"),
        ([[0.1, 0.9], [0.2, 0.8]], [1], ValueError, "y"),
        (torch.tensor([True, False]), [1, 0], TypeError, "logits"),
    ],
)
def test_accuracy_bad_input(logits: Any, y: Any, exc: type, word: str) -> None:
    with pytest.raises(exc, match=word):
        accuracy(logits, y)


def test_accuracy_bad_threshold() -> None:
    with pytest.raises(TypeError, match="threshold"):
        accuracy([0.1], [1], threshold="0")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- train / evaluate 인자 검사


def _args() -> dict[str, Any]:
    model = nn.Linear(2, 2)
    return {
        "model": model,
        "loss_fn": nn.CrossEntropyLoss(),
        "optimizer": torch.optim.SGD(model.parameters(), lr=0.1),
        "train_loader": [(torch.zeros(2, 2), torch.tensor([0, 1]))],
        "epochs": 1,
        "device": "cpu",
        "progress": False,
    }


@pytest.mark.parametrize(
    ("change", "exc", "word"),
    [
        ({"model": "net"}, TypeError, "model"),
        ({"loss_fn": 3}, TypeError, "loss_fn"),
        ({"optimizer": None}, TypeError, "optimizer"),
        ({"train_loader": None}, TypeError, "train_loader"),
        ({"train_loader": "batches"}, TypeError, "train_loader"),
        ({"train_loader": []}, ValueError, "train_loader"),
        ({"train_loader": [torch.zeros(2, 2)]}, TypeError, "train_loader"),
        ({"train_loader": [("a", "b")]}, TypeError, "train_loader"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": -3}, ValueError, "epochs"),
        ({"epochs": 1.5}, TypeError, "epochs"),
        ({"val_loader": "val"}, TypeError, "val_loader"),
        ({"val_loader": 5}, TypeError, "val_loader"),
        ({"val_loader": []}, ValueError, "val_loader"),
        ({"device": "quantum"}, ValueError, "device"),
        ({"device": 3}, TypeError, "device"),
        ({"progress": "yes"}, TypeError, "progress"),
    ],
)
def test_train_bad_arguments(change: dict[str, Any], exc: type, word: str) -> None:
    args = _args()
    args.update(change)
    with pytest.raises(exc, match=word):
        train(args.pop("model"), args.pop("loss_fn"), args.pop("optimizer"), args.pop("train_loader"), **args)


def test_generator_loader_is_exhausted_after_one_epoch() -> None:
    args = _args()
    args["train_loader"] = iter(args["train_loader"])
    args["epochs"] = 2
    with pytest.raises(ValueError, match="train_loader"):
        train(args.pop("model"), args.pop("loss_fn"), args.pop("optimizer"), args.pop("train_loader"), **args)


def test_evaluate_bad_arguments() -> None:
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="model"):
        evaluate(None, [], nn.MSELoss())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="loader"):
        evaluate(model, [], nn.MSELoss(), device="cpu")
    with pytest.raises(TypeError, match="loader"):
        evaluate(model, 3, nn.MSELoss(), device="cpu")  # type: ignore[arg-type]


JUNK = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-5, 0),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=3),
    st.lists(st.tuples(st.text(max_size=2), st.none()), max_size=2),
    st.builds(lambda: np.array([object()], dtype=object)),
)


@settings(max_examples=60, deadline=None)
@given(
    junk=JUNK,
    slot=st.sampled_from(
        ["model", "loss_fn", "optimizer", "train_loader", "epochs", "val_loader", "device", "progress"]
    ),
)
def test_fuzz_train_raises_only_value_or_type_error(junk: Any, slot: str) -> None:
    args = _args()
    args[slot] = junk
    calls: list[Callable[[], Any]] = [
        lambda: train(
            args["model"],
            args["loss_fn"],
            args["optimizer"],
            args["train_loader"],
            epochs=args["epochs"],
            val_loader=args.get("val_loader"),
            device=args["device"],
            progress=args["progress"],
        ),
        lambda: accuracy(junk, [0]),
        lambda: accuracy([[0.2, 0.8]], junk),
        lambda: evaluate(nn.Linear(2, 2), junk, nn.MSELoss(), device="cpu"),
    ]
    for call in calls:
        try:
            call()
        except (ValueError, TypeError):
            pass
