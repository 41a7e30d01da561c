// Read queries that the pages run on every render, built and compiled by Kysely once per dialect and then
// run with fresh parameters. Building and compiling a Kysely query costs more than SQLite takes to answer
// these, so it is worth doing once.
import { type Compilable, CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';

type Q = Kysely<Database> | Transaction<Database>;

type Args = readonly (string | number)[];

/**
 * Wraps a query builder whose shape depends only on the number of its arguments, never on their values.
 * The first call per dialect builds it with marker values, finds where each argument went among the
 * compiled parameters, and keeps the SQL; later calls send the same SQL with the new values in place.
 */
export function reusableQuery<A extends Args, R>(build: (q: Q, ...args: A) => Compilable<R>) {
  // Per parameter of the compiled SQL: the index of the argument that goes there, or a constant of the query.
  type Slot = { arg: number } | { constant: unknown };
  const compiled = new WeakMap<object, { sql: string; slots: Slot[] }>();
  return async (q: Q, ...args: A): Promise<R[]> => {
    const adapter = q.getExecutor().adapter;
    let c = compiled.get(adapter);
    if (c === undefined) {
      const markers = args.map((_, i) => `\u0000arg${i}\u0000`);
      const probe = build(q, ...(markers as unknown as A)).compile();
      const slots = probe.parameters.map((p): Slot => {
        const arg = markers.indexOf(p as string);
        return arg >= 0 ? { arg } : { constant: p };
      });
      c = { sql: probe.sql, slots };
      compiled.set(adapter, c);
    }
    const parameters = c.slots.map((s) => ('arg' in s ? args[s.arg] : s.constant));
    return (await q.executeQuery<R>(CompiledQuery.raw(c.sql, parameters))).rows;
  };
}

const compiledByAdapter = new WeakMap<object, Map<string, string>>();

/**
 * Runs a statement compiled once per dialect under `name`, with fresh parameters. The caller passes the
 * parameters in the order of the compiled SQL (e.g. an insert with a fixed column list), so nothing needs
 * rebuilding; used for the writes a wire batch repeats hundreds of times.
 */
export function runCompiledOnce<R>(
  q: Q,
  name: string,
  build: () => Compilable<R>,
  parameters: readonly unknown[],
) {
  const adapter = q.getExecutor().adapter;
  let cache = compiledByAdapter.get(adapter);
  if (!cache) {
    cache = new Map();
    compiledByAdapter.set(adapter, cache);
  }
  let text = cache.get(name);
  if (text === undefined) {
    text = build().compile().sql;
    cache.set(name, text);
  }
  return q.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
}
