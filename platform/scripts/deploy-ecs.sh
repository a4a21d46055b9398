#!/usr/bin/env bash
# Deploys an ECS Fargate service of platform/terraform with a targeted apply.
# Argument: an ecs-<name>.tf file (every aws_ecs_service in it is targeted), or a Terraform address.
# Terraform reads AWS credentials the usual way (AWS_PROFILE, SSO, environment, instance role).
# Usage: deploy-ecs.sh <ecs-name.tf | terraform-address> [--plan-only]
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") <ecs-<name>.tf | terraform-address> [--plan-only]" >&2
  exit 64
}

[ $# -ge 1 ] || usage
target_arg="$1"
plan_only="${2:-}"
[ -z "${plan_only}" ] || [ "${plan_only}" = "--plan-only" ] || usage

if ! command -v terraform >/dev/null 2>&1; then
  echo "error: terraform is not on PATH; install it: https://developer.hashicorp.com/terraform/install" >&2
  exit 127
fi

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
terraform_dir="${TERRAFORM_DIR:-${script_dir}/../terraform}"
targets=()
if [ -f "${target_arg}" ]; then
  terraform_dir="$(cd "$(dirname "${target_arg}")" && pwd)"
  while IFS= read -r name; do
    targets+=("-target=aws_ecs_service.${name}")
  done < <(sed -n 's/^resource "aws_ecs_service" "\([A-Za-z0-9_-]*\)".*/\1/p' "${target_arg}")
  if [ "${#targets[@]}" -eq 0 ]; then
    echo "error: ${target_arg} has no aws_ecs_service resource to target" >&2
    exit 2
  fi
elif [[ "${target_arg}" =~ ^[A-Za-z0-9_.\[\]\"-]+$ ]]; then
  targets=("-target=${target_arg}")
else
  echo "error: ${target_arg} is neither a file nor a Terraform address" >&2
  exit 2
fi

if [ "${plan_only}" = "--plan-only" ]; then
  exec terraform -chdir="${terraform_dir}" plan "${targets[@]}"
fi
exec terraform -chdir="${terraform_dir}" apply "${targets[@]}"
