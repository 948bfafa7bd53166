/**
 * Request body size limit: a declared `Content-Length` above
 * `[oslo_middleware] max_request_body_size` is refused with webob's 413
 * page; a body without `Content-Length` (chunked) is read here, bounded by
 * the same limit.
 *
 * Mirrors oslo_middleware/sizelimit.py (RequestBodySizeLimiter,
 * LimitingReader).
 *
 * @module
 */

import type { FilterFactory } from "../app.ts";
import { webobError } from "../errors.ts";
import { getLogger } from "../log.ts";
import { type ApiRequest, type BodyReader, BodyTooLargeError } from "../request.ts";
import type { ApiResponse } from "../response.ts";
import { PasteOptions } from "./_local_conf.ts";
import { logContext } from "./request_log.ts";

const LOG = getLogger("oslo_middleware.sizelimit");

/**
 * paste.filter_factory for `oslo_middleware:RequestBodySizeLimiter.factory`.
 * Reads `[oslo_middleware] max_request_body_size` (paste key of the same
 * name overrides it). Replaces `req.body` of a body without Content-Length.
 *
 * @throws {ConfigError} for a paste value that is not an integer
 * @returns the sizelimit filter
 */
export const filterFactory: FilterFactory = (ctx, globalConf, localConf) => {
  const maxSize = PasteOptions.merged(globalConf, localConf, "sizelimit")
    .int("max_request_body_size", ctx.conf.oslo_middleware.max_request_body_size);
  return (next) =>
    async function sizelimit(req) {
      const length = req.body.contentLength;
      if (length !== null && length > maxSize) {
        const explanation = `Request is too large. Larger than max_request_body_size (${maxSize}).`;
        LOG.info(explanation, logContext(req));
        return webobError(req, 413, { explanation });
      }
      if (length === null) {
        const refused = await readBounded(req, maxSize);
        if (refused) return refused;
      }
      return await next(req);
    };
};

/**
 * Reads a body without Content-Length now, through `read(limit)` so that
 * nothing past the limit is buffered, and puts an in-memory reader in its
 * place. Returns the 413 answer when the body is too large.
 *
 * NOTE(parity): nova never reads such a body (it reads only when
 * Content-Length > 0, case 212), so the replacement still reports
 * `contentLength: null` and the API layer keeps ignoring it. oslo wraps the
 * stream in a LimitingReader instead; reading it here keeps the bound
 * without relying on a later reader.
 */
async function readBounded(req: ApiRequest, maxSize: number): Promise<ApiResponse | null> {
  let bytes: Uint8Array;
  try {
    bytes = await req.body.read(maxSize);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) {
      // NOTE(parity): a chunked body that cannot be decoded (a bad chunk
      // size, the client gone) is never read by nova; eventlet finds the
      // fault only when it discards the body after the answer, and closes.
      // So the API answers as without a body (the server closes after).
      LOG.info(`Ignoring an unreadable chunked body: ${(err as Error).message}`, logContext(req));
      req.body = bufferedBody(new Uint8Array(0), req.body.chunked);
      return null;
    }
    // LimitingReader.read's wording.
    const explanation = `Request is too large. Larger than ${maxSize}.`;
    LOG.info(explanation, logContext(req));
    return webobError(req, 413, { explanation });
  }
  req.body = bufferedBody(bytes, req.body.chunked);
  return null;
}

/** A reader over bytes already read, that still declares no Content-Length. */
function bufferedBody(bytes: Uint8Array, chunked: boolean): BodyReader {
  return {
    contentLength: null,
    chunked,
    read(limit?: number) {
      if (limit !== undefined && bytes.length > limit) {
        return Promise.reject(new BodyTooLargeError(limit));
      }
      return Promise.resolve(bytes);
    },
  };
}
