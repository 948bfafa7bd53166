/**
 * The server group service other areas call: a server's group, a group's
 * members with their hosts, its policy, and which candidate hosts a group
 * allows for a server (what nova's affinity filters decide).
 *
 * ```ts
 * const groups = serverGroupApi(services);
 * const group = groups.groupOf(instanceUuid);          // null: in no group
 * if (group) groups.allowedHosts(group, candidates, instanceUuid);
 * ```
 *
 * Mirrors nova/objects/instance_group.py (`get_by_instance_uuid`,
 * `get_hosts`) and nova/scheduler/filters/affinity_filter.py
 * (`ServerGroupAntiAffinityFilter`, `ServerGroupAffinityFilter`).
 *
 * @module
 */

import type { Services } from "../../services.ts";
import type { Store } from "../../store/db.ts";
import { type ServerGroup, ServerGroupStore } from "./store.ts";

export type { ServerGroup } from "./store.ts";

/** A scheduling candidate: a host and the servers it holds (or is about to). */
export interface HostCandidate {
  readonly name: string;
  readonly instances: { has(uuid: string): boolean } | readonly string[];
}

/** A group member and the host it is on (null until placed). */
export interface GroupMember {
  readonly uuid: string;
  readonly host: string | null;
}

const SEES_ALL = { isAdmin: true, projectId: null };

function holds(host: HostCandidate, uuid: string): boolean {
  return "has" in host.instances ? host.instances.has(uuid) : host.instances.includes(uuid);
}

/**
 * The candidates a group lets `instanceUuid` go to: anti-affinity keeps the
 * hosts with fewer than `max_server_per_host` (default 1) other members,
 * affinity keeps the hosts of the other members once there are any; the
 * soft policies only weigh, so they keep every host.
 */
export function allowedHosts<H extends HostCandidate>(
  group: Pick<ServerGroup, "policy" | "rules" | "members">,
  candidates: readonly H[],
  instanceUuid: string,
): H[] {
  const others = group.members.filter((m) => m !== instanceUuid);
  if (group.policy === "anti-affinity") {
    const max = group.rules.max_server_per_host ?? 1;
    return candidates.filter((h) =>
      holds(h, instanceUuid) || others.filter((m) => holds(h, m)).length < max
    );
  }
  if (group.policy === "affinity") {
    const groupHosts = candidates.filter((h) => others.some((m) => holds(h, m)));
    return groupHosts.length ? candidates.filter((h) => groupHosts.includes(h)) : [...candidates];
  }
  return [...candidates];
}

/** The server group service of one store. */
export class ServerGroupApi {
  readonly store: ServerGroupStore;

  constructor(readonly db: Store) {
    this.store = new ServerGroupStore(db);
  }

  /** `InstanceGroup.get_by_instance_uuid`: the group a server is in, or null. */
  groupOf(instanceUuid: string): ServerGroup | null {
    return this.store.groupOfInstance(instanceUuid, SEES_ALL);
  }

  /** The group with this uuid (any project), or null. */
  get(groupUuid: string): ServerGroup | null {
    return this.store.get(groupUuid, SEES_ALL);
  }

  /** The live members of a group (by uuid) with their hosts. */
  members(groupUuid: string): GroupMember[] {
    const group = this.get(groupUuid);
    return group ? this.store.memberHosts(group.id) : [];
  }

  /** `InstanceGroup.get_hosts(exclude)`: the hosts the group's live members are on. */
  hosts(groupUuid: string, exclude: readonly string[] = []): string[] {
    const hosts = this.members(groupUuid)
      .filter((m) => m.host !== null && !exclude.includes(m.uuid))
      .map((m) => m.host!);
    return [...new Set(hosts)];
  }

  /** The group's policy and rules, or null for an unknown group. */
  policy(groupUuid: string): Pick<ServerGroup, "policy" | "rules"> | null {
    const group = this.get(groupUuid);
    return group ? { policy: group.policy, rules: group.rules } : null;
  }

  /** See {@link allowedHosts}. */
  allowedHosts<H extends HostCandidate>(
    group: Pick<ServerGroup, "policy" | "rules" | "members">,
    candidates: readonly H[],
    instanceUuid: string,
  ): H[] {
    return allowedHosts(group, candidates, instanceUuid);
  }
}

const APIS = new WeakMap<Store, ServerGroupApi>();

/** The server group service of a store (one per store and process). */
export function serverGroupApiFor(db: Store): ServerGroupApi {
  let api = APIS.get(db);
  if (!api) {
    api = new ServerGroupApi(db);
    APIS.set(db, api);
  }
  return api;
}

/** The server group service of these services. */
export function serverGroupApi(services: Services): ServerGroupApi {
  return serverGroupApiFor(services.store);
}
