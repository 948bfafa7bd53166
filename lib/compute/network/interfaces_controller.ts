/**
 * InterfaceAttachmentController (`/servers/{id}/os-interface`): a server's
 * ports on the built-in flat network as Neutron describes them (network,
 * port, MAC, state, fixed IPs; 2.70 tag), attaching a new port (on the
 * flat network, optionally with a fixed IP) and detaching one, with nova's
 * lock and state checks and instance actions.
 *
 * Mirrors nova/api/openstack/compute/attach_interfaces.py,
 * schemas/attach_interfaces.py, nova/compute/api.py `attach_interface`,
 * `detach_interface` and nova/compute/manager.py `_detach_interface`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import { sha256Hex } from "../../hash.ts";
import type { Services } from "../../services.ts";
import {
  parameterTypes as pt,
  validateBodyFor,
  type VersionedSchema,
} from "../../validation/mod.ts";
import { isSupported } from "../common.ts";
import { actionContext, type RequestContext } from "../servers/context.ts";
import { authorize, ctxOf, getInstance, runAction } from "../servers/controller_common.ts";
import type { Instance } from "../servers/instance.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { checkInstanceLock, checkInstanceState } from "../servers/state_checks.ts";
import { VM } from "../servers/states.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { FixedIpAllocationFailed, type FlatNetwork } from "./flat.ts";

const RULE = "os_compute_api:os-attach-interfaces:";
const ATTACH_STATES = { vmState: [VM.ACTIVE, VM.PAUSED, VM.STOPPED], taskState: [null] };

const attachment = (extra: Record<string, unknown>) => ({
  type: "object",
  properties: {
    interfaceAttachment: {
      type: "object",
      properties: {
        net_id: pt.networkId,
        port_id: pt.networkPortId,
        fixed_ips: {
          type: "array",
          minItems: 1,
          maxItems: 1,
          items: {
            type: "object",
            properties: { ip_address: pt.ipAddress },
            required: ["ip_address"],
            additionalProperties: false,
          },
        },
        ...extra,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
});
const CREATE: VersionedSchema[] = [
  { schema: attachment({}), min: "2.0", max: "2.48" },
  { schema: attachment({ tag: pt.tag }), min: "2.49" },
];

/** A port row of the flat network. */
interface PortRow {
  port_id: string;
  network_id: string;
  address: string;
  mac_address: string;
  instance_uuid: string;
}

/** Builds the controller. */
export function interfaceAttachmentController(services: Services): ControllerSpec {
  const svc = () => computeService(services);
  return {
    name: "InterfaceAttachmentController",
    methods: {
      index: { expectedErrors: [404, 501], handler: (a) => index(svc(), a) },
      show: { expectedErrors: [403, 404], handler: (a) => show(svc(), a) },
      create: { expectedErrors: [400, 403, 404, 409, 500, 501], handler: (a) => create(svc(), a) },
      delete: {
        status: 202,
        expectedErrors: [400, 404, 409, 501],
        handler: (a) => remove(svc(), a),
      },
    },
  };
}

/** The subnet id of the flat network (a stable uuid derived from the network's). */
export function subnetIdOf(net: FlatNetwork): string {
  const h = sha256Hex(`subnet:${net.config.id}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${
    h.slice(20, 32)
  }`;
}

/** `_translate_interface_attachment_view`. */
function view(svc: ComputeService, port: PortRow, showTag: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    net_id: port.network_id,
    port_id: port.port_id,
    mac_addr: port.mac_address,
    port_state: "ACTIVE",
    fixed_ips: [{ subnet_id: subnetIdOf(svc.network), ip_address: port.address }],
  };
  if (showTag) info.tag = null;
  return info;
}

function portsOf(svc: ComputeService, uuid: string): PortRow[] {
  return svc.db.all<PortRow>("SELECT * FROM fixed_ips WHERE instance_uuid = ? ORDER BY id", uuid);
}

function load(
  svc: ComputeService,
  a: HandlerArgs,
  rule: string,
): { ctx: RequestContext; inst: Instance } {
  const ctx = ctxOf(a.req);
  const inst = getInstance(svc, ctx, a.params.server_id);
  authorize(svc, ctx, RULE + rule, inst);
  return { ctx, inst };
}

function index(svc: ComputeService, a: HandlerArgs) {
  const { inst } = load(svc, a, "list");
  const showTag = isSupported(a.req, "2.70");
  return { interfaceAttachments: portsOf(svc, inst.uuid).map((p) => view(svc, p, showTag)) };
}

function show(svc: ComputeService, a: HandlerArgs) {
  load(svc, a, "show");
  const port = svc.db.get<PortRow>("SELECT * FROM fixed_ips WHERE port_id = ?", a.params.id);
  if (!port) throw new HttpError(404, `Port id ${a.params.id} could not be found.`);
  if (port.instance_uuid !== a.params.server_id) {
    throw new HttpError(
      404,
      `Instance ${a.params.server_id} does not have a port with id ${a.params.id}`,
    );
  }
  return { interfaceAttachment: view(svc, port, isSupported(a.req, "2.70")) };
}

function create(svc: ComputeService, a: HandlerArgs) {
  validateBodyFor(a.req, a.body, CREATE);
  const { ctx, inst } = load(svc, a, "create");
  const given = (a.body as { interfaceAttachment?: Record<string, unknown> } | null)
    ?.interfaceAttachment ?? {};
  const networkId = (given.net_id as string | undefined) ?? null;
  const portId = (given.port_id as string | undefined) ?? null;
  const ip = (given.fixed_ips as { ip_address: string }[] | undefined)?.[0]?.ip_address ?? null;
  if (networkId && portId) throw new HttpError(400, "Must not input both network_id and port_id");
  if (ip && !networkId) throw new HttpError(400, "Must input network_id when request IP address");
  runAction("attach_interface", inst.uuid, () => {
    checkInstanceLock(inst, ctx.auth.isAdmin);
    checkInstanceState(inst, ATTACH_STATES, "attach_interface");
  });
  const port = attach(svc, ctx, inst, networkId, portId, ip);
  return { interfaceAttachment: view(svc, port, isSupported(a.req, "2.70")) };
}

/** `attach_interface`: the action, then the compute's new port on the flat network. */
function attach(
  svc: ComputeService,
  ctx: RequestContext,
  inst: Instance,
  networkId: string | null,
  portId: string | null,
  ip: string | null,
): PortRow {
  svc.db.transaction(() => svc.actions.start(actionContext(ctx), inst.uuid, "attach_interface"));
  if (portId) {
    const port = svc.db.get("SELECT 1 FROM fixed_ips WHERE port_id = ?", portId);
    if (!port) throw new HttpError(404, `Port id ${portId} could not be found.`);
    throw new HttpError(409, `Port ${portId} is still in use.`);
  }
  if (networkId && networkId !== svc.network.config.id) {
    throw new HttpError(404, `Network ${networkId} could not be found.`);
  }
  if (ip) {
    const holder = svc.db.get<{ instance_uuid: string }>(
      "SELECT instance_uuid FROM fixed_ips WHERE network_id = ? AND address = ?",
      svc.network.config.id,
      ip,
    );
    if (holder) {
      throw new HttpError(
        409,
        `Fixed IP address ${ip} is already in use on instance ${holder.instance_uuid}.`,
      );
    }
  }
  try {
    return svc.db.transaction(() => {
      const [created] = svc.network.allocate(inst.uuid, [
        { network_id: svc.network.config.id, address: ip, port_id: null, tag: null },
      ]);
      svc.instances.update(inst.uuid, {});
      return { ...created, instance_uuid: inst.uuid };
    });
  } catch (err) {
    if (!(err instanceof FixedIpAllocationFailed)) throw err;
    throw attachFailure(err);
  }
}

/**
 * What a failed allocation answers: NoMoreFixedIps is nova's 400 and
 * FixedIpAlreadyInUse its 409. nova answers 500 for an address outside the
 * subnet (neutron's InvalidInput, not in its except list); novalet answers
 * the 400 "Invalid input received: Fixed IP X is not a valid ip address
 * for network Y."
 */
function attachFailure(err: FixedIpAllocationFailed): HttpError {
  if (err.kind === "in_use") return new HttpError(409, err.message);
  if (err.kind === "invalid") return new HttpError(400, `Invalid input received: ${err.message}`);
  return new HttpError(400, err.message);
}

/** `detach_interface` (a cast): 202; an unattached port fails on the compute side only. */
function remove(svc: ComputeService, a: HandlerArgs) {
  const { ctx, inst } = load(svc, a, "delete");
  runAction("detach_interface", inst.uuid, () => {
    checkInstanceLock(inst, ctx.auth.isAdmin);
    checkInstanceState(inst, ATTACH_STATES, "detach_interface");
  });
  const portId = a.params.id;
  svc.db.transaction(() => {
    svc.actions.start(actionContext(ctx), inst.uuid, "detach_interface");
    const { changes } = svc.db.run(
      "DELETE FROM fixed_ips WHERE port_id = ? AND instance_uuid = ?",
      portId,
      inst.uuid,
    );
    if (!changes) {
      // NOTE(parity): compute's PortNotFound("Port <id> is not attached") only fails the action.
      svc.actions.eventStart(ctx.requestId, inst.uuid, "compute_detach_interface", inst.host ?? "");
      svc.actions.eventFinish(ctx.requestId, inst.uuid, "compute_detach_interface", {
        message: `Port ${portId} is not attached`,
        traceback: "",
      });
    }
  });
  return null;
}
