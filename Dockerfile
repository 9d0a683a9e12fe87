# Production image of the Kennisbrug web app and worker (one image, two commands).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KENNISBRUG_HOME=/var/lib/kennisbrug \
    KENNISBRUG_SOURCES_FILE=/app/config/sources.toml \
    KENNISBRUG_WEB_HOST=0.0.0.0
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core ./core
COPY crawler ./crawler
COPY indexer ./indexer
COPY search_ui ./search_ui
COPY kennisbrug ./kennisbrug
COPY localnode ./localnode
COPY config ./config
RUN pip install --no-cache-dir '.[postgres]' \
 && useradd --system --home /var/lib/kennisbrug kennisbrug \
 && mkdir -p /var/lib/kennisbrug && chown kennisbrug /var/lib/kennisbrug
USER kennisbrug
EXPOSE 8000
CMD ["kennisbrug", "web"]
