/**
 * The admin token that the committee's requests are checked against. One kept in `admin-token`
 * follows that file while the server runs: an admin request looks at the file (its inode, size
 * and modification time) at most once a second and reads it again when it changed, so a new
 * token written there works, and the old one stops working, within a second or two, without a
 * restart. A file that cannot be read, or is empty or too short (as one caught half-written is),
 * leaves the token in use as it was, with one warning that names the file (never a token), and
 * is read again at the next look. One from GATELOG_ADMIN_TOKEN stays.
 */
import { statSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import { MIN_ADMIN_TOKEN_CHARS, readAdminTokenFile } from './config';
import { sha256Hex } from './secrets';

/** How often, at most, an admin request looks at the token file. */
const ADMIN_TOKEN_CHECK_EVERY_MS = 1_000;

type Log = Pick<FastifyBaseLogger, 'info' | 'warn'>;

const codeOf = (err: unknown): string =>
  String((err as { code?: unknown }).code ?? (err as Error).message);

/** What tells a changed file: '!' and the error's code when it cannot be looked at. */
function stampOf(file: string): string {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch (err) {
    return `!${codeOf(err)}`;
  }
}

/** Why a look at the file left the token as it was, and what to log; undefined when read. */
type Refusal = { kind: string; why: string };

export class AdminToken {
  private hash: string;
  private stamp: string | undefined;
  private checkedAt: number;
  /** The kind of refusal last logged, while the file stays unusable: logged once. */
  private refused: string | undefined;

  /** `file`: where the token came from, to follow; none for GATELOG_ADMIN_TOKEN. */
  constructor(
    token: string,
    private readonly file?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.hash = sha256Hex(token);
    this.stamp = file === undefined ? undefined : stampOf(file);
    this.checkedAt = now();
  }

  /** SHA-256 hex of the token in use, as last read. */
  currentHash(): string {
    return this.hash;
  }

  /**
   * The same, after reading the file again if it changed since it was last read. A file that
   * cannot be used (unreadable, empty, too short: perhaps caught half-written) is read again at
   * the next look, changed or not, until it can: a file still being written in place may show
   * the same size and time as when it is done.
   */
  checkedHash(log: Log): string {
    if (this.file === undefined) return this.hash;
    const now = this.now();
    if (now - this.checkedAt < ADMIN_TOKEN_CHECK_EVERY_MS) return this.hash;
    this.checkedAt = now;
    const stamp = stampOf(this.file);
    if (stamp === this.stamp) return this.hash;
    const refusal = this.reload(this.file, stamp, log);
    if (refusal === undefined) {
      this.stamp = stamp;
      this.refused = undefined;
    } else if (refusal.kind !== this.refused) {
      this.refused = refusal.kind;
      log.warn(
        { file: this.file },
        `admin token file ${refusal.why}: the admin token in use stays as it was`,
      );
    }
    return this.hash;
  }

  private reload(file: string, stamp: string, log: Log): Refusal | undefined {
    if (stamp.startsWith('!')) {
      return { kind: stamp, why: `cannot be read (${stamp.slice(1)})` };
    }
    let token: string;
    try {
      token = readAdminTokenFile(file);
    } catch (err) {
      return { kind: `!${codeOf(err)}`, why: `cannot be read (${codeOf(err)})` };
    }
    if (token === '') return { kind: 'empty', why: 'is empty' };
    if (token.length < MIN_ADMIN_TOKEN_CHARS) {
      return {
        kind: 'short',
        why: `holds a token of ${token.length} characters, fewer than the ${MIN_ADMIN_TOKEN_CHARS} an admin token needs`,
      };
    }
    const hash = sha256Hex(token);
    if (hash === this.hash) return undefined;
    this.hash = hash;
    log.info({ file }, 'admin token file changed: its new token is in use, the old one no more');
    return undefined;
  }
}
