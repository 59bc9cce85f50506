/**
 * The ZIP of all profiles of a level (GET /profile/{level}.zip): streams many small files to a
 * writable (the HTTP response) with archiver, and gives each profile a readable file name.
 */
import { ZipArchive } from 'archiver';
import type { Writable } from 'node:stream';

export interface ZipEntry {
  name: string;
  content: string;
}

/**
 * Streams a ZIP of many small files (all profiles of a level) to `out`. Entries are added as
 * strings; deflate level 6 (default here) keeps ~500 HTML pages at a few MB in well under a second.
 */
export async function writeZip(
  out: Writable,
  entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
  level = 6,
): Promise<number> {
  const zip = new ZipArchive({ zlib: { level } });
  const done = new Promise<void>((resolve, reject) => {
    out.on('close', () => resolve());
    out.on('finish', () => resolve());
    zip.on('error', reject);
    out.on('error', reject);
  });
  zip.pipe(out);
  for await (const e of entries) zip.append(e.content, { name: e.name });
  await zip.finalize();
  await done;
  return zip.pointer();
}

/** A file name from an area code and name that is safe in ZIPs on every OS. */
export function profileFileName(code: string, name: string | null, ext: string): string {
  const slug = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${code}${slug ? `_${slug}` : ''}.${ext}`;
}
