import { createInflate, createInflateRaw } from 'node:zlib';

/**
 * Bytes a deflate stream inflates to, counted without keeping them and stopping once past `cap`
 * (an amplification check must not itself hold the amplified bytes). `failed` says the data was
 * damaged; `total` is then what came out before the damage.
 */
export function countInflated(data: Buffer, cap: number, format: 'zlib' | 'raw'): Promise<{ total: number; failed: boolean }> {
  return new Promise((resolve) => {
    const inflater = format === 'raw' ? createInflateRaw() : createInflate();
    let total = 0;
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) {
        inflater.destroy();
        resolve({ total, failed: false });
      }
    });
    inflater.on('end', () => resolve({ total, failed: false }));
    inflater.on('error', () => resolve({ total, failed: true }));
    inflater.end(data);
  });
}
