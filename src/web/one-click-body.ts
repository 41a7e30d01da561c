// The body of an RFC 8058 one-click POST (`List-Unsubscribe=One-Click`), which mail clients send urlencoded
// or as multipart/form-data (§3.1). The app registers no multipart parser outside the admin's upload routes
// (src/admin/media/upload-form.ts), so a scope holding one-click routes installs this small one: the body
// read as text (8 KB at most) under `multipart`, for oneClickAsked to look in.
import type { FastifyInstance } from 'fastify';

export function acceptOneClickMultipart(scope: FastifyInstance): void {
  if (scope.hasContentTypeParser('multipart/form-data')) scope.removeContentTypeParser('multipart/form-data');
  scope.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'string', bodyLimit: 8192 },
    (_req, body, done) => done(null, { multipart: String(body) }),
  );
}

/** Whether a parsed body (urlencoded, or multipart as above) carries List-Unsubscribe=One-Click. */
export function oneClickAsked(body: unknown): boolean {
  const b = body as Record<string, unknown> | undefined;
  return (
    b?.['List-Unsubscribe'] === 'One-Click' ||
    /name="List-Unsubscribe"\s*\r?\n\r?\nOne-Click/i.test(String(b?.multipart ?? ''))
  );
}
