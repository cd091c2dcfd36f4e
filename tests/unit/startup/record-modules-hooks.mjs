import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.TEAMKB_RECORD_MODULES, `${result.url}\n`);
  return result;
}
