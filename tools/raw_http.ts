/**
 * A raw HTTP/1.1 client over one TCP connection, for the fuzzer and the
 * stress tests: it sends exactly the bytes it is given (invalid UTF-8, odd
 * methods, duplicate headers, broken framing) and reads answers as they
 * come, telling a clean close from a connection reset and from a timeout.
 *
 * @module
 */

const LATIN1 = new TextDecoder("latin1");
const UTF8 = new TextDecoder();
const ENCODER = new TextEncoder();

/** One answer as read off the wire. */
export interface RawResponse {
  /** `HTTP/1.1`, `HTTP/1.0`, or `""` for an answer without a status line (HTTP/0.9 style). */
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  /** Header pairs in wire order and spelling. */
  readonly headers: readonly [string, string][];
  readonly body: Uint8Array;
}

/** The first value of a header (case-insensitive), or null. */
export function header(res: RawResponse, name: string): string | null {
  const lower = name.toLowerCase();
  return res.headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
}

/** The body as UTF-8 text. */
export function bodyText(res: RawResponse): string {
  return UTF8.decode(res.body);
}

/** Why reading stopped short of an answer. */
export class RawClosed extends Error {
  /** `eof`: the server closed cleanly; `reset`: the connection was reset; `timeout`. */
  constructor(readonly why: "eof" | "reset" | "timeout", readonly partial: number) {
    super(`Connection ended (${why}) after ${partial} bytes of an answer`);
    this.name = "RawClosed";
  }
}

/** Text as bytes, one byte per char code (so `\xff` stays one byte); bytes as they are. */
export function latin1Bytes(data: string | Uint8Array): Uint8Array {
  if (typeof data !== "string") return data;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data.charCodeAt(i) & 0xff;
  return out;
}

/** UTF-8 text as bytes. */
export function utf8(text: string): Uint8Array {
  return ENCODER.encode(text);
}

function isReset(err: unknown): boolean {
  return err instanceof Deno.errors.ConnectionReset || err instanceof Deno.errors.BrokenPipe ||
    err instanceof Deno.errors.ConnectionAborted;
}

/** One client connection. */
export class RawConnection {
  #buf = new Uint8Array(4 * 1024);
  readonly #chunk = new Uint8Array(16 * 1024);
  #pending: Promise<Uint8Array | null | "reset"> | null = null;
  #start = 0;
  #end = 0;
  #eof = false;
  #reset = false;
  #closed = false;
  /** Bytes written to the socket so far. */
  sent = 0;
  /** Bytes read from the socket so far. */
  received = 0;

  private constructor(readonly conn: Deno.TcpConn) {}

  /** Connects to 127.0.0.1:`port` (or `hostname`). */
  static async open(port: number, hostname = "127.0.0.1"): Promise<RawConnection> {
    return new RawConnection(await Deno.connect({ hostname, port }));
  }

  /** True once the server closed (cleanly or by a reset). */
  get ended(): boolean {
    return this.#eof || this.#reset;
  }

  /** True when the server reset the connection. */
  get wasReset(): boolean {
    return this.#reset;
  }

  /**
   * Writes all of `data` (a string is sent as latin-1 bytes).
   *
   * @throws {RawClosed} when the connection was reset or closed meanwhile
   */
  async send(data: string | Uint8Array): Promise<void> {
    const bytes = latin1Bytes(data);
    let done = 0;
    try {
      while (done < bytes.length) {
        const n = await this.conn.write(bytes.subarray(done));
        done += n;
        this.sent += n;
      }
    } catch (err) {
      if (isReset(err)) this.#reset = true;
      throw new RawClosed(isReset(err) ? "reset" : "eof", 0);
    }
  }

  /**
   * Reads one answer (a `100 Continue` is an answer too). `head` says the
   * request was a HEAD (no body follows the head).
   *
   * @throws {RawClosed} when the connection ends, or `timeoutMs` passes, before a whole answer
   */
  async response(options: { head?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    let end: number;
    while ((end = this.#find(CRLFCRLF)) < 0) {
      // An answer without a status line (http.server's HTTP/0.9 error page) ends at the close.
      if (this.#end - this.#start >= 5 && !this.#startsWith("HTTP/")) {
        await this.#fill(deadline, true);
        return this.#bare();
      }
      await this.#fill(deadline);
    }
    const head = LATIN1.decode(this.#buf.subarray(this.#start, end));
    this.#start = end + 4;
    const lines = head.split("\r\n");
    const [version, code, ...reason] = lines[0].split(" ");
    const headers: [string, string][] = lines.slice(1).map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const status = Number(code);
    const lengthText = headers.find(([k]) => k.toLowerCase() === "content-length")?.[1];
    let body: Uint8Array;
    if (options.head || status === 100 || status === 204 || status === 304) {
      body = new Uint8Array(0);
    } else if (lengthText !== undefined) {
      const length = Number(lengthText);
      while (this.#end - this.#start < length) await this.#fill(deadline);
      body = this.#buf.slice(this.#start, this.#start + length);
      this.#start += length;
    } else {
      await this.#fill(deadline, true);
      body = this.#buf.slice(this.#start, this.#end);
      this.#start = this.#end;
    }
    return { version, status, reason: reason.join(" "), headers, body };
  }

  /**
   * Reads until the server closes; returns what came, and whether it was a reset.
   *
   * @throws {RawClosed} (`timeout`) when the server keeps the connection open past `timeoutMs`
   */
  async rest(timeoutMs = 10_000): Promise<{ bytes: Uint8Array; reset: boolean }> {
    await this.#fill(Date.now() + timeoutMs, true);
    const bytes = this.#buf.slice(this.#start, this.#end);
    this.#start = this.#end;
    return { bytes, reset: this.#reset };
  }

  /** Closes the connection. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }

  #bare(): RawResponse {
    const body = this.#buf.slice(this.#start, this.#end);
    this.#start = this.#end;
    return { version: "", status: 0, reason: "", headers: [], body };
  }

  #startsWith(prefix: string): boolean {
    for (let i = 0; i < prefix.length; i++) {
      if (this.#buf[this.#start + i] !== prefix.charCodeAt(i)) return false;
    }
    return true;
  }

  #find(pattern: Uint8Array): number {
    const view = this.#buf.subarray(this.#start, this.#end);
    let from = 0;
    for (;;) {
      const at = view.indexOf(pattern[0], from);
      if (at < 0 || at + pattern.length > view.length) return -1;
      let ok = true;
      for (let i = 1; i < pattern.length && ok; i++) ok = view[at + i] === pattern[i];
      if (ok) return this.#start + at;
      from = at + 1;
    }
  }

  // Reads more bytes; with `toEnd`, until the server closes. Throws RawClosed at
  // the end of the stream (unless `toEnd`) and at the deadline. A read that
  // outlives its deadline stays pending for the next call (the connection
  // stays usable): it reads into a chunk of its own.
  async #fill(deadline: number, toEnd = false): Promise<void> {
    do {
      if (this.ended) {
        if (toEnd) return;
        throw new RawClosed(this.#reset ? "reset" : "eof", this.#end - this.#start);
      }
      const wait = deadline - Date.now();
      if (wait <= 0) throw new RawClosed("timeout", this.#end - this.#start);
      this.#pending ??= this.#read();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), wait);
      });
      const n = await Promise.race([this.#pending, timeout]);
      clearTimeout(timer);
      if (n === "timeout") throw new RawClosed("timeout", this.#end - this.#start);
      this.#pending = null;
      if (n === "reset") this.#reset = true;
      else if (n === null) this.#eof = true;
      else {
        this.#room(n.length);
        this.#buf.set(n, this.#end);
        this.#end += n.length;
        this.received += n.length;
        if (!toEnd) return;
      }
    } while (toEnd);
  }

  async #read(): Promise<Uint8Array | null | "reset"> {
    try {
      const n = await this.conn.read(this.#chunk);
      return n === null ? null : this.#chunk.slice(0, n);
    } catch (err) {
      if (isReset(err)) return "reset";
      if (this.#closed) return null;
      throw err;
    }
  }

  // Makes room for `n` more bytes at the end of the buffer.
  #room(n: number): void {
    if (this.#end + n <= this.#buf.length) return;
    if (this.#start > 0) {
      this.#buf.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    if (this.#end + n <= this.#buf.length) return;
    const bigger = new Uint8Array(Math.max(this.#buf.length * 2, this.#end + n));
    bigger.set(this.#buf.subarray(0, this.#end));
    this.#buf = bigger;
  }
}

const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);
