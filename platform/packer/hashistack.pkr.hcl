# The AMI of every cluster server: Consul and Nomad (server + client), Docker with the ECR credential
# helper for the Nomad docker driver (no registry password in any jobspec), and the CNI plugins.

locals {
  build_time = formatdate("YYYYMMDD-hhmmss", timestamp())
}

source "amazon-ebs" "hashistack" {
  region        = var.region
  instance_type = var.instance_type
  ssh_username  = "ubuntu"
  ami_name      = "hashistack-${local.build_time}"

  source_ami_filter {
    filters = {
      name                = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["099720109477"] # Canonical
    most_recent = true
  }

  tags = {
    Name           = "hashistack"
    ConsulVersion  = var.consul_version
    NomadVersion   = var.nomad_version
    DockerVersion  = var.docker_version
    BuildTimestamp = local.build_time
  }
}

build {
  sources = ["source.amazon-ebs.hashistack"]

  provisioner "file" {
    source      = "files/"
    destination = "/tmp/hashistack"
  }

  provisioner "shell" {
    execute_command = "sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "CONSUL_VERSION=${var.consul_version}",
      "NOMAD_VERSION=${var.nomad_version}",
      "DOCKER_VERSION=${var.docker_version}",
      "CNI_PLUGINS_VERSION=${var.cni_plugins_version}",
      "CNI_PLUGINS_SHA256=${var.cni_plugins_sha256}",
      "ECR_CREDENTIAL_HELPER_VERSION=${var.ecr_credential_helper_version}",
    ]
    scripts = [
      "scripts/install-hashicorp.sh",
      "scripts/install-docker.sh",
      "scripts/install-cni.sh",
      "scripts/configure-ecr-login.sh",
    ]
  }
}
