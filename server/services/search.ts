/**
 * The search behind GET /api/search (the search fields of the Beratung and Sozialplanung views):
 * addresses ("Ackerstraße 1B"), streets ("Sonnenallee", one hit per area the street touches),
 * postcodes ("10115", one hit per area), Ortsteile ("Kreuzberg") from the address register
 * (sql/008_addresses.sql), and area names and codes on every level. Input and stored names are folded
 * by the same function (analysis/text-fold.ts), so "Stulerstrasse", "stülerstr." and "Stülerstraße"
 * meet. Every hit leads to an area on the level asked for: an address register row's area is walked
 * up the level chain (Planungsraum → Bezirksregion → …) by parent codes. Only names and codes are
 * read, never an indicator value, so nothing confidential can leave here. All user text is bound.
 */
import { z } from 'zod';
import type { Queryable } from '../../geodata/db.js';
import type { SearchHit } from '../api-types.js';
import { formatHouseNumber, parseAddress, searchKey } from '../../analysis/text-fold.js';
import { levelKey } from '../http/params.js';

/** GET /api/search?q=&level=&limit=: the request, once for the route and the OpenAPI document. */
export const searchRequest = z.object({
  q: z
    .string()
    .min(1)
    .max(100, 'Suchtext: höchstens 100 Zeichen')
    .refine((s) => !/\p{Cc}/u.test(s), 'Suchtext: keine Steuerzeichen'),
  level: levelKey.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchRequest = z.infer<typeof searchRequest>;

/** How well a hit's name matches: the whole folded name, its beginning, somewhere inside. */
const EXACT = 0;
const PREFIX = 1;
const INSIDE = 2;
/** A street hit for the street part of an address query: after the addresses themselves. */
const STREET_OF_ADDRESS = 3;
/** Among equally good matches: addresses, postcodes, areas, Ortsteile, streets. */
const KIND_ORDER: Record<SearchHit['kind'], number> = { address: 0, postcode: 1, area: 2, ortsteil: 3, street: 4 };
/** Street and Ortsteil prefixes shorter than this match too much to be useful. */
const MIN_PREFIX = 3;
/** Rows read per kind before the hits are merged and cut to the limit. */
const ROWS_PER_KIND = 400;

type Bbox = SearchHit['bbox'];
interface Target {
  code: string;
  level: string;
  name: string;
  parent: string | null;
  bbox: Bbox;
  levelLabel: string;
}
/** A hit before its area is resolved on the level asked for: the register's (level, code) pairs it covers. */
interface Pending {
  kind: SearchHit['kind'];
  quality: number;
  /** Label without the area part; the area's name is added once it is known. */
  text: string;
  /** The register areas with their number of addresses and the Ortsteile of the match there. */
  areas: { level: string; code: string; n: number; ortsteile?: string[] }[];
  /** One hit per target area (street, postcode, address) or one for all (Ortsteil). */
  split: boolean;
}

/**
 * Hits for a search text, best first: exact matches of the folded name before prefix and inside
 * matches; among equal matches addresses, postcodes, areas, Ortsteile, streets. At most `limit` hits;
 * none is an empty array.
 */
export async function searchPlaces(db: Queryable, req: SearchRequest): Promise<SearchHit[]> {
  const key = searchKey(req.q);
  if (key === '') return [];
  const parsed = parseAddress(req.q);
  const pending: Pending[] = [];

  if (parsed) pending.push(...(await addressHits(db, searchKey(parsed.street), parsed.number)));
  if (/^\d{5}$/.test(req.q.trim())) pending.push(...(await postcodeHits(db, req.q.trim())));
  if (key.length >= MIN_PREFIX) {
    pending.push(...(await ortsteilHits(db, key)));
    pending.push(...(await streetHits(db, key, EXACT, PREFIX)));
    if (parsed) {
      const streetKey = searchKey(parsed.street);
      if (streetKey.length >= MIN_PREFIX && streetKey !== key)
        pending.push(...(await streetHits(db, streetKey, STREET_OF_ADDRESS, STREET_OF_ADDRESS)));
    }
  }

  const targets = await resolveTargets(db, pending, req.level);
  const hits: (SearchHit & { quality: number; order: number })[] = [];
  let order = 0;
  for (const p of pending) {
    const byTarget = new Map<string, { target: Target; n: number; ortsteile: Set<string> }>();
    for (const a of p.areas) {
      const t = targets.get(`${a.level}\u0000${a.code}`);
      if (!t) continue; // the register's area has no ancestor on the level asked for
      const entry = byTarget.get(t.code) ?? { target: t, n: 0, ortsteile: new Set<string>() };
      entry.n += a.n;
      for (const o of a.ortsteile ?? []) entry.ortsteile.add(o);
      byTarget.set(t.code, entry);
    }
    const list = [...byTarget.values()].sort((x, y) => y.n - x.n || x.target.code.localeCompare(y.target.code));
    if (list.length === 0) continue;
    if (p.split) {
      for (const { target, ortsteile } of list) {
        const where =
          ortsteile.size > 0 ? ` (${[...ortsteile].sort((a, b) => a.localeCompare(b, 'de')).join(', ')})` : '';
        hits.push({
          ...hitOf(p.kind, `${p.text}${where}: ${target.levelLabel} ${target.name}`, target),
          quality: p.quality,
          order: order++,
        });
      }
    } else {
      const main = list[0].target;
      const bbox = list.map((x) => x.target.bbox).reduce(unionBbox);
      const label =
        list.length === 1 ? `${p.text}: ${main.levelLabel} ${main.name}` : `${p.text}: ${list.length} Gebiete`;
      hits.push({ ...hitOf(p.kind, label, main), bbox, quality: p.quality, order: order++ });
    }
  }
  hits.push(...(await areaHits(db, key, req.q.trim(), req.level, req.limit)).map((h) => ({ ...h, order: order++ })));

  hits.sort((a, b) => a.quality - b.quality || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.order - b.order);
  const seen = new Set<string>();
  const out: SearchHit[] = [];
  for (const h of hits) {
    const id = `${h.kind}\u0000${h.label}\u0000${h.level}\u0000${h.code}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      kind: h.kind,
      label: h.label,
      code: h.code,
      level: h.level,
      name: h.name,
      parent: h.parent,
      bbox: h.bbox,
    });
    if (out.length >= req.limit) break;
  }
  return out;
}

function hitOf(kind: SearchHit['kind'], label: string, t: Target): SearchHit {
  return { kind, label, code: t.code, level: t.level, name: t.name, parent: t.parent, bbox: t.bbox };
}

function unionBbox(a: Bbox, b: Bbox): Bbox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Addresses of streets beginning with the folded street text and with the typed number (range, suffix). */
async function addressHits(
  db: Queryable,
  streetKey: string,
  number: { from: number; to: number; suffix: string | null },
): Promise<Pending[]> {
  if (streetKey === '') return [];
  const r = await db.query<{
    street: string;
    exact: boolean;
    num: number;
    suffix: string;
    plz: string;
    ortsteil: string;
    level: string;
    code: string;
  }>(
    `SELECT a.street, a.street_folded = $1 AS exact, n.num, n.suffix, a.plz, a.ortsteil, a.level, a.code
       FROM address a CROSS JOIN LATERAL unnest(a.house_numbers, a.suffixes) AS n(num, suffix)
      WHERE a.street_folded LIKE $2 AND n.num BETWEEN $3 AND $4 AND ($5::text IS NULL OR lower(n.suffix) = $5)
      ORDER BY a.street_folded = $1 DESC, a.street, n.num, n.suffix, a.plz
      LIMIT ${ROWS_PER_KIND}`,
    [streetKey, `${likeEscape(streetKey)}%`, number.from, number.to, number.suffix],
  );
  return r.rows.map((a) => ({
    kind: 'address' as const,
    quality: a.exact ? EXACT : PREFIX,
    text: `${a.street} ${formatHouseNumber(a.num, a.suffix)}, ${a.plz} ${a.ortsteil}`,
    areas: [{ level: a.level, code: a.code, n: 1 }],
    split: true,
  }));
}

/** Streets beginning with the folded text: one pending hit per street, split by area later. */
async function streetHits(db: Queryable, key: string, exactQuality: number, prefixQuality: number): Promise<Pending[]> {
  const r = await db.query<{
    street: string;
    exact: boolean;
    ortsteile: string[];
    level: string;
    code: string;
    n: number;
  }>(
    `SELECT street, bool_or(street_folded = $1) AS exact, array_agg(DISTINCT ortsteil) AS ortsteile,
            level, code, sum(cardinality(house_numbers))::int AS n
       FROM address WHERE street_folded LIKE $2
      GROUP BY street, level, code
      ORDER BY bool_or(street_folded = $1) DESC, street, n DESC
      LIMIT ${ROWS_PER_KIND}`,
    [key, `${likeEscape(key)}%`],
  );
  const byStreet = new Map<string, Pending>();
  for (const s of r.rows) {
    const p = byStreet.get(s.street) ?? {
      kind: 'street' as const,
      quality: s.exact ? exactQuality : prefixQuality,
      text: s.street,
      areas: [],
      split: true,
    };
    p.areas.push({ level: s.level, code: s.code, n: s.n, ortsteile: s.ortsteile });
    byStreet.set(s.street, p);
  }
  return [...byStreet.values()];
}

/** A postcode: one hit per area holding its addresses, most addresses first. */
async function postcodeHits(db: Queryable, plz: string): Promise<Pending[]> {
  const r = await db.query<{ ortsteile: string[]; level: string; code: string; n: number }>(
    `SELECT array_agg(DISTINCT ortsteil) AS ortsteile, level, code, sum(cardinality(house_numbers))::int AS n
       FROM address WHERE plz = $1 GROUP BY level, code ORDER BY n DESC, code`,
    [plz],
  );
  if (r.rows.length === 0) return [];
  return [
    {
      kind: 'postcode',
      quality: EXACT,
      text: `PLZ ${plz}`,
      areas: r.rows.map((p) => ({ level: p.level, code: p.code, n: p.n, ortsteile: p.ortsteile })),
      split: true,
    },
  ];
}

/** Ortsteile beginning with the folded text: one hit each, leading to the area with most of its addresses. */
async function ortsteilHits(db: Queryable, key: string): Promise<Pending[]> {
  const r = await db.query<{ ortsteil: string; exact: boolean; level: string; code: string; n: number }>(
    `SELECT ortsteil, bool_or(ortsteil_folded = $1) AS exact, level, code, sum(cardinality(house_numbers))::int AS n
       FROM address WHERE ortsteil_folded LIKE $2
      GROUP BY ortsteil, level, code ORDER BY ortsteil, n DESC
      LIMIT ${ROWS_PER_KIND}`,
    [key, `${likeEscape(key)}%`],
  );
  const byName = new Map<string, Pending>();
  for (const o of r.rows) {
    const p = byName.get(o.ortsteil) ?? {
      kind: 'ortsteil' as const,
      quality: o.exact ? EXACT : PREFIX,
      text: `Ortsteil ${o.ortsteil}`,
      areas: [],
      split: false,
    };
    p.areas.push({ level: o.level, code: o.code, n: o.n });
    byName.set(o.ortsteil, p);
  }
  return [...byName.values()];
}

/**
 * Area names (folded: exact, beginning, inside) and codes (beginning) on the level asked for, or
 * on every level. Names are folded here rather than in SQL, so the query and the names meet in one
 * function; a level has hundreds or a few thousand areas.
 */
async function areaHits(
  db: Queryable,
  key: string,
  text: string,
  level: string | undefined,
  limit: number,
): Promise<(SearchHit & { quality: number })[]> {
  const r = await db.query<{ level: string; code: string; name: string | null }>(
    'SELECT level, code, name FROM area WHERE ($1::text IS NULL OR level = $1) ORDER BY name, code',
    [level ?? null],
  );
  const found: { level: string; code: string; quality: number }[] = [];
  for (const a of r.rows) {
    const name = searchKey(a.name ?? '');
    const quality =
      name === key || a.code === text
        ? EXACT
        : name.startsWith(key) || a.code.startsWith(text)
          ? PREFIX
          : name.includes(key)
            ? INSIDE
            : null;
    if (quality !== null) found.push({ level: a.level, code: a.code, quality });
  }
  found.sort((x, y) => x.quality - y.quality);
  const top = found.slice(0, limit);
  if (top.length === 0) return [];
  const info = await areaInfo(db, top);
  return top.flatMap((a) => {
    const t = info.get(`${a.level}\u0000${a.code}`);
    return t ? [{ ...hitOf('area', `${t.name} (${t.levelLabel} ${t.code})`, t), quality: a.quality }] : [];
  });
}

/** Name, parent, bounding box and level label of areas given as (level, code). */
async function areaInfo(db: Queryable, areas: { level: string; code: string }[]): Promise<Map<string, Target>> {
  const r = await db.query<{
    level: string;
    code: string;
    name: string | null;
    parent: string | null;
    label: string;
    minx: number;
    miny: number;
    maxx: number;
    maxy: number;
  }>(
    `SELECT a.level, a.code, a.name, a.parent_code AS parent, l.label,
            ST_XMin(a.geom) AS minx, ST_YMin(a.geom) AS miny, ST_XMax(a.geom) AS maxx, ST_YMax(a.geom) AS maxy
       FROM unnest($1::text[], $2::text[]) AS q(level, code)
       JOIN area a ON a.level = q.level AND a.code = q.code
       JOIN level l ON l.key = a.level`,
    [areas.map((a) => a.level), areas.map((a) => a.code)],
  );
  return new Map(
    r.rows.map((a) => [
      `${a.level}\u0000${a.code}`,
      {
        code: a.code,
        level: a.level,
        name: a.name ?? a.code,
        parent: a.parent,
        levelLabel: a.label,
        bbox: [a.minx, a.miny, a.maxx, a.maxy] as Bbox,
      },
    ]),
  );
}

/**
 * The area each register area leads to: itself when no level is asked for (or it is that level),
 * else its ancestor on that level, found by walking parent codes up the level chain. Keyed by
 * "level\0code" of the register area; areas without an ancestor on the level are absent.
 */
async function resolveTargets(
  db: Queryable,
  pending: Pending[],
  level: string | undefined,
): Promise<Map<string, Target>> {
  const pairs = new Map<string, { level: string; code: string }>();
  for (const p of pending) for (const a of p.areas) pairs.set(`${a.level}\u0000${a.code}`, a);
  if (pairs.size === 0) return new Map();
  const list = [...pairs.values()];
  let mapping: { fromLevel: string; fromCode: string; level: string; code: string }[];
  if (level === undefined) mapping = list.map((a) => ({ fromLevel: a.level, fromCode: a.code, ...a }));
  else {
    const r = await db.query<{ from_level: string; from_code: string; level: string; code: string }>(
      `WITH RECURSIVE up(from_level, from_code, level, code, parent_code, depth) AS (
         SELECT a.level, a.code, a.level, a.code, a.parent_code, 0
           FROM unnest($1::text[], $2::text[]) AS q(level, code)
           JOIN area a ON a.level = q.level AND a.code = q.code
         UNION ALL
         SELECT up.from_level, up.from_code, p.level, p.code, p.parent_code, up.depth + 1
           FROM up
           JOIN level l ON l.key = up.level
           JOIN area p ON p.level = l.parent_level AND p.code = up.parent_code
          WHERE up.level <> $3 AND up.depth < 20)
       SELECT from_level, from_code, level, code FROM up WHERE level = $3`,
      [list.map((a) => a.level), list.map((a) => a.code), level],
    );
    mapping = r.rows.map((m) => ({ fromLevel: m.from_level, fromCode: m.from_code, level: m.level, code: m.code }));
  }
  const info = await areaInfo(db, [...new Map(mapping.map((m) => [`${m.level}\u0000${m.code}`, m])).values()]);
  const out = new Map<string, Target>();
  for (const m of mapping) {
    const t = info.get(`${m.level}\u0000${m.code}`);
    if (t) out.set(`${m.fromLevel}\u0000${m.fromCode}`, t);
  }
  return out;
}

/** A folded key holds only a–z and 0–9, but LIKE patterns are escaped all the same. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
