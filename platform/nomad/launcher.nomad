# The launcher: the cluster's front page. It lists the Consul services that carry launcher.* tags and
# links each to the subdomain Traefik routes to it. It is itself routed on the apex domain.
variable "domain" {
  type    = string
  default = "example.com"
}

variable "registry" {
  type        = string
  description = "The ECR registry the launcher image is pushed to (pulled with the instance role)."
  default     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
}

job "launcher" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "10s"
    healthy_deadline  = "3m"
    progress_deadline = "10m"
    auto_revert       = true
  }

  group "launcher" {
    count = 2

    network {
      port "http" { to = 3000 }
    }

    service {
      name = "launcher"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.launcher.rule=Host(`${var.domain}`)",
        "traefik.http.routers.launcher.entrypoints=websecure",
        "traefik.http.routers.launcher.tls.certresolver=letsencrypt",
        "launcher.name=Launcher",
        "launcher.description=Every service of the cluster, one click away",
        "launcher.techDetails=Node.js; polls the Consul catalog for launcher.* tags",
        "launcher.subDomain=",
      ]

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "launcher" {
      driver = "docker"

      config {
        image = "${var.registry}/launcher:0.3.10"
        ports = ["http"]
      }

      env {
        CONSUL_HTTP_ADDR = "http://${attr.unique.network.ip-address}:8500"
        DOMAIN           = var.domain
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
