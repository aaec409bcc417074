/** What "a strict Content-Security-Policy" means here, as a checker that names each problem. */

/** The directives of a CSP header, name → source list. */
export function parseCsp(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

const LOOSE = ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'http:', 'https:'];

/**
 * Empty when the policy is strict: everything defaults to this origin (or nothing), no inline or
 * eval'd script, no wildcard or scheme-wide sources, no plugins, no framing, no base or form
 * hijack. A page with an even narrower policy (`default-src 'none'`) passes too.
 */
export function cspProblems(csp: unknown): string[] {
  if (typeof csp !== 'string' || csp === '') return ['no Content-Security-Policy'];
  const d = parseCsp(csp);
  const problems: string[] = [];
  const defaultSrc = d.get('default-src')?.join(' ');
  if (defaultSrc !== "'self'" && defaultSrc !== "'none'") {
    problems.push(`default-src is ${defaultSrc ?? 'missing'}`);
  }
  for (const [name, values] of d) {
    for (const v of values) if (LOOSE.includes(v)) problems.push(`${name} allows ${v}`);
  }
  const script = d.get('script-src') ?? d.get('default-src') ?? [];
  for (const v of script) {
    if (!["'self'", "'none'"].includes(v) && !/^'(sha256|sha384|sha512|nonce)-/.test(v)) {
      problems.push(`script-src allows ${v}`);
    }
  }
  if (d.get('frame-ancestors')?.join(' ') !== "'none'")
    problems.push('frame-ancestors is not none');
  const object = d.get('object-src') ?? (defaultSrc === "'none'" ? ["'none'"] : undefined);
  if (object?.join(' ') !== "'none'") problems.push('object-src is not none');
  if (!d.has('base-uri')) problems.push('no base-uri');
  if (!d.has('form-action')) problems.push('no form-action');
  return problems;
}
