/**
 * Server views per microversion: the create answer, the basic (index) and
 * detailed (show/detail) views with their extension attributes
 * (OS-EXT-SRV-ATTR for those the policy allows, OS-EXT-STS, OS-EXT-AZ,
 * OS-SRV-USG, OS-DCF, fault, host_status 2.16, locked 2.9, description
 * 2.19, tags 2.26, flavor 2.47, trusted_image_certificates 2.63,
 * server_groups 2.71, locked_reason 2.73, hostname 2.90), and the lists
 * with their `servers_links`. Policy answers that do not depend on the
 * instance are decided once per request.
 *
 * Mirrors nova/api/openstack/compute/views/servers.py and
 * views/addresses.py.
 *
 * @module
 */

import { collectionLinks, LinkBuilder } from "../links.ts";
import type { ApiRequest } from "../../request.ts";
import type { Enforcer } from "../../policy/enforcer.ts";
import type { Instance, Port } from "./instance.ts";
import { statusFromState, VM } from "./states.ts";
import { isotime } from "./timeutil.ts";
import { generateHostId } from "./util.ts";
import { addressesOf, faultOf, flavorOf, imageOf } from "./view_parts.ts";

type Json = Record<string, unknown>;

const PROGRESS_STATUSES = ["ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"];
const FAULT_STATUSES = ["ERROR", "DELETED"];
const ESA = "os_compute_api:os-extended-server-attributes";

/** `show()`'s switches (nova's keyword arguments); null means "ask the policy". */
export interface ShowOptions {
  extendAddress?: boolean;
  showExtraSpecs?: boolean | null;
  showAz?: boolean;
  showConfigDrive?: boolean;
  showExtendedAttr?: boolean | null;
  showHostStatus?: boolean | null;
  showKeypair?: boolean;
  showSrvUsg?: boolean;
  showSecGrp?: boolean;
  showExtendedStatus?: boolean;
  showExtendedVolumes?: boolean;
  showServerGroups?: boolean;
  showUserData?: boolean;
}

/** The server views of one request. */
export class ServerViews {
  readonly #req: ApiRequest;
  readonly #policy: Enforcer;
  readonly #selfBase: string;
  readonly #bookmarkBase: string;
  readonly #labelOf: (port: Port) => string;
  readonly #groupsOf: (instanceUuid: string) => string[];
  readonly #hosts: HostStatusSource;
  readonly links: LinkBuilder;

  constructor(
    req: ApiRequest,
    policy: Enforcer,
    links: LinkBuilder | string | null,
    labelOf: (port: Port) => string,
    groupsOf: (instanceUuid: string) => string[] = () => [],
    hosts: HostStatusSource = ALWAYS_UP,
  ) {
    this.#req = req;
    this.#hosts = hosts;
    this.#labelOf = labelOf;
    this.#groupsOf = groupsOf;
    this.#policy = policy;
    // A shared LinkBuilder keeps the link bases of recurring URLs; a prefix
    // (or null) makes one for this request alone.
    this.links = links instanceof LinkBuilder ? links : new LinkBuilder(links);
    const bases = this.links.basesOf(req);
    // The bases end with "/"; the server links add the slash themselves.
    this.#selfBase = bases.self.replace(/\/+$/, "");
    this.#bookmarkBase = bases.bookmark.replace(/\/+$/, "");
  }

  /** Whether the request's microversion is at least `v` (`api_version_request.is_supported`). */
  at(v: string): boolean {
    return this.#req.apiVersion?.atLeast(v) ?? false;
  }

  #can(rule: string, projectId?: string | null): boolean {
    const target = projectId === undefined ? null : { project_id: projectId };
    return this.#policy.check(this.#req.context!, rule, target);
  }

  /** Self and bookmark links of a server. */
  serverLinks(id: string): { rel: string; href: string }[] {
    return [
      { rel: "self", href: `${this.#selfBase}/servers/${id}` },
      { rel: "bookmark", href: `${this.#bookmarkBase}/servers/${id}` },
    ];
  }

  /** A bookmark link into another collection (flavors, images). */
  bookmark(collection: string, id: string): string {
    return `${this.#bookmarkBase}/${collection}/${id}`;
  }

  /** `create`: id, links, disk config, and the security groups as the request named them. */
  create(inst: Instance, securityGroups: unknown): Json {
    return {
      server: {
        id: inst.uuid,
        links: this.serverLinks(inst.uuid),
        "OS-DCF:diskConfig": inst.auto_disk_config ? "AUTO" : "MANUAL",
        security_groups: securityGroups ?? [{ name: "default" }],
      },
    };
  }

  /** `basic`: id, name, links. */
  basic(inst: Instance): Json {
    return { id: inst.uuid, name: inst.display_name, links: this.serverLinks(inst.uuid) };
  }

  /** `show` for one server (GET /servers/{id}, PUT, ...). */
  show(inst: Instance, o: ShowOptions = {}): Json {
    const extraSpecs = o.showExtraSpecs ??
      (this.at("2.47") &&
        this.#can("os_compute_api:servers:show:flavor-extra-specs", inst.project_id));
    const server = this.#detailed(inst, { ...o, showExtraSpecs: extraSpecs });
    if (o.showSecGrp ?? true) addSecurityGroups(server, inst);
    const scope = this.at("2.16") && (o.showHostStatus ?? null) === null
      ? this.#hostStatusScope(inst.project_id)
      : null;
    this.#tail(server, inst, o, scope);
    return server;
  }

  /** `_get_host_status_unknown_only`: false (any), true (UNKNOWN only), null (none). */
  #hostStatusScope(projectId?: string | null): boolean | null {
    if (this.#can("os_compute_api:servers:show:host_status", projectId)) return false;
    if (this.#can("os_compute_api:servers:show:host_status:unknown-only", projectId)) return true;
    return null;
  }

  /** The attributes before host_status, in nova's order. */
  #detailed(inst: Instance, o: ShowOptions): Json {
    const status = inst.deleted ? "DELETED" : statusFromState(inst.vm_state, inst.task_state);
    const s: Json = {
      id: inst.uuid,
      name: inst.display_name,
      status,
      tenant_id: inst.project_id ?? "",
      user_id: inst.user_id ?? "",
      metadata: inst.metadata,
      hostId: generateHostId(inst.host, inst.project_id),
      image: imageOf(this, inst),
      flavor: flavorOf(this, inst, o.showExtraSpecs ?? false),
      created: isotime(inst.created_at),
      updated: isotime(inst.updated_at),
      addresses: inst.vm_state === VM.BUILDING
        ? {}
        : addressesOf(inst, o.extendAddress ?? true, this.#labelOf),
      accessIPv4: inst.access_ip_v4 ?? "",
      accessIPv6: inst.access_ip_v6 ?? "",
      links: this.serverLinks(inst.uuid),
      "OS-DCF:diskConfig": inst.auto_disk_config ? "AUTO" : "MANUAL",
    };
    if (FAULT_STATUSES.includes(status) && inst.fault) {
      s.fault = faultOf(inst.fault, this.#req.context?.isAdmin ?? false);
    }
    if (PROGRESS_STATUSES.includes(status)) s.progress = inst.progress ?? 0;
    if (o.showAz ?? true) s["OS-EXT-AZ:availability_zone"] = inst.availability_zone ?? "";
    if (o.showConfigDrive ?? true) s.config_drive = inst.config_drive;
    if (o.showKeypair ?? true) s.key_name = inst.key_name;
    if (o.showSrvUsg ?? true) {
      s["OS-SRV-USG:launched_at"] = inst.launched_at;
      s["OS-SRV-USG:terminated_at"] = inst.terminated_at;
    }
    return s;
  }

  /** From the extended attributes on (nova's order). */
  #tail(s: Json, inst: Instance, o: ShowOptions, hostStatusScope: boolean | null = null): void {
    const extended = o.showExtendedAttr ?? this.#can(ESA, inst.project_id);
    if (extended) this.#extendedAttributes(s, inst, o.showUserData ?? true);
    if (o.showExtendedStatus ?? true) {
      s["OS-EXT-STS:task_state"] = inst.task_state;
      s["OS-EXT-STS:vm_state"] = inst.vm_state;
      s["OS-EXT-STS:power_state"] = inst.power_state;
    }
    if (o.showExtendedVolumes ?? true) {
      const withDot = this.at("2.3");
      s["os-extended-volumes:volumes_attached"] = inst.volumes.map((v) =>
        withDot ? { id: v.id, delete_on_termination: v.delete_on_termination } : { id: v.id }
      );
    }
    if (hostStatusScope !== null) addHostStatus(s, inst, hostStatusScope, this.#hosts);
    if (this.at("2.9")) s.locked = inst.locked_by ? true : false;
    if (this.at("2.73")) s.locked_reason = inst.system_metadata.locked_reason ?? null;
    if (this.at("2.19")) s.description = inst.display_description;
    if (this.at("2.26")) s.tags = inst.tags;
    if (this.at("2.63")) s.trusted_image_certificates = inst.trusted_certs;
    if (this.at("2.90") && !extended) s["OS-EXT-SRV-ATTR:hostname"] = inst.hostname;
    if (o.showServerGroups) s.server_groups = this.#groupsOf(inst.uuid);
  }

  #extendedAttributes(s: Json, inst: Instance, showUserData: boolean): void {
    s["OS-EXT-SRV-ATTR:host"] = inst.host;
    s["OS-EXT-SRV-ATTR:instance_name"] = instanceName(inst.id);
    s["OS-EXT-SRV-ATTR:hypervisor_hostname"] = inst.node;
    if (!this.at("2.3")) return;
    s["OS-EXT-SRV-ATTR:reservation_id"] = inst.reservation_id;
    s["OS-EXT-SRV-ATTR:launch_index"] = inst.launch_index;
    s["OS-EXT-SRV-ATTR:hostname"] = inst.hostname;
    s["OS-EXT-SRV-ATTR:kernel_id"] = inst.kernel_id;
    s["OS-EXT-SRV-ATTR:ramdisk_id"] = inst.ramdisk_id;
    s["OS-EXT-SRV-ATTR:root_device_name"] = inst.root_device_name;
    if (showUserData) s["OS-EXT-SRV-ATTR:user_data"] = inst.user_data;
  }

  /** The per-list policy answers of `detail` (decided once, not per server). */
  detailFlags(): DetailFlags {
    return {
      showExtraSpecs: this.at("2.47") &&
        this.#can("os_compute_api:servers:show:flavor-extra-specs"),
      showExtendedAttr: this.#can(ESA),
      hostStatus: this.at("2.16") ? this.#hostStatusScope() : null,
    };
  }

  /** One server of `detail`. */
  detailServer(inst: Instance, flags: DetailFlags): Json {
    const s = this.#detailed(inst, { showExtraSpecs: flags.showExtraSpecs });
    this.#tail(s, inst, { showExtendedAttr: flags.showExtendedAttr });
    if (flags.hostStatus !== null) addHostStatus(s, inst, flags.hostStatus, this.#hosts);
    addSecurityGroups(s, inst);
    return s;
  }

  /** Everything besides the instance that a detail view depends on. */
  variantKey(flags: DetailFlags): string {
    return [
      this.#req.apiVersion?.toString() ?? "",
      this.#selfBase,
      this.#bookmarkBase,
      flags.showExtraSpecs,
      flags.showExtendedAttr,
      flags.hostStatus,
      flags.hostStatus === null ? "" : this.#hosts.fingerprint(),
      this.#req.context?.isAdmin ?? false,
    ].join("|");
  }

  /** `_get_collection_links` of a list. */
  listLinks(
    params: Readonly<Record<string, readonly string[]>>,
    ids: readonly string[],
    maxLimit: number,
    collection: string,
  ): { rel: string; href: string }[] {
    return collectionLinks(this.links, this.#req, params, ids, collection, maxLimit);
  }
}

/** The policy answers `detail` decides once per request. */
export interface DetailFlags {
  readonly showExtraSpecs: boolean;
  readonly showExtendedAttr: boolean;
  /** `_get_host_status_unknown_only`: null hides host_status. */
  readonly hostStatus: boolean | null;
}

/** `instance.name`: nova's `instance_name_template` (`instance-%08x`) of the row id. */
export function instanceName(id: number): string {
  return `instance-${id.toString(16).padStart(8, "0")}`;
}

/** The security groups Neutron would report: each group of each port, by name. */
function addSecurityGroups(s: Json, inst: Instance): void {
  const groups = inst.ports.flatMap(() => inst.security_groups.map((name) => ({ name })));
  if (groups.length) s.security_groups = groups;
}

/**
 * `get_instance_host_status` of the instance's host ("" without a host);
 * with `unknownOnly`, shown only when UNKNOWN.
 */
function addHostStatus(
  s: Json,
  inst: Instance,
  unknownOnly: boolean,
  hosts: HostStatusSource,
): void {
  const status = inst.host ? hosts.of(inst.host) : "";
  if (!unknownOnly || status === "UNKNOWN") s.host_status = status;
}

/**
 * `get_instance_host_status` of the compute hosts: UP, DOWN (forced),
 * MAINTENANCE (disabled), UNKNOWN (no heartbeat), "" (no service); and a
 * fingerprint of them all (cached list views depend on it).
 */
export interface HostStatusSource {
  of(host: string): string;
  fingerprint(): string;
}

const ALWAYS_UP: HostStatusSource = { of: () => "UP", fingerprint: () => "" };
