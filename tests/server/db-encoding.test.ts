/**
 * A PostgreSQL database not in UTF8 is refused at start, before GateLog makes its tables there,
 * with what to do (README, "PostgreSQL"). The tests' role may not create databases, so the rule
 * is checked here by the encodings PostgreSQL names; every PostgreSQL suite runs migrate() on
 * a UTF8 database, the one it lets through.
 */
import { describe, expect, it } from 'vitest';
import {
  DatabaseEncodingError,
  RefusedDatabaseError,
  refuseDatabaseEncoding,
} from '../../src/server/store/schema-version';

const WHAT = 'The PostgreSQL database at DATABASE_URL';
const refusal = (encoding: string, migrated: boolean) => {
  try {
    refuseDatabaseEncoding(encoding, migrated, 'DATABASE_URL');
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseEncodingError);
    expect(err).toBeInstanceOf(RefusedDatabaseError);
    return err as RefusedDatabaseError;
  }
};
const refused = (encoding: string, migrated: boolean) =>
  refusal(encoding, migrated)?.message ?? null;

describe('the PostgreSQL database encoding GateLog starts on', () => {
  it('takes UTF8, new or already migrated', () => {
    expect(refused('UTF8', false)).toBeNull();
    expect(refused('UTF8', true)).toBeNull();
  });

  it('refuses an encoding that cannot hold Chinese, and says how to make one that can', () => {
    for (const encoding of ['LATIN1', 'WIN1252', 'EUC_JP']) {
      // Migrated too: a first start there made the tables, then died on the default gate's name.
      for (const migrated of [false, true]) {
        expect(refused(encoding, migrated)).toBe(
          `${WHAT} is encoded ${encoding}, which cannot hold Chinese; GateLog needs UTF8. The ` +
            'database was left as it is: create one in UTF-8 (createdb -E UTF8 ' +
            '--locale=C.UTF-8 --template=template0 --owner=<role> <name>) and set DATABASE_URL ' +
            'to it.',
        );
      }
    }
  });

  it('refuses a new SQL_ASCII database (a cluster made with no locale), not a running one', () => {
    expect(refused('SQL_ASCII', false)).toMatch(
      /^The PostgreSQL database at DATABASE_URL is encoded SQL_ASCII, which checks no text and does not fold letter case in the log's search; GateLog needs UTF8\. .*createdb -E UTF8 --locale=C\.UTF-8/,
    );
    expect(refused('SQL_ASCII', true)).toBeNull();
  });

  it('says so in a Chinese terminal’s words, as npm start prints it', () => {
    expect(refusal('LATIN1', false)?.in('zh-CN')).toBe(
      'DATABASE_URL 的 PostgreSQL 数据库：编码是 LATIN1，它存不了中文；GateLog 需要 UTF8。' +
        '数据库原样未动：请新建一个 UTF-8 的数据库（createdb -E UTF8 --locale=C.UTF-8 ' +
        '--template=template0 --owner=<角色> <库名>），并把 DATABASE_URL 设为它。',
    );
  });
});
