# 신경망 교과서 — 자주 쓰는 명령
#   make book   : .venv를 만들고(필요할 때만) 책을 _build/html에 빌드합니다
#   make test   : 같은 준비를 한 뒤 모든 검사(게이트)를 돌립니다
#   make execute: 모든 노트북을 처음부터 다시 실행해 출력을 저장합니다
#   make lab / make serve / make bench / make clean
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PY := .venv/bin/python
JB := .venv/bin/jupyter-book
PORT ?= 8000
NOTEBOOKS := $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)

.PHONY: venv book build test execute lab serve bench clean help

help:
	@sed -n '1,7p' Makefile

venv:
	@python3 tools/bootstrap.py

build: venv
	@$(JB) build . -W -n --keep-going --all
	@echo ""
	@echo "책이 빌드되었습니다 (book built): $(CURDIR)/_build/html/index.html"

book: build

test: venv
	@$(PY) tools/gates.py

execute: venv
	@$(PY) tools/execute.py $(NOTEBOOKS)

lab: venv
	@.venv/bin/jupyter lab --notebook-dir=book

serve: build
	@echo "http://127.0.0.1:$(PORT)/ 에서 책을 봅니다 (Ctrl+C로 끝냅니다)"
	@$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

bench: venv
	@$(PY) benchmarks/run.py

clean:
	rm -rf _build
