/**
 * ServerDiagnosticsController (`GET /servers/{id}/diagnostics`: the
 * driver's keys before 2.48, the standard shape from 2.48; a running guest
 * only) and ServerPasswordController (`/servers/{id}/os-server-password`:
 * the encrypted password the guest posted to the metadata service, kept in
 * `password_0`..`password_3` system metadata; DELETE clears it).
 *
 * Mirrors nova/api/openstack/compute/server_diagnostics.py,
 * views/server_diagnostics.py, server_password.py,
 * nova/api/metadata/password.py (`extract_password`, `convert_password`)
 * and nova/compute/manager.py `get_diagnostics`, `get_instance_diagnostics`.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { Diagnostics } from "../../virt/driver.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { recordFault } from "./compute_task.ts";
import { authorize, ctxOf, getInstance, runAction } from "./controller_common.ts";
import { InstanceInvalidState } from "./errors.ts";
import type { Instance } from "./instance.ts";
import { powerStateOf } from "./power_actions.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceHost } from "./state_checks.ts";
import { POWER, POWER_NAMES } from "./states.ts";

/** The host's `get_diagnostics` / `get_instance_diagnostics`: a running guest only. */
function diagnosticsOf(svc: ComputeService, inst: Instance, v248: boolean) {
  checkInstanceHost(inst);
  if (powerStateOf(svc, inst) !== POWER.RUNNING) {
    const err = new InstanceInvalidState(
      inst.uuid,
      "power state",
      POWER_NAMES[inst.power_state ?? 0],
      "get_diagnostics",
    );
    svc.db.transaction(() => recordFault(svc, inst, err, []));
    throw err;
  }
  const guest = svc.manager.driverInstance(inst);
  const unsupported = () => new HttpError(501, "The requested functionality is not supported.");
  if (!v248) {
    if (!svc.driver.getDiagnostics) throw unsupported();
    return svc.driver.getDiagnostics(guest);
  }
  if (!svc.driver.getInstanceDiagnostics) throw unsupported();
  const macs = inst.ports.map((p) => p.mac_address);
  return diagnosticsView(svc.driver.getInstanceDiagnostics(guest, macs), inst);
}

/** `ViewBuilder.instance_diagnostics`: nova's field order. */
function diagnosticsView(d: Diagnostics, inst: Instance) {
  return {
    state: d.state,
    driver: d.driver,
    hypervisor: d.hypervisor,
    hypervisor_os: d.hypervisor_os,
    uptime: d.uptime,
    config_drive: d.config_drive || inst.config_drive === "True",
    num_cpus: d.cpu_details.length,
    num_nics: d.nic_details.length,
    num_disks: d.disk_details.length,
    disk_details: d.disk_details,
    cpu_details: d.cpu_details,
    nic_details: d.nic_details,
    memory_details: { maximum: d.memory_details.maximum, used: d.memory_details.used },
  };
}

/** ServerDiagnosticsController. */
export function serverDiagnosticsController(svc: ComputeService): ControllerSpec {
  return {
    name: "ServerDiagnosticsController",
    methods: {
      index: {
        expectedErrors: [400, 404, 409, 501],
        handler: ({ req, params }) => {
          const ctx = ctxOf(req);
          const inst = getInstance(svc, ctx, params.server_id);
          authorize(svc, ctx, "os_compute_api:os-server-diagnostics", inst);
          const v248 = req.apiVersion?.atLeast("2.48") ?? false;
          return runAction(
            "get_diagnostics",
            params.server_id,
            () => diagnosticsOf(svc, inst, v248),
          );
        },
      },
    },
  };
}

/** `password.extract_password`: the `password_*` chunks in key order. */
function extractPassword(inst: Instance): string {
  return Object.keys(inst.system_metadata).filter((k) => k.startsWith("password_")).sort()
    .map((k) => inst.system_metadata[k]).join("");
}

/** ServerPasswordController. */
export function serverPasswordController(svc: ComputeService): ControllerSpec {
  const RULE = "os_compute_api:os-server-password:";
  return {
    name: "ServerPasswordController",
    methods: {
      index: {
        expectedErrors: [404],
        handler: ({ req, params }) => {
          const ctx = ctxOf(req);
          const inst = getInstance(svc, ctx, params.server_id);
          authorize(svc, ctx, `${RULE}show`, inst);
          return { password: extractPassword(inst) };
        },
      },
      clear: {
        status: 204,
        expectedErrors: [404],
        handler: ({ req, params }) => {
          const ctx = ctxOf(req);
          const inst = getInstance(svc, ctx, params.server_id);
          authorize(svc, ctx, `${RULE}clear`, inst);
          // `convert_password(context, None)`: four empty chunks.
          const chunks = Object.fromEntries([0, 1, 2, 3].map((i) => [`password_${i}`, ""]));
          svc.db.transaction(() => {
            svc.instances.setSystemMetadata(inst.uuid, chunks);
            svc.instances.update(inst.uuid, {});
          });
          return null;
        },
      },
    },
  };
}
