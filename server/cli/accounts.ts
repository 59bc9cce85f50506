/**
 * `sozialatlas accounts add NAME --role R` (password from a prompt without echo, or with
 * --password-stdin from standard input), `accounts list` and `accounts token NAME --label L
 * --days N` (prints the new personal API token once), on the local database like every other
 * command; the same services and request schemas as the API (services/accounts*.ts). Also the
 * first admin at `serve` (firstAdminAtStart): from SOZIALATLAS_ADMIN_USER/_PASSWORD, or the
 * one-time setup link, printed once.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { AccountCreateBody, TokenCreateBody } from '../services/accounts-schemas.js';
import { accountByName, createAccount, listAccounts } from '../services/accounts.js';
import { createApiToken } from '../services/accounts-tokens.js';
import { ensureFirstAdmin, SETUP_HOURS } from '../services/accounts-setup.js';
import { numberFlag } from './flags.js';
import { guarded } from './guard.js';
import { badRequest } from '../http/errors.js';

/** Where a new password comes from: standard input (--password-stdin) or an interactive prompt. */
export type PasswordReader = (fromStdin: boolean) => Promise<string>;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  if (!process.stdin.isTTY)
    return Promise.reject(badRequest('Kein Terminal für die Passwortabfrage: --password-stdin verwenden'));
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput(s: string): void };
  let asked = false;
  out._writeToOutput = (s: string) => {
    if (!asked) {
      asked = true;
      process.stderr.write(s);
    }
  };
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    }),
  );
}

const defaultReader: PasswordReader = async (fromStdin) => {
  if (fromStdin) return readStdin();
  const first = await prompt('Passwort: ');
  const second = await prompt('Passwort wiederholen: ');
  if (first !== second) throw badRequest('Die Passwörter stimmen nicht überein');
  return first;
};

/** accounts add | list | token. */
export function registerAccountsCli(
  program: Command,
  openCtx: () => Promise<AppContext>,
  readPassword: PasswordReader = defaultReader,
): void {
  const accounts = program
    .command('accounts')
    .description('Konten und Rollen (viewer, editor, admin) in der lokalen Datenbank');
  accounts
    .command('add <name>')
    .description('Legt ein Konto an; das Passwort wird abgefragt (oder mit --password-stdin gelesen)')
    .requiredOption('--role <role>', 'viewer, editor oder admin')
    .option('--password-stdin', 'Passwort von der Standardeingabe lesen (für Skripte)')
    .action(async (name: string, o: { role: string; passwordStdin?: boolean }) => {
      await guarded(async () => {
        // name and role first, so a typo is named before the password is asked for
        parseOr400(AccountCreateBody.pick({ name: true, role: true }), { name, role: o.role }, 'Angaben');
        const password = await readPassword(o.passwordStdin === true);
        const body = parseOr400(AccountCreateBody, { name, role: o.role, password }, 'Angaben');
        const ctx = await openCtx();
        const account = await createAccount(ctx.db, body);
        console.log(`Konto '${account.name}' (${account.role}) angelegt, id ${account.id}`);
      });
    });
  accounts
    .command('list')
    .description('Listet die Konten (ohne Passwörter)')
    .option('--json', 'als JSON ausgeben')
    .action(async (o: { json?: boolean }) => {
      const ctx = await openCtx();
      const rows = await listAccounts(ctx.db);
      if (o.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log('Noch keine Konten');
      else
        console.table(
          rows.map((a) => ({
            id: a.id,
            name: a.name,
            rolle: a.role,
            gesperrt: a.disabled ? 'ja' : 'nein',
            angelegt: a.created,
          })),
        );
    });
  accounts
    .command('token <name>')
    .description('Legt ein persönliches API-Token des Kontos an und zeigt es dieses eine Mal')
    .requiredOption('--label <text>', 'wofür das Token ist, z. B. "Import-Skript"')
    .option('--days <n>', 'gültig für N Tage (Standard 90)')
    .action(async (name: string, o: { label: string; days?: string }) => {
      await guarded(async () => {
        const body = parseOr400(TokenCreateBody, { label: o.label, days: numberFlag(o.days) }, 'Angaben');
        const ctx = await openCtx();
        const account = await accountByName(ctx.db, name);
        if (account.role === 'viewer')
          throw badRequest(`Konto '${name}' hat die Rolle viewer: API-Tokens brauchen editor oder admin`);
        const created = await createApiToken(ctx.db, account.id, body.label, body.days);
        process.stderr.write(
          `Token '${created.label}' für '${account.name}' (${account.role}), gültig bis ${created.expires}. Es wird nur jetzt angezeigt:\n`,
        );
        console.log(created.token);
      });
    });
}

/**
 * At `serve`: the first admin from the environment, or the setup link. Returns the text to print
 * once the server listens (null when accounts exist).
 */
export async function firstAdminAtStart(ctx: AppContext): Promise<string | null> {
  const result = await ensureFirstAdmin(ctx.db, ctx.config);
  if (result.kind === 'created') {
    ctx.log.info(`Admin-Konto '${result.name}' aus SOZIALATLAS_ADMIN_USER angelegt`);
    return null;
  }
  if (result.kind === 'exists') return null;
  return (
    `\nNoch kein Konto: das erste Admin-Konto mit diesem Link einrichten (einmalig, ${SETUP_HOURS} h gültig):\n` +
    `${result.url}\n` +
    'Oder SOZIALATLAS_ADMIN_USER und SOZIALATLAS_ADMIN_PASSWORD setzen, oder `sozialatlas accounts add NAME --role admin`.\n'
  );
}
