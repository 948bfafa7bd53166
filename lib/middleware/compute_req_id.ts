/**
 * nova's request id filter: every request gets a fresh local id
 * `req-<uuid4>`; a valid inbound `X-OpenStack-Request-Id` only becomes the
 * global request id (for the logs), it is never echoed. The response carries
 * the local id as `x-openstack-request-id` and nova's older
 * `x-compute-request-id`, each added only when absent.
 *
 * Mirrors nova/api/compute_req_id.py (ComputeReqIdMiddleware) and
 * oslo_middleware/request_id.py (RequestId).
 *
 * @module
 */

import type { FilterFactory } from "../app.ts";

/** oslo's `ID_FORMAT`: what an inbound global request id must look like. */
export const ID_FORMAT = /^req-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/** oslo's HTTP_RESP_HEADER_REQUEST_ID, then nova's compat header; lower-case as oslo adds them. */
const RETURN_HEADERS = ["x-openstack-request-id", "x-compute-request-id"] as const;

/** oslo_context's `generate_request_id()`: `req-` and a random uuid4. */
export function generateRequestId(): string {
  return `req-${crypto.randomUUID()}`;
}

/**
 * paste.filter_factory for `nova.api.compute_req_id:ComputeReqIdMiddleware.factory`.
 * Takes no options. Sets `req.requestId` and, for a valid inbound id,
 * `req.globalRequestId`.
 *
 * @returns the compute_req_id filter
 */
export const filterFactory: FilterFactory = () => (next) =>
  async function computeReqId(req) {
    const inbound = req.header("x-openstack-request-id") ?? "";
    if (ID_FORMAT.test(inbound)) req.globalRequestId = inbound;
    const requestId = generateRequestId();
    req.requestId = requestId;
    const res = await next(req);
    // The server title-cases names on the wire: X-Openstack-Request-Id, X-Compute-Request-Id.
    for (const name of RETURN_HEADERS) res.headers.setDefault(name, requestId);
    return res;
  };
