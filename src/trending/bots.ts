// Tells obvious robots from readers by their User-Agent, so crawlers, link previewers, monitors and
// headless browsers do not count as reads. Not a defence against a determined faker: it keeps honest bots
// (most of them) out of the numbers, as privacy-first analytics tools do.

const BOT_UA =
  /bot\b|bot\/|crawl|spider|slurp|scrap|fetch|preview|headless|phantom|puppeteer|playwright|selenium|lighthouse|pagespeed|chrome-lighthouse|facebookexternalhit|embedly|quora link|whatsapp|telegram|discord|skype|bingpreview|monitor|uptime|pingdom|statuscake|curl\/|wget\/|python-requests|python-urllib|aiohttp|httpx|go-http-client|okhttp|java\/|libwww|httpclient|node-fetch|undici|axios|feed|rss|reader|validator|archive|ia_archiver|semrush|ahrefs|mj12|dotbot|petalbot|bytespider|gptbot|ccbot|claudebot|perplexity|yandex|baiduspider|duckduckbot|applebot|mediapartners|adsbot/i;

/** True for requests that should never count as a read: no User-Agent, or one that names a robot. */
export function isBot(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.length < 10) return true;
  return BOT_UA.test(userAgent);
}
