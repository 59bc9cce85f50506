/**
 * Numeric vector-tile feature ids derived from area codes.
 *
 * MVT feature ids are unsigned integers, but our area codes are text (leading zeros matter:
 * '01100101'). Every tile that holds a piece of an area must give it the same id, so that a client
 * can highlight or select a polygon split at tile borders (OpenLayers and MapLibre match features
 * across tiles by id). The id is therefore a pure function of the code:
 * - a code of 1–15 decimal digits is its integer value ('01100101' → 1100101): readable in a
 *   debugger and below 10¹⁵ < 2⁵⁰;
 * - any other code maps to 2⁵⁰ + a 52-bit FNV-1a hash mod (2⁵³ − 2⁵⁰), which never collides with a
 *   digit code and stays a safe integer (vt-pbf writes ids up to 2⁵³ as varints).
 * Two digit codes that differ only in leading zeros would share an id; within one level codes have
 * a fixed length, so this does not happen in practice. Features always carry `code` as well.
 */
const DIGITS = /^[0-9]{1,15}$/;
const HASH_BASE = 2 ** 50;
const HASH_RANGE = 2 ** 53 - 2 ** 50;

export function featureId(code: string): number {
  if (DIGITS.test(code)) return Number(code);
  // 64-bit FNV-1a in two 32-bit halves (BigInt would be slower and this runs once per feature per build).
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < code.length; i++) {
    lo ^= code.charCodeAt(i);
    // multiply (hi:lo) by the FNV prime 0x100000001b3 = 2⁴⁰ + 0x1b3, modulo 2⁶⁴
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 2 ** 32);
    const newLo = loMul >>> 0;
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = newLo;
  }
  const h52 = (hi & 0xfffff) * 2 ** 32 + lo; // low 52 bits
  return HASH_BASE + (h52 % HASH_RANGE);
}
