/**
 * The network actions of a server, answered as nova answers them with
 * Neutron reachable but holding only what novalet's flat network has:
 * addSecurityGroup/removeSecurityGroup (the project's groups of the
 * network's security group store: `default` and those os-security-groups
 * made; another name is not found for the project), addFloatingIp
 * / removeFloatingIp (2.1 to 2.43; there are no floating IPs, so the
 * address is not found) and addFixedIp / removeFixedIp (2.1 to 2.43; a
 * cast the host answers with the one address each port keeps).
 *
 * Mirrors nova/api/openstack/compute/security_groups.py
 * (`SecurityGroupActionController`), floating_ips.py
 * (`FloatingIPActionController`), multinic.py and
 * nova/network/security_group_api.py (`add_to_instance`,
 * `remove_from_instance`), with their schemas.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { parameterTypes as pt, type Schema, validateBodyFor } from "../../validation/mod.ts";
import type { MethodSpec } from "../wsgi.ts";
import { actionSpec, caught } from "./action_spec.ts";
import { requireHost } from "./compute_task.ts";
import { NovaException } from "./errors.ts";
import { SecurityGroupNotFound } from "./errors_actions.ts";
import { SecurityGroupStore } from "../network/security_groups_store.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceLock } from "./state_checks.ts";

/** nova.exception.NoUniqueMatch (409). */
class NoUniqueMatch extends NovaException {
  constructor(message: string) {
    super(message, 409);
  }
}

/** `SecurityGroupActionController._parse`. */
function groupName(body: Record<string, unknown>, action: string): string {
  const entity = body[action];
  if (entity === null || typeof entity !== "object" || Array.isArray(entity)) {
    throw new HttpError(400, "Missing parameter dict");
  }
  if (!("name" in entity)) throw new HttpError(400, "Security group not specified");
  const name = (entity as { name: unknown }).name;
  if (!name || (typeof name === "string" && name.trim() === "")) {
    throw new HttpError(400, "Security group name cannot be empty");
  }
  return String(name);
}

/**
 * neutron's `find_resourceid_by_name_or_id` for the caller's project (whose
 * `default` group Neutron makes on first use): the group's name.
 *
 * @throws {SecurityGroupNotFound} / {NoUniqueMatch}
 */
function findGroup(svc: ComputeService, projectId: string | null, name: string): string {
  const store = new SecurityGroupStore(svc.db);
  const found = svc.db.transaction(() => {
    if (projectId) store.ensureDefault(projectId);
    return store.findByNameOrId(name, projectId ?? "");
  });
  if (found.length > 1) {
    throw new NoUniqueMatch(
      `Multiple security_group matches found for name '${name}', use an ID to be more specific.`,
    );
  }
  if (!found.length) {
    throw new SecurityGroupNotFound(`Security group ${name} is not found for project ${projectId}`);
  }
  return found[0].name;
}

function setGroups(svc: ComputeService, inst: Instance, groups: string[]): void {
  svc.db.transaction(() =>
    svc.instances.update(inst.uuid, { security_groups: JSON.stringify(groups) })
  );
}

/** The group's name, for an instance with ports. @throws {SecurityGroupNotFound} */
function portGroup(
  svc: ComputeService,
  projectId: string | null,
  inst: Instance,
  asked: string,
): string {
  const name = findGroup(svc, projectId, asked);
  if (!inst.ports.length) {
    throw new SecurityGroupNotFound(
      `instance_id ${inst.uuid} could not be found as device id on any ports`,
    );
  }
  return name;
}

/** `add_to_instance`. @throws {SecurityGroupNotFound} */
function addToInstance(
  svc: ComputeService,
  projectId: string | null,
  inst: Instance,
  asked: string,
) {
  const name = portGroup(svc, projectId, inst, asked);
  // Neutron keeps a port's groups as a set.
  if (!inst.security_groups.includes(name)) setGroups(svc, inst, [...inst.security_groups, name]);
}

/** `remove_from_instance`. @throws {SecurityGroupNotFound} */
function removeFromInstance(
  svc: ComputeService,
  projectId: string | null,
  inst: Instance,
  asked: string,
) {
  const name = portGroup(svc, projectId, inst, asked);
  if (!inst.security_groups.includes(name)) {
    throw new SecurityGroupNotFound(
      `Security group ${asked} not associated with the instance ${inst.uuid}`,
    );
  }
  setGroups(svc, inst, inst.security_groups.filter((g) => g !== name));
}

const ipAction = (key: string, props: Record<string, unknown>): Schema =>
  ({
    type: "object",
    properties: {
      [key]: {
        type: "object",
        properties: props,
        required: ["address"],
        additionalProperties: false,
      },
    },
    required: [key],
    additionalProperties: false,
  }) as Schema;

const ADD_FLOATING_IP = ipAction("addFloatingIp", {
  address: pt.ipAddress,
  fixed_address: pt.ipAddress,
});
const REMOVE_FLOATING_IP = ipAction("removeFloatingIp", { address: pt.ipAddress });
const ADD_FIXED_IP: Schema = {
  type: "object",
  properties: {
    addFixedIp: {
      type: "object",
      properties: { networkId: { type: ["string", "number"], minLength: 1, maxLength: 36 } },
      required: ["networkId"],
      additionalProperties: false,
    },
  },
  required: ["addFixedIp"],
  additionalProperties: false,
} as Schema;
const REMOVE_FIXED_IP = ipAction("removeFixedIp", { address: pt.ipAddress });

/** `_add_floating_ip`: the instance's addresses checked, then the (unknown) floating IP. */
function addFloatingIp(inst: Instance, body: Record<string, Record<string, string>>): never {
  const fixed = body.addFloatingIp.fixed_address;
  if (!inst.ports.length) throw new HttpError(400, "Instance network is not ready yet");
  if (fixed !== undefined && !inst.ports.some((p) => p.address === fixed)) {
    throw new HttpError(400, "Specified fixed address not assigned to instance");
  }
  throw new HttpError(404, "floating IP not found");
}

/** The network actions, by body key. */
export function networkActions(svc: ComputeService): Record<string, MethodSpec> {
  const SG = "os_compute_api:os-security-groups:";
  const sgErrors = (err: unknown) =>
    caught(err, 404, SecurityGroupNotFound) ?? caught(err, 409, NoUniqueMatch);
  return {
    addSecurityGroup: actionSpec(svc, {
      expectedErrors: [400, 404, 409],
      rule: `${SG}add`,
      conflictName: null,
      errors: sgErrors,
      run: ({ ctx, inst, body }) =>
        addToInstance(svc, ctx.auth.projectId, inst, groupName(body, "addSecurityGroup")),
    }),
    removeSecurityGroup: actionSpec(svc, {
      expectedErrors: [400, 404, 409],
      rule: `${SG}remove`,
      conflictName: null,
      errors: sgErrors,
      run: ({ ctx, inst, body }) =>
        removeFromInstance(svc, ctx.auth.projectId, inst, groupName(body, "removeSecurityGroup")),
    }),
    addFloatingIp: actionSpec(svc, {
      min: "2.1",
      max: "2.43",
      status: 200,
      expectedErrors: [400, 403, 404],
      schemas: [{ schema: ADD_FLOATING_IP }],
      rule: "os_compute_api:os-floating-ips:add",
      conflictName: null,
      run: ({ inst, body }) => addFloatingIp(inst, body),
    }),
    removeFloatingIp: {
      expectedErrors: [400, 403, 404, 409],
      handler: [{
        min: "2.1",
        max: "2.43",
        handler: ({ req, body }) => {
          validateBodyFor(req, body, [{ schema: REMOVE_FLOATING_IP }]);
          const address = (body as Record<string, Record<string, string>>).removeFloatingIp.address;
          // `get_instance_by_floating_ip_addr`: Neutron knows no such address.
          throw new HttpError(404, `Floating IP not found for address ${address}.`);
        },
      }],
    },
    addFixedIp: multinic(svc, "add", ADD_FIXED_IP),
    removeFixedIp: multinic(svc, "remove", REMOVE_FIXED_IP),
  };
}

/**
 * addFixedIp / removeFixedIp (2.1-2.43): a cast to the instance's host.
 *
 * nova answers 500 here for a locked server and for one on no host
 * (InstanceIsLocked and compute_rpcapi's "Unable to find host" are not in
 * its except list); novalet answers the 409s of the other actions:
 * "Instance X is locked", "Cannot 'add_fixed_ip' instance X while it is in
 * vm_state error".
 */
function multinic(svc: ComputeService, verb: "add" | "remove", schema: Schema): MethodSpec {
  return actionSpec(svc, {
    min: "2.1",
    max: "2.43",
    expectedErrors: [400, 404],
    schemas: [{ schema }],
    rule: `os_compute_api:os-multinic:${verb}`,
    conflictName: null,
    run: ({ ctx, inst }) => {
      checkInstanceLock(inst, ctx.auth.isAdmin);
      requireHost(inst, `${verb}_fixed_ip`);
    },
  });
}
