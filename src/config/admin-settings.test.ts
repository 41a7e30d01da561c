// The newsroom admin's settings: DATELINE_ADMIN_HOST (a bare host name) and the staff session idle time.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDatelineError } from '../errors/catalogue.ts';
import { loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-admin-config-'));

test('the admin is at admin.localhost, staff sessions idle out after 12 hours, by default', () => {
  const c = loadConfig({}, dir);
  assert.equal(c.adminHost, 'admin.localhost');
  assert.equal(c.staffSessionIdleHours, 12);
});

test('an admin host is a bare host name, lower-cased', () => {
  assert.equal(
    loadConfig({ DATELINE_ADMIN_HOST: 'Newsroom.Example.COM' }, dir).adminHost,
    'newsroom.example.com',
  );
  for (const bad of [
    'https://admin.example.com',
    'admin.example.com:8443',
    'admin.example.com/x',
    'admin example',
    '-x.com',
  ]) {
    assert.throws(
      () => loadConfig({ DATELINE_ADMIN_HOST: bad }, dir),
      (e) => isDatelineError(e, 'CONFIG_INVALID') && e.where?.setting === 'DATELINE_ADMIN_HOST',
      bad,
    );
  }
  assert.throws(
    () => loadConfig({ DATELINE_STAFF_SESSION_IDLE_HOURS: '0' }, dir),
    (e) => isDatelineError(e, 'CONFIG_INVALID'),
  );
});
