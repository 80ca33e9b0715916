"""도구 스크립트: 환경 준비(bootstrap), 노트북 재실행(execute), 노트북 ↔ 글 형태(nbsync), 배포 워크플로, 게이트 목록."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclass가 모듈을 찾을 수 있도록
    spec.loader.exec_module(module)
    return module


bootstrap = _load("bootstrap", ROOT / "tools" / "bootstrap.py")
execute = _load("execute_tool", ROOT / "tools" / "execute.py")
gates = _load("gates_tool", ROOT / "tools" / "gates.py")
nbsync = _load("nbsync_tool", ROOT / "tools" / "nbsync.py")


def test_bootstrap_digest_changes_with_requirements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("numpy\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    monkeypatch.setattr(bootstrap, "ROOT", tmp_path)
    first = bootstrap.digest()
    assert first == bootstrap.digest()
    (tmp_path / "requirements.txt").write_text("numpy\ntorch==2.13.0\n")
    assert bootstrap.digest() != first


def test_bootstrap_failure_is_short_and_bilingual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bootstrap, "ROOT", tmp_path)
    monkeypatch.setattr(bootstrap, "LOG", tmp_path / "_build" / "pip.log")
    with pytest.raises(SystemExit) as info:
        bootstrap.run_logged([sys.executable, "-c", "import sys; print('a'*10); sys.exit(3)"])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "패키지 설치가 실패했습니다" in err and "pip install failed" in err
    assert "Traceback" not in err
    assert len(err.splitlines()) < 30


def test_bootstrap_skips_when_stamp_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "requirements.txt").write_text("numpy\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    monkeypatch.setattr(bootstrap, "ROOT", tmp_path)
    monkeypatch.setattr(bootstrap, "VENV", venv)
    monkeypatch.setattr(bootstrap, "STAMP", venv / ".requirements.sha256")
    (venv / ".requirements.sha256").write_text(bootstrap.digest() + "\n")
    called: list[list[str]] = []
    monkeypatch.setattr(bootstrap, "run_logged", called.append)
    bootstrap.main()
    assert called == []
    assert "이미 최신" in capsys.readouterr().out


def _notebook(tmp_path: Path, sources: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / "demo.ipynb"
    nbformat.write(nb, path)
    return path


def test_execute_names_notebook_and_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(execute, "ROOT", tmp_path)
    path = _notebook(tmp_path, ["x = 1", "raise ValueError('일부러 낸 오류')"])
    before = path.read_bytes()
    with pytest.raises(SystemExit) as info:
        execute.execute(path, timeout=60)
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "demo.ipynb" in err and "셀 2번" in err and "일부러 낸 오류" in err
    assert path.read_bytes() == before  # 실패하면 노트북을 덮어쓰지 않는다


def test_execute_writes_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(execute, "ROOT", tmp_path)
    path = _notebook(tmp_path, ["print(6 * 7)"])
    execute.execute(path, timeout=60)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].execution_count == 1
    assert nb.cells[0].outputs[0]["text"].strip() == "42"


def test_pages_workflow_is_valid() -> None:
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    on = wf.get("on", wf.get(True))  # YAML 1.1은 'on'을 True로 읽는다
    assert "push" in on
    assert wf["permissions"]["pages"] == "write"
    jobs = wf["jobs"]
    assert set(jobs) == {"build", "deploy"}
    assert jobs["deploy"]["needs"] == "build"
    runs = []
    for job in jobs.values():
        assert "runs-on" in job
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert version.startswith("v"), f"{action}의 버전을 고정하세요"
            else:
                runs.append(step["run"])
    assert any("make test" in r for r in runs) and any("make book" in r for r in runs)
    upload = [
        s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")
    ]
    assert upload and upload[0]["with"]["path"] == "_build/html"


def test_gate_list_covers_every_check() -> None:
    names = [g.name for g in gates.gates()]
    assert names == ["lint", "unit", "static", "nbval", "nbval-cpu", "build", "browser"]
    # 재현성 게이트: 적어도 두 가지 다른 수치 환경에서, 저장된 출력과 비교하는 nbval을 돌린다
    cpu = next(g for g in gates.gates() if g.name == "nbval-cpu")
    assert len(cpu.commands) >= 2
    for cmd in cpu.commands:
        assert cmd[0] == "env" and "--nbval" in cmd and "--nbval-lax" not in cmd
        assigned = dict(a.split("=", 1) for a in cmd if "=" in a and a.split("=", 1)[0].isupper())
        assert {"ATEN_CPU_CAPABILITY", "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"} <= assigned.keys()
    capabilities = {
        dict(a.split("=", 1) for a in c if a.startswith("ATEN_"))["ATEN_CPU_CAPABILITY"] for c in cpu.commands
    }
    assert len(capabilities) == len(cpu.commands)  # 변형마다 다른 torch 커널
    unit = next(g for g in gates.gates() if g.name == "unit")
    assert "--cov-fail-under=95" in unit.commands[0]
    build = next(g for g in gates.gates() if g.name == "build")
    assert "-W" in build.commands[0] and "-n" in build.commands[0]


def test_ci_runs_make_test() -> None:
    text = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in text and "make test" in text


def _paired_repo(tmp_path: Path) -> tuple[Path, Path]:
    """실행된 셀 둘짜리 노트북과 그 글 형태를 가진 임시 저장소."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 제목"), nbformat.v4.new_code_cell("print(1)")]
    nb.cells += [nbformat.v4.new_code_cell("print(2)")]
    for i, cell in enumerate(nb.cells[1:], start=1):
        cell.execution_count = i
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{i}\n")]
    notebook = tmp_path / "book" / "part9" / "demo.ipynb"
    notebook.parent.mkdir(parents=True)
    nbformat.write(nb, notebook)
    assert nbsync.main([], root=tmp_path) == 0
    return notebook, tmp_path / "text" / "part9" / "demo.md"


def test_nbsync_from_text_keeps_outputs_of_unchanged_cells(tmp_path: Path) -> None:
    notebook, text = _paired_repo(tmp_path)
    assert "```{code-cell} ipython3\nprint(2)\n```" in text.read_text(encoding="utf-8")
    before = notebook.read_bytes()
    assert nbsync.main(["--from-text", str(text)], root=tmp_path) == 0
    assert notebook.read_bytes() == before  # 고친 것이 없으면 노트북도 그대로
    text.write_text(text.read_text(encoding="utf-8").replace("print(2)", "print(3)"), encoding="utf-8")
    assert nbsync.main(["--check"], root=tmp_path) == 1
    assert nbsync.main(["--from-text", str(text)], root=tmp_path) == 0
    cells = nbformat.read(notebook, as_version=4).cells
    assert cells[1].outputs[0]["text"] == "1\n" and cells[1].execution_count == 1  # 그대로인 셀
    # 고친 셀: 글이 들어온다. jupytext는 자리로 짝지은 셀의 옛 출력을 남길 수 있으므로 다시 실행해야 한다.
    assert cells[2].source == "print(3)"
    assert "jupytext" not in nbformat.read(notebook, as_version=4).metadata
    assert nbsync.main(["--check"], root=tmp_path) == 0


def test_nbsync_reports_a_text_form_without_notebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook, text = _paired_repo(tmp_path)
    notebook.unlink()
    assert nbsync.main([], root=tmp_path) == 1  # 노트북이 없는 글 형태를 지우지 않는다
    assert text.exists() and "노트북 없음" in capsys.readouterr().err
    assert nbsync.main(["--from-text"], root=tmp_path) == 0  # 글 형태에서 새 노트북을 만든다
    assert [c.source for c in nbformat.read(notebook, as_version=4).cells][1:] == ["print(1)", "print(2)"]
    with pytest.raises(SystemExit, match="짝을 찾을 수 없는"):
        nbsync.main([str(tmp_path / "elsewhere.md")], root=tmp_path)


def test_nbsync_pairs_match_jupytext_toml() -> None:
    """tools/nbsync.py의 짝과 jupytext.toml의 짝(jupytext --sync, Jupyter의 jupytext가 쓰는 것)이 같다."""
    from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file
    from jupytext.paired_paths import paired_paths

    config_file = find_jupytext_configuration_file(str(ROOT / "book"))
    assert config_file == str(ROOT / "jupytext.toml")
    (formats,) = load_jupytext_configuration_file(config_file).formats  # 짝 한 가지
    notebook = ROOT / "book" / "part3" / "vanishing.ipynb"
    ipynb_format = next(f for f in formats.split(",") if f.endswith("ipynb"))
    paths = {Path(path) for path, _ in paired_paths(str(notebook), ipynb_format, formats)}
    assert paths == {notebook, nbsync.text_path(notebook)}


def test_layers_bench_baseline_is_the_same_computation() -> None:
    """make bench의 layers 대 numpy 비율이 같은 계산을 재는지: 한 줄씩 쓴 기준이 layers와 같은 손실·기울기를 낸다."""
    import numpy as np

    from benchmarks.library import numpy_mlp_step
    from d2lutil.layers import SoftmaxCrossEntropy, make_mlp

    rng = np.random.default_rng(3)
    X = rng.normal(size=(20, 64))
    y = rng.integers(0, 10, size=20)
    model = make_mlp([64, 100, 10], activation="relu", seed=1)
    loss_layer = SoftmaxCrossEntropy()
    loss = loss_layer.forward(model.forward(X), y)
    dX = model.backward(loss_layer.backward())
    ref_loss, ref_grads, ref_dX = numpy_mlp_step(X, y, *(p.copy() for p in model.parameters()))
    assert abs(loss - ref_loss) < 1e-12
    for got, want in zip(model.grads(), ref_grads, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dX, ref_dX, rtol=1e-12, atol=1e-14)
