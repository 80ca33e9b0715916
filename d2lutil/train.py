"""파이토치 학습 루프: ``train``, ``evaluate``, ``accuracy``.

책의 모든 파이토치 예제가 같은 루프를 쓰도록 한 곳에 모았다. 한 에포크는
순전파 → 손실 → ``zero_grad()`` → ``backward()`` → ``step()``을 배치마다 되풀이한다.

정확도는 분류 문제일 때만 기록한다:
- 출력이 (n, k)이고 k ≥ 2이며 레이블이 정수이면 다중 분류(argmax),
- 손실 함수가 ``nn.BCEWithLogitsLoss``(로짓, 문턱 0) 또는 ``nn.BCELoss``(확률, 문턱 0.5)이면 이진 분류.
손실 함수는 배치 평균(reduction="mean")을 돌려준다고 가정하고, 에포크 손실은 샘플 수로 가중 평균한다.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import nn

from d2lutil._checks import check_int
from d2lutil.utils import try_gpu

__all__ = ["train", "evaluate", "accuracy"]

#: progress=None일 때, 예상(또는 실제) 학습 시간이 이 초를 넘으면 진행 막대를 보인다.
PROGRESS_AFTER_S = 2.0


def _to_tensor(x: Any, *, name: str) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x.detach()
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name}에는 텐서나 숫자 배열이 필요합니다: {type(x).__name__}를 받았습니다.")
    try:
        return torch.as_tensor(x)
    except (TypeError, ValueError, RuntimeError) as exc:
        raise TypeError(f"{name}을(를) 텐서로 바꿀 수 없습니다: {type(x).__name__} ({exc})") from None


def accuracy(logits: Any, y: Any, *, threshold: float = 0.0) -> float:
    """정확도(맞힌 비율, 0–1).

    logits가 (n, k), k ≥ 2이면 argmax를 y (n,) 정수 레이블과 비교한다. logits가 (n,) 또는 (n, 1)이면
    이진 분류로 보고 ``logits > threshold``를 y(0/1)와 비교한다 (로짓이면 threshold=0, 확률이면 0.5).
    """
    z = _to_tensor(logits, name="logits")
    t = _to_tensor(y, name="y")
    if z.dtype == torch.bool or not (z.is_floating_point() or z.dtype in (torch.int32, torch.int64)):
        raise TypeError(f"logits는 실수 텐서여야 합니다: dtype={z.dtype}를 받았습니다.")
    if z.numel() == 0:
        raise ValueError("logits가 비어 있습니다: 샘플이 하나 이상 있어야 합니다.")
    if z.is_floating_point() and not bool(torch.isfinite(z).all()):
        raise ValueError("logits에 NaN 또는 무한대가 있습니다: 유한한 값만 받습니다.")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold는 실수여야 합니다: {threshold!r}를 받았습니다.")
    if not (z.ndim == 1 or (z.ndim == 2 and z.shape[0] > 0)):
        raise ValueError(
            f"logits의 모양이 맞지 않습니다: (n,), (n, 1) 또는 (n, k)를 기대했지만 {tuple(z.shape)}."
        )
    if t.reshape(-1).shape[0] != z.shape[0]:
        raise ValueError(
            f"y의 길이가 logits와 같아야 합니다: logits는 {z.shape[0]}개, y의 모양은 {tuple(t.shape)}입니다."
        )
    return _fraction_correct(z, t, threshold)


def _fraction_correct(z: torch.Tensor, t: torch.Tensor, threshold: float) -> float:
    """검사 없이 정확도를 잰다 (학습 루프 안에서는 발산한 NaN 출력도 그냥 틀린 것으로 센다)."""
    if z.ndim == 2 and z.shape[1] >= 2:
        pred = z.argmax(dim=1)
    else:
        pred = (z.reshape(-1) > threshold).long()
    target = t.reshape(-1).to(pred.device).long()
    return float((pred == target).double().mean())


def _classification_threshold(out: torch.Tensor, y: torch.Tensor, loss_fn: Any) -> float | None:
    """정확도를 잴 수 있으면 이진 문턱(다중 분류는 0.0)을, 아니면 None을 돌려준다."""
    if isinstance(loss_fn, nn.BCELoss):
        return 0.5
    if isinstance(loss_fn, nn.BCEWithLogitsLoss):
        return 0.0
    if out.ndim == 2 and out.shape[1] >= 2 and y.ndim == 1 and not y.is_floating_point():
        return 0.0
    return None


def _unpack(batch: Any, *, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    if not isinstance(batch, (tuple, list)) or len(batch) != 2:
        raise TypeError(f"{name}의 배치는 (X, y) 두 개짜리여야 합니다: {type(batch).__name__}를 받았습니다.")
    return _to_tensor(batch[0], name=f"{name}의 X"), _to_tensor(batch[1], name=f"{name}의 y")


def _run_epoch(
    model: nn.Module,
    loader: Iterable[Any],
    loss_fn: Callable[..., torch.Tensor],
    device: torch.device,
    optimizer: torch.optim.Optimizer | None,
    *,
    name: str,
) -> dict[str, float]:
    """한 에포크를 돈다. optimizer가 None이면 평가만 한다(기울기 계산 없음)."""
    model.train(optimizer is not None)
    total_loss, correct, n_seen, n_acc = 0.0, 0.0, 0, 0
    with torch.set_grad_enabled(optimizer is not None):
        for batch in loader:
            X, y = _unpack(batch, name=name)
            X, y = X.to(device), y.to(device)
            out = model(X)
            loss = loss_fn(out, y)
            if optimizer is not None:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            n = X.shape[0] if X.ndim else 1
            total_loss += float(loss.detach()) * n
            n_seen += n
            threshold = _classification_threshold(out, y, loss_fn)
            if threshold is not None:
                correct += _fraction_correct(out.detach(), y, threshold) * n
                n_acc += n
    if n_seen == 0:
        raise ValueError(f"{name}에 배치가 하나도 없습니다: 데이터가 비어 있습니다.")
    result = {"loss": total_loss / n_seen}
    if n_acc:
        result["acc"] = correct / n_acc
    return result


def _check_common(model: Any, loss_fn: Any, loader: Any, device: Any, *, loader_name: str) -> torch.device:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model은(는) torch.nn.Module이어야 합니다: {type(model).__name__}를 받았습니다.")
    if not callable(loss_fn):
        raise TypeError(
            f"loss_fn은(는) 호출할 수 있는 손실 함수여야 합니다: {type(loss_fn).__name__}를 받았습니다."
        )
    if loader is None or isinstance(loader, (str, bytes)) or not isinstance(loader, Iterable):
        raise TypeError(
            f"{loader_name}은(는) (X, y) 배치를 내주는 반복 가능한 객체(DataLoader 등)여야 합니다: "
            f"{type(loader).__name__}를 받았습니다."
        )
    if device is None:
        return try_gpu()
    if isinstance(device, (str, torch.device)):
        try:
            return torch.device(device)
        except RuntimeError as exc:
            raise ValueError(f"device {device!r}를 알 수 없습니다: {exc}") from None
    raise TypeError(
        f"device는 None, 문자열 또는 torch.device여야 합니다: {type(device).__name__}를 받았습니다."
    )


def evaluate(
    model: nn.Module,
    loader: Iterable[Any],
    loss_fn: Callable[..., torch.Tensor],
    device: str | torch.device | None = None,
) -> dict[str, float]:
    """기울기 없이 loader 전체의 평균 손실(``"loss"``)과, 분류이면 정확도(``"acc"``)를 잰다."""
    dev = _check_common(model, loss_fn, loader, device, loader_name="loader")
    model.to(dev)
    return _run_epoch(model, loader, loss_fn, dev, None, name="loader")


def train(
    model: nn.Module,
    loss_fn: Callable[..., torch.Tensor],
    optimizer: torch.optim.Optimizer,
    train_loader: Iterable[Any],
    *,
    epochs: int,
    val_loader: Iterable[Any] | None = None,
    device: str | torch.device | None = None,
    progress: bool | None = None,
) -> dict[str, list[float]]:
    """model을 epochs 에포크 동안 학습하고 에포크별 기록을 돌려준다.

    기록의 키: ``train_loss``, (분류이면) ``train_acc``, (val_loader가 있으면) ``val_loss``, ``val_acc``.
    device가 None이면 ``try_gpu()``(GPU가 있으면 GPU)를 쓰고, 모델과 배치를 그 장치로 옮긴다.
    progress: None이면 학습이 2초 넘게 걸릴 것 같을 때(첫 에포크로 예측하거나 실제로 넘으면)만
    진행 막대를 보이고, True/False는 항상 보이기/숨기기다.
    """
    dev = _check_common(model, loss_fn, train_loader, device, loader_name="train_loader")
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "zero_grad")):
        raise TypeError(
            f"optimizer에는 step()과 zero_grad()가 있어야 합니다(torch.optim.SGD 등): "
            f"{type(optimizer).__name__}를 받았습니다."
        )
    epochs = check_int(epochs, name="epochs", minimum=1)
    if val_loader is not None and (
        isinstance(val_loader, (str, bytes)) or not isinstance(val_loader, Iterable)
    ):
        raise TypeError(
            f"val_loader는 반복 가능한 객체여야 합니다: {type(val_loader).__name__}를 받았습니다."
        )
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress는 None, True, False 가운데 하나여야 합니다: {progress!r}를 받았습니다.")
    from tqdm.auto import tqdm

    model.to(dev)
    history: dict[str, list[float]] = {}
    bar = tqdm(total=epochs, desc="학습 에포크", unit="에포크") if progress else None
    start = time.perf_counter()
    try:
        for epoch in range(1, epochs + 1):
            train_stats = _run_epoch(model, train_loader, loss_fn, dev, optimizer, name="train_loader")
            stats = {f"train_{k}": v for k, v in train_stats.items()}
            if val_loader is not None:
                val_stats = _run_epoch(model, val_loader, loss_fn, dev, None, name="val_loader")
                stats.update({f"val_{k}": v for k, v in val_stats.items()})
            for key, value in stats.items():
                history.setdefault(key, []).append(value)
            elapsed = time.perf_counter() - start
            if bar is None and progress is None and epoch < epochs:
                predicted = elapsed / epoch * epochs
                if predicted > PROGRESS_AFTER_S or elapsed > PROGRESS_AFTER_S:
                    bar = tqdm(total=epochs, initial=epoch - 1, desc="학습 에포크", unit="에포크")
            if bar is not None:
                bar.set_postfix({k: f"{v:.4g}" for k, v in stats.items()}, refresh=False)
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return history
