# Agora in a container: one binary, SQLite in the /data volume.
#   docker build -t agora .
#   docker run -d --name agora -p 3000:3000 -v agora-data:/data \
#     -e AGORA_BASE_URL=https://events.example.org agora
# See docs/DEPLOYMENT.md.

# --- build: cgo is needed for the SQLite driver ---
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/agora .

# --- run ---
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin agora \
 && mkdir -p /data && chown agora:agora /data
COPY --from=build /out/agora /usr/local/bin/agora
USER agora
WORKDIR /data
VOLUME /data
# Defaults only: `docker run -e AGORA_ADDR=... -e AGORA_DB=...` overrides them,
# so the command names no flag that would win over the environment.
ENV AGORA_DB=/data/agora.db \
    AGORA_ADDR=:3000
EXPOSE 3000
ENTRYPOINT ["agora"]
CMD ["serve"]
