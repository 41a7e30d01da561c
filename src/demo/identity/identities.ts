// The people a newcomer can sign in as at the demo identity provider: three ready-made readers, or any
// address typed in. Typed addresses get a stable subject derived from the address, so signing in twice with
// the same address is the same identity (as at a real provider), across restarts of the server too.
import { createHash } from 'node:crypto';

export interface DemoIdentity {
  /** The subject (`sub`) the provider asserts; also its account id. */
  sub: string;
  email: string;
  name: string;
}

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  { sub: 'demo-ada', email: 'ada.okafor@demo-reader.example', name: 'Ada Okafor' },
  { sub: 'demo-kenji', email: 'kenji.sato@demo-reader.example', name: 'Kenji Sato' },
  { sub: 'demo-lucia', email: 'lucia.ferreira@demo-reader.example', name: 'Lúcia Ferreira' },
];

const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>".]{2,}$/;

/** A typed address as an identity, or null when it is not an email address. */
export function typedIdentity(emailInput: string, nameInput: string): DemoIdentity | null {
  const email = emailInput.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) return null;
  const typedName = nameInput.trim().replace(/\s+/g, ' ').slice(0, 80);
  const local = email
    .slice(0, email.indexOf('@'))
    .replace(/[._+-]+/g, ' ')
    .trim();
  const name = typedName || local.replace(/\b\p{L}/gu, (c) => c.toUpperCase()) || 'Demo reader';
  const sub = `demo-${createHash('sha256').update(email).digest('hex').slice(0, 20)}`;
  return { sub, email, name };
}
