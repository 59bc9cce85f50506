/**
 * Which k of a stored run a read shows: the ?k=N parameter (shared by the run, members and tile
 * routes) and its check against the run's range. The chosen k answers from the original columns;
 * another k of the range from the per-k arrays (analysis/typology-k-view.ts).
 */
import { z } from 'zod';
import type { TypologyType } from '../../../analysis/typology.js';
import { typologyKView, type TypologyKView } from '../../../analysis/typology-k-view.js';
import { badRequest } from '../../http/errors.js';

/** The k of a stored run to show: ?k=N on the run, members and tile routes (2 … 99, integer). */
export const typeKParam = z.coerce
  .number({ error: 'k muss eine ganze Zahl sein' })
  .int('k muss eine ganze Zahl sein')
  .min(2, 'k muss mindestens 2 sein')
  .max(99, 'k darf höchstens 99 sein');

/** The view of a run for k, or a 400 when k is outside the run's range. */
export function kViewOr400(runId: number, chosenK: number, typesByK: unknown, k?: number): TypologyKView {
  const view = typologyKView(runId, chosenK, typesByK as { k: number; types: TypologyType[] }[] | null, k);
  if ('error' in view) throw badRequest(view.error, { field: 'k', k });
  return view;
}
