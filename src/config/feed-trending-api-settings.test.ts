// Settings of feeds, trending, read counting and the content API: defaults, and a clear refusal of values
// that are not allowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDatelineError } from '../errors/catalogue.ts';
import { loadConfig } from './config.ts';

const base = { DATELINE_DATA_DIR: '/tmp/dateline-discovery-config' };

test('feed, trending, read and API settings have sensible defaults and are validated', () => {
  const c = loadConfig(base, '/tmp');
  assert.equal(c.feedContent, 'full');
  assert.equal(c.trendingHalfLifeHours, 4);
  assert.equal(c.trendingRefreshSeconds, 60);
  assert.equal(c.readFlushSeconds, 10);
  assert.equal(c.readDedupeMinutes, 30);
  assert.deepEqual(c.apiCorsOrigins, []);
  const set = loadConfig(
    {
      ...base,
      DATELINE_FEED_CONTENT: 'summary',
      DATELINE_API_CORS_ORIGINS: 'https://a.example, http://localhost:5173',
    },
    '/tmp',
  );
  assert.equal(set.feedContent, 'summary');
  assert.deepEqual(set.apiCorsOrigins, ['https://a.example', 'http://localhost:5173']);
  for (const [k, v] of [
    ['DATELINE_FEED_CONTENT', 'everything'],
    ['DATELINE_TRENDING_HALF_LIFE_HOURS', '0'],
    ['DATELINE_TRENDING_REFRESH_SECONDS', 'soon'],
    ['DATELINE_READ_DEDUPE_MINUTES', '99999'],
    ['DATELINE_API_CORS_ORIGINS', 'javascript:alert(1)'],
  ]) {
    assert.throws(
      () => loadConfig({ ...base, [k as string]: v as string }, '/tmp'),
      (e) => isDatelineError(e, 'CONFIG_INVALID') && e.where?.setting === k,
      k,
    );
  }
});
