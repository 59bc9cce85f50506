/**
 * Warning rules: storage (table warning_rule, sql/005_monitoring.sql), validation of their
 * parameters, and evaluation on a level and period (GET /api/warnings). The database work is
 * here; the decision whether a rule fires is analysis/warnings.ts.
 */
import { z } from 'zod';
import type { Queryable } from '../../geodata/db.js';
import { badRequest, notFound, HttpError } from '../http/errors.js';
import { requireIndicator, requireLevel, requirePeriod, levelPeriods, levelDefaultPeriod } from './catalog.js';
import { levelValues } from './level-values.js';
import { computeStatusIndex } from './status-index.js';
import {
  RULE_TYPES,
  isRuleType,
  threshold,
  targetMissed,
  worseningTrend,
  hotspotMember,
  indexClassMatch,
  describeWarning,
  type WarningRule,
  type Evidence,
  type RuleType,
  type ThresholdParams,
  type TargetParams,
  type TrendParams,
  type HotspotParams,
  type IndexClassParams,
} from '../../analysis/warnings.js';

const key = z.string().min(1).max(64);
const STATUS = ['hoch', 'mittel', 'niedrig', 'sehr niedrig'] as const;
const DYNAMICS = ['positiv', 'stabil', 'negativ'] as const;

export const PARAM_SCHEMAS: Record<RuleType, z.ZodType> = {
  threshold: z
    .object({
      indicator: key,
      op: z.enum(['above', 'below']),
      value: z.number().finite(),
      inclusive: z.boolean().optional(),
    })
    .strict(),
  target: z.object({ indicator: key }).strict(),
  trend: z
    .object({ indicator: key, periods: z.number().int().min(1).max(50), minStep: z.number().min(0).optional() })
    .strict(),
  hotspot: z
    .object({
      runId: z.number().int().positive().optional(),
      indicator: key.optional(),
      minClass: z.number().int().min(1).max(3).optional(),
    })
    .strict(),
  index_class: z
    .object({
      status: z.array(z.enum(STATUS)).optional(),
      dynamics: z.array(z.enum(DYNAMICS)).optional(),
      statusIndicators: z.array(key).min(1).optional(),
      dynamicsIndicators: z.array(key).min(1).optional(),
    })
    .strict()
    .refine(
      (p) => (p.status?.length ?? 0) + (p.dynamics?.length ?? 0) > 0,
      'mindestens eine Status- oder Dynamik-Klasse angeben',
    ),
};

/** Body of POST/PUT /api/warning-rules; the type is checked first so an unknown type gets its own message. */
export const RuleBody = z.object({
  name: z.string().min(1).max(200),
  type: z.string(),
  level: z.string().min(1).max(64).nullable().optional(), // default null: every level
  severity: z.enum(['info', 'warnung', 'kritisch']).optional(), // default 'warnung'
  enabled: z.boolean().optional(), // default true
  params: z.record(z.string(), z.unknown()),
});
export type RuleBody = z.infer<typeof RuleBody>;

interface RuleRow {
  id: string | number;
  name: string;
  type: RuleType;
  level: string | null;
  severity: WarningRule['severity'];
  enabled: boolean;
  params: unknown;
}
const toRule = (r: RuleRow): WarningRule => ({ ...r, id: Number(r.id), params: r.params as WarningRule['params'] });

/** Checks type, params and referenced indicators/levels; 400 on anything wrong. */
export async function validateRule(db: Queryable, body: RuleBody): Promise<Omit<WarningRule, 'id'>> {
  if (!isRuleType(body.type))
    throw badRequest(`Unbekannter Regeltyp '${body.type}'`, { type: body.type, known: RULE_TYPES });
  const parsed = PARAM_SCHEMAS[body.type].safeParse(body.params);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw badRequest(
      `Ungültige Parameter für Regeltyp '${body.type}': ${i.path.join('.') || '(params)'}: ${i.message}`,
      parsed.error.issues,
    );
  }
  const params = parsed.data as Record<string, unknown>;
  for (const k of ['indicator'] as const)
    if (typeof params[k] === 'string') await requireIndicator(db, params[k] as string, 'body');
  if (body.type === 'target') {
    const m = await requireIndicator(db, params.indicator as string, 'body');
    if (m.target === null || m.targetDirection === null)
      throw badRequest(`Indikator '${m.key}' hat kein Ziel (target/target_direction)`);
  }
  if (body.level) await requireLevel(db, body.level, 'body');
  return {
    name: body.name,
    type: body.type,
    level: body.level ?? null,
    severity: body.severity ?? 'warnung',
    enabled: body.enabled ?? true,
    params: params as WarningRule['params'],
  };
}

const RULE_COLUMNS = 'id, name, type, level, severity, enabled, params';

export async function listRules(db: Queryable): Promise<WarningRule[]> {
  return (await db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM warning_rule ORDER BY id`)).rows.map(toRule);
}

export async function getRule(db: Queryable, id: number): Promise<WarningRule> {
  const r = await db.query<RuleRow>(`SELECT ${RULE_COLUMNS} FROM warning_rule WHERE id = $1`, [id]);
  if (!r.rows[0]) throw notFound(`Keine Warnregel mit id ${id}`);
  return toRule(r.rows[0]);
}

export async function createRule(db: Queryable, body: RuleBody): Promise<WarningRule> {
  const r = await validateRule(db, body);
  const out = await db.query<RuleRow>(
    `INSERT INTO warning_rule (name, type, level, severity, enabled, params) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${RULE_COLUMNS}`,
    [r.name, r.type, r.level, r.severity, r.enabled, JSON.stringify(r.params)],
  );
  return toRule(out.rows[0]);
}

export async function updateRule(db: Queryable, id: number, body: RuleBody): Promise<WarningRule> {
  const r = await validateRule(db, body);
  const out = await db.query<RuleRow>(
    `UPDATE warning_rule SET name = $2, type = $3, level = $4, severity = $5, enabled = $6, params = $7::jsonb, updated_at = now()
      WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
    [id, r.name, r.type, r.level, r.severity, r.enabled, JSON.stringify(r.params)],
  );
  if (!out.rows[0]) throw notFound(`Keine Warnregel mit id ${id}`);
  return toRule(out.rows[0]);
}

export async function deleteRule(db: Queryable, id: number): Promise<void> {
  const r = await db.query('DELETE FROM warning_rule WHERE id = $1 RETURNING id', [id]);
  if (r.rows.length === 0) throw notFound(`Keine Warnregel mit id ${id}`);
}

export interface FiredWarning {
  ruleId: number;
  rule: string;
  type: RuleType;
  severity: WarningRule['severity'];
  message: string;
  evidence: Evidence;
}

/** Per rule: evidence per area code, or the reason it could not be applied here. */
type RuleOutcome = { fired: Map<string, Evidence> } | { skipped: string };

async function evaluateOne(db: Queryable, rule: WarningRule, level: string, period: string): Promise<RuleOutcome> {
  const vals = (indicator: string, per = period) => levelValues(db, level, per, [indicator]);
  const fired = new Map<string, Evidence>();
  const hasValues = async (indicator: string) => (await levelPeriods(db, level, { indicator })).includes(period);
  switch (rule.type) {
    case 'threshold': {
      const p = rule.params as ThresholdParams;
      if (!(await hasValues(p.indicator))) return { skipped: `keine Werte für ${p.indicator} in diesem Zeitraum` };
      for (const v of await vals(p.indicator)) {
        const e = threshold(p, v.value);
        if (e) fired.set(v.code, e);
      }
      return { fired };
    }
    case 'target': {
      const p = rule.params as TargetParams;
      const m = await requireIndicator(db, p.indicator, 'body'); // stored with the rule
      if (!(await hasValues(p.indicator))) return { skipped: `keine Werte für ${p.indicator} in diesem Zeitraum` };
      for (const v of await vals(p.indicator)) {
        const e = targetMissed(m.key, m.target, m.targetDirection, v.value);
        if (e) fired.set(v.code, e);
      }
      return { fired };
    }
    case 'trend': {
      const p = rule.params as TrendParams;
      const m = await requireIndicator(db, p.indicator, 'body'); // stored with the rule
      const own = (await levelPeriods(db, level, { indicator: p.indicator })).filter((x) => x <= period);
      if (own.length < p.periods + 1)
        return {
          skipped: `${p.indicator} hat bis ${period} nur ${own.length} Zeiträume, der Trend braucht ${p.periods + 1}`,
        };
      const window = own.slice(own.length - p.periods - 1);
      const series = new Map<string, { period: string; value: number | null }[]>();
      for (const per of window) {
        const got = new Map((await vals(p.indicator, per)).map((v) => [v.code, v.value]));
        for (const code of new Set([...series.keys(), ...got.keys()])) {
          const list =
            series.get(code) ?? window.slice(0, window.indexOf(per)).map((x) => ({ period: x, value: null }));
          list.push({ period: per, value: got.get(code) ?? null });
          series.set(code, list);
        }
      }
      for (const [code, s] of series) {
        const e = worseningTrend(p, m.polarity, s);
        if (e) fired.set(code, e);
      }
      return { fired };
    }
    case 'hotspot': {
      const p = rule.params as HotspotParams;
      const exists = await db.query<{ t: string | null }>("SELECT to_regclass('hotspot_member')::text AS t");
      if (!exists.rows[0].t) return { skipped: 'keine Hotspot-Tabellen (Migration 004 fehlt)' };
      const run =
        p.runId !== undefined
          ? await db.query<{ id: string }>('SELECT id FROM hotspot_run WHERE id = $1 AND level = $2', [p.runId, level])
          : await db.query<{ id: string }>(
              `SELECT id FROM hotspot_run WHERE level = $1 AND period = $2 AND ($3::text IS NULL OR indicator = $3)
            ORDER BY created_at DESC, id DESC LIMIT 1`,
              [level, period, p.indicator ?? null],
            );
      if (!run.rows[0])
        return {
          skipped:
            p.runId !== undefined
              ? `Hotspot-Lauf ${p.runId} gehört nicht zur Ebene ${level}`
              : 'kein Hotspot-Lauf für diese Ebene und diesen Zeitraum',
        };
      const runId = Number(run.rows[0].id);
      const members = await db.query<{ code: string; class: number | null }>(
        'SELECT code, class FROM hotspot_member_public WHERE run_id = $1',
        [runId],
      );
      for (const m of members.rows) {
        const e = hotspotMember(p, runId, m.class === null ? null : Number(m.class));
        if (e) fired.set(m.code, e);
      }
      return { fired };
    }
    case 'index_class': {
      const p = rule.params as IndexClassParams & { statusIndicators?: string[]; dynamicsIndicators?: string[] };
      let idx;
      try {
        idx = await computeStatusIndex(db, {
          level,
          period,
          status: p.statusIndicators,
          dynamics: p.dynamicsIndicators,
        });
      } catch (e) {
        if (e instanceof HttpError) return { skipped: `Index nicht berechenbar: ${e.message}` };
        throw e;
      }
      for (const m of idx.members) {
        const e = indexClassMatch(p, m.statusClass, m.dynamicsClass, m.statusZ, m.dynamicsZ);
        if (e) fired.set(m.code, e);
      }
      return { fired };
    }
  }
}

/** Areas with the rules that fired on them and the numbers behind each warning. */
export async function evaluateWarnings(db: Queryable, level: string, period?: string) {
  await requireLevel(db, level, 'query');
  const p = period ?? (await levelDefaultPeriod(db, level));
  if (!p) throw badRequest(`Ebene '${level}' hat keine Indikatorwerte`);
  await requirePeriod(db, level, p, 'query');
  const rules = (await listRules(db)).filter((r) => r.enabled && (r.level === null || r.level === level));
  const names = new Map(
    (
      await db.query<{ code: string; name: string | null }>('SELECT code, name FROM area WHERE level = $1', [level])
    ).rows.map((a) => [a.code, a.name]),
  );
  const byArea = new Map<string, FiredWarning[]>();
  const summary = [];
  for (const rule of rules) {
    const out = await evaluateOne(db, rule, level, p);
    if ('skipped' in out) {
      summary.push({
        id: rule.id,
        name: rule.name,
        type: rule.type,
        severity: rule.severity,
        fired: 0,
        applicable: false,
        note: out.skipped,
      });
      continue;
    }
    for (const [code, evidence] of out.fired) {
      if (!names.has(code)) continue;
      const list = byArea.get(code) ?? [];
      list.push({
        ruleId: rule.id,
        rule: rule.name,
        type: rule.type,
        severity: rule.severity,
        message: describeWarning(rule, evidence),
        evidence,
      });
      byArea.set(code, list);
    }
    summary.push({
      id: rule.id,
      name: rule.name,
      type: rule.type,
      severity: rule.severity,
      fired: out.fired.size,
      applicable: true,
      note: null,
    });
  }
  const rank = { kritisch: 0, warnung: 1, info: 2 } as const;
  const areas = [...byArea]
    .map(([code, warnings]) => ({ code, name: names.get(code) ?? null, warnings }))
    .sort(
      (a, b) =>
        b.warnings.length - a.warnings.length ||
        Math.min(...a.warnings.map((w) => rank[w.severity])) - Math.min(...b.warnings.map((w) => rank[w.severity])) ||
        a.code.localeCompare(b.code),
    );
  return { level, period: p, rules: summary, areaCount: areas.length, areas };
}
