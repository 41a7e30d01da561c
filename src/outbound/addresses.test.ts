import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllowList, addressBytes, refusalOf } from './addresses.ts';

/** The host a URL really names, as the outgoing client sees it after WHATWG parsing. */
const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');

test('non-public IPv4 ranges are refused, each for its reason', () => {
  const cases: [string, string][] = [
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['100.127.255.255', 'shared (carrier-grade NAT)'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.10', 'documentation or benchmarking'],
    ['198.18.0.1', 'documentation or benchmarking'],
    ['198.51.100.7', 'documentation or benchmarking'],
    ['203.0.113.9', 'documentation or benchmarking'],
  ];
  for (const [address, why] of cases) assert.equal(refusalOf(address), why, address);
});

test('public IPv4 addresses pass, including the neighbours of refused ranges', () => {
  for (const address of [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '11.0.0.1',
    '223.255.255.255',
  ]) {
    assert.equal(refusalOf(address), null, address);
  }
});

test('numeric host forms are the loopback address once parsed, and refused', () => {
  for (const url of [
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0x7f000001/',
    'http://017700000001/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://127.0.1/',
  ]) {
    assert.equal(hostOf(url), '127.0.0.1', url);
    assert.equal(refusalOf(hostOf(url)), 'loopback', url);
  }
  assert.equal(refusalOf(hostOf('http://0/')), 'unspecified');
  assert.equal(refusalOf(hostOf('http://2852039166/')), 'link-local', '169.254.169.254 as one number');
  assert.equal(refusalOf(hostOf('http://0xa9.0xfe.0xa9.0xfe/')), 'link-local');
});

test('IPv6: loopback, unspecified, unique-local, link-local, multicast and reserved are refused', () => {
  const cases: [string, string][] = [
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation or benchmarking'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['::7f00:1', 'reserved'],
  ];
  for (const [address, why] of cases) assert.equal(refusalOf(address), why, address);
  assert.equal(refusalOf(hostOf('http://[::1]:8080/')), 'loopback');
  assert.equal(refusalOf('2606:4700:4700::1111'), null, 'a public IPv6 address');
  assert.equal(refusalOf('2a00:1450:4001:80b::200e'), null);
});

test('IPv6 forms carrying an IPv4 address are judged by that address', () => {
  const cases: [string, string | null][] = [
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', null],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::808:808', null],
    ['64:ff9b:1::1', 'reserved'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:808:808::1', null],
  ];
  for (const [address, why] of cases) assert.equal(refusalOf(address), why, address);
  // The URL parser writes a mapped address in hex; it is still the loopback address.
  assert.equal(hostOf('http://[::ffff:127.0.0.1]/'), '::ffff:7f00:1');
  assert.equal(refusalOf(hostOf('http://[::ffff:127.0.0.1]/')), 'loopback');
});

test('host names are not addresses, and address bytes are read exactly', () => {
  assert.equal(refusalOf('localhost'), 'not an IP address');
  assert.equal(refusalOf('example.com'), 'not an IP address');
  assert.deepEqual(
    [...addressBytes('::ffff:1.2.3.4')!],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4],
  );
  assert.deepEqual([...addressBytes('2001:db8::ff00:42:8329')!].slice(10), [0xff, 0, 0, 0x42, 0x83, 0x29]);
});

test('the allow-list opens exactly the hosts, addresses and ranges it names', () => {
  const allow = AllowList.parse(['feeds.newsroom.lan', '127.0.0.1', '10.20.0.0/16', '[::1]', 'fd00::/8']);
  assert.equal(allow.allowsHost('feeds.newsroom.lan'), true);
  assert.equal(allow.allowsHost('FEEDS.newsroom.lan.'), true);
  assert.equal(allow.allowsHost('other.newsroom.lan'), false);
  assert.equal(allow.allowsHost('newsroom.lan'), false);
  assert.equal(allow.allowsAddress('127.0.0.1'), true);
  assert.equal(allow.allowsAddress('127.0.0.2'), false);
  assert.equal(allow.allowsAddress('::ffff:127.0.0.1'), true, 'the mapped form of an allowed address');
  assert.equal(allow.allowsAddress('10.20.255.1'), true);
  assert.equal(allow.allowsAddress('10.21.0.1'), false);
  assert.equal(allow.allowsAddress('::1'), true);
  assert.equal(allow.allowsAddress('fd12::1'), true);
  assert.equal(allow.allowsAddress('fc00::1'), false);
  assert.equal(AllowList.none.allowsAddress('127.0.0.1'), false);
  assert.equal(AllowList.none.allowsHost('localhost'), false);
  for (const bad of ['10.0.0.0/33', '::1/129', 'http://x', 'a b', '10.0.0.0/8/1', '*.example.com']) {
    assert.throws(() => AllowList.parse([bad]), Error, bad);
  }
});
