// The one HTTP client for requests Dateline makes to URLs chosen by others: wire picture renditions, feed
// pollers and webhook deliveries. It resolves the host itself, refuses non-public addresses (addresses.ts)
// unless the operator allow-listed them, and then connects to exactly the address it checked, so a DNS
// answer that changes between the check and the connection (rebinding) cannot reach anything else.
// Redirects are followed by hand, each hop checked again; the body is read with a byte cap and the whole
// exchange, redirects included, has one time limit.
//
// Failures reach callers (agency API responses, poller problems, webhook delivery logs) as one of three
// codes with a plain message that never says how the network answered (refused, reset, unknown host,
// timeout): told apart, those answers would map the internal network for whoever chose the URL. The
// details go to the server log only.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { DatelineError } from '../errors/catalogue.ts';
import { AllowList, refusalOf } from './addresses.ts';

export interface OutboundOptions {
  /** Hosts and ranges the operator opened (DATELINE_OUTBOUND_ALLOW); nothing by default. */
  allow?: AllowList | readonly string[];
  /** Where the details of a refused or failed fetch go (the server log). */
  log?: (detail: Record<string, unknown>, message: string) => void;
  /** Name resolution; the system resolver (dns.lookup, every address) unless a test replaces it. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Largest response body read; a longer one fails with FETCH_TOO_LARGE. */
  maxBytes: number;
  /** Time for the whole exchange, every redirect and the body included. */
  timeoutMs: number;
  /** Redirects followed (each hop checked again); 0 returns a 3xx as it is. Default 5. */
  maxRedirects?: number;
  /**
   * 'any': http and https to permitted addresses. 'allow-listed': plain http only to an allow-listed host or
   * address, https anywhere permitted (webhooks, which carry signed payloads, use this).
   */
  plainHttp?: 'any' | 'allow-listed';
}

export interface OutboundResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

/** Where a checked URL will connect. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
  /** True when the host or its address passed because of the allow-list rather than by being public. */
  allowListed: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function fail(
  code: 'FETCH_REFUSED' | 'FETCH_FAILED' | 'FETCH_TOO_LARGE',
  url: string,
  message: string,
): DatelineError {
  return new DatelineError(code, message, { url });
}

/** The stable public messages; the URL is the one the caller gave, never a redirect target. */
export const outboundMessage = {
  refused: (url: string) =>
    `${url} was not fetched: it leads to an address Dateline does not send requests to (loopback, private, link-local or another non-public network). Use a public address, or, for a trusted local service, add its host to DATELINE_OUTBOUND_ALLOW.`,
  failed: (url: string) =>
    `${url} could not be fetched: no complete answer came back. Check that the URL is right and the server is up; the server log has the details.`,
  tooLarge: (url: string, maxBytes: number) =>
    `${url} sent more than the ${maxBytes}-byte limit, so it was not used.`,
};

async function systemResolve(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });
}

/** A `lookup` for net.connect that answers only with the address already checked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

export class OutboundClient {
  readonly allow: AllowList;
  private readonly log: NonNullable<OutboundOptions['log']>;
  private readonly resolve: NonNullable<OutboundOptions['resolve']>;

  constructor(options: OutboundOptions = {}) {
    const allow = options.allow ?? AllowList.none;
    this.allow = allow instanceof AllowList ? allow : AllowList.parse(allow);
    this.log = options.log ?? (() => {});
    this.resolve = options.resolve ?? systemResolve;
  }

  /**
   * Checks a URL without fetching it: its scheme, and every address its host resolves to. Used when a poller
   * or webhook is configured, and before every hop of a fetch (DNS may have changed since). Throws
   * FETCH_REFUSED, or FETCH_FAILED when the host does not resolve.
   */
  async check(
    input: string | URL,
    plainHttp: OutboundRequest['plainHttp'] = 'any',
    shown = String(input),
  ): Promise<CheckedTarget> {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw fail('FETCH_REFUSED', shown, `"${shown}" is not a URL. Give a full http(s) address.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw fail(
        'FETCH_REFUSED',
        shown,
        `${shown} is not an http(s) URL; Dateline fetches only http and https.`,
      );
    }
    if (url.username || url.password) {
      throw fail(
        'FETCH_REFUSED',
        shown,
        `${shown} carries a user name or password; put credentials elsewhere.`,
      );
    }
    // The WHATWG parser has already turned numeric hosts (2130706433, 0x7f.1, 017700000001) into dotted quads.
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const byName = this.allow.allowsHost(hostname);
    let addresses: LookupAddress[];
    if (isIP(hostname)) {
      addresses = [{ address: hostname, family: isIP(hostname) }];
    } else {
      try {
        addresses = await this.resolve(hostname);
      } catch (err) {
        this.log({ url: shown, host: hostname, err }, 'outgoing fetch: the host name did not resolve');
        throw fail('FETCH_FAILED', shown, outboundMessage.failed(shown));
      }
      if (addresses.length === 0) {
        this.log({ url: shown, host: hostname }, 'outgoing fetch: the host name has no addresses');
        throw fail('FETCH_FAILED', shown, outboundMessage.failed(shown));
      }
    }
    let allowListed = byName;
    // Every address must pass, not just one: a mixed answer is how rebinding attacks hedge their bets.
    for (const a of addresses) {
      if (byName) break;
      const why = refusalOf(a.address);
      if (why === null) continue;
      if (this.allow.allowsAddress(a.address)) {
        allowListed = true;
        continue;
      }
      this.log(
        { url: shown, host: hostname, address: a.address, range: why },
        'outgoing fetch refused: the address is not public and not in DATELINE_OUTBOUND_ALLOW',
      );
      throw fail('FETCH_REFUSED', shown, outboundMessage.refused(shown));
    }
    if (url.protocol === 'http:' && plainHttp === 'allow-listed' && !allowListed) {
      this.log(
        { url: shown, host: hostname },
        'outgoing fetch refused: plain http to a host not allow-listed',
      );
      throw fail(
        'FETCH_REFUSED',
        shown,
        `${shown} uses plain http://; use https://, or, for a trusted local service, add its host to DATELINE_OUTBOUND_ALLOW.`,
      );
    }
    const first = addresses[0]!;
    return { url, address: first.address, family: first.family === 6 ? 6 : 4, allowListed };
  }

  /** Sends one request, following redirects that pass the same checks. See OutboundRequest for the limits. */
  async request(input: string, o: OutboundRequest): Promise<OutboundResponse> {
    const signal = AbortSignal.timeout(o.timeoutMs);
    const maxRedirects = o.maxRedirects ?? 5;
    let url = input;
    let method = o.method ?? 'GET';
    let body = o.body;
    for (let hop = 0; ; hop++) {
      const target = await this.check(url, o.plainHttp, input);
      const res = await this.exchange(target, { ...o, method, body }, signal, input);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode ?? 0) || maxRedirects === 0 || !location) {
        return {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: await this.readBody(res, o.maxBytes, signal, input),
          url,
        };
      }
      res.resume();
      if (hop >= maxRedirects) {
        this.log({ url: input, hops: hop + 1 }, 'outgoing fetch: too many redirects');
        throw fail('FETCH_FAILED', input, outboundMessage.failed(input));
      }
      try {
        url = new URL(location, target.url).href;
      } catch {
        this.log(
          { url: input, location },
          'outgoing fetch: a redirect pointed at something that is not a URL',
        );
        throw fail('FETCH_FAILED', input, outboundMessage.failed(input));
      }
      // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
      if (res.statusCode === 303 || (method === 'POST' && res.statusCode !== 307 && res.statusCode !== 308)) {
        method = 'GET';
        body = undefined;
      }
    }
  }

  private exchange(
    target: CheckedTarget,
    o: OutboundRequest,
    signal: AbortSignal,
    shown: string,
  ): Promise<IncomingMessage> {
    const { url } = target;
    const headers: OutgoingHttpHeaders = { ...o.headers };
    if (o.body !== undefined) headers['content-length'] = Buffer.byteLength(o.body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: o.method ?? 'GET',
          headers,
          // A fresh connection to the checked address: a pooled socket could belong to an older resolution.
          agent: false,
          lookup: pinnedLookup(target.address, target.family),
          signal,
        },
        resolve,
      );
      req.on('error', (err) => {
        this.log(
          { url: shown, at: url.href, address: target.address, err, timedOut: signal.aborted },
          'outgoing fetch failed',
        );
        reject(fail('FETCH_FAILED', shown, outboundMessage.failed(shown)));
      });
      req.end(o.body);
    });
  }

  private async readBody(
    res: IncomingMessage,
    maxBytes: number,
    signal: AbortSignal,
    shown: string,
  ): Promise<Buffer> {
    const declared = Number(res.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      this.log({ url: shown, declared, maxBytes }, 'outgoing fetch: the declared length is over the limit');
      throw fail('FETCH_TOO_LARGE', shown, outboundMessage.tooLarge(shown, maxBytes));
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) {
          res.destroy();
          this.log({ url: shown, maxBytes }, 'outgoing fetch: the body ran over the limit');
          throw fail('FETCH_TOO_LARGE', shown, outboundMessage.tooLarge(shown, maxBytes));
        }
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof DatelineError) throw err;
      this.log({ url: shown, err, timedOut: signal.aborted }, 'outgoing fetch: the body broke off');
      throw fail('FETCH_FAILED', shown, outboundMessage.failed(shown));
    }
    // An aborted response can end without an error event; a body cut short is not a body.
    if (signal.aborted || !res.complete) {
      this.log({ url: shown, timedOut: signal.aborted }, 'outgoing fetch: the body did not arrive whole');
      throw fail('FETCH_FAILED', shown, outboundMessage.failed(shown));
    }
    return Buffer.concat(chunks);
  }
}
