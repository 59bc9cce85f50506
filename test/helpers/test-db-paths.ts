import { fileURLToPath } from 'node:url';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../test-results/.db', import.meta.url));

/** Template database names on the server, derived from the DATABASE_URL database name. */
export function templateNames(url: string): { empty: string; sample: string; base: string } {
  const base = new URL(url).pathname.replace(/^\//, '') || 'sozialatlas_test';
  return { base, empty: `${base}_tpl_empty`, sample: `${base}_tpl_sample` };
}

/** Connection to the maintenance database 'postgres' on the same server. */
export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}
