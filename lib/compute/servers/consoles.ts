/**
 * Consoles: the guest's console log (os-getConsoleOutput) and remote
 * console URLs. A remote console is asked of the server's host: the
 * protocol must be enabled (`[vnc] enabled`, `[spice] enabled`, ...) and
 * the type fit it; the host then stores a console auth token (hashed,
 * valid `[consoleauth] token_ttl` seconds) and answers the proxy URL with
 * the token in it, as nova does whether or not a proxy runs.
 *
 * Mirrors nova/compute/api.py (`get_console_output`, `get_vnc_console`,
 * ..., `get_mks_console`), nova/compute/manager.py (`get_console_output`,
 * `_tail_log`, `get_vnc_console`, ...) and
 * nova/objects/console_auth_token.py (`authorize`, `access_url`); the
 * admin API's os-console-auth-tokens reads the tokens back.
 *
 * @module
 */

import { sha256Hex } from "../../hash.ts";
import { utcnow } from "../../store/timestamps.ts";
import { type ConsoleKind, GuestNotFound } from "../../virt/driver.ts";
import { recordFault } from "./compute_task.ts";
import { InstanceNotFound, InstanceNotReady } from "./errors.ts";
import { ConsoleTypeInvalid, ConsoleTypeUnavailable } from "./errors_actions.ts";
import type { Instance } from "./instance.ts";
import type { ComputeService } from "./service.ts";
import { checkInstanceHost } from "./state_checks.ts";
import { InstanceInvalidState } from "./errors.ts";
import { TASK, VM } from "./states.ts";

/**
 * `get_console_output(tail_length)`: the driver's log, its last lines
 * when `length` is given, control characters removed.
 *
 * @throws {InstanceNotReady} without a host
 * @throws {InstanceNotFound} when the host has no such guest
 */
export function consoleOutput(
  svc: ComputeService,
  inst: Instance,
  length: string | number | null,
): string {
  checkInstanceHost(inst);
  let output: string;
  try {
    output = svc.driver.getConsoleOutput(svc.manager.driverInstance(inst));
  } catch (err) {
    if (err instanceof GuestNotFound) throw new InstanceNotFound(inst.uuid);
    throw err;
  }
  if (length !== null) output = tailLog(output, length);
  // The API drops what XML could not carry (nova keeps doing so for JSON).
  // deno-lint-ignore no-control-regex
  return output.replace(/[\x00-\x08\x0B-\x1F]/g, "");
}

/** `_tail_log`. */
function tailLog(log: string, length: string | number): string {
  const n = Number.parseInt(String(length), 10) || 0;
  if (n === 0) return "";
  // NOTE(parity): `log.split('\n')[-int(length):]` — a length of -1 (the
  // API's "unlimited") drops the first line.
  const lines = log.split("\n");
  return lines.slice(n > 0 ? Math.max(lines.length - n, 0) : -n).join("\n");
}

/** A remote console protocol's options and the types it serves. */
interface Protocol {
  readonly kind: ConsoleKind;
  readonly enabled: (svc: ComputeService) => boolean;
  readonly baseUrl: (svc: ComputeService) => string;
  /** The types the host accepts; null: any (the serial console does not check). */
  readonly types: readonly string[] | null;
}

const PROTOCOLS: Readonly<Record<string, Protocol>> = {
  vnc: {
    kind: "vnc",
    enabled: (s) => s.conf.vnc.enabled,
    baseUrl: (s) => s.conf.vnc.novncproxy_base_url,
    types: ["novnc"],
  },
  spice: {
    kind: "spice",
    enabled: (s) => s.conf.spice.enabled,
    baseUrl: (s) => s.conf.spice.html5proxy_base_url,
    types: ["spice-html5"],
  },
  rdp: {
    kind: "rdp",
    enabled: (s) => s.conf.rdp.enabled,
    baseUrl: (s) => s.conf.rdp.html5_proxy_base_url,
    types: ["rdp-html5"],
  },
  serial: {
    kind: "serial",
    enabled: (s) => s.conf.serial_console.enabled,
    baseUrl: (s) => s.conf.serial_console.base_url,
    types: null,
  },
  mks: {
    kind: "mks",
    enabled: (s) => s.conf.mks.enabled,
    baseUrl: (s) => s.conf.mks.mksproxy_base_url,
    types: ["webmks"],
  },
};

/**
 * `get_<protocol>_console`: the console URL (with a new token).
 *
 * @throws {InstanceNotReady} without a host
 * @throws {InstanceInvalidState} while deleting or migrating
 * @throws {ConsoleTypeUnavailable} for a protocol not enabled
 * @throws {ConsoleTypeInvalid} for a type the protocol does not serve
 */
export function remoteConsole(
  svc: ComputeService,
  inst: Instance,
  protocol: string,
  consoleType: string | null,
): { url: string } {
  checkInstanceHost(inst);
  const task = inst.task_state;
  if (task === TASK.DELETING || task === TASK.MIGRATING) {
    throw new InstanceInvalidState(inst.uuid, "task_state", task, `get_${protocol}_console`);
  }
  const p = PROTOCOLS[protocol];
  try {
    if (!p.enabled(svc)) throw new ConsoleTypeUnavailable(consoleType);
    if (p.types && !p.types.includes(consoleType ?? "")) throw new ConsoleTypeInvalid(consoleType);
    return { url: authorize(svc, inst, p, consoleType ?? "") };
  } catch (err) {
    // `@wrap_instance_fault` of the host's method.
    if (!(err instanceof InstanceNotFound)) {
      svc.db.transaction(() => recordFault(svc, inst, err as Error, []));
    }
    throw err;
  }
}

/** `ConsoleAuthToken.authorize(ttl)` + `access_url`. */
function authorize(svc: ComputeService, inst: Instance, p: Protocol, consoleType: string): string {
  const guest = svc.manager.driverInstance(inst);
  try {
    svc.driver.getInfo(guest);
  } catch (err) {
    if (!(err instanceof GuestNotFound)) throw err;
    // The guest is not there (yet): not ready while building, else not found.
    if (inst.vm_state === VM.BUILDING) throw new InstanceNotReady(inst.uuid);
    throw new InstanceNotFound(inst.uuid);
  }
  const endpoint = svc.driver.getConsole?.(guest, p.kind);
  if (!endpoint) throw new Error("NotImplementedError");
  const token = crypto.randomUUID();
  const base = p.baseUrl(svc);
  svc.db.transaction(() =>
    svc.db.run(
      `INSERT INTO console_auth_tokens (token_hash, console_type, host, port,
         internal_access_path, instance_uuid, expires, access_url_base, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      sha256Hex(token),
      consoleType,
      endpoint.host,
      endpoint.port,
      endpoint.internal_access_path,
      inst.uuid,
      Math.floor(Date.now() / 1000) + svc.conf.consoleauth.token_ttl,
      base,
      utcnow(),
    )
  );
  if (consoleType === "novnc") {
    return `${base}?${new URLSearchParams({ path: `?token=${token}` })}`;
  }
  return `${base}?token=${token}`;
}
