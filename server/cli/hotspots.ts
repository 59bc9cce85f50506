/**
 * `sozialatlas hotspots` and `sozialatlas weights`: the hotspot service on the command line.
 * The flags are mapped to the API's request objects and parsed with its schemas
 * (services/hotspot-request.ts), so bad input prints the same message as the API and exits with
 * code 2.
 */
import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { guarded } from './guard.js';
import { runHotspots } from '../services/hotspots.js';
import { levelWeights, parseWeightsSpec } from '../services/weights.js';
import { parseHotspotRequest, weightsQuery } from '../services/hotspot-request.js';
import { parseOr400 } from '../http/validate.js';
import { numberFlag } from './flags.js';
import { HOTSPOT_DEFAULTS } from '../../analysis/hotspot-defaults.js';
import { formatDecimal } from '../../analysis/number-format.js';

const fmt = (v: number | null, d = 3) => formatDecimal(v, d);

export function registerHotspotsCli(program: Command, openCtx: () => Promise<AppContext>): void {
  program
    .command('hotspots')
    .description(
      "Räumliche Häufungen eines Indikators: Moran's I, lokales Moran (LISA), Getis-Ord Gi*, Hotspot-Klassen",
    )
    .requiredOption('--level <key>', 'Ebene')
    .requiredOption('--period <YYYY-MM-DD>', 'Zeitraum')
    .requiredOption(
      '--indicator <key>',
      'Indikator, pc1:A,B,C (erste Hauptkomponente der z-Werte) oder typology:<Lauf-Id> (Bedarfswert des Typs)',
    )
    .option(
      '--weights <type>',
      `queen | queen:snap=<m> | rook | knn:<k> | distance:<m> (Standard ${HOTSPOT_DEFAULTS.weights})`,
    )
    .option('--permutations <n>', `Permutationen, höchstens 99 999 (Standard ${HOTSPOT_DEFAULTS.permutations})`)
    .option('--seed <n>', `Startwert des Zufallsgenerators (Standard ${HOTSPOT_DEFAULTS.seed})`)
    .option('--correction <c>', `fdr | bonferroni | none (Standard ${HOTSPOT_DEFAULTS.correction})`)
    .option('--alpha <a>', `Signifikanzniveau für LISA (Standard ${HOTSPOT_DEFAULTS.alpha})`)
    .option('--json', 'Ergebnis als JSON ausgeben')
    .action(
      async (o: {
        level: string;
        period: string;
        indicator: string;
        weights?: string;
        permutations?: string;
        seed?: string;
        correction?: string;
        alpha?: string;
        json?: boolean;
      }) =>
        guarded(async () => {
          // Flags → the API's request object; the schema fills the defaults and names a bad value.
          const req = parseHotspotRequest({
            level: o.level,
            period: o.period,
            indicator: o.indicator,
            weights: o.weights,
            permutations: numberFlag(o.permutations),
            seed: numberFlag(o.seed),
            correction: o.correction,
            alpha: numberFlag(o.alpha),
          });
          const ctx = await openCtx();
          const out = await runHotspots(ctx.db, req);
          if (o.json) {
            process.stdout.write(JSON.stringify(out, null, 2) + '\n');
            return;
          }
          const g = out.global;
          process.stdout.write(
            `Lauf ${out.runId}: ${o.indicator} auf ${o.level} ${o.period}, Gewichte ${out.params.weights}, Korrektur ${out.params.correction}\n`,
          );
          process.stdout.write(
            `Moran's I = ${fmt(g.I, 4)} (E = ${fmt(g.expectedI, 4)}, z = ${fmt(g.z, 2)}, p = ${g.p.toExponential(2)}, p_perm = ${fmt(g.pPermutation, 4)})\n`,
          );
          const count = (c: number) => out.members.filter((m) => m.class === c).length;
          process.stdout.write(
            `Hotspots 99/95/90 %: ${count(3)}/${count(2)}/${count(1)}, Coldspots: ${count(-3)}/${count(-2)}/${count(-1)}\n`,
          );
          if (out.dropped.length) process.stdout.write(`Ohne Wert (nicht analysiert): ${out.dropped.join(', ')}\n`);
          if (out.islands.length) process.stdout.write(`Inseln (ohne Nachbarn): ${out.islands.join(', ')}\n`);
        }),
    );

  program
    .command('weights')
    .description('Nachbarschaftslisten einer Ebene aus PostGIS (gespeichert je Geometrie-Version)')
    .requiredOption('--level <key>', 'Ebene')
    .option(
      '--type <type>',
      `queen | queen:snap=<m> | rook | knn:<k> | distance:<m> (Standard ${HOTSPOT_DEFAULTS.weights})`,
    )
    .option('--json', 'als JSON {code: [Nachbarn]} ausgeben')
    .action(async (o: { level: string; type?: string; json?: boolean }) =>
      guarded(async () => {
        const q = parseOr400(weightsQuery, { level: o.level, type: o.type });
        const spec = parseWeightsSpec(q.type);
        const ctx = await openCtx();
        const w = await levelWeights(ctx.db, q.level, spec);
        if (o.json) {
          // built by hand so the keys come out sorted: a JS object would put integer-like codes first
          process.stdout.write(
            '{' + w.codes.map((c) => `${JSON.stringify(c)}:${JSON.stringify(w.lists[c])}`).join(',') + '}\n',
          );
          return;
        }
        for (const c of w.codes) process.stdout.write(`${c}: ${w.lists[c].join(' ')}\n`);
        process.stderr.write(
          `${w.codes.length} Gebiete, ${w.nLinks} Verbindungen, ${w.islands.length} Inseln${w.islands.length ? ` (${w.islands.join(', ')})` : ''}\n`,
        );
      }),
    );
}
