// What readers may type into account forms: email addresses, display names and profile slugs. Refuses
// malformed and overlong input, control and invisible characters (bidi overrides, zero-width joiners), and
// display names that look like a staff member's (compared by a "skeleton" that folds case, accents,
// look-alike letters from other scripts, digits used as letters, spacing and punctuation).

export const EMAIL_MAX = 254;
export const NAME_MAX = 60;

const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export type FieldCheck = { ok: true; value: string } | { ok: false; problem: string };

export function checkEmail(raw: string): FieldCheck {
  const value = raw.trim().toLowerCase();
  if (value === '') return { ok: false, problem: 'Enter your email address.' };
  if (value.length > EMAIL_MAX)
    return { ok: false, problem: `An email address has at most ${EMAIL_MAX} characters.` };
  if (
    !EMAIL.test(value) ||
    value.includes('..') ||
    value.startsWith('.') ||
    value.split('@')[0]!.endsWith('.')
  ) {
    return { ok: false, problem: 'Enter an email address in the form name@example.com.' };
  }
  return { ok: true, value };
}

// Control (Cc), format (Cf: bidi overrides, zero-width characters), line/paragraph separators, private use
// and unassigned code points have no place in a name shown to others.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

export function checkDisplayName(raw: string): FieldCheck {
  const trimmed = raw.normalize('NFC').trim();
  const value = trimmed.replace(/\p{Zs}+/gu, ' ');
  if (value === '') return { ok: false, problem: 'Enter the name to show beside what you write.' };
  if (FORBIDDEN.test(trimmed)) {
    return {
      ok: false,
      problem:
        'The name contains invisible or control characters (such as direction overrides). Remove them.',
    };
  }
  if ([...value].length > NAME_MAX)
    return { ok: false, problem: `A name has at most ${NAME_MAX} characters.` };
  if (!/[\p{L}\p{N}]/u.test(value))
    return { ok: false, problem: 'A name needs at least one letter or digit.' };
  return { ok: true, value };
}

// Letters from other scripts that look like Latin ones, and digits and symbols used as letters.
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '|': 'l',
  '!': 'l',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ß: 'ss',
};

/** A form of the name in which look-alikes collapse to the same string. */
export function skeleton(name: string): string {
  const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  let out = '';
  for (const ch of folded) out += CONFUSABLES[ch] ?? ch;
  return out
    .replace(/[^\p{L}\p{N}]/gu, '')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/[i]/g, 'l');
}

/** Names no reader may take, whatever the staff list says. */
const RESERVED = [
  'admin',
  'administrator',
  'moderator',
  'editor',
  'staff',
  'support',
  'owner',
  'dateline',
  'system',
];

export function looksLikeStaff(name: string, staffNames: string[]): boolean {
  const s = skeleton(name);
  if (RESERVED.some((r) => skeleton(r) === s)) return true;
  return staffNames.some((n) => skeleton(n) === s);
}

/** A URL-safe slug for the public profile, from the name; the caller makes it unique. */
export function slugFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'reader';
}
