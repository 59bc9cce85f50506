/**
 * The address of an area's print version (/profile/{level}/{code}) for what the planner looks at: the
 * shown period, and on the change map the end of the change as period with its start as `since` (the
 * profile then prints a change column). Pure.
 */

export interface PrintChoice {
  level: string;
  code: string;
  /** The period the profile shows. */
  period: string;
  /** The planner's map layer; only 'veraenderung' adds a change column. */
  layer?: string;
  from?: string;
  to?: string;
}

export function profilePrintUrl(c: PrintChoice): string {
  const params = new URLSearchParams();
  const change = c.layer === 'veraenderung' && !!c.from && !!c.to && c.from !== c.to;
  const period = change ? (c.from! < c.to! ? c.to! : c.from!) : c.period;
  if (period) params.set('period', period);
  if (change) params.set('since', c.from! < c.to! ? c.from! : c.to!);
  const query = params.toString();
  return `/profile/${encodeURIComponent(c.level)}/${encodeURIComponent(c.code)}${query ? `?${query}` : ''}`;
}
