variable "region" {
  type        = string
  description = "AWS region to build the AMI in."
  default     = "eu-west-1"
}

variable "instance_type" {
  type        = string
  description = "Instance type of the build machine."
  default     = "t3.small"
}

variable "consul_version" {
  type        = string
  description = "Consul package version from HashiCorp's apt repository (pinned)."
  default     = "1.21.4-1"
}

variable "nomad_version" {
  type        = string
  description = "Nomad package version from HashiCorp's apt repository (pinned)."
  default     = "1.10.5-1"
}

variable "docker_version" {
  type        = string
  description = "Docker Engine package version from Docker's apt repository for Ubuntu 24.04 (pinned)."
  default     = "5:28.3.3-1~ubuntu.24.04~noble"
}

variable "cni_plugins_version" {
  type        = string
  description = "CNI reference plugins release, for Nomad bridge networking (pinned)."
  default     = "1.7.1"
}

variable "cni_plugins_sha256" {
  type        = string
  description = "SHA-256 of cni-plugins-linux-amd64-v<version>.tgz to require. Empty: the checksum file published with the release is used."
  default     = ""
}

variable "ecr_credential_helper_version" {
  type        = string
  description = "amazon-ecr-credential-helper package version in Ubuntu 24.04 (pinned)."
  default     = "0.7.1-1"
}
