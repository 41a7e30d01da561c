// The bounce and complaint webhooks: POST /_mail/feedback/<provider> for generic JSON, Amazon SES via SNS
// and Postmark (formats.ts). A provider proves itself with the shared secret DATELINE_MAIL_WEBHOOK_SECRET,
// in the URL (/_mail/feedback/<provider>/<secret>, for providers that only take a URL), in an
// X-Dateline-Webhook-Secret header, or as the password of HTTP Basic auth (Postmark's webhook URLs); it is
// compared in constant time. No secret configured: the endpoints answer 404. These requests carry no
// cookies and no CSRF token: the secret is the proof. SNS's topic confirmation is logged with its URL for
// the operator to open (the server fetches nothing on a provider's say-so).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DatelineError } from '../../errors/catalogue.ts';
import { PROVIDERS, type Provider, parseFeedback } from './formats.ts';
import type { SuppressionList } from './suppressions.ts';

export const FEEDBACK_PATH = '/_mail/feedback';

export interface FeedbackRouteOptions {
  suppressions: SuppressionList;
  secret: string | null;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function presented(req: FastifyRequest<{ Params: { secret?: string } }>): string | null {
  if (req.params.secret) return req.params.secret;
  const header = req.headers['x-dateline-webhook-secret'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return null;
}

export async function feedbackRoutes(app: FastifyInstance, o: FeedbackRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    // SNS posts its JSON as text/plain.
    scope.addContentTypeParser(
      'text/plain',
      { parseAs: 'string', bodyLimit: 262_144 },
      (_req, body, done) => {
        try {
          done(null, JSON.parse(String(body)));
        } catch {
          done(new DatelineError('MAIL_WEBHOOK_INVALID', 'The body is not JSON.'), undefined);
        }
      },
    );
    const handler = async (
      req: FastifyRequest<{ Params: { provider: string; secret?: string } }>,
    ): Promise<Record<string, unknown>> => {
      if (!o.secret)
        throw new DatelineError(
          'MAIL_WEBHOOK_DISABLED',
          'Bounce and complaint webhooks are off: set DATELINE_MAIL_WEBHOOK_SECRET to turn them on.',
        );
      const given = presented(req);
      if (given === null || !same(given, o.secret))
        throw new DatelineError('MAIL_WEBHOOK_UNAUTHORIZED', 'The webhook secret is missing or wrong.');
      const provider = req.params.provider as Provider;
      if (!(PROVIDERS as readonly string[]).includes(provider))
        throw new DatelineError(
          'MAIL_WEBHOOK_INVALID',
          `Unknown provider "${String(req.params.provider).slice(0, 40)}": use ${PROVIDERS.join(', ')}.`,
        );
      const parsed = parseFeedback(provider, req.body);
      if (parsed.subscribeUrl) {
        req.log.warn(
          { subscribeUrl: parsed.subscribeUrl, topic: (req.body as { TopicArn?: string }).TopicArn },
          'Amazon SNS asks to confirm the bounce topic subscription: open the subscribeUrl once to confirm it',
        );
      }
      let recorded = 0;
      let duplicates = 0;
      let suppressed = 0;
      for (const e of parsed.events) {
        const r = await o.suppressions.record(e);
        if (r.duplicate) duplicates++;
        else recorded++;
        if (r.suppressed) suppressed++;
      }
      return { recorded, duplicates, suppressed, ignored: parsed.ignored };
    };
    const opts = { bodyLimit: 1_048_576 };
    scope.post<{ Params: { provider: string } }>(`${FEEDBACK_PATH}/:provider`, opts, handler);
    scope.post<{ Params: { provider: string; secret: string } }>(
      `${FEEDBACK_PATH}/:provider/:secret`,
      opts,
      handler,
    );
  });
}
