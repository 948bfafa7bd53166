/**
 * `compute_api.create`: checks a server create as nova does (networks,
 * hostname and count rules, availability zone, image, flavor, key pair,
 * block devices, quotas), writes the instances of the request in one
 * transaction (BUILD / scheduling, with their metadata, tags, block device
 * mappings and the `create` action), and casts the build to the conductor.
 *
 * Mirrors nova/compute/api.py `create`, `_create_instance`,
 * `_validate_and_build_base_options`, `_check_and_transform_bdm`,
 * `_checks_for_create_and_rebuild`, `_provision_instances`.
 *
 * @module
 */

import { availableZones } from "../hosts/api.ts";
import { KeypairNotFound } from "../keypairs/api.ts";
import { type Image, ImageNotFound } from "../images/api.ts";
import { type Flavor, FlavorNotFound } from "../flavors/api.ts";
import type { NetworkRequest } from "../network/flat.ts";
import {
  type Bdm,
  bootImageMeta,
  flavorDefinedBdms,
  fromLegacyMapping,
  validateBdms,
} from "./bdm.ts";
import type { RequestContext } from "./context.ts";
import { Invalid } from "./errors.ts";
import { checkFlavorImage } from "./image_checks.ts";
import type { Instance } from "./instance.ts";
import { provision } from "./provision.ts";
import { checkInjectedFiles, checkMetadataItems, checkNumInstances } from "./quota.ts";
import { requestedGroup } from "../server_groups/membership.ts";
import type { ServerGroup } from "../server_groups/store.ts";
import type { ComputeService } from "./service.ts";
import { generateUid } from "./util.ts";

/** What the servers controller asks `create` for (nova's create kwargs). */
export interface CreateRequest {
  readonly flavor: Flavor;
  /** `imageRef`; "" when booting from a volume. */
  readonly imageHref: string;
  readonly displayName: string;
  readonly displayDescription: string | null;
  readonly hostname: string | null;
  readonly keyName: string | null;
  readonly userData: string | null;
  readonly metadata: Record<string, string>;
  readonly accessIpV4: string | null;
  readonly accessIpV6: string | null;
  readonly autoDiskConfig: boolean | null;
  readonly configDrive: unknown;
  readonly availabilityZone: string | null;
  /** A host the server must go to (`az:host[:node]`, 2.74 `host`). */
  readonly forcedHost: string | null;
  /** A node the server must go to (`az::node`, 2.74 `hypervisor_hostname`). */
  readonly forcedNode: string | null;
  /**
   * Whether the host/node are 2.74's requested destination: the scheduler
   * still runs its filters on them, where `az:host:node` skips them.
   */
  readonly requestedDestination?: boolean;
  readonly minCount: number;
  readonly maxCount: number;
  readonly securityGroups: string[] | null;
  readonly requestedNetworks: NetworkRequest;
  /** New-format mappings (from `block_device_mapping_v2`) or legacy ones. */
  readonly blockDeviceMapping: Bdm[] | Record<string, unknown>[];
  readonly legacyBdm: boolean;
  readonly tags: string[];
  readonly trustedCerts: string[] | null;
  readonly injectedFiles: [string, string][];
  /** The admin password (given or generated), for a config drive's meta_data.json. */
  readonly adminPass?: string | null;
  /** `os:scheduler_hints` (the server group is `group`). */
  readonly schedulerHints?: Readonly<Record<string, unknown>> | null;
}

/** The created instances and their reservation id. */
export interface CreateResult {
  readonly instances: Instance[];
  readonly reservationId: string;
}

/** Everything `_provision_instances` needs, checked. */
export interface BaseOptions {
  readonly request: CreateRequest;
  readonly image: Image | null;
  readonly bdms: Bdm[];
  readonly keyData: string | null;
  readonly reservationId: string;
  readonly configDrive: string;
  readonly autoDiskConfig: boolean;
  readonly securityGroups: string[];
  readonly count: number;
  readonly isBfv: boolean;
  /** The server group the instances join (`scheduler_hints.group`). */
  readonly group?: ServerGroup | null;
}

const TRUE = ["1", "t", "true", "on", "y", "yes"];

/**
 * `create`.
 *
 * @throws {Invalid} / {NotFound} / {Forbidden} / {Conflict} with nova's
 *   messages; {ImageNotFound}, {KeypairNotFound}, {FlavorNotFound} for the
 *   controller to word
 */
export function createServers(
  svc: ComputeService,
  ctx: RequestContext,
  r: CreateRequest,
): CreateResult {
  checkCountRules(r);
  if (r.availabilityZone && r.forcedHost === null) {
    if (!availableZones(svc).includes(r.availabilityZone)) {
      throw new Invalid("The requested availability zone is not available");
    }
  }
  const base = baseOptions(svc, ctx, r);
  const uuids = provision(svc, ctx, base);
  for (const uuid of uuids) {
    svc.injections.set(uuid, { adminPass: r.adminPass ?? null, files: r.injectedFiles });
  }
  svc.conductor.scheduleAndBuild(ctx, uuids, base.isBfv, {
    host: r.forcedHost,
    node: r.forcedNode,
    requestedDestination: r.requestedDestination ?? false,
  });
  return {
    instances: uuids.map((u) => svc.instances.require(u)),
    reservationId: base.reservationId,
  };
}

function checkCountRules(r: CreateRequest): void {
  if (Array.isArray(r.requestedNetworks) && r.maxCount > 1) {
    if (r.requestedNetworks.some((n) => n.network_id && n.address)) {
      throw new Invalid(
        "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.",
      );
    }
    if (r.requestedNetworks.some((n) => n.port_id)) {
      throw new Invalid(
        "Failed to launch instances: Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.",
      );
    }
  }
  if (r.hostname && r.maxCount > 1) {
    throw new Invalid("Unable to allocate a single hostname to multiple instances");
  }
}

/** `_create_instance` up to `_provision_instances`. */
function baseOptions(svc: ComputeService, ctx: RequestContext, r: CreateRequest): BaseOptions {
  const reservationId = generateUid("r");
  const securityGroups = r.securityGroups?.length ? r.securityGroups : ["default"];
  const bdmsIn = r.blockDeviceMapping;
  let image: Image | null = null;
  if (r.imageHref) {
    image = svc.images.get(r.imageHref);
    if (!image) throw new ImageNotFound(r.imageHref);
  } else {
    if (r.trustedCerts) {
      throw new Invalid("Image certificate validation is not supported when booting from volume");
    }
    const asNew = r.legacyBdm
      ? fromLegacyMapping(bdmsIn as Record<string, unknown>[], "")
      : bdmsIn as Bdm[];
    image = bootImageMeta(asNew, (id) => svc.images.get(id));
  }
  checkAutoDiskConfig(image, r.autoDiskConfig);
  if (r.flavor.disabled) throw new FlavorNotFound(r.flavor.id);
  svc.network.validate(r.requestedNetworks);
  const configDrive = r.configDrive && TRUE.includes(String(r.configDrive).trim().toLowerCase())
    ? "True"
    : "";
  let keyData: string | null = null;
  if (r.keyName !== null) {
    const keypair = svc.keypairs.get(ctx.auth.userId ?? "", r.keyName);
    if (!keypair) throw new KeypairNotFound(ctx.auth.userId ?? "", r.keyName);
    keyData = keypair.public_key;
  }
  const bdms = transformBdms(r);
  checkMetadataItems(svc, ctx, r.metadata);
  checkInjectedFiles(svc, ctx, r.injectedFiles);
  const root = bdms.find((b) => b.boot_index === 0) ?? null;
  const isBfv = root?.destination_type === "volume";
  checkFlavorImage(svc, ctx, r.imageHref ? r.imageHref : null, image, r.flavor, isBfv);
  const group = requestedGroup(svc, ctx.auth, r.schedulerHints);
  const count = checkNumInstances(svc, ctx, r.flavor, r.minCount, r.maxCount);
  validateBdms(
    bdms,
    r.flavor,
    r.imageHref,
    svc.conf.DEFAULT.max_local_block_devices,
    (id) => svc.images.get(id),
  );
  return {
    request: r,
    image,
    bdms,
    keyData,
    reservationId,
    configDrive,
    autoDiskConfig: r.autoDiskConfig ?? isTrue(image?.properties.auto_disk_config),
    securityGroups,
    count,
    isBfv,
    group,
  };
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && TRUE.includes(value.trim().toLowerCase());
}

/** `_check_auto_disk_config`: an image may forbid AUTO. */
function checkAutoDiskConfig(image: Image | null, requested: boolean | null): void {
  if (requested === null || !image) return;
  const prop = image.properties.auto_disk_config;
  if (requested && prop !== undefined && prop.trim().toLowerCase() === "disabled") {
    throw new Invalid(`Requested image ${image.id} has automatic disk resize disabled.`);
  }
}

/** `_check_and_transform_bdm`: root name rule, legacy conversion, multi-create rule, flavor disks. */
function transformBdms(r: CreateRequest): Bdm[] {
  const rootName = "vda";
  if (r.imageHref && !r.legacyBdm) {
    for (const b of r.blockDeviceMapping as Bdm[]) {
      if (
        b.destination_type === "volume" &&
        (b.device_name ?? "").replace(/^\/dev\//, "") === rootName
      ) {
        throw new Invalid(
          `The volume cannot be assigned the same device name as the root device ${rootName}`,
        );
      }
    }
  }
  const bdms = r.legacyBdm
    ? fromLegacyMapping(r.blockDeviceMapping as Record<string, unknown>[], r.imageHref)
    : [...r.blockDeviceMapping as Bdm[]];
  if ((r.minCount > 1 || r.maxCount > 1) && bdms.some((b) => b.source_type === "volume")) {
    throw new Invalid("Cannot attach one or more volumes to multiple instances");
  }
  return [...bdms, ...flavorDefinedBdms(r.flavor, bdms)];
}
