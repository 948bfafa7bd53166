/**
 * The versions documents: `GET /` (all versions, or 300 Multiple Choices
 * for any other path of the root app), `GET /v2.1` and `/v2` (one
 * version), and the `/versions/{id}` route of the API router.
 *
 * Mirrors nova/api/openstack/compute/versions.py, versionsV21.py and
 * views/versions.py.
 *
 * @module
 */

import type { AppFactory } from "../app.ts";
import { HttpError } from "../errors.ts";
import type { ApiRequest } from "../request.ts";
import { MAX_API_VERSION, MIN_API_VERSION } from "./api_version.ts";
import { updateLinkPrefix, urlJoin } from "./links.ts";
import { type ControllerSpec, Reply, resourceApp } from "./wsgi.ts";
import { ApiResponse, pyJson } from "../response.ts";

const DOCS = "http://docs.openstack.org/";
const ENCODER = new TextEncoder();

interface VersionDoc {
  id: string;
  status: string;
  version: string;
  min_version: string;
  updated: string;
  links: { rel: string; type?: string; href: string }[];
  "media-types": { base: string; type: string }[];
}

/** nova's VERSIONS constant. */
export const VERSIONS: Readonly<Record<string, VersionDoc>> = {
  "v2.0": {
    id: "v2.0",
    status: "SUPPORTED",
    version: "",
    min_version: "",
    updated: "2011-01-21T11:33:21Z",
    links: [{ rel: "describedby", type: "text/html", href: DOCS }],
    "media-types": [{
      base: "application/json",
      type: "application/vnd.openstack.compute+json;version=2",
    }],
  },
  "v2.1": {
    id: "v2.1",
    status: "CURRENT",
    version: MAX_API_VERSION,
    min_version: MIN_API_VERSION,
    updated: "2013-07-23T11:33:21Z",
    links: [{ rel: "describedby", type: "text/html", href: DOCS }],
    "media-types": [{
      base: "application/json",
      type: "application/vnd.openstack.compute+json;version=2.1",
    }],
  },
};

/** The view builder of views/versions.py, bound to one request. */
export class VersionsView {
  readonly #prefix: string;

  constructor(req: ApiRequest, computeLinkPrefix: string | null) {
    this.#prefix = updateLinkPrefix(req.applicationUrl, computeLinkPrefix);
  }

  versions(): { versions: unknown[] } {
    return {
      versions: sortedVersions().map((v) => ({
        id: v.id,
        status: v.status,
        version: v.version,
        min_version: v.min_version,
        updated: v.updated,
        links: [{ rel: "self", href: this.#href(v.id) }],
      })),
    };
  }

  choices(path: string): { choices: unknown[] } {
    return {
      choices: sortedVersions().map((v) => ({
        id: v.id,
        status: v.status,
        links: [{ rel: "self", href: this.#href(v.id, path) }],
        "media-types": v["media-types"],
      })),
    };
  }

  version(doc: VersionDoc): { version: VersionDoc } {
    const copy = structuredClone(doc);
    copy.links.unshift({ rel: "self", href: this.#prefix.replace(/\/+$/, "") + "/" });
    return { version: copy };
  }

  #href(id: string, path = ""): string {
    return urlJoin(this.#prefix, id.startsWith("v2.1") ? "v2.1" : "v2", path);
  }
}

function sortedVersions(): VersionDoc[] {
  return Object.keys(VERSIONS).sort().map((k) => VERSIONS[k]);
}

/**
 * The versions documents depend only on the link prefix (scheme, host and
 * script name), so each is serialized, and encoded, once per prefix (the
 * server copies the bytes out as they are). Bounded: a client inventing
 * Host headers only evicts older entries.
 */
class DocumentCache {
  readonly #bodies = new Map<string, { bytes: Uint8Array; length: string }>();

  constructor(readonly limit = 256) {}

  /** A 200 answer with the cached body for `key`, building it on a miss. */
  answer(key: string, build: () => unknown): ApiResponse {
    let body = this.#bodies.get(key);
    if (body === undefined) {
      const bytes = ENCODER.encode(pyJson(build())); // pyJson writes ASCII only
      body = { bytes, length: String(bytes.length) };
      if (this.#bodies.size >= this.limit) this.#bodies.delete(this.#bodies.keys().next().value!);
      this.#bodies.set(key, body);
    }
    return new ApiResponse(200, [
      ["Content-Length", body.length],
      ["Content-Type", "application/json"],
    ], body.bytes);
  }
}

/** Versions: `GET /` → index, anything else under the root app → 300. */
function rootController(linkPrefix: string | null): ControllerSpec {
  const cache = new DocumentCache();
  return {
    name: "Versions",
    unversioned: true,
    methods: {
      index: {
        handler: ({ req }) =>
          cache.answer(req.applicationUrl, () => new VersionsView(req, linkPrefix).versions()),
      },
      multi: {
        status: 300,
        handler: ({ req }) => new Reply(new VersionsView(req, linkPrefix).choices(req.path), 300),
      },
    },
  };
}

/** VersionsV2: `GET /v2.1` and `/v2` (legacy) → the one version document. */
function v2Controller(linkPrefix: string | null): ControllerSpec {
  const cache = new DocumentCache();
  return {
    name: "VersionsV2",
    methods: {
      index: {
        handler: ({ req }) => {
          const id = req.legacyV2 ? "v2.0" : "v2.1";
          return cache.answer(
            `${id} ${req.applicationUrl}`,
            () => new VersionsView(req, linkPrefix).version(VERSIONS[id]),
          );
        },
      },
    },
  };
}

/** The API router's VersionsController (`/` and `/versions/{id}` below /v2.1). */
export function versionsController(linkPrefix: string | null): ControllerSpec {
  return {
    name: "VersionsController",
    methods: {
      show: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          const id = req.legacyV2 ? "v2.0" : params.id ?? "v2.1";
          const doc = VERSIONS[id];
          if (!doc) throw new HttpError(404);
          return new VersionsView(req, linkPrefix).version(doc);
        },
      },
    },
  };
}

/** `nova.api.openstack.compute.versions:Versions.factory` */
export const versionsAppFactory: AppFactory = (ctx) =>
  resourceApp(
    rootController(ctx.conf.api.compute_link_prefix),
    (req) => (req.pathInfo === "/" ? "index" : "multi"),
  );

/** `nova.api.openstack.compute.versions:VersionsV2.factory` */
export const versionsV2AppFactory: AppFactory = (ctx) =>
  resourceApp(v2Controller(ctx.conf.api.compute_link_prefix), () => "index");
