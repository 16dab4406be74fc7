#!/usr/bin/env bash
# Installs the system packages that kgraph's tests use, where they are missing. Needs root and apt-get (Debian).
set -euo pipefail

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || packages+=(virtuoso-opensource)

if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
    echo "note: ${packages[*]} missing and cannot be installed here (needs root and apt-get); tests that need them skip" >&2
    exit 0
fi
echo "installing ${packages[*]} (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
