/**
 * The fuzzer's mutations: of a JSON value (wrong types, huge numbers, odd
 * strings, deep nesting, missing and unknown keys, duplicate keys, tokens
 * JSON does not have), of its text and bytes (truncated, invalid UTF-8,
 * random bytes, a BOM), and the odd values of headers, microversions,
 * methods and paths.
 *
 * @module
 */

import { Pairs, Raw } from "./json_text.ts";
import { below, pick, type Random } from "./random.ts";

const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  "",
  "x",
  "1",
  "true",
  [],
  {},
  [1],
  { a: 1 },
  [null],
];

const HUGE_NUMBERS: unknown[] = [
  new Raw("1e400"),
  new Raw("-1e400"),
  new Raw("1" + "0".repeat(400)),
  new Raw("-" + "9".repeat(50)),
  new Raw("1.0"),
  new Raw("-0"),
  new Raw("1E+2"),
  new Raw("1e-400"),
  new Raw("NaN"),
  new Raw("Infinity"),
  new Raw("-Infinity"),
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  2 ** 64,
  1.7976931348623157e308,
  5e-324,
  0.1,
];

const ODD_STRINGS: string[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udc00x",
  "\u202e\u0644",
  "\u{1f600}",
  "e\u0301",
  "\u3000",
  "\u2028",
  "\ufeff",
  "\u00a0",
  "\t",
  " x ",
  "%00",
  "%ff",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '"; DROP TABLE instances; --',
  "${jndi:ldap://x}",
  "../../etc/passwd",
  "\\x00",
  "名前",
  "\n",
  "\r\n",
  "(?P<x",
  "[",
  "*",
  "a".repeat(256),
  "é".repeat(200),
];

/** A mutation of a JSON value: its name and what it does to a node. */
type NodeMutation = [string, (node: unknown, random: Random) => unknown];

/** Arrays or objects nested `depth` deep, as text (too deep for recursive code to build). */
function deep(depth: number, object: boolean): Raw {
  return object
    ? new Raw('{"a": '.repeat(depth) + "1" + "}".repeat(depth))
    : new Raw("[".repeat(depth) + "1" + "]".repeat(depth));
}

const NODE_MUTATIONS: NodeMutation[] = [
  ["wrong type", (_n, r) => pick(r, WRONG_TYPES)],
  ["huge number", (_n, r) => pick(r, HUGE_NUMBERS)],
  ["odd string", (_n, r) => pick(r, ODD_STRINGS)],
  ["long string", (_n, r) => "x".repeat(pick(r, [255, 256, 1000, 65536, 70000]))],
  ["deep nesting", (_n, r) => deep(pick(r, [20, 100, 1000, 5000, 20000]), r() < 0.5)],
  ["big array", (n, r) => Array.from({ length: pick(r, [51, 129, 1000]) }, () => n)],
  ["wrapped in a list", (n) => [n]],
  ["empty container", (_n, r) => (r() < 0.5 ? {} : [])],
  ["removed key", (n, r) => removeKey(n, r)],
  ["unknown key", (n, r) => addKey(n, r, pick(r, ["fuzz", "", "\u0000", "a".repeat(300), "id"]))],
  ["duplicate key", (n, r) => duplicateKey(n, r)],
  ["odd key", (n, r) => addKey(n, r, pick(r, ODD_STRINGS))],
  ["numeric string", (n) => (typeof n === "number" ? String(n) : n)],
];

function removeKey(node: unknown, random: Random): unknown {
  if (!isObject(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length === 0) return node;
  const drop = pick(random, keys);
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== drop));
}

function addKey(node: unknown, random: Random, key: string): unknown {
  if (!isObject(node)) return { [key]: node };
  return { ...node, [key]: pick(random, WRONG_TYPES) };
}

function duplicateKey(node: unknown, random: Random): unknown {
  if (!isObject(node) || Object.keys(node).length === 0) return new Pairs([["a", 1], ["a", node]]);
  const entries = Object.entries(node);
  const [key, value] = pick(random, entries);
  const other = pick(random, WRONG_TYPES);
  return new Pairs(
    random() < 0.5 ? [...entries, [key, other]] : [[key, other], ...entries, [
      key,
      value,
    ]],
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Raw) &&
    !(v instanceof Pairs);
}

/** Every path (keys and indexes) to a node of `value`, the root's `[]` first. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      paths(v, [...at, k], out);
    }
  }
  return out;
}

function replaceAt(value: unknown, path: (string | number)[], fn: (node: unknown) => unknown) {
  if (path.length === 0) return fn(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = replaceAt(value[head as number], rest, fn);
    return copy;
  }
  const obj = value as Record<string, unknown>;
  const next = replaceAt(obj[head as string], rest, fn);
  const copy = { ...obj };
  if (next === undefined) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

/**
 * Applies one to three node mutations at random places of `value`.
 *
 * @returns the mutated value and the names of the mutations
 */
export function mutateValue(value: unknown, random: Random): { value: unknown; names: string[] } {
  const names: string[] = [];
  let out = value;
  const rounds = 1 + below(random, random() < 0.7 ? 1 : 3);
  for (let i = 0; i < rounds; i++) {
    const all = paths(out);
    // Prefer the leaves and the inner objects over the root.
    const path = all.length > 1 && random() < 0.9 ? pick(random, all.slice(1)) : all[0];
    const [name, fn] = pick(random, NODE_MUTATIONS);
    names.push(name);
    out = replaceAt(out, path, (node) => fn(node, random));
    if (out === undefined) out = {};
  }
  return { value: out, names };
}

const INVALID_UTF8: number[][] = [
  [0xff],
  [0xc0, 0xaf],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xfe, 0xff],
];

/** A mutation of the body's bytes. */
export function mutateBytes(
  bytes: Uint8Array,
  random: Random,
): { bytes: Uint8Array; name: string } {
  const at = below(random, bytes.length + 1);
  const join = (...parts: ArrayLike<number>[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let i = 0;
    for (const p of parts) {
      out.set(p, i);
      i += p.length;
    }
    return out;
  };
  const enc = (s: string) => new TextEncoder().encode(s);
  switch (below(random, 9)) {
    case 0:
      return { bytes: bytes.subarray(0, at), name: "truncated" };
    case 1:
      return {
        bytes: join(bytes.subarray(0, at), pick(random, INVALID_UTF8), bytes.subarray(at)),
        name: "invalid UTF-8",
      };
    case 2: {
      const noise = new Uint8Array(1 + below(random, 200));
      for (let i = 0; i < noise.length; i++) noise[i] = below(random, 256);
      return { bytes: noise, name: "random bytes" };
    }
    case 3:
      return { bytes: join([0xef, 0xbb, 0xbf], bytes), name: "BOM" };
    case 4:
      return {
        bytes: join(bytes, enc(pick(random, ["x", "}", "]", " {}", "\u0000", "\n\n"]))),
        name: "trailing garbage",
      };
    case 5:
      return { bytes: new Uint8Array(0), name: "empty body" };
    case 6:
      return {
        bytes: enc(pick(random, ["null", "[]", '"x"', "1", "true", "{}", "[{}]", '{"a":'])),
        name: "other JSON",
      };
    case 7:
      return {
        bytes: join(enc(" ".repeat(pick(random, [10, 100_000, 120_000]))), bytes),
        name: "whitespace",
      };
    default: {
      const copy = bytes.slice();
      if (copy.length > 0) copy[below(random, copy.length)] = below(random, 256);
      return { bytes: copy, name: "flipped byte" };
    }
  }
}

/** Microversion header values, good and odd. */
export const MICROVERSIONS = [
  "2.1",
  "2.93",
  "latest",
  "2.0",
  "2.",
  "2",
  "2.94",
  "2.999",
  "3.0",
  "1.1",
  "2.1 2.2",
  " 2.5",
  "2.05",
  "02.10",
  "2.1000000000000000000001",
  "-2.1",
  "2.1e1",
  "LATEST",
  "Latest",
  "\u0662.\u0665",
  "2.5\u00ff",
  "",
  "x.y",
  "2.-1",
  "99999999999999999999.1",
];

/** One odd header set (name, value pairs), or a microversion header. */
export function oddHeaders(random: Random): { headers: [string, string][]; name: string } {
  const version = pick(random, MICROVERSIONS);
  const choices: [string, [string, string][]][] = [
    ["odd microversion", [["OpenStack-API-Version", `compute ${version}`]]],
    ["odd legacy microversion", [["X-OpenStack-Nova-API-Version", version]]],
    ["other service's microversion", [["OpenStack-API-Version", `network ${version}`]]],
    ["two microversions", [
      ["OpenStack-API-Version", "compute 2.1"],
      ["OpenStack-API-Version", `compute ${version}`],
    ]],
    ["microversion words", [[
      "OpenStack-API-Version",
      pick(random, [
        "compute",
        "compute  2.5",
        "compute 2.5 extra",
        ",",
        "compute 2.5, compute 2.6",
      ]),
    ]]],
    ["odd content type", [[
      "Content-Type",
      pick(random, [
        "application/xml",
        "text/plain",
        "text/html",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
        "application/json\u00ff",
        "",
        "*/*",
        "application/octet-stream",
        "application/json-patch+json",
      ]),
    ]]],
    ["odd accept", [[
      "Accept",
      pick(random, [
        "application/xml",
        "text/html",
        "*/*",
        "application/json;q=0",
        "\u00ff",
        "",
        "text/plain",
        "application/json, text/html;q=0.9",
      ]),
    ]]],
    ["odd token", [[
      "X-Auth-Token",
      pick(random, [
        "",
        "admin",
        "a:b:c",
        "admin:other",
        "demo:demoproject",
        "x".repeat(8000),
        "\u00ff\u00fe",
        ":",
        "admin:",
      ]),
    ]]],
    ["no token", []],
    ["odd request id", [[
      "X-OpenStack-Request-Id",
      pick(random, ["req-x", "", "req-" + "0".repeat(500), "\u00ff"]),
    ]]],
    ["odd forwarding", [
      ["X-Forwarded-For", pick(random, ["1.2.3.4", "", "x".repeat(1000), "::1, 10.0.0.1"])],
      ["X-Forwarded-Proto", pick(random, ["https", "gopher", ""])],
      ["Forwarded", pick(random, ["for=1.2.3.4;proto=https;host=x", "garbage", 'host="\u00ff"'])],
    ]],
    ["underscored header", [["X_Auth_Token", "demo:demoproject"]]],
    ["two tokens", [["X-Auth-Token", "admin:admin"], ["X-Auth-Token", "demo:demoproject"]]],
    ["two content types", [["Content-Type", "application/json"], [
      "Content-Type",
      "application/xml",
    ]]],
    ["cors", [["Origin", pick(random, ["http://example.com", "null", "\u00ff"])], [
      "Access-Control-Request-Method",
      pick(random, ["GET", "FOO", ""]),
    ]]],
  ];
  const [name, headers] = pick(random, choices);
  return { headers, name };
}

/** Request methods, usual and not. */
export const METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "OPTIONS",
  "TRACE",
  "CONNECT",
  "PROPFIND",
  "get",
  "FOO",
  "M-SEARCH",
  "GET\u00ff",
];

/** A path mutation of `path`. */
export function oddPath(path: string, random: Random): { path: string; name: string } {
  const choices: [string, () => string][] = [
    ["trailing slash", () => path + "/"],
    ["double slashes", () => path.replace(/\//g, "//")],
    ["dot segments", () => path + "/../../../etc/passwd"],
    ["encoded dots", () => path + "/%2e%2e/%2e%2e"],
    ["NUL", () => path + "%00"],
    [
      "invalid percent-encoding",
      () => path + pick(random, ["%", "%zz", "%ff", "%c0%af", "%e2%82"]),
    ],
    ["raw high byte", () => path + "/\u00ff\u00fe"],
    ["unicode segment", () => path + "/%E5%90%8D"],
    ["long segment", () => path + "/" + "a".repeat(pick(random, [255, 4000, 7900]))],
    ["upper case", () => path.toUpperCase()],
    ["unknown id", () => path.replace(/[0-9a-f-]{36}/, crypto.randomUUID())],
    [
      "project id prefix",
      () =>
        path.replace("/v2.1/", pick(random, ["/v2.1/admin/", "/v2.1/0123abcd/", "/v2.1/ffff/"])),
    ],
    ["v2 prefix", () => path.replace("/v2.1", "/v2")],
    [
      "odd query",
      () =>
        path + "?" +
        pick(random, [
          "limit=-1",
          "limit=abc&limit=1",
          "marker=%ff",
          "a=%",
          "=",
          "&&&",
          "sort_key=" + "x".repeat(300),
          "limit=1e10",
          "changes-since=yesterday",
          "all_tenants=1&project_id=x",
          "deleted=true",
          "ip=(",
          "name=[",
        ]),
    ],
    ["fragment", () => path + "#frag"],
    ["asterisk", () => "*"],
    ["absolute form", () => "http://evil.example" + path],
    ["no leading slash", () => path.slice(1)],
  ];
  const [name, make] = pick(random, choices);
  return { path: make(), name };
}

/** Whole requests that break HTTP itself (each answered by the HTTP layer, or closed). */
export function wireGarbage(random: Random): { text: string; name: string } {
  const ok = "GET /v2.1/flavors HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:admin\r\n";
  const choices: [string, () => string][] = [
    ["HTTP/2.0", () => "GET / HTTP/2.0\r\n\r\n"],
    [
      "bad version",
      () =>
        `GET / ${
          pick(random, [
            "HTTP/1.x",
            "HTTP/1",
            "http/1.1",
            "HTTP/1.1.1",
            "HTTP/",
            "HTTP/-1.1",
            "FOO/1.1",
          ])
        }\r\n\r\n`,
    ],
    ["HTTP/0.9", () => "GET /\r\n\r\n"],
    ["HTTP/0.9 POST", () => "POST /\r\n\r\n"],
    ["four words", () => "GET / x HTTP/1.1\r\n\r\n"],
    ["bare LF", () => "GET / HTTP/1.1\nHost: x\n\n"],
    ["header without colon", () => ok + "NoColon\r\n\r\n"],
    ["space before colon", () => ok + "X-Foo : bar\r\n\r\n"],
    ["obs-fold", () => ok + "X-Foo: a\r\n b\r\n\r\n"],
    ["bare CR", () => ok + "X-Foo: a\rb\r\n\r\n"],
    ["NUL in header", () => ok + "X-Foo: a\u0000b\r\n\r\n"],
    [
      "conflicting lengths",
      () => "POST /v2.1/flavors HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    ],
    ["signed length", () => "POST /v2.1/flavors HTTP/1.1\r\nContent-Length: +2\r\n\r\n{}"],
    ["negative length", () => "POST /v2.1/flavors HTTP/1.1\r\nContent-Length: -1\r\n\r\n"],
    [
      "huge length",
      () =>
        "POST /v2.1/flavors HTTP/1.1\r\nX-Auth-Token: admin:admin\r\nContent-Length: 99999999999999999999\r\n\r\n",
    ],
    ["gzip encoding", () => "POST /v2.1/flavors HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"],
    [
      "chunked and length",
      () =>
        "POST /v2.1/flavors HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
    ],
    [
      "bad chunk size",
      () =>
        "POST /v2.1/flavors HTTP/1.1\r\nX-Auth-Token: admin:admin\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    ],
    [
      "chunked body",
      () =>
        "POST /v2.1/flavors HTTP/1.1\r\nX-Auth-Token: admin:admin\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    ],
    ["101 headers", () => "GET / HTTP/1.1\r\n" + "X-A: b\r\n".repeat(101) + "\r\n"],
    ["9000-byte URL", () => `GET /${"a".repeat(9000)} HTTP/1.1\r\n\r\n`],
    ["long header line", () => ok + `X-Long: ${"b".repeat(16400)}\r\n\r\n`],
    ["empty request line", () => "\r\n\r\n"],
    [
      "random printable line",
      () =>
        Array.from(
          { length: 1 + below(random, 60) },
          () => String.fromCharCode(32 + below(random, 95)),
        ).join("") + "\r\n\r\n",
    ],
    [
      "random bytes line",
      () =>
        Array.from({ length: 1 + below(random, 60) }, () => String.fromCharCode(below(random, 256)))
          .join("").replace(/[\r\n]/g, "x") + "\r\n\r\n",
    ],
    ["method only", () => "GET\r\n\r\n"],
    ["tab separated", () => "GET\t/\tHTTP/1.1\r\n\r\n"],
    [
      "odd method",
      () =>
        `${
          pick(random, ["", "G E T", "\u00ff", "GET\u0000", "DELETE"])
        } /v2.1/flavors HTTP/1.1\r\nX-Auth-Token: admin:admin\r\n\r\n`,
    ],
    ["expect other", () => ok + "Expect: 200-ok\r\n\r\n"],
  ];
  const [name, make] = pick(random, choices);
  return { text: make(), name };
}
