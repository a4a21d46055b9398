# Traefik v3 as the cluster's ingress: one instance per server (system job) on the host network,
# routing <service>.<domain> by the traefik.* tags of Consul services (Nomad jobs and ECS tasks alike).
#
# Certificates: Let's Encrypt through the DNS-01 challenge on Route 53 (the instance role may change
# records in the domain's zone only), which also gives the wildcard certificate *.<domain>. Each server
# keeps its own acme.json on the "traefik-certs" host volume, so a restart does not ask Let's Encrypt again;
# with three servers that is three orders per renewal, far under the limit of 50 certificates per
# registered domain per week. A larger fleet should let one instance own the certificates and share them
# (Traefik Enterprise, or a single-instance job writing to shared storage) instead.
variable "domain" {
  type        = string
  description = "The domain Traefik routes <service>.<domain> on."
  default     = "example.com"
}

variable "acme_email" {
  type        = string
  description = "Contact address of the Let's Encrypt account."
  default     = "ops@example.com"
}

job "traefik" {
  datacenters = ["dc1"]
  type        = "system"

  update {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = "10s"
    healthy_deadline = "2m"
  }

  group "traefik" {
    network {
      mode = "host"
      port "web" { static = 80 }
      port "websecure" { static = 443 }
      port "api" { static = 8080 }
    }

    volume "certs" {
      type      = "host"
      source    = "traefik-certs"
      read_only = false
    }

    service {
      name = "traefik"
      port = "api"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.dashboard.rule=Host(`traefik.${var.domain}`)",
        "traefik.http.routers.dashboard.service=api@internal",
        "traefik.http.routers.dashboard.entrypoints=websecure",
        "traefik.http.routers.dashboard.tls.certresolver=letsencrypt",
        "traefik.http.routers.dashboard.middlewares=admin-only@file",
      ]

      check {
        name     = "traefik ping"
        type     = "http"
        path     = "/ping"
        port     = "api"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "traefik" {
      driver = "docker"

      volume_mount {
        volume      = "certs"
        destination = "/certs"
      }

      config {
        image        = "traefik:v3.5.3"
        network_mode = "host"
        args = [
          "--configFile=/local/traefik.yaml",
        ]
      }

      template {
        destination = "local/traefik.yaml"
        data        = <<-YAML
          entryPoints:
            web:
              address: ":80"
              http:
                redirections:
                  entryPoint:
                    to: websecure
                    scheme: https
            websecure:
              address: ":443"
              http:
                tls:
                  certResolver: letsencrypt
                  domains:
                    - main: "${var.domain}"
                      sans: ["*.${var.domain}"]
            # The API and dashboard listen on the node's private address only, never on the public one.
            traefik:
              address: "{{ env "NOMAD_IP_api" }}:8080"
          api:
            dashboard: true
            insecure: true
          ping:
            entryPoint: traefik
          providers:
            consulCatalog:
              exposedByDefault: false
              prefix: traefik
              endpoint:
                address: "127.0.0.1:8500"
            file:
              filename: /local/dynamic.yaml
          certificatesResolvers:
            letsencrypt:
              acme:
                email: "${var.acme_email}"
                storage: /certs/acme.json
                dnsChallenge:
                  provider: route53
        YAML
      }

      template {
        destination = "local/dynamic.yaml"
        data        = <<-YAML
          http:
            middlewares:
              admin-only:
                ipAllowList:
                  sourceRange: ["10.0.0.0/16"]
        YAML
      }

      # Runbook actions (Nomad 1.7+): `nomad action -job traefik -group traefik -task traefik ping`, or Run Action
      # in the editor. They run inside the task, next to the configuration it really read.
      action "ping" {
        command = "traefik"
        args    = ["healthcheck", "--configFile=/local/traefik.yaml"]
      }

      action "version" {
        command = "traefik"
        args    = ["version"]
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
