import type { FakeDiscord } from './fake-discord.js';
import { channelObject, messageObject } from './payloads.js';
import { nextSnowflake } from './snowflake.js';
import type { FakeMessage } from './world.js';

const EPHEMERAL = 64;
const LOADING = 128;

interface MessageBody {
  content?: string;
  components?: unknown[];
  flags?: number;
  message_reference?: { message_id: string };
}

/** Discord's own checks that matter here: 2000 characters, no empty messages. */
function invalidBody(body: MessageBody, creating: boolean) {
  if ((body.content ?? '').length > 2000) {
    return {
      status: 400,
      body: { code: 50035, message: 'Invalid Form Body', errors: { content: 'Must be 2000 or fewer in length.' } },
    };
  }
  if (creating && !body.content && !(body.components ?? []).length) {
    return { status: 400, body: { code: 50006, message: 'Cannot send an empty message' } };
  }
  return undefined;
}

function apply(m: FakeMessage, body: MessageBody): void {
  if (body.content !== undefined) m.content = body.content;
  if (body.components !== undefined) m.components = body.components;
  m.flags &= ~LOADING;
  m.updates++;
}

/** The REST routes discord.js calls for TeamKB, backed by the fake's world. */
export function installRoutes(fake: FakeDiscord): void {
  const { rest, world } = fake;
  const unknownMessage = { status: 404, body: { code: 10008, message: 'Unknown Message' } };
  const invalidToken = { status: 401, body: { code: 50027, message: 'Invalid Webhook Token' } };

  rest.on('GET', /^\/gateway\/bot$/, () => ({
    status: 200,
    body: {
      url: fake.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
    },
  }));

  rest.on('POST', /^\/channels\/(\d+)\/messages$/, async ([channelId], raw) => {
    const body = raw as MessageBody;
    if (!world.channels.has(channelId as string)) return { status: 404, body: { code: 10003, message: 'Unknown Channel' } };
    const invalid = invalidBody(body, true);
    if (invalid) return invalid;
    const m = world.addMessage({
      channelId: channelId as string,
      content: body.content ?? '',
      components: body.components ?? [],
      author: world.bot,
      via: 'channel',
      flags: body.flags ?? 0,
      referenceId: body.message_reference?.message_id,
    });
    await fake.echo(m);
    return { status: 200, body: messageObject(world, m) };
  });

  rest.on('PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, ([, id], raw) => {
    const m = world.messages.get(id as string);
    if (!m || m.deleted) return unknownMessage;
    const invalid = invalidBody(raw as MessageBody, false);
    if (invalid) return invalid;
    apply(m, raw as MessageBody);
    return { status: 200, body: messageObject(world, m) };
  });

  rest.on('DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, ([, id]) => {
    const m = world.messages.get(id as string);
    if (!m || m.deleted) return unknownMessage;
    m.deleted = true;
    return { status: 204 };
  });

  rest.on('POST', /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, async ([channelId, messageId], raw) => {
    const parent = world.channels.get(channelId as string);
    if (!parent) return { status: 404, body: { code: 10003, message: 'Unknown Channel' } };
    if (world.channels.has(messageId as string)) {
      return { status: 400, body: { code: 160004, message: 'A thread has already been created for this message' } };
    }
    const name = (raw as { name?: string }).name ?? '';
    if (name.length < 1 || name.length > 100) return { status: 400, body: { code: 50035, message: 'Invalid Form Body' } };
    const thread = {
      id: messageId as string,
      type: 11 as const,
      name,
      guildId: parent.guildId,
      parentId: parent.id,
      ownerId: world.bot.id,
    };
    world.channels.set(thread.id, thread);
    await fake.gateway.dispatch('THREAD_CREATE', { ...channelObject(thread), newly_created: true });
    return { status: 201, body: channelObject(thread) };
  });

  rest.on('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, ([id, token], raw) => {
    const interaction = world.interactions.get(id as string);
    if (!interaction || interaction.token !== token)
      return { status: 404, body: { code: 10062, message: 'Unknown interaction' } };
    if (interaction.callbacks.some((c) => c.type !== 8)) {
      return { status: 400, body: { code: 40060, message: 'Interaction has already been acknowledged.' } };
    }
    const body = raw as { type: number; data?: MessageBody };
    interaction.callbacks.push({ type: body.type, data: body.data });
    fake.noteAck(interaction.id);
    if (body.type === 4 || body.type === 5) {
      const m = world.addMessage({
        channelId: interaction.channelId,
        content: body.data?.content ?? '',
        components: body.data?.components ?? [],
        author: world.bot,
        via: 'webhook',
        flags: (body.data?.flags ?? 0) | (body.type === 5 ? LOADING : 0),
        interactionId: interaction.id,
      });
      interaction.originalId = m.id;
    }
    return { status: 204 };
  });

  const webhookMessage = (token: string, id: string) => {
    const interaction = world.interactionByToken(token);
    if (!interaction || fake.expired.has(interaction.id)) return undefined;
    const m = world.messages.get(id === '@original' ? (interaction.originalId ?? '') : id);
    return m && !m.deleted ? m : null;
  };

  rest.on('PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, ([, token, id], raw) => {
    const m = webhookMessage(token as string, id as string);
    if (m === undefined) return invalidToken;
    if (m === null) return unknownMessage;
    const invalid = invalidBody(raw as MessageBody, false);
    if (invalid) return invalid;
    apply(m, raw as MessageBody);
    return { status: 200, body: messageObject(world, m) };
  });

  rest.on('DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, ([, token, id]) => {
    const m = webhookMessage(token as string, id as string);
    if (m === undefined) return invalidToken;
    if (m === null) return unknownMessage;
    m.deleted = true;
    return { status: 204 };
  });

  rest.on('POST', /^\/webhooks\/(\d+)\/([^/]+)$/, async ([, token], raw) => {
    const interaction = world.interactionByToken(token as string);
    if (!interaction || fake.expired.has(interaction.id)) return invalidToken;
    const body = raw as MessageBody;
    const invalid = invalidBody(body, true);
    if (invalid) return invalid;
    const m = world.addMessage({
      channelId: interaction.channelId,
      content: body.content ?? '',
      components: body.components ?? [],
      author: world.bot,
      via: 'webhook',
      flags: body.flags ?? 0,
      interactionId: interaction.id,
    });
    if (!(m.flags & EPHEMERAL)) await fake.echo(m);
    return { status: 200, body: messageObject(world, m) };
  });

  const putCommands = (scope: string, raw: unknown) => {
    const previous = (world.commands.get(scope) ?? []) as { id: string; name: string }[];
    const saved = (raw as { name: string }[]).map((c) => ({
      ...c,
      id: previous.find((p) => p.name === c.name)?.id ?? nextSnowflake(),
      application_id: fake.applicationId,
      version: nextSnowflake(),
    }));
    world.commands.set(scope, saved);
    return { status: 200, body: saved };
  };
  rest.on('PUT', /^\/applications\/(\d+)\/commands$/, (_p, raw) => putCommands('global', raw));
  rest.on('PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, ([, guildId], raw) => putCommands(`guild:${guildId}`, raw));
  rest.on('GET', /^\/applications\/(\d+)\/commands$/, () => ({ status: 200, body: world.commands.get('global') ?? [] }));
}
