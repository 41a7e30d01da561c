// What an export file says, once read: threads (one per story at the source) with their comments and the
// authors who wrote them. disqus.ts and wxr.ts turn their XML into this; importer.ts writes it. Nothing here
// knows either format, so a third source only needs a reader of its own.

export type ImportSource = 'disqus' | 'wordpress';

/** Where a comment stands at the source, in Dateline's words. */
export type ImportedStatus = 'published' | 'pending' | 'rejected' | 'deleted';

export interface ImportedAuthor {
  /** Stable id at the source (comment_import_authors.source_key): a username, or a hash of the email or name. */
  key: string;
  name: string;
  /** sha256 (hex) of the lower-cased email, when the export has one. */
  emailHash: string | null;
}

export interface ImportedComment {
  /** Unique within the source (comments.import_key). */
  key: string;
  /** The key of the comment it answers, or null at the top. */
  parentKey: string | null;
  author: ImportedAuthor;
  /** Plain text (paragraphs separated by a blank line), already converted from the source's markup. */
  body: string;
  createdAt: Date;
  status: ImportedStatus;
  /** Why the source marked it so (e.g. 'spam'), for reject_reason. */
  reason: string | null;
}

export interface ImportedThread {
  /** The thread's id at the source, for the report. */
  key: string;
  /** The story's address as the source knew it. */
  url: string;
  title: string;
  comments: ImportedComment[];
}

export interface ImportDocument {
  source: ImportSource;
  threads: ImportedThread[];
  /** Entries of the file that could not be used, each with where it is (element and position). */
  problems: string[];
}
