# A vRack private network of the Public Cloud project in one region, with one DHCP subnet.
# As OVHcloud documents, instances and clusters attach to the network's OpenStack ID in the
# region, which is what network_id returns.

locals {
  # Catalog region -> Public Cloud compute region (a test keeps this equal to the catalog's
  # api_region); object storage uses the catalog region's upper-case name.
  regions = {
    gra          = "GRA11"
    sbg          = "SBG5"
    rbx          = "RBX-A"
    de           = "DE1"
    uk           = "UK1"
    waw          = "WAW1"
    eu-west-par  = "EU-WEST-PAR"
    eu-south-mil = "EU-SOUTH-MIL"
    bhs          = "BHS5"
    ca-east-tor  = "CA-EAST-TOR"
    sgp          = "SGP1"
    syd          = "SYD1"
  }
  region = local.regions[var.location]
  openstack_id = one([
    for attributes in ovh_cloud_project_network_private.this.regions_attributes :
    attributes.openstackid if attributes.region == local.region
  ])
}

resource "ovh_cloud_project_network_private" "this" {
  service_name = var.service_name
  name         = var.name
  regions      = [local.region]
  vlan_id      = var.vlan_id
}

resource "ovh_cloud_project_network_private_subnet" "this" {
  service_name = var.service_name
  network_id   = ovh_cloud_project_network_private.this.id
  region       = local.region
  network      = var.cidr
  start        = cidrhost(var.cidr, 10)
  end          = cidrhost(var.cidr, -2)
  dhcp         = true
  no_gateway   = false
}
