/**
 * The nova exceptions the compute API raises, with nova's message texts
 * and codes. Controllers turn them into HTTP errors the way nova's
 * controllers do (`raise_http_conflict_for_instance_invalid_state`, the
 * `except ... as error: raise HTTPBadRequest(...)` lists).
 *
 * Mirrors nova/exception.py.
 *
 * @module
 */

/** nova.exception.NovaException: a message and the HTTP code nova attaches to it. */
export class NovaException extends Error {
  constructor(message: string, readonly code = 500) {
    super(message);
    this.name = new.target.name;
  }
}

/** nova.exception.Invalid (400). */
export class Invalid extends NovaException {
  constructor(message = "Bad Request - Invalid Parameters") {
    super(message, 400);
  }
}

/** nova.exception.NotFound (404). */
export class NotFound extends NovaException {
  constructor(message = "Resource could not be found.") {
    super(message, 404);
  }
}

/** nova.exception.Forbidden (403). */
export class Forbidden extends NovaException {
  constructor(message = "Forbidden") {
    super(message, 403);
  }
}

/** A nova exception the API answers with 409 (PortInUse, NetworkAmbiguous, ...). */
export class Conflict extends NovaException {
  constructor(message: string) {
    super(message, 409);
  }
}

/** nova.exception.InstanceNotFound */
export class InstanceNotFound extends NotFound {
  constructor(readonly instanceId: string) {
    super(`Instance ${instanceId} could not be found.`);
  }
}

/** nova.exception.InstanceInvalidState: what `check_instance_state` raises. */
export class InstanceInvalidState extends Invalid {
  constructor(
    readonly instanceUuid: string,
    readonly attr: string | null,
    readonly state: unknown,
    readonly method: string,
    message?: string,
  ) {
    super(
      message ??
        `Instance ${instanceUuid} in ${attr} ${
          pyStrOf(state)
        }. Cannot ${method} while the instance is in this state.`,
    );
  }
}

/** nova.exception.InstanceIsLocked (an InstanceInvalidState without attr/state). */
export class InstanceIsLocked extends InstanceInvalidState {
  constructor(instanceUuid: string) {
    super(instanceUuid, null, null, "", `Instance ${instanceUuid} is locked`);
  }
}

/** nova.exception.InstanceNotReady (`check_instance_host` without a host). */
export class InstanceNotReady extends Invalid {
  constructor(instanceId: string) {
    super(`Instance ${instanceId} is not ready`);
  }
}

/** nova.exception.MarkerNotFound */
export class MarkerNotFound extends NotFound {
  constructor(readonly marker: string) {
    super(`Marker ${marker} could not be found.`);
  }
}

/** nova.exception.InvalidInput */
export class InvalidInput extends Invalid {
  constructor(reason: string) {
    super(`Invalid input received: ${reason}`);
  }
}

/** nova.exception.OverQuota family (403 at the API). */
export class OverQuota extends NovaException {
  constructor(message: string) {
    super(message, 403);
  }
}

/** nova.exception.NoValidHost */
export class NoValidHost extends NovaException {
  constructor(reason = "") {
    super(`No valid host was found. ${reason}`);
  }
}

/** nova.exception.MaxRetriesExceeded */
export class MaxRetriesExceeded extends NoValidHost {
  constructor(reason: string) {
    super();
    this.message = `Exceeded maximum number of retries. ${reason}`;
  }
}

/** nova.exception.BuildAbortException */
export class BuildAbortException extends NovaException {
  constructor(instanceUuid: string, reason: string) {
    super(`Build of instance ${instanceUuid} aborted: ${reason}`);
  }
}

/** Python's `str()` of a state value (None for null). */
function pyStrOf(value: unknown): string {
  return value === null || value === undefined ? "None" : String(value);
}

/**
 * What an action needs a compute host for, on an instance that has none
 * (a build that never reached a host, in vm_state error).
 *
 * nova answers 500 here (compute_rpcapi's "Unable to find host for
 * Instance X", a NovaException no controller expects); novalet answers the
 * state conflict a correct nova would: `InstanceInvalidState` on vm_state,
 * checked before anything changes ("Cannot 'reboot' instance X while it is
 * in vm_state error").
 */
export function hostlessInstance(instanceUuid: string, vmState: unknown, method: string) {
  return new InstanceInvalidState(instanceUuid, "vm_state", vmState, method);
}
