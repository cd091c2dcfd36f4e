/** Responses shaped like the real APIs' answers (fields trimmed to what a real answer commonly has). */

export const searxngAnswer = {
  query: '如何轮换 VPN 密钥',
  number_of_results: 0,
  results: [
    {
      url: 'https://docs.example.org/vpn/rotate',
      title: 'Rotating WireGuard keys',
      content: 'To rotate a key, generate a new pair with wg genkey and update the peer on both ends.',
      engine: 'duckduckgo',
      parsed_url: ['https', 'docs.example.org', '/vpn/rotate', '', '', ''],
      template: 'default.html',
      engines: ['duckduckgo', 'brave'],
      positions: [1, 2],
      score: 4.0,
      category: 'general',
    },
    {
      url: 'https://wiki.example.cn/vpn/%E5%AF%86%E9%92%A5',
      title: 'VPN 密钥轮换指南 &amp; 常见问题',
      content: '每 90 天轮换一次 VPN 密钥，旧密钥在新密钥生效后作废。',
      engine: 'bing',
      engines: ['bing'],
      positions: [2],
      score: 1.5,
      category: 'general',
    },
    { url: 'https://docs.example.org/vpn/rotate', title: 'duplicate', content: 'same URL again', engine: 'brave', score: 1 },
    { url: 'ftp://files.example.org/keys', title: 'not a web page', content: '', engine: 'brave', score: 0.5 },
  ],
  answers: [],
  corrections: [],
  infoboxes: [],
  suggestions: ['vpn key rotation best practices'],
  unresponsive_engines: [['google', 'timeout']],
};

export const bingAnswer = {
  _type: 'SearchResponse',
  queryContext: { originalQuery: 'rotate vpn key' },
  webPages: {
    webSearchUrl: 'https://www.bing.com/search?q=rotate+vpn+key',
    totalEstimatedMatches: 1230000,
    value: [
      {
        id: 'https://api.bing.microsoft.com/api/v7/#WebPages.0',
        name: 'How to rotate VPN keys',
        url: 'https://support.example.com/vpn-keys',
        isFamilyFriendly: true,
        displayUrl: 'https://support.example.com/vpn-keys',
        snippet: 'Rotate the VPN key from the admin console: Settings → Keys → Rotate.',
        dateLastCrawled: '2024-05-01T00:00:00.0000000Z',
        language: 'en',
        isNavigational: false,
      },
      {
        id: 'https://api.bing.microsoft.com/api/v7/#WebPages.1',
        name: '密钥管理 - 示例公司',
        url: 'https://example.cn/kms',
        snippet: '密钥管理服务支持自动轮换。',
        language: 'zh_chs',
      },
    ],
  },
  rankingResponse: {
    mainline: {
      items: [{ answerType: 'WebPages', resultIndex: 0, value: { id: 'https://api.bing.microsoft.com/api/v7/#WebPages.0' } }],
    },
  },
};

export const braveAnswer = {
  type: 'search',
  query: { original: 'rotate vpn key', show_strict_warning: false, is_navigational: false, country: 'us' },
  mixed: { type: 'mixed', main: [{ type: 'web', index: 0, all: false }] },
  web: {
    type: 'search',
    results: [
      {
        title: 'Key rotation &#x2014; VPN handbook',
        url: 'https://handbook.example.net/vpn/key-rotation',
        is_source_local: false,
        is_source_both: false,
        description: 'The <strong>VPN</strong> <strong>key</strong> should be rotated every quarter.',
        page_age: '2024-03-01T00:00:00',
        profile: { name: 'Example', url: 'https://handbook.example.net/', long_name: 'handbook.example.net', img: '' },
        language: 'en',
        family_friendly: true,
        type: 'search_result',
        subtype: 'generic',
        meta_url: {
          scheme: 'https',
          netloc: 'handbook.example.net',
          hostname: 'handbook.example.net',
          favicon: '',
          path: '› vpn',
        },
      },
    ],
    family_friendly: true,
  },
};

export const tavilyAnswer = {
  query: 'rotate vpn key',
  follow_up_questions: null,
  answer: null,
  images: [],
  results: [
    {
      title: 'VPN key rotation in practice',
      url: 'https://blog.example.io/vpn-key-rotation',
      content: 'We rotate VPN keys with a two-step rollout so no client is cut off.',
      score: 0.98,
      raw_content: null,
    },
    { title: 'Second', url: 'https://blog.example.io/second', content: 'More.', score: 0.5, raw_content: null },
  ],
  response_time: 1.07,
};

/** DuckDuckGo's no-JavaScript result page: one ad, two organic results (links wrapped in uddg redirects). */
export const duckduckgoHtml = `<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>rotate vpn key at DuckDuckGo</title></head>
<body class="body--html">
<div id="links" class="results">
  <div class="result results_links results_links_deep result--ad result--ad--small">
    <div class="links_main links_deep result__body">
      <h2 class="result__title"><a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=vpn.example&amp;ad_provider=bingv7aa&amp;u3=https%3A%2F%2Fvpn.example">Best VPN 2024</a></h2>
      <a class="result__snippet" href="https://duckduckgo.com/y.js?ad_domain=vpn.example">Sponsored offer</a>
    </div>
  </div>
  <div class="result results_links results_links_deep web-result ">
    <div class="links_main links_deep result__body">
      <h2 class="result__title">
        <a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.example.org%2Fvpn%2Frotate%3Flang%3Den&amp;rut=4f2a9c0e1b">Rotating <b>VPN</b> keys</a>
      </h2>
      <div class="result__extras"><div class="result__extras__url">
        <a class="result__url" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.example.org%2Fvpn%2Frotate%3Flang%3Den&amp;rut=4f2a9c0e1b">docs.example.org/vpn/rotate</a>
      </div></div>
      <a class="result__snippet" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.example.org%2Fvpn%2Frotate%3Flang%3Den&amp;rut=4f2a9c0e1b">To rotate the <b>VPN</b> <b>key</b>, generate a new pair &amp; update peers.</a>
      <div class="clear"></div>
    </div>
  </div>
  <div class="result results_links results_links_deep web-result ">
    <div class="links_main links_deep result__body">
      <h2 class="result__title"><a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fwiki.example.cn%2F%E5%AF%86%E9%92%A5&amp;rut=77aa">密钥轮换 - 维基</a></h2>
      <a class="result__snippet" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fwiki.example.cn%2F%E5%AF%86%E9%92%A5">定期轮换<b>密钥</b>可以降低泄露风险。</a>
    </div>
  </div>
</div>
<div class="nav-link"><form action="/html/" method="post"><input type="submit" class="btn btn--alt" value="Next" />
<input type="hidden" name="q" value="rotate vpn key" /><input type="hidden" name="s" value="10" /></form></div>
</body></html>`;

export const duckduckgoBotCheckHtml = `<!DOCTYPE html><html><head><title>DuckDuckGo</title></head><body>
<div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>
<form id="challenge-form" action="//duckduckgo.com/anomaly.js" method="POST"></form></body></html>`;
