#!/usr/bin/env bash
# docker-credential-ecr-login, used by the Nomad docker driver through a Docker config file: images from
# ECR are pulled with the instance role's credentials, so no jobspec carries a registry password.
set -euo pipefail

: "${ECR_CREDENTIAL_HELPER_VERSION:?ECR_CREDENTIAL_HELPER_VERSION is required}"

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "amazon-ecr-credential-helper=${ECR_CREDENTIAL_HELPER_VERSION}"
apt-mark hold amazon-ecr-credential-helper
command -v docker-credential-ecr-login >/dev/null

# The Nomad client's docker plugin points at this file (plugin "docker" { config { auth { config = … } } }).
install -d -m 0755 /etc/docker
install -m 0644 /tmp/hashistack/docker-config.json /etc/docker/config.json
