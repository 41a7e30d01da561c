import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDatelineError } from '../errors/catalogue.ts';
import { loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-config-'));

test('defaults: SQLite under ./data, port 3000, page cache on', () => {
  const c = loadConfig({}, dir);
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, join(dir, 'data', 'dateline.db'));
  assert.equal(c.mediaDir, join(dir, 'data', 'media'));
  assert.equal(c.pageCache, true);
  assert.equal(c.redisUrl, null);
});

test('a PostgreSQL DATABASE_URL is taken as is', () => {
  assert.equal(
    loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }, dir).databaseUrl,
    'postgres://u@h:5432/db',
  );
});

test('a bad value names the setting and what is allowed', () => {
  const cases: Record<string, string> = {
    PORT: 'eighty',
    LOG_LEVEL: 'loud',
    NODE_ENV: 'staging',
    DATABASE_URL: 'mysql://x',
    REDIS_URL: 'http://x',
    DATELINE_PAGE_CACHE: 'maybe',
  };
  for (const [k, v] of Object.entries(cases)) {
    assert.throws(
      () => loadConfig({ [k]: v }, dir),
      (e) => isDatelineError(e, 'CONFIG_INVALID') && e.where?.setting === k && e.message.includes('Allowed:'),
      k,
    );
  }
});

test('the config file is read, environment wins, unknown keys are refused', () => {
  const file = join(dir, 'dateline.config.json');
  writeFileSync(file, JSON.stringify({ PORT: 4000, LOG_LEVEL: 'warn' }));
  assert.equal(loadConfig({}, dir).port, 4000);
  assert.equal(loadConfig({ PORT: '5000' }, dir).port, 5000);
  writeFileSync(file, JSON.stringify({ PROT: 4000 }));
  assert.throws(
    () => loadConfig({}, dir),
    (e) => isDatelineError(e, 'CONFIG_INVALID') && e.where?.setting === 'PROT',
  );
  writeFileSync(file, '{not json');
  assert.throws(
    () => loadConfig({}, dir),
    (e) => isDatelineError(e, 'CONFIG_INVALID'),
  );
  assert.throws(
    () => loadConfig({ DATELINE_CONFIG: 'missing.json' }, dir),
    (e) => isDatelineError(e, 'CONFIG_INVALID'),
  );
});

test('DATELINE_OUTBOUND_ALLOW: empty by default, a list of hosts, addresses and ranges, anything else refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-config-outbound-'));
  assert.deepEqual(loadConfig({}, dir).outboundAllow, []);
  assert.deepEqual(
    loadConfig({ DATELINE_OUTBOUND_ALLOW: 'localhost, 127.0.0.1,10.20.0.0/16,::1' }, dir).outboundAllow,
    ['localhost', '127.0.0.1', '10.20.0.0/16', '::1'],
  );
  for (const bad of ['10.0.0.0/33', 'http://feeds.lan', '*']) {
    assert.throws(
      () => loadConfig({ DATELINE_OUTBOUND_ALLOW: bad }, dir),
      (e) => isDatelineError(e, 'CONFIG_INVALID') && e.where?.setting === 'DATELINE_OUTBOUND_ALLOW',
      bad,
    );
  }
});
