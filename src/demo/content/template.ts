// The small template language the story kinds are written in, and the HTML the article bodies end up as.
// Keeping the copy as templates (rather than finished strings) is what lets ~15 story kinds per site
// produce dozens of distinct, readable articles.

import type { Rng } from './prng.ts';

/** The facts of one story: every `{name}` a template mentions is looked up here. */
export type Facts = Readonly<Record<string, string>>;

const CHOICE = /\[([^[\]]*\|[^[\]]*)\]/g;
const SLOT = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Fills a template. `[a|b|c]` picks one alternative (for variety between otherwise identical stories),
 * `{name}` inserts a fact and `{Name}` inserts it capitalized. A missing fact is a bug in the copy, so it
 * throws rather than printing a brace into a demo article.
 */
export function fill(template: string, facts: Facts, rng: Rng): string {
  const chosen = template.replace(CHOICE, (_, options: string) => rng.pick(options.split('|')));
  return chosen.replace(SLOT, (_, name: string) => {
    const exact = facts[name];
    if (exact !== undefined) return exact;
    const lower = facts[name.charAt(0).toLowerCase() + name.slice(1)];
    if (lower !== undefined && name.charAt(0) !== name.charAt(0).toLowerCase()) return capitalize(lower);
    throw new Error(`Demo copy refers to unknown fact {${name}} in: ${template}`);
  });
}

/** Straight quotes to typographic ones; the copy is typed with ASCII quotes for easy editing. */
export function typeset(text: string): string {
  return text
    .replace(/(^|[\s([{\u2014])"/g, '$1\u201c')
    .replace(/"/g, '\u201d')
    .replace(/(^|[\s([{\u2014])'/g, '$1\u2018')
    .replace(/'/g, '\u2019')
    .replace(/ -- /g, ' \u2014 ');
}

/** Body building blocks; deliberately limited to what every renderer and sanitizer will accept. */
export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'h2'; text: string }
  | { kind: 'ul'; items: string[] }
  | { kind: 'blockquote'; text: string };

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function blockHtml(block: Block): string {
  if (block.kind === 'ul')
    return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
  return `<${block.kind}>${escapeHtml(block.text)}</${block.kind}>`;
}

export function renderBody(blocks: readonly Block[]): string {
  return blocks.map(blockHtml).join('\n');
}

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];

/** Newspaper style spells out small numbers in running text. */
export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** 12500 -> '12,500', without going through locale data (which differs between ICU builds). */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
