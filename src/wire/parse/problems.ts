// Collects ParseProblems for one document. Parsers report through this instead of throwing, so one bad
// item never stops the rest of a batch and every report names the file and item it belongs to.

import type { ParseProblem, WireProblemCode } from './types.ts';

// Messages and field paths quote feed content (and V8's JSON errors quote the input), and they end up in
// logs and admin screens; angle brackets are swapped for look-alikes so no report ever carries markup.
function inert(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›');
}

const ITEM_SKIPPED = 'The item was skipped; the rest of the document was still read.';
const FIELD_DROPPED = 'This value was ignored.';

export class ProblemLog {
  readonly problems: ParseProblem[] = [];

  constructor(readonly file: string) {}

  /** A problem with the document as a whole: nothing in it could be read. */
  document(code: WireProblemCode, message: string, field: string | null = null): void {
    this.problems.push({
      file: this.file,
      item: null,
      field: field === null ? null : inert(field),
      code,
      severity: 'error',
      message: `${this.file}: ${inert(message)}`,
    });
  }

  forItem(label: string): ItemProblems {
    return new ItemProblems(this, label);
  }
}

/** Problems for one item; remembers whether any of them means the item must be skipped. */
export class ItemProblems {
  private errors = 0;
  private readonly fields: string[] = [];

  constructor(
    private readonly log: ProblemLog,
    /** uri/guid once known, else '#index'. */
    public label: string,
  ) {}

  get failed(): boolean {
    return this.errors > 0;
  }

  /** Whether a problem was already reported for `field` or anything inside it ('headlines[0].value'). */
  reported(field: string): boolean {
    return this.fields.some(
      (seen) => seen === field || seen.startsWith(`${field}[`) || seen.startsWith(`${field}.`),
    );
  }

  /** The item cannot be used; `message` should say what is wrong and what the agency should fix. */
  error(code: WireProblemCode, field: string | null, message: string): void {
    this.errors++;
    this.push(code, field, 'error', `${message} ${ITEM_SKIPPED}`);
  }

  /** `field` was ignored or cleaned; on its own this does not stop the item being returned. */
  warn(code: WireProblemCode, field: string | null, message: string): void {
    this.push(code, field, 'warning', `${message} ${FIELD_DROPPED}`);
  }

  /**
   * A warning whose message already says what was done (e.g. one picture dropped); `found` lists what the
   * sanitiser found, in its own fixed wording, for callers that act on it.
   */
  note(code: WireProblemCode, field: string | null, message: string, found?: readonly string[]): void {
    this.push(code, field, 'warning', message, found);
  }

  private push(
    code: WireProblemCode,
    field: string | null,
    severity: 'error' | 'warning',
    message: string,
    found?: readonly string[],
  ): void {
    if (field !== null) this.fields.push(field);
    this.log.problems.push({
      file: this.log.file,
      item: inert(this.label),
      field: field === null ? null : inert(field),
      code,
      severity,
      message: `${this.log.file} ${inert(this.label)}: ${inert(message)}`,
      ...(found !== undefined && { found: [...found] }),
    });
  }
}
