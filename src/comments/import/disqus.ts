// Reads a Disqus XML export (<disqus>: <thread dsq:id> elements with the story's <link>, then <post dsq:id>
// elements pointing at their <thread dsq:id> and <parent dsq:id>). Spam and deleted posts are kept, marked
// so (never published); an entry that cannot be used is listed in `problems` with its position in the file.
import { attr, child, children, textOf, type XmlElement } from '../../wire/parse/xml.ts';
import type { ImportDocument, ImportedAuthor, ImportedComment, ImportedThread } from './model.ts';
import { emailHashOf, sha256Hex } from './read-export.ts';
import { authorName, commentTextFromHtml } from './text.ts';

const text = (el: XmlElement | undefined, name: string) => textOf(child(el, name))?.trim() ?? '';
const yes = (el: XmlElement | undefined, name: string) => text(el, name).toLowerCase() === 'true';
const dsqId = (el: XmlElement | undefined) => (attr(el, 'dsq:id') ?? attr(el, 'id') ?? '').trim();

export function readDisqus(root: XmlElement): ImportDocument {
  const problems: string[] = [];
  const threads = new Map<string, ImportedThread>();
  children(root, 'thread').forEach((t, i) => {
    const key = dsqId(t);
    const url = text(t, 'link');
    if (!key || !url) {
      problems.push(`<thread> number ${i + 1}: it has no ${key ? '<link>' : 'dsq:id attribute'}; skipped.`);
      return;
    }
    threads.set(key, { key, url, title: text(t, 'title'), comments: [] });
  });
  children(root, 'post').forEach((p, i) => {
    const key = dsqId(p);
    const where = `<post dsq:id="${key}"> (post number ${i + 1})`;
    if (!key) {
      problems.push(`<post> number ${i + 1}: it has no dsq:id attribute; skipped.`);
      return;
    }
    const threadKey = dsqId(child(p, 'thread'));
    const thread = threads.get(threadKey);
    if (!thread) {
      problems.push(`${where}: its thread "${threadKey}" is not in the file; skipped.`);
      return;
    }
    const createdAt = new Date(text(p, 'createdAt'));
    if (Number.isNaN(createdAt.getTime())) {
      problems.push(`${where}: <createdAt> "${text(p, 'createdAt')}" is not a date; skipped.`);
      return;
    }
    const spam = yes(p, 'isSpam');
    const deleted = yes(p, 'isDeleted');
    const unapproved = child(p, 'isApproved') !== undefined && !yes(p, 'isApproved');
    const body = commentTextFromHtml(textOf(child(p, 'message')) ?? '');
    if (!body && !deleted) {
      problems.push(`${where}: the <message> is empty; skipped.`);
      return;
    }
    const parentKey = dsqId(child(p, 'parent')) || null;
    const comment: ImportedComment = {
      key,
      parentKey: parentKey === key ? null : parentKey,
      author: disqusAuthor(child(p, 'author')),
      body: deleted ? '' : body,
      createdAt,
      status: deleted ? 'deleted' : spam ? 'rejected' : unapproved ? 'pending' : 'published',
      reason: spam && !deleted ? 'spam' : null,
    };
    thread.comments.push(comment);
  });
  return { source: 'disqus', threads: [...threads.values()], problems };
}

function disqusAuthor(a: XmlElement | undefined): ImportedAuthor {
  const name = authorName(text(a, 'name') || text(a, 'username'));
  const emailHash = emailHashOf(text(a, 'email'));
  const username = yes(a, 'isAnonymous') ? '' : text(a, 'username');
  // A Disqus username is the person; a guest is known by the address they gave, or failing that their name.
  const key = username
    ? `user:${username}`
    : emailHash
      ? `email:${emailHash}`
      : `name:${sha256Hex(name.toLowerCase()).slice(0, 32)}`;
  return { key, name, emailHash };
}
