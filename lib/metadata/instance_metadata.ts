/**
 * One instance's metadata, gathered once (what the cache keeps) and
 * answered path by path: the EC2 tree (`/2009-04-04/meta-data/...`, the
 * default for any path not under `/openstack`) and the OpenStack files
 * (`/openstack/<version>/meta_data.json`, user_data, password,
 * vendor_data.json, vendor_data2.json, network_data.json), each version
 * offering the files it introduced.
 *
 * Mirrors nova/api/metadata/base.py (`InstanceMetadata`, `lookup`,
 * `RouteConfiguration`).
 *
 * @module
 */

import { a2bBase64 } from "../compute/keypairs/base64.ts";
import type { Instance } from "../compute/servers/instance.ts";
import { pyJson } from "../response.ts";
import type { Ec2Ids } from "./ec2_ids.ts";
import { getEc2Metadata, InvalidMetadataVersion } from "./ec2_metadata.ts";
import { metadataAsJson } from "./meta_data_json.ts";
import type { Vif } from "./network_info.ts";
import { getEc2IpInfo, getNetworkMetadata, type NetworkMetadata } from "./netutils.ts";
import { extractPassword } from "./password.ts";
import { findPathInTree, MetadataKeyError, normpath, type TreeValue } from "./tree.ts";
import { vendordata2 } from "./vendordata.ts";
import {
  checkOsVersion,
  CONTENT_DIR,
  GRIZZLY,
  HAVANA,
  LIBERTY,
  listedOpenstackVersions,
  MD_JSON_NAME,
  MIME_TYPE_APPLICATION_JSON,
  MIME_TYPE_TEXT_PLAIN,
  NEWTON_TWO,
  NW_JSON_NAME,
  OPENSTACK_VERSIONS,
  PASS_NAME,
  UD_NAME,
  VD2_JSON_NAME,
  VD_JSON_NAME,
  VERSIONS,
} from "./versions.ts";

/** A path the metadata has nothing at (nova's InvalidMetadataPath: a 404). */
export class InvalidMetadataPath extends Error {
  constructor(path: string) {
    super(path);
    this.name = "InvalidMetadataPath";
  }
}

/** The key pair meta_data.json shows (the instance's, as it was at create). */
export interface MetadataKeypair {
  readonly name: string;
  readonly type: string;
  readonly public_key: string;
}

/** Everything gathered about the instance (see source.ts). */
export interface InstanceMetadataInit {
  readonly instance: Instance;
  /** The address the request came from (or the proxy's X-Forwarded-For). */
  readonly address: string | null;
  readonly ec2Ids: Ec2Ids;
  readonly keypair: MetadataKeypair | null;
  readonly mappings: Record<string, string | null>;
  readonly securityGroups: readonly string[];
  readonly vifs: readonly Vif[];
  /** `[api] dhcp_domain`. */
  readonly dhcpDomain: string | null;
  /** `[api] vendordata_providers`. */
  readonly vendordataProviders: readonly string[];
  /** The StaticJSON vendor data (the file's JSON, read now). */
  readonly staticVendordata: unknown;
  /** Injected files for a config drive: `(path, bytes)`. */
  readonly content?: readonly [string, Uint8Array][];
  /** Extra meta_data.json keys for a config drive (`admin_pass`). */
  readonly extraMd?: Record<string, unknown>;
  /** Random bytes for random_seed (tests pass a fixed source). */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** What a lookup found: data to print, or the password handler. */
export type LookupResult =
  | { readonly kind: "data"; readonly data: TreeValue; readonly mimetype: string }
  | { readonly kind: "password" };

const ENCODER = new TextEncoder();

/** `InstanceMetadata`. */
export class InstanceMetadata {
  readonly instance: Instance;
  readonly uuid: string;
  readonly address: string | null;
  readonly ec2Ids: Ec2Ids;
  readonly keypair: MetadataKeypair | null;
  readonly mappings: Record<string, string | null>;
  readonly securityGroups: readonly string[];
  readonly availabilityZone: string | null;
  readonly userdataRaw: Uint8Array | null;
  readonly launchMetadata: Record<string, string>;
  readonly password: string | null;
  readonly networkMetadata: NetworkMetadata | null;
  readonly ipInfo: ReturnType<typeof getEc2IpInfo>;
  /** Injected files by content key (`0000`, `0001`, ...). */
  readonly content = new Map<string, Uint8Array>();
  readonly files: { path: string; content_path: string }[] = [];
  readonly extraMd: Record<string, unknown>;
  readonly randomBytes: (n: number) => Uint8Array;
  readonly #init: InstanceMetadataInit;

  constructor(init: InstanceMetadataInit) {
    const inst = init.instance;
    this.#init = init;
    this.instance = inst;
    this.uuid = inst.uuid;
    this.address = init.address;
    this.ec2Ids = init.ec2Ids;
    this.keypair = init.keypair;
    this.mappings = init.mappings;
    this.securityGroups = init.securityGroups;
    this.availabilityZone = inst.availability_zone;
    // `base64.decode_as_bytes`: Python's lenient decoding.
    this.userdataRaw = inst.user_data === null ? null : a2bBase64(inst.user_data);
    this.launchMetadata = inst.metadata;
    this.password = extractPassword(inst.system_metadata);
    this.networkMetadata = getNetworkMetadata(init.vifs);
    this.ipInfo = getEc2IpInfo(init.vifs);
    for (const [path, data] of init.content ?? []) {
      const key = String(this.content.size).padStart(4, "0");
      this.files.push({ path, content_path: `/${CONTENT_DIR}/${key}` });
      this.content.set(key, data);
    }
    this.extraMd = init.extraMd ?? {};
    this.randomBytes = init.randomBytes ??
      ((n) => crypto.getRandomValues(new Uint8Array(n)));
  }

  /** `_get_hostname`: the instance's hostname, with `[api] dhcp_domain` when set. */
  hostname(): string {
    const domain = this.#init.dhcpDomain;
    return domain ? `${this.instance.hostname}.${domain}` : String(this.instance.hostname);
  }

  /**
   * `lookup`: what `path` names. A path outside `/ec2` and `/openstack`
   * is an EC2 one.
   *
   * @throws {InvalidMetadataPath} when there is nothing there
   * @throws {MetadataKeyError} for a path that does not exist
   */
  lookup(path: string): LookupResult {
    path = path === "" || path[0] !== "/" ? normpath("/" + path) : normpath(path);
    let tokens = path.split("/").slice(1);
    if (tokens[0] !== "ec2" && tokens[0] !== "openstack") {
      tokens = tokens[0] === "" ? ["ec2"] : ["ec2", ...tokens];
      path = "/" + tokens.join("/");
    }
    if (tokens.length === 1) {
      const versions = tokens[0] === "openstack"
        ? listedOpenstackVersions()
        : [...VERSIONS, "latest"];
      return { kind: "data", data: versions, mimetype: MIME_TYPE_TEXT_PLAIN };
    }
    try {
      if (tokens[0] === "openstack") return this.#openstackItem(tokens.slice(1));
      const data = getEc2Metadata(this, tokens[1]);
      return {
        kind: "data",
        data: findPathInTree(data, tokens.slice(2)),
        mimetype: MIME_TYPE_TEXT_PLAIN,
      };
    } catch (err) {
      if (err instanceof MetadataKeyError) throw new InvalidMetadataPath(path);
      throw err;
    }
  }

  /** `get_openstack_item` and `RouteConfiguration.handle_path`. */
  #openstackItem(tokens: readonly string[]): LookupResult {
    if (tokens[0] === CONTENT_DIR) return this.#text(this.#content(tokens));
    const version = tokens[0] === "latest" ? OPENSTACK_VERSIONS.at(-1)! : tokens[0];
    if (!OPENSTACK_VERSIONS.includes(version)) throw new InvalidMetadataVersion(version);
    const name = tokens.length === 1 ? "version" : tokens.slice(1).join("/");
    switch (name) {
      case "version":
        return this.#text(this.versionListing(version));
      case UD_NAME:
        if (this.userdataRaw === null) throw new MetadataKeyError(name);
        return this.#text(this.userdataRaw);
      case PASS_NAME:
        if (!checkOsVersion(GRIZZLY, version)) throw new MetadataKeyError(name);
        return { kind: "password" };
      case VD_JSON_NAME:
        return this.#json(this.vendorData(version));
      case VD2_JSON_NAME:
        return this.#json(this.vendorData2(version));
      case MD_JSON_NAME:
        return this.#json(metadataAsJson(this, version));
      case NW_JSON_NAME:
        // NOTE(parity): nova answers network_data.json as text/plain.
        return this.#text(ENCODER.encode(pyJson(this.networkMetadata ?? {})));
      case CONTENT_DIR:
        // nova calls `_handle_content(version, path)` with one argument too
        // many (a TypeError, a 500): novalet answers it as not found.
        throw new MetadataKeyError(name);
      default:
        throw new MetadataKeyError(name);
    }
  }

  #text(data: TreeValue): LookupResult {
    return { kind: "data", data, mimetype: MIME_TYPE_TEXT_PLAIN };
  }

  #json(data: Uint8Array): LookupResult {
    return { kind: "data", data, mimetype: MIME_TYPE_APPLICATION_JSON };
  }

  /** `_handle_content`: an injected file by its content key. */
  #content(tokens: readonly string[]): Uint8Array {
    if (tokens.length !== 2) throw new MetadataKeyError(`no listing for ${tokens.join("/")}`);
    const data = this.content.get(tokens[1]);
    if (!data) throw new MetadataKeyError(tokens[1]);
    return data;
  }

  /** `_handle_version`: the files an OpenStack version offers. */
  versionListing(version: string): string[] {
    const names = [MD_JSON_NAME];
    if (this.userdataRaw !== null) names.push(UD_NAME);
    if (checkOsVersion(GRIZZLY, version)) names.push(PASS_NAME);
    if (checkOsVersion(HAVANA, version)) names.push(VD_JSON_NAME);
    if (checkOsVersion(LIBERTY, version)) names.push(NW_JSON_NAME);
    if (checkOsVersion(NEWTON_TWO, version)) names.push(VD2_JSON_NAME);
    return names;
  }

  /** `_vendor_data`: the StaticJSON data (Havana on, and only with that provider). */
  vendorData(version: string): Uint8Array {
    if (
      checkOsVersion(HAVANA, version) && this.#init.vendordataProviders.includes("StaticJSON")
    ) {
      return ENCODER.encode(pyJson(this.#init.staticVendordata));
    }
    throw new MetadataKeyError(VD_JSON_NAME);
  }

  /** `_vendor_data2` (Newton on). */
  vendorData2(version: string): Uint8Array {
    if (!checkOsVersion(NEWTON_TWO, version)) throw new MetadataKeyError(VD2_JSON_NAME);
    const doc = vendordata2(this.#init.vendordataProviders, this.#init.staticVendordata);
    return ENCODER.encode(pyJson(doc));
  }
}
