// `dateline user create|list|role|disable|enable`: manage accounts from the shell, starting with the
// network's first owner. Staff are ordinary accounts with roles; there is no second user system.

import { createInterface } from 'node:readline';
import { ROLES, type RoleName } from '../accounts/repository.ts';
import type { Runtime } from '../runtime.ts';
import { configuredUrls, hostOrigin, siteOrigin } from '../sites/urls.ts';
import { type Command, EXIT, parse, showHelp, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const USAGE = `Usage:
  dateline user create --email EMAIL [--name NAME] [--role ROLE [--site SLUG]] [--password-stdin]
  dateline user list [--role ROLE] [--json]
  dateline user role EMAIL --add ROLE|--remove ROLE [--site SLUG]
  dateline user disable EMAIL
  dateline user enable EMAIL

Roles: ${ROLES.join(', ')}. Without --site a role holds on every site; owner is always network-wide.
create marks the email as verified. Without --password-stdin it prints a one-time link (valid 24 hours)
where the new account sets its own password.`;

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  site: { type: 'string' },
  add: { type: 'string' },
  remove: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function role(v: string | undefined): RoleName {
  if (!v || !(ROLES as readonly string[]).includes(v))
    throw new UsageError(`Unknown role "${v}". Roles: ${ROLES.join(', ')}.\n\n${USAGE}`);
  return v as RoleName;
}

async function siteId(rt: Runtime, slug: string | undefined): Promise<number | null> {
  return slug === undefined ? null : (await rt.sites.require(slug)).id;
}

async function readStdin(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) return line;
  return '';
}

export const userCommand: Command = {
  name: 'user',
  summary: 'Create accounts, list them, change roles, disable',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parse(argv, OPTIONS, USAGE);
    if (values.help) return showHelp(USAGE);
    const [action, email] = positionals;
    switch (action) {
      case 'create': {
        if (!values.email) throw new UsageError(`user create needs --email.\n\n${USAGE}`);
        const grant = values.role ? role(values.role) : null;
        const password = values['password-stdin'] ? await readStdin() : undefined;
        return withRuntime(async (rt) => {
          const sid = await siteId(rt, values.site);
          const user = await rt.accounts.createUser({
            email: values.email!,
            displayName: values.name ?? values.email!.split('@')[0]!,
            password,
            roles: grant ? [{ role: grant, siteId: sid }] : [],
          });
          console.log(`Created account ${user.id} for ${user.email}${grant ? ` with role ${grant}` : ''}.`);
          if (password === undefined) {
            const ctx =
              (sid !== null ? rt.directory.byIdOrUndefined(sid) : undefined) ?? rt.directory.all()[0];
            const origin = ctx
              ? siteOrigin(configuredUrls(rt.config), ctx.site)
              : hostOrigin(configuredUrls(rt.config), 'localhost');
            console.log(
              `Set the password here (valid for 24 hours, once): ${await rt.accounts.passwordSetupLink(user.id, origin, ctx?.site.id ?? null)}`,
            );
          }
          return EXIT.ok;
        });
      }
      case 'list':
        return withRuntime(async (rt) => {
          const users = await rt.accounts.list({ role: values.role ? role(values.role) : undefined });
          const sites = new Map(rt.directory.all().map((c) => [c.site.id, c.site.slug]));
          const roles = (u: (typeof users)[number]) =>
            u.roles
              .map((r) => (r.siteId === null ? r.role : `${r.role}@${sites.get(r.siteId) ?? r.siteId}`))
              .join(',') || 'reader';
          if (values.json) console.log(JSON.stringify(users, null, 2));
          else if (users.length === 0)
            console.log(
              'No accounts yet. Create the first owner with: dateline user create --email … --role owner',
            );
          else {
            for (const u of users) {
              console.log(
                `${String(u.id).padEnd(6)} ${(u.email ?? '(no email)').padEnd(32)} ${u.status.padEnd(9)} ${roles(u).padEnd(24)} ${u.displayName}`,
              );
            }
          }
          return EXIT.ok;
        });
      case 'role': {
        if (!email || (!values.add && !values.remove) || (values.add && values.remove)) {
          throw new UsageError(
            `user role needs an EMAIL and one of --add ROLE or --remove ROLE.\n\n${USAGE}`,
          );
        }
        const r = role(values.add ?? values.remove);
        return withRuntime(async (rt) => {
          const user = await rt.accounts.requireByEmail(email);
          await rt.accounts.setRole(
            user.id,
            { role: r, siteId: await siteId(rt, values.site) },
            Boolean(values.add),
          );
          console.log(
            `${values.add ? 'Gave' : 'Removed'} ${r}${values.site ? ` on ${values.site}` : ''} ${values.add ? 'to' : 'from'} ${user.email}.`,
          );
          return EXIT.ok;
        });
      }
      case 'disable':
      case 'enable': {
        if (!email) throw new UsageError(`user ${action} needs an EMAIL.\n\n${USAGE}`);
        return withRuntime(async (rt) => {
          const user = await rt.accounts.requireByEmail(email);
          await rt.accounts.setDisabled(user.id, action === 'disable');
          console.log(
            action === 'disable' ? `Disabled ${user.email}; every session ended.` : `Enabled ${user.email}.`,
          );
          return EXIT.ok;
        });
      }
      default:
        throw new UsageError(
          `${action ? `Unknown action "${action}". ` : ''}user takes create, list, role, disable or enable.\n\n${USAGE}`,
        );
    }
  },
};
