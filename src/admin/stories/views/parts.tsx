// Small pieces the stories screens share: a story's status as a badge, a time on its site's clock, and a
// form's hidden CSRF field.
import type { ArticleStatus } from '../../../articles/tables.ts';
import { siteTime } from '../times.ts';

const STATUS_LABEL: Record<ArticleStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
  taken_down: 'Taken down',
};
const STATUS_CLASS: Record<ArticleStatus, string> = {
  draft: 'adm-badge',
  scheduled: 'adm-badge adm-badge-warn',
  published: 'adm-badge adm-badge-ok',
  taken_down: 'adm-badge adm-badge-bad',
};

export function statusLabel(status: ArticleStatus): string {
  return STATUS_LABEL[status];
}

export function StatusBadge({ status }: { status: ArticleStatus }) {
  return <span class={STATUS_CLASS[status]}>{STATUS_LABEL[status]}</span>;
}

export function SiteTime({ at, zone }: { at: Date; zone: string }) {
  return <time dateTime={at.toISOString()}>{siteTime(at, zone)}</time>;
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}
