"""도구 스크립트: 환경 준비(bootstrap), 노트북 재실행(execute), 배포 워크플로, 게이트 목록."""

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
