import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { IncomingAction, IncomingCommand } from '../../core/chat.js';
import { attachmentFileRef } from './attachments.js';
import { ChannelSurface } from './channel-surface.js';
import { KB_COMMAND_NAME } from './command-definition.js';
import { commandText } from './command-text.js';
import { interactionContext } from './context.js';
import { deliver } from './deliver.js';
import type { HandlerDeps } from './handler-deps.js';
import { InteractionSurface } from './interaction-surface.js';
import { discordLimits } from './surface.js';

const MAX_CHOICES = 25;

export function handleInteraction(deps: HandlerDeps, interaction: Interaction): void {
  if (interaction.isAutocomplete()) void answerAutocomplete(deps, interaction);
  else if (interaction.isChatInputCommand() && interaction.commandName === KB_COMMAND_NAME) handleKbCommand(deps, interaction);
  else if (interaction.isButton()) handleButton(deps, interaction);
}

/** Acknowledges at once (deferReply), then hands `/kb <subcommand> …` to the runtime in its text grammar. */
function handleKbCommand(deps: HandlerDeps, interaction: ChatInputCommandInteraction): void {
  const receivedAt = deps.options.now();
  const acked = acknowledge(deps, interaction.deferReply());
  const subcommand = interaction.options.data[0];
  const received = subcommand?.options ?? [];
  const event: IncomingCommand = {
    kind: 'command',
    ...interactionContext(interaction),
    text: commandText(
      subcommand?.name ?? '',
      received.map((o) => ({ name: o.name, value: o.value ?? undefined })),
      deps.specs,
    ),
    attachments: received.flatMap((o) =>
      o.attachment
        ? [
            attachmentFileRef(
              { name: o.attachment.name, url: o.attachment.url, size: o.attachment.size, contentType: o.attachment.contentType },
              deps.options.maxFileBytes,
            ),
          ]
        : [],
    ),
  };
  const surface = interactionSurface(deps, interaction, acked, true, receivedAt);
  deliver(deps.runtime, event, deps.runtime.replyOn(surface), deps.logger);
}

/** A click on one of our buttons: acknowledged with deferUpdate; confirm/cancel prompts lose their buttons. */
function handleButton(deps: HandlerDeps, interaction: ButtonInteraction): void {
  const decoded = deps.codec.decode(interaction.customId);
  if (!decoded) return;
  const receivedAt = deps.options.now();
  const acked = acknowledge(deps, interaction.deferUpdate());
  if (decoded.action !== 'feedback') {
    void acked.then((ok) =>
      ok
        ? interaction.editReply({ components: [] }).then(
            () => undefined,
            (err: unknown) => deps.logger.warn({ err }, 'discord: could not remove the buttons of a prompt'),
          )
        : undefined,
    );
  }
  const event: IncomingAction = {
    kind: 'action',
    ...interactionContext(interaction),
    action: decoded.action,
    value: decoded.value,
  };
  const surface = interactionSurface(deps, interaction, acked, false, receivedAt);
  deliver(deps.runtime, event, deps.runtime.replyOn(surface), deps.logger);
}

async function answerAutocomplete(deps: HandlerDeps, interaction: AutocompleteInteraction): Promise<void> {
  try {
    const typed = String(interaction.options.getFocused() ?? '').toLowerCase();
    const names = deps.runtime.kbNames({
      platform: 'discord',
      workspace: interaction.guildId ?? 'dm',
      channel: interaction.channelId ?? 'unknown',
    });
    const matches = names
      .filter((name) => name.toLowerCase().includes(typed))
      .sort((a, b) => Number(!a.toLowerCase().startsWith(typed)) - Number(!b.toLowerCase().startsWith(typed)))
      .slice(0, MAX_CHOICES);
    await interaction.respond(matches.map((name) => ({ name: name.slice(0, 100), value: name.slice(0, 100) })));
  } catch (err) {
    deps.logger.warn({ err }, 'discord: autocomplete failed');
  }
}

function acknowledge(deps: HandlerDeps, ack: Promise<unknown>): Promise<boolean> {
  return ack.then(
    () => true,
    (err: unknown) => {
      deps.logger.warn({ err }, 'discord: could not acknowledge an interaction; replying in the channel');
      return false;
    },
  );
}

function interactionSurface(
  deps: HandlerDeps,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  acked: Promise<boolean>,
  ownsOriginal: boolean,
  receivedAt: number,
): InteractionSurface {
  const channelId = interaction.channelId ?? '';
  const fallback = new ChannelSurface(
    interaction.client.rest,
    async () => ({ channelId }),
    deps.codec,
    discordLimits(deps.options),
  );
  return new InteractionSurface({
    interaction,
    acked,
    ownsOriginal,
    deadline: receivedAt + deps.options.interactionTtlMs,
    now: deps.options.now,
    fallback,
    codec: deps.codec,
  });
}
