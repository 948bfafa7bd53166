/**
 * The quota exceptions, with nova's texts. All are `OverQuota`s (403 at
 * the API) except InvalidQuotaValue (400).
 *
 * Mirrors nova/exception.py (`OverQuota`, `TooManyInstances`,
 * `MetadataLimitExceeded`, `OnsetFile*LimitExceeded`,
 * `ServerGroupLimitExceeded`, `InvalidQuotaValue`).
 *
 * @module
 */

import { Invalid, OverQuota } from "../servers/errors.ts";

export { OverQuota };

/** What nova's OverQuota carries in `kwargs`. */
export interface OverQuotaDetail {
  readonly overs: readonly string[];
  readonly quotas: Readonly<Record<string, number>>;
  readonly usages: Readonly<Record<string, number>>;
  readonly headroom: Readonly<Record<string, number>>;
}

/** Python's `str()` of a list of strings: `['a', 'b']`. */
function pyList(items: readonly string[]): string {
  return `[${items.map((i) => `'${i}'`).join(", ")}]`;
}

/** `OverQuota(overs=..., quotas=..., usages=..., headroom=...)`: the limit check's failure. */
export class QuotaExceeded extends OverQuota {
  constructor(readonly detail: OverQuotaDetail) {
    super(`Quota exceeded for resources: ${pyList(detail.overs)}`);
  }

  /** The same failure with the usages check_deltas counted. */
  withUsages(usages: Readonly<Record<string, number>>): QuotaExceeded {
    return new QuotaExceeded({ ...this.detail, usages });
  }
}

/** nova.exception.TooManyInstances */
export class TooManyInstances extends OverQuota {
  constructor(overs: string, req: string, used: string, allowed: string) {
    super(
      `Quota exceeded for ${overs}: Requested ${req}, but already used ${used} of ${allowed} ${overs}`,
    );
  }
}

/** nova.exception.MetadataLimitExceeded */
export class MetadataLimitExceeded extends OverQuota {
  constructor(allowed: number) {
    super(`Maximum number of metadata items exceeds ${allowed}`);
  }
}

/** nova.exception.OnsetFileLimitExceeded */
export class OnsetFileLimitExceeded extends OverQuota {
  constructor(message = "Personality file limit exceeded") {
    super(message);
  }
}

/** nova.exception.OnsetFilePathLimitExceeded */
export class OnsetFilePathLimitExceeded extends OnsetFileLimitExceeded {
  constructor(allowed: number) {
    super(`Personality file path exceeds maximum ${allowed}`);
  }
}

/** nova.exception.OnsetFileContentLimitExceeded */
export class OnsetFileContentLimitExceeded extends OnsetFileLimitExceeded {
  constructor(allowed: number) {
    super(`Personality file content exceeds maximum ${allowed}`);
  }
}

/** nova.exception.ServerGroupLimitExceeded */
export class ServerGroupLimitExceeded extends OverQuota {
  constructor() {
    super("Quota exceeded, too many server groups.");
  }
}

/** nova.exception.InvalidQuotaValue (400). */
export class InvalidQuotaValue extends Invalid {
  constructor(unders: readonly string[]) {
    super(
      `Change would make usage less than 0 for the following resources: ${pyList(unders)}`,
    );
  }
}
