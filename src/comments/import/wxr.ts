// Reads a WordPress export (WXR: <rss><channel><item> per post, each with its <wp:comment> elements).
// Pingbacks and trackbacks are not comments and are left out; '0' (awaiting moderation) stays pending,
// 'spam' is imported rejected and 'trash' deleted. Comment ids are only unique within one WordPress
// install, so the install's own address (the channel's <link>) is part of each comment's key.

import { DatelineError } from '../../errors/catalogue.ts';
import { child, children, textOf, type XmlElement } from '../../wire/parse/xml.ts';
import type { ImportDocument, ImportedComment, ImportedStatus, ImportedThread } from './model.ts';
import { emailHashOf, sha256Hex } from './read-export.ts';
import { authorName, commentTextFromHtml } from './text.ts';

const text = (el: XmlElement | undefined, name: string) => textOf(child(el, name))?.trim() ?? '';

const STATUS: Record<string, ImportedStatus> = {
  '1': 'published',
  approve: 'published',
  approved: 'published',
  '0': 'pending',
  hold: 'pending',
  spam: 'rejected',
  trash: 'deleted',
  'post-trashed': 'deleted',
};

/** WordPress writes times as 'YYYY-MM-DD HH:MM:SS'; the _gmt field is UTC, and all zeros when unknown. */
function wpDate(gmt: string, local: string): Date | null {
  for (const s of [gmt, local]) {
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(s);
    if (m && m[1] !== '0000') return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  }
  return null;
}

export function readWxr(root: XmlElement, name: string): ImportDocument {
  const channel = child(root, 'channel');
  if (!channel || !child(channel, 'wxr_version')) {
    throw new DatelineError(
      'COMMENT_IMPORT_INVALID',
      `${name} is an RSS document but not a WordPress export: <channel> has no <wp:wxr_version>. Export it from WordPress with Tools › Export.`,
    );
  }
  const install = installOf(text(channel, 'link') || text(channel, 'base_site_url'));
  const problems: string[] = [];
  const threads: ImportedThread[] = [];
  children(channel, 'item').forEach((item, i) => {
    const comments = children(item, 'comment');
    if (comments.length === 0) return;
    const postId = text(item, 'post_id') || String(i + 1);
    const url = text(item, 'link');
    if (!url) {
      problems.push(`<item> number ${i + 1} (post ${postId}): it has no <link>; its comments are skipped.`);
      return;
    }
    const thread: ImportedThread = { key: postId, url, title: text(item, 'title'), comments: [] };
    comments.forEach((c, j) => {
      const id = text(c, 'comment_id');
      const where = `<wp:comment> ${id ? `id ${id}` : `number ${j + 1}`} of post ${postId}`;
      const type = text(c, 'comment_type');
      if (type === 'pingback' || type === 'trackback') return;
      if (!/^\d{1,20}$/.test(id)) {
        problems.push(`${where}: <wp:comment_id> is missing or not a number; skipped.`);
        return;
      }
      const createdAt = wpDate(text(c, 'comment_date_gmt'), text(c, 'comment_date'));
      if (!createdAt) {
        problems.push(`${where}: <wp:comment_date_gmt> is not a date; skipped.`);
        return;
      }
      const approved = text(c, 'comment_approved').toLowerCase();
      const status = STATUS[approved];
      if (!status) {
        problems.push(`${where}: <wp:comment_approved> "${approved}" is not a known state; skipped.`);
        return;
      }
      const body = commentTextFromHtml(textOf(child(c, 'comment_content')) ?? '');
      if (!body && status !== 'deleted') {
        problems.push(`${where}: <wp:comment_content> is empty; skipped.`);
        return;
      }
      const parent = text(c, 'comment_parent');
      const aName = authorName(text(c, 'comment_author'));
      const emailHash = emailHashOf(text(c, 'comment_author_email'));
      const userId = text(c, 'comment_user_id');
      const comment: ImportedComment = {
        key: `${install}#${id}`,
        parentKey: parent && parent !== '0' && parent !== id ? `${install}#${parent}` : null,
        author: {
          // The address when there is one (hashed: never stored in the clear), else the site's user id, else the name.
          key: emailHash
            ? `email:${emailHash}`
            : userId && userId !== '0'
              ? `user:${install}#${userId}`
              : `name:${sha256Hex(aName.toLowerCase()).slice(0, 32)}`,
          name: aName,
          emailHash,
        },
        body: status === 'deleted' ? '' : body,
        createdAt,
        status,
        reason: status === 'rejected' ? 'spam' : null,
      };
      thread.comments.push(comment);
    });
    threads.push(thread);
  });
  return { source: 'wordpress', threads, problems };
}

/** The install's host and path (no scheme, no trailing slash), so http and https exports share keys. */
function installOf(link: string): string {
  try {
    const u = new URL(link);
    return `${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return link.trim().toLowerCase() || 'wordpress';
  }
}
