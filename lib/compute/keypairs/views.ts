/**
 * The keypair views: create (private_key when generated, type from 2.2),
 * index (type from 2.2, `keypairs_links` from 2.35), show (with the
 * database columns nova shows: created_at, deleted, deleted_at, id,
 * updated_at).
 *
 * Mirrors nova/api/openstack/compute/views/keypairs.py.
 *
 * @module
 */

import type { ApiRequest } from "../../request.ts";
import type { QueryDict } from "../../validation/mod.ts";
import { collectionLinks, LinkBuilder } from "../links.ts";
import type { Keypair } from "./api.ts";

const INDEX = ["name", "public_key", "fingerprint"] as const;
const CREATE = [...INDEX, "user_id"] as const;

/** A keypair as nova's `KeyPair` object reads (deleted/deleted_at of the old model included). */
function fields(k: Keypair, privateKey?: string): Record<string, unknown> {
  return { ...k, private_key: privateKey, deleted: false, deleted_at: null };
}

function pick(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, obj[key]]));
}

/** The keypairs ViewBuilder. */
export class KeypairViews {
  readonly #links: LinkBuilder;

  constructor(computeLinkPrefix: string | null, readonly maxLimit: number) {
    this.#links = new LinkBuilder(computeLinkPrefix);
  }

  /** `create(keypair, private_key, key_type)`. */
  create(k: Keypair, privateKey: string | null, keyType: boolean) {
    const keys: string[] = [];
    if (privateKey !== null) keys.push("private_key");
    if (keyType) keys.push("type");
    keys.push(...CREATE);
    return { keypair: pick(fields(k, privateKey ?? undefined), keys) };
  }

  /** `show(keypair, key_type)`. */
  show(k: Keypair, keyType: boolean) {
    const keys = [...CREATE, "created_at", "deleted", "deleted_at", "id", "updated_at"];
    if (keyType) keys.push("type");
    return { keypair: pick(fields(k), keys) };
  }

  /** `index(req, key_pairs, key_type, links)`. */
  index(req: ApiRequest, keypairs: Keypair[], params: QueryDict, keyType: boolean, links: boolean) {
    const keys = keyType ? [...INDEX, "type"] : [...INDEX];
    const body: Record<string, unknown> = {
      keypairs: keypairs.map((k) => ({ keypair: pick(fields(k), keys) })),
    };
    if (links) {
      const names = keypairs.map((k) => k.name);
      const next = collectionLinks(this.#links, req, params, names, "os-keypairs", this.maxLimit);
      if (next.length) body.keypairs_links = next;
    }
    return body;
  }
}
