# The image web and worker processes run from (compose.yaml); the same commands as the Procfile.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api api
COPY schema schema
COPY sync sync
COPY models models
COPY pubsub pubsub
COPY logs logs
RUN pip install --no-cache-dir .
ENV ENVIRONMENT=production LOG_FORMAT=json
EXPOSE 8000
CMD ["eduhub", "web", "--host", "0.0.0.0", "--port", "8000"]
