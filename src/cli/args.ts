// Small helpers every subcommand shares: parse options with --help, and the exit codes.
import { type ParseArgsConfig, parseArgs } from 'node:util';

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
