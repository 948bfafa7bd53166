/**
 * The metadata API app (`nova.api.metadata.handler:MetadataRequestHandler.factory`,
 * the `metaapp` of api-paste.ini's `[composite:metadata]`): `/` lists the
 * EC2 versions to anyone; every other path is looked up in the metadata
 * of the instance asking (see identify.ts) and printed in the EC2 listing
 * format, or handed to the password handler.
 *
 * Mirrors nova/api/metadata/handler.py (`MetadataRequestHandler.__call__`)
 * and the webob responses it makes (`req.response` with a body and a
 * content type; `webob.exc` error pages).
 *
 * @module
 */

import type { AppFactory } from "../app.ts";
import { FlatNetwork } from "../compute/network/flat.ts";
import { keypairApi } from "../compute/keypairs/api.ts";
import { InstanceStore } from "../compute/servers/instance_store.ts";
import { HttpError, webobError } from "../errors.ts";
import { getLogger } from "../log.ts";
import type { ApiRequest } from "../request.ts";
import { ApiResponse, byteLength } from "../response.ts";
import type { Services } from "../services.ts";
import { MetadataCache } from "./cache.ts";
import { type Identification, metadataFor } from "./identify.ts";
import { InvalidMetadataPath } from "./instance_metadata.ts";
import { handlePassword, type PasswordTarget } from "./password.ts";
import type { InstanceMetadata } from "./instance_metadata.ts";
import type { MetadataSource } from "./source.ts";
import { ec2MdPrint, normpath } from "./tree.ts";
import { vendordataProviders } from "./vendordata.ts";
import { MIME_TYPE_TEXT_PLAIN, VERSIONS } from "./versions.ts";

const LOG = getLogger("nova.api.metadata.handler");

/** Header names whose values the debug log masks (oslo's mask_dict_password keys). */
const SECRET_HEADER = /password|token|secret|signature|cookie|key/i;

/** The metadata source of a service container (its store, without the compute service). */
export function metadataSource(services: Services): MetadataSource {
  return services.get(makeSource);
}

function makeSource(services: Services): MetadataSource {
  const { conf, store } = services;
  return {
    conf,
    db: store,
    instances: new InstanceStore(store),
    network: FlatNetwork.fromConf(store, conf),
    keypairs: keypairApi(services),
  };
}

/** `MetadataRequestHandler.factory`. */
export const metadataAppFactory: AppFactory = (ctx) => {
  if (!ctx.services) throw new Error("The metadata app needs the services (store, policy)");
  const src = metadataSource(ctx.services);
  vendordataProviders(src.conf); // an unknown provider stops start-up
  const id: Identification = {
    src,
    cache: new MetadataCache(src.conf.api.metadata_cache_expiration, src.db),
  };
  const neutron = src.conf.neutron;
  if (neutron.service_metadata_proxy && !neutron.metadata_proxy_shared_secret) {
    LOG.warning(
      "metadata_proxy_shared_secret is not configured, the metadata information returned by " +
        "the proxy cannot be trusted",
    );
  }
  return async function metadataRequestHandler(req) {
    try {
      return await handle(id, req);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return webobError(req, err.status, { explanation: err.explanation, headers: err.headers });
    }
  };
};

/** `__call__`. */
async function handle(id: Identification, req: ApiRequest): Promise<ApiResponse> {
  if (normpath(req.pathInfo) === "/") {
    return printed(ec2MdPrint([...VERSIONS, "latest"]), MIME_TYPE_TEXT_PLAIN);
  }
  if (id.src.conf.DEFAULT.debug) LOG.debug(`Metadata request headers: ${maskedHeaders(req)}`);
  const md = metadataFor(id, req);
  if (!md) throw new HttpError(404);
  let found;
  try {
    found = md.lookup(req.pathInfo);
  } catch (err) {
    if (err instanceof InvalidMetadataPath) throw new HttpError(404);
    throw err;
  }
  if (found.kind === "password") return answered(await handlePassword(req, passwordTarget(id, md)));
  return printed(ec2MdPrint(found.data), found.mimetype);
}

/** `req.response.body = ...; req.response.content_type = ...` (webob adds a charset to text/*). */
function printed(body: string | Uint8Array, mimetype: string): ApiResponse {
  const res = new ApiResponse(200, [], body);
  res.headers.add("Content-Length", String(byteLength(body)));
  const charset = mimetype.startsWith("text/") ? "; charset=UTF-8" : "";
  res.headers.add("Content-Type", `${mimetype}${charset}`);
  return res;
}

/** What wsgify makes of a handler's return value: None or a str, as webob's default text/html. */
function answered(text: string | null): ApiResponse {
  const body = text ?? "";
  return new ApiResponse(200, [
    ["Content-Type", "text/html; charset=UTF-8"],
    ["Content-Length", String(byteLength(body))],
  ], body);
}

/** The password handler's view of the instance: the metadata's password, saved to the live row. */
function passwordTarget(id: Identification, md: InstanceMetadata): PasswordTarget {
  return {
    password: md.password,
    save(values) {
      const { db, instances } = id.src;
      db.transaction(() => {
        if (!instances.get(md.uuid)) {
          throw new HttpError(400, `Instance ${md.uuid} could not be found.`);
        }
        instances.setSystemMetadata(md.uuid, values);
      });
    },
  };
}

/** The request headers as a Python dict, secrets masked (`mask_dict_password`). */
function maskedHeaders(req: ApiRequest): string {
  const items = [...req.headers].map(([k, v]) => {
    const name = k.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase());
    return `'${name}': '${SECRET_HEADER.test(k) ? "***" : v}'`;
  });
  return `{${items.join(", ")}}`;
}
