import type { ResourceKey } from './types.js';

/** Text a user wrote plus the files/images inside the message. */
export interface ParsedContent {
  text: string;
  resources: ResourceKey[];
}

/** Replaces a mention key (`@_user_1`) with what the text should read: '' for the bot, `@Name` for others. */
export type MentionText = (key: string) => string | undefined;

type Json = Record<string, unknown>;

function parseJson(content: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(content);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Mention keys are replaced longest first so `@_user_1` never eats the start of `@_user_12`. */
export function replaceMentionKeys(text: string, keys: string[], mentionText: MentionText): string {
  let out = text;
  for (const key of [...keys].sort((a, b) => b.length - a.length)) {
    const replacement = mentionText(key);
    if (replacement !== undefined) out = out.split(key).join(replacement);
  }
  return out;
}

/** Collapses the gaps a removed mention leaves behind, keeping line breaks. */
export function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]{2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function fileResource(content: Json, fallbackPrefix: string, extension: string): ResourceKey[] {
  const key = str(content.file_key);
  if (!key) return [];
  return [{ key, type: 'file', name: str(content.file_name) ?? `${fallbackPrefix}_${key}${extension}` }];
}

/** Image keys carry no file name; `.png` is a placeholder corrected from the download's content type. */
export function imageResource(key: string): ResourceKey {
  return { key, type: 'image', name: `image_${key}.png` };
}

function postElementText(element: Json, mentionText: MentionText, resources: ResourceKey[]): string {
  switch (element.tag) {
    case 'text':
    case 'md':
      return str(element.text) ?? '';
    case 'a': {
      const label = str(element.text);
      const href = str(element.href);
      if (label && href && label !== href) return `${label} (${href})`;
      return label ?? href ?? '';
    }
    case 'at': {
      const id = str(element.user_id) ?? str(element.open_id) ?? '';
      const mapped = mentionText(id);
      if (mapped !== undefined) return mapped;
      if (id === 'all' || id === '@_all') return '@all';
      return `@${str(element.user_name) ?? id}`;
    }
    case 'img': {
      const key = str(element.image_key);
      if (key) resources.push(imageResource(key));
      return '';
    }
    case 'media':
      resources.push(...fileResource(element, 'video', '.mp4'));
      return '';
    case 'code_block': {
      const language = (str(element.language) ?? '').toLowerCase();
      return `\n\`\`\`${language}\n${(str(element.text) ?? '').replace(/\n$/, '')}\n\`\`\`\n`;
    }
    case 'hr':
      return '\n---\n';
    case 'emotion':
      return str(element.emoji_type) ? `:${element.emoji_type}:` : '';
    default:
      return str(element.text) ?? '';
  }
}

/**
 * Received `post` content is `{title, content: [[element, ...], ...]}` (one array per paragraph);
 * sent posts wrap that in a locale key (`zh_cn`, `en_us`), which we also accept.
 */
export function flattenPost(post: Json, mentionText: MentionText): ParsedContent {
  const body = Array.isArray(post.content) ? post : Object.values(post).find((v): v is Json => isPostBody(v));
  if (!body) return { text: '', resources: [] };
  const resources: ResourceKey[] = [];
  const lines: string[] = [];
  const title = str(body.title);
  if (title) lines.push(title);
  for (const paragraph of body.content as unknown[]) {
    if (!Array.isArray(paragraph)) continue;
    const parts = paragraph
      .filter((e): e is Json => typeof e === 'object' && e !== null)
      .map((e) => postElementText(e, mentionText, resources));
    lines.push(parts.join(''));
  }
  return { text: tidy(lines.join('\n')), resources };
}

function isPostBody(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && Array.isArray((value as Json).content);
}

/** Parses `message.content` (a JSON string) for one `message_type`. Unknown or malformed → empty. */
export function parseMessageContent(
  messageType: string,
  content: string,
  mentionText: MentionText,
  mentionKeys: string[],
): ParsedContent {
  const json = parseJson(content);
  if (!json) return { text: '', resources: [] };
  switch (messageType) {
    case 'text':
      return { text: tidy(replaceMentionKeys(str(json.text) ?? '', mentionKeys, mentionText)), resources: [] };
    case 'post':
      return flattenPost(json, mentionText);
    case 'image': {
      const key = str(json.image_key);
      return { text: '', resources: key ? [imageResource(key)] : [] };
    }
    case 'file':
      return { text: '', resources: fileResource(json, 'file', '') };
    case 'media':
      return { text: '', resources: fileResource(json, 'video', '.mp4') };
    case 'audio':
      return { text: '', resources: fileResource(json, 'audio', '.opus') };
    default:
      return { text: '', resources: [] };
  }
}
