/**
 * The flavor views per microversion: `basic` (id, name, links; 2.55
 * description), `show` (everything, `swap` "" for 0 before 2.75, 2.55
 * description, 2.61 extra_specs when policy allows), lists with
 * `flavors_links`.
 *
 * Mirrors nova/api/openstack/compute/views/flavors.py.
 *
 * @module
 */

import type { ApiRequest } from "../../request.ts";
import { PyFloat, pyJson, RawJson } from "../../response.ts";
import { isSupported } from "../common.ts";
import { collectionLinks, LinkBuilder } from "../links.ts";
import type { Flavor } from "./api.ts";

/** FLAVOR_DESCRIPTION_MICROVERSION. */
export const FLAVOR_DESCRIPTION_MICROVERSION = "2.55";
/** FLAVOR_EXTRA_SPECS_MICROVERSION. */
export const FLAVOR_EXTRA_SPECS_MICROVERSION = "2.61";

/** What a view adds beyond the base fields. */
export interface ShowOptions {
  includeDescription?: boolean;
  includeExtraSpecs?: boolean;
}

/** The flavors ViewBuilder, bound to `[api] compute_link_prefix` and `max_limit`. */
export class FlavorViews {
  readonly #links: LinkBuilder;
  // The serialized view of each flavor, per link base and view variant. The
  // store hands out one frozen object per flavor until a write replaces it,
  // so a cached text never outlives the row it shows.
  readonly #texts = new WeakMap<Flavor, Map<string, RawJson>>();

  constructor(computeLinkPrefix: string | null, readonly maxLimit: number) {
    this.#links = new LinkBuilder(computeLinkPrefix);
  }

  /** `basic()`: id, name, links (and description from 2.55). */
  basic(req: ApiRequest, flavor: Flavor, options: ShowOptions = {}): Record<string, unknown> {
    const view: Record<string, unknown> = {
      id: flavor.flavorid,
      name: flavor.name,
      links: this.#links.links(req, flavor.flavorid, "flavors"),
    };
    if (options.includeDescription) view.description = flavor.description;
    return view;
  }

  /** `show()`'s inner dict. */
  show(req: ApiRequest, flavor: Flavor, options: ShowOptions = {}): Record<string, unknown> {
    const view: Record<string, unknown> = {
      id: flavor.flavorid,
      name: flavor.name,
      ram: flavor.memory_mb,
      disk: flavor.root_gb,
      // NOTE(parity): `flavor["swap"] or ""` — a swap of 0 shows as "" before 2.75.
      swap: flavor.swap || "",
      "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral_gb,
      "OS-FLV-DISABLED:disabled": flavor.disabled,
      vcpus: flavor.vcpus,
      "os-flavor-access:is_public": flavor.is_public,
      // rxtx_factor is a Python float: 1.0, not 1.
      rxtx_factor: flavor.rxtx_factor ? new PyFloat(flavor.rxtx_factor) : "",
      links: this.#links.links(req, flavor.flavorid, "flavors"),
    };
    if (options.includeDescription) view.description = flavor.description;
    if (options.includeExtraSpecs) view.extra_specs = flavor.extra_specs;
    if (isSupported(req, "2.75")) view.swap = flavor.swap || 0;
    return view;
  }

  /** A flavor's view as JSON text, built once per link base and variant. */
  #cached(req: ApiRequest, flavor: Flavor, variant: string, build: () => unknown): RawJson {
    let texts = this.#texts.get(flavor);
    if (!texts) this.#texts.set(flavor, texts = new Map());
    const bases = this.#links.basesOf(req);
    const key = `${variant}|${bases.self}|${bases.bookmark}`;
    let text = texts.get(key);
    if (!text) {
      if (texts.size >= 32) texts.clear(); // many hosts or prefixes: keep it bounded
      text = new RawJson(pyJson(build()));
      texts.set(key, text);
    }
    return text;
  }

  /** `index()`: the brief list. */
  index(req: ApiRequest, flavors: Flavor[], params: Record<string, string[]>) {
    const includeDescription = isSupported(req, FLAVOR_DESCRIPTION_MICROVERSION);
    const variant = `basic:${includeDescription}`;
    const items = flavors.map((f) =>
      this.#cached(req, f, variant, () => this.basic(req, f, { includeDescription }))
    );
    return this.#list(req, items, flavors, params, "flavors");
  }

  /** `detail()`: the full list. */
  detail(
    req: ApiRequest,
    flavors: Flavor[],
    params: Record<string, string[]>,
    includeExtraSpecs: boolean,
  ) {
    const includeDescription = isSupported(req, FLAVOR_DESCRIPTION_MICROVERSION);
    const variant = `show:${includeDescription}:${includeExtraSpecs}:${isSupported(req, "2.75")}`;
    const items = flavors.map((f) =>
      this.#cached(
        req,
        f,
        variant,
        () => this.show(req, f, { includeDescription, includeExtraSpecs }),
      )
    );
    return this.#list(req, items, flavors, params, "flavors/detail");
  }

  #list(
    req: ApiRequest,
    items: unknown[],
    flavors: Flavor[],
    params: Record<string, string[]>,
    collection: string,
  ): Record<string, unknown> {
    const ids = flavors.map((f) => f.flavorid);
    const links = collectionLinks(this.#links, req, params, ids, collection, this.maxLimit);
    const body: Record<string, unknown> = { flavors: items };
    if (links.length) body.flavors_links = links;
    return body;
  }
}
