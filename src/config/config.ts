// Reads and validates configuration from the environment and an optional JSON file. A bad value stops the
// start with a message naming the setting and what is allowed. Environment variables win over the file.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { type AuthProviderConfig, parseAuthProviders } from '../accounts/provider-config.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { validDkimDomain, validDkimSelector } from '../mail/dkim.ts';
import { AllowList } from '../outbound/addresses.ts';

export interface Config extends DiscoveryConfig {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | null;
  smtpUrl: string | null;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  mediaDir: string;
  /** Rendered-page cache in memory; turn off to measure or debug rendering. */
  pageCache: boolean;
  pageCacheMaxMb: number;
  /** Largest page the cache keeps, in KiB; a larger one is rendered and compressed per request. */
  pageCacheMaxPageKb: number;
  /** Seconds a CDN may keep a page (s-maxage) and serve it stale while revalidating. */
  cdnMaxAge: number;
  cdnStaleWhileRevalidate: number;
  /** Create the demo network when the database has no sites. */
  demoOnEmpty: boolean;
  /** Largest accepted image upload, in bytes, and in pixels (decompression-bomb guard). */
  maxUploadBytes: number;
  maxImagePixels: number;
  /** Seconds to wait for in-flight requests on SIGTERM before exiting anyway. */
  shutdownGraceSeconds: number;
  /** Accounts: a session ends after this many days unused, and in any case after the maximum. */
  sessionIdleDays: number;
  sessionMaxDays: number;
  /** argon2id cost; the defaults take about 90 ms a hash on the reference machine (see README, Accounts). */
  argon2MemoryKib: number;
  argon2TimeCost: number;
  argon2Parallelism: number;
  /** Social and single sign-on providers (JSON; see README, Accounts). */
  authProviders: AuthProviderConfig[];
  /** Newsletter sending (src/newsletters/sending): SMTP connections kept open, messages in flight at once,
   * messages per second and per hour (0: no limit), recipients claimed per batch and how long a claim lasts. */
  bulkMaxConnections: number;
  bulkConcurrency: number;
  bulkRatePerSecond: number;
  bulkRatePerHour: number;
  bulkBatchSize: number;
  bulkClaimSeconds: number;
  /** DKIM signing of bulk mail (`dateline mail dkim` makes the key); unset: not signed. */
  dkimDomain: string | null;
  dkimSelector: string;
  dkimKeyFile: string | null;
  /** Secret of the bounce and complaint webhooks (src/newsletters/feedback); unset: they answer 404. */
  mailWebhookSecret: string | null;
  /** Soft bounces after which an address is suppressed. */
  softBouncesToSuppress: number;
  /** The From: line of every mail the network sends. */
  mailFrom: string;
  /** Most transactional mails one address receives in an hour; more are recorded and not sent. */
  mailPerRecipientPerHour: number;
  /** What happens to what a deleted reader wrote in public. */
  accountDeletion: 'anonymise' | 'remove';
  /** Key for signing CSRF tokens; when unset, one is generated once and kept in the database. */
  secret: string | null;
  /** Wire ingest: the largest story body and the largest document (file, API request, feed) accepted. */
  wireMaxBodyBytes: number;
  wireMaxDocumentBytes: number;
  /** Seconds to wait for a feed or a picture rendition before giving up. */
  wireFetchTimeoutSeconds: number;
  /** Bearer token for the wire operator API (review queue, problems); unset keeps that API switched off. */
  wireOperatorToken: string | null;
  /** Hosts, addresses and CIDR ranges outgoing fetches may reach although they are not public (src/outbound/). */
  outboundAllow: string[];
  /** Breaking alerts: a correction or kill this many minutes after the alert cancels what is not yet sent. */
  alertCorrectionMinutes: number;
  /** Web push: requests in flight at once, and how long a push service keeps an undelivered alert. */
  pushConcurrency: number;
  pushTtlSeconds: number;
  /** Accept push endpoints over plain http on loopback (tests, the local push endpoint); never in production. */
  pushAllowHttpLoopback: boolean;
  /**
   * Which proxies in front of the server to believe about the client (X-Forwarded-For/-Proto/-Host): Fastify's
   * `trustProxy`, i.e. false, true (any), a hop count, or addresses/CIDRs (and proxy-addr's names).
   */
  trustProxy: boolean | number | string[];
  /** The scheme readers use; every absolute URL, cookie prefix, CSRF origin and HSTS follow it. */
  publicScheme: 'http' | 'https';
  /**
   * The port readers connect to, in absolute URLs and as the only port a Host header may name. null: in
   * production the scheme's default port; otherwise the port the server listens on.
   */
  publicPort: number | null;
  /** The host name of the newsroom admin, one for the whole network (src/admin/). */
  adminHost: string;
  /** Hours a staff session in the admin lasts without use. */
  staffSessionIdleHours: number;
}

export interface DiscoveryConfig {
  /** Feeds carry each story's full body ('full') or only its summary ('summary'). */
  feedContent: 'full' | 'summary';
  /** Largest story body (UTF-8 bytes) a feed carries; a longer one is cut with a link to the story. */
  feedMaxBodyBytes: number;
  /** Trending: hours for a read's weight to halve, and how often lists are recomputed. */
  trendingHalfLifeHours: number;
  trendingRefreshSeconds: number;
  /** Read counting: how often counts are written, and the window in which a reader counts once. */
  readFlushSeconds: number;
  readDedupeMinutes: number;
  /** Origins allowed to call the content API from browsers ('*' for any); empty for none. */
  apiCorsOrigins: string[];
  /** Worker threads that run searches on a SQLite file (0: on the main thread). */
  searchWorkers: number;
  /** Longest one search may run, in milliseconds, before it is answered 503. */
  searchTimeoutMs: number;
  /** Comments (src/comments): longest comment in characters, links allowed in one, and the author's edit window. */
  commentMaxLength: number;
  commentMaxLinks: number;
  commentEditMinutes: number;
  /** Comments one account may post per minute (a network address: 6 times as many), votes (10 times), and
   * the open reports that hold a published comment for review. */
  commentPostsPerMinute: number;
  commentVotesPerMinute: number;
  commentReportsToHold: number;
}

type Source = Record<string, unknown>;

const KEYS: Record<keyof Config, string> = {
  feedContent: 'DATELINE_FEED_CONTENT',
  feedMaxBodyBytes: 'DATELINE_FEED_MAX_BODY_BYTES',
  trendingHalfLifeHours: 'DATELINE_TRENDING_HALF_LIFE_HOURS',
  trendingRefreshSeconds: 'DATELINE_TRENDING_REFRESH_SECONDS',
  readFlushSeconds: 'DATELINE_READ_FLUSH_SECONDS',
  readDedupeMinutes: 'DATELINE_READ_DEDUPE_MINUTES',
  apiCorsOrigins: 'DATELINE_API_CORS_ORIGINS',
  searchWorkers: 'DATELINE_SEARCH_WORKERS',
  searchTimeoutMs: 'DATELINE_SEARCH_TIMEOUT_MS',
  commentMaxLength: 'DATELINE_COMMENT_MAX_LENGTH',
  commentMaxLinks: 'DATELINE_COMMENT_MAX_LINKS',
  commentEditMinutes: 'DATELINE_COMMENT_EDIT_MINUTES',
  commentPostsPerMinute: 'DATELINE_COMMENT_POSTS_PER_MINUTE',
  commentVotesPerMinute: 'DATELINE_COMMENT_VOTES_PER_MINUTE',
  commentReportsToHold: 'DATELINE_COMMENT_REPORTS_TO_HOLD',
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  smtpUrl: 'SMTP_URL',
  nodeEnv: 'NODE_ENV',
  logLevel: 'LOG_LEVEL',
  dataDir: 'DATELINE_DATA_DIR',
  mediaDir: 'DATELINE_MEDIA_DIR',
  pageCache: 'DATELINE_PAGE_CACHE',
  pageCacheMaxMb: 'DATELINE_PAGE_CACHE_MAX_MB',
  pageCacheMaxPageKb: 'DATELINE_PAGE_CACHE_MAX_PAGE_KB',
  cdnMaxAge: 'DATELINE_CDN_MAX_AGE',
  cdnStaleWhileRevalidate: 'DATELINE_CDN_STALE_WHILE_REVALIDATE',
  demoOnEmpty: 'DATELINE_DEMO',
  maxUploadBytes: 'DATELINE_MAX_UPLOAD_BYTES',
  maxImagePixels: 'DATELINE_MAX_IMAGE_PIXELS',
  shutdownGraceSeconds: 'DATELINE_SHUTDOWN_GRACE_SECONDS',
  sessionIdleDays: 'DATELINE_SESSION_IDLE_DAYS',
  sessionMaxDays: 'DATELINE_SESSION_MAX_DAYS',
  argon2MemoryKib: 'DATELINE_ARGON2_MEMORY_KIB',
  argon2TimeCost: 'DATELINE_ARGON2_TIME_COST',
  argon2Parallelism: 'DATELINE_ARGON2_PARALLELISM',
  authProviders: 'DATELINE_AUTH_PROVIDERS',
  mailFrom: 'DATELINE_MAIL_FROM',
  mailPerRecipientPerHour: 'DATELINE_MAIL_PER_RECIPIENT_PER_HOUR',
  bulkMaxConnections: 'DATELINE_BULK_MAX_CONNECTIONS',
  bulkConcurrency: 'DATELINE_BULK_CONCURRENCY',
  bulkRatePerSecond: 'DATELINE_BULK_RATE_PER_SECOND',
  bulkRatePerHour: 'DATELINE_BULK_RATE_PER_HOUR',
  bulkBatchSize: 'DATELINE_BULK_BATCH_SIZE',
  bulkClaimSeconds: 'DATELINE_BULK_CLAIM_SECONDS',
  dkimDomain: 'DATELINE_DKIM_DOMAIN',
  dkimSelector: 'DATELINE_DKIM_SELECTOR',
  dkimKeyFile: 'DATELINE_DKIM_KEY_FILE',
  mailWebhookSecret: 'DATELINE_MAIL_WEBHOOK_SECRET',
  softBouncesToSuppress: 'DATELINE_SOFT_BOUNCES_TO_SUPPRESS',
  accountDeletion: 'DATELINE_ACCOUNT_DELETION',
  secret: 'DATELINE_SECRET',
  wireMaxBodyBytes: 'DATELINE_WIRE_MAX_BODY_BYTES',
  wireMaxDocumentBytes: 'DATELINE_WIRE_MAX_DOCUMENT_BYTES',
  wireFetchTimeoutSeconds: 'DATELINE_WIRE_FETCH_TIMEOUT_SECONDS',
  wireOperatorToken: 'DATELINE_WIRE_OPERATOR_TOKEN',
  outboundAllow: 'DATELINE_OUTBOUND_ALLOW',
  alertCorrectionMinutes: 'DATELINE_ALERT_CORRECTION_MINUTES',
  pushConcurrency: 'DATELINE_PUSH_CONCURRENCY',
  pushTtlSeconds: 'DATELINE_PUSH_TTL_SECONDS',
  pushAllowHttpLoopback: 'DATELINE_PUSH_ALLOW_HTTP_LOOPBACK',
  trustProxy: 'DATELINE_TRUST_PROXY',
  publicScheme: 'DATELINE_PUBLIC_SCHEME',
  publicPort: 'DATELINE_PUBLIC_PORT',
  adminHost: 'DATELINE_ADMIN_HOST',
  staffSessionIdleHours: 'DATELINE_STAFF_SESSION_IDLE_HOURS',
};

function bad(setting: string, value: unknown, allowed: string): never {
  throw new DatelineError(
    'CONFIG_INVALID',
    `Setting ${setting} has the value ${JSON.stringify(value)}, which is not allowed. Allowed: ${allowed}. ` +
      'Fix it in the environment or the config file, then start again.',
    { setting },
  );
}

function int(setting: string, v: unknown, min: number, max: number): number {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) bad(setting, v, `a whole number from ${min} to ${max}`);
  return n;
}

function bool(setting: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return bad(setting, v, 'true or false (also 1/0, yes/no, on/off)');
}

function oneOf<T extends string>(setting: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  return bad(setting, v, allowed.join(', '));
}

function url(setting: string, v: unknown, schemes: string[]): string {
  if (typeof v !== 'string' || v === '')
    return bad(setting, v, `a URL starting with ${schemes.join(' or ')}`);
  try {
    const u = new URL(v);
    if (!schemes.includes(u.protocol)) bad(setting, v, `a URL starting with ${schemes.join(' or ')}`);
  } catch {
    bad(setting, v, `a URL starting with ${schemes.join(' or ')}`);
  }
  return v;
}

/** A PostgreSQL DATABASE_URL, with a message naming what is wrong with it; the password is never shown. */
function postgresUrl(v: string): string {
  const shown = v.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
  const port = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/i.exec(v)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    bad('DATABASE_URL', shown, `a port from 1 to 65535, where this URL gives ${port}`);
  try {
    new URL(v);
  } catch {
    bad('DATABASE_URL', shown, 'a URL of the form postgres://user:password@host:5432/database');
  }
  return v;
}

/** Loads the optional config file: DATELINE_CONFIG, else ./dateline.config.json if present. */
export function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): Source {
  const explicit = env.DATELINE_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, 'dateline.config.json');
  if (!existsSync(path)) {
    if (explicit) bad('DATELINE_CONFIG', explicit, 'the path of an existing JSON file');
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return bad('DATELINE_CONFIG', path, `a file of valid JSON (${(e as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return bad('DATELINE_CONFIG', path, 'a JSON object whose keys are setting names, e.g. {"PORT": 3000}');
  }
  const known = new Set(Object.values(KEYS));
  for (const k of Object.keys(parsed)) {
    if (!known.has(k))
      bad(k, (parsed as Source)[k], `a known setting; known settings are ${[...known].join(', ')}`);
  }
  return parsed as Source;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const file = readConfigFile(env, cwd);
  const get = (k: keyof Config): unknown => {
    const name = KEYS[k];
    const v = env[name];
    return v !== undefined && v !== '' ? v : file[name];
  };
  const nodeEnv = oneOf('NODE_ENV', get('nodeEnv') ?? 'development', [
    'development',
    'production',
    'test',
  ] as const);
  const dataDir = resolve(cwd, String(get('dataDir') ?? 'data'));
  const rawDb = get('databaseUrl');
  const databaseUrl =
    rawDb === undefined
      ? `${dataDir}/dateline.db`
      : /^postgres(ql)?:\/\//.test(String(rawDb))
        ? postgresUrl(String(rawDb))
        : /^(sqlite:|\/|\.)/.test(String(rawDb)) || String(rawDb) === ':memory:'
          ? String(rawDb)
          : bad(
              'DATABASE_URL',
              rawDb,
              'postgres://user@host:port/db, or a SQLite file path such as ./data/dateline.db',
            );
  const redis = get('redisUrl');
  const smtp = get('smtpUrl');
  return {
    port: int('PORT', get('port') ?? 3000, 0, 65535),
    host: String(get('host') ?? '0.0.0.0'),
    databaseUrl,
    redisUrl: redis === undefined ? null : url('REDIS_URL', redis, ['redis:', 'rediss:']),
    smtpUrl: smtp === undefined ? null : url('SMTP_URL', smtp, ['smtp:', 'smtps:']),
    nodeEnv,
    logLevel: oneOf('LOG_LEVEL', get('logLevel') ?? 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
    dataDir,
    mediaDir: resolve(cwd, String(get('mediaDir') ?? `${dataDir}/media`)),
    pageCache: bool('DATELINE_PAGE_CACHE', get('pageCache') ?? true),
    pageCacheMaxMb: int('DATELINE_PAGE_CACHE_MAX_MB', get('pageCacheMaxMb') ?? 64, 1, 65536),
    pageCacheMaxPageKb: int(
      'DATELINE_PAGE_CACHE_MAX_PAGE_KB',
      get('pageCacheMaxPageKb') ?? 1024,
      1,
      1_048_576,
    ),
    cdnMaxAge: int('DATELINE_CDN_MAX_AGE', get('cdnMaxAge') ?? 60, 0, 86400 * 365),
    cdnStaleWhileRevalidate: int(
      'DATELINE_CDN_STALE_WHILE_REVALIDATE',
      get('cdnStaleWhileRevalidate') ?? 300,
      0,
      86400 * 365,
    ),
    demoOnEmpty: bool('DATELINE_DEMO', get('demoOnEmpty') ?? true),
    maxUploadBytes: int(
      'DATELINE_MAX_UPLOAD_BYTES',
      get('maxUploadBytes') ?? 25 * 1024 * 1024,
      1024,
      2 ** 31,
    ),
    maxImagePixels: int('DATELINE_MAX_IMAGE_PIXELS', get('maxImagePixels') ?? 50_000_000, 1, 2 ** 31),
    shutdownGraceSeconds: int('DATELINE_SHUTDOWN_GRACE_SECONDS', get('shutdownGraceSeconds') ?? 10, 0, 3600),
    ...accountSettings(get),
    ...proxySettings(get, nodeEnv),
    ...discoverySettings(get),
    ...wireSettings(get),
    ...adminSettings(get),
    ...bulkMailSettings(get, cwd),
    ...alertSettings(get, nodeEnv),
  };
}

// A host name only: no scheme, port or path. The admin answers at it with the network's scheme and port.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

// Breaking alerts and web push (src/newsletters/alerts, src/newsletters/push).
function alertSettings(get: (k: keyof Config) => unknown, nodeEnv: Config['nodeEnv']) {
  const pushAllowHttpLoopback = bool(
    'DATELINE_PUSH_ALLOW_HTTP_LOOPBACK',
    get('pushAllowHttpLoopback') ?? false,
  );
  if (pushAllowHttpLoopback && nodeEnv === 'production')
    bad(
      'DATELINE_PUSH_ALLOW_HTTP_LOOPBACK',
      true,
      'false when NODE_ENV is production (push endpoints use https)',
    );
  return {
    alertCorrectionMinutes: int(
      'DATELINE_ALERT_CORRECTION_MINUTES',
      get('alertCorrectionMinutes') ?? 10,
      0,
      1440,
    ),
    pushConcurrency: int('DATELINE_PUSH_CONCURRENCY', get('pushConcurrency') ?? 64, 1, 1000),
    pushTtlSeconds: int('DATELINE_PUSH_TTL_SECONDS', get('pushTtlSeconds') ?? 3600, 0, 2_419_200),
    pushAllowHttpLoopback,
  };
}

function adminSettings(get: (k: keyof Config) => unknown) {
  const adminHost = String(get('adminHost') ?? 'admin.localhost')
    .trim()
    .toLowerCase();
  if (!HOST_NAME.test(adminHost))
    bad('DATELINE_ADMIN_HOST', adminHost, 'a host name such as admin.example.com (no scheme, port or path)');
  return {
    adminHost,
    staffSessionIdleHours: int(
      'DATELINE_STAFF_SESSION_IDLE_HOURS',
      get('staffSessionIdleHours') ?? 12,
      1,
      24 * 30,
    ),
  };
}

function accountSettings(get: (k: keyof Config) => unknown) {
  const sessionIdleDays = int('DATELINE_SESSION_IDLE_DAYS', get('sessionIdleDays') ?? 14, 1, 365);
  const sessionMaxDays = int('DATELINE_SESSION_MAX_DAYS', get('sessionMaxDays') ?? 60, 1, 3650);
  if (sessionMaxDays < sessionIdleDays) {
    bad(
      'DATELINE_SESSION_MAX_DAYS',
      sessionMaxDays,
      `at least DATELINE_SESSION_IDLE_DAYS (${sessionIdleDays})`,
    );
  }
  const mailFrom = String(get('mailFrom') ?? 'Dateline <no-reply@localhost>');
  if (!/^[^\r\n]{1,200}$/.test(mailFrom) || !/@/.test(mailFrom)) {
    bad('DATELINE_MAIL_FROM', mailFrom, 'one line with an address, e.g. "The Times <no-reply@example.com>"');
  }
  const secret = get('secret');
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 32)) {
    bad('DATELINE_SECRET', '(hidden)', 'at least 32 characters of random text');
  }
  return {
    sessionIdleDays,
    sessionMaxDays,
    argon2MemoryKib: int('DATELINE_ARGON2_MEMORY_KIB', get('argon2MemoryKib') ?? 65536, 1024, 4194304),
    argon2TimeCost: int('DATELINE_ARGON2_TIME_COST', get('argon2TimeCost') ?? 3, 1, 50),
    argon2Parallelism: int('DATELINE_ARGON2_PARALLELISM', get('argon2Parallelism') ?? 1, 1, 16),
    authProviders: parseAuthProviders('DATELINE_AUTH_PROVIDERS', get('authProviders'), bad),
    mailFrom,
    mailPerRecipientPerHour: int(
      'DATELINE_MAIL_PER_RECIPIENT_PER_HOUR',
      get('mailPerRecipientPerHour') ?? 5,
      1,
      10_000,
    ),
    accountDeletion: oneOf('DATELINE_ACCOUNT_DELETION', get('accountDeletion') ?? 'anonymise', [
      'anonymise',
      'remove',
    ] as const),
    secret: secret === undefined ? null : (secret as string),
  };
}

// proxy-addr's names for address ranges, accepted in DATELINE_TRUST_PROXY beside addresses and CIDRs.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function proxySettings(get: (k: keyof Config) => unknown, nodeEnv: Config['nodeEnv']) {
  const rawTrust = get('trustProxy') ?? false;
  const trustAllowed =
    'true, false, a number of proxy hops (e.g. 1), or a comma-separated list of proxy addresses or CIDRs ' +
    '(e.g. 127.0.0.1,10.0.0.0/8; also loopback, linklocal, uniquelocal)';
  let trustProxy: Config['trustProxy'];
  if (typeof rawTrust === 'boolean') trustProxy = rawTrust;
  else if (typeof rawTrust === 'number' || /^\d+$/.test(String(rawTrust).trim()))
    // Zero hops trusts nobody: the same as false.
    trustProxy = int('DATELINE_TRUST_PROXY', rawTrust, 0, 100) || false;
  else if (/^(true|false|yes|no|on|off)$/i.test(String(rawTrust).trim()))
    trustProxy = bool('DATELINE_TRUST_PROXY', String(rawTrust).trim());
  else {
    const list = (Array.isArray(rawTrust) ? rawTrust.map(String) : String(rawTrust).split(','))
      .map((a) => a.trim())
      .filter((a) => a !== '');
    for (const a of list) {
      const [addr, prefix, ...more] = a.split('/');
      const family = isIP(addr ?? '');
      const prefixOk =
        prefix === undefined ||
        (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32) && family !== 0);
      if (!(PROXY_RANGE_NAMES.has(a) || (family !== 0 && prefixOk && more.length === 0)))
        bad('DATELINE_TRUST_PROXY', a, trustAllowed);
    }
    if (list.length === 0) bad('DATELINE_TRUST_PROXY', rawTrust, trustAllowed);
    trustProxy = list;
  }
  const rawPort = get('publicPort');
  return {
    trustProxy,
    publicScheme: oneOf(
      'DATELINE_PUBLIC_SCHEME',
      get('publicScheme') ?? (nodeEnv === 'production' ? 'https' : 'http'),
      ['http', 'https'] as const,
    ),
    publicPort: rawPort === undefined ? null : int('DATELINE_PUBLIC_PORT', rawPort, 1, 65535),
  };
}

function wireSettings(get: (k: keyof Config) => unknown) {
  const wireMaxBodyBytes = int(
    'DATELINE_WIRE_MAX_BODY_BYTES',
    get('wireMaxBodyBytes') ?? 5 * 1024 * 1024,
    1024,
    2 ** 30,
  );
  const wireMaxDocumentBytes = int(
    'DATELINE_WIRE_MAX_DOCUMENT_BYTES',
    get('wireMaxDocumentBytes') ?? 50 * 1024 * 1024,
    1024,
    2 ** 31,
  );
  if (wireMaxDocumentBytes < wireMaxBodyBytes) {
    bad(
      'DATELINE_WIRE_MAX_DOCUMENT_BYTES',
      wireMaxDocumentBytes,
      `at least DATELINE_WIRE_MAX_BODY_BYTES (${wireMaxBodyBytes})`,
    );
  }
  const token = get('wireOperatorToken');
  if (token !== undefined && (typeof token !== 'string' || token.length < 24 || /\s/.test(token))) {
    bad('DATELINE_WIRE_OPERATOR_TOKEN', '(hidden)', 'at least 24 characters of random text without spaces');
  }
  return {
    wireMaxBodyBytes,
    wireMaxDocumentBytes,
    wireFetchTimeoutSeconds: int(
      'DATELINE_WIRE_FETCH_TIMEOUT_SECONDS',
      get('wireFetchTimeoutSeconds') ?? 20,
      1,
      600,
    ),
    wireOperatorToken: token === undefined ? null : (token as string),
    outboundAllow: outboundAllowSetting(get('outboundAllow')),
  };
}

function outboundAllowSetting(raw: unknown): string[] {
  const list = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  try {
    AllowList.parse(list);
  } catch (e) {
    bad(
      'DATELINE_OUTBOUND_ALLOW',
      raw,
      `a comma-separated list of host names, IP addresses and CIDR ranges, e.g. localhost,127.0.0.1,10.20.0.0/16 (${(e as Error).message})`,
    );
  }
  return list;
}

function discoverySettings(get: (k: keyof Config) => unknown): DiscoveryConfig {
  const rawCors = get('apiCorsOrigins');
  const list = Array.isArray(rawCors) ? rawCors.map(String) : String(rawCors ?? '').split(',');
  const apiCorsOrigins = list.map((o) => o.trim()).filter((o) => o !== '');
  for (const o of apiCorsOrigins) {
    if (o !== '*' && !/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o)) {
      bad(
        'DATELINE_API_CORS_ORIGINS',
        o,
        "'*' or a comma-separated list of origins such as https://app.example.com",
      );
    }
  }
  return {
    feedContent: oneOf('DATELINE_FEED_CONTENT', get('feedContent') ?? 'full', ['full', 'summary'] as const),
    feedMaxBodyBytes: int('DATELINE_FEED_MAX_BODY_BYTES', get('feedMaxBodyBytes') ?? 65536, 1024, 5_000_000),
    trendingHalfLifeHours: int(
      'DATELINE_TRENDING_HALF_LIFE_HOURS',
      get('trendingHalfLifeHours') ?? 4,
      1,
      168,
    ),
    trendingRefreshSeconds: int(
      'DATELINE_TRENDING_REFRESH_SECONDS',
      get('trendingRefreshSeconds') ?? 60,
      1,
      3600,
    ),
    readFlushSeconds: int('DATELINE_READ_FLUSH_SECONDS', get('readFlushSeconds') ?? 10, 1, 600),
    readDedupeMinutes: int('DATELINE_READ_DEDUPE_MINUTES', get('readDedupeMinutes') ?? 30, 1, 1440),
    apiCorsOrigins,
    searchWorkers: int('DATELINE_SEARCH_WORKERS', get('searchWorkers') ?? 2, 0, 32),
    searchTimeoutMs: int('DATELINE_SEARCH_TIMEOUT_MS', get('searchTimeoutMs') ?? 5000, 100, 600_000),
    commentMaxLength: int('DATELINE_COMMENT_MAX_LENGTH', get('commentMaxLength') ?? 2000, 50, 20_000),
    commentMaxLinks: int('DATELINE_COMMENT_MAX_LINKS', get('commentMaxLinks') ?? 3, 0, 50),
    commentEditMinutes: int('DATELINE_COMMENT_EDIT_MINUTES', get('commentEditMinutes') ?? 5, 0, 1440),
    commentPostsPerMinute: int(
      'DATELINE_COMMENT_POSTS_PER_MINUTE',
      get('commentPostsPerMinute') ?? 5,
      1,
      100_000,
    ),
    commentVotesPerMinute: int(
      'DATELINE_COMMENT_VOTES_PER_MINUTE',
      get('commentVotesPerMinute') ?? 60,
      1,
      1_000_000,
    ),
    commentReportsToHold: int('DATELINE_COMMENT_REPORTS_TO_HOLD', get('commentReportsToHold') ?? 3, 1, 1000),
  };
}

// Newsletter sending, DKIM and the bounce webhooks (src/newsletters/sending, src/mail/dkim.ts, src/newsletters/feedback).
function bulkMailSettings(get: (k: keyof Config) => unknown, cwd: string) {
  const domain = get('dkimDomain');
  const dkimDomain = domain === undefined ? null : String(domain).trim().toLowerCase();
  if (dkimDomain !== null && !validDkimDomain(dkimDomain))
    bad('DATELINE_DKIM_DOMAIN', domain, 'the domain of the sender addresses, e.g. example.com');
  const dkimSelector = String(get('dkimSelector') ?? 'dateline')
    .trim()
    .toLowerCase();
  if (!validDkimSelector(dkimSelector))
    bad('DATELINE_DKIM_SELECTOR', dkimSelector, 'letters, digits and hyphens, e.g. dateline');
  const keyFile = get('dkimKeyFile');
  const secret = get('mailWebhookSecret');
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 24 || /[\s/?#&]/.test(secret)))
    bad(
      'DATELINE_MAIL_WEBHOOK_SECRET',
      '(hidden)',
      'at least 24 characters of random text without spaces, /, ?, # or &',
    );
  return {
    bulkMaxConnections: int('DATELINE_BULK_MAX_CONNECTIONS', get('bulkMaxConnections') ?? 5, 1, 100),
    bulkConcurrency: int('DATELINE_BULK_CONCURRENCY', get('bulkConcurrency') ?? 20, 1, 1000),
    bulkRatePerSecond: int('DATELINE_BULK_RATE_PER_SECOND', get('bulkRatePerSecond') ?? 1000, 0, 1_000_000),
    bulkRatePerHour: int('DATELINE_BULK_RATE_PER_HOUR', get('bulkRatePerHour') ?? 0, 0, 1_000_000_000),
    bulkBatchSize: int('DATELINE_BULK_BATCH_SIZE', get('bulkBatchSize') ?? 500, 1, 10_000),
    bulkClaimSeconds: int('DATELINE_BULK_CLAIM_SECONDS', get('bulkClaimSeconds') ?? 120, 2, 3600),
    dkimDomain,
    dkimSelector,
    dkimKeyFile: keyFile === undefined ? null : resolve(cwd, String(keyFile)),
    mailWebhookSecret: secret === undefined ? null : (secret as string),
    softBouncesToSuppress: int(
      'DATELINE_SOFT_BOUNCES_TO_SUPPRESS',
      get('softBouncesToSuppress') ?? 3,
      1,
      100,
    ),
  };
}
