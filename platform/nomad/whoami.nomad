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

      # Configuration read at run time: the instance's name from a Nomad variable (a job may read
      # nomad/jobs/<its name> with no policy of its own) and a greeting from Consul KV, rendered into the
      # task's environment. Nomad restarts the task when either changes.
      template {
        destination = "secrets/whoami.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/whoami" }}WHOAMI_NAME={{ .name }}{{ end }}
          GREETING={{ keyOrDefault "config/whoami/greeting" "Hello" }}
        EOT
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
