/**
 * nova/api/validation/parameter_types.py as TypeScript constants, in the
 * same key order (it decides which error nova reports first). Each constant
 * names the Python it mirrors; assemble nova's schemas
 * (nova/api/openstack/compute/schemas/*.py) from these 1:1.
 *
 * Python's `copy.deepcopy(x)` + edits becomes a spread: keep new keys at the
 * end, as Python's dict does, and edited keys in place.
 *
 * @module
 */

import { PyFloat } from "../response.ts";
import { VALID_DESCRIPTION_REGEX } from "./name_regex.ts";

export {
  buildRegexRange,
  VALID_AZ_NAME_LEADING_TRAILING_SPACES_REGEX as validAzNameLeadingTrailingSpacesRegex,
  VALID_AZ_NAME_REGEX as validAzNameRegex,
  VALID_DESCRIPTION_REGEX as validDescriptionRegex,
  VALID_NAME_LEADING_TRAILING_SPACES_REGEX as validNameLeadingTrailingSpacesRegex,
  VALID_NAME_REGEX as validNameRegex,
  type ValidationRegex,
} from "./name_regex.ts";

/** `multi_params(schema)`: a query parameter that may repeat. */
export function multiParams<T>(schema: T): { type: "array"; items: T } {
  return { type: "array", items: schema };
}

/** `single_param(schema)`: a query parameter given at most once. */
export function singleParam<T>(schema: T): { type: "array"; items: T; maxItems: 1 } {
  return { ...multiParams(schema), maxItems: 1 };
}

/** `common_query_param`: any string values (not checked). */
export const commonQueryParam = multiParams({ type: "string" } as const);

/** `common_query_regex_param`: string values that must compile as Python regexes. */
export const commonQueryRegexParam = multiParams({ type: "string", format: "regex" } as const);

/** `boolean`: JSON booleans and nova's spellings of them. */
export const boolean = {
  type: ["boolean", "string"],
  enum: [
    true,
    "True",
    "TRUE",
    "true",
    "1",
    "ON",
    "On",
    "on",
    "YES",
    "Yes",
    "yes",
    false,
    "False",
    "FALSE",
    "false",
    "0",
    "OFF",
    "Off",
    "off",
    "NO",
    "No",
    "no",
  ],
} as const;

/** `none`. */
export const none = { enum: ["None", null, {}] } as const;

/** `name_or_none`. */
export const nameOrNone = {
  oneOf: [
    { type: "string", minLength: 1, maxLength: 255 },
    { type: "null" },
  ],
} as const;

/** `positive_integer`: an int, or a string of digits, at least 1. */
export const positiveInteger = {
  type: ["integer", "string"],
  pattern: "^[0-9]*$",
  minimum: 1,
  minLength: 1,
} as const;

/** `non_negative_integer`: an int, or a string of digits, at least 0. */
export const nonNegativeInteger = {
  type: ["integer", "string"],
  pattern: "^[0-9]*$",
  minimum: 0,
  minLength: 1,
} as const;

/** `hostname`: an RFC 952/1123 host label. */
export const hostname = {
  type: "string",
  minLength: 2,
  maxLength: 63,
  pattern: "^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$",
} as const;

/** `fqdn`. */
export const fqdn = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  pattern: "^[a-zA-Z0-9-._]*$",
} as const;

/** `name`: 1-255 printable characters, no leading/trailing whitespace. */
export const name = { type: "string", minLength: 1, maxLength: 255, format: "name" } as const;

/** `az_name`. */
export const azName = { type: "string", minLength: 1, maxLength: 255, format: "az_name" } as const;

/** `keypair_name_special_chars`: a name of `_- `, digits and ASCII letters. */
export const keypairNameSpecialChars = {
  allOf: [name, { type: "string", minLength: 1, maxLength: 255, format: "keypair_name_20" }],
} as const;

/** `keypair_name_special_chars_292`: also `@` and `.` (microversion 2.92). */
export const keypairNameSpecialChars292 = {
  allOf: [name, { type: "string", minLength: 1, maxLength: 255, format: "keypair_name_292" }],
} as const;

/** `az_name_with_leading_trailing_spaces`. */
export const azNameWithLeadingTrailingSpaces = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  format: "az_name_with_leading_trailing_spaces",
} as const;

/** `name_with_leading_trailing_spaces`. */
export const nameWithLeadingTrailingSpaces = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  format: "name_with_leading_trailing_spaces",
} as const;

/** `description`: printable text up to 255 characters, or null. */
export const description = {
  type: ["string", "null"],
  minLength: 0,
  maxLength: 255,
  pattern: VALID_DESCRIPTION_REGEX,
} as const;

/** `tcp_udp_port`. */
export const tcpUdpPort = {
  type: ["integer", "string"],
  pattern: "^[0-9]*$",
  minimum: 0,
  maximum: 65535,
  minLength: 1,
} as const;

/** `project_id`. */
export const projectId = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  pattern: "^[a-zA-Z0-9-]*$",
} as const;

/** `server_id`. */
export const serverId = { type: "string", format: "uuid" } as const;

/** `image_id`. */
export const imageId = { type: "string", format: "uuid" } as const;

/** `image_id_or_empty_string`. */
export const imageIdOrEmptyString = {
  oneOf: [
    { type: "string", format: "uuid" },
    { type: "string", maxLength: 0 },
  ],
} as const;

/** `volume_id`. */
export const volumeId = { type: "string", format: "uuid" } as const;

/** `attachment_id`. */
export const attachmentId = { type: "string", format: "uuid" } as const;

/** `volume_type`. */
export const volumeType = { type: ["string", "null"], minLength: 0, maxLength: 255 } as const;

/** `network_id`. */
export const networkId = { type: "string", format: "uuid" } as const;

/** `network_port_id`. */
export const networkPortId = { type: "string", format: "uuid" } as const;

/** `admin_password`: any string. */
export const adminPassword = { type: "string" } as const;

/** `flavor_ref`. */
export const flavorRef = { type: ["string", "integer"], minLength: 1 } as const;

/** `metadata`: string values up to 255 under keys of `[a-zA-Z0-9-_:. ]{1,255}`. */
export const metadata = {
  type: "object",
  patternProperties: {
    "^[a-zA-Z0-9-_:. ]{1,255}$": { type: "string", maxLength: 255 },
  },
  additionalProperties: false,
} as const;

/** `metadata_with_null`: as `metadata`, values may be null. */
export const metadataWithNull = {
  type: "object",
  patternProperties: {
    "^[a-zA-Z0-9-_:. ]{1,255}$": { type: ["string", "null"], maxLength: 255 },
  },
  additionalProperties: false,
} as const;

/** `mac_address`. */
export const macAddress = {
  type: "string",
  pattern: "^([0-9a-fA-F]{2})(:[0-9a-fA-F]{2}){5}$",
} as const;

/** `ip_address`: an IPv4 or IPv6 address. */
export const ipAddress = {
  type: "string",
  oneOf: [{ format: "ipv4" }, { format: "ipv6" }],
} as const;

/** `ipv4`. */
export const ipv4 = { type: "string", format: "ipv4" } as const;

/** `ipv6`. */
export const ipv6 = { type: "string", format: "ipv6" } as const;

/** `cidr`. */
export const cidr = { type: "string", format: "cidr" } as const;

/** `volume_size`: a positive int (or digits) up to the database's MAX_INT. */
export const volumeSize = {
  type: ["integer", "string"],
  pattern: "^[0-9]+$",
  minimum: 1,
  maximum: 0x7FFFFFFF,
} as const;

/** `disk_config`. */
export const diskConfig = { type: "string", enum: ["AUTO", "MANUAL"] } as const;

/** `accessIPv4`. */
export const accessIPv4 = { type: "string", format: "ipv4" } as const;

/** `accessIPv6`. */
export const accessIPv6 = { type: "string", format: "ipv6" } as const;

/** `flavor_param_positive` (a copy of `volume_size`). */
export const flavorParamPositive = { ...volumeSize } as const;

/** `flavor_param_non_negative`: `volume_size` with minimum 0. */
export const flavorParamNonNegative = { ...volumeSize, minimum: 0 } as const;

/** `personality`: files to inject, base64 contents. */
export const personality = {
  type: "array",
  items: {
    type: "object",
    properties: {
      path: { type: "string" },
      contents: { type: "string", format: "base64" },
    },
    additionalProperties: false,
  },
} as const;

/** `nova.objects.tag.MAX_TAG_LENGTH`. */
export const MAX_TAG_LENGTH = 60;

/** `tag`. */
export const tag = {
  type: "string",
  minLength: 1,
  maxLength: MAX_TAG_LENGTH,
  pattern: "^[^,/]*$",
} as const;

/** `pagination_parameters`: `limit` and `marker` query parameters. */
export const paginationParameters = {
  limit: multiParams(nonNegativeInteger),
  marker: multiParams({ type: "string" } as const),
} as const;

/** `trusted_certs`: up to 50 unique certificate ids, or null. */
export const trustedCerts = {
  type: ["array", "null"],
  minItems: 1,
  maxItems: 50,
  uniqueItems: true,
  items: { type: "string", minLength: 1 },
} as const;

/**
 * A Python float constant for a schema (`3.40282e+38`, `1.0`): compares as
 * the number and prints as Python prints the float.
 */
export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}
