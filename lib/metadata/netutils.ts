/**
 * network_data.json and the EC2 addresses from an instance's network
 * info: the links (VIFs), the networks on them (the first IPv4 and the
 * first IPv6 subnet of each), and the DNS services.
 *
 * Mirrors nova/virt/netutils.py (`get_network_metadata`,
 * `get_ec2_ip_info`, `_get_eth_link`, `_get_nets`, `_get_default_route`,
 * `_get_dns_services`).
 *
 * @module
 */

import { netmaskOf, networkOf, type Subnet, type Vif } from "./network_info.ts";

type Json = Record<string, unknown>;

/** network_data.json's document. */
export interface NetworkMetadata {
  links: Json[];
  networks: Json[];
  services: Json[];
}

/** `model.LEGACY_EXPOSED_VIF_TYPES`: VIF types shown as they are (else `phy`). */
const LEGACY_EXPOSED_VIF_TYPES = new Set([
  "bridge",
  "dvs",
  "ethernet",
  "hw_veb",
  "hyperv",
  "ovs",
  "tap",
  "vhostuser",
  "vif",
]);

/** `get_network_metadata`: null for no VIFs. */
export function getNetworkMetadata(vifs: readonly Vif[]): NetworkMetadata | null {
  if (!vifs.length) return null;
  const nets: Json[] = [];
  const links: Json[] = [];
  const services: Json[] = [];
  let ifcNum = -1;
  let netNum = -1;
  for (const vif of vifs) {
    if (!vif.network.subnets.length) continue;
    const v4 = vif.network.subnets.find((s) => s.version === 4);
    const v6 = vif.network.subnets.find((s) => s.version === 6);
    ifcNum++;
    if (!v4 && !v6) continue;
    const link = ethLink(vif, ifcNum);
    links.push(link);
    for (const [subnet, version] of [[v4, 4], [v6, 6]] as const) {
      if (!subnet?.ips.length) continue;
      netNum++;
      nets.push(netsOf(vif, subnet, version, netNum, link.id as string));
      for (const dns of dnsServices(subnet)) {
        if (!services.some((s) => s.address === dns.address)) services.push(dns);
      }
    }
  }
  return { links, networks: nets, services };
}

/** `_get_eth_link`. */
function ethLink(vif: Vif, ifcNum: number): Json {
  return {
    id: vif.devname || `interface${ifcNum}`,
    vif_id: vif.id,
    type: LEGACY_EXPOSED_VIF_TYPES.has(vif.type) ? vif.type : "phy",
    mtu: vif.network.subnets.some((s) => s.dhcpServer) ? null : vif.network.mtu,
    ethernet_mac_address: vif.address,
  };
}

/** `_get_nets`. */
function netsOf(vif: Vif, subnet: Subnet, version: 4 | 6, netNum: number, linkId: string): Json {
  let netType = "";
  if (subnet.ipv6AddressMode !== null) {
    netType = `_${subnet.ipv6AddressMode}`;
  } else if (subnet.dhcpServer !== null) {
    return {
      id: `network${netNum}`,
      type: `ipv${version}_dhcp`,
      link: linkId,
      network_id: vif.network.id,
    };
  }
  const net: Json = {
    id: `network${netNum}`,
    type: `ipv${version}${netType}`,
    link: linkId,
    ip_address: subnet.ips[0].address,
    netmask: netmaskOf(subnet.cidr),
    routes: defaultRoute(version, subnet),
    network_id: vif.network.id,
  };
  for (const route of subnet.routes) {
    (net.routes as Json[]).push({
      network: networkOf(route.cidr),
      netmask: netmaskOf(route.cidr),
      gateway: route.gateway,
    });
  }
  net.services = dnsServices(subnet);
  return net;
}

/** `_get_default_route`. */
function defaultRoute(version: 4 | 6, subnet: Subnet): Json[] {
  if (!subnet.gateway) return [];
  const any = version === 4 ? "0.0.0.0" : "::";
  return [{ network: any, netmask: any, gateway: subnet.gateway }];
}

/** `_get_dns_services`. */
function dnsServices(subnet: Subnet): Json[] {
  return subnet.dns.map((address) => ({ type: "dns", address }));
}

/** `get_ec2_ip_info`: the fixed IPv4 and IPv6 addresses and the floating ones. */
export function getEc2IpInfo(vifs: readonly Vif[]): {
  fixed_ips: string[];
  fixed_ip6s: string[];
  floating_ips: string[];
} {
  const ips = vifs.flatMap((v) => v.network.subnets.flatMap((s) => s.ips));
  return {
    fixed_ips: ips.filter((ip) => ip.version === 4).map((ip) => ip.address),
    fixed_ip6s: ips.filter((ip) => ip.version === 6).map((ip) => ip.address),
    // The flat network has no floating IPs.
    floating_ips: [],
  };
}
