/**
 * The console actions and controller: os-getConsoleOutput (200 with the
 * output), os-getVNCConsole / os-getSPICEConsole / os-getRDPConsole /
 * os-getSerialConsole (2.1 to 2.5) and `POST /servers/{id}/remote-consoles`
 * (RemoteConsolesController, 2.6; mks from 2.8), with nova's schemas and
 * exception mapping — including the errors nova's old actions do not
 * expect (a 500 naming them).
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
import { InstanceInvalidState, InstanceNotFound, UnexpectedInvalidState } from "./errors.ts";
import {
  ConsoleTypeInvalid,
  ConsoleTypeInvalidRemote,
  ConsoleTypeUnavailable,
} from "./errors_actions.ts";
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

/** One of the old get-console actions (2.1 to 2.5). */
function oldConsole(
  svc: ComputeService,
  key: string,
  protocol: string,
  types: readonly string[],
  catchState: boolean,
): MethodSpec {
  const def: ActionDef = {
    status: 200,
    min: "2.1",
    max: "2.5",
    expectedErrors: [400, 404, 409, 501],
    schemas: [{ schema: typed(key, types) }],
    rule: RULE,
    policyFirst: true,
    conflictName: catchState ? `get_${protocol}_console` : null,
    errors: (err) => {
      const bad = caught(err, 400, ConsoleTypeUnavailable);
      if (bad) return bad;
      // NOTE(parity): nova's old actions do not expect these: a 500.
      if (err instanceof ConsoleTypeInvalid) throw new ConsoleTypeInvalidRemote(err.message);
      if (!catchState && err instanceof InstanceInvalidState && err.attr !== null) {
        throw new UnexpectedInvalidState(err.message);
      }
      return null;
    },
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
    "os-getVNCConsole": oldConsole(svc, "os-getVNCConsole", "vnc", ["novnc", "xvpvnc"], true),
    "os-getSPICEConsole": oldConsole(svc, "os-getSPICEConsole", "spice", ["spice-html5"], false),
    "os-getRDPConsole": oldConsole(svc, "os-getRDPConsole", "rdp", ["rdp-html5"], false),
    "os-getSerialConsole": oldConsole(svc, "os-getSerialConsole", "serial", ["serial"], false),
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
        conflictName: null,
        errors: (err) => {
          if (err instanceof InstanceNotFound) return new HttpError(404, err.message);
          const bad = caught(err, 400, ConsoleTypeUnavailable, ConsoleTypeInvalid);
          if (bad) return bad;
          if (err instanceof InstanceInvalidState && err.attr !== null) {
            throw new UnexpectedInvalidState(err.message);
          }
          return null;
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
