/**
 * The ranking's rows for the change map: each area's change between two periods in place of its
 * value, so "Rangliste" sorts by change when the map shows change. Names and hidden flags come from
 * the values of the later period (a hidden area stays hidden, with its reason); an area whose change
 * is not comparable has no value and is left out like an area without a value. Pure.
 */
import type { ChangeRow, Values } from './types.js';

export function changeRanking(values: Values, rows: readonly ChangeRow[], unit: string | null): Values {
  const change = new Map(rows.map((r) => [r.code, r.comparable === false ? null : r.absolute]));
  const out = values.values.map((v) => ({
    ...v,
    value: v.suppressed ? null : (change.get(v.code) ?? null),
    incomplete: false,
  }));
  const finite = out.map((v) => v.value).filter((x): x is number => x !== null && Number.isFinite(x));
  return {
    ...values,
    unit,
    n: finite.length,
    min: finite.length ? Math.min(...finite) : NaN,
    max: finite.length ? Math.max(...finite) : NaN,
    values: out,
  };
}
