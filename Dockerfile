# The dashboard in a container: Debian slim, the locked runtime dependencies (no dev groups),
# the map's files built into the image, served by a non-root user.
#
#   docker build -t corridors .
#   docker run --rm -p 8501:8501 corridors        # then open http://localhost:8501
#
# Several replicas behind a balancer: see deploy/haproxy.cfg and the README, "Deploying".

# Build stage: uv resolves nothing, it installs what uv.lock says.
FROM python:3.11-slim-bookworm AS build
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# Dependencies first: this layer is reused until uv.lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
# The project as a wheel, not editable: the venv then holds the data, the source notes and the
# dashboard script, and needs nothing else from this stage.
RUN uv sync --locked --no-dev --no-editable \
    && .venv/bin/corridors build-assets

# Run stage: the venv only, at the same path (its scripts name their interpreter by path).
FROM python:3.11-slim-bookworm
RUN useradd --create-home --uid 10001 corridors
COPY --from=build /app/.venv /app/.venv
ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1
# Not root: the image's files, the map's among them, are read-only to the server.
USER corridors
WORKDIR /home/corridors
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
# serve checks the map's files (built above: nothing left to write), then runs streamlit and
# loads the page's data beside it, before the first visit.
CMD ["corridors", "serve", "--", "--server.port=8501", "--server.address=0.0.0.0"]
