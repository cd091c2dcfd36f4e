import { describe, expect, it } from 'vitest';
import { commandSpecs, GRAMMAR, helpText } from '../../../bots/commands/grammar.js';
import { kbNameProblem } from '../../../bots/commands/kb-name.js';
import { type Command, parseCommand } from '../../../bots/commands/parse.js';

const known = new Set(['handbook', '手册', 'ops']);
const parse = (text: string) => parseCommand(text, { isKb: (n) => known.has(n) });

describe('parseCommand: valid commands', () => {
  const cases: [string, Command][] = [
    ['', { name: 'help' }],
    ['help', { name: 'help' }],
    ['HELP', { name: 'help' }],
    ['?', { name: 'help' }],
    ['list', { name: 'list' }],
    ['ls', { name: 'list' }],
    ['files handbook', { name: 'files', kb: 'handbook' }],
    ['use 手册', { name: 'use', kb: '手册' }],
    ['unuse', { name: 'unuse' }],
    ['search vpn key rotation', { name: 'search', query: 'vpn key rotation' }],
    ['search handbook vpn key', { name: 'search', kb: 'handbook', query: 'vpn key' }],
    ['search handbook', { name: 'search', query: 'handbook' }],
    ['search unknownkb vpn', { name: 'search', query: 'unknownkb vpn' }],
    ['search "handbook" rules', { name: 'search', query: 'handbook rules' }],
    ['ask handbook how do I rotate the VPN key?', { name: 'ask', kb: 'handbook', question: 'how do I rotate the VPN key?' }],
    ['ask handbook "how do I rotate the VPN key?"', { name: 'ask', kb: 'handbook', question: 'how do I rotate the VPN key?' }],
    ['ask handbook “how do I rotate it?”', { name: 'ask', kb: 'handbook', question: 'how do I rotate it?' }],
    ["ask handbook 'what is the policy'", { name: 'ask', kb: 'handbook', question: 'what is the policy' }],
    ["ask handbook what's the policy", { name: 'ask', kb: 'handbook', question: "what's the policy" }],
    ['ask 手册 年假有几天？', { name: 'ask', kb: '手册', question: '年假有几天？' }],
    ['ask ops what does --force do', { name: 'ask', kb: 'ops', question: 'what does --force do' }],
    ['web latest node release', { name: 'web', question: 'latest node release' }],
    ['web', { name: 'web' }],
    ['login', { name: 'login', logout: false }],
    ['signin --logout', { name: 'login', logout: true }],
    ['create handbook', { name: 'create', kb: 'handbook', private: false }],
    ['create 手册 公司员工手册', { name: 'create', kb: '手册', description: '公司员工手册', private: false }],
    ['create 手册 “公司 员工 手册”', { name: 'create', kb: '手册', description: '公司 员工 手册', private: false }],
    ['create 手册 「员工手册」 --private', { name: 'create', kb: '手册', description: '员工手册', private: true }],
    [
      'create ops-v2.1 "Runbooks for on-call" --private',
      { name: 'create', kb: 'ops-v2.1', description: 'Runbooks for on-call', private: true },
    ],
    ['create ops Runbooks —private', { name: 'create', kb: 'ops', description: 'Runbooks', private: true }],
    ['upload handbook', { name: 'upload', kb: 'handbook' }],
    ['remove handbook "Travel Policy 2024.pdf"', { name: 'remove', kb: 'handbook', file: 'Travel Policy 2024.pdf' }],
    ['rm handbook guide.pdf', { name: 'remove', kb: 'handbook', file: 'guide.pdf' }],
    ['reindex handbook', { name: 'reindex', kb: 'handbook' }],
    ['delete handbook', { name: 'delete', kb: 'handbook', yes: false }],
    ['delete handbook --yes', { name: 'delete', kb: 'handbook', yes: true }],
    ['delete --yes handbook', { name: 'delete', kb: 'handbook', yes: true }],
    ['reset', { name: 'reset' }],
    ['model', { name: 'model' }],
    ['model large', { name: 'model', model: 'large' }],
    ['status', { name: 'status' }],
    ['  status  ', { name: 'status' }],
  ];
  it.each(cases)('%j', (text, command) => {
    expect(parse(text)).toEqual({ ok: true, command });
  });
});

describe('parseCommand: malformed commands answer with the closest usage line', () => {
  const cases: [string, RegExp, string][] = [
    ['serch vpn', /Unknown command "serch"/, '/kb search [kb] <query>'],
    ['delet handbook', /Unknown command "delet"/, '/kb delete <kb> [--yes]'],
    ['del handbook', /Unknown command "del"/, '/kb delete <kb> [--yes]'],
    ['craete x', /Unknown command/, '/kb create <kb> [description] [--private]'],
    ['uplaod handbook', /Unknown command/, '/kb upload <kb> (attach files)'],
    ['ask', /Missing <kb>/, '/kb ask <kb> <question>'],
    ['ask handbook', /Missing <question>/, '/kb ask <kb> <question>'],
    ['files', /Missing <kb>/, '/kb files <kb>'],
    ['files handbook extra', /Unexpected "extra"/, '/kb files <kb>'],
    ['delete handbook --force', /Unknown option "--force"/, '/kb delete <kb> [--yes]'],
    ['use "my kb"', /not a valid knowledge base name/, '/kb use <kb>'],
    ['create a/b', /not a valid knowledge base name/, '/kb create <kb> [description] [--private]'],
    ['create .hidden', /must start with a letter or digit/, '/kb create <kb> [description] [--private]'],
    [`create ${'x'.repeat(65)}`, /too long \(65 characters\)/, '/kb create <kb> [description] [--private]'],
    ['remove handbook', /Missing <file>/, '/kb remove <kb> <file>'],
    ['model a b', /Unexpected "b"/, '/kb model [name]'],
  ];
  it.each(cases)('%j', (text, message, usage) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(message);
    expect(result.usage).toBe(usage);
  });
});

describe('knowledge base names', () => {
  it.each(['handbook', '手册', '社内ハンドブック', 'ops_2024', 'v1.2-beta', 'Ünïcödé', 'x'.repeat(64), '人'.repeat(64)])(
    'accepts %j',
    (name) => expect(kbNameProblem(name)).toBeUndefined(),
  );
  it.each(['', 'a b', 'a/b', '../etc', '.git', 'x'.repeat(65), 'semi;colon', 'emoji😀'])('rejects %j with a reason', (name) => {
    expect(kbNameProblem(name)).toMatch(/knowledge base name/i);
  });
});

describe('grammar-derived help and specs', () => {
  it('lists every command in help and in the command specs', () => {
    const help = helpText();
    const specs = commandSpecs();
    expect(specs.map((s) => s.name)).toEqual(GRAMMAR.map((c) => c.name));
    for (const spec of specs) expect(help).toContain(`/kb ${spec.usage}`);
    expect(specs.find((s) => s.name === 'delete')).toMatchObject({ adminOnly: true, usage: 'delete <kb> [--yes]' });
    expect(specs.find((s) => s.name === 'upload')?.options.map((o) => o.kind)).toEqual(['kb', 'file']);
    expect(specs.find((s) => s.name === 'search')?.options[0]).toMatchObject({ name: 'kb', kind: 'kb', required: false });
  });
});
