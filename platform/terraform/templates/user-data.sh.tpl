#!/usr/bin/env bash
# Boot configuration of a cluster server, rendered by Terraform (templatefile): Consul and Nomad as
# servers that find each other by cloud auto-join, Nomad also a client with Docker and ECR pulls.
set -euo pipefail

private_ip="$(TOKEN=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') && curl -fsS -H "X-aws-ec2-metadata-token: $${TOKEN}" http://169.254.169.254/latest/meta-data/local-ipv4)"

cat >/etc/consul.d/consul.hcl <<CONSUL
datacenter       = "${datacenter}"
data_dir         = "/opt/consul"
server           = true
bootstrap_expect = ${server_count}
bind_addr        = "$${private_ip}"
client_addr      = "0.0.0.0"
retry_join       = ["${retry_join}"]
ui_config { enabled = true }
ports { grpc = 8502 }
connect { enabled = true }
CONSUL
chown consul:consul /etc/consul.d/consul.hcl

cat >/etc/nomad.d/nomad.hcl <<NOMAD
datacenter = "${datacenter}"
data_dir   = "/opt/nomad"
bind_addr  = "0.0.0.0"
advertise {
  http = "$${private_ip}"
  rpc  = "$${private_ip}"
  serf = "$${private_ip}"
}
server {
  enabled          = true
  bootstrap_expect = ${server_count}
  server_join { retry_join = ["${retry_join}"] }
}
client {
  enabled   = true
  node_pool = "${node_pool}"
  host_volume "traefik-certs" {
    path      = "/opt/nomad/host-volumes/traefik-certs"
    read_only = false
  }
}
consul { address = "127.0.0.1:8500" }
plugin "docker" {
  config {
    # The ECR credential helper (see platform/packer) answers for ECR registries: no password in jobspecs.
    auth { config = "${docker_config}" }
  }
}
NOMAD

systemctl enable --now consul
systemctl enable --now nomad
