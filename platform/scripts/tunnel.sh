#!/usr/bin/env bash
# Opens an SSH port-forward to one running server of the cluster, found by its instance tag, for
# Nomad (4646), Consul (8500) and the Traefik API (8080) on 127.0.0.1. Prints the variables to export.
# Reads: AWS_REGION (or AWS_DEFAULT_REGION), CLUSTER_TAG_KEY / CLUSTER_TAG_VALUE (defaults: the Terraform
# outputs' hashistack-cluster / hashistack), SSH_USER (ubuntu), SSH_KEY (optional identity file).
# Usage: tunnel.sh
set -euo pipefail

for tool in aws ssh; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "error: ${tool} is not on PATH" >&2
    exit 127
  fi
done

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
if [ -z "${region}" ]; then
  echo "error: set AWS_REGION to the cluster's region (terraform output region)" >&2
  exit 2
fi
tag_key="${CLUSTER_TAG_KEY:-hashistack-cluster}"
tag_value="${CLUSTER_TAG_VALUE:-hashistack}"
ssh_user="${SSH_USER:-ubuntu}"

# One line per instance: public address, private address.
read -r address private_address < <(aws ec2 describe-instances --region "${region}" \
  --filters "Name=tag:${tag_key},Values=${tag_value}" "Name=instance-state-name,Values=running" \
  --query 'Reservations[].Instances[].[PublicIpAddress,PrivateIpAddress]' --output text | grep -v '^None' | head -n 1 || true)
if [ -z "${address:-}" ] || [ -z "${private_address:-}" ]; then
  echo "error: no running instance tagged ${tag_key}=${tag_value} with a public address in ${region}" >&2
  exit 1
fi

# Traefik's API listens on the server's private address only (traefik.nomad).
ssh_args=(-N -o ExitOnForwardFailure=yes -L 4646:127.0.0.1:4646 -L 8500:127.0.0.1:8500 -L "8080:${private_address}:8080")
if [ -n "${SSH_KEY:-}" ]; then
  ssh_args+=(-i "${SSH_KEY}")
fi

cat <<EOT
Tunnel to ${address} (Ctrl+C closes it). In another shell:
  export NOMAD_ADDR=http://127.0.0.1:4646
  export CONSUL_HTTP_ADDR=http://127.0.0.1:8500
  export HASHISTACK_TRAEFIK_ADDR=http://127.0.0.1:8080
EOT
exec ssh "${ssh_args[@]}" "${ssh_user}@${address}"
