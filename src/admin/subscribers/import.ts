// The subscriber import: a CSV file `email,consent[,name]` into one list, with consent stated row by row.
// - consent yes (also true, 1): a confirmed subscription, consent source 'import', confirmed now; the audit
//   entry written in the same transaction names the staff member, the file and the counts, which is the
//   record of who vouched for that consent and when (subscriptions carry no staff column of their own).
// - consent no (false, 0): a pending subscription and the ordinary double opt-in confirmation mail (the
//   reader side's mail and link; none again within 10 minutes for that address and site). A pending address
//   gets no newsletter, so an import can never mail one without consent.
// - an address on the suppression list is skipped; one already on the list (pending, confirmed or
//   unsubscribed) is left exactly as it is, so importing the same file again changes nothing, and an
//   import never puts back someone who left.
// - bad rows (an address the signup form would refuse, consent missing or unclear, an address twice) are
//   reported by line with the reason; the good rows are imported.
// - a file that cannot be read at all (not UTF-8, not CSV, no email or consent column, over the limits) is
//   refused whole with NEWSLETTER_IMPORT_INVALID before anything is written. The writes run in one
//   transaction, so a failure part way leaves the list as it was.
// The name column is read but not kept: subscribers have no name of their own (the export shows the name
// of a linked reader account).
import { createHash } from 'node:crypto';
import type { MailSite } from '../../accounts/mails.ts';
import { recordAudit } from '../../audit/log.ts';
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { MailService } from '../../mail/mailer.ts';
import { confirmToken } from '../../newsletters/links.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import { checkSignupAddress } from '../../newsletters/signup/address.ts';
import { confirmationMail } from '../../newsletters/signup/mails.ts';
import { pendingOnSite, type Q } from '../../newsletters/signup/subscribers.ts';
import { CONFIRM_RESEND_MS } from '../../newsletters/signup/subscriptions.ts';
import { CsvUnreadable, parseCsv } from './csv.ts';

export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 100_000;
/** Rows written per statement: well under both databases' limits on bound values. */
const CHUNK = 500;

export interface ImportRow {
  line: number;
  email: string;
  consent: boolean;
}

export interface RowProblem {
  line: number;
  /** What the row held, cut short, for the report. */
  value: string;
  reason: string;
}

export interface ImportReport {
  /** Data rows in the file (the header not counted). */
  rows: number;
  confirmed: number;
  pending: number;
  /** Confirmation mails queued (fewer than pending when one went to that address minutes ago). */
  mailed: number;
  /** Already on the list, left as they were. */
  unchanged: number;
  suppressed: { line: number; email: string }[];
  problems: RowProblem[];
}

export interface ImportDeps {
  db: Db;
  mail: MailService;
  signingKey: () => Buffer;
  mailSite: (siteId: number, origin: string) => MailSite;
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

function invalid(message: string, where?: Record<string, string | number>): DatelineError {
  return new DatelineError('NEWSLETTER_IMPORT_INVALID', `${message} Nothing was imported.`, where);
}

/** The file's rows, and the rows it could not take; throws NEWSLETTER_IMPORT_INVALID for an unreadable file. */
export function readImportFile(bytes: Buffer): { rows: ImportRow[]; problems: RowProblem[]; count: number } {
  if (bytes.length > IMPORT_MAX_BYTES)
    throw invalid(
      `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB; split it into smaller files.`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.');
  }
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text, IMPORT_MAX_ROWS + 1);
  } catch (e) {
    if (e instanceof CsvUnreadable)
      throw invalid(`The file is not readable CSV: ${e.message}`, { line: e.line });
    throw e;
  }
  const header = records[0]?.fields.map((h) => h.trim().toLowerCase());
  if (!header) throw invalid('The file is empty. Its first line names the columns: email,consent');
  const emailAt = header.indexOf('email');
  const consentAt = header.indexOf('consent');
  if (emailAt < 0 || consentAt < 0)
    throw invalid(
      `The first line must name the columns email and consent (and optionally name); it reads “${records[0]!.fields.join(',').slice(0, 100)}”.`,
      { line: 1 },
    );
  const data = records.slice(1);
  if (data.length > IMPORT_MAX_ROWS)
    throw invalid(`The file has more than ${IMPORT_MAX_ROWS.toLocaleString('en')} rows; split it.`);
  const rows: ImportRow[] = [];
  const problems: RowProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const r of data) {
    const rawEmail = (r.fields[emailAt] ?? '').trim();
    const rawConsent = (r.fields[consentAt] ?? '').trim().toLowerCase();
    const value = r.fields.join(',').slice(0, 120);
    const checked = checkSignupAddress(rawEmail);
    if (!checked.ok) {
      problems.push({ line: r.line, value, reason: rawEmail ? checked.problem : 'The email is missing.' });
      continue;
    }
    if (!YES.has(rawConsent) && !NO.has(rawConsent)) {
      problems.push({
        line: r.line,
        value,
        reason: rawConsent
          ? `Consent “${rawConsent.slice(0, 20)}” is not clear: write yes or no.`
          : 'Consent is missing: write yes (they agreed to receive it) or no (send a confirmation mail).',
      });
      continue;
    }
    const earlier = firstLine.get(checked.value);
    if (earlier !== undefined) {
      problems.push({ line: r.line, value, reason: `The address is already on line ${earlier}.` });
      continue;
    }
    firstLine.set(checked.value, r.line);
    rows.push({ line: r.line, email: checked.value, consent: YES.has(rawConsent) });
  }
  return { rows, problems, count: data.length };
}

/**
 * Imports the file's rows into `list`, in one transaction with its audit entry. `origin` is the site's
 * public origin, for the link in confirmation mails.
 */
export async function importIntoList(
  deps: ImportDeps,
  list: Newsletter,
  file: { name: string; bytes: Buffer },
  by: { actor: string },
  origin: string,
  now = new Date(),
): Promise<ImportReport> {
  const { rows, problems, count } = readImportFile(file.bytes);
  const report: ImportReport = {
    rows: count,
    confirmed: 0,
    pending: 0,
    mailed: 0,
    unchanged: 0,
    suppressed: [],
    problems,
  };
  const at = toDbTime(now);
  await deps.db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const suppressed = new Set(
        (
          await trx
            .selectFrom('mail_suppressions')
            .select('email')
            .where('suppressed', '=', 1)
            .where(
              'email',
              'in',
              chunk.map((r) => r.email),
            )
            .execute()
        ).map((r) => r.email),
      );
      const wanted = chunk.filter((r) => {
        if (!suppressed.has(r.email)) return true;
        report.suppressed.push({ line: r.line, email: r.email });
        return false;
      });
      if (wanted.length === 0) continue;
      await trx
        .insertInto('newsletter_subscribers')
        .values(wanted.map((r) => ({ email: r.email, user_id: null, created_at: at })))
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
      const people = await trx
        .selectFrom('newsletter_subscribers')
        .select(['id', 'email', 'user_id'])
        .where(
          'email',
          'in',
          wanted.map((r) => r.email),
        )
        .execute();
      const byEmail = new Map(people.map((p) => [p.email, p]));
      const onList = new Set(
        (
          await trx
            .selectFrom('newsletter_subscriptions')
            .select('subscriber_id')
            .where('newsletter_id', '=', list.id)
            .where(
              'subscriber_id',
              'in',
              people.map((p) => p.id),
            )
            .execute()
        ).map((r) => r.subscriber_id),
      );
      const fresh = wanted.filter((r) => !onList.has(byEmail.get(r.email)!.id));
      report.unchanged += wanted.length - fresh.length;
      if (fresh.length === 0) continue;
      await trx
        .insertInto('newsletter_subscriptions')
        .values(
          fresh.map((r) => ({
            subscriber_id: byEmail.get(r.email)!.id,
            newsletter_id: list.id,
            status: r.consent ? ('active' as const) : ('pending' as const),
            consent_source: 'import' as const,
            consent_ip: null,
            confirm_sent_at: null,
            confirmed_at: r.consent ? at : null,
            unsubscribed_at: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
      for (const r of fresh) {
        if (r.consent) {
          report.confirmed++;
          continue;
        }
        report.pending++;
        const p = byEmail.get(r.email)!;
        if (
          await mailConfirmation(
            trx,
            deps,
            { id: p.id, email: p.email, userId: p.user_id },
            list,
            origin,
            now,
          )
        )
          report.mailed++;
      }
    }
    await recordAudit(trx, {
      actor: by.actor,
      action: 'newsletter.subscribers_imported',
      subjectType: 'newsletter',
      subjectId: list.id,
      detail: {
        siteId: list.siteId,
        file: file.name.slice(0, 200),
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        rows: report.rows,
        confirmed: report.confirmed,
        pending: report.pending,
        mailed: report.mailed,
        unchanged: report.unchanged,
        suppressed: report.suppressed.length,
        problems: report.problems.length,
      },
    });
  });
  return report;
}

/**
 * The reader side's confirmation mail for the address's pending lists on the site (its link confirms them
 * all), unless one went out in the last 10 minutes: the same rule and mail as a signup from the form.
 */
async function mailConfirmation(
  trx: Q,
  deps: ImportDeps,
  sub: { id: number; email: string; userId: number | null },
  list: Newsletter,
  origin: string,
  now: Date,
): Promise<boolean> {
  const pending = await pendingOnSite(trx, sub.id, list.siteId);
  const recent = now.getTime() - CONFIRM_RESEND_MS;
  if (pending.some((p) => p.confirm_sent_at !== null && new Date(p.confirm_sent_at).getTime() > recent))
    return false;
  const token = confirmToken(
    deps.signingKey(),
    { subscriberId: sub.id, siteId: list.siteId, email: sub.email },
    now,
  );
  await deps.mail.queue(
    confirmationMail(
      deps.mailSite(list.siteId, origin),
      { email: sub.email, userId: sub.userId, subscriberId: sub.id },
      pending.map((p) => p.name),
      `${origin}/newsletters/confirm?t=${token}`,
      now,
    ),
    trx,
  );
  await trx
    .updateTable('newsletter_subscriptions')
    .set({ confirm_sent_at: toDbTime(now) })
    .where(
      'id',
      'in',
      pending.map((p) => p.id),
    )
    .execute();
  return true;
}
