import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { Embedder } from '../../core/embedder.js';
import { isTeamKbError } from '../../core/errors.js';

export interface SemanticTriple {
  anchor: string;
  similar: string;
  unrelated: string;
}

export interface EmbedderContractOptions {
  /**
   * Lowest cosine allowed between a text embedded inside a batch and alone. Exact models give ~1;
   * int8 ONNX models with dynamic activation quantization depend slightly on their batch-mates.
   */
  batchTolerance?: number;
  semantic?: SemanticTriple[];
}

const DEFAULT_SEMANTIC: SemanticTriple[] = [{ anchor: '今天天气很好', similar: '今天是晴天', unrelated: '股票市场下跌' }];

function cos(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/**
 * Behaviour every Embedder must show. `make` returns undefined when its model is unavailable
 * (the cases then skip; the caller prints why).
 */
export function embedderContract(
  name: string,
  make: () => Promise<Embedder | undefined>,
  options: EmbedderContractOptions = {},
): void {
  const tolerance = options.batchTolerance ?? 0.999;
  const semantic = options.semantic ?? DEFAULT_SEMANTIC;

  describe(`Embedder contract: ${name}`, () => {
    let embedder: Embedder | undefined;
    beforeAll(async () => {
      embedder = await make();
    });
    afterAll(async () => {
      await embedder?.close?.();
    });
    const ready = (ctx: TestContext): Embedder => {
      if (!embedder) ctx.skip();
      return embedder as Embedder;
    };

    it('has a stable id and a positive dimension matching its vectors', async (ctx) => {
      const e = ready(ctx);
      expect(e.id).toMatch(/^[a-z]+:\S+$/);
      expect(Number.isInteger(e.dim) && e.dim > 0).toBe(true);
      const [v] = await e.embed(['dimension check'], 'passage');
      expect(v).toBeInstanceOf(Float32Array);
      expect(v?.length).toBe(e.dim);
    });

    it('returns unit-length vectors for queries and passages', async (ctx) => {
      const e = ready(ctx);
      for (const kind of ['query', 'passage'] as const) {
        for (const v of await e.embed(['短句', 'A somewhat longer English sentence about retrieval.'], kind)) {
          expect(norm(v)).toBeCloseTo(1, 3);
        }
      }
    });

    it('is deterministic', async (ctx) => {
      const e = ready(ctx);
      const texts = ['今天天气很好', 'deterministic output'];
      const [a, b] = [await e.embed(texts, 'passage'), await e.embed(texts, 'passage')];
      texts.forEach((_, i) => {
        expect(Array.from(a[i] as Float32Array)).toEqual(Array.from(b[i] as Float32Array));
      });
    });

    it('embeds a batch like it embeds each text alone', async (ctx) => {
      const e = ready(ctx);
      const texts = ['今天天气很好', '股票市场下跌', 'the weather is nice today', '短'];
      const batch = await e.embed(texts, 'passage');
      for (const [i, text] of texts.entries()) {
        const [single] = await e.embed([text], 'passage');
        expect(cos(batch[i] as Float32Array, single as Float32Array)).toBeGreaterThanOrEqual(tolerance);
      }
    });

    it('keeps the order of its input', async (ctx) => {
      const e = ready(ctx);
      const texts = ['一二三四五六七八九十', 'b', 'a medium length text'];
      const forward = await e.embed(texts, 'passage');
      const backward = await e.embed([...texts].reverse(), 'passage');
      texts.forEach((_, i) => {
        expect(cos(forward[i] as Float32Array, backward[texts.length - 1 - i] as Float32Array)).toBeGreaterThanOrEqual(tolerance);
      });
    });

    it('accepts an empty string and an empty list', async (ctx) => {
      const e = ready(ctx);
      const [v] = await e.embed([''], 'passage');
      expect(v?.length).toBe(e.dim);
      expect(norm(v as Float32Array)).toBeCloseTo(1, 3);
      expect(await e.embed([], 'query')).toEqual([]);
    });

    it('handles Chinese and English text', async (ctx) => {
      const e = ready(ctx);
      const [zh, en] = await e.embed(['知识库机器人回答问题', 'The knowledge base bot answers questions'], 'passage');
      expect(Array.from(zh as Float32Array).every(Number.isFinite)).toBe(true);
      expect(Array.from(en as Float32Array).every(Number.isFinite)).toBe(true);
      expect(cos(zh as Float32Array, en as Float32Array)).toBeLessThan(0.9999);
    });

    it('puts a similar text closer than an unrelated one', async (ctx) => {
      const e = ready(ctx);
      for (const t of semantic) {
        const [anchor, similar, unrelated] = await e.embed([t.anchor, t.similar, t.unrelated], 'passage');
        const close = cos(anchor as Float32Array, similar as Float32Array);
        const far = cos(anchor as Float32Array, unrelated as Float32Array);
        expect(close, `${t.anchor} ~ ${t.similar} (${close.toFixed(3)}) vs ${t.unrelated} (${far.toFixed(3)})`).toBeGreaterThan(
          far,
        );
      }
    });

    it('stops with CANCELLED when the signal is already aborted', async (ctx) => {
      const e = ready(ctx);
      const controller = new AbortController();
      controller.abort();
      const error = await e.embed(['cancel me'], 'passage', controller.signal).catch((err: unknown) => err);
      expect(isTeamKbError(error, 'CANCELLED')).toBe(true);
    });
  });
}
