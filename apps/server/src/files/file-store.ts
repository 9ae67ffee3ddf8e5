import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What was stored: where (relative to the files directory), how big, its digest, its head. */
export interface StoredBytes {
  readonly id: string;
  readonly storagePath: string;
  readonly size: number;
  readonly sha256: string;
  /** The first bytes, for checking an image really is one. */
  readonly head: Buffer;
}

/**
 * Where uploaded files live: `<data dir>/files/<yyyy>/<mm>/<uuid>`. The path is made here from
 * a fresh UUID and the date — never from anything a client sent — so no name can escape it.
 */
export class FileStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'files');
  }

  /** The absolute path of a stored file (`storagePath` always comes from our own table). */
  pathOf(storagePath: string): string {
    return join(this.root, storagePath);
  }

  /**
   * Streams `source` to a new file, hashing and counting as it goes (never holding it whole in
   * memory). `tooLarge()` is asked after the stream ends (the multipart reader truncates at the
   * field's limit); then, or on any failure, the partial file is removed.
   */
  async write(source: Readable, tooLarge: () => boolean): Promise<StoredBytes | null> {
    const id = randomUUID();
    const now = new Date();
    const storagePath = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
    const path = this.pathOf(storagePath);
    await mkdir(join(path, '..'), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const heads: Buffer[] = [];
    let headLength = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        if (headLength < 16) {
          heads.push(chunk.subarray(0, 16 - headLength));
          headLength += Math.min(chunk.length, 16 - headLength);
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
    if (tooLarge()) {
      await unlink(path).catch(() => undefined);
      return null;
    }
    return { id, storagePath, size, sha256: hash.digest('hex'), head: Buffer.concat(heads) };
  }

  /** Removes a stored file (after a failed upload). */
  async remove(storagePath: string): Promise<void> {
    await unlink(this.pathOf(storagePath)).catch(() => undefined);
  }
}

const SIGNATURES: readonly (readonly [string, (head: Buffer) => boolean])[] = [
  [
    'image/png',
    (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ],
  ['image/jpeg', (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff],
  ['image/gif', (h) => h.subarray(0, 4).toString('latin1') === 'GIF8'],
  [
    'image/webp',
    (h) =>
      h.subarray(0, 4).toString('latin1') === 'RIFF' &&
      h.subarray(8, 12).toString('latin1') === 'WEBP',
  ],
];

/** True when the bytes start like the declared image type (unknown types are not checked). */
export function looksLike(mime: string, head: Buffer): boolean {
  const signature = SIGNATURES.find(([type]) => type === mime);
  return signature ? signature[1](head) : true;
}

/**
 * A file name safe to store and show: no directories, no control characters, at most 255
 * characters; `file` when nothing is left.
 */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const clean = [...base]
    .filter((char) => char !== '"' && !isControl(char.codePointAt(0) ?? 0))
    .join('')
    .trim()
    .slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** `Content-Disposition` for a download: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
