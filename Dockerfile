# The worker image (docker-compose.yml, service `worker`). The servers are not in it: in
# production Temporal and PostgreSQL run as services of their own.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . .
RUN pip install . \
    && useradd --system --uid 10001 --no-create-home nbm

USER nbm
CMD ["python", "worker.py"]
