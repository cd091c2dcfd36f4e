import { execFile, spawn } from 'node:child_process';
import type { OcrEngine } from './ocr.js';

const RECOGNIZE_TIMEOUT_MS = 120_000;

/** The tesseract CLI with the requested languages that are installed (e.g. "chi_sim+eng"). */
export async function createTesseractEngine(languages: string): Promise<OcrEngine> {
  const installed = await listLanguages();
  const wanted = languages.split('+').filter(Boolean);
  const usable = wanted.filter((language) => installed.includes(language));
  if (usable.length === 0) throw new Error(`none of the languages ${languages} is installed for tesseract`);
  const language = usable.join('+');
  return {
    name: `tesseract (${language})`,
    async recognize(image) {
      const text = await runTesseract(image, language);
      return joinCjkSpacing(text)
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .join('\n');
    },
  };
}

function listLanguages(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('tesseract', ['--list-langs'], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err)
        return reject(new Error((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'tesseract is not installed' : err.message));
      // Older versions print the list on stderr.
      resolve(
        `${stdout}\n${stderr}`
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line && !line.startsWith('List of')),
      );
    });
  });
}

function runTesseract(image: Buffer, language: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tesseract', ['stdin', 'stdout', '-l', language], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let errText = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), RECOGNIZE_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      errText += chunk.toString();
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`tesseract failed: ${errText.split('\n')[0] || `exit ${code}`}`));
    });
    child.stdin.on('error', () => undefined); // tesseract may exit before reading everything; 'close' reports it
    child.stdin.end(image);
  });
}

/** Removes the spaces tesseract puts between CJK characters. */
function joinCjkSpacing(text: string): string {
  return text.replace(/(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])/g, '');
}
