/**
 * Every nova.conf option novalet reads, with nova's names and defaults
 * (nova/conf/*.py, oslo.middleware, oslo.log). `etc/nova.conf.sample` is
 * generated from this table (`deno task sample`).
 *
 * @module
 */

import { boolOpt, floatOpt, intOpt, listOpt, portOpt, strOpt } from "./types.ts";
import { multiStrOpt } from "./types.ts";
import {
  CONSOLEAUTH,
  MKS,
  RDP,
  SERIAL_CONSOLE,
  SERVER_ACTIONS_DEFAULT,
  SERVER_ACTIONS_NOVALET_COMPUTE,
  SPICE,
  VNC,
} from "./opts_server_actions.ts";

const DEFAULT = {
  debug: boolOpt(false, "Log at DEBUG level instead of INFO.", { mutable: true }),
  log_file: strOpt(
    null,
    "Log to this file (relative to log_dir if set) instead of standard error.",
  ),
  log_dir: strOpt(null, "Directory for log_file."),
  use_stderr: boolOpt(false, "Also log to standard error when a log file is set."),
  state_path: strOpt(
    "$pybasedir",
    "Top-level directory for the state novalet keeps (the database).",
    {
      sampleDefault: "$pybasedir",
    },
  ),
  pybasedir: strOpt(".", "Directory that relative paths in the defaults refer to."),
  host: strOpt("novalet", "Name of this host, as reported by the services and hypervisors APIs."),
  my_ip: strOpt("127.0.0.1", "IP address of this host."),
  enabled_apis: listOpt(
    ["osapi_compute", "metadata"],
    "APIs to serve: osapi_compute, metadata, image (novalet's image service).",
  ),
  osapi_compute_listen: strOpt("0.0.0.0", "Address the compute API listens on."),
  osapi_compute_listen_port: portOpt(8774, "Port the compute API listens on."),
  osapi_compute_workers: intOpt(
    null,
    "Accepted for compatibility; novalet serves from one process.",
    {
      min: 1,
    },
  ),
  metadata_listen: strOpt("0.0.0.0", "Address the metadata API listens on."),
  metadata_listen_port: portOpt(8775, "Port the metadata API listens on."),
  metadata_workers: intOpt(null, "Accepted for compatibility; novalet serves from one process.", {
    min: 1,
  }),
  // novalet's own: the image service (a Glance v2 subset), enabled_apis entry "image".
  image_listen: strOpt("0.0.0.0", "Address the image API (novalet's Glance v2 subset) listens on."),
  image_listen_port: portOpt(9292, "Port the image API listens on (glance's 9292)."),
  graceful_shutdown_timeout: intOpt(
    60,
    "Seconds to wait for in-flight requests on stop (0: forever).",
    {
      min: 0,
    },
  ),
  // nova/conf/availability_zone.py, compute.py, base.py
  default_availability_zone: strOpt(
    "nova",
    "Availability zone of compute hosts that are in no aggregate with a zone.",
  ),
  default_schedule_zone: strOpt(
    null,
    "Availability zone given to servers created without one (unset: any zone).",
  ),
  password_length: intOpt(12, "Length of generated server admin passwords.", { min: 0 }),
  max_local_block_devices: intOpt(
    3,
    "Most local block devices (ephemeral, swap, image) a server may have; negative: no limit.",
  ),
  reserved_host_cpus: intOpt(0, "vCPUs of the compute host kept back from servers.", { min: 0 }),
  reserved_host_memory_mb: intOpt(512, "Memory (MiB) of the compute host kept back from servers.", {
    min: 0,
  }),
  reserved_host_disk_mb: intOpt(0, "Disk (MiB) of the compute host kept back from servers.", {
    min: 0,
  }),
  cpu_allocation_ratio: floatOpt(null, "vCPU overcommit (unset: initial_cpu_allocation_ratio).", {
    min: 0,
  }),
  ram_allocation_ratio: floatOpt(null, "Memory overcommit (unset: initial_ram_allocation_ratio).", {
    min: 0,
  }),
  disk_allocation_ratio: floatOpt(null, "Disk overcommit (unset: initial_disk_allocation_ratio).", {
    min: 0,
  }),
  initial_cpu_allocation_ratio: floatOpt(16.0, "vCPU overcommit of a new compute node.", {
    min: 0,
  }),
  initial_ram_allocation_ratio: floatOpt(1.5, "Memory overcommit of a new compute node.", {
    min: 0,
  }),
  initial_disk_allocation_ratio: floatOpt(1.0, "Disk overcommit of a new compute node.", {
    min: 0,
  }),
  // nova/conf/configdrive.py
  force_config_drive: boolOpt(
    false,
    "Give every newly built server a config drive, whatever the request or image asks.",
  ),
  // nova/conf/service.py, availability_zone.py: service heartbeats and zones
  report_interval: intOpt(
    10,
    "Seconds between the heartbeats of the scheduler, conductor and compute services.",
    { min: 0 },
  ),
  service_down_time: intOpt(
    60,
    "A service whose last heartbeat is older than this many seconds is shown down " +
      "(and a down compute host gets no new servers).",
    { min: 1 },
  ),
  internal_service_availability_zone: strOpt(
    "internal",
    "Availability zone shown for the scheduler, conductor and API services.",
  ),
  instance_usage_audit_period: strOpt(
    "month",
    "Period of the instance usage audit the audit log API reports: hour, day, month or " +
      "year, optionally with an offset (month@15 starts on the 15th, day@18 at 18:00 UTC).",
  ),
  // The server actions (opts_server_actions.ts)
  ...SERVER_ACTIONS_DEFAULT,
};

const WSGI = {
  api_paste_config: strOpt(
    "api-paste.ini",
    "Paste Deploy file; a relative name is looked up beside the config files.",
    {},
  ),
  wsgi_log_format: strOpt(
    '%(client_ip)s "%(request_line)s" status: %(status_code)s len: %(body_length)s time: %(wall_seconds).7f',
    "Format of the access log line written for each request.",
  ),
  secure_proxy_ssl_header: strOpt(
    null,
    "Header that tells the original scheme behind a TLS proxy (e.g. HTTP_X_FORWARDED_PROTO).",
  ),
  ssl_ca_file: strOpt(null, "CA certificate file used to verify connecting clients."),
  ssl_cert_file: strOpt(null, "Server certificate file: set with ssl_key_file to serve TLS."),
  ssl_key_file: strOpt(null, "Server private key file."),
  tcp_keepidle: intOpt(600, "TCP keep-alive idle time in seconds.", { min: 0 }),
  default_pool_size: intOpt(1000, "Requests served concurrently per API; the rest wait in order.", {
    min: 0,
  }),
  max_header_line: intOpt(16384, "Longest request header line accepted.", { min: 1 }),
  keep_alive: boolOpt(true, "Keep client connections open between requests."),
  client_socket_timeout: intOpt(
    900,
    "Seconds a client may keep the server waiting on its connection (0: no limit). An idle " +
      "keep-alive connection is closed after this long; a request sent (or an answer read) " +
      "slower than 500 bytes a second, such as slow headers or a trickled body, is cut once " +
      "it has kept the server waiting this long plus a second per 500 bytes it moved.",
    { min: 0 },
  ),
  // novalet's own: nova's requests wait in eventlet's pool as long as it takes.
  max_queue_wait: floatOpt(
    0,
    "Seconds a request may wait for a free slot of default_pool_size; past that it is " +
      "answered 503 Service Unavailable with a Retry-After header (webob's error page, the " +
      "shape keystonemiddleware's 503 has) without reaching the API. 0: wait as long as it " +
      "takes, as nova does. novalet's own option.",
    { min: 0 },
  ),
};

const API = {
  auth_strategy: strOpt("keystone", "keystone or noauth2 (development only).", {
    choices: ["keystone", "noauth2"],
  }),
  use_forwarded_for: boolOpt(false, "Take the client address from X-Forwarded-For."),
  max_limit: intOpt(1000, "Most items a list call returns at once.", { min: 0 }),
  compute_link_prefix: strOpt(null, "Replaces scheme, host and port of compute links."),
  glance_link_prefix: strOpt(null, "Replaces scheme, host and port of image links."),
  enable_instance_password: boolOpt(
    true,
    "Return the admin password (adminPass) in the answers to server create and rebuild.",
  ),
  // nova/conf/api.py metadata_opts and file_opts: the metadata API.
  metadata_cache_expiration: intOpt(
    15,
    "Seconds the metadata API keeps an instance's metadata (0: no caching); a change to the " +
      "instance drops it sooner.",
    { min: 0 },
  ),
  dhcp_domain: strOpt(
    "novalocal",
    "Domain appended to instance hostnames in the metadata (empty: the bare hostname).",
  ),
  vendordata_providers: listOpt(
    ["StaticJSON"],
    "Vendor data providers: StaticJSON (the file vendordata_jsonfile_path) and/or DynamicJSON " +
      "(external services; novalet has none, so it adds nothing).",
  ),
  vendordata_jsonfile_path: strOpt(
    null,
    "JSON file served as vendor_data.json (and `static` in vendor_data2.json); unset: {}.",
  ),
  config_drive_skip_versions: strOpt(
    "1.0 2007-01-19 2007-03-01 2007-08-29 2007-10-10 2007-12-15 2008-02-01 2008-09-01",
    "EC2 metadata versions left out of config drives (space-separated).",
  ),
};

// nova/conf/neutron.py metadata_proxy_opts: requests proxied by Neutron's metadata agent.
const NEUTRON = {
  service_metadata_proxy: boolOpt(
    false,
    "Requests come through Neutron's metadata proxy: the instance is named by X-Instance-ID, " +
      "signed with metadata_proxy_shared_secret (else by the client address).",
  ),
  metadata_proxy_shared_secret: strOpt(
    "",
    "Secret the metadata proxy signs X-Instance-ID with (HMAC-SHA256).",
    { secret: true },
  ),
};

const OSLO_MIDDLEWARE = {
  max_request_body_size: intOpt(114688, "Largest request body accepted, in bytes."),
  enable_proxy_headers_parsing: boolOpt(
    false,
    "Honour X-Forwarded-* and Forwarded headers from a proxy.",
  ),
};

const CORS = {
  allowed_origin: listOpt(null, "Origins allowed to make cross-origin requests."),
  allow_credentials: boolOpt(true, "Tell browsers credentials may be sent."),
  expose_headers: listOpt([
    "X-Auth-Token",
    "X-Openstack-Request-Id",
    "X-Subject-Token",
    "X-Service-Token",
    "X-OpenStack-Nova-API-Version",
    "OpenStack-API-Version",
  ], "Response headers exposed to browsers."),
  max_age: intOpt(3600, "Seconds browsers may cache a preflight answer."),
  allow_methods: listOpt(
    ["GET", "PUT", "POST", "DELETE", "PATCH"],
    "Methods allowed in actual requests.",
  ),
  allow_headers: listOpt([
    "X-Auth-Token",
    "X-Openstack-Request-Id",
    "X-Identity-Status",
    "X-Roles",
    "X-Service-Catalog",
    "X-User-Id",
    "X-Tenant-Id",
    "X-OpenStack-Nova-API-Version",
    "OpenStack-API-Version",
  ], "Request headers allowed in actual requests."),
};

const HEALTHCHECK = {
  path: strOpt("/healthcheck", "Path the healthcheck answers on."),
  detailed: boolOpt(false, "Show details (backends, runtime) in the healthcheck answer."),
  backends: listOpt([], "Healthcheck backends to run: disable_by_file."),
  disable_by_file_path: strOpt(null, "While this file exists, the healthcheck answers 503."),
  disable_by_file_paths: listOpt([], "port:path pairs for per-port disable files."),
};

const PROFILER = {
  enabled: boolOpt(false, "Trace requests that carry a valid X-Trace-Info/X-Trace-HMAC."),
  hmac_keys: strOpt("SECRET_KEY", "Comma-separated keys that sign trace requests.", {
    secret: true,
  }),
};

const DATABASE = {
  connection: strOpt(null, "Database URL; sqlite:///PATH. Default: $state_path/nova.sqlite."),
};

const KEYSTONE_AUTHTOKEN = {
  // keystonemiddleware/auth_token/_opts.py
  www_authenticate_uri: strOpt(
    null,
    'Public Identity API endpoint named in the WWW-Authenticate header of a 401 ("Keystone uri=...").',
  ),
  auth_uri: strOpt(null, "Deprecated name of www_authenticate_uri (used when that is unset)."),
  auth_version: strOpt(null, "API version of the Identity API endpoint (only v3 is spoken)."),
  interface: strOpt(
    "internal",
    "Catalog interface of the identity endpoint used to validate tokens: public, internal, admin.",
  ),
  delay_auth_decision: boolOpt(
    false,
    "Pass unauthenticated requests on (X-Identity-Status: Invalid) instead of answering 401.",
  ),
  http_connect_timeout: intOpt(
    null,
    "Timeout in seconds of each request to Keystone (unset: novalet bounds it at 60 s).",
  ),
  http_request_max_retries: intOpt(
    3,
    "Retries of a token validation when Keystone cannot be reached (0.5 s, 1 s, 2 s... apart).",
  ),
  region_name: strOpt(null, "Region of the identity endpoint in the service catalog."),
  memcached_servers: listOpt(
    null,
    "Accepted for compatibility and unused: novalet caches tokens in-process.",
    { deprecatedNames: ["memcache_servers"] },
  ),
  token_cache_time: intOpt(
    300,
    "Seconds a validation result (valid or invalid) is cached; -1 turns the cache off.",
  ),
  include_service_catalog: boolOpt(
    true,
    "Ask Keystone for the catalog and pass it on in X-Service-Catalog.",
  ),
  enforce_token_bind: strOpt(
    "permissive",
    "Token bind checks: disabled, permissive, strict, required, or a bind type that must be present.",
  ),
  service_token_roles: listOpt(
    ["service"],
    "Roles (any of) an X-Service-Token must carry to be a service token.",
  ),
  service_token_roles_required: boolOpt(
    false,
    "Reject a valid X-Service-Token that lacks service_token_roles.",
  ),
  service_type: strOpt(
    null,
    "This service's type in the catalog; needed to honour application credential access rules.",
  ),
  // keystoneauth1 password plugin (the service user that validates tokens)
  auth_type: strOpt("password", "Authentication plugin of the service user.", {
    choices: ["password", "v3password"],
  }),
  auth_url: strOpt(null, "Keystone URL the service user authenticates against."),
  username: strOpt(null, "Service user name."),
  user_id: strOpt(null, "Service user id."),
  password: strOpt(null, "Service user password.", { secret: true }),
  user_domain_name: strOpt(null, "Domain name of the service user."),
  user_domain_id: strOpt(null, "Domain id of the service user."),
  project_name: strOpt(null, "Project the service user's token is scoped to."),
  project_id: strOpt(null, "Project id the service user's token is scoped to."),
  project_domain_name: strOpt(null, "Domain name of that project."),
  project_domain_id: strOpt(null, "Domain id of that project."),
  domain_name: strOpt(null, "Domain name to scope to (instead of a project)."),
  domain_id: strOpt(null, "Domain id to scope to (instead of a project)."),
  system_scope: strOpt(null, "System scope (all) to scope to (instead of a project)."),
  default_domain_name: strOpt(null, "Domain name used when user and project domains are unset."),
  default_domain_id: strOpt(null, "Domain id used when user and project domains are unset."),
  // novalet
  token_cache_max_entries: intOpt(
    5000,
    "novalet: most tokens kept in the in-process cache; the least recently used go first.",
    { min: 1 },
  ),
};

// oslo.policy's options as nova sets them (nova/policy.py: policy_file
// defaults to policy.yaml); nova 26 leaves enforce_scope and
// enforce_new_defaults off.
const OSLO_POLICY = {
  enforce_scope: boolOpt(
    false,
    "Reject a token whose scope is not among a rule's scope_types (False: only log it).",
  ),
  enforce_new_defaults: boolOpt(
    false,
    "Evaluate only the new default rules, not their deprecated check strings OR'd in.",
  ),
  policy_file: strOpt(
    "policy.yaml",
    "Policy overrides file (YAML or JSON); a relative name is looked up beside the config files.",
  ),
  policy_default_rule: strOpt("default", "Rule used when a rule: check names an unknown rule."),
  policy_dirs: multiStrOpt(
    ["policy.d"],
    "Directories of further policy files, loaded in name order after policy_file.",
  ),
};

const GLANCE = {
  api_servers: listOpt(
    null,
    "Image service endpoints (scheme://host:port[/path]); the images API's alternate links point at one of them.",
  ),
};

// nova/conf/quota.py: the quota limits every project gets unless the
// default quota class or a project/user quota says otherwise.
const QUOTA = {
  instances: intOpt(10, "Servers allowed per project (-1: unlimited).", { min: -1 }),
  cores: intOpt(20, "Instance cores (vCPUs) allowed per project (-1: unlimited).", { min: -1 }),
  ram: intOpt(50 * 1024, "Megabytes of instance RAM allowed per project (-1: unlimited).", {
    min: -1,
  }),
  metadata_items: intOpt(128, "Metadata items allowed per server (-1: unlimited).", { min: -1 }),
  injected_files: intOpt(5, "Injected (personality) files allowed per server (-1: unlimited).", {
    min: -1,
  }),
  injected_file_content_bytes: intOpt(
    10 * 1024,
    "Bytes allowed per injected file (-1: unlimited).",
    { min: -1 },
  ),
  injected_file_path_length: intOpt(
    255,
    "Characters allowed in an injected file path (-1: unlimited).",
    { min: -1 },
  ),
  key_pairs: intOpt(100, "Key pairs allowed per user (-1: unlimited).", { min: -1 }),
  server_groups: intOpt(10, "Server groups allowed per project (-1: unlimited).", { min: -1 }),
  server_group_members: intOpt(10, "Servers allowed per server group (-1: unlimited).", {
    min: -1,
  }),
  driver: strOpt(
    "nova.quota.DbQuotaDriver",
    "Quota driver: nova.quota.DbQuotaDriver (limits in the database, usage counted on demand) " +
      "or nova.quota.NoopQuotaDriver (every resource unlimited).",
    { choices: ["nova.quota.DbQuotaDriver", "nova.quota.NoopQuotaDriver"] },
  ),
  recheck_quota: boolOpt(
    true,
    "Check quota again after creating a resource, and undo the create when it went over.",
  ),
  count_usage_from_placement: boolOpt(
    false,
    "Count cores and ram from the resource allocations (placement) instead of the servers " +
      "themselves.",
  ),
};

// nova/conf/scheduler.py: the filter scheduler
const FILTER_SCHEDULER = {
  enabled_filters: listOpt(
    [
      "ComputeFilter",
      "ComputeCapabilitiesFilter",
      "ImagePropertiesFilter",
      "ServerGroupAntiAffinityFilter",
      "ServerGroupAffinityFilter",
    ],
    "Filters a host must pass to get a server: ComputeFilter (service enabled and up), " +
      "AvailabilityZoneFilter, ServerGroupAntiAffinityFilter, ServerGroupAffinityFilter; " +
      "ComputeCapabilitiesFilter and ImagePropertiesFilter pass every host. Resources " +
      "(vCPU, RAM, disk with the allocation ratios) and the requested zone are always checked.",
  ),
  ram_weight_multiplier: floatOpt(
    1.0,
    "Weight of free RAM when choosing among hosts (positive: spread, negative: stack).",
  ),
};

// Options of novalet's own, not nova's.
const NOVALET = {
  seed_flavors: boolOpt(
    false,
    "Create devstack's flavors (cirros256, ds512M..ds4G, m1.tiny..m1.xlarge) when the database has never held a flavor.",
  ),
};

// The built-in flat network that stands in for Neutron (novalet's own).
const NOVALET_NETWORK = {
  network_name: strOpt(
    "private",
    "Name (label) of the built-in flat network, as servers show it in `addresses`.",
  ),
  network_id: strOpt(
    "c4f6ca9e-7b0a-4d4e-9a53-2f0c1c8e6a10",
    'UUID of the built-in flat network, as `networks: [{"uuid": ...}]` names it.',
  ),
  cidr: strOpt(
    "10.0.0.0/16",
    "IPv4 subnet of the built-in network: the first address is the gateway, " +
      "servers get the others (one fixed IP each, never two servers the same one).",
  ),
};

// The one compute host and its fake hypervisor (novalet's own).
const NOVALET_COMPUTE = {
  hosts: listOpt(
    null,
    "The compute hosts of this cloud, each name[:vcpus[:memory_mb[:local_gb]]] " +
      "(e.g. compute1:64:131072:2000, compute2); a size left out is vcpus, memory_mb and " +
      "local_gb below. Each host is a nova-compute service with one hypervisor node served " +
      "by the fake driver. Unset: one host named [DEFAULT] host. Empty: no compute host " +
      "(novalet runs as nova-api alone; new servers find no valid host).",
  ),
  vcpus: intOpt(1000, "vCPUs of a compute host (nova's fake driver: 1000).", { min: 0 }),
  memory_mb: intOpt(800000, "Memory of a compute host in MiB (nova's fake driver: 800000).", {
    min: 0,
  }),
  local_gb: intOpt(600000, "Disk of a compute host in GiB (nova's fake driver: 600000).", {
    min: 0,
  }),
  spawn_delay_ms: intOpt(
    50,
    "How long the fake hypervisor takes to build a server (BUILD before ACTIVE), in ms. " +
      "A flavor with the extra spec novalet:fail_spawn=true makes every build fail (ERROR, with a fault).",
    { min: 0 },
  ),
  action_delay_ms: intOpt(
    20,
    "How long the fake hypervisor takes to stop, start, reboot or delete a server, in ms.",
    { min: 0 },
  ),
  ...SERVER_ACTIONS_NOVALET_COMPUTE,
};

// novalet's image service (lib/image/): glance-api.conf's options of the same meaning.
const IMAGE = {
  max_image_size: intOpt(
    1099511627776,
    "Largest image upload in bytes (glance's image_size_cap); past it the upload answers 413.",
    { min: 1 },
  ),
  limit_param_default: intOpt(25, "Images per page when a list request has no limit.", { min: 1 }),
  api_limit_max: intOpt(1000, "Most images a list request returns, whatever its limit.", {
    min: 1,
  }),
  public_endpoint: strOpt(
    null,
    "URL of the image API in its versions document (default: the request's host).",
  ),
};

/** All option groups, keyed by section name as written in nova.conf. */
export const OPTION_GROUPS = {
  DEFAULT,
  wsgi: WSGI,
  api: API,
  oslo_middleware: OSLO_MIDDLEWARE,
  cors: CORS,
  healthcheck: HEALTHCHECK,
  profiler: PROFILER,
  database: DATABASE,
  keystone_authtoken: KEYSTONE_AUTHTOKEN,
  oslo_policy: OSLO_POLICY,
  glance: GLANCE,
  image: IMAGE,
  quota: QUOTA,
  neutron: NEUTRON,
  filter_scheduler: FILTER_SCHEDULER,
  novalet: NOVALET,
  novalet_network: NOVALET_NETWORK,
  novalet_compute: NOVALET_COMPUTE,
  vnc: VNC,
  spice: SPICE,
  rdp: RDP,
  serial_console: SERIAL_CONSOLE,
  mks: MKS,
  consoleauth: CONSOLEAUTH,
};

export type OptionGroups = typeof OPTION_GROUPS;
