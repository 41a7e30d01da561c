// Public shapes produced by the wire parsers. Every supported agency format is normalized into these,
// so the ingester never has to know which format a story arrived in.
import type { ErrorCode } from '../../errors/catalogue.ts';

export type WireFormat = 'ninjs1' | 'ninjs2' | 'ninjs3' | 'newsml-g2' | 'rss' | 'atom';

export type PubStatus = 'usable' | 'canceled' | 'withheld';

export interface WireRendition {
  /**
   * Absolute URL. For http(s) sources this is an http(s) URL; for sources given as a file path (or a
   * `file:` URL) relative hrefs become `file:///...` URLs, never bare paths, so callers can always use
   * `new URL(href)` and check the protocol before fetching.
   */
  href: string;
  width: number | null;
  height: number | null;
  contentType: string | null;
  name: string | null;
}

export interface WirePicture {
  uri: string;
  version: string | null;
  pubstatus: PubStatus;
  /** Plain text, kept exactly as supplied apart from trimming and tag/control-character removal. */
  caption: string | null;
  /** Plain text, kept exactly as supplied apart from trimming and tag/control-character removal. */
  creditline: string | null;
  copyrightnotice: string | null;
  alt: string | null;
  renditions: WireRendition[];
}

export interface WireSubject {
  code: string;
  name: string | null;
}

export interface WireAltId {
  role: string | null;
  value: string;
}

export type WireEmbargo = { at: Date } | { unparseable: string } | null;

export interface WireItem {
  format: WireFormat;
  uri: string;
  /** Kept as the agency's string; compare with `compareVersions`, which is numeric where possible. */
  version: string | null;
  versionCreated: Date | null;
  firstCreated: Date | null;
  pubstatus: PubStatus;
  /** `{ unparseable }` means the agency sent an embargo we could not read: hold the story for an editor. */
  embargoed: WireEmbargo;
  expires: Date | null;
  /** All plain-text fields below are unescaped text: escape them when rendering. */
  headline: string;
  slugline: string | null;
  dek: string | null;
  /** Already sanitized with `sanitizeWireHtml`; safe to insert as HTML. */
  bodyHtml: string;
  byline: string | null;
  located: string | null;
  copyrightnotice: string | null;
  usageterms: string | null;
  /** Internal note to editors; never print it on a public page. */
  ednote: string | null;
  urgency: number | null;
  subjects: WireSubject[];
  keywords: string[];
  altids: WireAltId[];
  /** Normalized signal names without scheme, e.g. 'correction', 'update'. */
  signals: string[];
  pictures: WirePicture[];
  /** Absolute http(s) link to the agency's own page for the story, when the feed gives one. */
  link: string | null;
}

export const WIRE_PROBLEM = {
  invalidJson: 'DATELINE_ERR_WIRE_INVALID_JSON',
  invalidXml: 'DATELINE_ERR_WIRE_INVALID_XML',
  xmlEntities: 'DATELINE_ERR_WIRE_XML_ENTITIES',
  unknownFormat: 'DATELINE_ERR_WIRE_UNKNOWN_FORMAT',
  missingField: 'DATELINE_ERR_WIRE_MISSING_FIELD',
  wrongType: 'DATELINE_ERR_WIRE_WRONG_TYPE',
  invalidValue: 'DATELINE_ERR_WIRE_INVALID_VALUE',
  invalidDate: 'DATELINE_ERR_WIRE_INVALID_DATE',
  tooLarge: 'DATELINE_ERR_WIRE_TOO_LARGE',
  badLink: 'DATELINE_ERR_WIRE_BAD_LINK',
  unresolvedRef: 'DATELINE_ERR_WIRE_UNRESOLVED_REF',
  /**
   * Active content (scripts, event handlers, script URLs, frames, forms, plugins) was removed; the cleaned
   * item is still returned, and the ingester refuses it.
   */
  unsafeMarkup: 'DATELINE_ERR_WIRE_UNSAFE_MARKUP',
  /** Markup that is not story text (styles, comments, a document head) was removed; the item is fine. */
  markupRemoved: 'DATELINE_ERR_WIRE_MARKUP_REMOVED',
  /** A bug in the parser itself; reported instead of thrown so one item cannot stop a batch. */
  internal: 'DATELINE_ERR_WIRE_INTERNAL',
} as const satisfies Record<string, ErrorCode>;

export type WireProblemCode = (typeof WIRE_PROBLEM)[keyof typeof WIRE_PROBLEM];

export interface ParseProblem {
  /** The `source` the caller passed: file path or URL. */
  file: string;
  /** The item's uri/guid when known, else its position in the document like '#3' (0-based), else null. */
  item: string | null;
  /** The field as named in the source document (e.g. 'headlines', 'bodies[0].value'), or null. */
  field: string | null;
  code: WireProblemCode;
  /**
   * 'error': the item (or, when `item` is null, the whole document) was NOT returned.
   * 'warning': this value was ignored, defaulted or cleaned; the item is still returned unless another
   * problem for the same item is an error.
   */
  severity: 'error' | 'warning';
  /** What happened, why, and what to do about it. */
  message: string;
  /**
   * For unsafeMarkup and markupRemoved: what the sanitiser removed, e.g. "a ‹script› element",
   * "2 HTML comments" (fixed wording, never feed text).
   */
  found?: string[];
}

export interface ParseResult {
  items: WireItem[];
  problems: ParseProblem[];
}

export interface ParseOptions {
  /** File path or URL of the document; used in problem reports and to resolve relative hrefs. */
  source: string;
  /** Largest accepted body, in UTF-8 bytes. Defaults to 5 MB. */
  maxBodyBytes?: number;
}
