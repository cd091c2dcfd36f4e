import type { FastifyRequest } from 'fastify';
import { escapeHtml } from '../passages/passage-page.js';

/** Media ranges of an Accept header with their quality (missing q is 1). */
function acceptRanges(accept: string): { type: string; q: number }[] {
  return accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { type: type.trim(), q: q === undefined ? 1 : Number(q) };
  });
}

/**
 * Whether the request is a browser opening a page (it names text/html and ranks it above JSON),
 * not a script or the web console's fetch (`*\/*` or application/json): those keep JSON errors.
 */
export function prefersHtml(req: FastifyRequest): boolean {
  const ranges = acceptRanges(String(req.headers.accept ?? ''));
  const quality = (type: string) => Math.max(0, ...ranges.filter((r) => r.type === type).map((r) => r.q));
  const html = Math.max(quality('text/html'), quality('application/xhtml+xml'));
  return html > 0 && html > quality('application/json');
}

/**
 * What a signed-out browser sees instead of a JSON 401: how to sign in, for chat set-ups and for
 * local ones. Static HTML with the console's stylesheet (no inline script or style: the CSP forbids them).
 */
export function signedOutPage(opts: { reason: string; apiKeySet: boolean }): string {
  const local = opts.apiKeySet
    ? '<li>Your own set-up with <code>TEAMKB_API_KEY</code>: open the <a href="/">web console</a> and enter the key under “API key”; it shows cited passages in its side panel. Scripts send <code>Authorization: Bearer &lt;key&gt;</code>.</li>'
    : '<li>Your own set-up: open TeamKB in a browser on the machine it runs on (for example <code>http://127.0.0.1:7860</code>); that browser needs no sign-in.</li>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to see this page · TeamKB</title>
<link rel="stylesheet" href="/app.css">
</head>
<body class="signin">
<main>
<h1>Sign in to see this page</h1>
<p class="reason">${escapeHtml(opts.reason)}</p>
<ul>
<li>In chat (Slack, Discord, Feishu): send <code>/kb web</code> to the bot in a direct message. It answers with a one-time sign-in link; open it in this browser, then open this page again.</li>
${local}
</ul>
<p><a href="/">Go to TeamKB</a></p>
</main>
</body>
</html>
`;
}
