FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
WORKDIR /app

# `manage.py backup` runs pg_dump against compose's database: the client's major
# version must match the server's (docker-compose.yml: postgres:16), so it comes
# from the PostgreSQL project's own Debian repository.
ARG PG_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
         https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
         > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
    && apt-get purge -y curl && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

# Exactly the locked versions, each checked against its hash; then the project
# itself without resolving anything again.
COPY requirements/run.lock ./requirements/run.lock
RUN pip install --no-cache-dir --upgrade pip setuptools \
    && pip install --no-cache-dir --require-hashes -r requirements/run.lock
COPY pyproject.toml ./
COPY community ./community
COPY circles ./circles
COPY moderation ./moderation
RUN pip install --no-cache-dir --no-deps --no-build-isolation .

COPY . .
# collectstatic needs settings but no database, mail or real key: throwaway values.
RUN SECRET_KEY=collectstatic-only EMAIL_URL=console: DEBUG=0 \
       python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 app && mkdir -p /app/var && chown -R app /app/var
USER app

EXPOSE 8000
# daphne's own access log is off: requests are logged by the site in its one format
# (community/observability.py), without query strings or tokens.
ENTRYPOINT ["./docker-entrypoint.sh"]
# No --proxy-headers: it believes X-Forwarded-For from any peer. The site reads it
# only from TRUSTED_PROXIES (README: Trusted proxies).
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", \
     "--websocket-max-message-size", "65536", "--websocket-max-frame-size", "65536", \
     "--access-log", "/dev/null", \
     "community.asgi:application"]
