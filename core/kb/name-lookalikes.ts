/**
 * When two knowledge-base names mean the same name to a reader. Names are compared after NFKC
 * (full-width "ｓａｍｐｌｅｓ" is "samples") and case folding ("Samples" is "samples"); the
 * skeleton also maps letters of other scripts that look like Latin ones ("ѕаmрlеѕ" in Cyrillic),
 * so a lookalike cannot pose as an existing KB in a list or a citation.
 */

/** Cyrillic, Greek and other letters drawn like Latin ones (after lower-casing). */
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  с: 'c',
  ԁ: 'd',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  т: 't',
  у: 'y',
  ү: 'y',
  х: 'x',
  ԝ: 'w',
  ɡ: 'g',
  ı: 'i',
  ɩ: 'i',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ϲ: 'c',
  ϳ: 'j',
};

/** The form a name is stored and compared in: NFKC, trimmed. */
export function normalizeKbName(name: string): string {
  return name.normalize('NFKC').trim();
}

/** Equal keys: the same name to the registry (NFKC + case-insensitive). */
export function kbNameKey(name: string): string {
  return normalizeKbName(name).toLowerCase();
}

/** Equal skeletons: names a reader cannot tell apart. */
export function kbNameSkeleton(name: string): string {
  return [...kbNameKey(name).normalize('NFD').replace(/\p{M}/gu, '')].map((ch) => LOOKALIKES[ch] ?? ch).join('');
}

/** The existing name that `name` collides with (same key or same skeleton), if any. */
export function collidingKbName(name: string, existing: Iterable<string>): string | undefined {
  const key = kbNameKey(name);
  const skeleton = kbNameSkeleton(name);
  for (const other of existing) if (kbNameKey(other) === key) return other;
  for (const other of existing) if (kbNameSkeleton(other) === skeleton) return other;
  return undefined;
}
