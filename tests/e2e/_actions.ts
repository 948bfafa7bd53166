/**
 * Helpers of the server action tests: POST an action, list a server's
 * instance actions with their events, wait for an image.
 *
 * @module
 */

import type { Novalet } from "../_server.ts";
import { type Answer, call } from "./_servers.ts";

/** Options of one action call. */
export interface ActOptions {
  token?: string;
  version?: string;
}

/** POST /servers/{id}/action. */
export function act(n: Novalet, id: string, body: unknown, o: ActOptions = {}): Promise<Answer> {
  return call(n, "POST", `/servers/${id}/action`, { body, ...o });
}

/** One instance action with its events. */
export interface ActionWithEvents {
  action: string;
  message: string | null;
  request_id: string;
  user_id: string | null;
  events: { event: string; result: string; details?: string | null }[];
}

/** The actions of a server, newest first, with their events (as admin, 2.84). */
export async function actionsOf(n: Novalet, id: string): Promise<ActionWithEvents[]> {
  const list = await call(n, "GET", `/servers/${id}/os-instance-actions`, { version: "2.84" });
  const out: ActionWithEvents[] = [];
  for (const a of list.body.instanceActions) {
    const one = await call(n, "GET", `/servers/${id}/os-instance-actions/${a.request_id}`, {
      version: "2.84",
    });
    out.push({ ...a, events: one.body.instanceAction.events });
  }
  return out;
}

/** Polls GET /images/{id} until its status is `status` (bounded to 10 s). */
// deno-lint-ignore no-explicit-any
export async function waitImage(n: Novalet, id: string, status: string): Promise<any> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const res = await call(n, "GET", `/images/${id}`);
    if (res.status === 200 && res.body.image.status === status) return res.body.image;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`image ${id} did not become ${status}`);
}

/** Polls `check` until it returns true (bounded to 10 s). */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
