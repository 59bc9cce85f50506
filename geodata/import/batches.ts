/**
 * Splits work into batches for multi-row statements: at most `maxRows` items,
 * and for text-heavy items (geometries) at most `maxChars` characters, so one
 * huge polygon does not make a statement of hundreds of megabytes.
 */
export function* batches<T>(
  items: readonly T[],
  maxRows: number,
  size?: (item: T) => number,
  maxChars = 8_000_000,
): Generator<{ start: number; items: T[] }> {
  let start = 0;
  while (start < items.length) {
    let end = start;
    let chars = 0;
    while (end < items.length && end - start < maxRows) {
      const s = size ? size(items[end]) : 0;
      if (end > start && chars + s > maxChars) break;
      chars += s;
      end++;
    }
    yield { start, items: items.slice(start, end) };
    start = end;
  }
}
