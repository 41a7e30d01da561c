// The one catalogue of errors Dateline raises on purpose: a stable code, an HTTP status, and a message that
// says what happened, why, and what to do next. Tests assert codes, never message text.

export const ERRORS = {
  CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
  // The database: cannot be opened at start (names DATABASE_URL), or went away while serving.
  DATABASE_OPEN_FAILED: { status: 500, title: 'Database cannot be opened' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'Database unavailable' },
  SITE_NOT_FOUND: { status: 404, title: 'No such site' },
  SITE_INVALID: { status: 400, title: 'Invalid site' },
  SITE_SLUG_TAKEN: { status: 409, title: 'Site already exists' },
  HOST_TAKEN: { status: 409, title: 'Host already in use' },
  SECTION_NOT_FOUND: { status: 404, title: 'No such section' },
  SECTION_INVALID: { status: 400, title: 'Invalid section' },
  ARTICLE_NOT_FOUND: { status: 404, title: 'Page not found' },
  ARTICLE_GONE: { status: 410, title: 'Story removed' },
  ARTICLE_INVALID: { status: 400, title: 'Invalid article' },
  SLUG_TAKEN: { status: 409, title: 'Slug already in use' },
  // Story editing in the admin (src/articles/editing.ts): a save based on a revision that is no longer the latest.
  EDIT_CONFLICT: { status: 409, title: 'Story changed elsewhere' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  MEDIA_NOT_FOUND: { status: 404, title: 'Image not found' },
  MEDIA_UNSUPPORTED_TYPE: { status: 415, title: 'Unsupported image type' },
  MEDIA_TOO_LARGE: { status: 413, title: 'Image too large' },
  MEDIA_INVALID: { status: 400, title: 'Invalid image' },
  MEDIA_DETAILS_INVALID: { status: 400, title: 'Check the picture details' },
  IMPORT_INVALID: { status: 400, title: 'Invalid import file' },
  NOT_FOUND: { status: 404, title: 'Page not found' },
  // A bug, not bad input: the server log has the details under the response's request id.
  INTERNAL: { status: 500, title: 'Internal error' },
  // Accounts: sign-in, sessions and request safety.
  ACCOUNT_INVALID: { status: 400, title: 'Check the form' },
  ACCOUNT_NOT_FOUND: { status: 404, title: 'No such account' },
  ACCOUNT_EXISTS: { status: 409, title: 'Account already exists' },
  LOGIN_FAILED: { status: 401, title: 'Sign-in failed' },
  EMAIL_NOT_VERIFIED: { status: 403, title: 'Email address not verified' },
  ACCOUNT_DISABLED: { status: 403, title: 'Account disabled' },
  RATE_LIMITED: { status: 429, title: 'Too many attempts' },
  ACCOUNT_LOCKED: { status: 429, title: 'Sign-in paused' },
  MAIL_RATE_LIMITED: { status: 429, title: 'Too many messages' },
  TOKEN_INVALID: { status: 400, title: 'Link not valid' },
  CSRF_REJECTED: { status: 403, title: 'Request refused' },
  LAST_SIGN_IN_METHOD: { status: 409, title: 'Last way to sign in' },
  PROVIDER_NOT_FOUND: { status: 404, title: 'Unknown sign-in provider' },
  PROVIDER_FAILED: { status: 502, title: 'Sign-in provider failed' },
  IDENTITY_TAKEN: { status: 409, title: 'Login linked elsewhere' },
  // Staff two-factor sign-in (src/accounts/two-factor.ts).
  TWO_FACTOR_CODE_INVALID: { status: 401, title: 'Code not accepted' },
  TWO_FACTOR_NOT_ENABLED: { status: 409, title: 'Two-factor sign-in not set up' },
  TWO_FACTOR_SECRET_UNREADABLE: { status: 500, title: 'Two-factor secret cannot be read' },
  PASSKEY_INVALID: { status: 400, title: 'Passkey not accepted' },
  PASSKEY_NOT_FOUND: { status: 404, title: 'No such passkey' },
  TWO_FACTOR_REQUIRED: { status: 403, title: 'Two-factor sign-in required' },
  // Wire ingest. The first group are the parsers' problem codes (src/wire/parse/types.ts WIRE_PROBLEM).
  WIRE_INVALID_JSON: { status: 400, title: 'Wire document is not valid JSON' },
  WIRE_INVALID_XML: { status: 400, title: 'Wire document is not valid XML' },
  WIRE_XML_ENTITIES: { status: 400, title: 'Wire document declares XML entities' },
  WIRE_UNKNOWN_FORMAT: { status: 415, title: 'Unknown wire format' },
  WIRE_MISSING_FIELD: { status: 400, title: 'Wire item lacks a required field' },
  WIRE_WRONG_TYPE: { status: 400, title: 'Wire field has the wrong type' },
  WIRE_INVALID_VALUE: { status: 400, title: 'Wire field has an invalid value' },
  WIRE_INVALID_DATE: { status: 400, title: 'Wire date cannot be read' },
  WIRE_TOO_LARGE: { status: 413, title: 'Wire item too large' },
  WIRE_BAD_LINK: { status: 400, title: 'Wire link refused' },
  WIRE_UNRESOLVED_REF: { status: 400, title: 'Wire reference not found' },
  WIRE_UNSAFE_MARKUP: { status: 400, title: 'Wire item contains unsafe markup' },
  WIRE_MARKUP_REMOVED: { status: 400, title: 'Markup that is not story text was removed' },
  WIRE_INTERNAL: { status: 500, title: 'Wire parser failure' },
  WIRE_AGENCY_NOT_FOUND: { status: 404, title: 'No such agency' },
  WIRE_AGENCY_INVALID: { status: 400, title: 'Invalid agency' },
  WIRE_AGENCY_TAKEN: { status: 409, title: 'Agency already exists' },
  WIRE_ROUTE_INVALID: { status: 400, title: 'Invalid routing rule' },
  WIRE_ROUTE_NOT_FOUND: { status: 404, title: 'No such routing rule' },
  WIRE_NOT_LICENSED: { status: 403, title: 'Site not licensed for this agency' },
  WIRE_TOKEN_INVALID: { status: 401, title: 'Wire API token missing or wrong' },
  WIRE_OPERATOR_DISABLED: { status: 403, title: 'Wire operator API not configured' },
  WIRE_QUEUE_NOT_FOUND: { status: 404, title: 'No such queue entry' },
  WIRE_QUEUE_DECIDED: { status: 409, title: 'Queue entry already decided' },
  WIRE_POLLER_INVALID: { status: 400, title: 'Invalid poller' },
  WIRE_POLLER_NOT_FOUND: { status: 404, title: 'No such poller' },
  WIRE_PICTURE_MISSING: { status: 502, title: 'Wire picture could not be fetched' },
  WIRE_STORY_KILLED: { status: 410, title: 'Wire story was killed' },
  WIRE_EXPIRED: { status: 410, title: 'Wire story already expired' },
  WIRE_ARTICLE_INVALID: { status: 400, title: 'Wire story breaks an article rule' },
  WIRE_EMBARGO_UNREADABLE: { status: 400, title: 'Wire embargo cannot be read' },
  WIRE_NO_ROUTE: { status: 400, title: 'No routing rule matched' },
  WIRE_SOURCE_UNREADABLE: { status: 400, title: 'Wire source cannot be read' },
  WIRE_FEED_FAILED: { status: 502, title: 'Wire feed fetch failed' },
  WIRE_BATCH_INVALID: { status: 400, title: 'Invalid wire batch' },
  WIRE_INGEST_FAILED: { status: 500, title: 'Wire item could not be stored' },
  // Outgoing requests to URLs chosen by others (wire pictures, feed pollers, webhooks): src/outbound/.
  FETCH_REFUSED: { status: 400, title: 'Address not allowed for fetching' },
  FETCH_FAILED: { status: 502, title: 'URL could not be fetched' },
  FETCH_TOO_LARGE: { status: 502, title: 'Fetched response too large' },
  // The content API and webhooks.
  API_KEY_MISSING: { status: 401, title: 'API key required' },
  API_KEY_INVALID: { status: 401, title: 'API key not valid' },
  API_KEY_FORBIDDEN: { status: 403, title: 'API key not allowed on this site' },
  API_CURSOR_INVALID: { status: 400, title: 'Invalid page cursor' },
  API_KEY_NAME_INVALID: { status: 400, title: 'Invalid API key name' },
  WEBHOOK_INVALID: { status: 400, title: 'Invalid webhook endpoint' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'No such webhook endpoint' },
  SEARCH_BUSY: { status: 503, title: 'Search busy' },
  // The newsroom admin (src/admin/).
  STAFF_SIGN_IN_REQUIRED: { status: 401, title: 'Sign in to the newsroom' },
  STAFF_ONLY: { status: 403, title: 'Not a newsroom account' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  OWNER_EXISTS: { status: 409, title: 'The network has an owner' },
  // Running the sites in the admin (src/admin/sites/, src/admin/staff/).
  BRAND_CONTRAST_LOW: { status: 400, title: 'Colours too faint to read' },
  STAFF_CHANGE_REFUSED: { status: 409, title: 'Change refused' },
  // Personal API tokens for the wire API (src/wire/personal-tokens.ts).
  PERSONAL_TOKEN_INVALID: { status: 400, title: 'Check the API token' },
  PERSONAL_TOKEN_NOT_FOUND: { status: 404, title: 'No such API token' },
  // Comments (src/comments/, core): posting, votes, reports, moderation and sanctions.
  COMMENT_INVALID: { status: 400, title: 'Check the comment' },
  COMMENT_TOO_LONG: { status: 413, title: 'Comment too long' },
  COMMENT_NOT_FOUND: { status: 404, title: 'No such comment' },
  COMMENT_GONE: { status: 410, title: 'Comment deleted' },
  COMMENT_CLOSED: { status: 409, title: 'Comments closed' },
  COMMENT_FORBIDDEN: { status: 403, title: 'Not your comment' },
  COMMENT_BANNED_WORD: { status: 422, title: 'Comment uses a banned word' },
  COMMENT_EDIT_WINDOW: { status: 409, title: 'Too late to edit' },
  COMMENT_PARENT_INVALID: { status: 400, title: 'Cannot reply to that comment' },
  MEMBER_SUSPENDED: { status: 403, title: 'Commenting suspended' },
  MEMBER_BANNED: { status: 403, title: 'Banned from commenting' },
  VOTE_OWN_COMMENT: { status: 403, title: 'Own comment' },
  VOTE_INVALID: { status: 400, title: 'Invalid vote' },
  REPORT_DUPLICATE: { status: 409, title: 'Already reported' },
  REPORT_INVALID: { status: 400, title: 'Check the report' },
  COMMENT_POLICY_INVALID: { status: 400, title: 'Invalid comment mode' },
  COMMENT_WORD_INVALID: { status: 400, title: 'Invalid word pattern' },
  COMMENT_WORD_NOT_FOUND: { status: 404, title: 'No such word entry' },
  SANCTION_INVALID: { status: 400, title: 'Check the sanction' },
  SANCTION_NOT_FOUND: { status: 404, title: 'No such sanction' },
  MEMBER_NOTE_INVALID: { status: 400, title: 'Check the note' },
  // Comment import (src/comments/import/): Disqus and WordPress exports.
  COMMENT_IMPORT_INVALID: { status: 400, title: 'Cannot import this file' },
  COMMENT_IMPORT_TOO_LARGE: { status: 413, title: 'Import file too large' },
  // Member pages and comment notices (src/comments/members/).
  NOTIFICATION_NOT_FOUND: { status: 404, title: 'No such notification' },
  NOTICE_LINK_INVALID: { status: 400, title: 'Link not valid' },
  // The reader's side of comments (src/comments/thread-routes.tsx, personal.tsx).
  COMMENT_SIGN_IN_REQUIRED: { status: 401, title: 'Log in to comment' },
  // Newsletter sending (src/newsletters/sending/), bounces and complaints (src/newsletters/feedback/).
  NEWSLETTER_ISSUE_NOT_FOUND: { status: 404, title: 'No such newsletter issue' },
  NEWSLETTER_ISSUE_STATE: { status: 409, title: 'The send cannot do that now' },
  NEWSLETTER_RENDERER_MISSING: { status: 500, title: 'Issue cannot be rendered' },
  NEWSLETTER_TEST_ADDRESS_INVALID: { status: 400, title: 'Check the test address' },
  NEWSLETTER_TEST_FAILED: { status: 502, title: 'Test mail not accepted' },
  MAIL_WEBHOOK_DISABLED: { status: 404, title: 'Mail webhooks not configured' },
  MAIL_WEBHOOK_UNAUTHORIZED: { status: 401, title: 'Webhook secret missing or wrong' },
  MAIL_WEBHOOK_INVALID: { status: 400, title: 'Notification not understood' },
  MAIL_SUPPRESSION_INVALID: { status: 400, title: 'Check the address' },
  MAIL_SUPPRESSION_NOT_FOUND: { status: 404, title: 'Address not on the suppression list' },
  // Newsletters, the reader's side (src/newsletters/lists.ts, src/newsletters/signup/).
  NEWSLETTER_INVALID: { status: 400, title: 'Check the newsletter' },
  NEWSLETTER_NOT_FOUND: { status: 404, title: 'No such newsletter' },
  NEWSLETTER_SLUG_TAKEN: { status: 409, title: 'Newsletter slug already in use' },
  NEWSLETTER_SIGNUP_INVALID: { status: 400, title: 'Check the signup form' },
  NEWSLETTER_SIGNUP_LIMITED: { status: 429, title: 'Too many signups' },
  NEWSLETTER_LINK_INVALID: { status: 400, title: 'Link not valid' },
  // Breaking alerts by web push (src/newsletters/push/): a browser's subscription that cannot be used.
  PUSH_SUBSCRIPTION_INVALID: { status: 400, title: 'Browser alerts could not be set up' },
  // Digests (src/newsletters/digests/).
  NEWSLETTER_ISSUE_LOCKED: { status: 409, title: 'Issue already on its way' },
  NEWSLETTER_TRACKING_LINK_INVALID: { status: 404, title: 'Link not valid' },
  // The admin's subscriber import (src/admin/subscribers/): a file that cannot be read, or lacks its columns.
  NEWSLETTER_IMPORT_INVALID: { status: 400, title: 'Import file not readable' },
  // Events and webinars (src/live-events/): a field that breaks a rule, an unknown event, a slug in use on the
  // site, and a listing filter (category, page) that is not one.
  EVENT_INVALID: { status: 400, title: 'Check the event' },
  EVENT_NOT_FOUND: { status: 404, title: 'No such event' },
  EVENT_SLUG_TAKEN: { status: 409, title: 'Event slug already in use' },
  EVENT_FILTER_INVALID: { status: 400, title: 'Check the event filter' },
  // Registration for events (src/live-events/registration/): the form's fields, the event's state (full,
  // not open yet, closed, cancelled), too many tries, and mailed links that are forged, used up or lapsed.
  EVENT_REGISTRATION_INVALID: { status: 400, title: 'Check the registration form' },
  EVENT_REGISTRATION_NOT_OPEN: { status: 409, title: 'Registration not open yet' },
  EVENT_REGISTRATION_CLOSED: { status: 409, title: 'Registration closed' },
  EVENT_CANCELLED: { status: 409, title: 'Event cancelled' },
  EVENT_FULL: { status: 409, title: 'Event full' },
  EVENT_REGISTRATION_LIMITED: { status: 429, title: 'Too many registrations' },
  EVENT_REGISTRATION_LINK_INVALID: { status: 404, title: 'Link not valid' },
  EVENT_CLAIM_EXPIRED: { status: 410, title: 'Offer lapsed' },
} as const;

export type ErrorName = keyof typeof ERRORS;
export type ErrorCode = `DATELINE_ERR_${ErrorName}`;

export class DatelineError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly title: string;
  /** Where in the input the problem is, e.g. { file, item, field } for imports. */
  readonly where: Record<string, string | number> | undefined;

  constructor(
    name: ErrorName,
    message: string,
    where?: Record<string, string | number>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DatelineError';
    this.code = `DATELINE_ERR_${name}`;
    this.statusCode = ERRORS[name].status;
    this.title = ERRORS[name].title;
    this.where = where;
  }
}

/** Whether a code read from outside (a stored row, another process) is one this catalogue has. */
export function isErrorCode(code: string): code is ErrorCode {
  const prefix = 'DATELINE_ERR_';
  return code.startsWith(prefix) && Object.hasOwn(ERRORS, code.slice(prefix.length));
}

export function isDatelineError(e: unknown, name?: ErrorName): e is DatelineError {
  return e instanceof DatelineError && (name === undefined || e.code === `DATELINE_ERR_${name}`);
}
