#!/usr/bin/env bash
# Deploys a jobspec: `nomad job plan` first (shown), then `nomad job run` with the plan's check index, so
# a job changed by someone else between the two is not overwritten.
# Reads what the nomad CLI reads: NOMAD_ADDR, NOMAD_TOKEN, NOMAD_NAMESPACE, NOMAD_REGION, NOMAD_CACERT.
# Usage: deploy-nomad.sh <jobspec.nomad> [--plan-only]
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") <jobspec.nomad> [--plan-only]" >&2
  exit 64
}

[ $# -ge 1 ] || usage
jobspec="$1"
plan_only="${2:-}"
[ -z "${plan_only}" ] || [ "${plan_only}" = "--plan-only" ] || usage

if ! command -v nomad >/dev/null 2>&1; then
  echo "error: the nomad CLI is not on PATH; install it: https://developer.hashicorp.com/nomad/install" >&2
  exit 127
fi
if [ -z "${NOMAD_ADDR:-}" ]; then
  echo "error: NOMAD_ADDR is not set; open a tunnel (tunnel.sh) and export NOMAD_ADDR=http://127.0.0.1:4646" >&2
  exit 2
fi
if [ ! -f "${jobspec}" ]; then
  echo "error: no jobspec at ${jobspec}" >&2
  exit 2
fi

# `nomad job plan` exits 1 when allocations change (not an error), 255 on errors.
set +e
plan_output="$(nomad job plan -- "${jobspec}" 2>&1)"
plan_status=$?
set -e
printf '%s\n' "${plan_output}"
if [ "${plan_status}" -gt 1 ]; then
  echo "error: nomad job plan failed (exit ${plan_status})" >&2
  exit "${plan_status}"
fi
[ "${plan_only}" = "--plan-only" ] && exit 0

check_index="$(printf '%s\n' "${plan_output}" | sed -n 's/.*-check-index \([0-9][0-9]*\).*/\1/p' | head -n 1)"
if [ -n "${check_index}" ]; then
  exec nomad job run -check-index "${check_index}" -- "${jobspec}"
fi
exec nomad job run -- "${jobspec}"
