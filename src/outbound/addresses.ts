// Which network addresses Dateline may send a request to. Every outgoing fetch (wire pictures, feed
// pollers, webhooks) is aimed at a URL that someone outside the newsroom chose, so by default only public
// unicast addresses are reachable: loopback, private, shared (CGNAT), link-local (cloud metadata at
// 169.254.169.254), unspecified, multicast, documentation and reserved ranges are refused, in IPv4 and
// IPv6, including IPv6 forms that carry an IPv4 address inside (::ffff:127.0.0.1, NAT64, 6to4).
// An operator can open specific hosts or ranges with the allow-list (DATELINE_OUTBOUND_ALLOW).
import { isIP } from 'node:net';

/** Why an address is not public, for the server log; null when it is public. */
export type AddressRefusal =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared (carrier-grade NAT)'
  | 'link-local'
  | 'multicast'
  | 'documentation or benchmarking'
  | 'reserved'
  | 'not an IP address';

interface Range {
  bits: Uint8Array;
  prefix: number;
}

interface Rule extends Range {
  why: AddressRefusal;
}

/** The 4 or 16 bytes of an IP address in its canonical text form, or null. */
export function addressBytes(address: string): Uint8Array | null {
  const version = isIP(address);
  if (version === 4) return Uint8Array.from(address.split('.').map(Number));
  if (version !== 6) return null;
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}

function inRange(bytes: Uint8Array, range: Range): boolean {
  if (bytes.length !== range.bits.length) return false;
  let left = range.prefix;
  for (let i = 0; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((bytes[i]! & mask) !== (range.bits[i]! & mask)) return false;
  }
  return true;
}

/** Parses "10.0.0.0/8", "fd00::/8" or a bare address (a range of one). Null when it is neither. */
export function parseRange(text: string): Range | null {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || !address) return null;
  const bits = addressBytes(address);
  if (!bits) return null;
  const max = bits.length * 8;
  if (prefixText === undefined) return { bits, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { bits, prefix: Number(prefixText) };
}

function rules(list: [string, AddressRefusal][]): Rule[] {
  return list.map(([cidr, why]) => ({ ...parseRange(cidr)!, why }));
}

// IANA's IPv4 special-purpose registry, less nothing: every range here is refused.
const IPV4_RULES = rules([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (carrier-grade NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation or benchmarking'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'documentation or benchmarking'],
  ['198.51.100.0/24', 'documentation or benchmarking'],
  ['203.0.113.0/24', 'documentation or benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

// Only global unicast (2000::/3) is reachable in IPv6; these are the parts of it that are not global.
const IPV6_GLOBAL = parseRange('2000::/3')!;
const IPV6_RULES = rules([
  ['2001::/23', 'reserved'],
  ['2001:db8::/32', 'documentation or benchmarking'],
  ['3fff::/20', 'documentation or benchmarking'],
]);
const IPV6_OUTSIDE_GLOBAL = rules([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
]);

// IPv6 addresses that stand for an IPv4 one: judged by the IPv4 address they carry.
const MAPPED = parseRange('::ffff:0:0/96')!;
const NAT64 = parseRange('64:ff9b::/96')!;
const SIX_TO_FOUR = parseRange('2002::/16')!;

/** Why this address may not be fetched from by default, or null when it is a public unicast address. */
export function refusalOf(address: string): AddressRefusal | null {
  const bytes = addressBytes(address);
  if (!bytes) return 'not an IP address';
  return refusalOfBytes(bytes);
}

function refusalOfBytes(bytes: Uint8Array): AddressRefusal | null {
  if (bytes.length === 4) return IPV4_RULES.find((r) => inRange(bytes, r))?.why ?? null;
  const embedded = embeddedIPv4(bytes);
  if (embedded) return refusalOfBytes(embedded);
  if (!inRange(bytes, IPV6_GLOBAL)) {
    return IPV6_OUTSIDE_GLOBAL.find((r) => inRange(bytes, r))?.why ?? 'reserved';
  }
  return IPV6_RULES.find((r) => inRange(bytes, r))?.why ?? null;
}

/** The IPv4 address inside an IPv4-mapped, NAT64 (well-known prefix) or 6to4 IPv6 address. */
function embeddedIPv4(bytes: Uint8Array): Uint8Array | null {
  if (inRange(bytes, MAPPED) || inRange(bytes, NAT64)) return bytes.slice(12, 16);
  if (inRange(bytes, SIX_TO_FOUR)) return bytes.slice(2, 6);
  return null;
}

/** Hosts and address ranges an operator has opened on purpose (DATELINE_OUTBOUND_ALLOW). */
export class AllowList {
  private constructor(
    private readonly hosts: ReadonlySet<string>,
    private readonly ranges: readonly Range[],
    readonly entries: readonly string[],
  ) {}

  static readonly none = new AllowList(new Set(), [], []);

  /**
   * Entries are host names (exact, e.g. `feeds.newsroom.lan` or `localhost`), IP addresses or CIDR ranges
   * (`127.0.0.1`, `10.20.0.0/16`, `::1`). Throws a plain Error naming the first entry that is none of those.
   */
  static parse(entries: readonly string[]): AllowList {
    const hosts = new Set<string>();
    const ranges: Range[] = [];
    for (const raw of entries) {
      const entry = raw
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, '');
      if (entry === '') continue;
      const range = parseRange(entry);
      if (range) ranges.push(range);
      else if (
        /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(
          entry,
        )
      )
        hosts.add(entry);
      else throw new Error(`"${raw}" is not a host name, an IP address or a CIDR range`);
    }
    return new AllowList(
      hosts,
      ranges,
      entries.map((e) => e.trim()).filter((e) => e !== ''),
    );
  }

  /** The URL host name (as `new URL()` gives it, IPv6 without brackets) is listed by name. */
  allowsHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  allowsAddress(address: string): boolean {
    const bytes = addressBytes(address);
    if (!bytes) return false;
    const embedded = bytes.length === 16 && inRange(bytes, MAPPED) ? bytes.slice(12, 16) : null;
    return this.ranges.some((r) => inRange(bytes, r) || (embedded !== null && inRange(embedded, r)));
  }
}
