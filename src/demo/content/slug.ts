// URL slugs for the demo articles: lowercase ASCII words joined by hyphens, at most 80 characters,
// unique within a site (the router looks articles up by site + slug).

export const MAX_SLUG_LENGTH = 80;

export function slugify(text: string, maxLength = MAX_SLUG_LENGTH): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2018\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word.length > 0);
  // Cut at a word boundary so slugs never end in half a word or a dangling hyphen.
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > maxLength) break;
    slug = next;
  }
  if (slug === '' && words[0] !== undefined) slug = words[0].slice(0, maxLength);
  return slug === '' ? 'story' : slug;
}

/** Hands out slugs and keeps them unique by suffixing -2, -3 … when a headline repeats. */
export class SlugRegistry {
  readonly #taken = new Set<string>();

  claim(text: string): string {
    const base = slugify(text);
    let slug = base;
    for (let n = 2; this.#taken.has(slug); n++) {
      const suffix = `-${n}`;
      slug = `${slugify(base, MAX_SLUG_LENGTH - suffix.length)}${suffix}`;
    }
    this.#taken.add(slug);
    return slug;
  }
}
