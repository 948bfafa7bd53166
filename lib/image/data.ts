/**
 * Image data on disk: one file per image under `$state_path/images/`,
 * bytes kept as sent. An upload is written to a temporary file while its
 * size, md5 and sha512 are computed, and renamed into place once complete;
 * a download is read back in chunks.
 *
 * Mirrors glance_store's filesystem store (`Store.add` with its
 * multihash, `Store.get` in chunks) behind glance's `LimitingReader`
 * (`image_size_cap`).
 *
 * @module
 */

import { listDir, makeDirs, nodeCrypto, openFileReader, openFileWriter } from "../runtime.ts";
import { removeFile, renameFile } from "../runtime.ts";

/** glance's `[DEFAULT] hashing_algorithm`. */
export const HASHING_ALGORITHM = "sha512";

const READ_CHUNK = 64 * 1024;

/** glance.common.exception.ImageSizeLimitExceeded. */
export class ImageSizeLimitExceeded extends Error {
  constructor() {
    super("The provided image is too large.");
    this.name = "ImageSizeLimitExceeded";
  }
}

/** What storing an image's data recorded. */
export interface StoredData {
  size: number;
  /** md5, hex (glance's `checksum`). */
  checksum: string;
  /** sha512, hex (glance's `os_hash_value`). */
  osHashValue: string;
}

/** The image files of one state directory. */
export class ImageFiles {
  /** @param dir the directory (`$state_path/images`) */
  constructor(readonly dir: string) {}

  /** The file of an image's data. */
  path(id: string): string {
    return `${this.dir}/${id}`;
  }

  /**
   * Writes `chunks` as the data of image `id`, at most `maxSize` bytes.
   *
   * @throws {ImageSizeLimitExceeded} past `maxSize` (nothing is kept)
   * @throws whatever reading the chunks or writing the file throws (nothing is kept)
   */
  async write(
    id: string,
    chunks: AsyncIterable<Uint8Array>,
    maxSize: number,
  ): Promise<StoredData> {
    makeDirs(this.dir);
    const temp = `${this.path(id)}.${crypto.randomUUID()}.part`;
    const file = await openFileWriter(temp);
    const crypt = nodeCrypto();
    const md5 = crypt.createHash("md5");
    const sha512 = crypt.createHash(HASHING_ALGORITHM);
    let size = 0;
    try {
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > maxSize) throw new ImageSizeLimitExceeded();
        md5.update(chunk);
        sha512.update(chunk);
        await file.write(chunk);
      }
      await file.close(true);
      renameFile(temp, this.path(id));
    } catch (err) {
      await file.close().catch(() => {});
      removeFile(temp);
      throw err;
    }
    return { size, checksum: md5.digest("hex"), osHashValue: sha512.digest("hex") };
  }

  /**
   * The data of image `id` in chunks; the file is opened on the first read.
   * One buffer is reused: a chunk is valid until the next is asked for (as
   * the server's streamed bodies allow), so a download allocates nothing
   * per chunk.
   */
  async *read(id: string): AsyncGenerator<Uint8Array, void, undefined> {
    const file = await openFileReader(this.path(id));
    const buf = new Uint8Array(READ_CHUNK);
    try {
      for (;;) {
        const n = await file.read(buf);
        if (n === null) return;
        yield buf.subarray(0, n);
      }
    } finally {
      file.close();
    }
  }

  /** Removes an image's data; false when there was none. */
  remove(id: string): boolean {
    return removeFile(this.path(id));
  }

  /** Removes the temporary files of uploads a stopped process left behind. */
  removeLeftovers(): number {
    let removed = 0;
    let names: string[];
    try {
      names = listDir(this.dir);
    } catch {
      return 0;
    }
    for (const name of names) {
      if (name.endsWith(".part") && removeFile(`${this.dir}/${name}`)) removed++;
    }
    return removed;
  }
}
