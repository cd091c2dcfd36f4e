import { signSlackRequest } from '../../../adapters/slack/signature.js';
import { FakeSlack } from '../../unit/slack/fake-slack.js';

const SECRET = 'scale-out-signing-secret';

/** A fake Slack Web API shared by every replica, and the settings that make them take signed HTTP posts. */
export async function slackForReplicas(): Promise<{ fake: FakeSlack; env: Record<string, string> }> {
  const fake = await new FakeSlack().listen();
  const env = { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: 'http', SLACK_API_URL: fake.apiUrl };
  return { fake, env };
}

/** Posts a body to a replica's Slack endpoint signed as Slack signs it; resolves with the status and the ack body. */
export async function postSigned(url: string, body: string, contentType: string): Promise<{ status: number; body: string }> {
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signSlackRequest(SECRET, ts, body),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

/** One app mention as the Events API delivers it; the same id sent twice is the same event. */
export function mentionEvent(eventId: string, ts: string, text: string): string {
  const event = { type: 'app_mention', channel: 'C1', user: 'U1', ts, text: `<@UBOT> ${text}` };
  return JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: eventId, event });
}

/**
 * Runs `/kb <text>` as a slash command on one replica and resolves with the first new text Slack
 * shows matching `reply` (the ack, a response_url post or a channel message, whichever was used).
 */
export async function slashCommand(fake: FakeSlack, url: string, id: string, text: string, reply: RegExp): Promise<string> {
  const before = new Set(fake.allMessages().map((m) => m.key));
  const form = new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U1',
    user_name: 'alice',
    command: '/kb',
    text,
    api_app_id: 'A1',
    response_url: fake.responseUrl(id),
    trigger_id: `trigger-${id}`,
  }).toString();
  const res = await postSigned(url, form, 'application/x-www-form-urlencoded');
  if (res.status !== 200) throw new Error(`/kb ${text}: HTTP ${res.status}`);
  fake.recordAckMessage(id, 'C1', res.body);
  for (let i = 0; i < 100; i++) {
    const shown = fake.allMessages().find((m) => !before.has(m.key) && reply.test(m.text));
    if (shown) return shown.text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/kb ${text}: no reply from ${url}`);
}
