/**
 * The failures the auth_token middleware tells apart, named after the
 * exceptions of keystonemiddleware and keystoneauth1 they stand for.
 *
 * @module
 */

/**
 * The token is not valid (unknown, expired, revoked, malformed, not allowed
 * here). Mirrors `keystonemiddleware.auth_token._exceptions.InvalidToken`.
 */
export class InvalidTokenError extends Error {
  constructor(message = "Token authorization failed") {
    super(message);
    this.name = "InvalidTokenError";
  }
}

/**
 * Keystone answered, but not usefully (5xx, 403, its own 401 to our service
 * token, a body that is not JSON). Mirrors keystonemiddleware's
 * `ServiceError`; the middleware answers 503.
 */
export class ServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServiceError";
  }
}

/**
 * Keystone could not be reached or did not answer in time. Mirrors
 * keystoneauth1's `ConnectFailure` / `ConnectTimeout`; the middleware
 * answers 503.
 */
export class ConnectFailureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectFailureError";
  }
}

/**
 * The service user's catalog has no identity endpoint for the configured
 * interface and region. Mirrors keystoneauth1's `EndpointNotFound`, which
 * keystonemiddleware lets escape (faultwrap then answers 500).
 */
export class EndpointNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EndpointNotFoundError";
  }
}
