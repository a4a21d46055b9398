# Servers: SSH from admin_cidr only, HTTP/HTTPS from anywhere (Traefik), cluster ports inside the VPC only.
resource "aws_security_group" "servers" {
  name        = "${var.name}-servers"
  description = "Consul and Nomad servers running Traefik"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${var.name}-servers" }
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.servers.id
  description       = "SSH from the administrators' network only"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.admin_cidr
}

resource "aws_vpc_security_group_ingress_rule" "web" {
  for_each          = toset(["80", "443"])
  security_group_id = aws_security_group.servers.id
  description       = "Traefik entrypoint ${each.value}"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  cidr_ipv4         = "0.0.0.0/0"
}

locals {
  # Consul: server RPC 8300, LAN/WAN gossip 8301-8302 (TCP and UDP), HTTP 8500, gRPC 8502-8503, DNS 8600.
  # Nomad: HTTP 4646, RPC 4647, gossip 4648. Traefik API 8080. Nomad dynamic ports 20000-32000.
  cluster_tcp_ports = [[8300, 8302], [8500, 8503], [8600, 8600], [4646, 4648], [8080, 8080], [20000, 32000]]
  cluster_udp_ports = [[8301, 8302], [8600, 8600], [4648, 4648]]
}

resource "aws_vpc_security_group_ingress_rule" "cluster_tcp" {
  count             = length(local.cluster_tcp_ports)
  security_group_id = aws_security_group.servers.id
  description       = "Cluster TCP ports, inside the VPC only"
  ip_protocol       = "tcp"
  from_port         = local.cluster_tcp_ports[count.index][0]
  to_port           = local.cluster_tcp_ports[count.index][1]
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_vpc_security_group_ingress_rule" "cluster_udp" {
  count             = length(local.cluster_udp_ports)
  security_group_id = aws_security_group.servers.id
  description       = "Cluster UDP ports, inside the VPC only"
  ip_protocol       = "udp"
  from_port         = local.cluster_udp_ports[count.index][0]
  to_port           = local.cluster_udp_ports[count.index][1]
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_vpc_security_group_egress_rule" "servers_all" {
  security_group_id = aws_security_group.servers.id
  description       = "Outbound: package mirrors, ECR, Let's Encrypt, AWS APIs"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# ECS Fargate tasks: reached by Traefik (and Consul health checks) from inside the VPC only.
resource "aws_security_group" "ecs_tasks" {
  name        = "${var.name}-ecs-tasks"
  description = "ECS Fargate tasks registered in Consul"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${var.name}-ecs-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "ecs_from_vpc" {
  security_group_id = aws_security_group.ecs_tasks.id
  description       = "Application and sidecar ports, from inside the VPC only"
  ip_protocol       = "tcp"
  from_port         = 1024
  to_port           = 65535
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_vpc_security_group_egress_rule" "ecs_all" {
  security_group_id = aws_security_group.ecs_tasks.id
  description       = "Outbound: Consul servers, ECR, AWS APIs"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
