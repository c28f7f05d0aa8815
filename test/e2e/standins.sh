#!/usr/bin/env bash
# Ensures every base image the e2e suite builds from exists in the local engine.
# The shared script stands in for every image we use, Node 26 and its distroless
# image included (libatomic, no Yarn, no corepack: as the official images ship them).
# Usage: standins.sh IMAGE...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_DIR:-$here/../../../shared}/docker-e2e"
for ref in "$@"; do
  "$shared/standins.sh" ensure "$ref" >/dev/null
done
