export interface NormalizeUrlOptions {
  /**
   * Add a trailing slash to a path whose last segment has no file extension (default
   * true): Hugo sites serve `/post/`, and their own links often say `/post`. When false
   * the path's ending is left as it is.
   */
  trailingSlash?: boolean;
}

// Parameters that say where a visitor came from, never which page it is.
const trackingParameters = new Set(['fbclid', 'gclid', 'mc_cid', 'mc_eid', 'ref', 'ref_src']);
const fileExtension = /\.[a-z0-9]{1,8}$/i;

function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || trackingParameters.has(lower);
}

function parameterName(pair: string): string {
  const name = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * One spelling per page, so the crawler visits it once and the store keys it once:
 * lower-cased scheme and host, no default port, no fragment, no tracking parameters
 * (utm_*, fbclid, gclid, mc_cid, mc_eid, ref, ref_src), the other query parameters
 * sorted by name (values of one name keep their order, and their encoding is kept as
 * written), duplicate slashes in the path collapsed, percent-escapes upper-cased, and by
 * default a trailing slash on extension-less paths. Idempotent.
 *
 * @throws TypeError when `url` is not an absolute http(s) URL.
 */
export function normalizeUrl(url: string, options: NormalizeUrlOptions = {}): string {
  const trailingSlash = options.trailingSlash ?? true;
  // The WHATWG parser already lower-cases scheme and host, drops default ports and resolves dot segments.
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError(
      `normalizeUrl needs an absolute http(s) URL, got ${JSON.stringify(url)}; resolve relative links against the page URL first`,
    );
  }
  parsed.hash = '';
  let path = parsed.pathname.replace(/\/{2,}/g, '/').replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  if (trailingSlash && lastSegment !== '' && !fileExtension.test(lastSegment)) path += '/';
  parsed.pathname = path;
  const pairs = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParameter(parameterName(pair)));
  // A stable sort keeps the order of repeated names (?tag=b&tag=a), which servers may rely on.
  const sorted = pairs
    .map((pair, index) => ({ pair, name: parameterName(pair), index }))
    .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : left.index - right.index))
    .map(({ pair }) => pair);
  parsed.search = sorted.length > 0 ? `?${sorted.join('&')}` : '';
  return parsed.href;
}
