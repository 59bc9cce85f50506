/**
 * The planner's warnings list from GET /api/warnings?level=&period=: per rule which areas it names,
 * with the rule's severity and the date of the data it fired on ("seit dem Stand …"); rules that could
 * not be applied at this level say why. The answer lists warnings per area; this module turns it
 * round to rules, most severe first. Pure.
 */

export interface WarningsAnswer {
  level: string;
  period: string;
  rules: {
    id: number;
    name: string;
    type: string;
    severity: 'kritisch' | 'warnung' | 'info';
    fired: number;
    applicable: boolean;
    note: string | null;
  }[];
  areas: {
    code: string;
    name: string | null;
    warnings: { ruleId: number; rule: string; severity: string; message: string }[];
  }[];
}

export interface RuleWarnings {
  id: number;
  name: string;
  severity: string;
  applicable: boolean;
  note: string | null;
  /** The data date the rule fired on. */
  since: string;
  areas: { code: string; name: string; message: string }[];
}

const RANK: Record<string, number> = { kritisch: 0, warnung: 1, info: 2 };

export function warningsByRule(answer: WarningsAnswer): RuleWarnings[] {
  const byRule = new Map<number, RuleWarnings['areas']>();
  for (const a of answer.areas)
    for (const w of a.warnings) {
      const list = byRule.get(w.ruleId) ?? [];
      list.push({ code: a.code, name: a.name ?? a.code, message: w.message });
      byRule.set(w.ruleId, list);
    }
  return answer.rules
    .map((r) => ({
      id: r.id,
      name: r.name,
      severity: r.severity,
      applicable: r.applicable,
      note: r.note,
      since: answer.period,
      areas: (byRule.get(r.id) ?? []).sort(
        (x, y) => x.name.localeCompare(y.name, 'de') || x.code.localeCompare(y.code),
      ),
    }))
    .sort(
      (a, b) =>
        Number(b.applicable) - Number(a.applicable) ||
        (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) ||
        b.areas.length - a.areas.length ||
        a.id - b.id,
    );
}
