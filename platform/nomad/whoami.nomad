# An example service: echoes the request it receives, to check routing end to end.
variable "domain" {
  type    = string
  default = "example.com"
}

job "whoami" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = "5s"
    healthy_deadline = "2m"
    auto_revert      = true
    canary           = 1
    auto_promote     = true
  }

  group "whoami" {
    count = 3

    network {
      port "http" { to = 80 }
    }

    service {
      name = "whoami"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.whoami.rule=Host(`whoami.${var.domain}`)",
        "traefik.http.routers.whoami.entrypoints=websecure",
        "traefik.http.routers.whoami.tls.certresolver=letsencrypt",
        "launcher.name=Who am I",
        "launcher.description=Echoes the request: handy to check routing",
        "launcher.techDetails=traefik/whoami",
        "launcher.subDomain=whoami",
      ]

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "whoami" {
      driver = "docker"

      config {
        image = "traefik/whoami:v1.10.3"
        ports = ["http"]
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
