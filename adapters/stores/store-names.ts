import { createHash } from 'node:crypto';

/**
 * Maps any KB name (Chinese, spaces, emoji) to a table/collection name made of [a-z0-9_] that
 * starts with a letter: a readable ASCII slug of the name plus a hash of the exact name, so
 * "Team Docs", "team docs" and "产品手册" never collide and the mapping never changes.
 */
export function storageName(prefix: string, kb: string, maxLength = 64): string {
  const hash = createHash('sha256').update(kb, 'utf8').digest('hex').slice(0, 12);
  const slugRoom = Math.max(0, maxLength - prefix.length - hash.length - 2);
  const slug = kb
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, slugRoom)
    .replace(/_+$/g, '');
  return slug.length > 0 ? `${prefix}_${slug}_${hash}` : `${prefix}_${hash}`;
}
