/**
 * The WHERE clauses of the flavor list: nova's filters
 * (`_flavor_get_all_from_db`) and the marker criteria of oslo.db's
 * `paginate_query`.
 *
 * @module
 */

import type { Row } from "../../store/db.ts";
import type { FlavorListOptions, Visibility } from "./api.ts";

/** A bound SQL parameter. */
export type Param = string | number | null;

/** The `filters` of `_flavor_get_all_from_db`. */
export function filterClauses(
  vis: Visibility,
  options: FlavorListOptions,
  params: Param[],
): string[] {
  const f = options.filters ?? {};
  const out: string[] = [];
  if (f.minMemoryMb !== undefined) {
    out.push("f.memory_mb >= ?");
    params.push(f.minMemoryMb);
  }
  if (f.minRootGb !== undefined) {
    out.push("f.root_gb >= ?");
    params.push(f.minRootGb);
  }
  if (f.disabled !== undefined) {
    out.push("f.disabled = ?");
    params.push(f.disabled ? 1 : 0);
  }
  if (f.isPublic !== undefined && f.isPublic !== null) {
    params.push(f.isPublic ? 1 : 0);
    if (f.isPublic && vis.projectId !== null) {
      out.push(
        "(f.is_public = ? OR EXISTS (SELECT 1 FROM flavor_projects p " +
          "WHERE p.flavor_id = f.id AND p.project_id = ?))",
      );
      params.push(vis.projectId);
    } else {
      out.push("f.is_public = ?");
    }
  }
  return out;
}

/**
 * paginate_query's marker criteria: rows after the marker in the sort order
 * (`k1 > v1 OR (k1 = v1 AND k2 > v2)`); a NULL marker value skips its term.
 */
export function markerClause(
  marker: Row,
  keys: string[],
  dir: "ASC" | "DESC",
  params: Param[],
): string {
  const values = keys.map((k) => (marker[k] ?? null) as Param);
  const op = dir === "DESC" ? "<" : ">";
  const criteria: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (values[i] === null) continue;
    const terms: string[] = [];
    for (let j = 0; j < i; j++) {
      if (values[j] === null) continue;
      terms.push(`f.${keys[j]} = ?`);
      params.push(values[j]);
    }
    terms.push(`f.${keys[i]} ${op} ?`);
    params.push(values[i]);
    criteria.push(`(${terms.join(" AND ")})`);
  }
  return criteria.length ? `(${criteria.join(" OR ")})` : "0";
}
