# The gallery on ECS Fargate, registered in Consul with Traefik and launcher tags, like every other service.
# The image tag stays a literal: the Hashistack extension bumps it, and deploys with
# `terraform apply -target=module.gallery_ecs -target=aws_ecs_service.gallery`.
module "gallery_ecs" {
  source  = "hashicorp/consul-ecs/aws//modules/mesh-task"
  version = "~> 0.9.0"

  family                   = "gallery"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  port                     = 8080

  # consul-ecs 0.7+ runs consul-dataplane (no client agent); transparent proxy needs iptables, which
  # Fargate does not allow.
  consul_server_hosts      = local.consul_server_hosts
  enable_transparent_proxy = false

  consul_service_tags = [
    "traefik.enable=true",
    "traefik.http.routers.gallery.rule=Host(`gallery.${var.domain}`)",
    "traefik.http.routers.gallery.entrypoints=websecure",
    "traefik.http.routers.gallery.tls.certresolver=letsencrypt",
    "launcher.name=Gallery",
    "launcher.description=Photo gallery, on ECS Fargate",
    "launcher.techDetails=ECS Fargate, registered by consul-ecs",
    "launcher.subDomain=gallery",
  ]

  container_definitions = [{
    name      = "gallery"
    image     = "public.ecr.aws/nginx/nginx:1.27.5"
    essential = true
    portMappings = [{
      containerPort = 8080
      protocol      = "tcp"
    }]
    healthCheck = {
      command  = ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/ || exit 1"]
      interval = 10
      retries  = 3
      timeout  = 3
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ecs.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "gallery"
      }
    }
  }]
}

resource "aws_ecs_service" "gallery" {
  name                   = "gallery"
  cluster                = aws_ecs_cluster.main.arn
  task_definition        = module.gallery_ecs.task_definition_arn
  desired_count          = 1
  launch_type            = "FARGATE"
  propagate_tags         = "TASK_DEFINITION"
  enable_execute_command = false

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.ecs_tasks.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
