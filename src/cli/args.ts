// Small helpers every subcommand shares: parse options with --help, the exit codes, and reading a site or
// a numeric id from the arguments.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Runtime } from '../runtime.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
}

export function showHelp(usage: string): number {
  console.log(usage);
  return EXIT.ok;
}

/** The id of the site with this slug, or a usage error that says how to list them. */
export function siteIdOf(rt: Runtime, slug: string, usage: string): number {
  const ctx = rt.directory.all().find((c) => c.site.slug === slug);
  if (!ctx)
    throw new UsageError(`There is no site "${slug}". Run "dateline site list" to see them.\n\n${usage}`);
  return ctx.site.id;
}

/** A positive whole number given as an argument (a key, endpoint or article id). */
export function numericId(value: string | undefined, what: string, usage: string): number {
  if (!value || !/^[1-9]\d{0,9}$/.test(value))
    throw new UsageError(`Give the ${what} as a number.\n\n${usage}`);
  return Number(value);
}
