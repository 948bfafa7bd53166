/**
 * ServerExternalEventsController (`POST /os-server-external-events`):
 * events other services send about servers (network-changed,
 * network-vif-plugged/-unplugged/-deleted; volume-extended 2.51,
 * power-update 2.76, accelerator-request-bound 2.82, volume-reimaged
 * 2.93). Each event is answered in place: 200 completed for a server on a
 * host, 404 for an unknown server, 422 for one without a host, 400 for a
 * missing tag; the whole answer is 207 when any failed. Accepted
 * volume-extended and power-update events record an instance action, and
 * power-update turns the server on or off as the hypervisor reports.
 *
 * Mirrors nova/api/openstack/compute/server_external_events.py,
 * schemas/server_external_events.py, nova/compute/api.py
 * `external_instance_event` and nova/compute/manager.py `power_update`.
 *
 * @module
 */

import type { Services } from "../../services.ts";
import { validateBodyFor, type VersionedSchema } from "../../validation/mod.ts";
import { actionContext, contextOf, type RequestContext } from "../servers/context.ts";
import type { Instance } from "../servers/instance.ts";
import { type ComputeService, computeService } from "../servers/service.ts";
import { POWER, TASK, VM } from "../servers/states.ts";
import { type ControllerSpec, type HandlerArgs, Reply } from "../wsgi.ts";
import { authOf } from "./common.ts";

const NAMES = [
  "network-changed",
  "network-vif-plugged",
  "network-vif-unplugged",
  "network-vif-deleted",
];
const TAG_REQUIRED = ["volume-extended", "power-update", "accelerator-request-bound"];

function createSchema(names: readonly string[]) {
  return {
    type: "object",
    properties: {
      events: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          properties: {
            server_uuid: { type: "string", format: "uuid" },
            name: { type: "string", enum: names },
            status: { type: "string", enum: ["failed", "completed", "in-progress"] },
            tag: { type: "string", maxLength: 255 },
          },
          required: ["server_uuid", "name"],
          additionalProperties: false,
        },
      },
    },
    required: ["events"],
    additionalProperties: false,
  };
}

const V251 = [...NAMES, "volume-extended"];
const V276 = [...V251, "power-update"];
const V282 = [...V276, "accelerator-request-bound"];
const SCHEMAS: VersionedSchema[] = [
  { schema: createSchema(NAMES), min: "2.0", max: "2.50" },
  { schema: createSchema(V251), min: "2.51", max: "2.75" },
  { schema: createSchema(V276), min: "2.76", max: "2.81" },
  { schema: createSchema(V282), min: "2.82", max: "2.92" },
  { schema: createSchema([...V282, "volume-reimaged"]), min: "2.93" },
];

type Event = Record<string, unknown> & { server_uuid: string; name: string; tag?: string };

/** Builds the controller. */
export function externalEventsController(services: Services): ControllerSpec {
  return {
    name: "ServerExternalEventsController",
    methods: {
      create: {
        status: 200,
        expectedErrors: [403],
        handler: (a) => create(computeService(services), a),
      },
    },
  };
}

function create(svc: ComputeService, { req, body }: HandlerArgs) {
  validateBodyFor(req, body, SCHEMAS);
  svc.policy.authorize(authOf(req), "os_compute_api:os-server-external-events:create", {});
  const events = (body as { events: Event[] }).events;
  let status = 200;
  const accepted: [Event, Instance][] = [];
  for (const event of events) {
    const inst = svc.instances.get(event.server_uuid);
    const fail = (code: number) => {
      event.status = "failed";
      event.code = code;
      status = 207;
    };
    if (!inst) fail(404);
    else if (TAG_REQUIRED.includes(event.name) && event.tag === undefined) fail(400);
    else if (inst.host) {
      accepted.push([event, inst]);
      event.status = "completed";
      event.code = 200;
    } else fail(422);
  }
  if (accepted.length) externalInstanceEvent(svc, contextOf(req), accepted);
  return new Reply({ events }, status);
}

/** `external_instance_event`: the actions the API records, then the computes' handling. */
function externalInstanceEvent(
  svc: ComputeService,
  ctx: RequestContext,
  accepted: readonly [Event, Instance][],
): void {
  svc.db.transaction(() => {
    for (const [event, inst] of accepted) {
      if (event.name === "volume-extended") {
        svc.actions.start(actionContext(ctx), inst.uuid, "extend_volume");
      } else if (event.name === "power-update") {
        if (event.tag !== "POWER_ON" && event.tag !== "POWER_OFF") continue;
        svc.actions.start(
          actionContext(ctx),
          inst.uuid,
          event.tag === "POWER_ON" ? "start" : "stop",
        );
      }
    }
  });
  for (const [event, inst] of accepted) {
    if (event.name === "power-update" && (event.tag === "POWER_ON" || event.tag === "POWER_OFF")) {
      powerUpdate(svc, inst.uuid, event.tag);
    }
  }
}

/** The compute side of power-update: only from a consistent, idle state; a no-op otherwise. */
function powerUpdate(svc: ComputeService, uuid: string, target: "POWER_ON" | "POWER_OFF"): void {
  const on = target === "POWER_ON";
  svc.worker.run(uuid, async () => {
    const inst = svc.instances.get(uuid);
    const valid = inst !== null && inst.task_state === null &&
      (on
        ? inst.vm_state === VM.STOPPED && inst.power_state === POWER.SHUTDOWN
        : inst.vm_state === VM.ACTIVE && inst.power_state === POWER.RUNNING);
    if (!valid) return;
    svc.db.transaction(() =>
      svc.instances.update(uuid, { task_state: on ? TASK.POWERING_ON : TASK.POWERING_OFF }, [null])
    );
    const guest = svc.manager.driverInstance(inst);
    await (on ? svc.driver.powerOn(guest) : svc.driver.powerOff(guest));
    svc.db.transaction(() =>
      svc.instances.update(uuid, {
        vm_state: on ? VM.ACTIVE : VM.STOPPED,
        power_state: on ? POWER.RUNNING : POWER.SHUTDOWN,
        task_state: null,
      })
    );
  });
}
