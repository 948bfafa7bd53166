/**
 * The built-in flat network that stands in for Neutron: one shared IPv4
 * network (`[novalet_network]` name, id and CIDR) whose "ports" are rows of
 * `fixed_ips`, one address each. The compute API validates requested
 * networks against it as nova's neutron API does (`validate_networks`);
 * the build allocates an address per requested network, and delete
 * releases them. An address is never given to two live ports (a unique
 * constraint), and is reused only after its port is gone.
 *
 * Mirrors the parts of nova/network/neutron.py the servers API reaches:
 * `validate_networks` / `_ports_needed_per_instance`, `allocate_for_instance`,
 * `deallocate_for_instance`, and the network info `get_networks_for_instance`
 * reads.
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Store } from "../../store/db.ts";
import { utcnow } from "../../store/timestamps.ts";
import { Conflict, Invalid, NovaException } from "../servers/errors.ts";
import type { Port, RequestedNetwork } from "../servers/instance.ts";

/** What a create asks for: a list, `auto`/`none` (2.37), or nothing (before 2.37). */
export type NetworkRequest = RequestedNetwork[] | "auto" | "none" | null;

/** The network as `[novalet_network]` describes it. */
export interface FlatNetworkConfig {
  readonly id: string;
  readonly name: string;
  readonly cidr: string;
}

/** nova.exception.NetworkNotFound (400 at server create). */
export class NetworkNotFound extends Invalid {
  constructor(networkId: string) {
    super(`Network ${networkId} could not be found.`);
  }
}

/**
 * nova.exception.NoMoreFixedIps (`exhausted`), InvalidInput for an address
 * outside the subnet (`invalid`), FixedIpAlreadyInUse (`in_use`): the
 * build fails; an interface attach answers 400 or 409.
 */
export class FixedIpAllocationFailed extends NovaException {
  constructor(message: string, readonly kind: "exhausted" | "invalid" | "in_use") {
    super(message);
  }
}

/** The built-in network on one store. */
export class FlatNetwork {
  readonly #first: number;
  readonly #last: number;

  constructor(readonly db: Store, readonly config: FlatNetworkConfig) {
    const [base, bits] = parseCidr(config.cidr);
    const size = 2 ** (32 - bits);
    // Network address, gateway (first host) and broadcast are not handed out.
    this.#first = base + 2;
    this.#last = base + size - 2;
  }

  /** The network of `[novalet_network]`. */
  static fromConf(db: Store, conf: Conf): FlatNetwork {
    const c = conf.novalet_network;
    return new FlatNetwork(db, { id: c.network_id, name: c.network_name, cidr: c.cidr });
  }

  /**
   * `validate_networks`: every requested network exists, every requested
   * port is known and free, no requested fixed IP is in use.
   *
   * @throws {NetworkNotFound} for an unknown network id
   * @throws {Invalid} PortNotFound, FixedIpAlreadyInUse (400)
   * @throws {Conflict} PortInUse (409)
   */
  validate(requested: NetworkRequest): void {
    if (requested === null || typeof requested === "string") return;
    const missing: string[] = [];
    for (const request of requested) {
      if (request.port_id) {
        this.#validatePort(request.port_id);
        continue;
      }
      if (request.address) this.#validateFixedIp(request.address);
      if (request.network_id !== this.config.id && !missing.includes(request.network_id!)) {
        missing.push(request.network_id!);
      }
    }
    if (missing.length) throw new NetworkNotFound(missing.join(", "));
  }

  #validatePort(portId: string): void {
    if (this.db.get("SELECT 1 FROM fixed_ips WHERE port_id = ?", portId)) {
      throw new Conflict(`Port ${portId} is still in use.`);
    }
    throw new Invalid(`Port id ${portId} could not be found.`);
  }

  #validateFixedIp(address: string): void {
    const row = this.db.get<{ instance_uuid: string }>(
      "SELECT instance_uuid FROM fixed_ips WHERE network_id = ? AND address = ?",
      this.config.id,
      address,
    );
    if (row) {
      throw new Invalid(
        `Fixed IP address ${address} is already in use on instance ${row.instance_uuid}.`,
      );
    }
  }

  /**
   * `allocate_for_instance`: one port per requested network (one on this
   * network for `auto` or no request, none for `none`), inside the
   * caller's transaction.
   *
   * @throws {FixedIpAllocationFailed} when an address is taken, outside
   *   the subnet, or the subnet is full
   */
  allocate(instanceUuid: string, requested: NetworkRequest): Port[] {
    if (requested === "none") return [];
    const wanted = requested === null || requested === "auto"
      ? [null]
      : requested.map((r) => r.address);
    return wanted.map((address) => this.#createPort(instanceUuid, address));
  }

  #createPort(instanceUuid: string, address: string | null): Port {
    const ipInt = address === null ? this.#freeAddress() : this.#requestedAddress(address);
    const port: Port = {
      port_id: crypto.randomUUID(),
      network_id: this.config.id,
      address: intToIp(ipInt),
      mac_address: this.#freeMac(),
    };
    try {
      this.db.run(
        `INSERT INTO fixed_ips (port_id, network_id, address, ip_int, mac_address, instance_uuid,
           created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        port.port_id,
        port.network_id,
        port.address,
        ipInt,
        port.mac_address,
        instanceUuid,
        utcnow(),
      );
    } catch {
      // A concurrent allocation took it (the unique constraint); the
      // database's own text stays out of the message (it ends in a fault).
      throw new FixedIpAllocationFailed(`Fixed IP ${port.address} is already in use.`, "in_use");
    }
    return port;
  }

  #requestedAddress(address: string): number {
    const n = ipToInt(address);
    if (n === null || n < this.#first || n > this.#last) {
      throw new FixedIpAllocationFailed(
        `Fixed IP ${address} is not a valid ip address for network ${this.config.id}.`,
        "invalid",
      );
    }
    return n;
  }

  /** The next address after the highest in use, else the first gap. */
  #freeAddress(): number {
    const top = this.db.get<{ n: number | null }>(
      "SELECT MAX(ip_int) AS n FROM fixed_ips WHERE network_id = ?",
      this.config.id,
    )?.n ?? null;
    if (top === null || top < this.#first) return this.#first;
    if (top < this.#last) return top + 1;
    const gap = this.db.get<{ n: number | null }>(
      `SELECT MIN(n) AS n FROM (SELECT ? AS n UNION ALL SELECT ip_int + 1 FROM fixed_ips
         WHERE network_id = ?) c
       WHERE n <= ? AND NOT EXISTS (SELECT 1 FROM fixed_ips f WHERE f.network_id = ?
         AND f.ip_int = c.n)`,
      this.#first,
      this.config.id,
      this.#last,
      this.config.id,
    )?.n ?? null;
    if (gap === null) {
      throw new FixedIpAllocationFailed(
        `No fixed IP addresses available for network: ${this.config.id}`,
        "exhausted",
      );
    }
    return gap;
  }

  /** A MAC with Neutron's default base_mac prefix fa:16:3e, not in use. */
  #freeMac(): string {
    for (;;) {
      const mac = "fa:16:3e:" +
        [...crypto.getRandomValues(new Uint8Array(3))].map((b) => b.toString(16).padStart(2, "0"))
          .join(":");
      if (!this.db.get("SELECT 1 FROM fixed_ips WHERE mac_address = ?", mac)) return mac;
    }
  }

  /** `deallocate_for_instance`: drops the instance's ports. */
  release(instanceUuid: string): void {
    this.db.run("DELETE FROM fixed_ips WHERE instance_uuid = ?", instanceUuid);
  }

  /** The network label of a port (`vif['network']['label']`). */
  labelOf(port: Port): string {
    return port.network_id === this.config.id ? this.config.name : port.network_id;
  }
}

/** `a.b.c.d/n` → [base as an integer, n]. */
function parseCidr(cidr: string): [number, number] {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr.trim());
  const base = m ? ipToInt(m[1]) : null;
  const bits = m ? Number(m[2]) : NaN;
  if (base === null || !(bits >= 0 && bits <= 30)) {
    throw new Error(`Invalid [novalet_network] cidr "${cidr}": an IPv4 CIDR up to /30 is needed`);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [(base & mask) >>> 0, bits];
}

/** Dotted quad → integer, or null. */
export function ipToInt(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return null;
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Integer → dotted quad. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}
