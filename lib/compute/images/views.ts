/**
 * The image proxy views: `basic` (id, name, links) and `show` (minRam,
 * minDisk, metadata, created/updated as `...Z`, status and progress in the
 * old nova words, `OS-EXT-IMG-SIZE:size`, the server of a snapshot,
 * `OS-DCF:diskConfig`), each with self, bookmark and glance alternate links.
 *
 * Mirrors nova/api/openstack/compute/views/images.py.
 *
 * @module
 */

import type { ApiRequest } from "../../request.ts";
import type { QueryDict } from "../../validation/mod.ts";
import { boolFromString } from "../flavors/extra_specs/validators.ts";
import { collectionLinks, LinkBuilder, updateLinkPrefix } from "../links.ts";
import type { Image } from "./api.ts";

const STATUS: Record<string, string> = {
  active: "ACTIVE",
  queued: "SAVING",
  saving: "SAVING",
  deleted: "DELETED",
  pending_delete: "DELETED",
  killed: "ERROR",
};
const PROGRESS: Record<string, number> = { queued: 25, saving: 50, active: 100 };

/** `utils.isotime(dt)`: `2026-11-26T01:17:22Z`. */
export function isotime(stored: string | null): string | null {
  return stored === null ? null : `${stored.slice(0, 19)}Z`;
}

/** The images ViewBuilder for one request (the glance URL is chosen per request, as nova does). */
export class ImageViews {
  readonly #links: LinkBuilder;

  constructor(
    computeLinkPrefix: string | null,
    readonly glanceLinkPrefix: string | null,
    readonly maxLimit: number,
  ) {
    this.#links = new LinkBuilder(computeLinkPrefix);
  }

  #imageLinks(req: ApiRequest, glance: string, id: string) {
    return [
      ...this.#links.links(req, id, "images"),
      {
        rel: "alternate",
        type: "application/vnd.openstack.image",
        // NOTE(parity): '/'.join, so a catalog endpoint ending in '/' gives '//images'.
        href: [updateLinkPrefix(glance, this.glanceLinkPrefix), "images", id].join("/"),
      },
    ];
  }

  basic(req: ApiRequest, glance: string, image: Image): Record<string, unknown> {
    return { id: image.id, name: image.name, links: this.#imageLinks(req, glance, image.id) };
  }

  show(req: ApiRequest, glance: string, image: Image): Record<string, unknown> {
    const view: Record<string, unknown> = {
      id: image.id,
      name: image.name,
      minRam: image.min_ram,
      minDisk: image.min_disk,
      metadata: image.properties,
      created: isotime(image.created_at),
      updated: isotime(image.updated_at),
      status: STATUS[image.status] ?? "UNKNOWN",
      progress: PROGRESS[image.status] ?? 0,
      "OS-EXT-IMG-SIZE:size": image.size ?? 0,
      links: this.#imageLinks(req, glance, image.id),
    };
    const instance = image.properties.instance_uuid;
    if (instance !== undefined) {
      view.server = { id: instance, links: this.#links.links(req, instance, "servers") };
    }
    const autoDiskConfig = image.properties.auto_disk_config;
    if (autoDiskConfig !== undefined) {
      view["OS-DCF:diskConfig"] = boolFromString(autoDiskConfig) ? "AUTO" : "MANUAL";
    }
    return view;
  }

  list(
    req: ApiRequest,
    glance: string,
    images: Image[],
    params: QueryDict,
    detail: boolean,
  ): Record<string, unknown> {
    const items = images.map((i) =>
      detail ? this.show(req, glance, i) : this.basic(req, glance, i)
    );
    const collection = detail ? "images/detail" : "images";
    const ids = images.map((i) => i.id);
    const links = collectionLinks(this.#links, req, params, ids, collection, this.maxLimit);
    const body: Record<string, unknown> = { images: items };
    if (links.length) body.images_links = links;
    return body;
  }
}
