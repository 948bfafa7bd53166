/**
 * A sweep over the error paths of the compute API: every route of nova's
 * ROUTE_LIST with its methods, ids that exist, that do not, and that are
 * malformed; bodies that are not JSON, not UTF-8, of the wrong type, too
 * deep, and every field of a valid body replaced by a hostile value;
 * every server action the same way; odd queries and headers. Seeded and
 * bounded; what it finds is checked by the caller.
 *
 * @module
 */

import { ROUTE_LIST } from "../../lib/compute/routes.ts";

/** One request of the sweep (the path below `/v2.1`, the query without `?`). */
export interface SweepRequest {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  version?: string;
  /** Sent as the project member owning the servers rather than as admin. */
  member?: boolean;
}

/** The ids a sweep uses for `{id}`-like path variables. */
export interface SweepIds {
  servers: string[];
  flavor: string;
  keypair: string;
  group: string;
  aggregate: string;
  image: string;
  project: string;
}

const UNKNOWN = "9f1d3c2e-0000-4000-8000-000000000000";
const BAD_SEGMENTS = ["%FF%FE", "a".repeat(300), "..", "%00", "%E9t%C3%A9", "-1", "1e999"];

/** Hostile JSON values, as text (some have no JSON.stringify form). */
export const HOSTILE_VALUES: readonly string[] = [
  "null",
  "true",
  "0",
  "-1",
  "1.5",
  "1e999",
  "-1e999",
  "18446744073709551616",
  '""',
  '" "',
  '"é"',
  '"\\u0000"',
  '"\\ud800"',
  '"a{4294967296}"',
  `"${"x".repeat(300)}"`,
  "[]",
  "{}",
  "[null]",
  '{"a": {"b": [1]}}',
  '"2020-13-45T99:99:99Z"',
  '"\\"; DROP TABLE instances; --"',
  '"(?au)x"',
];

const INVALID_UTF8: Uint8Array<ArrayBuffer> = Uint8Array.of(
  0x7b,
  0x22,
  0xff,
  0xfe,
  0x22,
  0x3a,
  0x31,
  0x7d,
);

/** Bodies that are wrong as a whole. */
function wholeBodies(): (string | Uint8Array<ArrayBuffer>)[] {
  return [
    "",
    "{bad json",
    "[]",
    "null",
    '"s"',
    "1",
    "{}",
    '{"a": 1, "a": 2}',
    INVALID_UTF8,
    "[".repeat(3000) + "]".repeat(3000),
    '{"x":'.repeat(2000) + "1" + "}".repeat(2000),
  ];
}

/**
 * Valid bodies per `METHOD path` (for the microversion of `VERSIONS`, else
 * any), sent as they are and with each leaf replaced by each hostile value.
 */
const TEMPLATES: Record<string, unknown> = {
  "POST /servers": {
    server: {
      name: "s",
      imageRef: "IMAGE",
      flavorRef: "1",
      networks: "auto",
      metadata: { k: "v" },
      key_name: "KEYPAIR",
      availability_zone: "nova",
      min_count: 1,
      max_count: 1,
      user_data: "aGk=",
      personality: [{ path: "/etc/x", contents: "aGk=" }],
      block_device_mapping_v2: [{ boot_index: 0, uuid: "IMAGE", source_type: "image" }],
      description: "d",
    },
    "os:scheduler_hints": { group: "GROUP" },
  },
  "PUT /servers/{id}": { server: { name: "n", description: "d", hostname: "h" } },
  "POST /flavors": { flavor: { name: "f", ram: 64, vcpus: 1, disk: 1, id: "fz", swap: 0 } },
  "PUT /flavors/{id}": { flavor: { description: "d" } },
  "POST /flavors/{flavor_id}/os-extra_specs": { extra_specs: { "hw:cpu_policy": "shared" } },
  "PUT /flavors/{flavor_id}/os-extra_specs/{id}": { "hw:cpu_policy": "shared" },
  "POST /os-keypairs": { keypair: { name: "kz", type: "ssh", public_key: "ssh-rsa AAAA x" } },
  "POST /os-server-groups": { server_group: { name: "g", policies: ["affinity"] } },
  "POST /os-aggregates": { aggregate: { name: "a", availability_zone: "z" } },
  "PUT /os-aggregates/{id}": { aggregate: { name: "a2" } },
  "POST /os-aggregates/{id}/action": { set_metadata: { metadata: { k: "v" } } },
  "PUT /os-quota-sets/{id}": { quota_set: { instances: 5, force: true } },
  "PUT /os-quota-class-sets/{id}": { quota_class_set: { instances: 5 } },
  "POST /servers/{server_id}/metadata": { metadata: { k: "v" } },
  "PUT /servers/{server_id}/metadata": { metadata: { k: "v" } },
  "PUT /servers/{server_id}/metadata/{id}": { meta: { id: "v" } },
  "PUT /servers/{server_id}/tags": { tags: ["a", "b"] },
  "POST /servers/{server_id}/os-interface": { interfaceAttachment: { net_id: "x" } },
  "POST /servers/{server_id}/os-volume_attachments": { volumeAttachment: { volumeId: "v" } },
  "POST /os-server-external-events": {
    events: [{ name: "network-changed", server_uuid: "SERVER", tag: "t" }],
  },
  "POST /images/{image_id}/metadata": { metadata: { k: "v" } },
  "PUT /os-services/{id}": { host: "h", binary: "nova-compute", status: "disabled" },
  "POST /servers/{server_id}/remote-consoles": {
    remote_console: { protocol: "vnc", type: "novnc" },
  },
  "POST /os-security-groups": { security_group: { name: "g", description: "d" } },
  "POST /os-volumes": { volume: { size: 1 } },
  "POST /os-snapshots": { snapshot: { volume_id: "v" } },
  "POST /os-assisted-volume-snapshots": {
    snapshot: { volume_id: "v", create_info: { snapshot_id: "s", type: "qcow2", new_file: "f" } },
  },
};

/** The microversion a template is valid at. */
const VERSIONS: Record<string, string> = {
  "POST /servers": "2.47",
  "PUT /servers/{id}": "2.90",
  "POST /flavors": "2.1",
  "POST /os-keypairs": "2.2",
  "POST /servers/{server_id}/remote-consoles": "2.8",
};

/** Server action bodies, by action; more than one where a value changes the path taken. */
const ACTIONS: Record<string, unknown> = {
  reboot: { type: "HARD" },
  "reboot ": { type: "SOFT" },
  resize: { flavorRef: "2", "OS-DCF:diskConfig": "AUTO" },
  confirmResize: null,
  revertResize: null,
  rebuild: { imageRef: "IMAGE", name: "r", adminPass: "p", metadata: { k: "v" }, key_name: null },
  createImage: { name: "i", metadata: { k: "v" } },
  createBackup: { name: "b", backup_type: "daily", rotation: 1 },
  "os-start": null,
  "os-stop": null,
  forceDelete: null,
  restore: null,
  lock: { locked_reason: "r" },
  unlock: null,
  pause: null,
  unpause: null,
  suspend: null,
  resume: null,
  shelve: null,
  shelveOffload: null,
  unshelve: { availability_zone: "nova" },
  rescue: { adminPass: "p", rescue_image_ref: "IMAGE" },
  unrescue: null,
  migrate: { host: "h" },
  "os-migrateLive": { host: "h", block_migration: "auto" },
  evacuate: { host: "h", adminPass: "p" },
  changePassword: { adminPass: "p" },
  "os-resetState": { state: "error" },
  injectNetworkInfo: null,
  resetNetwork: null,
  trigger_crash_dump: null,
  "os-getConsoleOutput": { length: 5 },
  "os-getVNCConsole": { type: "novnc" },
  "os-getVNCConsole ": { type: "xvpvnc" },
  "os-getSPICEConsole": { type: "spice-html5" },
  "os-getRDPConsole": { type: "rdp-html5" },
  "os-getSerialConsole": { type: "serial" },
  addSecurityGroup: { name: "default" },
  removeSecurityGroup: { name: "default" },
  addFloatingIp: { address: "10.0.0.1", fixed_address: "10.0.0.2" },
  removeFloatingIp: { address: "10.0.0.1" },
  addFixedIp: { networkId: "n" },
  removeFixedIp: { address: "10.0.0.2" },
};

const QUERY_NAMES = [
  "limit",
  "marker",
  "sort_key",
  "sort_dir",
  "name",
  "changes-since",
  "changes-before",
  "all_tenants",
  "user_id",
  "project_id",
  "status",
  "flavor",
  "image",
  "ip",
  "deleted",
  "host",
  "with_servers",
  "hypervisor_hostname_pattern",
  "start",
  "end",
  "detailed",
  "tags",
  "not-tags-any",
  "locked",
  "instance_uuid",
  "migration_type",
  "minRam",
  "is_public",
  "offset",
];

const QUERY_VALUES = [
  "",
  "%FF",
  "-1",
  "1e999",
  "18446744073709551616",
  "a%7B4294967296%7D",
  "%28%3Fau%29x",
  "%00",
  "x".repeat(300),
  "2020-13-45T99%3A99%3A99Z",
  "%E9",
  "true",
  UNKNOWN,
];

/** A small deterministic generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value a path variable takes for the route family of `path`. */
function knownId(path: string, variable: string, ids: SweepIds): string[] {
  const family = path.split("/")[1];
  if (variable === "server_id" || family === "servers") return ids.servers;
  if (variable === "flavor_id" || family === "flavors") return [ids.flavor];
  if (variable === "image_id" || family === "images") return [ids.image];
  const byFamily: Record<string, string> = {
    "os-keypairs": ids.keypair,
    "os-server-groups": ids.group,
    "os-aggregates": ids.aggregate,
    "os-quota-sets": ids.project,
    "os-quota-class-sets": "default",
  };
  return [byFamily[family] ?? "1"];
}

/** Every concrete path of a route pattern: known ids, an unknown one, malformed ones. */
function concretePaths(pattern: string, ids: SweepIds): string[] {
  const variables = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (!variables.length) return [pattern];
  const fill = (value: (v: string) => string) =>
    pattern.replace(/\{(\w+)\}/g, (_, v: string) => value(v));
  const out = new Set<string>();
  for (const known of knownId(pattern, variables[0], ids)) {
    out.add(fill((v) => (v === variables[0] ? known : knownId(pattern, v, ids)[0])));
  }
  out.add(fill(() => UNKNOWN));
  for (const bad of BAD_SEGMENTS) {
    out.add(fill((v) => (v === variables.at(-1) ? bad : knownId(pattern, v, ids)[0])));
  }
  return [...out];
}

/** `template` with the placeholders replaced by real ids, as JSON text. */
function render(template: unknown, ids: SweepIds): string {
  return JSON.stringify(template)
    .replaceAll('"IMAGE"', JSON.stringify(ids.image))
    .replaceAll('"KEYPAIR"', JSON.stringify(ids.keypair))
    .replaceAll('"GROUP"', JSON.stringify(ids.group))
    .replaceAll('"SERVER"', JSON.stringify(ids.servers[0]));
}

/** The template with each leaf (and each object) replaced by each hostile value, as JSON text. */
export function mutations(template: unknown, ids: SweepIds): string[] {
  const base = render(template, ids);
  const out: string[] = [base];
  const walk = (value: unknown, path: (string | number)[]) => {
    for (const hostile of HOSTILE_VALUES) out.push(replaceAt(base, path, hostile));
    if (value === null || typeof value !== "object") return;
    if (!Array.isArray(value)) {
      // Keys a schema does not name (nova's `'type': 'object'` slips among them).
      for (const extra of ["type", "x-unknown"]) out.push(replaceAt(base, [...path, extra], "1"));
    }
    for (const [k, v] of Object.entries(value)) {
      walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
    }
  };
  walk(JSON.parse(base), []);
  return out;
}

/** `json` with the value at `path` replaced by the JSON text `replacement`. */
function replaceAt(json: string, path: (string | number)[], replacement: string): string {
  if (!path.length) return replacement;
  const marker = `"__SWEEP_${Math.random().toString(36).slice(2)}__"`;
  const doc = JSON.parse(json);
  let node = doc;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path.at(-1)!] = JSON.parse(marker);
  return JSON.stringify(doc).replace(marker, replacement);
}

/** The route table as `[method, pattern]` pairs. */
function routes(): [string, string][] {
  const out: [string, string][] = [];
  for (const [pattern, methods] of ROUTE_LIST) {
    if (typeof methods === "string") continue;
    for (const method of Object.keys(methods)) out.push([method, pattern]);
  }
  return out;
}

/** The whole sweep, in a seeded order, cut to `limit` requests. */
export function sweep(ids: SweepIds, seed: number, limit: number): SweepRequest[] {
  const random = seeded(seed);
  const versions = [undefined, "2.1", "2.93", "2.5", "2.47"];
  const all: SweepRequest[] = [];
  const add = (r: SweepRequest) =>
    all.push({
      ...r,
      version: r.version ?? versions[all.length % versions.length],
      member: all.length % 3 === 0,
    });
  for (const [method, pattern] of routes()) {
    if (pattern === "/servers/{id}/action") continue;
    for (const [index, path] of concretePaths(pattern, ids).entries()) {
      add({ method, path });
      if (method === "GET" && index === 0) {
        for (const name of QUERY_NAMES) {
          add({
            method,
            path,
            query: `${name}=${QUERY_VALUES[Math.floor(random() * QUERY_VALUES.length)]}`,
          });
        }
      }
      if (method !== "POST" && method !== "PUT") continue;
      for (const body of wholeBodies()) add({ method, path, body });
      const key = `${method} ${pattern}`;
      if (TEMPLATES[key] === undefined || index > 0) continue;
      const version = VERSIONS[key];
      for (const body of mutations(TEMPLATES[key], ids)) add({ method, path, body, version });
    }
  }
  for (const [action, body] of Object.entries(ACTIONS)) {
    const template = { [action.trim()]: body };
    add({ method: "POST", path: `/servers/${UNKNOWN}/action`, body: render(template, ids) });
    for (const server of ids.servers) {
      for (const mutated of mutations(template, ids)) {
        add({ method: "POST", path: `/servers/${server}/action`, body: mutated });
      }
    }
  }
  for (const headers of hostileHeaders()) add({ method: "GET", path: "/servers/detail", headers });
  const shuffled = all.map((r) => [random(), r] as const).sort((a, b) => a[0] - b[0]).map(([, r]) =>
    r
  );
  return shuffled.slice(0, limit);
}

/** Headers a client might send that nova reads. */
function hostileHeaders(): Record<string, string>[] {
  return [
    { "OpenStack-API-Version": "compute 9.9" },
    { "OpenStack-API-Version": "compute latest, compute 2.1" },
    { "X-OpenStack-Nova-API-Version": "2.a" },
    { "OpenStack-API-Version": "compute " + "9".repeat(400) + ".1" },
    { "Accept": "application/xml;q=2, */*;q=x" },
    { "Content-Type": "application/json; charset=ebcdic" },
    { "X-Auth-Token": "é:à" },
    { "X-Auth-Token": "a:b:c" },
    { "X-Auth-Token": ":" },
    { "X-Openstack-Request-Id": "req-not-a-uuid\u00ff" },
    { "X-Forwarded-For": "not an address" },
    { "X-Forwarded-Proto": "gopher" },
    { "Forwarded": 'for="[::1]";proto=https;host=x' },
  ];
}

/**
 * What a response body must never show: JavaScript stack frames, source
 * paths, SQL, JS error names. (Fault details keep nova's Python traceback for
 * admins, as nova shows it.)
 */
export const LEAK =
  /\bat \S+ \(|\.ts:\d|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|sqlite|SQLITE|TypeError|RangeError|ReferenceError|SyntaxError|\bundefined\b|file:\/\/|node:internal|\bDeno\./;

/** One answer the sweep found wrong. */
export interface SweepFinding {
  status: number;
  method: string;
  path: string;
  leak: string | null;
  body: string;
}

/**
 * Sends the requests `workers` at a time to `base` (`.../v2.1` or the image
 * API's root); returns the answers that are 5xx (but `allowed`) or leak.
 */
export async function runSweep(
  base: string,
  requests: readonly SweepRequest[],
  tokens: { admin: string; member: string },
  allowed: (status: number, body: string) => boolean = () => false,
  workers = 8,
): Promise<SweepFinding[]> {
  const findings: SweepFinding[] = [];
  const queue = [...requests];
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const { status, body } = await send(base, r, r.member ? tokens.member : tokens.admin);
      const leak = LEAK.exec(body)?.[0] ?? null;
      if ((status >= 500 && !allowed(status, body)) || leak) {
        findings.push({ status, method: r.method, path: r.path, leak, body: body.slice(0, 300) });
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return findings;
}

async function send(
  base: string,
  r: SweepRequest,
  token: string,
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { "X-Auth-Token": token };
  if (r.body !== undefined) headers["Content-Type"] = "application/json";
  if (r.version) headers["OpenStack-API-Version"] = `compute ${r.version}`;
  const bodyless = r.method === "GET" || r.method === "HEAD";
  const res = await fetch(`${base}${r.path}${r.query ? `?${r.query}` : ""}`, {
    method: r.method,
    headers: { ...headers, ...r.headers },
    body: bodyless ? undefined : r.body,
  });
  return { status: res.status, body: await res.text() };
}
