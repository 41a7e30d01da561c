// Reading bytes from where agencies put them: picture renditions over http(s) or from the folder a document
// came from, and feeds with conditional GET. Every read has a size cap and a time limit, because a feed or
// picture server that never stops sending must not exhaust memory or hang a poller. Network reads go through
// the guarded outgoing client (src/outbound/), which refuses non-public addresses; file reads stay inside the
// document's folder once symbolic links are resolved.
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDatelineError } from '../errors/catalogue.ts';
import type { OutboundClient } from '../outbound/client.ts';
import { locateSource } from './parse/links.ts';

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

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** GET with optional validators; 304 comes back with a null body. Refusals and network errors become ReadFailure. */
export async function httpGet(
  client: OutboundClient,
  url: string,
  limits: ReadLimits,
  validators: { etag?: string | null; lastModified?: string | null } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  try {
    const res = await client.request(url, {
      headers,
      maxBytes: limits.maxBytes,
      timeoutMs: limits.timeoutMs,
    });
    const meta = { etag: header(res.headers.etag), lastModified: header(res.headers['last-modified']) };
    return { status: res.status, body: res.status === 304 ? null : res.body, ...meta };
  } catch (e) {
    // The outgoing client's messages already name the URL and say nothing about the network behind it.
    if (isDatelineError(e)) throw new ReadFailure(e.message, { cause: e });
    throw e;
  }
}

/**
 * A file a disk document points at, read only if it really is inside that document's folder: the folder and
 * the file are both resolved through symbolic links first, so `pictures/link.jpg -> /etc/…` is refused.
 */
async function readFileInside(href: string, documentSource: string, limits: ReadLimits): Promise<Buffer> {
  const root = locateSource(documentSource).fileRoot;
  if (root === null)
    throw new ReadFailure(`${href} is a local file, but the document did not come from disk`);
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await realpath(fileURLToPath(root));
    realFile = await realpath(fileURLToPath(href));
  } catch (e) {
    throw new ReadFailure(
      `${href} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (!realFile.startsWith(realRoot.endsWith(sep) ? realRoot : `${realRoot}${sep}`)) {
    throw new ReadFailure(
      `${href} leads outside the folder the document came from (through a symbolic link), so it was not read. Put the picture itself in the folder.`,
    );
  }
  // O_NOFOLLOW: the checked path is read as checked, not through a link swapped in since.
  const handle = await open(realFile, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (e: NodeJS.ErrnoException) => {
      throw new ReadFailure(`${href} cannot be read (${e.code ?? e.message})`);
    },
  );
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ReadFailure(`${href} is not a file`);
    if (info.size > limits.maxBytes)
      throw new ReadFailure(`${href} is ${info.size} bytes, over the ${limits.maxBytes}-byte limit`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of one picture rendition. `file:` hrefs are read only when the document itself came from disk
 * (`documentSource` is then its path; null for documents from the API or a feed); anything else must be
 * http(s) and is fetched through the guarded client.
 */
export async function readRendition(
  client: OutboundClient,
  href: string,
  limits: ReadLimits,
  documentSource: string | null,
): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new ReadFailure(`"${href}" is not a URL`);
  }
  if (url.protocol === 'file:') {
    if (documentSource === null)
      throw new ReadFailure(`${href} is a local file, and only documents read from disk may point at files`);
    return readFileInside(url.href, documentSource, limits);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ReadFailure(`${href} is not an http(s) link`);
  const res = await httpGet(client, url.href, limits);
  if (res.status !== 200 || !res.body) throw new ReadFailure(`${href} answered HTTP ${res.status}`);
  return res.body;
}
