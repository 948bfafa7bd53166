/**
 * The console actions and controller: os-getConsoleOutput (200 with the
 * output), os-getVNCConsole / os-getSPICEConsole / os-getRDPConsole /
 * os-getSerialConsole (2.1 to 2.5) and `POST /servers/{id}/remote-consoles`
 * (RemoteConsolesController, 2.6; mks from 2.8), with nova's schemas and
 * exception mapping. Where nova's methods do not expect an error and crash
 * (a 500 naming it), novalet answers as their siblings do: an invalid
 * console type is a 400, a state error a 409.
 *
 * Mirrors nova/api/openstack/compute/console_output.py and
 * remote_consoles.py, with their schemas.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { Schema } from "../../validation/mod.ts";
import type { ControllerSpec, MethodSpec } from "../wsgi.ts";
import { type ActionDef, actionSpec, caught } from "./action_spec.ts";
import { consoleOutput, remoteConsole } from "./consoles.ts";
import { InstanceNotFound } from "./errors.ts";
import { ConsoleTypeInvalid, ConsoleTypeUnavailable } from "./errors_actions.ts";
import type { ComputeService } from "./service.ts";

const RULE = "os_compute_api:os-remote-consoles";

function typed(key: string, types: readonly string[]): Schema {
  return {
    type: "object",
    properties: {
      [key]: {
        type: "object",
        properties: { type: { type: "string", enum: types } },
        required: ["type"],
        additionalProperties: false,
      },
    },
    required: [key],
    additionalProperties: false,
  } as Schema;
}

const CONSOLE_OUTPUT: Schema = {
  type: "object",
  properties: {
    "os-getConsoleOutput": {
      type: "object",
      properties: {
        length: { type: ["integer", "string", "null"], pattern: "^-?[0-9]+$", minimum: -1 },
      },
      additionalProperties: false,
    },
  },
  required: ["os-getConsoleOutput"],
  additionalProperties: false,
} as Schema;

function create(protocols: string[], types: string[]): Schema {
  return {
    type: "object",
    properties: {
      remote_console: {
        type: "object",
        properties: {
          protocol: { type: "string", enum: protocols },
          type: { type: "string", enum: types },
        },
        required: ["protocol", "type"],
        additionalProperties: false,
      },
    },
    required: ["remote_console"],
    additionalProperties: false,
  } as Schema;
}

const CREATE_V26 = create(
  ["vnc", "spice", "rdp", "serial"],
  ["novnc", "xvpvnc", "rdp-html5", "spice-html5", "serial"],
);
const CREATE_V28 = create(
  ["vnc", "spice", "rdp", "serial", "mks"],
  ["novnc", "xvpvnc", "rdp-html5", "spice-html5", "serial", "webmks"],
);

/**
 * One of the old get-console actions (2.1 to 2.5).
 *
 * nova answers 500 for a type the host refuses (ConsoleTypeInvalid comes
 * back over RPC as `ConsoleTypeInvalid_Remote`, which no except clause
 * names) and, but for VNC, for a server being deleted or migrated;
 * novalet answers as remote-consoles does: 400 "Invalid console type X",
 * and 409 "Cannot 'get_<protocol>_console' instance X while it is in
 * task_state deleting".
 */
function oldConsole(
  svc: ComputeService,
  key: string,
  protocol: string,
  types: readonly string[],
): MethodSpec {
  const def: ActionDef = {
    status: 200,
    min: "2.1",
    max: "2.5",
    expectedErrors: [400, 404, 409, 501],
    schemas: [{ schema: typed(key, types) }],
    rule: RULE,
    policyFirst: true,
    conflictName: `get_${protocol}_console`,
    errors: (err) => caught(err, 400, ConsoleTypeUnavailable, ConsoleTypeInvalid),
    run: ({ inst, body }) => {
      const type = body[key].type as string;
      const { url } = remoteConsole(svc, inst, protocol, type);
      return { console: { type, url } };
    },
  };
  return actionSpec(svc, def);
}

/** os-getConsoleOutput and the old get-console actions, by body key. */
export function consoleActions(svc: ComputeService): Record<string, MethodSpec> {
  return {
    "os-getConsoleOutput": actionSpec(svc, {
      status: 200,
      expectedErrors: [404, 409, 501],
      schemas: [{ schema: CONSOLE_OUTPUT }],
      rule: "os_compute_api:os-console-output",
      conflictName: null,
      run: ({ inst, body }) => {
        const length = body["os-getConsoleOutput"].length ?? null;
        return { output: consoleOutput(svc, inst, length) };
      },
    }),
    "os-getVNCConsole": oldConsole(svc, "os-getVNCConsole", "vnc", ["novnc", "xvpvnc"]),
    "os-getSPICEConsole": oldConsole(svc, "os-getSPICEConsole", "spice", ["spice-html5"]),
    "os-getRDPConsole": oldConsole(svc, "os-getRDPConsole", "rdp", ["rdp-html5"]),
    "os-getSerialConsole": oldConsole(svc, "os-getSerialConsole", "serial", ["serial"]),
  };
}

/** RemoteConsolesController: `create` (2.6+). */
export function remoteConsolesController(svc: ComputeService): ControllerSpec {
  return {
    name: "RemoteConsolesController",
    methods: {
      create: actionSpec(svc, {
        status: 200,
        min: "2.6",
        expectedErrors: [400, 404, 409, 501],
        schemas: [
          { schema: CREATE_V26, min: "2.6", max: "2.7" },
          { schema: CREATE_V28, min: "2.8" },
        ],
        rule: RULE,
        // nova answers 500 for a server being deleted or migrated (its
        // except list has no InstanceInvalidState); novalet answers 409
        // "Cannot 'get_<protocol>_console' instance X while it is in task_state Y".
        conflictName: null,
        errors: (err) => {
          if (err instanceof InstanceNotFound) return new HttpError(404, err.message);
          return caught(err, 400, ConsoleTypeUnavailable, ConsoleTypeInvalid);
        },
        run: ({ inst, body }) => {
          const { protocol, type } = body.remote_console as { protocol: string; type: string };
          const { url } = remoteConsole(svc, inst, protocol, type);
          return { remote_console: { protocol, type, url } };
        },
      }),
    },
  };
}
