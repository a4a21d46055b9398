variable "region" {
  description = "AWS region of the cluster."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as eu-west-1."
  }
}

variable "name" {
  description = "Name prefix of every resource, and the value of the cluster tag that cloud auto-join looks for."
  type        = string
  default     = "hashistack"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "The name must be 2-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC. Cluster ports are open inside it only."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "The vpc_cidr must be a CIDR block such as 10.0.0.0/16."
  }
}

variable "availability_zone_count" {
  description = "How many availability zones get a public and a private subnet."
  type        = number
  default     = 3

  validation {
    condition     = var.availability_zone_count >= 2 && var.availability_zone_count <= 6
    error_message = "Use between 2 and 6 availability zones."
  }
}

variable "admin_cidr" {
  description = "The only network SSH (port 22) is open to, e.g. your office's address as 203.0.113.7/32."
  type        = string

  validation {
    condition     = can(cidrhost(var.admin_cidr, 0)) && var.admin_cidr != "0.0.0.0/0"
    error_message = "The admin_cidr must be a CIDR block, and not 0.0.0.0/0: SSH is never open to everyone."
  }
}

variable "ssh_key_name" {
  description = "Name of an EC2 key pair for SSH to the servers (tunnel.sh uses it)."
  type        = string
}

variable "server_count" {
  description = "Number of servers (Consul and Nomad servers that are also Nomad clients). Odd, for the Raft quorum."
  type        = number
  default     = 3

  validation {
    condition     = contains([1, 3, 5], var.server_count)
    error_message = "Use 1 (trying it out), 3 or 5 servers."
  }
}

variable "server_instance_type" {
  description = "Instance type of the servers."
  type        = string
  default     = "t3.medium"
}

variable "ami_name_filter" {
  description = "Name pattern of the AMI built by platform/packer; the newest match is used."
  type        = string
  default     = "hashistack-*"
}

variable "domain" {
  description = "The domain Traefik routes <service>.<domain> on, and the hosted zone its DNS-01 challenge writes to."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "The domain must be a DNS name such as example.com."
  }
}

variable "route53_zone_id" {
  description = "ID of the Route 53 hosted zone of the domain (Traefik's DNS-01 challenge may change records there only)."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]{1,31}$", var.route53_zone_id))
    error_message = "The route53_zone_id must be a hosted zone ID such as Z0123456789ABCDEFGHIJ."
  }
}

variable "ecr_repository_arns" {
  description = "ECR repositories the servers may pull from (the instance role gets read access to these only)."
  type        = list(string)
  default     = []
}
