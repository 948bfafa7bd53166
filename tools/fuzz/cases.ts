/**
 * One fuzz case: a whole request as bytes, built from a target's schema
 * and mutated in its body, query, path, headers, method or framing.
 *
 * @module
 */

import { ApiVersion } from "../../lib/compute/api_version.ts";
import { parseJsonBody } from "../../lib/http/json_body.ts";
import { schemasFor, validateBody, type VersionedSchema } from "../../lib/validation/mod.ts";
import { latin1Bytes, utf8 } from "../raw_http.ts";
import { generate } from "./generate.ts";
import { hasSpecials, toJsonText } from "./json_text.ts";
import {
  METHODS,
  MICROVERSIONS,
  mutateBytes,
  mutateValue,
  oddHeaders,
  oddPath,
  wireGarbage,
} from "./mutate.ts";
import { below, pick, type Random } from "./random.ts";
import { BODY_TARGETS, type Fixtures, QUERY_TARGETS, readPaths } from "./targets.ts";

/** A request to send, and what its answer may be. */
export interface FuzzCase {
  /** What was done, for the report (`body: flavor create: wrong type`). */
  readonly kind: string;
  readonly method: string;
  readonly bytes: Uint8Array;
  /** Breaks HTTP framing: the HTTP layer answers, or closes without an answer. */
  readonly wire: boolean;
  /** The schema the server applies refuses the body: the answer must be a 4xx. */
  readonly mustReject: boolean;
  /** A server action, whose refusal may keep its record (see BodyTarget.audited). */
  readonly audited?: boolean;
}

const LATEST = 93;

/** A version nova parses and serves (2.1 to 2.93). */
function served(v: string): boolean {
  const m = /^2\.([1-9]\d*)$/.exec(v);
  return m !== null && Number(m[1]) <= LATEST;
}

function version(random: Random): string {
  if (random() < 0.85) return `2.${1 + below(random, LATEST)}`;
  return pick(random, MICROVERSIONS);
}

function requestBytes(
  method: string,
  target: string,
  headers: [string, string][],
  body: Uint8Array | null,
): Uint8Array {
  const lines = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1"];
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  if (body !== null) lines.push(`Content-Length: ${body.length}`);
  const head = latin1Bytes(lines.join("\r\n") + "\r\n\r\n");
  if (body === null) return head;
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function baseHeaders(v: string): [string, string][] {
  return [
    ["X-Auth-Token", "admin:admin"],
    ["Accept", "application/json"],
    ["Content-Type", "application/json"],
    ["OpenStack-API-Version", `compute ${v}`],
  ];
}

/** Headers with the odd ones replacing (or, for repeats, joining) the usual ones. */
function withOdd(headers: [string, string][], odd: [string, string][], name: string) {
  const replaced = new Set(odd.map(([k]) => k.toLowerCase()));
  if (name === "no token") replaced.add("x-auth-token");
  return [...headers.filter(([k]) => !replaced.has(k.toLowerCase())), ...odd];
}

/** Whether `schemas` at version `v` refuse `body` (false when unsure). */
function refused(schemas: readonly VersionedSchema[], v: string, body: unknown): boolean {
  const chosen = schemasFor({ apiVersion: ApiVersion.parse(v), legacyV2: false }, schemas);
  if (chosen.length === 0) return false;
  try {
    for (const s of chosen) validateBody(s, body);
    return false;
  } catch {
    return true;
  }
}

function bodyCase(random: Random, f: Fixtures, known: { uuids: string[] }): FuzzCase {
  const target = pick(random, BODY_TARGETS);
  const v = version(random);
  const vs = served(v) ? v : "2.93";
  const applicable = schemasFor(
    { apiVersion: ApiVersion.parse(vs), legacyV2: false },
    target.schemas,
  );
  const schema = applicable.length > 0
    ? pick(random, applicable)
    : target.schemas[target.schemas.length - 1].schema;
  const valid = target.template && random() < 0.5
    ? target.template(f, Number(vs.split(".")[1]))
    : generate(schema as Record<string, unknown>, random, known);
  const { value, names } = random() < 0.95
    ? mutateValue(valid, random)
    : { value: valid, names: [] };
  let bytes = utf8(toJsonText(value));
  let byteMutation: string | null = null;
  if (random() < 0.2) {
    const m = mutateBytes(bytes, random);
    bytes = m.bytes;
    byteMutation = m.name;
  }
  let headers = baseHeaders(v);
  let headerMutation: string | null = null;
  if (random() < 0.1) {
    const odd = oddHeaders(random);
    headers = withOdd(headers, odd.headers, odd.name);
    headerMutation = odd.name;
  }
  // The oracle holds for plain JSON sent as nova expects it.
  const plain = byteMutation === null && headerMutation === null && !hasSpecials(value) &&
    served(v) && target.oracle;
  let mustReject = false;
  if (plain) {
    try {
      mustReject = refused(target.schemas, v, parseJsonBody(new TextDecoder().decode(bytes)));
    } catch {
      mustReject = false;
    }
  }
  const kind = ["body", target.name, ...names, byteMutation, headerMutation].filter(Boolean)
    .join(": ");
  const bytesOut = requestBytes(target.method, `/v2.1${target.path(f)}`, headers, bytes);
  return {
    kind,
    method: target.method,
    bytes: bytesOut,
    wire: false,
    mustReject,
    audited: target.audited,
  };
}

function queryCase(random: Random, f: Fixtures, known: { uuids: string[] }): FuzzCase {
  const target = pick(random, QUERY_TARGETS);
  const v = version(random);
  const schema = target.schemas[below(random, target.schemas.length)].schema as Record<
    string,
    unknown
  >;
  const params: string[] = [];
  const properties = Object.entries((schema.properties ?? {}) as Record<string, unknown>);
  for (const [name, sub] of properties) {
    if (random() < 0.15) {
      const item = (sub as { items?: Record<string, unknown> }).items ?? {};
      let value = String(generate(item, random, known));
      if (random() < 0.5) {
        value = pick(random, [
          "-1",
          "abc",
          "1e10",
          "%ff",
          "%",
          "",
          "x".repeat(300),
          "1.5",
          "99999999999999999999",
          "true",
          "None",
          "2020-13-45",
          "(",
          "%00",
        ]);
      }
      params.push(`${encodeURIComponent(name)}=${value}`);
      if (random() < 0.2) params.push(`${encodeURIComponent(name)}=${value}`);
    }
  }
  if (random() < 0.3) {
    params.push(
      `${pick(random, ["fuzz", "%ff", "", "a[b]", "limit"])}=${pick(random, ["1", "%e2%82", ""])}`,
    );
  }
  const query = params.join("&");
  const path = `/v2.1${target.path(f)}${query ? "?" + query : ""}`;
  return {
    kind: `query: ${target.name}`,
    method: "GET",
    bytes: requestBytes("GET", path, baseHeaders(v), null),
    wire: false,
    mustReject: false,
  };
}

function pathCase(random: Random, f: Fixtures): FuzzCase {
  const { path, name } = oddPath(pick(random, readPaths(f)), random);
  return {
    kind: `path: ${name}`,
    method: "GET",
    bytes: requestBytes("GET", path, baseHeaders(version(random)), null),
    wire: false,
    mustReject: false,
  };
}

function methodCase(random: Random, f: Fixtures): FuzzCase {
  const method = pick(random, METHODS);
  const path = pick(random, readPaths(f));
  const body = ["POST", "PUT", "PATCH"].includes(method) && random() < 0.7 ? utf8("{}") : null;
  return {
    kind: `method: ${method}`,
    method,
    bytes: requestBytes(method, path, baseHeaders(version(random)), body),
    wire: false,
    mustReject: false,
  };
}

function headerCase(random: Random, f: Fixtures): FuzzCase {
  const odd = oddHeaders(random);
  const path = pick(random, readPaths(f));
  const method = random() < 0.8 ? "GET" : "HEAD";
  return {
    kind: `headers: ${odd.name}`,
    method,
    bytes: requestBytes(method, path, withOdd(baseHeaders("2.1"), odd.headers, odd.name), null),
    wire: false,
    mustReject: false,
  };
}

function wireCase(random: Random): FuzzCase {
  const { text, name } = wireGarbage(random);
  const method = text.split(" ")[0];
  return { kind: `wire: ${name}`, method, bytes: latin1Bytes(text), wire: true, mustReject: false };
}

/** The next case: mostly mutated bodies, then queries, paths, methods, headers and framing. */
export function nextCase(random: Random, f: Fixtures, known: { uuids: string[] }): FuzzCase {
  const r = random();
  if (r < 0.6) return bodyCase(random, f, known);
  if (r < 0.7) return queryCase(random, f, known);
  if (r < 0.78) return pathCase(random, f);
  if (r < 0.85) return methodCase(random, f);
  if (r < 0.93) return headerCase(random, f);
  return wireCase(random);
}
