# The ECS cluster the Fargate services of the ecs-<name>.tf files run in, registered in Consul through
# consul-ecs (consul-dataplane), reachable by Traefik inside the VPC.
resource "aws_ecs_cluster" "main" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "ecs" {
  name              = "/ecs/${var.name}"
  retention_in_days = 30
}

locals {
  # consul-ecs reaches the servers by cloud auto-join too (an exec: the servers' private addresses).
  consul_server_hosts = "exec=discover -q addrs ${local.retry_join}"
}
