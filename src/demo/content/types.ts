// The shape of the demo network's content: plain data that the first-start seeder turns into sites,
// sections, articles and media. Nothing here touches a database.

export interface DemoPicture {
  /** Unique across the whole network, path-like (e.g. `news/lead/some-slug`), usable as a storage key. */
  key: string;
  caption: string;
  credit: string;
  /** Describes what the generated image actually shows (the caption describes the story's scene). */
  alt: string;
  width: number;
  height: number;
  /** Encoding of the bytes `render()` returns. */
  format: 'jpeg';
  mimeType: 'image/jpeg';
  /** Generates the image; pure, so the same picture always renders to the same bytes. */
  render(): Promise<Buffer>;
}

export interface DemoArticle {
  /** Slug of one of the site's sections. */
  section: string;
  slug: string;
  headline: string;
  dek: string;
  byline: string | null;
  /** Place line in capitals for agency stories (e.g. 'MOSCOW'); null for in-house copy. */
  dateline: string | null;
  /** Only <p>, <h2>, <ul>/<li> and <blockquote>; 4–8 paragraphs. */
  bodyHtml: string;
  /** e.g. '© Example Wire 2025' for wire-style stories, null for in-house ones. */
  sourceCopyright: string | null;
  picture: DemoPicture | null;
  /** Spread over roughly 30 days; the list is ordered newest first, give or take a little jitter. */
  publishedMinutesAgo: number;
  /** Less than publishedMinutesAgo when set. */
  updatedMinutesAgo: number | null;
}

export interface DemoSection {
  slug: string;
  name: string;
  description: string;
}

export interface DemoSite {
  slug: 'news' | 'life' | 'travel';
  name: string;
  tagline: string;
  /** BCP 47 tag. */
  language: string;
  /** IANA zone name. */
  timeZone: string;
  /** Used as a background behind white text; at least 4.5:1 against white. */
  primaryColor: string;
  /** Used as text/links on white; at least 4.5:1 against white. */
  accentColor: string;
  footerText: string;
  sections: DemoSection[];
  articles: DemoArticle[];
}

export interface BuildDemoNetworkOptions {
  /** Default 60. */
  articlesPerSite?: number;
  /** Default 2025; the same seed (and `now`) gives identical data. */
  seed?: number;
  /**
   * Only used for absolute dates written into the copy: photo-caption dates and copyright years. Defaults to
   * a fixed reference date so the output is a pure function of the options; a seeder that wants captions to
   * match real publication dates passes the current time.
   */
  now?: Date;
}
