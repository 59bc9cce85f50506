/**
 * `sozialatlas import indicators FILE … --server URL --token T`: sends the file to a running
 * server instead of opening the local database, so nobody has to stop the service to load data.
 * The same steps as the "Daten" view: upload (preview), the CLI's options as settings (PATCH),
 * then commit — the server runs the CLI's own import code. Prints the same report, or every
 * problem of the preview and "Nichts wurde geschrieben." with exit code 1.
 */
import { basename } from 'node:path';
import { readInputBytes } from '../../geodata/import/sniff.js';
import { ImportError } from '../../geodata/import/index.js';
import type { ImportCommitResult, ImportPreview } from '../api-types-imports.js';
import type { ImportSettings } from '../services/imports/schemas.js';

/** The CLI's indicator options, as given on the command line. */
export interface RemoteIndicatorOptions {
  level: string;
  codeField: string;
  period?: string;
  columns?: string[];
  missing?: string[];
  delimiter?: string;
  decimal?: '.' | ',';
}

/** What went wrong on the server, in German, for the CLI to print. */
export class RemoteImportError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

/** Uploads, previews with the given options and commits; answers the commit's report. */
export async function importIndicatorsRemote(
  file: string,
  o: RemoteIndicatorOptions,
  server: { url: string; token: string },
): Promise<ImportCommitResult> {
  const bytes = await readInputBytes(file);
  const base = server.url.replace(/\/+$/, '');
  const call = async <T>(method: string, path: string, body?: Uint8Array | object): Promise<T> => {
    const raw = body instanceof Uint8Array;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${server.token}`,
          ...(body === undefined ? {} : { 'Content-Type': raw ? 'application/octet-stream' : 'application/json' }),
        },
        body:
          body === undefined ? undefined : raw ? new Blob([new Uint8Array(body as Uint8Array)]) : JSON.stringify(body),
      });
    } catch (e) {
      throw new RemoteImportError(
        `Server ${base} nicht erreichbar (${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)})`,
      );
    }
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok)
      throw new RemoteImportError(`Server antwortet ${res.status}: ${json?.error?.message ?? res.statusText}`);
    return json as T;
  };
  const name = basename(file);
  const query = new URLSearchParams({
    name,
    level: o.level,
    codeField: o.codeField,
    ...(o.period ? { period: o.period } : {}),
  });
  const uploaded = await call<ImportPreview>('POST', `/api/imports?${query}`, bytes);
  const settings: ImportSettings = {
    level: o.level,
    codeField: o.codeField,
    ...(o.period ? { period: o.period } : {}),
    ...(o.missing ? { missing: o.missing } : {}),
    ...(o.delimiter ? { delimiter: o.delimiter } : {}),
    // The CLI's default decimal mark is '.', the view's is detected: the CLI keeps its own.
    decimal: o.decimal ?? '.',
    ...(o.columns
      ? {
          columns: Object.fromEntries(
            uploaded.header.filter((h) => h !== o.codeField).map((h) => [h, o.columns!.includes(h) ? h : null]),
          ),
        }
      : {}),
  };
  const preview = await call<ImportPreview>('PATCH', `/api/imports/${uploaded.id}`, settings);
  const errors = preview.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  if (errors.length > 0) throw new RemoteImportError(errors[0], errors);
  return call<ImportCommitResult>('POST', `/api/imports/${preview.id}/commit`);
}

/** The CLI's report line for a remote commit ("file: n Werte (Ebene x), a neu, r ersetzt" and hints). */
export function formatRemoteReport(r: ImportCommitResult, server: string): string {
  const lines = [
    `${r.report.file}: ${r.report.total} Werte${r.report.level ? ` (Ebene ${r.report.level})` : ''}, ${r.report.added} neu, ${r.report.replaced} ersetzt`,
    `auf ${server} als Import ${r.entry.id} (rückgängig: in der Ansicht "Daten" oder DELETE /api/imports/${r.entry.id})`,
  ];
  for (const w of r.report.warnings) lines.push(`Hinweis: ${w}`);
  return lines.join('\n');
}

/** Runs the remote import for the CLI: report on stdout, problems on stderr with exit code 1. */
export async function runRemoteImport(
  file: string,
  o: RemoteIndicatorOptions,
  server: { url: string; token: string },
): Promise<void> {
  try {
    console.log(formatRemoteReport(await importIndicatorsRemote(file, o, server), server.url));
  } catch (e) {
    if (e instanceof RemoteImportError || e instanceof ImportError) {
      const all = e instanceof RemoteImportError && e.problems.length > 0 ? e.problems : [e.message];
      for (const m of all) console.error(`Fehler: ${m}`);
      console.error('Nichts wurde geschrieben.');
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
