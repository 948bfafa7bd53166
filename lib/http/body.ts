/**
 * The read side of a client connection: a growable byte buffer over the
 * socket ({@link SocketInput}) and the request body read from it
 * ({@link SocketBody}, eventlet.wsgi's `Input`): Content-Length or chunked,
 * `100 Continue` on first read, a size limit that stops reading as soon as
 * it is passed, and bounded discarding of what the app left unread.
 *
 * @module
 */

import type { Conn } from "../runtime.ts";
import { type BodyReader, BodyTooLargeError } from "../request.ts";
import { ChunkedDecoder } from "./chunked.ts";

// Most request heads are well under 4 KiB, and every open connection keeps
// its buffer: 4 KiB rather than 16 saves ~58 MiB at 5,000 connections. A
// longer head or a pipelined burst grows it (and it shrinks back once empty).
const INITIAL_SIZE = 4 * 1024;
const MAX_SIZE = 256 * 1024;

/** Buffered reads from a connection, with what the server's timeout sweep watches. */
export class SocketInput {
  #buf = new Uint8Array(INITIAL_SIZE);
  #start = 0;
  #end = 0;
  /** True while a socket read or write is pending (the server's timeout sweep watches it). */
  waiting = false;
  /** Socket operations started so far: the sweep sees progress when it changes. */
  ops = 0;
  /** Bytes read from the socket so far. */
  bytesIn = 0;
  /** Bytes written to the socket so far. */
  bytesOut = 0;

  /** Bytes read and written so far (the sweep's measure of a client's pace). */
  get transferred(): number {
    return this.bytesIn + this.bytesOut;
  }

  /** @param conn the connection */
  constructor(readonly conn: Conn) {}

  /** Bytes buffered and not consumed yet. */
  get available(): number {
    return this.#end - this.#start;
  }

  /** The buffered bytes (a view: valid until the next {@link fill}). */
  view(): Uint8Array {
    return this.#buf.subarray(this.#start, this.#end);
  }

  /** Marks `n` buffered bytes as used. */
  consume(n: number): void {
    this.#start += n;
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
      if (this.#buf.length > INITIAL_SIZE) this.#buf = new Uint8Array(INITIAL_SIZE);
    }
  }

  /**
   * Reads more bytes from the socket into the buffer.
   *
   * @returns false at end of stream, or when the connection broke or was closed
   * @throws {RangeError} when the buffer would pass its 256 KiB bound
   */
  async fill(): Promise<boolean> {
    this.#makeRoom();
    this.ops++;
    this.waiting = true;
    let n: number | null;
    try {
      // An empty buffer (the usual case between requests) is read into whole: no view to make.
      n = await this.conn.read(this.#end === 0 ? this.#buf : this.#buf.subarray(this.#end));
    } catch {
      n = null;
    }
    this.waiting = false;
    if (n === null || n === 0) return false;
    this.#end += n;
    this.bytesIn += n;
    return true;
  }

  /** Reads from the socket into `target`; `null` at end of stream or on a broken connection. */
  async readInto(target: Uint8Array): Promise<number | null> {
    this.ops++;
    this.waiting = true;
    try {
      const n = await this.conn.read(target);
      if (n !== null) this.bytesIn += n;
      return n;
    } catch {
      return null;
    } finally {
      this.waiting = false;
    }
  }

  /** Writes all of `bytes`, watched by the timeout sweep like reads. */
  async write(bytes: Uint8Array): Promise<void> {
    this.ops++;
    this.waiting = true;
    let done = await this.conn.write(bytes);
    this.bytesOut += done;
    while (done < bytes.length) {
      this.ops++;
      const n = await this.conn.write(bytes.subarray(done));
      done += n;
      this.bytesOut += n;
    }
    this.waiting = false;
  }

  #makeRoom(): void {
    if (this.#end < this.#buf.length) return;
    if (this.#start > 0) {
      this.#buf.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
      return;
    }
    if (this.#buf.length >= MAX_SIZE) throw new RangeError("Input buffer is full");
    const bigger = new Uint8Array(this.#buf.length * 2);
    bigger.set(this.#buf.subarray(0, this.#end));
    this.#buf = bigger;
  }
}

/** How the body of one request is framed. */
export interface BodyFraming {
  contentLength: number | null;
  chunked: boolean;
  expectContinue: boolean;
}

/** What the server needs to know of a request body after the app has run. */
export interface RequestBody extends BodyReader {
  /** True when the client asked for `100 Continue` and has not had it. */
  readonly continuePending: boolean;
  /** True when nothing of the body is left on the socket. */
  readonly complete: boolean;
  /** True when reading failed midway (bad framing, early end, over the limit). */
  readonly broken: boolean;
  /** Content-Length bytes still on the socket (0 for chunked bodies). */
  readonly unread: number;
  /** Drops what is left, up to `max` bytes; false when the connection should close instead. */
  discard(max: number): Promise<boolean>;
}

const NOTHING = new Uint8Array(0);

/** The body of a request without Content-Length or chunks: nothing to read (shared). */
export const NO_BODY: RequestBody = Object.freeze({
  contentLength: null,
  chunked: false,
  continuePending: false,
  complete: true,
  broken: false,
  unread: 0,
  read: () => Promise.resolve(NOTHING),
  stream: async function* () {},
  discard: () => Promise.resolve(true),
});

/** Size of the chunks {@link SocketBody.stream} reads a Content-Length body in. */
const STREAM_CHUNK = 64 * 1024;

/**
 * One request's body, read from the socket on demand (eventlet.wsgi.Input).
 *
 * Reading sends `HTTP/1.1 100 Continue` first when the client asked for
 * it. A body over the limit is refused before reading when Content-Length
 * says so, and otherwise as soon as the bytes read pass the limit.
 */
export class SocketBody implements RequestBody {
  readonly contentLength: number | null;
  readonly chunked: boolean;
  readonly #input: SocketInput;
  readonly #expectContinue: boolean;
  readonly #sendContinue: () => Promise<void>;
  readonly #decoder: ChunkedDecoder | null;
  /** Body bytes not yet taken from the socket (Content-Length bodies). */
  #remaining: number;
  #continueSent = false;
  #result: Promise<Uint8Array> | null = null;
  #streamed = false;
  #broken = false;

  constructor(
    input: SocketInput,
    framing: BodyFraming,
    options: { sendContinue: () => Promise<void>; maxLine: number },
  ) {
    this.#input = input;
    this.contentLength = framing.chunked ? null : framing.contentLength;
    this.chunked = framing.chunked;
    this.#expectContinue = framing.expectContinue;
    this.#sendContinue = options.sendContinue;
    this.#decoder = framing.chunked ? new ChunkedDecoder(options.maxLine) : null;
    this.#remaining = this.contentLength ?? 0;
  }

  /** True when the client asked for `100 Continue` and has not had it. */
  get continuePending(): boolean {
    return this.#expectContinue && !this.#continueSent;
  }

  /** True when nothing of the body is left on the socket. */
  get complete(): boolean {
    return this.#decoder ? this.#decoder.done : this.#remaining === 0;
  }

  /** True when reading failed midway (bad framing, early end, over the limit). */
  get broken(): boolean {
    return this.#broken;
  }

  /** Content-Length bytes still on the socket (0 for chunked bodies). */
  get unread(): number {
    return this.#remaining;
  }

  /** {@inheritDoc BodyReader.read} */
  read(limit?: number): Promise<Uint8Array> {
    if (this.#result) return this.#result.then((bytes) => checkLimit(bytes, limit));
    if (this.#streamed) return Promise.reject(new Error("The request body was already streamed"));
    if (limit !== undefined && this.contentLength !== null && this.contentLength > limit) {
      return Promise.reject(new BodyTooLargeError(limit));
    }
    this.#result = this.#readAll(limit).catch((err) => {
      this.#broken = true;
      throw err;
    });
    return this.#result;
  }

  /** {@inheritDoc BodyReader.stream} */
  async *stream(limit?: number): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.#result || this.#streamed) throw new Error("The request body was already read");
    if (limit !== undefined && this.contentLength !== null && this.contentLength > limit) {
      throw new BodyTooLargeError(limit);
    }
    this.#streamed = true;
    try {
      await this.#continue();
      if (this.#decoder) yield* this.#streamChunked(this.#decoder, limit);
      else yield* this.#streamLength();
    } catch (err) {
      this.#broken = true;
      throw err;
    }
  }

  // A Content-Length body: what is buffered, then reads straight into one reused chunk.
  async *#streamLength(): AsyncGenerator<Uint8Array, void, undefined> {
    const input = this.#input;
    const buffered = Math.min(input.available, this.#remaining);
    if (buffered > 0) {
      const head = input.view().subarray(0, buffered);
      input.consume(buffered);
      this.#remaining -= buffered;
      yield head;
    }
    const chunk = this.#remaining > 0
      ? new Uint8Array(Math.min(STREAM_CHUNK, this.#remaining))
      : null;
    while (this.#remaining > 0) {
      const n = await input.readInto(chunk!.subarray(0, Math.min(chunk!.length, this.#remaining)));
      if (n === null || n === 0) {
        throw new Error(
          `The client disconnected while sending the body (${this.#remaining} more bytes were expected)`,
        );
      }
      this.#remaining -= n;
      yield chunk!.subarray(0, n);
    }
  }

  // A chunked body: decodes what is buffered (at most 256 KiB) per round;
  // the chunks are views of the input buffer, valid until the next fill.
  async *#streamChunked(
    decoder: ChunkedDecoder,
    limit: number | undefined,
  ): AsyncGenerator<Uint8Array, void, undefined> {
    const input = this.#input;
    let total = 0;
    const keep = (parts: Uint8Array[]) => (bytes: Uint8Array) => {
      total += bytes.length;
      if (limit !== undefined && total > limit) throw new BodyTooLargeError(limit);
      parts.push(bytes);
    };
    for (;;) {
      const parts: Uint8Array[] = [];
      if (input.available > 0) input.consume(decoder.decode(input.view(), keep(parts)));
      yield* parts;
      if (decoder.done) return;
      if (!await input.fill()) throw new Error("Unexpected end of file while parsing chunked data");
    }
  }

  async #readAll(limit: number | undefined): Promise<Uint8Array> {
    await this.#continue();
    return this.#decoder ? await this.#readChunked(this.#decoder, limit) : await this.#readLength();
  }

  async #continue(): Promise<void> {
    if (!this.#expectContinue || this.#continueSent) return;
    this.#continueSent = true;
    await this.#sendContinue();
  }

  async #readLength(): Promise<Uint8Array> {
    const out = new Uint8Array(this.#remaining);
    const input = this.#input;
    let pos = Math.min(input.available, out.length);
    out.set(input.view().subarray(0, pos));
    input.consume(pos);
    while (pos < out.length) {
      const n = await input.readInto(out.subarray(pos));
      if (n === null || n === 0) {
        this.#remaining = out.length - pos;
        throw new Error(
          `The client disconnected while sending the body (${
            out.length - pos
          } more bytes were expected)`,
        );
      }
      pos += n;
    }
    this.#remaining = 0;
    return out;
  }

  async #readChunked(decoder: ChunkedDecoder, limit: number | undefined): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let total = 0;
    const keep = (bytes: Uint8Array) => {
      total += bytes.length;
      if (limit !== undefined && total > limit) throw new BodyTooLargeError(limit);
      parts.push(bytes.slice());
    };
    await this.#pump(decoder, keep);
    return concat(parts, total);
  }

  // Feeds the decoder from the buffer and the socket until the body ends.
  async #pump(decoder: ChunkedDecoder, onData: (bytes: Uint8Array) => void): Promise<void> {
    const input = this.#input;
    for (;;) {
      if (input.available > 0) input.consume(decoder.decode(input.view(), onData));
      if (decoder.done) return;
      if (!await input.fill()) throw new Error("Unexpected end of file while parsing chunked data");
    }
  }

  /**
   * Reads and drops what the app left of the body, so the connection can
   * carry the next request (eventlet's `Input.discard`).
   *
   * @param max most bytes to drop; more than that, and the connection should close
   * @returns true when the body is fully consumed
   */
  async discard(max: number): Promise<boolean> {
    if (this.#broken) return false;
    if (this.complete) return true;
    if (this.continuePending) return false;
    try {
      return this.#decoder
        ? await this.#discardChunked(this.#decoder, max)
        : await this.#discardLength(max);
    } catch {
      this.#broken = true;
      return false;
    }
  }

  async #discardLength(max: number): Promise<boolean> {
    if (this.#remaining > max) return false;
    const input = this.#input;
    while (this.#remaining > 0) {
      if (input.available === 0 && !await input.fill()) return false;
      const n = Math.min(input.available, this.#remaining);
      input.consume(n);
      this.#remaining -= n;
    }
    return true;
  }

  async #discardChunked(decoder: ChunkedDecoder, max: number): Promise<boolean> {
    let total = 0;
    await this.#pump(decoder, (bytes) => {
      total += bytes.length;
      if (total > max) throw new BodyTooLargeError(max);
    });
    return true;
  }
}

function checkLimit(bytes: Uint8Array, limit: number | undefined): Uint8Array {
  if (limit !== undefined && bytes.length > limit) throw new BodyTooLargeError(limit);
  return bytes;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}
