/**
 * Vendor data: what a deployment adds to the metadata of every instance.
 * `StaticJSON` is the JSON file `[api] vendordata_jsonfile_path` (read
 * each time an instance's metadata is gathered, so a cached answer keeps
 * what the file held then); `DynamicJSON` collects the answers of the
 * `[api] vendordata_dynamic_targets` services, of which novalet knows
 * none, so it contributes an empty dict, as nova's does with no targets.
 *
 * Mirrors nova/api/metadata/vendordata_json.py (`JsonFileVendorData`) and
 * vendordata_dynamic.py (`DynamicVendorData.get` with no targets).
 *
 * @module
 */

import type { Conf } from "../config/conf.ts";
import { parseJsonBody } from "../http/json_body.ts";
import { getLogger } from "../log.ts";
import { pathExists, readBytes } from "../runtime.ts";

const LOG = getLogger("nova.api.metadata.vendordata_json");

/** The providers `[api] vendordata_providers` may name. */
export const VENDORDATA_PROVIDERS = ["StaticJSON", "DynamicJSON"] as const;

/** What `[api] vendordata_providers` asks for, in order. @throws {Error} for an unknown name */
export function vendordataProviders(conf: Conf): string[] {
  const providers = [...(conf.api.vendordata_providers ?? [])];
  for (const p of providers) {
    if (!(VENDORDATA_PROVIDERS as readonly string[]).includes(p)) {
      throw new Error(
        `Invalid value "${p}" for [api] vendordata_providers: must be one of ` +
          VENDORDATA_PROVIDERS.join(", "),
      );
    }
  }
  return providers;
}

const DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * `JsonFileVendorData().get()`: the file's JSON, `{}` without a path.
 *
 * @throws {Error} when the file is missing, unreadable or not JSON (after
 *   logging nova's warning), as nova's IOError / ValueError
 */
export function readVendordataFile(path: string | null): unknown {
  if (!path) return {};
  const prefix = `vendordata_jsonfile_path[${path}]:`;
  let bytes: Uint8Array;
  try {
    bytes = readBytes(path);
  } catch (err) {
    let missing = false;
    try {
      missing = !pathExists(path);
    } catch { /* unreadable: not "missing" */ }
    LOG.warning(`${prefix} ${missing ? "file does not exist" : "unexpected IOError when reading"}`);
    throw err;
  }
  try {
    return parseJsonBody(DECODER.decode(bytes));
  } catch (err) {
    LOG.warning(`${prefix} failed to load json`);
    throw err;
  }
}

/**
 * vendor_data2.json's document: `static` from the JSON file when
 * StaticJSON is a provider, merged with the dynamic targets' answers
 * (none).
 */
export function vendordata2(providers: readonly string[], staticData: unknown): unknown {
  const out: Record<string, unknown> = {};
  for (const provider of providers) {
    if (provider === "StaticJSON") out.static = staticData;
    // DynamicJSON: one entry per target; novalet has no targets.
  }
  return out;
}
