# userpoold in a container.
#
#   docker build -t userpoold .            (or: podman build -t userpoold .)
#   docker run --rm -v userpoold-data:/data userpoold credentials create --name admin
#   docker run -d --name userpoold -p 127.0.0.1:9229:9229 -v userpoold-data:/data userpoold
#
# The server listens on 0.0.0.0:9229 in the container, so it refuses to start until developer
# credentials exist (a key made with `userpoold credentials create` as above, stored in /data, or
# a file given with USERPOOLD_CREDENTIALS_FILE): on a reachable address an open server would let
# anyone call every admin operation. For a throwaway local setup you may set
# USERPOOLD_INSECURE_OPEN=true instead, and then publish the port on 127.0.0.1 only.
#
# Both images must be Debian-based with Node.js 20 or later. The defaults are the official Node
# images; scripts/container-test.sh builds with a local Debian image instead
# (--build-arg BUILD_IMAGE=localhost/debian-base --build-arg BASE_IMAGE=localhost/debian-base).
ARG BUILD_IMAGE=node:20-bookworm
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BUILD_IMAGE} AS build
RUN node -e "process.exit(Number(process.versions.node.split('.')[0]) >= 20 ? 0 : 1)" \
  || { echo "userpoold needs Node.js 20 or later in BUILD_IMAGE" >&2; exit 1; }
# better-sqlite3 compiles itself when no prebuilt binary can be downloaded; the full node image
# has a compiler, a bare Debian gets one here.
RUN if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++ make python3 \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY bin bin
COPY src src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
  && find dist -name '*.map' -delete

FROM ${BASE_IMAGE}
RUN node -e "process.exit(Number(process.versions.node.split('.')[0]) >= 20 ? 0 : 1)" \
  || { echo "userpoold needs Node.js 20 or later in BASE_IMAGE" >&2; exit 1; }
# An unprivileged user that owns only the data folder.
RUN groupadd --system --gid 10001 userpoold \
  && useradd --system --uid 10001 --gid userpoold --home-dir /data --no-create-home --shell /usr/sbin/nologin userpoold \
  && mkdir -p /data && chown userpoold:userpoold /data && chmod 700 /data
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/bin bin
COPY --from=build /src/dist dist
COPY --from=build /src/node_modules node_modules
ENV NODE_ENV=production \
    USERPOOLD_HOST=0.0.0.0 \
    USERPOOLD_PORT=9229 \
    USERPOOLD_DATA_DIR=/data
# The SQLite database and the server key (server.key: back it up with the data, or give
# USERPOOLD_SERVER_KEY_FILE). With USERPOOLD_DATABASE_URL the data is in PostgreSQL instead.
VOLUME /data
EXPOSE 9229
USER userpoold
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.USERPOOLD_PORT || 9229) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/userpoold.js"]
CMD ["serve"]
