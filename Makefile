# 신경망 교과서 — 자주 쓰는 명령
#   make book   : .venv를 만들고(필요할 때만) 책을 _build/html에 빌드합니다
#   make test   : 같은 준비를 한 뒤 모든 검사(게이트)를 돌립니다
#   make execute: 모든 노트북을 처음부터 다시 실행해 출력을 저장합니다
#   make sync   : 노트북(book/*.ipynb)에서 글 형태(text/*.md)를 다시 만듭니다 (글 → 노트북은 CONTRIBUTING.md)
#   make lab    : 독자용 노트북(_build/reader)을 JupyterLab에서 엽니다 (make reader로 다시 만듦)
#   make serve / make bench / make clean
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PY := .venv/bin/python
JB := .venv/bin/jupyter-book
PORT ?= 8000
NOTEBOOKS := $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)

.PHONY: venv book build reader test execute sync lab serve bench clean help

help:
	@sed -n '1,9p' Makefile

venv:
	@python3 tools/bootstrap.py

build: venv
	@$(JB) build . -W -n --keep-going --all
	@$(PY) tools/reader_notebooks.py --html _build/html
	@echo ""
	@echo "책이 빌드되었습니다 (book built): $(CURDIR)/_build/html/index.html"
	@echo "독자용 노트북 (reader notebooks): $(CURDIR)/_build/reader"

reader: venv
	@$(PY) tools/reader_notebooks.py

book: build

test: venv
	@$(PY) tools/gates.py

execute: venv
	@$(PY) tools/execute.py $(NOTEBOOKS)

# 노트북 → 글 형태. 글 형태를 고쳤다면 먼저: $(PY) tools/nbsync.py --from-text text/<부>/<이름>.md
sync: venv
	@$(PY) tools/nbsync.py

# 독자용 노트북(MyST 문법을 걷어 낸 사본)을 엽니다. 원본을 고치려면 book/의 노트북을 여십시오.
lab: reader
	@echo "독자용 노트북을 엽니다: _build/reader (원본은 book/, 다시 만들기: make reader)"
	@.venv/bin/jupyter lab --notebook-dir=_build/reader --LabApp.app_settings_dir=$(CURDIR)/tools/lab

serve: build
	@echo "http://127.0.0.1:$(PORT)/ 에서 책을 봅니다 (Ctrl+C로 끝냅니다)"
	@$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

bench: venv
	@$(PY) benchmarks/run.py

clean:
	rm -rf _build
