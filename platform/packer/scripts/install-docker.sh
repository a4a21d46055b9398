#!/usr/bin/env bash
# Docker Engine from Docker's signed apt repository, at a pinned version.
set -euo pipefail

: "${DOCKER_VERSION:?DOCKER_VERSION is required}"

export DEBIAN_FRONTEND=noninteractive
install -d -m 0755 /etc/apt/keyrings
curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc
chmod a+r /etc/apt/keyrings/docker.asc
# shellcheck disable=SC1091 # /etc/os-release exists on the build machine, not here
codename="$(. /etc/os-release && echo "${VERSION_CODENAME}")"
echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu ${codename} stable" >/etc/apt/sources.list.d/docker.list

apt-get update -qq
apt-get install -y -qq "docker-ce=${DOCKER_VERSION}" "docker-ce-cli=${DOCKER_VERSION}" containerd.io
apt-mark hold docker-ce docker-ce-cli
systemctl enable docker
