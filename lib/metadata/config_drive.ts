/**
 * The config drive's contents: the same metadata the metadata API serves,
 * as files (`ec2/<version>/meta-data.json` and `user-data` for the EC2
 * versions not skipped, `openstack/<version>/meta_data.json`, user_data,
 * vendor_data.json, network_data.json and vendor_data2.json for every
 * OpenStack version and `latest`, and the injected files under
 * `openstack/content/`), which the virt driver builds its disk from, when
 * the server asked for one, its image requires one, or
 * `[DEFAULT] force_config_drive` is set.
 *
 * Mirrors nova/api/metadata/base.py (`metadata_for_config_drive`),
 * nova/virt/configdrive.py (`required_by`, `ConfigDriveBuilder`) and the
 * libvirt driver's `_create_configdrive` (admin_pass in meta_data.json,
 * the injected files as content).
 *
 * @module
 */

import type { Conf } from "../config/conf.ts";
import { a2bBase64 } from "../compute/keypairs/base64.ts";
import type { Instance } from "../compute/servers/instance.ts";
import { pyJson } from "../response.ts";
import type { ConfigDriveFile } from "../virt/config_drive.ts";
import { getEc2Metadata } from "./ec2_metadata.ts";
import type { InstanceMetadata } from "./instance_metadata.ts";
import { gatherMetadata, type MetadataSource } from "./source.ts";
import { type TreeValue } from "./tree.ts";
import {
  checkVersion,
  CONTENT_DIR,
  HAVANA,
  LIBERTY,
  MD_JSON_NAME,
  NEWTON_TWO,
  NW_JSON_NAME,
  OPENSTACK_VERSIONS,
  UD_NAME,
  VD2_JSON_NAME,
  VD_JSON_NAME,
  VERSIONS,
} from "./versions.ts";

/** What the build injects besides the metadata (nova's `InjectionInfo`). */
export interface InjectionInfo {
  /** The admin password of the create request (meta_data.json's `admin_pass`). */
  readonly adminPass: string | null;
  /** Personality files: path and contents (base64, as the request had them). */
  readonly files: readonly [string, string][];
}

const TRUE_STRINGS = new Set(["1", "t", "true", "on", "y", "yes"]);
const ENCODER = new TextEncoder();

/** `configdrive.required_by`. */
export function configDriveRequired(conf: Conf, inst: Instance): boolean {
  const imageProp = inst.system_metadata.image_img_config_drive ?? "optional";
  const asked = inst.config_drive !== null &&
    TRUE_STRINGS.has(inst.config_drive.trim().toLowerCase());
  return asked || (conf.DEFAULT.force_config_drive && !inst.launched_at) ||
    imageProp === "mandatory";
}

/**
 * The config drive of instance `uuid` (its ports allocated), or null when
 * it needs none.
 *
 * @throws {Error} when the metadata cannot be gathered (a vendor data file
 *   that is missing or not JSON): the build fails, as nova's does
 */
export function buildConfigDrive(
  src: MetadataSource,
  uuid: string,
  injection: InjectionInfo | null = null,
): ConfigDriveFile[] | null {
  const inst = src.instances.get(uuid);
  if (!inst || !configDriveRequired(src.conf, inst)) return null;
  const extraMd = injection?.adminPass ? { admin_pass: injection.adminPass } : {};
  // `_decode_files`: the contents as bytes (the API checked they are base64).
  const content = (injection?.files ?? []).map(([path, b64]): [string, Uint8Array] => [
    path,
    a2bBase64(b64),
  ]);
  const md = gatherMetadata(src, inst, null, { content, extraMd });
  return metadataForConfigDrive(md, src.conf.api.config_drive_skip_versions);
}

/** `metadata_for_config_drive`: `(path, bytes)` of every file, in nova's order. */
export function metadataForConfigDrive(
  md: InstanceMetadata,
  skipVersions: string,
): ConfigDriveFile[] {
  const files: ConfigDriveFile[] = [];
  const add = (path: string, data: TreeValue) => files.push({ path, data: bytesOf(data) });
  const skipped = skipVersions.split(" ");
  for (const version of [...VERSIONS, "latest"]) {
    if (skipped.includes(version)) continue;
    const data = getEc2Metadata(md, version);
    if ("user-data" in data) add(`ec2/${version}/user-data`, data["user-data"]);
    // NOTE(parity): nova means to drop the public key's `_name` here, but
    // looks for it at the wrong level, so meta-data.json keeps it.
    add(`ec2/${version}/meta-data.json`, pyJson(data["meta-data"]));
  }
  const all = [...OPENSTACK_VERSIONS, "latest"];
  const lookup = (path: string) => {
    const found = md.lookup(path);
    return found.kind === "data" ? found.data : "";
  };
  for (const version of all) {
    const path = (name: string) => `openstack/${version}/${name}`;
    add(path(MD_JSON_NAME), lookup(path(MD_JSON_NAME)));
    if (md.userdataRaw !== null) add(path(UD_NAME), lookup(path(UD_NAME)));
    if (checkVersion(HAVANA, version, all)) add(path(VD_JSON_NAME), lookup(path(VD_JSON_NAME)));
    if (checkVersion(LIBERTY, version, all)) add(path(NW_JSON_NAME), lookup(path(NW_JSON_NAME)));
    if (checkVersion(NEWTON_TWO, version, all)) {
      add(path(VD2_JSON_NAME), lookup(path(VD2_JSON_NAME)));
    }
  }
  for (const [key, content] of md.content) add(`openstack/${CONTENT_DIR}/${key}`, content);
  return files;
}

/** `_add_file`: bytes as they are, text as UTF-8. */
function bytesOf(data: TreeValue): Uint8Array {
  if (data instanceof Uint8Array) return data;
  return ENCODER.encode(typeof data === "string" ? data : String(data));
}
