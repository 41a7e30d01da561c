// Mutation testing of the security- and cache-critical modules (`npm run test:mutation`, see README). Each
// module is mutated on its own and, for every mutant, only the test files that cover it run, on SQLite:
// the whole suite on both dialects would take hours. test/mutation.ts runs the modules one after another
// and prints a score for each; `npx stryker run` with this file alone mutates them all at once against the
// union of their tests.

/** What is mutated, and which tests must notice. Line ranges name the rule inside a larger file. */
export const modules = [
  {
    name: 'csrf',
    mutate: ['src/accounts/csrf.ts'],
    tests: [
      'src/accounts/csrf.test.ts',
      'src/accounts/routes.test.ts',
      'src/accounts/social.test.ts',
      'src/web/behind-proxy.test.ts',
    ],
  },
  {
    name: 'sessions',
    mutate: ['src/accounts/sessions.ts'],
    tests: ['src/accounts/sessions.test.ts'],
  },
  {
    name: 'rate-limits',
    mutate: ['src/accounts/rate-limit.ts'],
    tests: [
      'src/accounts/rate-limit-rules.test.ts',
      'src/accounts/rate-limit.test.ts',
      'src/accounts/rate-limit-redis.test.ts',
      'src/accounts/sign-in-limits.test.ts',
    ],
  },
  {
    name: 'tokens (hop, reset, verify, OAuth state)',
    mutate: ['src/accounts/tokens.ts'],
    tests: ['src/accounts/tokens.test.ts', 'src/accounts/routes.test.ts', 'src/accounts/social.test.ts'],
  },
  {
    name: 'social sign-in (OAuth state)',
    mutate: ['src/accounts/social.ts'],
    tests: ['src/accounts/social-resolve.test.ts', 'src/accounts/social.test.ts'],
  },
  {
    name: 'HTML sanitiser',
    mutate: ['src/articles/body-html.ts'],
    tests: ['src/articles/body-html-rules.test.ts', 'src/articles/body-html.test.ts'],
  },
  {
    // Wire text: bodies go through the article model above; plain-text fields lose all markup.
    name: 'wire text sanitiser',
    mutate: ['src/wire/parse/sanitize.ts'],
    tests: ['src/wire/parse/sanitize.test.ts', 'src/wire/parse/property.test.ts'],
  },
  {
    name: 'page cache and invalidation',
    mutate: ['src/web/cache/page-cache.ts', 'src/web/cache/invalidation.ts'],
    // The rules are pure: the unit tests decide them in a second, where each HTTP suite needs a server.
    tests: ['src/web/cache/page-cache-rules.test.ts', 'src/web/cache/page-cache.test.ts'],
  },
  {
    // The plan for an item (version verdict, kill, expiry, embargo): pure, so its unit tests decide it.
    name: 'wire kill and embargo rules (plan)',
    mutate: ['src/wire/item-plan.ts'],
    tests: ['src/wire/item-plan.test.ts'],
  },
  {
    // The kill the story writer carries out: articles taken down, the story or its tombstone, the audit.
    name: 'wire kill and embargo rules (kill)',
    mutate: ['src/wire/story-writes.ts:303-372'],
    tests: ['src/wire/kill.test.ts', 'src/wire/ingester.test.ts', 'src/wire/pictures.test.ts'],
  },
];

/** The test command for a list of test files: SQLite only, and a run ends when its tests do. */
export function testCommand(tests) {
  return `DIALECTS=sqlite node --import tsx --test --test-force-exit --test-concurrency=1 ${tests.join(' ')}`;
}

export default {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  testRunner: 'command',
  commandRunner: { command: testCommand([...new Set(modules.flatMap((m) => m.tests))]) },
  mutate: modules.flatMap((m) => m.mutate),
  // Plain JavaScript as tsx runs it: type errors in a mutant do not matter to the tests.
  disableTypeChecks: true,
  coverageAnalysis: 'off',
  concurrency: 2,
  timeoutMS: 60_000,
  tempDirName: 'reports/mutation/.stryker-tmp',
  ignorePatterns: ['reports', 'bench/results', 'bench/tmp', 'data', 'dist', 'coverage'],
  reporters: ['clear-text', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/all.html' },
  jsonReporter: { fileName: 'reports/mutation/all.json' },
  cleanTempDir: true,
};
