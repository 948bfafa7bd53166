/**
 * The error-path sweep of the image API (glance v2): its routes with every
 * method, ids that exist, do not, or are malformed, create bodies with each
 * field replaced by a hostile value, json-patch documents, list filters,
 * and media types glance refuses.
 *
 * @module
 */

import { HOSTILE_VALUES, mutations, type SweepIds, type SweepRequest } from "./_error_sweep.ts";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const UNKNOWN = "9f1d3c2e-0000-4000-8000-000000000000";
const PATCH_TYPE = "application/openstack-images-v2.1-json-patch";

const CREATE = {
  name: "i",
  container_format: "bare",
  disk_format: "raw",
  visibility: "private",
  min_ram: 0,
  min_disk: 0,
  tags: ["t"],
  protected: false,
  os_hidden: false,
  custom: "c",
};

const FILTERS = [
  "limit",
  "marker",
  "sort",
  "sort_key",
  "sort_dir",
  "name",
  "status",
  "visibility",
  "member_status",
  "tag",
  "size_min",
  "size_max",
  "os_hidden",
  "created_at",
  "updated_at",
  "id",
  "owner",
  "protected",
];

const FILTER_VALUES = [
  "",
  "%FF",
  "-1",
  "1e999",
  "18446744073709551616",
  "gt%3Anot-a-date",
  "in%3A",
  "name%3Aasc%2Cname%3Adesc",
  "x".repeat(300),
  UNKNOWN,
  "%00",
];

/** The image API requests of the sweep (paths from the API's root). */
export function imageSweep(ids: SweepIds): SweepRequest[] {
  const out: SweepRequest[] = [];
  const images = [ids.image, UNKNOWN, "%FF%FE", "..", "a".repeat(300)];
  const paths = ["/", "/versions", "/v2/schemas/image", "/v2/schemas/images", "/v2/images"];
  for (const id of images) {
    paths.push(`/v2/images/${id}`, `/v2/images/${id}/file`, `/v2/images/${id}/tags/%FF`);
    paths.push(`/v2/images/${id}/tags/${"t".repeat(300)}`);
  }
  for (const path of paths) for (const method of METHODS) out.push({ method, path });
  for (const body of mutations(CREATE, ids)) out.push({ method: "POST", path: "/v2/images", body });
  for (const name of FILTERS) {
    for (const value of FILTER_VALUES) {
      out.push({ method: "GET", path: "/v2/images", query: `${name}=${value}` });
    }
  }
  for (const id of images.slice(0, 2)) out.push(...patches(`/v2/images/${id}`));
  out.push(...uploads(ids.image));
  return out;
}

/** json-patch documents: each op, path and value wrong in turn. */
function patches(path: string): SweepRequest[] {
  const headers = { "Content-Type": PATCH_TYPE };
  const docs: string[] = ["[]", "{}", "null", "[1]", '[{"op": "replace"}]'];
  for (const op of ["add", "replace", "remove", "move", "test", "bogus"]) {
    for (const at of ["/name", "/tags", "/tags/0", "/custom", "/id", "/locations/0", "/", "x"]) {
      for (const value of HOSTILE_VALUES.slice(0, 12)) {
        docs.push(`[{"op": "${op}", "path": "${at}", "value": ${value}}]`);
      }
    }
  }
  return docs.map((body) => ({ method: "PATCH", path, body, headers }));
}

/** Uploads with odd media types, lengths and bodies. */
function uploads(image: string): SweepRequest[] {
  const path = `/v2/images/${image}/file`;
  const types = ["application/octet-stream", "text/plain", "application/json", "", "a/b;c"];
  return types.flatMap((type) => [
    { method: "PUT", path, body: "data", headers: { "Content-Type": type } },
    { method: "PUT", path, body: "", headers: { "Content-Type": type } },
  ]);
}
