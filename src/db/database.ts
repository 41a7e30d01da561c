// The whole schema as Kysely sees it: each feature declares its own tables, this file joins them.
import type { AccountsTables } from '../accounts/tables.ts';
import type { TwoFactorTables } from '../accounts/two-factor-tables.ts';
import type { StaffTables } from '../admin/staff/tables.ts';
import type { ApiTables } from '../api/tables.ts';
import type { ArticleEditingColumns, StoryEditingTables } from '../articles/editing-tables.ts';
import type { ArticlesTable, ArticleTables } from '../articles/tables.ts';
import type { AuditTables } from '../audit/tables.ts';
import type { CommentTables } from '../comments/tables.ts';
import type { EventTables } from '../events/tables.ts';
import type { FrontPageTables } from '../front-page/tables.ts';
import type { JobTables } from '../jobs/tables.ts';
import type { LiveEventTables } from '../live-events/tables.ts';
import type { MailTables } from '../mail/tables.ts';
import type { MediaTables } from '../media/tables.ts';
import type { AlertingWireRouteColumns, NewsletterTables } from '../newsletters/tables.ts';
import type { SearchTables } from '../search/tables.ts';
import type { SectionTables } from '../sections/tables.ts';
import type { SiteTables } from '../sites/tables.ts';
import type { TrendingTables } from '../trending/tables.ts';
import type { WebhookTables } from '../webhooks/tables.ts';
import type { StaffApiTokenTables } from '../wire/api-token-tables.ts';
import type { WireRoutesTable, WireTables } from '../wire/tables.ts';

export interface Database
  extends SiteTables,
    SectionTables,
    ArticleTables,
    StoryEditingTables,
    MediaTables,
    JobTables,
    AuditTables,
    EventTables,
    WireTables,
    AccountsTables,
    MailTables,
    SearchTables,
    TrendingTables,
    ApiTables,
    WebhookTables,
    TwoFactorTables,
    StaffApiTokenTables,
    StaffTables,
    CommentTables,
    FrontPageTables,
    NewsletterTables,
    LiveEventTables {
  /** The articles table with the columns story editing added (see articles/editing-tables.ts). */
  articles: ArticlesTable & ArticleEditingColumns;
  /** Wire routes with the alert switch newsletters added (see newsletters/tables.ts). */
  wire_routes: WireRoutesTable & AlertingWireRouteColumns;
}
