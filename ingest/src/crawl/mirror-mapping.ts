/**
 * Maps the URLs of a source fetched at one address and published at another: a mirror, a
 * staging copy or a static build served inside a firewall (`baseUrl`), whose pages belong
 * to the public site (`publicBaseUrl`). Pages are fetched at the mirror and stored, cited
 * and scoped under the public address, so that their own absolute canonical links to the
 * public site are theirs.
 */
export interface MirrorMapping {
  /** The public URL of a URL under the mirror's base; any other URL as it is. */
  toPublic(url: string): string;
  /** The mirror's URL of a URL under the public base (with or without `www.`); any other URL as it is. */
  toMirror(url: string): string;
}

/** The identity: a source published where it is fetched. */
export const sameAddress: MirrorMapping = { toPublic: (url) => url, toMirror: (url) => url };

interface Base {
  origin: string;
  host: string;
  /** The base path, always ending with `/`. */
  path: string;
}

function toBase(url: string): Base {
  const parsed = new URL(url);
  const path = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
  return { origin: parsed.origin, host: parsed.host.replace(/^www\./, ''), path };
}

/**
 * The part of `url` below `base` (`a/b/?q` for base `/docs/` and `/docs/a/b/?q`), or
 * undefined when `url` is not under it. `sameHost` compares hosts without `www.` and
 * either scheme (a canonical link may say http or www where the base does not);
 * otherwise the origin must be the same.
 */
function below(url: string, base: Base, sameHost: boolean): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const matches = sameHost
    ? (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host.replace(/^www\./, '') === base.host
    : parsed.origin === base.origin;
  if (!matches) return undefined;
  // The base itself without its slash (`/docs` for `/docs/`) is the base.
  const path = `${parsed.pathname}/` === base.path ? base.path : parsed.pathname;
  if (!path.startsWith(base.path)) return undefined;
  return `${path.slice(base.path.length)}${parsed.search}${parsed.hash}`;
}

/**
 * The mapping between a source's `baseUrl` (where it is fetched) and its `publicBaseUrl`
 * (where it is published): the identity when there is no public address or it is the same.
 * Paths keep what follows the base path (`http://mirror:8080/build/a/` with base
 * `http://mirror:8080/build/` is `https://example.com/docs/a/` with public base
 * `https://example.com/docs/`), with or without a trailing slash on either base.
 *
 * @throws TypeError when either base is not an absolute URL.
 */
export function mirrorMapping(source: { baseUrl: string; publicBaseUrl?: string | null | undefined }): MirrorMapping {
  if (!source.publicBaseUrl) return sameAddress;
  const mirror = toBase(source.baseUrl);
  const published = toBase(source.publicBaseUrl);
  if (mirror.origin === published.origin && mirror.path === published.path) return sameAddress;
  const mirrorPrefix = `${mirror.origin}${mirror.path}`;
  const publicPrefix = `${new URL(source.publicBaseUrl).origin}${published.path}`;
  return {
    toPublic(url) {
      const rest = below(url, mirror, false);
      return rest === undefined ? url : `${publicPrefix}${rest}`;
    },
    toMirror(url) {
      const rest = below(url, published, true);
      return rest === undefined ? url : `${mirrorPrefix}${rest}`;
    },
  };
}
