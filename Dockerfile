FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
WORKDIR /app

COPY pyproject.toml ./
COPY community ./community
COPY circles ./circles
COPY moderation ./moderation
RUN pip install --no-cache-dir .

COPY . .
# collectstatic needs settings but no database; a throwaway key is enough here.
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 app && mkdir -p /app/var && chown -R app /app/var
USER app

EXPOSE 8000
ENTRYPOINT ["./docker-entrypoint.sh"]
# No --proxy-headers: it believes X-Forwarded-For from any peer. The site reads it
# only from TRUSTED_PROXIES (README: Trusted proxies).
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", \
     "--websocket-max-message-size", "65536", "--websocket-max-frame-size", "65536", \
     "community.asgi:application"]
