output "region" {
  description = "AWS region of the cluster (the extension's AWS profile and the scripts read it)."
  value       = var.region
}

output "cluster_tag_key" {
  description = "Instance tag key that marks the cluster's servers (cloud auto-join, tunnel.sh, the extension's node list)."
  value       = local.cluster_tag_key
}

output "cluster_tag_value" {
  description = "Instance tag value that marks the cluster's servers."
  value       = local.cluster_tag_value
}

output "autoscaling_group_name" {
  description = "Autoscaling group of the servers."
  value       = aws_autoscaling_group.servers.name
}

output "ecs_cluster_name" {
  description = "ECS cluster of the Fargate services (deploy-ecs.sh and the extension follow deployments in it)."
  value       = aws_ecs_cluster.main.name
}

output "vpc_id" {
  description = "VPC of the cluster."
  value       = aws_vpc.main.id
}
