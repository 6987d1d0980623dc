# The production image: one image for web (gunicorn), the Celery worker and Celery beat.
# docker-compose.yml describes the stack; see the comments there for the variables to set.
FROM python:3.11-slim

# Production by default: DEBUG off (a SECRET_KEY of 50+ characters is then required at start).
ENV DEBUG=0 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

WORKDIR /app

# An unprivileged user owns only what the app writes (var/); the code stays root-owned, read-only.
RUN groupadd --system --gid 1000 camau \
 && useradd --system --uid 1000 --gid camau --home-dir /app --no-create-home --shell /usr/sbin/nologin camau

# pg_dump and pg_restore for `manage.py backup` and `restore`. Debian 12's client is PostgreSQL 15, the
# server's major version in docker-compose.yml (pg_dump refuses a newer server: upgrade them together).
# ocrmypdf with Tesseract's Vietnamese model reads scanned directives (intake/parsing).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client tesseract-ocr tesseract-ocr-vie ocrmypdf \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time, with the production storage (DEBUG=0: hashed names
# and compressed copies in the manifest that whitenoise serves). The key is a throwaway: collectstatic
# touches no database and nothing signed. The var/ folders exist in the image, owned by the app
# user, so that named volumes mounted there start with that owner.
RUN DEBUG=0 SECRET_KEY=collectstatic-at-build-time-only-this-is-not-a-secret-0123456789 \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/beat /app/var/backups \
 && chown -R camau:camau /app/var

USER camau

EXPOSE 8000

CMD ["gunicorn", "camau_tasks.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
