"""book/_ext/korean_josa.py 테스트: ``{glue:josa}``가 glue 값 뒤에 읽기에 맞는 조사를 붙인다.

작은 MyST-NB 프로젝트(실행하지 않는 노트북 하나)를 별도 프로세스에서 빌드하고 HTML을 읽는다.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT_DIR = ROOT / "book" / "_ext"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("korean_josa", EXT_DIR / "korean_josa.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("korean_josa", module)
    spec.loader.exec_module(module)
    return module


kj = _load()


def test_split_josa() -> None:
    assert kj.split_josa("acc:.4f|이/가") == ("acc:.4f", "이/가")
    assert kj.split_josa(" n | 을/를 ") == ("n", "을/를")
    with pytest.raises(ValueError, match="조사"):
        kj.split_josa("acc:.4f")
    with pytest.raises(ValueError, match="particle"):
        kj.split_josa("acc|은/가")


def _glue_output(name: str, text: str) -> dict[str, object]:
    prefix = "application/papermill.record/"
    return {
        "output_type": "display_data",
        "data": {prefix + "text/plain": text},
        "metadata": {"scrapbook": {"name": name, "mime_prefix": prefix}},
    }


MARKDOWN = (
    "# 시험\n\n"
    "평균은 {glue:josa}`mean:.1f|은/는` 큽니다. 정확도 {glue:josa}`acc:.4f|이/가` 나왔습니다. "
    "{glue:josa}`n|으로/로` 나누고 {glue:josa}`one|으로/로` 나눕니다. "
    "{glue:josa}`w:.4f|이/가` 더해져 {glue:josa}`big:.2e|이나/나` 됩니다.\n"
)


@pytest.fixture(scope="module")
def built_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    src = tmp_path_factory.mktemp("josa_src")
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": MARKDOWN},
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {},
                "source": "glue(...)",
                "outputs": [
                    _glue_output("mean", "44.5"),
                    _glue_output("acc", "0.975"),
                    _glue_output("n", "16"),
                    _glue_output("one", "1"),
                    _glue_output("w", "-18.66666603088379"),
                    _glue_output("big", "6864000.0"),
                ],
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (src / "index.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(EXT_DIR)!r})\n"
        "extensions = ['myst_nb', 'korean_josa']\n"
        "nb_execution_mode = 'off'\n"
        "language = 'ko'\n"
        "html_theme = 'basic'\n",
        encoding="utf-8",
    )
    out = src / "_build"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-E", str(src), str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"Sphinx 빌드가 실패했습니다: {proc.stderr[-2000:]}"
    return (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "expected",
    [
        "44.5</span>는",
        "0.9750</span>이",
        "16</span>으로",
        "1</span>로",
        "-18.6667</span>이",
        "6.86e+06</span>이나",
    ],
)
def test_role_renders_value_and_particle(built_html: str, expected: str) -> None:
    assert expected in built_html


def test_unknown_key_warns(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# 시험\n\n{glue:josa}`없는값|은/는`\n", encoding="utf-8")
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT_DIR)!r})\nextensions = ['myst_nb', 'korean_josa']\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(tmp_path), str(tmp_path / "_b")],
        capture_output=True,
        text=True,
    )
    assert "없는값" in proc.stderr, proc.stderr
