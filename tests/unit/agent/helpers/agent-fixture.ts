import { TeamKbChatModel } from '../../../../adapters/models/langchain-chat-model.js';
import { createOpenAiLlm } from '../../../../adapters/models/llm-openai.js';
import type { AnswerPart, FinalAnswer } from '../../../../core/answer.js';
import type { KbService } from '../../../../core/kb-service.js';
import { openTestCore } from '../../../helpers/core.js';

export const HANDBOOK = {
  'travel-2023.md': '# Travel policy 2023\n\nThe daily meal allowance for business trips in 2023 is 40 EUR per day.',
  'travel-2024.md': '# Travel policy 2024\n\nThe daily meal allowance for business trips in 2024 is 55 EUR per day.',
  'vpn.md': '# VPN\n\nRotate the VPN key every 90 days with the vpnctl rotate command.',
  'onboarding.md': [
    '# Onboarding',
    '',
    `Day one starts at the front desk. ${'Bring your passport and sign the visitor book. '.repeat(9)}`,
    '',
    `Laptops are handed out by IT. ${'Enable disk encryption and install the VPN client. '.repeat(9)}`,
    '',
    `Lunch is on the team in the first week. ${'The canteen opens at noon on the ground floor. '.repeat(9)}`,
  ].join('\n'),
};
export const SECRET = { 'salaries.md': '# Salaries\n\nThe travel bonus for directors is 9000 EUR, a secret figure.' };

/** A real core (SQLite registry, embedded store, fake embedder) holding a public and a hidden KB. */
export async function openAgentCore() {
  const { core } = await openTestCore();
  const bytes = (files: Record<string, string>) =>
    Object.entries(files).map(([name, text]) => ({ name, bytes: Buffer.from(text) }));
  await core.kb.createKb('handbook', { description: 'Company handbook' });
  await core.kb.ingestUploads('handbook', bytes(HANDBOOK));
  await core.kb.createKb('secret', { description: 'HR only', visibility: 'restricted' });
  await core.kb.ingestUploads('secret', bytes(SECRET));
  return core;
}

export function scriptedModel(url: string, contextSize?: number) {
  const llm = createOpenAiLlm({ model: 'scripted', baseUrl: url, maxRetries: 0, contextSize });
  return { name: 'scripted', model: new TeamKbChatModel(llm), tokens: llm.tokens, maxTokens: 256 };
}

/** Only public KBs: what a member sees in a channel the restricted KB is not bound to. */
export const publicKbs = (kb: KbService) => () =>
  kb
    .listKbs()
    .filter((k) => k.visibility === 'public')
    .map((k) => ({ name: k.name, description: k.description }));

export interface Collected {
  statuses: string[];
  text: string;
  done?: FinalAnswer;
  error?: { code: string; message: string };
}

export async function collectParts(parts: AsyncIterable<AnswerPart>): Promise<Collected> {
  const out: Collected = { statuses: [], text: '' };
  for await (const part of parts) {
    if (part.type === 'status') out.statuses.push(part.text);
    else if (part.type === 'text') out.text += part.text;
    else if (part.type === 'done') out.done = part.answer;
    else if (part.type === 'error') out.error = { code: part.code, message: part.message };
  }
  return out;
}
