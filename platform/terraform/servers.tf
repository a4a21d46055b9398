data "aws_ami" "hashistack" {
  most_recent = true
  owners      = ["self"]

  filter {
    name   = "name"
    values = [var.ami_name_filter]
  }
}

locals {
  # Cloud auto-join: every agent finds the others by this instance tag.
  cluster_tag_key   = "hashistack-cluster"
  cluster_tag_value = var.name
  retry_join        = "provider=aws region=${var.region} tag_key=${local.cluster_tag_key} tag_value=${local.cluster_tag_value}"
}

resource "aws_launch_template" "server" {
  name_prefix   = "${var.name}-server-"
  image_id      = data.aws_ami.hashistack.id
  instance_type = var.server_instance_type
  key_name      = var.ssh_key_name

  iam_instance_profile {
    arn = aws_iam_instance_profile.server.arn
  }

  vpc_security_group_ids = [aws_security_group.servers.id]

  metadata_options {
    http_tokens                 = "required" # IMDSv2 only
    http_put_response_hop_limit = 2          # containers on the bridge network reach IMDS too
  }

  user_data = base64encode(templatefile("${path.module}/templates/user-data.sh.tpl", {
    region        = var.region
    server_count  = var.server_count
    retry_join    = local.retry_join
    datacenter    = "dc1"
    domain        = var.domain
    node_pool     = "default"
    docker_config = "/etc/docker/config.json"
  }))

  tag_specifications {
    resource_type = "instance"
    tags = {
      Name                    = "${var.name}-server"
      (local.cluster_tag_key) = local.cluster_tag_value
    }
  }
}

resource "aws_autoscaling_group" "servers" {
  name                = "${var.name}-servers"
  min_size            = var.server_count
  max_size            = var.server_count
  desired_capacity    = var.server_count
  vpc_zone_identifier = aws_subnet.public[*].id
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.server.id
    version = aws_launch_template.server.latest_version
  }

  # Replace servers one at a time, so the Raft quorum survives an AMI change.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 66
    }
  }

  tag {
    key                 = local.cluster_tag_key
    value               = local.cluster_tag_value
    propagate_at_launch = true
  }
}
