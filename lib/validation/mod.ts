/**
 * Request validation with nova's wording: nova/api/validation
 * (`schema`, `query_schema`, `_SchemaValidator`) on a hand-written Draft 4
 * validator.
 *
 * ```ts
 * import { parameterTypes as pt, validateBody, validateQuery } from "../validation/mod.ts";
 *
 * const create = {
 *   type: "object",
 *   properties: { keypair: { type: "object", properties: { name: pt.name }, required: ["name"] } },
 *   required: ["keypair"],
 *   additionalProperties: false,
 * } as const;
 * validateBody(create, body); // throws HttpError(400, "Invalid input for field/attribute ...")
 * const query = validateQuery(listQuery, req.query); // {limit: ["1"]}, unknown names dropped
 * ```
 *
 * @module
 */

import { ApiVersion } from "../compute/api_version.ts";
import { HttpError } from "../errors.ts";
import { PyException } from "./errors.ts";
import { invalidNameMessage } from "./formats.ts";
import {
  dictOfLists,
  parseQueryString,
  QueryDecodeError,
  type QueryDict,
  stripAdditionalQueryParameters,
} from "./query.ts";
import { pyStr } from "./repr.ts";
import { compileSchema, type ObjectSchema, type Schema, type SchemaError } from "./schema.ts";

export {
  compileSchema,
  type ObjectSchema,
  type Schema,
  type SchemaError,
  type Validator,
} from "./schema.ts";
export {
  isPyDict,
  jsonschemaEquals,
  pyEquals,
  PyFloat,
  pyFloatRepr,
  pyRepr,
  pyStr,
  pyStrRepr,
  pyTypeName,
} from "./repr.ts";
export { PyException, PyRegexError, UnsupportedRegexError } from "./errors.ts";
export { isPyRegex, pyRegex } from "./pyregex.ts";
export { FORMAT_CHECKERS, invalidNameMessage, ISO8601, isUuidLike } from "./formats.ts";
export { dictOfLists, parseQueryString, type QueryDict, stripAdditionalQueryParameters };
export * as parameterTypes from "./parameter_types.ts";

/** Options of `validateBody` and `validateQuery`. */
export interface ValidateOptions {
  /**
   * The request is a legacy v2 one (`req.is_legacy_v2()`): nova validates
   * with `relax_additional_properties`, deleting unknown body keys instead
   * of refusing them.
   */
  legacyV2?: boolean;
}

/**
 * nova's `@validation.schema` check (`_SchemaValidator(schema).validate(body)`).
 * In legacy v2 mode unknown properties are deleted from `body` in place.
 *
 * @throws {HttpError} 400 with nova's message:
 *   `Invalid input for field/attribute <key>. Value: <value>. <message>`,
 *   only `<message>` for an error at the root, or the `InvalidName` text
 *   (also where nova's validator raises something else, nova's 500)
 */
export function validateBody(schema: Schema, body: unknown, options: ValidateOptions = {}): void {
  runValidator(schema, body, options, true);
}

/**
 * nova's `@validation.query_schema` check: parses the query string as
 * `req.GET.dict_of_lists()`, validates it (`is_body=False`) and returns the
 * parameters left after `_strip_additional_query_parameters`.
 *
 * @param query the raw query string (without `?`) or an already parsed dict
 * @throws {HttpError} 400 `Invalid input for query parameters <name>. Value: <value>. <message>`,
 *   or `Query string is not UTF-8 encoded`
 */
export function validateQuery(
  schema: ObjectSchema,
  query: string | QueryDict,
  options: ValidateOptions = {},
): QueryDict {
  const dict = typeof query === "string" ? parseQuery(query) : query;
  runValidator(schema, dict, options, false);
  return stripAdditionalQueryParameters(schema, dict);
}

/** `req.GET.dict_of_lists()`, with nova's 400 for a query that is not UTF-8. */
function parseQuery(raw: string): QueryDict {
  try {
    return dictOfLists(parseQueryString(raw));
  } catch (e) {
    if (e instanceof QueryDecodeError) throw new HttpError(400, e.message);
    throw e;
  }
}

function runValidator(
  schema: Schema,
  target: unknown,
  options: ValidateOptions,
  isBody: boolean,
): void {
  let err: SchemaError | null;
  try {
    err = compileSchema(schema, { relaxAdditionalProperties: options.legacyV2 })(target);
  } catch (e) {
    // NOTE(parity): nova turns a TypeError inside jsonschema into a 400 with its text.
    // Other Python exceptions are nova's 500; novalet answers them 400 as well
    // (the checks above leave none that a request is known to reach).
    if (e instanceof PyException) throw new HttpError(400, e.message);
    throw e;
  }
  if (err) throw new HttpError(400, validationMessage(err, isBody));
}

/** The text of nova's `exception.ValidationError` for a jsonschema error. */
export function validationMessage(err: SchemaError, isBody = true): string {
  if (err.invalidName !== undefined) return invalidNameMessage(err.invalidName);
  if (!err.path.length) return err.message;
  // Body errors name the innermost key (path.pop()); query errors the parameter (popleft()).
  const where = isBody ? err.path[err.path.length - 1] : err.path[0];
  const what = isBody ? "field/attribute" : "query parameters";
  return `Invalid input for ${what} ${where}. Value: ${pyStr(err.instance)}. ${err.message}`;
}

/** One `@validation.schema(schema, min_version, max_version)` (or `query_schema`) of a method. */
export interface VersionedSchema<S extends Schema = Schema> {
  schema: S;
  /** `min_version`, e.g. "2.55"; absent for none. */
  min?: string;
  /** `max_version`, e.g. "2.54"; absent for none. */
  max?: string;
}

/** What the version choice needs from the request (`ApiRequest` has both). */
export interface VersionedRequest {
  apiVersion: ApiVersion | null;
  legacyV2: boolean;
}

/**
 * nova's `_schema_validation_helper` choice: the entries whose range holds
 * the request's microversion; for a legacy v2 request, the entries without
 * a minimum or with minimum "2.0".
 */
export function schemasFor<S extends Schema>(
  req: VersionedRequest,
  entries: readonly VersionedSchema<S>[],
): S[] {
  if (req.legacyV2) {
    return entries.filter((e) => e.min === undefined || e.min === "2.0").map((e) => e.schema);
  }
  const version = req.apiVersion ?? ApiVersion.of("2.1");
  return entries.filter((e) =>
    version.matches(
      e.min === undefined ? ApiVersion.NULL : ApiVersion.of(e.min),
      e.max === undefined ? ApiVersion.NULL : ApiVersion.of(e.max),
    )
  ).map((e) => e.schema);
}

/**
 * A method's stacked `@validation.schema` decorators, top one first:
 * validates `body` against each entry that applies to the request.
 *
 * @throws {HttpError} 400 as `validateBody`
 */
export function validateBodyFor(
  req: VersionedRequest,
  body: unknown,
  entries: readonly VersionedSchema[],
): void {
  for (const schema of schemasFor(req, entries)) {
    validateBody(schema, body, { legacyV2: req.legacyV2 });
  }
}

const EMPTY_QUERY_OK = new WeakSet<object>();

/**
 * A method's stacked `@validation.query_schema` decorators, top one first:
 * validates the query string against each entry that applies and strips
 * what it does not know. With no entry applying, the parameters stay as sent.
 *
 * @throws {HttpError} 400 as `validateQuery`
 */
export function validateQueryFor(
  req: VersionedRequest,
  query: string | QueryDict,
  entries: readonly VersionedSchema<ObjectSchema>[],
): QueryDict {
  const schemas = schemasFor(req, entries);
  // Most list requests carry no query string: validate that case once per schema.
  if (query === "" && schemas.length === 1 && !req.legacyV2) {
    if (!EMPTY_QUERY_OK.has(schemas[0])) {
      validateQuery(schemas[0], {}, { legacyV2: false });
      EMPTY_QUERY_OK.add(schemas[0]);
    }
    return {};
  }
  let dict = typeof query === "string" ? parseQuery(query) : query;
  for (const schema of schemas) {
    dict = validateQuery(schema, dict, { legacyV2: req.legacyV2 });
  }
  return dict;
}
