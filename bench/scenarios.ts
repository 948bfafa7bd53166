/**
 * What `deno task bench` loads: the endpoints, which servers answer each,
 * the data every server is seeded with (as PERF.md seeded nova-api: 10
 * flavors and 100 imported keypairs), and nova-api's figures from
 * ../shared/reference/nova26/PERF.md for runs without a live nova.
 *
 * @module
 */

/**
 * The servers of a run: `bare` is a bare Deno.serve hello world; `deno` the
 * noauth2 novalet under `deno run`; `bun` the same as the executable `bun
 * build --compile` makes; `servers` a noauth2 novalet holding 1,000
 * servers; `keystone` novalet with `[api] auth_strategy = keystone` against
 * the real Keystone; `nova` the nova-api at NOVA_REF_URL.
 */
export type Role = "bare" | "deno" | "bun" | "servers" | "keystone" | "nova";

/** How each role is shown. */
export const ROLE_NAMES: Record<Role, string> = {
  bare: "bare Deno.serve",
  deno: "novalet (deno run)",
  bun: "novalet (bun executable)",
  servers: "novalet (deno run), 1,000 servers",
  keystone: "novalet (deno run), keystone",
  nova: "nova-api 26",
};

/** nova-api's figures in PERF.md (wrk -t2 -c64, pooled medians of 10 rounds, another machine). */
export interface PerfFigure {
  rps: number;
  p50: number;
  p99: number;
}

/** One endpoint under load. */
export interface Scenario {
  /** What `deno task bench FILTER` matches (a substring of it). */
  id: string;
  title: string;
  path: string;
  /** Send the admin token (noauth2 `admin:admin`, or a Keystone token). */
  token: boolean;
  roles: Role[];
  perf?: PerfFigure;
}

export const SCENARIOS: Scenario[] = [
  {
    id: "root",
    title: "GET /",
    path: "/",
    token: false,
    roles: ["bare", "deno", "bun", "nova"],
    perf: { rps: 4138, p50: 0.29, p99: 1880 },
  },
  {
    id: "v2.1",
    title: "GET /v2.1/",
    path: "/v2.1/",
    token: true,
    roles: ["deno", "bun", "nova"],
  },
  {
    id: "flavors-detail",
    title: "GET /v2.1/flavors/detail (10 flavors)",
    path: "/v2.1/flavors/detail",
    token: true,
    roles: ["deno", "bun", "nova"],
    perf: { rps: 262, p50: 235, p99: 423 },
  },
  {
    id: "keypairs",
    title: "GET /v2.1/os-keypairs (100 keypairs)",
    path: "/v2.1/os-keypairs",
    token: true,
    roles: ["deno", "bun", "nova"],
    perf: { rps: 185, p50: 354, p99: 549 },
  },
  {
    id: "servers-empty",
    title: "GET /v2.1/servers/detail (empty)",
    path: "/v2.1/servers/detail",
    token: true,
    roles: ["deno", "bun", "nova"],
    perf: { rps: 107, p50: 572, p99: 849 },
  },
  {
    id: "servers-1000",
    title: "GET /v2.1/servers/detail?limit=1000 (1,000 servers)",
    path: "/v2.1/servers/detail?limit=1000",
    token: true,
    roles: ["servers"],
  },
  {
    id: "keystone-flavors",
    title: "GET /v2.1/flavors (keystone cached token vs noauth2)",
    path: "/v2.1/flavors",
    token: true,
    roles: ["deno", "keystone"],
  },
];

/**
 * The scenario of the connections phase: its path at 64 and at 5,000
 * connections, as fast as they go (closed loop, as every other scenario)
 * and paced at the same offered load (each connection waits between
 * requests), which keeps the server below saturation.
 */
export const MANY_CONNECTIONS = {
  id: "c5000",
  title: "GET /v2.1/flavors/detail at 64 and 5,000 connections",
  path: "/v2.1/flavors/detail",
  connections: [64, 5000],
  paceRps: 5000,
  roles: ["bare", "deno"] as Role[],
};

/** nova-api's memory and start-up in PERF.md (kB; parent + worker). */
export const PERF_NOVA = {
  startupMs: 1440,
  afterStart: { rssKb: 280_000, pssKb: 165_000 },
  afterLoad: { rssKb: 326_000, pssKb: 219_700 },
  source: "../shared/reference/nova26/PERF.md (2 vCPU AMD EPYC, another run)",
};

/** The noauth2 admin token. */
export const NOAUTH_ADMIN = "admin:admin";

/** The RSA public key PERF.md's keypairs were imported with (nova26/capture.py RSA_PUB). */
export const RSA_PUB =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC+5SEc34R9aYL4DYPPCDAPm4ku+3il+r7zf1t" +
  "pjvF8GpsK87m0/4b6q5tj5qUgk9dxausvwEvPggi46pwM2ZRIT+RiNqn38nLjywtcLXWtV8tZlDY" +
  "By/CZLCrrno7Ft5Ipsdogn1RWqz5d80c8WxMj2scPEuurNqk+n2lrhBsnozsbFcb6EWtFZ6PPhV" +
  "6cHYTtiDXSVZuiu2uXj4GKQMdihhNn5g5AxdZZ35jQb3b0ghuH++pRNqeVZ+XrXxLAUNO9n+94SW7" +
  "Jj49nT1SXPNIEY1vN20FGuRcvQEwM4rRnp3CpJC+J+HKVYieo1+dz1xjlLoa+sZbWWRf/dFjQBtUJ" +
  " nova-ref@example";

async function call(
  url: string,
  token: string,
  method = "GET",
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { "X-Auth-Token": token, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

/**
 * Seeds a server as PERF.md seeded nova-api: 10 flavors (`bench.f00`..) and
 * `keypairs` imported keypairs, creating only what is missing (a live nova
 * keeps them between runs). Returns how many of each it then lists.
 */
export async function seed(
  base: string,
  token: string,
  keypairs = 100,
): Promise<{ flavors: number; keypairs: number }> {
  const flavors = await call(`${base}/v2.1/flavors/detail`, token);
  const have = new Set((flavors.json.flavors as { name: string }[]).map((f) => f.name));
  for (let i = 0; i < 10; i++) {
    const name = `bench.f${String(i).padStart(2, "0")}`;
    if (have.has(name)) continue;
    const flavor = {
      name,
      ram: 512 * (i + 1),
      vcpus: 1 + (i % 4),
      disk: 10 * i,
      id: `bench-f${String(i).padStart(2, "0")}`,
    };
    const r = await call(`${base}/v2.1/flavors`, token, "POST", { flavor });
    if (r.status !== 200) throw new Error(`seeding ${name}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const keys = await call(`${base}/v2.1/os-keypairs`, token);
  const haveKeys = new Set(
    (keys.json.keypairs as { keypair: { name: string } }[]).map((k) => k.keypair.name),
  );
  for (let i = 0; i < keypairs; i++) {
    const name = `bench-key-${String(i).padStart(3, "0")}`;
    if (haveKeys.has(name)) continue;
    const r = await call(`${base}/v2.1/os-keypairs`, token, "POST", {
      keypair: { name, public_key: RSA_PUB },
    });
    if (r.status !== 200) throw new Error(`seeding ${name}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const after = await call(`${base}/v2.1/flavors/detail`, token);
  const afterKeys = await call(`${base}/v2.1/os-keypairs`, token);
  return {
    flavors: (after.json.flavors as unknown[]).length,
    keypairs: (afterKeys.json.keypairs as unknown[]).length,
  };
}
