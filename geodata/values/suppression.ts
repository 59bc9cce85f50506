/**
 * Confidentiality decided once, in the database's read model, per level × period × area:
 * primary suppression (population below setting suppression_threshold, or unknown where the level
 * has population figures for the period — the MSS rule) and secondary suppression along each chain
 * of levels (analysis/secondary-suppression.ts), written to area_suppression with the reason.
 * Every reader sees it through the view indicator_value; none decides on its own.
 */
import type { Queryable } from '../db.js';
import {
  suppressHierarchy,
  type SuppressionLevel,
  type SuppressionReason,
} from '../../analysis/secondary-suppression.js';

export interface SuppressionCounts {
  population: number;
  secondary: number;
}

interface AreaPopulation {
  level: string;
  code: string;
  parent: string | null;
  period: string | null;
  population: number | null;
}

/** Decides and stores suppression for every chain of levels and every period with population figures. */
export async function decideSuppression(tx: Queryable, chains: readonly string[][]): Promise<SuppressionCounts> {
  const settings = await tx.query<{ pop: string | null; threshold: number | null }>(
    `SELECT max(value) FILTER (WHERE key = 'population_indicator') AS pop,
            max(value) FILTER (WHERE key = 'suppression_threshold')::double precision AS threshold FROM setting`,
  );
  const { pop, threshold } = settings.rows[0];
  if (!pop || threshold === null) return { population: 0, secondary: 0 };

  const periods = (
    await tx.query<{ period: string }>(
      'SELECT DISTINCT period::text AS period FROM level_value WHERE indicator = $1 ORDER BY 1',
      [pop],
    )
  ).rows.map((r) => r.period);
  const decided = new Map<string, SuppressionReason>(); // level \0 code \0 period → reason
  for (const chain of chains) {
    const areas = (
      await tx.query<AreaPopulation>(
        `SELECT a.level, a.code, a.parent_code AS parent, v.period::text AS period, v.value AS population
           FROM area a
           LEFT JOIN level_value v ON v.level = a.level AND v.code = a.code AND v.indicator = $2
          WHERE a.level = ANY($1::text[])`,
        [chain, pop],
      )
    ).rows;
    for (const period of periods) {
      const levels = suppressionInput(chain, areas, period, threshold);
      if (!levels.some((l) => l.areas.some((a) => a.primary))) continue;
      for (const [level, hidden] of suppressHierarchy(levels)) {
        for (const [code, reason] of hidden) {
          const id = `${level}\u0000${code}\u0000${period}`;
          // The same level in two chains: a primary reason outranks a secondary one.
          if (decided.get(id) !== 'population') decided.set(id, reason);
        }
      }
    }
  }
  const rows = { level: [] as string[], code: [] as string[], period: [] as string[], reason: [] as string[] };
  for (const [id, reason] of decided) {
    const [level, code, period] = id.split('\u0000');
    rows.level.push(level);
    rows.code.push(code);
    rows.period.push(period);
    rows.reason.push(reason);
  }
  if (rows.level.length > 0) {
    await tx.query(
      `INSERT INTO area_suppression (level, code, period, reason)
       SELECT l, c, p::date, r FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(l, c, p, r)`,
      [rows.level, rows.code, rows.period, rows.reason],
    );
  }
  return {
    population: rows.reason.filter((r) => r === 'population').length,
    secondary: rows.reason.filter((r) => r === 'secondary').length,
  };
}

/**
 * One period's hierarchy for the pure rule. A level without any population figure for the period
 * has no primary suppression (nothing to judge by), as before the engine existed.
 */
function suppressionInput(
  chain: readonly string[],
  areas: readonly AreaPopulation[],
  period: string,
  threshold: number,
): SuppressionLevel[] {
  return chain.map((level, i) => {
    const own = new Map<string, { parent: string | null; population: number | null }>();
    for (const a of areas) {
      if (a.level !== level) continue;
      const known = own.get(a.code);
      const population = a.period === period ? a.population : null;
      if (!known) own.set(a.code, { parent: i + 1 < chain.length ? a.parent : null, population });
      else if (population !== null) known.population = population;
    }
    const hasFigures = [...own.values()].some((a) => a.population !== null);
    return {
      key: level,
      areas: [...own].map(([code, a]) => ({
        code,
        parent: a.parent,
        population: a.population,
        primary: hasFigures && (a.population === null || a.population < threshold),
      })),
    };
  });
}
