// Passwords: the rules a new one must meet, and argon2id hashing. The cost comes from configuration and is
// stored in each hash, so raising it later still verifies old hashes (and `needsRehash` upgrades them at the
// next sign-in). Checking a password for an unknown email verifies against a dummy hash of the same cost,
// so the answer takes as long as for a real account.
import { hash, type Options, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import { newSecret } from './secrets.ts';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export interface Argon2Cost {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(
  pw: string,
  context: { email?: string; displayName?: string } = {},
): string | null {
  if (pw.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (pw.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = pw.toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(core) || /^(.)\1+$/.test(pw)) {
    return 'This password is one of the most common ones, so it is easy to guess. Choose another.';
  }
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local))
    return 'Do not use your email address in your password.';
  const name = context.displayName?.toLowerCase().replace(/\s+/g, '');
  if (name && name.length >= 4 && lower.replace(/\s+/g, '') === name)
    return 'Do not use your name as your password.';
  return null;
}

export class PasswordHasher {
  private dummy: Promise<string> | null = null;

  constructor(private readonly cost: Argon2Cost) {}

  private get options() {
    return {
      // Algorithm.Argon2id; the package exports a const enum, which verbatimModuleSyntax cannot import.
      algorithm: 2 as NonNullable<Options['algorithm']>,
      memoryCost: this.cost.memoryKib,
      timeCost: this.cost.timeCost,
      parallelism: this.cost.parallelism,
    };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(stored: string | null, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
    if (!stored) {
      // Same work as a real check, so that "no such account" and "no password set" cannot be timed.
      this.dummy ??= this.hash(newSecret());
      await verify(await this.dummy, password).catch(() => false);
      return { ok: false, needsRehash: false };
    }
    const ok = await verify(stored, password).catch(() => false);
    const want = `m=${this.cost.memoryKib},t=${this.cost.timeCost},p=${this.cost.parallelism}`;
    return { ok, needsRehash: ok && !stored.includes(want) };
  }

  /** Warms the dummy hash so the first unknown-email sign-in is not faster than the rest. */
  async warm(): Promise<void> {
    this.dummy ??= this.hash(newSecret());
    await this.dummy;
  }
}

/** Average milliseconds for one hash at the given cost; what `npm run bench` and the README report. */
export async function timeArgon2(cost: Argon2Cost, rounds = 5): Promise<number> {
  const h = new PasswordHasher(cost);
  await h.hash('warm-up password');
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await h.hash(`correct horse battery staple ${i}`);
  return (performance.now() - start) / rounds;
}
