/**
 * The server lists' answers: `index` from the list query's rows alone, and
 * `detail` from per-server views cached by (request variant, instance,
 * view stamp), so that listing a thousand unchanged servers renders none
 * of them again. The cache only ever returns a view whose instance has not
 * changed since it was rendered (the stamp changes with every write that
 * shows in the view).
 *
 * Mirrors nova/api/openstack/compute/views/servers.py `index`, `detail`,
 * `_list_view`.
 *
 * @module
 */

import { pyJson } from "../../response.ts";
import type { Instance } from "./instance.ts";
import type { InstanceRef } from "./list_query.ts";
import type { ServerViews } from "./views.ts";

type Params = Readonly<Record<string, readonly string[]>>;

const ENCODER = new TextEncoder();

/**
 * Rendered server views (JSON text as bytes; pyJson writes ASCII only) by
 * request variant, then instance uuid. At most `capacity` views in all
 * (about 2 KB each), the oldest variant's oldest views dropped first.
 */
export class ViewCache {
  readonly #variants = new Map<string, Map<string, { stamp: number; bytes: Uint8Array }>>();
  #size = 0;

  constructor(readonly capacity = 10_000) {}

  /** The views of one variant (made on first use). */
  variant(key: string): Map<string, { stamp: number; bytes: Uint8Array }> {
    let entries = this.#variants.get(key);
    if (!entries) {
      entries = new Map();
      this.#variants.set(key, entries);
    }
    return entries;
  }

  set(variant: string, uuid: string, stamp: number, bytes: Uint8Array): void {
    const entries = this.variant(variant);
    if (entries.delete(uuid)) this.#size--;
    entries.set(uuid, { stamp, bytes });
    this.#size++;
    while (this.#size > this.capacity) this.#evictOne();
  }

  #evictOne(): void {
    for (const [key, entries] of this.#variants) {
      const oldest = entries.keys().next();
      if (oldest.done) {
        this.#variants.delete(key);
        continue;
      }
      entries.delete(oldest.value);
      this.#size--;
      return;
    }
  }
}

/** `index`: id, name and links per server, and `servers_links`. */
export function indexView(
  views: ServerViews,
  refs: readonly InstanceRef[],
  params: Params,
  maxLimit: number,
) {
  const servers = refs.map((r) => ({
    id: r.uuid,
    name: r.display_name,
    links: views.serverLinks(r.uuid),
  }));
  const out: Record<string, unknown> = { servers };
  const links = views.listLinks(params, refs.map((r) => r.uuid), maxLimit, "servers");
  if (links.length) out.servers_links = links;
  return out;
}

/**
 * `detail` as the JSON body: cached views where the instance is unchanged,
 * the others loaded (in one query) and rendered.
 */
export function detailView(
  views: ServerViews,
  refs: readonly InstanceRef[],
  params: Params,
  maxLimit: number,
  load: (uuids: readonly string[]) => Map<string, Instance>,
  cache: ViewCache,
): Uint8Array {
  const flags = views.detailFlags();
  const variant = views.variantKey(flags);
  const entries = cache.variant(variant);
  const parts: (Uint8Array | undefined)[] = refs.map((r) => {
    const hit = entries.get(r.uuid);
    return hit && hit.stamp === r.view_stamp ? hit.bytes : undefined;
  });
  const missing = refs.filter((_, i) => parts[i] === undefined).map((r) => r.uuid);
  const loaded = missing.length ? load(missing) : new Map<string, Instance>();
  refs.forEach((ref, i) => {
    if (parts[i] !== undefined) return;
    const inst = loaded.get(ref.uuid);
    if (!inst) return;
    const bytes = ENCODER.encode(pyJson(views.detailServer(inst, flags)));
    parts[i] = bytes;
    // An instance never saved since create shows "updated" as now: not cacheable.
    if (inst.updated_at !== null && inst.view_stamp === ref.view_stamp) {
      cache.set(variant, ref.uuid, ref.view_stamp, bytes);
    }
  });
  const links = views.listLinks(params, refs.map((r) => r.uuid), maxLimit, "servers/detail");
  const tail = links.length ? `], "servers_links": ${pyJson(links)}}` : "]}";
  return concat(ENCODER.encode('{"servers": ['), parts, ENCODER.encode(", "), ENCODER.encode(tail));
}

/** head, the parts separated by `sep`, tail: one buffer. */
function concat(
  head: Uint8Array,
  parts: readonly (Uint8Array | undefined)[],
  sep: Uint8Array,
  tail: Uint8Array,
): Uint8Array {
  const present = parts.filter((p): p is Uint8Array => p !== undefined);
  const size = head.length + tail.length + present.reduce((n, p) => n + p.length, 0) +
    Math.max(0, present.length - 1) * sep.length;
  const out = new Uint8Array(size);
  let at = 0;
  const put = (b: Uint8Array) => {
    out.set(b, at);
    at += b.length;
  };
  put(head);
  present.forEach((p, i) => {
    if (i) put(sep);
    put(p);
  });
  put(tail);
  return out;
}
