// What a newsletter signup accepts as an address: the accounts feature's email rules (length, form, no
// control characters), and not an address that obviously cannot receive mail: names under the top-level
// domains reserved for tests and documentation (RFC 2606 and 6761: .test, .example, .invalid, .localhost,
// plus .local) and the example.com/net/org documentation domains. Each refusal names what to fix.
import { checkEmail, type FieldCheck } from '../../accounts/fields.ts';

const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'localhost', 'local']);
const DOCUMENTATION_DOMAINS = new Set(['example.com', 'example.net', 'example.org']);

export function checkSignupAddress(raw: string): FieldCheck {
  const c = checkEmail(typeof raw === 'string' ? raw : '');
  if (!c.ok) return c;
  const domain = c.value.slice(c.value.lastIndexOf('@') + 1);
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (RESERVED_TLDS.has(tld) || DOCUMENTATION_DOMAINS.has(domain) || domain.endsWith('.example.com')) {
    return {
      ok: false,
      problem: `${domain} cannot receive mail (it is reserved for examples and tests). Enter the address you read your mail at.`,
    };
  }
  return c;
}
