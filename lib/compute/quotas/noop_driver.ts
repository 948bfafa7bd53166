/**
 * The driver that turns quotas off: every limit, usage and reservation
 * reads -1 and every check passes.
 *
 * Mirrors nova/quota.py `NoopQuotaDriver`.
 *
 * @module
 */

import type { QuotaDriver, QuotaValues, SettableQuotas } from "./driver.ts";
import { RESOURCES } from "./resources.ts";
import type { Limits } from "./store.ts";

function allUnlimited(): Limits {
  return Object.fromEntries([...RESOURCES.keys()].map((name) => [name, -1]));
}

/** `_get_noop_quotas`. */
function noopQuotas(usages: boolean, remains = false): QuotaValues {
  const out: QuotaValues = {};
  for (const name of RESOURCES.keys()) {
    out[name] = { limit: -1 };
    if (usages) out[name].in_use = -1;
    if (remains) out[name].remains = -1;
  }
  return out;
}

/** nova.quota.NoopQuotaDriver */
export class NoopQuotaDriver implements QuotaDriver {
  getReserved(): number {
    return -1;
  }

  getDefaults(): Limits {
    return allUnlimited();
  }

  getClassQuotas(_className: string): Limits {
    return allUnlimited();
  }

  getUserQuotas(_projectId: string, _userId: string, usages: boolean): QuotaValues {
    return noopQuotas(usages);
  }

  getProjectQuotas(_projectId: string, usages: boolean, o: { remains?: boolean } = {}) {
    return noopQuotas(usages, o.remains);
  }

  getSettableQuotas(_projectId: string, _userId: string | null): SettableQuotas {
    return Object.fromEntries([...RESOURCES.keys()].map((n) => [n, { minimum: 0, maximum: -1 }]));
  }

  limitCheck(): void {}

  limitCheckProjectAndUser(): void {}

  unlimited(): boolean {
    return true;
  }
}
