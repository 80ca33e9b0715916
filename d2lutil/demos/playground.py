"""3.4 신경망 놀이터: 데이터·은닉층·활성화 함수·학습률·배치 크기·가중치 감쇠를 바꾸며 학습을 지켜본다.

두 형태가 있다.

* 로컬 Jupyter: :class:`PlaygroundDemo`의 ipywidgets 위젯. 학습은 :class:`d2lutil.playground.PlaygroundRun`
  (numpy)이 맡는다. 설정(에포크를 뺀 모든 값)마다 학습 궤적을 한 번 만들어 LRU 캐시에 두고, 에포크 슬라이더는
  저장된 스냅숏을 고르기만 한다. 캐시에 없는 설정은 처음 요청될 때 :attr:`PlaygroundDemo.prefetch` 에포크까지
  한 번에 학습하고(그동안 "학습하는 중"을 보여 준다), 그보다 뒤의 에포크는 요청될 때 이어서 학습한다.
* 온라인 책(커널 없음): :func:`~d2lutil.demos.web_playground.playground_html`이 만드는 작은 HTML 조각이 책과 함께 배포되는
  ``_static/playground/ui.js``를 불러, 같은 엔진을 자바스크립트로 옮긴 ``engine.js``가 독자의 브라우저에서
  실시간으로 학습한다(TensorFlow Playground와 같은 방식). 미리 그린 프레임이 없으므로 페이지가 가볍다.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap, ListedColormap
from matplotlib.figure import Figure

from d2lutil.demos.web_playground import PRESET_GROUPS, PRESETS, WebPlayground, playground_html
from d2lutil.playground import PlaygroundConfig, PlaygroundRun
from d2lutil.plotting import CLASS_COLORS
from d2lutil.widgets import ChoiceParam, Demo, FloatParam, IntParam

__all__ = [
    "EPOCH_MAX",
    "EPOCH_STEP",
    "LR_CHOICES",
    "PRESETS",
    "PRESET_GROUPS",
    "PlaygroundDemo",
    "WebPlayground",
    "playground_html",
]

#: 에포크 슬라이더의 끝과 한 칸
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
EPOCH_MAX = 200
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
EPOCH_STEP = 2
_EXTENT = 1.6  # 그림에 보이는 좌표 범위 [−1.6, 1.6]²
_RES = 40  # 결정 경계 격자 해상도
_HIDDEN_RES = 20  # 은닉 뉴런 그림 격자 해상도
_N_HIDDEN_SHOWN = 4
_SETTINGS = ("dataset", "layers", "units", "activation", "lr", "batch_size", "weight_decay")
#: 로컬 위젯의 학습률 눈금 (로그 슬라이더 대신 값 목록: 기본값 0.03으로 정확히 돌아올 수 있다)
#: 정의된 곳: 책에서는 직접 쓰지 않음 (이 모듈의 데모가 쓴다)
LR_CHOICES: tuple[float, ...] = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def _grid(res: int) -> np.ndarray:
    xs = np.linspace(-_EXTENT, _EXTENT, res)
    gx, gy = np.meshgrid(xs, xs)
    return np.column_stack([gx.ravel(), gy.ravel()])


#: 손실 곡선의 가로축 끝으로 쓰는 값들: 에포크를 넘길 때마다 축을 다시 그리지 않도록 몇 단계로만 늘린다
_EPOCH_AXIS_STEPS = (10, 20, 30, 50, 75, 100, 150, EPOCH_MAX)


def _epoch_axis_limit(shown: int) -> int:
    """에포크 shown까지의 손실 곡선이 들어가는 가장 작은 가로축 끝 (10, 20, 30, 50, …, EPOCH_MAX)."""
    return next((s for s in _EPOCH_AXIS_STEPS if s >= shown), max(shown, EPOCH_MAX))


class PlaygroundDemo(Demo):
    """작은 신경망 놀이터. 왼쪽은 결정 경계와 훈련 데이터, 가운데는 손실 곡선, 오른쪽은 은닉 뉴런의 출력. 정의된 곳: 3.4 「실전: 손글씨 숫자 분류」"""

    params = (
        ChoiceParam(
            "dataset",
            "데이터",
            (
                ("원", "circles"),
                ("XOR", "xor"),
                ("가우스", "gaussian"),
                ("나선", "spirals"),
                ("반달", "moons"),
            ),
            default="circles",
            continuous=False,
        ),
        IntParam("layers", "은닉층 수", 1, 6, 1, default=2, grid=(2,), continuous=False),
        IntParam("units", "층마다 뉴런 수", 1, 8, 1, default=8, grid=(8,), continuous=False),
        ChoiceParam(
            "activation",
            "활성화 함수",
            (("tanh", "tanh"), ("ReLU", "relu"), ("시그모이드", "sigmoid"), ("선형(없음)", "linear")),
            default="tanh",
            grid=("tanh", "relu"),
            continuous=False,
        ),
        FloatParam(
            "lr",
            "학습률",
            0.001,
            10.0,
            0.1,
            default=0.03,
            log=True,
            continuous=False,
        ),
        IntParam("batch_size", "배치 크기", 1, 200, 1, default=20, grid=(20,), continuous=False),
        FloatParam(
            "weight_decay", "가중치 감쇠 λ", 0.0, 0.1, 0.001, default=0.0, grid=(0.0,), continuous=False
        ),
        IntParam("epoch", "에포크", 0, EPOCH_MAX, EPOCH_STEP, default=100, grid=(0, 20, 100)),
    )
    alt = (
        "신경망 놀이터. 왼쪽은 두 클래스의 훈련 데이터 점과 신경망이 칠한 결정 경계(파란색은 클래스 0, "
        "주황색은 클래스 1), 가운데는 에포크에 따른 훈련·시험 손실 곡선, 오른쪽은 마지막 은닉층 뉴런 네 개가 "
        "입력 평면의 각 점에서 내는 값을 색으로 칠한 작은 그림들이다. 에포크가 늘수록 경계가 데이터 모양을 따라간다."
    )
    figsize = (7.2, 2.45)
    layout = "constrained"  # 기본값으로 처음 그린 배치를 고정한다 (Demo.freeze_layout)
    dpi = 72
    #: 캐시에 둘 학습 궤적의 최대 개수 (가장 오래 쓰지 않은 것부터 버린다)
    cache_size = 12
    #: 새 설정을 처음 요청하면 이 에포크까지 한 번에 학습한다
    prefetch = 100
    #: 온라인 책의 놀이터가 보여 줄 프리셋 묶음과 처음 프리셋
    presets = "digits"
    preset: str | None = None

    def setup(self, fig: Figure) -> None:
        self.broken = False  # 발산하거나 손실이 커져서 그림 대신 경고를 보여 줄 때 True
        self._runs: OrderedDict[tuple[Any, ...], PlaygroundRun] = OrderedDict()
        self._grid = _grid(_RES)
        self._hidden_grid = _grid(_HIDDEN_RES)
        c0, c1 = CLASS_COLORS[0], CLASS_COLORS[1]
        levels = np.linspace(0.0, 1.0, 9)
        ramp = LinearSegmentedColormap.from_list("d2l-pg", [c0, "#ffffff", c1])
        shades = ramp(np.linspace(0.05, 0.95, 8))
        shades[:, :3] = 1.0 - 0.45 * (1.0 - shades[:, :3])  # 점이 잘 보이도록 옅게 한다
        self._prob_cmap = ListedColormap(shades)
        self._prob_norm = BoundaryNorm(levels, 8)
        gs = fig.add_gridspec(2, 4, width_ratios=[1.15, 1.45, 0.55, 0.55])
        ext = (-_EXTENT, _EXTENT, -_EXTENT, _EXTENT)

        self.ax = fig.add_subplot(gs[:, 0])
        self.image = self.ax.imshow(
            np.full((_RES, _RES), 0.5),
            origin="lower",
            extent=ext,
            cmap=self._prob_cmap,
            norm=self._prob_norm,
            interpolation="nearest",
        )
        self.points = self.ax.scatter(
            [],
            [],
            c=[],
            cmap=ListedColormap([c0, c1]),
            vmin=0,
            vmax=1,
            s=7,
            edgecolors="0.2",
            linewidths=0.3,
        )
        self.ax.set_xlim(-_EXTENT, _EXTENT)
        self.ax.set_ylim(-_EXTENT, _EXTENT)
        self.ax.set_xticks([-1, 0, 1])
        self.ax.set_yticks([-1, 0, 1])
        self.ax.tick_params(labelsize=7)
        self.ax.set_xlabel("$x_1$", fontsize=8, labelpad=0)
        self.ax.set_ylabel("$x_2$", fontsize=8, labelpad=0)
        self.title = self.ax.set_title("", fontsize=8)
        self._shown_dataset: str | None = None

        self.ax_loss = fig.add_subplot(gs[:, 1])
        (self.train_line,) = self.ax_loss.plot([], [], color=c0, lw=1.5, label="훈련 손실")
        (self.test_line,) = self.ax_loss.plot([], [], color=c1, lw=1.5, ls="--", label="시험 손실")
        self.ax_loss.set_xlabel("에포크 (회)", fontsize=8, labelpad=1)
        self.ax_loss.set_ylabel("손실 (이진 교차 엔트로피)", fontsize=8)
        self.ax_loss.tick_params(labelsize=7)
        self.ax_loss.grid(True, alpha=0.3)
        self.ax_loss.legend(fontsize=7, loc="upper right")

        self.hidden_axes = []
        self.hidden_images = []
        for k in range(_N_HIDDEN_SHOWN):
            ax = fig.add_subplot(gs[k // 2, 2 + k % 2])
            im = ax.imshow(
                np.zeros((_HIDDEN_RES, _HIDDEN_RES)),
                origin="lower",
                extent=ext,
                cmap="PuOr_r",
                vmin=-1,
                vmax=1,
                interpolation="nearest",
            )
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"뉴런 {k + 1}", fontsize=7, pad=2)
            self.hidden_axes.append(ax)
            self.hidden_images.append(im)
        fig.text(0.895, 0.005, "마지막 은닉층의 출력", fontsize=7, ha="center", va="bottom")
        self.ax_loss.set_xlim(0, EPOCH_MAX)
        self.ax_loss.set_ylim(0, 2.0)

    # ------------------------------------------------------------------ 학습 궤적 캐시
    def run_for(self, **settings: Any) -> PlaygroundRun:
        """설정(에포크 제외)에 맞는 학습 궤적. 캐시에 없으면 만들고 ``prefetch`` 에포크까지 학습한다."""
        key = tuple(settings[name] for name in _SETTINGS)
        run = self._runs.get(key)
        if run is None:
            config = PlaygroundConfig(
                dataset=settings["dataset"],
                hidden=(settings["units"],) * settings["layers"],
                activation=settings["activation"],
                lr=settings["lr"],
                batch_size=settings["batch_size"],
                weight_decay=settings["weight_decay"],
            )
            run = PlaygroundRun(config).train_to(self.prefetch)
            self._runs[key] = run
            while len(self._runs) > self.cache_size:
                self._runs.popitem(last=False)
        else:
            self._runs.move_to_end(key)
        return run

    def draw(self, *, epoch: int, **settings: Any) -> str | None:
        run = self.run_for(**settings)
        run.train_to(epoch)
        shown = min(epoch, run.last_epoch)

        if self._shown_dataset != settings["dataset"]:
            self.points.set_offsets(run.X_train)
            self.points.set_array(run.y_train.astype(float))
            self._shown_dataset = settings["dataset"]
        prob = run.predict_proba(self._grid, shown).reshape(_RES, _RES)
        self.image.set_data(np.nan_to_num(prob, nan=0.5))
        acc = run.accuracy(shown)
        self.title.set_text(f"에포크 {shown} · 시험 정확도 {acc:.0%}")

        epochs = np.arange(shown + 1)
        train = np.asarray(run.train_loss[: shown + 1])
        test = np.asarray(run.test_loss[: shown + 1])
        self.train_line.set_data(epochs, train)
        self.test_line.set_data(epochs, test)
        self.ax_loss.set_xlim(0, _epoch_axis_limit(shown))
        top = float(np.nanmax(np.concatenate([train, test]))) if shown >= 0 else 1.0
        self.ax_loss.set_ylim(0, min(max(0.8, top * 1.05), 2.0))

        hidden = run.hidden_outputs(self._hidden_grid, shown)
        lo, hi = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}.get(settings["activation"], (None, None))
        for k, (ax, im) in enumerate(zip(self.hidden_axes, self.hidden_images)):
            if k >= hidden.shape[1]:
                ax.set_visible(False)
                continue
            ax.set_visible(True)
            values = np.nan_to_num(hidden[:, k].reshape(_HIDDEN_RES, _HIDDEN_RES))
            im.set_data(values)
            if lo is None:
                bound = max(float(np.max(np.abs(values))), 1e-9)
                im.set_clim(-bound, bound)
            else:
                im.set_clim(lo, hi)

        lr = settings["lr"]
        self.broken = False
        if run.diverged_at is not None and epoch >= run.diverged_at:
            self.broken = True
            return (
                f"학습률 {lr:g}에서 에포크 {run.diverged_at}에 학습이 발산했습니다(가중치가 무한대나 NaN이 되었습니다). "
                "그림 대신 이 경고를 보여 줍니다. 학습률을 낮춰 보세요."
            )
        if shown > 0 and run.train_loss[shown] > 1.5 * run.train_loss[0]:
            self.broken = True
            return (
                f"학습률 {lr:g}에서 훈련 손실이 처음보다 커졌습니다({run.train_loss[0]:.2f} → {run.train_loss[shown]:.2f}): "
                "학습률이 너무 커서 골짜기를 건너뛰며 튀고 있습니다. 그림 대신 이 경고를 보여 줍니다. 학습률을 낮춰 보세요."
            )
        if shown >= 50 and acc < 0.6:
            return (
                "에포크가 50을 넘었는데도 시험 정확도가 60%에 못 미칩니다: 이 설정으로는 경계를 찾지 못했습니다. "
                "학습률, 활성화 함수, 은닉층의 크기를 바꿔 보세요."
            )
        return None

    def kernel_free_html(self, *, colors: int = 32, max_frames: int = 64) -> str:
        """온라인 책의 형태: 미리 그린 프레임 대신 브라우저에서 학습하는 자바스크립트 놀이터(:func:`playground_html`)."""
        return playground_html(self.html_id, presets=self.presets, preset=self.preset)

    # ------------------------------------------------------------------ 로컬 위젯
    def view(self) -> Any:
        """로컬 위젯. 기본 상자와 다른 점:

        * 학습률은 값 목록 슬라이더(SelectionSlider)라 기본값 0.03으로 정확히 돌아온다.
        * 컨트롤 줄은 좁은 화면에서 줄을 바꾼다(flex-wrap).
        * 에포크를 자동으로 넘기는 재생 버튼(ipywidgets.Play)에 "학습 재생" 글자 이름표가 붙는다.
        * 캐시에 없는 설정을 고르면 학습하는 동안 "학습하는 중"을 먼저 보여 준다.
        * 발산하거나 손실이 커지면 그림을 감추고 그 자리에 경고를 보여 준다.
        """
        import ipywidgets as widgets

        controls = self.controls()
        lr_value = self.values.get("lr", 0.03)
        options = [(f"{v:g}", v) for v in sorted({*LR_CHOICES, lr_value})]
        controls["lr"] = widgets.SelectionSlider(
            options=options,
            value=lr_value,
            description="학습률",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        image = widgets.Image(value=self.render_png(), format="png")
        status = widgets.HTML(value=self._status_html())
        epoch_slider = controls["epoch"]
        play = widgets.Play(
            value=epoch_slider.value,
            min=0,
            max=EPOCH_MAX,
            step=EPOCH_STEP,
            interval=120,
            description="학습 재생",
        )
        widgets.jslink((play, "value"), (epoch_slider, "value"))

        def refresh() -> None:
            image.layout.display = "none" if self.broken else None
            if not self.broken:
                image.value = self.render_png()
            status.value = self._status_html()

        def on_change(change: Any) -> None:
            values = {name: c.value for name, c in controls.items()}
            key = tuple(values[name] for name in _SETTINGS)
            if key not in self._runs:
                status.value = '<p role="status">⏳ 새 설정으로 학습하는 중입니다…</p>'
            self.update(**values)
            refresh()

        for c in controls.values():
            c.observe(on_change, names="value")
        wrap = widgets.Layout(flex_flow="row wrap", align_items="center")
        names = list(controls)
        rows = [
            widgets.HBox([controls[n] for n in names[0:4]], layout=wrap),
            widgets.HBox([controls[n] for n in names[4:7]], layout=wrap),
            widgets.HBox([widgets.Label("학습 재생"), play, epoch_slider], layout=wrap),
        ]
        refresh()
        box = widgets.VBox([*rows, image, status])
        box.add_class("d2l-demo")
        return box
