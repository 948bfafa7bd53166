/**
 * Exceptions raised the way Python raises them inside jsonschema and nova's
 * format checkers. nova's `_SchemaValidator.validate` turns a `TypeError`
 * into a 400 whose message is `str(ex)`; anything else escapes the
 * validator (and nova answers 500).
 *
 * @module
 */

/** A Python exception of class `pyType` with `str(ex) === message`. */
export class PyException extends Error {
  readonly pyType: string;

  constructor(pyType: string, message: string) {
    super(message);
    this.name = "PyException";
    this.pyType = pyType;
  }
}

/** `re.error`: a pattern Python's `re` refuses to compile. */
export class PyRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PyRegexError";
  }
}

/** A valid Python regex that has no JavaScript translation here (atomic groups, conditionals...). */
export class UnsupportedRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedRegexError";
  }
}
