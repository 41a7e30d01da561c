// Where image bytes live: originals and the renditions made from them. The interface is small and
// key-based so an S3-style object store can implement it later; the filesystem version is the default.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

export interface MediaStorage {
  /** Stores the bytes under the key, replacing anything already there. Readers never see partial bytes. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under the key, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  has(key: string): Promise<boolean>;
  /** Removes the key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

// Keys are slash-separated segments of letters, digits, dot, dash and underscore that start with a letter or
// digit. That rules out `..`, `.`, empty segments, absolute paths and backslashes, and keeps every key valid
// as an S3 object name too.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 512;

export function assertValidKey(key: string): void {
  const ok =
    typeof key === 'string' &&
    key.length > 0 &&
    key.length <= MAX_KEY_LENGTH &&
    key.split('/').every((segment) => SEGMENT.test(segment) && segment !== '..');
  if (!ok) {
    // A bad key is a bug in the caller (keys are built by the media service, never taken from a request).
    throw new Error(
      `Media storage key ${JSON.stringify(key)} is not allowed: keys are relative paths of letters, digits, ` +
        "'.', '-' and '_' with no '..' or empty parts. Build keys with the media service.",
    );
  }
}

export class FilesystemStorage implements MediaStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathFor(key: string): string {
    assertValidKey(key);
    const path = join(this.root, ...key.split('/'));
    // Validation already forbids escaping; this second check keeps a future change to it from opening a hole.
    if (!path.startsWith(this.root + sep))
      throw new Error(`Media storage key ${JSON.stringify(key)} escapes the root`);
    return path;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathFor(key);
    await mkdir(dirname(path), { recursive: true });
    // Write beside the target and rename over it: rename is atomic within one filesystem, so a reader sees
    // the old bytes or the new ones, and a crash leaves at most a stray temp file, never a torn image.
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      const fh = await open(temp, 'wx');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathFor(key));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathFor(key))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathFor(key));
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
