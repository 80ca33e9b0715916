"""d2lutil.demos.playground: 신경망 놀이터 데모 (캐시, 극단값, 발산 메시지, 커널 없는 형태, 속도)."""

from __future__ import annotations

import statistics
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import d2lutil
from d2lutil.demos.playground import (
    EPOCH_MAX,
    PRESET_GROUPS,
    PRESETS,
    PlaygroundDemo,
    WebPlayground,
    playground_html,
)
from d2lutil.playground import make_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> PlaygroundDemo:
    d2lutil.use_korean_font()
    return PlaygroundDemo()


def forward_tanh(params: list[np.ndarray], X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """데모와 독립적으로 적은 순전파: (클래스 1 확률, 마지막 은닉층 출력)."""
    h = X
    for W, b in zip(params[0:-2:2], params[1:-2:2]):
        h = np.tanh(h @ W + b)
    z = h @ params[-2] + params[-1]
    return 1.0 / (1.0 + np.exp(-z[:, 0])), h


def test_default_frame_shows_the_trained_run(demo: PlaygroundDemo) -> None:
    demo.update(**demo.defaults())
    settings = {k: v for k, v in demo.values.items() if k != "epoch"}
    run = demo.run_for(**settings)
    epoch = demo.values["epoch"]
    # 결정 경계 그림 = 같은 매개변수로 직접 계산한 확률
    xs = np.linspace(-1.6, 1.6, 40)
    gx, gy = np.meshgrid(xs, xs)
    prob, _ = forward_tanh(run.params_at(epoch), np.column_stack([gx.ravel(), gy.ravel()]))
    np.testing.assert_allclose(np.asarray(demo.image.get_array()), prob.reshape(40, 40), atol=1e-12)
    # 점 = 훈련 데이터 (전체 400개 가운데 run이 훈련용으로 고른 200개: 모두 make_dataset의 점이다)
    X_all, y_all = make_dataset(demo.values["dataset"], 400, seed=0)
    X, y = run.X_train, run.y_train
    assert len(X) == 200
    rows = [int(np.flatnonzero(np.all(X_all == x, axis=1))[0]) for x in X]
    np.testing.assert_array_equal(y_all[rows], y)
    np.testing.assert_allclose(demo.points.get_offsets(), X)
    np.testing.assert_array_equal(np.asarray(demo.points.get_array()), y)
    # 손실 곡선 = 에포크 0..epoch의 BCE (데모와 독립적으로 다시 계산)
    xd, yd = demo.train_line.get_data()
    np.testing.assert_array_equal(xd, np.arange(epoch + 1))
    p0, _ = forward_tanh(run.params_at(0), X)
    bce0 = -np.mean(y * np.log(p0) + (1 - y) * np.log(1 - p0))
    assert yd[0] == pytest.approx(bce0, rel=1e-10)
    # 은닉 뉴런 그림
    xs = np.linspace(-1.6, 1.6, 20)
    gx, gy = np.meshgrid(xs, xs)
    _, hidden = forward_tanh(run.params_at(epoch), np.column_stack([gx.ravel(), gy.ravel()]))
    for k, im in enumerate(demo.hidden_images):
        np.testing.assert_allclose(np.asarray(im.get_array()), hidden[:, k].reshape(20, 20), atol=1e-12)
    assert demo.message is None  # 원 데이터는 기본 설정으로 잘 풀린다
    X_test, y_test = run.X_test, run.y_test
    assert not set(map(tuple, X_test)) & set(map(tuple, X))  # 시험 점은 훈련 점과 겹치지 않는다
    p_test, _ = forward_tanh(run.params_at(epoch), X_test)
    acc = np.mean((p_test >= 0.5) == (y_test == 1))
    assert acc >= 0.95
    assert demo.title.get_text() == f"에포크 {epoch} · 시험 정확도 {acc:.0%}"


def test_grid_updates_do_not_raise(demo: PlaygroundDemo) -> None:
    for params in demo.grid():
        demo.update(**params)
        assert demo.message is None or isinstance(demo.message, str)
        assert np.all(np.isfinite(np.asarray(demo.image.get_array())))


def test_cache_hit_reuses_run_and_is_bounded(demo: PlaygroundDemo) -> None:
    demo.update(dataset="moons", activation="tanh", lr=0.03, epoch=50)
    settings = {k: v for k, v in demo.values.items() if k != "epoch"}
    first = demo.run_for(**settings)
    demo.update(epoch=20)
    assert demo.run_for(**settings) is first
    for k in range(demo.cache_size + 4):  # 서로 다른 설정 cache_size + 4개
        demo.update(units=1 + k % 8, layers=1 + k // 8, epoch=0)
    assert len(demo._runs) <= demo.cache_size
    demo.update(units=8, layers=2)


def test_huge_learning_rate_gives_korean_message_not_a_broken_plot() -> None:
    d2lutil.use_korean_font()
    d = PlaygroundDemo()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 넘침 경고도 새어 나오면 안 된다
        d.update(dataset="xor", layers=6, units=8, activation="relu", lr=10.0, epoch=EPOCH_MAX)
        png = d.render_png()
    assert d.message is not None and "학습률" in d.message and "그림 대신" in d.message
    assert d.broken
    assert np.all(np.isfinite(np.asarray(d.image.get_array())))
    assert np.all(np.isfinite(d.train_line.get_data()[1]))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_loss_going_up_warns() -> None:
    d2lutil.use_korean_font()
    d = PlaygroundDemo()
    d.update(dataset="circles", activation="tanh", lr=10.0, epoch=100)
    assert d.message is not None and "학습률" in d.message and d.broken
    d.update(lr=0.03)
    assert not d.broken


def test_minimum_settings_hide_unused_hidden_panels() -> None:
    d2lutil.use_korean_font()
    d = PlaygroundDemo()
    d.prefetch = 5
    d.update(layers=1, units=1, lr=0.001, batch_size=200, weight_decay=0.0, epoch=0)
    visible = [ax.get_visible() for ax in d.hidden_axes]
    assert visible == [True, False, False, False]
    assert "에포크 0" in d.title.get_text()


def test_batch_size_one_and_max_weight_decay() -> None:
    d2lutil.use_korean_font()
    d = PlaygroundDemo()
    d.prefetch = 3  # 배치 크기 1은 에포크마다 200걸음이므로 짧게 잰다
    d.update(batch_size=1, epoch=3)
    assert d.run_for(**{k: v for k, v in d.values.items() if k != "epoch"}).epoch == 3
    d.update(batch_size=20, weight_decay=0.1, epoch=30)
    decayed = d.run_for(**{k: v for k, v in d.values.items() if k != "epoch"}).params_at(30)
    d.update(weight_decay=0.0, epoch=30)
    plain = d.run_for(**{k: v for k, v in d.values.items() if k != "epoch"}).params_at(30)
    assert sum(np.sum(W**2) for W in decayed[0::2]) < sum(np.sum(W**2) for W in plain[0::2])


def test_epochs_beyond_prefetch_train_incrementally() -> None:
    d2lutil.use_korean_font()
    d = PlaygroundDemo()
    d.prefetch = 10
    d.update(dataset="xor", epoch=10)
    run = d.run_for(**{k: v for k, v in d.values.items() if k != "epoch"})
    assert run.epoch == 10
    d.update(epoch=15)
    assert run.epoch == 15 and "에포크 15" in d.title.get_text()


@pytest.mark.parametrize(
    ("name", "value", "exc"),
    [
        ("lr", 100.0, ValueError),
        ("units", 0, ValueError),
        ("dataset", "mnist", ValueError),
        ("epoch", 1.5, TypeError),
    ],
)
def test_bad_parameters_name_the_argument(demo: PlaygroundDemo, name: str, value: Any, exc: type) -> None:
    with pytest.raises(exc, match=name):
        demo.update(**{name: value})


def test_kernel_free_html_loads_the_js_playground(demo: PlaygroundDemo) -> None:
    html = demo.kernel_free_html()
    assert len(html.encode()) <= 4000  # 미리 그린 프레임이 없다 (예전에는 250 KB 가까이)
    assert 'id="d2l-pg-playgrounddemo"' in html
    assert "_static/playground/ui.js" in html and "content_root" in html
    assert '"presets": "digits"' in html
    assert html == PlaygroundDemo().kernel_free_html()  # 다시 실행해도 같다 (nbval)
    for ds in ("circles", "xor", "gaussian", "spirals", "moons"):  # 자바스크립트와 같은 데이터 이름
        assert ds in (ROOT / "book/_static/playground/engine.js").read_text(encoding="utf-8")


def test_playground_html_checks_arguments() -> None:
    with pytest.raises(ValueError, match="html_id"):
        playground_html("a b")
    with pytest.raises(ValueError, match="presets"):
        playground_html("x", presets="nope")
    with pytest.raises(TypeError, match="preset"):
        playground_html("x", preset=3)  # type: ignore[arg-type]


def test_presets_named_in_python_exist_in_js() -> None:
    import re

    js = (ROOT / "book/_static/playground/presets.js").read_text(encoding="utf-8")
    for group in PRESET_GROUPS:
        m = re.search(rf"^  {group}: \[(.*?)\],$", js, re.MULTILINE)
        assert m is not None, group
        assert tuple(re.findall(r'"([^"]+)"', m.group(1))) == PRESETS[group]
        for name in PRESETS[group]:
            assert re.search(rf'^  "{re.escape(name)}": {{\s*label:', js, re.MULTILINE), name
    html = playground_html("x", presets="xor", preset="xor-221")
    assert html.count('class="d2l-pg-anchor"') == len(PRESETS["xor"]) and 'id="pg:preset=xor-241"' in html
    with pytest.raises(ValueError, match="preset"):
        playground_html("x", presets="xor", preset="tanh")


def test_web_playground_bundle_keeps_local_widget_and_png() -> None:
    from d2lutil.demos.backprop import XorTrainingDemo

    bundle = WebPlayground(XorTrainingDemo(), presets="xor", preset="xor-241")._repr_mimebundle_()
    assert "xor-241" in bundle["text/html"] and "_static/playground/ui.js" in bundle["text/html"]
    assert bundle["image/png"]  # HTML이 아닌 출력의 정적 그림
    with pytest.raises(TypeError, match="local"):
        WebPlayground("demo")  # type: ignore[arg-type]


def walk(w: Any) -> list[Any]:
    found = [w]
    for child in getattr(w, "children", ()):
        found += walk(child)
    return found


def test_view_has_labelled_play_button_and_exact_lr_default(demo: PlaygroundDemo) -> None:
    import ipywidgets as widgets

    demo.update(**demo.defaults())
    found = walk(demo.view())
    plays = [w for w in found if isinstance(w, widgets.Play)]
    assert len(plays) == 1 and plays[0].max == EPOCH_MAX
    assert any(isinstance(w, widgets.Label) and w.value == "학습 재생" for w in found)
    lr = [w for w in found if isinstance(w, widgets.SelectionSlider)]
    assert len(lr) == 1 and lr[0].value == 0.03
    lr[0].value = 0.1
    lr[0].value = 0.03  # 로그 슬라이더와 달리 기본값으로 정확히 돌아온다
    assert demo.values["lr"] == 0.03
    rows = [w for w in found if isinstance(w, widgets.HBox)]
    assert rows and all(r.layout.flex_flow == "row wrap" for r in rows)


def test_view_hides_picture_when_training_blows_up() -> None:
    import ipywidgets as widgets

    d2lutil.use_korean_font()
    d = PlaygroundDemo()
    d.prefetch = 20
    found = walk(d.view())
    image = next(w for w in found if isinstance(w, widgets.Image))
    lr = next(w for w in found if isinstance(w, widgets.SelectionSlider))
    epoch = next(w for w in found if isinstance(w, widgets.IntSlider) and w.description == "에포크")
    epoch.value = 20
    lr.value = 10.0
    status = next(w for w in found if isinstance(w, widgets.HTML))
    assert image.layout.display == "none" and "학습률" in status.value
    lr.value = 0.03
    assert image.layout.display is None


def test_update_is_fast_on_cached_grid(demo: PlaygroundDemo) -> None:
    grid = demo.grid()
    for params in grid:  # 캐시를 채운다
        demo.update(**params)
    times = []
    for i in range(30):
        t0 = time.perf_counter()
        demo.update(**grid[i % len(grid)])
        times.append(time.perf_counter() - t0)
    median_ms = statistics.median(times) * 1000
    print(f"update 중앙값 {median_ms:.2f} ms")
    assert median_ms < 100  # 목표는 30 ms. 다른 작업과 나눠 쓰는 기계라 느슨하게 잰다


def test_loss_axis_grows_in_a_few_steps() -> None:
    # 에포크를 하나씩 넘겨도 손실 축의 끝은 몇 단계로만 바뀐다 (눈금을 프레임마다 다시 그리지 않는다)
    from d2lutil.demos.playground import EPOCH_MAX, _epoch_axis_limit

    limits = [_epoch_axis_limit(e) for e in range(EPOCH_MAX + 1)]
    assert all(lim >= e for e, lim in enumerate(limits))
    assert limits[0] == 10 and limits[-1] == EPOCH_MAX
    assert len(set(limits)) <= 8
    assert limits == sorted(limits)


def test_web_playground_saves_no_widget_view_when_executing_for_the_book(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """tools/execute.py가 켜는 D2L_STATIC_DEMOS=1에서는 저장될 출력에 위젯 보기(model_id)가 없어야 한다."""
    from d2lutil.demos.backprop import XorTrainingDemo
    from d2lutil.widgets import STATIC_ENV

    monkeypatch.setenv(STATIC_ENV, "1")
    bundle = WebPlayground(XorTrainingDemo(), presets="xor")._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/png"}
