import { type Loopback, startLoopback } from '../../models/helpers/loopback.js';

export interface WireMessage {
  role: string;
  content: string | null;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
}

export interface WireRequest {
  model: string;
  messages: WireMessage[];
  tools?: Array<{ function: { name: string } }>;
  tool_choice?: string;
  stream?: boolean;
}

/** One scripted model turn: text, tool calls, or both; usage optional. */
export interface ScriptedTurn {
  text?: string;
  calls?: Array<{ name: string; args: Record<string, unknown> | string }>;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Wait this long before answering (cancellation and time-limit tests). */
  delayMs?: number;
}

export type Script = (req: WireRequest, turn: number) => ScriptedTurn;

/**
 * A loopback OpenAI-compatible server whose non-streamed chat completions follow a script: each
 * request is answered by `script(request, turnIndex)`, with real tool_calls on the wire.
 */
export async function startScriptedOpenAi(script: Script): Promise<Loopback & { requests: WireRequest[] }> {
  const requests: WireRequest[] = [];
  const loopback = await startLoopback(async (seen, res) => {
    if (seen.path !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(seen.body) as WireRequest;
    const turn = script(body, requests.length);
    requests.push(body);
    if (turn.delayMs) await new Promise((r) => setTimeout(r, turn.delayMs));
    const tool_calls = (turn.calls ?? []).map((c, i) => ({
      id: `call_${requests.length}_${i}`,
      type: 'function',
      function: { name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) },
    }));
    const message = { role: 'assistant', content: turn.text ?? null, ...(tool_calls.length ? { tool_calls } : {}) };
    if (res.destroyed) return;
    if (body.stream) {
      // Plain (non-agent) answers stream their text as SSE.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: turn.text ?? '' } }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        choices: [{ index: 0, message, finish_reason: tool_calls.length ? 'tool_calls' : 'stop' }],
        usage: turn.usage ?? { prompt_tokens: 50, completion_tokens: 10 },
      }),
    );
  });
  return { ...loopback, requests };
}

/** The tool results the model was sent in a request, in order. */
export const toolResults = (req: WireRequest): string[] =>
  req.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
