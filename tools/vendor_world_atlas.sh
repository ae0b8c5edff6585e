#!/usr/bin/env bash
# Refresh the dashboard's vendored Natural Earth TopoJSON from the npm package world-atlas.
# Usage: bash tools/vendor_world_atlas.sh [VERSION] [FILE]   (defaults: 2.0.2 countries-50m.json)
set -euo pipefail
VERSION="${1:-2.0.2}"
FILE="${2:-countries-50m.json}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/streams/web/dashboard/world_atlas"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "world-atlas@$VERSION" >/dev/null && tar xzf world-atlas-*.tgz)
cp "$WORK/package/$FILE" "$DEST/countries-50m.json"
cp "$WORK/package/LICENSE" "$DEST/LICENSE"
echo "vendored world-atlas@$VERSION $FILE into $DEST (update the version in $DEST/README.md)"
