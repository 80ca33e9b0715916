"""가상 환경(.venv)을 만들고 requirements.txt와 d2lutil을 설치한다 (make book / make test의 첫 단계).

requirements.txt와 pyproject.toml의 해시를 .venv/.requirements.sha256에 적어 두고, 바뀌지 않았으면
다시 설치하지 않는다. 실패하면 무엇을 설치해야 하는지 한국어와 영어로 짧게 알리고 1로 끝난다.
표준 라이브러리만 쓴다 (가상 환경이 생기기 전에 시스템 python3로 실행되므로).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
STAMP = VENV / ".requirements.sha256"
LOG = ROOT / "_build" / "pip-install.log"


def fail(ko: str, en: str) -> None:
    print(f"\n[설정 실패] {ko}\n[setup failed] {en}\n", file=sys.stderr)
    raise SystemExit(1)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def digest() -> str:
    h = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        h.update((ROOT / name).read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def run_logged(cmd: list[str]) -> None:
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("a", encoding="utf-8") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    if proc.returncode != 0:
        tail = LOG.read_text(encoding="utf-8", errors="replace").splitlines()[-12:]
        print("\n".join("  | " + line for line in tail), file=sys.stderr)
        fail(
            f"패키지 설치가 실패했습니다. 네트워크(PyPI 접속)를 확인하세요. 전체 기록: {LOG.relative_to(ROOT)}",
            f"pip install failed. Check your network access to PyPI. Full log: {LOG.relative_to(ROOT)}",
        )


def main() -> None:
    if sys.version_info < (3, 10):  # noqa: UP036 - 시스템 python3로 실행되므로 검사가 필요하다
        fail("파이썬 3.10 이상이 필요합니다.", "Python 3.10 or newer is required.")
    if not venv_python().exists():
        try:
            import ensurepip  # noqa: F401
            import venv
        except ImportError:
            fail(
                "파이썬의 venv 모듈이 없습니다. Debian/Ubuntu라면: sudo apt-get install python3-venv",
                "Python's venv module is missing. On Debian/Ubuntu: sudo apt-get install python3-venv",
            )
        print("가상 환경 .venv를 만듭니다 (creating .venv) ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # ensurepip이 빠진 배포판 등
            fail(
                f"가상 환경을 만들 수 없습니다 ({exc}). python3-venv 패키지를 설치하세요.",
                f"Could not create the virtual environment ({exc}). Install python3-venv.",
            )
    want = digest()
    if STAMP.exists() and STAMP.read_text().strip() == want:
        print("패키지가 이미 최신입니다 (requirements unchanged; skipping install).", flush=True)
        return
    print("패키지를 설치합니다. 처음에는 몇 분 걸립니다 (installing requirements) ...", flush=True)
    py = str(venv_python())
    run_logged([py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", "requirements.txt"])
    run_logged([py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps", "-e", "."])
    STAMP.write_text(want + "\n")
    print("설치를 마쳤습니다 (setup done).", flush=True)


if __name__ == "__main__":
    main()
