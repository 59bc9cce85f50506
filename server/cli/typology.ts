/**
 * `sozialatlas typology`: the typology service on the command line (same validation, same
 * worker, same storage as POST /api/typologies). --json prints the stored run with the keys
 * runId, params, dropped, standardization, explainedVariance, loadings, byK, chosenK, types,
 * members (and more). The flags are mapped to the API's request object and parsed with its schema
 * (defaults included), so bad input prints the API's message and exits with code 2.
 */
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { guarded } from './guard.js';
import { createTypology, parseTypologyRequest } from '../services/typology.js';
import { numberFlag, pcaFlag, rangeFlag } from './flags.js';
import { TYPOLOGY_DEFAULTS as D } from '../../analysis/typology-defaults.js';
import { formatDecimal } from '../../analysis/number-format.js';

const de = (v: number | null | undefined, digits = 3) => formatDecimal(v, digits);

export function registerTypologyCli(program: Command, openCtx: () => Promise<AppContext>): void {
  program
    .command('typology')
    .description('Sozialraumtypisierung: Standardisierung, Hauptkomponenten, k-Means, Typen in Klartext, Stabilität')
    .requiredOption('--level <key>', 'Ebene, z. B. plr')
    .requiredOption('--period <YYYY-MM-DD>', 'Zeitraum')
    .requiredOption('--indicators <a,b,c>', 'Indikatoren, durch Komma getrennt')
    .option(
      '--standardize <method>',
      `z | robust | minmax (z: Standardabweichung der Grundgesamtheit, ddof 0; Standard ${D.standardize})`,
    )
    .option('--pca <rule>', `none | kaiser | N | Anteil wie 0.8 (Standard ${D.pca})`)
    .option('--rotation <r>', `none | varimax (Standard ${D.rotation})`)
    .option('--cluster-on <space>', `z | pcs (Standard ${D.clusterOn})`)
    .option('--k <n>', 'feste Typenzahl (sonst der Vorschlag aus dem Bereich)')
    .option('--k-range <a..b>', `Bereich für die Gütemaße (Standard ${D.kRange[0]}..${D.kRange[1]})`)
    .option('--restarts <n>', `k-Means-Neustarts je k (Standard ${D.restarts})`)
    .option('--seed <n>', `Startwert des Zufallsgenerators (Standard ${D.seed})`)
    .option('--bootstrap <n>', `Bootstrap-Stichproben für die Stabilität, 0 = aus (Standard ${D.bootstrap})`)
    .option('--impute-mean', 'fehlende Werte durch den Mittelwert ersetzen statt Gebiete auszuschließen')
    .option('--align-polarity', 'Indikatoren mit Polarität −1 umdrehen (höher = mehr Bedarf)')
    .option('--json', 'Ergebnis als JSON ausgeben')
    .action(
      async (o: {
        level: string;
        period: string;
        indicators: string;
        standardize?: string;
        pca?: string;
        rotation?: string;
        clusterOn?: string;
        k?: string;
        kRange?: string;
        restarts?: string;
        seed?: string;
        bootstrap?: string;
        imputeMean?: boolean;
        alignPolarity?: boolean;
        json?: boolean;
      }) =>
        guarded(async () => {
          // Flags → the API's request object; the schema fills the defaults and names a bad value.
          const req = parseTypologyRequest({
            level: o.level,
            period: o.period,
            indicators: o.indicators,
            standardize: o.standardize,
            pca: pcaFlag(o.pca),
            rotation: o.rotation,
            clusterOn: o.clusterOn,
            k: numberFlag(o.k),
            kRange: rangeFlag(o.kRange),
            restarts: numberFlag(o.restarts),
            seed: numberFlag(o.seed),
            bootstrap: numberFlag(o.bootstrap),
            missing: o.imputeMean ? 'impute-mean' : undefined,
            alignPolarity: o.alignPolarity,
          });
          const ctx = await openCtx();
          const showProgress = !o.json && process.stderr.isTTY;
          const out = await createTypology(
            ctx,
            req,
            showProgress
              ? (f, stage) => process.stderr.write(`\r${Math.round(f * 100)} % ${stage}          `)
              : undefined,
          );
          if (showProgress) process.stderr.write('\n');
          if (o.json) {
            process.stdout.write(JSON.stringify(out, null, 2) + '\n');
            return;
          }
          const w = (s: string) => process.stdout.write(s + '\n');
          w(
            `Lauf ${out.runId}: ${out.n} Gebiete (${out.level}, ${out.period}), ${out.params.indicators.join(', ')}; ${out.standardization.note}`,
          );
          if (out.dropped.length)
            w(`Ausgeschlossen: ${out.dropped.length} (${out.dropped.map((d) => `${d.code}: ${d.reason}`).join('; ')})`);
          for (const warning of out.warnings) w(`Hinweis: ${warning}`);
          w('k  Inertia     Silhouette  CH        DB');
          for (const r of out.byK)
            w(
              `${String(r.k).padEnd(2)} ${de(r.inertia, 2).padEnd(11)} ${de(r.silhouette).padEnd(11)} ${de(r.calinskiHarabasz, 1).padEnd(9)} ${de(r.daviesBouldin)}`,
            );
          w(out.suggestion.reasons.join('\n'));
          w(`Gewählt: k = ${out.chosenK}`);
          for (const t of out.types)
            w(
              `${t.label} — ${t.size} Gebiete, Stabilität ${de(t.stability, 2)}${t.unstable ? ' (instabil)' : ''}: ${t.description}`,
            );
        }),
    );
}
