#!/usr/bin/env bash
# The CNI reference plugins Nomad's bridge networking needs, checked against a SHA-256 (pinned, or the
# one published with the release).
set -euo pipefail

: "${CNI_PLUGINS_VERSION:?CNI_PLUGINS_VERSION is required}"
: "${CNI_PLUGINS_SHA256:=}"

base="https://github.com/containernetworking/plugins/releases/download/v${CNI_PLUGINS_VERSION}"
name="cni-plugins-linux-amd64-v${CNI_PLUGINS_VERSION}.tgz"
archive="/tmp/${name}"
curl -fsSL -o "${archive}" "${base}/${name}"
if [ -z "${CNI_PLUGINS_SHA256}" ]; then
  # No pinned checksum: require the one published with the release.
  CNI_PLUGINS_SHA256="$(curl -fsSL "${base}/${name}.sha256" | awk '{print $1}')"
fi
echo "${CNI_PLUGINS_SHA256}  ${archive}" | sha256sum --check --status
install -d -m 0755 /opt/cni/bin
tar -xzf "${archive}" -C /opt/cni/bin
rm -f "${archive}"

# Bridge traffic must pass through iptables for Nomad's port mapping.
cat >/etc/sysctl.d/99-nomad-bridge.conf <<'SYSCTL'
net.bridge.bridge-nf-call-arptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.bridge.bridge-nf-call-iptables = 1
SYSCTL
echo br_netfilter >/etc/modules-load.d/br_netfilter.conf
