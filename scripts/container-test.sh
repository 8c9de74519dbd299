#!/usr/bin/env bash
# Builds the Dockerfile with podman and checks the image: it refuses an open server on 0.0.0.0,
# starts as its unprivileged user once a developer key exists, passes its own HEALTHCHECK and
# answers the AWS CLI with SigV4-signed calls.
#
# No image registry is reachable from CI and its machine cannot run containers (no cgroups), so:
# - the base images are made here: a minimal Debian (debootstrap, from the mirror apt uses) plus
#   this machine's Node.js, because Debian bookworm's nodejs package is 18 and userpoold needs
#   20 or later. localhost/debian-base is the runtime base (node only); localhost/debian-build
#   adds npm, Node's headers and this machine's CA bundle (npm must reach its registry from the
#   build). Both are kept and reused by later runs (USERPOOLD_REBUILD_BASE=1 makes them again).
# - the built image is not run as a container: its file system is mounted (podman image mount)
#   and its entrypoint run with chroot as the image's user, with the image's environment.
#
# Needs root; skips (exit 0) with a message when not root or when podman or debootstrap cannot
# be installed. Run by .ci/run, not by npm test.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  echo "container test skipped: $*"
  exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root (podman image mount, chroot, debootstrap)"
if ! command -v podman >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman debootstrap >/dev/null 2>&1 \
    || skip "podman and debootstrap could not be installed with apt"
fi
command -v podman >/dev/null 2>&1 && command -v debootstrap >/dev/null 2>&1 || skip "podman or debootstrap missing"

IMAGE=localhost/userpoold:test
work=$(mktemp -d)
server_pid=""
mounted=""
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
  if [ -n "$mounted" ]; then
    for m in data tmp dev proc; do umount -l "$mounted/$m" 2>/dev/null || true; done
    podman image unmount "$IMAGE" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== base images"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "error: this machine's Node.js is $(node --version); the image needs 20 or later" >&2; exit 1; }
if [ "${USERPOOLD_REBUILD_BASE:-}" = 1 ] || ! podman image exists localhost/debian-base || ! podman image exists localhost/debian-build; then
  # The Debian mirror apt is configured with (deb822 or one-line sources), for a network that
  # reaches only that mirror.
  mirror=$(grep -hoE '^(URIs:[[:space:]]*|deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -oE 'https?://[^[:space:]]+' | head -n1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs="$work/rootfs"
  podman image exists "$IMAGE" && podman rmi -f "$IMAGE" >/dev/null
  replaced=$(podman image inspect --format '{{.Id}}' localhost/debian-base localhost/debian-build 2>/dev/null || true)
  echo "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  # This machine's node binary (it needs only libc and libstdc++, both in minbase).
  node_bin=$(command -v node)
  install -m 755 "$(readlink -f "$node_bin")" "$rootfs/usr/local/bin/node"
  chroot "$rootfs" /usr/local/bin/node --version >/dev/null
  tar -C "$rootfs" -c . | podman import -q - localhost/debian-base >/dev/null
  # The build base: npm, the headers node-gyp compiles against, and the CA bundle of this
  # machine (its network may reach the npm registry through a proxy with its own CA).
  node_prefix=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
  mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include" "$rootfs/usr/local/etc" "$rootfs/etc/ssl/certs"
  cp -a "$(npm root -g)/npm" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  cp -a "$node_prefix/include/node" "$rootfs/usr/local/include/node"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr/local\nfund=false\naudit=false\nupdate-notifier=false\n' >"$rootfs/usr/local/etc/npmrc"
  tar -C "$rootfs" -c . | podman import -q - localhost/debian-build >/dev/null
  rm -rf "$rootfs"
  # The images these replace (USERPOOLD_REBUILD_BASE=1), unless a built image still uses them.
  for id in $replaced; do podman rmi "$id" >/dev/null 2>&1 || true; done
else
  echo "reusing localhost/debian-base and localhost/debian-build"
fi

echo "== podman build"
# chroot isolation: RUN steps need no cgroups. --format docker keeps the HEALTHCHECK (OCI
# images have no such field). This machine's npm cache is lent to the build to spare downloads.
mounts=()
npm_cache=$(npm config get cache)
[ -d "$npm_cache" ] && mounts+=(--volume "$npm_cache:/root/.npm")
# better-sqlite3 downloads a prebuilt binary from GitHub, which this network does not reach, and
# otherwise compiles SQLite for minutes. The build is given the binary this machine compiled
# (same Node.js, same Debian release) where prebuild-install looks for local prebuilds, under
# the name of the file it would download. USERPOOLD_CONTAINER_COMPILE=1 compiles it in the
# build instead, as on a machine without such a copy.
sqlite_module=node_modules/better-sqlite3/build/Release/better_sqlite3.node
if [ "${USERPOOLD_CONTAINER_COMPILE:-}" != 1 ] && [ -f "$sqlite_module" ]; then
  locked=$(node -p "require('./package-lock.json').packages['node_modules/better-sqlite3'].version")
  have=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
  if [ "$locked" = "$have" ]; then
    mkdir -p "$work/prebuilds"
    tar -C node_modules/better-sqlite3 -czf "$work/prebuilds/better-sqlite3-v$have-node-v$(node -p process.versions.modules)-linux-$(node -p process.arch).tar.gz" build/Release/better_sqlite3.node
    printf 'better_sqlite3_local_prebuilds=/prebuilds\n' >"$work/npmrc"
    mounts+=(--volume "$work/prebuilds:/prebuilds" --volume "$work/npmrc:/root/.npmrc:ro")
    echo "better-sqlite3 $have: this machine's build, as a local prebuild"
  fi
fi
# --layers=false: no cached intermediate images left behind (every CI machine starts empty).
podman image exists "$IMAGE" && podman rmi -f "$IMAGE" >/dev/null
podman build -q --isolation chroot --format docker --layers=false "${mounts[@]}" \
  --build-arg BUILD_IMAGE=localhost/debian-build --build-arg BASE_IMAGE=localhost/debian-base \
  -t "$IMAGE" . >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; exit 1; }

echo "== the image as the image's user, under chroot"
podman image inspect "$IMAGE" >"$work/inspect.json"
# One field of the image's configuration, one value a line (arrays) or the value itself.
image_config() {
  node -e '
    const [image] = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const value = process.argv[2].split(".").reduce((v, k) => (v == null ? v : v[k]), image);
    if (value != null) console.log([].concat(value).join("\n"));
  ' "$work/inspect.json" "$1"
}
user=$(image_config Config.User)
workdir=$(image_config Config.WorkingDir)
mapfile -t image_env < <(image_config Config.Env)
mapfile -t entrypoint < <(image_config Config.Entrypoint)
mapfile -t cmd < <(image_config Config.Cmd)
mapfile -t health < <(image_config Healthcheck.Test)
[ "${health[0]:-}" = "CMD" ] || { echo "error: the image has no HEALTHCHECK CMD" >&2; exit 1; }
# Docker and podman give a container this PATH when the image sets none.
printf '%s\n' "${image_env[@]}" | grep -q '^PATH=' || image_env+=("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")

mounted=$(podman image mount "$IMAGE")
uid=$(awk -F: -v u="$user" '$1 == u { print $3 }' "$mounted/etc/passwd")
gid=$(awk -F: -v u="$user" '$1 == u { print $4 }' "$mounted/etc/passwd")
[ -n "$uid" ] && [ "$uid" -ne 0 ] || { echo "error: the image's user \"$user\" is missing or root" >&2; exit 1; }
[ ! -e "$mounted/app/src" ] && [ ! -e "$mounted/app/node_modules/typescript" ] && [ ! -e "$mounted/app/node_modules/tsx" ] \
  || { echo "error: the image holds sources or devDependencies" >&2; exit 1; }
# The image's file system, with a fresh /data volume, /tmp, /dev and /proc.
mkdir -p "$work/data" "$work/tmp"
chown "$uid:$gid" "$work/data"
chmod 1777 "$work/tmp"
mount --bind "$work/data" "$mounted/data"
mount --bind "$work/tmp" "$mounted/tmp"
mount --rbind /dev "$mounted/dev"
mount -t proc proc "$mounted/proc"

port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
# As `podman run -e USERPOOLD_PORT=...` would: the image's user, working folder and environment,
# the port changed (9229 may be taken here: the chroot shares this machine's network) and
# cheap password hashes. chroot, env and sh each exec the next, so a background run's pid is
# the command's own.
in_image=(chroot --userspec="$uid:$gid" "$mounted" /usr/bin/env -i "${image_env[@]}" HOME=/data USERPOOLD_PORT="$port"
  USERPOOLD_ARGON2_MEMORY_KIB=64 USERPOOLD_ARGON2_ITERATIONS=1 /bin/sh -c 'cd "$0" && exec "$@"' "${workdir:-/}")

# With no developer credentials, 0.0.0.0 is refused: exit 2 and one line that says why.
set +e
"${in_image[@]}" "${entrypoint[@]}" "${cmd[@]}" >"$work/open.out" 2>"$work/open.err"
status=$?
set -e
if [ "$status" -ne 2 ] || ! grep -q 'refusing to listen on 0.0.0.0 without developer credentials' "$work/open.err"; then
  echo "error: the image should refuse an open server on 0.0.0.0 (exit $status):" >&2
  cat "$work/open.err" >&2
  exit 1
fi

"${in_image[@]}" "${entrypoint[@]}" credentials create --name container-test >"$work/key.json" 2>"$work/key.err" \
  || { cat "$work/key.err" >&2; exit 1; }
key_id=$(node -p "JSON.parse(require('node:fs').readFileSync('$work/key.json', 'utf8')).AccessKey.AccessKeyId")
key_secret=$(node -p "JSON.parse(require('node:fs').readFileSync('$work/key.json', 'utf8')).AccessKey.SecretAccessKey")

( exec "${in_image[@]}" "${entrypoint[@]}" "${cmd[@]}" >"$work/server.out" 2>"$work/server.log" ) &
server_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(grep -o '"msg":"userpoold listening","url":"http://[^"]*"' "$work/server.log" | head -n1 | cut -d'"' -f8 || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { echo "error: the image's entrypoint did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
[ "$url" = "http://0.0.0.0:$port" ] || { echo "error: expected http://0.0.0.0:$port, the log says $url" >&2; exit 1; }
server_uid=$(awk '/^Uid:/ { print $2 }' "/proc/$server_pid/status")
[ "$server_uid" = "$uid" ] || { echo "error: the server runs as uid $server_uid, not $uid" >&2; exit 1; }

# The image's own HEALTHCHECK command, run the way the engine would.
"${in_image[@]}" "${health[@]:1}" || { echo "error: the HEALTHCHECK failed:" >&2; cat "$work/server.log" >&2; exit 1; }
echo "healthcheck passed"

endpoint="http://127.0.0.1:$port"
if command -v aws >/dev/null 2>&1; then
  export AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$key_secret" AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
  pool_id=$(aws cognito-idp create-user-pool --endpoint-url "$endpoint" --pool-name container-test --query UserPool.Id --output text)
  [[ "$pool_id" =~ ^us-east-1_[0-9A-Za-z]+$ ]] || { echo "error: create-user-pool answered \"$pool_id\"" >&2; exit 1; }
  listed=$(aws cognito-idp list-user-pools --endpoint-url "$endpoint" --max-results 10 --query 'UserPools[].Id' --output text)
  [ "$listed" = "$pool_id" ] || { echo "error: list-user-pools answered \"$listed\", expected $pool_id" >&2; exit 1; }
  # A signature by a key the server does not know is refused: the credentials are in force.
  set +e
  refused=$(AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY000000 aws cognito-idp list-user-pools --endpoint-url "$endpoint" --max-results 10 2>&1)
  set -e
  [[ "$refused" == *UnrecognizedClientException* ]] || { echo "error: an unknown key was not refused: $refused" >&2; exit 1; }
  echo "aws cli: created and listed $pool_id with the image's key; an unknown key was refused"
else
  echo "aws cli not installed: checked /health only"
  node -e "fetch('$endpoint/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
fi

kill -TERM "$server_pid"
wait "$server_pid" || { echo "error: the server did not stop cleanly on SIGTERM" >&2; cat "$work/server.log" >&2; exit 1; }
server_pid=""
echo "container test passed"
