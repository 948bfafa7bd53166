/**
 * An instance's network info (nova's `NetworkInfo` of VIFs) built from its
 * ports on the built-in flat network, the way nova's neutron API builds it
 * from Neutron's ports and subnets: one VIF per port, on a network with
 * one IPv4 subnet (the `[novalet_network] cidr`, its first address the
 * gateway).
 *
 * The flat network runs no DHCP server, so its subnet is one with
 * `enable_dhcp = False` in Neutron's terms: no `dhcp_server` meta, and
 * network_data.json carries the static address, netmask and default
 * route a guest configures itself with. Its MTU is a flat network's 1500,
 * and its ports are bound as ML2/OVS binds them (`ovs`, device
 * `tap` + the port id, 14 characters in all).
 *
 * Mirrors nova/network/neutron.py (`_build_vif_model`,
 * `_get_subnets_from_port`, `_build_network_info_model`) and the parts of
 * nova/network/model.py netutils reads.
 *
 * @module
 */

import { intToIp, ipToInt } from "../compute/network/flat.ts";
import type { Port } from "../compute/servers/instance.ts";

/** A fixed IP of a subnet (`network_model.FixedIP`). */
export interface FixedIp {
  readonly address: string;
  readonly version: 4 | 6;
}

/** A subnet (`network_model.Subnet`), its meta flattened. */
export interface Subnet {
  readonly cidr: string;
  readonly version: 4 | 6;
  readonly gateway: string | null;
  readonly dns: readonly string[];
  readonly routes: readonly { cidr: string; gateway: string }[];
  readonly ips: readonly FixedIp[];
  readonly dhcpServer: string | null;
  readonly ipv6AddressMode: string | null;
}

/** A VIF (`network_model.VIF`) with its network. */
export interface Vif {
  readonly id: string;
  /** The MAC address. */
  readonly address: string;
  readonly devname: string;
  readonly type: string;
  readonly network: {
    readonly id: string;
    readonly label: string;
    readonly mtu: number | null;
    readonly subnets: readonly Subnet[];
  };
}

/** The flat network as `[novalet_network]` describes it. */
export interface FlatNetworkDescription {
  readonly id: string;
  readonly name: string;
  readonly cidr: string;
}

/** `network_model.NIC_NAME_LEN`. */
const NIC_NAME_LEN = 14;
/** A flat provider network's MTU. */
const FLAT_MTU = 1500;

/** The network info of an instance's ports (in port order). */
export function networkInfoOf(ports: readonly Port[], network: FlatNetworkDescription): Vif[] {
  const [base, bits] = parseV4Cidr(network.cidr);
  const cidr = `${intToIp(base)}/${bits}`;
  const gateway = intToIp(base + 1);
  return ports.map((port) => ({
    id: port.port_id,
    address: port.mac_address,
    devname: `tap${port.port_id}`.slice(0, NIC_NAME_LEN),
    type: "ovs",
    network: {
      id: port.network_id,
      label: port.network_id === network.id ? network.name : port.network_id,
      mtu: FLAT_MTU,
      subnets: [{
        cidr,
        version: 4,
        gateway,
        dns: [],
        routes: [],
        ips: [{ address: port.address, version: 4 }],
        dhcpServer: null,
        ipv6AddressMode: null,
      }],
    },
  }));
}

/** An IPv4 CIDR as [network address as an integer, prefix length]. */
function parseV4Cidr(cidr: string): [number, number] {
  const [ip, len] = cidr.split("/");
  const bits = len === undefined ? 32 : Number(len);
  const n = ipToInt(ip) ?? 0;
  return [(n & maskBits(bits)) >>> 0, bits];
}

function maskBits(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** `IPNetwork(cidr).netmask` of an IPv4 CIDR. */
export function netmaskOf(cidr: string): string {
  return intToIp(maskBits(parseV4Cidr(cidr)[1]));
}

/** `IPNetwork(cidr).network` of an IPv4 CIDR. */
export function networkOf(cidr: string): string {
  return intToIp(parseV4Cidr(cidr)[0]);
}
