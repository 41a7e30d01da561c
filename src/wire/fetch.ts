// Reading bytes from where agencies put them: picture renditions over http(s) or from the folder a document
// came from, and feeds with conditional GET. Every read has a size cap and a time limit, because a feed or
// picture server that never stops sending must not exhaust memory or hang a poller.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface ReadLimits {
  maxBytes: number;
  timeoutMs: number;
}

export interface HttpResult {
  status: number;
  /** Null for 304 Not Modified. */
  body: Buffer | null;
  etag: string | null;
  lastModified: string | null;
}

/** Thrown with a message fit for an editor: what could not be read, and why. */
export class ReadFailure extends Error {}

const USER_AGENT = 'Dateline wire ingest (+https://github.com/dateline)';

async function readCapped(res: Response, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new ReadFailure(`${url} is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ReadFailure(`${url} sent more than the ${maxBytes}-byte limit`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** GET with optional validators; 304 comes back with a null body. Network errors become ReadFailure. */
export async function httpGet(
  url: string,
  limits: ReadLimits,
  validators: { etag?: string | null; lastModified?: string | null } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ReadFailure(`${url} could not be fetched (${cause})`);
  }
  const meta = { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
  if (res.status === 304) {
    await res.body?.cancel();
    return { status: 304, body: null, ...meta };
  }
  try {
    return { status: res.status, body: await readCapped(res, url, limits.maxBytes), ...meta };
  } catch (e) {
    if (e instanceof ReadFailure) throw e;
    throw new ReadFailure(`${url} stopped sending before the end (${(e as Error).message})`);
  }
}

/**
 * The bytes of one picture rendition. `file:` hrefs are read only when the document itself came from disk
 * (the parser already keeps them inside the document's folder); anything else must be http(s).
 */
export async function readRendition(href: string, limits: ReadLimits, allowFiles: boolean): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new ReadFailure(`"${href}" is not a URL`);
  }
  if (url.protocol === 'file:') {
    if (!allowFiles)
      throw new ReadFailure(`${href} is a local file, and only documents read from disk may point at files`);
    const path = fileURLToPath(url);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new ReadFailure(`${href} is not a file`);
      if (info.size > limits.maxBytes)
        throw new ReadFailure(`${href} is ${info.size} bytes, over the ${limits.maxBytes}-byte limit`);
      return await readFile(path);
    } catch (e) {
      if (e instanceof ReadFailure) throw e;
      throw new ReadFailure(
        `${href} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ReadFailure(`${href} is not an http(s) link`);
  const res = await httpGet(url.href, limits);
  if (res.status !== 200 || !res.body) throw new ReadFailure(`${href} answered HTTP ${res.status}`);
  return res.body;
}
