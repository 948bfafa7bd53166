/**
 * The nova exceptions the server actions raise, with nova's message texts
 * and codes (the compute API's, the conductor's and the compute manager's).
 *
 * Mirrors nova/exception.py.
 *
 * @module
 */

import { Invalid, InvalidInput, NotFound, NovaException } from "./errors.ts";

/** nova.exception.CannotResizeToSameFlavor */
export class CannotResizeToSameFlavor extends NovaException {
  constructor() {
    super("When resizing, instances must change flavor!", 400);
  }
}

/** nova.exception.CannotResizeDisk */
export class CannotResizeDisk extends NovaException {
  constructor(reason: string) {
    super(`Server disk was unable to be resized because: ${reason}`, 400);
  }
}

/** nova.exception.MigrationNotFoundByStatus (a MigrationNotFound). */
export class MigrationNotFound extends NotFound {
  constructor(instanceId: string, status: string) {
    super(`Migration not found for instance ${instanceId} with status ${status}.`);
  }
}

/** nova.exception.ServiceUnavailable */
export class ServiceUnavailable extends Invalid {
  constructor() {
    super("Service is unavailable at this time.");
  }
}

/** nova.exception.ComputeHostNotFound */
export class ComputeHostNotFound extends NotFound {
  constructor(host: string) {
    super(`Compute host ${host} could not be found.`);
  }
}

/** nova.exception.CannotMigrateToSameHost */
export class CannotMigrateToSameHost extends NovaException {
  constructor() {
    super("Cannot migrate to the host where the server exists.", 400);
  }
}

/** nova.exception.UnableToMigrateToSelf */
export class UnableToMigrateToSelf extends Invalid {
  constructor(instanceId: string, host: string) {
    super(`Unable to migrate instance (${instanceId}) to current host (${host}).`);
  }
}

/** nova.exception.ComputeServiceInUse */
export class ComputeServiceInUse extends NovaException {
  constructor(host: string) {
    super(`Compute service of ${host} is still in use.`, 400);
  }
}

/** nova.exception.InstanceNotRescuable */
export class InstanceNotRescuable extends Invalid {
  constructor(instanceId: string, reason: string) {
    super(`Instance ${instanceId} cannot be rescued: ${reason}`);
  }
}

/** nova.exception.UnsupportedRescueImage */
export class UnsupportedRescueImage extends Invalid {
  constructor(image: string) {
    super(`Requested rescue image '${image}' is not supported`);
  }
}

/** nova.exception.UnshelveInstanceInvalidState (409). */
export class UnshelveInstanceInvalidState extends NovaException {
  constructor(instanceUuid: string, state: string | null) {
    super(
      `Specifying an availability zone or a host when unshelving server "${instanceUuid}" ` +
        `with status "${state}" is not supported. The server status must be SHELVED_OFFLOADED.`,
      409,
    );
  }
}

/** nova.exception.UnshelveHostNotInAZ (409). */
export class UnshelveHostNotInAZ extends NovaException {
  constructor(host: string, zone: string) {
    super(`Host "${host}" is not in the availability zone "${zone}".`, 409);
  }
}

/** nova.exception.InvalidRequest */
export class InvalidRequest extends Invalid {
  constructor(message = "The request is invalid.") {
    super(message);
  }
}

/** nova.exception.ConsoleTypeUnavailable */
export class ConsoleTypeUnavailable extends Invalid {
  constructor(consoleType: string | null) {
    super(`Unavailable console type ${consoleType}.`);
  }
}

/** nova.exception.ConsoleTypeInvalid */
export class ConsoleTypeInvalid extends Invalid {
  constructor(consoleType: string | null) {
    super(`Invalid console type ${consoleType}`);
  }
}

/** nova.exception.InstancePasswordSetFailed */
export class InstancePasswordSetFailed extends NovaException {
  constructor(instance: string, reason: string) {
    super(`Failed to set admin password on ${instance} because ${reason}`);
  }
}

/** nova.exception.PreserveEphemeralNotSupported */
export class PreserveEphemeralNotSupported extends Invalid {
  constructor() {
    super("The current driver does not support preserving ephemeral partitions.");
  }
}

/** nova.exception.InstanceNotRunning */
export class InstanceNotRunning extends Invalid {
  constructor(instanceId: string) {
    super(`Instance ${instanceId} is not running.`);
  }
}

/** nova.exception.SecurityGroupNotFound with the message neutron's lookup gives. */
export class SecurityGroupNotFound extends NotFound {}

/** nova.exception.CertificateValidationFailed */
export class CertificateValidationFailed extends Invalid {}

/** nova.exception.ImageUnacceptable */
export class ImageUnacceptable extends Invalid {
  constructor(imageId: string, reason: string) {
    super(`Image ${imageId} is unacceptable: ${reason}`);
  }
}

/** nova.exception.MigrationError */
export class MigrationError extends NovaException {
  constructor(reason: string) {
    super(`Migration error: ${reason}`);
  }
}

/** nova.exception.AutoDiskConfigDisabledByImage */
export class AutoDiskConfigDisabledByImage extends Invalid {
  constructor(image: string) {
    super(`Requested image ${image} has automatic disk resize disabled.`);
  }
}

/** nova.exception.InvalidInput, re-exported for the action modules. */
export { InvalidInput };
