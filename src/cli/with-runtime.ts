// Opens the runtime for one command, runs it, and closes the runtime however the command ends.
import pino from 'pino';
import { loadConfig } from '../config/config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';

export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(loadConfig(), pino({ level: 'error' }));
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
