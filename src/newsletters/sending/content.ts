// What one newsletter issue mails, rendered once per issue by the renderer of its kind (digests: F1's MJML
// templates; alerts: F2's), with placeholders where each recipient's own links go. The send engine
// (engine.ts) fills those in per recipient with signed links (src/newsletters/links.ts), so a send to
// 100,000 people renders the issue once and does a few string replacements per message.

/** An issue as mailed. `html` and `text` contain PLACEHOLDER values where per-recipient links go. */
export interface IssueContent {
  subject: string;
  html: string;
  text: string;
  /** The campaign part of the Feedback-ID header (e.g. the newsletter's slug, or 'alert'). */
  campaign: string;
}

/** Markers a renderer writes where each recipient's preference and unsubscribe links belong. */
export const PLACEHOLDER = {
  preferences: '%%PREFERENCES_URL%%',
  unsubscribe: '%%UNSUBSCRIBE_URL%%',
} as const;

/** Renders one issue (digest or alert) for mailing; called once per send, and again after a restart. */
export interface IssueRenderer {
  render(issueId: number): Promise<IssueContent>;
}

/** Replaces the placeholders with one recipient's links (every occurrence, in html and text alike). */
export function personalise(body: string, links: { preferences: string; unsubscribe: string }): string {
  return body
    .split(PLACEHOLDER.preferences)
    .join(links.preferences)
    .split(PLACEHOLDER.unsubscribe)
    .join(links.unsubscribe);
}
