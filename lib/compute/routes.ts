/**
 * nova 26's ROUTE_LIST (nova/api/openstack/compute/routes.py) as data: each
 * path with the controller and action per method, in nova's order (the
 * router tries routes in this order). A string instead of a method table
 * is a redirect. Generated from ../shared/reference/nova26/routes.json.
 *
 * @module
 */

/** `[controller name, action]` */
export type RouteTarget = readonly [string, string];

/** `[path, methods]` or `[path, redirect target]`. */
export type RouteEntry = readonly [string, Readonly<Record<string, RouteTarget>> | string];

export const ROUTE_LIST: readonly RouteEntry[] = [
  ["", "/"],
  ["/", { GET: ["VersionsController", "show"] }],
  ["/versions/{id}", { GET: ["VersionsController", "show"] }],
  ["/extensions", { GET: ["ExtensionInfoController", "index"] }],
  ["/extensions/{id}", { GET: ["ExtensionInfoController", "show"] }],
  ["/flavors", { GET: ["FlavorsController", "index"], POST: ["FlavorsController", "create"] }],
  ["/flavors/detail", { GET: ["FlavorsController", "detail"] }],
  ["/flavors/{id}", {
    GET: ["FlavorsController", "show"],
    PUT: ["FlavorsController", "update"],
    DELETE: ["FlavorsController", "delete"],
  }],
  ["/flavors/{id}/action", { POST: ["FlavorsController", "action"] }],
  ["/flavors/{flavor_id}/os-extra_specs", {
    GET: ["FlavorExtraSpecsController", "index"],
    POST: ["FlavorExtraSpecsController", "create"],
  }],
  ["/flavors/{flavor_id}/os-extra_specs/{id}", {
    GET: ["FlavorExtraSpecsController", "show"],
    PUT: ["FlavorExtraSpecsController", "update"],
    DELETE: ["FlavorExtraSpecsController", "delete"],
  }],
  ["/flavors/{flavor_id}/os-flavor-access", { GET: ["FlavorAccessController", "index"] }],
  ["/images", { GET: ["ImagesController", "index"] }],
  ["/images/detail", { GET: ["ImagesController", "detail"] }],
  ["/images/{id}", { GET: ["ImagesController", "show"], DELETE: ["ImagesController", "delete"] }],
  ["/images/{image_id}/metadata", {
    GET: ["ImageMetadataController", "index"],
    POST: ["ImageMetadataController", "create"],
    PUT: ["ImageMetadataController", "update_all"],
  }],
  ["/images/{image_id}/metadata/{id}", {
    GET: ["ImageMetadataController", "show"],
    PUT: ["ImageMetadataController", "update"],
    DELETE: ["ImageMetadataController", "delete"],
  }],
  ["/limits", { GET: ["LimitsController", "index"] }],
  ["/os-agents", { GET: ["AgentController", "index"], POST: ["AgentController", "create"] }],
  ["/os-agents/{id}", {
    PUT: ["AgentController", "update"],
    DELETE: ["AgentController", "delete"],
  }],
  ["/os-aggregates", {
    GET: ["AggregateController", "index"],
    POST: ["AggregateController", "create"],
  }],
  ["/os-aggregates/{id}", {
    GET: ["AggregateController", "show"],
    PUT: ["AggregateController", "update"],
    DELETE: ["AggregateController", "delete"],
  }],
  ["/os-aggregates/{id}/action", { POST: ["AggregateController", "action"] }],
  ["/os-aggregates/{id}/images", { POST: ["AggregateController", "images"] }],
  ["/os-assisted-volume-snapshots", { POST: ["AssistedVolumeSnapshotsController", "create"] }],
  ["/os-assisted-volume-snapshots/{id}", {
    DELETE: ["AssistedVolumeSnapshotsController", "delete"],
  }],
  ["/os-availability-zone", { GET: ["AvailabilityZoneController", "index"] }],
  ["/os-availability-zone/detail", { GET: ["AvailabilityZoneController", "detail"] }],
  ["/os-baremetal-nodes", {
    GET: ["BareMetalNodeController", "index"],
    POST: ["BareMetalNodeController", "create"],
  }],
  ["/os-baremetal-nodes/{id}", {
    GET: ["BareMetalNodeController", "show"],
    DELETE: ["BareMetalNodeController", "delete"],
  }],
  ["/os-baremetal-nodes/{id}/action", { POST: ["BareMetalNodeController", "action"] }],
  ["/os-cells", { POST: ["CellsController", "create"], GET: ["CellsController", "index"] }],
  ["/os-cells/capacities", { GET: ["CellsController", "capacities"] }],
  ["/os-cells/detail", { GET: ["CellsController", "detail"] }],
  ["/os-cells/info", { GET: ["CellsController", "info"] }],
  ["/os-cells/sync_instances", { POST: ["CellsController", "sync_instances"] }],
  ["/os-cells/{id}", {
    GET: ["CellsController", "show"],
    PUT: ["CellsController", "update"],
    DELETE: ["CellsController", "delete"],
  }],
  ["/os-cells/{id}/capacities", { GET: ["CellsController", "capacities"] }],
  ["/os-certificates", { POST: ["CertificatesController", "create"] }],
  ["/os-certificates/{id}", { GET: ["CertificatesController", "show"] }],
  ["/os-cloudpipe", {
    GET: ["CloudpipeController", "index"],
    POST: ["CloudpipeController", "create"],
  }],
  ["/os-cloudpipe/{id}", { PUT: ["CloudpipeController", "update"] }],
  ["/os-console-auth-tokens/{id}", { GET: ["ConsoleAuthTokensController", "show"] }],
  ["/os-fixed-ips/{id}", { GET: ["FixedIPController", "show"] }],
  ["/os-fixed-ips/{id}/action", { POST: ["FixedIPController", "action"] }],
  ["/os-floating-ip-dns", { GET: ["FloatingIPDNSDomainController", "index"] }],
  ["/os-floating-ip-dns/{id}", {
    PUT: ["FloatingIPDNSDomainController", "update"],
    DELETE: ["FloatingIPDNSDomainController", "delete"],
  }],
  ["/os-floating-ip-dns/{domain_id}/entries/{id}", {
    GET: ["FloatingIPDNSEntryController", "show"],
    PUT: ["FloatingIPDNSEntryController", "update"],
    DELETE: ["FloatingIPDNSEntryController", "delete"],
  }],
  ["/os-floating-ip-pools", { GET: ["FloatingIPPoolsController", "index"] }],
  ["/os-floating-ips", {
    GET: ["FloatingIPController", "index"],
    POST: ["FloatingIPController", "create"],
  }],
  ["/os-floating-ips/{id}", {
    GET: ["FloatingIPController", "show"],
    DELETE: ["FloatingIPController", "delete"],
  }],
  ["/os-floating-ips-bulk", {
    GET: ["FloatingIPBulkController", "index"],
    POST: ["FloatingIPBulkController", "create"],
  }],
  ["/os-floating-ips-bulk/{id}", {
    GET: ["FloatingIPBulkController", "show"],
    PUT: ["FloatingIPBulkController", "update"],
  }],
  ["/os-fping", { GET: ["FpingController", "index"] }],
  ["/os-fping/{id}", { GET: ["FpingController", "show"] }],
  ["/os-hosts", { GET: ["HostController", "index"] }],
  ["/os-hosts/{id}", { GET: ["HostController", "show"], PUT: ["HostController", "update"] }],
  ["/os-hosts/{id}/reboot", { GET: ["HostController", "reboot"] }],
  ["/os-hosts/{id}/shutdown", { GET: ["HostController", "shutdown"] }],
  ["/os-hosts/{id}/startup", { GET: ["HostController", "startup"] }],
  ["/os-hypervisors", { GET: ["HypervisorsController", "index"] }],
  ["/os-hypervisors/detail", { GET: ["HypervisorsController", "detail"] }],
  ["/os-hypervisors/statistics", { GET: ["HypervisorsController", "statistics"] }],
  ["/os-hypervisors/{id}", { GET: ["HypervisorsController", "show"] }],
  ["/os-hypervisors/{id}/search", { GET: ["HypervisorsController", "search"] }],
  ["/os-hypervisors/{id}/servers", { GET: ["HypervisorsController", "servers"] }],
  ["/os-hypervisors/{id}/uptime", { GET: ["HypervisorsController", "uptime"] }],
  ["/os-instance_usage_audit_log", { GET: ["InstanceUsageAuditLogController", "index"] }],
  ["/os-instance_usage_audit_log/{id}", { GET: ["InstanceUsageAuditLogController", "show"] }],
  ["/os-keypairs", { GET: ["KeypairController", "index"], POST: ["KeypairController", "create"] }],
  ["/os-keypairs/{id}", {
    GET: ["KeypairController", "show"],
    DELETE: ["KeypairController", "delete"],
  }],
  ["/os-migrations", { GET: ["MigrationsController", "index"] }],
  ["/os-networks", { GET: ["NetworkController", "index"], POST: ["NetworkController", "create"] }],
  ["/os-networks/add", { POST: ["NetworkController", "add"] }],
  ["/os-networks/{id}", {
    GET: ["NetworkController", "show"],
    DELETE: ["NetworkController", "delete"],
  }],
  ["/os-networks/{id}/action", { POST: ["NetworkController", "action"] }],
  ["/os-quota-class-sets/{id}", {
    GET: ["QuotaClassSetsController", "show"],
    PUT: ["QuotaClassSetsController", "update"],
  }],
  ["/os-quota-sets/{id}", {
    GET: ["QuotaSetsController", "show"],
    PUT: ["QuotaSetsController", "update"],
    DELETE: ["QuotaSetsController", "delete"],
  }],
  ["/os-quota-sets/{id}/detail", { GET: ["QuotaSetsController", "detail"] }],
  ["/os-quota-sets/{id}/defaults", { GET: ["QuotaSetsController", "defaults"] }],
  ["/os-security-group-default-rules", {
    GET: ["SecurityGroupDefaultRulesController", "index"],
    POST: ["SecurityGroupDefaultRulesController", "create"],
  }],
  ["/os-security-group-default-rules/{id}", {
    GET: ["SecurityGroupDefaultRulesController", "show"],
    DELETE: ["SecurityGroupDefaultRulesController", "delete"],
  }],
  ["/os-security-group-rules", { POST: ["SecurityGroupRulesController", "create"] }],
  ["/os-security-group-rules/{id}", { DELETE: ["SecurityGroupRulesController", "delete"] }],
  ["/os-security-groups", {
    GET: ["SecurityGroupController", "index"],
    POST: ["SecurityGroupController", "create"],
  }],
  ["/os-security-groups/{id}", {
    GET: ["SecurityGroupController", "show"],
    PUT: ["SecurityGroupController", "update"],
    DELETE: ["SecurityGroupController", "delete"],
  }],
  ["/os-server-external-events", { POST: ["ServerExternalEventsController", "create"] }],
  ["/os-server-groups", {
    GET: ["ServerGroupController", "index"],
    POST: ["ServerGroupController", "create"],
  }],
  ["/os-server-groups/{id}", {
    GET: ["ServerGroupController", "show"],
    DELETE: ["ServerGroupController", "delete"],
  }],
  ["/os-services", { GET: ["ServiceController", "index"] }],
  ["/os-services/{id}", {
    PUT: ["ServiceController", "update"],
    DELETE: ["ServiceController", "delete"],
  }],
  ["/os-simple-tenant-usage", { GET: ["SimpleTenantUsageController", "index"] }],
  ["/os-simple-tenant-usage/{id}", { GET: ["SimpleTenantUsageController", "show"] }],
  ["/os-snapshots", {
    GET: ["SnapshotController", "index"],
    POST: ["SnapshotController", "create"],
  }],
  ["/os-snapshots/detail", { GET: ["SnapshotController", "detail"] }],
  ["/os-snapshots/{id}", {
    GET: ["SnapshotController", "show"],
    DELETE: ["SnapshotController", "delete"],
  }],
  ["/os-tenant-networks", {
    GET: ["TenantNetworkController", "index"],
    POST: ["TenantNetworkController", "create"],
  }],
  ["/os-tenant-networks/{id}", {
    GET: ["TenantNetworkController", "show"],
    DELETE: ["TenantNetworkController", "delete"],
  }],
  ["/os-volumes", { GET: ["VolumeController", "index"], POST: ["VolumeController", "create"] }],
  ["/os-volumes/detail", { GET: ["VolumeController", "detail"] }],
  ["/os-volumes/{id}", {
    GET: ["VolumeController", "show"],
    DELETE: ["VolumeController", "delete"],
  }],
  ["/os-volumes_boot", {
    GET: ["ServersController", "index"],
    POST: ["ServersController", "create"],
  }],
  ["/os-volumes_boot/detail", { GET: ["ServersController", "detail"] }],
  ["/os-volumes_boot/{id}", {
    GET: ["ServersController", "show"],
    PUT: ["ServersController", "update"],
    DELETE: ["ServersController", "delete"],
  }],
  ["/os-volumes_boot/{id}/action", { POST: ["ServersController", "action"] }],
  ["/servers", { GET: ["ServersController", "index"], POST: ["ServersController", "create"] }],
  ["/servers/detail", { GET: ["ServersController", "detail"] }],
  ["/servers/{id}", {
    GET: ["ServersController", "show"],
    PUT: ["ServersController", "update"],
    DELETE: ["ServersController", "delete"],
  }],
  ["/servers/{id}/action", { POST: ["ServersController", "action"] }],
  ["/servers/{server_id}/consoles", {
    GET: ["ConsolesController", "index"],
    POST: ["ConsolesController", "create"],
  }],
  ["/servers/{server_id}/consoles/{id}", {
    GET: ["ConsolesController", "show"],
    DELETE: ["ConsolesController", "delete"],
  }],
  ["/servers/{server_id}/diagnostics", { GET: ["ServerDiagnosticsController", "index"] }],
  ["/servers/{server_id}/ips", { GET: ["IPsController", "index"] }],
  ["/servers/{server_id}/ips/{id}", { GET: ["IPsController", "show"] }],
  ["/servers/{server_id}/metadata", {
    GET: ["ServerMetadataController", "index"],
    POST: ["ServerMetadataController", "create"],
    PUT: ["ServerMetadataController", "update_all"],
  }],
  ["/servers/{server_id}/metadata/{id}", {
    GET: ["ServerMetadataController", "show"],
    PUT: ["ServerMetadataController", "update"],
    DELETE: ["ServerMetadataController", "delete"],
  }],
  ["/servers/{server_id}/migrations", { GET: ["ServerMigrationsController", "index"] }],
  ["/servers/{server_id}/migrations/{id}", {
    GET: ["ServerMigrationsController", "show"],
    DELETE: ["ServerMigrationsController", "delete"],
  }],
  ["/servers/{server_id}/migrations/{id}/action", {
    POST: ["ServerMigrationsController", "action"],
  }],
  ["/servers/{server_id}/os-instance-actions", { GET: ["InstanceActionsController", "index"] }],
  ["/servers/{server_id}/os-instance-actions/{id}", { GET: ["InstanceActionsController", "show"] }],
  ["/servers/{server_id}/os-interface", {
    GET: ["InterfaceAttachmentController", "index"],
    POST: ["InterfaceAttachmentController", "create"],
  }],
  ["/servers/{server_id}/os-interface/{id}", {
    GET: ["InterfaceAttachmentController", "show"],
    DELETE: ["InterfaceAttachmentController", "delete"],
  }],
  ["/servers/{server_id}/os-server-password", {
    GET: ["ServerPasswordController", "index"],
    DELETE: ["ServerPasswordController", "clear"],
  }],
  ["/servers/{server_id}/os-virtual-interfaces", {
    GET: ["ServerVirtualInterfaceController", "index"],
  }],
  ["/servers/{server_id}/os-volume_attachments", {
    GET: ["VolumeAttachmentController", "index"],
    POST: ["VolumeAttachmentController", "create"],
  }],
  ["/servers/{server_id}/os-volume_attachments/{id}", {
    GET: ["VolumeAttachmentController", "show"],
    PUT: ["VolumeAttachmentController", "update"],
    DELETE: ["VolumeAttachmentController", "delete"],
  }],
  ["/servers/{server_id}/remote-consoles", { POST: ["RemoteConsolesController", "create"] }],
  ["/servers/{server_id}/os-security-groups", { GET: ["ServerSecurityGroupController", "index"] }],
  ["/servers/{server_id}/tags", {
    GET: ["ServerTagsController", "index"],
    PUT: ["ServerTagsController", "update_all"],
    DELETE: ["ServerTagsController", "delete_all"],
  }],
  ["/servers/{server_id}/tags/{id}", {
    GET: ["ServerTagsController", "show"],
    PUT: ["ServerTagsController", "update"],
    DELETE: ["ServerTagsController", "delete"],
  }],
  ["/servers/{server_id}/topology", { GET: ["ServerTopologyController", "index"] }],
];
