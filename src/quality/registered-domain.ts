// The ISP or home network provider of an endpoint, read from its DNS suffix as the registered domain
// (`home.comcast.net` → `comcast.net`): a small public-suffix rule, not the full Public Suffix List.

/**
 * Second-level labels under a two-letter country code that are public suffixes themselves (`co.uk`, `com.au`,
 * `ne.jp`): a domain under one of them keeps three labels. This covers the common ISP domains; a rarer public
 * suffix (`pvt.k12.ma.us`) groups one level too high, which is stated in docs/analytics.md.
 */
const secondLevel = new Set(['ac', 'co', 'com', 'edu', 'gov', 'gob', 'net', 'ne', 'or', 'org']);

/** The registered domain of a DNS suffix, lowercased; '' for none (empty, one label, not a host name). */
export function registeredDomain(dnsSuffix: string | null | undefined): string {
  const name = (dnsSuffix ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (name === '' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name)) return '';
  const labels = name.split('.');
  // An address written as a suffix is no provider.
  if (labels.every((l) => /^\d+$/.test(l))) return '';
  const tld = labels[labels.length - 1];
  const sld = labels[labels.length - 2];
  const keep = tld.length === 2 && secondLevel.has(sld) ? 3 : 2;
  return labels.length < keep ? '' : labels.slice(-keep).join('.');
}
