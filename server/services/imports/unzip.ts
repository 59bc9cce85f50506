/**
 * A zipped Shapefile as municipal GIS offices send it: the entries of a ZIP archive (stored or
 * deflated, PKWARE APPNOTE 4.3), read from the central directory with node:zlib. Only what a
 * Shapefile needs; no encryption, no ZIP64, no multi-disk archives (each is an ImportError in German).
 */
import { inflateRawSync } from 'node:zlib';
import { ImportError } from '../../../geodata/import/errors.js';

/** Uncompressed bytes allowed per archive (a zip bomb stops here, not in memory). */
export const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

export interface ZipEntry {
  name: string;
  bytes: Buffer;
}

export function unzip(data: Uint8Array, file: string): ZipEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    throw new ImportError('kein lesbares ZIP-Archiv (Inhaltsverzeichnis fehlt); ist es abgeschnitten?', { file });
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      throw new ImportError('das Inhaltsverzeichnis des ZIP-Archivs ist beschädigt', { file });
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue; // a folder
    if (flags & 0x1) throw new ImportError('das ZIP-Archiv ist verschlüsselt', { file, value: name });
    if (compressed === 0xffffffff || size === 0xffffffff)
      throw new ImportError('ZIP64-Archive werden nicht unterstützt; bitte als normales ZIP packen', { file });
    total += size;
    if (total > MAX_UNZIPPED_BYTES)
      throw new ImportError(`das ZIP-Archiv entpackt sich zu mehr als ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB`, {
        file,
      });
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50)
      throw new ImportError('ein Eintrag des ZIP-Archivs ist beschädigt', { file, value: name });
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    let bytes: Buffer;
    try {
      if (method === 0) bytes = Buffer.from(raw);
      else if (method === 8) bytes = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      else throw new Error(`Kompressionsverfahren ${method}`);
    } catch (e) {
      throw new ImportError(`ein Eintrag des ZIP-Archivs ist nicht lesbar (${e instanceof Error ? e.message : e})`, {
        file,
        value: name,
      });
    }
    entries.push({ name, bytes });
  }
  return entries;
}
