# Plugin requirements live in their own file: Packer < 1.7 (Debian's 1.6.6, used by the offline
# validation in lint:platform) does not know this block, so the check validates the folder without it.
packer {
  required_version = ">= 1.10.0"
  required_plugins {
    amazon = {
      version = ">= 1.3.3"
      source  = "github.com/hashicorp/amazon"
    }
  }
}
