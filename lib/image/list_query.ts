/**
 * The parameters of `GET /v2/images`: limit and marker, member_status,
 * tags, the two sorting syntaxes (`sort_key`/`sort_dir` and
 * `sort=key:dir,...`), the hidden and protected switches, and the rest as
 * filters, with glance's 400s.
 *
 * Mirrors glance/api/v2/images.py `RequestDeserializer.index`
 * (`_get_filters`, `_get_sorting_params`, `_validate_limit`) and the start
 * of `ImagesController.index`.
 *
 * @module
 */

import { parseQueryString } from "../validation/mod.ts";
import { explained } from "./errors.ts";

/** A parsed image list request. */
export interface ListQuery {
  limit: number;
  marker: string | null;
  sortKeys: string[];
  sortDirs: string[];
  tags: string[];
  /** `visibility` (absent: glance's default selection). */
  visibility: string | null;
  osHidden: boolean;
  /** The other parameters, last value of each (glance's filters dict). */
  filters: Map<string, string>;
  /** Every parameter as sent, but for `marker`, in order (for the `first`/`next` links). */
  linkParams: Map<string, string>;
}

const SORT_KEYS = [
  "name",
  "status",
  "container_format",
  "disk_format",
  "size",
  "id",
  "created_at",
  "updated_at",
];

/** webob's MultiDict over the query pairs: `pop` takes the first value of a name. */
class Params {
  constructor(readonly pairs: [string, string][]) {}

  has(name: string): boolean {
    return this.pairs.some(([k]) => k === name);
  }

  pop(name: string): string | null {
    const at = this.pairs.findIndex(([k]) => k === name);
    if (at < 0) return null;
    return this.pairs.splice(at, 1)[0][1];
  }
}

/** Python's `int(s)` for a limit, or null. */
function pyInt(s: string): number | null {
  const t = s.trim().replaceAll("_", "");
  return /^[+-]?\d+$/.test(t) ? Number(t) : null;
}

function validateLimit(raw: string): number {
  const limit = pyInt(raw);
  if (limit === null) throw explained(400, "limit param must be an integer");
  if (limit < 0) throw explained(400, "limit param must be positive");
  return limit;
}

function validateSortKey(key: string): string {
  if (!SORT_KEYS.includes(key)) {
    throw explained(
      400,
      `Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(", ")}.`,
    );
  }
  return key;
}

function validateSortDir(dir: string): string {
  if (dir !== "asc" && dir !== "desc") throw explained(400, `Invalid sort direction: ${dir}`);
  return dir;
}

/** `_get_sorting_params`. */
function sorting(params: Params): [string[], string[]] {
  const keys: string[] = [];
  const dirs: string[] = [];
  if (params.has("sort")) {
    if (params.has("sort_key") || params.has("sort_dir")) {
      throw explained(400, "Old and new sorting syntax cannot be combined");
    }
    for (const part of params.pop("sort")!.trim().split(",")) {
      const colon = part.indexOf(":");
      const key = colon < 0 ? part : part.slice(0, colon);
      const dir = colon < 0 ? "" : part.slice(colon + 1);
      keys.push(validateSortKey(key.trim()));
      dirs.push(validateSortDir((dir || "desc").trim()));
    }
  } else {
    while (params.has("sort_key")) keys.push(validateSortKey(params.pop("sort_key")!.trim()));
    while (params.has("sort_dir")) dirs.push(validateSortDir(params.pop("sort_dir")!.trim()));
    if (dirs.length > 1 && dirs.length !== keys.length) {
      throw explained(400, "Number of sort dirs does not match the number of sort keys");
    }
  }
  return [keys.length ? keys : ["created_at"], dirs.length ? dirs : ["desc"]];
}

/** `_get_filters`: what is left are filters (last value of each name). */
function filtersOf(params: Params): Map<string, string> {
  const filters = new Map<string, string>();
  for (const [k, v] of params.pairs) filters.set(k, v);
  const visibility = filters.get("visibility");
  if (visibility && !["community", "public", "private", "shared", "all"].includes(visibility)) {
    throw explained(400, `Invalid visibility value: ${visibility}`);
  }
  if (filters.get("changes-since")) {
    throw explained(400, 'The "changes-since" filter is no longer available on v2.');
  }
  return filters;
}

/** `ImagesController.index`'s checks of the os_hidden and protected filters. */
function hiddenFilter(filters: Map<string, string>): boolean {
  const hidden = (filters.get("os_hidden") ?? "false").toLowerCase();
  if (hidden !== "true" && hidden !== "false") {
    throw explained(
      400,
      `Invalid value '${hidden}' for 'os_hidden' filter. Valid values are 'true' or 'false'.`,
    );
  }
  filters.delete("os_hidden");
  const prot = filters.get("protected");
  if (prot !== undefined && prot !== "true" && prot !== "false") {
    throw explained(
      400,
      `Invalid value '${prot}' for 'protected' filter. Valid values are 'true' or 'false'.`,
    );
  }
  return hidden === "true";
}

/**
 * Parses the query string of an image list.
 *
 * @param limits `[image] limit_param_default` and `api_limit_max`
 * @throws {GlanceHttpError} 400 with glance's message
 */
export function parseListQuery(
  query: string,
  limits: { default: number; max: number },
): ListQuery {
  let pairs: [string, string][];
  try {
    pairs = parseQueryString(query);
  } catch {
    throw explained(
      400,
      "Error decoding your request. Either the URL or the request body contained characters " +
        "that could not be decoded by Glance",
    );
  }
  const linkParams = new Map<string, string>();
  for (const [k, v] of pairs) if (k !== "marker") linkParams.set(k, v);
  const params = new Params([...pairs]);
  const rawLimit = params.pop("limit");
  const marker = params.pop("marker");
  const memberStatus = params.pop("member_status") ?? "accepted";
  const tags: string[] = [];
  while (params.has("tag")) tags.push(params.pop("tag")!.trim());
  const filters = filtersOf(params);
  if (!["pending", "accepted", "rejected", "all"].includes(memberStatus)) {
    throw explained(400, `Invalid status: ${memberStatus}`);
  }
  const limit = rawLimit === null ? limits.default : validateLimit(rawLimit);
  const [sortKeys, sortDirs] = sorting(params);
  for (const key of ["sort", "sort_key", "sort_dir"]) filters.delete(key);
  const osHidden = hiddenFilter(filters);
  const visibility = filters.get("visibility") ?? null;
  filters.delete("visibility");
  return {
    limit: Math.min(limits.max, limit),
    marker,
    sortKeys,
    sortDirs,
    tags,
    visibility,
    osHidden,
    filters,
    linkParams,
  };
}
