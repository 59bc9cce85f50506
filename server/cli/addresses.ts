/**
 * `sozialatlas import addresses FILE --level plr`: the address register for the street search
 * (geodata/import/addresses.ts; CSV or gzip CSV with hnr, hnr_zusatz, str_name, plz, ort_name, PLR_ID)
 * with a progress bar and a one-line German report. Bad input prints the importer's message (file,
 * row, field, value) and exits non-zero; the stored register stays as it was.
 */
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { ImportError } from '../../geodata/import/errors.js';
import { ADDRESS_COLUMNS, formatAddressReport, importAddresses } from '../../geodata/import/addresses.js';
import { progressBar } from '../../geodata/import/progress.js';

/** Adds `addresses <file>` to the `import` command. */
export function registerAddressImportCli(imp: Command, openCtx: () => Promise<AppContext>): void {
  imp
    .command('addresses <file>')
    .description(
      `Adressverzeichnis für die Straßensuche (CSV, auch gzip; Spalten ${ADDRESS_COLUMNS.join(', ')}); ersetzt die Adressen der Ebene`,
    )
    .requiredOption('--level <key>', 'Ebene der Gebiete in PLR_ID, z. B. plr')
    .action(async (file: string, o: { level: string }) => {
      const ctx = await openCtx();
      const bar = progressBar('Adressen');
      try {
        const report = await importAddresses(ctx.db, file, o.level, bar.onProgress);
        bar.stop();
        console.log(formatAddressReport(report));
      } catch (e) {
        bar.stop();
        if (e instanceof ImportError) {
          console.error(`Fehler: ${e.message}`);
          console.error('Nichts wurde geschrieben.');
          process.exitCode = 1;
          return;
        }
        throw e;
      }
    });
}
