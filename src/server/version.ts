/** The server's GateLog version, package.json's, sent with every API answer (GATELOG_VERSION_HEADER). */
import { readFileSync } from 'node:fs';

export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
