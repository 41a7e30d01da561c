// For tests: reads iCalendar text back into its content lines (RFC 5545 3.1 unfolding: a CRLF followed by
// one space or tab joins the next line to the one before), without the final empty line.
export function unfoldLines(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((l) => l !== '');
}

/** Undoes TEXT escaping (RFC 5545 3.3.11). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
