// A member's own choices about comments (member_settings: page hidden, notices by email for replies and
// for moderators' decisions) and the one-click off link every notice mail carries. No row means the
// defaults: page shown, no email. The off link holds a token signed with the server's key for one purpose
// only ("turn this kind of notice off for this account"), so it works without signing in, cannot be
// forged or turned to anything else, and does no harm when replayed: off stays off.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { NotificationKind } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface MemberSettings {
  pageHidden: boolean;
  emailReplies: boolean;
  emailDecisions: boolean;
}

export const DEFAULT_SETTINGS: MemberSettings = {
  pageHidden: false,
  emailReplies: false,
  emailDecisions: false,
};

/** The two kinds of notice a member turns on or off by email. */
export type NoticeGroup = 'replies' | 'decisions';

export function groupOf(kind: NotificationKind): NoticeGroup {
  return kind === 'reply' ? 'replies' : 'decisions';
}

export async function readSettings(q: Q, userId: number): Promise<MemberSettings> {
  const row = await q
    .selectFrom('member_settings')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    pageHidden: Number(row.page_hidden) === 1,
    emailReplies: Number(row.email_replies) === 1,
    emailDecisions: Number(row.email_decisions) === 1,
  };
}

export async function writeSettings(q: Q, userId: number, patch: Partial<MemberSettings>, now: Date) {
  const current = await readSettings(q, userId);
  const next = { ...current, ...patch };
  const values = {
    page_hidden: next.pageHidden ? 1 : 0,
    email_replies: next.emailReplies ? 1 : 0,
    email_decisions: next.emailDecisions ? 1 : 0,
    updated_at: toDbTime(now),
  };
  await q
    .insertInto('member_settings')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
  return { before: current, after: next };
}

// ---------------------------------------------------------------- the one-click off link

const PURPOSE = 'comments.notice-off';

function mac(key: Buffer, userId: number, group: NoticeGroup): Buffer {
  return createHmac('sha256', key).update(`${PURPOSE}\n${userId}\n${group}`).digest().subarray(0, 18);
}

/** `<userId>.<group>.<signature>`: all URL-safe. */
export function offToken(key: Buffer, userId: number, group: NoticeGroup): string {
  return `${userId}.${group}.${mac(key, userId, group).toString('base64url')}`;
}

/** The account and kind of notice a token turns off; a refusal for anything else. */
export function readOffToken(key: Buffer, token: unknown): { userId: number; group: NoticeGroup } {
  const m =
    typeof token === 'string'
      ? /^([1-9]\d{0,15})\.(replies|decisions)\.([A-Za-z0-9_-]{24})$/.exec(token)
      : null;
  if (m) {
    const userId = Number(m[1]);
    const group = m[2] as NoticeGroup;
    const given = Buffer.from(m[3]!, 'base64url');
    const want = mac(key, userId, group);
    if (given.length === want.length && timingSafeEqual(given, want)) return { userId, group };
  }
  throw new DatelineError(
    'NOTICE_LINK_INVALID',
    'This link to turn off comment notices is not valid: it may have been cut short when it was copied. ' +
      'Open it from the mail again, or sign in and change the setting under My account.',
  );
}
