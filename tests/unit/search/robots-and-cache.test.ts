import { describe, expect, it } from 'vitest';
import { parseRobots } from '../../../core/web/robots.js';
import { TtlCache } from '../../../core/web/ttl-cache.js';

const ROBOTS = `# comments are ignored
User-agent: *
Disallow: /private/
Allow: /private/press/
Disallow: /*.pdf$

User-agent: BadBot
User-agent: TeamKB
Disallow: /drafts
`;

describe('parseRobots', () => {
  it('applies the * group: longest match wins, wildcards and $ anchors work', () => {
    const rules = parseRobots(ROBOTS, 'OtherBot');
    expect(rules.allows('/')).toBe(true);
    expect(rules.allows('/private/x')).toBe(false);
    expect(rules.allows('/private/press/release')).toBe(true);
    expect(rules.allows('/files/report.pdf')).toBe(false);
    expect(rules.allows('/files/report.pdf?x=1')).toBe(true);
  });

  it('uses the group that names our agent instead of *', () => {
    const rules = parseRobots(ROBOTS, 'TeamKB');
    expect(rules.allows('/drafts/a')).toBe(false);
    expect(rules.allows('/private/x')).toBe(true);
  });

  it('allows everything for an empty file or an empty Disallow', () => {
    expect(parseRobots('', 'TeamKB').allows('/x')).toBe(true);
    expect(parseRobots('User-agent: *\nDisallow:\n', 'TeamKB').allows('/x')).toBe(true);
  });
});

describe('TtlCache', () => {
  it('expires entries after the TTL and evicts the oldest when full', () => {
    let now = 0;
    const cache = new TtlCache<string>(1000, 2, () => now);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('B');
    now = 1500;
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
