/**
 * Which instance is asking. Behind Neutron's metadata proxy
 * (`[neutron] service_metadata_proxy`) the proxy names it: X-Instance-ID
 * and X-Tenant-ID, signed by X-Instance-ID-Signature (HMAC-SHA256 of the
 * instance id under `[neutron] metadata_proxy_shared_secret`, compared in
 * constant time). Otherwise the request's source address (X-Forwarded-For
 * with `[api] use_forwarded_for`) is a fixed IP of the instance. Gathered
 * metadata is cached under the address or the instance id.
 *
 * Mirrors nova/api/metadata/handler.py (`_handle_remote_ip_request`,
 * `_handle_instance_id_request`, `_handle_instance_id_request_from_lb`,
 * `_validate_shared_secret`, `_get_meta_by_instance_id`,
 * `get_metadata_by_remote_address`, `get_metadata_by_instance_id`).
 *
 * @module
 */

import { HttpError } from "../errors.ts";
import { constantTimeEqual, hmacSha256Hex } from "../hash.ts";
import { getLogger } from "../log.ts";
import type { ApiRequest } from "../request.ts";
import type { MetadataCache } from "./cache.ts";
import type { InstanceMetadata } from "./instance_metadata.ts";
import {
  FixedIpNotFoundForAddress,
  instanceUuidByAddress,
  metadataByInstanceId,
  type MetadataSource,
} from "./source.ts";

const LOG = getLogger("nova.api.metadata.handler");
const UNKNOWN_ERROR = "An unknown error has occurred. Please try your request again.";

/** What identification works with. */
export interface Identification {
  readonly src: MetadataSource;
  readonly cache: MetadataCache;
}

/** The instance's metadata for `req`, or null (a 404). @throws {HttpError} 400, 403, 500 */
export function metadataFor(id: Identification, req: ApiRequest): InstanceMetadata | null {
  if (id.src.conf.neutron.service_metadata_proxy) {
    return req.header("x-metadata-provider")
      ? instanceIdRequestFromLb(id, req)
      : instanceIdRequest(id, req);
  }
  if (req.header("x-instance-id")) {
    LOG.warning(
      "X-Instance-ID present in request headers. The 'service_metadata_proxy' option must be " +
        "enabled to process this header.",
    );
  }
  return remoteIpRequest(id, req);
}

/** `_handle_remote_ip_request`. */
function remoteIpRequest(id: Identification, req: ApiRequest): InstanceMetadata | null {
  let address = req.remoteAddr;
  if (id.src.conf.api.use_forwarded_for) address = req.header("x-forwarded-for") ?? address;
  let md: InstanceMetadata | null;
  try {
    md = metadataByRemoteAddress(id, address);
  } catch (err) {
    LOG.exception(`Failed to get metadata for IP ${address}`, err);
    throw new HttpError(500, UNKNOWN_ERROR);
  }
  if (!md) LOG.error(`Failed to get metadata for IP ${address}: no metadata`);
  return md;
}

/** `get_metadata_by_remote_address`: null when no instance has the address. */
function metadataByRemoteAddress(id: Identification, address: string): InstanceMetadata | null {
  // nova fails on an empty address (an empty X-Forwarded-For) outside its
  // try, a 500: no instance has that address, so novalet answers 404.
  if (!address) return null;
  const key = `metadata-${address}`;
  const cached = id.cache.get(key);
  if (cached) {
    LOG.debug(`Using cached metadata for ${address}`);
    return cached;
  }
  let md: InstanceMetadata | null;
  try {
    md = metadataByInstanceId(id.src, instanceUuidByAddress(id.src, address), address);
  } catch (err) {
    if (!(err instanceof FixedIpNotFoundForAddress)) throw err;
    LOG.exception(`Failed to get metadata for IP ${address}`, err);
    return null;
  }
  if (md && id.cache.expiration > 0) id.cache.set(key, md);
  return md;
}

/** `_handle_instance_id_request`: the proxy's signed headers. */
function instanceIdRequest(id: Identification, req: ApiRequest): InstanceMetadata | null {
  const instanceId = req.header("x-instance-id");
  const tenantId = req.header("x-tenant-id");
  const signature = req.header("x-instance-id-signature");
  const remoteAddress = req.header("x-forwarded-for");
  // NOTE(parity): repeated headers arrive joined with "," (as eventlet
  // joins them), so nova's "Multiple X-Instance-ID headers" never shows.
  let msg: string | null = null;
  if (instanceId === null) msg = "X-Instance-ID header is missing from request.";
  else if (signature === null) msg = "X-Instance-ID-Signature header is missing from request.";
  else if (tenantId === null) msg = "X-Tenant-ID header is missing from request.";
  if (msg) throw new HttpError(400, msg);
  validateSharedSecret(id, instanceId!, signature, remoteAddress);
  return metaByInstanceId(id, instanceId!, tenantId!, remoteAddress);
}

/**
 * `_handle_instance_id_request_from_lb`: a metadata provider (a load
 * balancer's) names the network; the built-in network has no such
 * provider, so a well-formed, well-signed request ends in nova's 400
 * "Could not find any subnets for provider".
 */
function instanceIdRequestFromLb(id: Identification, req: ApiRequest): InstanceMetadata | null {
  const remoteAddress = req.header("x-forwarded-for");
  if (remoteAddress === null) throw new HttpError(400, "X-Forwarded-For is missing from request.");
  const providerId = req.header("x-metadata-provider")!;
  const instanceAddress = remoteAddress.split(",")[0];
  if (id.src.conf.neutron.metadata_proxy_shared_secret) {
    const signature = req.header("x-metadata-provider-signature");
    validateSharedSecret(id, providerId, signature, instanceAddress);
  }
  const msg = `Could not find any subnets for provider ${providerId}`;
  LOG.error(msg);
  throw new HttpError(400, msg);
}

/** `_validate_shared_secret`. @throws {HttpError} 403 for a missing or wrong signature */
function validateSharedSecret(
  id: Identification,
  requestorId: string,
  signature: string | null,
  requestorAddress: string | null,
): void {
  const expected = hmacSha256Hex(
    id.src.conf.neutron.metadata_proxy_shared_secret ?? "",
    requestorId,
  );
  if (signature && constantTimeEqual(expected, signature)) return;
  if (requestorId) {
    LOG.warning(
      `X-Instance-ID-Signature: ${signature} does not match the expected value: ${expected} ` +
        `for id: ${requestorId}. Request From: ${requestorAddress}`,
    );
  }
  throw new HttpError(403, "Invalid proxy request signature.");
}

/** `_get_meta_by_instance_id`: the metadata, if the instance is the tenant's. */
function metaByInstanceId(
  id: Identification,
  instanceId: string,
  tenantId: string,
  remoteAddress: string | null,
): InstanceMetadata | null {
  let md: InstanceMetadata | null;
  try {
    md = metadataByInstanceIdCached(id, instanceId, remoteAddress);
  } catch (err) {
    LOG.exception(`Failed to get metadata for instance id: ${instanceId}`, err);
    throw new HttpError(500, UNKNOWN_ERROR);
  }
  if (!md) {
    LOG.error(`Failed to get metadata for instance id: ${instanceId}`);
  } else if (md.instance.project_id !== tenantId) {
    LOG.warning(
      `Tenant_id ${tenantId} does not match tenant_id of instance ${instanceId}.`,
    );
    return null;
  }
  return md;
}

/** `get_metadata_by_instance_id` (the handler's, with the cache). */
function metadataByInstanceIdCached(
  id: Identification,
  instanceId: string,
  address: string | null,
): InstanceMetadata | null {
  const key = `metadata-${instanceId}`;
  const cached = id.cache.get(key);
  if (cached) {
    LOG.debug(`Using cached metadata for instance ${instanceId}`);
    return cached;
  }
  const md = metadataByInstanceId(id.src, instanceId, address);
  if (md && id.cache.expiration > 0) id.cache.set(key, md);
  return md;
}
