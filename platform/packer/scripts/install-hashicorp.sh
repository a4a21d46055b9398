#!/usr/bin/env bash
# Consul and Nomad from HashiCorp's signed apt repository, at pinned versions, held against upgrades.
set -euo pipefail

: "${CONSUL_VERSION:?CONSUL_VERSION is required}"
: "${NOMAD_VERSION:?NOMAD_VERSION is required}"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq ca-certificates curl gnupg unzip jq

install -d -m 0755 /usr/share/keyrings
curl -fsSL https://apt.releases.hashicorp.com/gpg | gpg --dearmor -o /usr/share/keyrings/hashicorp-archive-keyring.gpg
# shellcheck disable=SC1091 # /etc/os-release exists on the build machine, not here
codename="$(. /etc/os-release && echo "${VERSION_CODENAME}")"
echo "deb [signed-by=/usr/share/keyrings/hashicorp-archive-keyring.gpg] https://apt.releases.hashicorp.com ${codename} main" >/etc/apt/sources.list.d/hashicorp.list

apt-get update -qq
apt-get install -y -qq "consul=${CONSUL_VERSION}" "nomad=${NOMAD_VERSION}"
apt-mark hold consul nomad

# Configuration is written at boot by the launch template's user data (it knows the cluster tag).
install -d -o consul -g consul -m 0750 /etc/consul.d /opt/consul
install -d -m 0750 /etc/nomad.d /opt/nomad /opt/nomad/host-volumes/traefik-certs
install -m 0644 /tmp/hashistack/consul.service /etc/systemd/system/consul.service
install -m 0644 /tmp/hashistack/nomad.service /etc/systemd/system/nomad.service
systemctl daemon-reload
systemctl disable consul nomad
