// The one catalogue of errors Dateline raises on purpose: a stable code, an HTTP status, and a message that
// says what happened, why, and what to do next. Tests assert codes, never message text.

export const ERRORS = {
  CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
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
  PAGE_OUT_OF_RANGE: { status: 404, title: 'Page not found' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  MEDIA_NOT_FOUND: { status: 404, title: 'Image not found' },
  MEDIA_UNSUPPORTED_TYPE: { status: 415, title: 'Unsupported image type' },
  MEDIA_TOO_LARGE: { status: 413, title: 'Image too large' },
  MEDIA_INVALID: { status: 400, title: 'Invalid image' },
  IMPORT_INVALID: { status: 400, title: 'Invalid import file' },
  NOT_FOUND: { status: 404, title: 'Page not found' },
} as const;

export type ErrorName = keyof typeof ERRORS;
export type ErrorCode = `DATELINE_ERR_${ErrorName}`;

export class DatelineError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly title: string;
  /** Where in the input the problem is, e.g. { file, item, field } for imports. */
  readonly where: Record<string, string | number> | undefined;

  constructor(name: ErrorName, message: string, where?: Record<string, string | number>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatelineError';
    this.code = `DATELINE_ERR_${name}`;
    this.statusCode = ERRORS[name].status;
    this.title = ERRORS[name].title;
    this.where = where;
  }
}

export function isDatelineError(e: unknown, name?: ErrorName): e is DatelineError {
  return e instanceof DatelineError && (name === undefined || e.code === `DATELINE_ERR_${name}`);
}
