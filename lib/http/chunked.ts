/**
 * `Transfer-Encoding: chunked` request bodies, decoded incrementally as
 * eventlet.wsgi's `Input._chunked_read` reads them (stricter: see the
 * note on {@link ChunkedDecoder}).
 *
 * @module
 */

import { MAX_TOTAL_HEADER_SIZE } from "./parser.ts";

/** Thrown for a chunked body whose framing is invalid (eventlet's ChunkReadError). */
export class ChunkedBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChunkedBodyError";
  }
}

const SIZE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILER = 3;
const DONE = 4;

/**
 * Decodes `Transfer-Encoding: chunked` incrementally: chunk sizes with
 * extensions (ignored), data, and trailers (skipped).
 *
 * NOTE(parity): eventlet reads one line after the last chunk, so trailers
 * desynchronise its connection, and it takes any line after chunk data and
 * whatever `int(x, 16)` accepts as a size. novalet reads trailers to the
 * blank line and requires hex sizes and CRLF (or LF) after data.
 */
export class ChunkedDecoder {
  readonly #maxLine: number;
  #state = SIZE;
  #remaining = 0;
  #trailerBytes = 0;

  /** @param maxLine longest size or trailer line accepted (`[wsgi] max_header_line`) */
  constructor(maxLine = 16384) {
    this.#maxLine = maxLine;
  }

  /** True once the last chunk and the trailers are read. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /**
   * Decodes what `data` holds, passing body bytes to `onData` (views into
   * `data`: copy them to keep them). Stops at the end of the body.
   *
   * @returns how many bytes of `data` were used
   * @throws {ChunkedBodyError} for invalid framing
   */
  decode(data: Uint8Array, onData: (bytes: Uint8Array) => void): number {
    let pos = 0;
    while (pos < data.length && this.#state !== DONE) {
      const used = this.#step(data, pos, onData);
      if (used === 0) break;
      pos += used;
    }
    return pos;
  }

  #step(data: Uint8Array, pos: number, onData: (bytes: Uint8Array) => void): number {
    switch (this.#state) {
      case DATA: {
        const take = Math.min(this.#remaining, data.length - pos);
        onData(data.subarray(pos, pos + take));
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = DATA_END;
        return take;
      }
      case DATA_END:
        return this.#dataEnd(data, pos);
      default:
        return this.#line(data, pos);
    }
  }

  #dataEnd(data: Uint8Array, pos: number): number {
    if (data[pos] === 10) {
      this.#state = SIZE;
      return 1;
    }
    if (data[pos] !== 13) throw new ChunkedBodyError("Missing CRLF after chunk data");
    if (pos + 1 >= data.length) return 0;
    if (data[pos + 1] !== 10) throw new ChunkedBodyError("Missing CRLF after chunk data");
    this.#state = SIZE;
    return 2;
  }

  #line(data: Uint8Array, pos: number): number {
    const lf = data.indexOf(10, pos);
    if (lf < 0) {
      if (data.length - pos >= this.#maxLine) throw new ChunkedBodyError("Chunk line too long");
      return 0;
    }
    const length = lf + 1 - pos;
    if (length >= this.#maxLine) throw new ChunkedBodyError("Chunk line too long");
    if (this.#state === SIZE) this.#size(data, pos, lf);
    else this.#trailer(data, pos, length);
    return length;
  }

  #size(data: Uint8Array, pos: number, lf: number): void {
    let end = lf > pos && data[lf - 1] === 13 ? lf - 1 : lf;
    const semi = data.subarray(pos, end).indexOf(59);
    if (semi >= 0) end = pos + semi;
    while (end > pos && (data[end - 1] === 32 || data[end - 1] === 9)) end--;
    while (pos < end && (data[pos] === 32 || data[pos] === 9)) pos++;
    if (end === pos || end - pos > 13) throw new ChunkedBodyError("Invalid chunk size");
    let size = 0;
    for (let i = pos; i < end; i++) {
      const digit = hexValue(data[i]);
      if (digit < 0) throw new ChunkedBodyError("Invalid chunk size");
      size = size * 16 + digit;
    }
    this.#remaining = size;
    this.#state = size === 0 ? TRAILER : DATA;
  }

  #trailer(data: Uint8Array, pos: number, length: number): void {
    if (length === 1 || (length === 2 && data[pos] === 13)) {
      this.#state = DONE;
      return;
    }
    this.#trailerBytes += length;
    if (this.#trailerBytes > MAX_TOTAL_HEADER_SIZE) {
      throw new ChunkedBodyError("Trailers too large");
    }
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
