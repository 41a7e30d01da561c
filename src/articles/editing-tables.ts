// Tables and columns the newsroom's story editing adds to the articles feature: who wrote a story, its tags
// and urgent flag, who has it open (locks), each editor's unsaved work (autosaves) and preview links.
// The articles table itself is declared in tables.ts; the columns here are joined onto it in
// db/database.ts, so older code that builds article rows keeps compiling and these columns keep defaults.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface ArticleEditingColumns {
  /** The staff account that created the story in the admin; null for imports, the wire and the demo. */
  created_by: number | null;
  /** JSON array of the story's tags, in the editor's order. */
  tags: Generated<string>;
  /** 0/1: marked urgent by an editor (for news alerts). */
  urgent: Generated<number>;
}

/**
 * Who has a story open in the editor. One row per story; a lock whose heartbeat is older than the stale
 * time counts as free. Taking a lock over names the editor it displaced, so their next heartbeat is told.
 */
export interface StoryLocksTable {
  article_id: number;
  user_id: number;
  since: DbTimestamp;
  heartbeat_at: DbTimestamp;
  displaced_user_id: number | null;
  displaced_at: DbTimestamp | null;
}

/**
 * An editor's unsaved work on a story: the form's fields as JSON and the revision they started from.
 * Never read by reader pages; an explicit save turns it into a revision and removes it.
 */
export interface StoryAutosavesTable {
  article_id: number;
  user_id: number;
  fields: string;
  base_revision: number;
  saved_at: DbTimestamp;
}

/** A link that shows an unpublished story on its site's host. Only the SHA-256 of the token is stored. */
export interface StoryPreviewLinksTable {
  id: Generated<number>;
  token_hash: string;
  article_id: number;
  created_by: number | null;
  created_at: DbTimestamp;
  revoked_at: DbTimestamp | null;
}

export interface StoryEditingTables {
  story_locks: StoryLocksTable;
  story_autosaves: StoryAutosavesTable;
  story_preview_links: StoryPreviewLinksTable;
}
